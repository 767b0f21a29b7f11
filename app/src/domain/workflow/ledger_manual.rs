//! Entries made by hand in a ledger (手工登记): what the workflow does not write, such as an
//! asset bought outside the system, a document received on paper before OfficeFlow, or the
//! funds ledger, which no process writes. Each says who made it, when and why; a mistaken one
//! is voided with a reason and stays on record, never deleted.
//!
//! Decision: any ledger of the catalog takes manual entries, from the office roles serving
//! its function (and the director), the same people who read it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ledger::LedgerCell;
use crate::domain::catalog::Ledger;
use crate::domain::lang::Text;
use crate::error::FieldError;

/// The longest cell, in characters.
pub const MAX_CELL_CHARS: usize = 200;
/// The longest reason, in characters.
pub const MAX_NOTE_CHARS: usize = 200;

/// What the form sends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualEntryInput {
    pub ledger: String,
    /// Column code → value; absent columns are empty.
    #[serde(default)]
    pub cells: BTreeMap<String, String>,
    #[serde(default)]
    pub department: Option<String>,
    /// Why it is entered by hand (系统外购置 …).
    #[serde(default)]
    pub note: String,
}

/// A manual entry as checked: the cells in the ledger's column order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedEntry {
    pub cells: Vec<LedgerCell>,
    pub department: Option<String>,
    pub note: String,
}

/// How a row came to be made by hand: its number, who made it and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualMark {
    pub id: i64,
    pub by: String,
    pub note: String,
}

/// A manual entry as its history shows it, voided or not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualRecord {
    pub id: i64,
    pub ledger: String,
    pub department: Option<String>,
    pub cells: Vec<LedgerCell>,
    pub note: String,
    pub by: String,
    pub at: DateTime<Utc>,
    /// `at` as local `YYYY-MM-DD HH:MM`.
    #[serde(default)]
    pub at_text: String,
    pub voided: Option<Voiding>,
}

/// When, by whom and why an entry was voided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voiding {
    pub by: String,
    pub at: DateTime<Utc>,
    /// `at` as local `YYYY-MM-DD HH:MM`.
    #[serde(default)]
    pub at_text: String,
    pub reason: String,
}

fn too_long(field: String, limit: usize) -> FieldError {
    FieldError {
        field,
        code: "too_long".into(),
        message: Text::new(
            format!("不能超过 {limit} 个字符。"),
            format!("At most {limit} characters."),
        ),
    }
}

/// A reason as given: trimmed, required, not over [`MAX_NOTE_CHARS`].
pub fn check_note(field: &str, note: &str) -> Result<String, FieldError> {
    let note = note.trim();
    if note.is_empty() {
        return Err(FieldError::new(
            field,
            "required",
            "请写明原因。",
            "Say why.",
        ));
    }
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(too_long(field.to_string(), MAX_NOTE_CHARS));
    }
    Ok(note.to_string())
}

/// Checks an entry against its ledger and the organisation's departments: every column known,
/// none over [`MAX_CELL_CHARS`], at least one filled; a known department, if any; a reason.
/// Every problem is reported at its field (`cells.<column>`, `department`, `note`).
pub fn check_entry(
    ledger: &Ledger,
    input: &ManualEntryInput,
    departments: &[String],
) -> Result<CheckedEntry, Vec<FieldError>> {
    let mut errors = Vec::new();
    for code in input.cells.keys() {
        if ledger.column(code).is_none() {
            errors.push(FieldError::new(
                &format!("cells.{code}"),
                "unknown",
                "台账没有这一列。",
                "The ledger has no such column.",
            ));
        }
    }
    let cells: Vec<LedgerCell> = ledger
        .columns
        .iter()
        .map(|column| {
            let value = input
                .cells
                .get(column.code.as_str())
                .map(|v| v.trim().to_string())
                .unwrap_or_default();
            if value.chars().count() > MAX_CELL_CHARS {
                errors.push(too_long(format!("cells.{}", column.code), MAX_CELL_CHARS));
            }
            LedgerCell {
                column: column.code.clone(),
                value,
            }
        })
        .collect();
    if cells.iter().all(|c| c.value.is_empty()) {
        let first = ledger
            .columns
            .first()
            .map_or("cells".to_string(), |c| format!("cells.{}", c.code));
        errors.push(FieldError::new(
            &first,
            "required",
            "至少填写一列。",
            "Fill in at least one column.",
        ));
    }
    let department = input
        .department
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_string);
    if let Some(d) = &department {
        if !departments.contains(d) {
            errors.push(FieldError::new(
                "department",
                "unknown",
                "没有这个部门。",
                "There is no such department.",
            ));
        }
    }
    let note = check_note("note", &input.note)
        .map_err(|e| errors.push(e))
        .ok();
    match note {
        Some(note) if errors.is_empty() => Ok(CheckedEntry {
            cells,
            department,
            note,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::workflow::test_support::catalog;

    fn assets() -> &'static Ledger {
        catalog().ledger("assets").expect("the asset ledger")
    }

    #[test]
    fn an_entry_keeps_the_ledgers_column_order_and_trims_its_values() {
        let input = ManualEntryInput {
            ledger: "assets".into(),
            cells: [
                ("custodian", " 李强 "),
                ("asset", "投影仪(系统外购置)"),
                ("status", "在用"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
            department: Some("研发中心".into()),
            note: " 上线前购置 ".into(),
        };
        let checked = check_entry(assets(), &input, &["研发中心".to_string()]).unwrap();
        let columns: Vec<&str> = checked.cells.iter().map(|c| c.column.as_str()).collect();
        assert_eq!(
            columns,
            ["asset", "department", "status", "custodian", "updated_at"]
        );
        let values: Vec<&str> = checked.cells.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(values, ["投影仪(系统外购置)", "", "在用", "李强", ""]);
        assert_eq!(checked.note, "上线前购置");
        assert_eq!(checked.department.as_deref(), Some("研发中心"));
    }

    #[test]
    fn every_problem_is_reported_at_its_field() {
        let input = ManualEntryInput {
            ledger: "assets".into(),
            cells: [("colour", "红"), ("asset", &"长".repeat(201))]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            department: Some("不存在的部门".into()),
            note: "  ".into(),
        };
        let errors = check_entry(assets(), &input, &["研发中心".to_string()]).unwrap_err();
        let fields: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("cells.colour", "unknown"),
                ("cells.asset", "too_long"),
                ("department", "unknown"),
                ("note", "required"),
            ]
        );
        let empty = ManualEntryInput {
            ledger: "assets".into(),
            note: "补登".into(),
            ..Default::default()
        };
        let errors = check_entry(assets(), &empty, &[]).unwrap_err();
        assert_eq!(errors[0].field, "cells.asset");
        assert_eq!(errors[0].code, "required");
    }
}
