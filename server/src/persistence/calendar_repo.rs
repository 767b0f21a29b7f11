//! The calendar's settings and overrides in the database, and the calendar built from them.
//! Every change bumps `calendar_state.revision` in the same transaction; each instance keeps
//! its built calendar until it sees a newer revision, which it asks for at most once per
//! [`REVISION_CHECK_EVERY`] (a change made on this instance applies here at once, one made on
//! another instance within that time).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::domain::calendar::{BusinessCalendar, CalendarSettings, DayKind, DayOverride};
use app::error::AppError;
use app::ports::CalendarStore;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use tokio::sync::RwLock;

use super::entities::{calendar_override as day, calendar_state as state};
use super::to_app_error;

const STATE_ROW: i32 = 1;

/// How long this instance trusts its built calendar without asking for the revision.
pub const REVISION_CHECK_EVERY: Duration = Duration::from_secs(1);

/// The built calendar, its revision, and when the database last confirmed that revision.
struct Cached {
    revision: i64,
    calendar: Arc<BusinessCalendar>,
    checked: Instant,
}

pub struct SeaOrmCalendarStore {
    db: DatabaseConnection,
    cache: RwLock<Option<Cached>>,
    /// Counts the changes made here. A calendar built while one was made may predate it, and
    /// is not kept: otherwise it could be stored just after the change dropped the cache, and
    /// serve the old calendar here for up to [`REVISION_CHECK_EVERY`].
    changes: AtomicU64,
}

impl SeaOrmCalendarStore {
    pub fn new(db: DatabaseConnection) -> Self {
        SeaOrmCalendarStore {
            db,
            cache: RwLock::new(None),
            changes: AtomicU64::new(0),
        }
    }

    async fn state(&self) -> Result<state::Model, AppError> {
        state::Entity::find_by_id(STATE_ROW)
            .one(&self.db)
            .await
            .map_err(to_app_error)?
            .ok_or_else(|| {
                tracing::error!("the calendar_state row is missing");
                AppError::Internal
            })
    }

    /// Drops the built calendar after a change made here, so it applies at once.
    async fn forget(&self) {
        let mut cache = self.cache.write().await;
        self.changes.fetch_add(1, Ordering::SeqCst);
        *cache = None;
    }
}

fn to_override(row: day::Model) -> Option<DayOverride> {
    let date = NaiveDate::parse_from_str(&row.date, "%Y-%m-%d").ok()?;
    let kind = match row.kind.as_str() {
        "workday" => DayKind::WorkingDay,
        _ => DayKind::DayOff,
    };
    Some(DayOverride {
        date,
        kind,
        name: row.name,
        year_arrangement: row.year_arrangement,
    })
}

fn to_row(o: &DayOverride, now: DateTime<Utc>) -> day::ActiveModel {
    day::ActiveModel {
        date: Set(o.date.format("%Y-%m-%d").to_string()),
        kind: Set(o.kind.csv().to_string()),
        name: Set(o.name.clone()),
        year_arrangement: Set(o.year_arrangement),
        created_at: Set(now),
    }
}

fn read_settings(row: &state::Model) -> CalendarSettings {
    row.settings
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default()
}

