//! The board's state in the browser: the cards (one list, each column a memo of the cards it
//! shows, each card keyed by case and version so a move re-renders only what moved), the
//! card being moved, and the moves themselves: decided by the shared domain rules, applied
//! optimistically, confirmed or rolled back by the server.
//!
//! A column draws only its first cards ([`WINDOW`]) and more as the reader reaches its end:
//! a board of a thousand open cases renders, hydrates and redraws a screenful per column,
//! while counts, filters and moves still see every card.

use leptos::prelude::*;

use crate::api::{apply_board_command, get_board, get_board_card};
use crate::domain::calendar::SlaState;
use crate::domain::catalog::StepCode;
use crate::domain::lang::{Lang, Text};
use crate::domain::workflow::board::{
    plan_move, Board, BoardCounts, Card, CaseChanged, DropTarget, Lane, MovePlan,
};
pub use crate::domain::workflow::board::{Shown, WINDOW};
use crate::domain::workflow::board_filter::{BoardFilter, Viewer};
use crate::domain::workflow::overview::{stage_of, ClosedCard, Stage};
use crate::domain::workflow::wip::{limit_of, WipLimit};
use crate::domain::workflow::Command;
use crate::error::AppError;
use crate::ui::board::texts::board_texts;

/// Where a card is being taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Step(StepCode),
    Done,
}

impl Target {
    fn as_drop(&self) -> DropTarget<'_> {
        match self {
            Target::Step(step) => DropTarget::Column(step),
            Target::Done => DropTarget::Done,
        }
    }
}

/// The card being moved, and over which column it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drag {
    pub case_id: i64,
    pub process: String,
    pub target: Option<Target>,
    /// Picked up with the keyboard (the card stays put; the target column is highlighted).
    pub keyboard: bool,
}

/// A return waiting for its reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReturnAsk {
    pub case_id: i64,
    /// The version the card was at when dropped: a change by someone else meanwhile makes the
    /// return a conflict rather than overriding it.
    pub version: i64,
    pub to: StepCode,
    pub to_name: Text,
    pub title: String,
    /// The mover already confirmed going past the target column's limit.
    pub over_limit: bool,
}

/// A move into a column at its work-in-progress limit, waiting for the mover's word.
#[derive(Clone, Debug, PartialEq)]
pub struct OverLimitAsk {
    pub case_id: i64,
    pub title: String,
    pub column: Text,
    /// Cards already in the column, and its limit.
    pub count: usize,
    pub limit: u32,
    pub plan: MovePlan,
}

/// Everything the board's views share. Copy: every field is a signal or a stored value.
#[derive(Clone, Copy)]
pub struct BoardState {
    pub function: StoredValue<String>,
    /// The lanes and their columns, without cards.
    pub lanes: StoredValue<Vec<Lane>>,
    pub cards: RwSignal<Vec<Card>>,
    /// Cards this viewer moved: drawn wherever they land, even past a column's first cards,
    /// so the card stays under the hand (and the keyboard focus) that moved it.
    pub kept: RwSignal<Vec<i64>>,
    /// Until the whole board is loaded, the page holds only the cards it drew first, and the
    /// counts of the rest come from the server.
    pub counts: RwSignal<Option<BoardCounts>>,
    pub as_of: RwSignal<String>,
    /// Cards whose move the server has not answered yet.
    pub pending: RwSignal<Vec<i64>>,
    /// Why a card's last move was refused, shown on it until dismissed or moved again.
    pub refusals: RwSignal<Vec<(i64, Vec<Text>)>>,
    /// Cases that left the board, with the last version known: an answer older than that
    /// (a late fetch, a reload in flight) does not bring them back.
    gone: StoredValue<Vec<(i64, i64)>>,
    /// Changes heard about a card while it was being moved: fetched once the move settles.
    missed: StoredValue<Vec<i64>>,
    pub drag: RwSignal<Option<Drag>>,
    /// What the screen reader is told (an aria-live region).
    pub announcement: RwSignal<String>,
    pub asking_return: RwSignal<Option<ReturnAsk>>,
    pub asking_over_limit: RwSignal<Option<OverLimitAsk>>,
    /// The columns' work-in-progress limits (set by the function's lead).
    pub limits: RwSignal<Vec<WipLimit>>,
    /// The viewer may set the limits.
    pub may_set_limits: bool,
    /// The live connection is up.
    pub live: RwSignal<bool>,
    /// The card that had the keyboard focus: when it is drawn anew (it changed) and the focus
    /// went nowhere else, the new element takes it.
    pub focused: StoredValue<Option<i64>>,
    pub lang: RwSignal<Lang>,
    /// The filters in force (from the page's address) and who is looking.
    pub filter: Signal<BoardFilter>,
    pub viewer: Signal<Viewer>,
    /// Cases closed in the last week (the overview's 已办结 column).
    pub closed: RwSignal<Vec<ClosedCard>>,
    /// The overview is shown (a case leaving the board may belong in its 已办结 column).
    pub overview_shown: StoredValue<bool>,
}

