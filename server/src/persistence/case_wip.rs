//! Work-in-progress limits of the boards' columns: reading and setting them, and the check a
//! move from a board meets when it lands in a column at its limit (refused unless the mover
//! confirmed, then recorded in the case's history in the move's own transaction).

use app::domain::catalog::StepCode;
use app::domain::workflow::wip::{self, WipLimit};
use app::domain::workflow::{
    current_instance, Actor, AuditEntry, AuditKind, Case, Outcome, ProcessRef, UserRef,
};
use app::error::{AppError, FieldError};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};

use super::case_repo::SeaOrmCaseStore;
use super::case_rows::status_code;
use super::entities::{case as row, wip_limit};
use super::to_app_error;

impl SeaOrmCaseStore {
    pub(super) async fn limits_of(&self, function: &str) -> Result<Vec<WipLimit>, AppError> {
        let rows = wip_limit::Entity::find()
            .filter(wip_limit::Column::Function.eq(function))
            .order_by_asc(wip_limit::Column::Process)
            .order_by_asc(wip_limit::Column::Step)
            .all(&self.db)
            .await
            .map_err(to_app_error)?;
        Ok(rows
            .into_iter()
            .map(|m| WipLimit {
                process: m.process,
                step: StepCode::new(m.step),
                limit: m.wip_limit.max(1) as u32,
            })
            .collect())
    }

    /// Sets (or, with `None`, removes) the limit of one column of `function`'s board.
    pub(super) async fn put_limit(
        &self,
        function: &str,
        process: &str,
        step: &StepCode,
        limit: Option<u32>,
        by: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Vec<WipLimit>, AppError> {
        let current = self.catalog.current().await?;
        let catalog = &current.catalog;
        if catalog.function(function).is_none() {
            return Err(AppError::NotFound);
        }
        let Some(p) = catalog.process(process).filter(|p| p.function == function) else {
            return Err(AppError::Invalid {
                fields: vec![FieldError::new(
                    "process",
                    "unknown",
                    "此职能没有这个流程。",
                    "This function has no such process.",
                )],
            });
        };
        if p.step(step.as_str()).is_none() {
            return Err(AppError::Invalid {
                fields: vec![FieldError::new(
                    "step",
                    "unknown",
                    "此流程没有这个步骤。",
                    "This process has no such step.",
                )],
            });
        }
        match limit {
            None => {
                wip_limit::Entity::delete_many()
                    .filter(wip_limit::Column::Process.eq(process))
                    .filter(wip_limit::Column::Step.eq(step.as_str()))
                    .exec(&self.db)
                    .await
                    .map_err(to_app_error)?;
            }
            Some(limit) => {
                let model = wip_limit::ActiveModel {
                    process: Set(process.to_string()),
                    step: Set(step.to_string()),
                    function: Set(function.to_string()),
                    wip_limit: Set(limit as i32),
                    set_by_id: Set(by.user.0),
                    set_by_name: Set(by.name.clone()),
                    set_at: Set(now),
                };
                wip_limit::Entity::insert(model)
                    .on_conflict(
                        OnConflict::columns([wip_limit::Column::Process, wip_limit::Column::Step])
                            .update_columns([
                                wip_limit::Column::Function,
                                wip_limit::Column::WipLimit,
                                wip_limit::Column::SetById,
                                wip_limit::Column::SetByName,
                                wip_limit::Column::SetAt,
                            ])
                            .to_owned(),
                    )
                    .exec(&self.db)
                    .await
                    .map_err(to_app_error)?;
            }
        }
        self.limits_of(function).await
    }

    /// What a move meets in the column it lands in: nothing while there is room (or no
    /// limit, or the case stays in its column or leaves the board); past the limit, a refusal
    /// unless `confirmed`, else the history entry that records it.
    pub(super) async fn wip_check(
        &self,
        before: &Case,
        outcome: &Outcome,
        process: &ProcessRef<'_>,
        actor: &Actor,
        now: DateTime<Utc>,
        confirmed: bool,
    ) -> Result<Option<AuditEntry>, AppError> {
        let after = &outcome.case;
        if !after.is_open() {
            return Ok(None);
        }
        let Some(index) = current_instance(after, process) else {
            return Ok(None);
        };
        let landing = &after.steps[index].step;
        let from = current_instance(before, process).map(|i| &before.steps[i].step);
        if from == Some(landing) {
            return Ok(None);
        }
        let limit = wip_limit::Entity::find_by_id((after.process.to_string(), landing.to_string()))
            .one(&self.db)
            .await
            .map_err(to_app_error)?
            .map(|m| m.wip_limit.max(1) as u32);
        if limit.is_none() {
            return Ok(None);
        }
        let count = row::Entity::find()
            .filter(row::Column::Process.eq(after.process.as_str()))
            .filter(row::Column::Status.eq(status_code(app::domain::workflow::CaseStatus::Open)))
            .filter(row::Column::CurrentStep.eq(landing.as_str()))
            .filter(row::Column::Id.ne(after.id.0))
            .count(&self.db)
            .await
            .map_err(to_app_error)? as usize;
        let name = process.process.step(landing.as_str()).map_or_else(
            || app::domain::lang::Text::new(landing.as_str(), landing.as_str()),
            |s| s.name.clone(),
        );
        match wip::admit(count, limit, confirmed, &name) {
            Err(field) => Err(AppError::Invalid {
                fields: vec![field],
            }),
            Ok(None) => Ok(None),
            Ok(Some(exceeded)) => Ok(Some(AuditEntry {
                kind: AuditKind::WipLimitExceeded,
                actor: UserRef {
                    id: actor.user,
                    name: actor.name.clone(),
                },
                at: now,
                step: Some(landing.clone()),
                detail: serde_json::json!({ "count": exceeded.count, "limit": exceeded.limit }),
                version: after.version,
            })),
        }
    }
}
