//! A function's kanban board: a lane per process, a column per step, a card per open case in
//! the column of the step it is at, with what a glance needs (owner, due time, SLA state and
//! the time left or overrun, badges for approvals and outputs still missing).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::activation::is_anomaly_step;
use super::board_filter::{BoardFilter, Viewer};
use super::case::{Case, Verdict};
use super::conditions::{evaluate, Decision};
use super::context::ProcessRef;
use super::form::instant_text;
use super::views::current_instance;
use crate::domain::calendar::{BusinessCalendar, Measure, Sla, SlaState, WorkingSpan};
use crate::domain::catalog::{Approval, Catalog, Process, StepCode};
use crate::domain::lang::Text;

/// One open case on the board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Card {
    pub case_id: i64,
    pub version: i64,
    /// The process (the lane) the card belongs to.
    pub process: String,
    pub title: String,
    /// The requester's user number (the "mine" filter) and name.
    pub requester_id: i64,
    pub requester: String,
    pub department: Option<String>,
    pub step: StepCode,
    /// Where completing the step takes the case: the next step's column, or `None` when the
    /// case would close (the lane's "done" column).
    pub forward_to: Option<StepCode>,
    pub owner: String,
    pub owner_name: Text,
    /// The assignee's user number, when the step is assigned to someone.
    pub assignee: Option<i64>,
    pub due_at: Option<String>,
    pub sla: Option<SlaState>,
    /// The time left or overrun. Its words ("剩余 1 个工作日 3 小时", "已超时 2 小时", see
    /// [`WorkingSpan::words`]) are written where the card is drawn: a board of a thousand
    /// cards draws a few dozen, and writing every card's words in two languages on every
    /// request was a tenth of a board page's time.
    pub sla_left: Option<WorkingSpan>,
    pub approvals_missing: usize,
    pub outputs_missing: usize,
    /// An escalation was recorded on the step under way.
    pub escalated: bool,
    /// A step of the case has been completed: it was taken up (the overview's 待受理 is the
    /// cases not yet started).
    #[serde(default)]
    pub started: bool,
}

/// A committed change to a case, as live boards hear of it: only which case, of which
/// function, is now at which version (viewers fetch the card through the permission checks).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseChanged {
    pub function: String,
    pub case: i64,
    pub version: i64,
    /// Still open (a closed or cancelled case leaves the board).
    pub open: bool,
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
    /// Its work-in-progress limit, if one is set.
    #[serde(default)]
    pub limit: Option<u32>,
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
    /// The viewer may set the columns' work-in-progress limits.
    #[serde(default)]
    pub may_set_limits: bool,
    /// Cases closed in the last week, newest first, for the overview's 已办结 column. Empty
    /// when the columns hold only their first cards (`counts` set): the overview, the one
    /// view that shows them, loads the whole board.
    #[serde(default)]
    pub closed: Vec<super::overview::ClosedCard>,
    /// Set when the columns hold only the cards a page draws first (see
    /// [`super::board_filter::first_cards`]): what the page shows of the others.
    #[serde(default)]
    pub counts: Option<BoardCounts>,
}

