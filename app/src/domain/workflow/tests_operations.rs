//! Conflicts, returns, anomalies, escalations, repeats and the audit trail.

use chrono::Duration;

use super::test_support::*;
use super::*;
use crate::domain::catalog::{Escalation, EscalationOn};
use crate::domain::rules::DeadlineRule;

fn t0() -> chrono::DateTime<chrono::Utc> {
    at("2025-09-01T10:00:00+08:00")
}

#[test]
fn a_stale_version_is_a_conflict_carrying_the_current_one() {
    let case = raise_case(
        "information_publishing",
        t0(),
        sample_form(process("information_publishing"), t0(), false),
    )
    .case;
    let case = run(
        &case,
        t0(),
        &requester(),
        Command::Comment {
            step: None,
            text: "先看一下".into(),
        },
    )
    .case;
    assert_eq!(case.version, 2);
    let ctx = ctx("information_publishing", t0());
    let r = complete_step(
        &ctx,
        &case,
        &holder("information_specialist"),
        1,
        &step("review_and_publish"),
    )
    .unwrap_err();
    assert_eq!(r.kind, RefusalKind::Conflict { current_version: 2 });
    assert_eq!(r.codes(), ["stale_version"]);
    let r = complete_step(
        &ctx,
        &case,
        &holder("information_specialist"),
        2,
        &step("nonexistent"),
    )
    .unwrap_err();
    assert_eq!(r.codes(), ["unknown_step"]);
}

#[test]
fn completing_a_step_no_longer_under_way_is_a_conflict() {
    let case = raise_case(
        "outgoing_document",
        t0(),
        sample_form(process("outgoing_document"), t0(), false),
    )
    .case;
    let case = finish_step(case, t0(), "format_review");
    let r = refuse(
        &case,
        t0(),
        &holder("secretary"),
        Command::CompleteStep {
            step: step("format_review"),
        },
    );
    assert!(r.is_conflict());
    assert_eq!(r.codes(), ["wrong_step"]);
}

#[test]
fn a_case_returns_to_an_earlier_step_with_a_reason_and_a_fresh_deadline() {
    let case = raise_case(
        "outgoing_document",
        t0(),
        sample_form(process("outgoing_document"), t0(), false),
    )
    .case;
    let case = finish_step(case, t0(), "format_review");
    let director = holder("director");
    let later = at("2025-09-03T15:00:00+08:00");
    let back = |to: &str, reason: &str| Command::ReturnTo {
        step: step(to),
        reason: reason.into(),
    };
    assert_eq!(
        refuse(&case, later, &director, back("format_review", " ")).codes(),
        ["required"]
    );
    assert_eq!(
        refuse(&case, later, &director, back("typeset_and_seal", "x")).codes(),
        ["not_an_earlier_step"]
    );
    assert_eq!(
        refuse(&case, later, &director, back("final_check", "x")).codes(),
        ["not_an_earlier_step"]
    );

    let out = run(
        &case,
        later,
        &director,
        back("format_review", "数据引用有误"),
    );
    let case = out.case;
    assert_eq!(out.audit[0].kind, AuditKind::StepReturned);
    let returned = case.steps.iter().find(|s| s.step == "final_check").unwrap();
    assert_eq!(
        returned.outcome,
        Some(StepOutcome::Returned {
            reason: "数据引用有误".into()
        })
    );
    let again = active(&case, "format_review");
    assert_eq!(again.round, 2);
    assert_eq!(again.ticks, vec![false; 3], "the new instance starts empty");
    assert_eq!(
        again.due.unwrap().at,
        at("2025-09-05T18:00:00+08:00"),
        "wd(2) from the return"
    );
    let first = case
        .steps
        .iter()
        .find(|s| s.step == "format_review")
        .unwrap();
    assert_eq!(first.ticks, vec![true; 3], "history is kept");

    let case = finish_step(case, later, "format_review");
    assert_eq!(active(&case, "final_check").round, 2);
    let case = walk_to(case, later, "file_copies");
    assert!(case.is_open());
    let case = finish_step(case, later, "file_copies");
    assert_eq!(case.status, CaseStatus::Closed);
}

