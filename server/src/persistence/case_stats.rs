//! The dashboard's rows: each step completion appended, in the transaction that completes it,
//! to `step_completions` (narrow rows indexed by local day); the dashboard reads the
//! completions and the cases raised and closed of the days its period and trend cover (the
//! settled ones kept in memory once read, [`DashboardDays`]) and the steps under way, and the
//! domain counts ([`app::domain::workflow::dashboard`]).

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

use super::batch::Batch;
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
pub(super) fn record_completions(batch: &mut Batch, done: &[StepDone]) {
    for chunk in done.chunks(500) {
        batch.push(
            &completion::Entity::insert_many(chunk.iter().map(completion_row)).on_conflict(
                OnConflict::columns([completion::Column::CaseId, completion::Column::Seq])
                    .do_nothing()
                    .to_owned(),
            ),
        );
    }
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
        let mut batch = Batch::new(txn.get_database_backend());
        record_completions(&mut batch, &done);
        batch.run(&txn).await.map_err(to_app_error)?;
    }
    txn.commit().await.map_err(to_app_error)?;
    Ok(Some(written))
}

/// How long after a local midnight the day before counts as settled: a completion, a raise
/// or a close whose transaction began before midnight has committed by then.
const SETTLING: chrono::Duration = chrono::Duration::minutes(15);

/// At most this many completions are kept in memory ([`DashboardDays`]); past it the
/// memory starts afresh.
const KEPT_COMPLETIONS: usize = 2_000_000;

/// The last local day whose completions, raises and closes can no longer change at `now`.
pub(super) fn settled_until(now: DateTime<Utc>, zone: Tz) -> NaiveDate {
    let today = local_day(now - SETTLING, zone);
    today.pred_opt().unwrap_or(today)
}

fn verdict_slot(on_time: Option<bool>) -> usize {
    match on_time {
        Some(true) => 0,
        Some(false) => 1,
        None => 2,
    }
}

/// One function's day: its step completions and the cases raised and closed (done, not
/// cancelled) in it.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct DayFacts {
    done: Vec<StepDone>,
    raised: u32,
    closed: u32,
}

/// The dashboard's memory of settled days. A day's completions and its raised and closed
/// cases never change once the day is over (a completion is dated the day it happens; a
/// case's raise and close are stamped once), so a server keeps the days it has read, per
/// function, and reads from the database only the days it has not seen and those not yet
/// settled (today, and yesterday for a quarter of an hour). Every instance on one database
/// keeps its own memory; each holds only what the database held. A change of the
/// organisation's time zone (which moves the days' bounds) starts it afresh.
#[derive(Default)]
pub struct DashboardDays {
    memory: std::sync::Mutex<DayMemory>,
}

#[derive(Default)]
struct DayMemory {
    zone: Option<Tz>,
    completions: usize,
    days: HashMap<(String, NaiveDate), Arc<DayFacts>>,
}

type DayKey = (String, NaiveDate);

impl DashboardDays {
    /// Every day from `first` to `last` of each of `functions`, in order of function and day.
    async fn facts(
        &self,
        db: &DatabaseConnection,
        functions: &[String],
        first: NaiveDate,
        last: NaiveDate,
        settled: NaiveDate,
        zone: Tz,
    ) -> Result<std::collections::BTreeMap<DayKey, Arc<DayFacts>>, AppError> {
        let calendar_days = || first.iter_days().take_while(move |d| *d <= last);
        let mut out = std::collections::BTreeMap::new();
        let (mut unseen, mut seen) = (Vec::new(), Vec::new());
        {
            let mut memory = self.memory.lock().unwrap_or_else(|e| e.into_inner());
            if memory.zone != Some(zone) {
                *memory = DayMemory {
                    zone: Some(zone),
                    ..DayMemory::default()
                };
            }
            for function in functions {
                let kept: Vec<(NaiveDate, Arc<DayFacts>)> = calendar_days()
                    .take_while(|d| *d <= settled)
                    .map_while(|d| {
                        memory
                            .days
                            .get(&(function.clone(), d))
                            .map(|f| (d, f.clone()))
                    })
                    .collect();
                let settled_days = calendar_days().take_while(|d| *d <= settled).count();
                if kept.len() == settled_days {
                    out.extend(kept.into_iter().map(|(d, f)| ((function.clone(), d), f)));
                    seen.push(function.clone());
                } else {
                    unseen.push(function.clone());
                }
            }
        }
        let mut read = HashMap::new();
        if !unseen.is_empty() {
            read.extend(read_days(db, &unseen, first, last, zone).await?);
        }
        let live_from = settled.succ_opt().unwrap_or(settled).max(first);
        if !seen.is_empty() && live_from <= last {
            read.extend(read_days(db, &seen, live_from, last, zone).await?);
        }
        let mut memory = self.memory.lock().unwrap_or_else(|e| e.into_inner());
        for function in &unseen {
            for day in calendar_days() {
                let facts = Arc::new(read.remove(&(function.clone(), day)).unwrap_or_default());
                if day <= settled && memory.zone == Some(zone) {
                    memory.completions += facts.done.len();
                    if let Some(old) = memory.days.insert((function.clone(), day), facts.clone()) {
                        memory.completions -= old.done.len();
                    }
                }
                out.insert((function.clone(), day), facts);
            }
        }
        if memory.completions > KEPT_COMPLETIONS {
            memory.days.clear();
            memory.completions = 0;
        }
        drop(memory);
        for ((function, day), facts) in read {
            out.insert((function, day), Arc::new(facts));
        }
        Ok(out)
    }
}

