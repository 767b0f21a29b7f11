//! The calendar's open dated rows, kept in memory per server instance: the deadline of every
//! step under way and every date an open case carries, sorted by instant, with what the
//! calendar filters on (the case's function, requester, assignees, process and catalog
//! version). A month is then a range scan of compact rows in memory, and only the few rows a
//! day shows are named, instead of the database touching the month's rows twice per request.
//!
//! How it stays true to the database:
//! - It is loaded whole from the open cases' stored bodies (one `SELECT`), the first time a
//!   calendar is read or when the server starts, and again every [`RELOAD_EVERY`] as a safety
//!   net.
//! - Every write this instance commits updates it at once with the case as written (the store
//!   calls [`OpenDates::record`] after `COMMIT`), so a reader on this instance sees their own
//!   change on the next read.
//! - Changes other instances commit (PostgreSQL, `LISTEN`/`NOTIFY`, see [`crate::events`]) are
//!   read back from the database, a few cases per statement; when notifications may have been
//!   missed, the whole index is loaded again.
//! - Changes carry the case's version and an older version never replaces a newer one, so
//!   updates that race (two commits' follow-ups, a reload and a write) settle on the newest.
//!   A case that left (closed or cancelled) is remembered with the version it left at.
//! - While a reload reads its snapshot, the changes made meanwhile are kept and applied to the
//!   new index before it replaces the old one, so none is lost between the two.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock, Weak};
use std::time::Duration;

use app::domain::catalog::Process;
use app::domain::workflow::agenda::{case_events, DeadlineRow, EventRow};
use app::domain::workflow::Case;
use app::error::AppError;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use futures::StreamExt;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::case_repo::{process_of, read_case};
use super::case_rows::status_code;
use super::entities::case as row;
use super::to_app_error;
use crate::events::CaseEvents;
use app::domain::workflow::board::CaseChanged;

/// How often the whole index is read again, in case a change escaped it (a notification lost
/// with the instance that made it, a write made by another program).
pub const RELOAD_EVERY: Duration = Duration::from_secs(300);
/// How long other instances' changes are gathered before they are read back together.
const GATHER: Duration = Duration::from_millis(10);
/// At most this many cases read back per statement.
const MAX_GATHERED: usize = 200;

/// The deadline of a step under way.
#[derive(Clone, Debug, PartialEq)]
struct Deadline {
    seq: i32,
    step: String,
    owner_role: String,
    assignee: Option<i64>,
    activated_at: DateTime<Utc>,
    due_at: DateTime<Utc>,
    provisional: bool,
}

/// A date the case carries (a meeting's start, a visit).
#[derive(Clone, Debug, PartialEq)]
struct Planned {
    field: String,
    at: DateTime<Utc>,
    all_day: bool,
}

/// An open case as the calendar needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenCase {
    id: i64,
    version: i64,
    catalog_version: u32,
    process: String,
    function: String,
    title: String,
    requester_id: i64,
    department: Option<String>,
    /// Everyone a step of the case was ever assigned to (they may see the case).
    assignees: Vec<i64>,
    deadlines: Vec<Deadline>,
    events: Vec<Planned>,
}

impl OpenCase {
    /// The calendar's view of `case` (of `process`, whole-day dates in `zone`): the same rows
    /// the database holds for it (`step_instances` under way with a due time, `case_events`).
    pub fn of(case: &Case, process: &Process, zone: Tz) -> OpenCase {
        let mut assignees: Vec<i64> = case
            .steps
            .iter()
            .filter_map(|s| s.assignee.map(|u| u.0))
            .collect();
        assignees.sort_unstable();
        assignees.dedup();
        OpenCase {
            id: case.id.0,
            version: case.version,
            catalog_version: case.catalog_version,
            process: case.process.to_string(),
            function: process.function.to_string(),
            title: case.title.clone(),
            requester_id: case.requester.id.0,
            department: case.department.clone(),
            assignees,
            deadlines: case
                .steps
                .iter()
                .enumerate()
                .filter(|(_, s)| s.completed_at.is_none())
                .filter_map(|(i, s)| {
                    let due = s.due?;
                    Some(Deadline {
                        seq: i as i32 + 1,
                        step: s.step.to_string(),
                        owner_role: s.owner.to_string(),
                        assignee: s.assignee.map(|u| u.0),
                        activated_at: s.activated_at,
                        due_at: due.at,
                        provisional: due.provisional,
                    })
                })
                .collect(),
            events: case_events(process, case, zone)
                .into_iter()
                .map(|(field, at, all_day)| Planned { field, at, all_day })
                .collect(),
        }
    }

