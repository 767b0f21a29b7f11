//! The handbook reads the built-in standard in words, as an office manager would.

use super::*;
use crate::domain::catalog::builtin;

fn handbook(code: &str) -> FunctionHandbook {
    let catalog = builtin().expect("the built-in catalog is valid");
    function_handbook(&catalog, code).expect("the function exists")
}

fn process<'a>(handbook: &'a FunctionHandbook, code: &str) -> &'a HandbookProcess {
    handbook
        .processes
        .iter()
        .find(|p| p.code == code)
        .expect("the process exists")
}

#[test]
fn an_unknown_function_has_no_handbook() {
    let catalog = builtin().expect("valid");
    assert_eq!(function_handbook(&catalog, "astrology"), None);
    assert_eq!(function_handbook(&catalog, ""), None);
}

#[test]
fn every_one_of_the_thirteen_functions_has_a_numbered_handbook() {
    let catalog = builtin().expect("valid");
    assert_eq!(catalog.functions.len(), 13);
    for (i, f) in catalog.functions.iter().enumerate() {
        let h = function_handbook(&catalog, f.code.as_str()).expect("exists");
        assert_eq!(h.number, i + 1);
        assert!(!h.processes.is_empty(), "{} has processes", f.code);
        assert!(h.roles.iter().any(|r| r.code == "director" && r.serves_all));
        for p in &h.processes {
            let numbers: Vec<usize> = p.steps.iter().map(|s| s.number).collect();
            assert_eq!(numbers, (1..=p.steps.len()).collect::<Vec<_>>());
        }
    }
}

#[test]
fn the_documents_function_opens_with_its_number_name_and_roles() {
    let h = handbook("documents");
    assert_eq!(h.number, 2);
    assert_eq!(h.name.zh, "文书与公文处理");
    assert_eq!(h.accent, "#0e7490");
    let roles: Vec<&str> = h.roles.iter().map(|r| r.name.zh.as_str()).collect();
    assert_eq!(roles, ["办公室主任", "公文文员", "文秘专员"]);
    let processes: Vec<&str> = h.processes.iter().map(|p| p.name.zh.as_str()).collect();
    assert_eq!(processes, ["收文", "发文"]);
}

#[test]
fn the_incoming_document_reads_its_five_deadlines_and_owners_in_order() {
    let h = handbook("documents");
    let incoming = process(&h, "incoming_document");
    let deadlines: Vec<&str> = incoming
        .steps
        .iter()
        .map(|s| s.deadline.zh.as_str())
        .collect();
    assert_eq!(
        deadlines,
        ["当日", "24小时内", "1个工作日内", "5个工作日内", "无时限"]
    );
    let english: Vec<&str> = incoming
        .steps
        .iter()
        .map(|s| s.deadline.en.as_str())
        .collect();
    assert_eq!(
        english,
        [
            "same day",
            "within 24 hours",
            "within 1 working day",
            "within 5 working days",
            "no deadline"
        ]
    );
    let owners: Vec<&str> = incoming.steps.iter().map(|s| s.owner.zh.as_str()).collect();
    assert_eq!(
        owners,
        ["公文文员", "公文文员", "办公室主任", "承办部门", "公文文员"]
    );
    assert!(!incoming.steps[4].has_deadline);
    assert_eq!(incoming.trigger.zh, "事件触发:收到来文");
    assert_eq!(
        incoming.raised_by.as_ref().map(|r| r.zh.as_str()),
        Some("公文文员")
    );
}

#[test]
fn a_step_names_its_anchor_only_when_it_is_not_the_default() {
    let h = handbook("documents");
    let incoming = process(&h, "incoming_document");
    let anchors: Vec<Option<&str>> = incoming
        .steps
        .iter()
        .map(|s| s.anchor.as_ref().map(|a| a.zh.as_str()))
        .collect();
    assert_eq!(
        anchors,
        [
            Some("以「收文时间」为准"),
            Some("以「收文时间」为准"),
            None,
            None,
            None
        ]
    );
    let outgoing = process(&h, "outgoing_document");
    let filing = outgoing.steps.last().expect("a filing step");
    assert_eq!(
        filing.anchor.as_ref().map(|a| a.en.as_str()),
        Some("from completion of \"Dispatch\"")
    );
}

#[test]
fn the_director_step_writes_the_document_flow_ledger_by_the_clerk() {
    let h = handbook("documents");
    let step = &process(&h, "incoming_document").steps[2];
    let ledger = step.ledger.as_ref().expect("writes a ledger");
    assert_eq!(ledger.name.zh, "《公文流转台账》");
    assert_eq!(ledger.by.as_ref().map(|r| r.zh.as_str()), Some("公文文员"));
    assert_eq!(step.checklist.len(), 2);
    let kept = &h.ledgers[0];
    assert_eq!(kept.name.zh, "《公文流转台账》");
    assert_eq!(kept.columns.len(), 6);
    assert_eq!(kept.columns[0].zh, "收文编号");
}