impl BoardState {
    pub fn new(
        board: Board,
        lang: RwSignal<Lang>,
        filter: Signal<BoardFilter>,
        viewer: Signal<Viewer>,
    ) -> BoardState {
        let mut cards = Vec::new();
        let limits = limits_of_board(&board);
        let may_set_limits = board.may_set_limits;
        let closed = board.closed;
        let counts = board.counts;
        let mut lanes = board.lanes;
        for lane in &mut lanes {
            for column in &mut lane.columns {
                cards.append(&mut column.cards);
            }
        }
        BoardState {
            function: StoredValue::new(board.function),
            lanes: StoredValue::new(lanes),
            cards: RwSignal::new(cards),
            kept: RwSignal::new(Vec::new()),
            counts: RwSignal::new(counts),
            as_of: RwSignal::new(board.as_of),
            pending: RwSignal::new(Vec::new()),
            refusals: RwSignal::new(Vec::new()),
            gone: StoredValue::new(Vec::new()),
            missed: StoredValue::new(Vec::new()),
            drag: RwSignal::new(None),
            announcement: RwSignal::new(String::new()),
            asking_return: RwSignal::new(None),
            asking_over_limit: RwSignal::new(None),
            limits: RwSignal::new(limits),
            may_set_limits,
            live: RwSignal::new(false),
            focused: StoredValue::new(None),
            lang,
            filter,
            viewer,
            closed: RwSignal::new(closed),
            overview_shown: StoredValue::new(false),
        }
    }

    /// The open cards of one stage of the overview the filters show, in board order: the
    /// first `window` of them drawn.
    pub fn stage_cards(&self, stage: Stage, window: usize) -> Shown {
        let filter = self.filter.get();
        let viewer = self.viewer.get();
        let kept = self.kept.get();
        self.cards.with(|all| {
            let cards = all
                .iter()
                .filter(|c| filter.shows(c, &viewer))
                .filter(|c| stage_of(c) == stage)
                .collect();
            Shown::of(cards, window, &kept)
        })
    }

    /// The closed cards the filters show (by process, department and text).
    pub fn closed_cards(&self) -> Vec<ClosedCard> {
        let filter = self.filter.get();
        self.closed.with(|all| {
            all.iter()
                .filter(|c| filter.process.as_ref().is_none_or(|p| p == &c.process))
                .filter(|c| {
                    filter
                        .department
                        .as_ref()
                        .is_none_or(|d| c.department.as_ref() == Some(d))
                })
                .filter(|c| {
                    let q = filter.text.trim().to_lowercase();
                    q.is_empty()
                        || c.title.to_lowercase().contains(&q)
                        || c.requester.to_lowercase().contains(&q)
                        || c.case_id.to_string() == q.trim_start_matches('#')
                })
                .cloned()
                .collect()
        })
    }

    /// A lane's name.
    pub fn lane_name(&self, process: &str) -> Text {
        self.lane(process)
            .map(|l| l.name)
            .unwrap_or_else(|| Text::new(process, process))
    }

