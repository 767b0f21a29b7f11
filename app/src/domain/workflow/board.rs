//! A function's kanban board: a lane per process, a column per step, a card per open case in
//! the column of the step it is at, with what a glance needs (owner, due time, SLA state and
//! the time left or overrun, badges for approvals and outputs still missing).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::case::{Case, Verdict};
use super::conditions::evaluate;
use super::context::ProcessRef;
use super::form::instant_text;
use super::views::current_instance;
use crate::domain::calendar::{BusinessCalendar, Measure, SlaState};
use crate::domain::catalog::{Approval, Catalog, StepCode};
use crate::domain::lang::{Lang, Text};

/// One open case on the board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Card {
    pub case_id: i64,
    pub version: i64,
    pub title: String,
    pub requester: String,
    pub department: Option<String>,
    pub step: StepCode,
    pub owner: String,
    pub owner_name: Text,
    /// The assignee's user number, when the step is assigned to someone.
    pub assignee: Option<i64>,
    pub due_at: Option<String>,
    pub sla: Option<SlaState>,
    /// The time left or overrun in words ("剩余 1 个工作日 3 小时", "已超时 2 小时").
    pub sla_words: Option<Text>,
    pub approvals_missing: usize,
    pub outputs_missing: usize,
    /// An escalation was recorded on the step under way.
    pub escalated: bool,
}

/// A step's column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub step: StepCode,
    /// 1-based, as the handbook numbers steps.
    pub number: usize,
    pub name: Text,
    pub owner_name: Text,
    pub cards: Vec<Card>,
}

/// A process's lane.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lane {
    pub process: String,
    pub name: Text,
    pub columns: Vec<Column>,
    pub open: usize,
    pub overdue: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub function: String,
    pub name: Text,
    pub accent: String,
    pub lanes: Vec<Lane>,
    /// The instant the SLA states were computed at, in the organisation's zone.
    pub as_of: String,
}

