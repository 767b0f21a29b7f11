//! The calendar of deadlines read from rows: one range query over the step instances under
//! way (joined to their cases) and one over the dates cases carry, each limited in SQL to the
//! cases the viewer may see. Bodies are never parsed. The month view goes further: the
//! database ranks and counts each day's rows, and only the few a day shows are read and named,
//! so a month of 10,000 steps costs about what a quiet one does.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use app::domain::catalog::CatalogVersion;
use app::domain::people::policy::sees_process;
use app::domain::workflow::agenda::{
    day_start, deadline_item, event_item, obligation_items, AgendaItem, AgendaSample,
    CalendarFilter, DayCount, DeadlineRow, EventRow,
};
use app::domain::workflow::ics_feed::FeedEntry;
use app::domain::workflow::{Actor, CaseStatus, ProcessRef};
use app::error::AppError;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{
    Alias, Asterisk, CaseStatement, ColumnRef, Condition, Expr, ExprTrait, Func, IntoColumnRef,
    Order, Query, SelectStatement, WindowStatement,
};
use sea_orm::{ConnectionTrait, FromQueryResult};

use super::case_repo::SeaOrmCaseStore;
use super::case_rows::status_code;
use super::entities::{case as row, case_event as event, step_instance as instance};
use super::to_app_error;

/// How far back the feed keeps a closed case's items, marked cancelled, so calendar programs
/// that saw them take them off.
pub const FEED_CANCELLED_DAYS: i64 = 30;

#[derive(Debug, FromQueryResult)]
struct DeadlineQ {
    case_id: i64,
    seq: i32,
    step: String,
    owner_role: String,
    assignee_id: Option<i64>,
    activated_at: DateTime<Utc>,
    due_at: DateTime<Utc>,
    due_provisional: bool,
    version: i64,
    catalog_version: i32,
    process: String,
    title: String,
    requester_id: i64,
    department: Option<String>,
}

#[derive(Debug, FromQueryResult)]
struct EventQ {
    case_id: i64,
    field: String,
    at: DateTime<Utc>,
    all_day: bool,
    version: i64,
    catalog_version: i32,
    process: String,
    title: String,
    requester_id: i64,
    department: Option<String>,
}

impl DeadlineQ {
    fn row(&self) -> DeadlineRow {
        DeadlineRow {
            case_id: self.case_id,
            seq: self.seq,
            version: self.version,
            catalog_version: self.catalog_version as u32,
            process: self.process.clone(),
            title: self.title.clone(),
            requester_id: self.requester_id,
            department: self.department.clone(),
            step: self.step.clone(),
            owner_role: self.owner_role.clone(),
            assignee: self.assignee_id,
            activated_at: self.activated_at,
            due_at: self.due_at,
            provisional: self.due_provisional,
        }
    }
}

impl EventQ {
    fn row(&self) -> EventRow {
        EventRow {
            case_id: self.case_id,
            version: self.version,
            catalog_version: self.catalog_version as u32,
            process: self.process.clone(),
            title: self.title.clone(),
            requester_id: self.requester_id,
            department: self.department.clone(),
            field: self.field.clone(),
            at: self.at,
            all_day: self.all_day,
        }
    }
}

/// A sampled row's day and that day's counts (see [`sampled`]).
#[derive(Debug, FromQueryResult)]
struct Ranked {
    /// The day, as an index into the days asked for.
    on_day: i32,
    /// How many rows the day has, and how many of them are overdue.
    day_items: i64,
    day_late: i64,
}

/// The cases a viewer may see, as a condition on the joined case row, and the catalogs the
/// cases were raised under.
struct Scope {
    catalogs: HashMap<u32, Arc<CatalogVersion>>,
    condition: Expr,
}

/// Adds to `query` the local day its rows fall on (`on_day`: the index of the first of `ends`,
/// each day's end, that the instant `at` is before), the order the calendar lists a day's
/// rows in (`rank_at`, `rank_case`: by instant, then case), and whether each is overdue at
/// `late_at` (`late`, 1 or 0; always 0 without an instant, for rows that have no SLA).
fn ranked_by_day(
    query: &mut SelectStatement,
    at: ColumnRef,
    case: ColumnRef,
    ends: &[DateTime<Utc>],
    late_at: Option<DateTime<Utc>>,
) {
    let mut day = CaseStatement::new();
    for (index, end) in ends.iter().enumerate().take(ends.len().saturating_sub(1)) {
        day = day.case(
            Expr::col(at.clone()).lt(*end),
            Expr::cust(index.to_string()),
        );
    }
    let day = day.finally(Expr::cust(ends.len().saturating_sub(1).to_string()));
    let late = match late_at {
        Some(now) => CaseStatement::new()
            .case(Expr::col(at.clone()).lt(now), Expr::cust("1"))
            .finally(Expr::cust("0"))
            .into(),
        None => Expr::cust("0"),
    };
    query
        .expr_as(day, Alias::new("on_day"))
        .expr_as(late, Alias::new("late"))
        .expr_as(Expr::col(at), Alias::new("rank_at"))
        .expr_as(Expr::col(case), Alias::new("rank_case"));
}

