//! The calendar of deadlines: every open step's due time, the dates cases carry (a meeting's
//! start, a visit, an activity) and the recurring obligations still to come, laid on the
//! working-day calendar with its days off (休) and make-up working days (班).
//!
//! Storage hands over plain rows (one range query over the open steps, one over the case
//! dates); this module names them from the catalog, measures their SLA state at `now`, and
//! lays out the month, week and agenda views. Weeks start on Monday.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::board_filter::Viewer;
use super::context::{Context, ProcessRef};
use super::form::{FieldValue, FormValues};
use super::ids::Actor;
use crate::domain::calendar::{BusinessCalendar, DayReason, Measure, SlaState};
use crate::domain::catalog::{Anchor, Catalog, Trigger};
use crate::domain::lang::{Lang, Text};

/// Most items a day of the month view lists; the rest are counted ("还有 5 项").
pub const MONTH_SHOWN_PER_DAY: usize = 3;
/// Most items the agenda lists at once; the rest are counted.
pub const AGENDA_SHOWN_MAX: usize = 400;

/// The three ways to look at the calendar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CalendarView {
    #[default]
    Month,
    Week,
    Agenda,
}

impl CalendarView {
    pub fn code(self) -> &'static str {
        match self {
            CalendarView::Month => "month",
            CalendarView::Week => "week",
            CalendarView::Agenda => "agenda",
        }
    }

    pub fn from_code(code: &str) -> CalendarView {
        match code {
            "week" => CalendarView::Week,
            "agenda" => CalendarView::Agenda,
            _ => CalendarView::Month,
        }
    }

    /// The days the view shows around `date`: the month's weeks (Monday to Sunday, whole
    /// weeks), the week of `date`, or the month of `date` for the agenda.
    pub fn range(self, date: NaiveDate) -> (NaiveDate, NaiveDate) {
        let first = date.with_day(1).unwrap_or(date);
        let last = last_of_month(date);
        match self {
            CalendarView::Month => (monday_of(first), monday_of(last) + Duration::days(6)),
            CalendarView::Week => (monday_of(date), monday_of(date) + Duration::days(6)),
            CalendarView::Agenda => (first, last),
        }
    }

    /// The date one step back or ahead of `date` (a month, or a week for the week view).
    pub fn step(self, date: NaiveDate, forward: bool) -> NaiveDate {
        match self {
            CalendarView::Week => date + Duration::days(if forward { 7 } else { -7 }),
            _ => {
                let months = if forward { 1 } else { -1 };
                let m0 = date.year() * 12 + date.month0() as i32 + months;
                NaiveDate::from_ymd_opt(m0.div_euclid(12), m0.rem_euclid(12) as u32 + 1, 1)
                    .unwrap_or(date)
            }
        }
    }
}

/// The date the calendar is asked to show: a day (`2025-10-11`) or a month (`2025-10`, its
/// first day), between the years 2000 and 2100.
pub fn parse_calendar_date(text: &str) -> Result<NaiveDate, crate::error::FieldError> {
    let text = text.trim();
    let parsed = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d"));
    match parsed {
        Ok(date) if (2000..=2100).contains(&date.year()) => Ok(date),
        _ => Err(crate::error::FieldError::new(
            "date",
            "invalid_date",
            "日期应写作 2025-10-11 或 2025-10(2000–2100 年)。",
            "Write the date as 2025-10-11 or 2025-10 (years 2000–2100).",
        )),
    }
}

/// The Monday on or before `date`.
pub fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Duration::days(date.weekday().num_days_from_monday() as i64)
}

fn last_of_month(date: NaiveDate) -> NaiveDate {
    let first = date.with_day(1).unwrap_or(date);
    CalendarView::Month.step(first, true) - Duration::days(1)
}

/// How a Chinese calendar marks a day: 休 for a day off of a holiday, 班 for a make-up
/// working day, each with the holiday's name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DayMark {
    Off(String),
    MakeUp(String),
}

impl DayMark {
    /// The character Chinese calendars print on the day.
    pub fn badge(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (DayMark::Off(_), Lang::Zh) => "休",
            (DayMark::MakeUp(_), Lang::Zh) => "班",
            (DayMark::Off(_), Lang::En) => "Off",
            (DayMark::MakeUp(_), Lang::En) => "Work",
        }
    }

    pub fn name(&self) -> &str {
        match self {
            DayMark::Off(name) | DayMark::MakeUp(name) => name,
        }
    }
}

/// A day of a view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCell {
    pub date: NaiveDate,
    pub working: bool,
    pub weekend: bool,
    pub mark: Option<DayMark>,
    pub today: bool,
    /// In the month looked at (the month view's leading and trailing days are not).
    pub in_month: bool,
}

/// The days from `from` to `to` (inclusive) with their marks.
pub fn day_cells(
    calendar: &BusinessCalendar,
    from: NaiveDate,
    to: NaiveDate,
    month: NaiveDate,
    today: NaiveDate,
) -> Vec<DayCell> {
    let mut days = Vec::new();
    let mut day = from;
    while day <= to && days.len() < 62 {
        let info = calendar.day_info(day);
        days.push(DayCell {
            date: day,
            working: info.working,
            weekend: matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
            mark: match info.reason {
                DayReason::Holiday(name) => Some(DayMark::Off(name)),
                DayReason::MakeUpDay(name) => Some(DayMark::MakeUp(name)),
                DayReason::Weekday | DayReason::Weekend => None,
            },
            today: day == today,
            in_month: day.year() == month.year() && day.month() == month.month(),
        });
        day += Duration::days(1);
    }
    days
}

