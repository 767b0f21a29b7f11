//! Every unmet condition is reported, all at once, and a refused operation changes nothing.

use super::test_support::*;
use super::*;

fn now() -> chrono::DateTime<chrono::Utc> {
    at("2025-09-01T10:00:00+08:00")
}

fn complete(case: &Case, code: &str, by: &Actor) -> Refusal {
    refuse(case, now(), by, Command::CompleteStep { step: step(code) })
}

fn subjects(r: &Refusal) -> Vec<(&str, &str)> {
    r.reasons
        .iter()
        .map(|x| (x.code.as_str(), x.field.as_str()))
        .collect()
}

#[test]
fn an_unticked_checklist_is_refused_item_by_item() {
    let case = raise_case(
        "outgoing_document",
        now(),
        sample_form(process("outgoing_document"), now(), false),
    )
    .case;
    let before = case.clone();
    let r = complete(&case, "format_review", &holder("secretary"));
    assert_eq!(r.kind, RefusalKind::Unmet);
    assert_eq!(
        subjects(&r),
        [
            ("checklist_unticked", "checklist:1"),
            ("checklist_unticked", "checklist:2"),
            ("checklist_unticked", "checklist:3")
        ]
    );
    assert!(
        r.reasons[1].message.zh.contains("数据准确性"),
        "{:?}",
        r.reasons[1].message
    );
    assert_eq!(case, before, "a refused operation changes nothing");
    let ticked = run(
        &case,
        now(),
        &holder("secretary"),
        Command::TickChecklist {
            step: step("format_review"),
            item: 1,
            ticked: true,
        },
    )
    .case;
    assert_eq!(
        complete(&ticked, "format_review", &holder("secretary"))
            .reasons
            .len(),
        2
    );
    assert_eq!(
        refuse(
            &ticked,
            now(),
            &holder("secretary"),
            Command::TickChecklist {
                step: step("format_review"),
                item: 3,
                ticked: true
            }
        )
        .codes(),
        ["no_such_item"]
    );
}

#[test]
fn missing_minutes_and_the_directors_review_are_reported_together() {
    let case = raise_case(
        "meeting",
        now(),
        sample_form(process("meeting"), now(), false),
    )
    .case;
    let case = walk_to(case, now(), "minutes");
    let r = complete(&case, "minutes", &holder("meeting_specialist"));
    assert_eq!(
        subjects(&r),
        [
            ("checklist_unticked", "checklist:1"),
            ("output_missing", "output:meeting_minutes"),
            ("approval_missing", "approval:director")
        ]
    );
    assert!(r.reasons[1].message.zh.contains("《会议纪要》"));
    assert!(r.reasons[2].message.zh.contains("办公室主任"));
}

#[test]
fn a_rejection_blocks_completion_and_needs_a_reason() {
    let case = raise_case(
        "new_rule",
        now(),
        sample_form(process("new_rule"), now(), false),
    )
    .case;
    let director = holder("director");
    let reject = |comment: Option<&str>| Command::Approve {
        step: step("draft"),
        role: "director".into(),
        verdict: Verdict::Reject,
        comment: comment.map(Into::into),
    };
    assert_eq!(
        refuse(&case, now(), &director, reject(None)).codes(),
        ["reason_required"]
    );
    let approve_as_clerk = Command::Approve {
        step: step("draft"),
        role: "director".into(),
        verdict: Verdict::Approve,
        comment: None,
    };
    assert_eq!(
        refuse(&case, now(), &holder("rules_specialist"), approve_as_clerk).codes(),
        ["not_your_role"]
    );
    let rejected = run(&case, now(), &director, reject(Some("依据不足"))).case;
    let r = complete(
        &do_the_work_except_approvals(rejected),
        "draft",
        &holder("rules_specialist"),
    );
    assert_eq!(r.codes(), ["approval_rejected"]);
}

