//! Generated from the catalog: every process is raised with a valid form and walked to the
//! end, so a new process is covered without new test code.

use chrono::{DateTime, Duration, Utc};

use super::activation::is_anomaly_step;
use super::test_support::*;
use super::*;
use crate::domain::catalog::{Anchor, EscalationOn, Process};

#[test]
fn every_process_of_the_catalog_walks_from_raise_to_closed() {
    assert!(catalog().processes.len() >= 40);
    for process in &catalog().processes {
        walk(process);
    }
}

fn walk(p: &Process) {
    let mut now = at("2025-09-01T09:30:00+08:00");
    let mut case = raise_case(p.code.as_str(), now, sample_form(p, now, false)).case;
    assert_eq!(case.version, 1);
    if p.steps.iter().any(is_anomaly_step) {
        case = run(
            &case,
            now,
            &holder("director"),
            Command::FlagAnomaly {
                reason: "设备故障".into(),
            },
        )
        .case;
    }
    for _ in 0..4 * p.steps.len() + 4 {
        let Some((_, inst)) = case.active().next() else {
            break;
        };
        let (code, owner) = (inst.step.clone(), inst.owner.clone());
        now += Duration::hours(1);
        case = fill_role_fields(case, now, owner.as_str());
        if case.active_instance(&code).is_none() {
            continue; // the recorded fields made its condition fail
        }
        case = escalate_if_anomaly_escalates(case, p, now, code.as_str());
        case = do_the_work(case, now, code.as_str());
        let version = case.version;
        let out = run(
            &case,
            now,
            &holder(p.step(code.as_str()).unwrap().owner.as_str()),
            Command::CompleteStep { step: code.clone() },
        );
        assert_eq!(out.case.version, version + 1);
        assert!(out
            .audit
            .iter()
            .any(|e| e.kind == AuditKind::StepCompleted && e.step.as_ref() == Some(&code)));
        if let Some(write) = &p.step(code.as_str()).unwrap().ledger {
            assert_eq!(
                out.ledger.len(),
                1,
                "{}:{code} writes its ledger row",
                p.code
            );
            assert_eq!(out.ledger[0].cells.len(), write.columns.len());
        }
        case = out.case;
    }
    assert_eq!(
        case.status,
        CaseStatus::Closed,
        "{} ends closed: {:#?}",
        p.code,
        case.steps
    );
    assert!(case.closed_at.is_some());
    for step in p.steps.iter().filter(|s| !is_anomaly_step(s)) {
        assert!(
            case.steps.iter().any(|s| s.step == step.code
                && matches!(
                    s.outcome,
                    Some(StepOutcome::Completed | StepOutcome::Skipped)
                )),
            "{}:{} was completed or skipped",
            p.code,
            step.code
        );
    }
    assert_dues_follow_rules(&case, p);
}

/// Where the step escalates anomalies, flags one and records the escalation it causes.
fn escalate_if_anomaly_escalates(case: Case, p: &Process, now: DateTime<Utc>, code: &str) -> Case {
    let step = p.step(code).unwrap();
    let Some(esc) = step
        .escalations
        .iter()
        .find(|e| e.on == EscalationOn::AnomalyFlagged)
    else {
        return case;
    };
    let case = run(
        &case,
        now,
        &holder(step.owner.as_str()),
        Command::FlagAnomaly {
            reason: "进度滞后".into(),
        },
    )
    .case;
    let due = escalations_due(&case, p, now, calendar());
    assert_eq!(due.len(), 1, "{}:{code}", p.code);
    assert_eq!(due[0].to, esc.to);
    assert_eq!(due[0].due_at, calendar().due(&esc.within, now).at);
    let out = run(&case, now, &Actor::system(), Command::RecordEscalations);
    assert_eq!(out.escalations.len(), 1);
    assert!(escalations_due(&out.case, p, now, calendar()).is_empty());
    out.case
}

/// Every instance that ran has the due its rule gives from its anchor.
fn assert_dues_follow_rules(case: &Case, p: &Process) {
    for inst in case
        .steps
        .iter()
        .filter(|s| s.outcome != Some(StepOutcome::Skipped))
    {
        let step = p.step(inst.step.as_str()).unwrap();
        let expected = step.deadline.map(|rule| {
            let anchor = match &step.anchor {
                Anchor::CaseCreated if inst.round > 1 => inst.activated_at,
                Anchor::CaseCreated => case.created_at,
                Anchor::PreviousStep => inst.activated_at,
                Anchor::Field(f) => match case.values.get(f) {
                    Some(FieldValue::DateTime(t)) => *t,
                    Some(FieldValue::Date(d)) => calendar().opening_of(*d),
                    other => panic!("{}:{} anchor field {f} is {other:?}", p.code, step.code),
                },
                Anchor::Step(s) => case.completed(s).and_then(|c| c.completed_at).unwrap(),
                Anchor::AnomalyFlagged => case.anomalies[inst.anomaly.unwrap() as usize - 1].at,
            };
            calendar().due(&rule, anchor)
        });
        assert_eq!(inst.due, expected, "{}:{} due", p.code, step.code);
    }
}
