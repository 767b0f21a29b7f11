//! Obligations repeating on an open case (the incident's progress report every 4 hours, the
//! daily follow-up while tracking), as due items with stable keys.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::audit::AuditKind;
use super::case::{Case, RepeatDone};
use super::conditions::evaluate;
use super::context::Context;
use super::form_validate::parse_free_text;
use super::guards::open;
use super::ids::Actor;
use super::outcome::{Change, Outcome};
use super::refusal::{reason, Refusal};
use super::step_work::OUTPUT_TEXT_MAX;
use crate::domain::calendar::BusinessCalendar;
use crate::domain::catalog::{CaseRepeat, OutputCode, Process, RepeatCode, RoleCode, StepCode};
use crate::domain::lang::Text;

/// One repetition falling due.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepeatItem {
    /// Unique within the case: `{repeat}:{round}:{due_at}` (round 0 when the repeat runs for
    /// the whole case, else the round of the step it runs during).
    pub key: String,
    pub repeat: RepeatCode,
    pub name: Text,
    pub owner: RoleCode,
    pub step: Option<StepCode>,
    pub output: Option<OutputCode>,
    pub due_at: DateTime<Utc>,
}

/// The repetitions due in `(from, to]`, oldest first. A repeat runs while its step is under
/// way (or while the case is open), from the step's activation (or the case's creation), and
/// only when its condition holds on the case's values.
pub fn repeats_due(
    case: &Case,
    process: &Process,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> Vec<RepeatItem> {
    let mut out = Vec::new();
    for repeat in &process.repeats {
        if !evaluate(repeat.when.as_ref(), process, &case.values).holds() {
            continue;
        }
        for (round, start, end) in windows(case, repeat) {
            let (lo, hi) = (from.max(start), end.map_or(to, |e| e.min(to)));
            if lo >= hi {
                continue;
            }
            for at in calendar.repeats_between(&repeat.every, start, lo, hi) {
                out.push(item(repeat, round, at));
            }
        }
    }
    out.sort_by(|a, b| a.due_at.cmp(&b.due_at).then(a.key.cmp(&b.key)));
    out
}

/// The (round, start, end) spans the repeat runs in; `end = None` while still running.
fn windows(case: &Case, repeat: &CaseRepeat) -> Vec<(u32, DateTime<Utc>, Option<DateTime<Utc>>)> {
    match &repeat.during {
        None => vec![(0, case.created_at, case.closed_at)],
        Some(step) => case
            .steps
            .iter()
            .filter(|s| s.step == *step && s.outcome != Some(super::case::StepOutcome::Skipped))
            .map(|s| (s.round, s.activated_at, s.completed_at.or(case.closed_at)))
            .collect(),
    }
}

fn item(repeat: &CaseRepeat, round: u32, at: DateTime<Utc>) -> RepeatItem {
    RepeatItem {
        key: format!(
            "{}:{round}:{}",
            repeat.code,
            at.to_rfc3339_opts(SecondsFormat::Secs, true)
        ),
        repeat: repeat.code.clone(),
        name: repeat.name.clone(),
        owner: repeat.owner.clone(),
        step: repeat.during.clone(),
        output: repeat.output.clone(),
        due_at: at,
    }
}

/// The repetitions of an open case still to do at `now`: every one fallen due and not done
/// (oldest first), then the next one coming of each repeat still running. A closed case has
/// none.
pub fn repeats_outstanding(
    case: &Case,
    process: &Process,
    now: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> Vec<RepeatItem> {
    if !case.is_open() {
        return Vec::new();
    }
    let done = |key: &str| case.repeats_done.iter().any(|d| d.key == key);
    let opened = case.created_at - chrono::Duration::seconds(1);
    let mut out: Vec<RepeatItem> = repeats_due(case, process, opened, now, calendar)
        .into_iter()
        .filter(|item| !done(&item.key))
        .collect();
    for repeat in &process.repeats {
        if !evaluate(repeat.when.as_ref(), process, &case.values).holds() {
            continue;
        }
        for (round, start, end) in windows(case, repeat) {
            if end.is_some() {
                continue;
            }
            // The next one not done yet (one may be done ahead of its time).
            let mut at = calendar.next_repeat(&repeat.every, start, now.max(start));
            for _ in 0..64 {
                let next = item(repeat, round, at);
                if !done(&next.key) {
                    out.push(next);
                    break;
                }
                at = calendar.next_repeat(&repeat.every, start, at);
            }
        }
    }
    out
}

/// Records one repetition done (the progress report written, the daily follow-up made): the
/// repetition must be outstanding (fallen due, or the next one coming), with a note of what
/// was done.
pub fn record_repeat(
    ctx: &Context,
    case: &Case,
    by: &Actor,
    expected_version: i64,
    key: &str,
    note: &str,
) -> Result<Outcome, Refusal> {
    open(ctx, case, expected_version)?;
    let outstanding = repeats_outstanding(case, ctx.process(), ctx.now, ctx.calendar);
    let mut reasons = Vec::new();
    let item = outstanding.into_iter().find(|i| i.key == key);
    if item.is_none() {
        reasons.push(reason(
            "repeat",
            "not_outstanding",
            Text::new(
                "这一例行事项不在待办之列(可能已完成)。",
                "This repetition is not outstanding (it may be done already).",
            ),
        ));
    }
    let note = parse_free_text(
        "note",
        note,
        OUTPUT_TEXT_MAX,
        &Text::new("办理情况", "What was done"),
    )
    .map_err(|e| reasons.push(e))
    .ok();
    let (Some(item), Some(note)) = (item, note) else {
        return Err(Refusal::unmet(reasons));
    };
    let mut ch = Change::new(case.clone(), ctx, by);
    ch.log(
        AuditKind::RepeatDone,
        item.step.as_ref(),
        json!({ "key": item.key, "repeat": item.repeat, "due_at": item.due_at, "note": note }),
    );
    ch.case.repeats_done.push(RepeatDone {
        key: item.key,
        repeat: item.repeat,
        due_at: item.due_at,
        note,
        by: by.user_ref(),
        at: ctx.now,
    });
    Ok(ch.finish())
}
