//! What a successful operation produces, and the working copy an operation changes.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::audit::{AuditEntry, AuditKind};
use super::case::{Case, EscalationRecord};
use super::context::Context;
use super::ids::Actor;
use super::ledger::LedgerRow;
use crate::domain::catalog::StepCode;

/// A successful operation: the new case, with what storage must append alongside it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub case: Case,
    /// New audit entries, in order.
    pub audit: Vec<AuditEntry>,
    /// Ledger rows written by completed steps.
    pub ledger: Vec<LedgerRow>,
    /// Escalations recorded by this operation.
    pub escalations: Vec<EscalationRecord>,
}

/// A copy of the case being changed by one operation; [`Change::finish`] stamps the new
/// version. A refused operation drops it, so nothing half-applies.
pub(crate) struct Change<'a> {
    pub case: Case,
    pub ctx: &'a Context<'a>,
    pub actor: &'a Actor,
    audit: Vec<AuditEntry>,
    pub ledger: Vec<LedgerRow>,
    pub escalations: Vec<EscalationRecord>,
}

impl<'a> Change<'a> {
    pub fn new(case: Case, ctx: &'a Context<'a>, actor: &'a Actor) -> Change<'a> {
        Change {
            case,
            ctx,
            actor,
            audit: Vec::new(),
            ledger: Vec::new(),
            escalations: Vec::new(),
        }
    }

    /// Appends an audit entry.
    pub fn log(&mut self, kind: AuditKind, step: Option<&StepCode>, detail: Value) {
        self.audit.push(AuditEntry {
            kind,
            actor: self.actor.user_ref(),
            at: self.ctx.now,
            step: step.cloned(),
            detail,
            version: 0,
        });
    }

    pub fn finish(mut self) -> Outcome {
        self.case.version += 1;
        self.case.updated_at = self.ctx.now;
        for entry in &mut self.audit {
            entry.version = self.case.version;
        }
        Outcome {
            case: self.case,
            audit: self.audit,
            ledger: self.ledger,
            escalations: self.escalations,
        }
    }
}
