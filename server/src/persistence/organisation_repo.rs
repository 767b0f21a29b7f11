//! The organisation's settings in the database.

use app::domain::organisation::{Organisation, OrganisationName};
use app::error::AppError;
use app::ports::OrganisationStore;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set, TransactionTrait};

use super::entities::organisation;
use super::to_app_error;

/// The only row of the `organisation` table.
const ROW: i32 = 1;

pub struct SeaOrmOrganisationStore {
    db: DatabaseConnection,
}

impl SeaOrmOrganisationStore {
    pub fn new(db: DatabaseConnection) -> Self {
        SeaOrmOrganisationStore { db }
    }
}

#[async_trait]
impl OrganisationStore for SeaOrmOrganisationStore {
    async fn organisation(&self) -> Result<Organisation, AppError> {
        organisation::Entity::find_by_id(ROW)
            .one(&self.db)
            .await
            .map_err(to_app_error)?
            .map(Organisation::from)
            .ok_or(AppError::NotFound)
    }

    async fn rename_organisation(
        &self,
        name: OrganisationName,
        now: DateTime<Utc>,
    ) -> Result<Organisation, AppError> {
        let txn = self.db.begin().await.map_err(to_app_error)?;
        let row = organisation::ActiveModel {
            id: Set(ROW),
            name: Set(name.as_str().to_string()),
            updated_at: Set(Some(now)),
        }
        .update(&txn)
        .await
        .map_err(to_app_error)?;
        txn.commit().await.map_err(to_app_error)?;
        Ok(row.into())
    }
}