/// What a page shows of a board whose columns hold only their first cards: the counts the
/// whole board gives, under the filters the cards were chosen with.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BoardCounts {
    /// The filters, as the page's address has them (`[["q", "通知"], …]`).
    pub filter: Vec<(String, String)>,
    pub columns: Vec<ColumnCount>,
    pub lanes: Vec<LaneCount>,
    /// Cards the filters show, and cards the viewer may see.
    pub shown: usize,
    pub all: usize,
    /// The departments of every card, sorted (the department filter's choices).
    pub departments: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnCount {
    pub process: String,
    pub step: StepCode,
    /// Open cases in the column the viewer may see, and how many of them the filters show.
    pub all: usize,
    pub shown: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LaneCount {
    pub process: String,
    /// Cards of the lane the filters show, and how many of those are overdue.
    pub open: usize,
    pub overdue: usize,
}

impl BoardCounts {
    pub fn column(&self, process: &str, step: &StepCode) -> Option<&ColumnCount> {
        self.columns
            .iter()
            .find(|c| c.process == process && &c.step == step)
    }

    pub fn lane(&self, process: &str) -> Option<&LaneCount> {
        self.lanes.iter().find(|l| l.process == process)
    }
}

impl Board {
    /// Puts each column's work-in-progress limit on it.
    pub fn with_limits(mut self, limits: &[super::wip::WipLimit]) -> Board {
        for lane in &mut self.lanes {
            for column in &mut lane.columns {
                column.limit = super::wip::limit_of(limits, &lane.process, &column.step);
            }
        }
        self
    }
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
    let zone = calendar.settings().time_zone;
    let facts: Vec<CardFacts> = cases
        .iter()
        .filter(|(_, process)| process.process.function == function)
        .filter_map(|(case, process)| CardFacts::of(case, process, zone))
        .collect();
    let facts: Vec<&CardFacts> = facts.iter().collect();
    board_of_facts(catalog, function, &facts, now, calendar, None)
}

/// The board of `function` from its open cases' [`CardFacts`], at `now` (facts of another
/// function's cases, or of a process not in `catalog`, are left out). With `first` (the
/// filters of a page's address, whose viewer, and a window), each column holds only the first
/// `window` cards the filters show, with the board's `counts` of the rest: only the cards kept
/// are made, so a page of a board of a thousand cases makes a few dozen.
pub fn board_of_facts(
    catalog: &Catalog,
    function: &str,
    facts: &[&CardFacts],
    now: DateTime<Utc>,
    calendar: &BusinessCalendar,
    first: Option<(&BoardFilter, &Viewer, usize)>,
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
                    limit: None,
                })
                .collect(),
            open: 0,
            overdue: 0,
        })
        .collect();
    // Each column's cards as facts with their SLA at `now`, in board order.
    let mut placed: Vec<Vec<Placed>> = lanes
        .iter()
        .map(|l| l.columns.iter().map(|_| Vec::new()).collect())
        .collect();
    for facts in facts {
        let Some(l) = lanes
            .iter()
            .position(|l| l.process == facts.card.process.as_str())
        else {
            continue;
        };
        let lane = &mut lanes[l];
        let sla = facts.sla(now, calendar);
        lane.open += 1;
        lane.overdue += usize::from(sla.map(|s| s.state) == Some(SlaState::Overdue));
        if let Some(c) = lane.columns.iter().position(|c| c.step == facts.card.step) {
            placed[l][c].push((facts, sla));
        }
    }
    for column in placed.iter_mut().flatten() {
        column.sort_by(|(a, sa), (b, sb)| {
            order_by(
                (sa.map(|s| s.state), &a.card.due_at, a.card.case_id),
                (sb.map(|s| s.state), &b.card.due_at, b.card.case_id),
            )
        });
    }
    let make = |(facts, sla): (&CardFacts, Option<Sla>)| facts.card_with(sla);
    let mut board = Board {
        function: function.to_string(),
        name: f.name.clone(),
        accent: f.accent.clone(),
        lanes,
        as_of: instant_text(now, zone),
        may_set_limits: false,
        closed: Vec::new(),
        counts: None,
    };
    match first {
        None => {
            for (lane, columns) in board.lanes.iter_mut().zip(placed) {
                for (column, cards) in lane.columns.iter_mut().zip(columns) {
                    column.cards = cards.into_iter().map(make).collect();
                }
            }
        }
        Some((filter, viewer, window)) => {
            let counts = super::board_filter::keep_first(
                &mut board.lanes,
                placed,
                |(facts, sla)| (&facts.card, sla.map(|s| s.state)),
                make,
                filter,
                viewer,
                window,
            );
            board.counts = Some(counts);
        }
    }
    Some(board)
}

/// A column's cards as facts with their SLA at the board's instant.
type Placed<'a> = Vec<(&'a CardFacts, Option<Sla>)>;

