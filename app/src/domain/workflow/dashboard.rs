//! The dashboard: for the office and for each function, the open, due-soon and overdue
//! counts; per step over a period, the on-time rate and the time taken (median and 90th
//! percentile, in the step's own measure) against the time the standard allows; the steps
//! that most often run late; and the weeks' trend.
//!
//! Pure: storage hands over the completions of the period ([`StepDone`]), the steps under way
//! ([`OpenStep`]) and the cases raised and closed ([`CaseFlow`]); [`dashboard`] counts.
//!
//! Definitions (the tests compute them by hand):
//! - on-time rate: completions by their deadline / completions with a deadline;
//! - percentiles: nearest rank over the completions' minutes (the median of 4 values is the
//!   2nd smallest, the 90th percentile of 10 values the 9th); the share of the limit is taken
//!   per completion (its time taken over its own time allowed), then ranked;
//! - a week runs Monday to Sunday in the organisation's zone; the trend shows the
//!   [`TREND_WEEKS`] weeks that end with the period's last day's week.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use super::step_facts::{OpenStep, StepDone};
use crate::domain::calendar::{BusinessCalendar, Measure, SlaState};
use crate::domain::catalog::{wording, Catalog};
use crate::domain::lang::Text;
use crate::error::FieldError;

/// The period shown when none is chosen: the last 30 days, today included.
pub const DEFAULT_DAYS: i64 = 30;
/// The longest period one view covers.
pub const MAX_DAYS: i64 = 731;
/// The years a period may touch (the calendar covers them).
pub const FIRST_YEAR: i32 = 2000;
pub const LAST_YEAR: i32 = 2100;
/// The weeks of the trend.
pub const TREND_WEEKS: i64 = 12;
/// How many of the steps that run late are named.
pub const LATE_STEPS_SHOWN: usize = 8;

/// What the dashboard shows: one function or the whole office (`function: None`), over the
/// days `from` to `to` inclusive (the last [`DEFAULT_DAYS`] days when not given).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardQuery {
    #[serde(default)]
    pub function: Option<String>,
    #[serde(default)]
    pub from: Option<NaiveDate>,
    #[serde(default)]
    pub to: Option<NaiveDate>,
}

impl DashboardQuery {
    /// The first and last day shown, or the reasons the dates do not make a period.
    pub fn period(&self, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), Vec<FieldError>> {
        for (field, day) in [("from", self.from), ("to", self.to)] {
            if day.is_some_and(|d| !(FIRST_YEAR..=LAST_YEAR).contains(&d.year())) {
                return Err(vec![FieldError::new(
                    field,
                    "out_of_range",
                    "日期须在 2000 年至 2100 年之间。",
                    "Dates must lie between 2000 and 2100.",
                )]);
            }
        }
        let to = self.to.unwrap_or(today);
        let from = self
            .from
            .unwrap_or_else(|| to - Duration::days(DEFAULT_DAYS - 1));
        if to < from {
            return Err(vec![FieldError::new(
                "to",
                "before_from",
                "结束日期不能早于开始日期。",
                "The period cannot end before it starts.",
            )]);
        }
        if (to - from).num_days() + 1 > MAX_DAYS {
            return Err(vec![FieldError::new(
                "from",
                "too_long",
                "一次最多查看两年(731 天)。",
                "One view covers at most two years (731 days).",
            )]);
        }
        Ok((from, to))
    }

    /// The days of the trend: [`TREND_WEEKS`] weeks up to the period's last day.
    pub fn trend_days(&self, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), Vec<FieldError>> {
        let (_, to) = self.period(today)?;
        Ok((trend_start(to), to))
    }
}

/// The Monday of `day`'s week.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// The first day of the trend for a period ending on `to`.
pub fn trend_start(to: NaiveDate) -> NaiveDate {
    week_start(to) - Duration::weeks(TREND_WEEKS - 1)
}

/// Completions counted: all of them, those by their deadline and those after it (the rest
/// had no deadline).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub done: u32,
    pub on_time: u32,
    pub late: u32,
}

impl Counts {
    fn add(&mut self, done: &StepDone) {
        self.add_n(done.on_time, 1);
    }

    fn add_n(&mut self, on_time: Option<bool>, n: u32) {
        self.done += n;
        match on_time {
            Some(true) => self.on_time += n,
            Some(false) => self.late += n,
            None => {}
        }
    }

