//! Dates and times as the UI writes them: `2025年10月11日 周六 18:00` / `Sat 11 Oct 2025 18:00`,
//! 24-hour clock, in the organisation's time zone.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike, Weekday};

use crate::domain::lang::Lang;

fn weekday(day: Weekday, lang: Lang) -> &'static str {
    let i = day.num_days_from_monday() as usize;
    match lang {
        Lang::Zh => ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][i],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `2025年10月11日 周六` / `Sat 11 Oct 2025`.
pub fn date_long(date: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "{}年{}月{}日 {}",
            date.year(),
            date.month(),
            date.day(),
            weekday(date.weekday(), lang)
        ),
        Lang::En => format!(
            "{} {} {} {}",
            weekday(date.weekday(), lang),
            date.day(),
            MONTHS[date.month0() as usize],
            date.year()
        ),
    }
}

/// `2025年10月11日 周六 18:00` / `Sat 11 Oct 2025 18:00`, at the instant's own offset.
pub fn datetime_long(instant: DateTime<FixedOffset>, lang: Lang) -> String {
    format!(
        "{} {:02}:{:02}",
        date_long(instant.date_naive(), lang),
        instant.hour(),
        instant.minute()
    )
}

/// Reads an RFC 3339 instant and writes it long; the input itself when it cannot be read.
pub fn rfc3339_long(text: &str, lang: Lang) -> String {
    DateTime::parse_from_rfc3339(text)
        .map(|t| datetime_long(t, lang))
        .unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_the_chinese_and_the_english_way() {
        let d = NaiveDate::from_ymd_opt(2025, 10, 11).unwrap();
        assert_eq!(date_long(d, Lang::Zh), "2025年10月11日 周六");
        assert_eq!(date_long(d, Lang::En), "Sat 11 Oct 2025");
    }

    #[test]
    fn instants_keep_their_offset_and_use_24_hours() {
        assert_eq!(
            rfc3339_long("2025-10-11T18:00:00+08:00", Lang::Zh),
            "2025年10月11日 周六 18:00"
        );
        assert_eq!(
            rfc3339_long("2025-10-11T18:00:00+08:00", Lang::En),
            "Sat 11 Oct 2025 18:00"
        );
        assert_eq!(rfc3339_long("not a time", Lang::En), "not a time");
    }
}
