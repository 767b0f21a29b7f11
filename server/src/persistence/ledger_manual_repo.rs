//! Ledger entries made by hand: added and voided in one transaction each, read with the
//! workflow's rows by the ledger's page and downloads, and listed with their history.

use app::domain::catalog::Catalog;
use app::domain::people::policy::serves_function;
use app::domain::workflow::ledger::{LedgerCell, LedgerRow};
use app::domain::workflow::ledger_manual::{
    check_entry, check_note, ManualEntryInput, ManualMark, ManualRecord, Voiding,
};
use app::domain::workflow::ledger_view::LedgerEntry;
use app::domain::workflow::{Actor, CaseId};
use app::error::AppError;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use super::case_repo::SeaOrmCaseStore;
use super::entities::{department, ledger_manual_entry as manual};
use super::to_app_error;

/// The step code manual rows carry in a [`LedgerRow`] (they belong to no case).
pub const MANUAL_STEP: &str = "manual";

fn local(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()
}

fn record_of(model: manual::Model, zone: Tz) -> Result<ManualRecord, AppError> {
    let cells: Vec<LedgerCell> = serde_json::from_str(&model.cells).map_err(|error| {
        tracing::error!(%error, entry = model.id, "a manual ledger entry does not read");
        AppError::Internal
    })?;
    let voided = match (model.voided_at, model.voided_by_name, model.void_reason) {
        (Some(at), by, reason) => Some(Voiding {
            by: by.unwrap_or_default(),
            at,
            at_text: local(at, zone),
            reason: reason.unwrap_or_default(),
        }),
        _ => None,
    };
    Ok(ManualRecord {
        id: model.id,
        ledger: model.ledger,
        department: model.department,
        cells,
        note: model.note,
        by: model.by_name,
        at: model.at,
        at_text: local(model.at, zone),
        voided,
    })
}

/// The row a manual entry shows as among the workflow's.
pub fn entry_of(record: ManualRecord) -> LedgerEntry {
    LedgerEntry {
        row: LedgerRow {
            ledger: record.ledger.as_str().into(),
            case: CaseId(0),
            step: MANUAL_STEP.into(),
            written_by: "manual".into(),
            at: record.at,
            cells: record.cells,
        },
        title: record.note.clone(),
        department: record.department,
        manual: Some(ManualMark {
            id: record.id,
            by: record.by,
            note: record.note,
        }),
    }
}

