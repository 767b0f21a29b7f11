//! Repeating obligations on an open case (`every(day) while open`, `every(week) while open`,
//! `every(h N) while open`).

use super::business_calendar::BusinessCalendar;
use crate::domain::rules::Repeat;
use chrono::{DateTime, Duration, Utc};

impl BusinessCalendar {
    /// The first repeat instant of `repeat` strictly after `after`, for a case opened at
    /// `opened`. The repeat instants are:
    /// - `every(h N)`: `opened + k·N hours`, k ≥ 1, round the clock;
    /// - `every(day)`: the close of every working day after the opening day (the k-th equals
    ///   `wd(k)` from `opened`);
    /// - `every(week)`: for k ≥ 1, the close of the first working day on or after the day
    ///   `7k` days after the opening day (two weeks that end in one holiday share one instant).
    pub fn next_repeat(
        &self,
        repeat: &Repeat,
        opened: DateTime<Utc>,
        after: DateTime<Utc>,
    ) -> DateTime<Utc> {
        match *repeat {
            Repeat::EveryHours(n) => {
                let step = n.max(1) as i64 * 3600;
                let since = (after - opened).num_seconds();
                let k = if since < step {
                    1
                } else {
                    since.div_euclid(step) + 1
                };
                opened + Duration::seconds(k * step)
            }
            Repeat::Daily => {
                let (oday, _) = self.split(opened);
                let (aday, asod) = self.split(after);
                let d = if aday > oday && self.working(aday) && asod < self.hours.end {
                    aday
                } else {
                    self.nth_after(aday.max(oday), 1)
                };
                self.at(d, self.hours.end)
            }
            Repeat::Weekly => {
                let (oday, _) = self.split(opened);
                let (aday, _) = self.split(after);
                let mut k = ((aday - oday - 21).div_euclid(7)).max(1);
                loop {
                    let d = self.working_at_or_after(oday + 7 * k);
                    let t = self.at(d, self.hours.end);
                    if t > after {
                        return t;
                    }
                    k += 1;
                }
            }
        }
    }

    /// The repeat instants in `(from, to]`, oldest first (catch-up after downtime).
    pub fn repeats_between(
        &self,
        repeat: &Repeat,
        opened: DateTime<Utc>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<DateTime<Utc>> {
        let mut out = Vec::new();
        let mut t = from;
        loop {
            t = self.next_repeat(repeat, opened, t);
            if t > to {
                return out;
            }
            out.push(t);
        }
    }
}
