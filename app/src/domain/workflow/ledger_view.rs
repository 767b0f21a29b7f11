//! A ledger (台账) as the office reads it: its rows with the case each belongs to, for a period,
//! a department and words, sorted by any column, and as a CSV file Excel opens in Chinese.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::ids::CaseId;
use super::ledger::LedgerRow;
use super::ledger_manual::ManualMark;
use crate::domain::catalog::{Catalog, ColumnCode, FunctionCode, Ledger, LedgerCode};
use crate::domain::lang::{Lang, Text};
use crate::error::FieldError;

/// The most rows a page shows; the download has them all.
pub const PAGE_ROWS: usize = 500;
/// The longest search text, in characters.
pub const MAX_TEXT_CHARS: usize = 100;

/// A stored row with what the page shows of its case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub row: LedgerRow,
    pub title: String,
    pub department: Option<String>,
    /// Entered by hand (its row belongs to no case).
    #[serde(default)]
    pub manual: Option<ManualMark>,
}

/// What the reader asks of a ledger.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerQuery {
    pub ledger: String,
    /// First and last local day of the period (inclusive); open when absent.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub department: Option<String>,
    /// Words that must all appear in the row (its case's title, department or a cell).
    #[serde(default)]
    pub text: String,
    /// A column's code, or `at` (when written, the default) or `case`.
    pub sort: Option<String>,
    #[serde(default)]
    pub descending: bool,
}

impl LedgerQuery {
    /// Checks the query against the ledger: a period that ends before it starts, an unknown
    /// sort column and an overlong search are refused, each at its field.
    pub fn check(&self, ledger: &Ledger) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if to < from {
                errors.push(FieldError::new(
                    "to",
                    "before_from",
                    "结束日期不能早于开始日期。",
                    "The period cannot end before it starts.",
                ));
            }
        }
        if self.text.chars().count() > MAX_TEXT_CHARS {
            errors.push(FieldError::new(
                "text",
                "too_long",
                "搜索内容不能超过 100 个字符。",
                "The search can be at most 100 characters long.",
            ));
        }
        if let Some(sort) = &self.sort {
            let known = sort == "at" || sort == "case" || ledger.column(sort).is_some();
            if !known {
                errors.push(FieldError::new(
                    "sort",
                    "unknown",
                    "没有这一列。",
                    "The ledger has no such column.",
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The period as instants: from the start of `from` up to (not including) the start of the
    /// day after `to`, in the organisation's zone.
    pub fn bounds(&self, zone: Tz) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let start = |day: NaiveDate| {
            zone.from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
                .earliest()
                .map(|t| t.with_timezone(&Utc))
        };
        (
            self.from.and_then(start),
            self.to.and_then(|d| d.succ_opt()).and_then(start),
        )
    }
}

/// One row as shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableRow {
    pub case: CaseId,
    pub title: String,
    pub department: Option<String>,
    /// When it was written, local `YYYY-MM-DD HH:MM`.
    pub at: String,
    /// In the ledger's column order; instants as local `YYYY-MM-DD HH:MM`.
    pub cells: Vec<String>,
    /// Entered by hand: its number, who and why (`case` is then 0).
    #[serde(default)]
    pub manual: Option<ManualMark>,
}

/// A ledger's page: its columns and the rows asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerTable {
    pub code: LedgerCode,
    pub function: FunctionCode,
    pub name: Text,
    pub columns: Vec<(ColumnCode, Text)>,
    /// At most [`PAGE_ROWS`].
    pub rows: Vec<TableRow>,
    /// How many rows match, all of them.
    pub matching: usize,
    /// The organisation's departments, for the filter.
    pub departments: Vec<String>,
    /// Today in the organisation's zone, for the quick periods (this month …).
    pub today: NaiveDate,
}

/// An instant written as RFC 3339 shown as local `YYYY-MM-DD HH:MM`; other text as it is.
fn shown(value: &str, zone: Tz) -> String {
    match DateTime::parse_from_rfc3339(value) {
        Ok(t) => t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string(),
        Err(_) => value.to_string(),
    }
}

/// Compares two cells: as numbers when both are, else as text.
fn compare_cells(a: &str, b: &str) -> std::cmp::Ordering {
    let number = |s: &str| s.trim().replace(',', "").parse::<f64>().ok();
    match (number(a), number(b)) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        _ => a.cmp(b),
    }
}