/// The completions and the raised and closed cases of `functions` from local day `first` to
/// `last`, per function and day (days without any are absent).
async fn read_days(
    db: &DatabaseConnection,
    functions: &[String],
    first: NaiveDate,
    last: NaiveDate,
    zone: Tz,
) -> Result<HashMap<DayKey, DayFacts>, AppError> {
    let day_text = |day: NaiveDate| day.format("%Y-%m-%d").to_string();
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
        .filter(completion::Column::Day.gte(day_text(first)))
        .filter(completion::Column::Day.lte(day_text(last)))
        .filter(completion::Column::Function.is_in(functions.to_vec()))
        .into_tuple()
        .all(db)
        .await
        .map_err(to_app_error)?;
    let mut days: HashMap<DayKey, DayFacts> = HashMap::new();
    for (day, function, process, step, elapsed, allowed, on_time) in rows {
        let Ok(day) = NaiveDate::parse_from_str(&day, "%Y-%m-%d") else {
            continue;
        };
        days.entry((function.clone(), day))
            .or_default()
            .done
            .push(StepDone {
                case_id: 0,
                seq: 0,
                day,
                function,
                process,
                step,
                elapsed_minutes: u32::try_from(elapsed).unwrap_or(0),
                allowed_minutes: allowed.map(|a| u32::try_from(a).unwrap_or(0)),
                on_time,
            });
    }
    let (since, until) = (
        day_start(first, zone),
        day_start(last + chrono::Duration::days(1), zone),
    );
    let raised: Vec<(String, DateTime<Utc>)> = row::Entity::find()
        .select_only()
        .columns([row::Column::Function, row::Column::CreatedAt])
        .filter(row::Column::CreatedAt.gte(since))
        .filter(row::Column::CreatedAt.lt(until))
        .filter(row::Column::Function.is_in(functions.to_vec()))
        .into_tuple()
        .all(db)
        .await
        .map_err(to_app_error)?;
    for (function, at) in raised {
        days.entry((function, local_day(at, zone)))
            .or_default()
            .raised += 1;
    }
    // Done or cancelled: told apart here, for a filter on the status would lead SQLite to
    // the index on status and function, through every closed case of the functions.
    let closed: Vec<(String, Option<DateTime<Utc>>, String)> = row::Entity::find()
        .select_only()
        .columns([
            row::Column::Function,
            row::Column::ClosedAt,
            row::Column::Status,
        ])
        .filter(row::Column::ClosedAt.gte(since))
        .filter(row::Column::ClosedAt.lt(until))
        .filter(row::Column::Function.is_in(functions.to_vec()))
        .into_tuple()
        .all(db)
        .await
        .map_err(to_app_error)?;
    let done = status_code(CaseStatus::Closed);
    for (function, at, status) in closed {
        if let (Some(at), true) = (at, status == done) {
            days.entry((function, local_day(at, zone)))
                .or_default()
                .closed += 1;
        }
    }
    Ok(days)
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
    days: &DashboardDays,
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
    // Completions and raised and closed cases of every day the period or the trend covers:
    // settled days from memory when this server has read them before, the rest from the
    // database.
    let first = from.min(trend_from);
    let last = to.max(trend_to);
    let settled = settled_until(now, zone);
    let days = days.facts(db, &scope, first, last, settled, zone).await?;
    let mut done: Vec<&[StepDone]> = Vec::with_capacity(days.len());
    let mut trend: Vec<DayCount> = Vec::new();
    let mut flows: Vec<CaseFlow> = Vec::new();
    for ((function, day), facts) in &days {
        done.push(&facts.done);
        let mut counts: [u32; 3] = [0; 3];
        for d in &facts.done {
            counts[verdict_slot(d.on_time)] += 1;
        }
        for (slot, on_time) in [(0, Some(true)), (1, Some(false)), (2, None)] {
            if counts[slot] > 0 {
                trend.push(DayCount {
                    day: *day,
                    function: function.clone(),
                    on_time,
                    count: counts[slot],
                });
            }
        }
        if facts.raised > 0 || facts.closed > 0 {
            flows.push(CaseFlow {
                function: function.clone(),
                day: *day,
                raised: facts.raised,
                closed: facts.closed,
            });
        }
    }

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