/// Of the rows of `query` (made by [`ranked_by_day`]), those whose place among their day's
/// rows is at most `per_day`, each with the day's counts ([`Ranked`]): the database ranks and
/// counts, and only the rows a month's day can show leave it.
fn sampled(query: SelectStatement, per_day: usize) -> SelectStatement {
    let day = || WindowStatement::partition_by(Alias::new("on_day"));
    let mut order = day();
    order
        .order_by(Alias::new("rank_at"), Order::Asc)
        .order_by(Alias::new("rank_case"), Order::Asc);
    let mut ranked = Query::select();
    ranked
        .column(Asterisk)
        .expr_window_as(Expr::cust("RANK()"), order, Alias::new("place"))
        .expr_window_as(Expr::cust("COUNT(*)"), day(), Alias::new("day_items"))
        .expr_window_as(
            Func::sum(Expr::col(Alias::new("late"))),
            day(),
            Alias::new("day_late"),
        )
        .from_subquery(query, Alias::new("in_range"));
    let mut outer = Query::select();
    outer
        .column(Asterisk)
        .from_subquery(ranked, Alias::new("ranked"))
        .and_where(Expr::col(Alias::new("place")).lte(per_day as i64));
    outer
}

/// Which cases a query reads: the open ones, or those closed (or cancelled) since an instant.
#[derive(Clone, Copy)]
enum Cases {
    Open,
    ClosedSince(DateTime<Utc>),
}

fn case_columns(query: &mut SelectStatement) {
    for column in [
        row::Column::Version,
        row::Column::CatalogVersion,
        row::Column::Process,
        row::Column::Title,
        row::Column::RequesterId,
        row::Column::Department,
    ] {
        query.column((row::Entity, column));
    }
}

fn which_cases(query: &mut SelectStatement, cases: Cases) {
    let open = status_code(CaseStatus::Open);
    match cases {
        Cases::Open => {
            query.and_where(Expr::col((row::Entity, row::Column::Status)).eq(open));
        }
        Cases::ClosedSince(since) => {
            query
                .and_where(Expr::col((row::Entity, row::Column::Status)).ne(open))
                .and_where(Expr::col((row::Entity, row::Column::ClosedAt)).gte(since));
        }
    }
}

/// The step deadlines in `[from, to)`: of the steps under way of open cases, or of the steps
/// a case was at when it closed.
fn deadlines_query(from: DateTime<Utc>, to: DateTime<Utc>, cases: Cases) -> SelectStatement {
    let mut query = Query::select();
    for column in [
        instance::Column::CaseId,
        instance::Column::Seq,
        instance::Column::Step,
        instance::Column::OwnerRole,
        instance::Column::AssigneeId,
        instance::Column::ActivatedAt,
        instance::Column::DueAt,
        instance::Column::DueProvisional,
    ] {
        query.column((instance::Entity, column));
    }
    case_columns(&mut query);
    query
        .from(instance::Entity)
        .inner_join(
            row::Entity,
            Expr::col((row::Entity, row::Column::Id))
                .equals((instance::Entity, instance::Column::CaseId)),
        )
        .and_where(Expr::col((instance::Entity, instance::Column::DueAt)).gte(from))
        .and_where(Expr::col((instance::Entity, instance::Column::DueAt)).lt(to));
    match cases {
        Cases::Open => {
            query.and_where(Expr::col((instance::Entity, instance::Column::CompletedAt)).is_null());
        }
        Cases::ClosedSince(_) => {
            query.and_where(
                Expr::col((instance::Entity, instance::Column::CompletedAt))
                    .is_null()
                    .or(Expr::col((instance::Entity, instance::Column::CompletedAt))
                        .gte(Expr::col((row::Entity, row::Column::ClosedAt)))),
            );
        }
    }
    which_cases(&mut query, cases);
    query
}