/// The ledger's function, if `actor` serves it.
fn function_served(catalog: &Catalog, ledger: &str, actor: &Actor) -> Result<(), AppError> {
    let function = catalog
        .ledger(ledger)
        .map(|l| l.function.to_string())
        .ok_or(AppError::NotFound)?;
    if serves_function(catalog, actor, &function) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

impl SeaOrmCaseStore {
    async fn zone_now(&self) -> Result<Tz, AppError> {
        Ok(self.calendar.calendar().await?.settings().time_zone)
    }

    pub(super) async fn add_manual(
        &self,
        input: ManualEntryInput,
        by: &Actor,
        now: DateTime<Utc>,
    ) -> Result<ManualRecord, AppError> {
        let current = self.catalog.current().await?;
        function_served(&current.catalog, &input.ledger, by)?;
        let ledger = current
            .catalog
            .ledger(&input.ledger)
            .ok_or(AppError::NotFound)?;
        let departments: Vec<String> = department::Entity::find()
            .all(&self.db)
            .await
            .map_err(to_app_error)?
            .into_iter()
            .map(|d| d.name)
            .collect();
        let checked = check_entry(ledger, &input, &departments)
            .map_err(|fields| AppError::Invalid { fields })?;
        let cells = serde_json::to_string(&checked.cells).map_err(|_| AppError::Internal)?;
        let model = manual::ActiveModel {
            ledger: Set(input.ledger.clone()),
            department: Set(checked.department),
            cells: Set(cells),
            note: Set(checked.note),
            by_id: Set(by.user.0),
            by_name: Set(by.name.clone()),
            at: Set(now),
            voided_at: Set(None),
            voided_by_name: Set(None),
            void_reason: Set(None),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(to_app_error)?;
        record_of(model, self.zone_now().await?)
    }

    pub(super) async fn void_manual(
        &self,
        ledger: &str,
        id: i64,
        reason: &str,
        by: &Actor,
        now: DateTime<Utc>,
    ) -> Result<ManualRecord, AppError> {
        let current = self.catalog.current().await?;
        function_served(&current.catalog, ledger, by)?;
        let reason =
            check_note("reason", reason).map_err(|e| AppError::Invalid { fields: vec![e] })?;
        let already_voided = || AppError::Invalid {
            fields: vec![app::error::FieldError::new(
                "id",
                "voided",
                "这条登记已经作废。",
                "This entry is already voided.",
            )],
        };
        // In the writers' queue (SQLite), so two voids at once wait for each other rather
        // than fail on the lock.
        let write = self.begin_write().await?;
        let txn = &write.txn;
        let found = manual::Entity::find_by_id(id)
            .filter(manual::Column::Ledger.eq(ledger))
            .one(txn)
            .await
            .map_err(to_app_error)?
            .ok_or(AppError::NotFound)?;
        if found.voided_at.is_some() {
            return Err(already_voided());
        }
        // Voided only if nobody voided it meanwhile: of two voids at once, one takes effect and
        // the other is told it is already voided (its reason does not overwrite the first).
        let voided = manual::Entity::update_many()
            .col_expr(manual::Column::VoidedAt, Expr::value(now))
            .col_expr(manual::Column::VoidedByName, Expr::value(by.name.clone()))
            .col_expr(manual::Column::VoidReason, Expr::value(reason))
            .filter(manual::Column::Id.eq(id))
            .filter(manual::Column::VoidedAt.is_null())
            .exec(txn)
            .await
            .map_err(to_app_error)?
            .rows_affected;
        if voided == 0 {
            return Err(already_voided());
        }
        let model = manual::Entity::find_by_id(id)
            .one(txn)
            .await
            .map_err(to_app_error)?
            .ok_or(AppError::NotFound)?;
        write.txn.commit().await.map_err(to_app_error)?;
        record_of(model, self.zone_now().await?)
    }

    /// Every manual entry of `ledger`, voided or not, the latest first.
    pub(super) async fn manual_records(
        &self,
        ledger: &str,
        viewer: &Actor,
    ) -> Result<Vec<ManualRecord>, AppError> {
        let current = self.catalog.current().await?;
        function_served(&current.catalog, ledger, viewer)?;
        let zone = self.zone_now().await?;
        manual::Entity::find()
            .filter(manual::Column::Ledger.eq(ledger))
            .order_by_desc(manual::Column::At)
            .order_by_desc(manual::Column::Id)
            .all(&self.db)
            .await
            .map_err(to_app_error)?
            .into_iter()
            .map(|m| record_of(m, zone))
            .collect()
    }

    /// The entries in force (not voided) of `ledger` made in `[since, until)`, of `department`.
    pub(super) async fn manual_entries_in(
        &self,
        ledger: &str,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
        department: Option<&str>,
    ) -> Result<Vec<LedgerEntry>, AppError> {
        let zone = self.zone_now().await?;
        let mut query = manual::Entity::find()
            .filter(manual::Column::Ledger.eq(ledger))
            .filter(manual::Column::VoidedAt.is_null());
        if let Some(since) = since {
            query = query.filter(manual::Column::At.gte(since));
        }
        if let Some(until) = until {
            query = query.filter(manual::Column::At.lt(until));
        }
        if let Some(department) = department {
            query = query.filter(manual::Column::Department.eq(department));
        }
        query
            .all(&self.db)
            .await
            .map_err(to_app_error)?
            .into_iter()
            .map(|m| record_of(m, zone).map(entry_of))
            .collect()
    }
}
