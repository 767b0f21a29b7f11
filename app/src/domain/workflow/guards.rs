//! Checks every operation makes first: the caller saw the current version, the process is the
//! case's, the case is open, the step named is under way.

use super::case::{Case, CaseStatus};
use super::context::Context;
use super::refusal::{reason, Refusal};
use crate::domain::catalog::{Step, StepCode};
use crate::domain::lang::Text;

/// Refuses a stale version (a conflict carrying the current one) or a case of another process.
pub fn fresh(ctx: &Context, case: &Case, expected_version: i64) -> Result<(), Refusal> {
    if case.version != expected_version {
        return Err(Refusal::conflict(
            case.version,
            reason(
                "version",
                "stale_version",
                Text::new(
                    format!("案件已被他人修改(当前版本 {},您看到的是 {expected_version}),请刷新后重试。", case.version),
                    format!("The case changed (now version {}, you saw {expected_version}); reload and try again.", case.version),
                ),
            ),
        ));
    }
    if case.process != ctx.process().code {
        return Err(Refusal::unmet(vec![reason(
            "process",
            "wrong_process",
            Text::new("流程与案件不符。", "The process does not match the case."),
        )]));
    }
    Ok(())
}

/// [`fresh`], and the case is still open.
pub fn open(ctx: &Context, case: &Case, expected_version: i64) -> Result<(), Refusal> {
    fresh(ctx, case, expected_version)?;
    let (code, zh, en) = match case.status {
        CaseStatus::Open => return Ok(()),
        CaseStatus::Closed => ("case_closed", "案件已办结。", "The case is closed."),
        CaseStatus::Cancelled => ("case_cancelled", "案件已撤销。", "The case is cancelled."),
    };
    Err(Refusal::unmet(vec![reason(
        "case",
        code,
        Text::new(zh, en),
    )]))
}

/// [`open`], and `step` is under way: its catalog definition and its instance's position.
/// A step not under way is a conflict (the caller's view of the case is out of date).
pub fn step_under_way<'a>(
    ctx: &Context<'a>,
    case: &Case,
    expected_version: i64,
    step: &StepCode,
) -> Result<(&'a Step, usize), Refusal> {
    open(ctx, case, expected_version)?;
    let Some(def) = ctx.process().step(step.as_str()) else {
        return Err(Refusal::unmet(vec![reason(
            format!("step:{step}"),
            "unknown_step",
            Text::new(
                format!("流程没有“{step}”这一步。"),
                format!("The process has no step \"{step}\"."),
            ),
        )]));
    };
    match case.active_instance(step) {
        Some(i) => Ok((def, i)),
        None => Err(Refusal::conflict(
            case.version,
            reason(
                format!("step:{step}"),
                "wrong_step",
                Text::new(
                    format!("“{}”当前不在办理中。", def.name.zh),
                    format!("\"{}\" is not under way.", def.name.en),
                ),
            ),
        )),
    }
}
