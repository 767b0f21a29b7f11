//! The dashboard's figures on fixed cases with fixed instants, against values computed by hand.
//!
//! The built-in calendar works 09:00–12:00 and 13:00–18:00 (8 hours) in Asia/Shanghai;
//! 2026-11-23 is a Monday.

use chrono::NaiveDate;

use super::dashboard::*;
use super::test_support::*;
use crate::domain::calendar::Measure;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test day")
}

fn done(
    process: &str,
    step: &str,
    on: &str,
    elapsed: u32,
    allowed: Option<u32>,
    on_time: Option<bool>,
) -> StepDone {
    let function = super::test_support::process(process).function.to_string();
    StepDone {
        case_id: 1,
        seq: 1,
        day: day(on),
        function,
        process: process.into(),
        step: step.into(),
        elapsed_minutes: elapsed,
        allowed_minutes: allowed,
        on_time,
    }
}

#[test]
fn a_completion_counts_its_time_in_the_steps_measure_and_against_its_deadline() {
    // Raised Tuesday 09:00 with the document received at 09:00.
    let raised = raise_case(
        "incoming_document",
        at("2026-11-24T09:00:00+08:00"),
        form(&[
            ("received_at", "2026-11-24T09:00"),
            ("issuer", "市政府办公室"),
            ("title", "关于年终检查的通知"),
        ]),
    )
    .case;
    let process = process("incoming_document");
    // 签收登记 (same-day, working time): done at 10:30, allowed until 18:00 → 90 of 480 min.
    let first = finish_step(
        raised.clone(),
        at("2026-11-24T10:30:00+08:00"),
        "sign_and_number",
    );
    let facts = super::step_facts::steps_done(Some(&raised), &first, process, calendar());
    assert_eq!(facts.len(), 1);
    let f = &facts[0];
    assert_eq!(
        (f.seq, f.day, f.function.as_str(), f.step.as_str()),
        (1, day("2026-11-24"), "documents", "sign_and_number")
    );
    assert_eq!(
        (f.elapsed_minutes, f.allowed_minutes, f.on_time),
        (90, Some(480), Some(true))
    );
    // 呈送主任拟办 (h(24) from receipt, clock time): active from Tuesday 10:30, due Wednesday
    // 09:00 (22.5 h = 1,350 min), done Wednesday 10:00 (23.5 h = 1,410 min): late.
    let second = finish_step(
        first.clone(),
        at("2026-11-25T10:00:00+08:00"),
        "submit_for_instructions",
    );
    let facts = super::step_facts::steps_done(Some(&first), &second, process, calendar());
    assert_eq!(facts.len(), 1);
    let f = &facts[0];
    assert_eq!((f.seq, f.step.as_str()), (2, "submit_for_instructions"));
    assert_eq!(
        (f.elapsed_minutes, f.allowed_minutes, f.on_time),
        (1410, Some(1350), Some(false))
    );
    // Nothing new completed: nothing counted again; a case seen whole counts both.
    assert!(super::step_facts::steps_done(Some(&second), &second, process, calendar()).is_empty());
    assert_eq!(
        super::step_facts::steps_done(None, &second, process, calendar()).len(),
        2
    );
}

#[test]
fn percentiles_are_nearest_rank() {
    assert_eq!(nearest_rank(&[], 50), None);
    assert_eq!(nearest_rank(&[7], 90), Some(7));
    assert_eq!(nearest_rank(&[1, 2, 3, 4], 50), Some(2));
    let ten: Vec<u32> = (1..=10).map(|n| n * 10).collect();
    assert_eq!(nearest_rank(&ten, 50), Some(50));
    assert_eq!(nearest_rank(&ten, 90), Some(90));
    assert_eq!(nearest_rank(&ten[..9], 90), Some(90));
    assert_eq!(nearest_rank(&ten[..9], 50), Some(50));
}

