//! What the dashboard counts, taken from cases as operations change them: each step
//! completed (when, how long it took in its own measure, how long it was allowed, on time or
//! late) and each open step (for the open, due-soon and overdue counts).
//!
//! A completion is recorded once, when an operation completes the step; storage keeps it in
//! an append-only table, so the dashboard reads narrow rows of a period instead of case bodies.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::case::{Case, StepOutcome};
use crate::domain::calendar::{BusinessCalendar, Measure, SlaState};
use crate::domain::catalog::Process;

/// A step completed, as the dashboard counts it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepDone {
    pub case_id: i64,
    /// The instance's 1-based position in the case (with `case_id`, its identity).
    pub seq: u32,
    /// The organisation's local day it was completed.
    pub day: NaiveDate,
    pub function: String,
    pub process: String,
    pub step: String,
    /// Activation to completion, in whole minutes of the step's measure (working time for
    /// working-day rules, clock time for round-the-clock ones).
    pub elapsed_minutes: u32,
    /// Activation to the deadline in the same measure; `None` without a deadline.
    pub allowed_minutes: Option<u32>,
    /// Completed by its deadline; `None` without a deadline.
    pub on_time: Option<bool>,
}

/// The measure a step's time is counted in (working time when it has no rule).
pub fn step_measure(process: &Process, step: &str) -> Measure {
    process
        .step(step)
        .and_then(|s| s.deadline.as_ref())
        .map_or(Measure::WorkingTime, Measure::of_rule)
}

fn minutes_between(
    calendar: &BusinessCalendar,
    measure: Measure,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> u32 {
    let seconds = match measure {
        Measure::WorkingTime => calendar.working_seconds_between(from, to),
        Measure::ClockTime => (to - from).num_seconds(),
    };
    // Rounded to the nearest minute; never negative.
    u32::try_from((seconds.max(0) + 30) / 60).unwrap_or(u32::MAX)
}

/// The steps `after` completed that `before` had not (every completed step of a case just
/// raised, `before` being `None`). Returned, skipped and cancelled instances are not counted.
pub fn steps_done(
    before: Option<&Case>,
    after: &Case,
    process: &Process,
    calendar: &BusinessCalendar,
) -> Vec<StepDone> {
    let zone: Tz = calendar.settings().time_zone;
    after
        .steps
        .iter()
        .enumerate()
        .filter(|(i, s)| {
            matches!(s.outcome, Some(StepOutcome::Completed))
                && !before
                    .and_then(|b| b.steps.get(*i))
                    .is_some_and(|old| matches!(old.outcome, Some(StepOutcome::Completed)))
        })
        .filter_map(|(i, s)| {
            let done = s.completed_at?;
            let measure = step_measure(process, s.step.as_str());
            Some(StepDone {
                case_id: after.id.0,
                seq: i as u32 + 1,
                day: done.with_timezone(&zone).date_naive(),
                function: process.function.to_string(),
                process: process.code.to_string(),
                step: s.step.to_string(),
                elapsed_minutes: minutes_between(calendar, measure, s.activated_at, done),
                allowed_minutes: s
                    .due
                    .map(|d| minutes_between(calendar, measure, s.activated_at, d.at)),
                on_time: s.due.map(|d| done <= d.at),
            })
        })
        .collect()
}

/// A step under way, as the open counts see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenStep {
    pub function: String,
    pub process: String,
    pub step: String,
    pub activated_at: DateTime<Utc>,
    pub due_at: Option<DateTime<Utc>>,
    pub measure: Measure,
}

impl OpenStep {
    /// Its SLA state at `now`; `None` without a deadline.
    pub fn sla(&self, calendar: &BusinessCalendar, now: DateTime<Utc>) -> Option<SlaState> {
        let due = self.due_at?;
        Some(
            calendar
                .sla_measured(self.measure, self.activated_at, due, now)
                .state,
        )
    }
}
