//! The monthly overdue report for the director: per function, the month's completed steps and
//! how many ran late; the steps that ran late most often; each late completion with its time
//! taken against its limit; and the steps still overdue when the report is generated.
//!
//! Definitions: a completion is late when it came after its deadline (as the dashboard counts
//! it); its overrun is the time taken beyond the time allowed, in the step's own measure. A
//! step is still overdue when it is under way, past its deadline at the report's instant, and
//! was due by the month's last day.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{percent, same, Figure, ReportRow, Section, Tone};
use crate::domain::calendar::{BusinessCalendar, SlaState};
use crate::domain::catalog::Catalog;
use crate::domain::lang::{Lang, Text};
use crate::domain::workflow::dashboard::{nearest_rank, span_words};
use crate::domain::workflow::step_facts::{step_measure, OpenStep, StepDone};

/// The most late completions listed one by one (the counts cover them all).
pub const LATE_LISTED: usize = 200;
/// The most steps in the "late most often" table.
pub const STEPS_LISTED: usize = 15;

/// A completion that came after its deadline, with its case's title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LateStep {
    pub title: String,
    pub done: StepDone,
}

/// A step under way past its deadline, with its case's title and who holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StillOpen {
    pub case: i64,
    pub title: String,
    pub step: OpenStep,
    /// The assignee's name, or the owner role's.
    pub holder: Text,
}

/// What storage hands over.
pub struct OverdueInput<'a> {
    pub catalog: &'a Catalog,
    pub calendar: &'a BusinessCalendar,
    pub now: DateTime<Utc>,
    /// The month's last day.
    pub to: chrono::NaiveDate,
    /// The functions covered, in the catalog's order.
    pub functions: &'a [String],
    /// The month's completions counted per function and verdict (`None`: no deadline).
    pub counts: &'a [(String, Option<bool>, u32)],
    pub late: &'a [LateStep],
    pub open: &'a [StillOpen],
}

fn function_name(catalog: &Catalog, code: &str) -> Text {
    catalog
        .function(code)
        .map_or_else(|| same(code), |f| f.name.clone())
}

fn step_names(catalog: &Catalog, process: &str, step: &str) -> (Text, Text) {
    match catalog.process(process) {
        Some(p) => (
            p.name.clone(),
            p.step(step).map_or_else(|| same(step), |s| s.name.clone()),
        ),
        None => (same(process), same(step)),
    }
}

/// `150%`: time taken as a share of the time allowed.
fn share(done: &StepDone) -> Option<u32> {
    let allowed = done.allowed_minutes.filter(|a| *a > 0)?;
    Some(((u64::from(done.elapsed_minutes) * 100) / u64::from(allowed)) as u32)
}

fn local(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()
}

/// A step: function, process and step codes.
type StepKey<'a> = (&'a str, &'a str, &'a str);

