//! The calendar of deadlines. The open cases' deadlines and dates come from the instance's
//! index in memory ([`super::open_dates`]): a range of it is scanned, limited to the cases the
//! viewer may see, and for the month view only the few rows a day shows are named, so a month
//! of 10,000 steps costs about what a quiet one does. The feed's cancelled items (cases closed
//! lately) are read from rows: one range query over the step instances (joined to their cases)
//! and one over the dates cases carry, limited in SQL to the cases the viewer may see.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use app::domain::calendar::BusinessCalendar;
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
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::FromQueryResult;

use super::case_repo::SeaOrmCaseStore;
use super::case_rows::status_code;
use super::entities::{case as row, case_event as event, step_instance as instance};
use super::open_dates::{RowFilter, Sight};
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

/// The cases a viewer may see, as a condition on the joined case row, and the catalogs the
/// cases were raised under.
struct Scope {
    catalogs: HashMap<u32, Arc<CatalogVersion>>,
    condition: Expr,
    /// The same, for the index in memory.
    sight: Sight,
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

/// Limits `query` to the cases closed (or cancelled) since `since`.
fn closed_since(query: &mut SelectStatement, since: DateTime<Utc>) {
    query
        .and_where(Expr::col((row::Entity, row::Column::Status)).ne(status_code(CaseStatus::Open)))
        .and_where(Expr::col((row::Entity, row::Column::ClosedAt)).gte(since));
}

/// The step deadlines in `[from, to)` of the steps cases closed since `since` were at when
/// they closed.
fn deadlines_query(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    since: DateTime<Utc>,
) -> SelectStatement {
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
        .and_where(Expr::col((instance::Entity, instance::Column::DueAt)).lt(to))
        .and_where(
            Expr::col((instance::Entity, instance::Column::CompletedAt))
                .is_null()
                .or(Expr::col((instance::Entity, instance::Column::CompletedAt))
                    .gte(Expr::col((row::Entity, row::Column::ClosedAt)))),
        );
    closed_since(&mut query, since);
    query
}

/// The dates in `[from, to)` of the cases closed since `since`.
fn events_query(from: DateTime<Utc>, to: DateTime<Utc>, since: DateTime<Utc>) -> SelectStatement {
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
    closed_since(&mut query, since);
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

    /// Which cases `viewer` may see, as `may_view` decides on a case: its requester, whoever
    /// has a step of it assigned, and those who see its process whole (per catalog version, as
    /// the case was raised); as a condition on the joined case row and for the index in
    /// memory, with every catalog version, to name the rows. Versions are numbered from 1 and
    /// kept in memory once read, so this reads no rows: one who sees every process of every
    /// version gets no condition.
    async fn scope(&self, viewer: &Actor) -> Result<Scope, AppError> {
        let newest = self.catalog.current().await?.version;
        let mut catalogs = HashMap::new();
        // The processes seen whole, and the versions where exactly those are seen.
        let mut groups: BTreeMap<Vec<String>, Vec<i32>> = BTreeMap::new();
        let mut whole: HashMap<u32, HashSet<String>> = HashMap::new();
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
            whole.insert(number, seen.iter().cloned().collect());
            groups.entry(seen).or_default().push(number as i32);
            catalogs.insert(number, version);
        }
        let me = viewer.user.0;
        let condition = if sees_all {
            Expr::val(true)
        } else {
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
            sight: Sight {
                all: sees_all,
                me,
                whole,
            },
        })
    }

    /// Names the rows found for `viewer` at `now` (those of unknown catalogs or processes
    /// dropped).
    fn named(
        scope: &Scope,
        deadlines: &[DeadlineRow],
        events: &[EventRow],
        viewer: &Actor,
        now: DateTime<Utc>,
        calendar: &BusinessCalendar,
    ) -> Vec<AgendaItem> {
        let mut items = Vec::with_capacity(deadlines.len() + events.len());
        items.extend(deadlines.iter().filter_map(|d| {
            let catalog = &scope.catalogs.get(&d.catalog_version)?.catalog;
            deadline_item(catalog, d, now, calendar)
        }));
        items.extend(events.iter().filter_map(|e| {
            let catalog = &scope.catalogs.get(&e.catalog_version)?.catalog;
            event_item(catalog, e, calendar, viewer)
        }));
        items
    }

    /// The month view's sample: see [`app::ports::CaseStore::agenda_sample`]. Scanned in the
    /// index in memory; only the rows sampled are named.
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
        let bounds: Vec<DateTime<Utc>> = days
            .iter()
            .chain(std::iter::once(&(last + chrono::Duration::days(1))))
            .map(|d| day_start(zone, *d))
            .collect();
        let (from, to) = (bounds[0], bounds[bounds.len() - 1]);
        let scope = self.scope(viewer).await?;
        let roles: Vec<String> = viewer
            .roles
            .iter()
            .map(|r| r.as_str().to_string())
            .collect();
        let rows = RowFilter {
            function: filter.function.as_deref(),
            mine: filter.mine,
            roles: filter.my_roles.then_some(roles.as_slice()),
            overdue: filter.overdue,
        };
        let found = self
            .open_dates
            .read(|index| index.sample(&scope.sight, &rows, &bounds, now, per_day))
            .await?;
        let counts = days
            .iter()
            .zip(&found.days)
            .filter(|(_, tally)| tally.items > 0)
            .map(|(date, tally)| DayCount {
                date: *date,
                items: tally.items,
                overdue: tally.overdue,
            })
            .collect();
        let sampled = Self::named(
            &scope,
            &found.deadlines,
            &found.events,
            viewer,
            now,
            &calendar,
        );
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
            counts,
            whole,
        })
    }

    /// Everything the calendar shows `viewer` in `[from, to)` at `now`: deadlines and events
    /// of the open cases they may see (from the index in memory), and the recurring
    /// obligations to come of the processes they see.
    pub(super) async fn agenda_of(
        &self,
        viewer: &Actor,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<AgendaItem>, AppError> {
        let scope = self.scope(viewer).await?;
        self.agenda_in(&scope, viewer, from, to, now).await
    }

    /// [`Self::agenda_of`] for a scope already worked out.
    async fn agenda_in(
        &self,
        scope: &Scope,
        viewer: &Actor,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<AgendaItem>, AppError> {
        let (deadlines, events) = self
            .open_dates
            .read(|index| index.rows_in(&scope.sight, from, to))
            .await?;
        let calendar = self.calendar.calendar().await?;
        let mut items = Self::named(scope, &deadlines, &events, viewer, now, &calendar);
        let current = self.catalog.current().await?;
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
    /// cases closed in the last [`FEED_CANCELLED_DAYS`] marked cancelled (read from rows).
    pub(super) async fn feed_of(
        &self,
        viewer: &Actor,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<FeedEntry>, AppError> {
        let scope = self.scope(viewer).await?;
        let live = self.agenda_in(&scope, viewer, from, to, now).await?;
        let since = now - chrono::Duration::days(FEED_CANCELLED_DAYS);
        let mut deadlines = deadlines_query(from, to, since);
        deadlines.and_where(scope.condition.clone());
        let mut events = events_query(from, to, since);
        events.and_where(scope.condition.clone());
        let deadlines: Vec<DeadlineRow> = self
            .rows::<DeadlineQ>(&deadlines)
            .await?
            .iter()
            .map(DeadlineQ::row)
            .collect();
        let events: Vec<EventRow> = self
            .rows::<EventQ>(&events)
            .await?
            .iter()
            .map(EventQ::row)
            .collect();
        let calendar = self.calendar.calendar().await?;
        let closed = Self::named(&scope, &deadlines, &events, viewer, now, &calendar);
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
