//! Generated reports (报告), written from live data instead of typed by hand:
//! - the weekly 《协同任务进展简报》 of the coordination function's collaboration cases
//!   ([`briefing`], for the `collaboration_weekly_briefing` obligation);
//! - the monthly 《报销台账》 summary with its frequent and abnormal items ([`reimbursements`],
//!   for the `monthly_reimbursement_ledger` obligation);
//! - the monthly overdue report for the director ([`overdue`]).
//!
//! Every report has one shape, [`Report`]: a title, its period, a few headline figures and
//! sections, each a table whose cells carry both languages. The page, the print view and the
//! downloads (CSV, .xlsx) all render that one shape. Pure: storage hands over the cases, the
//! ledger rows and the completions; these functions take the instant as an argument.

pub mod briefing;
pub mod overdue;
pub mod reimbursements;
#[cfg(test)]
mod tests;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::dashboard::{FIRST_YEAR, LAST_YEAR};
use crate::domain::lang::{Lang, Text};
use crate::error::FieldError;

/// The reports there are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// 《协同任务进展简报》, weekly.
    Briefing,
    /// 《报销台账》 monthly summary.
    Reimbursements,
    /// 月度逾期报告, for the director.
    Overdue,
}

/// How often a report is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cadence {
    Weekly,
    Monthly,
}

impl ReportKind {
    pub const ALL: [ReportKind; 3] = [
        ReportKind::Briefing,
        ReportKind::Reimbursements,
        ReportKind::Overdue,
    ];

    /// The code in addresses and file names.
    pub fn code(self) -> &'static str {
        match self {
            ReportKind::Briefing => "briefing",
            ReportKind::Reimbursements => "reimbursements",
            ReportKind::Overdue => "overdue",
        }
    }

    pub fn from_code(code: &str) -> Option<ReportKind> {
        ReportKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The report that writes a step's output, when there is one: the weekly briefing for
    /// 《协同任务进展简报》, the monthly summary for the monthly 《报销台账》.
    pub fn for_output(output: &str) -> Option<ReportKind> {
        match output {
            "collaboration_progress_briefing" => Some(ReportKind::Briefing),
            "reimbursement_ledger_report" => Some(ReportKind::Reimbursements),
            _ => None,
        }
    }

    pub fn cadence(self) -> Cadence {
        match self {
            ReportKind::Briefing => Cadence::Weekly,
            ReportKind::Reimbursements | ReportKind::Overdue => Cadence::Monthly,
        }
    }

    /// The function whose office roles (and the director) read the report; `None`: every
    /// function the reader serves, each reader seeing their own.
    pub fn function(self) -> Option<&'static str> {
        match self {
            ReportKind::Briefing => Some("coordination"),
            ReportKind::Reimbursements => Some("finance"),
            ReportKind::Overdue => None,
        }
    }

    pub fn title(self) -> Text {
        match self {
            ReportKind::Briefing => {
                Text::new("《协同任务进展简报》", "Collaboration progress briefing")
            }
            ReportKind::Reimbursements => Text::new(
                "《报销台账》月度汇总",
                "Monthly reimbursement ledger summary",
            ),
            ReportKind::Overdue => Text::new("月度逾期报告", "Monthly overdue report"),
        }
    }

    /// What the report covers, in a sentence.
    pub fn summary(self) -> Text {
        match self {
            ReportKind::Briefing => Text::new(
                "本周进行中、新增与办结的跨部门协作任务:当前环节、责任人、时限与本周进展,逾期与异常置顶。",
                "The week's cross-department collaboration tasks under way, raised and closed: the current step, who holds it, its deadline and the week's progress, with overdue and off-track tasks first.",
            ),
            ReportKind::Reimbursements => Text::new(
                "本月已付款的报销:按部门汇总,标注高频报销项与异常报销点,报主任与财务部门备案。",
                "The month's paid claims: totals per department, with frequent items and abnormal claims flagged, for the director and the finance department.",
            ),
            ReportKind::Overdue => Text::new(
                "本月逾期完成的环节与至今仍逾期的环节,按职能与环节汇总,供主任改进流程。",
                "The steps completed late in the month and those still overdue, per function and per step, for the director to improve the processes.",
            ),
        }
    }
}

/// What the reader asks: a report and its period, `2026-W48` for a week (ISO weeks, Monday to
/// Sunday) or `2026-11` for a month; the current week, or the last month, when not given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportQuery {
    pub kind: ReportKind,
    #[serde(default)]
    pub period: Option<String>,
}

/// A period a report covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// `2026-W48` or `2026-11`.
    pub code: String,
    /// First and last day, inclusive.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// `2026年第48周(11月23日—11月29日)`, `Week 48 of 2026 (23–29 Nov)` …
    pub name: Text,
}

fn refused(code: &'static str, zh: &'static str, en: &'static str) -> Vec<FieldError> {
    vec![FieldError::new("period", code, zh, en)]
}

