//! Raising a request from a board: the forms a function offers, and what the requester sees
//! while filling one in: the step the case would start at, whose it would be and when it
//! would be due. The preview runs the very rules the server applies at raise ([`open_case`]),
//! on the same working-day calendar, so the browser shows what the server will record.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::activation::is_anomaly_step;
use super::audit::AuditKind;
use super::context::Context;
use super::form::{FormInput, FormValues};
use super::form_parse::parse_value;
use super::ids::Actor;
use super::raise::open_case;
use crate::domain::calendar::admin::SettingsOverview;
use crate::domain::calendar::{BusinessCalendar, DayOverride, DayReason, Due};
use crate::domain::catalog::{wording, Anchor, Catalog, Process, Role, Trigger};
use crate::domain::lang::Text;

/// What the browser needs to raise a case in one function: the processes someone raises
/// (scheduled ones raise themselves), the roles their steps name, the departments to pick
/// from, and the working-day calendar to preview deadlines on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RaiseForms {
    pub function: String,
    pub catalog_version: u32,
    pub processes: Vec<Process>,
    pub roles: Vec<Role>,
    /// The departments people belong to, sorted.
    pub departments: Vec<String>,
    /// The requester's own department, the form's default.
    pub my_department: Option<String>,
    pub settings: SettingsOverview,
    pub overrides: Vec<DayOverride>,
}

/// Whether cases of `process` are raised by someone (not by the scheduler).
pub fn is_raisable(process: &Process) -> bool {
    !matches!(process.trigger, Trigger::Recurring(_))
}

impl RaiseForms {
    /// The forms of `function` in `catalog` (`None` for an unknown function). Departments,
    /// the requester's department and the calendar are left empty for the caller to fill.
    pub fn of(
        catalog: &Catalog,
        catalog_version: u32,
        function: &str,
        settings: SettingsOverview,
        overrides: Vec<DayOverride>,
    ) -> Option<RaiseForms> {
        catalog.function(function)?;
        Some(RaiseForms {
            function: function.to_string(),
            catalog_version,
            processes: catalog
                .processes_of(function)
                .filter(|p| is_raisable(p))
                .cloned()
                .collect(),
            roles: catalog.roles.clone(),
            departments: Vec::new(),
            my_department: None,
            settings,
            overrides,
        })
    }

    /// A catalog holding just these processes and roles: enough for a [`Context`].
    pub fn catalog(&self) -> Catalog {
        Catalog {
            functions: Vec::new(),
            roles: self.roles.clone(),
            ledgers: Vec::new(),
            outputs: Vec::new(),
            processes: self.processes.clone(),
        }
    }

    /// The organisation's calendar, rebuilt from its settings and overrides (`None` if the
    /// settings name an unknown time zone).
    pub fn calendar(&self) -> Option<BusinessCalendar> {
        let settings = self.settings.to_settings()?;
        BusinessCalendar::new(settings, self.overrides.clone()).ok()
    }
}

/// A run of days off with one name (国庆节、中秋节 from 10-01 to 10-08).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaysOff {
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Where a case raised now with a given form would start.
#[derive(Clone, Debug, PartialEq)]
pub struct FirstStep {
    /// 1-based, as the handbook numbers steps.
    pub number: usize,
    pub name: Text,
    pub owner: Text,
    /// The standard's time limit in words ("3个工作日内").
    pub rule: Text,
    /// What the limit counts from ("自提报起", "以「收文时间」为准").
    pub anchor: Text,
    pub due: Option<Due>,
    /// The empty field the deadline counts from: the due time is known once it is filled.
    pub waiting_for: Option<Text>,
    /// Steps passed over because their condition does not hold for this form.
    pub skipped: Vec<Text>,
    /// Named days off the count goes over, and make-up working days it counts.
    pub days_off: Vec<DaysOff>,
    pub make_up_days: Vec<(NaiveDate, String)>,
}

/// The values of `input` that parse; the others are left out (the preview follows the form
/// as it is being typed, the server checks it whole at submit).
pub fn lenient_values(ctx: &Context, input: &FormInput) -> FormValues {
    let zone = ctx.calendar.settings().time_zone;
    let process = ctx.process();
    input
        .iter()
        .filter_map(|(code, raw)| {
            let field = process.field(code)?;
            let value = parse_value(field, raw, zone).ok()??;
            Some((field.code.clone(), value))
        })
        .collect()
}

