//! The calendar as an iCalendar feed (RFC 5545) for Outlook, DingTalk, Google and Apple
//! calendars: one VEVENT per item with a stable UID, the case's version as SEQUENCE (a moved
//! deadline is an update, not a new event), times in the organisation's zone with its
//! VTIMEZONE, and STATUS:CANCELLED for the items of a case that closed.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use super::agenda::{AgendaItem, ItemKind};

/// One item of the feed: what the calendar shows, and whether its case has closed.
#[derive(Clone, Debug, PartialEq)]
pub struct FeedEntry {
    pub item: AgendaItem,
    pub cancelled: bool,
}

/// Escapes TEXT values (RFC 5545 §3.3.11).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line folded at 75 octets, never inside a UTF-8 character (§3.1).
fn line(out: &mut String, text: &str) {
    let mut width = 0;
    for c in text.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn utc_stamp(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The zone's one UTC offset in seconds, when it keeps one all year (China's does); zones
/// with daylight saving are written in UTC instead.
fn fixed_offset(zone: Tz, year: i32) -> Option<i32> {
    let offset = |m: u32| {
        zone.with_ymd_and_hms(year, m, 1, 12, 0, 0)
            .single()
            .map(|t| t.offset().fix().local_minus_utc())
    };
    let (winter, summer) = (offset(1)?, offset(7)?);
    (winter == summer).then_some(winter)
}

fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    format!("{sign}{:02}{:02}", s / 3600, s % 3600 / 60)
}

fn summary(item: &AgendaItem) -> String {
    match item.kind {
        ItemKind::Deadline => format!("截止 · {} · {}", item.what.zh, item.title),
        ItemKind::Event => format!("{} · {}", item.what.zh, item.title),
        ItemKind::Obligation => format!("例行 · {} · {}", item.title, item.what.zh),
    }
}

fn description(item: &AgendaItem) -> String {
    let mut lines = vec![format!("流程:{}", item.process_name.zh)];
    match item.kind {
        ItemKind::Deadline | ItemKind::Obligation => {
            lines.push(format!("步骤:{}", item.what.zh));
            lines.push(format!("办理:{}", item.owner_name.zh));
        }
        ItemKind::Event => lines.push(format!("日期:{}", item.what.zh)),
    }
    if let Some(words) = &item.sla_words {
        lines.push(format!("时限:{}", words.zh));
    }
    if item.provisional {
        lines.push("截止时间待定(依赖尚未填写的日期)".into());
    }
    if let Some(id) = item.case_id {
        lines.push(format!("申请编号:{id}"));
    }
    lines.join("\n")
}

