//! The reports on fixed cases, rows and completions with fixed instants, against values
//! computed by hand. 2026-11-23 is a Monday; the built-in calendar works 09:00–12:00 and
//! 13:00–18:00 in Asia/Shanghai.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::briefing::{self, BriefingInput};
use super::overdue::{self, LateStep, OverdueInput, StillOpen};
use super::reimbursements::{self, cents_of, money};
use super::*;
use crate::domain::calendar::Measure;
use crate::domain::workflow::case::{Anomaly, Comment};
use crate::domain::workflow::ids::{CaseId, UserId, UserRef};
use crate::domain::workflow::ledger::{LedgerCell, LedgerRow};
use crate::domain::workflow::ledger_view::LedgerEntry;
use crate::domain::workflow::step_facts::{OpenStep, StepDone};
use crate::domain::workflow::test_support::*;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test day")
}

fn query(kind: ReportKind, period: &str) -> ReportQuery {
    ReportQuery {
        kind,
        period: Some(period.to_string()),
    }
}

fn cells(section: &Section, lang: Lang) -> Vec<Vec<String>> {
    section
        .rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.get(lang).to_string()).collect())
        .collect()
}

fn section<'a>(sections: &'a [Section], code: &str) -> &'a Section {
    sections
        .iter()
        .find(|s| s.code == code)
        .unwrap_or_else(|| panic!("no section {code}"))
}

fn figure(figures: &[Figure], zh: &str) -> String {
    figures
        .iter()
        .find(|f| f.label.zh == zh)
        .unwrap_or_else(|| panic!("no figure {zh}"))
        .value
        .zh
        .clone()
}

#[test]
fn periods_read_as_iso_weeks_and_months_and_refuse_what_is_not_one() {
    let today = day("2026-11-28");
    let week = query(ReportKind::Briefing, "2026-W48")
        .period(today)
        .unwrap();
    assert_eq!((week.from, week.to), (day("2026-11-23"), day("2026-11-29")));
    assert_eq!(week.name.zh, "2026年第48周(11月23日—11月29日)");
    // The default week is today's; the default month the last one (a month is reported
    // when it is over).
    let default_week = ReportQuery {
        kind: ReportKind::Briefing,
        period: None,
    };
    assert_eq!(default_week.period(today).unwrap().code, "2026-W48");
    let default_month = ReportQuery {
        kind: ReportKind::Overdue,
        period: None,
    };
    let month = default_month.period(today).unwrap();
    assert_eq!(
        (month.code.as_str(), month.from, month.to),
        ("2026-10", day("2026-10-01"), day("2026-10-31"))
    );
    // Week 1 of 2027 starts on Monday 4 January; 2026-12 ends on the 31st.
    let first = query(ReportKind::Briefing, "2027-W01")
        .period(day("2027-01-05"))
        .unwrap();
    assert_eq!(first.from, day("2027-01-04"));
    let december = query(ReportKind::Reimbursements, "2026-12")
        .period(day("2026-12-02"))
        .unwrap();
    assert_eq!(december.to, day("2026-12-31"));

    // Neighbours: no next period before it begins.
    let (previous, next) = neighbours(ReportKind::Briefing, &week, today);
    assert_eq!(previous.code, "2026-W47");
    assert!(next.is_none());
    let october = query(ReportKind::Overdue, "2026-10").period(today).unwrap();
    let (previous, next) = neighbours(ReportKind::Overdue, &october, today);
    assert_eq!(previous.code, "2026-09");
    assert_eq!(next.map(|n| n.code), Some("2026-11".to_string()));

    for (kind, text, code) in [
        (ReportKind::Briefing, "2026-48", "unreadable"),
        (ReportKind::Briefing, "2026-W54", "unreadable"),
        (ReportKind::Overdue, "2026-13", "unreadable"),
        (ReportKind::Overdue, "11/2026", "unreadable"),
        (ReportKind::Overdue, "2026-12", "future"),
        (ReportKind::Briefing, "2026-W49", "future"),
        (ReportKind::Reimbursements, "1999-12", "out_of_range"),
    ] {
        let errors = query(kind, text).period(today).unwrap_err();
        assert_eq!(errors[0].field, "period", "{text}");
        assert_eq!(errors[0].code, code, "{text}");
    }
}