fn events_query(from: DateTime<Utc>, to: DateTime<Utc>, cases: Cases) -> SelectStatement {
    let mut query = Query::select();
    for column in [
        event::Column::CaseId,
        event::Column::Field,
        event::Column::At,
        event::Column::AllDay,
    ] {
        query.column((event::Entity, column));
    }
    case_columns(&mut query);
    query
        .from(event::Entity)
        .inner_join(
            row::Entity,
            Expr::col((row::Entity, row::Column::Id))
                .equals((event::Entity, event::Column::CaseId)),
        )
        .and_where(Expr::col((event::Entity, event::Column::At)).gte(from))
        .and_where(Expr::col((event::Entity, event::Column::At)).lt(to));
    which_cases(&mut query, cases);
    query
}

impl SeaOrmCaseStore {
    async fn rows<T: FromQueryResult>(&self, query: &SelectStatement) -> Result<Vec<T>, AppError> {
        let statement = self.db.get_database_backend().build(query);
        T::find_by_statement(statement)
            .all(&self.db)
            .await
            .map_err(to_app_error)
    }

    /// Which cases `viewer` may see, as a condition on the joined case row, as `may_view`
    /// decides on a case: its requester, whoever has a step of it assigned, and those who see
    /// its process whole (per catalog version, as the case was raised); with every catalog
    /// version, to name the rows. Versions are numbered from 1 and kept in memory once read,
    /// so this reads no rows: one who sees every process of every version gets no condition.
    async fn scope(&self, viewer: &Actor) -> Result<Scope, AppError> {
        let newest = self.catalog.current().await?.version;
        let mut catalogs = HashMap::new();
        // The processes seen whole, and the versions where exactly those are seen.
        let mut groups: BTreeMap<Vec<String>, Vec<i32>> = BTreeMap::new();
        let mut sees_all = true;
        for number in 1..=newest {
            let version = self.catalog.version(number).await?;
            let mut seen = Vec::new();
            let catalog = &version.catalog;
            for process in &catalog.processes {
                if sees_process(viewer, &ProcessRef { catalog, process }) {
                    seen.push(process.code.to_string());
                } else {
                    sees_all = false;
                }
            }
            groups.entry(seen).or_default().push(number as i32);
            catalogs.insert(number, version);
        }
        let condition = if sees_all {
            Expr::val(true)
        } else {
            let me = viewer.user.0;
            let mut assigned = Query::select();
            assigned
                .column(instance::Column::CaseId)
                .from(instance::Entity)
                .and_where(Expr::col(instance::Column::AssigneeId).eq(me));
            let mut any = Condition::any()
                .add(Expr::col((row::Entity, row::Column::RequesterId)).eq(me))
                .add(Expr::col((row::Entity, row::Column::Id)).in_subquery(assigned));
            for (processes, versions) in groups.into_iter().filter(|(p, _)| !p.is_empty()) {
                any = any.add(
                    Condition::all()
                        .add(Expr::col((row::Entity, row::Column::CatalogVersion)).is_in(versions))
                        .add(Expr::col((row::Entity, row::Column::Process)).is_in(processes)),
                );
            }
            Expr::from(any)
        };
        Ok(Scope {
            catalogs,
            condition,
        })
    }

    /// The items of the cases in `[from, to)` that `viewer` may see, at `now`: deadlines and
    /// events of open cases (or of cases closed since an instant, for the feed's
    /// cancellations).
    async fn case_items(
        &self,
        viewer: &Actor,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
        cases: Cases,
    ) -> Result<Vec<AgendaItem>, AppError> {
        let scope = self.scope(viewer).await?;
        let mut deadlines = deadlines_query(from, to, cases);
        deadlines.and_where(scope.condition.clone());
        let mut events = events_query(from, to, cases);
        events.and_where(scope.condition.clone());
        let deadlines: Vec<DeadlineQ> = self.rows(&deadlines).await?;
        let events: Vec<EventQ> = self.rows(&events).await?;
        let calendar = self.calendar.calendar().await?;
        let mut items = Vec::with_capacity(deadlines.len() + events.len());
        items.extend(deadlines.iter().filter_map(|d| {
            let catalog = &scope.catalogs.get(&(d.catalog_version as u32))?.catalog;
            deadline_item(catalog, &d.row(), now, &calendar)
        }));
        items.extend(events.iter().filter_map(|e| {
            let catalog = &scope.catalogs.get(&(e.catalog_version as u32))?.catalog;
            event_item(catalog, &e.row(), &calendar, viewer)
        }));
        Ok(items)
    }

