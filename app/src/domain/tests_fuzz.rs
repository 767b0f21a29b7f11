//! Fuzzing the parsers that read what people and files send (proptest): the form parsers (each
//! field kind of every process of the standard, whole forms, uploaded file references), the
//! catalog files (arbitrary text, and the standard's own files mutated line by line), the
//! rule notations (`wd(3)`, `monthly(5)`, conditions, anchors) and the calendar's overrides
//! and CSV import. Nothing may panic; every refusal names what it refuses; what parses writes
//! back to the same thing.
//!
//! Bounded for CI: proptest's default of 256 cases per property. For a longer run:
//! `PROPTEST_CASES=20000 cargo test -p app --lib fuzz` (see docs/RELIABILITY.md).

use std::sync::OnceLock;

use proptest::prelude::*;

use crate::domain::calendar::admin::{parse_override, parse_year_import};
use crate::domain::catalog::{builtin, Anchor, Catalog, Condition, Field, BUILTIN_FILES};
use crate::domain::rules::{DeadlineRule, Repeat, Schedule};
use crate::domain::workflow::form::{
    FileRef, FormInput, RawValue, ALLOWED_CONTENT_TYPES, MAX_FILE_BYTES,
};
use crate::domain::workflow::form_parse::{check_file, parse_value};
use crate::domain::workflow::form_validate::{later_filler, validate_raise};

fn standard() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| builtin().expect("the built-in standard"))
}

/// Every field of every process, with its process's index.
fn fields() -> &'static Vec<(usize, Field)> {
    static FIELDS: OnceLock<Vec<(usize, Field)>> = OnceLock::new();
    FIELDS.get_or_init(|| {
        standard()
            .processes
            .iter()
            .enumerate()
            .flat_map(|(p, process)| process.fields.iter().map(move |f| (p, f.clone())))
            .collect()
    })
}

const ZONE: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

/// Text as people type it and as attackers send it: anything, near-numbers, near-dates,
/// choices of the standard with noise, and very long text.
fn typed_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[-+0-9 .,，eE¥￥元万亿_]{0,24}",
        "[0-9]{1,6}[-/.年][0-9]{1,3}[-/.月][0-9]{1,3}日?([T ][0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2})?)?",
        "\\PC{0,40}",
        prop::collection::vec(any::<char>(), 4990..5020).prop_map(String::from_iter),
        "[ \t\r\n\u{3000}]{0,5}(是|否|同意|行政部|市政府办公厅|[a-z_]{1,12})[ \t\u{3000}]{0,5}",
    ]
}

fn file_ref() -> impl Strategy<Value = FileRef> {
    let kinds = prop_oneof![
        any::<String>(),
        prop::sample::select(ALLOWED_CONTENT_TYPES.to_vec()).prop_map(String::from),
    ];
    (
        any::<String>(),
        any::<String>(),
        prop_oneof![0..=MAX_FILE_BYTES + 2, any::<u64>()],
        kinds,
    )
        .prop_map(|(id, name, size, content_type)| FileRef {
            id,
            name,
            size,
            content_type,
        })
}

fn raw_value() -> impl Strategy<Value = RawValue> {
    prop_oneof![
        4 => typed_text().prop_map(RawValue::Text),
        1 => file_ref().prop_map(RawValue::File),
    ]
}