#[test]
fn money_reads_and_writes_with_cents_and_separators() {
    assert_eq!(cents_of("1234.5"), Some(123_450));
    assert_eq!(cents_of("1,234.56"), Some(123_456));
    assert_eq!(cents_of("¥ 80"), Some(8_000));
    assert_eq!(cents_of("-3.10"), Some(-310));
    assert_eq!(cents_of("12.345"), None);
    assert_eq!(cents_of("约100元"), None);
    assert_eq!(cents_of(""), None);
    assert_eq!(money(123_456_789), "1,234,567.89");
    assert_eq!(money(5), "0.05");
    assert_eq!(money(-100_000), "-1,000.00");
}

fn claim(
    case: i64,
    at: &str,
    claimant: &str,
    department: &str,
    reason: &str,
    amount: &str,
) -> LedgerEntry {
    let paid = chrono::DateTime::parse_from_rfc3339(at).expect("instant");
    LedgerEntry {
        row: LedgerRow {
            ledger: "reimbursements".into(),
            case: CaseId(case),
            step: step("payment"),
            written_by: "finance_specialist".into(),
            at: paid.with_timezone(&chrono::Utc),
            cells: [
                ("claimant", claimant.to_string()),
                ("department", department.to_string()),
                ("reason", reason.to_string()),
                ("amount", amount.to_string()),
                ("paid_at", at.to_string()),
            ]
            .into_iter()
            .map(|(column, value)| LedgerCell {
                column: column.into(),
                value,
            })
            .collect(),
        },
        title: format!("报销 {case}"),
        department: Some(department.to_string()),
        manual: None,
    }
}

#[test]
fn the_reimbursement_summary_totals_departments_and_flags_frequent_and_abnormal_claims() {
    let entries = vec![
        claim(
            1,
            "2026-10-09T10:00:00+08:00",
            "张三",
            "市场部",
            "差旅费",
            "200.00",
        ),
        // The same claim again: same claimant, amount and reason (spaces ignored).
        claim(
            2,
            "2026-10-12T10:00:00+08:00",
            "张三",
            "市场部",
            "差旅 费",
            "200.00",
        ),
        claim(
            3,
            "2026-10-13T10:00:00+08:00",
            "张三",
            "市场部",
            "打车",
            "50.00",
        ),
        claim(
            4,
            "2026-10-14T10:00:00+08:00",
            "李四",
            "研发中心",
            "购买书籍",
            "120.00",
        ),
        // Median of 50, 120, 200, 200, 300, 1500 (nearest rank, 3rd) = 200: 1500 ≥ 3 × 200.
        claim(
            5,
            "2026-10-20T10:00:00+08:00",
            "王五",
            "财务部",
            "接待费",
            "1500.00",
        ),
        claim(
            6,
            "2026-10-31T23:30:00+08:00",
            "赵六",
            "研发中心",
            "差旅费",
            "300.00",
        ),
        // Paid on 1 November local time (still October in UTC): not this month's.
        claim(
            7,
            "2026-11-01T00:30:00+08:00",
            "张三",
            "市场部",
            "差旅费",
            "999.00",
        ),
    ];
    let claims = reimbursements::claims(
        &entries,
        chrono_tz::Asia::Shanghai,
        day("2026-10-01"),
        day("2026-10-31"),
    );
    assert_eq!(
        claims.iter().map(|c| c.case).collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5, 6]
    );
    assert_eq!(reimbursements::median_claim(&claims), Some(20_000));
    let (figures, sections) = reimbursements::report_body(&claims);
    assert_eq!(figure(&figures, "报销笔数"), "6");
    assert_eq!(figure(&figures, "报销总额(元)"), "2,370.00");
    assert_eq!(figure(&figures, "单笔中位数(元)"), "200.00");
    assert_eq!(figure(&figures, "高频报销项"), "2");
    assert_eq!(figure(&figures, "异常报销点"), "3");

    // 1500/2370 = 63.3 %, 450/2370 = 19.0 %, 420/2370 = 17.7 %.
    assert_eq!(
        cells(section(&sections, "departments"), Lang::Zh),
        vec![
            vec!["财务部", "1", "1,500.00", "63.3%"],
            vec!["市场部", "3", "450.00", "19%"],
            vec!["研发中心", "2", "420.00", "17.7%"],
        ]
    );
    assert_eq!(
        cells(section(&sections, "frequent"), Lang::Zh),
        vec![
            vec!["报销人", "张三", "3", "450.00", "#1, #2, #3"],
            vec!["事由", "差旅费", "3", "700.00", "#1, #2, #6"],
        ]
    );
    let abnormal = section(&sections, "abnormal");
    assert_eq!(
        abnormal.rows.iter().map(|r| r.case).collect::<Vec<_>>(),
        vec![Some(1), Some(2), Some(5)]
    );
    let why: Vec<String> = cells(abnormal, Lang::Zh)
        .into_iter()
        .map(|r| r[6].clone())
        .collect();
    assert_eq!(why[0], "疑似重复报销(同一报销人、金额与事由:#2)");
    assert_eq!(why[2], "金额达本月中位数(200.00)的 3 倍以上");
    let flags: Vec<String> = cells(section(&sections, "claims"), Lang::Zh)
        .into_iter()
        .map(|r| r[6].clone())
        .collect();
    assert_eq!(
        flags,
        vec!["异常、高频", "异常、高频", "高频", "", "异常", "高频"]
    );
}