#[test]
fn a_coordination_anomaly_goes_to_the_director_within_24_hours_once_per_anomaly() {
    let case = raise_case(
        "collaboration_request",
        t0(),
        sample_form(process("collaboration_request"), t0(), false),
    )
    .case;
    let case = walk_to(case, t0(), "tracking");
    let p = process("collaboration_request");
    assert!(escalations_due(&case, p, t0() + Duration::days(30), calendar()).is_empty());

    let flagged = at("2025-09-30T10:00:00+08:00");
    let case = run(
        &case,
        flagged,
        &holder("coordination_specialist"),
        Command::FlagAnomaly {
            reason: "资源未到位".into(),
        },
    )
    .case;
    assert_eq!(case.anomalies[0].step, Some(step("tracking")));
    let due = escalations_due(&case, p, flagged, calendar());
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].key, "tracking:anomaly:1");
    assert_eq!(due[0].to.as_str(), "director");
    assert_eq!(due[0].triggered_at, flagged);
    assert_eq!(
        due[0].due_at,
        at("2025-10-01T10:00:00+08:00"),
        "h(24) round the clock, holiday or not"
    );

    let out = run(&case, flagged, &Actor::system(), Command::RecordEscalations);
    assert_eq!(
        out.audit.iter().map(|e| e.kind).collect::<Vec<_>>(),
        [AuditKind::Escalated]
    );
    let case = out.case;
    assert!(
        escalations_due(&case, p, flagged + Duration::days(3), calendar()).is_empty(),
        "recorded once"
    );
    assert_eq!(
        refuse(&case, flagged, &Actor::system(), Command::RecordEscalations).codes(),
        ["nothing_to_escalate"]
    );

    let second = flagged + Duration::hours(30);
    let case = run(
        &case,
        second,
        &holder("coordination_specialist"),
        Command::FlagAnomaly {
            reason: "进度滞后".into(),
        },
    )
    .case;
    let case = run(&case, second, &Actor::system(), Command::RecordEscalations).case;
    let keys: Vec<_> = case.escalations.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["tracking:anomaly:1", "tracking:anomaly:2"]);
}

#[test]
fn an_overdue_step_escalates_at_its_deadline_once_per_round() {
    let mut catalog = catalog().clone();
    let incoming = catalog
        .processes
        .iter_mut()
        .find(|p| p.code == "incoming_document")
        .unwrap();
    incoming.steps[0].escalations.push(Escalation {
        to: "director".into(),
        within: DeadlineRule::Hours {
            hours: 2,
            working: false,
        },
        on: EscalationOn::Overdue,
    });
    let raised = at("2025-09-30T10:30:00+08:00");
    let ctx_at = |now| {
        Context::new(
            ProcessRef::find(&catalog, "incoming_document").unwrap(),
            calendar(),
            now,
        )
    };
    let request = RaiseRequest {
        catalog_version: 2,
        title: "来文".into(),
        department: None,
        form: form(&[
            ("received_at", "2025-09-30T10:00"),
            ("issuer", "甲"),
            ("title", "乙"),
        ]),
    };
    let case = raise(&ctx_at(raised), &holder("document_clerk"), &request)
        .unwrap()
        .case;
    let p = ctx_at(raised).process();
    assert!(escalations_due(&case, p, at("2025-09-30T17:59:00+08:00"), calendar()).is_empty());
    let due = escalations_due(&case, p, at("2025-09-30T18:00:00+08:00"), calendar());
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].key, "sign_and_number:overdue:1");
    assert_eq!(due[0].due_at, at("2025-09-30T20:00:00+08:00"));
}

#[test]
fn an_incident_report_is_due_every_four_hours_while_the_incident_is_handled() {
    let p = process("emergency_incident");
    let case = raise_case(
        "emergency_incident",
        t0(),
        form(&[
            ("incident_at", "2025-09-01T09:40"),
            ("description", "机房漏水"),
        ]),
    )
    .case;
    let handling = at("2025-09-01T11:00:00+08:00");
    let case = walk_to(case, handling, "handle");
    assert!(repeats_due(&case, p, t0(), handling, calendar()).is_empty());
    let items = repeats_due(&case, p, t0(), handling + Duration::hours(13), calendar());
    let dues: Vec<_> = items.iter().map(|i| i.due_at).collect();
    assert_eq!(
        dues,
        [
            handling + Duration::hours(4),
            handling + Duration::hours(8),
            handling + Duration::hours(12)
        ]
    );
    assert_eq!(items[0].key, "progress_report:1:2025-09-01T07:00:00Z");
    assert_eq!(items[0].owner.as_str(), "emergency_lead");
    assert_eq!(
        items[0].output.as_ref().map(|o| o.as_str()),
        Some("incident_progress_report")
    );
    let mut keys: Vec<_> = items.iter().map(|i| i.key.clone()).collect();
    keys.dedup();
    assert_eq!(keys.len(), 3, "keys are unique");

    let over = handling + Duration::hours(9);
    let case = finish_step(case, over, "handle");
    assert_eq!(
        repeats_due(&case, p, t0(), handling + Duration::days(2), calendar()).len(),
        2,
        "stops when the handling ends"
    );
}

#[test]
fn a_major_fault_alone_is_followed_up_daily() {
    let p = process("facility_repair");
    let raise_with = |severity: &str| {
        let f = form(&[
            ("facility", "空调"),
            ("fault", "不制冷"),
            ("found_at", "2025-09-01T09:00"),
            ("severity", severity),
        ]);
        let case = raise_case("facility_repair", t0(), f).case;
        walk_to(case, t0(), "repair")
    };
    let week = t0() + Duration::days(7);
    assert!(repeats_due(&raise_with("一般"), p, t0(), week, calendar()).is_empty());
    let daily = repeats_due(&raise_with("major"), p, t0(), week, calendar());
    let dues: Vec<_> = daily.iter().map(|i| i.due_at).collect();
    let closes = ["2025-09-02", "2025-09-03", "2025-09-04", "2025-09-05"]
        .map(|d| at(&format!("{d}T18:00:00+08:00")));
    assert_eq!(
        dues, closes,
        "the close of each working day after the repair starts"
    );
}

