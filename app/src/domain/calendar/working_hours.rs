//! The organisation's calendar settings (time zone, working hours, lunch break, due-soon
//! thresholds) and the working-hours arithmetic within one working day.

use chrono::{NaiveTime, Timelike};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How an organisation keeps time. Stored by the administrator; every field has a default.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CalendarSettings {
    /// The organisation's time zone: a day, its working hours and its close are local to it.
    pub time_zone: Tz,
    /// Start of the working day (default 09:00).
    pub work_start: NaiveTime,
    /// Close of the working day (default 18:00). "By the close of day X" means this instant.
    pub work_end: NaiveTime,
    /// Lunch break inside the working day (default 12:00–13:00); `None` for no break.
    pub lunch: Option<(NaiveTime, NaiveTime)>,
    /// When a step counts as "due soon".
    pub due_soon: DueSoonThresholds,
}

/// A step is due soon when less than `percent_of_allowed` % of the time it was allowed is left,
/// or less than `minutes_left` minutes (of working time, or of clock time for round-the-clock
/// rules). Either threshold set to 0 is off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DueSoonThresholds {
    /// Default 25: less than a quarter of the allowed time is left.
    pub percent_of_allowed: u32,
    /// Default 240: less than 4 (working) hours are left.
    pub minutes_left: u32,
}

impl Default for DueSoonThresholds {
    fn default() -> Self {
        DueSoonThresholds {
            percent_of_allowed: 25,
            minutes_left: 240,
        }
    }
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("valid time")
}

impl Default for CalendarSettings {
    fn default() -> Self {
        CalendarSettings {
            time_zone: chrono_tz::Asia::Shanghai,
            work_start: hm(9, 0),
            work_end: hm(18, 0),
            lunch: Some((hm(12, 0), hm(13, 0))),
            due_soon: DueSoonThresholds::default(),
        }
    }
}

/// Why a set of calendar settings cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingsError {
    /// The working day must end after it starts (and within the same day).
    WorkEndNotAfterStart,
    /// The lunch break must start before it ends.
    LunchEndNotAfterStart,
    /// The lunch break must lie inside the working hours and leave some working time.
    LunchOutsideWorkingHours,
    /// `percent_of_allowed` must be at most 100.
    PercentOver100,
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SettingsError::WorkEndNotAfterStart => "the working day must end after it starts",
            SettingsError::LunchEndNotAfterStart => "the lunch break must end after it starts",
            SettingsError::LunchOutsideWorkingHours => {
                "the lunch break must lie inside the working hours"
            }
            SettingsError::PercentOver100 => "the due-soon percentage must be at most 100",
        })
    }
}

impl std::error::Error for SettingsError {}

impl CalendarSettings {
    /// Checks the settings; [`BusinessCalendar::new`](super::BusinessCalendar::new) does too.
    pub fn validate(&self) -> Result<(), SettingsError> {
        WorkingHours::new(self).map(|_| ())
    }
}

/// Seconds since local midnight.
pub(crate) fn sod(t: NaiveTime) -> u32 {
    t.num_seconds_from_midnight()
}

/// The working segments of one working day, in seconds since local midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct WorkingHours {
    /// Up to two segments `[start, end)`; `segs[1]` is unused when `count == 1`.
    pub segs: [(u32, u32); 2],
    pub count: usize,
    /// Working seconds in one working day.
    pub day_len: u32,
    pub start: u32,
    pub end: u32,
}