#[test]
fn a_month_with_few_claims_has_no_median_yardstick_and_a_bad_amount_is_abnormal() {
    let entries = vec![
        claim(
            1,
            "2026-10-09T10:00:00+08:00",
            "张三",
            "市场部",
            "差旅费",
            "20.00",
        ),
        claim(
            2,
            "2026-10-10T10:00:00+08:00",
            "李四",
            "市场部",
            "接待",
            "9000.00",
        ),
        claim(
            3,
            "2026-10-11T10:00:00+08:00",
            "王五",
            "市场部",
            "打印",
            "一百",
        ),
    ];
    let claims = reimbursements::claims(
        &entries,
        chrono_tz::Asia::Shanghai,
        day("2026-10-01"),
        day("2026-10-31"),
    );
    assert_eq!(reimbursements::median_claim(&claims), None);
    let (figures, sections) = reimbursements::report_body(&claims);
    assert_eq!(figure(&figures, "异常报销点"), "1");
    assert_eq!(figure(&figures, "报销总额(元)"), "9,020.00");
    let abnormal = cells(section(&sections, "abnormal"), Lang::En);
    assert_eq!(abnormal.len(), 1);
    assert_eq!(abnormal[0][4], "一百");
    assert_eq!(abnormal[0][6], "Amount missing or invalid");
}

fn late(case: i64, process: &str, step: &str, on: &str, elapsed: u32, allowed: u32) -> LateStep {
    LateStep {
        title: format!("事项 {case}"),
        done: StepDone {
            case_id: case,
            seq: 1,
            day: day(on),
            function: super::super::test_support::process(process)
                .function
                .to_string(),
            process: process.into(),
            step: step.into(),
            elapsed_minutes: elapsed,
            allowed_minutes: Some(allowed),
            on_time: Some(false),
        },
    }
}

fn open(case: i64, process: &str, step: &str, activated: &str, due: &str) -> StillOpen {
    StillOpen {
        case,
        title: format!("事项 {case}"),
        step: OpenStep {
            function: super::super::test_support::process(process)
                .function
                .to_string(),
            process: process.into(),
            step: step.into(),
            activated_at: at(activated),
            due_at: Some(at(due)),
            measure: Measure::WorkingTime,
        },
        holder: same("文员甲"),
    }
}

