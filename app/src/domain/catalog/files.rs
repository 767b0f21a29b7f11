//! The shapes of the catalog files (TOML) as written by an office manager.
//!
//! Nearly every key is optional here so that [`validate`](super::validate) can report every
//! missing piece with its location instead of stopping at the first. Unknown keys are refused
//! (`deny_unknown_fields`), so a misspelt key such as `dealine` is an error, not a silent gap.
//!
//! ```toml
//! [function]                       # at most one per file
//! code = "documents"
//! order = 2
//! accent = "#0e7490"
//! name = { zh = "文书与公文处理", en = "Documents" }
//! positioning = { zh = "……", en = "…" }
//!
//! [[role]]                         # office roles default to this file's function
//! [[ledger]]                       # columns = [{ code = "…", name = { zh = "…", en = "…" } }, …]
//! [[output]]                       # named forms and reports: code, name, contents
//!
//! [[process]]
//! code = "incoming_document"
//! trigger = "event"                # on-request | event | every(month) | every(year, month 12) …
//! [[process.field]]                # code, label, kind, options, required (default true), help, filled_by
//! [[process.step]]                 # code, name, owner, deadline, anchor, when, checklist,
//!                                  # outputs, participants, recipients
//! [[process.step.approval]]        # by = "director" | ["department_head", "director"], when
//! [process.step.ledger]            # code, by, row = { column = "field:x" | "completed_at" … }
//! [[process.step.escalation]]      # to, within, on = "anomaly" | "overdue"
//! [[process.repeat]]               # code, name, every, owner, during, when, output
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::lang::Text;

/// One catalog file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    pub function: Option<FunctionEntry>,
    #[serde(default)]
    pub role: Vec<RoleEntry>,
    #[serde(default)]
    pub ledger: Vec<LedgerEntry>,
    #[serde(default)]
    pub output: Vec<OutputEntry>,
    #[serde(default)]
    pub process: Vec<ProcessEntry>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunctionEntry {
    pub code: Option<String>,
    pub order: Option<u32>,
    pub accent: Option<String>,
    pub name: Option<Text>,
    pub positioning: Option<Text>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleEntry {
    pub code: Option<String>,
    pub name: Option<Text>,
    /// `office` (default) or `outside`.
    pub kind: Option<String>,
    /// Default: the file's function for an office role, none (= every function) otherwise.
    pub functions: Option<Vec<String>>,
    pub responsibilities: Option<Text>,
    pub may_be_external: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerEntry {
    pub code: Option<String>,
    /// Default: the file's function.
    pub function: Option<String>,
    pub name: Option<Text>,
    #[serde(default)]
    pub columns: Vec<ColumnEntry>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnEntry {
    pub code: Option<String>,
    pub name: Option<Text>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputEntry {
    pub code: Option<String>,
    /// Default: the file's function.
    pub function: Option<String>,
    pub name: Option<Text>,
    pub contents: Option<Text>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessEntry {
    pub code: Option<String>,
    /// Default: the file's function.
    pub function: Option<String>,
    pub name: Option<Text>,
    /// `on-request`, `event` or a schedule such as `every(month)`.
    pub trigger: Option<String>,
    /// What happens, for `trigger = "event"`.
    pub event: Option<Text>,
    pub raised_by: Option<String>,
    pub form: Option<Text>,
    #[serde(default)]
    pub field: Vec<FieldEntry>,
    #[serde(default)]
    pub step: Vec<StepEntry>,
    #[serde(default)]
    pub repeat: Vec<RepeatEntry>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldEntry {
    pub code: Option<String>,
    pub label: Option<Text>,
    /// text, long_text, number, money, date, datetime, department, person, choice, attachment.
    pub kind: Option<String>,
    /// For `kind = "choice"`.
    pub options: Option<Vec<Text>>,
    /// Default: true.
    pub required: Option<bool>,
    pub help: Option<Text>,
    pub filled_by: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepEntry {
    pub code: Option<String>,
    pub name: Option<Text>,
    pub owner: Option<String>,
    /// A rule such as `wd(3)`, or `none` where the standard gives no time limit.
    pub deadline: Option<String>,
    /// `created`, `previous`, `anomaly`, `field:CODE`, `step:CODE`. Default: `created` for the
    /// first step, `previous` for the others.
    pub anchor: Option<String>,
    pub when: Option<String>,
    #[serde(default)]
    pub checklist: Vec<Text>,
    /// Output codes, each optionally followed by ` if CONDITION`.
    #[serde(default)]
    pub outputs: Vec<String>,
    #[serde(default)]
    pub participants: Vec<String>,
    #[serde(default)]
    pub recipients: Vec<String>,
    #[serde(default)]
    pub approval: Vec<ApprovalEntry>,
    pub ledger: Option<LedgerWriteEntry>,
    #[serde(default)]
    pub escalation: Vec<EscalationEntry>,
}

/// One role or several.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovalEntry {
    /// One role, or several who must all sign.
    pub by: Option<OneOrMany>,
    /// Only when this condition holds.
    pub when: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerWriteEntry {
    /// The ledger's code.
    pub code: Option<String>,
    pub by: Option<String>,
    /// Column code → `field:CODE`, `completed_at`, `completed_by` or `value:TEXT`.
    #[serde(default)]
    pub row: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationEntry {
    pub to: Option<String>,
    pub within: Option<String>,
    /// `anomaly` or `overdue`.
    pub on: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepeatEntry {
    pub code: Option<String>,
    pub name: Option<Text>,
    /// `every(day) while open`, `every(week) while open`, `every(h N) while open`.
    pub every: Option<String>,
    pub owner: Option<String>,
    pub during: Option<String>,
    pub when: Option<String>,
    pub output: Option<String>,
}
