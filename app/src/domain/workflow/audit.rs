//! The append-only audit trail: one entry per change, every operation emits at least one.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::UserRef;
use crate::domain::catalog::StepCode;

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditKind {
    Raised,
    /// A step became due (its deadline is in the detail), or its deadline was recomputed
    /// because the field it counts from was recorded (`"recomputed": true`).
    StepActivated,
    StepCompleted,
    StepReturned,
    /// A step's `when` did not hold.
    Skipped,
    /// Fields recorded during the case (a quote, an arrival time …).
    FieldsRecorded,
    Reassigned,
    Commented,
    ChecklistTicked,
    OutputRecorded,
    Approved,
    Rejected,
    AnomalyFlagged,
    Escalated,
    /// A repetition of an in-case repeat done (the detail has its key and note).
    RepeatDone,
    Cancelled,
    Closed,
    /// A move took a board column past its work-in-progress limit, confirmed by the mover
    /// (the detail has the column's count with the card and its limit).
    WipLimitExceeded,
}

impl AuditKind {
    /// The stable snake_case name (as stored).
    pub fn code(self) -> &'static str {
        match self {
            AuditKind::Raised => "raised",
            AuditKind::StepActivated => "step_activated",
            AuditKind::StepCompleted => "step_completed",
            AuditKind::StepReturned => "step_returned",
            AuditKind::Skipped => "skipped",
            AuditKind::FieldsRecorded => "fields_recorded",
            AuditKind::Reassigned => "reassigned",
            AuditKind::Commented => "commented",
            AuditKind::ChecklistTicked => "checklist_ticked",
            AuditKind::OutputRecorded => "output_recorded",
            AuditKind::Approved => "approved",
            AuditKind::Rejected => "rejected",
            AuditKind::AnomalyFlagged => "anomaly_flagged",
            AuditKind::Escalated => "escalated",
            AuditKind::RepeatDone => "repeat_done",
            AuditKind::Cancelled => "cancelled",
            AuditKind::Closed => "closed",
            AuditKind::WipLimitExceeded => "wip_limit_exceeded",
        }
    }
}

/// One entry of a case's audit trail.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub kind: AuditKind,
    pub actor: UserRef,
    pub at: DateTime<Utc>,
    pub step: Option<StepCode>,
    /// What changed, as JSON (reason, values, due instant …).
    pub detail: serde_json::Value,
    /// The case's version after the operation.
    pub version: i64,
}
