//! Deadlines with fixed dates (Asia/Shanghai, the built-in PRC holidays).

use super::test_support::*;
use super::*;

fn due_of(case: &Case, code: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    active(case, code).due.map(|d| d.at)
}

#[test]
fn an_incoming_document_received_before_national_day_is_due_by_its_rules() {
    let raised = at("2025-09-30T10:30:00+08:00");
    let form = form(&[
        ("received_at", "2025-09-30T10:00"),
        ("issuer", "市政府办公厅"),
        ("title", "关于节前安全检查的通知"),
    ]);
    let case = raise_case("incoming_document", raised, form).case;
    assert_eq!(
        due_of(&case, "sign_and_number"),
        Some(at("2025-09-30T18:00:00+08:00")),
        "same-day"
    );

    let case = finish_step(case, at("2025-09-30T11:00:00+08:00"), "sign_and_number");
    assert_eq!(
        due_of(&case, "submit_for_instructions"),
        Some(at("2025-10-01T10:00:00+08:00")),
        "h(24) after receipt"
    );

    let case = finish_step(
        case,
        at("2025-09-30T16:00:00+08:00"),
        "submit_for_instructions",
    );
    assert_eq!(
        due_of(&case, "assign_handling"),
        Some(at("2025-10-09T18:00:00+08:00")),
        "wd(1) over National Day"
    );

    let done = at("2025-10-09T10:00:00+08:00");
    let case = fill_role_fields(case, done, "director");
    let case = do_the_work(case, done, "assign_handling");
    let out = run(
        &case,
        done,
        &holder("director"),
        Command::CompleteStep {
            step: step("assign_handling"),
        },
    );
    let row = &out.ledger[0];
    assert_eq!(row.ledger.as_str(), "document_flow");
    assert_eq!(row.written_by.as_str(), "document_clerk");
    let cell = |c: &str| {
        row.cells
            .iter()
            .find(|x| x.column == c)
            .unwrap()
            .value
            .clone()
    };
    assert_eq!(cell("received_at"), "2025-09-30T10:00:00+08:00");
    assert_eq!(cell("forwarded_at"), "2025-10-09T10:00:00+08:00");
    assert_eq!(cell("issuer"), "市政府办公厅");
    assert_eq!(cell("handling_department"), "行政部");
    // wd(5) from Thu 9 Oct: Fri 10, Sat 11 (make-up working day), Mon 13, Tue 14, Wed 15.
    assert_eq!(
        due_of(&out.case, "report_result"),
        Some(at("2025-10-15T18:00:00+08:00"))
    );

    let case = finish_step(out.case, at("2025-10-10T09:00:00+08:00"), "report_result");
    assert_eq!(
        active(&case, "file_document").due,
        None,
        "no time limit in the standard"
    );
}

#[test]
fn a_meeting_on_the_monday_after_qingming_has_its_venue_ready_on_the_thursday_before() {
    let raised = at("2025-04-01T09:00:00+08:00");
    let form = form(&[
        ("title", "二季度工作会"),
        ("topics", "工作部署"),
        ("meeting_start", "2025-04-07T10:00"),
        ("meeting_end", "2025-04-07T12:00"),
        ("attendees", "各部门负责人"),
        ("venue", "一号会议室"),
    ]);
    let case = raise_case("meeting", raised, form).case;
    assert_eq!(
        due_of(&case, "confirm_and_notify"),
        Some(at("2025-04-02T18:00:00+08:00"))
    );
    let case = finish_step(case, at("2025-04-01T10:00:00+08:00"), "confirm_and_notify");
    // 4–6 April are the Qingming holiday: one working day before Monday the 7th is Thursday.
    assert_eq!(
        due_of(&case, "venue_setup"),
        Some(at("2025-04-03T18:00:00+08:00"))
    );
    let case = finish_step(case, at("2025-04-03T15:00:00+08:00"), "venue_setup");
    assert_eq!(
        due_of(&case, "equipment_test"),
        Some(at("2025-04-07T09:00:00+08:00")),
        "before-event(h 1)"
    );
    let case = walk_to(case, at("2025-04-07T12:10:00+08:00"), "minutes");
    assert_eq!(
        due_of(&case, "minutes"),
        Some(at("2025-04-08T12:00:00+08:00")),
        "h(24) after the end"
    );
    let case = finish_step(case, at("2025-04-07T17:00:00+08:00"), "minutes");
    assert_eq!(
        due_of(&case, "restore_venue"),
        Some(at("2025-04-10T18:00:00+08:00")),
        "wd(3) after the end"
    );
}

#[test]
fn a_make_up_saturday_counts_as_the_working_day_before_a_monday_meeting() {
    let raised = at("2025-10-09T09:00:00+08:00");
    let mut f = sample_form(process("meeting"), raised, false);
    f.insert("meeting_start".into(), "2025-10-13T10:00".into());
    let case = raise_case("meeting", raised, f).case;
    let case = finish_step(case, raised, "confirm_and_notify");
    assert_eq!(
        due_of(&case, "venue_setup"),
        Some(at("2025-10-11T18:00:00+08:00"))
    );
}