#[test]
fn the_overdue_report_counts_per_function_and_lists_late_and_still_overdue_steps() {
    let functions = vec!["documents".to_string(), "finance".to_string()];
    let counts = vec![
        ("documents".to_string(), Some(true), 8),
        ("documents".to_string(), Some(false), 2),
        ("documents".to_string(), None, 1),
        ("finance".to_string(), Some(true), 4),
    ];
    let late_steps = vec![
        // 600 of 480 working minutes (125 %) and 720 of 480 (150 %).
        late(
            11,
            "incoming_document",
            "sign_and_number",
            "2026-10-12",
            600,
            480,
        ),
        late(
            12,
            "incoming_document",
            "sign_and_number",
            "2026-10-20",
            720,
            480,
        ),
    ];
    let now = at("2026-11-27T10:00:00+08:00");
    let still = vec![
        // Due Friday 30 October 18:00; at Friday 27 November 10:00 that is 19 working days
        // and 1 hour over (no holiday between them).
        open(
            21,
            "reimbursement",
            "payment",
            "2026-10-28T09:00:00+08:00",
            "2026-10-30T18:00:00+08:00",
        ),
        // Due in November: not October's.
        open(
            22,
            "reimbursement",
            "payment",
            "2026-11-02T09:00:00+08:00",
            "2026-11-03T18:00:00+08:00",
        ),
    ];
    let input = OverdueInput {
        catalog: catalog(),
        calendar: calendar(),
        now,
        to: day("2026-10-31"),
        functions: &functions,
        counts: &counts,
        late: &late_steps,
        open: &still,
    };
    let (figures, sections) = overdue::report_body(&input);
    assert_eq!(figure(&figures, "本月完成环节"), "15");
    assert_eq!(figure(&figures, "逾期完成"), "2");
    // (8 + 4) of the 14 with a deadline.
    assert_eq!(figure(&figures, "按时率"), "85.7%");
    assert_eq!(figure(&figures, "至今仍逾期"), "1");
    let per_function = cells(section(&sections, "functions"), Lang::Zh);
    assert_eq!(per_function[0][1..], ["11", "2", "80%", "0"]);
    assert_eq!(per_function[1][1..], ["4", "0", "100%", "1"]);
    let steps = cells(section(&sections, "steps"), Lang::Zh);
    // sign_and_number: 2 late, median share (nearest rank of 125, 150) 125 %.
    assert_eq!(steps[0][3..], ["2", "125%", "0"]);
    assert_eq!(steps[1][3..], ["0", "—", "1"]);
    let late_rows = section(&sections, "late");
    assert_eq!(
        late_rows.rows.iter().map(|r| r.case).collect::<Vec<_>>(),
        vec![Some(12), Some(11)]
    );
    assert_eq!(
        cells(late_rows, Lang::Zh)[0][5..],
        ["12 工作小时", "8 工作小时", "4 工作小时"]
    );
    let overdue_rows = cells(section(&sections, "still_overdue"), Lang::Zh);
    assert_eq!(overdue_rows.len(), 1);
    assert_eq!(overdue_rows[0][0], "#21");
    assert_eq!(overdue_rows[0][5], "2026-10-30 18:00");
    assert_eq!(overdue_rows[0][6], "19 个工作日 1 小时");
}

