//! Each kind of catalog error is reported with its file, path and reason.

use super::*;

/// A small valid catalog file that the tests below break one piece at a time.
const BASE: &str = r##"
[function]
code = "documents"
order = 1
accent = "#0e7490"
name = { zh = "文书", en = "Documents" }
positioning = { zh = "规范公文。", en = "Keeps documents in order." }

[[role]]
code = "clerk"
name = { zh = "文员", en = "Clerk" }
responsibilities = { zh = "登记。", en = "Registers." }

[[role]]
code = "director"
name = { zh = "主任", en = "Director" }
responsibilities = { zh = "审批。", en = "Approves." }

[[ledger]]
code = "flow"
name = { zh = "《台账》", en = "Ledger" }
columns = [
  { code = "title", name = { zh = "标题", en = "Title" } },
  { code = "done_at", name = { zh = "时间", en = "Done at" } },
]

[[output]]
code = "minutes"
name = { zh = "《纪要》", en = "Minutes" }

[[process]]
code = "incoming"
name = { zh = "收文", en = "Incoming" }
trigger = "on-request"
raised_by = "clerk"

[[process.field]]
code = "received_at"
label = { zh = "收文时间", en = "Received at" }
kind = "datetime"

[[process.field]]
code = "title"
label = { zh = "标题", en = "Title" }
kind = "text"

[[process.field]]
code = "budget"
label = { zh = "预算", en = "Budget" }
kind = "money"

[[process.field]]
code = "quote"
label = { zh = "报价", en = "Quote" }
kind = "money"

[[process.step]]
code = "sign"
name = { zh = "签收", en = "Sign" }
owner = "clerk"
deadline = "same-day"
anchor = "field:received_at"

[[process.step]]
code = "assign"
name = { zh = "拟办", en = "Assign" }
owner = "director"
deadline = "wd(1)"
outputs = ["minutes"]

[[process.step.approval]]
by = "director"
when = "quote > budget"

[process.step.ledger]
code = "flow"
row = { title = "field:title", done_at = "completed_at" }

[[process.step.escalation]]
to = "director"
within = "h(24)"
on = "overdue"

[[process.step]]
code = "file"
name = { zh = "归档", en = "File" }
owner = "clerk"
# 原文未规定时限
deadline = "none"

[[process.repeat]]
code = "daily"
name = { zh = "每日跟进", en = "Daily follow-up" }
every = "every(day) while open"
owner = "clerk"
during = "assign"
"##;

/// A second file with roles only.
const ROLES: &str = r#"
[[role]]
code = "vendor"
name = { zh = "维修单位", en = "Vendor" }
kind = "outside"
responsibilities = { zh = "维修。", en = "Repairs." }
"#;

/// `BASE` with `from` (which must occur exactly once) replaced by `to`.
fn with(from: &str, to: &str) -> String {
    assert_eq!(
        BASE.matches(from).count(),
        1,
        "fixture text {from:?} must occur once"
    );
    BASE.replacen(from, to, 1)
}

fn errors(files: &[(&str, &str)]) -> Vec<CatalogError> {
    match Catalog::from_files(files) {
        Ok(_) => panic!("expected errors"),
        Err(errors) => errors,
    }
}

fn errors_of(text: &str) -> Vec<CatalogError> {
    errors(&[("01-documents.toml", text), ("00-roles.toml", ROLES)])
}

/// Asserts that exactly this error (file, path, reason containing `reason`) is among `errors`.
fn assert_reported(errors: &[CatalogError], file: &str, path: &str, reason: &str) {
    assert!(
        errors
            .iter()
            .any(|e| e.file == file && e.path == path && e.reason.contains(reason)),
        "expected {file}: {path}: …{reason}…; got:\n{}",
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

const F: &str = "01-documents.toml";

#[test]
fn the_fixture_itself_is_a_valid_catalog() {
    let c = Catalog::from_files(&[(F, BASE), ("00-roles.toml", ROLES)]).unwrap();
    let p = c.process("incoming").unwrap();
    assert_eq!(p.steps.len(), 3);
    assert_eq!(
        p.steps[2].deadline, None,
        "deadline = \"none\" is accepted when written out"
    );
    assert_eq!(c.role("vendor").unwrap().kind, RoleKind::Outside);
    assert_eq!(
        c.role("clerk").unwrap().functions,
        [FunctionCode::new("documents")]
    );
}

#[test]
fn a_toml_syntax_error_is_reported_with_its_line() {
    let text = with("deadline = \"wd(1)\"", "deadline = wd(1)");
    let line = text.lines().position(|l| l == "deadline = wd(1)").unwrap() + 1;
    let errs = errors_of(&text);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].file, F);
    assert!(
        errs[0].path.starts_with(&format!("line {line}, column")),
        "{}",
        errs[0]
    );
    assert!(!errs[0].reason.is_empty());
}