/// The feed `name` of `entries` at `now`. `link` gives an item's address in the app.
pub fn ics_feed(
    name: &str,
    entries: &[FeedEntry],
    zone: Tz,
    now: DateTime<Utc>,
    link: impl Fn(&AgendaItem) -> Option<String>,
) -> String {
    let mut out = String::new();
    let fixed = fixed_offset(zone, now.year());
    let tzid = zone.name();
    for text in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//OfficeFlow//办公流程//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        line(&mut out, text);
    }
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    line(&mut out, &format!("X-WR-TIMEZONE:{tzid}"));
    line(&mut out, "REFRESH-INTERVAL;VALUE=DURATION:PT15M");
    line(&mut out, "X-PUBLISHED-TTL:PT15M");
    if let Some(offset) = fixed {
        let abbreviation = zone
            .with_ymd_and_hms(now.year(), 1, 1, 12, 0, 0)
            .single()
            .map(|t| t.format("%Z").to_string())
            .unwrap_or_else(|| "STD".into());
        for text in [
            "BEGIN:VTIMEZONE".to_string(),
            format!("TZID:{tzid}"),
            "BEGIN:STANDARD".into(),
            "DTSTART:19700101T000000".into(),
            format!("TZOFFSETFROM:{}", offset_text(offset)),
            format!("TZOFFSETTO:{}", offset_text(offset)),
            format!("TZNAME:{abbreviation}"),
            "END:STANDARD".into(),
            "END:VTIMEZONE".into(),
        ] {
            line(&mut out, &text);
        }
    }
    let moment = |key: &str, at: DateTime<Utc>| match fixed {
        Some(_) => format!(
            "{key};TZID={tzid}:{}",
            at.with_timezone(&zone).format("%Y%m%dT%H%M%S")
        ),
        None => format!("{key}:{}", utc_stamp(at)),
    };
    let day = |key: &str, date: NaiveDate| format!("{key};VALUE=DATE:{}", date.format("%Y%m%d"));
    for entry in entries {
        let item = &entry.item;
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}@officeflow", item.key));
        line(&mut out, &format!("DTSTAMP:{}", utc_stamp(now)));
        line(&mut out, &format!("SEQUENCE:{}", item.version.max(0)));
        if item.time.is_none() {
            line(&mut out, &day("DTSTART", item.date));
            line(&mut out, &day("DTEND", item.date + Duration::days(1)));
            line(&mut out, "TRANSP:TRANSPARENT");
        } else {
            // A moment: DTSTART alone (RFC 5545 §3.6.1: it ends when it starts).
            line(&mut out, &moment("DTSTART", item.at));
        }
        line(&mut out, &format!("SUMMARY:{}", escape(&summary(item))));
        line(
            &mut out,
            &format!("DESCRIPTION:{}", escape(&description(item))),
        );
        line(&mut out, &format!("CATEGORIES:{}", escape(&item.function)));
        line(
            &mut out,
            if entry.cancelled {
                "STATUS:CANCELLED"
            } else {
                "STATUS:CONFIRMED"
            },
        );
        if let Some(url) = link(item) {
            line(&mut out, &format!("URL:{url}"));
        }
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lang::Text;

    fn item(key: &str, at: &str, time: Option<&str>) -> AgendaItem {
        let at: DateTime<Utc> = DateTime::parse_from_rfc3339(at).unwrap().into();
        AgendaItem {
            key: key.into(),
            kind: ItemKind::Deadline,
            case_id: Some(12),
            version: 4,
            function: "meetings".into(),
            process: "meeting".into(),
            process_name: Text::new("会议流程", "Meeting"),
            title: "周例会, 第三季度; 总结".into(),
            what: Text::new("会场准备", "Venue ready"),
            owner: "meeting_specialist".into(),
            owner_name: Text::new("会议专员", "Meeting specialist"),
            assignee: None,
            requester_id: Some(1),
            department: None,
            at,
            date: at.with_timezone(&chrono_tz::Asia::Shanghai).date_naive(),
            time: time.map(Into::into),
            sla: None,
            sla_words: Some(Text::new("剩余 1 个工作日", "1 working day left")),
            provisional: false,
            field: None,
            movable: false,
            companions: Vec::new(),
        }
    }

    #[test]
    fn events_carry_stable_uids_local_times_and_their_status() {
        let now: DateTime<Utc> = DateTime::parse_from_rfc3339("2025-10-09T01:00:00Z")
            .unwrap()
            .into();
        let entries = vec![
            FeedEntry {
                item: item("step-12-3", "2025-10-11T18:00:00+08:00", Some("18:00")),
                cancelled: false,
            },
            FeedEntry {
                item: item("event-12-start_date", "2025-10-20T00:00:00+08:00", None),
                cancelled: true,
            },
        ];
        let feed = ics_feed(
            "办公流程 · 张主任",
            &entries,
            chrono_tz::Asia::Shanghai,
            now,
            |i| Some(format!("https://office.example/c/{}", i.case_id.unwrap())),
        );
        assert!(feed.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(feed.ends_with("END:VCALENDAR\r\n"));
        assert!(feed.contains("TZID:Asia/Shanghai\r\n"));
        assert!(feed.contains("TZOFFSETTO:+0800\r\n"));
        assert!(feed.contains("UID:step-12-3@officeflow\r\n"));
        assert!(feed.contains("DTSTART;TZID=Asia/Shanghai:20251011T180000\r\n"));
        assert!(feed.contains("SEQUENCE:4\r\n"));
        assert!(feed.contains("DTSTART;VALUE=DATE:20251020\r\nDTEND;VALUE=DATE:20251021\r\n"));
        assert!(feed.contains("STATUS:CANCELLED\r\n"));
        assert!(feed.contains("SUMMARY:截止 · 会场准备 · 周例会\\, 第三季度\\; 总结\r\n"));
        assert_eq!(feed.matches("BEGIN:VEVENT").count(), 2);
        for l in feed.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
    }

    #[test]
    fn long_lines_fold_between_characters() {
        let mut out = String::new();
        line(&mut out, &format!("SUMMARY:{}", "会".repeat(40)));
        let parts: Vec<&str> = out.trim_end().split("\r\n ").collect();
        assert!(parts.len() > 1);
        assert!(parts.iter().all(|p| p.len() <= 75));
        assert_eq!(parts.concat(), format!("SUMMARY:{}", "会".repeat(40)));
    }

    #[test]
    fn zones_with_daylight_saving_are_written_in_utc() {
        assert_eq!(
            fixed_offset(chrono_tz::Asia::Shanghai, 2025),
            Some(8 * 3600)
        );
        assert_eq!(fixed_offset(chrono_tz::Europe::Berlin, 2025), None);
        let now: DateTime<Utc> = DateTime::parse_from_rfc3339("2025-10-09T01:00:00Z")
            .unwrap()
            .into();
        let feed = ics_feed(
            "x",
            &[FeedEntry {
                item: item("step-1-1", "2025-10-11T18:00:00+08:00", Some("18:00")),
                cancelled: false,
            }],
            chrono_tz::Europe::Berlin,
            now,
            |_| None,
        );
        assert!(feed.contains("DTSTART:20251011T100000Z\r\n"));
        assert!(!feed.contains("VTIMEZONE"));
    }
}