/// The first instant of local `date` in `zone` (where a clock change skips midnight, the
/// first local hour that exists).
pub fn day_start(zone: Tz, date: NaiveDate) -> DateTime<Utc> {
    (0..=3)
        .filter_map(|hour| date.and_hms_opt(hour, 0, 0))
        .find_map(|local| zone.from_local_datetime(&local).earliest())
        .map_or_else(
            || Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).unwrap_or_default()),
            |t| t.with_timezone(&Utc),
        )
}

/// What an item on the calendar is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ItemKind {
    /// The due time of a step under way.
    Deadline,
    /// A date the case carries (the meeting's start, the visit, the activity).
    Event,
    /// A recurring obligation's next case and its first step's due time.
    Obligation,
}

/// One thing on the calendar.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgendaItem {
    /// Stable across refreshes and feeds: `step-12-3`, `event-12-meeting_start`,
    /// `obligation-attendance_report-2025-11`.
    pub key: String,
    pub kind: ItemKind,
    pub case_id: Option<i64>,
    /// The case's version (the feed's SEQUENCE); 0 for an obligation not raised yet.
    pub version: i64,
    pub function: String,
    pub process: String,
    pub process_name: Text,
    pub title: String,
    /// The step (deadline, obligation) or the field (event).
    pub what: Text,
    /// The owner role's code and name (empty for an event).
    pub owner: String,
    pub owner_name: Text,
    pub assignee: Option<i64>,
    pub requester_id: Option<i64>,
    pub department: Option<String>,
    pub at: DateTime<Utc>,
    /// The local day it falls on, and its local time ("18:00"), `None` for a whole day.
    pub date: NaiveDate,
    pub time: Option<String>,
    pub sla: Option<SlaState>,
    pub sla_words: Option<Text>,
    /// The deadline counts from a date not yet known (it may move).
    pub provisional: bool,
    /// An event's field (`meeting_start`).
    #[serde(default)]
    pub field: Option<String>,
    /// The viewer may drag it to another day (an event whose field they may change);
    /// deadlines are computed and never movable.
    #[serde(default)]
    pub movable: bool,
    /// The case's other dates on the same day after this one (field, local time), which a
    /// drag moves along (the meeting's end with its start); see [`link_companions`].
    #[serde(default)]
    pub companions: Vec<(String, Option<String>)>,
}

/// A step under way with a due time, as the range query reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct DeadlineRow {
    pub case_id: i64,
    pub seq: i32,
    pub version: i64,
    pub catalog_version: u32,
    pub process: String,
    pub title: String,
    pub requester_id: i64,
    pub department: Option<String>,
    pub step: String,
    pub owner_role: String,
    pub assignee: Option<i64>,
    pub activated_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub provisional: bool,
}

/// A date a case carries, as the range query reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct EventRow {
    pub case_id: i64,
    pub version: i64,
    pub catalog_version: u32,
    pub process: String,
    pub title: String,
    pub requester_id: i64,
    pub department: Option<String>,
    pub field: String,
    pub at: DateTime<Utc>,
    pub all_day: bool,
}

/// The dates of `case` the calendar shows as events, as (field, instant, whole day): date and
/// date-time fields that a step counts its deadline from and that lie after the case was
/// raised — what the case plans (the meeting's start, the visit, the start date), not what it
/// records (when a document was received, when an incident happened).
pub fn case_events(
    process: &crate::domain::catalog::Process,
    case: &super::case::Case,
    zone: Tz,
) -> Vec<(String, DateTime<Utc>, bool)> {
    let values = &case.values;
    let raised_on = case.created_at.with_timezone(&zone).date_naive();
    let mut out = Vec::new();
    for field in &process.fields {
        let anchors = process
            .steps
            .iter()
            .any(|s| s.anchor == Anchor::Field(field.code.clone()));
        if !anchors || !field.kind.is_moment() {
            continue;
        }
        match values.get(&field.code) {
            Some(FieldValue::DateTime(at)) if *at > case.created_at => {
                out.push((field.code.to_string(), *at, false))
            }
            Some(FieldValue::Date(date)) if *date >= raised_on => {
                out.push((field.code.to_string(), day_start(zone, *date), true))
            }
            _ => {}
        }
    }
    out
}

fn local(at: DateTime<Utc>, zone: Tz) -> (NaiveDate, String) {
    let t = at.with_timezone(&zone);
    (t.date_naive(), format!("{:02}:{:02}", t.hour(), t.minute()))
}

fn sla_of(
    calendar: &BusinessCalendar,
    measure: Measure,
    activated_at: DateTime<Utc>,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
) -> (SlaState, Text) {
    let sla = calendar.sla_measured(measure, activated_at, due, now);
    let words = Text::new(sla.remaining.words(Lang::Zh), sla.remaining.words(Lang::En));
    (sla.state, words)
}