#[test]
fn a_misspelt_key_is_refused_with_its_line() {
    let text = with("deadline = \"wd(1)\"", "dealine = \"wd(1)\"");
    let line = text.lines().position(|l| l.starts_with("dealine")).unwrap() + 1;
    let errs = errors_of(&text);
    assert_eq!(errs[0].file, F);
    assert!(
        errs[0].path.starts_with(&format!("line {line},")),
        "{}",
        errs[0]
    );
    assert!(errs[0].reason.contains("dealine"), "{}", errs[0]);
}

#[test]
fn an_unknown_role_as_owner_is_reported_at_the_step() {
    let errs = errors_of(&with("owner = \"director\"", "owner = \"boss\""));
    assert_reported(
        &errs,
        F,
        "process[incoming].step[2].owner",
        "unknown role \"boss\"",
    );
}

#[test]
fn an_unknown_role_elsewhere_is_reported_where_it_is_named() {
    let errs = errors_of(&with("raised_by = \"clerk\"", "raised_by = \"nobody\""));
    assert_reported(
        &errs,
        F,
        "process[incoming].raised_by",
        "unknown role \"nobody\"",
    );
    let errs = errors_of(&with("to = \"director\"", "to = \"ceo\""));
    assert_reported(
        &errs,
        F,
        "process[incoming].step[2].escalation[1].to",
        "unknown role \"ceo\"",
    );
    let errs = errors_of(&with(
        "owner = \"clerk\"\nduring",
        "owner = \"ghost\"\nduring",
    ));
    assert_reported(
        &errs,
        F,
        "process[incoming].repeat[1].owner",
        "unknown role \"ghost\"",
    );
}

#[test]
fn an_unknown_field_is_reported() {
    let errs = errors_of(&with(
        "anchor = \"field:received_at\"",
        "anchor = \"field:received\"",
    ));
    assert_reported(
        &errs,
        F,
        "process[incoming].step[1].anchor",
        "unknown field \"received\"",
    );
    let errs = errors_of(&with(
        "title = \"field:title\"",
        "title = \"field:subject\"",
    ));
    assert_reported(
        &errs,
        F,
        "process[incoming].step[2].ledger.row.title",
        "unknown field \"subject\"",
    );
}

#[test]
fn an_unknown_function_is_reported() {
    let text = with(
        "code = \"clerk\"\n",
        "code = \"clerk\"\nfunctions = [\"documents\", \"nope\"]\n",
    );
    let errs = errors_of(&text);
    assert_reported(
        &errs,
        F,
        "role[clerk].functions[2]",
        "unknown function \"nope\"",
    );
    let errs = errors_of(&with(
        "code = \"incoming\"\n",
        "code = \"incoming\"\nfunction = \"meetings\"\n",
    ));
    assert_reported(
        &errs,
        F,
        "process[incoming].function",
        "unknown function \"meetings\"",
    );
}

#[test]
fn a_process_outside_any_function_is_reported() {
    let orphan = "[[process]]\ncode = \"orphan\"\nname = { zh = \"孤\", en = \"Orphan\" }\n\
                  trigger = \"every(week)\"\n[[process.step]]\ncode = \"a\"\n\
                  name = { zh = \"甲\", en = \"A\" }\nowner = \"vendor\"\ndeadline = \"wd(1)\"\n";
    let errs = errors(&[
        (F, BASE),
        ("00-roles.toml", ROLES),
        ("99-extra.toml", orphan),
    ]);
    assert_reported(
        &errs,
        "99-extra.toml",
        "process[orphan].function",
        "no function",
    );
}

#[test]
fn an_unknown_ledger_is_reported() {
    let errs = errors_of(&with("code = \"flow\"\nrow", "code = \"flows\"\nrow"));
    assert_reported(
        &errs,
        F,
        "process[incoming].step[2].ledger.code",
        "unknown ledger \"flows\"",
    );
}

#[test]
fn an_unknown_ledger_column_is_reported() {
    let errs = errors_of(&with(
        "done_at = \"completed_at\"",
        "finished = \"completed_at\"",
    ));
    assert_reported(
        &errs,
        F,
        "process[incoming].step[2].ledger.row.finished",
        "has no column \"finished\"",
    );
}

#[test]
fn an_unknown_output_is_reported() {
    let errs = errors_of(&with("outputs = [\"minutes\"]", "outputs = [\"minute\"]"));
    assert_reported(
        &errs,
        F,
        "process[incoming].step[2].outputs[1]",
        "unknown output \"minute\"",
    );
}

