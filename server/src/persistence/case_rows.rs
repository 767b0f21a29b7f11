//! A case as rows: the `cases` row from the domain case, the child tables rewritten with each
//! save, and what an outcome appends (audit entries, ledger rows, escalations).

use app::domain::catalog::EscalationOn;
use app::domain::workflow::{
    current_instance, next_escalation_at, AuditEntry, Case, CaseStatus, EscalationRecord,
    LedgerRow, OutputValue, ProcessRef, StepOutcome, Verdict,
};
use app::error::AppError;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QuerySelect, Set,
};

use super::entities::{
    audit_entry as audit, case as row, case_approval as approval, case_comment as comment,
    case_output as output, checklist_tick as tick, escalation, ledger_row as ledger,
    step_instance as instance,
};

pub fn status_code(status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::Open => "open",
        CaseStatus::Closed => "closed",
        CaseStatus::Cancelled => "cancelled",
    }
}

fn outcome_code(outcome: &StepOutcome) -> &'static str {
    match outcome {
        StepOutcome::Completed => "completed",
        StepOutcome::Returned { .. } => "returned",
        StepOutcome::Skipped => "skipped",
        StepOutcome::Cancelled => "cancelled",
    }
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|error| {
        tracing::error!(%error, "a case does not serialize");
        AppError::Internal
    })
}

/// The `cases` row of `case` (the id left unset: the database assigns it on insert).
pub fn case_row(case: &Case, process: &ProcessRef) -> Result<row::ActiveModel, AppError> {
    let current = current_instance(case, process).map(|i| &case.steps[i]);
    Ok(row::ActiveModel {
        id: NotSet,
        process: Set(case.process.to_string()),
        function: Set(process.process.function.to_string()),
        catalog_version: Set(case.catalog_version as i32),
        title: Set(case.title.clone()),
        requester_id: Set(case.requester.id.0),
        requester_name: Set(case.requester.name.clone()),
        department: Set(case.department.clone()),
        status: Set(status_code(case.status).into()),
        current_step: Set(current.map(|s| s.step.to_string())),
        current_owner_role: Set(current.map(|s| s.owner.to_string())),
        current_due_at: Set(current.and_then(|s| s.due).map(|d| d.at)),
        version: Set(case.version),
        created_at: Set(case.created_at),
        updated_at: Set(case.updated_at),
        closed_at: Set(case.closed_at),
        next_escalation_at: Set(next_escalation_at(case, process.process)),
        body: Set(json(case)?),
    })
}

async fn insert_all<E, A>(db: &impl ConnectionTrait, rows: Vec<A>) -> Result<(), DbErr>
where
    E: EntityTrait,
    A: sea_orm::ActiveModelTrait<Entity = E> + Send,
{
    if rows.is_empty() {
        return Ok(());
    }
    E::insert_many(rows).exec(db).await.map(|_| ())
}

/// Rewrites the child tables of `case` (step instances, ticks, outputs, approvals, comments).
pub async fn rewrite_children(db: &impl ConnectionTrait, case: &Case) -> Result<(), AppError> {
    let id = case.id.0;
    rewrite(db, id, case).await.map_err(super::to_app_error)
}

async fn rewrite(db: &impl ConnectionTrait, id: i64, case: &Case) -> Result<(), DbErr> {
    instance::Entity::delete_many()
        .filter(instance::Column::CaseId.eq(id))
        .exec(db)
        .await?;
    tick::Entity::delete_many()
        .filter(tick::Column::CaseId.eq(id))
        .exec(db)
        .await?;
    output::Entity::delete_many()
        .filter(output::Column::CaseId.eq(id))
        .exec(db)
        .await?;
    approval::Entity::delete_many()
        .filter(approval::Column::CaseId.eq(id))
        .exec(db)
        .await?;
    comment::Entity::delete_many()
        .filter(comment::Column::CaseId.eq(id))
        .exec(db)
        .await?;
    let (mut instances, mut ticks, mut outputs, mut approvals) = (vec![], vec![], vec![], vec![]);
    for (i, s) in case.steps.iter().enumerate() {
        let seq = i as i32 + 1;
        instances.push(instance::ActiveModel {
            case_id: Set(id),
            seq: Set(seq),
            step: Set(s.step.to_string()),
            round: Set(s.round as i32),
            owner_role: Set(s.owner.to_string()),
            assignee_id: Set(s.assignee.map(|u| u.0)),
            activated_at: Set(s.activated_at),
            due_at: Set(s.due.map(|d| d.at)),
            opens_at: Set(s.due.and_then(|d| d.opens_at)),
            due_provisional: Set(s.due.is_some_and(|d| d.provisional)),
            completed_at: Set(s.completed_at),
            completed_by_id: Set(s.completed_by.as_ref().map(|u| u.id.0)),
            completed_by_name: Set(s.completed_by.as_ref().map(|u| u.name.clone())),
            outcome: Set(s.outcome.as_ref().map(|o| outcome_code(o).to_string())),
        });
        for (item, ticked) in s.ticks.iter().enumerate() {
            ticks.push(tick::ActiveModel {
                case_id: Set(id),
                step_seq: Set(seq),
                item: Set(item as i32),
                ticked: Set(*ticked),
            });
        }
        for (code, recorded) in &s.outputs {
            let kind = match recorded.value {
                OutputValue::Form(_) => "form",
                OutputValue::File(_) => "file",
            };
            outputs.push(output::ActiveModel {
                case_id: Set(id),
                step_seq: Set(seq),
                output: Set(code.to_string()),
                kind: Set(kind.into()),
                value: Set(serde_json::to_string(&recorded.value).unwrap_or_default()),
                by_id: Set(recorded.by.id.0),
                by_name: Set(recorded.by.name.clone()),
                at: Set(recorded.at),
            });
        }
        for (n, a) in s.approvals.iter().enumerate() {
            approvals.push(approval::ActiveModel {
                case_id: Set(id),
                step_seq: Set(seq),
                seq: Set(n as i32 + 1),
                role: Set(a.role.to_string()),
                verdict: Set(match a.verdict {
                    Verdict::Approve => "approve".into(),
                    Verdict::Reject => "reject".into(),
                }),
                by_id: Set(a.by.id.0),
                by_name: Set(a.by.name.clone()),
                at: Set(a.at),
                comment: Set(a.comment.clone()),
            });
        }
    }
    let comments = case
        .comments
        .iter()
        .enumerate()
        .map(|(n, c)| comment::ActiveModel {
            case_id: Set(id),
            seq: Set(n as i32 + 1),
            step: Set(c.step.as_ref().map(ToString::to_string)),
            by_id: Set(c.by.id.0),
            by_name: Set(c.by.name.clone()),
            at: Set(c.at),
            text: Set(c.text.clone()),
        })
        .collect();
    insert_all(db, instances).await?;
    insert_all(db, ticks).await?;
    insert_all(db, outputs).await?;
    insert_all(db, approvals).await?;
    insert_all(db, comments).await
}

