//! The dashboard's rows: each step completion appended, in the transaction that completes it,
//! to `step_completions` (narrow rows indexed by local day); the dashboard reads a period's
//! completions, the steps under way and the cases raised and closed lately, and the domain
//! counts ([`app::domain::workflow::dashboard`]).

use std::collections::HashMap;
use std::sync::Arc;

use app::domain::catalog::CatalogVersion;
use app::domain::people::policy::serves_function;
use app::domain::workflow::dashboard::{
    dashboard, CaseFlow, Dashboard, DashboardInput, DashboardQuery, DayCount, OpenStep, StepDone,
};
use app::domain::workflow::step_facts::{step_measure, steps_done};
use app::domain::workflow::{Actor, CaseStatus};
use app::error::AppError;
use app::ports::{CalendarStore, CatalogStore};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, JoinType, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};

use super::case_rows::status_code;
use super::entities::{
    case as row, statistics_state as state, step_completion as completion,
    step_instance as instance,
};
use super::to_app_error;

/// The version of the rules that fill `step_completions`: a server whose rules are newer
/// than the table's refills it from the cases at start ([`refill_if_stale`]).
pub const STATISTICS_VERSION: i32 = 1;

fn completion_row(done: &StepDone) -> completion::ActiveModel {
    completion::ActiveModel {
        case_id: Set(done.case_id),
        seq: Set(done.seq as i32),
        day: Set(done.day.format("%Y-%m-%d").to_string()),
        function: Set(done.function.clone()),
        process: Set(done.process.clone()),
        step: Set(done.step.clone()),
        elapsed_minutes: Set(i32::try_from(done.elapsed_minutes).unwrap_or(i32::MAX)),
        allowed_minutes: Set(done
            .allowed_minutes
            .map(|m| i32::try_from(m).unwrap_or(i32::MAX))),
        on_time: Set(done.on_time),
    }
}