#[test]
fn the_incoming_form_lists_its_fields_with_kinds_and_required_flags() {
    let h = handbook("documents");
    let fields = &process(&h, "incoming_document").fields;
    let received = &fields[0];
    assert_eq!(received.label.zh, "收文时间");
    assert_eq!(received.kind, Text::new("日期时间", "Date and time"));
    assert!(received.required);
    let scan = fields
        .iter()
        .find(|f| f.label.zh == "来文扫描件")
        .expect("scan");
    assert_eq!(scan.kind.zh, "附件");
    assert!(!scan.required);
    let handling = fields
        .iter()
        .find(|f| f.label.zh == "承办部门")
        .expect("field");
    assert_eq!(
        handling.filled_by.as_ref().map(|r| r.zh.as_str()),
        Some("办公室主任")
    );
}

#[test]
fn the_archive_loan_needs_the_dual_sign_off_in_words() {
    let h = handbook("archives");
    let loan = process(&h, "archive_loan");
    assert_eq!(
        loan.form.as_ref().map(|f| f.zh.as_str()),
        Some("《借阅单》")
    );
    assert_eq!(
        loan.steps[0].approvals,
        [Text::new(
            "经部门负责人与办公室主任共同签字",
            "signed by Department head and Office director together"
        )]
    );
    let copy = loan
        .fields
        .iter()
        .find(|f| f.label.zh == "借阅形式")
        .expect("field");
    assert_eq!(copy.kind.zh, "单选(电子档 / 纸质档)");
    assert_eq!(copy.kind.en, "Choice (Electronic / Paper)");
}

#[test]
fn the_purchase_needs_the_director_over_budget_and_a_negotiation_near_it() {
    let h = handbook("logistics");
    let purchase = &process(&h, "supplies_purchase").steps[1];
    assert_eq!(purchase.deadline.zh, "3个工作日内");
    assert_eq!(
        purchase.approvals,
        [Text::new(
            "报价超过预算时经办公室主任审批",
            "approved by Office director when Quote above Budget"
        )]
    );
    assert_eq!(purchase.outputs.len(), 1);
    let negotiation = &purchase.outputs[0];
    assert_eq!(negotiation.name.zh, "议价记录");
    assert_eq!(
        negotiation.condition,
        Some(Text::new("报价超过预算的95%", "Quote above 95% of Budget"))
    );
}

#[test]
fn an_anomaly_escalates_to_the_director_within_24_hours_in_words() {
    let h = handbook("coordination");
    let tracking = h
        .processes
        .iter()
        .flat_map(|p| &p.steps)
        .find(|s| s.code == "tracking")
        .expect("the tracking step");
    assert_eq!(
        tracking.escalations,
        [Text::new(
            "发现异常时,24小时内上报办公室主任",
            "when an anomaly is flagged, escalate to Office director within 24 hours"
        )]
    );
    // Steps with a deadline that the director does not own show where they go when overdue.
    let overdue = Text::new(
        "逾期时,1个工作日内上报办公室主任",
        "when overdue, escalate to Office director within 1 working day",
    );
    let with_default = h
        .processes
        .iter()
        .flat_map(|p| &p.steps)
        .filter(|s| s.escalations.contains(&overdue))
        .count();
    assert_eq!(
        with_default, 2,
        "register and review; the plan is the director's own"
    );
}

#[test]
fn repeats_while_open_name_their_rhythm_step_and_condition() {
    let h = handbook("logistics");
    let repair = process(&h, "facility_repair");
    let repeat = &repair.repeats[0];
    assert_eq!(repeat.every.zh, "办理期间每日");
    assert_eq!(
        repeat.during.as_ref().map(|d| d.zh.as_str()),
        Some("3. 维修")
    );
    assert_eq!(
        repeat.condition.as_ref().map(|c| c.zh.as_str()),
        Some("故障等级为「重大」")
    );
    assert_eq!(
        repeat.condition.as_ref().map(|c| c.en.as_str()),
        Some("Severity is \"major\"")
    );
    let emergency = handbook("emergency");
    let report = emergency
        .processes
        .iter()
        .flat_map(|p| &p.repeats)
        .find(|r| r.output.is_some())
        .expect("a repeated report");
    assert_eq!(report.every.en, "every 4 hours while open");
}

#[test]
fn the_legal_adviser_may_be_hired_from_outside() {
    let h = handbook("compliance");
    let adviser = h
        .roles
        .iter()
        .find(|r| r.code == "legal_adviser")
        .expect("role");
    assert!(adviser.may_be_external);
    assert!(h.roles.iter().filter(|r| r.may_be_external).count() == 1);
}

#[test]
fn the_handbook_survives_the_json_round_trip() {
    let h = handbook("logistics");
    let json = serde_json::to_string(&h).expect("serialises");
    let back: FunctionHandbook = serde_json::from_str(&json).expect("deserialises");
    assert_eq!(back, h);
}