    /// The cards of one column the filters show, in board order: the first `window` of
    /// them drawn.
    pub fn column_cards(&self, process: &str, step: &StepCode, window: usize) -> Shown {
        let filter = self.filter.get();
        let viewer = self.viewer.get();
        let kept = self.kept.get();
        self.cards.with(|all| {
            let cards = all
                .iter()
                .filter(|c| c.process == process && &c.step == step)
                .filter(|c| filter.shows(c, &viewer))
                .collect();
            let mut shown = Shown::of(cards, window, &kept);
            if let Some(Some(total)) =
                self.with_counts(|c| c.column(process, step).map(|c| c.shown))
            {
                shown.total = shown.total.max(total);
            }
            shown
        })
    }

    /// While the page holds only the cards it drew first: `f` of the server's counts, if
    /// they were computed under the filters now in force (else the cards at hand count).
    fn with_counts<R>(&self, f: impl FnOnce(&BoardCounts) -> R) -> Option<R> {
        let pairs = self.filter.with(BoardFilter::to_pairs);
        self.counts.with(|counts| {
            counts
                .as_ref()
                .filter(|c| {
                    c.filter.len() == pairs.len()
                        && c.filter
                            .iter()
                            .zip(&pairs)
                            .all(|((k, v), (k2, v2))| k == k2 && v == v2)
                })
                .map(f)
        })
    }

    /// How many open cases are in a column (whatever the filters show), and its limit.
    pub fn column_load(&self, process: &str, step: &StepCode) -> (usize, Option<u32>) {
        let count = self.cards.with(|all| {
            all.iter()
                .filter(|c| c.process == process && &c.step == step)
                .count()
        });
        let count = match self.with_counts(|c| c.column(process, step).map(|c| c.all)) {
            Some(Some(all)) => all.max(count),
            _ => count,
        };
        let limit = self.limits.with(|l| limit_of(l, process, step));
        (count, limit)
    }

    /// (shown, all) cards of the board.
    pub fn shown_of_all(&self) -> (usize, usize) {
        if let Some(counts) = self.with_counts(|c| (c.shown, c.all)) {
            return counts;
        }
        let filter = self.filter.get();
        let viewer = self.viewer.get();
        self.cards.with(|all| {
            (
                all.iter().filter(|c| filter.shows(c, &viewer)).count(),
                all.len(),
            )
        })
    }

    /// The departments of the cards, for the department filter.
    pub fn departments(&self) -> Vec<String> {
        let mut departments: Vec<String> = self
            .cards
            .with(|all| all.iter().filter_map(|c| c.department.clone()).collect());
        // (Whatever the filters: every department stays a choice.)
        if let Some(more) = self
            .counts
            .with(|c| c.as_ref().map(|c| c.departments.clone()))
        {
            departments.extend(more);
        }
        departments.sort();
        departments.dedup();
        departments
    }

    /// (open, overdue) of a lane, as the filters show it.
    pub fn lane_counts(&self, process: &str) -> (usize, usize) {
        if let Some(Some(lane)) = self.with_counts(|c| c.lane(process).map(|l| (l.open, l.overdue)))
        {
            return lane;
        }
        let filter = self.filter.get();
        let viewer = self.viewer.get();
        self.cards.with(|all| {
            all.iter()
                .filter(|c| c.process == process && filter.shows(c, &viewer))
                .fold((0, 0), |(n, late), c| {
                    (n + 1, late + usize::from(c.sla == Some(SlaState::Overdue)))
                })
        })
    }

    fn card(&self, id: i64) -> Option<Card> {
        self.cards
            .with_untracked(|all| all.iter().find(|c| c.case_id == id).cloned())
    }

    fn lane(&self, process: &str) -> Option<Lane> {
        self.lanes
            .with_value(|lanes| lanes.iter().find(|l| l.process == process).cloned())
    }

    /// The column name of a target, for announcements.
    pub fn target_name(&self, process: &str, target: &Target) -> Text {
        let done = Text::new(
            board_texts(Lang::Zh).done_column,
            board_texts(Lang::En).done_column,
        );
        match target {
            Target::Done => done,
            Target::Step(step) => self
                .lane(process)
                .and_then(|l| l.columns.into_iter().find(|c| &c.step == step))
                .map_or_else(|| Text::new(step.as_str(), step.as_str()), |c| c.name),
        }
    }