/// A fixed week of work in 公文管理 and 会议管理, seen on Friday 2026-11-27 at 10:00.
fn fixture() -> (Vec<StepDone>, Vec<OpenStep>, Vec<CaseFlow>) {
    let mut done_list = Vec::new();
    // 签收登记: ten completions in the week of 11-23, allowed 480 minutes each: eight on time
    // (10 … 80 minutes), two late (500 and 600).
    for n in 1..=10u32 {
        let elapsed = match n {
            9 => 500,
            10 => 600,
            n => n * 10,
        };
        done_list.push(done(
            "incoming_document",
            "sign_and_number",
            "2026-11-24",
            elapsed,
            Some(480),
            Some(n <= 8),
        ));
    }
    // 呈送主任拟办: three, allowed 1,440, 1,440 and 1,350; one late (1,500 min).
    done_list.push(done(
        "incoming_document",
        "submit_for_instructions",
        "2026-11-25",
        600,
        Some(1440),
        Some(true),
    ));
    done_list.push(done(
        "incoming_document",
        "submit_for_instructions",
        "2026-11-26",
        1500,
        Some(1440),
        Some(false),
    ));
    done_list.push(done(
        "incoming_document",
        "submit_for_instructions",
        "2026-11-26",
        300,
        Some(1350),
        Some(true),
    ));
    // 归档 (no time limit), the week before.
    done_list.push(done(
        "incoming_document",
        "file_document",
        "2026-11-18",
        45,
        None,
        None,
    ));
    // A meeting step, three weeks before the period: only in the trend.
    done_list.push(done(
        "meeting",
        done_first_step("meeting"),
        "2026-10-20",
        200,
        Some(480),
        Some(false),
    ));
    let now = at("2026-11-27T10:00:00+08:00");
    let open = vec![
        // Overdue since Thursday.
        OpenStep {
            function: "documents".into(),
            process: "incoming_document".into(),
            step: "assign_handling".into(),
            activated_at: at("2026-11-25T10:00:00+08:00"),
            due_at: Some(at("2026-11-26T10:00:00+08:00")),
            measure: Measure::WorkingTime,
        },
        // Due at 11:00 today: an hour of eight left, due soon.
        OpenStep {
            function: "documents".into(),
            process: "incoming_document".into(),
            step: "assign_handling".into(),
            activated_at: at("2026-11-26T11:00:00+08:00"),
            due_at: Some(at("2026-11-27T11:00:00+08:00")),
            measure: Measure::WorkingTime,
        },
        // Due next Friday: on time.
        OpenStep {
            function: "documents".into(),
            process: "incoming_document".into(),
            step: "report_result".into(),
            activated_at: now,
            due_at: Some(at("2026-12-04T10:00:00+08:00")),
            measure: Measure::WorkingTime,
        },
        // No time limit.
        OpenStep {
            function: "documents".into(),
            process: "incoming_document".into(),
            step: "file_document".into(),
            activated_at: now,
            due_at: None,
            measure: Measure::WorkingTime,
        },
        // Another function, overdue.
        OpenStep {
            function: "meetings".into(),
            process: "meeting".into(),
            step: done_first_step("meeting").into(),
            activated_at: at("2026-11-20T10:00:00+08:00"),
            due_at: Some(at("2026-11-23T10:00:00+08:00")),
            measure: Measure::WorkingTime,
        },
    ];
    let flows = vec![
        CaseFlow {
            function: "documents".into(),
            day: day("2026-11-24"),
            raised: 1,
            closed: 0,
        },
        CaseFlow {
            function: "documents".into(),
            day: day("2026-11-26"),
            raised: 0,
            closed: 1,
        },
        CaseFlow {
            function: "documents".into(),
            day: day("2026-11-17"),
            raised: 1,
            closed: 0,
        },
        CaseFlow {
            function: "meetings".into(),
            day: day("2026-11-23"),
            raised: 1,
            closed: 0,
        },
    ];
    (done_list, open, flows)
}

/// The completions counted per function, day and verdict, as storage hands them over for
/// the trend.
fn per_day(list: &[StepDone]) -> Vec<DayCount> {
    let mut counts: Vec<DayCount> = Vec::new();
    for d in list {
        match counts
            .iter_mut()
            .find(|c| c.day == d.day && c.function == d.function && c.on_time == d.on_time)
        {
            Some(c) => c.count += 1,
            None => counts.push(DayCount {
                day: d.day,
                function: d.function.clone(),
                on_time: d.on_time,
                count: 1,
            }),
        }
    }
    counts
}

fn done_first_step(process: &str) -> &'static str {
    super::test_support::process(process).steps[0].code.as_str()
}

