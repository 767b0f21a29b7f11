//! Obligations repeating on an open case (the incident's progress report every 4 hours, the
//! daily follow-up while tracking), as due items with stable keys.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use super::case::Case;
use super::conditions::evaluate;
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