/// The step a case raised at `ctx.now` by `by` with `input` starts at, whose it is and when
/// it is due. `None` when no step would apply (every condition fails).
pub fn first_step(ctx: &Context, by: &Actor, input: &FormInput) -> Option<FirstStep> {
    let values = lenient_values(ctx, input);
    let outcome = open_case(ctx, by, 0, String::from("preview"), None, values);
    let process = ctx.process();
    let instance = outcome
        .case
        .steps
        .iter()
        .find(|s| s.completed_at.is_none())?;
    let step = process.step(instance.step.as_str())?;
    let skipped = outcome
        .audit
        .iter()
        .filter(|e| e.kind == AuditKind::Skipped)
        .filter_map(|e| e.step.as_ref())
        .filter_map(|code| process.step(code.as_str()))
        .filter(|s| !is_anomaly_step(s))
        .map(|s| s.name.clone())
        .collect();
    let waiting_for = match (&instance.due, &step.anchor) {
        (None, Anchor::Field(code)) if step.deadline.is_some() => {
            process.field(code.as_str()).map(|f| f.label.clone())
        }
        _ => None,
    };
    let (days_off, make_up_days) = match &instance.due {
        Some(due) => special_days(ctx.calendar, ctx.now, due.at),
        None => (Vec::new(), Vec::new()),
    };
    Some(FirstStep {
        number: process.step_number(step.code.as_str()).unwrap_or(1),
        name: step.name.clone(),
        owner: ctx.process.role_name(&step.owner),
        rule: wording::step_deadline(step),
        anchor: wording::anchor(process, &step.anchor),
        due: instance.due,
        waiting_for,
        skipped,
        days_off,
        make_up_days,
    })
}

