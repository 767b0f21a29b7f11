//! The rules a step must meet before it counts as done, as named values in one list. Each
//! returns the reasons it refuses; completing a step runs them all and reports every reason.

use std::collections::BTreeSet;

use super::activation::is_anomaly_step;
use super::case::{Case, StepInstance, Verdict};
use super::conditions::{evaluate, words};
use super::context::ProcessRef;
use super::form_validate::later_filler;
use super::refusal::reason;
use crate::domain::catalog::{Anchor, Approval, FieldCode, RoleCode, Step, ValueSource};
use crate::domain::lang::Text;
use crate::error::FieldError;

/// What a completion rule looks at.
pub struct StepCheck<'a> {
    pub process: ProcessRef<'a>,
    pub case: &'a Case,
    pub step: &'a Step,
    pub instance: &'a StepInstance,
}

/// A named completion rule.
pub struct Policy {
    pub name: &'static str,
    pub check: fn(&StepCheck) -> Vec<FieldError>,
}

/// Every completion rule, in the order their reasons are listed.
pub const COMPLETION_POLICIES: &[Policy] = &[
    Policy {
        name: "fields_recorded",
        check: fields_recorded,
    },
    Policy {
        name: "checklist_ticked",
        check: checklist_ticked,
    },
    Policy {
        name: "outputs_recorded",
        check: outputs_recorded,
    },
    Policy {
        name: "approvals_given",
        check: approvals_given,
    },
    Policy {
        name: "dual_sign_off_complete",
        check: dual_sign_off_complete,
    },
    Policy {
        name: "conditional_approvals_given",
        check: conditional_approvals_given,
    },
];

/// The reasons, from every rule, why the step cannot complete yet.
pub fn completion_reasons(check: &StepCheck) -> Vec<FieldError> {
    COMPLETION_POLICIES
        .iter()
        .flat_map(|p| (p.check)(check))
        .collect()
}

fn checklist_ticked(c: &StepCheck) -> Vec<FieldError> {
    c.step
        .checklist
        .iter()
        .enumerate()
        .filter(|(i, _)| !c.instance.ticks.get(*i).copied().unwrap_or(false))
        .map(|(i, item)| {
            let n = i + 1;
            reason(
                format!("checklist:{n}"),
                "checklist_unticked",
                Text::new(
                    format!("清单第{n}项“{}”未勾选。", item.zh),
                    format!("Checklist item {n} ({}) is not ticked.", item.en),
                ),
            )
        })
        .collect()
}

fn outputs_recorded(c: &StepCheck) -> Vec<FieldError> {
    let mut out = Vec::new();
    for o in &c.step.outputs {
        if c.instance.outputs.contains_key(&o.output) {
            continue;
        }
        let name = c.process.output_name(&o.output);
        let subject = format!("output:{}", o.output);
        match &o.when {
            None => out.push(reason(
                subject,
                "output_missing",
                Text::new(
                    format!("缺少输出{}。", name.zh),
                    format!("Output {} is missing.", name.en),
                ),
            )),
            Some(cond) => {
                if evaluate(Some(cond), c.process.process, &c.case.values).holds() {
                    let why = words(cond, c.process.process);
                    out.push(reason(
                        subject,
                        "conditional_output_missing",
                        Text::new(
                            format!("因{},须记录{}。", why.zh, name.zh),
                            format!("{} needed because {}.", name.en, why.en),
                        ),
                    ));
                }
            }
        }
    }
    out
}

fn role_verdict_reason(
    c: &StepCheck,
    role: &RoleCode,
    code: &str,
    missing: Text,
) -> Option<FieldError> {
    let name = c.process.role_name(role);
    let subject = format!("approval:{role}");
    match c.instance.verdict_of(role) {
        Some(Verdict::Approve) => None,
        Some(Verdict::Reject) => Some(reason(
            subject,
            "approval_rejected",
            Text::new(
                format!("{}已驳回。", name.zh),
                format!("{} rejected it.", name.en),
            ),
        )),
        None => Some(reason(subject, code, missing)),
    }
}

fn approvals_given(c: &StepCheck) -> Vec<FieldError> {
    c.step
        .approvals
        .iter()
        .filter_map(|a| match a {
            Approval::Single(role) => {
                let name = c.process.role_name(role);
                let msg = Text::new(
                    format!("缺少{}的审批。", name.zh),
                    format!("Approval by {} is missing.", name.en),
                );
                role_verdict_reason(c, role, "approval_missing", msg)
            }
            _ => None,
        })
        .collect()
}