    fn deadline_row(&self, d: &Deadline) -> DeadlineRow {
        DeadlineRow {
            case_id: self.id,
            seq: d.seq,
            version: self.version,
            catalog_version: self.catalog_version,
            process: self.process.clone(),
            title: self.title.clone(),
            requester_id: self.requester_id,
            department: self.department.clone(),
            step: d.step.clone(),
            owner_role: d.owner_role.clone(),
            assignee: d.assignee,
            activated_at: d.activated_at,
            due_at: d.due_at,
            provisional: d.provisional,
        }
    }

    fn event_row(&self, e: &Planned) -> EventRow {
        EventRow {
            case_id: self.id,
            version: self.version,
            catalog_version: self.catalog_version,
            process: self.process.clone(),
            title: self.title.clone(),
            requester_id: self.requester_id,
            department: self.department.clone(),
            field: e.field.clone(),
            at: e.at,
            all_day: e.all_day,
        }
    }
}

/// A change to the index: a case as it now is, or a case that left at a version.
#[derive(Clone, Debug)]
pub enum Change {
    Open(Arc<OpenCase>),
    Left { id: i64, version: i64 },
}

impl Change {
    /// The change `case` (of `process`) makes, as committed.
    pub fn of(case: &Case, process: &Process, zone: Tz) -> Change {
        if case.is_open() {
            Change::Open(Arc::new(OpenCase::of(case, process, zone)))
        } else {
            Change::Left {
                id: case.id.0,
                version: case.version,
            }
        }
    }

    fn key(&self) -> (i64, i64) {
        match self {
            Change::Open(case) => (case.id, case.version),
            Change::Left { id, version } => (*id, *version),
        }
    }
}

/// A row's place in a sorted list: instant, case, and its position in the case's list.
type Key = (DateTime<Utc>, i64, u32);

/// The open cases' dated rows, sorted by instant.
#[derive(Default)]
pub struct Index {
    cases: HashMap<i64, Arc<OpenCase>>,
    /// Cases that left, with the version they left at (older changes of them are ignored).
    left: HashMap<i64, i64>,
    deadlines: BTreeSet<Key>,
    events: BTreeSet<Key>,
}

/// Who sees which cases (as `may_view` decides): everyone's, or their own (requested or
/// assigned) and those of the processes they see whole, per catalog version.
pub struct Sight {
    pub all: bool,
    pub me: i64,
    pub whole: HashMap<u32, HashSet<String>>,
}

impl Sight {
    fn sees(&self, case: &OpenCase) -> bool {
        self.all
            || case.requester_id == self.me
            || case.assignees.binary_search(&self.me).is_ok()
            || self
                .whole
                .get(&case.catalog_version)
                .is_some_and(|processes| processes.contains(&case.process))
    }
}

/// The month view's filters on rows (see `CalendarFilter::store_applies`).
#[derive(Default)]
pub struct RowFilter<'a> {
    pub function: Option<&'a str>,
    /// Assigned to me or requested by me (case dates: requested by me).
    pub mine: bool,
    /// Owned by one of these roles (case dates have no owner: none kept).
    pub roles: Option<&'a [String]>,
    /// Due before `now` (case dates have no SLA: none kept).
    pub overdue: bool,
}

/// A day's rows passing the filter, and how many of its deadlines are overdue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DayTally {
    pub items: usize,
    pub overdue: usize,
}

/// What [`Index::sample`] found.
#[derive(Debug, Default, PartialEq)]
pub struct Sampled {
    pub deadlines: Vec<DeadlineRow>,
    pub events: Vec<EventRow>,
    /// Per day asked for (by index), its tally.
    pub days: Vec<DayTally>,
}

impl Index {
    fn version_of(&self, id: i64) -> Option<i64> {
        self.cases
            .get(&id)
            .map(|c| c.version)
            .or_else(|| self.left.get(&id).copied())
    }