fn rank(sla: Option<SlaState>) -> u8 {
    match sla {
        Some(SlaState::Overdue) => 0,
        Some(SlaState::DueSoon) => 1,
        Some(SlaState::OnTime) => 2,
        None => 3,
    }
}

/// The card of one open case at `now`; `None` when the case is not open (it leaves the board).
pub fn card_of(
    case: &Case,
    process: &ProcessRef,
    now: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> Option<Card> {
    CardFacts::of(case, process, calendar.settings().time_zone)
        .map(|facts| facts.card_with(facts.sla(now, calendar)))
}

/// Where completing `current` takes a case: the next in-order step whose condition does not
/// fail on the values recorded so far (as the engine advances), or `None` when it would close.
pub fn next_after(process: &Process, case: &Case, current: &StepCode) -> Option<StepCode> {
    if process.step(current.as_str()).is_none_or(is_anomaly_step) {
        return None;
    }
    let position = process.step_number(current.as_str())?;
    process
        .steps
        .iter()
        .skip(position)
        .filter(|s| !is_anomaly_step(s))
        .find(|s| evaluate(s.when.as_ref(), process, &case.values) != Decision::Fails)
        .map(|s| s.code.clone())
}

/// Where a card is dropped: a step's column of its lane, or the lane's "done" column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropTarget<'a> {
    Column(&'a StepCode),
    Done,
}

/// What dropping a card does, decided before anything is sent.
#[derive(Clone, Debug, PartialEq)]
pub enum MovePlan {
    /// Dropped where it is: nothing to do.
    Stay,
    /// Complete the step under way (the engine checks its checklist, outputs, approvals).
    Complete { step: StepCode },
    /// Return the case to an earlier step (a reason is asked for).
    Return { to: StepCode },
    /// Not a move the workflow makes; the text says where the card can go.
    Refused(Text),
}

/// Decides a drop of `card` on `target` in its `lane`: forward only to the column completing
/// the step leads to (or "done" when it would close the case), backward as a return.
pub fn plan_move(lane: &Lane, card: &Card, target: DropTarget) -> MovePlan {
    let position = |step: &StepCode| lane.columns.iter().position(|c| &c.step == step);
    let name_of = |step: &StepCode| {
        lane.columns.iter().find(|c| &c.step == step).map_or_else(
            || Text::new(step.as_str(), step.as_str()),
            |c| c.name.clone(),
        )
    };
    let here = name_of(&card.step);
    let only = |next: Text| {
        MovePlan::Refused(Text::new(
            format!(
                "「{}」办完后案件进入「{}」,只能拖到那一列。",
                here.zh, next.zh
            ),
            format!(
                "After “{}” the case goes to “{}”; it can only be dropped there.",
                here.en, next.en
            ),
        ))
    };
    let done = Text::new("已办结", "Done");
    match (target, &card.forward_to) {
        (DropTarget::Done, None) => MovePlan::Complete {
            step: card.step.clone(),
        },
        (DropTarget::Done, Some(next)) => only(name_of(next)),
        (DropTarget::Column(step), _) if step == &card.step => MovePlan::Stay,
        (DropTarget::Column(step), forward) => match (position(step), position(&card.step)) {
            (Some(to), Some(from)) if to < from => MovePlan::Return { to: step.clone() },
            (Some(_), Some(_)) if forward.as_ref() == Some(step) => MovePlan::Complete {
                step: card.step.clone(),
            },
            (Some(_), Some(_)) => only(forward.as_ref().map_or(done, &name_of)),
            _ => MovePlan::Refused(Text::new(
                "只能在本流程的各列之间移动。",
                "A card moves only between its own process's columns.",
            )),
        },
    }
}

/// The order of cards in a column: overdue first, then due soon, on time, no deadline; then
/// the earliest due; then the oldest case.
pub fn card_order(a: &Card, b: &Card) -> std::cmp::Ordering {
    order_by((a.sla, &a.due_at, a.case_id), (b.sla, &b.due_at, b.case_id))
}

type OrderKey<'a> = (Option<SlaState>, &'a Option<String>, i64);

