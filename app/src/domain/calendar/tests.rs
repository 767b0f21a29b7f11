//! Table-driven tests of every rule kind against the real PRC arrangements of 2024–2026.
//! All instants are written in Asia/Shanghai local time (`+08:00`).

use super::*;
use crate::domain::lang::Lang;
use crate::domain::rules::{DeadlineRule, Repeat, Schedule};
use chrono::{DateTime, NaiveDate, Utc};

fn cal() -> BusinessCalendar {
    BusinessCalendar::built_in()
}

/// `2025-09-30 10:00` (Shanghai) as an instant.
fn t(s: &str) -> DateTime<Utc> {
    let iso = format!("{}:00+08:00", s.replace(' ', "T"));
    DateTime::parse_from_rfc3339(&iso)
        .unwrap_or_else(|e| panic!("{s}: {e}"))
        .to_utc()
}

/// An instant as `2025-10-11 18:00 Sat` in Shanghai time.
fn show(i: DateTime<Utc>) -> String {
    i.with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%d %H:%M %a")
        .to_string()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Checks `(rule, anchor, expected due)` rows.
fn table(cal: &BusinessCalendar, rows: &[(&str, &str, &str)]) {
    let mut failures = Vec::new();
    for (rule, anchor, expected) in rows {
        let r: DeadlineRule = rule.parse().unwrap();
        let got = show(cal.due(&r, t(anchor)).at);
        if got != *expected {
            failures.push(format!(
                "{rule} from {anchor}: expected {expected}, got {got}"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn wd_counts_working_days_after_the_anchors_day() {
    table(
        &cal(),
        &[
            // 2025 National Day + Mid-Autumn: 1–8 Oct off, Sun 28 Sep and Sat 11 Oct worked.
            ("wd(1)", "2025-09-30 10:00", "2025-10-09 18:00 Thu"),
            ("wd(2)", "2025-09-30 10:00", "2025-10-10 18:00 Fri"),
            ("wd(3)", "2025-09-30 10:00", "2025-10-11 18:00 Sat"),
            ("wd(4)", "2025-09-30 10:00", "2025-10-13 18:00 Mon"),
            ("wd(5)", "2025-09-26 17:00", "2025-10-10 18:00 Fri"),
            ("wd(1)", "2025-09-27 10:00", "2025-09-28 18:00 Sun"),
            ("wd(1)", "2025-09-29 20:00", "2025-09-30 18:00 Tue"),
            ("wd(1)", "2025-09-29 00:00", "2025-09-30 18:00 Tue"),
            ("wd(1)", "2025-10-03 11:00", "2025-10-09 18:00 Thu"),
            ("wd(1)", "2025-10-08 23:59", "2025-10-09 18:00 Thu"),
            // 2024 Spring Festival: 10–17 Feb off, Sun 4 Feb and Sun 18 Feb worked.
            ("wd(1)", "2024-02-09 10:00", "2024-02-18 18:00 Sun"),
            ("wd(2)", "2024-02-08 10:00", "2024-02-18 18:00 Sun"),
            ("wd(1)", "2024-02-03 10:00", "2024-02-04 18:00 Sun"),
            ("wd(3)", "2024-02-18 10:00", "2024-02-21 18:00 Wed"),
            // 2025 Spring Festival: 28 Jan–4 Feb off, Sun 26 Jan and Sat 8 Feb worked.
            ("wd(1)", "2025-01-27 10:00", "2025-02-05 18:00 Wed"),
            ("wd(3)", "2025-02-05 10:00", "2025-02-08 18:00 Sat"),
            // Year ends: 2026 New Year 1–3 Jan off, Sun 4 Jan worked; 2025 New Year 1 Jan off.
            ("wd(1)", "2025-12-31 10:00", "2026-01-04 18:00 Sun"),
            ("wd(2)", "2025-12-31 10:00", "2026-01-05 18:00 Mon"),
            ("wd(1)", "2024-12-31 10:00", "2025-01-02 18:00 Thu"),
            // Month ends and Dragon Boat 2024 (10 Jun off).
            ("wd(1)", "2024-05-31 10:00", "2024-06-03 18:00 Mon"),
            ("wd(1)", "2024-06-07 10:00", "2024-06-11 18:00 Tue"),
            ("wd(30)", "2025-09-01 10:00", "2025-10-17 18:00 Fri"),
            // A year without published data counts weekends only.
            ("wd(1)", "2026-12-31 10:00", "2027-01-01 18:00 Fri"),
        ],
    );
}

#[test]
fn same_day_is_the_anchors_close_or_the_next_working_days() {
    table(
        &cal(),
        &[
            ("same-day", "2025-09-30 10:00", "2025-09-30 18:00 Tue"),
            ("same-day", "2025-09-30 08:00", "2025-09-30 18:00 Tue"),
            ("same-day", "2025-09-30 17:59", "2025-09-30 18:00 Tue"),
            ("same-day", "2025-09-30 18:00", "2025-10-09 18:00 Thu"),
            ("same-day", "2025-10-01 10:00", "2025-10-09 18:00 Thu"),
            ("same-day", "2025-09-27 10:00", "2025-09-28 18:00 Sun"),
            ("same-day", "2024-02-17 10:00", "2024-02-18 18:00 Sun"),
            ("same-day", "2025-12-31 19:00", "2026-01-04 18:00 Sun"),
        ],
    );
}

#[test]
fn hours_and_minutes_round_the_clock_and_in_working_hours() {
    table(
        &cal(),
        &[
            ("h(24)", "2025-09-30 10:00", "2025-10-01 10:00 Wed"),
            ("h(4)", "2025-10-03 22:00", "2025-10-04 02:00 Sat"),
            ("min(5)", "2025-10-01 10:00", "2025-10-01 10:05 Wed"),
            ("h(1)", "2025-12-31 23:30", "2026-01-01 00:30 Thu"),
            ("h(4, working)", "2025-09-30 15:00", "2025-10-09 10:00 Thu"),
            ("h(4, working)", "2025-09-30 14:00", "2025-09-30 18:00 Tue"),
            ("h(3, working)", "2025-09-30 09:00", "2025-09-30 12:00 Tue"),
            ("h(4, working)", "2025-09-30 09:00", "2025-09-30 14:00 Tue"),
            ("h(2, working)", "2025-09-30 12:30", "2025-09-30 15:00 Tue"),
            ("h(1, working)", "2025-09-30 20:00", "2025-10-09 10:00 Thu"),
            ("h(8, working)", "2025-09-27 10:00", "2025-09-28 18:00 Sun"),
            ("h(24, working)", "2025-12-31 09:00", "2026-01-05 18:00 Mon"),
            ("h(9, working)", "2024-02-09 17:00", "2024-02-18 18:00 Sun"),
            ("h(10, working)", "2024-02-09 17:00", "2024-02-19 10:00 Mon"),
            (
                "min(30, working)",
                "2025-09-30 17:45",
                "2025-10-09 09:15 Thu",
            ),
            (
                "min(5, working)",
                "2025-10-01 10:00",
                "2025-10-09 09:05 Thu",
            ),
            (
                "min(1, working)",
                "2025-10-11 11:59",
                "2025-10-11 12:00 Sat",
            ),
        ],
    );
}

#[test]
fn before_event_counts_back_from_the_events_day() {
    table(
        &cal(),
        &[
            // "Venue ready 1 working day before the meeting": the close of the last working day
            // before the meeting's day.
            (
                "before-event(wd 1)",
                "2025-10-09 10:00",
                "2025-09-30 18:00 Tue",
            ),
            (
                "before-event(wd 1)",
                "2025-10-13 10:00",
                "2025-10-11 18:00 Sat",
            ),
            (
                "before-event(wd 1)",
                "2024-02-19 09:30",
                "2024-02-18 18:00 Sun",
            ),
            (
                "before-event(wd 1)",
                "2026-01-05 10:00",
                "2026-01-04 18:00 Sun",
            ),
            (
                "before-event(wd 1)",
                "2025-04-07 09:00",
                "2025-04-03 18:00 Thu",
            ),
            (
                "before-event(wd 1)",
                "2025-06-03 14:00",
                "2025-05-30 18:00 Fri",
            ),
            (
                "before-event(wd 1)",
                "2025-10-14 08:00",
                "2025-10-13 18:00 Mon",
            ),
            (
                "before-event(wd 3)",
                "2025-10-09 10:00",
                "2025-09-28 18:00 Sun",
            ),
            (
                "before-event(h 1)",
                "2025-10-09 09:30",
                "2025-10-09 08:30 Thu",
            ),
            (
                "before-event(h 1)",
                "2026-01-01 00:30",
                "2025-12-31 23:30 Wed",
            ),
            (
                "before-event(weeks 2)",
                "2025-10-13 10:00",
                "2025-09-29 10:00 Mon",
            ),
            (
                "before-event(weeks 2)",
                "2025-10-15 10:00",
                "2025-09-30 18:00 Tue",
            ),
            (
                "before-event(weeks 2)",
                "2025-10-25 10:00",
                "2025-10-11 10:00 Sat",
            ),
            (
                "before-event(weeks 2)",
                "2026-01-15 10:00",
                "2025-12-31 18:00 Wed",
            ),
            (
                "before-event(weeks 1)",
                "2024-02-25 10:00",
                "2024-02-18 10:00 Sun",
            ),
        ],
    );
}

#[test]
fn window_before_event_opens_at_the_start_of_the_nth_working_day_before() {
    let cal = cal();
    let rows = [
        (
            "window-before-event(wd 5)",
            "2025-10-01 00:00",
            "2025-09-25 09:00 Thu",
        ),
        (
            "window-before-event(wd 5)",
            "2026-02-17 00:00",
            "2026-02-10 09:00 Tue",
        ),
        (
            "window-before-event(wd 1)",
            "2025-10-09 10:00",
            "2025-09-30 09:00 Tue",
        ),
    ];
    for (rule, event, opens) in rows {
        let due = cal.due(&rule.parse().unwrap(), t(event));
        assert_eq!(due.at, t(event), "{rule}: due at the event itself");
        assert_eq!(show(due.opens_at.unwrap()), opens, "{rule} {event}");
    }
    let plain = cal.due(&"wd(1)".parse().unwrap(), t("2025-10-09 10:00"));
    assert_eq!(plain.opens_at, None);
}

#[test]
fn monthly_by_is_day_d_or_the_last_working_day_before_it() {
    table(
        &cal(),
        &[
            ("monthly-by(5)", "2025-11-01 00:00", "2025-11-05 18:00 Wed"),
            ("monthly-by(5)", "2025-11-05 10:00", "2025-11-05 18:00 Wed"),
            ("monthly-by(5)", "2025-11-05 19:00", "2025-12-05 18:00 Fri"),
            ("monthly-by(5)", "2025-09-30 10:00", "2025-09-30 18:00 Tue"),
            // 5 Oct 2025 is off and so is every day from the anchor to it: the first working day after.
            ("monthly-by(5)", "2025-10-01 00:00", "2025-10-09 18:00 Thu"),
            ("monthly-by(5)", "2026-04-01 00:00", "2026-04-03 18:00 Fri"),
            ("monthly-by(10)", "2025-05-01 00:00", "2025-05-09 18:00 Fri"),
            ("monthly-by(10)", "2025-05-12 10:00", "2025-06-10 18:00 Tue"),
            ("monthly-by(10)", "2024-02-01 00:00", "2024-02-09 18:00 Fri"),
            ("monthly-by(31)", "2025-02-01 00:00", "2025-02-28 18:00 Fri"),
            ("monthly-by(31)", "2024-02-01 00:00", "2024-02-29 18:00 Thu"),
            ("monthly-by(5)", "2025-12-20 10:00", "2026-01-05 18:00 Mon"),
            ("monthly-by(1)", "2025-12-02 10:00", "2025-12-31 18:00 Wed"),
            ("monthly-by(3)", "2026-01-01 00:00", "2026-01-04 18:00 Sun"),
        ],
    );
}

#[test]
fn provisional_when_the_count_uses_an_unpublished_year() {
    let cal = cal();
    let wd1: DeadlineRule = "wd(1)".parse().unwrap();
    assert!(!cal.due(&wd1, t("2025-09-30 10:00")).provisional);
    assert!(cal.due(&wd1, t("2026-12-31 10:00")).provisional);
    assert!(
        !cal.due(&wd1, t("2026-12-30 10:00")).provisional,
        "due 31 Dec 2026"
    );
    assert!(
        !cal.due(&"h(48)".parse().unwrap(), t("2026-12-31 10:00"))
            .provisional
    );
    assert!(
        cal.due(&"h(8, working)".parse().unwrap(), t("2026-12-31 11:00"))
            .provisional
    );
    assert!(
        cal.due(&"monthly-by(5)".parse().unwrap(), t("2026-12-20 10:00"))
            .provisional
    );
    assert!(
        !cal.due(
            &"before-event(wd 1)".parse().unwrap(),
            t("2027-01-01 10:00")
        )
        .provisional
    );
}

#[test]
fn a_new_day_off_moves_the_deadlines_that_cross_it() {
    let before = cal();
    let typhoon = vec![DayOverride::day_off(d(2025, 9, 30), "台风停工")];
    let after = BusinessCalendar::new(CalendarSettings::default(), typhoon).unwrap();
    let cases = [
        (
            "wd(1)",
            "2025-09-29 10:00",
            "2025-09-30 18:00 Tue",
            "2025-10-09 18:00 Thu",
        ),
        (
            "wd(2)",
            "2025-09-26 10:00",
            "2025-09-29 18:00 Mon",
            "2025-09-29 18:00 Mon",
        ),
        (
            "h(8, working)",
            "2025-09-29 14:00",
            "2025-09-30 14:00 Tue",
            "2025-10-09 14:00 Thu",
        ),
        (
            "before-event(wd 1)",
            "2025-10-09 10:00",
            "2025-09-30 18:00 Tue",
            "2025-09-29 18:00 Mon",
        ),
        (
            "monthly-by(5)",
            "2025-09-30 08:00",
            "2025-09-30 18:00 Tue",
            "2025-10-09 18:00 Thu",
        ),
    ];
    for (rule, anchor, old, new) in cases {
        let r: DeadlineRule = rule.parse().unwrap();
        assert_eq!(
            show(before.due(&r, t(anchor)).at),
            old,
            "{rule} before the override"
        );
        assert_eq!(
            show(after.due(&r, t(anchor)).at),
            new,
            "{rule} after the override"
        );
    }
}

#[test]
fn an_extra_working_day_and_an_imported_year_move_deadlines_too() {
    let duty = vec![DayOverride::working_day(d(2025, 10, 8), "值班")];
    let cal = BusinessCalendar::new(CalendarSettings::default(), duty).unwrap();
    table(
        &cal,
        &[("wd(1)", "2025-09-30 10:00", "2025-10-08 18:00 Wed")],
    );

    let wd1: DeadlineRule = "wd(1)".parse().unwrap();
    let due = cal.due(&wd1, t("2026-12-31 10:00"));
    assert_eq!(
        (show(due.at).as_str(), due.provisional),
        ("2027-01-01 18:00 Fri", true)
    );
    let imported =
        parse_holiday_csv("date,kind,name\n2027-01-01,holiday,元旦\n2027-01-02,holiday,元旦\n")
            .unwrap();
    let cal = BusinessCalendar::new(CalendarSettings::default(), imported).unwrap();
    let due = cal.due(&wd1, t("2026-12-31 10:00"));
    assert_eq!(
        (show(due.at).as_str(), due.provisional),
        ("2027-01-04 18:00 Mon", false)
    );
}

#[test]
fn settings_change_working_hours_and_zone() {
    let s = CalendarSettings {
        work_start: chrono::NaiveTime::from_hms_opt(8, 30, 0).unwrap(),
        work_end: chrono::NaiveTime::from_hms_opt(17, 30, 0).unwrap(),
        lunch: None,
        ..Default::default()
    };
    let cal = BusinessCalendar::new(s, vec![]).unwrap();
    table(
        &cal,
        &[
            ("wd(1)", "2025-09-30 10:00", "2025-10-09 17:30 Thu"),
            ("h(9, working)", "2025-09-30 08:30", "2025-09-30 17:30 Tue"),
            ("h(4, working)", "2025-09-30 12:00", "2025-09-30 16:00 Tue"),
        ],
    );
}

fn period(cal: &BusinessCalendar, s: &str, at: &str) -> (String, String, String) {
    let p = cal.period_of(&s.parse::<Schedule>().unwrap(), t(at));
    (p.key, show(p.starts_at), show(p.ends_at))
}

#[test]
fn periods_have_stable_keys_and_local_bounds() {
    let cal = cal();
    let rows = [
        (
            "every(week)",
            "2025-10-09 10:00",
            "2025-W41",
            "2025-10-06 00:00 Mon",
            "2025-10-13 00:00 Mon",
        ),
        (
            "every(week)",
            "2024-12-31 10:00",
            "2025-W01",
            "2024-12-30 00:00 Mon",
            "2025-01-06 00:00 Mon",
        ),
        (
            "every(month)",
            "2025-10-09 10:00",
            "2025-10",
            "2025-10-01 00:00 Wed",
            "2025-11-01 00:00 Sat",
        ),
        (
            "every(month)",
            "2025-12-31 23:59",
            "2025-12",
            "2025-12-01 00:00 Mon",
            "2026-01-01 00:00 Thu",
        ),
        (
            "every(quarter)",
            "2025-10-09 10:00",
            "2025-Q4",
            "2025-10-01 00:00 Wed",
            "2026-01-01 00:00 Thu",
        ),
        (
            "every(quarter)",
            "2024-02-10 10:00",
            "2024-Q1",
            "2024-01-01 00:00 Mon",
            "2024-04-01 00:00 Mon",
        ),
        (
            "every(half-year)",
            "2025-10-09 10:00",
            "2025-H2",
            "2025-07-01 00:00 Tue",
            "2026-01-01 00:00 Thu",
        ),
        (
            "every(half-year)",
            "2026-06-30 23:00",
            "2026-H1",
            "2026-01-01 00:00 Thu",
            "2026-07-01 00:00 Wed",
        ),
        (
            "every(year)",
            "2025-10-09 10:00",
            "2025",
            "2025-01-01 00:00 Wed",
            "2026-01-01 00:00 Thu",
        ),
        (
            "every(year, month 12)",
            "2025-10-09 10:00",
            "2024",
            "2024-12-01 00:00 Sun",
            "2025-12-01 00:00 Mon",
        ),
        (
            "every(year, month 12)",
            "2025-12-03 10:00",
            "2025",
            "2025-12-01 00:00 Mon",
            "2026-12-01 00:00 Tue",
        ),
        (
            "every(days 7)",
            "2025-10-09 10:00",
            "2025-10-06/P7D",
            "2025-10-06 00:00 Mon",
            "2025-10-13 00:00 Mon",
        ),
        (
            "every(days 10)",
            "2025-10-09 10:00",
            "2025-10-08/P10D",
            "2025-10-08 00:00 Wed",
            "2025-10-18 00:00 Sat",
        ),
        // every(day) runs on working days; days off belong to the working day before them.
        (
            "every(day)",
            "2025-10-03 10:00",
            "2025-09-30",
            "2025-09-30 00:00 Tue",
            "2025-10-09 00:00 Thu",
        ),
        (
            "every(day)",
            "2025-09-28 10:00",
            "2025-09-28",
            "2025-09-28 00:00 Sun",
            "2025-09-29 00:00 Mon",
        ),
        (
            "every(day)",
            "2025-09-27 10:00",
            "2025-09-26",
            "2025-09-26 00:00 Fri",
            "2025-09-28 00:00 Sun",
        ),
    ];
    for (s, at, key, start, end) in rows {
        assert_eq!(
            period(&cal, s, at),
            (key.into(), start.into(), end.into()),
            "{s} at {at}"
        );
    }
}

#[test]
fn a_period_is_named_as_people_say_it() {
    let cal = cal();
    let label = |s: &str, at: &str| {
        cal.period_of(&s.parse::<Schedule>().unwrap(), t(at))
            .label()
    };
    assert_eq!(label("every(day)", "2025-10-09 10:00"), "2025年10月9日");
    assert_eq!(label("every(week)", "2025-10-09 10:00"), "2025年第41周");
    assert_eq!(label("every(month)", "2025-10-09 10:00"), "2025年10月");
    assert_eq!(
        label("every(quarter)", "2025-10-09 10:00"),
        "2025年第四季度"
    );
    assert_eq!(
        label("every(half-year)", "2025-03-09 10:00"),
        "2025年上半年"
    );
    assert_eq!(label("every(year)", "2025-10-09 10:00"), "2025年度");
    assert_eq!(
        label("every(days 7)", "2025-10-09 10:00"),
        "2025年10月6日至12日"
    );
    assert_eq!(
        label("every(days 10)", "2025-10-30 10:00"),
        "2025年10月28日至11月6日"
    );
    assert_eq!(
        label("every(days 7)", "2025-12-30 10:00"),
        "2025年12月29日至2026年1月4日"
    );
}

#[test]
fn periods_between_lists_the_periods_begun_since_the_last_run() {
    let cal = cal();
    let keys = |s: &str, from: &str, to: &str| -> Vec<String> {
        cal.periods_between(&s.parse().unwrap(), t(from), t(to))
            .into_iter()
            .map(|p| p.key)
            .collect()
    };
    assert_eq!(
        keys("every(month)", "2025-09-15 10:00", "2025-12-01 00:00"),
        ["2025-10", "2025-11", "2025-12"]
    );
    assert_eq!(
        keys("every(month)", "2025-10-01 00:00", "2025-10-31 23:00"),
        Vec::<String>::new()
    );
    assert_eq!(
        keys("every(day)", "2025-09-30 10:00", "2025-10-10 10:00"),
        ["2025-10-09", "2025-10-10"]
    );
    assert_eq!(
        keys(
            "every(year, month 12)",
            "2024-01-01 00:00",
            "2026-01-01 00:00"
        ),
        ["2024", "2025"]
    );
    // 2025 has no ISO week 53: Monday 29 Dec 2025 starts 2026-W01.
    assert_eq!(
        keys("every(week)", "2025-12-24 10:00", "2026-01-06 10:00"),
        ["2026-W01", "2026-W02"]
    );
    assert!(keys("every(quarter)", "2025-10-01 10:00", "2025-09-01 10:00").is_empty());
}

#[test]
fn repeats_while_open() {
    let cal = cal();
    let next = |r: &str, opened: &str, after: &str| {
        show(cal.next_repeat(&r.parse::<Repeat>().unwrap(), t(opened), t(after)))
    };
    let h4 = "every(h 4) while open";
    assert_eq!(
        next(h4, "2025-10-01 22:00", "2025-10-01 22:00"),
        "2025-10-02 02:00 Thu"
    );
    assert_eq!(
        next(h4, "2025-10-01 22:00", "2025-10-02 02:00"),
        "2025-10-02 06:00 Thu"
    );
    assert_eq!(
        next(h4, "2025-10-01 22:00", "2025-10-02 05:59"),
        "2025-10-02 06:00 Thu"
    );
    assert_eq!(
        next(h4, "2025-10-01 22:00", "2025-10-01 10:00"),
        "2025-10-02 02:00 Thu"
    );
    let day = "every(day) while open";
    assert_eq!(
        next(day, "2025-09-29 10:00", "2025-09-29 10:00"),
        "2025-09-30 18:00 Tue"
    );
    assert_eq!(
        next(day, "2025-09-30 10:00", "2025-09-30 10:00"),
        "2025-10-09 18:00 Thu"
    );
    assert_eq!(
        next(day, "2025-09-30 10:00", "2025-10-09 18:00"),
        "2025-10-10 18:00 Fri"
    );
    assert_eq!(
        next(day, "2025-09-30 10:00", "2025-10-10 18:00"),
        "2025-10-11 18:00 Sat"
    );
    assert_eq!(
        next(day, "2025-09-30 10:00", "2025-10-11 18:00"),
        "2025-10-13 18:00 Mon"
    );
    assert_eq!(
        next(day, "2025-09-30 10:00", "2025-10-13 09:00"),
        "2025-10-13 18:00 Mon"
    );
    let week = "every(week) while open";
    assert_eq!(
        next(week, "2025-09-17 10:00", "2025-09-17 10:00"),
        "2025-09-24 18:00 Wed"
    );
    assert_eq!(
        next(week, "2025-09-24 10:00", "2025-09-24 10:00"),
        "2025-10-09 18:00 Thu"
    );
    assert_eq!(
        next(week, "2025-09-24 10:00", "2025-10-09 18:00"),
        "2025-10-15 18:00 Wed"
    );
    assert_eq!(
        next(week, "2025-09-24 10:00", "2026-01-01 10:00"),
        "2026-01-07 18:00 Wed"
    );
    let all: Vec<String> = cal
        .repeats_between(
            &day.parse().unwrap(),
            t("2025-09-26 10:00"),
            t("2025-09-26 10:00"),
            t("2025-10-10 09:00"),
        )
        .into_iter()
        .map(show)
        .collect();
    assert_eq!(
        all,
        [
            "2025-09-28 18:00 Sun",
            "2025-09-29 18:00 Mon",
            "2025-09-30 18:00 Tue",
            "2025-10-09 18:00 Thu"
        ]
    );
}

#[test]
fn sla_state_and_words() {
    let cal = cal();
    // wd(2) activated Tue 30 Sep 10:00 → due Fri 10 Oct 18:00.
    let (act, due) = (t("2025-09-30 10:00"), t("2025-10-10 18:00"));
    let cases = [
        (
            "2025-10-09 15:00",
            SlaState::OnTime,
            "剩余 1 个工作日 3 小时",
            "1 working day 3 hours left",
        ),
        (
            "2025-10-03 15:00",
            SlaState::OnTime,
            "剩余 2 个工作日",
            "2 working days left",
        ),
        (
            "2025-10-10 15:00",
            SlaState::DueSoon,
            "剩余 3 小时",
            "3 working hours left",
        ),
        (
            "2025-10-10 16:45",
            SlaState::DueSoon,
            "剩余 1 小时 15 分钟",
            "1 working hour 15 minutes left",
        ),
        (
            "2025-10-10 17:59:30",
            SlaState::DueSoon,
            "剩余不足 1 分钟",
            "less than 1 working minute left",
        ),
        ("2025-10-10 19:00", SlaState::Overdue, "已超时", "overdue"),
        (
            "2025-10-11 11:00",
            SlaState::Overdue,
            "已超时 2 小时",
            "overdue by 2 working hours",
        ),
        (
            "2025-10-13 11:00",
            SlaState::Overdue,
            "已超时 1 个工作日 2 小时",
            "overdue by 1 working day 2 hours",
        ),
    ];
    for (now, state, zh, en) in cases {
        let now = if now.len() > 16 {
            DateTime::parse_from_rfc3339(&format!("{}+08:00", now.replace(' ', "T")))
                .unwrap()
                .to_utc()
        } else {
            t(now)
        };
        let sla = cal.sla(act, due, now);
        assert_eq!(sla.state, state, "{now}");
        assert_eq!(sla.remaining.words(Lang::Zh), zh, "{now}");
        assert_eq!(sla.remaining.words(Lang::En), en, "{now}");
    }
    let s = cal.sla(act, due, t("2025-10-09 15:00")).remaining;
    assert_eq!(
        (s.overdue, s.seconds, s.days, s.hours, s.minutes),
        (false, 11 * 3600, 1, 3, 0)
    );
}

#[test]
fn sla_due_soon_by_a_quarter_of_the_allowed_time() {
    let cal = cal();
    // wd(10) from Mon 1 Sep 2025 09:00 → Mon 15 Sep 18:00: 88 working hours allowed.
    let act = t("2025-09-01 09:00");
    let due = cal.due(&"wd(10)".parse().unwrap(), act).at;
    assert_eq!(show(due), "2025-09-15 18:00 Mon");
    assert_eq!(
        cal.sla(act, due, t("2025-09-10 09:00")).state,
        SlaState::OnTime
    );
    let s = cal.sla(act, due, t("2025-09-12 13:00"));
    assert_eq!(
        (s.state, s.remaining.seconds),
        (SlaState::DueSoon, 13 * 3600),
        "13 h < 22 h"
    );
    assert_eq!(SlaState::DueSoon.label(Lang::Zh), "即将到期");
    assert_eq!(SlaState::Overdue.label(Lang::En), "Overdue");
}

#[test]
fn sla_in_clock_time_for_round_the_clock_rules() {
    let cal = cal();
    let rule: DeadlineRule = "h(24)".parse().unwrap();
    let m = Measure::of_rule(&rule);
    assert_eq!(m, Measure::ClockTime);
    assert_eq!(
        Measure::of_rule(&"h(4, working)".parse().unwrap()),
        Measure::WorkingTime
    );
    let act = t("2025-10-01 10:00");
    let due = cal.due(&rule, act).at;
    let s = cal.sla_measured(m, act, due, t("2025-10-01 22:00"));
    assert_eq!(
        (s.state, s.remaining.words(Lang::Zh)),
        (SlaState::OnTime, "剩余 12 小时".into())
    );
    assert_eq!(s.remaining.words(Lang::En), "12 hours left");
    let s = cal.sla_measured(m, act, due, t("2025-10-02 08:30"));
    assert_eq!(
        (s.state, s.remaining.words(Lang::En)),
        (SlaState::DueSoon, "1 hour 30 minutes left".into())
    );
    let s = cal.sla_measured(m, act, due, t("2025-10-03 12:05"));
    assert_eq!(s.state, SlaState::Overdue);
    assert_eq!(s.remaining.words(Lang::Zh), "已超时 1 天 2 小时");
    assert_eq!(s.remaining.words(Lang::En), "overdue by 1 day 2 hours");
}

#[test]
fn explain_lists_the_days_counted_and_skipped() {
    let cal = cal();
    let e = cal.explain(&"wd(3)".parse().unwrap(), t("2025-09-30 10:00"));
    let expected = "\
rule:   wd(3)
anchor: 2025-09-30T10:00:00+08:00 Tue
2025-10-01 Wed  skipped: 国庆节、中秋节 (day off)
2025-10-02 Thu  skipped: 国庆节、中秋节 (day off)
2025-10-03 Fri  skipped: 国庆节、中秋节 (day off)
2025-10-04 Sat  skipped: 国庆节、中秋节 (day off)
2025-10-05 Sun  skipped: 国庆节、中秋节 (day off)
2025-10-06 Mon  skipped: 国庆节、中秋节 (day off)
2025-10-07 Tue  skipped: 国庆节、中秋节 (day off)
2025-10-08 Wed  skipped: 国庆节、中秋节 (day off)
2025-10-09 Thu  working day 1
2025-10-10 Fri  working day 2
2025-10-11 Sat  working day 3 (make-up working day: 国庆节、中秋节)
note:   the anchor's day 2025-09-30 is not counted; due at the close of the last working day
due:    2025-10-11T18:00:00+08:00 Sat";
    assert_eq!(e.to_string(), expected);
}

#[test]
fn explain_other_rules() {
    let cal = cal();
    let lines = |rule: &str, anchor: &str| -> Vec<String> {
        cal.explain(&rule.parse().unwrap(), t(anchor))
            .days
            .iter()
            .map(|l| l.to_string())
            .collect()
    };
    assert_eq!(
        lines("h(4, working)", "2025-09-30 15:00"),
        [
            "2025-09-30 Tue  counted 3 h 00 min (15:00–18:00)",
            "2025-10-01 Wed  skipped: 国庆节、中秋节 (day off)",
            "2025-10-02 Thu  skipped: 国庆节、中秋节 (day off)",
            "2025-10-03 Fri  skipped: 国庆节、中秋节 (day off)",
            "2025-10-04 Sat  skipped: 国庆节、中秋节 (day off)",
            "2025-10-05 Sun  skipped: 国庆节、中秋节 (day off)",
            "2025-10-06 Mon  skipped: 国庆节、中秋节 (day off)",
            "2025-10-07 Tue  skipped: 国庆节、中秋节 (day off)",
            "2025-10-08 Wed  skipped: 国庆节、中秋节 (day off)",
            "2025-10-09 Thu  counted 1 h 00 min (09:00–10:00)",
        ]
    );
    assert_eq!(
        lines("h(4, working)", "2025-09-29 11:00"),
        ["2025-09-29 Mon  counted 4 h 00 min (11:00–12:00, 13:00–16:00)",]
    );
    assert_eq!(
        lines("before-event(wd 1)", "2024-02-19 09:30"),
        ["2024-02-18 Sun  working day 1 before the event (make-up working day: 春节)",]
    );
    assert_eq!(
        lines("before-event(wd 1)", "2025-04-07 09:00"),
        [
            "2025-04-06 Sun  skipped: 清明节 (day off)",
            "2025-04-05 Sat  skipped: 清明节 (day off)",
            "2025-04-04 Fri  skipped: 清明节 (day off)",
            "2025-04-03 Thu  working day 1 before the event",
        ]
    );
    assert_eq!(
        lines("monthly-by(5)", "2026-04-01 00:00"),
        [
            "2026-04-05 Sun  skipped: 清明节 (day off)",
            "2026-04-04 Sat  skipped: 清明节 (day off)",
            "2026-04-03 Fri  due at the close of this working day",
        ]
    );
    assert_eq!(
        lines("same-day", "2025-09-27 10:00"),
        [
            "2025-09-27 Sat  skipped: weekend",
            "2025-09-28 Sun  working day (the next one) (make-up working day: 国庆节、中秋节)",
        ]
    );
    let e = cal.explain(&"h(24)".parse().unwrap(), t("2025-09-30 10:00"));
    assert_eq!(e.notes, ["counted round the clock: +24 h"]);
    let e = cal.explain(&"wd(1)".parse().unwrap(), t("2026-12-31 10:00"));
    assert!(e.to_string().ends_with("due:    2027-01-01T18:00:00+08:00 Fri (provisional: counted over a year without a published arrangement)"));
}