/// Appends completions (a completion already there is left as it is).
pub(super) async fn record_completions(
    db: &impl ConnectionTrait,
    done: &[StepDone],
) -> Result<(), AppError> {
    for chunk in done.chunks(500) {
        completion::Entity::insert_many(chunk.iter().map(completion_row))
            .on_conflict(
                OnConflict::columns([completion::Column::CaseId, completion::Column::Seq])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await
            .map_err(to_app_error)?;
    }
    Ok(())
}

/// Refills `step_completions` from every case when the table was filled by older rules (or
/// never, in a database from before it), in one transaction. The version row is updated
/// first: of two servers starting together on one database, the second waits on that row
/// until the first has refilled, then finds the version current. A case that cannot be read
/// is logged and skipped. Returns the completions written, `None` when current.
///
/// Servers of an older version do not record completions: stop them before starting a
/// newer one on the same database.
pub async fn refill_if_stale(
    db: &DatabaseConnection,
    catalog: &dyn CatalogStore,
    calendar: &dyn CalendarStore,
) -> Result<Option<usize>, AppError> {
    let calendar = calendar.calendar().await?;
    let txn = db.begin().await.map_err(to_app_error)?;
    let claimed = state::Entity::update_many()
        .col_expr(state::Column::Version, Expr::value(STATISTICS_VERSION))
        .filter(state::Column::Id.eq(1))
        .filter(state::Column::Version.ne(STATISTICS_VERSION))
        .exec(&txn)
        .await
        .map_err(to_app_error)?
        .rows_affected;
    if claimed == 0 {
        txn.rollback().await.map_err(to_app_error)?;
        return Ok(None);
    }
    completion::Entity::delete_many()
        .exec(&txn)
        .await
        .map_err(to_app_error)?;
    let mut versions: HashMap<u32, Arc<CatalogVersion>> = HashMap::new();
    let mut written = 0;
    let mut after = 0i64;
    loop {
        let page = row::Entity::find()
            .filter(row::Column::Id.gt(after))
            .order_by_asc(row::Column::Id)
            .limit(500)
            .all(&txn)
            .await
            .map_err(to_app_error)?;
        let Some(last) = page.last() else { break };
        after = last.id;
        let mut done = Vec::new();
        for model in &page {
            let Ok(case) = super::case_repo::read_case(model) else {
                continue;
            };
            let version = match versions.get(&case.catalog_version) {
                Some(v) => v.clone(),
                None => {
                    let v = catalog.version(case.catalog_version).await?;
                    versions.insert(case.catalog_version, v.clone());
                    v
                }
            };
            if let Some(process) = version.catalog.process(case.process.as_str()) {
                done.extend(steps_done(None, &case, process, &calendar));
            }
        }
        written += done.len();
        record_completions(&txn, &done).await?;
    }
    txn.commit().await.map_err(to_app_error)?;
    Ok(Some(written))
}

/// Day, function, process, step, minutes taken, minutes allowed, on time.
type CompletionColumns = (
    String,
    String,
    String,
    String,
    i32,
    Option<i32>,
    Option<bool>,
);
/// Function, process, catalog version, step, activated, due.
type UnderWayColumns = (
    String,
    String,
    i32,
    String,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
);

pub(super) fn local_day(at: DateTime<Utc>, zone: Tz) -> NaiveDate {
    at.with_timezone(&zone).date_naive()
}

/// The instant a local day starts.
pub(super) fn day_start(day: NaiveDate, zone: Tz) -> DateTime<Utc> {
    zone.from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
        .earliest()
        .map_or_else(
            || day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
            |t| t.with_timezone(&Utc),
        )
}

/// The steps under way of the open cases of `functions`, joined with their cases (columns to
/// be chosen).
pub(super) fn steps_under_way(functions: Vec<String>) -> sea_orm::Select<instance::Entity> {
    instance::Entity::find()
        .select_only()
        .join(
            JoinType::InnerJoin,
            instance::Entity::belongs_to(row::Entity)
                .from(instance::Column::CaseId)
                .to(row::Column::Id)
                .into(),
        )
        .filter(row::Column::Status.eq(status_code(CaseStatus::Open)))
        .filter(row::Column::Function.is_in(functions))
        .filter(instance::Column::Outcome.is_null())
}

/// Catalog version `version`, read once per call site.
pub(super) async fn version_cached(
    catalog: &dyn CatalogStore,
    cache: &mut HashMap<i32, Arc<CatalogVersion>>,
    version: i32,
) -> Result<Arc<CatalogVersion>, AppError> {
    if let Some(v) = cache.get(&version) {
        return Ok(v.clone());
    }
    let v = catalog.version(u32::try_from(version).unwrap_or(0)).await?;
    cache.insert(version, v.clone());
    Ok(v)
}

/// How the time of `step` of `process` is measured (working time when either is unknown).
pub(super) fn measure_of(
    catalog: &app::domain::catalog::Catalog,
    process: &str,
    step: &str,
) -> app::domain::calendar::Measure {
    catalog
        .process(process)
        .map_or(app::domain::calendar::Measure::WorkingTime, |p| {
            step_measure(p, step)
        })
}

/// The dashboard `viewer` may see: the functions they serve (every one for the director).
pub(super) async fn dashboard_for(
    db: &DatabaseConnection,
    catalog: &dyn CatalogStore,
    calendar: &dyn CalendarStore,
    viewer: &Actor,
    query: &DashboardQuery,
    now: DateTime<Utc>,
) -> Result<Dashboard, AppError> {
    let current = catalog.current().await?;
    let calendar = calendar.calendar().await?;
    let zone = calendar.settings().time_zone;
    let functions: Vec<String> = current
        .catalog
        .functions
        .iter()
        .filter(|f| serves_function(&current.catalog, viewer, f.code.as_str()))
        .map(|f| f.code.to_string())
        .collect();
    if let Some(function) = &query.function {
        if current.catalog.function(function).is_none() {
            return Err(AppError::NotFound);
        }
        if !functions.contains(function) {
            return Err(AppError::Forbidden);
        }
    }
    if functions.is_empty() {
        return Err(AppError::Forbidden);
    }
    let today = local_day(now, zone);
    let (from, to) = query
        .period(today)
        .map_err(|fields| AppError::Invalid { fields })?;
    let (trend_from, trend_to) = query
        .trend_days(today)
        .map_err(|fields| AppError::Invalid { fields })?;
    let scope: Vec<String> = match &query.function {
        Some(f) => vec![f.clone()],
        None => functions.clone(),
    };
    let day_text = |day: NaiveDate| day.format("%Y-%m-%d").to_string();
    let parse_day = |day: &str| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok();

    // The period's completions, one narrow row each.
    let rows: Vec<CompletionColumns> = completion::Entity::find()
        .select_only()
        .columns([
            completion::Column::Day,
            completion::Column::Function,
            completion::Column::Process,
            completion::Column::Step,
            completion::Column::ElapsedMinutes,
            completion::Column::AllowedMinutes,
            completion::Column::OnTime,
        ])
        .filter(completion::Column::Day.gte(day_text(from)))
        .filter(completion::Column::Day.lte(day_text(to)))
        .filter(completion::Column::Function.is_in(scope.clone()))
        .into_tuple()
        .all(db)
        .await
        .map_err(to_app_error)?;
    let done: Vec<StepDone> = rows
        .into_iter()
        .filter_map(
            |(day, function, process, step, elapsed, allowed, on_time)| {
                Some(StepDone {
                    case_id: 0,
                    seq: 0,
                    day: parse_day(&day)?,
                    function,
                    process,
                    step,
                    elapsed_minutes: u32::try_from(elapsed).unwrap_or(0),
                    allowed_minutes: allowed.map(|a| u32::try_from(a).unwrap_or(0)),
                    on_time,
                })
            },
        )
        .collect();

    // The trend's weeks, counted by the database (an index-only scan of day, function and
    // verdict).
    let counted: Vec<(String, String, Option<bool>, i64)> = completion::Entity::find()
        .select_only()
        .column(completion::Column::Day)
        .column(completion::Column::Function)
        .column(completion::Column::OnTime)
        .column_as(completion::Column::Seq.count(), "n")
        .filter(completion::Column::Day.gte(day_text(trend_from)))
        .filter(completion::Column::Day.lte(day_text(trend_to)))
        .filter(completion::Column::Function.is_in(scope.clone()))
        .group_by(completion::Column::Day)
        .group_by(completion::Column::Function)
        .group_by(completion::Column::OnTime)
        .into_tuple()
        .all(db)
        .await
        .map_err(to_app_error)?;
    let trend: Vec<DayCount> = counted
        .into_iter()
        .filter_map(|(day, function, on_time, n)| {
            Some(DayCount {
                day: parse_day(&day)?,
                function,
                on_time,
                count: u32::try_from(n).unwrap_or(0),
            })
        })
        .collect();

    let under_way: Vec<UnderWayColumns> = steps_under_way(scope.clone())
        .column(row::Column::Function)
        .column(row::Column::Process)
        .column(row::Column::CatalogVersion)
        .column(instance::Column::Step)
        .column(instance::Column::ActivatedAt)
        .column(instance::Column::DueAt)
        .into_tuple()
        .all(db)
        .await
        .map_err(to_app_error)?;
    let mut versions: HashMap<i32, Arc<CatalogVersion>> = HashMap::new();
    let mut open = Vec::with_capacity(under_way.len());
    for (function, process, version, step, activated_at, due_at) in under_way {
        let catalog_version = version_cached(catalog, &mut versions, version).await?;
        let measure = measure_of(&catalog_version.catalog, &process, &step);
        open.push(OpenStep {
            function,
            process,
            step,
            activated_at,
            due_at,
            measure,
        });
    }

    let (since, until) = (
        day_start(trend_from, zone),
        day_start(trend_to + chrono::Duration::days(1), zone),
    );
    let raised: Vec<(String, DateTime<Utc>)> = row::Entity::find()
        .select_only()
        .columns([row::Column::Function, row::Column::CreatedAt])
        .filter(row::Column::CreatedAt.gte(since))
        .filter(row::Column::CreatedAt.lt(until))
        .filter(row::Column::Function.is_in(scope.clone()))
        .into_tuple()
        .all(db)
        .await
        .map_err(to_app_error)?;
    let closed: Vec<(String, Option<DateTime<Utc>>)> = row::Entity::find()
        .select_only()
        .columns([row::Column::Function, row::Column::ClosedAt])
        .filter(row::Column::ClosedAt.gte(since))
        .filter(row::Column::ClosedAt.lt(until))
        .filter(row::Column::Status.eq(status_code(CaseStatus::Closed)))
        .filter(row::Column::Function.is_in(scope))
        .into_tuple()
        .all(db)
        .await
        .map_err(to_app_error)?;
    let flows: Vec<CaseFlow> = raised
        .into_iter()
        .map(|(function, at)| CaseFlow {
            function,
            raised: Some(local_day(at, zone)),
            closed: None,
        })
        .chain(closed.into_iter().filter_map(|(function, at)| {
            Some(CaseFlow {
                function,
                raised: None,
                closed: Some(local_day(at?, zone)),
            })
        }))
        .collect();

    dashboard(&DashboardInput {
        catalog: &current.catalog,
        calendar: &calendar,
        now,
        query,
        functions: &functions,
        done: &done,
        trend: &trend,
        open: &open,
        flows: &flows,
    })
    .map_err(|fields| AppError::Invalid { fields })
}
