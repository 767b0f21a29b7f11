//! Every operation on an existing case as one value, for callers that take them from the wire.

use serde::{Deserialize, Serialize};

use super::case::{Case, OutputValue, Verdict};
use super::case_work::{cancel, close, comment, flag_anomaly, record_fields};
use super::complete::complete_step;
use super::context::Context;
use super::escalation::record_escalations;
use super::form::FormInput;
use super::ids::{Actor, UserId};
use super::outcome::Outcome;
use super::refusal::Refusal;
use super::repeats::record_repeat;
use super::return_to::return_to;
use super::step_work::{approve, reassign, record_output, tick_checklist};
use crate::domain::catalog::{OutputCode, RoleCode, StepCode};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Command {
    CompleteStep {
        step: StepCode,
    },
    ReturnTo {
        step: StepCode,
        reason: String,
    },
    Reassign {
        step: StepCode,
        assignee: Option<UserId>,
    },
    Comment {
        step: Option<StepCode>,
        text: String,
    },
    TickChecklist {
        step: StepCode,
        item: usize,
        ticked: bool,
    },
    RecordOutput {
        step: StepCode,
        output: OutputCode,
        value: OutputValue,
    },
    Approve {
        step: StepCode,
        role: RoleCode,
        verdict: Verdict,
        comment: Option<String>,
    },
    RecordFields {
        values: FormInput,
    },
    FlagAnomaly {
        reason: String,
    },
    RecordEscalations,
    /// One repetition of an in-case repeat done (see [`super::repeats::repeats_outstanding`]).
    RecordRepeat {
        key: String,
        note: String,
    },
    Cancel {
        reason: String,
    },
    Close {
        reason: String,
    },
}

/// Runs `command` on `case` as `by`, who saw version `expected_version`.
pub fn apply(
    ctx: &Context,
    case: &Case,
    by: &Actor,
    expected_version: i64,
    command: &Command,
) -> Result<Outcome, Refusal> {
    let v = expected_version;
    match command {
        Command::CompleteStep { step } => complete_step(ctx, case, by, v, step),
        Command::ReturnTo { step, reason } => return_to(ctx, case, by, v, step, reason),
        Command::Reassign { step, assignee } => reassign(ctx, case, by, v, step, *assignee),
        Command::Comment { step, text } => comment(ctx, case, by, v, step.as_ref(), text),
        Command::TickChecklist { step, item, ticked } => {
            tick_checklist(ctx, case, by, v, step, *item, *ticked)
        }
        Command::RecordOutput {
            step,
            output,
            value,
        } => record_output(ctx, case, by, v, step, output, value),
        Command::Approve {
            step,
            role,
            verdict,
            comment,
        } => approve(ctx, case, by, v, step, role, *verdict, comment.as_deref()),
        Command::RecordFields { values } => record_fields(ctx, case, by, v, values),
        Command::FlagAnomaly { reason } => flag_anomaly(ctx, case, by, v, reason),
        Command::RecordEscalations => record_escalations(ctx, case, by, v),
        Command::RecordRepeat { key, note } => record_repeat(ctx, case, by, v, key, note),
        Command::Cancel { reason } => cancel(ctx, case, by, v, reason),
        Command::Close { reason } => close(ctx, case, by, v, reason),
    }
}