/// The calendar item of a step under way; `None` when its process or step is not in
/// `catalog` (the version the case was raised under).
pub fn deadline_item(
    catalog: &Catalog,
    row: &DeadlineRow,
    now: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> Option<AgendaItem> {
    let process = ProcessRef::find(catalog, &row.process)?;
    let step = process.process.step(&row.step)?;
    let measure = step
        .deadline
        .as_ref()
        .map_or(Measure::WorkingTime, Measure::of_rule);
    let (sla, words) = sla_of(calendar, measure, row.activated_at, row.due_at, now);
    let (date, time) = local(row.due_at, calendar.settings().time_zone);
    let owner = crate::domain::catalog::RoleCode::new(&row.owner_role);
    Some(AgendaItem {
        key: format!("step-{}-{}", row.case_id, row.seq),
        kind: ItemKind::Deadline,
        case_id: Some(row.case_id),
        version: row.version,
        function: process.process.function.to_string(),
        process: row.process.clone(),
        process_name: process.process.name.clone(),
        title: row.title.clone(),
        what: step.name.clone(),
        owner_name: process.role_name(&owner),
        owner: row.owner_role.clone(),
        assignee: row.assignee,
        requester_id: Some(row.requester_id),
        department: row.department.clone(),
        at: row.due_at,
        date,
        time: Some(time),
        sla: Some(sla),
        sla_words: Some(words),
        provisional: row.provisional,
        field: None,
        movable: false,
        companions: Vec::new(),
    })
}

/// The calendar item of a date a case carries, as `viewer` sees it (movable when they may
/// change the field).
pub fn event_item(
    catalog: &Catalog,
    row: &EventRow,
    calendar: &BusinessCalendar,
    viewer: &Actor,
) -> Option<AgendaItem> {
    let process = ProcessRef::find(catalog, &row.process)?;
    let field = process.process.field(&row.field)?;
    let movable = crate::domain::people::policy::may_record_field(
        viewer,
        process.process,
        field,
        super::ids::UserId(row.requester_id),
    );
    let (date, time) = local(row.at, calendar.settings().time_zone);
    Some(AgendaItem {
        key: format!("event-{}-{}", row.case_id, row.field),
        kind: ItemKind::Event,
        case_id: Some(row.case_id),
        version: row.version,
        function: process.process.function.to_string(),
        process: row.process.clone(),
        process_name: process.process.name.clone(),
        title: row.title.clone(),
        what: field.label.clone(),
        owner: String::new(),
        owner_name: Text::new("", ""),
        assignee: None,
        requester_id: Some(row.requester_id),
        department: row.department.clone(),
        at: row.at,
        date,
        time: (!row.all_day).then_some(time),
        sla: None,
        sla_words: None,
        provisional: false,
        field: Some(row.field.clone()),
        movable,
        companions: Vec::new(),
    })
}

/// Gives each case's first event of a day the case's later events of that day as
/// companions, so that dragging the meeting's start to another day takes its end along.
pub fn link_companions(items: &mut [AgendaItem]) {
    let mut order: Vec<usize> = (0..items.len())
        .filter(|&i| items[i].kind == ItemKind::Event && items[i].field.is_some())
        .collect();
    order.sort_by(|&a, &b| {
        (items[a].case_id, items[a].date, items[a].at).cmp(&(
            items[b].case_id,
            items[b].date,
            items[b].at,
        ))
    });
    let mut first: Option<usize> = None;
    for i in order {
        match first {
            Some(f) if items[f].case_id == items[i].case_id && items[f].date == items[i].date => {
                let companion = (
                    items[i].field.clone().unwrap_or_default(),
                    items[i].time.clone(),
                );
                items[f].companions.push(companion);
            }
            _ => first = Some(i),
        }
    }
}

/// What dragging an event to `to` records: its field on that day, at the same local time
/// (`{"meeting_start": "2025-10-20T14:00"}`); `None` for an item that does not move or a day
/// it is already on. The engine then counts again the deadlines anchored on the field.
pub fn rescheduled(item: &AgendaItem, to: NaiveDate) -> Option<super::form::FormInput> {
    if !item.movable || item.kind != ItemKind::Event || item.date == to {
        return None;
    }
    let value = |time: &Option<String>| match time {
        Some(time) => format!("{to}T{time}"),
        None => to.to_string(),
    };
    let mut input = super::form::FormInput::new();
    input.insert(
        item.field.clone()?,
        super::form::RawValue::Text(value(&item.time)),
    );
    for (field, time) in &item.companions {
        input.insert(field.clone(), super::form::RawValue::Text(value(time)));
    }
    Some(input)
}

/// Most items one recurring process puts on a calendar (a daily round over a year is 250).
pub const OBLIGATION_ITEMS_MAX: usize = 370;

/// The recurring obligations of the processes `shown` accepts whose next cases fall in
/// `[from, to)` and are not raised yet (their period begins after `now`): the case the
/// scheduler will raise at the period's start and its first step's due time, counted by the
/// same engine.
pub fn obligation_items(
    catalog: &Catalog,
    catalog_version: u32,
    calendar: &BusinessCalendar,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    now: DateTime<Utc>,
    shown: impl Fn(&ProcessRef) -> bool,
) -> Vec<AgendaItem> {
    let zone = calendar.settings().time_zone;
    let mut out = Vec::new();
    for process in &catalog.processes {
        let Trigger::Recurring(schedule) = &process.trigger else {
            continue;
        };
        let Some(process_ref) = ProcessRef::find(catalog, process.code.as_str()) else {
            continue;
        };
        if !shown(&process_ref) {
            continue;
        }
        // Periods that begin after now (the one under way was raised) and whose first
        // deadline may reach the range (a yearly duty may be due months after it begins).
        let look_from = now.max(from - Duration::days(366));
        let mut listed = 0;
        for period in calendar.periods_between(schedule, look_from, to) {
            if listed >= OBLIGATION_ITEMS_MAX {
                break;
            }
            if period.starts_at <= now {
                continue;
            }
            let ctx = Context::new(process_ref, calendar, period.starts_at);
            let title = format!("{} {}", process.name.zh, period.label());
            let opened = super::raise::open_case(
                &ctx,
                &Actor::system(),
                catalog_version,
                title.clone(),
                None,
                FormValues::default(),
            );
            // The first step under way with a deadline; a duty without one ("every December")
            // shows as a whole day at the start of its period.
            let Some((_, first)) = opened
                .case
                .active()
                .find(|(_, s)| s.due.is_some())
                .or_else(|| opened.case.active().next())
            else {
                continue;
            };
            let at = first.due.map_or(period.starts_at, |due| due.at);
            if at < from || at >= to {
                continue;
            }
            listed += 1;
            let (date, time) = local(at, zone);
            let what = process
                .step(first.step.as_str())
                .map_or_else(|| Text::new("", ""), |s| s.name.clone());
            out.push(AgendaItem {
                key: format!("obligation-{}-{}", process.code, period.key),
                kind: ItemKind::Obligation,
                case_id: None,
                version: 0,
                function: process.function.to_string(),
                process: process.code.to_string(),
                process_name: process.name.clone(),
                title,
                what,
                owner_name: process_ref.role_name(&first.owner),
                owner: first.owner.to_string(),
                assignee: None,
                requester_id: None,
                department: None,
                at,
                date,
                time: first.due.is_some().then_some(time),
                sla: None,
                sla_words: None,
                provisional: first.due.is_some_and(|due| due.provisional),
                field: None,
                movable: false,
                companions: Vec::new(),
            });
        }
    }
    out
}

/// Earliest first; at one instant deadlines before events before obligations, then by case
/// and key.
pub fn item_order(a: &AgendaItem, b: &AgendaItem) -> std::cmp::Ordering {
    let rank = |kind: ItemKind| match kind {
        ItemKind::Deadline => 0,
        ItemKind::Event => 1,
        ItemKind::Obligation => 2,
    };
    // The case id before the key, so that the store can rank a day's rows in SQL
    // (`ORDER BY due_at, case_id`) in the order the calendar shows them.
    a.at.cmp(&b.at)
        .then(rank(a.kind).cmp(&rank(b.kind)))
        .then(a.case_id.cmp(&b.case_id))
        .then(a.key.cmp(&b.key))
}

/// Which items the calendar shows: the same filters as the boards (mine, my roles, overdue,
/// due soon, words) plus a function, kept in the address (`?fn=meetings&mine=1`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CalendarFilter {
    pub mine: bool,
    pub my_roles: bool,
    pub overdue: bool,
    pub due_soon: bool,
    pub function: Option<String>,
    pub text: String,
}

