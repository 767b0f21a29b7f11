//! The weekly 《协同任务进展简报》: every cross-department collaboration case open at some
//! time in the week, as it stood at the week's end (or now, for the running week): its
//! current step, who holds it, its deadline and SLA, the steps completed and the follow-ups
//! and comments of the week; the overdue and off-track cases first, then those under way,
//! then those closed in the week.
//!
//! Definitions: a step is under way at an instant when it was activated by then and had not
//! ended (completed, returned, skipped or cancelled); a case is off track when an anomaly was
//! flagged on it in the week.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use super::{same, Figure, ReportRow, Section, Tone};
use crate::domain::calendar::{BusinessCalendar, SlaState};
use crate::domain::catalog::{Catalog, Process};
use crate::domain::lang::{Lang, Text};
use crate::domain::workflow::case::{Case, CaseStatus, StepInstance, StepOutcome};
use crate::domain::workflow::step_facts::step_measure;

/// The process the briefing covers.
pub const PROCESS: &str = "collaboration_request";
/// The longest comment quoted, in characters.
pub const QUOTE_CHARS: usize = 60;

/// What storage hands over.
pub struct BriefingInput<'a> {
    pub catalog: &'a Catalog,
    pub calendar: &'a BusinessCalendar,
    pub now: DateTime<Utc>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The collaboration cases, each with the process of its catalog version.
    pub cases: &'a [(Case, Process)],
    /// People's names by id, for the assignees.
    pub names: &'a BTreeMap<i64, String>,
}

fn day_start(day: NaiveDate, zone: Tz) -> DateTime<Utc> {
    zone.from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
        .earliest()
        .map_or_else(
            || day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
            |t| t.with_timezone(&Utc),
        )
}

/// When an instance ended, if it had by `at`.
fn ended_by(case: &Case, instance: &StepInstance, at: DateTime<Utc>) -> bool {
    match (&instance.outcome, instance.completed_at) {
        (None, _) => false,
        (Some(_), Some(end)) => end <= at,
        (Some(_), None) => case
            .closed_at
            .or(Some(case.updated_at))
            .is_some_and(|e| e <= at),
    }
}

fn within(at: DateTime<Utc>, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
    at >= start && at < end
}

fn quote(text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.chars().count() > QUOTE_CHARS {
        let cut: String = trimmed.chars().take(QUOTE_CHARS).collect();
        format!("{cut}…")
    } else {
        trimmed.to_string()
    }
}

fn joined(parts: &[Text], zh: &str, en: &str) -> Text {
    Text::new(
        parts
            .iter()
            .map(|p| p.zh.as_str())
            .collect::<Vec<_>>()
            .join(zh),
        parts
            .iter()
            .map(|p| p.en.as_str())
            .collect::<Vec<_>>()
            .join(en),
    )
}

/// One case's line of the week.
struct Line {
    case: i64,
    title: String,
    department: String,
    raised: NaiveDate,
    new: bool,
    /// Closed (or cancelled) in the week, by then.
    ended: Option<(CaseStatus, NaiveDate)>,
    steps: Text,
    holders: Text,
    due: Text,
    sla: Option<SlaState>,
    sla_words: Text,
    progress: Text,
    done_this_week: Text,
    done_count: usize,
    follow_ups: Text,
    anomalies: Vec<String>,
    late_steps: usize,
}