    /// Applies `change` unless the index already holds the case at a newer version.
    pub fn apply(&mut self, change: &Change) {
        let (id, version) = change.key();
        if self.version_of(id).is_some_and(|held| held > version) {
            return;
        }
        self.remove(id);
        match change {
            Change::Open(case) => {
                self.left.remove(&id);
                for (n, d) in case.deadlines.iter().enumerate() {
                    self.deadlines.insert((d.due_at, id, n as u32));
                }
                for (n, e) in case.events.iter().enumerate() {
                    self.events.insert((e.at, id, n as u32));
                }
                self.cases.insert(id, case.clone());
            }
            Change::Left { .. } => {
                self.left.insert(id, version);
            }
        }
    }

    fn remove(&mut self, id: i64) {
        if let Some(old) = self.cases.remove(&id) {
            for (n, d) in old.deadlines.iter().enumerate() {
                self.deadlines.remove(&(d.due_at, id, n as u32));
            }
            for (n, e) in old.events.iter().enumerate() {
                self.events.remove(&(e.at, id, n as u32));
            }
        }
    }

    /// How many open cases it holds.
    pub fn len(&self) -> usize {
        self.cases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cases.is_empty()
    }

    /// The rows of `list` in `[from, to)` whose case passes `keep`, in order, with their case.
    fn in_range<'a>(
        &'a self,
        list: &'a BTreeSet<Key>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> impl Iterator<Item = (&'a Key, &'a OpenCase)> + 'a {
        let start = (from, i64::MIN, 0);
        let end = (to, i64::MIN, 0);
        list.range(start..end)
            .filter_map(move |key| Some((key, self.cases.get(&key.1)?.as_ref())))
    }

    /// Every deadline and case date in `[from, to)` of the cases `sight` sees.
    pub fn rows_in(
        &self,
        sight: &Sight,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> (Vec<DeadlineRow>, Vec<EventRow>) {
        let deadlines = self
            .in_range(&self.deadlines, from, to)
            .filter(|(_, case)| sight.sees(case))
            .filter_map(|(key, case)| Some(case.deadline_row(case.deadlines.get(key.2 as usize)?)))
            .collect();
        let events = self
            .in_range(&self.events, from, to)
            .filter(|(_, case)| sight.sees(case))
            .filter_map(|(key, case)| Some(case.event_row(case.events.get(key.2 as usize)?)))
            .collect();
        (deadlines, events)
    }

    /// The month view's sample of the days bounded by `bounds` (each day's start, then the
    /// end of the last): per day, the deadlines and case dates passing `sight` and `filter`
    /// counted (deadlines due before `now` counted overdue), and the first `per_day` of each
    /// kind by instant then case (rows tied with the last one kept, as SQL's `RANK()` would),
    /// with the sampled cases' other dates in the range (a drag moves them together).
    pub fn sample(
        &self,
        sight: &Sight,
        filter: &RowFilter<'_>,
        bounds: &[DateTime<Utc>],
        now: DateTime<Utc>,
        per_day: usize,
    ) -> Sampled {
        let days = bounds.len().saturating_sub(1);
        let mut out = Sampled {
            days: vec![DayTally::default(); days],
            ..Sampled::default()
        };
        if days == 0 {
            return out;
        }
        let (from, to) = (bounds[0], bounds[days]);
        let me = sight.me;
        let function_ok = |case: &OpenCase| filter.function.is_none_or(|f| case.function == f);
        // Deadlines.
        {
            let mut ranks = Ranks::new(bounds);
            for (key, case) in self.in_range(&self.deadlines, from, to) {
                let Some(d) = case.deadlines.get(key.2 as usize) else {
                    continue;
                };
                let kept = sight.sees(case)
                    && function_ok(case)
                    && (!filter.mine || d.assignee == Some(me) || case.requester_id == me)
                    && filter
                        .roles
                        .is_none_or(|roles| roles.contains(&d.owner_role))
                    && (!filter.overdue || d.due_at < now);
                if !kept {
                    continue;
                }
                let (day, rank) = ranks.place(key);
                out.days[day].items += 1;
                if d.due_at < now {
                    out.days[day].overdue += 1;
                }
                if rank <= per_day {
                    out.deadlines.push(case.deadline_row(d));
                }
            }
        }
        // Case dates: none has an owner role or an SLA, so "my roles" and "overdue" keep none.
        if filter.roles.is_none() && !filter.overdue {
            let mut ranks = Ranks::new(bounds);
            let mut taken: HashSet<(i64, u32)> = HashSet::new();
            let mut cases: Vec<&OpenCase> = Vec::new();
            for (key, case) in self.in_range(&self.events, from, to) {
                let kept = sight.sees(case)
                    && function_ok(case)
                    && (!filter.mine || case.requester_id == me);
                if !kept {
                    continue;
                }
                let (day, rank) = ranks.place(key);
                out.days[day].items += 1;
                if rank <= per_day {
                    if let Some(e) = case.events.get(key.2 as usize) {
                        out.events.push(case.event_row(e));
                        taken.insert((case.id, key.2));
                        if cases.last().is_none_or(|c| c.id != case.id) {
                            cases.push(case);
                        }
                    }
                }
            }
            cases.sort_by_key(|c| c.id);
            cases.dedup_by_key(|c| c.id);
            for case in cases {
                for (n, e) in case.events.iter().enumerate() {
                    if e.at >= from && e.at < to && taken.insert((case.id, n as u32)) {
                        out.events.push(case.event_row(e));
                    }
                }
            }
        }
        out
    }
}

/// Places rows, met in order of instant then case, on their days and ranks them within the
/// day: rows of one instant and case share a rank, the next takes the count before it plus 1.
struct Ranks<'a> {
    /// The start of each day after the first, then the end of the last.
    ends: &'a [DateTime<Utc>],
    day: usize,
    seen: usize,
    last: Option<(DateTime<Utc>, i64)>,
    rank: usize,
}

