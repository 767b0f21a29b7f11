//! The workflow engine, pure: cases walking the steps of a catalog process.
//!
//! A case is raised from a process with its form ([`raise`]); operations on it
//! ([`complete_step`], [`return_to`], [`tick_checklist`], [`record_output`], [`approve`],
//! [`reassign`], [`comment`], [`record_fields`], [`flag_anomaly`], [`record_escalations`],
//! [`cancel`], [`close`], or [`apply`] with a [`Command`]) take the case as the caller saw it
//! and the version it saw, and return either an [`Outcome`] (the new case, its audit entries,
//! ledger rows and escalations) or a [`Refusal`] listing every unmet reason. The instant and
//! the calendar come in a [`Context`]; nothing here reads the clock or touches storage.
//!
//! Deadlines come from the calendar engine when a step is activated ([`activation`]); the
//! completion rules are named values in [`policies::COMPLETION_POLICIES`]. Escalations and
//! in-case repeats are computed on demand ([`escalations_due`], [`repeats_due`]) with stable
//! keys, so storage can record each once.

pub mod activation;
pub mod agenda;
pub mod audit;
pub mod board;
pub mod board_filter;
pub mod case;
mod case_work;
pub mod command;
mod complete;
pub mod conditions;
pub mod context;
pub mod dashboard;
pub mod detail;
pub mod escalation;
pub mod form;
pub mod form_parse;
pub mod form_validate;
mod guards;
pub mod ics_feed;
pub mod ids;
pub mod inbox;
pub mod ledger;
pub mod ledger_manual;
pub mod ledger_view;
pub mod obligations;
pub mod outcome;
pub mod overview;
pub mod policies;
mod raise;
pub mod raise_form;
pub mod recompute;
pub mod refusal;
pub mod repeats;
pub mod reports;
mod return_to;
pub mod samples;
pub mod step_facts;
mod step_work;
pub mod upload;
pub mod views;
pub mod wip;

#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod tests_dashboard;
#[cfg(test)]
mod tests_deadlines;
#[cfg(test)]
mod tests_duties;
#[cfg(test)]
mod tests_form;
#[cfg(test)]
mod tests_operations;
#[cfg(test)]
mod tests_refusals;
#[cfg(test)]
mod tests_walk;

pub use audit::{AuditEntry, AuditKind};
pub use case::{
    Anomaly, ApprovalGiven, Case, CaseStatus, Comment, EscalationRecord, OutputValue,
    RecordedOutput, RepeatDone, StepInstance, StepOutcome, Verdict,
};
pub use case_work::{cancel, close, comment, flag_anomaly, record_fields, COMMENT_MAX};
pub use command::{apply, Command};
pub use complete::complete_step;
pub use context::{Context, ProcessRef};
pub use escalation::{escalations_due, next_escalation_at, record_escalations, EscalationDue};
pub use form::{FieldValue, FileRef, FormInput, FormValues, RawValue};
pub use ids::{Actor, CaseId, UserId, UserRef};
pub use inbox::{inbox, InboxItem, InboxKind};
pub use ledger::{LedgerCell, LedgerRow};
pub use obligations::{obligations_due, ObligationDue};
pub use outcome::Outcome;
pub use raise::{raise, RaiseRequest};
pub use recompute::recompute_deadlines;
pub use refusal::{Refusal, RefusalKind};
pub use repeats::{record_repeat, repeats_due, repeats_outstanding, RepeatItem};
pub use return_to::{return_to, REASON_MAX};
pub use step_work::{approve, reassign, record_output, tick_checklist};
pub use upload::check_upload;
pub use views::{current_instance, CaseSummary, CaseView, StepView};
