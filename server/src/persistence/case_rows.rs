//! A case as rows: the `cases` row from the domain case, the child rows an operation changed,
//! and what an outcome appends (audit entries, ledger rows, escalations).

use app::domain::catalog::{EscalationOn, Process};
use app::domain::workflow::agenda::case_events;
use app::domain::workflow::{
    current_instance, next_escalation_at, AuditEntry, Case, CaseStatus, EscalationRecord,
    LedgerRow, OutputValue, ProcessRef, StepOutcome, Verdict,
};
use app::error::AppError;
use chrono_tz::Tz;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::NotSet, DbErr, EntityTrait, IdenStatic, IntoActiveModel, Iterable, ModelTrait,
    PrimaryKeyToColumn, Set,
};

use super::batch::Batch;

use super::entities::{
    audit_entry as audit, case as row, case_approval as approval, case_comment as comment,
    case_event as event, case_output as output, checklist_tick as tick, escalation,
    ledger_row as ledger, step_instance as instance,
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

/// The `cases` row of `case` after an operation whose audit entries end at `audit_seq` (the
/// id left unset: the database assigns it on insert, and the stored body's id is not read).
pub fn case_row(
    case: &Case,
    process: &ProcessRef,
    audit_seq: i32,
) -> Result<row::ActiveModel, AppError> {
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
        audit_seq: Set(audit_seq),
        body: Set(json(case)?),
    })
}

fn insert_all<E, A>(batch: &mut Batch, rows: Vec<A>)
where
    E: EntityTrait,
    A: sea_orm::ActiveModelTrait<Entity = E> + Send,
{
    if !rows.is_empty() {
        batch.push(&E::insert_many(rows));
    }
}

/// The child rows of a case (step instances, ticks, outputs, approvals, comments, the dates
/// the calendar shows), as the database holds them.
#[derive(Default)]
struct Children {
    instances: Vec<instance::Model>,
    ticks: Vec<tick::Model>,
    outputs: Vec<output::Model>,
    approvals: Vec<approval::Model>,
    comments: Vec<comment::Model>,
    events: Vec<event::Model>,
}

fn children(case: &Case, process: &Process, zone: Tz) -> Children {
    let id = case.id.0;
    let mut rows = Children::default();
    for (i, s) in case.steps.iter().enumerate() {
        let seq = i as i32 + 1;
        rows.instances.push(instance::Model {
            case_id: id,
            seq,
            step: s.step.to_string(),
            round: s.round as i32,
            owner_role: s.owner.to_string(),
            assignee_id: s.assignee.map(|u| u.0),
            activated_at: s.activated_at,
            due_at: s.due.map(|d| d.at),
            opens_at: s.due.and_then(|d| d.opens_at),
            due_provisional: s.due.is_some_and(|d| d.provisional),
            completed_at: s.completed_at,
            completed_by_id: s.completed_by.as_ref().map(|u| u.id.0),
            completed_by_name: s.completed_by.as_ref().map(|u| u.name.clone()),
            outcome: s.outcome.as_ref().map(|o| outcome_code(o).to_string()),
        });
        for (item, ticked) in s.ticks.iter().enumerate() {
            rows.ticks.push(tick::Model {
                case_id: id,
                step_seq: seq,
                item: item as i32,
                ticked: *ticked,
            });
        }
        for (code, recorded) in &s.outputs {
            let kind = match recorded.value {
                OutputValue::Form(_) => "form",
                OutputValue::File(_) => "file",
            };
            rows.outputs.push(output::Model {
                case_id: id,
                step_seq: seq,
                output: code.to_string(),
                kind: kind.into(),
                value: serde_json::to_string(&recorded.value).unwrap_or_default(),
                by_id: recorded.by.id.0,
                by_name: recorded.by.name.clone(),
                at: recorded.at,
            });
        }
        for (n, a) in s.approvals.iter().enumerate() {
            rows.approvals.push(approval::Model {
                case_id: id,
                step_seq: seq,
                seq: n as i32 + 1,
                role: a.role.to_string(),
                verdict: match a.verdict {
                    Verdict::Approve => "approve".into(),
                    Verdict::Reject => "reject".into(),
                },
                by_id: a.by.id.0,
                by_name: a.by.name.clone(),
                at: a.at,
                comment: a.comment.clone(),
            });
        }
    }
    rows.comments = case
        .comments
        .iter()
        .enumerate()
        .map(|(n, c)| comment::Model {
            case_id: id,
            seq: n as i32 + 1,
            step: c.step.as_ref().map(ToString::to_string),
            by_id: c.by.id.0,
            by_name: c.by.name.clone(),
            at: c.at,
            text: c.text.clone(),
        })
        .collect();
    rows.events = case_events(process, case, zone)
        .into_iter()
        .map(|(field, at, all_day)| event::Model {
            case_id: id,
            field,
            at,
            all_day,
        })
        .collect();
    rows
}