impl<'a> Ranks<'a> {
    fn new(bounds: &'a [DateTime<Utc>]) -> Ranks<'a> {
        Ranks {
            ends: &bounds[1..],
            day: 0,
            seen: 0,
            last: None,
            rank: 0,
        }
    }

    /// The day (by index) and rank of the row at `key`.
    fn place(&mut self, key: &Key) -> (usize, usize) {
        while self.day + 1 < self.ends.len() && key.0 >= self.ends[self.day] {
            self.day += 1;
            self.seen = 0;
            self.last = None;
        }
        let here = (key.0, key.1);
        if self.last != Some(here) {
            self.rank = self.seen + 1;
            self.last = Some(here);
        }
        self.seen += 1;
        (self.day, self.rank)
    }
}

#[derive(Default)]
struct State {
    index: Option<Index>,
    /// While a reload reads its snapshot: the changes made meanwhile.
    pending: Option<Vec<Change>>,
}

/// The index and how it is kept: see the module's documentation.
pub struct OpenDates {
    db: DatabaseConnection,
    catalog: Arc<dyn app::ports::CatalogStore>,
    calendar: Arc<dyn app::ports::CalendarStore>,
    events: CaseEvents,
    state: RwLock<State>,
    /// One load at a time.
    loading: tokio::sync::Mutex<()>,
    /// Whether the task following other instances' changes runs.
    followed: AtomicBool,
}

impl OpenDates {
    pub fn new(
        db: DatabaseConnection,
        catalog: Arc<dyn app::ports::CatalogStore>,
        calendar: Arc<dyn app::ports::CalendarStore>,
        events: CaseEvents,
    ) -> OpenDates {
        OpenDates {
            db,
            catalog,
            calendar,
            events,
            state: RwLock::new(State::default()),
            loading: tokio::sync::Mutex::new(()),
            followed: AtomicBool::new(false),
        }
    }

    fn state(&self) -> std::sync::RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Applies a change this instance committed (or read back).
    pub fn record(&self, change: Change) {
        let mut state = self.state();
        if let Some(pending) = &mut state.pending {
            pending.push(change.clone());
        }
        if let Some(index) = &mut state.index {
            index.apply(&change);
        }
    }

    /// Runs `read` on the index, loading it first if it is not yet.
    pub async fn read<T>(self: &Arc<Self>, read: impl FnOnce(&Index) -> T) -> Result<T, AppError> {
        loop {
            {
                let state = self.state.read().unwrap_or_else(|e| e.into_inner());
                if let Some(index) = &state.index {
                    return Ok(read(index));
                }
            }
            self.load_once().await?;
        }
    }

