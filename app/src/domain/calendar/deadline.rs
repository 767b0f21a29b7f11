//! Evaluating a deadline rule of the notation (`wd(3)`, `same-day`, `h(4, working)`,
//! `before-event(wd 1)`, `monthly-by(5)`, …) from an anchor instant. The semantics are in
//! `docs/deadlines.md`.

use super::business_calendar::{date_of, day_number, BusinessCalendar};
use crate::domain::rules::{DeadlineRule, Lead};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// When a step falls due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Due {
    /// The instant the step is due (at the latest).
    pub at: DateTime<Utc>,
    /// For window rules (`window-before-event`): the instant the item appears.
    pub opens_at: Option<DateTime<Utc>>,
    /// The count used days of a year without a published holiday arrangement (counted as
    /// weekends only), so the instant may still move when the arrangement is entered.
    pub provisional: bool,
}

impl Due {
    fn exact(at: DateTime<Utc>) -> Due {
        Due {
            at,
            opens_at: None,
            provisional: false,
        }
    }
}

impl BusinessCalendar {
    /// When a step under `rule` is due, counted from `anchor` (for `before-event` and
    /// `window-before-event`, `anchor` is the event's instant).
    pub fn due(&self, rule: &DeadlineRule, anchor: DateTime<Utc>) -> Due {
        let end = self.hours.end;
        match *rule {
            DeadlineRule::WorkingDays(n) => {
                let (day, _) = self.split(anchor);
                let d = self.nth_after(day, n);
                Due {
                    at: self.at(d, end),
                    opens_at: None,
                    provisional: self.any_unpublished(day + 1, d),
                }
            }
            DeadlineRule::SameDay => {
                let (day, sod) = self.split(anchor);
                let d = self.same_day(day, sod);
                Due {
                    at: self.at(d, end),
                    opens_at: None,
                    provisional: self.any_unpublished(day, d),
                }
            }
            DeadlineRule::Hours { hours, working } => {
                self.after(anchor, hours as u64 * 3600, working)
            }
            DeadlineRule::Minutes { minutes, working } => {
                self.after(anchor, minutes as u64 * 60, working)
            }
            DeadlineRule::BeforeEvent(Lead::WorkingDays(n)) => {
                let (day, _) = self.split(anchor);
                let d = self.nth_before(day, n);
                Due {
                    at: self.at(d, end),
                    opens_at: None,
                    provisional: self.any_unpublished(d, day - 1),
                }
            }
            DeadlineRule::BeforeEvent(Lead::Hours(n)) => {
                Due::exact(anchor - Duration::hours(n as i64))
            }
            DeadlineRule::BeforeEvent(Lead::Weeks(n)) => {
                let (day, sod) = self.split(anchor);
                let target = day - 7 * n as i64;
                if self.working(target) {
                    Due {
                        at: self.at(target, sod.min(end)),
                        opens_at: None,
                        provisional: self.any_unpublished(target, target),
                    }
                } else {
                    let d = self.nth_before(target, 1);
                    Due {
                        at: self.at(d, end),
                        opens_at: None,
                        provisional: self.any_unpublished(d, target),
                    }
                }
            }
            DeadlineRule::WindowBeforeEvent { working_days } => {
                let (day, _) = self.split(anchor);
                let d = self.nth_before(day, working_days);
                Due {
                    at: anchor,
                    opens_at: Some(self.at(d, self.hours.start)),
                    provisional: self.any_unpublished(d, day - 1),
                }
            }
            DeadlineRule::MonthlyBy { day } => {
                let (aday, asod) = self.split(anchor);
                let (target, d) = self.monthly_by(aday, asod, day);
                Due {
                    at: self.at(d, end),
                    opens_at: None,
                    provisional: self.any_unpublished(aday.min(d), target.max(d)),
                }
            }
        }
    }

    /// The day whose close a `same-day` step is due by.
    pub(crate) fn same_day(&self, day: i64, sod: u32) -> i64 {
        if self.working(day) && sod < self.hours.end {
            day
        } else {
            self.nth_after(day, 1)
        }
    }

    fn after(&self, anchor: DateTime<Utc>, secs: u64, working: bool) -> Due {
        if !working {
            return Due::exact(anchor + Duration::seconds(secs as i64));
        }
        let (day, sod) = self.split(anchor);
        let (d, t) = self.add_working(day, sod, secs);
        Due {
            at: self.at(d, t),
            opens_at: None,
            provisional: self.any_unpublished(day, d),
        }
    }

    /// For `monthly-by(D)` from an anchor at (aday, asod): the nominal day D (clamped to the
    /// month's length) of the first month whose day D has not closed at the anchor, and the
    /// working day the step is due on.
    pub(crate) fn monthly_by(&self, aday: i64, asod: u32, d: u8) -> (i64, i64) {
        let date = date_of(aday);
        let mut target = day_number(day_in_month(date.year(), date.month(), d));
        if aday > target || (aday == target && asod >= self.hours.end) {
            let (y, m) = if date.month() == 12 {
                (date.year() + 1, 1)
            } else {
                (date.year(), date.month() + 1)
            };
            target = day_number(day_in_month(y, m, d));
        }
        let earliest = if self.working(aday) && asod < self.hours.end {
            aday
        } else {
            aday + 1
        };
        let back = self.working_at_or_before(target);
        let due = if back >= earliest {
            back
        } else {
            self.nth_after(target, 1)
        };
        (target, due)
    }
}

/// Day `d` of the month, or the month's last day when it is shorter.
pub(crate) fn day_in_month(year: i32, month: u32, d: u8) -> NaiveDate {
    (1..=d as u32)
        .rev()
        .find_map(|day| NaiveDate::from_ymd_opt(year, month, day))
        .expect("every month has a day 1")
}