proptest! {
    #[test]
    fn fuzz_a_field_refuses_with_its_own_name_or_parses(
        which in any::<prop::sample::Index>(),
        raw in raw_value(),
    ) {
        let (_, field) = which.get(fields());
        match parse_value(field, &raw, ZONE) {
            Ok(_) => {}
            Err(error) => {
                prop_assert_eq!(&error.field, field.code.as_str());
                prop_assert!(!error.code.is_empty());
                prop_assert!(!error.message.zh.is_empty() && !error.message.en.is_empty());
            }
        }
    }

    #[test]
    fn fuzz_a_whole_form_is_refused_field_by_field_or_has_every_required_field(
        which in any::<prop::sample::Index>(),
        given in prop::collection::vec(
            (prop_oneof![any::<prop::sample::Index>().prop_map(Ok), "[a-z_]{0,12}".prop_map(Err)], raw_value()),
            0..12,
        ),
    ) {
        let process = which.get(&standard().processes);
        let mut input = FormInput::new();
        for (key, value) in given {
            let code = match key {
                Ok(index) if !process.fields.is_empty() => {
                    index.get(&process.fields).code.to_string()
                }
                Ok(_) => String::from("nothing"),
                Err(text) => text,
            };
            input.insert(code, value);
        }
        match validate_raise(process, &input, ZONE) {
            Ok(values) => {
                for field in &process.fields {
                    if field.required && later_filler(process, field).is_none() {
                        prop_assert!(values.contains_key(&field.code), "{} missing", field.code);
                    }
                }
                for code in values.keys() {
                    prop_assert!(process.field(code.as_str()).is_some());
                }
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for error in errors {
                    let known = process.field(&error.field).is_some()
                        || input.contains_key(&error.field);
                    prop_assert!(known, "a refusal names {:?}", error.field);
                }
            }
        }
    }

    #[test]
    fn fuzz_an_uploaded_file_is_refused_unless_small_and_of_an_allowed_kind(file in file_ref()) {
        if let Ok(accepted) = check_file(&file) {
            prop_assert!(accepted.size <= MAX_FILE_BYTES);
            prop_assert!(ALLOWED_CONTENT_TYPES.contains(&accepted.content_type.as_str()));
        }
    }

    #[test]
    fn fuzz_catalog_text_never_panics_and_every_error_names_its_file(text in any::<String>()) {
        let files = [("99-fuzz.toml", text.as_str())];
        if let Err(errors) = Catalog::from_files(&files) {
            prop_assert!(!errors.is_empty());
            for error in errors {
                prop_assert_eq!(error.file.as_str(), "99-fuzz.toml");
                prop_assert!(!error.reason.is_empty());
            }
        }
    }

    #[test]
    fn fuzz_the_standards_files_mutated_line_by_line_are_read_or_refused_with_reasons(
        file in any::<prop::sample::Index>(),
        edits in prop::collection::vec(
            (0u8..5, any::<prop::sample::Index>(), any::<prop::sample::Index>(), "\\PC{0,30}"),
            1..6,
        ),
    ) {
        let chosen = file.index(BUILTIN_FILES.len());
        let mut lines: Vec<String> =
            BUILTIN_FILES[chosen].1.lines().map(String::from).collect();
        for (kind, at, other, text) in edits {
            if lines.is_empty() {
                lines.push(text.clone());
            }
            let (i, j) = (at.index(lines.len()), other.index(lines.len()));
            match kind {
                0 => {
                    lines.remove(i);
                }
                1 => {
                    let copy = lines[i].clone();
                    lines.insert(j, copy);
                }
                2 => lines[i] = text,
                3 => lines.swap(i, j),
                _ => {
                    // Keep a line's first characters only (a value or a key cut short).
                    let keep = j % (lines[i].chars().count() + 1);
                    lines[i] = lines[i].chars().take(keep).collect();
                }
            }
        }
        let mutated = lines.join("\n");
        let files: Vec<(&str, &str)> = BUILTIN_FILES
            .iter()
            .enumerate()
            .map(|(n, (name, text))| (*name, if n == chosen { mutated.as_str() } else { *text }))
            .collect();
        if let Err(errors) = Catalog::from_files(&files) {
            prop_assert!(!errors.is_empty());
            for error in errors {
                prop_assert!(BUILTIN_FILES.iter().any(|(name, _)| *name == error.file));
                prop_assert!(!error.reason.is_empty());
            }
        }
    }

    #[test]
    fn fuzz_rule_notations_parse_to_what_they_write_back(
        text in prop_oneof![
            1 => any::<String>(),
            1 => "(wd|h|min|same-day|monthly-by|every|before-event|window-before-event|while open|working|field|step|created|previous|anomaly|day|week|month|year|days|quarter|half-year|[0-9]|[-(),:_ >=%]|[a-z]){0,24}",
            // The notations themselves, and near them: spacing, signs, sizes and words varied.
            3 => "(wd|h|min|monthly-by)\\([0-9]{1,3}(, working)?\\)",
            1 => " ?(wd|h|min|monthly-by) ?\\( ?-?[0-9]{1,12}(, ?(working|work|w))? ?\\) ?",
            2 => "(before-event|window-before-event)\\((wd|h|weeks) ?-?[0-9]{1,4}\\)",
            2 => "every\\((day|week|month|quarter|half-year|year(, month -?[0-9]{1,2})?|days -?[0-9]{1,4}|h -?[0-9]{1,3})\\)( while open)?",
            2 => "(created|previous|anomaly|(field|step):[a-z_]{0,10}[A-Z0-9 ]?)",
            2 => "[a-z_]{1,8} ?(>|=|>=) ?(-?[0-9]{1,5}(\\.[0-9]{1,3})?%? ?)?[a-z_0-9]{0,8}",
        ],
    ) {
        if let Ok(rule) = text.parse::<DeadlineRule>() {
            prop_assert_eq!(rule.to_string().parse::<DeadlineRule>().ok(), Some(rule));
        }
        if let Ok(schedule) = text.parse::<Schedule>() {
            prop_assert_eq!(schedule.to_string().parse::<Schedule>().ok(), Some(schedule));
        }
        if let Ok(repeat) = text.parse::<Repeat>() {
            prop_assert_eq!(repeat.to_string().parse::<Repeat>().ok(), Some(repeat));
        }
        if let Ok(anchor) = text.parse::<Anchor>() {
            prop_assert_eq!(anchor.to_string().parse::<Anchor>().ok(), Some(anchor));
        }
        if let Ok(condition) = text.parse::<Condition>() {
            prop_assert_eq!(condition.to_string().parse::<Condition>().ok(), Some(condition));
        }
    }

    #[test]
    fn fuzz_calendar_overrides_and_imports_are_read_or_refused_with_reasons(
        date in prop_oneof![any::<String>(), "[0-9]{1,5}-[0-9]{1,3}-[0-9]{1,3}"],
        kind in prop_oneof![any::<String>(), "(holiday|workday|休|班)"],
        name in any::<String>(),
        year in any::<i32>(),
        csv in prop_oneof![
            any::<String>(),
            "(date,kind,name\n)?([0-9]{4}-[0-9]{2}-[0-9]{2},(holiday|workday|x),[^\n]{0,8}\n){0,6}",
        ],
    ) {
        if let Err(errors) = parse_override(&date, &kind, &name) {
            prop_assert!(!errors.is_empty());
        }
        if let Err(errors) = parse_year_import(year, &csv) {
            prop_assert!(!errors.is_empty());
        }
    }
}
