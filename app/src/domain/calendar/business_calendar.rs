//! The indexed business calendar: which days are working days, which years are published, and
//! O(1) arithmetic on working days and working time.
//!
//! Days are numbered as days since 1970-01-01 in the organisation's time zone ("day numbers").
//! Days 2000-01-01 ..= 2199-12-31 are indexed: a flag byte per day, the cumulative count of
//! working days and of unpublished days before each day, and the list of working days (the
//! inverse of the count). Outside that range the calendar still answers (weekends plus any
//! override), walking day by day.

use super::holidays::{built_in_rows, DayKind, DayOverride};
use super::working_hours::{CalendarSettings, SettingsError, WorkingHours};
use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone, Utc, Weekday,
};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::RangeInclusive;

/// Day number of 2000-01-01.
pub(crate) const BASE_DAY: i64 = 10_957;
/// Number of indexed days: 2000-01-01 ..= 2199-12-31.
pub(crate) const INDEXED_DAYS: usize = 73_049;
const WORKING: u8 = 1;
const PUBLISHED: u8 = 2;
const SECS_PER_DAY: i64 = 86_400;
/// Day number of 0001-01-01 counted from 1970-01-01, negated (chrono's days-from-CE offset).
const CE_TO_UNIX: i64 = 719_163;

/// Converts a date to its day number.
pub(crate) fn day_number(date: NaiveDate) -> i64 {
    date.num_days_from_ce() as i64 - CE_TO_UNIX
}

/// Converts a day number back to its date.
pub(crate) fn date_of(day: i64) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt((day + CE_TO_UNIX) as i32).expect("day in chrono range")
}

/// Why a date is or is not a working day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DayReason {
    /// An ordinary Monday–Friday.
    Weekday,
    /// An ordinary Saturday or Sunday.
    Weekend,
    /// A listed day off (statutory holiday or administrator's day off), with its name.
    Holiday(String),
    /// A listed working day on a weekend (make-up working day) or administrator's working day.
    MakeUpDay(String),
}

/// What the calendar says about one date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayInfo {
    pub date: NaiveDate,
    pub working: bool,
    pub reason: DayReason,
    /// Whether the date's year has a published arrangement (built-in or entered by the admin).
    pub published: bool,
}

/// The working-day calendar of one organisation: built-in PRC holidays, the administrator's
/// overrides and the organisation's settings. Build a new one whenever the overrides or the
/// settings change, then recompute the open deadlines from it: every answer is a pure function
/// of the calendar and the instants passed in (the clock is never read).
#[derive(Clone, Debug)]
pub struct BusinessCalendar {
    pub(crate) settings: CalendarSettings,
    pub(crate) hours: WorkingHours,
    /// UTC offset in seconds when the zone has one fixed offset over the indexed range.
    fixed_offset: Option<i64>,
    flags: Vec<u8>,
    /// `cum[i]`: working days among indexed days `0..i` (length `INDEXED_DAYS + 1`).
    cum: Vec<u32>,
    /// `unpublished[i]`: unpublished days among indexed days `0..i`.
    unpublished: Vec<u32>,
    /// Indexes of the working days, ascending.
    work_days: Vec<u32>,
    /// The listed dates in effect (built-in rows, then overrides), by day number.
    listed: BTreeMap<i64, (DayKind, String)>,
    published_years: BTreeSet<i32>,
}

