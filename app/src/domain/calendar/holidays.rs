//! Holiday data: the built-in PRC arrangements 2020–2026 (compiled in from
//! `data/cn-holidays.csv`) and the administrator's overrides, read from and written to the same
//! CSV format (`date,kind,name`).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The built-in data: PRC statutory holidays and make-up working days, 2020–2026.
pub const BUILT_IN_CSV: &str = include_str!("../../../data/cn-holidays.csv");

/// What a listed date is, against the ordinary Monday–Friday week.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DayKind {
    /// A day off even on a weekday (CSV `holiday`).
    DayOff,
    /// A working day even on a Saturday or Sunday, e.g. a make-up working day (CSV `workday`).
    WorkingDay,
}

impl DayKind {
    /// The CSV spelling: `holiday` or `workday`.
    pub fn csv(self) -> &'static str {
        match self {
            DayKind::DayOff => "holiday",
            DayKind::WorkingDay => "workday",
        }
    }
}

/// One date that differs from the ordinary week: a built-in row or an administrator's override.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DayOverride {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// The holiday the row belongs to, e.g. `国庆节、中秋节`, or the administrator's reason.
    pub name: String,
    /// True when the row is part of a whole year's arrangement (entered as such or imported
    /// as CSV). Such a row makes its calendar year *published* and replaces the built-in rows
    /// of that year; a single extra day off or working day leaves this false.
    #[serde(default)]
    pub year_arrangement: bool,
}

impl DayOverride {
    /// A single extra day off.
    pub fn day_off(date: NaiveDate, name: impl Into<String>) -> Self {
        DayOverride {
            date,
            kind: DayKind::DayOff,
            name: name.into(),
            year_arrangement: false,
        }
    }

    /// A single extra working day.
    pub fn working_day(date: NaiveDate, name: impl Into<String>) -> Self {
        DayOverride {
            date,
            kind: DayKind::WorkingDay,
            name: name.into(),
            year_arrangement: false,
        }
    }
}

/// One line of a CSV that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvError {
    /// 1-based line number in the text.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// The header every holiday CSV starts with.
pub const CSV_HEADER: &str = "date,kind,name";

fn unquote(field: &str) -> Result<String, &'static str> {
    let f = field.trim();
    match f.strip_prefix('"') {
        None if f.contains('"') => Err("a quote may only surround the whole field"),
        None => Ok(f.to_string()),
        Some(rest) => {
            let inner = rest.strip_suffix('"').ok_or("unterminated quote")?;
            if inner.replace("\"\"", "").contains('"') {
                return Err("a quote inside a quoted field must be doubled");
            }
            Ok(inner.replace("\"\"", "\""))
        }
    }
}