fn order_by(a: OrderKey, b: OrderKey) -> std::cmp::Ordering {
    rank(a.0)
        .cmp(&rank(b.0))
        .then(a.1.cmp(b.1))
        .then(a.2.cmp(&b.2))
}

/// How many cards a column (or an overview stage) draws at first, and how many more each
/// time its end comes into view: a screenful or two, so that a column of a thousand cards
/// renders, hydrates and redraws like a short one.
pub const WINDOW: usize = 24;

/// The cards a column draws: the first `window` of those it shows, in board order, and past
/// them the `kept` ones (cards the viewer moved, which stay under the hand that moved them);
/// with how many it shows in all.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shown {
    pub cards: Vec<Card>,
    pub total: usize,
}

impl Shown {
    pub fn of(mut cards: Vec<&Card>, window: usize, kept: &[i64]) -> Shown {
        cards.sort_by(|a, b| card_order(a, b));
        let total = cards.len();
        let cards = cards
            .into_iter()
            .enumerate()
            .filter(|(i, c)| *i < window || kept.contains(&c.case_id))
            .map(|(_, c)| c.clone())
            .collect();
        Shown { cards, total }
    }

    /// Cards shown but not drawn (yet).
    pub fn hidden(&self) -> usize {
        self.total.saturating_sub(self.cards.len())
    }
}

/// What an open case's card shows that holds until the case moves on (every field but the
/// SLA state and the time left, which depend on when the card is looked at), with what the
/// SLA is computed from. A case's facts at a version are the same whoever looks and whenever,
/// under the catalog version and the time zone they were made with, so a server may keep
/// them per case version and only recompute the SLA.
#[derive(Clone, Debug, PartialEq)]
pub struct CardFacts {
    /// The card without its SLA (`sla` and `sla_left` are `None`).
    pub card: Card,
    /// How the step under way is measured, when it was activated, and when it is due.
    clock: Option<(Measure, DateTime<Utc>, DateTime<Utc>)>,
}

impl CardFacts {
    /// The facts of `case`'s card, due times written in `zone`; `None` when the case is not
    /// open or has no step under way (it is not on the board).
    pub fn of(case: &Case, process: &ProcessRef, zone: chrono_tz::Tz) -> Option<CardFacts> {
        if !case.is_open() {
            return None;
        }
        let index = current_instance(case, process)?;
        Some(facts(case, process, index, zone))
    }

    /// The SLA at `now`, if the step under way has a deadline.
    pub fn sla(&self, now: DateTime<Utc>, calendar: &BusinessCalendar) -> Option<Sla> {
        self.clock.map(|(measure, activated_at, due)| {
            calendar.sla_measured(measure, activated_at, due, now)
        })
    }

    /// The card with `sla` (from [`CardFacts::sla`]).
    pub fn card_with(&self, sla: Option<Sla>) -> Card {
        Card {
            sla: sla.map(|s| s.state),
            sla_left: sla.map(|s| s.remaining),
            ..self.card.clone()
        }
    }
}