#[test]
fn duplicate_role_function_and_process_codes_are_reported_across_files() {
    let second = r##"
[function]
code = "documents"
order = 2
accent = "#123456"
name = { zh = "文书二", en = "Documents again" }
positioning = { zh = "重复。", en = "A duplicate." }

[[role]]
code = "clerk"
name = { zh = "文员", en = "Clerk" }
responsibilities = { zh = "重复。", en = "Again." }

[[process]]
code = "incoming"
name = { zh = "收文", en = "Incoming" }
trigger = "every(month)"

[[process.step]]
code = "a"
name = { zh = "甲", en = "A" }
owner = "clerk"
deadline = "wd(1)"
"##;
    let errs = errors(&[(F, BASE), ("02-more.toml", second)]);
    assert_reported(
        &errs,
        "02-more.toml",
        "function[documents].code",
        "duplicate function code \"documents\" (also in 01-documents.toml)",
    );
    assert_reported(
        &errs,
        "02-more.toml",
        "role[clerk].code",
        "duplicate role code \"clerk\"",
    );
    assert_reported(
        &errs,
        "02-more.toml",
        "process[incoming].code",
        "duplicate process code \"incoming\"",
    );
}

#[test]
fn duplicate_step_and_field_codes_are_reported_within_a_process() {
    let errs = errors_of(&with("code = \"file\"", "code = \"sign\""));
    assert_reported(
        &errs,
        F,
        "process[incoming].step[3].code",
        "duplicate step code \"sign\"",
    );
    let errs = errors_of(&with("code = \"quote\"", "code = \"budget\""));
    assert_reported(
        &errs,
        F,
        "process[incoming].field[4].code",
        "duplicate field code \"budget\"",
    );
}

#[test]
fn a_step_without_owner_is_reported() {
    let errs = errors_of(&with("owner = \"director\"\n", ""));
    assert_reported(
        &errs,
        F,
        "process[incoming].step[2].owner",
        "the step has no owner",
    );
}

#[test]
fn a_step_that_forgets_its_deadline_is_refused_but_an_explicit_none_is_not() {
    let errs = errors_of(&with("deadline = \"wd(1)\"\n", ""));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_reported(
        &errs,
        F,
        "process[incoming].step[2].deadline",
        "deadline = \"none\"",
    );
    // the fixture's third step says deadline = "none" and is accepted (see the fixture test)
}

#[test]
fn a_rule_that_cannot_be_parsed_is_reported_with_the_notation_error() {
    let errs = errors_of(&with("deadline = \"wd(1)\"", "deadline = \"wd(x)\""));
    assert_reported(
        &errs,
        F,
        "process[incoming].step[2].deadline",
        "cannot read \"wd(x)\": expected a whole number",
    );
    let errs = errors_of(&with("within = \"h(24)\"", "within = \"hours(24)\""));
    assert_reported(
        &errs,
        F,
        "process[incoming].step[2].escalation[1].within",
        "unknown rule",
    );
    let errs = errors_of(&with(
        "every = \"every(day) while open\"",
        "every = \"every(day)\"",
    ));
    assert_reported(&errs, F, "process[incoming].repeat[1].every", "while open");
    let errs = errors_of(&with(
        "trigger = \"on-request\"",
        "trigger = \"every(fortnight)\"",
    ));
    assert_reported(&errs, F, "process[incoming].trigger", "unknown schedule");
}

#[test]
fn a_before_event_rule_in_a_process_without_a_date_field_is_reported() {
    let text = with("kind = \"datetime\"", "kind = \"text\"")
        .replace("anchor = \"field:received_at\"\n", "")
        .replace("deadline = \"wd(1)\"", "deadline = \"before-event(wd 1)\"");
    let errs = errors_of(&text);
    assert_reported(
        &errs,
        F,
        "process[incoming].step[2].anchor",
        "the process has no date or datetime field",
    );
}

#[test]
fn a_before_event_rule_not_anchored_on_a_date_field_is_reported() {
    let errs = errors_of(&with(
        "deadline = \"wd(1)\"",
        "deadline = \"window-before-event(wd 5)\"",
    ));
    assert_reported(
        &errs,
        F,
        "process[incoming].step[2].anchor",
        "anchor it on a date field",
    );
}

#[test]
fn an_anchor_on_a_field_that_is_not_a_date_is_reported() {
    let errs = errors_of(&with(
        "anchor = \"field:received_at\"",
        "anchor = \"field:title\"",
    ));
    assert_reported(
        &errs,
        F,
        "process[incoming].step[1].anchor",
        "field \"title\" is a text field",
    );
}

