//! The default overdue escalation, the index instant of the next escalation, in-case repeats
//! as due items, and the inbox, on fixed instants.

use chrono::Duration;

use super::escalation::{escalations_of, DEFAULT_OVERDUE_TO};
use super::test_support::*;
use super::*;
use crate::domain::calendar::SlaState;

fn incoming(now: chrono::DateTime<chrono::Utc>) -> Case {
    let received = now
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    raise_case(
        "incoming_document",
        now,
        form(&[
            ("received_at", received.as_str()),
            ("issuer", "市政府办公厅"),
            ("title", "关于做好节日值班的通知"),
        ]),
    )
    .case
}

#[test]
fn an_overdue_step_without_its_own_escalation_goes_to_the_director_once() {
    let p = process("incoming_document");
    let raised = at("2025-09-30T10:30:00+08:00");
    let case = incoming(raised);
    let due_at = active(&case, "sign_and_number").due.unwrap().at;
    assert_eq!(next_escalation_at(&case, p), Some(due_at));
    assert!(escalations_due(&case, p, due_at - Duration::minutes(1), calendar()).is_empty());
    let due = escalations_due(&case, p, due_at, calendar());
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].key, "sign_and_number:overdue:1");
    assert_eq!(due[0].to.as_str(), DEFAULT_OVERDUE_TO);
    // One working day after the deadline (30 Sep 18:00): National Day is off, so 9 Oct.
    assert_eq!(due[0].due_at, at("2025-10-09T18:00:00+08:00"));

    let case = run(&case, due_at, &Actor::system(), Command::RecordEscalations).case;
    assert_eq!(
        next_escalation_at(&case, p),
        None,
        "nothing left to escalate"
    );
    assert!(escalations_due(&case, p, due_at + Duration::days(30), calendar()).is_empty());
}

#[test]
fn steps_the_director_owns_or_without_a_deadline_have_no_default_escalation() {
    let coordination = process("collaboration_request");
    let plan = coordination.step("coordination_plan").unwrap();
    assert_eq!(plan.owner.as_str(), "director");
    assert!(escalations_of(plan).is_empty());
    let tracking = coordination.step("tracking").unwrap();
    assert!(tracking.deadline.is_none());
    let kinds: Vec<_> = escalations_of(tracking).iter().map(|e| e.on).collect();
    assert_eq!(
        kinds,
        [crate::domain::catalog::EscalationOn::AnomalyFlagged]
    );
}

fn handling_incident() -> (Case, chrono::DateTime<chrono::Utc>) {
    let case = raise_case(
        "emergency_incident",
        at("2025-09-01T10:00:00+08:00"),
        form(&[
            ("incident_at", "2025-09-01T09:40"),
            ("description", "机房漏水"),
        ]),
    )
    .case;
    let handling = at("2025-09-01T11:00:00+08:00");
    (walk_to(case, handling, "handle"), handling)
}

#[test]
fn repeats_outstanding_are_the_missed_ones_then_the_next_one() {
    let p = process("emergency_incident");
    let (case, handling) = handling_incident();
    let keys = |case: &Case, now| -> Vec<chrono::DateTime<chrono::Utc>> {
        repeats_outstanding(case, p, now, calendar())
            .iter()
            .map(|i| i.due_at)
            .collect()
    };
    assert_eq!(keys(&case, handling), [handling + Duration::hours(4)]);
    let later = handling + Duration::hours(9);
    assert_eq!(
        keys(&case, later),
        [
            handling + Duration::hours(4),
            handling + Duration::hours(8),
            handling + Duration::hours(12)
        ]
    );
    let first = repeats_outstanding(&case, p, later, calendar())[0]
        .key
        .clone();
    let report = Command::RecordRepeat {
        key: first.clone(),
        note: "现场已排水".into(),
    };
    let out = run(&case, later, &holder("emergency_lead"), report.clone());
    assert_eq!(
        out.audit.iter().map(|e| e.kind).collect::<Vec<_>>(),
        [AuditKind::RepeatDone]
    );
    let case = out.case;
    assert_eq!(
        keys(&case, later),
        [
            handling + Duration::hours(8),
            handling + Duration::hours(12)
        ]
    );
    assert_eq!(
        refuse(&case, later, &holder("emergency_lead"), report).codes(),
        ["not_outstanding"]
    );
    let empty = Command::RecordRepeat {
        key: "progress_report:1:2099-01-01T00:00:00Z".into(),
        note: " ".into(),
    };
    let refusal = refuse(&case, later, &holder("emergency_lead"), empty);
    let mut codes = refusal.codes();
    codes.sort();
    assert_eq!(codes, ["not_outstanding", "required"]);

    // Done ahead of its time, the next report is the one after.
    let upcoming = repeats_outstanding(&case, p, handling, calendar());
    let ahead = repeats_outstanding(&case, p, later, calendar())
        .into_iter()
        .find(|i| i.due_at > later)
        .unwrap();
    let case = run(
        &case,
        later,
        &holder("emergency_lead"),
        Command::RecordRepeat {
            key: ahead.key.clone(),
            note: "提前报告".into(),
        },
    )
    .case;
    assert_eq!(
        keys(&case, later),
        [
            handling + Duration::hours(8),
            handling + Duration::hours(16)
        ]
    );
    assert!(!upcoming.is_empty());

    let closed = run(
        &case,
        later,
        &holder("emergency_lead"),
        Command::Cancel {
            reason: "误报".into(),
        },
    )
    .case;
    assert!(repeats_outstanding(&closed, p, later, calendar()).is_empty());
}

