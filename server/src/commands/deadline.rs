//! `officeflow deadline --rule "wd(3)" --anchor 2025-09-30T10:00:00+08:00 [--explain]`.

use app::domain::calendar::BusinessCalendar;
use app::domain::rules::DeadlineRule;
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// The built-in calendar plus the database's settings and overrides, when a database is
/// configured (`DATABASE_URL`, or the default SQLite file already exists).
pub async fn calendar_for(settings: &crate::config::Settings) -> Result<BusinessCalendar, String> {
    use app::ports::CalendarStore;
    let default_file = settings.data_dir.join("officeflow.db");
    if settings.database_url.is_none() && !default_file.exists() {
        return Ok(BusinessCalendar::built_in());
    }
    let db = crate::cli::connect_and_migrate(settings).await?;
    let store = crate::persistence::calendar_repo::SeaOrmCalendarStore::new(db);
    let calendar = store
        .calendar()
        .await
        .map_err(|e| e.message(app::domain::lang::Lang::En))?;
    Ok(calendar.as_ref().clone())
}

/// Reads an instant: RFC 3339, or a local date-time / date in the calendar's time zone.
pub fn parse_anchor(calendar: &BusinessCalendar, text: &str) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
        return Ok(instant.with_timezone(&Utc));
    }
    let zone = calendar.settings().time_zone;
    let local = [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    });
    let local = local.ok_or_else(|| {
        format!("cannot read the anchor \"{text}\": use RFC 3339 (2025-09-30T10:00:00+08:00) or 2025-09-30T10:00")
    })?;
    zone.from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| format!("the anchor \"{text}\" does not exist in {zone}"))
}

/// Evaluates the rule and prints the due instant (and with `explain`, how it was counted).
pub fn run(
    calendar: &BusinessCalendar,
    rule: &str,
    anchor: &str,
    explain: bool,
) -> Result<(), String> {
    let rule: DeadlineRule = rule.parse().map_err(|e| format!("{e}"))?;
    let anchor = parse_anchor(calendar, anchor)?;
    let zone = calendar.settings().time_zone;
    let due = calendar.due(&rule, anchor);
    println!("{}", due.at.with_timezone(&zone).to_rfc3339());
    if let Some(opens) = due.opens_at {
        println!("opens {}", opens.with_timezone(&zone).to_rfc3339());
    }
    if due.provisional {
        let last = calendar
            .last_published_day()
            .map(|d| d.to_string())
            .unwrap_or_else(|| "none".into());
        println!("provisional: counts days past the last published holiday arrangement ({last})");
    }
    if explain {
        println!();
        print!("{}", calendar.explain(&rule, anchor));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_read_as_rfc3339_or_local_time() {
        let calendar = BusinessCalendar::built_in();
        let expected = Utc.with_ymd_and_hms(2025, 9, 30, 2, 0, 0).unwrap();
        assert_eq!(
            parse_anchor(&calendar, "2025-09-30T10:00:00+08:00").unwrap(),
            expected
        );
        assert_eq!(
            parse_anchor(&calendar, "2025-09-30T10:00").unwrap(),
            expected
        );
        assert_eq!(
            parse_anchor(&calendar, "2025-09-30 10:00").unwrap(),
            expected
        );
        assert!(parse_anchor(&calendar, "yesterday").is_err());
    }
}