/// The rows of `ledger` that `query` asks for, in its order, from the entries of the period and
/// department (the store narrows those; the words and the order are applied here).
pub fn matching_rows(
    ledger: &Ledger,
    entries: Vec<LedgerEntry>,
    query: &LedgerQuery,
    zone: Tz,
) -> Vec<TableRow> {
    let words: Vec<String> = query
        .text
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    let mut rows: Vec<(DateTime<Utc>, TableRow)> = entries
        .into_iter()
        .map(|entry| {
            let cells = ledger
                .columns
                .iter()
                .map(|column| {
                    entry
                        .row
                        .cells
                        .iter()
                        .find(|c| c.column == column.code)
                        .map(|c| shown(&c.value, zone))
                        .unwrap_or_default()
                })
                .collect();
            let row = TableRow {
                case: entry.row.case,
                title: entry.title,
                department: entry.department,
                at: entry
                    .row
                    .at
                    .with_timezone(&zone)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
                cells,
                manual: entry.manual,
            };
            (entry.row.at, row)
        })
        .filter(|(_, row)| {
            if words.is_empty() {
                return true;
            }
            let haystack = format!(
                "{} {} {} {}",
                row.case.0,
                row.title,
                row.department.as_deref().unwrap_or(""),
                row.cells.join(" ")
            )
            .to_lowercase();
            words.iter().all(|w| haystack.contains(w))
        })
        .collect();
    let column = query
        .sort
        .as_deref()
        .and_then(|s| ledger.columns.iter().position(|c| c.code == s));
    rows.sort_by(|(at_a, a), (at_b, b)| {
        let order = match (query.sort.as_deref(), column) {
            (_, Some(i)) => compare_cells(&a.cells[i], &b.cells[i]),
            (Some("case"), _) => a.case.0.cmp(&b.case.0),
            _ => at_a.cmp(at_b),
        };
        let order = order.then(at_a.cmp(at_b)).then(a.case.0.cmp(&b.case.0));
        if query.descending {
            order.reverse()
        } else {
            order
        }
    });
    rows.into_iter().map(|(_, row)| row).collect()
}

/// The page: the ledger's columns and the first [`PAGE_ROWS`] of `rows`.
pub fn ledger_table(
    ledger: &Ledger,
    rows: Vec<TableRow>,
    departments: Vec<String>,
    today: NaiveDate,
) -> LedgerTable {
    LedgerTable {
        code: ledger.code.clone(),
        function: ledger.function.clone(),
        name: ledger.name.clone(),
        columns: ledger
            .columns
            .iter()
            .map(|c| (c.code.clone(), c.name.clone()))
            .collect(),
        matching: rows.len(),
        rows: rows.into_iter().take(PAGE_ROWS).collect(),
        departments,
        today,
    }
}

/// One CSV field: quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-`
/// or `@` is neutralised with an apostrophe so a spreadsheet never runs a cell as a formula.
fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// The rows as a download lays them out: a header line in `lang` (number, title, department,
/// the ledger's columns, when recorded), then one line per row.
pub fn export_lines(ledger: &Ledger, rows: &[TableRow], lang: Lang) -> Vec<Vec<String>> {
    let (case, title, department, at) = match lang {
        Lang::Zh => ("事项编号", "事项", "部门", "登记时间"),
        Lang::En => ("Case", "Title", "Department", "Recorded at"),
    };
    let mut header: Vec<String> = vec![case.into(), title.into(), department.into()];
    header.extend(ledger.columns.iter().map(|c| c.name.get(lang).to_string()));
    header.push(at.into());
    let mut lines = vec![header];
    lines.extend(rows.iter().map(|row| {
        let case = match (&row.manual, lang) {
            (Some(m), Lang::Zh) => format!("手工登记 M{}", m.id),
            (Some(m), Lang::En) => format!("By hand M{}", m.id),
            (None, _) => row.case.0.to_string(),
        };
        let mut fields = vec![
            case,
            row.title.clone(),
            row.department.clone().unwrap_or_default(),
        ];
        fields.extend(row.cells.iter().cloned());
        fields.push(row.at.clone());
        fields
    }));
    lines
}

/// The table as CSV: UTF-8 with a byte-order mark (so Excel reads the Chinese), a header line in
/// `lang`, lines ending CRLF.
pub fn ledger_csv(ledger: &Ledger, rows: &[TableRow], lang: Lang) -> String {
    csv_of(&export_lines(ledger, rows, lang))
}