fn inbox_of(cases: &[&Case], me: &Actor, now: chrono::DateTime<chrono::Utc>) -> Vec<InboxItem> {
    let pairs: Vec<_> = cases
        .iter()
        .map(|c| (*c, ProcessRef::find(catalog(), c.process.as_str()).unwrap()))
        .collect();
    inbox(&pairs, me, now, calendar())
}

#[test]
fn the_inbox_lists_what_is_mine_overdue_first() {
    let early = incoming(at("2025-09-29T10:30:00+08:00"));
    let mut late = incoming(at("2025-09-30T10:30:00+08:00"));
    late.id = CaseId(2);
    let now = at("2025-09-30T17:00:00+08:00");
    let clerk = holder("document_clerk");
    let items = inbox_of(&[&late, &early], &clerk, now);
    let states: Vec<_> = items.iter().map(|i| (i.case_id, i.kind, i.sla)).collect();
    assert_eq!(
        states,
        [
            (0, InboxKind::Step, Some(SlaState::Overdue)),
            (2, InboxKind::Step, Some(SlaState::DueSoon))
        ],
        "yesterday's step is overdue and comes first"
    );
    assert_eq!(items[0].what.zh, "签收、编号");
    assert!(items[0].due_at.as_deref().unwrap().ends_with("+08:00"));
    // Someone else's step is not mine; once assigned to me it is, whatever my roles.
    let other = Actor::new(55, "赵六", &["archivist"]);
    assert!(inbox_of(&[&late], &other, now).is_empty());
    let assigned = run(
        &late,
        now,
        &clerk,
        Command::Reassign {
            step: step("sign_and_number"),
            assignee: Some(UserId(55)),
        },
    )
    .case;
    assert_eq!(inbox_of(&[&assigned], &other, now).len(), 1);
    assert!(inbox_of(&[&assigned], &clerk, now).is_empty());
}

#[test]
fn the_inbox_holds_approvals_escalations_and_repeats_for_their_roles() {
    let (incident, handling) = handling_incident();
    let lead = holder("emergency_lead");
    let kinds: Vec<_> = inbox_of(&[&incident], &lead, handling)
        .iter()
        .map(|i| i.kind)
        .collect();
    assert_eq!(kinds, [InboxKind::Repeat, InboxKind::Step]);

    let raised = at("2025-09-30T10:30:00+08:00");
    let case = incoming(raised);
    let due_at = active(&case, "sign_and_number").due.unwrap().at;
    let case = run(&case, due_at, &Actor::system(), Command::RecordEscalations).case;
    let director = holder("director");
    let items = inbox_of(&[&case], &director, due_at + Duration::hours(1));
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].kind, InboxKind::Escalation);
    assert_eq!(items[0].key, "sign_and_number:overdue:1");
    assert_eq!(items[0].sla, Some(SlaState::OnTime));
    assert_eq!(items[0].what.zh, "超时升级:签收、编号");
}
