//! Property tests: deadlines land on working days and in working hours, are monotone, compose,
//! and the O(1) index agrees with a day-by-day walk.

use super::*;
use crate::domain::rules::{DeadlineRule, Lead, Schedule};
use chrono::{DateTime, Utc};
use proptest::prelude::*;
use std::sync::OnceLock;

fn cal() -> &'static BusinessCalendar {
    static CAL: OnceLock<BusinessCalendar> = OnceLock::new();
    CAL.get_or_init(|| {
        // A few administrator overrides on top of the built-in data, so the properties also
        // cover them.
        let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
        BusinessCalendar::new(
            CalendarSettings::default(),
            vec![
                DayOverride::day_off(d(2025, 9, 30), "台风停工"),
                DayOverride::working_day(d(2026, 3, 7), "加班"),
                DayOverride::day_off(d(2028, 5, 2), "外部搬迁"),
            ],
        )
        .unwrap()
    })
}

/// 2020-01-01T00:00:00+08:00 .. 2031-01-01T00:00:00+08:00.
fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (1_577_808_000i64..1_924_963_200).prop_map(|s| DateTime::from_timestamp(s, 0).unwrap())
}

fn walk_nth_after(c: &BusinessCalendar, date: chrono::NaiveDate, n: u32) -> chrono::NaiveDate {
    let (mut d, mut left) = (date, n);
    while left > 0 {
        d = d.succ_opt().unwrap();
        if c.is_working_day(d) {
            left -= 1;
        }
    }
    d
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn working_day_deadlines_never_fall_on_a_day_off(a in instant(), n in 1u32..=30) {
        let c = cal();
        for rule in [
            DeadlineRule::WorkingDays(n),
            DeadlineRule::SameDay,
            DeadlineRule::BeforeEvent(Lead::WorkingDays(n)),
            DeadlineRule::MonthlyBy { day: (n % 31 + 1) as u8 },
        ] {
            let due = c.due(&rule, a).at;
            prop_assert!(c.is_working_day(c.local_date(due)), "{} from {}", rule, a);
            prop_assert_eq!(due, c.close_of(c.local_date(due)));
        }
        let w = c.due(&DeadlineRule::WindowBeforeEvent { working_days: n }, a);
        let opens = w.opens_at.unwrap();
        prop_assert!(c.is_working_day(c.local_date(opens)));
        prop_assert!(opens < a);
    }

    #[test]
    fn wd_matches_a_day_by_day_walk(a in instant(), n in 1u32..=60) {
        let c = cal();
        let due = c.due(&DeadlineRule::WorkingDays(n), a).at;
        prop_assert_eq!(c.local_date(due), walk_nth_after(c, c.local_date(a), n));
    }

    #[test]
    fn deadlines_are_monotone_in_n(a in instant(), n in 1u32..=29) {
        let c = cal();
        let pairs = [
            (DeadlineRule::WorkingDays(n), DeadlineRule::WorkingDays(n + 1)),
            (DeadlineRule::Hours { hours: n, working: true }, DeadlineRule::Hours { hours: n + 1, working: true }),
            (DeadlineRule::Minutes { minutes: n, working: true }, DeadlineRule::Minutes { minutes: n + 1, working: true }),
            (DeadlineRule::Hours { hours: n, working: false }, DeadlineRule::Hours { hours: n + 1, working: false }),
        ];
        for (r1, r2) in pairs {
            prop_assert!(c.due(&r1, a).at < c.due(&r2, a).at, "{} vs {} from {}", r1, r2, a);
        }
        let before = |lead| c.due(&DeadlineRule::BeforeEvent(lead), a).at;
        prop_assert!(before(Lead::WorkingDays(n + 1)) < before(Lead::WorkingDays(n)));
        // Weeks can collapse onto one working day when both land in a holiday: not strict.
        prop_assert!(before(Lead::Weeks(n + 1)) <= before(Lead::Weeks(n)));
        prop_assert!(before(Lead::Hours(n + 1)) < before(Lead::Hours(n)));
    }

    #[test]
    fn deadlines_are_monotone_in_the_anchor(a in instant(), gap in 0i64..20 * 86_400, n in 1u32..=30) {
        let c = cal();
        let b = a + chrono::Duration::seconds(gap);
        for rule in [
            DeadlineRule::WorkingDays(n),
            DeadlineRule::SameDay,
            DeadlineRule::Hours { hours: n, working: true },
            DeadlineRule::Minutes { minutes: n * 7, working: true },
            DeadlineRule::Hours { hours: n, working: false },
            DeadlineRule::BeforeEvent(Lead::WorkingDays(n)),
            DeadlineRule::BeforeEvent(Lead::Weeks(n % 4 + 1)),
            DeadlineRule::MonthlyBy { day: (n % 31 + 1) as u8 },
        ] {
            prop_assert!(c.due(&rule, a).at <= c.due(&rule, b).at, "{} from {} and {}", rule, a, b);
        }
    }

    #[test]
    fn wd_a_then_wd_b_equals_wd_a_plus_b(a in instant(), x in 1u32..=30, y in 1u32..=30) {
        let c = cal();
        let first = c.due(&DeadlineRule::WorkingDays(x), a).at;
        let then = c.due(&DeadlineRule::WorkingDays(y), first).at;
        prop_assert_eq!(then, c.due(&DeadlineRule::WorkingDays(x + y), a).at);
    }

    #[test]
    fn working_hours_deadlines_fall_inside_working_hours(a in instant(), n in 1u32..=100, mins in any::<bool>()) {
        let c = cal();
        let (rule, secs) = if mins {
            (DeadlineRule::Minutes { minutes: n * 13, working: true }, n as i64 * 13 * 60)
        } else {
            (DeadlineRule::Hours { hours: n, working: true }, n as i64 * 3600)
        };
        let due = c.due(&rule, a).at;
        prop_assert!(c.is_working_time(due), "{} from {} → {}", rule, a, due);
        prop_assert_eq!(c.working_seconds_between(a, due), secs);
        // The earliest such instant: a second earlier, less working time has passed.
        prop_assert!(c.working_seconds_between(a, due - chrono::Duration::seconds(1)) < secs);
        // The index agrees with the day-by-day walk.
        let (day, sod) = c.split(a);
        let walked = c.add_working_walk(day, sod, secs as u64);
        prop_assert_eq!(c.split(due), walked);
    }

    #[test]
    fn periods_contain_their_instant_and_tile_time(a in instant(), which in 0usize..9) {
        let c = cal();
        let s = [
            Schedule::Daily, Schedule::Weekly, Schedule::Monthly, Schedule::Quarterly,
            Schedule::HalfYearly, Schedule::Yearly { month: None }, Schedule::Yearly { month: Some(12) },
            Schedule::EveryDays(7), Schedule::EveryDays(10),
        ][which];
        let p = c.period_of(&s, a);
        prop_assert!(p.starts_at <= a && a < p.ends_at, "{} {:?}", s, p);
        let next = c.period_of(&s, p.ends_at);
        prop_assert_eq!(next.starts_at, p.ends_at);
        prop_assert_ne!(&next.key, &p.key);
        prop_assert_eq!(c.period_of(&s, p.ends_at - chrono::Duration::seconds(1)).key, p.key);
    }
}