/// The named days off and the make-up working days between two instants (either order),
/// the days off grouped into runs of one name. At most a year is looked at.
pub fn special_days(
    calendar: &BusinessCalendar,
    a: DateTime<Utc>,
    b: DateTime<Utc>,
) -> (Vec<DaysOff>, Vec<(NaiveDate, String)>) {
    let (from, to) = (calendar.local_date(a.min(b)), calendar.local_date(a.max(b)));
    let to = to.min(from + Duration::days(366));
    let (mut off, mut make_up): (Vec<DaysOff>, Vec<(NaiveDate, String)>) = (Vec::new(), Vec::new());
    let mut day = from;
    while day <= to {
        match calendar.day_info(day).reason {
            DayReason::Holiday(name) => match off.last_mut() {
                Some(run) if run.name == name && run.to + Duration::days(1) == day => run.to = day,
                _ => off.push(DaysOff {
                    name,
                    from: day,
                    to: day,
                }),
            },
            DayReason::MakeUpDay(name) => make_up.push((day, name)),
            DayReason::Weekday | DayReason::Weekend => {}
        }
        let Some(next) = day.succ_opt() else { break };
        day = next;
    }
    (off, make_up)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::workflow::test_support::*;
    use crate::domain::workflow::{CaseStatus, ProcessRef};

    fn forms() -> RaiseForms {
        let calendar = calendar();
        RaiseForms::of(
            catalog(),
            1,
            "it",
            SettingsOverview::from(calendar.settings()),
            Vec::new(),
        )
        .expect("the it function")
    }

    #[test]
    fn a_function_offers_the_processes_people_raise_not_the_scheduled_ones() {
        let codes: Vec<String> = forms()
            .processes
            .iter()
            .map(|p| p.code.to_string())
            .collect();
        assert_eq!(codes, ["system_project", "it_incident", "it_help_desk"]);
        assert!(RaiseForms::of(
            catalog(),
            1,
            "no_such_function",
            SettingsOverview::from(calendar().settings()),
            Vec::new()
        )
        .is_none());
    }

    #[test]
    fn the_rebuilt_catalog_and_calendar_give_the_servers_deadline() {
        let forms = forms();
        let catalog = forms.catalog();
        let calendar = forms.calendar().expect("a valid zone");
        let now = at("2025-09-30T10:00:00+08:00");
        let here = Context::new(
            ProcessRef::find(&catalog, "system_project").expect("process"),
            &calendar,
            now,
        );
        let preview = first_step(
            &here,
            &requester(),
            &sample_form(process("system_project"), now, false),
        )
        .expect("a first step");
        let raised = raise_case(
            "system_project",
            now,
            sample_form(process("system_project"), now, false),
        );
        let active = raised.case.steps.last().expect("activated");
        assert_eq!(preview.due, active.due);
        assert_eq!(preview.name, process("system_project").steps[0].name);
    }

    #[test]
    fn a_deadline_over_national_day_names_the_holiday_and_the_make_up_day() {
        let now = at("2025-09-30T10:00:00+08:00");
        let preview = first_step(
            &ctx("onboarding", now),
            &requester(),
            &sample_form(process("onboarding"), now, false),
        )
        .expect("a first step");
        assert_eq!(preview.number, 1);
        assert_eq!(preview.rule.zh, "3个工作日内");
        let due = preview.due.expect("due");
        // 09-30 is day 0; 10-01..08 are off; 10-09, 10-10 and the make-up Saturday 10-11 count.
        assert_eq!(due.at, at("2025-10-11T18:00:00+08:00"));
        assert_eq!(
            preview.days_off,
            vec![DaysOff {
                name: "国庆节、中秋节".into(),
                from: NaiveDate::from_ymd_opt(2025, 10, 1).unwrap(),
                to: NaiveDate::from_ymd_opt(2025, 10, 8).unwrap(),
            }]
        );
        assert_eq!(
            preview.make_up_days,
            vec![(
                NaiveDate::from_ymd_opt(2025, 10, 11).unwrap(),
                "国庆节、中秋节".into()
            )]
        );
    }

    #[test]
    fn a_deadline_counted_from_a_field_waits_for_it_then_follows_it() {
        let now = at("2025-09-30T10:00:00+08:00");
        let ctx = ctx("incoming_document", now);
        let empty = first_step(&ctx, &requester(), &FormInput::new()).expect("a first step");
        assert_eq!(empty.due, None);
        assert_eq!(
            empty.waiting_for,
            Some(process("incoming_document").fields[0].label.clone())
        );
        let given = first_step(
            &ctx,
            &requester(),
            &form(&[("received_at", "2025-09-29T15:00")]),
        )
        .expect("a first step");
        assert_eq!(given.waiting_for, None);
        assert_eq!(given.due.expect("due").at, at("2025-09-29T18:00:00+08:00"));
    }

    #[test]
    fn a_condition_on_the_form_changes_the_first_step_and_a_bad_value_is_left_out() {
        let now = at("2025-09-30T10:00:00+08:00");
        let ctx = ctx("it_incident", now);
        let steps = &process("it_incident").steps;
        let ordinary =
            first_step(&ctx, &requester(), &form(&[("severity", "一般")])).expect("a first step");
        assert_eq!(ordinary.name, steps[0].name);
        assert!(ordinary.skipped.is_empty());
        let major =
            first_step(&ctx, &requester(), &form(&[("severity", "重大")])).expect("a first step");
        assert_ne!(major.name, steps[0].name);
        assert_eq!(major.skipped, vec![steps[0].name.clone()]);
        // An unparsable instant is ignored rather than refused: the preview waits for it.
        let typing = first_step(&ctx, &requester(), &form(&[("reported_at", "2025-09-3")]))
            .expect("a first step");
        assert_eq!(typing.due, None);
        assert!(typing.waiting_for.is_some());
    }

    #[test]
    fn every_raisable_process_previews_the_step_raise_activates() {
        let now = at("2026-02-13T17:30:00+08:00");
        for process in catalog().processes.iter().filter(|p| is_raisable(p)) {
            let input = sample_form(process, now, false);
            let preview = first_step(&ctx(process.code.as_str(), now), &requester(), &input)
                .unwrap_or_else(|| panic!("{}: no first step", process.code));
            let raised = raise_case(process.code.as_str(), now, input);
            assert_eq!(raised.case.status, CaseStatus::Open, "{}", process.code);
            let active = raised
                .case
                .steps
                .iter()
                .find(|s| s.completed_at.is_none())
                .expect("an active step");
            let step = process.step(active.step.as_str()).expect("step");
            assert_eq!(preview.name, step.name, "{}", process.code);
            assert_eq!(preview.due, active.due, "{}", process.code);
        }
    }
}
