//! What a deadline counted, day by day, for the operator's `deadline --explain`:
//! the working days counted and the days skipped, with the holidays' names.

use super::business_calendar::{date_of, BusinessCalendar, DayReason};
use super::deadline::{day_in_month, Due};
use crate::domain::rules::{DeadlineRule, Lead};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use std::fmt;

/// One counted or skipped day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExplainLine {
    pub date: NaiveDate,
    /// E.g. `working day 1`, `skipped: 国庆节、中秋节 (day off)`, `skipped: weekend`,
    /// `counted 3 h 00 min (15:00–18:00)`.
    pub note: String,
}

impl fmt::Display for ExplainLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}  {}",
            self.date.format("%Y-%m-%d"),
            self.date.format("%a"),
            self.note
        )
    }
}

/// The steps of one evaluation: the days (in counting order) and general notes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    pub rule: DeadlineRule,
    pub anchor: DateTime<Utc>,
    pub due: Due,
    /// Days counted or skipped, in the order they were counted (backwards for rules that
    /// count back from an event).
    pub days: Vec<ExplainLine>,
    /// Other steps, e.g. `counted round the clock: +24 h`.
    pub notes: Vec<String>,
    /// Local rendering of the anchor and the due instants (RFC 3339 with the zone's offset).
    pub anchor_local: String,
    pub due_local: String,
    pub opens_local: Option<String>,
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "rule:   {}", self.rule)?;
        writeln!(f, "anchor: {}", self.anchor_local)?;
        for line in &self.days {
            writeln!(f, "{line}")?;
        }
        for note in &self.notes {
            writeln!(f, "note:   {note}")?;
        }
        if let Some(opens) = &self.opens_local {
            writeln!(f, "opens:  {opens}")?;
        }
        write!(f, "due:    {}", self.due_local)?;
        if self.due.provisional {
            write!(
                f,
                " (provisional: counted over a year without a published arrangement)"
            )?;
        }
        Ok(())
    }
}

fn hm(sod: u32) -> String {
    format!("{:02}:{:02}", sod / 3600, sod % 3600 / 60)
}

impl BusinessCalendar {
    fn local_text(&self, t: DateTime<Utc>) -> String {
        let local = t.with_timezone(&self.settings.time_zone);
        format!(
            "{} {}",
            local.format("%Y-%m-%dT%H:%M:%S%:z"),
            local.format("%a")
        )
    }

    /// How `day` is skipped, or `None` when it is a working day.
    fn skipped(&self, day: i64) -> Option<String> {
        match self.day_info(date_of(day)).reason {
            DayReason::Holiday(name) => Some(format!("skipped: {name} (day off)")),
            DayReason::Weekend => Some("skipped: weekend".to_string()),
            _ => None,
        }
    }

    fn counted(&self, day: i64, what: String) -> ExplainLine {
        let note = match self.day_info(date_of(day)).reason {
            DayReason::MakeUpDay(name) => format!("{what} (make-up working day: {name})"),
            _ => what,
        };
        ExplainLine {
            date: date_of(day),
            note,
        }
    }

    /// Lines for the days of `days`, numbering the working days with `label(k)`.
    fn count_lines(
        &self,
        days: impl Iterator<Item = i64>,
        label: impl Fn(u32) -> String,
    ) -> Vec<ExplainLine> {
        let mut k = 0;
        days.map(|d| match self.skipped(d) {
            Some(note) => ExplainLine {
                date: date_of(d),
                note,
            },
            None => {
                k += 1;
                self.counted(d, label(k))
            }
        })
        .collect()
    }

