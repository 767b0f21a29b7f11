//! The working-day calendar and deadline engine.
//!
//! A [`BusinessCalendar`] combines the organisation's [`CalendarSettings`] (time zone, working
//! hours, lunch break), the built-in PRC holiday arrangements 2020–2026 and the administrator's
//! [`DayOverride`]s. It evaluates every rule of the deadline notation
//! ([`crate::domain::rules`]): [`BusinessCalendar::due`], the recurring schedules
//! ([`BusinessCalendar::period_of`], [`BusinessCalendar::periods_between`]), the repeats on an
//! open case ([`BusinessCalendar::next_repeat`]), the SLA state ([`BusinessCalendar::sla`]) and
//! the operator's explanation ([`BusinessCalendar::explain`]).
//!
//! Pure domain code: no I/O, no clock (every instant is an argument), compiles for wasm32.
//! The semantics are documented in `docs/deadlines.md`.

pub mod admin;
mod business_calendar;
mod deadline;
mod explain;
mod holidays;
mod repeat;
mod schedule;
mod sla;
mod working_hours;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_props;

pub use business_calendar::{BusinessCalendar, DayInfo, DayReason};
pub use deadline::Due;
pub use explain::{ExplainLine, Explanation};
pub use holidays::{
    built_in_rows, built_in_years, parse_holiday_csv, to_holiday_csv, CsvError, DayKind,
    DayOverride, BUILT_IN_CSV, CSV_HEADER,
};
pub use schedule::{Period, EVERY_DAYS_EPOCH};
pub use sla::{Measure, Sla, SlaState, WorkingSpan};
pub use working_hours::{CalendarSettings, DueSoonThresholds, SettingsError};