impl WorkingHours {
    pub fn new(s: &CalendarSettings) -> Result<WorkingHours, SettingsError> {
        let (start, end) = (sod(s.work_start), sod(s.work_end));
        if end <= start {
            return Err(SettingsError::WorkEndNotAfterStart);
        }
        if s.due_soon.percent_of_allowed > 100 {
            return Err(SettingsError::PercentOver100);
        }
        let mut segs = [(start, end), (end, end)];
        let mut count = 1;
        if let Some((ls, le)) = s.lunch {
            let (ls, le) = (sod(ls), sod(le));
            if le <= ls {
                return Err(SettingsError::LunchEndNotAfterStart);
            }
            if ls < start || le > end || (ls == start && le == end) {
                return Err(SettingsError::LunchOutsideWorkingHours);
            }
            let parts: Vec<(u32, u32)> = [(start, ls), (le, end)]
                .into_iter()
                .filter(|(a, b)| b > a)
                .collect();
            segs = [parts[0], *parts.get(1).unwrap_or(&(end, end))];
            count = parts.len();
        }
        let day_len = segs[..count].iter().map(|(a, b)| b - a).sum();
        Ok(WorkingHours {
            segs,
            count,
            day_len,
            start,
            end,
        })
    }

    /// Working seconds of a working day that lie before `t` (seconds since midnight).
    #[inline]
    pub fn elapsed(&self, t: u32) -> u32 {
        let (a, b) = self.segs[0];
        let first = t.clamp(a, b) - a;
        if self.count == 1 {
            return first;
        }
        let (c, d) = self.segs[1];
        first + (t.clamp(c, d) - c)
    }

    /// The earliest time of a working day at which `r` working seconds have elapsed
    /// (`0 < r <= day_len`): a segment's end rather than the next segment's start.
    #[inline]
    pub fn at(&self, r: u32) -> u32 {
        let (a, b) = self.segs[0];
        if r <= b - a || self.count == 1 {
            a + r
        } else {
            self.segs[1].0 + (r - (b - a))
        }
    }

    /// Whether `t` is inside working hours (segment ends included).
    pub fn contains(&self, t: u32) -> bool {
        self.segs[..self.count]
            .iter()
            .any(|&(a, b)| a <= t && t <= b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_day_has_eight_working_hours_in_two_segments() {
        let h = WorkingHours::new(&CalendarSettings::default()).unwrap();
        assert_eq!(h.day_len, 8 * 3600);
        assert_eq!(h.segs, [(9 * 3600, 12 * 3600), (13 * 3600, 18 * 3600)]);
        assert_eq!(h.elapsed(8 * 3600), 0);
        assert_eq!(h.elapsed(12 * 3600 + 1800), 3 * 3600);
        assert_eq!(h.elapsed(20 * 3600), 8 * 3600);
        assert_eq!(h.at(3 * 3600), 12 * 3600, "3 h ends at lunch, not after it");
        assert_eq!(h.at(3 * 3600 + 60), 13 * 3600 + 60);
        assert_eq!(h.at(8 * 3600), 18 * 3600);
    }

    #[test]
    fn bad_settings_are_refused() {
        let mut s = CalendarSettings {
            work_end: hm(8, 0),
            ..Default::default()
        };
        assert_eq!(s.validate(), Err(SettingsError::WorkEndNotAfterStart));
        s.work_end = hm(18, 0);
        s.lunch = Some((hm(13, 0), hm(12, 0)));
        assert_eq!(s.validate(), Err(SettingsError::LunchEndNotAfterStart));
        s.lunch = Some((hm(17, 0), hm(19, 0)));
        assert_eq!(s.validate(), Err(SettingsError::LunchOutsideWorkingHours));
        s.lunch = None;
        s.due_soon.percent_of_allowed = 101;
        assert_eq!(s.validate(), Err(SettingsError::PercentOver100));
    }

    #[test]
    fn settings_round_trip_through_serde_with_defaults() {
        let s: CalendarSettings = serde_json_like();
        assert_eq!(s, CalendarSettings::default());
    }

    /// serde without a JSON dependency: deserialize from an empty map via the derive's default.
    fn serde_json_like() -> CalendarSettings {
        use serde::de::value::{Error, MapDeserializer};
        let empty: Vec<(String, String)> = Vec::new();
        CalendarSettings::deserialize(MapDeserializer::<_, Error>::new(empty.into_iter())).unwrap()
    }
}