    /// Loads the index unless it is loaded; starts following other instances' changes.
    pub async fn load_once(self: &Arc<Self>) -> Result<(), AppError> {
        let _one = self.loading.lock().await;
        // Other instances' changes are followed from before the snapshot is read, so none
        // committed meanwhile is missed (they wait in the subscription, or in `pending`).
        // The task holds the bus's receiving end only: it ends with the store.
        if !self.followed.swap(true, Ordering::SeqCst) {
            let remote = self.events.subscribe_remote();
            tokio::spawn(follow(Arc::downgrade(self), remote));
        }
        let loaded = self
            .state
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .index
            .is_some();
        if !loaded {
            self.load_locked().await?;
        }
        Ok(())
    }

    /// Reads the whole index again (kept in use meanwhile).
    pub async fn reload(&self) -> Result<(), AppError> {
        let _one = self.loading.lock().await;
        self.load_locked().await
    }

    async fn load_locked(&self) -> Result<(), AppError> {
        self.state().pending = Some(Vec::new());
        let snapshot = self.snapshot().await;
        let mut state = self.state();
        let pending = state.pending.take().unwrap_or_default();
        let cases = snapshot?;
        let mut index = Index::default();
        if let Some(old) = &state.index {
            index.left = old.left.clone();
        }
        for change in cases.iter().chain(&pending) {
            index.apply(change);
        }
        state.index = Some(index);
        Ok(())
    }

    /// The open cases as stored now.
    async fn snapshot(&self) -> Result<Vec<Change>, AppError> {
        let models = row::Entity::find()
            .filter(row::Column::Status.eq(status_code(app::domain::workflow::CaseStatus::Open)))
            .all(&self.db)
            .await
            .map_err(to_app_error)?;
        self.changes(&models).await
    }

    /// The changes rows as stored make (unreadable ones skipped: `read_case` logs them).
    async fn changes(&self, models: &[row::Model]) -> Result<Vec<Change>, AppError> {
        let zone = self.calendar.calendar().await?.settings().time_zone;
        let mut out = Vec::with_capacity(models.len());
        for model in models {
            let Ok(case) = read_case(model) else {
                continue;
            };
            let version = self.catalog.version(case.catalog_version).await?;
            let Ok(process) = process_of(&version, &case) else {
                continue;
            };
            out.push(Change::of(&case, process.process, zone));
        }
        Ok(out)
    }

    /// Reads back the cases `ids` as stored now (changed by another instance).
    async fn refresh(&self, ids: Vec<i64>) -> Result<(), AppError> {
        let models = row::Entity::find()
            .filter(row::Column::Id.is_in(ids))
            .all(&self.db)
            .await
            .map_err(to_app_error)?;
        for change in self.changes(&models).await? {
            self.record(change);
        }
        Ok(())
    }
}

/// Keeps `dates` current with other instances' changes and reloads it every [`RELOAD_EVERY`];
/// ends when the index is dropped or the bus closes.
async fn follow(
    dates: Weak<OpenDates>,
    remote: impl futures::Stream<Item = Option<CaseChanged>> + Send + 'static,
) {
    let mut remote = Box::pin(remote);
    let mut every =
        tokio::time::interval_at(tokio::time::Instant::now() + RELOAD_EVERY, RELOAD_EVERY);
    loop {
        let reload = tokio::select! {
            _ = every.tick() => true,
            next = remote.next() => match next {
                None => return,
                Some(None) => true,
                Some(Some(first)) => {
                    let mut ids = vec![first.case];
                    let mut missed = false;
                    let until = tokio::time::Instant::now() + GATHER;
                    while ids.len() < MAX_GATHERED {
                        match tokio::time::timeout_at(until, remote.next()).await {
                            Ok(Some(Some(event))) => ids.push(event.case),
                            Ok(Some(None)) => missed = true,
                            Ok(None) | Err(_) => break,
                        }
                    }
                    let Some(dates) = dates.upgrade() else { return };
                    if !missed {
                        ids.sort_unstable();
                        ids.dedup();
                        if let Err(error) = dates.refresh(ids).await {
                            tracing::warn!(?error, "the calendar could not read back other instances' changes; reloading");
                            missed = true;
                        }
                    }
                    missed
                }
            },
        };
        if reload {
            let Some(dates) = dates.upgrade() else { return };
            if let Err(error) = dates.reload().await {
                tracing::warn!(?error, "the calendar's index could not be reloaded");
            }
        }
    }
}

#[cfg(test)]
mod tests;
