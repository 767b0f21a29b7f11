//! The director's overview of a function: every process's steps mapped onto four shared
//! states (待受理 / 办理中 / 待审批 / 已办结), so one glance covers the function whatever its
//! processes look like.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::board::Card;
use super::case::{Case, CaseStatus, StepOutcome};
use super::form::instant_text;
use crate::domain::lang::Text;

/// How long a closed case stays in the overview's 已办结 column.
pub const CLOSED_SHOWN_DAYS: i64 = 7;
/// At most this many closed cases are shown (the newest).
pub const CLOSED_SHOWN_MAX: u64 = 50;

/// A shared state of the overview.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stage {
    /// 待受理: no step of it completed yet (not taken up).
    Intake,
    /// 办理中: being worked on.
    InProgress,
    /// 待审批: the step's work is in (no output missing) and sign-offs are awaited.
    AwaitingApproval,
    /// 已办结: closed lately.
    Done,
}

impl Stage {
    pub const ALL: [Stage; 4] = [
        Stage::Intake,
        Stage::InProgress,
        Stage::AwaitingApproval,
        Stage::Done,
    ];

    pub fn name(self) -> Text {
        match self {
            Stage::Intake => Text::new("待受理", "To take up"),
            Stage::InProgress => Text::new("办理中", "In progress"),
            Stage::AwaitingApproval => Text::new("待审批", "Awaiting approval"),
            Stage::Done => Text::new("已办结", "Done"),
        }
    }

    /// For addresses and test hooks: `intake`, `in_progress`, `awaiting_approval`, `done`.
    pub fn code(self) -> &'static str {
        match self {
            Stage::Intake => "intake",
            Stage::InProgress => "in_progress",
            Stage::AwaitingApproval => "awaiting_approval",
            Stage::Done => "done",
        }
    }
}

/// The stage of an open card. Awaiting approval wins over intake: a request whose first
/// step is a sign-off waits for that sign-off.
pub fn stage_of(card: &Card) -> Stage {
    if card.approvals_missing > 0 && card.outputs_missing == 0 {
        Stage::AwaitingApproval
    } else if !card.started {
        Stage::Intake
    } else {
        Stage::InProgress
    }
}

/// A case closed lately, as the overview's 已办结 column shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosedCard {
    pub case_id: i64,
    pub process: String,
    pub title: String,
    pub requester: String,
    pub department: Option<String>,
    /// RFC 3339 in the organisation's zone.
    pub closed_at: String,
    /// Steps completed after their deadline.
    pub late_steps: usize,
}

/// The earliest close the overview still shows at `now`.
pub fn closed_since(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::days(CLOSED_SHOWN_DAYS)
}