    /// The on-time rate in per cent of the completions that had a deadline.
    pub fn on_time_percent(&self) -> Option<f64> {
        let timed = self.on_time + self.late;
        (timed > 0).then(|| f64::from(self.on_time) * 100.0 / f64::from(timed))
    }
}

/// The completions of one function on one day, on time, late or without a limit, for the
/// trend's weeks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayCount {
    pub day: NaiveDate,
    pub function: String,
    pub on_time: Option<bool>,
    pub count: u32,
}

/// The cases of one function raised and closed (done, not cancelled) on one local day, for
/// the weekly trend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseFlow {
    pub function: String,
    pub day: NaiveDate,
    pub raised: u32,
    pub closed: u32,
}

/// A function's (or the office's) work under way and completed in the period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FunctionLoad {
    /// The function's code; empty for the office as a whole.
    pub code: String,
    pub name: Text,
    pub accent: String,
    /// Steps under way.
    pub open: u32,
    pub due_soon: u32,
    pub overdue: u32,
    /// Completions in the period.
    pub counts: Counts,
}

/// One step of one process over the period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepFigures {
    pub function: String,
    pub process: String,
    pub process_name: Text,
    pub step: String,
    pub step_name: Text,
    /// The standard's time limit in words (the catalog in force).
    pub deadline: Text,
    pub measure: Measure,
    pub counts: Counts,
    /// Time taken, minutes of the measure: median and 90th percentile.
    pub median_minutes: Option<u32>,
    pub p90_minutes: Option<u32>,
    /// Time allowed (activation to deadline), median over the completions with a deadline.
    pub allowed_median_minutes: Option<u32>,
    /// Each completion's time taken as a share of its own time allowed, in per mille:
    /// median and 90th percentile (over 1000: past the limit).
    pub median_of_allowed_permille: Option<u32>,
    pub p90_of_allowed_permille: Option<u32>,
}

impl StepFigures {
    /// The 90th percentile of the completions' time taken over time allowed, in per cent
    /// (over 100: more than one in ten ran past the standard's limit).
    pub fn p90_of_allowed_percent(&self) -> Option<f64> {
        self.p90_of_allowed_permille.map(|p| f64::from(p) / 10.0)
    }

    /// The median of the completions' time taken over time allowed, in per cent.
    pub fn median_of_allowed_percent(&self) -> Option<f64> {
        self.median_of_allowed_permille.map(|p| f64::from(p) / 10.0)
    }
}

/// Time taken over time allowed in per mille (`None` when nothing was allowed).
fn permille(elapsed: u32, allowed: u32) -> Option<u32> {
    (allowed > 0)
        .then(|| u32::try_from(u64::from(elapsed) * 1000 / u64::from(allowed)).unwrap_or(u32::MAX))
}

/// One week of the trend.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekFigures {
    /// Its Monday.
    pub start: NaiveDate,
    pub raised: u32,
    pub closed: u32,
    pub counts: Counts,
}

/// A function the viewer may look at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionChoice {
    pub code: String,
    pub name: Text,
}

/// The dashboard as shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub function: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub today: NaiveDate,
    /// The functions the viewer may choose (in the standard's order).
    pub choices: Vec<FunctionChoice>,
    /// The office (or the function) as a whole.
    pub total: FunctionLoad,
    /// One row per function in view.
    pub functions: Vec<FunctionLoad>,
    /// Every step with a completion in the period, in the standard's order.
    pub steps: Vec<StepFigures>,
    /// The steps with the most late completions (most first), at most [`LATE_STEPS_SHOWN`].
    pub late_steps: Vec<StepFigures>,
    /// [`TREND_WEEKS`] weeks, oldest first.
    pub weeks: Vec<WeekFigures>,
}

/// Everything [`dashboard`] counts: storage reads it for the functions in `functions`.
pub struct DashboardInput<'a> {
    pub catalog: &'a Catalog,
    pub calendar: &'a BusinessCalendar,
    pub now: DateTime<Utc>,
    /// The period asked for; `query.function` is one of `functions` or `None`.
    pub query: &'a DashboardQuery,
    /// The functions the viewer may see (codes), each once.
    pub functions: &'a [String],
    /// Completions of the period (others are ignored), in any grouping: storage hands them
    /// over a day at a time.
    pub done: &'a [&'a [StepDone]],
    /// Completions per day of the days [`DashboardQuery::trend_days`] names.
    pub trend: &'a [DayCount],
    pub open: &'a [OpenStep],
    /// Cases raised, and cases closed, on or after the trend's first day.
    pub flows: &'a [CaseFlow],
}