impl CalendarFilter {
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> CalendarFilter {
        let mut filter = CalendarFilter::default();
        for (key, value) in pairs {
            let value = value.trim();
            let on = matches!(value, "1" | "true" | "yes");
            match key {
                "mine" => filter.mine = on,
                "role" => filter.my_roles = on,
                "overdue" => filter.overdue = on,
                "soon" => filter.due_soon = on,
                "fn" if !value.is_empty() => filter.function = Some(value.to_string()),
                "q" => filter.text = value.chars().take(100).collect(),
                _ => {}
            }
        }
        filter
    }

    /// The filters as query pairs, in a fixed order (none for the default).
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        for (key, on) in [
            ("mine", self.mine),
            ("role", self.my_roles),
            ("overdue", self.overdue),
            ("soon", self.due_soon),
        ] {
            if on {
                pairs.push((key, "1".to_string()));
            }
        }
        if let Some(f) = &self.function {
            pairs.push(("fn", f.clone()));
        }
        if !self.text.trim().is_empty() {
            pairs.push(("q", self.text.trim().to_string()));
        }
        pairs
    }

    pub fn is_default(&self) -> bool {
        *self == CalendarFilter::default()
    }

    /// Whether the store can apply every filter set from rows alone (so that the month view
    /// can be sampled: see [`AgendaSample`]). "Due soon" needs each step's SLA measured, and
    /// the words match names from the catalog.
    pub fn store_applies(&self) -> bool {
        !self.due_soon && self.text.trim().is_empty()
    }

    /// Whether `item` passes every filter set, for `viewer`.
    pub fn keeps(&self, item: &AgendaItem, viewer: &Viewer) -> bool {
        let me = Some(viewer.user);
        (!self.mine || item.assignee == me || item.requester_id == me)
            && (!self.my_roles
                || (!item.owner.is_empty()
                    && viewer.roles.iter().any(|r| r.as_str() == item.owner)))
            && (!self.overdue || item.sla == Some(SlaState::Overdue))
            && (!self.due_soon || item.sla == Some(SlaState::DueSoon))
            && self.function.as_ref().is_none_or(|f| *f == item.function)
            && self.words_match(item)
    }

    fn words_match(&self, item: &AgendaItem) -> bool {
        let haystack = format!(
            "{} {} {} {} {} {} {}",
            item.title,
            item.process_name.zh,
            item.process_name.en,
            item.what.zh,
            item.what.en,
            item.department.as_deref().unwrap_or(""),
            item.case_id.map(|id| id.to_string()).unwrap_or_default(),
        )
        .to_lowercase();
        self.text
            .split_whitespace()
            .all(|w| haystack.contains(&w.to_lowercase()))
    }
}