/// The overview's card of a case closed (not cancelled) since [`closed_since`]`(now)`.
pub fn closed_card(case: &Case, now: DateTime<Utc>, zone: Tz) -> Option<ClosedCard> {
    let closed_at = case.closed_at.filter(|at| *at >= closed_since(now))?;
    if case.status != CaseStatus::Closed {
        return None;
    }
    let late_steps = case
        .steps
        .iter()
        .filter(|s| s.outcome == Some(StepOutcome::Completed))
        .filter(|s| matches!((s.completed_at, &s.due), (Some(done), Some(due)) if done > due.at))
        .count();
    Some(ClosedCard {
        case_id: case.id.0,
        process: case.process.to_string(),
        title: case.title.clone(),
        requester: case.requester.name.clone(),
        department: case.department.clone(),
        closed_at: instant_text(closed_at, zone),
        late_steps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::workflow::board::card_of;
    use crate::domain::workflow::test_support::*;
    use crate::domain::workflow::{Command, ProcessRef};

    fn card(case: &Case, now: DateTime<Utc>) -> Card {
        let process = ProcessRef::find(catalog(), case.process.as_str()).expect("process");
        card_of(case, &process, now, calendar()).expect("open")
    }

    #[test]
    fn a_new_request_is_to_take_up_then_in_progress_then_awaiting_sign_off() {
        let now = at("2025-09-29T10:00:00+08:00");
        let steps = &process("supplies_purchase").steps;
        let raised = raise_case(
            "supplies_purchase",
            now,
            sample_form(process("supplies_purchase"), now, false),
        );
        let new = card(&raised.case, now);
        assert!(!new.started);
        assert_eq!(stage_of(&new), Stage::Intake);

        // Once a step is completed it is in progress, wherever it stands (a case returned to
        // its first step after work is not new again).
        let later = Card {
            step: steps[1].code.clone(),
            started: true,
            ..new.clone()
        };
        assert_eq!(stage_of(&later), Stage::InProgress);
        let returned = Card {
            step: steps[0].code.clone(),
            ..later.clone()
        };
        assert_eq!(stage_of(&returned), Stage::InProgress);
        // Sign-offs awaited while outputs are still missing: the work is not in yet.
        let working = Card {
            approvals_missing: 1,
            outputs_missing: 1,
            ..later.clone()
        };
        assert_eq!(stage_of(&working), Stage::InProgress);
        let signing = Card {
            approvals_missing: 1,
            outputs_missing: 0,
            ..later
        };
        assert_eq!(stage_of(&signing), Stage::AwaitingApproval);
    }

    #[test]
    fn sign_offs_awaited_on_a_first_step_count_as_awaiting_approval() {
        let now = at("2025-09-29T10:00:00+08:00");
        let raised = raise_case(
            "archive_loan",
            now,
            sample_form(process("archive_loan"), now, false),
        );
        let c = card(&raised.case, now);
        assert!(c.approvals_missing > 0 && c.outputs_missing == 0, "{c:?}");
        assert_eq!(stage_of(&c), Stage::AwaitingApproval);
    }

    #[test]
    fn completing_a_step_marks_the_card_started() {
        let now = at("2025-09-29T10:00:00+08:00");
        let mut case = raise_case(
            "incoming_document",
            now,
            sample_form(process("incoming_document"), now, false),
        )
        .case;
        assert!(!card(&case, now).started);
        let step = &process("incoming_document").steps[0];
        let clerk = holder(step.owner.as_str());
        for item in 0..step.checklist.len() {
            case = run(
                &case,
                now,
                &clerk,
                Command::TickChecklist {
                    step: step.code.clone(),
                    item,
                    ticked: true,
                },
            )
            .case;
        }
        case = run(
            &case,
            now,
            &clerk,
            Command::RecordFields {
                values: form(&[("doc_number", "收〔2025〕1号")]),
            },
        )
        .case;
        case = run(
            &case,
            now,
            &clerk,
            Command::CompleteStep {
                step: step.code.clone(),
            },
        )
        .case;
        let moved = card(&case, now);
        assert!(moved.started);
        assert_eq!(stage_of(&moved), Stage::InProgress);
    }

    #[test]
    fn a_closed_case_shows_for_a_week_and_counts_its_late_steps() {
        let raised_at = at("2025-09-29T10:00:00+08:00");
        let mut case = raise_case(
            "incoming_document",
            raised_at,
            sample_form(process("incoming_document"), raised_at, false),
        )
        .case;
        let director = holder("director");
        let closed_at = at("2025-10-10T10:00:00+08:00");
        case = run(
            &case,
            closed_at,
            &director,
            Command::Close {
                reason: "已处理完毕".into(),
            },
        )
        .case;
        let zone = calendar().settings().time_zone;
        let shown = closed_card(&case, closed_at + Duration::days(6), zone).expect("shown");
        assert_eq!(shown.closed_at, "2025-10-10T10:00:00+08:00");
        assert_eq!(shown.late_steps, 0);
        assert!(closed_card(&case, closed_at + Duration::days(8), zone).is_none());

        let mut cancelled = raise_case(
            "incoming_document",
            raised_at,
            sample_form(process("incoming_document"), raised_at, false),
        )
        .case;
        cancelled = run(
            &cancelled,
            closed_at,
            &requester(),
            Command::Cancel {
                reason: "重复提报".into(),
            },
        )
        .case;
        assert!(closed_card(&cancelled, closed_at, zone).is_none());
    }
}
