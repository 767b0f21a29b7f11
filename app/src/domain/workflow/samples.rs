//! A valid value for every kind of field: what tests, demonstrations and benchmarks fill a
//! process's form with, so a new process is covered without new code.

use chrono::{DateTime, Duration, Utc};

use super::form::{FileRef, FormInput, RawValue};
use crate::domain::catalog::{Field, FieldKind, Process};

/// A small PDF as the file store would describe it.
pub fn pdf(name: &str) -> FileRef {
    FileRef {
        id: format!("file-{name}"),
        name: name.into(),
        size: 1024,
        content_type: "application/pdf".into(),
    }
}

/// A valid value for `field`; dates and instants fall three days after `now`.
pub fn sample(field: &Field, now: DateTime<Utc>) -> RawValue {
    let soon = now + Duration::days(3);
    let text = match &field.kind {
        FieldKind::Text => "样例".to_string(),
        FieldKind::LongText => "较长的说明文字".to_string(),
        FieldKind::Number => "3".to_string(),
        FieldKind::Money => "1000.00".to_string(),
        FieldKind::Date => soon.date_naive().format("%Y-%m-%d").to_string(),
        FieldKind::DateTime => soon.to_rfc3339(),
        FieldKind::Department => "行政部".to_string(),
        FieldKind::Person => "张三".to_string(),
        FieldKind::Choice { options } => options[0].zh.clone(),
        FieldKind::Attachment => return RawValue::File(pdf("scan.pdf")),
    };
    RawValue::Text(text)
}

/// The form of `process` with a sample for every field the requester gives (and, when
/// `all`, every field recorded later too).
pub fn sample_form(process: &Process, now: DateTime<Utc>, all: bool) -> FormInput {
    process
        .fields
        .iter()
        .filter(|f| all || f.filled_by.is_none())
        .map(|f| (f.code.to_string(), sample(f, now)))
        .collect()
}
