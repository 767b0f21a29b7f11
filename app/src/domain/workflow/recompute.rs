//! Deadlines follow the calendar: when the administrator changes it (a year's holiday
//! arrangement entered, an extra day off, new working hours), the steps under way get their
//! deadlines counted again from the same anchors.

use serde_json::json;

use super::activation::{due_for, Activation};
use super::audit::AuditKind;
use super::case::Case;
use super::context::Context;
use super::ids::Actor;
use super::outcome::{Change, Outcome};

/// Counts the deadlines of the steps under way again on `ctx.calendar`; `None` when the case
/// is not open or no deadline moved. Each moved deadline is audited as a recomputed
/// activation with the old and the new instant.
pub fn recompute_deadlines(ctx: &Context, case: &Case, by: &Actor) -> Option<Outcome> {
    if !case.is_open() {
        return None;
    }
    let mut change = Change::new(case.clone(), ctx, by);
    let mut moved = false;
    for i in 0..change.case.steps.len() {
        let instance = &change.case.steps[i];
        if !instance.is_active() {
            continue;
        }
        let Some(step) = ctx.process().step(instance.step.as_str()) else {
            continue;
        };
        let due = due_for(ctx, &change.case, step, Activation::of(instance));
        if due == instance.due {
            continue;
        }
        let (code, before) = (instance.step.clone(), instance.due);
        change.case.steps[i].due = due;
        let detail = json!({
            "recomputed": true,
            "reason": "calendar",
            "due_before": before.map(|d| d.at.to_rfc3339()),
            "due": due.map(|d| d.at.to_rfc3339()),
            "provisional": due.is_some_and(|d| d.provisional),
        });
        change.log(AuditKind::StepActivated, Some(&code), detail);
        moved = true;
    }
    moved.then(|| change.finish())
}