/// A function as the calendar's legend and filter show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionChip {
    pub code: String,
    pub name: Text,
    pub accent: String,
}

/// What one view of the calendar shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalendarPage {
    pub view: CalendarView,
    /// The date navigated to; its month (or week) is the one shown.
    pub date: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub today: NaiveDate,
    pub days: Vec<DayCell>,
    /// The items shown, earliest first.
    pub items: Vec<AgendaItem>,
    /// Per day, the items passing the filters that the view leaves out (month: beyond
    /// [`MONTH_SHOWN_PER_DAY`]; agenda: beyond [`AGENDA_SHOWN_MAX`]).
    pub more: Vec<(NaiveDate, usize)>,
    /// Every item passing the filters in the range, and how many of them are overdue.
    pub total: usize,
    pub overdue: usize,
    pub functions: Vec<FunctionChip>,
    /// The instant SLA states were measured at, in the organisation's zone.
    pub as_of: String,
}

/// What the store found for a view of the calendar.
#[derive(Clone, Debug, PartialEq)]
pub enum Found {
    /// Every item in the range, unfiltered (the week and list views, and filters only the
    /// named items can answer: due soon, words).
    All(Vec<AgendaItem>),
    /// The month's sample, filtered by the store (see [`CalendarFilter::store_applies`]).
    Sample(AgendaSample),
}

/// How many deadlines and dates of one day pass the filter, and how many of those are overdue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    pub date: NaiveDate,
    pub items: usize,
    pub overdue: usize,
}

/// A month as the store samples it for the month view, which lists only the first
/// [`MONTH_SHOWN_PER_DAY`] items of a day: however many steps fall in the month, a few rows
/// per day are named, and the rest are only counted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AgendaSample {
    /// Per day, at least the first `per_day` deadlines and the first `per_day` case dates
    /// passing the filter (in [`item_order`]; rows tied with the last one included), and the
    /// same cases' other dates of those days (the companions a drag moves).
    pub sampled: Vec<AgendaItem>,
    /// Per day with any, the deadlines and case dates passing the filter.
    pub counts: Vec<DayCount>,
    /// Items the store does not sample (the recurring obligations to come): all of them,
    /// unfiltered.
    pub whole: Vec<AgendaItem>,
}