    /// The targets of a lane, left to right (its steps, then "done").
    pub fn targets(&self, process: &str) -> Vec<Target> {
        let mut targets: Vec<Target> = self.lane(process).map_or_else(Vec::new, |l| {
            l.columns
                .into_iter()
                .map(|c| Target::Step(c.step))
                .collect()
        });
        targets.push(Target::Done);
        targets
    }

    /// What dropping `case_id` on `target` would do.
    pub fn plan(&self, case_id: i64, target: &Target) -> Option<MovePlan> {
        let card = self.card(case_id)?;
        let lane = self.lane(&card.process)?;
        Some(plan_move(&lane, &card, target.as_drop()))
    }

    pub fn say(&self, text: String) {
        self.announcement.set(text);
    }

    fn lang_now(&self) -> Lang {
        self.lang.get_untracked()
    }

    /// A card whose move the server has not answered yet.
    pub fn is_pending(&self, case_id: i64) -> bool {
        self.pending.with_untracked(|p| p.contains(&case_id))
    }

    /// Picks a card up with the keyboard.
    pub fn pick_up(&self, case_id: i64) {
        if self.is_pending(case_id) {
            return;
        }
        let Some(card) = self.card(case_id) else {
            return;
        };
        let lang = self.lang_now();
        let step = self.target_name(&card.process, &Target::Step(card.step.clone()));
        self.drag.set(Some(Drag {
            case_id,
            process: card.process.clone(),
            target: Some(Target::Step(card.step.clone())),
            keyboard: true,
        }));
        self.say((board_texts(lang).picked_up)(&card.title, step.get(lang)));
    }

    /// Moves the keyboard target one column left (`-1`) or right (`1`).
    pub fn step_target(&self, by: isize) {
        let Some(drag) = self.drag.get_untracked() else {
            return;
        };
        let targets = self.targets(&drag.process);
        let here = drag
            .target
            .as_ref()
            .and_then(|t| targets.iter().position(|x| x == t))
            .unwrap_or(0) as isize;
        let next = (here + by).clamp(0, targets.len() as isize - 1) as usize;
        self.hover(targets[next].clone());
        self.announce_target();
    }

    /// The card being moved is over `target` (or over nothing).
    pub fn hover(&self, target: Target) {
        self.drag.update(|d| {
            if let Some(d) = d {
                if d.target.as_ref() != Some(&target) {
                    d.target = Some(target);
                }
            }
        });
    }

    fn announce_target(&self) {
        let Some(Drag {
            case_id,
            process,
            target: Some(target),
            ..
        }) = self.drag.get_untracked()
        else {
            return;
        };
        let lang = self.lang_now();
        let t = board_texts(lang);
        let name = self.target_name(&process, &target);
        let text = match self.plan(case_id, &target) {
            Some(MovePlan::Refused(why)) => (t.over_refused)(name.get(lang), why.get(lang)),
            _ => (t.over)(name.get(lang)),
        };
        self.say(text);
    }

    /// Puts the card down where it was.
    pub fn cancel(&self) {
        if let Some(drag) = self.drag.get_untracked() {
            if drag.keyboard {
                if let Some(card) = self.card(drag.case_id) {
                    self.say((board_texts(self.lang_now()).cancelled)(&card.title));
                }
            }
            self.drag.set(None);
            self.settle(drag.case_id);
        }
    }

    /// Fetches a card again if it changed while it was being moved.
    fn settle(&self, case_id: i64) {
        let missed = self.missed.try_update_value(|m| {
            let was = m.contains(&case_id);
            m.retain(|id| *id != case_id);
            was
        });
        if missed == Some(true) {
            self.refresh_card(case_id);
        }
    }

