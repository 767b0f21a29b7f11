//! Which step comes next and when it is due.
//!
//! Steps run in catalog order. A step whose `when` fails is recorded as skipped; one whose
//! `when` reads a field not yet recorded is activated and skipped later if the field, once
//! recorded, makes it fail. Steps anchored on anomalies are not in that order: each flagged
//! anomaly activates them. When nothing is left under way, the case closes by itself.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::audit::AuditKind;
use super::case::{Case, CaseStatus, StepInstance, StepOutcome};
use super::conditions::{evaluate, Decision};
use super::context::Context;
use super::form::{instant_text, FieldValue};
use super::outcome::Change;
use crate::domain::calendar::Due;
use crate::domain::catalog::{Anchor, Process, Step};

/// Steps raised by anomalies rather than reached in order.
pub fn is_anomaly_step(step: &Step) -> bool {
    step.anchor == Anchor::AnomalyFlagged
}

/// The position of the in-order step under way (not one raised by an anomaly).
pub fn current_step(case: &Case, process: &Process) -> Option<usize> {
    case.active()
        .find(|(_, s)| {
            s.anomaly.is_none()
                && process
                    .step(s.step.as_str())
                    .is_some_and(|d| !is_anomaly_step(d))
        })
        .map(|(i, _)| i)
}

/// Which activation of a step a deadline is computed for.
#[derive(Clone, Copy, Debug)]
pub struct Activation {
    pub at: DateTime<Utc>,
    /// 1 for the first activation; a later round follows a return.
    pub round: u32,
    /// The anomaly that raised it, for steps anchored on anomalies.
    pub anomaly: Option<u32>,
}

impl Activation {
    pub fn of(instance: &StepInstance) -> Activation {
        Activation {
            at: instance.activated_at,
            round: instance.round,
            anomaly: instance.anomaly,
        }
    }
}

/// The instant a step's deadline counts from, if known. The activation instant stands for
/// the previous step's completion (activation happens at that completion, or at a return);
/// a step anchored on the case's creation counts from its activation after a return (a fresh
/// deadline). Date fields count from the opening of working hours on that date.
pub fn anchor_instant(
    ctx: &Context,
    case: &Case,
    step: &Step,
    act: Activation,
) -> Option<DateTime<Utc>> {
    let activated_at = act.at;
    match &step.anchor {
        Anchor::CaseCreated if act.round > 1 => Some(activated_at),
        Anchor::CaseCreated => Some(case.created_at),
        Anchor::PreviousStep => Some(activated_at),
        Anchor::Field(code) => match case.values.get(code)? {
            FieldValue::DateTime(t) => Some(*t),
            FieldValue::Date(d) => Some(ctx.calendar.opening_of(*d)),
            _ => None,
        },
        Anchor::Step(code) => Some(
            case.completed(code)
                .and_then(|s| s.completed_at)
                .unwrap_or(activated_at),
        ),
        Anchor::AnomalyFlagged => {
            let n = act.anomaly?;
            case.anomalies.iter().find(|a| a.number == n).map(|a| a.at)
        }
    }
}

/// When an activation of `step` is due (`None` without a rule or before its anchor field is
/// recorded).
pub fn due_for(ctx: &Context, case: &Case, step: &Step, act: Activation) -> Option<Due> {
    let rule = step.deadline.as_ref()?;
    let anchor = anchor_instant(ctx, case, step, act)?;
    Some(ctx.calendar.due(rule, anchor))
}

fn due_detail(due: Option<&Due>, ctx: &Context) -> serde_json::Value {
    let zone = ctx.calendar.settings().time_zone;
    match due {
        Some(d) => json!({ "due_at": instant_text(d.at, zone), "provisional": d.provisional }),
        None => json!({ "due_at": null }),
    }
}

/// Activates a new instance of `step`.
pub(crate) fn activate(ch: &mut Change, step: &Step, anomaly: Option<u32>) {
    let now = ch.ctx.now;
    let mut instance = StepInstance {
        step: step.code.clone(),
        round: ch.case.rounds(&step.code) + 1,
        owner: step.owner.clone(),
        assignee: None,
        activated_at: now,
        due: None,
        completed_at: None,
        completed_by: None,
        outcome: None,
        ticks: vec![false; step.checklist.len()],
        outputs: BTreeMap::new(),
        approvals: Vec::new(),
        anomaly,
    };
    instance.due = due_for(ch.ctx, &ch.case, step, Activation::of(&instance));
    let detail = due_detail(instance.due.as_ref(), ch.ctx);
    ch.case.steps.push(instance);
    ch.log(AuditKind::StepActivated, Some(&step.code), detail);
}

