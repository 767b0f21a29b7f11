//! Work on a step under way: tick its checklist, record its outputs, sign it off, assign it.

use serde_json::json;

use super::audit::AuditKind;
use super::case::{ApprovalGiven, Case, OutputValue, RecordedOutput, Verdict};
use super::context::Context;
use super::form_parse::check_file;
use super::form_validate::parse_free_text;
use super::guards::step_under_way;
use super::ids::{Actor, UserId};
use super::outcome::{Change, Outcome};
use super::refusal::{reason, Refusal};
use crate::domain::catalog::{OutputCode, RoleCode, StepCode};
use crate::domain::lang::Text;

/// Longest filled-in output form.
pub const OUTPUT_TEXT_MAX: usize = 20_000;
/// Longest comment on an approval.
pub const APPROVAL_COMMENT_MAX: usize = 500;

/// Ticks (or unticks) checklist item `item` (0-based) of the step under way.
pub fn tick_checklist(
    ctx: &Context,
    case: &Case,
    by: &Actor,
    expected_version: i64,
    step: &StepCode,
    item: usize,
    ticked: bool,
) -> Result<Outcome, Refusal> {
    let (def, index) = step_under_way(ctx, case, expected_version, step)?;
    if item >= def.checklist.len() {
        return Err(Refusal::unmet(vec![reason(
            format!("checklist:{}", item + 1),
            "no_such_item",
            Text::new(
                format!("清单没有第{}项。", item + 1),
                format!("The checklist has no item {}.", item + 1),
            ),
        )]));
    }
    let mut ch = Change::new(case.clone(), ctx, by);
    ch.case.steps[index]
        .ticks
        .resize(def.checklist.len(), false);
    ch.case.steps[index].ticks[item] = ticked;
    ch.log(
        AuditKind::ChecklistTicked,
        Some(step),
        json!({ "item": item + 1, "ticked": ticked }),
    );
    Ok(ch.finish())
}

/// Records (or replaces) one of the step's named outputs.
pub fn record_output(
    ctx: &Context,
    case: &Case,
    by: &Actor,
    expected_version: i64,
    step: &StepCode,
    output: &OutputCode,
    value: &OutputValue,
) -> Result<Outcome, Refusal> {
    let (def, index) = step_under_way(ctx, case, expected_version, step)?;
    let mut reasons = Vec::new();
    if !def.outputs.iter().any(|o| o.output == *output) {
        let name = ctx.process.output_name(output);
        reasons.push(reason(
            format!("output:{output}"),
            "not_an_output_of_step",
            Text::new(
                format!("{}不是这一步的输出。", name.zh),
                format!("{} is not an output of this step.", name.en),
            ),
        ));
    }
    let value = match value {
        OutputValue::Form(text) => parse_free_text(
            &format!("output:{output}"),
            text,
            OUTPUT_TEXT_MAX,
            &Text::new("输出内容", "The output"),
        )
        .map(OutputValue::Form),
        OutputValue::File(file) => check_file(file).map(OutputValue::File).map_err(|(zh, en)| {
            reason(
                format!("output:{output}"),
                "invalid_file",
                Text::new(zh, en),
            )
        }),
    };
    let value = value.map_err(|e| reasons.push(e)).ok();
    let Some(value) = value.filter(|_| reasons.is_empty()) else {
        return Err(Refusal::unmet(reasons));
    };
    let mut ch = Change::new(case.clone(), ctx, by);
    let detail = json!({ "output": output, "value": value });
    let recorded = RecordedOutput {
        value,
        by: by.user_ref(),
        at: ctx.now,
    };
    ch.case.steps[index]
        .outputs
        .insert(output.clone(), recorded);
    ch.log(AuditKind::OutputRecorded, Some(step), detail);
    Ok(ch.finish())
}

/// Approves or rejects the step in the name of `role`, which the step's approvals must list
/// and the actor must hold. A rejection needs a comment.
#[allow(clippy::too_many_arguments)]
pub fn approve(
    ctx: &Context,
    case: &Case,
    by: &Actor,
    expected_version: i64,
    step: &StepCode,
    role: &RoleCode,
    verdict: Verdict,
    comment: Option<&str>,
) -> Result<Outcome, Refusal> {
    let (def, index) = step_under_way(ctx, case, expected_version, step)?;
    let mut reasons = Vec::new();
    let name = ctx.process.role_name(role);
    let subject = format!("approval:{role}");
    if !def.approvals.iter().any(|a| a.roles().contains(role)) {
        reasons.push(reason(
            &subject,
            "not_an_approver_of_step",
            Text::new(
                format!("这一步无须{}审批。", name.zh),
                format!("This step needs no approval by {}.", name.en),
            ),
        ));
    }
    if !by.has_role(role) {
        reasons.push(reason(
            &subject,
            "not_your_role",
            Text::new(
                format!("您不是{},不能以其名义审批。", name.zh),
                format!("You are not {}, so you cannot sign as that role.", name.en),
            ),
        ));
    }
    let comment = match comment.map(str::trim).filter(|c| !c.is_empty()) {
        None if verdict == Verdict::Reject => {
            reasons.push(reason(
                "comment",
                "reason_required",
                Text::new("驳回须说明原因。", "A rejection needs a reason."),
            ));
            None
        }
        None => None,
        Some(c) => parse_free_text(
            "comment",
            c,
            APPROVAL_COMMENT_MAX,
            &Text::new("审批意见", "The comment"),
        )
        .map_err(|e| reasons.push(e))
        .ok(),
    };
    Refusal::check(reasons)?;
    let mut ch = Change::new(case.clone(), ctx, by);
    let kind = match verdict {
        Verdict::Approve => AuditKind::Approved,
        Verdict::Reject => AuditKind::Rejected,
    };
    let detail = json!({ "role": role, "comment": comment });
    ch.case.steps[index].approvals.push(ApprovalGiven {
        role: role.clone(),
        by: by.user_ref(),
        at: ctx.now,
        verdict,
        comment,
    });
    ch.log(kind, Some(step), detail);
    Ok(ch.finish())
}

/// Assigns the step under way to a user (or to nobody: back to the owner role's queue).
pub fn reassign(
    ctx: &Context,
    case: &Case,
    by: &Actor,
    expected_version: i64,
    step: &StepCode,
    assignee: Option<UserId>,
) -> Result<Outcome, Refusal> {
    let (_, index) = step_under_way(ctx, case, expected_version, step)?;
    let mut ch = Change::new(case.clone(), ctx, by);
    let before = ch.case.steps[index].assignee;
    ch.case.steps[index].assignee = assignee;
    ch.log(
        AuditKind::Reassigned,
        Some(step),
        json!({ "from": before, "to": assignee }),
    );
    Ok(ch.finish())
}