fn line_of(input: &BriefingInput, case: &Case, process: &Process) -> Option<Line> {
    let zone = input.calendar.settings().time_zone;
    let start = day_start(input.from, zone);
    let end = day_start(input.to + Duration::days(1), zone);
    let as_of = input.now.min(end);
    if case.created_at >= end {
        return None;
    }
    let ended_at = match case.status {
        CaseStatus::Open => None,
        _ => Some(case.closed_at.unwrap_or(case.updated_at)),
    };
    if ended_at.is_some_and(|e| e < start) {
        return None;
    }
    let ended = ended_at
        .filter(|e| *e <= as_of)
        .map(|e| (case.status, e.with_timezone(&zone).date_naive()));
    let name_of_step = |code: &str| {
        process
            .step(code)
            .map_or_else(|| same(code), |s| s.name.clone())
    };
    let under_way: Vec<&StepInstance> = if ended.is_some() {
        Vec::new()
    } else {
        case.steps
            .iter()
            .filter(|s| s.activated_at <= as_of && !ended_by(case, s, as_of))
            .collect()
    };
    let steps = joined(
        &under_way
            .iter()
            .map(|s| name_of_step(s.step.as_str()))
            .collect::<Vec<_>>(),
        "、",
        ", ",
    );
    let holders: Vec<Text> = under_way
        .iter()
        .map(|s| match s.assignee.and_then(|a| input.names.get(&a.0)) {
            Some(name) => same(name.clone()),
            None => input
                .catalog
                .role(s.owner.as_str())
                .map_or_else(|| same(s.owner.as_str()), |r| r.name.clone()),
        })
        .collect();
    // The most pressing step under way speaks for the case.
    let mut worst: Option<(SlaState, crate::domain::calendar::Sla, DateTime<Utc>)> = None;
    for s in &under_way {
        let Some(due) = s.due.as_ref().map(|d| d.at) else {
            continue;
        };
        let sla = input.calendar.sla_measured(
            step_measure(process, s.step.as_str()),
            s.activated_at,
            due,
            as_of,
        );
        let rank = |state: SlaState| match state {
            SlaState::Overdue => 2,
            SlaState::DueSoon => 1,
            SlaState::OnTime => 0,
        };
        if worst.as_ref().is_none_or(|(state, _, d)| {
            rank(sla.state) > rank(*state) || (rank(sla.state) == rank(*state) && due < *d)
        }) {
            worst = Some((sla.state, sla, due));
        }
    }
    let (sla, sla_words, due) = match &worst {
        Some((state, sla, due)) => (
            Some(*state),
            if *state == SlaState::Overdue {
                Text::new(sla.remaining.words(Lang::Zh), sla.remaining.words(Lang::En))
            } else {
                Text::new(
                    format!(
                        "{} · {}",
                        state.label(Lang::Zh),
                        sla.remaining.words(Lang::Zh)
                    ),
                    format!(
                        "{} · {}",
                        state.label(Lang::En),
                        sla.remaining.words(Lang::En)
                    ),
                )
            },
            same(
                due.with_timezone(&zone)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
            ),
        ),
        None if ended.is_some() => (None, same("—"), same("—")),
        None => (None, Text::new("无时限", "No deadline"), same("—")),
    };

    let completed: Vec<&StepInstance> = case
        .steps
        .iter()
        .filter(|s| s.outcome == Some(StepOutcome::Completed))
        .collect();
    let distinct_done: BTreeSet<&str> = completed
        .iter()
        .filter(|s| s.completed_at.is_some_and(|c| c <= as_of))
        .map(|s| s.step.as_str())
        .collect();
    let progress = same(format!("{}/{}", distinct_done.len(), process.steps.len()));
    let this_week: Vec<&&StepInstance> = completed
        .iter()
        .filter(|s| {
            s.completed_at
                .is_some_and(|c| within(c, start, as_of.max(start)))
        })
        .collect();
    let done_this_week = joined(
        &this_week
            .iter()
            .map(|s| {
                let day = s
                    .completed_at
                    .map(|c| c.with_timezone(&zone).format("%m-%d").to_string())
                    .unwrap_or_default();
                let name = name_of_step(s.step.as_str());
                Text::new(
                    format!("{}({day})", name.zh),
                    format!("{} ({day})", name.en),
                )
            })
            .collect::<Vec<_>>(),
        "、",
        "; ",
    );
    let late_steps = completed
        .iter()
        .filter(|s| match (s.completed_at, s.due.as_ref()) {
            (Some(c), Some(d)) => c > d.at && c <= as_of,
            _ => false,
        })
        .count();

    let repeats = case
        .repeats_done
        .iter()
        .filter(|r| within(r.at, start, end) && r.at <= as_of)
        .count();
    let comments: Vec<_> = case
        .comments
        .iter()
        .filter(|c| within(c.at, start, end) && c.at <= as_of)
        .collect();
    let mut follow = Vec::new();
    if repeats > 0 {
        follow.push(Text::new(
            format!("跟进 {repeats} 次"),
            format!("{repeats} follow-up{}", if repeats == 1 { "" } else { "s" }),
        ));
    }
    if let Some(last) = comments.last() {
        let n = comments.len();
        follow.push(Text::new(
            format!("留言 {n} 条,最近:{}({})", quote(&last.text), last.by.name),
            format!(
                "{n} comment{}, latest: {} ({})",
                if n == 1 { "" } else { "s" },
                quote(&last.text),
                last.by.name
            ),
        ));
    }
    let follow_ups = if follow.is_empty() {
        Text::new("本周无跟进记录", "No follow-up this week")
    } else {
        joined(&follow, ";", "; ")
    };
    let anomalies = case
        .anomalies
        .iter()
        .filter(|a| within(a.at, start, end) && a.at <= as_of)
        .map(|a| quote(&a.reason))
        .collect();

    Some(Line {
        case: case.id.0,
        title: case.title.clone(),
        department: case.department.clone().unwrap_or_default(),
        raised: case.created_at.with_timezone(&zone).date_naive(),
        new: within(case.created_at, start, end),
        ended,
        steps,
        holders: joined(&holders, "、", ", "),
        due,
        sla,
        sla_words,
        progress,
        done_count: this_week.len(),
        done_this_week,
        follow_ups,
        anomalies,
        late_steps,
    })
}