impl BusinessCalendar {
    /// Builds the calendar from the settings, the built-in data and the administrator's
    /// overrides. An override replaces the built-in row for its date; when overrides list the
    /// same date twice, the later one wins. Overrides marked `year_arrangement` make their year
    /// published and replace *all* built-in rows of that year.
    pub fn new(
        settings: CalendarSettings,
        overrides: Vec<DayOverride>,
    ) -> Result<BusinessCalendar, SettingsError> {
        let hours = WorkingHours::new(&settings)?;
        let built_in = built_in_rows();
        let arranged: BTreeSet<i32> = overrides
            .iter()
            .filter(|o| o.year_arrangement)
            .map(|o| o.date.year())
            .collect();
        let mut published_years: BTreeSet<i32> = built_in.iter().map(|r| r.date.year()).collect();
        published_years.extend(arranged.iter().copied());
        let mut listed = BTreeMap::new();
        for r in built_in
            .into_iter()
            .filter(|r| !arranged.contains(&r.date.year()))
        {
            listed.insert(day_number(r.date), (r.kind, r.name));
        }
        for o in overrides {
            listed.insert(day_number(o.date), (o.kind, o.name));
        }

        let mut flags = vec![0u8; INDEXED_DAYS];
        let mut cum = Vec::with_capacity(INDEXED_DAYS + 1);
        let mut unpublished = Vec::with_capacity(INDEXED_DAYS + 1);
        let mut work_days = Vec::with_capacity(INDEXED_DAYS * 5 / 7 + 16);
        let (mut w, mut u) = (0u32, 0u32);
        let mut date = date_of(BASE_DAY);
        for (i, flag) in flags.iter_mut().enumerate() {
            cum.push(w);
            unpublished.push(u);
            let day = BASE_DAY + i as i64;
            let working = match listed.get(&day) {
                Some((kind, _)) => *kind == DayKind::WorkingDay,
                None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
            };
            if working {
                *flag |= WORKING;
                work_days.push(i as u32);
                w += 1;
            }
            if published_years.contains(&date.year()) {
                *flag |= PUBLISHED;
            } else {
                u += 1;
            }
            date = date.succ_opt().expect("date in range");
        }
        cum.push(w);
        unpublished.push(u);

        let fixed_offset = fixed_offset(&settings.time_zone);
        Ok(BusinessCalendar {
            settings,
            hours,
            fixed_offset,
            flags,
            cum,
            unpublished,
            work_days,
            listed,
            published_years,
        })
    }

    /// The calendar with default settings and no overrides.
    pub fn built_in() -> BusinessCalendar {
        BusinessCalendar::new(CalendarSettings::default(), Vec::new())
            .expect("default settings are valid")
    }

    /// The settings the calendar was built with.
    pub fn settings(&self) -> &CalendarSettings {
        &self.settings
    }

