//! A case: one request walking the steps of a catalog process, with everything done on it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::form::{FileRef, FormValues};
use super::ids::{CaseId, UserId, UserRef};
use crate::domain::calendar::Due;
use crate::domain::catalog::{
    EscalationOn, OutputCode, ProcessCode, RepeatCode, RoleCode, StepCode,
};

/// Where a case stands as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CaseStatus {
    Open,
    /// Done: its last step completed, or closed early with a reason.
    Closed,
    /// Withdrawn with a reason.
    Cancelled,
}

/// How a step instance ended; `None` on the instance while it is under way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepOutcome {
    Completed,
    /// Sent back to an earlier step; the work continues on a new instance.
    Returned {
        reason: String,
    },
    /// Its `when` condition did not hold.
    Skipped,
    /// The case was cancelled or closed early while it was under way.
    Cancelled,
}

/// Approve or reject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Verdict {
    Approve,
    Reject,
}

/// A sign-off given (or refused) on a step instance, in the name of one role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalGiven {
    pub role: RoleCode,
    pub by: UserRef,
    pub at: DateTime<Utc>,
    pub verdict: Verdict,
    pub comment: Option<String>,
}

/// A named output as recorded: a filled form (text) or a stored file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OutputValue {
    Form(String),
    File(FileRef),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedOutput {
    pub value: OutputValue,
    pub by: UserRef,
    pub at: DateTime<Utc>,
}

/// One activation of a step. A step returned to, or raised again by another anomaly, gets a
/// new instance; the old ones stay as history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepInstance {
    pub step: StepCode,
    /// 1 for the step's first activation in this case, 2 for the next …
    pub round: u32,
    pub owner: RoleCode,
    pub assignee: Option<UserId>,
    pub activated_at: DateTime<Utc>,
    /// `None`: no time limit, or the anchor field is not recorded yet.
    pub due: Option<Due>,
    pub completed_at: Option<DateTime<Utc>>,
    pub completed_by: Option<UserRef>,
    pub outcome: Option<StepOutcome>,
    /// One flag per checklist item, by index.
    pub ticks: Vec<bool>,
    pub outputs: BTreeMap<OutputCode, RecordedOutput>,
    pub approvals: Vec<ApprovalGiven>,
    /// For a step anchored on anomalies: the number of the anomaly that raised it.
    pub anomaly: Option<u32>,
}

impl StepInstance {
    pub fn is_active(&self) -> bool {
        self.outcome.is_none()
    }

    /// The latest verdict of each role, in the order the roles first signed.
    pub fn verdict_of(&self, role: &RoleCode) -> Option<Verdict> {
        self.approvals
            .iter()
            .rev()
            .find(|a| a.role == *role)
            .map(|a| a.verdict)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub by: UserRef,
    pub at: DateTime<Utc>,
    pub step: Option<StepCode>,
    pub text: String,
}

/// An anomaly flagged on a case (an equipment failure, a task going off track …).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anomaly {
    /// 1, 2, 3 … in the order flagged.
    pub number: u32,
    /// The step under way when it was flagged.
    pub step: Option<StepCode>,
    pub reason: String,
    pub by: UserRef,
    pub at: DateTime<Utc>,
}

/// An escalation recorded on the case (at most once per key).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationRecord {
    pub key: String,
    pub step: StepCode,
    pub on: EscalationOn,
    pub to: RoleCode,
    pub level: u32,
    pub triggered_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
}

/// One repetition of an in-case repeat done (the 4-hourly progress report written …).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepeatDone {
    /// The repetition's key (see [`super::repeats::RepeatItem::key`]).
    pub key: String,
    pub repeat: RepeatCode,
    pub due_at: DateTime<Utc>,
    /// What was reported (the repetition's output, when it names one).
    pub note: String,
    pub by: UserRef,
    pub at: DateTime<Utc>,
}

/// A request raised from a process of the catalog, walking its steps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub id: CaseId,
    pub process: ProcessCode,
    /// The catalog version the case started under (it keeps it).
    pub catalog_version: u32,
    pub title: String,
    pub requester: UserRef,
    pub department: Option<String>,
    pub values: FormValues,
    pub status: CaseStatus,
    /// Every step instance, in the order activated.
    pub steps: Vec<StepInstance>,
    pub comments: Vec<Comment>,
    pub anomalies: Vec<Anomaly>,
    pub escalations: Vec<EscalationRecord>,
    /// In-case repetitions done (cases stored before repeats were recorded have none).
    #[serde(default)]
    pub repeats_done: Vec<RepeatDone>,
    /// Optimistic lock: 1 when raised, +1 for every successful operation.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl Case {
    pub fn is_open(&self) -> bool {
        self.status == CaseStatus::Open
    }

    /// The instances under way, with their positions.
    pub fn active(&self) -> impl Iterator<Item = (usize, &StepInstance)> {
        self.steps.iter().enumerate().filter(|(_, s)| s.is_active())
    }

    /// The position of the instance of `step` under way, if any.
    pub fn active_instance(&self, step: &StepCode) -> Option<usize> {
        self.active().find(|(_, s)| s.step == *step).map(|(i, _)| i)
    }

    /// The latest instance of `step` that completed.
    pub fn completed(&self, step: &StepCode) -> Option<&StepInstance> {
        self.steps
            .iter()
            .rev()
            .find(|s| s.step == *step && s.outcome == Some(StepOutcome::Completed))
    }

    /// How many times `step` has been activated so far.
    pub fn rounds(&self, step: &StepCode) -> u32 {
        self.steps.iter().filter(|s| s.step == *step).count() as u32
    }
}