    /// Drops the card being moved on its target.
    pub fn drop_here(&self) {
        let Some(drag) = self.drag.get_untracked() else {
            return;
        };
        self.drag.set(None);
        let Some(target) = drag.target else {
            return;
        };
        let Some(card) = self.card(drag.case_id) else {
            return;
        };
        let lang = self.lang_now();
        if self.is_pending(card.case_id) {
            return;
        }
        match self.plan(drag.case_id, &target) {
            None | Some(MovePlan::Stay) => {
                if drag.keyboard {
                    self.say((board_texts(lang).cancelled)(&card.title));
                }
                self.settle(card.case_id);
            }
            Some(MovePlan::Refused(why)) => {
                self.say((board_texts(lang).refused)(why.get(lang)));
                self.set_refusal(card.case_id, vec![why]);
                self.settle(card.case_id);
            }
            Some(plan) => {
                // A column at its limit asks first (the server checks again).
                let landing = match &plan {
                    MovePlan::Complete { .. } => card.forward_to.clone(),
                    MovePlan::Return { to } => Some(to.clone()),
                    _ => None,
                };
                if let Some(step) = landing {
                    let (count, limit) = self.column_load(&card.process, &step);
                    let count = count.saturating_sub(usize::from(card.step == step));
                    if let Some(limit) = limit.filter(|l| count >= *l as usize) {
                        let column = self.target_name(&card.process, &Target::Step(step));
                        let lang = self.lang_now();
                        self.say((board_texts(lang).over_limit_ask)(
                            column.get(lang),
                            count,
                            limit,
                        ));
                        self.asking_over_limit.set(Some(OverLimitAsk {
                            case_id: card.case_id,
                            title: card.title.clone(),
                            column,
                            count,
                            limit,
                            plan,
                        }));
                        return;
                    }
                }
                self.carry_out(card, plan, false);
            }
        }
    }

    /// Carries out a move decided on (and, past a column's limit, confirmed).
    fn carry_out(&self, card: Card, plan: MovePlan, over_limit: bool) {
        match plan {
            MovePlan::Complete { step } => {
                let landing = card.forward_to.clone();
                self.send(card, Command::CompleteStep { step }, landing, over_limit);
            }
            MovePlan::Return { to } => {
                let to_name = self.target_name(&card.process, &Target::Step(to.clone()));
                self.asking_return.set(Some(ReturnAsk {
                    case_id: card.case_id,
                    version: card.version,
                    to,
                    to_name,
                    title: card.title.clone(),
                    over_limit,
                }));
            }
            MovePlan::Stay | MovePlan::Refused(_) => {}
        }
    }

    /// The mover's answer to a move past a column's limit.
    pub fn answer_over_limit(&self, go: bool) {
        let Some(ask) = self.asking_over_limit.get_untracked() else {
            return;
        };
        self.asking_over_limit.set(None);
        let Some(card) = self.card(ask.case_id) else {
            return;
        };
        if go {
            self.carry_out(card, ask.plan, true);
        } else {
            self.say((board_texts(self.lang_now()).cancelled)(&card.title));
            self.settle(card.case_id);
            request_animation_frame(move || focus_card(ask.case_id));
        }
    }

    /// Sends the return asked for, with its reason.
    pub fn confirm_return(&self, reason: String) {
        let Some(ask) = self.asking_return.get_untracked() else {
            return;
        };
        self.asking_return.set(None);
        if let Some(mut card) = self.card(ask.case_id) {
            card.version = ask.version;
            let command = Command::ReturnTo {
                step: ask.to.clone(),
                reason,
            };
            self.send(card, command, Some(ask.to), ask.over_limit);
        }
    }

    pub fn set_refusal(&self, case_id: i64, reasons: Vec<Text>) {
        self.refusals.update(|r| {
            r.retain(|(id, _)| *id != case_id);
            if !reasons.is_empty() {
                r.push((case_id, reasons));
            }
        });
    }

    fn upsert(&self, card: Card) {
        self.cards.update(|all| {
            match all.iter_mut().find(|c| c.case_id == card.case_id) {
                Some(slot) => *slot = card,
                None => all.push(card),
            };
        });
    }

    /// Takes a case off the board; it stays off unless a newer version than `version` comes.
    fn remove(&self, case_id: i64, version: i64) {
        self.gone.update_value(|g| {
            g.retain(|(id, _)| *id != case_id);
            g.push((case_id, version));
        });
        self.cards
            .update(|all| all.retain(|c| c.case_id != case_id));
    }

