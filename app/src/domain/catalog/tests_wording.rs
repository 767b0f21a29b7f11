//! The rules in words, and the serde round trip of the built-in catalog.

use super::wording;
use super::*;
use crate::domain::lang::{Lang, Text};
use crate::domain::rules::{DeadlineRule, Repeat, Schedule};

fn words(notation: &str) -> Text {
    wording::rule(&notation.parse::<DeadlineRule>().unwrap())
}

#[test]
fn every_deadline_rule_reads_in_both_languages() {
    let table = [
        ("wd(1)", "1个工作日内", "within 1 working day"),
        ("wd(3)", "3个工作日内", "within 3 working days"),
        ("same-day", "当日", "same day"),
        ("h(24)", "24小时内", "within 24 hours"),
        ("h(1)", "1小时内", "within 1 hour"),
        ("h(4, working)", "4个工作小时内", "within 4 working hours"),
        ("min(5)", "5分钟内", "within 5 minutes"),
        (
            "before-event(wd 1)",
            "提前1个工作日",
            "1 working day before",
        ),
        ("before-event(h 1)", "提前1小时", "1 hour before"),
        ("before-event(weeks 2)", "提前2周", "2 weeks before"),
        (
            "window-before-event(wd 5)",
            "前5个工作日内",
            "within the 5 working days before",
        ),
        ("monthly-by(5)", "每月5日前", "by the 5th of each month"),
        ("monthly-by(10)", "每月10日前", "by the 10th of each month"),
        ("monthly-by(1)", "每月1日前", "by the 1st of each month"),
        ("monthly-by(22)", "每月22日前", "by the 22nd of each month"),
        ("monthly-by(13)", "每月13日前", "by the 13th of each month"),
    ];
    for (notation, zh, en) in table {
        let t = words(notation);
        assert_eq!((t.zh.as_str(), t.en.as_str()), (zh, en), "{notation}");
    }
    assert_eq!(wording::deadline(None), Text::new("无时限", "no deadline"));
}

#[test]
fn schedules_and_repeats_read_in_both_languages() {
    let schedules = [
        ("every(day)", "每日", "every day"),
        ("every(week)", "每周", "every week"),
        ("every(month)", "每月", "every month"),
        ("every(quarter)", "每季度", "every quarter"),
        ("every(half-year)", "每半年", "every half-year"),
        ("every(year)", "每年", "every year"),
        (
            "every(year, month 12)",
            "每年12月",
            "every year in December",
        ),
        (
            "every(days 7)",
            "每7天至少一次",
            "at least once every 7 days",
        ),
    ];
    for (notation, zh, en) in schedules {
        let t = wording::schedule(&notation.parse::<Schedule>().unwrap());
        assert_eq!((t.zh.as_str(), t.en.as_str()), (zh, en), "{notation}");
    }
    let repeats = [
        (
            "every(day) while open",
            "办理期间每日",
            "every day while open",
        ),
        (
            "every(week) while open",
            "办理期间每周",
            "every week while open",
        ),
        (
            "every(h 4) while open",
            "办理期间每4小时",
            "every 4 hours while open",
        ),
    ];
    for (notation, zh, en) in repeats {
        let t = wording::repeat(&notation.parse::<Repeat>().unwrap());
        assert_eq!((t.zh.as_str(), t.en.as_str()), (zh, en), "{notation}");
    }
}

#[test]
fn the_incoming_document_reads_step_by_step_as_the_standard_says() {
    let c = builtin().unwrap();
    let p = c.process("incoming_document").unwrap();
    let zh: Vec<String> = p
        .steps
        .iter()
        .map(|s| wording::step_deadline(s).get(Lang::Zh).to_string())
        .collect();
    assert_eq!(
        zh,
        ["当日", "24小时内", "1个工作日内", "5个工作日内", "无时限"]
    );
    let en: Vec<String> = p
        .steps
        .iter()
        .map(|s| wording::step_deadline(s).get(Lang::En).to_string())
        .collect();
    assert_eq!(
        en,
        [
            "same day",
            "within 24 hours",
            "within 1 working day",
            "within 5 working days",
            "no deadline"
        ]
    );
}

#[test]
fn anchors_conditions_and_approvals_read_with_the_labels_of_the_case() {
    let c = builtin().unwrap();
    let meeting = c.process("meeting").unwrap();
    let minutes = meeting.step("minutes").unwrap();
    assert_eq!(
        wording::anchor(meeting, &minutes.anchor).zh,
        "以「会议结束时间」为准"
    );
    let purchase_p = c.process("supplies_purchase").unwrap();
    let purchase = purchase_p.step("purchase").unwrap();
    let role_name = |code: &str| c.role(code).unwrap().name.clone();
    let approval = wording::approval(purchase_p, &purchase.approvals[0], role_name);
    assert_eq!(approval.zh, "报价超过预算时经办公室主任审批");
    assert_eq!(
        approval.en,
        "approved by Office director when Quote above Budget"
    );
    let negotiation = purchase.outputs[0].when.as_ref().unwrap();
    assert_eq!(
        wording::condition(purchase_p, negotiation).zh,
        "报价超过预算的95%"
    );
    let loan = c.process("archive_loan").unwrap();
    let dual = wording::approval(loan, &loan.steps[0].approvals[0], |code| {
        c.role(code).unwrap().name.clone()
    });
    assert_eq!(dual.zh, "经部门负责人与办公室主任共同签字");
    let visit = c.process("system_project").unwrap();
    let training = visit.step("user_training").unwrap();
    assert_eq!(
        wording::anchor(visit, &training.anchor).en,
        "from completion of \"Feasibility and design, approved by senior leadership\""
    );
}

#[test]
fn triggers_read_in_both_languages() {
    let c = builtin().unwrap();
    assert_eq!(
        wording::trigger(&c.process("annual_archive_audit").unwrap().trigger).zh,
        "每年12月"
    );
    assert_eq!(
        wording::trigger(&c.process("meeting").unwrap().trigger).en,
        "on request"
    );
    assert_eq!(
        wording::trigger(&c.process("emergency_incident").unwrap().trigger).zh,
        "事件触发:发生突发事件"
    );
}

#[test]
fn the_builtin_catalog_survives_a_json_round_trip_unchanged() {
    let c = builtin().unwrap();
    let json = serde_json::to_string(&c).unwrap();
    let back: Catalog = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c);
    // and the JSON carries the notation's values, not just codes
    assert!(json.contains("\"SameDay\""));
    assert!(json.contains("\"incoming_document\""));
    let pretty = serde_json::to_string_pretty(&c).unwrap();
    assert_eq!(serde_json::from_str::<Catalog>(&pretty).unwrap(), c);
}

#[test]
fn reading_the_builtin_files_twice_gives_the_same_catalog() {
    assert_eq!(
        builtin().unwrap(),
        Catalog::from_files(BUILTIN_FILES).unwrap()
    );
}
