//! Why an operation was refused: every unmet reason at once, each with a stable code and a
//! message in both languages.

use serde::{Deserialize, Serialize};

use crate::domain::lang::Text;
use crate::error::{AppError, FieldError};

/// What kind of refusal: the input or the case's state is not acceptable, or the caller's view
/// of the case is stale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RefusalKind {
    /// One or more rules are not met; the reasons say which.
    Unmet,
    /// Someone changed the case first (or the step is no longer the one the caller saw).
    Conflict { current_version: i64 },
}

/// A refused operation. The case is unchanged: the caller keeps the one it had.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub kind: RefusalKind,
    /// Every unmet reason. `field` names the subject: a form field code, `title`,
    /// `checklist:2`, `output:meeting_minutes`, `approval:director`, `step:review`, `case` …
    pub reasons: Vec<FieldError>,
}

impl Refusal {
    pub fn unmet(reasons: Vec<FieldError>) -> Refusal {
        Refusal {
            kind: RefusalKind::Unmet,
            reasons,
        }
    }

    pub fn conflict(current_version: i64, reason: FieldError) -> Refusal {
        Refusal {
            kind: RefusalKind::Conflict { current_version },
            reasons: vec![reason],
        }
    }

    /// `Ok(())` when there is no reason, else the refusal listing them all.
    pub fn check(reasons: Vec<FieldError>) -> Result<(), Refusal> {
        if reasons.is_empty() {
            Ok(())
        } else {
            Err(Refusal::unmet(reasons))
        }
    }

    /// The stable codes of the reasons, in order (handy for tests and logs).
    pub fn codes(&self) -> Vec<&str> {
        self.reasons.iter().map(|r| r.code.as_str()).collect()
    }

    pub fn is_conflict(&self) -> bool {
        matches!(self.kind, RefusalKind::Conflict { .. })
    }
}

/// One reason with its subject, code and message.
pub fn reason(subject: impl Into<String>, code: &str, message: Text) -> FieldError {
    FieldError {
        field: subject.into(),
        code: code.into(),
        message,
    }
}

impl From<Refusal> for AppError {
    fn from(refusal: Refusal) -> AppError {
        match refusal.kind {
            RefusalKind::Conflict { current_version } => AppError::Conflict {
                message: format!("the case is at version {current_version}"),
                current_version: Some(current_version),
            },
            RefusalKind::Unmet => AppError::Invalid {
                fields: refusal.reasons,
            },
        }
    }
}