#[test]
fn the_briefing_shows_each_collaboration_case_as_it_stood_in_the_week() {
    let goal = form(&[
        ("task_goal", "年终总结材料汇编"),
        ("time_nodes", "12月10日前"),
    ]);
    let raise_at = |when: &str| {
        let mut case = raise_case("collaboration_request", at(when), goal.clone()).case;
        case.department = Some("市场部".into());
        case
    };
    // A: raised last week, registered, the director's plan long overdue.
    let a = raise_at("2026-11-16T09:00:00+08:00");
    let a = finish_step(a, at("2026-11-16T10:00:00+08:00"), "register");
    // B: raised this week, two steps done, a comment and an anomaly this week.
    let b = raise_at("2026-11-24T09:00:00+08:00");
    let b = finish_step(b, at("2026-11-24T11:00:00+08:00"), "register");
    let mut b = finish_step(b, at("2026-11-25T10:00:00+08:00"), "coordination_plan");
    let clerk = UserRef {
        id: UserId(7),
        name: "协调专员甲".into(),
    };
    b.comments.push(Comment {
        by: clerk.clone(),
        at: at("2026-11-26T16:00:00+08:00"),
        step: Some(step("tracking")),
        text: "已联系研发中心".into(),
    });
    b.anomalies.push(Anomaly {
        number: 1,
        step: Some(step("tracking")),
        reason: "研发中心人手不足".into(),
        by: clerk,
        at: at("2026-11-26T17:00:00+08:00"),
    });
    // C: closed this week (its review on Wednesday).
    let c = raise_at("2026-11-10T09:00:00+08:00");
    let c = finish_step(c, at("2026-11-10T11:00:00+08:00"), "register");
    let c = finish_step(c, at("2026-11-11T11:00:00+08:00"), "coordination_plan");
    let c = finish_step(c, at("2026-11-20T11:00:00+08:00"), "tracking");
    let c = finish_step(c, at("2026-11-25T11:00:00+08:00"), "review");
    assert!(!c.is_open());
    // D: closed last week: not in this week's briefing.
    let d = raise_at("2026-11-09T09:00:00+08:00");
    let d = finish_step(d, at("2026-11-09T11:00:00+08:00"), "register");
    let d = finish_step(d, at("2026-11-10T11:00:00+08:00"), "coordination_plan");
    let d = finish_step(d, at("2026-11-12T11:00:00+08:00"), "tracking");
    let d = finish_step(d, at("2026-11-20T11:00:00+08:00"), "review");

    let mut cases = Vec::new();
    for (n, mut case) in [a, b, c, d].into_iter().enumerate() {
        case.id = CaseId(n as i64 + 1);
        cases.push((case, process("collaboration_request").clone()));
    }
    let names = BTreeMap::new();
    let input = BriefingInput {
        catalog: catalog(),
        calendar: calendar(),
        now: at("2026-11-27T15:00:00+08:00"),
        from: day("2026-11-23"),
        to: day("2026-11-29"),
        cases: &cases,
        names: &names,
    };
    let (figures, sections) = briefing::report_body(&input);
    assert_eq!(figure(&figures, "进行中"), "2");
    assert_eq!(figure(&figures, "本周新增"), "1");
    assert_eq!(figure(&figures, "本周办结"), "1");
    // B's two steps and C's review.
    assert_eq!(figure(&figures, "本周完成环节"), "3");
    assert_eq!(figure(&figures, "逾期"), "1");
    assert_eq!(figure(&figures, "本周异常"), "1");

    let attention = section(&sections, "attention");
    assert_eq!(
        attention.rows.iter().map(|r| r.case).collect::<Vec<_>>(),
        vec![Some(1), Some(2)]
    );
    let attention = cells(attention, Lang::Zh);
    assert!(
        attention[0][4].starts_with("已超时 "),
        "{}",
        attention[0][4]
    );
    assert_eq!(attention[1][4], "异常:研发中心人手不足");

    let plan = process("collaboration_request")
        .step("coordination_plan")
        .expect("step")
        .name
        .zh
        .clone();
    let director = catalog().role("director").expect("role").name.zh.clone();
    let under_way = cells(section(&sections, "under_way"), Lang::Zh);
    assert_eq!(under_way.len(), 2);
    assert_eq!(under_way[0][3], plan);
    assert_eq!(under_way[0][4], director);
    assert_eq!(under_way[0][7], "1/4");
    assert_eq!(under_way[0][9], "本周无跟进记录");
    assert_eq!(under_way[1][1], format!("{}(本周新增)", cases[1].0.title));
    assert_eq!(under_way[1][7], "2/4");
    assert!(
        under_way[1][8].contains("(11-24)") && under_way[1][8].contains(&format!("{plan}(11-25)"))
    );
    assert_eq!(under_way[1][9], "留言 1 条,最近:已联系研发中心(协调专员甲)");
    assert_eq!(under_way[1][6], "无时限");

    let closed = cells(section(&sections, "closed"), Lang::Zh);
    assert_eq!(
        closed,
        vec![vec![
            "#3".to_string(),
            cases[2].0.title.clone(),
            "市场部".into(),
            "2026-11-10".into(),
            "2026-11-25".into(),
            "已办结".into(),
            "0".into(),
        ]]
    );

    // Seen from the week before, A was new and under way, C under way, D closed.
    let earlier = BriefingInput {
        from: day("2026-11-16"),
        to: day("2026-11-22"),
        ..input
    };
    let (figures, _) = briefing::report_body(&earlier);
    assert_eq!(figure(&figures, "进行中"), "2");
    assert_eq!(figure(&figures, "本周新增"), "1");
    assert_eq!(figure(&figures, "本周办结"), "1");
}

