//! The calendar of deadlines read from rows: one range query over the step instances under
//! way (joined to their cases), one over the dates cases carry, and one for the cases the
//! viewer is assigned to (the part of "may see this case" rows alone do not tell). Bodies are
//! never parsed, so a busy month stays one query however many steps it holds.

use std::collections::{HashMap, HashSet};

use app::domain::people::policy::sees_process;
use app::domain::workflow::agenda::{
    deadline_item, event_item, obligation_items, AgendaItem, DeadlineRow, EventRow,
};
use app::domain::workflow::ics_feed::FeedEntry;
use app::domain::workflow::{Actor, CaseStatus, ProcessRef};
use app::error::AppError;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::FromQueryResult;

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

    /// The cases with a step assigned to `viewer` (they may see those whatever the process).
    async fn assigned_to(&self, viewer: &Actor) -> Result<HashSet<i64>, AppError> {
        #[derive(FromQueryResult)]
        struct Id {
            case_id: i64,
        }
        let mut query = Query::select();
        query
            .distinct()
            .column(instance::Column::CaseId)
            .from(instance::Entity)
            .and_where(Expr::col(instance::Column::AssigneeId).eq(viewer.user.0));
        let ids: Vec<Id> = self.rows(&query).await?;
        Ok(ids.into_iter().map(|i| i.case_id).collect())
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
        let deadlines: Vec<DeadlineQ> = self.rows(&deadlines_query(from, to, cases)).await?;
        let events: Vec<EventQ> = self.rows(&events_query(from, to, cases)).await?;
        let calendar = self.calendar.calendar().await?;
        let assigned = self.assigned_to(viewer).await?;
        // The catalogs the rows were raised under, and which of their processes `viewer`
        // sees whole; then a row is visible to its requester, to whoever has a step of it
        // assigned, or to one who sees its process (as `may_view` decides on the case).
        let mut catalogs = HashMap::new();
        let mut sees: HashMap<(u32, &str), bool> = HashMap::new();
        let keys = deadlines
            .iter()
            .map(|d| (d.catalog_version as u32, d.process.as_str()))
            .chain(
                events
                    .iter()
                    .map(|e| (e.catalog_version as u32, e.process.as_str())),
            );
        for (version, process) in keys {
            if sees.contains_key(&(version, process)) {
                continue;
            }
            if let std::collections::hash_map::Entry::Vacant(slot) = catalogs.entry(version) {
                slot.insert(self.catalog.version(version).await?);
            }
            let seen = ProcessRef::find(&catalogs[&version].catalog, process)
                .is_some_and(|p| sees_process(viewer, &p));
            sees.insert((version, process), seen);
        }
        let visible = |version: i32, process: &str, case: i64, requester: i64| {
            requester == viewer.user.0
                || assigned.contains(&case)
                || sees.get(&(version as u32, process)) == Some(&true)
        };
        let mut items = Vec::with_capacity(deadlines.len() + events.len());
        for d in &deadlines {
            if !visible(d.catalog_version, &d.process, d.case_id, d.requester_id) {
                continue;
            }
            let version = d.catalog_version as u32;
            let row = DeadlineRow {
                case_id: d.case_id,
                seq: d.seq,
                version: d.version,
                catalog_version: version,
                process: d.process.clone(),
                title: d.title.clone(),
                requester_id: d.requester_id,
                department: d.department.clone(),
                step: d.step.clone(),
                owner_role: d.owner_role.clone(),
                assignee: d.assignee_id,
                activated_at: d.activated_at,
                due_at: d.due_at,
                provisional: d.due_provisional,
            };
            items.extend(deadline_item(
                &catalogs[&version].catalog,
                &row,
                now,
                &calendar,
            ));
        }
        for e in &events {
            if !visible(e.catalog_version, &e.process, e.case_id, e.requester_id) {
                continue;
            }
            let version = e.catalog_version as u32;
            let row = EventRow {
                case_id: e.case_id,
                version: e.version,
                catalog_version: version,
                process: e.process.clone(),
                title: e.title.clone(),
                requester_id: e.requester_id,
                department: e.department.clone(),
                field: e.field.clone(),
                at: e.at,
                all_day: e.all_day,
            };
            items.extend(event_item(
                &catalogs[&version].catalog,
                &row,
                &calendar,
                viewer,
            ));
        }
        Ok(items)
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
