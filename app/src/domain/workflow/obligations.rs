//! Recurring obligations: the processes that raise their own case once per period
//! (`every(month)`, `every(year, month 12)` …). The scheduler asks, at an instant, which
//! periods are owed a case; storage raises each under the unique key (process, period), so a
//! period is raised once however many schedulers ask and however often.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::calendar::{BusinessCalendar, Period};
use crate::domain::catalog::{Catalog, ProcessCode, Trigger};

/// Most periods of one process raised in one go after downtime; older missed periods are left
/// (a scheduler down for a year should not flood the boards with 250 daily rounds).
pub const CATCH_UP_LIMIT: usize = 31;

/// A period owed a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObligationDue {
    pub process: ProcessCode,
    pub period: Period,
    /// The case's title: the process's name and the period, e.g. `月度档案移交归档 2026年11月`.
    pub title: String,
    /// Older periods missed and not raised because of [`CATCH_UP_LIMIT`].
    pub skipped_before: usize,
}

/// The periods owed a case at `now`, oldest first within each process.
///
/// `last` holds, per process, the start of the newest period already raised. A process never
/// raised yet is owed only the period under way (a new installation does not raise history);
/// one raised before is owed every period that began since, up to [`CATCH_UP_LIMIT`].
pub fn obligations_due(
    catalog: &Catalog,
    calendar: &BusinessCalendar,
    last: &BTreeMap<ProcessCode, DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Vec<ObligationDue> {
    let mut out = Vec::new();
    for process in &catalog.processes {
        let Trigger::Recurring(schedule) = &process.trigger else {
            continue;
        };
        let periods = match last.get(&process.code) {
            None => vec![calendar.period_of(schedule, now)],
            Some(&start) => calendar.periods_between(schedule, start, now),
        };
        let skipped = periods.len().saturating_sub(CATCH_UP_LIMIT);
        for (i, period) in periods.into_iter().skip(skipped).enumerate() {
            out.push(ObligationDue {
                process: process.code.clone(),
                title: format!("{} {}", process.name.zh, period.label()),
                period,
                skipped_before: if i == 0 { skipped } else { 0 },
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::builtin;
    use chrono::TimeZone;

    fn cn(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        chrono_tz::Asia::Shanghai
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn recurring(catalog: &Catalog) -> usize {
        catalog
            .processes
            .iter()
            .filter(|p| matches!(p.trigger, Trigger::Recurring(_)))
            .count()
    }

    #[test]
    fn a_new_installation_owes_each_recurring_process_its_current_period_only() {
        let catalog = builtin().unwrap();
        let calendar = BusinessCalendar::built_in();
        let due = obligations_due(&catalog, &calendar, &BTreeMap::new(), cn(2026, 11, 27, 10));
        assert_eq!(due.len(), recurring(&catalog));
        let monthly = due
            .iter()
            .find(|d| d.process == "monthly_archive_transfer")
            .unwrap();
        assert_eq!(monthly.period.key, "2026-11");
        assert_eq!(monthly.title, "月度档案移交归档 2026年11月");
        assert_eq!(monthly.period.starts_at, cn(2026, 11, 1, 0));
        let yearly = due
            .iter()
            .find(|d| d.process == "annual_archive_audit")
            .map(|d| d.period.key.clone());
        // `every(year, month 12)`: the period under way began in December 2025.
        assert_eq!(yearly.as_deref(), Some("2025"));
    }

    #[test]
    fn nothing_is_owed_again_within_the_same_period() {
        let catalog = builtin().unwrap();
        let calendar = BusinessCalendar::built_in();
        let now = cn(2026, 11, 27, 10);
        let last: BTreeMap<_, _> = obligations_due(&catalog, &calendar, &BTreeMap::new(), now)
            .into_iter()
            .map(|d| (d.process, d.period.starts_at))
            .collect();
        assert!(obligations_due(&catalog, &calendar, &last, now).is_empty());
        assert!(obligations_due(&catalog, &calendar, &last, cn(2026, 11, 27, 23)).is_empty());
    }

    #[test]
    fn after_a_gap_every_missed_period_is_owed_oldest_first() {
        let catalog = builtin().unwrap();
        let calendar = BusinessCalendar::built_in();
        let code = ProcessCode::new("monthly_archive_transfer");
        let last = BTreeMap::from([(code.clone(), cn(2026, 8, 1, 0))]);
        let keys: Vec<String> = obligations_due(&catalog, &calendar, &last, cn(2026, 11, 27, 10))
            .into_iter()
            .filter(|d| d.process == code)
            .map(|d| d.period.key)
            .collect();
        assert_eq!(keys, ["2026-09", "2026-10", "2026-11"]);
    }

    #[test]
    fn daily_obligations_skip_days_off_and_a_long_gap_is_capped() {
        let catalog = builtin().unwrap();
        let calendar = BusinessCalendar::built_in();
        let daily = catalog
            .processes
            .iter()
            .find(|p| {
                matches!(
                    p.trigger,
                    Trigger::Recurring(crate::domain::rules::Schedule::Daily)
                )
            })
            .unwrap();
        // National Day 2025: 1–8 October off, Saturday 11 October a make-up working day.
        let last = BTreeMap::from([(daily.code.clone(), cn(2025, 9, 30, 0))]);
        let keys: Vec<String> = obligations_due(&catalog, &calendar, &last, cn(2025, 10, 11, 9))
            .into_iter()
            .filter(|d| d.process == daily.code)
            .map(|d| d.period.key)
            .collect();
        assert_eq!(keys, ["2025-10-09", "2025-10-10", "2025-10-11"]);

        let last = BTreeMap::from([(daily.code.clone(), cn(2024, 1, 2, 0))]);
        let due: Vec<_> = obligations_due(&catalog, &calendar, &last, cn(2025, 10, 11, 9))
            .into_iter()
            .filter(|d| d.process == daily.code)
            .collect();
        assert_eq!(due.len(), CATCH_UP_LIMIT);
        assert!(due[0].skipped_before > 200);
        assert_eq!(due.last().unwrap().period.key, "2025-10-11");
    }
}