    /// The steps counted for `rule` from `anchor`: which working days or hours were counted
    /// and which days were skipped (with the holidays' names).
    pub fn explain(&self, rule: &DeadlineRule, anchor: DateTime<Utc>) -> Explanation {
        let due = self.due(rule, anchor);
        let (aday, asod) = self.split(anchor);
        let (dday, dsod) = self.split(due.at);
        let mut notes = Vec::new();
        let days = match *rule {
            DeadlineRule::WorkingDays(_) => {
                notes.push(format!(
                    "the anchor's day {} is not counted; due at the close of the last working day",
                    date_of(aday)
                ));
                self.count_lines(aday + 1..=dday, |k| format!("working day {k}"))
            }
            DeadlineRule::SameDay => {
                if dday == aday {
                    vec![self.counted(
                        aday,
                        "working day (the anchor's day, before the close)".into(),
                    )]
                } else {
                    let mut v = vec![match self.skipped(aday) {
                        Some(note) => ExplainLine {
                            date: date_of(aday),
                            note,
                        },
                        None => ExplainLine {
                            date: date_of(aday),
                            note: "not counted: the anchor is after the close".into(),
                        },
                    }];
                    v.extend(
                        self.count_lines(aday + 1..=dday, |_| "working day (the next one)".into()),
                    );
                    v
                }
            }
            DeadlineRule::Hours { working: true, .. }
            | DeadlineRule::Minutes { working: true, .. } => {
                notes.push(
                    "counted in working hours only (lunch, nights and days off skipped)".into(),
                );
                (aday..=dday)
                    .map(|d| match self.skipped(d) {
                        Some(note) => ExplainLine {
                            date: date_of(d),
                            note,
                        },
                        None => {
                            let from = if d == aday { asod } else { 0 };
                            let to = if d == dday { dsod } else { u32::MAX };
                            let secs = self.hours.elapsed(to) - self.hours.elapsed(from.min(to));
                            let spans: Vec<String> = self.hours.segs[..self.hours.count]
                                .iter()
                                .filter_map(|&(a, b)| {
                                    let (s, e) = (from.max(a), to.min(b));
                                    (e > s).then(|| format!("{}–{}", hm(s), hm(e)))
                                })
                                .collect();
                            let what = if secs == 0 {
                                "nothing counted (outside working hours)".to_string()
                            } else {
                                format!(
                                    "counted {} h {:02} min ({})",
                                    secs / 3600,
                                    secs % 3600 / 60,
                                    spans.join(", ")
                                )
                            };
                            self.counted(d, what)
                        }
                    })
                    .collect()
            }
            DeadlineRule::Hours { hours, .. } => {
                notes.push(format!("counted round the clock: +{hours} h"));
                Vec::new()
            }
            DeadlineRule::Minutes { minutes, .. } => {
                notes.push(format!("counted round the clock: +{minutes} min"));
                Vec::new()
            }
            DeadlineRule::BeforeEvent(Lead::WorkingDays(_)) => {
                notes.push(format!(
                    "the event's day {} is not counted; due at the close of the last day counted",
                    date_of(aday)
                ));
                self.count_lines((dday..aday).rev(), |k| {
                    format!("working day {k} before the event")
                })
            }
            DeadlineRule::WindowBeforeEvent { .. } => {
                let (oday, _) = self.split(due.opens_at.unwrap_or(due.at));
                notes.push(format!(
                    "the event's day {} is not counted; the item opens at the start of the last \
                     day counted and is due at the event",
                    date_of(aday)
                ));
                self.count_lines((oday..aday).rev(), |k| {
                    format!("working day {k} before the event")
                })
            }
            DeadlineRule::BeforeEvent(Lead::Hours(h)) => {
                notes.push(format!("event − {h} h, round the clock"));
                Vec::new()
            }
            DeadlineRule::BeforeEvent(Lead::Weeks(w)) => {
                let target = aday - 7 * w as i64;
                notes.push(format!(
                    "event − {w} weeks = {} {}",
                    date_of(target),
                    hm(asod)
                ));
                if self.working(target) {
                    Vec::new()
                } else {
                    notes.push(
                        "that day is off: due at the close of the last working day before it"
                            .into(),
                    );
                    self.count_lines((dday..=target).rev(), |_| "last working day before".into())
                }
            }
            DeadlineRule::MonthlyBy { day } => {
                let (target, _) = self.monthly_by(aday, asod, day);
                let t = date_of(target);
                let clamped = if t.day() < day as u32 {
                    " (the month's last day)"
                } else {
                    ""
                };
                notes.push(format!(
                    "day {day} of {} is {t}{clamped}",
                    t.format("%Y-%m")
                ));
                debug_assert_eq!(day_in_month(t.year(), t.month(), day), t);
                if dday <= target {
                    self.count_lines((dday..=target).rev(), |_| {
                        "due at the close of this working day".into()
                    })
                } else {
                    notes.push(
                        "no working day between the anchor and that day: the first working day after it"
                            .into(),
                    );
                    self.count_lines(target..=dday, |_| {
                        "due at the close of this working day".into()
                    })
                }
            }
        };
        Explanation {
            rule: *rule,
            anchor,
            due,
            days,
            notes,
            anchor_local: self.local_text(anchor),
            due_local: self.local_text(due.at),
            opens_local: due.opens_at.map(|t| self.local_text(t)),
        }
    }
}