/// The figures and sections of the month.
pub fn report_body(input: &OverdueInput) -> (Vec<Figure>, Vec<Section>) {
    let catalog = input.catalog;
    let zone = input.calendar.settings().time_zone;
    // Per function: done, with a deadline, late.
    let mut per_function: BTreeMap<&str, (u32, u32, u32, u32)> = BTreeMap::new();
    for (function, on_time, n) in input.counts {
        let f = per_function.entry(function.as_str()).or_default();
        f.0 += n;
        match on_time {
            Some(true) => f.1 += n,
            Some(false) => {
                f.1 += n;
                f.2 += n;
            }
            None => {}
        }
    }
    let still: Vec<(&StillOpen, crate::domain::calendar::Sla)> = input
        .open
        .iter()
        .filter_map(|o| {
            let due = o.step.due_at?;
            if due.with_timezone(&zone).date_naive() > input.to {
                return None;
            }
            let sla =
                input
                    .calendar
                    .sla_measured(o.step.measure, o.step.activated_at, due, input.now);
            (sla.state == SlaState::Overdue).then_some((o, sla))
        })
        .collect();
    for (o, _) in &still {
        per_function.entry(o.step.function.as_str()).or_default().3 += 1;
    }

    let done: u32 = per_function.values().map(|f| f.0).sum();
    let with_deadline: u32 = per_function.values().map(|f| f.1).sum();
    let late: u32 = per_function.values().map(|f| f.2).sum();

    // The steps late most often.
    let mut per_step: BTreeMap<StepKey, (Vec<u32>, u32)> = BTreeMap::new();
    for l in input.late {
        let key = (
            l.done.function.as_str(),
            l.done.process.as_str(),
            l.done.step.as_str(),
        );
        let entry = per_step.entry(key).or_default();
        if let Some(s) = share(&l.done) {
            entry.0.push(s);
        }
    }
    for (o, _) in &still {
        let key = (
            o.step.function.as_str(),
            o.step.process.as_str(),
            o.step.step.as_str(),
        );
        per_step.entry(key).or_default().1 += 1;
    }
    let mut steps: Vec<(StepKey, (Vec<u32>, u32))> = per_step.into_iter().collect();
    steps.sort_by(|a, b| {
        (b.1 .0.len() + b.1 .1 as usize)
            .cmp(&(a.1 .0.len() + a.1 .1 as usize))
            .then(a.0.cmp(&b.0))
    });
    let worst = steps
        .first()
        .map(|((_, p, s), _)| step_names(catalog, p, s).1);

    let figures = vec![
        Figure {
            label: Text::new("本月完成环节", "Steps completed"),
            value: same(done.to_string()),
            tone: Tone::Plain,
        },
        Figure {
            label: Text::new("逾期完成", "Completed late"),
            value: same(late.to_string()),
            tone: if late == 0 { Tone::Good } else { Tone::Danger },
        },
        Figure {
            label: Text::new("按时率", "On-time rate"),
            value: percent((with_deadline - late) as usize, with_deadline as usize),
            tone: Tone::Plain,
        },
        Figure {
            label: Text::new("至今仍逾期", "Still overdue"),
            value: same(still.len().to_string()),
            tone: if still.is_empty() {
                Tone::Good
            } else {
                Tone::Danger
            },
        },
        Figure {
            label: Text::new("最常逾期的环节", "Step late most often"),
            value: worst.unwrap_or_else(|| same("—")),
            tone: Tone::Plain,
        },
    ];

    let mut functions = Section::new(
        "functions",
        Text::new("各职能逾期情况", "Per function"),
        vec![
            (Text::new("职能", "Function"), false),
            (Text::new("完成环节", "Completed"), true),
            (Text::new("逾期完成", "Late"), true),
            (Text::new("按时率", "On time"), true),
            (Text::new("至今仍逾期", "Still overdue"), true),
        ],
        Text::new("没有可统计的职能。", "No function to count."),
    );
    functions.rows = input
        .functions
        .iter()
        .map(|code| {
            let f = per_function.get(code.as_str()).copied().unwrap_or_default();
            ReportRow {
                case: None,
                function: None,
                tone: if f.2 + f.3 > 0 {
                    Tone::Danger
                } else {
                    Tone::Plain
                },
                cells: vec![
                    function_name(catalog, code),
                    same(f.0.to_string()),
                    same(f.2.to_string()),
                    percent((f.1 - f.2) as usize, f.1 as usize),
                    same(f.3.to_string()),
                ],
            }
        })
        .collect();

    let mut step_section = Section::new(
        "steps",
        Text::new("最常逾期的环节", "Steps late most often"),
        vec![
            (Text::new("职能", "Function"), false),
            (Text::new("流程", "Process"), false),
            (Text::new("环节", "Step"), false),
            (Text::new("逾期完成", "Completed late"), true),
            (Text::new("用时占时限(中位)", "Time taken of limit (median)"), true),
            (Text::new("至今仍逾期", "Still overdue"), true),
        ],
        Text::new("本月没有逾期的环节。", "No step ran late this month."),
    )
    .with_note(Text::new(
        "按逾期完成与仍逾期的次数之和排序;流程改进从这里着手。",
        "Ordered by late completions plus steps still overdue: where to start improving the processes.",
    ));
    step_section.rows = steps
        .iter()
        .take(STEPS_LISTED)
        .map(|((function, process, step), (shares, open))| {
            let (process_name, step_name) = step_names(catalog, process, step);
            ReportRow {
                case: None,
                function: None,
                tone: Tone::Danger,
                cells: vec![
                    function_name(catalog, function),
                    process_name,
                    step_name,
                    same(shares.len().to_string()),
                    same(nearest_rank(shares, 50).map_or("—".to_string(), |s| format!("{s}%"))),
                    same(open.to_string()),
                ],
            }
        })
        .collect();

    let mut late_rows: Vec<&LateStep> = input.late.iter().collect();
    late_rows.sort_by(|a, b| {
        share(&b.done)
            .cmp(&share(&a.done))
            .then(a.done.day.cmp(&b.done.day))
            .then(a.done.case_id.cmp(&b.done.case_id))
    });
    let mut late_section = Section::new(
        "late",
        Text::new("本月逾期完成的环节", "Steps completed late this month"),
        vec![
            (Text::new("事项", "Case"), false),
            (Text::new("标题", "Title"), false),
            (Text::new("职能", "Function"), false),
            (Text::new("环节", "Step"), false),
            (Text::new("完成日期", "Completed on"), false),
            (Text::new("用时", "Time taken"), true),
            (Text::new("时限", "Time allowed"), true),
            (Text::new("超出", "Over by"), true),
        ],
        Text::new(
            "本月没有逾期完成的环节。",
            "No step was completed late this month.",
        ),
    );
    if late_rows.len() > LATE_LISTED {
        late_section.note = Some(Text::new(
            format!(
                "共 {} 条,按超出比例列出前 {LATE_LISTED} 条。",
                late_rows.len()
            ),
            format!(
                "{} in all; the {LATE_LISTED} furthest over their limit are listed.",
                late_rows.len()
            ),
        ));
    }
    late_section.rows = late_rows
        .iter()
        .take(LATE_LISTED)
        .map(|l| {
            let d = &l.done;
            let measure = catalog
                .process(&d.process)
                .map_or(crate::domain::calendar::Measure::WorkingTime, |p| {
                    step_measure(p, &d.step)
                });
            let allowed = d.allowed_minutes.unwrap_or(0);
            ReportRow {
                case: Some(d.case_id),
                function: Some(d.function.clone()),
                tone: Tone::Danger,
                cells: vec![
                    same(format!("#{}", d.case_id)),
                    same(l.title.clone()),
                    function_name(catalog, &d.function),
                    step_names(catalog, &d.process, &d.step).1,
                    same(d.day.format("%Y-%m-%d").to_string()),
                    span_words(d.elapsed_minutes, measure),
                    span_words(allowed, measure),
                    over_by(d.elapsed_minutes, allowed, measure),
                ],
            }
        })
        .collect();

    let mut still_rows = still;
    still_rows.sort_by(|a, b| {
        b.1.remaining
            .seconds
            .cmp(&a.1.remaining.seconds)
            .then(a.0.case.cmp(&b.0.case))
    });
    let mut still_section = Section::new(
        "still_overdue",
        Text::new("至今仍逾期的环节", "Steps still overdue"),
        vec![
            (Text::new("事项", "Case"), false),
            (Text::new("标题", "Title"), false),
            (Text::new("职能", "Function"), false),
            (Text::new("环节", "Step"), false),
            (Text::new("办理人", "Held by"), false),
            (Text::new("时限", "Due"), false),
            (Text::new("超时", "Overdue by"), true),
        ],
        Text::new("没有仍在逾期的环节。", "No step is overdue."),
    )
    .with_note(Text::new(
        "本月底前到期、生成报告时仍未完成的环节,超时最久的在前。",
        "Steps due by the month's end and not completed when the report was generated, the longest overdue first.",
    ));
    still_section.rows = still_rows
        .iter()
        .map(|(o, sla)| ReportRow {
            case: Some(o.case),
            function: Some(o.step.function.clone()),
            tone: Tone::Danger,
            cells: vec![
                same(format!("#{}", o.case)),
                same(o.title.clone()),
                function_name(catalog, &o.step.function),
                step_names(catalog, &o.step.process, &o.step.step).1,
                o.holder.clone(),
                same(o.step.due_at.map(|d| local(d, zone)).unwrap_or_default()),
                Text::new(overdue_by(sla, Lang::Zh), overdue_by(sla, Lang::En)),
            ],
        })
        .collect();

    (
        figures,
        vec![functions, step_section, late_section, still_section],
    )
}

/// The time beyond the limit; a completion late by seconds says so rather than "0 minutes".
fn over_by(elapsed: u32, allowed: u32, measure: crate::domain::calendar::Measure) -> Text {
    if elapsed > allowed {
        span_words(elapsed - allowed, measure)
    } else {
        Text::new("不足 1 分钟", "under a minute")
    }
}

/// `2 个工作日 3 小时` without the leading "已超时".
fn overdue_by(sla: &crate::domain::calendar::Sla, lang: Lang) -> String {
    let words = sla.remaining.words(lang);
    for prefix in ["已超时 ", "overdue by ", "Overdue by "] {
        if let Some(rest) = words.strip_prefix(prefix) {
            return rest.to_string();
        }
    }
    words
}