/// The board of `function` from its open `cases` (any others are ignored), at `now`. Cases
/// whose process is not in `catalog` (a later catalog version dropped it) are left out.
pub fn build_board(
    catalog: &Catalog,
    function: &str,
    cases: &[(&Case, ProcessRef)],
    now: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> Option<Board> {
    let f = catalog.function(function)?;
    let zone = calendar.settings().time_zone;
    let mut lanes: Vec<Lane> = catalog
        .processes
        .iter()
        .filter(|p| p.function == function)
        .map(|p| Lane {
            process: p.code.to_string(),
            name: p.name.clone(),
            columns: p
                .steps
                .iter()
                .enumerate()
                .map(|(i, s)| Column {
                    step: s.code.clone(),
                    number: i + 1,
                    name: s.name.clone(),
                    owner_name: catalog.role(s.owner.as_str()).map_or_else(
                        || Text::new(s.owner.as_str(), s.owner.as_str()),
                        |r| r.name.clone(),
                    ),
                    cards: Vec::new(),
                })
                .collect(),
            open: 0,
            overdue: 0,
        })
        .collect();
    for (case, process) in cases {
        if !case.is_open() || process.process.function != function {
            continue;
        }
        let Some(lane) = lanes
            .iter_mut()
            .find(|l| l.process == case.process.as_str())
        else {
            continue;
        };
        let Some(index) = current_instance(case, process) else {
            continue;
        };
        let card = card(case, process, index, now, calendar, zone);
        lane.open += 1;
        lane.overdue += usize::from(card.sla == Some(SlaState::Overdue));
        if let Some(column) = lane.columns.iter_mut().find(|c| c.step == card.step) {
            column.cards.push(card);
        }
    }
    for lane in &mut lanes {
        for column in &mut lane.columns {
            column.cards.sort_by(|a, b| {
                rank(a.sla)
                    .cmp(&rank(b.sla))
                    .then(a.due_at.cmp(&b.due_at))
                    .then(a.case_id.cmp(&b.case_id))
            });
        }
    }
    Some(Board {
        function: function.to_string(),
        name: f.name.clone(),
        accent: f.accent.clone(),
        lanes,
        as_of: instant_text(now, zone),
    })
}

fn rank(sla: Option<SlaState>) -> u8 {
    match sla {
        Some(SlaState::Overdue) => 0,
        Some(SlaState::DueSoon) => 1,
        Some(SlaState::OnTime) => 2,
        None => 3,
    }
}

fn card(
    case: &Case,
    process: &ProcessRef,
    index: usize,
    now: DateTime<Utc>,
    calendar: &BusinessCalendar,
    zone: chrono_tz::Tz,
) -> Card {
    let inst = &case.steps[index];
    let def = process.process.step(inst.step.as_str());
    let measure = def
        .and_then(|d| d.deadline.as_ref())
        .map_or(Measure::WorkingTime, Measure::of_rule);
    let sla = inst
        .due
        .map(|d| calendar.sla_measured(measure, inst.activated_at, d.at, now));
    let approvals_missing = def.map_or(0, |d| {
        d.approvals
            .iter()
            .filter(|a| match a {
                Approval::Conditional { when, .. } => {
                    evaluate(Some(when), process.process, &case.values).holds()
                }
                _ => true,
            })
            .flat_map(|a| a.roles())
            .filter(|role| inst.verdict_of(role) != Some(Verdict::Approve))
            .count()
    });
    let outputs_missing = def.map_or(0, |d| {
        d.outputs
            .iter()
            .filter(|o| match &o.when {
                Some(c) => evaluate(Some(c), process.process, &case.values).holds(),
                None => true,
            })
            .filter(|o| !inst.outputs.contains_key(&o.output))
            .count()
    });
    Card {
        case_id: case.id.0,
        version: case.version,
        title: case.title.clone(),
        requester: case.requester.name.clone(),
        department: case.department.clone(),
        step: inst.step.clone(),
        owner: inst.owner.to_string(),
        owner_name: process.role_name(&inst.owner),
        assignee: inst.assignee.map(|u| u.0),
        due_at: inst.due.map(|d| instant_text(d.at, zone)),
        sla: sla.map(|s| s.state),
        sla_words: sla.map(|s| Text::new(s.remaining.words(Lang::Zh), s.remaining.words(Lang::En))),
        approvals_missing,
        outputs_missing,
        escalated: case
            .escalations
            .iter()
            .any(|e| e.step == inst.step && e.recorded_at >= inst.activated_at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::workflow::test_support::{at, calendar, catalog, form, raise_case};

    #[test]
    fn cards_sit_in_their_steps_column_overdue_first_with_their_sla_in_words() {
        let received = |day: &str| {
            raise_case(
                "incoming_document",
                at(&format!("{day}T10:30:00+08:00")),
                form(&[
                    ("received_at", &format!("{day}T10:00")),
                    ("issuer", "甲"),
                    ("title", "乙"),
                ]),
            )
            .case
        };
        let mut late = received("2025-09-29");
        late.id = crate::domain::workflow::CaseId(1);
        let mut fresh = received("2025-09-30");
        fresh.id = crate::domain::workflow::CaseId(2);
        let p = ProcessRef::find(catalog(), "incoming_document").unwrap();
        let now = at("2025-09-30T11:00:00+08:00");
        let board = build_board(
            catalog(),
            "documents",
            &[(&fresh, p), (&late, p)],
            now,
            calendar(),
        )
        .unwrap();
        assert_eq!(board.name.zh, "文书与公文处理");
        let lane = board
            .lanes
            .iter()
            .find(|l| l.process == "incoming_document")
            .unwrap();
        assert_eq!((lane.open, lane.overdue), (2, 1));
        assert_eq!(lane.columns[0].step.as_str(), "sign_and_number");
        let ids: Vec<i64> = lane.columns[0].cards.iter().map(|c| c.case_id).collect();
        assert_eq!(ids, [1, 2], "overdue first");
        let late_card = &lane.columns[0].cards[0];
        assert_eq!(late_card.sla, Some(SlaState::Overdue));
        assert!(late_card
            .sla_words
            .as_ref()
            .unwrap()
            .zh
            .starts_with("已超时"));
        assert_eq!(late_card.owner_name.zh, "公文文员");
        assert!(lane.columns[1..].iter().all(|c| c.cards.is_empty()));
        // Every process of the function has its lane, in the catalog's order.
        let lanes: Vec<&str> = board.lanes.iter().map(|l| l.process.as_str()).collect();
        assert_eq!(lanes[0], "incoming_document");
        assert!(build_board(catalog(), "nonesuch", &[], now, calendar()).is_none());
    }
}
