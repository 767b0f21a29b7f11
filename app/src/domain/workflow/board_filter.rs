//! Which cards a board shows: the filters a viewer sets (mine, my roles, overdue, due soon,
//! a process, a department, words to search for), kept in the page's address so a filtered
//! board can be shared as a link (`?mine=1&overdue=1&process=incoming_document&q=通知`).

use crate::domain::calendar::SlaState;
use crate::domain::catalog::RoleCode;

use super::board::{Board, BoardCounts, Card, ColumnCount, Lane, LaneCount};

/// The filters in force; the default shows every card.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BoardFilter {
    /// Cases assigned to me or raised by me.
    pub mine: bool,
    /// Cases at a step owned by one of my roles.
    pub my_roles: bool,
    pub overdue: bool,
    pub due_soon: bool,
    pub process: Option<String>,
    pub department: Option<String>,
    /// Words to find in the title, number, requester or department (all of them, any case).
    pub text: String,
}

/// Who is looking, as the filters need it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Viewer {
    pub user: i64,
    pub roles: Vec<RoleCode>,
}

impl Viewer {
    /// The viewer the filters see in `actor`: their user number and roles.
    pub fn of(actor: &super::Actor) -> Viewer {
        Viewer {
            user: actor.user.0,
            roles: actor.roles.clone(),
        }
    }
}