/// Brings the child tables of a case from `before` (the case as loaded; `None` when it was
/// just raised) to `after`, writing only the rows that differ: an operation typically updates
/// one step instance and adds the next, one statement, however long the case's history.
pub fn save_children(
    batch: &mut Batch,
    before: Option<&Case>,
    after: &Case,
    process: &Process,
    zone: Tz,
) -> Result<(), AppError> {
    let old = before
        .map(|case| children(case, process, zone))
        .unwrap_or_default();
    let new = children(after, process, zone);
    (|| {
        sync::<instance::Entity>(batch, old.instances, new.instances)?;
        sync::<tick::Entity>(batch, old.ticks, new.ticks)?;
        sync::<output::Entity>(batch, old.outputs, new.outputs)?;
        sync::<approval::Entity>(batch, old.approvals, new.approvals)?;
        sync::<comment::Entity>(batch, old.comments, new.comments)?;
        sync::<event::Entity>(batch, old.events, new.events)
    })()
    .map_err(super::to_app_error)
}

fn key_of<E: EntityTrait>(model: &E::Model) -> Vec<sea_orm::Value> {
    E::PrimaryKey::iter()
        .map(|k| model.get(k.into_column()))
        .collect()
}

/// Upserts the rows of `after` that are new or changed (one statement) and deletes the rows
/// of `before` whose keys are gone.
fn sync<E>(batch: &mut Batch, before: Vec<E::Model>, after: Vec<E::Model>) -> Result<(), DbErr>
where
    E: EntityTrait,
    E::Model: IntoActiveModel<E::ActiveModel> + PartialEq,
    E::ActiveModel: sea_orm::ActiveModelTrait<Entity = E> + Send,
{
    let old: Vec<(Vec<sea_orm::Value>, E::Model)> =
        before.into_iter().map(|m| (key_of::<E>(&m), m)).collect();
    let new_keys: Vec<Vec<sea_orm::Value>> = after.iter().map(key_of::<E>).collect();
    for (key, model) in &old {
        if !new_keys.contains(key) {
            batch.push(&E::delete(model.clone().into_active_model()).validate()?);
        }
    }
    let changed: Vec<E::ActiveModel> = after
        .into_iter()
        .zip(&new_keys)
        .filter(|(model, key)| !old.iter().any(|(k, m)| k == *key && m == model))
        .map(|(model, _)| model.into_active_model())
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    let keys: Vec<E::Column> = E::PrimaryKey::iter().map(|k| k.into_column()).collect();
    let others: Vec<E::Column> = E::Column::iter()
        .filter(|c| !keys.iter().any(|k| k.as_str() == c.as_str()))
        .collect();
    let mut on_conflict = OnConflict::columns(keys);
    on_conflict.update_columns(others);
    batch.push(&E::insert_many(changed).on_conflict(on_conflict));
    Ok(())
}

/// Appends audit entries after the case's last one, numbered from `last` (the case row's
/// `audit_seq`); returns the new last number.
pub fn append_audit(
    batch: &mut Batch,
    case_id: i64,
    last: i32,
    entries: &[AuditEntry],
) -> Result<i32, AppError> {
    let mut rows = Vec::with_capacity(entries.len());
    for (n, e) in entries.iter().enumerate() {
        rows.push(audit::ActiveModel {
            case_id: Set(case_id),
            seq: Set(last + n as i32 + 1),
            kind: Set(e.kind.code().into()),
            actor_id: Set(e.actor.id.0),
            actor_name: Set(e.actor.name.clone()),
            at: Set(e.at),
            step: Set(e.step.as_ref().map(ToString::to_string)),
            detail: Set(json(&e.detail)?),
            version: Set(e.version),
        });
    }
    insert_all(batch, rows);
    Ok(last + entries.len() as i32)
}

/// Writes ledger rows: one per (ledger, case, step), a step completed again updates its row.
pub fn upsert_ledger(batch: &mut Batch, rows: &[LedgerRow]) -> Result<(), AppError> {
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
        batch.push(&ledger::Entity::insert(model).on_conflict(on_conflict));
    }
    Ok(())
}

/// Records escalations (each key once per case; the domain never repeats one).
pub fn insert_escalations(
    batch: &mut Batch,
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
    insert_all(batch, rows);
    Ok(())
}