/// Lays out for `view` around `date` what the store `found`.
#[allow(clippy::too_many_arguments)]
pub fn calendar_page(
    catalog: &Catalog,
    calendar: &BusinessCalendar,
    view: CalendarView,
    date: NaiveDate,
    found: Found,
    filter: &CalendarFilter,
    viewer: &Viewer,
    now: DateTime<Utc>,
) -> CalendarPage {
    let (from, to) = view.range(date);
    let today = calendar.local_date(now);
    let (mut items, counted) = match found {
        Found::All(items) => (items, None),
        Found::Sample(sample) => {
            let mut items = sample.sampled;
            items.extend(sample.whole);
            (items, Some(sample.counts))
        }
    };
    link_companions(&mut items);
    items.retain(|i| i.date >= from && i.date <= to && filter.keeps(i, viewer));
    items.sort_by(item_order);
    // Per day: how many items pass the filter, and how many of them are overdue. A sample's
    // counts come from the store, plus the obligations it hands over whole.
    let mut per_day: std::collections::BTreeMap<NaiveDate, (usize, usize)> = Default::default();
    let mut count = |date: NaiveDate, items: usize, overdue: usize| {
        let day = per_day.entry(date).or_default();
        day.0 += items;
        day.1 += overdue;
    };
    for item in &items {
        if counted.is_none() || item.kind == ItemKind::Obligation {
            count(
                item.date,
                1,
                usize::from(item.sla == Some(SlaState::Overdue)),
            );
        }
    }
    for day in counted.iter().flatten() {
        if day.date >= from && day.date <= to {
            count(day.date, day.items, day.overdue);
        }
    }
    let total = per_day.values().map(|d| d.0).sum();
    let overdue = per_day.values().map(|d| d.1).sum();
    let mut more: Vec<(NaiveDate, usize)> = Vec::new();
    let shown: Vec<AgendaItem> = match view {
        CalendarView::Month => {
            let mut kept: Vec<AgendaItem> = Vec::new();
            let mut day: Option<(NaiveDate, usize)> = None;
            for item in items {
                let n = match day {
                    Some((d, n)) if d == item.date => n + 1,
                    _ => 1,
                };
                day = Some((item.date, n));
                if n <= MONTH_SHOWN_PER_DAY {
                    kept.push(item);
                }
            }
            let mut shown_on: std::collections::BTreeMap<NaiveDate, usize> = Default::default();
            for item in &kept {
                *shown_on.entry(item.date).or_default() += 1;
            }
            for (date, (n, _)) in &per_day {
                let shown = shown_on.get(date).copied().unwrap_or(0);
                if *n > shown {
                    more.push((*date, n - shown));
                }
            }
            kept
        }
        CalendarView::Week => items,
        CalendarView::Agenda => {
            let rest = items.split_off(items.len().min(AGENDA_SHOWN_MAX));
            for item in &rest {
                match more.last_mut() {
                    Some((d, n)) if *d == item.date => *n += 1,
                    _ => more.push((item.date, 1)),
                }
            }
            items
        }
    };
    let month = if view == CalendarView::Week {
        date
    } else {
        date.with_day(1).unwrap_or(date)
    };
    let days = day_cells(calendar, from, to, month, today);
    let days = if view == CalendarView::Week {
        days.into_iter()
            .map(|d| DayCell {
                in_month: true,
                ..d
            })
            .collect()
    } else {
        days
    };
    CalendarPage {
        view,
        date,
        from,
        to,
        today,
        days,
        items: shown,
        more,
        total,
        overdue,
        functions: catalog
            .functions
            .iter()
            .map(|f| FunctionChip {
                code: f.code.to_string(),
                name: f.name.clone(),
                accent: f.accent.clone(),
            })
            .collect(),
        as_of: super::form::instant_text(now, calendar.settings().time_zone),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::workflow::test_support::{at, calendar, catalog, form, raise_case};
    use crate::domain::workflow::views::current_instance;
    use crate::domain::workflow::{FormInput, RawValue};

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// An onboarding raised 2025-09-30 10:00: its first step is due 2025-10-11 (班) 18:00.
    fn onboarding() -> crate::domain::workflow::Case {
        raise_case(
            "onboarding",
            at("2025-09-30T10:00:00+08:00"),
            form(&[
                ("department", "业务部"),
                ("post", "专员"),
                ("post_permissions", "系统账号"),
            ]),
        )
        .case
    }

    fn row_of(case: &crate::domain::workflow::Case) -> DeadlineRow {
        let process = ProcessRef::find(catalog(), case.process.as_str()).unwrap();
        let i = current_instance(case, &process).unwrap();
        let s = &case.steps[i];
        DeadlineRow {
            case_id: 7,
            seq: i as i32 + 1,
            version: case.version,
            catalog_version: 1,
            process: case.process.to_string(),
            title: case.title.clone(),
            requester_id: case.requester.id.0,
            department: case.department.clone(),
            step: s.step.to_string(),
            owner_role: s.owner.to_string(),
            assignee: s.assignee.map(|u| u.0),
            activated_at: s.activated_at,
            due_at: s.due.unwrap().at,
            provisional: s.due.unwrap().provisional,
        }
    }

    #[test]
    fn the_month_view_runs_monday_to_sunday_over_whole_weeks() {
        // October 2025 begins on a Wednesday and ends on a Friday.
        let (from, to) = CalendarView::Month.range(d("2025-10-17"));
        assert_eq!((from, to), (d("2025-09-29"), d("2025-11-02")));
        assert_eq!(from.weekday(), Weekday::Mon);
        assert_eq!(
            CalendarView::Week.range(d("2025-10-01")),
            (d("2025-09-29"), d("2025-10-05"))
        );
        assert_eq!(
            CalendarView::Agenda.range(d("2025-02-11")),
            (d("2025-02-01"), d("2025-02-28"))
        );
        assert_eq!(
            CalendarView::Month.step(d("2025-12-31"), true),
            d("2026-01-01")
        );
        assert_eq!(
            CalendarView::Month.step(d("2025-01-15"), false),
            d("2024-12-01")
        );
        assert_eq!(
            CalendarView::Week.step(d("2025-10-01"), true),
            d("2025-10-08")
        );
    }

    #[test]
    fn days_off_and_make_up_days_are_marked_with_the_holidays_name() {
        let days = day_cells(
            calendar(),
            d("2025-09-29"),
            d("2025-11-02"),
            d("2025-10-01"),
            d("2025-10-11"),
        );
        assert_eq!(days.len(), 35);
        let day = |date: &str| days.iter().find(|c| c.date == d(date)).unwrap();
        assert_eq!(
            day("2025-10-01").mark,
            Some(DayMark::Off("国庆节、中秋节".into()))
        );
        assert!(!day("2025-10-01").working);
        assert_eq!(
            day("2025-10-11").mark,
            Some(DayMark::MakeUp("国庆节、中秋节".into()))
        );
        assert!(day("2025-10-11").working && day("2025-10-11").weekend);
        assert!(day("2025-10-11").today && !day("2025-10-10").today);
        assert_eq!(day("2025-10-18").mark, None);
        assert!(!day("2025-09-30").in_month && day("2025-10-31").in_month);
        assert_eq!(DayMark::Off("x".into()).badge(Lang::Zh), "休");
        assert_eq!(DayMark::MakeUp("x".into()).badge(Lang::Zh), "班");
    }

    #[test]
    fn a_deadline_falls_on_its_local_day_with_its_sla_state() {
        let case = onboarding();
        let row = row_of(&case);
        let item =
            deadline_item(catalog(), &row, at("2025-10-11T15:00:00+08:00"), calendar()).unwrap();
        assert_eq!(item.date, d("2025-10-11"));
        assert_eq!(item.time.as_deref(), Some("18:00"));
        assert_eq!(item.kind, ItemKind::Deadline);
        assert_eq!(item.owner_name.zh, "人事专员");
        assert_eq!(item.sla, Some(SlaState::DueSoon));
        let late =
            deadline_item(catalog(), &row, at("2025-10-13T09:00:00+08:00"), calendar()).unwrap();
        assert_eq!(late.sla, Some(SlaState::Overdue));
        assert!(late.sla_words.unwrap().zh.starts_with("已超时"));
    }

    #[test]
    fn events_are_the_dates_a_step_counts_from() {
        let case = onboarding();
        let process = catalog().process("onboarding").unwrap();
        let zone = calendar().settings().time_zone;
        let mut planned = case.clone();
        planned.values.insert(
            crate::domain::catalog::FieldCode::new("start_date"),
            FieldValue::Date(d("2025-10-20")),
        );
        let events = case_events(process, &planned, zone);
        assert_eq!(
            events,
            vec![(
                "start_date".to_string(),
                at("2025-10-20T00:00:00+08:00"),
                true
            )]
        );
        let row = EventRow {
            case_id: 3,
            version: 1,
            catalog_version: 1,
            process: "onboarding".into(),
            title: case.title.clone(),
            requester_id: 1,
            department: None,
            field: "start_date".into(),
            at: events[0].1,
            all_day: true,
        };
        let hr = crate::domain::workflow::test_support::holder("hr_specialist");
        let item = event_item(catalog(), &row, calendar(), &hr).unwrap();
        assert_eq!((item.date, item.time.clone()), (d("2025-10-20"), None));
        assert_eq!(item.key, "event-3-start_date");
        // The HR specialist records the start date: they may move it, a day at a time.
        assert!(item.movable);
        assert_eq!(
            rescheduled(&item, d("2025-10-21")),
            Some(FormInput::from([(
                "start_date".to_string(),
                RawValue::Text("2025-10-21".into())
            )]))
        );
        assert_eq!(rescheduled(&item, d("2025-10-20")), None);
        let timed = AgendaItem {
            time: Some("14:30".into()),
            ..item.clone()
        };
        assert_eq!(
            rescheduled(&timed, d("2025-10-22")),
            Some(FormInput::from([(
                "start_date".to_string(),
                RawValue::Text("2025-10-22T14:30".into())
            )]))
        );
        // The meeting's end, later that day, moves with its start.
        let start = AgendaItem {
            key: "event-3-meeting_start".into(),
            field: Some("meeting_start".into()),
            time: Some("14:00".into()),
            ..item.clone()
        };
        let end = AgendaItem {
            key: "event-3-meeting_end".into(),
            field: Some("meeting_end".into()),
            time: Some("16:00".into()),
            at: item.at + Duration::hours(2),
            ..item.clone()
        };
        let mut pair = vec![end, start];
        link_companions(&mut pair);
        assert_eq!(
            pair[1].companions,
            vec![("meeting_end".to_string(), Some("16:00".to_string()))]
        );
        assert!(pair[0].companions.is_empty());
        assert_eq!(
            rescheduled(&pair[1], d("2025-10-23")),
            Some(FormInput::from([
                (
                    "meeting_end".to_string(),
                    RawValue::Text("2025-10-23T16:00".into())
                ),
                (
                    "meeting_start".to_string(),
                    RawValue::Text("2025-10-23T14:00".into())
                ),
            ]))
        );
        // Someone else does not; a deadline never moves.
        let other = crate::domain::workflow::test_support::holder("document_clerk");
        let fixed = event_item(catalog(), &row, calendar(), &other).unwrap();
        assert!(!fixed.movable);
        assert_eq!(rescheduled(&fixed, d("2025-10-21")), None);
        // A start date before the request was raised is a record, not a plan.
        planned.values.insert(
            crate::domain::catalog::FieldCode::new("start_date"),
            FieldValue::Date(d("2025-09-29")),
        );
        assert!(case_events(process, &planned, zone).is_empty());
        // When a document was received is what the case records: no event.
        let received = raise_case(
            "incoming_document",
            at("2025-09-30T10:30:00+08:00"),
            form(&[
                ("received_at", "2025-09-30T10:00"),
                ("issuer", "甲"),
                ("title", "乙"),
            ]),
        )
        .case;
        let documents = catalog().process("incoming_document").unwrap();
        assert!(case_events(documents, &received, zone).is_empty());
    }

    #[test]
    fn obligations_to_come_show_their_first_deadline_and_raised_ones_do_not() {
        let now = at("2025-10-15T10:00:00+08:00");
        let from = day_start(chrono_tz::Asia::Shanghai, d("2025-10-27"));
        let to = day_start(chrono_tz::Asia::Shanghai, d("2025-12-08"));
        let items = obligation_items(catalog(), 1, calendar(), (from, to), now, |_| true);
        assert!(!items.is_empty());
        for item in &items {
            assert!(item.at >= from && item.at < to, "{item:?}");
            assert_eq!(item.kind, ItemKind::Obligation);
            assert!(item.key.starts_with("obligation-"));
        }
        // The periods under way (October) were raised: none is listed again.
        assert!(items.iter().all(|i| !i.key.ends_with("2025-10")));
        // Every monthly obligation comes back in November.
        let monthly = catalog()
            .processes
            .iter()
            .filter(|p| {
                matches!(
                    p.trigger,
                    Trigger::Recurring(crate::domain::rules::Schedule::Monthly)
                )
            })
            .count();
        let november = items.iter().filter(|i| i.key.ends_with("2025-11")).count();
        assert_eq!(november, monthly);
        // The attendance report is due by the 5th; a duty with no time limit of its own
        // shows as a whole day when its period begins.
        let report = items
            .iter()
            .find(|i| i.key == "obligation-attendance_monthly_report-2025-11")
            .unwrap();
        assert_eq!(
            (report.date, report.time.as_deref()),
            (d("2025-11-05"), Some("18:00"))
        );
        let transfer = items
            .iter()
            .find(|i| i.key == "obligation-monthly_archive_transfer-2025-11")
            .unwrap();
        assert_eq!(
            (transfer.date, transfer.time.as_deref()),
            (d("2025-11-01"), None)
        );
    }

    #[test]
    fn the_month_view_keeps_three_a_day_and_counts_the_rest() {
        let case = onboarding();
        let now = at("2025-10-09T09:00:00+08:00");
        let base = deadline_item(catalog(), &row_of(&case), now, calendar()).unwrap();
        let items: Vec<AgendaItem> = (0..5)
            .map(|n| AgendaItem {
                key: format!("step-{n}-1"),
                case_id: Some(n),
                requester_id: Some(if n == 0 { 42 } else { 1 }),
                ..base.clone()
            })
            .collect();
        let viewer = Viewer {
            user: 42,
            roles: Vec::new(),
        };
        let all = CalendarFilter::default();
        let page = calendar_page(
            catalog(),
            calendar(),
            CalendarView::Month,
            d("2025-10-01"),
            Found::All(items.clone()),
            &all,
            &viewer,
            now,
        );
        assert_eq!(page.items.len(), MONTH_SHOWN_PER_DAY);
        assert_eq!(page.more, vec![(d("2025-10-11"), 2)]);
        assert_eq!(page.total, 5);
        assert_eq!(page.days.len(), 35);
        assert_eq!(page.today, d("2025-10-09"));
        let week = calendar_page(
            catalog(),
            calendar(),
            CalendarView::Week,
            d("2025-10-08"),
            Found::All(items.clone()),
            &all,
            &viewer,
            now,
        );
        assert_eq!(week.items.len(), 5);
        assert!(week.more.is_empty());
        let mine = CalendarFilter::from_pairs([("mine", "1")]);
        let page = calendar_page(
            catalog(),
            calendar(),
            CalendarView::Agenda,
            d("2025-10-01"),
            Found::All(items),
            &mine,
            &viewer,
            now,
        );
        assert_eq!(page.items.len(), 1);
        assert_eq!(page.items[0].case_id, Some(0));
    }

    #[test]
    fn a_sampled_month_lays_out_as_the_whole_month_does() {
        let case = onboarding();
        // Twelve deadlines on one day, at four instants, of cases 1..=12: case 10 sorts after
        // case 9 at one instant (by id, as the store ranks them, not by key text).
        let now = at("2025-10-20T09:00:00+08:00");
        let base = deadline_item(catalog(), &row_of(&case), now, calendar()).unwrap();
        let deadlines: Vec<AgendaItem> = (1..=12)
            .map(|n: i64| AgendaItem {
                key: format!("step-{n}-1"),
                case_id: Some(n),
                at: base.at + Duration::hours((12 - n) % 4),
                ..base.clone()
            })
            .collect();
        let mut sorted = deadlines.clone();
        sorted.sort_by(item_order);
        assert_eq!(
            sorted
                .iter()
                .map(|i| i.case_id.unwrap())
                .take(4)
                .collect::<Vec<_>>(),
            vec![4, 8, 12, 3]
        );
        let obligations = obligation_items(
            catalog(),
            1,
            calendar(),
            (
                day_start(chrono_tz::Asia::Shanghai, d("2025-09-29")),
                day_start(chrono_tz::Asia::Shanghai, d("2025-11-03")),
            ),
            now,
            |_| true,
        );
        assert!(!obligations.is_empty());
        let viewer = Viewer {
            user: 42,
            roles: Vec::new(),
        };
        let filter = CalendarFilter::default();
        let layout = |found: Found| {
            calendar_page(
                catalog(),
                calendar(),
                CalendarView::Month,
                d("2025-10-01"),
                found,
                &filter,
                &viewer,
                now,
            )
        };
        let mut all = deadlines.clone();
        all.extend(obligations.clone());
        let whole = layout(Found::All(all));
        // The store's sample: the first three of the day and the one tied with the third
        // (same instant and case would be; here a later case at the same instant is not).
        let sample = AgendaSample {
            sampled: sorted[..3].to_vec(),
            counts: vec![DayCount {
                date: base.date,
                items: 12,
                overdue: 12,
            }],
            whole: obligations,
        };
        let sampled = layout(Found::Sample(sample));
        assert_eq!(sampled, whole);
        assert_eq!(whole.overdue, 12);
        assert!(whole.total > 12);
        assert!(whole.more.contains(&(base.date, 9)));
    }

    #[test]
    fn dates_are_read_as_a_day_or_a_month() {
        assert_eq!(parse_calendar_date("2025-10-11"), Ok(d("2025-10-11")));
        assert_eq!(parse_calendar_date(" 2025-10 "), Ok(d("2025-10-01")));
        for bad in ["2025-13", "2025-02-30", "1999-12-31", "十月", ""] {
            assert_eq!(parse_calendar_date(bad).unwrap_err().field, "date", "{bad}");
        }
    }

    #[test]
    fn filters_round_trip_through_the_address() {
        let filter = CalendarFilter::from_pairs([
            ("fn", "meetings"),
            ("overdue", "1"),
            ("q", " 周会 "),
            ("view", "week"),
        ]);
        assert_eq!(filter.function.as_deref(), Some("meetings"));
        assert!(filter.overdue && !filter.mine);
        assert_eq!(
            filter.to_pairs(),
            vec![
                ("overdue", "1".to_string()),
                ("fn", "meetings".to_string()),
                ("q", "周会".to_string())
            ]
        );
        assert!(CalendarFilter::from_pairs([]).is_default());
    }
}