/// Marks the calendar as changed, in the transaction of the change.
async fn bump(txn: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<(), AppError> {
    state::Entity::update_many()
        .col_expr(
            state::Column::Revision,
            Expr::col(state::Column::Revision).add(1),
        )
        .col_expr(state::Column::UpdatedAt, Expr::value(now))
        .filter(state::Column::Id.eq(STATE_ROW))
        .exec(txn)
        .await
        .map_err(to_app_error)?;
    Ok(())
}

async fn all_overrides(db: &impl ConnectionTrait) -> Result<Vec<DayOverride>, AppError> {
    let rows = day::Entity::find()
        .order_by_asc(day::Column::Date)
        .all(db)
        .await
        .map_err(to_app_error)?;
    Ok(rows.into_iter().filter_map(to_override).collect())
}

#[async_trait]
impl CalendarStore for SeaOrmCalendarStore {
    async fn calendar(&self) -> Result<Arc<BusinessCalendar>, AppError> {
        if let Some(cached) = self.cache.read().await.as_ref() {
            if cached.checked.elapsed() < REVISION_CHECK_EVERY {
                return Ok(cached.calendar.clone());
            }
        }
        let changes = self.changes.load(Ordering::SeqCst);
        let current = self.state().await?;
        if let Some(cached) = self.cache.write().await.as_mut() {
            if cached.revision == current.revision {
                cached.checked = Instant::now();
                return Ok(cached.calendar.clone());
            }
        }
        let overrides = all_overrides(&self.db).await?;
        let calendar = BusinessCalendar::new(read_settings(&current), overrides)
            .or_else(|error| {
                tracing::error!(%error, "stored calendar settings are invalid; using the defaults");
                BusinessCalendar::new(CalendarSettings::default(), Vec::new())
            })
            .map_err(|_| AppError::Internal)?;
        let calendar = Arc::new(calendar);
        let mut cache = self.cache.write().await;
        if self.changes.load(Ordering::SeqCst) == changes {
            *cache = Some(Cached {
                revision: current.revision,
                calendar: calendar.clone(),
                checked: Instant::now(),
            });
        }
        Ok(calendar)
    }

    async fn overrides(&self) -> Result<Vec<DayOverride>, AppError> {
        all_overrides(&self.db).await
    }

    async fn put_override(&self, day: DayOverride, now: DateTime<Utc>) -> Result<(), AppError> {
        let txn = self.db.begin().await.map_err(to_app_error)?;
        let key = day.date.format("%Y-%m-%d").to_string();
        day::Entity::delete_by_id(key)
            .exec(&txn)
            .await
            .map_err(to_app_error)?;
        to_row(&day, now).insert(&txn).await.map_err(to_app_error)?;
        bump(&txn, now).await?;
        txn.commit().await.map_err(to_app_error)?;
        self.forget().await;
        Ok(())
    }

    async fn remove_override(&self, date: NaiveDate, now: DateTime<Utc>) -> Result<bool, AppError> {
        let txn = self.db.begin().await.map_err(to_app_error)?;
        let key = date.format("%Y-%m-%d").to_string();
        let removed = day::Entity::delete_by_id(key)
            .exec(&txn)
            .await
            .map_err(to_app_error)?
            .rows_affected
            > 0;
        if removed {
            bump(&txn, now).await?;
        }
        txn.commit().await.map_err(to_app_error)?;
        self.forget().await;
        Ok(removed)
    }

    async fn import_year(
        &self,
        year: i32,
        rows: Vec<DayOverride>,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let txn = self.db.begin().await.map_err(to_app_error)?;
        day::Entity::delete_many()
            .filter(
                day::Column::Date.between(format!("{year:04}-01-01"), format!("{year:04}-12-31")),
            )
            .exec(&txn)
            .await
            .map_err(to_app_error)?;
        for row in &rows {
            to_row(row, now).insert(&txn).await.map_err(to_app_error)?;
        }
        bump(&txn, now).await?;
        txn.commit().await.map_err(to_app_error)?;
        self.forget().await;
        Ok(())
    }

    async fn save_settings(
        &self,
        settings: CalendarSettings,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let json = serde_json::to_string(&settings).map_err(|_| AppError::Internal)?;
        let txn = self.db.begin().await.map_err(to_app_error)?;
        state::ActiveModel {
            id: Set(STATE_ROW),
            settings: Set(Some(json)),
            ..Default::default()
        }
        .update(&txn)
        .await
        .map_err(to_app_error)?;
        bump(&txn, now).await?;
        txn.commit().await.map_err(to_app_error)?;
        self.forget().await;
        Ok(())
    }
}
