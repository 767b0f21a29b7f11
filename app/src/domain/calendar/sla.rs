//! SLA state of a step at an instant (on time, due soon, overdue) and the time left or overrun,
//! in words for the UI in both languages.

use super::business_calendar::BusinessCalendar;
use crate::domain::lang::Lang;
use crate::domain::rules::{DeadlineRule, Lead};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a step stands against its deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SlaState {
    OnTime,
    DueSoon,
    Overdue,
}

impl SlaState {
    /// The state's label: 按时 / 即将到期 / 已超时, On time / Due soon / Overdue.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (SlaState::OnTime, Lang::Zh) => "按时",
            (SlaState::DueSoon, Lang::Zh) => "即将到期",
            (SlaState::Overdue, Lang::Zh) => "已超时",
            (SlaState::OnTime, Lang::En) => "On time",
            (SlaState::DueSoon, Lang::En) => "Due soon",
            (SlaState::Overdue, Lang::En) => "Overdue",
        }
    }
}

/// How the time of a step is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Measure {
    /// Working time on the calendar (a day is one working day of the settings).
    WorkingTime,
    /// Clock time, round the clock (a day is 24 hours): `h(N)`, `min(N)`, `before-event(h N)`.
    ClockTime,
}

impl Measure {
    /// Clock time for the round-the-clock rules, working time for all others.
    pub fn of_rule(rule: &DeadlineRule) -> Measure {
        match rule {
            DeadlineRule::Hours { working: false, .. }
            | DeadlineRule::Minutes { working: false, .. }
            | DeadlineRule::BeforeEvent(Lead::Hours(_)) => Measure::ClockTime,
            _ => Measure::WorkingTime,
        }
    }
}

/// Time left (or overrun, when `overdue`), split into days, hours and minutes of the measure:
/// working days of the calendar's working-day length for working time, 24-hour days for clock
/// time. The parts are truncated to whole minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WorkingSpan {
    pub overdue: bool,
    /// The whole span in seconds, never negative (see `overdue` for the sign).
    pub seconds: u64,
    pub days: u64,
    pub hours: u64,
    pub minutes: u64,
    pub measure: Measure,
}

/// The SLA of a step at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Sla {
    pub state: SlaState,
    pub remaining: WorkingSpan,
}

impl BusinessCalendar {
    /// The SLA of a step activated at `activated_at` and due at `due`, seen at `now`, measured
    /// in working time. Overdue once `now` is past `due`; due soon when less than the
    /// configured share of the allowed working time, or less than the configured working
    /// minutes, is left; on time otherwise.
    pub fn sla(&self, activated_at: DateTime<Utc>, due: DateTime<Utc>, now: DateTime<Utc>) -> Sla {
        self.sla_measured(Measure::WorkingTime, activated_at, due, now)
    }

    /// [`Self::sla`] with an explicit measure (use [`Measure::of_rule`] for the step's rule).
    pub fn sla_measured(
        &self,
        measure: Measure,
        activated_at: DateTime<Utc>,
        due: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Sla {
        let between = |a: DateTime<Utc>, b: DateTime<Utc>| match measure {
            Measure::WorkingTime => self.working_seconds_between(a, b),
            Measure::ClockTime => (b - a).num_seconds(),
        };
        let left = between(now, due);
        let allowed = between(activated_at, due).max(0);
        let t = self.settings.due_soon;
        let state = if now > due {
            SlaState::Overdue
        } else if (left as i128) * 100 < allowed as i128 * t.percent_of_allowed as i128
            || left < t.minutes_left as i64 * 60
        {
            SlaState::DueSoon
        } else {
            SlaState::OnTime
        };
        let day_len = match measure {
            Measure::WorkingTime => self.hours.day_len as u64,
            Measure::ClockTime => 86_400,
        };
        let overdue = now > due;
        let secs = left.unsigned_abs();
        let remaining = WorkingSpan {
            overdue,
            seconds: secs,
            days: secs / day_len,
            hours: secs % day_len / 3600,
            minutes: secs % 3600 / 60,
            measure,
        };
        Sla { state, remaining }
    }
}

impl WorkingSpan {
    /// What its words show (the sign, days, hours, minutes): equal for two spans whose words
    /// are the same, in either language.
    pub fn shown(&self) -> (bool, u64, u64, u64) {
        (self.overdue, self.days, self.hours, self.minutes)
    }

    /// The span in words: days and hours when at least a day is left, else hours and minutes;
    /// zero parts are left out. "剩余 1 个工作日 3 小时" / "1 working day 3 hours left",
    /// "已超时 2 小时" / "overdue by 2 working hours", "剩余不足 1 分钟" /
    /// "less than 1 working minute left", and a bare "已超时" / "overdue" when the overrun is
    /// under a minute (e.g. after hours on the due day: no working time has been lost yet).
    pub fn words(&self, lang: Lang) -> String {
        let working = self.measure == Measure::WorkingTime;
        let (a, b) = if self.days > 0 {
            ((self.days, Unit::Day), (self.hours, Unit::Hour))
        } else {
            ((self.hours, Unit::Hour), (self.minutes, Unit::Minute))
        };
        let parts: Vec<(u64, Unit)> = [a, b].into_iter().filter(|(n, _)| *n > 0).collect();
        match lang {
            Lang::Zh => {
                let text: Vec<String> = parts
                    .iter()
                    .map(|&(n, u)| match u {
                        Unit::Day if working => format!("{n} 个工作日"),
                        Unit::Day => format!("{n} 天"),
                        Unit::Hour => format!("{n} 小时"),
                        Unit::Minute => format!("{n} 分钟"),
                    })
                    .collect();
                match (self.overdue, text.is_empty()) {
                    (true, true) => "已超时".to_string(),
                    (true, false) => format!("已超时 {}", text.join(" ")),
                    (false, true) => "剩余不足 1 分钟".to_string(),
                    (false, false) => format!("剩余 {}", text.join(" ")),
                }
            }
            Lang::En => {
                let text: Vec<String> = parts
                    .iter()
                    .enumerate()
                    .map(|(i, &(n, u))| {
                        let word = match u {
                            Unit::Day => "day",
                            Unit::Hour => "hour",
                            Unit::Minute => "minute",
                        };
                        let adj = if working && i == 0 { "working " } else { "" };
                        let s = if n == 1 { "" } else { "s" };
                        format!("{n} {adj}{word}{s}")
                    })
                    .collect();
                let adj = if working { "working " } else { "" };
                match (self.overdue, text.is_empty()) {
                    (true, true) => "overdue".to_string(),
                    (true, false) => format!("overdue by {}", text.join(" ")),
                    (false, true) => format!("less than 1 {adj}minute left"),
                    (false, false) => format!("{} left", text.join(" ")),
                }
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Unit {
    Day,
    Hour,
    Minute,
}