#[test]
fn an_anchor_on_a_missing_or_later_step_is_reported() {
    let errs = errors_of(&with(
        "deadline = \"wd(1)\"",
        "deadline = \"wd(1)\"\nanchor = \"step:file\"",
    ));
    assert_reported(
        &errs,
        F,
        "process[incoming].step[2].anchor",
        "step \"file\" is not an earlier step",
    );
    let errs = errors_of(&with(
        "deadline = \"wd(1)\"",
        "deadline = \"wd(1)\"\nanchor = \"step:nowhere\"",
    ));
    assert_reported(
        &errs,
        F,
        "process[incoming].step[2].anchor",
        "unknown step \"nowhere\"",
    );
    let errs = errors_of(&with(
        "anchor = \"field:received_at\"",
        "anchor = \"previous\"",
    ));
    assert_reported(
        &errs,
        F,
        "process[incoming].step[1].anchor",
        "the first step has no previous step",
    );
}

#[test]
fn an_approval_naming_a_missing_role_is_reported() {
    let errs = errors_of(&with(
        "by = \"director\"",
        "by = [\"director\", \"chairman\"]",
    ));
    assert_reported(
        &errs,
        F,
        "process[incoming].step[2].approval[1].by[2]",
        "unknown role \"chairman\"",
    );
}

#[test]
fn a_conditional_approval_on_a_missing_field_is_reported() {
    let errs = errors_of(&with(
        "when = \"quote > budget\"",
        "when = \"price > budget\"",
    ));
    assert_reported(
        &errs,
        F,
        "process[incoming].step[2].approval[1].when",
        "unknown field \"price\"",
    );
}

#[test]
fn a_conditional_approval_on_a_non_numeric_field_is_reported() {
    let errs = errors_of(&with(
        "when = \"quote > budget\"",
        "when = \"quote > 95% title\"",
    ));
    assert_reported(
        &errs,
        F,
        "process[incoming].step[2].approval[1].when",
        "field \"title\" is a text field; a comparison needs a number or money field",
    );
}

#[test]
fn a_condition_on_a_choice_needs_an_existing_option() {
    let text = with(
        "kind = \"text\"",
        "kind = \"choice\"\noptions = [{ zh = \"一般\", en = \"ordinary\" }, { zh = \"重大\", en = \"major\" }]",
    )
    .replace("when = \"quote > budget\"", "when = \"title = urgent\"");
    let errs = errors_of(&text);
    assert_reported(
        &errs,
        F,
        "process[incoming].step[2].approval[1].when",
        "has no option \"urgent\"",
    );
    let ok = text.replace("when = \"title = urgent\"", "when = \"title = 重大\"");
    assert!(Catalog::from_files(&[(F, ok.as_str()), ("00-roles.toml", ROLES)]).is_ok());
}

#[test]
fn a_bad_field_kind_or_accent_is_reported() {
    let errs = errors_of(&with(
        "kind = \"money\"\n\n[[process.field]]\ncode = \"quote\"",
        "kind = \"cash\"\n\n[[process.field]]\ncode = \"quote\"",
    ));
    assert_reported(
        &errs,
        F,
        "process[incoming].field[3].kind",
        "unknown field kind \"cash\"",
    );
    let errs = errors_of(&with("accent = \"#0e7490\"", "accent = \"teal\""));
    assert_reported(&errs, F, "function[documents].accent", "#rrggbb");
}

#[test]
fn a_missing_name_in_one_language_is_reported() {
    let errs = errors_of(&with(
        "name = { zh = \"签收\", en = \"Sign\" }",
        "name = { zh = \"签收\", en = \"\" }",
    ));
    assert_reported(
        &errs,
        F,
        "process[incoming].step[1].name",
        "both the Chinese (zh) and English (en)",
    );
}

#[test]
fn all_errors_are_collected_not_just_the_first() {
    let text = with("owner = \"director\"", "owner = \"boss\"")
        .replace("deadline = \"same-day\"", "deadline = \"soon\"")
        .replace("outputs = [\"minutes\"]", "outputs = [\"memo\"]");
    let errs = errors_of(&text);
    assert_eq!(errs.len(), 3, "{errs:?}");
    let paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
    assert!(paths.contains(&"process[incoming].step[1].deadline"));
    assert!(paths.contains(&"process[incoming].step[2].owner"));
    assert!(paths.contains(&"process[incoming].step[2].outputs[1]"));
}

#[test]
fn an_error_prints_as_one_line_with_file_path_and_reason() {
    let errs = errors_of(&with("owner = \"director\"", "owner = \"boss\""));
    assert_eq!(
        errs[0].to_string(),
        "01-documents.toml: process[incoming].step[2].owner: unknown role \"boss\""
    );
    assert!(!errs[0].to_string().contains('\n'));
    let syntax = errors_of(&with("deadline = \"wd(1)\"", "deadline = \"wd(1)"));
    for e in syntax {
        assert!(!e.to_string().contains('\n'), "{e}");
    }
}