    /// Runs a sampled query (see [`sampled`]): each row with its day's ranks and counts.
    async fn sampled_rows<T: FromQueryResult>(
        &self,
        query: SelectStatement,
        per_day: usize,
    ) -> Result<Vec<(T, Ranked)>, AppError> {
        let statement = self
            .db
            .get_database_backend()
            .build(&sampled(query, per_day));
        let rows = self
            .db
            .query_all_raw(statement)
            .await
            .map_err(to_app_error)?;
        rows.iter()
            .map(|r| {
                Ok((
                    T::from_query_result(r, "")?,
                    Ranked::from_query_result(r, "")?,
                ))
            })
            .collect::<Result<_, sea_orm::DbErr>>()
            .map_err(to_app_error)
    }

    /// The month view's sample: see [`app::ports::CaseStore::agenda_sample`].
    pub(super) async fn sample_of(
        &self,
        viewer: &Actor,
        (first, last): (NaiveDate, NaiveDate),
        filter: &CalendarFilter,
        per_day: usize,
        now: DateTime<Utc>,
    ) -> Result<AgendaSample, AppError> {
        let calendar = self.calendar.calendar().await?;
        let zone = calendar.settings().time_zone;
        let days: Vec<NaiveDate> = first.iter_days().take_while(|d| *d <= last).collect();
        let starts: Vec<DateTime<Utc>> = days
            .iter()
            .chain(std::iter::once(&(last + chrono::Duration::days(1))))
            .map(|d| day_start(zone, *d))
            .collect();
        let (from, to) = (starts[0], starts[starts.len() - 1]);
        let scope = self.scope(viewer).await?;
        let me = viewer.user.0;
        let mut condition = Condition::all().add(scope.condition.clone());
        if let Some(function) = &filter.function {
            condition = condition.add(Expr::col((row::Entity, row::Column::Function)).eq(function));
        }
        let mut counts: BTreeMap<NaiveDate, DayCount> = BTreeMap::new();
        // Each row carries its day's counts: they are added once per kind of row and day
        // (rows tied in first place, a case's parallel steps due at one instant, repeat them).
        let mut counted: std::collections::HashSet<(bool, i32)> = Default::default();
        let mut count = |deadline: bool, ranked: &Ranked| {
            if !counted.insert((deadline, ranked.on_day)) {
                return None;
            }
            let date = days.get(ranked.on_day as usize).copied()?;
            counts.insert(
                date,
                DayCount {
                    date,
                    items: counts.get(&date).map_or(0, |c| c.items) + ranked.day_items as usize,
                    overdue: counts.get(&date).map_or(0, |c| c.overdue) + ranked.day_late as usize,
                },
            );
            Some(())
        };
        // Deadlines: the filters on rows (mine, my roles, overdue, function) in SQL.
        let due = (instance::Entity, instance::Column::DueAt);
        let mut deadlines = deadlines_query(from, to, Cases::Open);
        deadlines.and_where(Expr::from(condition.clone()));
        if filter.mine {
            deadlines.and_where(
                Expr::col((instance::Entity, instance::Column::AssigneeId))
                    .eq(me)
                    .or(Expr::col((row::Entity, row::Column::RequesterId)).eq(me)),
            );
        }
        if filter.my_roles {
            let roles: Vec<String> = viewer
                .roles
                .iter()
                .map(|r| r.as_str().to_string())
                .collect();
            deadlines
                .and_where(Expr::col((instance::Entity, instance::Column::OwnerRole)).is_in(roles));
        }
        if filter.overdue {
            deadlines.and_where(Expr::col(due).lt(now));
        }
        ranked_by_day(
            &mut deadlines,
            due.into_column_ref(),
            (instance::Entity, instance::Column::CaseId).into_column_ref(),
            &starts[1..],
            Some(now),
        );
        let deadlines: Vec<(DeadlineQ, Ranked)> = self.sampled_rows(deadlines, per_day).await?;
        let mut sampled = Vec::with_capacity(deadlines.len() * 2);
        for (d, ranked) in &deadlines {
            count(true, ranked);
            let catalog = scope.catalogs.get(&(d.catalog_version as u32));
            sampled
                .extend(catalog.and_then(|c| deadline_item(&c.catalog, &d.row(), now, &calendar)));
        }
        // Case dates: none has an owner role or an SLA, so "my roles" and "overdue" keep none.
        if !filter.my_roles && !filter.overdue {
            let at = (event::Entity, event::Column::At);
            let mut events = events_query(from, to, Cases::Open);
            events.and_where(Expr::from(condition));
            if filter.mine {
                events.and_where(Expr::col((row::Entity, row::Column::RequesterId)).eq(me));
            }
            ranked_by_day(
                &mut events,
                at.into_column_ref(),
                (event::Entity, event::Column::CaseId).into_column_ref(),
                &starts[1..],
                None,
            );
            let events: Vec<(EventQ, Ranked)> = self.sampled_rows(events, per_day).await?;
            for (_, ranked) in &events {
                count(false, ranked);
            }
            // The sampled cases' other dates in the range: a drag takes them along.
            let cases: Vec<i64> = events.iter().map(|(e, _)| e.case_id).collect();
            let mut others = events_query(from, to, Cases::Open);
            others.and_where(Expr::col((event::Entity, event::Column::CaseId)).is_in(cases));
            let others: Vec<EventQ> = self.rows(&others).await?;
            let taken: std::collections::HashSet<(i64, &str)> = events
                .iter()
                .map(|(e, _)| (e.case_id, e.field.as_str()))
                .collect();
            let rows = events.iter().map(|(e, _)| e).chain(
                others
                    .iter()
                    .filter(|e| !taken.contains(&(e.case_id, e.field.as_str()))),
            );
            for e in rows {
                let catalog = scope.catalogs.get(&(e.catalog_version as u32));
                sampled.extend(
                    catalog.and_then(|c| event_item(&c.catalog, &e.row(), &calendar, viewer)),
                );
            }
        }
        let current = self.catalog.current().await?;
        let whole = obligation_items(
            &current.catalog,
            current.version,
            &calendar,
            (from, to),
            now,
            |process| sees_process(viewer, process),
        );
        Ok(AgendaSample {
            sampled,
            counts: counts.into_values().collect(),
            whole,
        })
    }

