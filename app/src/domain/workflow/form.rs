//! Typed form values: what a case's fields hold once parsed, and how they read back.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::domain::catalog::FieldCode;
use crate::domain::lang::Text;

/// The largest file a case accepts (an attachment or a recorded output): 20 MiB.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// The content types a case accepts for files: documents, spreadsheets, slides, images,
/// plain text and archives.
pub const ALLOWED_CONTENT_TYPES: &[&str] = &[
    "application/pdf",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/zip",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "text/plain",
    "text/csv",
];

/// A stored file, as the file store describes it (the bytes live elsewhere).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FileRef {
    pub id: String,
    pub name: String,
    pub size: u64,
    pub content_type: String,
}

/// One field's value, typed by the field's kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum FieldValue {
    Text(String),
    LongText(String),
    Number(f64),
    /// An amount of money in cents (fen).
    Money(i64),
    Date(NaiveDate),
    DateTime(DateTime<Utc>),
    Department(String),
    Person(String),
    /// The option chosen, in both languages.
    Choice(Text),
    Attachment(FileRef),
}

/// A number a condition can compare.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Numeric {
    Cents(i64),
    Plain(f64),
}

impl FieldValue {
    /// The value as a ledger cell or a message shows it: money with two decimals, dates as
    /// `YYYY-MM-DD`, instants as RFC 3339 in the organisation's zone, choices in Chinese,
    /// files by name.
    pub fn display(&self, zone: Tz) -> String {
        match self {
            FieldValue::Text(s)
            | FieldValue::LongText(s)
            | FieldValue::Department(s)
            | FieldValue::Person(s) => s.clone(),
            FieldValue::Number(n) => n.to_string(),
            FieldValue::Money(cents) => money_text(*cents),
            FieldValue::Date(d) => d.format("%Y-%m-%d").to_string(),
            FieldValue::DateTime(t) => instant_text(*t, zone),
            FieldValue::Choice(option) => option.zh.clone(),
            FieldValue::Attachment(file) => file.name.clone(),
        }
    }

    pub fn numeric(&self) -> Option<Numeric> {
        match self {
            FieldValue::Number(n) => Some(Numeric::Plain(*n)),
            FieldValue::Money(c) => Some(Numeric::Cents(*c)),
            _ => None,
        }
    }
}

/// `1234.50` for 123450 cents.
pub fn money_text(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// An instant as RFC 3339 with the zone's offset, to the second.
pub fn instant_text(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone)
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// The typed values of a case's fields; an absent key is an empty field.
pub type FormValues = BTreeMap<FieldCode, FieldValue>;

/// A value as a form sends it: text for every kind but attachments, a file reference for
/// those.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RawValue {
    Text(String),
    File(FileRef),
}

impl From<&str> for RawValue {
    fn from(text: &str) -> Self {
        RawValue::Text(text.to_string())
    }
}

/// A form as submitted: field code → raw value.
pub type FormInput = BTreeMap<String, RawValue>;
