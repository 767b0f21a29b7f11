//! Recurring schedules (`every(day)`, `every(week)`, …, `every(days N)`): the period containing
//! an instant, and the periods that began in an interval (catch-up after downtime). A recurring
//! obligation raises one case per period, keyed by the period's stable key.

use super::business_calendar::{date_of, day_number, BusinessCalendar};
use crate::domain::rules::Schedule;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The epoch of `every(days N)` windows: Monday 3 January 2000 (so `every(days 7)` windows are
/// ISO weeks).
pub const EVERY_DAYS_EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 3) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// One period of a schedule, `[starts_at, ends_at)`, in local calendar terms.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    /// Stable key, unique among the periods of one schedule: `2025-10-09` (working day),
    /// `2025-W41` (ISO week), `2025-10`, `2025-Q4`, `2025-H2`, `2025` (year, also for
    /// `every(year, month M)`), `2025-10-06/P7D` (`every(days 7)`).
    pub key: String,
    /// Local midnight at which the period begins (and its case is raised).
    pub starts_at: DateTime<Utc>,
    /// Local midnight at which the next period begins.
    pub ends_at: DateTime<Utc>,
}

impl Period {
    /// The period as people say it, for a case's title: `2025年10月9日`, `2025年第41周`,
    /// `2025年10月`, `2025年第四季度`, `2025年下半年`, `2025年度`, `2025年10月6日至12日`.
    /// A key of another shape is given as it is.
    pub fn label(&self) -> String {
        let key = self.key.as_str();
        let date = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
        let day = |d: NaiveDate| format!("{}年{}月{}日", d.year(), d.month(), d.day());
        if let Some((start, days)) = key.split_once("/P") {
            let days = days.strip_suffix('D').and_then(|n| n.parse::<u64>().ok());
            if let (Some(start), Some(days)) = (date(start), days) {
                let end = start + chrono::Days::new(days.saturating_sub(1));
                let end = if end.year() != start.year() {
                    day(end)
                } else if end.month() != start.month() {
                    format!("{}月{}日", end.month(), end.day())
                } else {
                    format!("{}日", end.day())
                };
                return format!("{}至{end}", day(start));
            }
        } else if let Some(d) = date(key) {
            return day(d);
        } else if let Some((year, rest)) = key.split_once('-') {
            let part = match rest.as_bytes().first() {
                Some(b'W') => rest[1..].parse::<u32>().ok().map(|w| format!("第{w}周")),
                Some(b'Q') => match &rest[1..] {
                    "1" => Some("第一季度".to_string()),
                    "2" => Some("第二季度".to_string()),
                    "3" => Some("第三季度".to_string()),
                    "4" => Some("第四季度".to_string()),
                    _ => None,
                },
                Some(b'H') => match &rest[1..] {
                    "1" => Some("上半年".to_string()),
                    "2" => Some("下半年".to_string()),
                    _ => None,
                },
                _ => rest.parse::<u32>().ok().map(|m| format!("{m}月")),
            };
            if let (Ok(year), Some(part)) = (year.parse::<i32>(), part) {
                return format!("{year}年{part}");
            }
        } else if let Ok(year) = key.parse::<i32>() {
            return format!("{year}年度");
        }
        self.key.clone()
    }
}

fn first_of(year: i32, month: u32) -> i64 {
    day_number(NaiveDate::from_ymd_opt(year, month, 1).expect("valid month"))
}

/// (year, month) plus `months`.
fn add_months(year: i32, month: u32, months: u32) -> (i32, u32) {
    let m0 = year * 12 + month as i32 - 1 + months as i32;
    (m0.div_euclid(12), m0.rem_euclid(12) as u32 + 1)
}

impl BusinessCalendar {
    /// The period of `schedule` that contains `instant`.
    ///
    /// `every(day)` runs on working days: a period starts at the local midnight of a working
    /// day and lasts until the next working day begins (days off belong to the working day
    /// before them), so no case is raised on a day off.
    pub fn period_of(&self, schedule: &Schedule, instant: DateTime<Utc>) -> Period {
        let (day, _) = self.split(instant);
        let date = date_of(day);
        let (y, m) = (date.year(), date.month());
        let months = |len: u32| {
            let start_month = (m - 1) / len * len + 1;
            let (ny, nm) = add_months(y, start_month, len);
            (
                first_of(y, start_month),
                first_of(ny, nm),
                (m - 1) / len + 1,
            )
        };
        let (start, end, key) = match *schedule {
            Schedule::Daily => {
                let s = self.working_at_or_before(day);
                (
                    s,
                    self.nth_after(s, 1),
                    date_of(s).format("%Y-%m-%d").to_string(),
                )
            }
            Schedule::Weekly => {
                let s = day - date.weekday().num_days_from_monday() as i64;
                let iso = date.iso_week();
                (s, s + 7, format!("{}-W{:02}", iso.year(), iso.week()))
            }
            Schedule::Monthly => {
                let (s, e, _) = months(1);
                (s, e, format!("{y}-{m:02}"))
            }
            Schedule::Quarterly => {
                let (s, e, q) = months(3);
                (s, e, format!("{y}-Q{q}"))
            }
            Schedule::HalfYearly => {
                let (s, e, h) = months(6);
                (s, e, format!("{y}-H{h}"))
            }
            Schedule::Yearly { month } => {
                let start_month = month.unwrap_or(1).clamp(1, 12) as u32;
                let year = if m >= start_month { y } else { y - 1 };
                (
                    first_of(year, start_month),
                    first_of(year + 1, start_month),
                    year.to_string(),
                )
            }
            Schedule::EveryDays(n) => {
                let n = n.max(1) as i64;
                let epoch = day_number(EVERY_DAYS_EPOCH);
                let s = epoch + (day - epoch).div_euclid(n) * n;
                (s, s + n, format!("{}/P{n}D", date_of(s).format("%Y-%m-%d")))
            }
        };
        Period {
            key,
            starts_at: self.at(start, 0),
            ends_at: self.at(end, 0),
        }
    }

    /// The periods of `schedule` that begin in `(from, to]`, oldest first: the cases a scheduler
    /// that last ran at `from` must raise at `to`. Empty when `to <= from`.
    pub fn periods_between(
        &self,
        schedule: &Schedule,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<Period> {
        let mut out = Vec::new();
        if to <= from {
            return out;
        }
        let mut p = self.period_of(schedule, from);
        loop {
            p = self.period_of(schedule, p.ends_at);
            if p.starts_at > to {
                return out;
            }
            out.push(p.clone());
        }
    }
}