fn dual_sign_off_complete(c: &StepCheck) -> Vec<FieldError> {
    let mut out = Vec::new();
    for roles in c.step.approvals.iter().filter_map(|a| match a {
        Approval::All(roles) => Some(roles),
        _ => None,
    }) {
        let names: Vec<Text> = roles.iter().map(|r| c.process.role_name(r)).collect();
        let all_zh: Vec<&str> = names.iter().map(|n| n.zh.as_str()).collect();
        let all_en: Vec<&str> = names.iter().map(|n| n.en.as_str()).collect();
        for (role, name) in roles.iter().zip(&names) {
            let msg = Text::new(
                format!("双签未完成({}):缺少{}的签字。", all_zh.join("与"), name.zh),
                format!(
                    "Dual sign-off ({}) incomplete: {} has not signed.",
                    all_en.join(" and "),
                    name.en
                ),
            );
            out.extend(role_verdict_reason(
                c,
                role,
                "dual_sign_off_incomplete",
                msg,
            ));
        }
        let signers: Vec<_> = roles
            .iter()
            .filter_map(|r| {
                c.instance
                    .approvals
                    .iter()
                    .rev()
                    .find(|a| a.role == *r && a.verdict == Verdict::Approve)
            })
            .map(|a| a.by.id)
            .collect();
        if signers.iter().collect::<BTreeSet<_>>().len() < signers.len() {
            out.push(reason(
                "approval",
                "same_person_signed_twice",
                Text::new(
                    "双签须由不同的人签字。",
                    "A dual sign-off needs two different people.",
                ),
            ));
        }
    }
    out
}

fn conditional_approvals_given(c: &StepCheck) -> Vec<FieldError> {
    let mut out = Vec::new();
    for (when, by) in c.step.approvals.iter().filter_map(|a| match a {
        Approval::Conditional { when, by } => Some((when, by)),
        _ => None,
    }) {
        if !evaluate(Some(when), c.process.process, &c.case.values).holds() {
            continue;
        }
        let why = words(when, c.process.process);
        for role in by {
            let name = c.process.role_name(role);
            let msg = Text::new(
                format!("因{},须经{}审批。", why.zh, name.zh),
                format!("Approval by {} needed because {}.", name.en, why.en),
            );
            out.extend(role_verdict_reason(
                c,
                role,
                "conditional_approval_missing",
                msg,
            ));
        }
    }
    out
}

/// Required fields still empty that this step needs: the ones it reads (its anchor, its
/// conditions, its ledger row) and, at the last step its owner has, every field that role
/// records.
fn fields_recorded(c: &StepCheck) -> Vec<FieldError> {
    let process = c.process.process;
    let mut needed: Vec<&FieldCode> = fields_read(c.step);
    if is_last_step_of_owner(c) {
        needed.extend(
            process
                .fields
                .iter()
                .filter(|f| later_filler(process, f) == Some(&c.step.owner))
                .map(|f| &f.code),
        );
    }
    let mut seen = BTreeSet::new();
    needed
        .into_iter()
        .filter(|code| seen.insert(*code))
        .filter_map(|code| process.field(code.as_str()))
        .filter(|f| f.required && !c.case.values.contains_key(&f.code))
        .map(|f| {
            reason(
                f.code.as_str(),
                "field_missing",
                Text::new(
                    format!("须先填写“{}”。", f.label.zh),
                    format!("{} must be recorded first.", f.label.en),
                ),
            )
        })
        .collect()
}

fn fields_read(step: &Step) -> Vec<&FieldCode> {
    let mut out = Vec::new();
    if let Anchor::Field(f) = &step.anchor {
        out.push(f);
    }
    out.extend(step.when.iter().flat_map(|w| w.fields()));
    out.extend(
        step.outputs
            .iter()
            .filter_map(|o| o.when.as_ref())
            .flat_map(|w| w.fields()),
    );
    out.extend(step.approvals.iter().flat_map(|a| match a {
        Approval::Conditional { when, .. } => when.fields(),
        _ => Vec::new(),
    }));
    out.extend(
        step.ledger
            .iter()
            .flat_map(|l| l.columns.iter())
            .filter_map(|c| match &c.value {
                ValueSource::Field(f) => Some(f),
                _ => None,
            }),
    );
    out
}

fn is_last_step_of_owner(c: &StepCheck) -> bool {
    let last = c
        .process
        .process
        .steps
        .iter()
        .rev()
        .find(|s| !is_anomaly_step(s) && s.owner == c.step.owner);
    last.is_some_and(|s| s.code == c.step.code)
}