    /// Whether `card` is older than what this board already knows of its case.
    fn is_stale(&self, card: &Card) -> bool {
        self.left_since(card)
            || self
                .card(card.case_id)
                .is_some_and(|mine| mine.version > card.version)
    }

    /// Whether `card`'s case left the board at its version or later.
    fn left_since(&self, card: &Card) -> bool {
        self.gone.with_value(|g| {
            g.iter()
                .any(|(id, v)| *id == card.case_id && *v >= card.version)
        })
    }

    /// Applies a move at once and sends it; the server's card replaces the guess, or the card
    /// goes back where it was with the reasons of the refusal.
    fn send(&self, card: Card, command: Command, landing: Option<StepCode>, over_limit: bool) {
        let state = *self;
        let id = card.case_id;
        state.set_refusal(id, Vec::new());
        if !state.kept.with_untracked(|k| k.contains(&id)) {
            state.kept.update(|k| k.push(id));
        }
        match &landing {
            Some(step) => {
                let mut moved = card.clone();
                moved.step = step.clone();
                state.upsert(moved);
            }
            None => state.cards.update(|all| all.retain(|c| c.case_id != id)),
        }
        state.pending.update(|p| p.push(id));
        let lang = state.lang_now();
        state.say(board_texts(lang).saving.to_string());
        leptos::task::spawn_local(async move {
            // Someone (or the scheduler, recording an escalation) may have changed the case
            // since it was drawn. If it is still at the step the move started from, the move
            // still means what the user meant: send it once more at the case's version.
            let mut card = card;
            let confirm = over_limit.then_some(true);
            let mut answer = apply_board_command(id, card.version, command.clone(), confirm).await;
            if matches!(answer, Err(AppError::Conflict { .. })) {
                if let Ok(Some(fresh)) = get_board_card(id).await {
                    if fresh.step == card.step {
                        card = fresh;
                        answer = apply_board_command(id, card.version, command, confirm).await;
                    }
                }
            }
            state.pending.update(|p| p.retain(|x| *x != id));
            let lang = state.lang_now();
            let t = board_texts(lang);
            match answer {
                Ok(Some(now)) => {
                    let name = state.target_name(&now.process, &Target::Step(now.step.clone()));
                    state.say((t.moved)(&now.title, name.get(lang)));
                    state.upsert(now);
                }
                Ok(None) => {
                    state.remove(id, card.version + 1);
                    state.say((t.finished)(&card.title));
                }
                Err(error) => {
                    let reasons = reasons_of(&error);
                    let text = reasons
                        .iter()
                        .map(|r| r.get(lang).to_string())
                        .collect::<Vec<_>>()
                        .join(" ");
                    state.upsert(card.clone());
                    state.set_refusal(id, reasons);
                    state.say((t.refused)(&text));
                    if matches!(error, AppError::Conflict { .. }) {
                        state.refresh_card(id);
                    }
                }
            }
            state.settle(id);
            // After the board has rendered the card where it now is.
            request_animation_frame(move || focus_card(id));
        });
    }

    /// The server's answer to an operation made elsewhere on the page (the card's drawer):
    /// the card as it now stands, or `None` once the case left the board.
    pub fn took(&self, id: i64, answer: Option<Card>, version_before: i64) {
        match answer {
            Some(card) if !self.is_stale(&card) => self.upsert(card),
            Some(_) => {}
            None => self.remove(id, version_before + 1),
        }
    }

    /// Fetches one card again (after a conflict, or when a live event names it).
    pub fn refresh_card(&self, id: i64) {
        let state = *self;
        leptos::task::spawn_local(async move {
            match get_board_card(id).await {
                Ok(Some(card)) => {
                    if state.busy(id) {
                        state.missed.update_value(|m| m.push(id));
                    } else if !state.is_stale(&card) {
                        state.upsert(card);
                    }
                }
                Ok(None) | Err(AppError::NotFound) | Err(AppError::Forbidden) => {
                    let known = state.card(id).map_or(0, |c| c.version);
                    state.remove(id, known);
                }
                Err(_) => {}
            }
        });
    }