#[test]
fn the_office_dashboard_counts_by_hand() {
    let (done_list, open, flows) = fixture();
    let functions = vec!["documents".to_string(), "meetings".to_string()];
    let query = DashboardQuery {
        function: None,
        from: Some(day("2026-11-01")),
        to: Some(day("2026-11-30")),
    };
    let board = dashboard(&DashboardInput {
        catalog: catalog(),
        calendar: calendar(),
        now: at("2026-11-27T10:00:00+08:00"),
        query: &query,
        functions: &functions,
        done: &[&done_list],
        trend: &per_day(&done_list),
        open: &open,
        flows: &flows,
    })
    .expect("a valid period");

    assert_eq!(board.today, day("2026-11-27"));
    assert_eq!(
        board
            .functions
            .iter()
            .map(|f| f.code.as_str())
            .collect::<Vec<_>>(),
        ["documents", "meetings"]
    );
    let documents = &board.functions[0];
    assert_eq!(
        (documents.open, documents.due_soon, documents.overdue),
        (4, 1, 1)
    );
    // 14 completions in November: 10 on time, 3 late, 1 without a limit.
    assert_eq!(
        documents.counts,
        Counts {
            done: 14,
            on_time: 10,
            late: 3
        }
    );
    let meetings = &board.functions[1];
    assert_eq!(
        (meetings.open, meetings.due_soon, meetings.overdue),
        (1, 0, 1)
    );
    assert_eq!(meetings.counts, Counts::default());
    assert_eq!(
        (board.total.open, board.total.due_soon, board.total.overdue),
        (5, 1, 2)
    );
    assert_eq!(board.total.counts.done, 14);
    let rate = board.total.counts.on_time_percent().expect("a rate");
    assert!((rate - 10.0 * 100.0 / 13.0).abs() < 1e-9);

    // Steps in the standard's order, with nearest-rank percentiles.
    let codes: Vec<&str> = board.steps.iter().map(|s| s.step.as_str()).collect();
    assert_eq!(
        codes,
        [
            "sign_and_number",
            "submit_for_instructions",
            "file_document"
        ]
    );
    let sign = &board.steps[0];
    // Sorted: 10 20 30 40 50 60 70 80 500 600; the 5th and the 9th.
    assert_eq!(
        sign.counts,
        Counts {
            done: 10,
            on_time: 8,
            late: 2
        }
    );
    assert_eq!(
        (
            sign.median_minutes,
            sign.p90_minutes,
            sign.allowed_median_minutes
        ),
        (Some(50), Some(500), Some(480))
    );
    assert_eq!(sign.counts.on_time_percent(), Some(80.0));
    // Each over its own 480, in per mille (rounded down): 50/480 → 104, 500/480 → 1041.
    assert_eq!(
        (
            sign.median_of_allowed_permille,
            sign.p90_of_allowed_permille
        ),
        (Some(104), Some(1041))
    );
    assert_eq!(sign.p90_of_allowed_percent(), Some(104.1));
    assert_eq!(sign.measure, Measure::WorkingTime);
    assert_eq!(sign.step_name.zh, "签收、编号");
    let submit = &board.steps[1];
    // 300, 600, 1500: median the 2nd, p90 the 3rd; allowed 1350, 1440, 1440 → 1440.
    assert_eq!(
        (
            submit.median_minutes,
            submit.p90_minutes,
            submit.allowed_median_minutes
        ),
        (Some(600), Some(1500), Some(1440))
    );
    // Shares: 600/1440 → 416, 1500/1440 → 1041, 300/1350 → 222; sorted 222 416 1041.
    assert_eq!(
        (
            submit.median_of_allowed_permille,
            submit.p90_of_allowed_permille
        ),
        (Some(416), Some(1041))
    );
    assert_eq!(submit.measure, Measure::ClockTime);
    let file = &board.steps[2];
    assert_eq!(file.counts.on_time_percent(), None);
    assert_eq!(file.allowed_median_minutes, None);
    assert_eq!(file.p90_of_allowed_permille, None);

    // The most late first: 签收登记 (2 late) before 呈送主任拟办 (1).
    let late: Vec<(&str, u32)> = board
        .late_steps
        .iter()
        .map(|s| (s.step.as_str(), s.counts.late))
        .collect();
    assert_eq!(
        late,
        [("sign_and_number", 2), ("submit_for_instructions", 1)]
    );

    // Twelve weeks ending with the week of 11-30 (a Monday): 09-14 … 11-30.
    assert_eq!(board.weeks.len(), 12);
    assert_eq!(board.weeks[0].start, day("2026-09-14"));
    assert_eq!(board.weeks[11].start, day("2026-11-30"));
    let week = |start: &str| {
        board
            .weeks
            .iter()
            .find(|w| w.start == day(start))
            .expect("week")
    };
    let this = week("2026-11-23");
    assert_eq!((this.raised, this.closed), (2, 1));
    assert_eq!(
        this.counts,
        Counts {
            done: 13,
            on_time: 10,
            late: 3
        }
    );
    let last = week("2026-11-16");
    assert_eq!((last.raised, last.closed, last.counts.done), (1, 0, 1));
    // The October meeting step is in the trend only.
    assert_eq!(
        week("2026-10-19").counts,
        Counts {
            done: 1,
            on_time: 0,
            late: 1
        }
    );
}