fn do_the_work_except_approvals(mut case: Case) -> Case {
    let by = holder("rules_specialist");
    for item in 0..2 {
        case = run(
            &case,
            now(),
            &by,
            Command::TickChecklist {
                step: step("draft"),
                item,
                ticked: true,
            },
        )
        .case;
    }
    let value = OutputValue::File(pdf("草案.pdf"));
    run(
        &case,
        now(),
        &by,
        Command::RecordOutput {
            step: step("draft"),
            output: "rule_draft".into(),
            value,
        },
    )
    .case
}

#[test]
fn an_archive_loan_needs_both_the_department_head_and_the_director() {
    let case = raise_case(
        "archive_loan",
        now(),
        sample_form(process("archive_loan"), now(), false),
    )
    .case;
    let head = holder("department_head");
    let r = complete(&case, "sign_off", &head);
    assert_eq!(
        subjects(&r),
        [
            ("dual_sign_off_incomplete", "approval:department_head"),
            ("dual_sign_off_incomplete", "approval:director")
        ]
    );
    let sign = |role: &str| Command::Approve {
        step: step("sign_off"),
        role: role.into(),
        verdict: Verdict::Approve,
        comment: None,
    };
    let half = run(&case, now(), &head, sign("department_head")).case;
    let r = complete(&half, "sign_off", &head);
    assert_eq!(
        subjects(&r),
        [("dual_sign_off_incomplete", "approval:director")]
    );
    assert!(
        r.reasons[0].message.zh.contains("部门负责人与办公室主任"),
        "{}",
        r.reasons[0].message.zh
    );

    let both = Actor::new(55, "身兼两职", &["department_head", "director"]);
    let one_person = run(
        &run(&case, now(), &both, sign("department_head")).case,
        now(),
        &both,
        sign("director"),
    )
    .case;
    assert_eq!(
        complete(&one_person, "sign_off", &both).codes(),
        ["same_person_signed_twice"]
    );

    let done = run(&half, now(), &holder("director"), sign("director")).case;
    assert!(run(
        &done,
        now(),
        &head,
        Command::CompleteStep {
            step: step("sign_off")
        }
    )
    .case
    .active_instance(&step("provide"))
    .is_some());
}

fn purchase_with_quote(quote: Option<&str>) -> Case {
    let case = raise_case(
        "supplies_purchase",
        now(),
        form(&[("item", "打印纸"), ("quantity", "10"), ("budget", "1000")]),
    )
    .case;
    let case = finish_step(case, now(), "review");
    match quote {
        None => case,
        Some(q) => {
            run(
                &case,
                now(),
                &holder("logistics_clerk"),
                Command::RecordFields {
                    values: form(&[("quote", q)]),
                },
            )
            .case
        }
    }
}

#[test]
fn a_quote_above_budget_needs_the_directors_approval_and_a_price_negotiation() {
    let case = purchase_with_quote(Some("1200"));
    let r = complete(&case, "purchase", &holder("logistics_clerk"));
    assert_eq!(
        subjects(&r),
        [
            (
                "conditional_output_missing",
                "output:price_negotiation_record"
            ),
            ("conditional_approval_missing", "approval:director")
        ]
    );
    assert_eq!(
        r.reasons[1].message.zh,
        "因报价 > 预算,须经办公室主任审批。"
    );
    assert_eq!(
        r.reasons[1].message.en,
        "Approval by Office director needed because Quote > Budget."
    );
    assert_eq!(
        r.reasons[0].message.en,
        "Price negotiation record needed because Quote > 95% of Budget."
    );
}

#[test]
fn a_quote_within_five_percent_of_budget_needs_only_a_price_negotiation() {
    let r = complete(
        &purchase_with_quote(Some("960")),
        "purchase",
        &holder("logistics_clerk"),
    );
    assert_eq!(r.codes(), ["conditional_output_missing"]);
    let case = purchase_with_quote(Some("950"));
    let out = run(
        &case,
        now(),
        &holder("logistics_clerk"),
        Command::CompleteStep {
            step: step("purchase"),
        },
    );
    assert!(
        out.case
            .active_instance(&step("accept_and_store"))
            .is_some(),
        "exactly 95% needs nothing"
    );
}