    /// Whether `date` is a working day.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.working(day_number(date))
    }

    /// What the calendar says about `date`, with the holiday's name where there is one.
    pub fn day_info(&self, date: NaiveDate) -> DayInfo {
        let day = day_number(date);
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        let (working, reason) = match self.listed.get(&day) {
            Some((DayKind::DayOff, name)) => (false, DayReason::Holiday(name.clone())),
            Some((DayKind::WorkingDay, name)) => (true, DayReason::MakeUpDay(name.clone())),
            None if weekend => (false, DayReason::Weekend),
            None => (true, DayReason::Weekday),
        };
        DayInfo {
            date,
            working,
            reason,
            published: self.is_year_published(date.year()),
        }
    }

    /// Whether the year has a published arrangement: built-in (2020–2026) or entered/imported
    /// by the administrator as a whole year's arrangement.
    pub fn is_year_published(&self, year: i32) -> bool {
        self.published_years.contains(&year)
    }

    /// The years with a published arrangement, ascending.
    pub fn published_years(&self) -> Vec<i32> {
        self.published_years.iter().copied().collect()
    }

    /// The years of `range` without a published arrangement (counted as weekends only): the
    /// administrator is warned about these.
    pub fn years_without_data(&self, range: RangeInclusive<i32>) -> Vec<i32> {
        range
            .filter(|y| !self.published_years.contains(y))
            .collect()
    }

    /// 31 December of the latest published year; deadlines after it are provisional.
    pub fn last_published_day(&self) -> Option<NaiveDate> {
        let y = *self.published_years.last()?;
        NaiveDate::from_ymd_opt(y, 12, 31)
    }

    /// The local date of an instant in the organisation's time zone.
    pub fn local_date(&self, instant: DateTime<Utc>) -> NaiveDate {
        date_of(self.split(instant).0)
    }

    /// Whether `instant` lies inside working hours (of a working day; the ends of the morning
    /// and afternoon segments included).
    pub fn is_working_time(&self, instant: DateTime<Utc>) -> bool {
        let (day, sod) = self.split(instant);
        self.working(day) && self.hours.contains(sod)
    }

    /// The opening instant (work start) of `date`.
    pub fn opening_of(&self, date: NaiveDate) -> DateTime<Utc> {
        self.at(day_number(date), self.hours.start)
    }

    /// The close (work end) of `date`.
    pub fn close_of(&self, date: NaiveDate) -> DateTime<Utc> {
        self.at(day_number(date), self.hours.end)
    }

    /// The `n`th working day after `date` (`date` itself not counted); `n = 0` gives `date`.
    pub fn nth_working_day_after(&self, date: NaiveDate, n: u32) -> NaiveDate {
        if n == 0 {
            return date;
        }
        date_of(self.nth_after(day_number(date), n))
    }

    /// The `n`th working day before `date` (`date` itself not counted); `n = 0` gives `date`.
    pub fn nth_working_day_before(&self, date: NaiveDate, n: u32) -> NaiveDate {
        if n == 0 {
            return date;
        }
        date_of(self.nth_before(day_number(date), n))
    }

    /// Working time from `from` to `to` in seconds: negative when `to` is before `from`.
    pub fn working_seconds_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        if to < from {
            return -self.working_seconds_between(to, from);
        }
        let (a, b) = (self.split(from), self.split(to));
        match (self.work_clock(a), self.work_clock(b)) {
            (Some(x), Some(y)) => y - x,
            _ => self.working_seconds_walk(a, b),
        }
    }

    /// The earliest instant at which `seconds` of working time have passed since `from`
    /// (a segment's end rather than the next segment's start). `seconds = 0` gives `from`.
    pub fn add_working_seconds(&self, from: DateTime<Utc>, seconds: u64) -> DateTime<Utc> {
        if seconds == 0 {
            return from;
        }
        let (day, sod) = self.split(from);
        let (d, t) = self.add_working(day, sod, seconds);
        self.at(d, t)
    }

    // ----- crate-internal primitives -----

    /// Splits an instant into its local day number and seconds since local midnight.
    #[inline]
    pub(crate) fn split(&self, instant: DateTime<Utc>) -> (i64, u32) {
        if let Some(off) = self.fixed_offset {
            let local = instant.timestamp() + off;
            return (
                local.div_euclid(SECS_PER_DAY),
                local.rem_euclid(SECS_PER_DAY) as u32,
            );
        }
        let local = instant
            .with_timezone(&self.settings.time_zone)
            .naive_local();
        let secs = local
            .time()
            .signed_duration_since(NaiveTime::MIN)
            .num_seconds();
        (day_number(local.date()), secs as u32)
    }

    /// The instant of local day `day` at `sod` seconds after local midnight. A local time that
    /// does not exist (a daylight-saving gap) moves forward by the gap; an ambiguous one takes
    /// the earlier instant.
    #[inline]
    pub(crate) fn at(&self, day: i64, sod: u32) -> DateTime<Utc> {
        if let Some(off) = self.fixed_offset {
            let ts = day * SECS_PER_DAY + sod as i64 - off;
            return DateTime::from_timestamp(ts, 0).expect("instant in chrono range");
        }
        let mut local: NaiveDateTime =
            date_of(day).and_time(NaiveTime::MIN) + Duration::seconds(sod as i64);
        for _ in 0..4 {
            match self.settings.time_zone.from_local_datetime(&local) {
                LocalResult::Single(t) => return t.with_timezone(&Utc),
                LocalResult::Ambiguous(t, _) => return t.with_timezone(&Utc),
                LocalResult::None => local += Duration::minutes(30),
            }
        }
        Utc.from_utc_datetime(&local)
    }

    #[inline]
    fn index(day: i64) -> Option<usize> {
        let i = day - BASE_DAY;
        (0..INDEXED_DAYS as i64).contains(&i).then_some(i as usize)
    }

    /// Whether day number `day` is a working day.
    #[inline]
    pub(crate) fn working(&self, day: i64) -> bool {
        match Self::index(day) {
            Some(i) => self.flags[i] & WORKING != 0,
            None => match self.listed.get(&day) {
                Some((kind, _)) => *kind == DayKind::WorkingDay,
                // 1970-01-01 was a Thursday: day 0 → weekday index 3 (Mon = 0).
                None => (day + 3).rem_euclid(7) < 5,
            },
        }
    }

    /// The `n`th (≥ 1) working day after day `day`.
    #[inline]
    pub(crate) fn nth_after(&self, day: i64, n: u32) -> i64 {
        if let Some(i) = Self::index(day) {
            let k = self.cum[i + 1] as usize + n as usize - 1;
            if let Some(&w) = self.work_days.get(k) {
                return BASE_DAY + w as i64;
            }
        }
        let (mut d, mut left) = (day, n);
        while left > 0 {
            d += 1;
            if self.working(d) {
                left -= 1;
            }
        }
        d
    }

    /// The `n`th (≥ 1) working day before day `day`.
    #[inline]
    pub(crate) fn nth_before(&self, day: i64, n: u32) -> i64 {
        if let Some(i) = Self::index(day) {
            let before = self.cum[i] as usize;
            if before >= n as usize {
                return BASE_DAY + self.work_days[before - n as usize] as i64;
            }
        }
        let (mut d, mut left) = (day, n);
        while left > 0 {
            d -= 1;
            if self.working(d) {
                left -= 1;
            }
        }
        d
    }

    /// The last working day on or before `day`.
    pub(crate) fn working_at_or_before(&self, day: i64) -> i64 {
        if self.working(day) {
            day
        } else {
            self.nth_before(day, 1)
        }
    }

    /// The first working day on or after `day`.
    pub(crate) fn working_at_or_after(&self, day: i64) -> i64 {
        if self.working(day) {
            day
        } else {
            self.nth_after(day, 1)
        }
    }

    /// Whether any day of `from..=to` lies in a year without a published arrangement.
    #[inline]
    pub(crate) fn any_unpublished(&self, from: i64, to: i64) -> bool {
        if to < from {
            return false;
        }
        match (Self::index(from), Self::index(to)) {
            (Some(a), Some(b)) => self.unpublished[b + 1] > self.unpublished[a],
            _ => true,
        }
    }

    /// Working seconds from the start of the index to (day, sod); `None` outside the index.
    #[inline]
    fn work_clock(&self, (day, sod): (i64, u32)) -> Option<i64> {
        let i = Self::index(day)?;
        let within = if self.flags[i] & WORKING != 0 {
            self.hours.elapsed(sod)
        } else {
            0
        };
        Some(self.cum[i] as i64 * self.hours.day_len as i64 + within as i64)
    }

    /// Adds `secs` (> 0) of working time to (day, sod): the earliest (day, sod) reaching it.
    #[inline]
    pub(crate) fn add_working(&self, day: i64, sod: u32, secs: u64) -> (i64, u32) {
        let len = self.hours.day_len as u64;
        if let Some(start) = self.work_clock((day, sod)) {
            let target = start as u64 + secs;
            let k = (target - 1) / len;
            if let Some(&w) = self.work_days.get(k as usize) {
                let r = (target - k * len) as u32;
                return (BASE_DAY + w as i64, self.hours.at(r));
            }
        }
        self.add_working_walk(day, sod, secs)
    }

    /// Day-by-day version of [`Self::add_working`]: the fallback outside the index and the
    /// oracle of the tests.
    pub(crate) fn add_working_walk(&self, day: i64, sod: u32, secs: u64) -> (i64, u32) {
        let mut left = secs;
        let (mut d, mut from) = (day, sod);
        loop {
            if self.working(d) {
                let avail = (self.hours.day_len - self.hours.elapsed(from)) as u64;
                if left <= avail {
                    let r = self.hours.elapsed(from) + left as u32;
                    return (d, self.hours.at(r));
                }
                left -= avail;
            }
            d += 1;
            from = 0;
        }
    }

    /// Day-by-day working seconds between two split instants (`a` ≤ `b`).
    fn working_seconds_walk(&self, a: (i64, u32), b: (i64, u32)) -> i64 {
        let h = &self.hours;
        let in_day = |d: i64, from: u32, to: u32| {
            if self.working(d) {
                h.elapsed(to) as i64 - h.elapsed(from) as i64
            } else {
                0
            }
        };
        if a.0 == b.0 {
            return in_day(a.0, a.1, b.1);
        }
        let mut total = in_day(a.0, a.1, u32::MAX);
        for d in a.0 + 1..b.0 {
            total += in_day(d, 0, u32::MAX);
        }
        total + in_day(b.0, 0, b.1)
    }
}