/// The week that holds `day`.
pub fn week_of(day: NaiveDate) -> Period {
    let from = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
    let to = from + Duration::days(6);
    let iso = from.iso_week();
    Period {
        code: format!("{}-W{:02}", iso.year(), iso.week()),
        from,
        to,
        name: Text::new(
            format!(
                "{}年第{}周({}月{}日—{}月{}日)",
                iso.year(),
                iso.week(),
                from.month(),
                from.day(),
                to.month(),
                to.day()
            ),
            format!(
                "Week {} of {} ({} – {})",
                iso.week(),
                iso.year(),
                from.format("%-d %b"),
                to.format("%-d %b")
            ),
        ),
    }
}

/// The month that holds `day`.
pub fn month_of(day: NaiveDate) -> Period {
    let from = day.with_day(1).unwrap_or(day);
    let next = if from.month() == 12 {
        NaiveDate::from_ymd_opt(from.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(from.year(), from.month() + 1, 1)
    };
    let to = next.map_or(from, |n| n - Duration::days(1));
    Period {
        code: format!("{}-{:02}", from.year(), from.month()),
        from,
        to,
        name: Text::new(
            format!("{}年{}月", from.year(), from.month()),
            from.format("%B %Y").to_string(),
        ),
    }
}

impl ReportQuery {
    /// The period asked for, or why it is not one: a code that does not read, a year outside
    /// the calendar's, a period that has not begun by `today`.
    pub fn period(&self, today: NaiveDate) -> Result<Period, Vec<FieldError>> {
        let cadence = self.kind.cadence();
        let text = self.period.as_deref().map(str::trim).unwrap_or("");
        let period = if text.is_empty() {
            match cadence {
                Cadence::Weekly => week_of(today),
                Cadence::Monthly => month_of(month_of(today).from - Duration::days(1)),
            }
        } else {
            let read = match cadence {
                Cadence::Weekly => read_week(text),
                Cadence::Monthly => read_month(text),
            };
            let Some(day) = read else {
                return Err(match cadence {
                    Cadence::Weekly => refused(
                        "unreadable",
                        "周次应写作 YYYY-Www,例如 2026-W48。",
                        "A week is written YYYY-Www, such as 2026-W48.",
                    ),
                    Cadence::Monthly => refused(
                        "unreadable",
                        "月份应写作 YYYY-MM,例如 2026-11。",
                        "A month is written YYYY-MM, such as 2026-11.",
                    ),
                });
            };
            match cadence {
                Cadence::Weekly => week_of(day),
                Cadence::Monthly => month_of(day),
            }
        };
        if !(FIRST_YEAR..=LAST_YEAR).contains(&period.from.year())
            || !(FIRST_YEAR..=LAST_YEAR).contains(&period.to.year())
        {
            return Err(refused(
                "out_of_range",
                "期间须在 2000 年至 2100 年之间。",
                "The period must fall between 2000 and 2100.",
            ));
        }
        if period.from > today {
            return Err(refused(
                "future",
                "这一期尚未开始。",
                "That period has not begun yet.",
            ));
        }
        Ok(period)
    }
}

/// `2026-W48` as the week's Monday.
fn read_week(text: &str) -> Option<NaiveDate> {
    let (year, week) = text.split_once(['-', '_'])?;
    let week = week.strip_prefix(['W', 'w'])?;
    let year: i32 = year.parse().ok()?;
    let week: u32 = week.parse().ok()?;
    NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
}

/// `2026-11` as the month's first day.
fn read_month(text: &str) -> Option<NaiveDate> {
    let (year, month) = text.split_once('-')?;
    if month.len() > 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)
}

/// The period before `period`, and the one after it unless it has not begun by `today`.
pub fn neighbours(kind: ReportKind, period: &Period, today: NaiveDate) -> (Period, Option<Period>) {
    let of = |day: NaiveDate| match kind.cadence() {
        Cadence::Weekly => week_of(day),
        Cadence::Monthly => month_of(day),
    };
    let previous = of(period.from - Duration::days(1));
    let next = of(period.to + Duration::days(1));
    (previous, (next.from <= today).then_some(next))
}

impl ReportKind {
    /// Who writes it and for whom.
    pub fn audience(self) -> Text {
        match self {
            ReportKind::Briefing => Text::new(
                "协调专员编制 · 报办公室主任及参与部门",
                "Compiled by the coordination specialist for the director and the participating departments",
            ),
            ReportKind::Reimbursements => Text::new(
                "财务专员编制 · 报主任与财务部门备案",
                "Compiled by the finance specialist, filed with the director and the finance department",
            ),
            ReportKind::Overdue => Text::new(
                "呈报办公室主任",
                "For the office director",
            ),
        }
    }
}