/// Records `step` as skipped (its condition does not hold).
fn skip(ch: &mut Change, step: &Step, anomaly: Option<u32>) {
    let now = ch.ctx.now;
    ch.case.steps.push(StepInstance {
        step: step.code.clone(),
        round: ch.case.rounds(&step.code) + 1,
        owner: step.owner.clone(),
        assignee: None,
        activated_at: now,
        due: None,
        completed_at: Some(now),
        completed_by: None,
        outcome: Some(StepOutcome::Skipped),
        ticks: Vec::new(),
        outputs: BTreeMap::new(),
        approvals: Vec::new(),
        anomaly,
    });
    ch.log(
        AuditKind::Skipped,
        Some(&step.code),
        json!({ "reason": "condition_not_met" }),
    );
}

/// Activates the first applicable in-order step at or after catalog position `from`,
/// skipping those whose condition fails; closes the case when none is left.
pub(crate) fn advance(ch: &mut Change, from: usize) {
    let process = ch.ctx.process();
    for step in process
        .steps
        .iter()
        .skip(from)
        .filter(|s| !is_anomaly_step(s))
    {
        match evaluate(step.when.as_ref(), process, &ch.case.values) {
            Decision::Fails => skip(ch, step, None),
            Decision::Holds | Decision::Unknown(_) => return activate(ch, step, None),
        }
    }
    close_if_done(ch);
}

/// Activates the anomaly-anchored steps for anomaly number `n`.
pub(crate) fn raise_anomaly_steps(ch: &mut Change, n: u32) {
    let process = ch.ctx.process();
    for step in process.steps.iter().filter(|s| is_anomaly_step(s)) {
        match evaluate(step.when.as_ref(), process, &ch.case.values) {
            Decision::Fails => skip(ch, step, Some(n)),
            _ => activate(ch, step, Some(n)),
        }
    }
}

/// Closes the case when no step is under way any more.
pub(crate) fn close_if_done(ch: &mut Change) {
    if ch.case.active().next().is_none() && ch.case.is_open() {
        ch.case.status = CaseStatus::Closed;
        ch.case.closed_at = Some(ch.ctx.now);
        ch.log(AuditKind::Closed, None, json!({ "automatic": true }));
    }
}

/// Ends the instance at `index` with `outcome`, stamped now by the actor.
pub(crate) fn end_instance(ch: &mut Change, index: usize, outcome: StepOutcome) {
    let by = ch.actor.user_ref();
    let instance = &mut ch.case.steps[index];
    instance.outcome = Some(outcome);
    instance.completed_at = Some(ch.ctx.now);
    instance.completed_by = Some(by);
}

/// After fields change: recomputes the due of instances anchored on them, and skips the
/// instances whose condition now fails (moving on from them).
pub(crate) fn reconsider(ch: &mut Change, changed: &[crate::domain::catalog::FieldCode]) {
    let process = ch.ctx.process();
    let active: Vec<usize> = ch.case.active().map(|(i, _)| i).collect();
    for i in active {
        let Some(step) = process.step(ch.case.steps[i].step.as_str()) else {
            continue;
        };
        if matches!(&step.anchor, Anchor::Field(f) if changed.contains(f)) {
            let due = due_for(ch.ctx, &ch.case, step, Activation::of(&ch.case.steps[i]));
            if due != ch.case.steps[i].due {
                ch.case.steps[i].due = due;
                let mut detail = due_detail(due.as_ref(), ch.ctx);
                detail["recomputed"] = json!(true);
                ch.log(AuditKind::StepActivated, Some(&step.code), detail);
            }
        }
        if evaluate(step.when.as_ref(), process, &ch.case.values) == Decision::Fails {
            end_instance(ch, i, StepOutcome::Skipped);
            ch.case.steps[i].completed_by = None;
            ch.log(
                AuditKind::Skipped,
                Some(&step.code),
                json!({ "reason": "condition_not_met" }),
            );
            if is_anomaly_step(step) {
                close_if_done(ch);
            } else {
                let at = process
                    .step_number(step.code.as_str())
                    .unwrap_or(process.steps.len());
                advance(ch, at);
            }
        }
    }
}
