//! The catalog's versions in the database. The newest version is the one in force. Versions
//! never change once saved, so each one read is kept; which one is newest is asked of the
//! database at most once per [`NEWEST_CHECK_EVERY`] (a version saved on this instance is in
//! force here at once, one saved on another instance within that time).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::domain::catalog::{Catalog, CatalogVersion, VersionSummary};
use app::error::AppError;
use app::ports::CatalogStore;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, DatabaseConnection, EntityTrait, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};
use tokio::sync::RwLock;

use super::entities::catalog_version as row;
use super::to_app_error;

/// The note stored with the built-in standard.
pub const BUILTIN_NOTE: &str = "内置标准 / built-in standard";

/// How long this instance trusts its knowledge of the newest version.
pub const NEWEST_CHECK_EVERY: Duration = Duration::from_secs(1);

pub struct SeaOrmCatalogStore {
    db: DatabaseConnection,
    /// The version in force and when the database last confirmed it was the newest.
    current: RwLock<Option<(Arc<CatalogVersion>, Instant)>>,
    versions: RwLock<HashMap<u32, Arc<CatalogVersion>>>,
}

impl SeaOrmCatalogStore {
    pub fn new(db: DatabaseConnection) -> Self {
        SeaOrmCatalogStore {
            db,
            current: RwLock::new(None),
            versions: RwLock::new(HashMap::new()),
        }
    }

    async fn remember(&self, version: CatalogVersion) -> Arc<CatalogVersion> {
        let version = Arc::new(version);
        self.versions
            .write()
            .await
            .insert(version.version, version.clone());
        version
    }

    async fn newest_number(&self) -> Result<Option<i32>, AppError> {
        row::Entity::find()
            .select_only()
            .column_as(Expr::col(row::Column::Version).max(), "max")
            .into_tuple::<Option<i32>>()
            .one(&self.db)
            .await
            .map(Option::flatten)
            .map_err(to_app_error)
    }
}

/// Stores the built-in catalog as version 1 when the database has no version yet.
/// Several instances starting at once may race; the loser's insert fails and is ignored.
pub async fn store_builtin_if_empty(
    db: &DatabaseConnection,
    builtin: &Catalog,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    if row::Entity::find().one(db).await?.is_some() {
        return Ok(());
    }
    let result = row::ActiveModel {
        version: Set(1),
        note: Set(BUILTIN_NOTE.to_string()),
        body: Set(serde_json::to_string(builtin).expect("a catalog serializes")),
        created_at: Set(now),
    }
    .insert(db)
    .await;
    match result {
        Ok(_) => Ok(()),
        Err(_) if row::Entity::find_by_id(1).one(db).await?.is_some() => Ok(()),
        Err(error) => Err(error),
    }
}

fn to_version(model: row::Model) -> Result<CatalogVersion, AppError> {
    let catalog = serde_json::from_str::<Catalog>(&model.body).map_err(|error| {
        tracing::error!(version = model.version, %error, "a stored catalog version cannot be read");
        AppError::Internal
    })?;
    Ok(CatalogVersion {
        version: model.version as u32,
        created_at: model.created_at.to_rfc3339(),
        note: model.note,
        catalog,
    })
}

impl SeaOrmCatalogStore {
    /// Records `version` as the one in force, unless a newer one is already recorded (a
    /// reader that looked before a save finished must not put the older version back), and
    /// answers the one in force.
    async fn settle_current(&self, version: Arc<CatalogVersion>) -> Arc<CatalogVersion> {
        let mut current = self.current.write().await;
        if let Some((newer, _)) = current
            .as_ref()
            .filter(|(held, _)| held.version > version.version)
        {
            return newer.clone();
        }
        *current = Some((version.clone(), Instant::now()));
        version
    }
}

#[async_trait]
impl CatalogStore for SeaOrmCatalogStore {
    async fn current(&self) -> Result<Arc<CatalogVersion>, AppError> {
        if let Some((cached, checked)) = self.current.read().await.as_ref() {
            if checked.elapsed() < NEWEST_CHECK_EVERY {
                return Ok(cached.clone());
            }
        }
        let newest = self.newest_number().await?.ok_or(AppError::NotFound)?;
        let version = self.version(newest as u32).await?;
        Ok(self.settle_current(version).await)
    }

    async fn version(&self, version: u32) -> Result<Arc<CatalogVersion>, AppError> {
        if let Some(cached) = self.versions.read().await.get(&version) {
            return Ok(cached.clone());
        }
        let model = row::Entity::find_by_id(version as i32)
            .one(&self.db)
            .await
            .map_err(to_app_error)?
            .ok_or(AppError::NotFound)?;
        Ok(self.remember(to_version(model)?).await)
    }

    async fn save_version(
        &self,
        catalog: Catalog,
        note: String,
        base: Option<u32>,
        now: DateTime<Utc>,
    ) -> Result<Arc<CatalogVersion>, AppError> {
        let body = serde_json::to_string(&catalog).map_err(|_| AppError::Internal)?;
        let txn = self.db.begin().await.map_err(to_app_error)?;
        let newest = row::Entity::find()
            .order_by_desc(row::Column::Version)
            .one(&txn)
            .await
            .map_err(to_app_error)?
            .map_or(0, |m| m.version);
        if base.is_some_and(|base| base as i32 != newest) {
            return Err(AppError::Conflict {
                message: format!(
                    "the catalog was changed since version {}: version {newest} is now in force",
                    base.unwrap_or_default()
                ),
                current_version: Some(newest as i64),
            });
        }
        // Another save between this read and the insert takes the same number and makes one
        // of the two inserts fail: the loser is answered with a conflict below.
        let inserted = row::ActiveModel {
            version: Set(newest + 1),
            note: Set(note),
            body: Set(body),
            created_at: Set(now),
        }
        .insert(&txn)
        .await;
        let model = match inserted {
            Ok(model) => model,
            Err(error) => {
                tracing::info!(%error, "catalog version taken by a concurrent save");
                return Err(AppError::Conflict {
                    message: "another catalog version was saved at the same time".into(),
                    current_version: None,
                });
            }
        };
        txn.commit().await.map_err(|_| AppError::Conflict {
            message: "another catalog version was saved at the same time".into(),
            current_version: None,
        })?;
        let version = self.remember(to_version(model)?).await;
        Ok(self.settle_current(version).await)
    }

    async fn history(&self) -> Result<Vec<VersionSummary>, AppError> {
        let rows = row::Entity::find()
            .select_only()
            .columns([
                row::Column::Version,
                row::Column::CreatedAt,
                row::Column::Note,
            ])
            .order_by_desc(row::Column::Version)
            .into_tuple::<(i32, DateTime<Utc>, String)>()
            .all(&self.db)
            .await
            .map_err(to_app_error)?;
        Ok(rows
            .into_iter()
            .map(|(version, created_at, note)| VersionSummary {
                version: version as u32,
                created_at: created_at.to_rfc3339(),
                note,
            })
            .collect())
    }
}