/// The value at `rank` per cent by nearest rank (`values` sorted ascending, not empty).
pub fn nearest_rank(values: &[u32], percent: u32) -> Option<u32> {
    if values.is_empty() {
        return None;
    }
    let n = values.len();
    let rank = (n * percent as usize).div_ceil(100).clamp(1, n);
    Some(values[rank - 1])
}

#[derive(Default)]
struct StepTally {
    counts: Counts,
    elapsed: Vec<u32>,
    allowed: Vec<u32>,
    ratios: Vec<u32>,
}

/// The dashboard of `input`, or the reasons its query is refused.
pub fn dashboard(input: &DashboardInput) -> Result<Dashboard, Vec<FieldError>> {
    let zone = input.calendar.settings().time_zone;
    let today = input.now.with_timezone(&zone).date_naive();
    let (from, to) = input.query.period(today)?;
    let catalog = input.catalog;
    let in_view = |function: &str| match &input.query.function {
        Some(f) => f == function,
        None => input.functions.iter().any(|v| v == function),
    };
    let mut choices: Vec<(u32, FunctionChoice, String)> = input
        .functions
        .iter()
        .map(|code| {
            let f = catalog.function(code);
            (
                f.map_or(u32::MAX, |f| f.order),
                FunctionChoice {
                    code: code.clone(),
                    name: f
                        .map_or_else(|| Text::new(code.clone(), code.clone()), |f| f.name.clone()),
                },
                f.map_or_else(|| "#64748b".to_string(), |f| f.accent.clone()),
            )
        })
        .collect();
    choices.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.code.cmp(&b.1.code)));

    let mut loads: Vec<FunctionLoad> = choices
        .iter()
        .filter(|(_, c, _)| in_view(&c.code))
        .map(|(_, c, accent)| FunctionLoad {
            code: c.code.clone(),
            name: c.name.clone(),
            accent: accent.clone(),
            open: 0,
            due_soon: 0,
            overdue: 0,
            counts: Counts::default(),
        })
        .collect();
    let index: HashMap<String, usize> = loads
        .iter()
        .enumerate()
        .map(|(i, l)| (l.code.clone(), i))
        .collect();

    for open in input.open {
        let Some(&i) = index.get(&open.function) else {
            continue;
        };
        let load = &mut loads[i];
        load.open += 1;
        match open.sla(input.calendar, input.now) {
            Some(SlaState::DueSoon) => load.due_soon += 1,
            Some(SlaState::Overdue) => load.overdue += 1,
            _ => {}
        }
    }

    let first_week = trend_start(to);
    let mut weeks: Vec<WeekFigures> = (0..TREND_WEEKS)
        .map(|w| WeekFigures {
            start: first_week + Duration::weeks(w),
            raised: 0,
            closed: 0,
            counts: Counts::default(),
        })
        .collect();
    let week_of = |day: NaiveDate| -> Option<usize> {
        if day < first_week || day > to {
            return None;
        }
        usize::try_from((day - first_week).num_days() / 7).ok()
    };

    let mut steps: BTreeMap<(&str, &str), StepTally> = BTreeMap::new();
    for done in input.done.iter().flat_map(|chunk| chunk.iter()) {
        if !index.contains_key(&done.function) || done.day < from || done.day > to {
            continue;
        }
        loads[index[&done.function]].counts.add(done);
        let tally = steps
            .entry((done.process.as_str(), done.step.as_str()))
            .or_default();
        tally.counts.add(done);
        tally.elapsed.push(done.elapsed_minutes);
        if let Some(allowed) = done.allowed_minutes {
            tally.allowed.push(allowed);
            tally.ratios.extend(permille(done.elapsed_minutes, allowed));
        }
    }
    for day in input.trend {
        if !index.contains_key(&day.function) {
            continue;
        }
        if let Some(w) = week_of(day.day) {
            weeks[w].counts.add_n(day.on_time, day.count);
        }
    }
    for flow in input.flows {
        if !index.contains_key(&flow.function) {
            continue;
        }
        if let Some(w) = week_of(flow.day) {
            weeks[w].raised += flow.raised;
            weeks[w].closed += flow.closed;
        }
    }

    let mut figures: Vec<((u32, usize, usize), StepFigures)> = steps
        .into_iter()
        .map(|((process_code, step_code), mut tally)| {
            tally.elapsed.sort_unstable();
            tally.allowed.sort_unstable();
            tally.ratios.sort_unstable();
            let process = catalog.process(process_code);
            let step = process.and_then(|p| p.step(step_code));
            let function = process.map_or_else(String::new, |p| p.function.to_string());
            let order = (
                catalog.function(&function).map_or(u32::MAX, |f| f.order),
                process
                    .and_then(|p| catalog.processes.iter().position(|q| q.code == p.code))
                    .unwrap_or(usize::MAX),
                process
                    .and_then(|p| p.steps.iter().position(|s| s.code == step_code))
                    .unwrap_or(usize::MAX),
            );
            let figures = StepFigures {
                function,
                process_name: process
                    .map_or_else(|| Text::new(process_code, process_code), |p| p.name.clone()),
                step_name: step.map_or_else(|| Text::new(step_code, step_code), |s| s.name.clone()),
                deadline: wording::deadline(step.and_then(|s| s.deadline.as_ref())),
                measure: step
                    .and_then(|s| s.deadline.as_ref())
                    .map_or(Measure::WorkingTime, Measure::of_rule),
                counts: tally.counts,
                median_minutes: nearest_rank(&tally.elapsed, 50),
                p90_minutes: nearest_rank(&tally.elapsed, 90),
                allowed_median_minutes: nearest_rank(&tally.allowed, 50),
                median_of_allowed_permille: nearest_rank(&tally.ratios, 50),
                p90_of_allowed_permille: nearest_rank(&tally.ratios, 90),
                process: process_code.to_string(),
                step: step_code.to_string(),
            };
            (order, figures)
        })
        .collect();
    figures.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| a.1.process.cmp(&b.1.process))
            .then_with(|| a.1.step.cmp(&b.1.step))
    });
    let steps: Vec<StepFigures> = figures.into_iter().map(|(_, f)| f).collect();

    let mut late_steps: Vec<StepFigures> = steps
        .iter()
        .filter(|s| s.counts.late > 0)
        .cloned()
        .collect();
    late_steps.sort_by(|a, b| {
        b.counts.late.cmp(&a.counts.late).then_with(|| {
            let rate = |s: &StepFigures| s.counts.on_time_percent().unwrap_or(100.0);
            rate(a).total_cmp(&rate(b))
        })
    });
    late_steps.truncate(LATE_STEPS_SHOWN);

    let total = match input.query.function.as_deref() {
        Some(code) => loads
            .iter()
            .find(|l| l.code == code)
            .cloned()
            .unwrap_or_else(|| office_total(&[])),
        None => office_total(&loads),
    };

    Ok(Dashboard {
        function: input.query.function.clone(),
        from,
        to,
        today,
        choices: choices.into_iter().map(|(_, c, _)| c).collect(),
        total,
        functions: loads,
        steps,
        late_steps,
        weeks,
    })
}