#[test]
fn a_purchase_cannot_complete_before_the_quote_is_recorded() {
    let r = complete(
        &purchase_with_quote(None),
        "purchase",
        &holder("logistics_clerk"),
    );
    assert_eq!(subjects(&r), [("field_missing", "quote")]);
}

#[test]
fn a_closed_or_cancelled_case_refuses_every_operation() {
    let case = raise_case(
        "information_publishing",
        now(),
        sample_form(process("information_publishing"), now(), false),
    )
    .case;
    let closed = finish_step(case.clone(), now(), "review_and_publish");
    assert_eq!(closed.status, CaseStatus::Closed);
    let cancelled = run(
        &case,
        now(),
        &requester(),
        Command::Cancel {
            reason: "不再需要".into(),
        },
    )
    .case;
    assert_eq!(cancelled.status, CaseStatus::Cancelled);
    assert_eq!(cancelled.steps[0].outcome, Some(StepOutcome::Cancelled));
    for (case, code) in [(&closed, "case_closed"), (&cancelled, "case_cancelled")] {
        for cmd in [
            Command::CompleteStep {
                step: step("review_and_publish"),
            },
            Command::FlagAnomaly { reason: "x".into() },
            Command::Cancel { reason: "x".into() },
            Command::Close { reason: "x".into() },
            Command::RecordFields {
                values: form(&[("content", "x")]),
            },
        ] {
            assert_eq!(refuse(case, now(), &requester(), cmd).codes(), [code]);
        }
    }
}

#[test]
fn free_texts_are_bounded() {
    let case = raise_case(
        "information_publishing",
        now(),
        sample_form(process("information_publishing"), now(), false),
    )
    .case;
    let long = "字".repeat(2001);
    assert_eq!(
        refuse(
            &case,
            now(),
            &requester(),
            Command::Comment {
                step: None,
                text: long
            }
        )
        .codes(),
        ["too_long"]
    );
    assert_eq!(
        refuse(
            &case,
            now(),
            &requester(),
            Command::Comment {
                step: None,
                text: "  ".into()
            }
        )
        .codes(),
        ["required"]
    );
    assert_eq!(
        refuse(
            &case,
            now(),
            &requester(),
            Command::Cancel { reason: "".into() }
        )
        .codes(),
        ["required"]
    );
    let ok = run(
        &case,
        now(),
        &requester(),
        Command::Comment {
            step: Some(step("review_and_publish")),
            text: " 请尽快 ".into(),
        },
    );
    assert_eq!(ok.case.comments[0].text, "请尽快");
    assert_eq!(ok.audit[0].kind, AuditKind::Commented);
}

#[test]
fn outputs_must_belong_to_the_step_and_files_must_be_acceptable() {
    let case = raise_case(
        "meeting",
        now(),
        sample_form(process("meeting"), now(), false),
    )
    .case;
    let case = walk_to(case, now(), "minutes");
    let by = holder("meeting_specialist");
    let record = |output: &str, value: OutputValue| Command::RecordOutput {
        step: step("minutes"),
        output: output.into(),
        value,
    };
    assert_eq!(
        refuse(
            &case,
            now(),
            &by,
            record("coordination_plan", OutputValue::Form("x".into()))
        )
        .codes(),
        ["not_an_output_of_step"]
    );
    let exe = FileRef {
        content_type: "application/x-msdownload".into(),
        ..pdf("a.exe")
    };
    assert_eq!(
        refuse(
            &case,
            now(),
            &by,
            record("meeting_minutes", OutputValue::File(exe))
        )
        .codes(),
        ["invalid_file"]
    );
    let huge = FileRef {
        size: form::MAX_FILE_BYTES + 1,
        ..pdf("big.pdf")
    };
    assert_eq!(
        refuse(
            &case,
            now(),
            &by,
            record("meeting_minutes", OutputValue::File(huge))
        )
        .codes(),
        ["invalid_file"]
    );
}