#[test]
fn one_functions_dashboard_counts_only_it() {
    let (done_list, open, flows) = fixture();
    let functions = vec!["documents".to_string(), "meetings".to_string()];
    let query = DashboardQuery {
        function: Some("meetings".into()),
        from: Some(day("2026-10-01")),
        to: Some(day("2026-10-31")),
    };
    let board = dashboard(&DashboardInput {
        catalog: catalog(),
        calendar: calendar(),
        now: at("2026-11-27T10:00:00+08:00"),
        query: &query,
        functions: &functions,
        done: &[&done_list],
        trend: &per_day(&done_list),
        open: &open,
        flows: &flows,
    })
    .expect("a valid period");
    assert_eq!(board.functions.len(), 1);
    assert_eq!(board.choices.len(), 2);
    assert_eq!(board.total.code, "meetings");
    assert_eq!((board.total.open, board.total.overdue), (1, 1));
    assert_eq!(
        board.total.counts,
        Counts {
            done: 1,
            on_time: 0,
            late: 1
        }
    );
    assert_eq!(board.steps.len(), 1);
    assert_eq!(board.late_steps.len(), 1);
    // Weeks end with October's last week; the November raises are outside them.
    assert_eq!(board.weeks[11].start, day("2026-10-26"));
    assert_eq!(board.weeks.iter().map(|w| w.raised).sum::<u32>(), 0);
}

#[test]
fn a_period_that_ends_before_it_starts_or_is_too_long_is_refused() {
    let today = day("2026-11-27");
    let default = DashboardQuery::default().period(today).expect("default");
    assert_eq!(default, (day("2026-10-29"), today));
    let backwards = DashboardQuery {
        function: None,
        from: Some(day("2026-11-10")),
        to: Some(day("2026-11-01")),
    };
    assert_eq!(backwards.period(today).unwrap_err()[0].field, "to");
    let long = DashboardQuery {
        function: None,
        from: Some(day("2020-01-01")),
        to: Some(day("2026-01-01")),
    };
    assert_eq!(long.period(today).unwrap_err()[0].field, "from");
    // The trend reaches back before a short period.
    let (first, last) = DashboardQuery::default().trend_days(today).expect("days");
    assert_eq!((first, last), (day("2026-09-07"), today));
    // Dates outside the calendar's years are refused, not computed with.
    let ancient = DashboardQuery {
        function: None,
        from: None,
        to: Some(day("1066-10-14")),
    };
    assert_eq!(ancient.period(today).unwrap_err()[0].code, "out_of_range");
}

#[test]
fn spans_read_in_their_measure() {
    assert_eq!(span_words(45, Measure::ClockTime).zh, "45 分钟");
    assert_eq!(span_words(90, Measure::WorkingTime).zh, "1.5 工作小时");
    assert_eq!(span_words(120, Measure::ClockTime).en, "2 h");
    assert_eq!(span_words(6000, Measure::WorkingTime).en, "100 working h");
}

#[test]
fn a_step_returned_and_completed_again_counts_both_completions_and_the_return_none() {
    use super::{Command, StepOutcome};
    let t0 = at("2026-11-24T09:00:00+08:00");
    let process = process("outgoing_document");
    let raised = raise_case("outgoing_document", t0, sample_form(process, t0, false)).case;
    let first = finish_step(raised, at("2026-11-24T10:00:00+08:00"), "format_review");
    // Returned from the next step: that instance is not a completion.
    let back = run(
        &first,
        at("2026-11-24T15:00:00+08:00"),
        &holder("director"),
        Command::ReturnTo {
            step: step("format_review"),
            reason: "数据引用有误".into(),
        },
    )
    .case;
    assert!(back
        .steps
        .iter()
        .any(|s| matches!(s.outcome, Some(StepOutcome::Returned { .. }))));
    assert!(super::step_facts::steps_done(Some(&first), &back, process, calendar()).is_empty());
    // Completed again: a new instance, a new completion with its own number.
    let again = finish_step(
        back.clone(),
        at("2026-11-25T10:00:00+08:00"),
        "format_review",
    );
    let facts = super::step_facts::steps_done(Some(&back), &again, process, calendar());
    assert_eq!(facts.len(), 1);
    assert_eq!(facts[0].step, "format_review");
    assert_eq!(facts[0].seq as usize, back.steps.len());
    // Seen whole, the case has two completions of the step, with distinct numbers.
    let all = super::step_facts::steps_done(None, &again, process, calendar());
    let seqs: Vec<u32> = all
        .iter()
        .filter(|f| f.step == "format_review")
        .map(|f| f.seq)
        .collect();
    assert_eq!(seqs.len(), 2);
    assert_ne!(seqs[0], seqs[1]);
}