#[test]
fn a_date_field_anchors_at_the_opening_of_that_day() {
    let raised = at("2025-09-22T09:00:00+08:00");
    let case = raise_case(
        "onboarding",
        raised,
        sample_form(process("onboarding"), raised, false),
    )
    .case;
    let mut start = sample_form(process("onboarding"), raised, true);
    start.retain(|k, _| ["candidate", "emergency_contact"].contains(&k.as_str()));
    start.insert("start_date".into(), "2025-10-01".into());
    let case = run(
        &case,
        raised,
        &holder("hr_specialist"),
        Command::RecordFields { values: start },
    )
    .case;
    let case = finish_step(case, raised, "offer_contract_training");
    // same-day on a start date that is a holiday: the close of the next working day.
    assert_eq!(
        due_of(&case, "first_day_setup"),
        Some(at("2025-10-09T18:00:00+08:00"))
    );
}

#[test]
fn a_festival_window_opens_five_working_days_before_and_is_due_at_the_opening_of_the_date() {
    let raised = at("2025-09-15T09:00:00+08:00");
    let case = raise_case(
        "festival_care",
        raised,
        form(&[
            ("festival_date", "2025-10-01"),
            ("organisation", "合作单位甲"),
        ]),
    )
    .case;
    let due = active(&case, "gifts_or_event").due.unwrap();
    assert_eq!(due.at, at("2025-10-01T09:00:00+08:00"));
    // Sep 30, 29, 28 (make-up Sunday), 26, 25.
    assert_eq!(due.opens_at, Some(at("2025-09-25T09:00:00+08:00")));
}

#[test]
fn a_step_anchored_on_a_field_not_yet_recorded_gets_its_due_when_the_field_is_recorded() {
    let raised = at("2025-09-01T09:00:00+08:00");
    let case = raise_case(
        "supplies_purchase",
        raised,
        form(&[("item", "打印纸"), ("quantity", "10"), ("budget", "1000")]),
    )
    .case;
    let case = finish_step(case, raised, "review");
    let clerk = holder("logistics_clerk");
    let values = form(&[
        ("quote", "800"),
        ("supplier", "甲公司"),
        ("supplier_rating", "好"),
    ]);
    let case = run(&case, raised, &clerk, Command::RecordFields { values }).case;
    let bought = at("2025-09-02T10:00:00+08:00");
    let case = do_the_work(case, bought, "purchase");
    let case = run(
        &case,
        bought,
        &clerk,
        Command::CompleteStep {
            step: step("purchase"),
        },
    )
    .case;
    assert_eq!(
        active(&case, "accept_and_store").due,
        None,
        "the goods have not arrived"
    );
    let out = run(
        &case,
        at("2025-09-05T16:00:00+08:00"),
        &clerk,
        Command::RecordFields {
            values: form(&[("arrived_at", "2025-09-05T15:00")]),
        },
    );
    assert_eq!(
        due_of(&out.case, "accept_and_store"),
        Some(at("2025-09-08T18:00:00+08:00")),
        "wd(1) after Friday's arrival"
    );
    assert!(out.audit.iter().any(|e| e.kind == AuditKind::StepActivated));
}

#[test]
fn a_new_day_off_moves_the_deadline_of_a_step_under_way_and_is_audited() {
    use crate::domain::calendar::{BusinessCalendar, CalendarSettings, DayOverride};
    let raised = at("2026-12-28T10:30:00+08:00");
    let form = form(&[
        ("received_at", "2026-12-28T10:00"),
        ("issuer", "市政府办公厅"),
        ("title", "年终通知"),
    ]);
    let case = raise_case("incoming_document", raised, form).case;
    let case = finish_step(case, at("2026-12-28T11:00:00+08:00"), "sign_and_number");
    let case = finish_step(
        case,
        at("2026-12-28T12:00:00+08:00"),
        "submit_for_instructions",
    );
    assert_eq!(
        due_of(&case, "assign_handling"),
        Some(at("2026-12-29T18:00:00+08:00"))
    );

    let now = at("2026-12-28T15:00:00+08:00");
    assert!(recompute_deadlines(&ctx("incoming_document", now), &case, &Actor::system()).is_none());

    let day_off = DayOverride::day_off(
        chrono::NaiveDate::from_ymd_opt(2026, 12, 29).unwrap(),
        "停电检修",
    );
    let changed = BusinessCalendar::new(CalendarSettings::default(), vec![day_off]).unwrap();
    let process = ProcessRef::find(catalog(), "incoming_document").unwrap();
    let outcome = recompute_deadlines(
        &Context::new(process, &changed, now),
        &case,
        &Actor::system(),
    )
    .expect("the deadline moved");
    assert_eq!(
        due_of(&outcome.case, "assign_handling"),
        Some(at("2026-12-30T18:00:00+08:00"))
    );
    assert_eq!(outcome.case.version, case.version + 1);
    assert_eq!(outcome.audit.len(), 1);
    assert_eq!(
        outcome.audit[0].detail["due_before"],
        "2026-12-29T10:00:00+00:00"
    );
    assert_eq!(outcome.audit[0].detail["recomputed"], true);
}
