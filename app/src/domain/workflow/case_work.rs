//! Work on the case as a whole: comments, recorded fields, anomalies, cancelling and closing.

use serde_json::json;

use super::activation::{current_step, end_instance, raise_anomaly_steps, reconsider};
use super::audit::AuditKind;
use super::case::{Anomaly, Case, CaseStatus, Comment, StepOutcome};
use super::context::Context;
use super::form::FormInput;
use super::form_validate::{parse_free_text, validate_record};
use super::guards::open;
use super::ids::Actor;
use super::outcome::{Change, Outcome};
use super::refusal::{reason, Refusal};
use super::return_to::REASON_MAX;
use crate::domain::catalog::StepCode;
use crate::domain::lang::Text;

/// Longest comment.
pub const COMMENT_MAX: usize = 2000;

/// Adds a comment (1–2000 characters), on the case or on one of its steps.
pub fn comment(
    ctx: &Context,
    case: &Case,
    by: &Actor,
    expected_version: i64,
    step: Option<&StepCode>,
    text: &str,
) -> Result<Outcome, Refusal> {
    super::guards::fresh(ctx, case, expected_version)?;
    let mut reasons = Vec::new();
    if let Some(code) = step.filter(|s| ctx.process().step(s.as_str()).is_none()) {
        reasons.push(reason(
            format!("step:{code}"),
            "unknown_step",
            Text::new("没有这一步。", "No such step."),
        ));
    }
    let text = parse_free_text(
        "comment",
        text,
        COMMENT_MAX,
        &Text::new("意见", "The comment"),
    )
    .map_err(|e| reasons.push(e))
    .ok();
    let Some(text) = text.filter(|_| reasons.is_empty()) else {
        return Err(Refusal::unmet(reasons));
    };
    let mut ch = Change::new(case.clone(), ctx, by);
    ch.log(AuditKind::Commented, step, json!({ "text": text }));
    ch.case.comments.push(Comment {
        by: by.user_ref(),
        at: ctx.now,
        step: step.cloned(),
        text,
    });
    Ok(ch.finish())
}

/// Records fields during the case (the quote, the goods' arrival …). Deadlines anchored on
/// them are computed, and steps whose condition now fails are skipped.
pub fn record_fields(
    ctx: &Context,
    case: &Case,
    by: &Actor,
    expected_version: i64,
    input: &FormInput,
) -> Result<Outcome, Refusal> {
    open(ctx, case, expected_version)?;
    let zone = ctx.calendar.settings().time_zone;
    let (values, changed) =
        validate_record(ctx.process(), &case.values, input, zone).map_err(Refusal::unmet)?;
    let mut ch = Change::new(case.clone(), ctx, by);
    let shown: serde_json::Map<_, _> = changed
        .iter()
        .map(|c| (c.to_string(), json!(values.get(c))))
        .collect();
    ch.case.values = values;
    ch.log(AuditKind::FieldsRecorded, None, json!({ "values": shown }));
    reconsider(&mut ch, &changed);
    Ok(ch.finish())
}

/// Flags an anomaly: activates the steps anchored on anomalies and starts the clock of the
/// escalations of the step under way.
pub fn flag_anomaly(
    ctx: &Context,
    case: &Case,
    by: &Actor,
    expected_version: i64,
    why: &str,
) -> Result<Outcome, Refusal> {
    open(ctx, case, expected_version)?;
    let why = parse_free_text(
        "reason",
        why,
        REASON_MAX,
        &Text::new("异常情况", "The anomaly"),
    )
    .map_err(|e| Refusal::unmet(vec![e]))?;
    let mut ch = Change::new(case.clone(), ctx, by);
    let number = ch.case.anomalies.len() as u32 + 1;
    let step = current_step(&ch.case, ctx.process()).map(|i| ch.case.steps[i].step.clone());
    ch.log(
        AuditKind::AnomalyFlagged,
        step.as_ref(),
        json!({ "number": number, "reason": why }),
    );
    ch.case.anomalies.push(Anomaly {
        number,
        step,
        reason: why,
        by: by.user_ref(),
        at: ctx.now,
    });
    raise_anomaly_steps(&mut ch, number);
    Ok(ch.finish())
}

/// Cancels the case (the request is withdrawn), with a reason.
pub fn cancel(
    ctx: &Context,
    case: &Case,
    by: &Actor,
    expected_version: i64,
    why: &str,
) -> Result<Outcome, Refusal> {
    end_case(ctx, case, by, expected_version, why, CaseStatus::Cancelled)
}

/// Closes the case before its last step (the matter is settled), with a reason. A case
/// whose last step completes closes by itself.
pub fn close(
    ctx: &Context,
    case: &Case,
    by: &Actor,
    expected_version: i64,
    why: &str,
) -> Result<Outcome, Refusal> {
    end_case(ctx, case, by, expected_version, why, CaseStatus::Closed)
}

fn end_case(
    ctx: &Context,
    case: &Case,
    by: &Actor,
    expected_version: i64,
    why: &str,
    status: CaseStatus,
) -> Result<Outcome, Refusal> {
    open(ctx, case, expected_version)?;
    let why = parse_free_text("reason", why, REASON_MAX, &Text::new("原因", "The reason"))
        .map_err(|e| Refusal::unmet(vec![e]))?;
    let mut ch = Change::new(case.clone(), ctx, by);
    let active: Vec<usize> = ch.case.active().map(|(i, _)| i).collect();
    for i in active {
        end_instance(&mut ch, i, StepOutcome::Cancelled);
    }
    ch.case.status = status;
    ch.case.closed_at = Some(ctx.now);
    let kind = if status == CaseStatus::Cancelled {
        AuditKind::Cancelled
    } else {
        AuditKind::Closed
    };
    ch.log(kind, None, json!({ "reason": why, "automatic": false }));
    Ok(ch.finish())
}