#[test]
fn recording_a_major_severity_skips_the_ordinary_resolution() {
    let reported = at("2025-09-01T22:00:00+08:00");
    let case = raise_case(
        "it_incident",
        reported,
        form(&[
            ("reported_at", "2025-09-01T21:50"),
            ("description", "邮件系统宕机"),
        ]),
    )
    .case;
    assert!(
        active(&case, "resolve").due.is_some(),
        "activated while the severity is unknown"
    );
    let r = refuse(
        &case,
        reported,
        &holder("ops_specialist"),
        Command::CompleteStep {
            step: step("resolve"),
        },
    );
    assert_eq!(r.codes(), ["field_missing"]);
    let out = run(
        &case,
        reported,
        &holder("ops_specialist"),
        Command::RecordFields {
            values: form(&[("severity", "major")]),
        },
    );
    let kinds: Vec<_> = out.audit.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            AuditKind::FieldsRecorded,
            AuditKind::Skipped,
            AuditKind::StepActivated
        ]
    );
    let report = active(&out.case, "analysis_report");
    assert_eq!(report.due.unwrap().at, at("2025-09-02T21:50:00+08:00"));
    assert_eq!(out.case.steps[0].outcome, Some(StepOutcome::Skipped));
}

#[test]
fn an_equipment_failure_raises_the_backup_step_and_keeps_the_meeting_open() {
    let start = at("2025-09-01T09:00:00+08:00");
    let case = raise_case(
        "meeting",
        start,
        sample_form(process("meeting"), start, false),
    )
    .case;
    let failure = at("2025-09-04T10:20:00+08:00");
    let case = run(
        &case,
        failure,
        &holder("logistics_clerk"),
        Command::FlagAnomaly {
            reason: "投影仪故障".into(),
        },
    )
    .case;
    let backup = active(&case, "equipment_backup");
    assert_eq!(backup.anomaly, Some(1));
    assert_eq!(backup.due.unwrap().at, failure + Duration::minutes(5));
    let mut case = case;
    while case.active().any(|(_, s)| s.step != "equipment_backup") {
        let code = case
            .active()
            .find(|(_, s)| s.step != "equipment_backup")
            .unwrap()
            .1
            .step
            .clone();
        case = finish_step(case, failure, code.as_str());
    }
    assert!(case.is_open(), "the backup step is still under way");
    let case = finish_step(case, failure, "equipment_backup");
    assert_eq!(case.status, CaseStatus::Closed);
}

#[test]
fn every_operation_is_audited_with_the_version_it_produced() {
    let case = raise_case(
        "new_rule",
        t0(),
        sample_form(process("new_rule"), t0(), false),
    );
    assert_eq!(
        case.audit.iter().map(|e| e.kind).collect::<Vec<_>>(),
        [AuditKind::Raised, AuditKind::StepActivated]
    );
    assert!(case.audit.iter().all(|e| e.version == 1 && e.at == t0()));
    let out = run(
        &case.case,
        t0(),
        &holder("director"),
        Command::Reassign {
            step: step("draft"),
            assignee: Some(UserId(42)),
        },
    );
    assert_eq!(out.case.steps[0].assignee, Some(UserId(42)));
    assert_eq!(out.audit[0].kind, AuditKind::Reassigned);
    assert_eq!(out.audit[0].version, 2);
    assert_eq!(out.audit[0].detail["to"], 42);
    let closed = run(
        &out.case,
        t0(),
        &holder("director"),
        Command::Close {
            reason: "并入其他制度".into(),
        },
    );
    assert_eq!(closed.case.status, CaseStatus::Closed);
    assert_eq!(closed.case.steps[0].outcome, Some(StepOutcome::Cancelled));
    assert_eq!(closed.audit[0].kind.code(), "closed");
}

#[test]
fn a_case_and_a_command_travel_as_json() {
    let case = raise_case(
        "supplies_purchase",
        t0(),
        form(&[("item", "纸"), ("quantity", "2.5"), ("budget", "99.5")]),
    )
    .case;
    let text = serde_json::to_string(&case).unwrap();
    assert_eq!(serde_json::from_str::<Case>(&text).unwrap(), case);
    let cmd = Command::Approve {
        step: step("purchase"),
        role: "director".into(),
        verdict: Verdict::Approve,
        comment: None,
    };
    let json = serde_json::to_string(&cmd).unwrap();
    assert!(json.contains("\"op\":\"approve\""));
    assert_eq!(serde_json::from_str::<Command>(&json).unwrap(), cmd);
}
