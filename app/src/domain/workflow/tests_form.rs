//! Raising: every field is parsed by its kind, with the reason per field.

use super::form::money_text;
use super::test_support::*;
use super::*;
use crate::domain::catalog::FieldCode;

fn now() -> chrono::DateTime<chrono::Utc> {
    at("2025-09-01T10:00:00+08:00")
}

fn try_raise(code: &str, title: &str, form: FormInput) -> Result<Outcome, Refusal> {
    let request = RaiseRequest {
        catalog_version: 1,
        title: title.into(),
        department: None,
        form,
    };
    raise(&ctx(code, now()), &requester(), &request)
}

fn reasons(r: Refusal) -> Vec<(String, String)> {
    r.reasons.into_iter().map(|x| (x.field, x.code)).collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn every_bad_field_of_a_purchase_is_reported_with_its_reason() {
    let f = form(&[
        ("item", &"长".repeat(201)),
        ("quantity", "三个"),
        ("budget", "12.345"),
        ("colour", "红"),
    ]);
    let r = try_raise("supplies_purchase", "  ", f).unwrap_err();
    assert_eq!(
        reasons(r),
        pairs(&[
            ("title", "required"),
            ("budget", "not_money"),
            ("colour", "unknown_field"),
            ("item", "too_long"),
            ("quantity", "not_a_number")
        ])
    );
}

#[test]
fn money_is_kept_in_cents_and_never_negative() {
    for (text, cents) in [
        ("1200", 120_000),
        ("99.5", 9_950),
        ("0.05", 5),
        ("1000.00", 100_000),
    ] {
        let f = form(&[("item", "纸"), ("quantity", "1"), ("budget", text)]);
        let case = try_raise("supplies_purchase", "买纸", f).unwrap().case;
        assert_eq!(
            case.values[&FieldCode::new("budget")],
            FieldValue::Money(cents)
        );
    }
    assert_eq!(money_text(9_950), "99.50");
    for bad in ["-1", "1.234", "1e3", "¥5", "1.", ".5", "1,000"] {
        let f = form(&[("item", "纸"), ("quantity", "1"), ("budget", bad)]);
        assert_eq!(
            reasons(try_raise("supplies_purchase", "买纸", f).unwrap_err()),
            pairs(&[("budget", "not_money")]),
            "{bad}"
        );
    }
}

#[test]
fn dates_and_times_read_in_the_organisations_zone() {
    let f = form(&[
        ("received_at", "2025-09-30T10:00"),
        ("issuer", "甲"),
        ("title", "乙"),
    ]);
    let case = try_raise("incoming_document", "收文", f).unwrap().case;
    assert_eq!(
        case.values[&FieldCode::new("received_at")],
        FieldValue::DateTime(at("2025-09-30T02:00:00Z"))
    );
    let f = form(&[
        ("received_at", "2025-09-30T10:00:00+02:00"),
        ("issuer", "甲"),
        ("title", "乙"),
    ]);
    let case = try_raise("incoming_document", "收文", f).unwrap().case;
    assert_eq!(
        case.values[&FieldCode::new("received_at")],
        FieldValue::DateTime(at("2025-09-30T08:00:00Z"))
    );
    for bad in ["2025-09-30", "明天", "2025-13-01T10:00", "2025-09-30 10:00"] {
        let f = form(&[("received_at", bad), ("issuer", "甲"), ("title", "乙")]);
        assert_eq!(
            reasons(try_raise("incoming_document", "收文", f).unwrap_err()),
            pairs(&[("received_at", "not_a_datetime")]),
            "{bad}"
        );
    }
    for bad in ["2025/10/01", "2025-02-30", "20251001", "2025-1-1"] {
        let f = form(&[("festival_date", bad), ("organisation", "甲")]);
        assert_eq!(
            reasons(try_raise("festival_care", "慰问", f).unwrap_err()),
            pairs(&[("festival_date", "not_a_date")]),
            "{bad}"
        );
    }
}

#[test]
fn a_choice_is_one_of_its_options_in_either_language() {
    let base = [
        ("facility", "空调"),
        ("fault", "不制冷"),
        ("found_at", "2025-09-01T09:00"),
    ];
    for (given, zh) in [("重大", "重大"), ("MAJOR", "重大"), ("ordinary", "一般")] {
        let mut f = form(&base);
        f.insert("severity".into(), given.into());
        let case = try_raise("facility_repair", "报修", f).unwrap().case;
        assert!(
            matches!(&case.values[&FieldCode::new("severity")], FieldValue::Choice(t) if t.zh == zh)
        );
    }
    let mut f = form(&base);
    f.insert("severity".into(), "很严重".into());
    let r = try_raise("facility_repair", "报修", f).unwrap_err();
    assert_eq!(r.codes(), ["not_an_option"]);
    assert!(r.reasons[0].message.zh.contains("一般、重大"));
}

#[test]
fn an_attachment_is_a_file_and_other_fields_are_text() {
    let mut f = form(&[("title", "通知"), ("draft", "见附件")]);
    let r = try_raise("outgoing_document", "发文", f.clone()).unwrap_err();
    assert_eq!(reasons(r), pairs(&[("draft", "not_a_file")]));
    f.insert("draft".into(), RawValue::File(pdf("通知.pdf")));
    f.insert("title".into(), RawValue::File(pdf("x.pdf")));
    assert_eq!(
        reasons(try_raise("outgoing_document", "发文", f.clone()).unwrap_err()),
        pairs(&[("title", "not_a_file")])
    );
    f.insert("title".into(), "通知".into());
    let case = try_raise("outgoing_document", "发文", f).unwrap().case;
    assert!(
        matches!(&case.values[&FieldCode::new("draft")], FieldValue::Attachment(file) if file.name == "通知.pdf")
    );
}

#[test]
fn names_and_texts_are_bounded() {
    let long_person = "名".repeat(101);
    let f = form(&[
        ("archive_ref", "A-1"),
        ("purpose", &"字".repeat(5001)),
        ("copy_type", "纸质档"),
        ("borrower", &long_person),
    ]);
    let r = try_raise("archive_loan", "借阅", f).unwrap_err();
    assert_eq!(
        reasons(r),
        pairs(&[("borrower", "too_long"), ("purpose", "too_long")])
    );
    let f = form(&[
        ("archive_ref", "A-1"),
        ("purpose", "查档"),
        ("copy_type", "纸质档"),
        ("borrower", "李四"),
    ]);
    assert_eq!(
        reasons(try_raise("archive_loan", &"标".repeat(121), f.clone()).unwrap_err()),
        pairs(&[("title", "too_long")])
    );
    assert_eq!(
        reasons(try_raise("archive_loan", "借\u{7}阅", f.clone()).unwrap_err()),
        pairs(&[("title", "control_characters")])
    );
    assert_eq!(
        try_raise("archive_loan", "  借阅  ", f).unwrap().case.title,
        "借阅"
    );
}

#[test]
fn fields_recorded_later_are_optional_at_raise_but_accepted() {
    let f = form(&[("item", "纸"), ("quantity", "1"), ("budget", "10")]);
    assert!(try_raise("supplies_purchase", "买纸", f.clone()).is_ok());
    let mut with_quote = f;
    with_quote.insert("quote".into(), "9".into());
    let case = try_raise("supplies_purchase", "买纸", with_quote)
        .unwrap()
        .case;
    assert_eq!(
        case.values[&FieldCode::new("quote")],
        FieldValue::Money(900)
    );
}

#[test]
fn a_recurring_process_is_raised_without_a_form_and_its_fields_are_needed_at_its_first_step() {
    let case = try_raise("monthly_archive_transfer", "九月档案移交", FormInput::new())
        .unwrap()
        .case;
    let r = refuse(
        &case,
        now(),
        &holder("requesting_department"),
        Command::CompleteStep {
            step: step("hand_over"),
        },
    );
    assert_eq!(r.codes(), ["field_missing", "field_missing"]);
}

#[test]
fn a_required_field_cannot_be_cleared_later() {
    let case = raise_case(
        "supplies_purchase",
        now(),
        form(&[("item", "纸"), ("quantity", "1"), ("budget", "10")]),
    )
    .case;
    let r = refuse(
        &case,
        now(),
        &holder("logistics_clerk"),
        Command::RecordFields {
            values: form(&[("budget", " ")]),
        },
    );
    assert_eq!(r.codes(), ["required"]);
    let r = refuse(
        &case,
        now(),
        &holder("logistics_clerk"),
        Command::RecordFields {
            values: FormInput::new(),
        },
    );
    assert_eq!(r.codes(), ["nothing_to_record"]);
}
