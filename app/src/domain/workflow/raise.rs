//! Raising a case from a process with its form.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::activation::advance;
use super::audit::AuditKind;
use super::case::{Case, CaseStatus};
use super::context::Context;
use super::form::FormInput;
use super::form_validate::{parse_department, parse_title, validate_raise};
use super::ids::{Actor, CaseId};
use super::outcome::{Change, Outcome};
use super::refusal::Refusal;

/// What the requester submits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaiseRequest {
    /// The catalog version `ctx.process` comes from.
    pub catalog_version: u32,
    pub title: String,
    pub department: Option<String>,
    pub form: FormInput,
}

/// Raises a case: validates the title, the department and every field (all reasons at once),
/// then activates the first applicable step with its deadline. The new case has version 1 and
/// id [`CaseId::UNSAVED`] until storage assigns one.
pub fn raise(ctx: &Context, by: &Actor, request: &RaiseRequest) -> Result<Outcome, Refusal> {
    let zone = ctx.calendar.settings().time_zone;
    let title = parse_title(&request.title);
    let department = parse_department(request.department.as_deref());
    let values = validate_raise(ctx.process(), &request.form, zone);
    let (title, department, values) = match (title, department, values) {
        (Ok(t), Ok(d), Ok(v)) => (t, d, v),
        (t, d, v) => {
            let mut reasons: Vec<_> = t.err().into_iter().chain(d.err()).collect();
            reasons.extend(v.err().unwrap_or_default());
            return Err(Refusal::unmet(reasons));
        }
    };
    Ok(open_case(
        ctx,
        by,
        request.catalog_version,
        title,
        department,
        values,
    ))
}

/// The new case with its first applicable step activated (the inputs are already valid).
pub(crate) fn open_case(
    ctx: &Context,
    by: &Actor,
    catalog_version: u32,
    title: String,
    department: Option<String>,
    values: super::form::FormValues,
) -> Outcome {
    let case = Case {
        id: CaseId::UNSAVED,
        process: ctx.process().code.clone(),
        catalog_version,
        title,
        requester: by.user_ref(),
        department,
        values,
        status: CaseStatus::Open,
        steps: Vec::new(),
        comments: Vec::new(),
        anomalies: Vec::new(),
        escalations: Vec::new(),
        repeats_done: Vec::new(),
        version: 0,
        created_at: ctx.now,
        updated_at: ctx.now,
        closed_at: None,
    };
    let mut ch = Change::new(case, ctx, by);
    let detail = json!({ "title": ch.case.title, "values": ch.case.values, "department": ch.case.department });
    ch.log(AuditKind::Raised, None, detail);
    advance(&mut ch, 0);
    ch.finish()
}
