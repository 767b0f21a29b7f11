//! Returning a case to an earlier completed step, with a reason.
//!
//! The step under way ends as returned; the earlier step gets a new instance with a fresh
//! deadline (counted from the return). Steps in between are not touched: their completed
//! instances stay as history, and each gets a new, empty instance (no ticks, no outputs, no
//! approvals) when the case reaches it again.

use serde_json::json;

use super::activation::{activate, current_step, end_instance, is_anomaly_step};
use super::audit::AuditKind;
use super::case::{Case, StepOutcome};
use super::context::Context;
use super::form_validate::parse_free_text;
use super::guards::open;
use super::ids::Actor;
use super::outcome::{Change, Outcome};
use super::refusal::{reason, Refusal};
use crate::domain::catalog::StepCode;
use crate::domain::lang::Text;

/// Longest reason for a return, a cancellation, an early close or an anomaly.
pub const REASON_MAX: usize = 500;

/// Sends the case back to `to`, an earlier step that has completed.
pub fn return_to(
    ctx: &Context,
    case: &Case,
    by: &Actor,
    expected_version: i64,
    to: &StepCode,
    why: &str,
) -> Result<Outcome, Refusal> {
    open(ctx, case, expected_version)?;
    let process = ctx.process();
    let current = current_step(case, process);
    let mut reasons = Vec::new();
    let why = parse_free_text(
        "reason",
        why,
        REASON_MAX,
        &Text::new("退回原因", "The reason for returning"),
    )
    .map_err(|e| reasons.push(e))
    .ok();
    let target = process.step(to.as_str()).filter(|s| !is_anomaly_step(s));
    let position = |code: &StepCode| process.step_number(code.as_str()).unwrap_or(0);
    let earlier = match (current, target) {
        (Some(i), Some(_)) => position(to) < position(&case.steps[i].step),
        (None, Some(_)) => true,
        _ => false,
    };
    if target.is_none() || !earlier || case.completed(to).is_none() {
        reasons.push(reason(
            format!("step:{to}"),
            "not_an_earlier_step",
            Text::new(
                "只能退回到之前已办结的步骤。",
                "A case can only return to an earlier step that has completed.",
            ),
        ));
    }
    let (Some(target), Some(why)) = (target.filter(|_| reasons.is_empty()), why) else {
        return Err(Refusal::unmet(reasons));
    };
    let mut ch = Change::new(case.clone(), ctx, by);
    let from = current.map(|i| ch.case.steps[i].step.clone());
    if let Some(i) = current {
        end_instance(
            &mut ch,
            i,
            StepOutcome::Returned {
                reason: why.clone(),
            },
        );
    }
    ch.log(
        AuditKind::StepReturned,
        from.as_ref(),
        json!({ "to": to, "reason": why }),
    );
    activate(&mut ch, target, None);
    Ok(ch.finish())
}
