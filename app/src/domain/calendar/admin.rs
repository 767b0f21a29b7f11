//! An administrator's changes to the calendar, validated at the edge: one extra day off or
//! working day, a whole year's arrangement imported as CSV, the working-hours settings.

use chrono::{Datelike, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::holidays::{parse_holiday_csv, DayKind, DayOverride};
use super::working_hours::{CalendarSettings, DueSoonThresholds};
use crate::error::FieldError;

/// The longest override name (the holiday or the reason), in characters.
pub const MAX_NAME_CHARS: usize = 40;

/// What the calendar page shows an administrator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarOverview {
    pub settings: SettingsOverview,
    /// The administrator's overrides, by date.
    pub overrides: Vec<DayOverride>,
    /// Years with a published holiday arrangement (built in or imported).
    pub published_years: Vec<i32>,
    /// Years around today without published data: they count weekends only, and deadlines in
    /// them are provisional until the arrangement is entered.
    pub years_without_data: Vec<i32>,
    /// The last day covered by a published arrangement (`YYYY-MM-DD`), if any.
    pub last_published_day: Option<String>,
}

/// [`CalendarSettings`] as the calendar page shows them, on the same wire (`time_zone` is the
/// IANA name). Kept apart so the browser never parses a `chrono_tz::Tz`: that would put the
/// whole time-zone database into the WebAssembly.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsOverview {
    pub time_zone: String,
    pub work_start: NaiveTime,
    pub work_end: NaiveTime,
    pub lunch: Option<(NaiveTime, NaiveTime)>,
    pub due_soon: DueSoonThresholds,
}

impl From<&CalendarSettings> for SettingsOverview {
    fn from(s: &CalendarSettings) -> Self {
        SettingsOverview {
            time_zone: s.time_zone.name().to_string(),
            work_start: s.work_start,
            work_end: s.work_end,
            lunch: s.lunch,
            due_soon: s.due_soon,
        }
    }
}

impl SettingsOverview {
    /// The settings back, with the zone parsed (`None` for a name the zone database lacks).
    pub fn to_settings(&self) -> Option<CalendarSettings> {
        Some(CalendarSettings {
            time_zone: self.time_zone.parse().ok()?,
            work_start: self.work_start,
            work_end: self.work_end,
            lunch: self.lunch,
            due_soon: self.due_soon,
        })
    }
}

fn field(name: &str, code: &str, zh: &str, en: &str) -> FieldError {
    FieldError::new(name, code, zh, en)
}

/// Reads one override: `date` as `YYYY-MM-DD`, `kind` as `holiday` or `workday`, a name.
pub fn parse_override(date: &str, kind: &str, name: &str) -> Result<DayOverride, Vec<FieldError>> {
    let mut errors = Vec::new();
    let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (2000..=2199).contains(&d.year()));
    if date.is_none() {
        errors.push(field(
            "date",
            "invalid",
            "请填写 2000–2199 年间的日期(年-月-日)。",
            "Enter a date between 2000 and 2199 (YYYY-MM-DD).",
        ));
    }
    let kind = match kind.trim() {
        "holiday" => Some(DayKind::DayOff),
        "workday" => Some(DayKind::WorkingDay),
        _ => {
            errors.push(field(
                "kind",
                "invalid",
                "请选择“休息日”或“工作日”。",
                "Choose a day off or a working day.",
            ));
            None
        }
    };
    let name = name.trim();
    if name.is_empty() {
        errors.push(field(
            "name",
            "required",
            "请填写节日名称或原因。",
            "Enter the holiday's name or the reason.",
        ));
    } else if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        errors.push(field(
            "name",
            "invalid",
            "名称最多 40 个字符,且不能换行。",
            "At most 40 characters, on one line.",
        ));
    }
    match (date, kind, errors.is_empty()) {
        (Some(date), Some(kind), true) => Ok(DayOverride {
            date,
            kind,
            name: name.to_string(),
            year_arrangement: false,
        }),
        _ => Err(errors),
    }
}

/// Reads a whole year's arrangement from CSV (`date,kind,name`). Every row must lie in `year`.
pub fn parse_year_import(year: i32, csv: &str) -> Result<Vec<DayOverride>, Vec<FieldError>> {
    if !(2000..=2199).contains(&year) {
        return Err(vec![field(
            "year",
            "invalid",
            "年份应在 2000–2199 之间。",
            "The year must be between 2000 and 2199.",
        )]);
    }
    let rows = parse_holiday_csv(csv).map_err(|errors| {
        errors
            .iter()
            .map(|e| {
                let line = e.to_string();
                field("csv", "line", &line, &line)
            })
            .collect::<Vec<_>>()
    })?;
    if rows.is_empty() {
        return Err(vec![field(
            "csv",
            "empty",
            "CSV 中没有任何日期。",
            "The CSV lists no dates.",
        )]);
    }
    let outside: Vec<String> = rows
        .iter()
        .filter(|r| r.date.year() != year)
        .map(|r| r.date.to_string())
        .collect();
    if !outside.is_empty() {
        let list = outside.join(", ");
        return Err(vec![field(
            "csv",
            "other_year",
            &format!("以下日期不在 {year} 年:{list}"),
            &format!("These dates are not in {year}: {list}"),
        )]);
    }
    Ok(rows)
}

/// Checks the settings an administrator saves.
pub fn check_settings(settings: &CalendarSettings) -> Result<(), Vec<FieldError>> {
    settings.validate().map_err(|e| {
        let reason = e.to_string();
        vec![field(
            "settings",
            "invalid",
            &format!("工作时间设置无效:{reason}"),
            &format!("Invalid working hours: {reason}"),
        )]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_override_reads_its_date_kind_and_name() {
        let o = parse_override("2026-12-31", "holiday", " 年终休息 ").unwrap();
        assert_eq!(o.date, NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
        assert_eq!(o.kind, DayKind::DayOff);
        assert_eq!(o.name, "年终休息");
        assert!(!o.year_arrangement);
    }

    #[test]
    fn a_bad_override_names_every_field() {
        let errors = parse_override("31/12/2026", "party", "").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["date", "kind", "name"]);
    }

    #[test]
    fn a_year_import_keeps_to_its_year() {
        let csv = "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,workday,春节\n";
        let rows = parse_year_import(2027, csv).unwrap();
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|r| r.year_arrangement));
        let errors = parse_year_import(2028, csv).unwrap_err();
        assert_eq!(errors[0].code, "other_year");
        assert!(errors[0].message.en.contains("2027-01-01"));
    }

    #[test]
    fn a_broken_csv_reports_its_lines() {
        let errors = parse_year_import(2027, "date,kind,name\n2027-13-01,holiday,x\n").unwrap_err();
        assert_eq!(errors[0].code, "line");
        assert!(errors[0].message.en.contains('2'), "{:?}", errors[0]);
    }
}
