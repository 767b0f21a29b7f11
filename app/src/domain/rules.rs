//! The deadline notation of the office standard, as typed values.
//!
//! The notation (see `docs/deadlines.md`) is what the catalog files and the operator's
//! `deadline --rule` use: `wd(3)`, `same-day`, `h(24)`, `h(4, working)`, `min(5)`,
//! `before-event(wd 1)`, `before-event(h 1)`, `before-event(weeks 2)`,
//! `window-before-event(wd 5)`, `monthly-by(5)`; schedules `every(day)`, `every(week)`,
//! `every(month)`, `every(quarter)`, `every(half-year)`, `every(year)`,
//! `every(year, month 12)`, `every(days 7)`; repeats on an open case `every(day) while open`,
//! `every(week) while open`, `every(h 4) while open`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// When a step (or an item) is due, relative to its anchor instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DeadlineRule {
    /// `wd(N)`: by the close of the Nth working day after the anchor's day.
    WorkingDays(u32),
    /// `same-day`: by the close of the anchor's working day.
    SameDay,
    /// `h(N)` round the clock, `h(N, working)` counted in working hours.
    Hours { hours: u32, working: bool },
    /// `min(N)` round the clock, `min(N, working)` counted in working hours.
    Minutes { minutes: u32, working: bool },
    /// `before-event(...)`: at the latest the given lead before the anchor (an event instant).
    BeforeEvent(Lead),
    /// `window-before-event(wd N)`: appears N working days before the event, due at the event.
    WindowBeforeEvent { working_days: u32 },
    /// `monthly-by(D)`: by the close of day D of the anchor's month (last working day before
    /// it when D is a day off).
    MonthlyBy { day: u8 },
}

/// How long before an event a `before-event` rule falls due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lead {
    WorkingDays(u32),
    Hours(u32),
    Weeks(u32),
}

/// A recurring obligation's schedule: it raises its own case once per period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Schedule {
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    HalfYearly,
    /// `every(year)` or `every(year, month M)`.
    Yearly {
        month: Option<u8>,
    },
    /// `every(days N)`: at least once every N days.
    EveryDays(u32),
}

/// A repeating obligation while a case is open (`... while open`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Repeat {
    Daily,
    Weekly,
    EveryHours(u32),
}

/// Why a piece of notation could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotationError {
    pub input: String,
    pub reason: &'static str,
}

impl fmt::Display for NotationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read \"{}\": {}", self.input, self.reason)
    }
}

impl std::error::Error for NotationError {}

fn err<T>(input: &str, reason: &'static str) -> Result<T, NotationError> {
    Err(NotationError {
        input: input.to_string(),
        reason,
    })
}

/// Splits `name(args)` into its name and its argument text.
fn call(input: &str) -> Option<(&str, &str)> {
    let s = input.trim();
    let open = s.find('(')?;
    let inner = s[open + 1..].strip_suffix(')')?;
    Some((s[..open].trim(), inner.trim()))
}

fn number(input: &str, text: &str) -> Result<u32, NotationError> {
    match text.trim().parse::<u32>() {
        Ok(n) if n > 0 && n <= 10_000 => Ok(n),
        Ok(_) => err(input, "the number must be between 1 and 10000"),
        Err(_) => err(input, "expected a whole number"),
    }
}

/// Reads `N` or `N, working`.
fn amount(input: &str, args: &str) -> Result<(u32, bool), NotationError> {
    match args.split_once(',') {
        None => Ok((number(input, args)?, false)),
        Some((n, flag)) if flag.trim() == "working" => Ok((number(input, n)?, true)),
        Some(_) => err(input, "the only option after the number is \"working\""),
    }
}

/// Reads `UNIT N` such as `wd 1`, `h 4`, `weeks 2`, `days 7`, `month 12`.
fn unit(args: &str) -> Option<(&str, &str)> {
    let mut parts = args.split_whitespace();
    let (u, n) = (parts.next()?, parts.next()?);
    parts.next().is_none().then_some((u, n))
}

impl FromStr for Lead {
    type Err = NotationError;
    fn from_str(args: &str) -> Result<Self, Self::Err> {
        match unit(args) {
            Some(("wd", n)) => Ok(Lead::WorkingDays(number(args, n)?)),
            Some(("h", n)) => Ok(Lead::Hours(number(args, n)?)),
            Some(("weeks", n)) => Ok(Lead::Weeks(number(args, n)?)),
            _ => err(args, "expected \"wd N\", \"h N\" or \"weeks N\""),
        }
    }
}

impl FromStr for DeadlineRule {
    type Err = NotationError;
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        if input.trim() == "same-day" {
            return Ok(DeadlineRule::SameDay);
        }
        let Some((name, args)) = call(input) else {
            return err(
                input,
                "expected a rule such as wd(3), same-day, h(24) or monthly-by(5)",
            );
        };
        match name {
            "wd" => Ok(DeadlineRule::WorkingDays(number(input, args)?)),
            "h" => amount(input, args).map(|(hours, working)| DeadlineRule::Hours { hours, working }),
            "min" => amount(input, args)
                .map(|(minutes, working)| DeadlineRule::Minutes { minutes, working }),
            "before-event" => Ok(DeadlineRule::BeforeEvent(args.parse().map_err(|_| {
                NotationError { input: input.to_string(), reason: "expected before-event(wd N | h N | weeks N)" }
            })?)),
            "window-before-event" => match unit(args) {
                Some(("wd", n)) => Ok(DeadlineRule::WindowBeforeEvent { working_days: number(input, n)? }),
                _ => err(input, "expected window-before-event(wd N)"),
            },
            "monthly-by" => match args.parse::<u8>() {
                Ok(day) if (1..=31).contains(&day) => Ok(DeadlineRule::MonthlyBy { day }),
                _ => err(input, "the day of the month must be between 1 and 31"),
            },
            _ => err(input, "unknown rule; known: wd, same-day, h, min, before-event, window-before-event, monthly-by"),
        }
    }
}

