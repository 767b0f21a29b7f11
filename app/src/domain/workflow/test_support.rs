//! Builders shared by the workflow tests.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};

pub use super::samples::{pdf, sample, sample_form};
use super::*;
use crate::domain::calendar::BusinessCalendar;
use crate::domain::catalog::{builtin, Catalog, Process};

pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| builtin().expect("the built-in catalog is valid"))
}

pub fn calendar() -> &'static BusinessCalendar {
    static CALENDAR: OnceLock<BusinessCalendar> = OnceLock::new();
    CALENDAR.get_or_init(BusinessCalendar::built_in)
}

/// An instant from RFC 3339 text.
pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("test instant")
        .with_timezone(&Utc)
}

pub fn process(code: &str) -> &'static Process {
    catalog().process(code).expect("process in the catalog")
}

pub fn ctx(code: &str, now: DateTime<Utc>) -> Context<'static> {
    Context::new(
        ProcessRef::find(catalog(), code).expect("process"),
        calendar(),
        now,
    )
}

/// Someone holding exactly `role` (a distinct user per role).
pub fn holder(role: &str) -> Actor {
    let index = catalog()
        .roles
        .iter()
        .position(|r| r.code == role)
        .unwrap_or(0) as i64;
    Actor::new(100 + index, format!("{role}-user"), &[role])
}

pub fn requester() -> Actor {
    Actor::new(7, "王五", &["employee"])
}

pub fn raise_case(code: &str, now: DateTime<Utc>, form: FormInput) -> Outcome {
    let request = RaiseRequest {
        catalog_version: 1,
        title: "测试案件".into(),
        department: Some("行政部".into()),
        form,
    };
    raise(&ctx(code, now), &requester(), &request)
        .unwrap_or_else(|r| panic!("{code}: {:?}", r.reasons))
}

pub fn form(pairs: &[(&str, &str)]) -> FormInput {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), RawValue::from(*v)))
        .collect()
}

/// Applies `command` as `by` at `now` on the current version, expecting success.
pub fn run(case: &Case, now: DateTime<Utc>, by: &Actor, command: Command) -> Outcome {
    let ctx = ctx(case.process.as_str(), now);
    apply(&ctx, case, by, case.version, &command)
        .unwrap_or_else(|r| panic!("{command:?}: {:?}", r.reasons))
}

/// Applies `command` expecting a refusal.
pub fn refuse(case: &Case, now: DateTime<Utc>, by: &Actor, command: Command) -> Refusal {
    let ctx = ctx(case.process.as_str(), now);
    match apply(&ctx, case, by, case.version, &command) {
        Ok(_) => panic!("{command:?} should be refused"),
        Err(r) => r,
    }
}

pub fn step(code: &str) -> crate::domain::catalog::StepCode {
    crate::domain::catalog::StepCode::new(code)
}

/// The instance of `code` under way.
pub fn active<'a>(case: &'a Case, code: &str) -> &'a StepInstance {
    let i = case
        .active_instance(&step(code))
        .unwrap_or_else(|| panic!("{code} is not under way"));
    &case.steps[i]
}

/// Ticks every checklist item, records every output and gives every approval of the step.
pub fn do_the_work(mut case: Case, now: DateTime<Utc>, code: &str) -> Case {
    let def = process(case.process.as_str()).step(code).expect("step");
    let owner = holder(def.owner.as_str());
    for item in 0..def.checklist.len() {
        case = run(
            &case,
            now,
            &owner,
            Command::TickChecklist {
                step: step(code),
                item,
                ticked: true,
            },
        )
        .case;
    }
    for o in &def.outputs {
        let value = OutputValue::Form(format!("{} 内容", o.output));
        case = run(
            &case,
            now,
            &owner,
            Command::RecordOutput {
                step: step(code),
                output: o.output.clone(),
                value,
            },
        )
        .case;
    }
    let roles: Vec<_> = def
        .approvals
        .iter()
        .flat_map(|a| a.roles().to_vec())
        .collect();
    for role in roles {
        let cmd = Command::Approve {
            step: step(code),
            role: role.clone(),
            verdict: Verdict::Approve,
            comment: None,
        };
        case = run(&case, now, &holder(role.as_str()), cmd).case;
    }
    case
}

/// Records, as `role`, every empty field that role fills, with sample values.
pub fn fill_role_fields(case: Case, now: DateTime<Utc>, role: &str) -> Case {
    let p = process(case.process.as_str());
    let values: FormInput = p
        .fields
        .iter()
        .filter(|f| {
            f.filled_by.as_ref().is_some_and(|r| r == role) && !case.values.contains_key(&f.code)
        })
        .map(|f| (f.code.to_string(), sample(f, now)))
        .collect();
    if values.is_empty() {
        return case;
    }
    run(&case, now, &holder(role), Command::RecordFields { values }).case
}

/// Does everything `code` needs and completes it at `now`.
pub fn finish_step(case: Case, now: DateTime<Utc>, code: &str) -> Case {
    let owner = process(case.process.as_str())
        .step(code)
        .expect("step")
        .owner
        .clone();
    let case = fill_role_fields(case, now, owner.as_str());
    let case = do_the_work(case, now, code);
    run(
        &case,
        now,
        &holder(owner.as_str()),
        Command::CompleteStep { step: step(code) },
    )
    .case
}

/// Completes the steps under way, in order, until `code` is under way.
pub fn walk_to(mut case: Case, now: DateTime<Utc>, code: &str) -> Case {
    while case.active_instance(&step(code)).is_none() {
        let current = case
            .active()
            .next()
            .map(|(_, s)| s.step.clone())
            .unwrap_or_else(|| panic!("{code} never came"));
        case = finish_step(case, now, current.as_str());
    }
    case
}