/// The report of `kind` for `period`, generated at `generated_at` (local text) on `today`.
pub fn assemble(
    kind: ReportKind,
    period: Period,
    today: NaiveDate,
    generated_at: String,
    body: (Vec<Figure>, Vec<Section>),
) -> Report {
    let (previous, next) = neighbours(kind, &period, today);
    let running = period.to >= today;
    Report {
        kind,
        title: kind.title(),
        previous,
        next,
        audience: kind.audience(),
        generated_at,
        running,
        period,
        figures: body.0,
        sections: body.1,
    }
}

/// How a figure or a row reads at a glance.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tone {
    #[default]
    Plain,
    Good,
    Warning,
    Danger,
}

/// A headline number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub label: Text,
    pub value: Text,
    pub tone: Tone,
}

/// One line of a section's table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    /// The case the line is about, for a link.
    pub case: Option<i64>,
    /// The function whose board shows the case.
    #[serde(default)]
    pub function: Option<String>,
    pub tone: Tone,
    pub cells: Vec<Text>,
}

/// A table of the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub code: String,
    pub title: Text,
    /// How the section was worked out (the thresholds of "frequent", "abnormal" …).
    pub note: Option<Text>,
    pub columns: Vec<Text>,
    /// Which columns hold numbers (right-aligned, numbers in the workbook).
    pub numeric: Vec<bool>,
    pub rows: Vec<ReportRow>,
    /// What an empty table says.
    pub empty: Text,
}

impl Section {
    pub fn new(code: &str, title: Text, columns: Vec<(Text, bool)>, empty: Text) -> Section {
        let (columns, numeric) = columns.into_iter().unzip();
        Section {
            code: code.to_string(),
            title,
            note: None,
            columns,
            numeric,
            rows: Vec::new(),
            empty,
        }
    }

    pub fn with_note(mut self, note: Text) -> Section {
        self.note = Some(note);
        self
    }
}

/// A report, ready to show, print or download.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub kind: ReportKind,
    pub title: Text,
    pub period: Period,
    pub previous: Period,
    pub next: Option<Period>,
    /// Whom it is for and what it covers: `呈报:办公室主任、财务部门`.
    pub audience: Text,
    /// When it was generated, local `YYYY-MM-DD HH:MM`.
    pub generated_at: String,
    /// Whether the period is still running (the figures will change).
    pub running: bool,
    pub figures: Vec<Figure>,
    pub sections: Vec<Section>,
}

/// The same text in both languages (numbers, names, dates).
pub fn same(text: impl Into<String>) -> Text {
    let text = text.into();
    Text {
        zh: text.clone(),
        en: text,
    }
}

/// `12.5%`, or `—` without a base.
pub fn percent(part: usize, whole: usize) -> Text {
    if whole == 0 {
        return same("—");
    }
    let value = part as f64 * 100.0 / whole as f64;
    let s = format!("{value:.1}");
    same(format!("{}%", s.strip_suffix(".0").unwrap_or(&s)))
}

/// The report's lines as a table of text in `lang`, for CSV: the title and period, the
/// figures, then each section with its heading and columns, a blank line between.
pub fn report_lines(report: &Report, lang: Lang) -> Vec<Vec<String>> {
    let mut lines = vec![
        vec![report.title.get(lang).to_string()],
        vec![
            match lang {
                Lang::Zh => "期间",
                Lang::En => "Period",
            }
            .to_string(),
            report.period.name.get(lang).to_string(),
        ],
        vec![
            match lang {
                Lang::Zh => "生成时间",
                Lang::En => "Generated at",
            }
            .to_string(),
            report.generated_at.clone(),
        ],
    ];
    for figure in &report.figures {
        lines.push(vec![
            figure.label.get(lang).to_string(),
            figure.value.get(lang).to_string(),
        ]);
    }
    for section in &report.sections {
        lines.push(Vec::new());
        lines.push(vec![section.title.get(lang).to_string()]);
        if let Some(note) = &section.note {
            lines.push(vec![note.get(lang).to_string()]);
        }
        lines.push(
            section
                .columns
                .iter()
                .map(|c| c.get(lang).to_string())
                .collect(),
        );
        for row in &section.rows {
            lines.push(row.cells.iter().map(|c| c.get(lang).to_string()).collect());
        }
    }
    lines
}

/// The report as CSV: UTF-8 with a byte-order mark (so that Excel reads the Chinese), CRLF
/// line ends, every field quoted when it needs to be, and a leading `=`, `+`, `-` or `@`
/// defused so that no cell runs as a formula.
pub fn report_csv(report: &Report, lang: Lang) -> String {
    super::ledger_view::csv_of(&report_lines(report, lang))
}

/// The download's file name: `协同任务进展简报-2026-W48.csv`.
pub fn report_file_name(report: &Report, lang: Lang, extension: &str) -> String {
    let title: String = report
        .title
        .get(lang)
        .chars()
        .filter(|c| !"《》/\\:*?\"<>|".contains(*c))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect();
    format!("{title}-{}.{extension}", report.period.code)
}