impl FromStr for Schedule {
    type Err = NotationError;
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let Some(("every", args)) = call(input) else {
            return err(input, "expected every(day | week | month | quarter | half-year | year[, month M] | days N)");
        };
        match args {
            "day" => return Ok(Schedule::Daily),
            "week" => return Ok(Schedule::Weekly),
            "month" => return Ok(Schedule::Monthly),
            "quarter" => return Ok(Schedule::Quarterly),
            "half-year" => return Ok(Schedule::HalfYearly),
            "year" => return Ok(Schedule::Yearly { month: None }),
            _ => {}
        }
        if let Some(("days", n)) = unit(args) {
            return Ok(Schedule::EveryDays(number(input, n)?));
        }
        if let Some(("year", rest)) = args.split_once(',').map(|(a, b)| (a.trim(), b.trim())) {
            if let Some(("month", m)) = unit(rest) {
                return match m.parse::<u8>() {
                    Ok(month) if (1..=12).contains(&month) => {
                        Ok(Schedule::Yearly { month: Some(month) })
                    }
                    _ => err(input, "the month must be between 1 and 12"),
                };
            }
        }
        err(input, "unknown schedule")
    }
}

impl FromStr for Repeat {
    type Err = NotationError;
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let Some(head) = input.trim().strip_suffix("while open") else {
            return err(
                input,
                "a repeat ends with \"while open\", e.g. every(h 4) while open",
            );
        };
        match call(head) {
            Some(("every", "day")) => Ok(Repeat::Daily),
            Some(("every", "week")) => Ok(Repeat::Weekly),
            Some(("every", args)) => match unit(args) {
                Some(("h", n)) => Ok(Repeat::EveryHours(number(input, n)?)),
                _ => err(input, "expected every(day | week | h N) while open"),
            },
            _ => err(input, "expected every(day | week | h N) while open"),
        }
    }
}

impl fmt::Display for Lead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Lead::WorkingDays(n) => write!(f, "wd {n}"),
            Lead::Hours(n) => write!(f, "h {n}"),
            Lead::Weeks(n) => write!(f, "weeks {n}"),
        }
    }
}

impl fmt::Display for DeadlineRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let working = |w: bool| if w { ", working" } else { "" };
        match self {
            DeadlineRule::WorkingDays(n) => write!(f, "wd({n})"),
            DeadlineRule::SameDay => write!(f, "same-day"),
            DeadlineRule::Hours { hours, working: w } => write!(f, "h({hours}{})", working(*w)),
            DeadlineRule::Minutes {
                minutes,
                working: w,
            } => write!(f, "min({minutes}{})", working(*w)),
            DeadlineRule::BeforeEvent(lead) => write!(f, "before-event({lead})"),
            DeadlineRule::WindowBeforeEvent { working_days } => {
                write!(f, "window-before-event(wd {working_days})")
            }
            DeadlineRule::MonthlyBy { day } => write!(f, "monthly-by({day})"),
        }
    }
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Schedule::Daily => write!(f, "every(day)"),
            Schedule::Weekly => write!(f, "every(week)"),
            Schedule::Monthly => write!(f, "every(month)"),
            Schedule::Quarterly => write!(f, "every(quarter)"),
            Schedule::HalfYearly => write!(f, "every(half-year)"),
            Schedule::Yearly { month: None } => write!(f, "every(year)"),
            Schedule::Yearly { month: Some(m) } => write!(f, "every(year, month {m})"),
            Schedule::EveryDays(n) => write!(f, "every(days {n})"),
        }
    }
}

impl fmt::Display for Repeat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Repeat::Daily => write!(f, "every(day) while open"),
            Repeat::Weekly => write!(f, "every(week) while open"),
            Repeat::EveryHours(n) => write!(f, "every(h {n}) while open"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notation_of_the_standard_reads_and_prints_back() {
        for text in [
            "wd(1)",
            "wd(30)",
            "same-day",
            "h(24)",
            "h(4, working)",
            "min(5)",
            "before-event(wd 1)",
            "before-event(h 1)",
            "before-event(weeks 2)",
            "window-before-event(wd 5)",
            "monthly-by(5)",
            "monthly-by(10)",
        ] {
            let rule: DeadlineRule = text.parse().unwrap();
            assert_eq!(rule.to_string(), text);
        }
        for text in [
            "every(day)",
            "every(week)",
            "every(month)",
            "every(quarter)",
            "every(half-year)",
            "every(year)",
            "every(year, month 12)",
            "every(days 7)",
        ] {
            let s: Schedule = text.parse().unwrap();
            assert_eq!(s.to_string(), text);
        }
        for text in [
            "every(day) while open",
            "every(week) while open",
            "every(h 4) while open",
        ] {
            let r: Repeat = text.parse().unwrap();
            assert_eq!(r.to_string(), text);
        }
    }

    #[test]
    fn malformed_notation_says_why() {
        for bad in [
            "",
            "wd",
            "wd()",
            "wd(0)",
            "wd(-1)",
            "wd(x)",
            "h(4, lazy)",
            "monthly-by(32)",
            "before-event(days 2)",
            "every(fortnight)",
            "every(year, month 13)",
            "every(h 4)",
        ] {
            assert!(
                bad.parse::<DeadlineRule>().is_err() || bad.parse::<Schedule>().is_err(),
                "{bad}"
            );
        }
        assert!("every(h 4)".parse::<Repeat>().is_err());
        assert!("wd(3)".parse::<Schedule>().is_err());
    }
}