/// Lines of fields as CSV: UTF-8 with a byte-order mark, lines ending CRLF.
pub fn csv_of(lines: &[Vec<String>]) -> String {
    let mut out = String::from("\u{feff}");
    for fields in lines {
        let cells: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Where a ledger comes from: each process step that writes it, as `(process, step)` names.
pub fn writers(catalog: &Catalog, ledger: &str) -> Vec<(Text, Text)> {
    catalog
        .processes
        .iter()
        .flat_map(|p| {
            p.steps
                .iter()
                .filter(|s| s.ledger.as_ref().is_some_and(|w| w.ledger == ledger))
                .map(|s| (p.name.clone(), s.name.clone()))
        })
        .collect()
}

/// The first and last day of the month `months_back` months before the month of `today`.
pub fn month_of(today: NaiveDate, months_back: u32) -> (NaiveDate, NaiveDate) {
    let first = today.with_day(1).unwrap_or(today);
    let first = first
        .checked_sub_months(chrono::Months::new(months_back))
        .unwrap_or(first);
    let last = first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(first);
    (first, last)
}

/// The download's file name: the ledger's name without its 《》 and the period, e.g.
/// `公文流转台账_2025-10-01_2025-10-31.csv`.
pub fn export_name(ledger: &Ledger, query: &LedgerQuery, lang: Lang, extension: &str) -> String {
    let name: String = ledger
        .name
        .get(lang)
        .chars()
        .filter(|c| !matches!(c, '《' | '》' | '/' | '\\' | '"'))
        .collect();
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    let period: Vec<String> = [day(query.from), day(query.to)]
        .into_iter()
        .flatten()
        .collect();
    if period.is_empty() {
        format!("{name}.{extension}")
    } else {
        format!("{name}_{}.{extension}", period.join("_"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::{builtin, RoleCode, StepCode};
    use crate::domain::workflow::ledger::LedgerCell;

    fn shanghai() -> Tz {
        "Asia/Shanghai".parse().unwrap()
    }

    fn flow() -> Ledger {
        builtin().unwrap().ledger("document_flow").unwrap().clone()
    }

    fn entry(
        case: i64,
        at: &str,
        title: &str,
        department: &str,
        cells: &[(&str, &str)],
    ) -> LedgerEntry {
        LedgerEntry {
            row: LedgerRow {
                ledger: LedgerCode::new("document_flow"),
                case: CaseId(case),
                step: StepCode::new("assign_handling"),
                written_by: RoleCode::new("director"),
                at: DateTime::parse_from_rfc3339(at)
                    .unwrap()
                    .with_timezone(&Utc),
                cells: cells
                    .iter()
                    .map(|(column, value)| LedgerCell {
                        column: ColumnCode::new(*column),
                        value: value.to_string(),
                    })
                    .collect(),
            },
            title: title.to_string(),
            department: (!department.is_empty()).then(|| department.to_string()),
            manual: None,
        }
    }

    fn first_column(ledger: &Ledger) -> String {
        ledger.columns[0].code.to_string()
    }

    #[test]
    fn a_period_is_counted_in_local_days() {
        let query = LedgerQuery {
            from: NaiveDate::from_ymd_opt(2025, 10, 1),
            to: NaiveDate::from_ymd_opt(2025, 10, 31),
            ..LedgerQuery::default()
        };
        let (since, until) = query.bounds(shanghai());
        assert_eq!(since.unwrap().to_rfc3339(), "2025-09-30T16:00:00+00:00");
        assert_eq!(until.unwrap().to_rfc3339(), "2025-10-31T16:00:00+00:00");
    }

    #[test]
    fn a_bad_query_is_refused_at_each_field() {
        let ledger = flow();
        let query = LedgerQuery {
            from: NaiveDate::from_ymd_opt(2025, 10, 2),
            to: NaiveDate::from_ymd_opt(2025, 10, 1),
            text: "字".repeat(101),
            sort: Some("nope".into()),
            ..LedgerQuery::default()
        };
        let fields: Vec<String> = query
            .check(&ledger)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["to", "text", "sort"]);
        let good = LedgerQuery {
            sort: Some(first_column(&ledger)),
            ..LedgerQuery::default()
        };
        assert_eq!(good.check(&ledger), Ok(()));
    }

    #[test]
    fn rows_are_found_by_words_and_sorted_by_a_column_numbers_as_numbers() {
        let ledger = flow();
        let column = first_column(&ledger);
        let entries = vec![
            entry(
                1,
                "2025-10-09T02:00:00Z",
                "关于秋季消防检查的通知",
                "行政部",
                &[(&column, "10")],
            ),
            entry(
                2,
                "2025-10-08T02:00:00Z",
                "年度预算编制通知",
                "财务部",
                &[(&column, "9")],
            ),
            entry(
                3,
                "2025-10-10T02:00:00Z",
                "消防演练方案",
                "",
                &[(&column, "100")],
            ),
        ];
        let all = matching_rows(
            &ledger,
            entries.clone(),
            &LedgerQuery::default(),
            shanghai(),
        );
        let ids: Vec<i64> = all.iter().map(|r| r.case.0).collect();
        assert_eq!(ids, [2, 1, 3], "by when written");
        assert_eq!(all[0].at, "2025-10-08 10:00");
        let sorted = LedgerQuery {
            sort: Some(column.clone()),
            descending: true,
            ..LedgerQuery::default()
        };
        let ids: Vec<i64> = matching_rows(&ledger, entries.clone(), &sorted, shanghai())
            .iter()
            .map(|r| r.case.0)
            .collect();
        assert_eq!(ids, [3, 1, 2], "100 > 10 > 9");
        let found = LedgerQuery {
            text: "消防  行政".into(),
            ..LedgerQuery::default()
        };
        let ids: Vec<i64> = matching_rows(&ledger, entries, &found, shanghai())
            .iter()
            .map(|r| r.case.0)
            .collect();
        assert_eq!(ids, [1]);
    }

    #[test]
    fn instants_in_cells_are_shown_as_local_minutes() {
        let ledger = flow();
        let column = first_column(&ledger);
        let entries = vec![entry(
            1,
            "2025-10-09T02:00:00Z",
            "t",
            "",
            &[(&column, "2025-10-09T10:30:00+08:00")],
        )];
        let rows = matching_rows(&ledger, entries, &LedgerQuery::default(), shanghai());
        assert_eq!(rows[0].cells[0], "2025-10-09 10:30");
        assert_eq!(rows[0].cells.len(), ledger.columns.len());
    }

    #[test]
    fn the_csv_has_a_bom_chinese_headers_quoting_and_no_formulas() {
        let ledger = flow();
        let column = first_column(&ledger);
        let entries = vec![entry(
            7,
            "2025-10-09T02:00:00Z",
            "关于\"秋检\",请阅",
            "行政部",
            &[(&column, "=HYPERLINK(\"x\")")],
        )];
        let rows = matching_rows(&ledger, entries, &LedgerQuery::default(), shanghai());
        let csv = ledger_csv(&ledger, &rows, Lang::Zh);
        assert!(csv.starts_with('\u{feff}'));
        let mut lines = csv.trim_start_matches('\u{feff}').split("\r\n");
        let header = lines.next().unwrap();
        assert!(header.starts_with("事项编号,事项,部门,"), "{header}");
        assert!(header.ends_with(",登记时间"));
        assert!(header.contains(ledger.columns[0].name.zh.as_str()));
        let line = lines.next().unwrap();
        assert!(
            line.starts_with("7,\"关于\"\"秋检\"\",请阅\",行政部,"),
            "{line}"
        );
        assert!(line.contains(",\"'=HYPERLINK(\"\"x\"\")\","), "{line}");
        assert_eq!(lines.next(), Some(""));
    }

    #[test]
    fn quick_periods_are_whole_months() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert_eq!(month_of(today, 0), (day(3, 1), day(3, 31)));
        assert_eq!(month_of(today, 1), (day(2, 1), day(2, 28)));
        let january = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
        let december = (
            NaiveDate::from_ymd_opt(2025, 12, 1).unwrap(),
            NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
        );
        assert_eq!(month_of(january, 1), december);
    }

    #[test]
    fn each_ledger_of_the_standard_names_the_step_that_writes_it() {
        let catalog = builtin().unwrap();
        let flow = writers(&catalog, "document_flow");
        assert_eq!(flow.len(), 1);
        assert_eq!(flow[0].0.zh, "收文");
        assert!(writers(&catalog, "nothing").is_empty());
    }

    #[test]
    fn the_file_is_named_after_the_ledger_and_period() {
        let ledger = flow();
        let query = LedgerQuery {
            from: NaiveDate::from_ymd_opt(2025, 10, 1),
            to: NaiveDate::from_ymd_opt(2025, 10, 31),
            ..LedgerQuery::default()
        };
        assert_eq!(
            export_name(&ledger, &query, Lang::Zh, "csv"),
            "公文流转台账_2025-10-01_2025-10-31.csv"
        );
        assert_eq!(
            export_name(&ledger, &LedgerQuery::default(), Lang::Zh, "csv"),
            "公文流转台账.csv"
        );
    }
}