/// The figures and sections of the week.
pub fn report_body(input: &BriefingInput) -> (Vec<Figure>, Vec<Section>) {
    let mut lines: Vec<Line> = input
        .cases
        .iter()
        .filter(|(case, _)| case.process.as_str() == PROCESS)
        .filter_map(|(case, process)| line_of(input, case, process))
        .collect();
    lines.sort_by_key(|l| l.case);
    let open: Vec<&Line> = lines.iter().filter(|l| l.ended.is_none()).collect();
    let closed: Vec<&Line> = lines.iter().filter(|l| l.ended.is_some()).collect();
    let overdue = open
        .iter()
        .filter(|l| l.sla == Some(SlaState::Overdue))
        .count();
    let off_track = lines.iter().filter(|l| !l.anomalies.is_empty()).count();
    let new = lines.iter().filter(|l| l.new).count();
    let steps_done: usize = lines.iter().map(|l| l.done_count).sum();

    let tone_of = |bad: bool| if bad { Tone::Danger } else { Tone::Good };
    let figures = vec![
        Figure {
            label: Text::new("进行中", "Under way"),
            value: same(open.len().to_string()),
            tone: Tone::Plain,
        },
        Figure {
            label: Text::new("本周新增", "Raised this week"),
            value: same(new.to_string()),
            tone: Tone::Plain,
        },
        Figure {
            label: Text::new("本周办结", "Closed this week"),
            value: same(closed.len().to_string()),
            tone: Tone::Plain,
        },
        Figure {
            label: Text::new("本周完成环节", "Steps completed this week"),
            value: same(steps_done.to_string()),
            tone: Tone::Plain,
        },
        Figure {
            label: Text::new("逾期", "Overdue"),
            value: same(overdue.to_string()),
            tone: tone_of(overdue > 0),
        },
        Figure {
            label: Text::new("本周异常", "Off track this week"),
            value: same(off_track.to_string()),
            tone: tone_of(off_track > 0),
        },
    ];

    let mut attention = Section::new(
        "attention",
        Text::new("需关注", "Needs attention"),
        vec![
            (Text::new("事项", "Case"), false),
            (Text::new("任务", "Task"), false),
            (Text::new("当前环节", "Current step"), false),
            (Text::new("办理人", "Held by"), false),
            (Text::new("原因", "Why"), false),
        ],
        Text::new(
            "本周没有逾期或异常的协作任务。",
            "No collaboration task is overdue or off track this week.",
        ),
    )
    .with_note(Text::new(
        "当前环节已逾期,或本周标记了异常(偏离计划)的任务。",
        "Tasks whose current step is overdue, or flagged off track this week.",
    ));
    attention.rows = lines
        .iter()
        .filter(|l| {
            (l.ended.is_none() && l.sla == Some(SlaState::Overdue)) || !l.anomalies.is_empty()
        })
        .map(|l| {
            let mut why = Vec::new();
            if l.ended.is_none() && l.sla == Some(SlaState::Overdue) {
                why.push(l.sla_words.clone());
            }
            for a in &l.anomalies {
                why.push(Text::new(format!("异常:{a}"), format!("Off track: {a}")));
            }
            ReportRow {
                case: Some(l.case),
                function: Some("coordination".to_string()),
                tone: Tone::Danger,
                cells: vec![
                    same(format!("#{}", l.case)),
                    same(l.title.clone()),
                    l.steps.clone(),
                    l.holders.clone(),
                    joined(&why, ";", "; "),
                ],
            }
        })
        .collect();

    let mut under_way = Section::new(
        "under_way",
        Text::new("进行中的协作任务", "Tasks under way"),
        vec![
            (Text::new("事项", "Case"), false),
            (Text::new("任务", "Task"), false),
            (Text::new("提出部门", "Raised by"), false),
            (Text::new("当前环节", "Current step"), false),
            (Text::new("办理人", "Held by"), false),
            (Text::new("时限", "Due"), false),
            (Text::new("状态", "State"), false),
            (Text::new("进度", "Progress"), true),
            (Text::new("本周完成", "Completed this week"), false),
            (Text::new("本周跟进", "Follow-up this week"), false),
        ],
        Text::new(
            "本周没有进行中的协作任务。",
            "No collaboration task was under way this week.",
        ),
    );
    under_way.rows = open
        .iter()
        .map(|l| ReportRow {
            case: Some(l.case),
            function: Some("coordination".to_string()),
            tone: match l.sla {
                Some(SlaState::Overdue) => Tone::Danger,
                Some(SlaState::DueSoon) => Tone::Warning,
                _ => Tone::Plain,
            },
            cells: vec![
                same(format!("#{}", l.case)),
                if l.new {
                    Text::new(
                        format!("{}(本周新增)", l.title),
                        format!("{} (new)", l.title),
                    )
                } else {
                    same(l.title.clone())
                },
                same(l.department.clone()),
                l.steps.clone(),
                l.holders.clone(),
                l.due.clone(),
                l.sla_words.clone(),
                l.progress.clone(),
                l.done_this_week.clone(),
                l.follow_ups.clone(),
            ],
        })
        .collect();

    let mut closed_section = Section::new(
        "closed",
        Text::new("本周办结", "Closed this week"),
        vec![
            (Text::new("事项", "Case"), false),
            (Text::new("任务", "Task"), false),
            (Text::new("提出部门", "Raised by"), false),
            (Text::new("提出日期", "Raised on"), false),
            (Text::new("办结日期", "Closed on"), false),
            (Text::new("结果", "Result"), false),
            (Text::new("逾期环节", "Steps late"), true),
        ],
        Text::new(
            "本周没有办结的协作任务。",
            "No collaboration task was closed this week.",
        ),
    );
    closed_section.rows = closed
        .iter()
        .filter_map(|l| {
            let (status, day) = l.ended?;
            Some(ReportRow {
                case: Some(l.case),
                function: Some("coordination".to_string()),
                tone: if l.late_steps > 0 {
                    Tone::Warning
                } else {
                    Tone::Good
                },
                cells: vec![
                    same(format!("#{}", l.case)),
                    same(l.title.clone()),
                    same(l.department.clone()),
                    same(l.raised.format("%Y-%m-%d").to_string()),
                    same(day.format("%Y-%m-%d").to_string()),
                    if status == CaseStatus::Cancelled {
                        Text::new("已撤销", "Cancelled")
                    } else {
                        Text::new("已办结", "Closed")
                    },
                    same(l.late_steps.to_string()),
                ],
            })
        })
        .collect();

    (figures, vec![attention, under_way, closed_section])
}