/// Reads a holiday CSV in the format of `cn-holidays.csv`: the header `date,kind,name`, then
/// one row per date (`YYYY-MM-DD`, `holiday` or `workday`, a non-empty name; the name may be
/// quoted and may then contain commas). Blank lines, a byte-order mark and CRLF endings are
/// accepted. Every row is marked as part of a year's arrangement (`year_arrangement = true`):
/// importing a CSV enters the arrangements of the years it covers.
///
/// On failure every bad line is reported, with its 1-based line number.
pub fn parse_holiday_csv(text: &str) -> Result<Vec<DayOverride>, Vec<CsvError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut errors = Vec::new();
    let mut rows = Vec::new();
    let mut seen: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    let mut header_seen = false;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim();
        if l.is_empty() {
            continue;
        }
        let mut error = |message: String| errors.push(CsvError { line, message });
        if !header_seen {
            header_seen = true;
            let cols: Vec<String> = l
                .split(',')
                .map(|c| c.trim().to_ascii_lowercase())
                .collect();
            if cols != ["date", "kind", "name"] {
                error(format!(
                    "expected the header \"{CSV_HEADER}\", found \"{l}\""
                ));
            }
            continue;
        }
        let mut parts = l.splitn(3, ',');
        let (Some(date), Some(kind), Some(name)) = (parts.next(), parts.next(), parts.next())
        else {
            error("expected three fields: date,kind,name".to_string());
            continue;
        };
        let date = match NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d") {
            Ok(d) if date.trim().len() == 10 => Some(d),
            _ => {
                error(format!(
                    "\"{}\" is not a date in the form YYYY-MM-DD",
                    date.trim()
                ));
                None
            }
        };
        let kind = match kind.trim() {
            "holiday" => Some(DayKind::DayOff),
            "workday" => Some(DayKind::WorkingDay),
            other => {
                error(format!(
                    "kind must be \"holiday\" or \"workday\", found \"{other}\""
                ));
                None
            }
        };
        let name = match unquote(name) {
            Ok(n) if n.trim().is_empty() => {
                error("the name is empty".to_string());
                None
            }
            Ok(n) => Some(n.trim().to_string()),
            Err(why) => {
                error(format!("name: {why}"));
                None
            }
        };
        if let Some(d) = date {
            if let Some(first) = seen.get(&d) {
                error(format!("{d} is already listed on line {first}"));
                continue;
            }
            seen.insert(d, line);
        }
        if let (Some(date), Some(kind), Some(name)) = (date, kind, name) {
            rows.push(DayOverride {
                date,
                kind,
                name,
                year_arrangement: true,
            });
        }
    }
    if !header_seen {
        errors.push(CsvError {
            line: 1,
            message: format!("empty file: expected \"{CSV_HEADER}\""),
        });
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// Writes rows in the CSV format that [`parse_holiday_csv`] reads (for the administrator's
/// export), sorted by date.
pub fn to_holiday_csv(rows: &[DayOverride]) -> String {
    let mut sorted: Vec<&DayOverride> = rows.iter().collect();
    sorted.sort_by_key(|r| r.date);
    let mut out = String::from(CSV_HEADER);
    out.push('\n');
    for r in sorted {
        let name = if r.name.contains([',', '"']) {
            format!("\"{}\"", r.name.replace('"', "\"\""))
        } else {
            r.name.clone()
        };
        out.push_str(&format!(
            "{},{},{}\n",
            r.date.format("%Y-%m-%d"),
            r.kind.csv(),
            name
        ));
    }
    out
}

/// The built-in rows (all marked as year arrangements).
pub fn built_in_rows() -> Vec<DayOverride> {
    parse_holiday_csv(BUILT_IN_CSV).expect("the built-in holiday data is valid")
}

/// The calendar years the built-in data covers (2020–2026).
pub fn built_in_years() -> Vec<i32> {
    let mut years: Vec<i32> = built_in_rows().iter().map(|r| r.date.year()).collect();
    years.dedup();
    years
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn built_in_data_reads_and_covers_2020_to_2026() {
        let rows = built_in_rows();
        assert_eq!(rows.len(), 255);
        assert_eq!(built_in_years(), (2020..=2026).collect::<Vec<_>>());
        let oct1 = rows.iter().find(|r| r.date == d(2025, 10, 1)).unwrap();
        assert_eq!(
            (oct1.kind, oct1.name.as_str()),
            (DayKind::DayOff, "国庆节、中秋节")
        );
        let sep28 = rows.iter().find(|r| r.date == d(2025, 9, 28)).unwrap();
        assert_eq!(sep28.kind, DayKind::WorkingDay);
    }

    #[test]
    fn export_reads_back_identically() {
        let rows = built_in_rows();
        assert_eq!(parse_holiday_csv(&to_holiday_csv(&rows)).unwrap(), rows);
        let odd = vec![DayOverride {
            name: "a, \"quoted\" name".into(),
            year_arrangement: true,
            ..DayOverride::day_off(d(2027, 1, 1), "")
        }];
        assert_eq!(parse_holiday_csv(&to_holiday_csv(&odd)).unwrap(), odd);
    }

    #[test]
    fn import_accepts_bom_crlf_and_blank_lines() {
        let text =
            "\u{feff}date,kind,name\r\n2027-01-01,holiday,元旦\r\n\r\n2027-02-06,workday,春节\r\n";
        let rows = parse_holiday_csv(text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[1],
            DayOverride {
                date: d(2027, 2, 6),
                kind: DayKind::WorkingDay,
                name: "春节".into(),
                year_arrangement: true,
            }
        );
    }

    #[test]
    fn import_reports_every_bad_line_with_its_number() {
        let text = "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-30,holiday,春节\n\
                    2027-02-10,vacation,春节\n2027-02-11,holiday,\n2027-01-01,workday,元旦\n\
                    just one field\n27-1-2,holiday,x\n";
        let errors = parse_holiday_csv(text).unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6, 7, 8]);
        assert_eq!(
            errors[0].to_string(),
            "line 3: \"2027-02-30\" is not a date in the form YYYY-MM-DD"
        );
        assert!(errors[1].message.contains("\"vacation\""));
        assert_eq!(errors[2].message, "the name is empty");
        assert_eq!(errors[3].message, "2027-01-01 is already listed on line 2");
        assert_eq!(errors[4].message, "expected three fields: date,kind,name");
    }

    #[test]
    fn import_requires_the_header() {
        let errors = parse_holiday_csv("2027-01-01,holiday,元旦\n").unwrap_err();
        assert_eq!(errors[0].line, 1);
        assert!(errors[0].message.contains("date,kind,name"));
        assert_eq!(parse_holiday_csv("").unwrap_err()[0].line, 1);
    }
}
