//! Parsing one submitted value into its field's type, with the reason when it cannot be.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::form::{FieldValue, FileRef, RawValue, ALLOWED_CONTENT_TYPES, MAX_FILE_BYTES};
use super::refusal::reason;
use crate::domain::catalog::{Field, FieldKind};
use crate::domain::lang::Text;
use crate::error::FieldError;

/// Longest short text (`text` fields).
pub const TEXT_MAX: usize = 200;
/// Longest long text (`long_text` fields).
pub const LONG_TEXT_MAX: usize = 5000;
/// Longest department or person name.
pub const NAME_MAX: usize = 100;
/// Largest money amount accepted: one trillion yuan, in cents.
const MONEY_MAX_CENTS: i64 = 100_000_000_000_000;

/// Parses `raw` as a value of `field`. `Ok(None)`: the value is empty (blank text).
pub fn parse_value(
    field: &Field,
    raw: &RawValue,
    zone: Tz,
) -> Result<Option<FieldValue>, FieldError> {
    let fail =
        |code: &str, zh: String, en: String| reason(field.code.as_str(), code, Text::new(zh, en));
    let label = &field.label;
    let text = match (raw, &field.kind) {
        (RawValue::File(file), FieldKind::Attachment) => {
            return check_file(file)
                .map(|f| Some(FieldValue::Attachment(f)))
                .map_err(|(zh, en)| {
                    fail(
                        "invalid_file",
                        format!("{}:{zh}", label.zh),
                        format!("{}: {en}", label.en),
                    )
                })
        }
        (RawValue::File(_), _) => {
            return Err(fail(
                "not_a_file",
                format!("{}应填写文字,而不是文件。", label.zh),
                format!("{} takes text, not a file.", label.en),
            ))
        }
        (RawValue::Text(t), _) => t.trim(),
    };
    if text.is_empty() {
        return Ok(None);
    }
    parse_text(&field.kind, text, zone)
        .map(Some)
        .map_err(|(code, zh, en)| {
            fail(
                code,
                format!("{}{zh}", label.zh),
                format!("{}: {en}", label.en),
            )
        })
}

type Why = (&'static str, String, String);

fn why(code: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Why {
    (code, zh.into(), en.into())
}

fn parse_text(kind: &FieldKind, text: &str, zone: Tz) -> Result<FieldValue, Why> {
    match kind {
        FieldKind::Text => bounded(text, TEXT_MAX).map(FieldValue::Text),
        FieldKind::LongText => bounded(text, LONG_TEXT_MAX).map(FieldValue::LongText),
        FieldKind::Department => bounded(text, NAME_MAX).map(FieldValue::Department),
        FieldKind::Person => bounded(text, NAME_MAX).map(FieldValue::Person),
        FieldKind::Number => parse_number(text).map(FieldValue::Number),
        FieldKind::Money => parse_money(text).map(FieldValue::Money),
        FieldKind::Date => parse_date(text).map(FieldValue::Date),
        FieldKind::DateTime => parse_instant(text, zone).map(FieldValue::DateTime),
        FieldKind::Choice { options } => options
            .iter()
            .find(|o| o.zh == text || o.en.eq_ignore_ascii_case(text))
            .map(|o| FieldValue::Choice(o.clone()))
            .ok_or_else(|| {
                let zh: Vec<&str> = options.iter().map(|o| o.zh.as_str()).collect();
                let en: Vec<&str> = options.iter().map(|o| o.en.as_str()).collect();
                why(
                    "not_an_option",
                    format!("须为以下之一:{}。", zh.join("、")),
                    format!("must be one of: {}.", en.join(", ")),
                )
            }),
        FieldKind::Attachment => Err(why("not_a_file", "应上传文件。", "takes a file.")),
    }
}

fn bounded(text: &str, max: usize) -> Result<String, Why> {
    let n = text.chars().count();
    if n > max {
        return Err(why(
            "too_long",
            format!("不能超过{max}个字(现为{n}个)。"),
            format!("must be at most {max} characters (it has {n})."),
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(why(
            "control_characters",
            "含有不可见的控制字符。",
            "contains control characters.",
        ));
    }
    Ok(text.to_string())
}

fn is_plain_decimal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && (frac.is_empty() || frac.chars().all(|c| c.is_ascii_digit()))
        && !digits.ends_with('.')
}

fn parse_number(text: &str) -> Result<f64, Why> {
    let n = text
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && is_plain_decimal(text));
    n.ok_or_else(|| {
        why(
            "not_a_number",
            "须为数字,如 12 或 3.5。",
            "must be a number such as 12 or 3.5.",
        )
    })
}

fn parse_money(text: &str) -> Result<i64, Why> {
    let bad = || {
        why(
            "not_money",
            "须为金额,如 1200 或 99.50(最多两位小数,不能为负)。",
            "must be an amount such as 1200 or 99.50 (at most 2 decimals, not negative).",
        )
    };
    if text.starts_with('-') || !is_plain_decimal(text) {
        return Err(bad());
    }
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    if frac.len() > 2 || int.len() > 13 {
        return Err(bad());
    }
    let yuan: i64 = int.parse().map_err(|_| bad())?;
    let cents: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    let total = yuan * 100 + cents;
    (total <= MONEY_MAX_CENTS).then_some(total).ok_or_else(bad)
}

fn parse_date(text: &str) -> Result<NaiveDate, Why> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|_| text.len() == 10)
        .ok_or_else(|| {
            why(
                "not_a_date",
                "须为日期 YYYY-MM-DD,如 2025-09-30。",
                "must be a date YYYY-MM-DD such as 2025-09-30.",
            )
        })
}

/// An RFC 3339 instant, or a local `YYYY-MM-DDTHH:MM` in the organisation's zone.
fn parse_instant(text: &str, zone: Tz) -> Result<DateTime<Utc>, Why> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    let bad = || {
        why(
            "not_a_datetime",
            "须为日期时间 YYYY-MM-DDTHH:MM,如 2025-09-30T10:00。",
            "must be a date and time YYYY-MM-DDTHH:MM such as 2025-09-30T10:00.",
        )
    };
    let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| bad())?;
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Ok(t.with_timezone(&Utc)),
        LocalResult::None => Err(why(
            "nonexistent_time",
            "该时刻因夏令时调整而不存在。",
            "that local time does not exist (daylight-saving change).",
        )),
    }
}

/// Checks a file reference: an id, a name, a size within the limit and an accepted type.
pub fn check_file(file: &FileRef) -> Result<FileRef, (String, String)> {
    let name = file.name.trim();
    if file.id.trim().is_empty() || name.is_empty() || name.chars().count() > 255 {
        return Err((
            "文件缺少编号或名称。".into(),
            "the file has no id or name.".into(),
        ));
    }
    if file.size == 0 || file.size > MAX_FILE_BYTES {
        return Err((
            format!(
                "文件大小须在 1 字节到 {} MB 之间。",
                MAX_FILE_BYTES / 1024 / 1024
            ),
            format!(
                "the file must be between 1 byte and {} MB.",
                MAX_FILE_BYTES / 1024 / 1024
            ),
        ));
    }
    let ct = file.content_type.trim().to_ascii_lowercase();
    if !ALLOWED_CONTENT_TYPES.contains(&ct.as_str()) {
        return Err((
            format!("不接受 {} 类型的文件。", file.content_type),
            format!("files of type {} are not accepted.", file.content_type),
        ));
    }
    Ok(FileRef {
        id: file.id.trim().to_string(),
        name: name.to_string(),
        size: file.size,
        content_type: ct,
    })
}