#[test]
fn the_csv_of_a_report_has_its_title_figures_and_sections_in_the_chosen_language() {
    let today = day("2026-11-28");
    let period = query(ReportKind::Reimbursements, "2026-10")
        .period(today)
        .unwrap();
    let entries = vec![claim(
        1,
        "2026-10-09T10:00:00+08:00",
        "张三",
        "市场部",
        "=差旅,费",
        "200",
    )];
    let claims =
        reimbursements::claims(&entries, chrono_tz::Asia::Shanghai, period.from, period.to);
    let report = assemble(
        ReportKind::Reimbursements,
        period,
        today,
        "2026-11-28 09:00".into(),
        reimbursements::report_body(&claims),
    );
    assert!(!report.running);
    let csv = report_csv(&report, Lang::Zh);
    assert!(csv.starts_with("\u{feff}《报销台账》月度汇总\r\n期间,2026年10月\r\n"));
    assert!(csv.contains("\r\n报销笔数,1\r\n"));
    assert!(csv.contains("\r\n按部门汇总\r\n部门,笔数,金额(元),占总额\r\n市场部,1,200.00,100%\r\n"));
    // A cell that looks like a formula is defused, and one with a comma quoted.
    assert!(csv.contains("#1,张三,市场部,\"'=差旅,费\",200.00,2026-10-09 10:00,\r\n"));
    assert_eq!(
        report_file_name(&report, Lang::Zh, "csv"),
        "报销台账月度汇总-2026-10.csv"
    );
    assert_eq!(
        report_file_name(&report, Lang::En, "xlsx"),
        "Monthly-reimbursement-ledger-summary-2026-10.xlsx"
    );
}

#[test]
fn a_claim_entered_by_hand_is_named_by_its_entry_and_has_no_case_link() {
    let mut by_hand = claim(
        0,
        "2026-10-09T10:00:00+08:00",
        "张三",
        "市场部",
        "差旅费",
        "200.00",
    );
    by_hand.manual = Some(crate::domain::workflow::ledger_manual::ManualMark {
        id: 4,
        by: "财务专员".into(),
        note: "纸质报销单补登".into(),
    });
    let entries = vec![
        by_hand,
        claim(
            2,
            "2026-10-12T10:00:00+08:00",
            "张三",
            "市场部",
            "差旅费",
            "200.00",
        ),
    ];
    let claims = reimbursements::claims(
        &entries,
        chrono_tz::Asia::Shanghai,
        day("2026-10-01"),
        day("2026-10-31"),
    );
    let (_, sections) = reimbursements::report_body(&claims);
    let abnormal = section(&sections, "abnormal");
    assert_eq!(
        abnormal.rows.iter().map(|r| r.case).collect::<Vec<_>>(),
        vec![None, Some(2)]
    );
    let rows = cells(abnormal, Lang::Zh);
    assert_eq!(rows[0][0], "M4");
    assert_eq!(rows[1][6], "疑似重复报销(同一报销人、金额与事由:M4)");
}

#[test]
fn a_completion_late_by_seconds_is_over_by_under_a_minute() {
    let functions = vec!["documents".to_string()];
    let counts = vec![("documents".to_string(), Some(false), 1)];
    let late_steps = vec![late(
        31,
        "incoming_document",
        "sign_and_number",
        "2026-10-12",
        480,
        480,
    )];
    let input = OverdueInput {
        catalog: catalog(),
        calendar: calendar(),
        now: at("2026-11-27T10:00:00+08:00"),
        to: day("2026-10-31"),
        functions: &functions,
        counts: &counts,
        late: &late_steps,
        open: &[],
    };
    let (_, sections) = overdue::report_body(&input);
    let rows = cells(section(&sections, "late"), Lang::En);
    assert_eq!(rows[0][7], "under a minute");
}
