//! "Needs me now": what a person has to do across the open cases, overdue first. A step under
//! way that is theirs (assigned to them, or unassigned and owned by a role they hold), an
//! approval their role still owes, an escalation to their role while its step is under way,
//! and a repetition of an in-case repeat their role owes.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::case::{Case, Verdict};
use super::conditions::evaluate;
use super::context::ProcessRef;
use super::form::instant_text;
use super::ids::Actor;
use super::repeats::repeats_outstanding;
use crate::domain::calendar::{BusinessCalendar, Measure, SlaState};
use crate::domain::catalog::{Approval, EscalationOn, RoleCode, StepCode};
use crate::domain::lang::Text;

/// Why an item is in the inbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InboxKind {
    /// A step to do.
    Step,
    /// An approval to give.
    Approval,
    /// An escalation to deal with.
    Escalation,
    /// A repetition to do (a progress report every 4 hours …).
    Repeat,
}

/// One thing to do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InboxItem {
    pub kind: InboxKind,
    pub case_id: i64,
    pub case_version: i64,
    pub case_title: String,
    pub function: String,
    pub process: String,
    pub process_name: Text,
    pub step: Option<StepCode>,
    /// What to do: the step's name, the repetition's name, the escalation's reason.
    pub what: Text,
    /// The role the item is addressed to.
    pub role: RoleCode,
    pub role_name: Text,
    pub due: Option<DateTime<Utc>>,
    /// `due` as RFC 3339 in the organisation's zone.
    pub due_at: Option<String>,
    pub sla: Option<SlaState>,
    /// The escalation's or the repetition's key, the step's code otherwise.
    pub key: String,
}

/// How much is waiting: every item, and how many of them are overdue (the top bar's count).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxCount {
    pub total: usize,
    pub overdue: usize,
}

impl InboxCount {
    pub fn of(items: &[InboxItem]) -> InboxCount {
        InboxCount {
            total: items.len(),
            overdue: items
                .iter()
                .filter(|i| i.sla == Some(SlaState::Overdue))
                .count(),
        }
    }
}

/// The inbox of `me` at `now` over `cases`: overdue first, then due soon, then on time, each
/// by due instant (items without a deadline last), then by case.
pub fn inbox(
    cases: &[(&Case, ProcessRef)],
    me: &Actor,
    now: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> Vec<InboxItem> {
    let zone = calendar.settings().time_zone;
    let mut out = Vec::new();
    for (case, process) in cases {
        if case.is_open() {
            collect(case, process, me, now, calendar, zone, &mut out);
        }
    }
    out.sort_by_key(|i| {
        let rank = match i.sla {
            Some(SlaState::Overdue) => 0,
            Some(SlaState::DueSoon) => 1,
            Some(SlaState::OnTime) => 2,
            None => 3,
        };
        (rank, i.due.unwrap_or(DateTime::<Utc>::MAX_UTC), i.case_id)
    });
    out
}

struct Item<'a> {
    kind: InboxKind,
    step: Option<StepCode>,
    what: Text,
    role: &'a RoleCode,
    due: Option<DateTime<Utc>>,
    sla: Option<SlaState>,
    key: String,
}

fn collect(
    case: &Case,
    process: &ProcessRef,
    me: &Actor,
    now: DateTime<Utc>,
    calendar: &BusinessCalendar,
    zone: Tz,
    out: &mut Vec<InboxItem>,
) {
    let mut items: Vec<Item> = Vec::new();
    for (_, inst) in case.active() {
        let Some(def) = process.process.step(inst.step.as_str()) else {
            continue;
        };
        let measure = def
            .deadline
            .as_ref()
            .map_or(Measure::WorkingTime, Measure::of_rule);
        let sla = inst.due.map(|d| {
            calendar
                .sla_measured(measure, inst.activated_at, d.at, now)
                .state
        });
        let mine = match inst.assignee {
            Some(user) => user == me.user,
            None => me.has_role(&inst.owner),
        };
        if mine {
            items.push(Item {
                kind: InboxKind::Step,
                step: Some(inst.step.clone()),
                what: def.name.clone(),
                role: &inst.owner,
                due: inst.due.map(|d| d.at),
                sla,
                key: inst.step.to_string(),
            });
        }
        for approval in &def.approvals {
            if let Approval::Conditional { when, .. } = approval {
                if !evaluate(Some(when), process.process, &case.values).holds() {
                    continue;
                }
            }
            for role in approval.roles() {
                if me.has_role(role) && inst.verdict_of(role) != Some(Verdict::Approve) {
                    items.push(Item {
                        kind: InboxKind::Approval,
                        step: Some(inst.step.clone()),
                        what: Text::new(
                            format!("审批:{}", def.name.zh),
                            format!("Approve: {}", def.name.en),
                        ),
                        role,
                        due: inst.due.map(|d| d.at),
                        sla,
                        key: format!("{}:approval:{role}", inst.step),
                    });
                }
            }
        }
    }
    for esc in &case.escalations {
        if !me.has_role(&esc.to) || case.active_instance(&esc.step).is_none() {
            continue;
        }
        let step_name = process
            .process
            .step(esc.step.as_str())
            .map(|s| s.name.clone())
            .unwrap_or_else(|| Text::new(esc.step.as_str(), esc.step.as_str()));
        let what = match esc.on {
            EscalationOn::Overdue => Text::new(
                format!("超时升级:{}", step_name.zh),
                format!("Escalated, overdue: {}", step_name.en),
            ),
            EscalationOn::AnomalyFlagged => Text::new(
                format!("异常升级:{}", step_name.zh),
                format!("Escalated, anomaly: {}", step_name.en),
            ),
        };
        items.push(Item {
            kind: InboxKind::Escalation,
            step: Some(esc.step.clone()),
            what,
            role: &esc.to,
            due: Some(esc.due_at),
            sla: Some(calendar.sla(esc.triggered_at, esc.due_at, now).state),
            key: esc.key.clone(),
        });
    }
    let repeats = repeats_outstanding(case, process.process, now, calendar);
    for r in &repeats {
        let Some(def) = process.process.repeats.iter().find(|d| d.code == r.repeat) else {
            continue;
        };
        if !me.has_role(&def.owner) {
            continue;
        }
        let measure = match def.every {
            crate::domain::rules::Repeat::EveryHours(_) => Measure::ClockTime,
            _ => Measure::WorkingTime,
        };
        let since = r.due_at - chrono::Duration::hours(4);
        items.push(Item {
            kind: InboxKind::Repeat,
            step: r.step.clone(),
            what: r.name.clone(),
            role: &def.owner,
            due: Some(r.due_at),
            sla: Some(
                calendar
                    .sla_measured(measure, since.max(case.created_at), r.due_at, now)
                    .state,
            ),
            key: r.key.clone(),
        });
    }
    for item in items {
        out.push(InboxItem {
            kind: item.kind,
            case_id: case.id.0,
            case_version: case.version,
            case_title: case.title.clone(),
            function: process.process.function.to_string(),
            process: process.process.code.to_string(),
            process_name: process.process.name.clone(),
            step: item.step,
            what: item.what,
            role: item.role.clone(),
            role_name: process.role_name(item.role),
            due: item.due,
            due_at: item.due.map(|t| instant_text(t, zone)),
            sla: item.sla,
            key: item.key,
        });
    }
}