impl BoardFilter {
    /// Reads the filters from query pairs (unknown keys are ignored; empty values are unset).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> BoardFilter {
        let mut filter = BoardFilter::default();
        for (key, value) in pairs {
            let value = value.trim();
            let on = matches!(value, "1" | "true" | "yes");
            match key {
                "mine" => filter.mine = on,
                "role" => filter.my_roles = on,
                "overdue" => filter.overdue = on,
                "soon" => filter.due_soon = on,
                "process" if !value.is_empty() => filter.process = Some(value.to_string()),
                "department" if !value.is_empty() => filter.department = Some(value.to_string()),
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
        if let Some(p) = &self.process {
            pairs.push(("process", p.clone()));
        }
        if let Some(d) = &self.department {
            pairs.push(("department", d.clone()));
        }
        if !self.text.trim().is_empty() {
            pairs.push(("q", self.text.trim().to_string()));
        }
        pairs
    }

    pub fn is_default(&self) -> bool {
        self == &BoardFilter::default()
    }

    /// Whether `card` passes every filter in force. "Overdue" and "due soon" together show
    /// either; the others narrow.
    pub fn shows(&self, card: &Card, viewer: &Viewer) -> bool {
        self.shows_at(card, card.sla, viewer)
    }

    /// [`BoardFilter::shows`] for a card whose SLA state is `sla` (a card's facts carry none).
    pub fn shows_at(&self, card: &Card, sla: Option<SlaState>, viewer: &Viewer) -> bool {
        if self.mine && card.assignee != Some(viewer.user) && card.requester_id != viewer.user {
            return false;
        }
        if self.my_roles && !viewer.roles.iter().any(|r| r.as_str() == card.owner) {
            return false;
        }
        if self.overdue || self.due_soon {
            let late = self.overdue && sla == Some(SlaState::Overdue);
            let soon = self.due_soon && sla == Some(SlaState::DueSoon);
            if !late && !soon {
                return false;
            }
        }
        if self.process.as_ref().is_some_and(|p| p != &card.process) {
            return false;
        }
        if self
            .department
            .as_ref()
            .is_some_and(|d| card.department.as_ref() != Some(d))
        {
            return false;
        }
        if self.text.trim().is_empty() {
            return true;
        }
        let haystack = format!(
            "#{} {} {} {}",
            card.case_id,
            card.title,
            card.requester,
            card.department.as_deref().unwrap_or_default()
        )
        .to_lowercase();
        self.text
            .split_whitespace()
            .all(|word| haystack.contains(&word.to_lowercase()))
    }
}

/// The board a page draws first: each column keeps the first `window` cards `filter` shows
/// (columns are in board order), and the board carries the counts the whole would give. The
/// page's resource is then a screenful of cards, not every one; the browser loads the rest
/// once the page is live.
pub fn first_cards(
    mut board: Board,
    filter: &BoardFilter,
    viewer: &Viewer,
    window: usize,
) -> Board {
    let placed: Vec<Vec<Vec<Card>>> = board
        .lanes
        .iter_mut()
        .map(|lane| {
            lane.columns
                .iter_mut()
                .map(|column| std::mem::take(&mut column.cards))
                .collect()
        })
        .collect();
    let counts = keep_first(
        &mut board.lanes,
        placed,
        |card| (card, card.sla),
        |card| card,
        filter,
        viewer,
        window,
    );
    board.counts = Some(counts);
    board
}

/// Fills each column of `lanes` with the first `window` of its `placed` items (one list per
/// lane and column, in board order) that `filter` shows, made into cards by `make` (only
/// those kept are made), and counts what the whole gives. `look` gives an item's card and
/// SLA state, which may be one the card itself does not carry yet.
pub(crate) fn keep_first<T>(
    lanes: &mut [Lane],
    placed: Vec<Vec<Vec<T>>>,
    look: impl Fn(&T) -> (&Card, Option<SlaState>),
    make: impl Fn(T) -> Card,
    filter: &BoardFilter,
    viewer: &Viewer,
    window: usize,
) -> BoardCounts {
    let mut counts = BoardCounts {
        filter: filter
            .to_pairs()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        ..BoardCounts::default()
    };
    let mut departments = std::collections::BTreeSet::new();
    for (lane, columns) in lanes.iter_mut().zip(placed) {
        let mut shown_in_lane = LaneCount {
            process: lane.process.clone(),
            ..LaneCount::default()
        };
        for (column, items) in lane.columns.iter_mut().zip(columns) {
            let all = items.len();
            let mut shown = 0;
            let mut kept = Vec::with_capacity(window.min(all));
            for item in items {
                let (card, sla) = look(&item);
                if let Some(d) = &card.department {
                    departments.insert(d.as_str().to_owned());
                }
                if !filter.shows_at(card, sla, viewer) {
                    continue;
                }
                shown += 1;
                shown_in_lane.open += 1;
                shown_in_lane.overdue += usize::from(sla == Some(SlaState::Overdue));
                if kept.len() < window {
                    kept.push(make(item));
                }
            }
            column.cards = kept;
            counts.all += all;
            counts.shown += shown;
            counts.columns.push(ColumnCount {
                process: lane.process.clone(),
                step: column.step.clone(),
                all,
                shown,
            });
        }
        counts.lanes.push(shown_in_lane);
    }
    counts.departments = departments.into_iter().collect();
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::StepCode;
    use crate::domain::lang::Text;

    fn card(id: i64) -> Card {
        Card {
            case_id: id,
            version: 1,
            process: "incoming_document".into(),
            title: "关于年末安全检查的通知".into(),
            requester_id: 10,
            requester: "张敏".into(),
            department: Some("市场部".into()),
            step: StepCode::new("sign_and_number"),
            forward_to: None,
            owner: "document_clerk".into(),
            owner_name: Text::new("公文文员", "Document clerk"),
            assignee: None,
            due_at: None,
            sla: Some(SlaState::OnTime),
            sla_left: None,
            approvals_missing: 0,
            outputs_missing: 0,
            escalated: false,
            started: false,
        }
    }

    fn viewer(user: i64, roles: &[&str]) -> Viewer {
        Viewer {
            user,
            roles: roles.iter().map(|r| RoleCode::new(*r)).collect(),
        }
    }

    #[test]
    fn filters_read_from_the_address_and_written_back_the_same() {
        let f = BoardFilter::from_pairs([
            ("mine", "1"),
            ("overdue", "1"),
            ("process", "incoming_document"),
            ("department", ""),
            ("q", "  安全 检查 "),
            ("page", "2"),
        ]);
        assert!(f.mine && f.overdue && !f.my_roles && !f.due_soon);
        assert_eq!(f.process.as_deref(), Some("incoming_document"));
        assert_eq!(f.department, None, "an empty value is unset");
        let pairs = f.to_pairs();
        let again = BoardFilter::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(again, f);
        assert!(BoardFilter::default().to_pairs().is_empty());
        assert!(BoardFilter::default().is_default());
        let long = "字".repeat(500);
        assert_eq!(
            BoardFilter::from_pairs([("q", long.as_str())])
                .text
                .chars()
                .count(),
            100
        );
    }

    #[test]
    fn each_filter_narrows_and_the_sla_filters_show_either_state() {
        let me = viewer(10, &["employee"]);
        let clerk = viewer(20, &["document_clerk"]);
        let mut late = card(1);
        late.sla = Some(SlaState::Overdue);
        let mut soon = card(2);
        soon.sla = Some(SlaState::DueSoon);
        soon.requester_id = 30;
        soon.assignee = Some(20);
        soon.department = None;
        let fine = card(3);
        let all = [&late, &soon, &fine];
        let shown = |f: &BoardFilter, v: &Viewer| -> Vec<i64> {
            all.iter()
                .filter(|c| f.shows(c, v))
                .map(|c| c.case_id)
                .collect()
        };
        let f = |pairs: &[(&str, &str)]| BoardFilter::from_pairs(pairs.iter().copied());
        assert_eq!(shown(&BoardFilter::default(), &me), [1, 2, 3]);
        assert_eq!(shown(&f(&[("mine", "1")]), &me), [1, 3], "raised by me");
        assert_eq!(shown(&f(&[("mine", "1")]), &clerk), [2], "assigned to me");
        assert_eq!(shown(&f(&[("role", "1")]), &me), Vec::<i64>::new());
        assert_eq!(shown(&f(&[("role", "1")]), &clerk), [1, 2, 3]);
        assert_eq!(shown(&f(&[("overdue", "1")]), &me), [1]);
        assert_eq!(shown(&f(&[("overdue", "1"), ("soon", "1")]), &me), [1, 2]);
        assert_eq!(shown(&f(&[("department", "市场部")]), &me), [1, 3]);
        assert_eq!(
            shown(&f(&[("process", "outgoing_document")]), &me),
            Vec::<i64>::new()
        );
        assert_eq!(shown(&f(&[("q", "安全 张敏")]), &me), [1, 2, 3]);
        assert_eq!(shown(&f(&[("q", "#2")]), &me), [2]);
        assert_eq!(shown(&f(&[("q", "安全 李")]), &me), Vec::<i64>::new());
        assert_eq!(shown(&f(&[("q", "市场部"), ("overdue", "1")]), &me), [1]);
    }

    #[test]
    fn a_page_draws_the_first_cards_the_filters_show_and_counts_the_rest() {
        use crate::domain::lang::Text;
        use crate::domain::workflow::board::{Board, Column, Lane};
        let column = |step: &str, cards: Vec<Card>| Column {
            step: StepCode::new(step),
            number: 1,
            name: Text::new(step, step),
            owner_name: Text::new("", ""),
            cards,
            limit: None,
        };
        // 30 cards in the first column (every third one overdue, the odd ones of 财务部),
        // 2 in the second.
        let first: Vec<Card> = (1..=30)
            .map(|id| {
                let mut c = card(id);
                if id % 3 == 0 {
                    c.sla = Some(SlaState::Overdue);
                }
                if id % 2 == 1 {
                    c.department = Some("财务部".into());
                }
                c
            })
            .collect();
        let mut second = vec![card(31), card(32)];
        for c in &mut second {
            c.step = StepCode::new("submit_for_instructions");
        }
        let board = Board {
            function: "documents".into(),
            name: Text::new("文书", "Documents"),
            accent: String::new(),
            lanes: vec![Lane {
                process: "incoming_document".into(),
                name: Text::new("收文", "Incoming"),
                columns: vec![
                    column("sign_and_number", first),
                    column("submit_for_instructions", second),
                ],
                open: 32,
                overdue: 10,
            }],
            as_of: String::new(),
            may_set_limits: false,
            closed: Vec::new(),
            counts: None,
        };
        let me = viewer(10, &[]);

        let page = first_cards(board.clone(), &BoardFilter::default(), &me, 24);
        let counts = page.counts.as_ref().expect("counts");
        let columns = &page.lanes[0].columns;
        assert_eq!((columns[0].cards.len(), columns[1].cards.len()), (24, 2));
        assert_eq!(columns[0].cards[23].case_id, 24, "the first in board order");
        let step = StepCode::new("sign_and_number");
        let col = counts.column("incoming_document", &step).expect("column");
        assert_eq!((col.all, col.shown), (30, 30));
        assert_eq!((counts.shown, counts.all), (32, 32));
        let lane = counts.lane("incoming_document").expect("lane");
        assert_eq!((lane.open, lane.overdue), (32, 10));
        assert_eq!(counts.departments, ["市场部", "财务部"]);
        assert!(counts.filter.is_empty());

        // Filtered: the first cards are the first the filters show, the counts theirs.
        let filter = BoardFilter::from_pairs([("overdue", "1")]);
        let page = first_cards(board, &filter, &me, 4);
        let counts = page.counts.as_ref().expect("counts");
        let ids: Vec<i64> = page.lanes[0].columns[0]
            .cards
            .iter()
            .map(|c| c.case_id)
            .collect();
        assert_eq!(ids, [3, 6, 9, 12]);
        assert!(page.lanes[0].columns[1].cards.is_empty());
        let col = counts.column("incoming_document", &step).expect("column");
        assert_eq!((col.all, col.shown), (30, 10));
        assert_eq!((counts.shown, counts.all), (10, 32));
        let lane = counts.lane("incoming_document").expect("lane");
        assert_eq!((lane.open, lane.overdue), (10, 10));
        assert_eq!(counts.filter, [("overdue".to_string(), "1".to_string())]);
        // Every department stays a choice, whatever the filters show.
        assert_eq!(counts.departments.len(), 2);
    }
}
