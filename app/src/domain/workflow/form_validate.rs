//! Validating a whole form: at raise (the requester's fields) and during the case (fields
//! recorded later by a role).
//!
//! A field with `filled_by` is recorded during the case by that role: optional at raise,
//! required before that role's last step completes (and before any step that reads it). The
//! fields of a recurring process have no requester to fill them: they count as filled by the
//! owner of the process's first step.

use chrono_tz::Tz;

use super::activation::is_anomaly_step;
use super::form::{FieldValue, FormInput, FormValues};
use super::form_parse::parse_value;
use super::refusal::reason;
use crate::domain::catalog::{Field, FieldCode, Process, RoleCode, Trigger};
use crate::domain::lang::Text;
use crate::error::FieldError;

/// The role that records `field` during the case, or `None` when the requester gives it.
pub fn later_filler<'a>(process: &'a Process, field: &'a Field) -> Option<&'a RoleCode> {
    field.filled_by.as_ref().or_else(|| match process.trigger {
        Trigger::Recurring(_) => process
            .steps
            .iter()
            .find(|s| !is_anomaly_step(s))
            .map(|s| &s.owner),
        _ => None,
    })
}

fn required_reason(field: &Field) -> FieldError {
    reason(
        field.code.as_str(),
        "required",
        Text::new(
            format!("请填写{}。", field.label.zh),
            format!("{} is required.", field.label.en),
        ),
    )
}

fn unknown_reason(code: &str) -> FieldError {
    reason(
        code,
        "unknown_field",
        Text::new(
            format!("表单没有“{code}”这一项。"),
            format!("The form has no field \"{code}\"."),
        ),
    )
}

/// Parses every submitted field; `Err` lists every problem, unknown fields included.
fn parse_all(
    process: &Process,
    input: &FormInput,
    zone: Tz,
) -> (Vec<(FieldCode, Option<FieldValue>)>, Vec<FieldError>) {
    let (mut parsed, mut errors) = (Vec::new(), Vec::new());
    for (code, raw) in input {
        match process.field(code) {
            None => errors.push(unknown_reason(code)),
            Some(field) => match parse_value(field, raw, zone) {
                Ok(value) => parsed.push((field.code.clone(), value)),
                Err(e) => errors.push(e),
            },
        }
    }
    (parsed, errors)
}

/// The values of a new case. Required fields the requester gives must be there; fields
/// recorded later may be given already.
pub fn validate_raise(
    process: &Process,
    input: &FormInput,
    zone: Tz,
) -> Result<FormValues, Vec<FieldError>> {
    let (parsed, mut errors) = parse_all(process, input, zone);
    let values: FormValues = parsed
        .into_iter()
        .filter_map(|(c, v)| Some((c, v?)))
        .collect();
    for field in &process.fields {
        let given = values.contains_key(&field.code);
        let invalid = errors.iter().any(|e| e.field == field.code.as_str());
        if field.required && later_filler(process, field).is_none() && !given && !invalid {
            errors.push(required_reason(field));
        }
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(errors)
    }
}

/// The case's values after recording `input`, and the fields that changed. A blank value
/// clears an optional field; a required field cannot be cleared.
pub fn validate_record(
    process: &Process,
    current: &FormValues,
    input: &FormInput,
    zone: Tz,
) -> Result<(FormValues, Vec<FieldCode>), Vec<FieldError>> {
    let (parsed, mut errors) = parse_all(process, input, zone);
    let mut values = current.clone();
    let mut changed = Vec::new();
    for (code, value) in parsed {
        let field = process.field(code.as_str()).expect("parsed fields exist");
        match value {
            None if field.required => errors.push(required_reason(field)),
            None => {
                if values.remove(&code).is_some() {
                    changed.push(code);
                }
            }
            Some(v) => {
                if values.get(&code) != Some(&v) {
                    values.insert(code.clone(), v);
                    changed.push(code);
                }
            }
        }
    }
    if input.is_empty() {
        errors.push(reason(
            "form",
            "nothing_to_record",
            Text::new("没有要填写的内容。", "Nothing to record."),
        ));
    }
    if errors.is_empty() {
        Ok((values, changed))
    } else {
        Err(errors)
    }
}

/// Trims a case title: 1–120 characters, no control characters.
pub fn parse_title(title: &str) -> Result<String, FieldError> {
    let t = title.trim();
    let n = t.chars().count();
    let fail = |code: &str, zh: String, en: String| Err(reason("title", code, Text::new(zh, en)));
    if n == 0 {
        return fail(
            "required",
            "请填写标题。".into(),
            "A title is required.".into(),
        );
    }
    if n > 120 {
        return fail(
            "too_long",
            format!("标题不能超过120个字(现为{n}个)。"),
            format!("The title must be at most 120 characters (it has {n})."),
        );
    }
    if t.chars().any(char::is_control) {
        return fail(
            "control_characters",
            "标题含有不可见的控制字符。".into(),
            "The title contains control characters.".into(),
        );
    }
    Ok(t.to_string())
}

/// Trims a department name: empty means none; at most 100 characters.
pub fn parse_department(department: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(d) = department.map(str::trim).filter(|d| !d.is_empty()) else {
        return Ok(None);
    };
    if d.chars().count() > 100 || d.chars().any(char::is_control) {
        return Err(reason(
            "department",
            "invalid_department",
            Text::new(
                "部门名称须在100个字以内且不含控制字符。",
                "The department must be at most 100 characters, without control characters.",
            ),
        ));
    }
    Ok(Some(d.to_string()))
}

/// Checks a free text (a reason, a comment): trimmed, 1..=max characters.
pub fn parse_free_text(
    subject: &str,
    text: &str,
    max: usize,
    what: &Text,
) -> Result<String, FieldError> {
    let t = text.trim();
    let n = t.chars().count();
    if n == 0 {
        return Err(reason(
            subject,
            "required",
            Text::new(
                format!("请填写{}。", what.zh),
                format!("{} is required.", what.en),
            ),
        ));
    }
    if n > max {
        return Err(reason(
            subject,
            "too_long",
            Text::new(
                format!("{}不能超过{max}个字(现为{n}个)。", what.zh),
                format!("{} must be at most {max} characters (it has {n}).", what.en),
            ),
        ));
    }
    Ok(t.to_string())
}