    /// A change heard on the live connection.
    pub fn heard(&self, event: CaseChanged) {
        if event.function != self.function.get_value() {
            return;
        }
        if self.busy(event.case) {
            self.missed.update_value(|m| m.push(event.case));
            return;
        }
        match self.card(event.case) {
            Some(mine) if mine.version >= event.version => {}
            _ if !event.open => {
                self.remove(event.case, event.version);
                // It may have been closed: the overview's 已办结 column comes with the board.
                if self.overview_shown.get_value() {
                    self.reload();
                }
            }
            _ => self.refresh_card(event.case),
        }
    }

    /// The card is being moved (dragged, picked up, or its move not yet answered): changes
    /// to it wait until the move settles.
    fn busy(&self, id: i64) -> bool {
        self.is_pending(id)
            || self
                .drag
                .with_untracked(|d| d.as_ref().is_some_and(|d| d.case_id == id))
    }

    /// Loads the whole board again (after a reconnection, or to bring SLA states up to date);
    /// cards with a move in flight keep their place.
    pub fn reload(&self) {
        let state = *self;
        leptos::task::spawn_local(async move {
            // Moves made while the board is on its way are kept, and so is anything newer
            // than what it brings.
            let started: Vec<(i64, i64)> = state
                .cards
                .with_untracked(|all| all.iter().map(|c| (c.case_id, c.version)).collect());
            let Ok(board) = get_board(state.function.get_value(), None).await else {
                return;
            };
            let limits = limits_of_board(&board);
            let fresh: Vec<Card> = board
                .lanes
                .into_iter()
                .flat_map(|l| l.columns)
                .flat_map(|c| c.cards)
                // (One older than the card held is not taken: see the merge below.)
                .filter(|c| !state.busy(c.case_id) && !state.left_since(c))
                .collect();
            let started: std::collections::HashSet<(i64, i64)> = started.into_iter().collect();
            let mut fresh: std::collections::HashMap<i64, Card> =
                fresh.into_iter().map(|c| (c.case_id, c)).collect();
            state.cards.update(|all| {
                // A card absent from the fresh board left it, unless it changed meanwhile.
                all.retain(|mine| {
                    fresh.contains_key(&mine.case_id)
                        || state.busy(mine.case_id)
                        || !started.contains(&(mine.case_id, mine.version))
                });
                for slot in all.iter_mut() {
                    if let Some(card) = fresh.remove(&slot.case_id) {
                        if slot.version <= card.version {
                            *slot = card;
                        }
                    }
                }
                // The rest are new to this board (newest last, as they come).
                let mut new: Vec<Card> = fresh.into_values().collect();
                new.sort_by_key(|c| c.case_id);
                all.extend(new);
            });
            state.limits.set(limits);
            // Every card is here now: the board counts them itself.
            state.counts.set(None);
            state.closed.set(board.closed);
            state.as_of.set(board.as_of);
        });
    }
}

/// The limits set on a board's columns.
fn limits_of_board(board: &Board) -> Vec<WipLimit> {
    board
        .lanes
        .iter()
        .flat_map(|lane| {
            lane.columns.iter().filter_map(|c| {
                c.limit.map(|limit| WipLimit {
                    process: lane.process.clone(),
                    step: c.step.clone(),
                    limit,
                })
            })
        })
        .collect()
}

/// The reasons a refusal gives, one per unmet rule.
pub(crate) fn reasons_of(error: &AppError) -> Vec<Text> {
    match error {
        AppError::Invalid { fields } => fields.iter().map(|f| f.message.clone()).collect(),
        other => vec![Text::new(other.message(Lang::Zh), other.message(Lang::En))],
    }
}

/// Gives the keyboard focus back to a card after it moved (its element is new).
pub fn focus_card(id: i64) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        // The card on the view shown (the lanes are hidden under the overview).
        let selector =
            format!(".board:not([hidden]) [data-case=\"{id}\"], .overview [data-case=\"{id}\"]");
        let found = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(&selector).ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = found {
            let _ = element.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}