    /// Everything the calendar shows `viewer` in `[from, to)` at `now`: deadlines and events
    /// of the open cases they may see, and the recurring obligations to come of the
    /// processes they see.
    pub(super) async fn agenda_of(
        &self,
        viewer: &Actor,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<AgendaItem>, AppError> {
        let mut items = self.case_items(viewer, from, to, now, Cases::Open).await?;
        let current = self.catalog.current().await?;
        let calendar = self.calendar.calendar().await?;
        items.extend(obligation_items(
            &current.catalog,
            current.version,
            &calendar,
            (from, to),
            now,
            |process| sees_process(viewer, process),
        ));
        Ok(items)
    }

    /// The feed of `viewer`: what their calendar shows in `[from, to)`, and the items of the
    /// cases closed in the last [`FEED_CANCELLED_DAYS`] marked cancelled.
    pub(super) async fn feed_of(
        &self,
        viewer: &Actor,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<FeedEntry>, AppError> {
        let live = self.agenda_of(viewer, from, to, now).await?;
        let since = now - chrono::Duration::days(FEED_CANCELLED_DAYS);
        let closed = self
            .case_items(viewer, from, to, now, Cases::ClosedSince(since))
            .await?;
        let mut entries: Vec<FeedEntry> = live
            .into_iter()
            .map(|item| FeedEntry {
                item,
                cancelled: false,
            })
            .collect();
        entries.extend(closed.into_iter().map(|item| FeedEntry {
            item,
            cancelled: true,
        }));
        entries.sort_by(|a, b| app::domain::workflow::agenda::item_order(&a.item, &b.item));
        Ok(entries)
    }
}

/// Fills `case_events` for the open cases of a database that had cases before the table
/// existed (the first start after the upgrade): when the table is empty, each open case's
/// planned dates are written. Afterwards every operation keeps them. Answers the rows written.
pub async fn backfill_case_events(
    db: &sea_orm::DatabaseConnection,
    catalog: &dyn app::ports::CatalogStore,
    calendar: &dyn app::ports::CalendarStore,
) -> Result<usize, AppError> {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    if event::Entity::find()
        .count(db)
        .await
        .map_err(to_app_error)?
        > 0
    {
        return Ok(0);
    }
    let zone = calendar.calendar().await?.settings().time_zone;
    let open = row::Entity::find()
        .filter(row::Column::Status.eq(status_code(CaseStatus::Open)))
        .all(db)
        .await
        .map_err(to_app_error)?;
    let mut rows = Vec::new();
    for model in &open {
        let case = super::case_repo::read_case(model)?;
        let version = catalog.version(case.catalog_version).await?;
        let Some(process) = version.catalog.process(case.process.as_str()) else {
            continue;
        };
        for (field, at, all_day) in app::domain::workflow::agenda::case_events(process, &case, zone)
        {
            rows.push(event::ActiveModel {
                case_id: sea_orm::Set(model.id),
                field: sea_orm::Set(field),
                at: sea_orm::Set(at),
                all_day: sea_orm::Set(all_day),
            });
        }
    }
    let written = rows.len();
    for chunk in rows.chunks(500) {
        event::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await
            .map_err(to_app_error)?;
    }
    Ok(written)
}