/// The zone's offset if it is the same at every indexed day's UTC midnight and noon.
fn fixed_offset(tz: &chrono_tz::Tz) -> Option<i64> {
    let offset_at = |ts: i64| {
        let t = DateTime::from_timestamp(ts, 0)
            .expect("in range")
            .naive_utc();
        tz.offset_from_utc_datetime(&t).fix().local_minus_utc() as i64
    };
    let first = offset_at(BASE_DAY * SECS_PER_DAY);
    let same = (0..INDEXED_DAYS as i64).all(|i| {
        let ts = (BASE_DAY + i) * SECS_PER_DAY;
        offset_at(ts) == first && offset_at(ts + SECS_PER_DAY / 2) == first
    });
    same.then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn day_numbers_round_trip() {
        assert_eq!(day_number(d(1970, 1, 1)), 0);
        assert_eq!(day_number(d(2000, 1, 1)), BASE_DAY);
        assert_eq!(day_number(d(2200, 1, 1)) - BASE_DAY, INDEXED_DAYS as i64);
        assert_eq!(date_of(day_number(d(2025, 10, 11))), d(2025, 10, 11));
    }

    #[test]
    fn holidays_and_make_up_days_of_2025_national_day() {
        let cal = BusinessCalendar::built_in();
        assert!(
            cal.is_working_day(d(2025, 9, 28)),
            "Sunday 28 Sep 2025 is worked"
        );
        assert!(
            cal.is_working_day(d(2025, 10, 11)),
            "Saturday 11 Oct 2025 is worked"
        );
        for day in 1..=8 {
            assert!(
                !cal.is_working_day(d(2025, 10, day)),
                "1–8 Oct 2025 are off"
            );
        }
        assert!(cal.is_working_day(d(2025, 10, 9)));
        assert!(!cal.is_working_day(d(2025, 10, 12)), "an ordinary Sunday");
        assert_eq!(
            cal.day_info(d(2025, 10, 3)).reason,
            DayReason::Holiday("国庆节、中秋节".into())
        );
        assert_eq!(
            cal.day_info(d(2025, 9, 28)).reason,
            DayReason::MakeUpDay("国庆节、中秋节".into())
        );
        assert_eq!(cal.day_info(d(2025, 9, 27)).reason, DayReason::Weekend);
        assert_eq!(cal.day_info(d(2025, 9, 26)).reason, DayReason::Weekday);
    }

    #[test]
    fn published_years_and_the_admin_warning() {
        let cal = BusinessCalendar::built_in();
        assert_eq!(cal.published_years(), (2020..=2026).collect::<Vec<_>>());
        assert_eq!(cal.years_without_data(2025..=2028), vec![2027, 2028]);
        assert_eq!(cal.last_published_day(), Some(d(2026, 12, 31)));
        assert!(!cal.day_info(d(2027, 1, 1)).published);
        assert!(
            cal.is_working_day(d(2027, 1, 1)),
            "2027 counts weekends only: a Friday"
        );

        let arrangement = vec![DayOverride {
            year_arrangement: true,
            ..DayOverride::day_off(d(2027, 1, 1), "元旦")
        }];
        let cal = BusinessCalendar::new(CalendarSettings::default(), arrangement).unwrap();
        assert_eq!(cal.years_without_data(2025..=2028), vec![2028]);
        assert_eq!(cal.last_published_day(), Some(d(2027, 12, 31)));
        assert!(!cal.is_working_day(d(2027, 1, 1)));

        let single = vec![DayOverride::day_off(d(2027, 1, 4), "office move")];
        let cal = BusinessCalendar::new(CalendarSettings::default(), single).unwrap();
        assert_eq!(
            cal.years_without_data(2027..=2027),
            vec![2027],
            "one day is no arrangement"
        );
        assert!(!cal.is_working_day(d(2027, 1, 4)));
    }

    #[test]
    fn a_year_arrangement_replaces_the_built_in_rows_of_its_year() {
        // A corrected 2026 notice that moves New Year to 1 Jan only.
        let corrected = vec![DayOverride {
            year_arrangement: true,
            ..DayOverride::day_off(d(2026, 1, 1), "元旦")
        }];
        let cal = BusinessCalendar::new(CalendarSettings::default(), corrected).unwrap();
        assert!(!cal.is_working_day(d(2026, 1, 1)));
        assert!(
            cal.is_working_day(d(2026, 1, 2)),
            "built-in 2 Jan 2026 day off is gone"
        );
        assert!(
            !cal.is_working_day(d(2026, 1, 4)),
            "built-in 4 Jan make-up day is gone"
        );
        assert!(
            cal.is_working_day(d(2025, 9, 28)),
            "other years keep their rows"
        );
    }

    #[test]
    fn later_override_wins_and_overrides_beat_built_in_rows() {
        let o = vec![
            DayOverride::working_day(d(2025, 10, 8), "值班"),
            DayOverride::day_off(d(2025, 10, 8), "after all off"),
            DayOverride::working_day(d(2025, 10, 7), "值班"),
        ];
        let cal = BusinessCalendar::new(CalendarSettings::default(), o).unwrap();
        assert!(!cal.is_working_day(d(2025, 10, 8)));
        assert!(cal.is_working_day(d(2025, 10, 7)));
    }

    #[test]
    fn index_agrees_with_walking_outside_and_across_its_edges() {
        let cal = BusinessCalendar::built_in();
        // 2199-12-31 is a Tuesday; the walk takes over beyond the index.
        assert_eq!(cal.nth_working_day_after(d(2199, 12, 30), 3), d(2200, 1, 2));
        assert_eq!(
            cal.nth_working_day_before(d(2000, 1, 4), 2),
            d(1999, 12, 31)
        );
        assert_eq!(cal.nth_working_day_after(d(1999, 12, 31), 1), d(2000, 1, 3));
    }

    #[test]
    fn other_time_zones_use_their_own_local_days() {
        let s = CalendarSettings {
            time_zone: chrono_tz::Europe::Berlin,
            ..Default::default()
        };
        let cal = BusinessCalendar::new(s, vec![]).unwrap();
        assert!(cal.fixed_offset.is_none(), "Berlin has daylight saving");
        // Summer: 18:00 CEST = 16:00 UTC; winter: 18:00 CET = 17:00 UTC.
        assert_eq!(
            cal.close_of(d(2025, 7, 1)).to_rfc3339(),
            "2025-07-01T16:00:00+00:00"
        );
        assert_eq!(
            cal.close_of(d(2025, 12, 1)).to_rfc3339(),
            "2025-12-01T17:00:00+00:00"
        );
        let t = DateTime::parse_from_rfc3339("2025-07-01T23:30:00+00:00")
            .unwrap()
            .to_utc();
        assert_eq!(cal.local_date(t), d(2025, 7, 2));
        assert!(BusinessCalendar::built_in().fixed_offset == Some(8 * 3600));
    }
}