fn facts(case: &Case, process: &ProcessRef, index: usize, zone: chrono_tz::Tz) -> CardFacts {
    let inst = &case.steps[index];
    let def = process.process.step(inst.step.as_str());
    let measure = def
        .and_then(|d| d.deadline.as_ref())
        .map_or(Measure::WorkingTime, Measure::of_rule);
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
    let card = Card {
        case_id: case.id.0,
        version: case.version,
        process: case.process.to_string(),
        title: case.title.clone(),
        requester_id: case.requester.id.0,
        requester: case.requester.name.clone(),
        department: case.department.clone(),
        step: inst.step.clone(),
        forward_to: next_after(process.process, case, &inst.step),
        owner: inst.owner.to_string(),
        owner_name: process.role_name(&inst.owner),
        assignee: inst.assignee.map(|u| u.0),
        due_at: inst.due.map(|d| instant_text(d.at, zone)),
        sla: None,
        sla_left: None,
        approvals_missing,
        outputs_missing,
        escalated: case
            .escalations
            .iter()
            .any(|e| e.step == inst.step && e.recorded_at >= inst.activated_at),
        started: case
            .steps
            .iter()
            .any(|s| s.outcome == Some(super::case::StepOutcome::Completed)),
    };
    CardFacts {
        card,
        clock: inst.due.map(|d| (measure, inst.activated_at, d.at)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lang::Lang;
    use crate::domain::workflow::test_support::{at, calendar, catalog, form, raise_case};

    /// An incoming document received at 10:00 on `day` and raised half an hour later.
    fn received(day: &str) -> Case {
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
    }

    #[test]
    fn cards_sit_in_their_steps_column_overdue_first_with_their_sla_in_words() {
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
            .sla_left
            .unwrap()
            .words(Lang::Zh)
            .starts_with("已超时"));
        assert_eq!(late_card.owner_name.zh, "公文文员");
        assert!(lane.columns[1..].iter().all(|c| c.cards.is_empty()));
        // Every process of the function has its lane, in the catalog's order.
        let lanes: Vec<&str> = board.lanes.iter().map(|l| l.process.as_str()).collect();
        assert_eq!(lanes[0], "incoming_document");
        assert!(build_board(catalog(), "nonesuch", &[], now, calendar()).is_none());
    }

    #[test]
    fn each_column_carries_its_own_work_in_progress_limit() {
        let now = at("2025-09-30T10:30:00+08:00");
        let limits = [crate::domain::workflow::wip::WipLimit {
            process: "incoming_document".into(),
            step: StepCode::new("sign_and_number"),
            limit: 4,
        }];
        let board = build_board(catalog(), "documents", &[], now, calendar())
            .unwrap()
            .with_limits(&limits);
        let limited: Vec<(&str, &str, Option<u32>)> = board
            .lanes
            .iter()
            .flat_map(|l| {
                l.columns
                    .iter()
                    .map(move |c| (l.process.as_str(), c.step.as_str(), c.limit))
            })
            .filter(|(_, _, limit)| limit.is_some())
            .collect();
        assert_eq!(limited, [("incoming_document", "sign_and_number", Some(4))]);
    }

    fn lane_of<'a>(board: &'a Board, process: &str) -> &'a Lane {
        board.lanes.iter().find(|l| l.process == process).unwrap()
    }

    #[test]
    fn a_card_moves_forward_only_to_where_completing_leads_and_back_as_a_return() {
        use crate::domain::workflow::test_support::walk_to;
        let now = at("2025-09-30T11:00:00+08:00");
        let raised = raise_case(
            "incoming_document",
            at("2025-09-30T10:30:00+08:00"),
            form(&[
                ("received_at", "2025-09-30T10:00"),
                ("issuer", "甲"),
                ("title", "乙"),
            ]),
        )
        .case;
        let mut case = walk_to(raised, now, "assign_handling");
        case.id = crate::domain::workflow::CaseId(7);
        let p = ProcessRef::find(catalog(), "incoming_document").unwrap();
        let board = build_board(catalog(), "documents", &[(&case, p)], now, calendar()).unwrap();
        let lane = lane_of(&board, "incoming_document");
        let card = lane
            .columns
            .iter()
            .flat_map(|c| &c.cards)
            .find(|c| c.case_id == 7)
            .unwrap();
        assert_eq!(card.step.as_str(), "assign_handling");
        assert_eq!(card.process, "incoming_document");
        assert_eq!(
            card.forward_to.as_ref().map(|s| s.as_str()),
            Some("report_result")
        );
        let code = |c: &str| crate::domain::catalog::StepCode::new(c);
        let to = |c: &str| plan_move(lane, card, DropTarget::Column(&code(c)));
        assert_eq!(to("assign_handling"), MovePlan::Stay);
        assert_eq!(
            to("report_result"),
            MovePlan::Complete {
                step: code("assign_handling")
            }
        );
        assert_eq!(
            to("sign_and_number"),
            MovePlan::Return {
                to: code("sign_and_number")
            }
        );
        // Skipping ahead, or closing from a step that is not the last, is refused with where
        // the card can go.
        for plan in [to("file_document"), plan_move(lane, card, DropTarget::Done)] {
            let MovePlan::Refused(why) = plan else {
                panic!("{plan:?}")
            };
            assert!(why.zh.contains("进入「反馈办理结果」"), "{}", why.zh);
        }
        assert!(matches!(to("nonesuch"), MovePlan::Refused(_)));

        // At the last step, completing closes the case: "done" is where it goes.
        let last = walk_to(case.clone(), now, "file_document");
        let card = card_of(&last, &p, now, calendar()).unwrap();
        assert_eq!(card.forward_to, None);
        assert_eq!(
            plan_move(lane, &card, DropTarget::Done),
            MovePlan::Complete {
                step: code("file_document")
            }
        );
        assert!(matches!(
            plan_move(lane, &card, DropTarget::Column(&code("report_result"))),
            MovePlan::Return { .. }
        ));
    }

    #[test]
    fn the_forward_column_is_where_the_engine_takes_the_case_in_every_process() {
        use crate::domain::workflow::activation::current_step;
        use crate::domain::workflow::samples::sample_form;
        use crate::domain::workflow::test_support::{do_the_work, fill_role_fields, holder, run};
        use crate::domain::workflow::Command;
        let mut now = at("2025-09-01T09:30:00+08:00");
        let mut checked = 0;
        for process in &catalog().processes {
            let mut case =
                raise_case(process.code.as_str(), now, sample_form(process, now, false)).case;
            for _ in 0..2 * process.steps.len() + 2 {
                let Some(i) = current_step(&case, process) else {
                    break;
                };
                let code = case.steps[i].step.clone();
                let owner = process.step(code.as_str()).unwrap().owner.clone();
                now += chrono::Duration::hours(1);
                case = fill_role_fields(case, now, owner.as_str());
                if case.active_instance(&code).is_none() {
                    continue;
                }
                case = do_the_work(case, now, code.as_str());
                let predicted = next_after(process, &case, &code);
                case = run(
                    &case,
                    now,
                    &holder(owner.as_str()),
                    Command::CompleteStep { step: code.clone() },
                )
                .case;
                let landed = current_step(&case, process).map(|i| case.steps[i].step.clone());
                assert_eq!(landed, predicted, "{} after {code}", process.code);
                checked += 1;
            }
        }
        assert!(
            checked >= catalog().processes.len(),
            "{checked} completions checked"
        );
    }

    #[test]
    fn a_page_of_the_board_made_from_card_facts_is_the_whole_board_cut_to_its_first_cards() {
        use crate::domain::workflow::board_filter::first_cards;
        use crate::domain::workflow::test_support::walk_to;
        let now = at("2025-10-09T11:00:00+08:00");
        let p = ProcessRef::find(catalog(), "incoming_document").unwrap();
        // Twelve cases received on different days (the older ones overdue), some moved on.
        let cases: Vec<Case> = (1..=12)
            .map(|i: i64| {
                let mut case = received(&format!("2025-09-{:02}", 15 + i));
                if i % 4 == 0 {
                    case = walk_to(case, now, "assign_handling");
                }
                case.id = crate::domain::workflow::CaseId(i);
                case.title = format!("来文 {i}");
                case
            })
            .collect();
        let pairs: Vec<(&Case, ProcessRef)> = cases.iter().map(|c| (c, p)).collect();
        let zone = calendar().settings().time_zone;
        let facts: Vec<CardFacts> = cases
            .iter()
            .filter_map(|c| CardFacts::of(c, &p, zone))
            .collect();
        let facts: Vec<&CardFacts> = facts.iter().collect();
        let whole = build_board(catalog(), "documents", &pairs, now, calendar()).unwrap();
        assert_eq!(
            board_of_facts(catalog(), "documents", &facts, now, calendar(), None).as_ref(),
            Some(&whole)
        );
        let me = Viewer::default();
        let mut overdue_seen = false;
        for pairs in [vec![], vec![("overdue", "1")], vec![("q", "来文 1")]] {
            let filter = BoardFilter::from_pairs(pairs);
            let expected = first_cards(whole.clone(), &filter, &me, 3);
            let page = board_of_facts(
                catalog(),
                "documents",
                &facts,
                now,
                calendar(),
                Some((&filter, &me, 3)),
            )
            .unwrap();
            assert_eq!(page, expected, "{filter:?}");
            let counts = page.counts.as_ref().unwrap();
            assert_eq!(counts.all, 12);
            overdue_seen |= filter.overdue && counts.shown > 0 && counts.shown < 12;
        }
        assert!(overdue_seen, "some cases overdue, some not");
    }

    fn plain_card(id: i64, sla: SlaState, due_at: &str) -> Card {
        Card {
            case_id: id,
            version: 1,
            process: "incoming_document".into(),
            title: format!("来文 {id}"),
            requester_id: 10,
            requester: "张敏".into(),
            department: None,
            step: StepCode::new("sign_and_number"),
            forward_to: None,
            owner: "document_clerk".into(),
            owner_name: Text::new("公文文员", "Document clerk"),
            assignee: None,
            due_at: Some(due_at.into()),
            sla: Some(sla),
            sla_left: None,
            approvals_missing: 0,
            outputs_missing: 0,
            escalated: false,
            started: false,
        }
    }

    #[test]
    fn a_long_column_draws_its_first_cards_in_board_order_and_the_kept_ones_past_them() {
        // 60 on time (due later the higher the id), and one overdue case raised last.
        let mut cards: Vec<Card> = (1..=60)
            .map(|id| {
                plain_card(
                    id,
                    SlaState::OnTime,
                    &format!("2026-12-{:02}T17:00:00+08:00", 1 + id / 3),
                )
            })
            .collect();
        cards.push(plain_card(
            61,
            SlaState::Overdue,
            "2026-11-20T17:00:00+08:00",
        ));
        let refs: Vec<&Card> = cards.iter().rev().collect();

        let first = Shown::of(refs.clone(), WINDOW, &[]);
        assert_eq!(first.total, 61);
        assert_eq!(first.cards.len(), WINDOW);
        assert_eq!(first.hidden(), 61 - WINDOW);
        let ids: Vec<i64> = first.cards.iter().map(|c| c.case_id).collect();
        let mut expected = vec![61];
        expected.extend(1..WINDOW as i64);
        assert_eq!(
            ids, expected,
            "the overdue one first, then the earliest due"
        );

        // The next window goes on where the first stopped.
        let more = Shown::of(refs.clone(), 2 * WINDOW, &[]);
        assert_eq!(&more.cards[..WINDOW], &first.cards[..]);
        assert_eq!(more.cards[WINDOW].case_id, WINDOW as i64);

        // A card the viewer moved stays drawn wherever it falls, in its place in the order;
        // one kept within the window is not drawn twice.
        let kept = Shown::of(refs.clone(), WINDOW, &[50, 3, 40]);
        let ids: Vec<i64> = kept.cards.iter().map(|c| c.case_id).collect();
        assert_eq!(ids.len(), WINDOW + 2);
        assert_eq!(&ids[WINDOW..], &[40, 50]);
        assert_eq!(kept.hidden(), 61 - WINDOW - 2);

        // Everything fits: nothing hidden.
        let all = Shown::of(refs, 100, &[]);
        assert_eq!((all.cards.len(), all.hidden()), (61, 0));
        assert_eq!(Shown::of(Vec::new(), WINDOW, &[1]), Shown::default());
    }
}