/// Appends audit entries after the case's last one.
pub async fn append_audit(
    db: &impl ConnectionTrait,
    case_id: i64,
    entries: &[AuditEntry],
) -> Result<(), AppError> {
    let last: Option<i32> = audit::Entity::find()
        .select_only()
        .column_as(Expr::col(audit::Column::Seq).max(), "max")
        .filter(audit::Column::CaseId.eq(case_id))
        .into_tuple::<Option<i32>>()
        .one(db)
        .await
        .map_err(super::to_app_error)?
        .flatten();
    let start = last.unwrap_or(0);
    let mut rows = Vec::with_capacity(entries.len());
    for (n, e) in entries.iter().enumerate() {
        rows.push(audit::ActiveModel {
            case_id: Set(case_id),
            seq: Set(start + n as i32 + 1),
            kind: Set(e.kind.code().into()),
            actor_id: Set(e.actor.id.0),
            actor_name: Set(e.actor.name.clone()),
            at: Set(e.at),
            step: Set(e.step.as_ref().map(ToString::to_string)),
            detail: Set(json(&e.detail)?),
            version: Set(e.version),
        });
    }
    insert_all(db, rows).await.map_err(super::to_app_error)
}

/// Writes ledger rows: one per (ledger, case, step), a step completed again updates its row.
pub async fn upsert_ledger(db: &impl ConnectionTrait, rows: &[LedgerRow]) -> Result<(), AppError> {
    for r in rows {
        let model = ledger::ActiveModel {
            ledger: Set(r.ledger.to_string()),
            case_id: Set(r.case.0),
            step: Set(r.step.to_string()),
            written_by_role: Set(r.written_by.to_string()),
            at: Set(r.at),
            cells: Set(json(&r.cells)?),
        };
        let on_conflict = OnConflict::columns([
            ledger::Column::Ledger,
            ledger::Column::CaseId,
            ledger::Column::Step,
        ])
        .update_columns([
            ledger::Column::WrittenByRole,
            ledger::Column::At,
            ledger::Column::Cells,
        ])
        .to_owned();
        ledger::Entity::insert(model)
            .on_conflict(on_conflict)
            .exec(db)
            .await
            .map_err(super::to_app_error)?;
    }
    Ok(())
}

/// Records escalations (each key once per case; the domain never repeats one).
pub async fn insert_escalations(
    db: &impl ConnectionTrait,
    case_id: i64,
    records: &[EscalationRecord],
) -> Result<(), AppError> {
    let mut rows = Vec::with_capacity(records.len());
    for e in records {
        rows.push(escalation::ActiveModel {
            case_id: Set(case_id),
            key: Set(e.key.clone()),
            step: Set(e.step.to_string()),
            on: Set(match e.on {
                EscalationOn::Overdue => "overdue".into(),
                EscalationOn::AnomalyFlagged => "anomaly".into(),
            }),
            to_role: Set(e.to.to_string()),
            level: Set(e.level as i32),
            triggered_at: Set(e.triggered_at),
            due_at: Set(e.due_at),
            recorded_at: Set(e.recorded_at),
        });
    }
    insert_all(db, rows).await.map_err(super::to_app_error)
}