fn office_total(loads: &[FunctionLoad]) -> FunctionLoad {
    let mut total = FunctionLoad {
        code: String::new(),
        name: Text::new("办公室合计", "Whole office"),
        accent: "#0f172a".into(),
        open: 0,
        due_soon: 0,
        overdue: 0,
        counts: Counts::default(),
    };
    for l in loads {
        total.open += l.open;
        total.due_soon += l.due_soon;
        total.overdue += l.overdue;
        total.counts.done += l.counts.done;
        total.counts.on_time += l.counts.on_time;
        total.counts.late += l.counts.late;
    }
    total
}

/// Minutes of a measure in words: `45 分钟`, `2.5 小时`; working time says so
/// (`2.5 工作小时`, `2.5 working h`).
pub fn span_words(minutes: u32, measure: Measure) -> Text {
    let working = measure == Measure::WorkingTime;
    if minutes < 60 {
        return if working {
            Text::new(
                format!("{minutes} 工作分钟"),
                format!("{minutes} working min"),
            )
        } else {
            Text::new(format!("{minutes} 分钟"), format!("{minutes} min"))
        };
    }
    let hours = f64::from(minutes) / 60.0;
    let shown = if hours >= 100.0 {
        format!("{hours:.0}")
    } else {
        let s = format!("{hours:.1}");
        s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
    };
    if working {
        Text::new(format!("{shown} 工作小时"), format!("{shown} working h"))
    } else {
        Text::new(format!("{shown} 小时"), format!("{shown} h"))
    }
}
