//! Completing a step: every completion rule must hold; then the ledger row is written and the
//! next applicable step activated (or the case closes).

use serde_json::json;

use super::activation::{advance, close_if_done, end_instance, is_anomaly_step};
use super::audit::AuditKind;
use super::case::{Case, StepOutcome};
use super::context::Context;
use super::guards::step_under_way;
use super::ids::Actor;
use super::ledger::ledger_row;
use super::outcome::{Change, Outcome};
use super::policies::{completion_reasons, StepCheck};
use super::refusal::Refusal;
use crate::domain::catalog::StepCode;

/// Completes `step` (which must be under way), refused with every unmet reason.
pub fn complete_step(
    ctx: &Context,
    case: &Case,
    by: &Actor,
    expected_version: i64,
    step: &StepCode,
) -> Result<Outcome, Refusal> {
    let (def, index) = step_under_way(ctx, case, expected_version, step)?;
    let check = StepCheck {
        process: ctx.process,
        case,
        step: def,
        instance: &case.steps[index],
    };
    Refusal::check(completion_reasons(&check))?;
    let mut ch = Change::new(case.clone(), ctx, by);
    end_instance(&mut ch, index, StepOutcome::Completed);
    let row = ledger_row(ctx, &ch.case, def, &by.user_ref(), ctx.now);
    let detail = json!({ "round": ch.case.steps[index].round, "ledger": row.as_ref().map(|r| r.ledger.as_str()) });
    ch.ledger.extend(row);
    ch.log(AuditKind::StepCompleted, Some(step), detail);
    if is_anomaly_step(def) {
        close_if_done(&mut ch);
    } else {
        let next = ctx
            .process()
            .step_number(step.as_str())
            .unwrap_or(usize::MAX);
        advance(&mut ch, next);
    }
    Ok(ch.finish())
}
