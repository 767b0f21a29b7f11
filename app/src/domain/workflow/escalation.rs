//! Escalations: a step past its deadline, or an anomaly flagged on it, is raised to the role
//! the catalog names, to be dealt with within the catalog's time. Each escalation has a stable
//! key (`{step}:overdue:{round}`, `{step}:anomaly:{number}`) and is recorded once.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::audit::AuditKind;
use super::case::{Case, EscalationRecord};
use super::context::Context;
use super::guards::open;
use super::ids::Actor;
use super::outcome::{Change, Outcome};
use super::refusal::{reason, Refusal};
use crate::domain::calendar::BusinessCalendar;
use crate::domain::catalog::{Escalation, EscalationOn, Process, RoleCode, Step, StepCode};
use crate::domain::lang::Text;
use crate::domain::rules::DeadlineRule;

/// An escalation whose time has come and that is not recorded yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationDue {
    /// Unique within the case: `{step}:{on}:{n}`.
    pub key: String,
    pub step: StepCode,
    pub on: EscalationOn,
    pub to: RoleCode,
    /// The step's round (overdue) or the anomaly's number.
    pub level: u32,
    /// When it arose: the step's deadline passing, or the anomaly being flagged.
    pub triggered_at: DateTime<Utc>,
    /// By when the escalated role must have it (the catalog's `within`, from `triggered_at`).
    pub due_at: DateTime<Utc>,
}

impl EscalationDue {
    fn record(&self, recorded_at: DateTime<Utc>) -> EscalationRecord {
        EscalationRecord {
            key: self.key.clone(),
            step: self.step.clone(),
            on: self.on,
            to: self.to.clone(),
            level: self.level,
            triggered_at: self.triggered_at,
            due_at: self.due_at,
            recorded_at,
        }
    }
}

fn on_code(on: EscalationOn) -> &'static str {
    match on {
        EscalationOn::Overdue => "overdue",
        EscalationOn::AnomalyFlagged => "anomaly",
    }
}

/// The role an overdue step goes to when the catalog names no escalation for it: the office
/// director, who "oversees the whole office" (办公室主任统筹全局). The standard names an
/// escalation only for anomalies in coordination; PRODUCT.md asks that every overdue step
/// reach someone, so a step past its deadline goes to the director, to be dealt with within
/// [`DEFAULT_OVERDUE_WITHIN`]. Steps the director owns have no default (nobody is above).
pub const DEFAULT_OVERDUE_TO: &str = "director";
/// How long the director has to deal with a default overdue escalation.
pub const DEFAULT_OVERDUE_WITHIN: DeadlineRule = DeadlineRule::WorkingDays(1);

/// The escalations that apply to a step: the catalog's, and the default overdue escalation
/// when the step has a deadline and the catalog names none on overdue for it.
pub fn escalations_of(step: &Step) -> Vec<Escalation> {
    let mut out = step.escalations.clone();
    let has_overdue = out.iter().any(|e| e.on == EscalationOn::Overdue);
    if !has_overdue && step.deadline.is_some() && step.owner != DEFAULT_OVERDUE_TO {
        out.push(Escalation {
            to: RoleCode::new(DEFAULT_OVERDUE_TO),
            within: DEFAULT_OVERDUE_WITHIN,
            on: EscalationOn::Overdue,
        });
    }
    out
}

/// Every escalation of the case (open cases only) arisen by `now` and not yet recorded.
pub fn escalations_due(
    case: &Case,
    process: &Process,
    now: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> Vec<EscalationDue> {
    if !case.is_open() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for step in &process.steps {
        for esc in &escalations_of(step) {
            for (level, at) in triggers(case, step, esc.on) {
                let key = format!("{}:{}:{level}", step.code, on_code(esc.on));
                if at <= now && !case.escalations.iter().any(|r| r.key == key) {
                    out.push(due(step, esc, key, level, at, calendar));
                }
            }
        }
    }
    out.sort_by(|a, b| a.triggered_at.cmp(&b.triggered_at).then(a.key.cmp(&b.key)));
    out
}

fn due(
    step: &Step,
    esc: &Escalation,
    key: String,
    level: u32,
    at: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> EscalationDue {
    EscalationDue {
        key,
        step: step.code.clone(),
        on: esc.on,
        to: esc.to.clone(),
        level,
        triggered_at: at,
        due_at: calendar.due(&esc.within, at).at,
    }
}

/// The earliest instant at which an escalation of the case not yet recorded arises (past or
/// future), so storage can find the cases a scheduler must look at with one indexed query.
/// `None` when nothing can escalate (closed case, no escalation pending).
pub fn next_escalation_at(case: &Case, process: &Process) -> Option<DateTime<Utc>> {
    if !case.is_open() {
        return None;
    }
    process
        .steps
        .iter()
        .flat_map(|step| {
            escalations_of(step).into_iter().flat_map(move |esc| {
                triggers(case, step, esc.on)
                    .into_iter()
                    .filter(move |(level, _)| {
                        let key = format!("{}:{}:{level}", step.code, on_code(esc.on));
                        !case.escalations.iter().any(|r| r.key == key)
                    })
                    .map(|(_, at)| at)
            })
        })
        .min()
}

/// The (level, instant) of each occasion: the deadline of each instance still under way, or
/// each anomaly flagged while the step was under way.
fn triggers(case: &Case, step: &Step, on: EscalationOn) -> Vec<(u32, DateTime<Utc>)> {
    match on {
        EscalationOn::Overdue => case
            .active()
            .filter(|(_, s)| s.step == step.code)
            .filter_map(|(_, s)| Some((s.round, s.due?.at)))
            .collect(),
        EscalationOn::AnomalyFlagged => case
            .anomalies
            .iter()
            .filter(|a| a.step.as_ref() == Some(&step.code))
            .map(|a| (a.number, a.at))
            .collect(),
    }
}

/// Records every escalation due at `ctx.now` (normally by the scheduler, as the system).
pub fn record_escalations(
    ctx: &Context,
    case: &Case,
    by: &Actor,
    expected_version: i64,
) -> Result<Outcome, Refusal> {
    open(ctx, case, expected_version)?;
    let due = escalations_due(case, ctx.process(), ctx.now, ctx.calendar);
    if due.is_empty() {
        return Err(Refusal::unmet(vec![reason(
            "escalation",
            "nothing_to_escalate",
            Text::new("没有到期的升级事项。", "No escalation is due."),
        )]));
    }
    let mut ch = Change::new(case.clone(), ctx, by);
    for d in due {
        let record = d.record(ctx.now);
        ch.log(
            AuditKind::Escalated,
            Some(&d.step),
            json!({ "key": d.key, "to": d.to, "level": d.level, "due_at": d.due_at }),
        );
        ch.case.escalations.push(record.clone());
        ch.escalations.push(record);
    }
    Ok(ch.finish())
}
