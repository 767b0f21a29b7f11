//! The case store's duties beyond single operations: the scheduler's (raising recurring
//! obligations once per period, recording escalations as they arise), the inbox, and
//! checking that a file recorded as an output was really uploaded for the case.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use app::domain::catalog::{CatalogVersion, ProcessCode};
use app::domain::workflow::board::CardFacts;
use app::domain::workflow::board_filter::{BoardFilter, Viewer};
use app::domain::workflow::overview::{closed_card, closed_since, ClosedCard, CLOSED_SHOWN_MAX};
use app::domain::workflow::{
    self, inbox, obligations_due, Actor, CaseId, Command, Context, FileRef, InboxItem,
    ObligationDue, OutputValue, ProcessRef, RaiseRequest,
};
use app::error::{AppError, FieldError};
use app::ports::RaisedObligation;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, Statement,
};

use super::case_repo::{insert_raised, process_of, read_case, SeaOrmCaseStore};
use super::case_rows::status_code;
use super::entities::{case as row, pending_upload, recurring_run as run, stored_file};
use super::to_app_error;

/// How many cases one statement reads by id (well under every backend's limit on bound
/// values).
const READ_AT_ONCE: usize = 500;

/// How many times an escalation is retried when its case moves on meanwhile.
const RETRIES: usize = 3;

/// A stable 64-bit key (FNV-1a) for a PostgreSQL advisory lock on one obligation's period.
fn lock_key(text: &str) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash as i64
}

impl SeaOrmCaseStore {
    /// The start of the newest period raised, per recurring process.
    async fn last_runs(&self) -> Result<BTreeMap<ProcessCode, DateTime<Utc>>, AppError> {
        let rows: Vec<(String, Option<DateTime<Utc>>)> = run::Entity::find()
            .select_only()
            .column(run::Column::Process)
            .column_as(run::Column::PeriodStart.max(), "last")
            .group_by(run::Column::Process)
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(to_app_error)?;
        Ok(rows
            .into_iter()
            .filter_map(|(p, last)| Some((ProcessCode::new(p), last?)))
            .collect())
    }

    pub(super) async fn raise_obligations(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<RaisedObligation>, AppError> {
        let current = self.catalog.current().await?;
        let calendar = self.calendar.calendar().await?;
        let due = obligations_due(&current.catalog, &calendar, &self.last_runs().await?, now);
        let mut raised = Vec::new();
        for obligation in due {
            if obligation.skipped_before > 0 {
                tracing::warn!(
                    process = %obligation.process,
                    skipped = obligation.skipped_before,
                    "the scheduler was down too long: older periods are not raised"
                );
            }
            if let Some(case) = self
                .raise_one(&current, &calendar, &obligation, now)
                .await?
            {
                tracing::info!(process = %obligation.process, period = %obligation.period.key, case = case.0, "recurring obligation raised");
                raised.push(RaisedObligation {
                    process: obligation.process.to_string(),
                    period: obligation.period.key,
                    case,
                });
            }
        }
        Ok(raised)
    }

    /// Raises one period's case in one transaction, unless another scheduler holds or has
    /// raised it: `None` then. On PostgreSQL an advisory lock keeps racing instances from
    /// even trying at once; the unique (process, period) key makes it once on every backend.
    async fn raise_one(
        &self,
        current: &CatalogVersion,
        calendar: &app::domain::calendar::BusinessCalendar,
        obligation: &ObligationDue,
        now: DateTime<Utc>,
    ) -> Result<Option<CaseId>, AppError> {
        let Some(process) = ProcessRef::find(&current.catalog, obligation.process.as_str()) else {
            return Ok(None);
        };
        // The case is raised as of the period's start: its deadlines count from there.
        let ctx = Context::new(process, calendar, obligation.period.starts_at);
        let request = RaiseRequest {
            catalog_version: current.version,
            title: obligation.title.clone(),
            department: None,
            form: Default::default(),
        };
        let mut outcome = match workflow::raise(&ctx, &Actor::system(), &request) {
            Ok(outcome) => outcome,
            Err(refusal) => {
                tracing::error!(process = %obligation.process, ?refusal, "a recurring obligation cannot be raised");
                return Ok(None);
            }
        };
        let write = self.begin_write().await?;
        if write.txn.get_database_backend() == DbBackend::Postgres {
            let key = format!(
                "officeflow:obligation:{}:{}",
                obligation.process, obligation.period.key
            );
            let locked = write
                .txn
                .query_one_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "SELECT pg_try_advisory_xact_lock($1) AS locked",
                    [lock_key(&key).into()],
                ))
                .await
                .map_err(to_app_error)?
                .and_then(|r| r.try_get::<bool>("", "locked").ok())
                .unwrap_or(false);
            if !locked {
                write.txn.rollback().await.map_err(to_app_error)?;
                return Ok(None);
            }
        }
        let claimed = run::Entity::insert(run::ActiveModel {
            id: NotSet,
            process: Set(obligation.process.to_string()),
            period_key: Set(obligation.period.key.clone()),
            period_start: Set(obligation.period.starts_at),
            period_end: Set(obligation.period.ends_at),
            case_id: Set(None),
            raised_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([run::Column::Process, run::Column::PeriodKey])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&write.txn)
        .await
        .map_err(to_app_error)?;
        if claimed == 0 {
            write.txn.rollback().await.map_err(to_app_error)?;
            return Ok(None);
        }
        let id = insert_raised(&write.txn, &mut outcome, &process).await?;
        run::Entity::update_many()
            .col_expr(run::Column::CaseId, id.into())
            .filter(run::Column::Process.eq(obligation.process.as_str()))
            .filter(run::Column::PeriodKey.eq(obligation.period.key.as_str()))
            .exec(&write.txn)
            .await
            .map_err(to_app_error)?;
        self.write_new(write, &process, &outcome).await?;
        Ok(Some(CaseId(id)))
    }

    pub(super) async fn record_escalations(&self, now: DateTime<Utc>) -> Result<usize, AppError> {
        let ids: Vec<i64> = row::Entity::find()
            .select_only()
            .column(row::Column::Id)
            .filter(row::Column::Status.eq(status_code(workflow::CaseStatus::Open)))
            .filter(row::Column::NextEscalationAt.lte(now))
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(to_app_error)?;
        let mut recorded = 0;
        for id in ids {
            if self.escalate_one(CaseId(id), now).await? {
                recorded += 1;
            }
        }
        Ok(recorded)
    }

    /// Records the case's due escalations as the system, trying again with a fresh copy when
    /// someone changed the case meanwhile.
    async fn escalate_one(&self, id: CaseId, now: DateTime<Utc>) -> Result<bool, AppError> {
        use app::ports::CaseStore;
        for _ in 0..RETRIES {
            let Some(model) = row::Entity::find_by_id(id.0)
                .one(&self.db)
                .await
                .map_err(to_app_error)?
            else {
                return Ok(false);
            };
            match self
                .apply(
                    id,
                    model.version,
                    Command::RecordEscalations,
                    &Actor::system(),
                    now,
                )
                .await
            {
                Ok(_) => return Ok(true),
                Err(AppError::Conflict { .. }) => continue,
                // Nothing due after all (the step moved on between the query and the load).
                Err(AppError::Invalid { .. }) => return Ok(false),
                Err(other) => return Err(other),
            }
        }
        Ok(false)
    }

    /// The open cases (of `function`, of `process`), newest first, with the catalog versions
    /// they follow. A narrow read lists which cases are open at which versions; the copies
    /// this instance holds at those versions are used as they are, and only the others are
    /// read in full (and kept for next time): a board of a thousand cards is then mostly
    /// one index scan, not a thousand documents parsed.
    pub(super) async fn open_cases(
        &self,
        function: Option<&str>,
        process: Option<&str>,
    ) -> Result<(Vec<Arc<workflow::Case>>, HashMap<u32, Arc<CatalogVersion>>), AppError> {
        let listed = self.list_open(function, process).await?;
        let mut found = self.recent.get_many(&listed);
        let missing: Vec<i64> = listed
            .iter()
            .zip(&found)
            .filter(|(_, case)| case.is_none())
            .map(|((id, _), _)| *id)
            .collect();
        if !missing.is_empty() {
            let mut read: HashMap<i64, Arc<workflow::Case>> = HashMap::with_capacity(missing.len());
            for ids in missing.chunks(READ_AT_ONCE) {
                let rows = row::Entity::find()
                    .filter(row::Column::Id.is_in(ids.iter().copied()))
                    .all(&self.db)
                    .await
                    .map_err(to_app_error)?;
                for model in &rows {
                    let case = Arc::new(read_case(model)?);
                    self.recent.keep_read(&case, model.audit_seq);
                    read.insert(model.id, case);
                }
            }
            for (slot, (id, _)) in found.iter_mut().zip(&listed) {
                if slot.is_none() {
                    // Read anew, a case may have moved on (even closed) since it was listed.
                    *slot = read.remove(id).filter(|case| case.is_open());
                }
            }
        }
        let mut versions: HashMap<u32, Arc<CatalogVersion>> = HashMap::new();
        let mut cases = Vec::with_capacity(listed.len());
        for case in found.into_iter().flatten() {
            if let std::collections::hash_map::Entry::Vacant(slot) =
                versions.entry(case.catalog_version)
            {
                slot.insert(self.catalog.version(case.catalog_version).await?);
            }
            cases.push(case);
        }
        Ok((cases, versions))
    }

    /// Which cases are open (of `function`, of `process`) at which versions, newest first,
    /// read as one row: `id,version;id,version;…`. SQLite hands rows over from its worker
    /// thread one message each, so a thousand rows cost a thousand thread wake-ups; one text
    /// costs one.
    async fn list_open(
        &self,
        function: Option<&str>,
        process: Option<&str>,
    ) -> Result<Vec<(i64, i64)>, AppError> {
        let pair = "CAST(id AS TEXT) || ',' || CAST(version AS TEXT)";
        let aggregate = match self.db.get_database_backend() {
            DbBackend::Postgres => format!("string_agg({pair}, ';')"),
            _ => format!("group_concat({pair}, ';')"),
        };
        let mut query = row::Entity::find()
            .select_only()
            .column_as(sea_orm::sea_query::Expr::cust(aggregate), "listed")
            .filter(row::Column::Status.eq(status_code(workflow::CaseStatus::Open)));
        if let Some(function) = function {
            query = query.filter(row::Column::Function.eq(function));
        }
        if let Some(process) = process {
            query = query.filter(row::Column::Process.eq(process));
        }
        let text: Option<Option<String>> = query
            .into_tuple()
            .one(&self.db)
            .await
            .map_err(to_app_error)?;
        let mut listed = Vec::new();
        for pair in text.flatten().unwrap_or_default().split(';') {
            if pair.is_empty() {
                continue;
            }
            let parsed = pair
                .split_once(',')
                .and_then(|(id, version)| Some((id.parse().ok()?, version.parse().ok()?)));
            match parsed {
                Some(pair) => listed.push(pair),
                None => {
                    tracing::error!(pair, "the list of open cases cannot be read");
                    return Err(AppError::Internal);
                }
            }
        }
        listed.sort_unstable_by_key(|pair: &(i64, i64)| std::cmp::Reverse(pair.0));
        Ok(listed)
    }

    pub(super) async fn board_of(
        &self,
        function: &str,
        viewer: &Actor,
        now: DateTime<Utc>,
        first: Option<(&BoardFilter, usize)>,
    ) -> Result<app::domain::workflow::board::Board, AppError> {
        let current = self.catalog.current().await?;
        if current.catalog.function(function).is_none() {
            return Err(AppError::NotFound);
        }
        let (cases, versions) = self.open_cases(Some(function), None).await?;
        let calendar = self.calendar.calendar().await?;
        let mut pairs = Vec::with_capacity(cases.len());
        for case in &cases {
            let process = process_of(&versions[&case.catalog_version], case)?;
            if process.process.function == function
                && app::domain::people::policy::may_view(viewer, case, &process)
            {
                pairs.push((&**case, process));
            }
        }
        let facts = self
            .card_facts
            .facts_of(&pairs, calendar.settings().time_zone);
        let facts: Vec<&CardFacts> = facts.iter().flatten().map(|f| &**f).collect();
        let viewer_of_filters = Viewer::of(viewer);
        let mut board = app::domain::workflow::board::board_of_facts(
            &current.catalog,
            function,
            &facts,
            now,
            &calendar,
            first.map(|(filter, window)| (filter, &viewer_of_filters, window)),
        )
        .ok_or(AppError::NotFound)?;
        if first.is_none() {
            board.closed = self
                .closed_lately(function, viewer, now, calendar.settings().time_zone)
                .await?;
        }
        Ok(board)
    }

    /// The function's cases closed in the last week that `viewer` may see, newest first.
    async fn closed_lately(
        &self,
        function: &str,
        viewer: &Actor,
        now: DateTime<Utc>,
        zone: chrono_tz::Tz,
    ) -> Result<Vec<ClosedCard>, AppError> {
        let rows = row::Entity::find()
            .filter(row::Column::Function.eq(function))
            .filter(row::Column::Status.eq(status_code(workflow::CaseStatus::Closed)))
            .filter(row::Column::ClosedAt.gte(closed_since(now)))
            .order_by_desc(row::Column::ClosedAt)
            .limit(CLOSED_SHOWN_MAX)
            .all(&self.db)
            .await
            .map_err(to_app_error)?;
        let mut closed = Vec::with_capacity(rows.len());
        for model in &rows {
            let case = read_case(model)?;
            let version = self.catalog.version(case.catalog_version).await?;
            let process = process_of(&version, &case)?;
            if app::domain::people::policy::may_view(viewer, &case, &process) {
                closed.extend(closed_card(&case, now, zone));
            }
        }
        Ok(closed)
    }

    pub(super) async fn inbox_of(
        &self,
        me: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Vec<InboxItem>, AppError> {
        let (cases, versions) = self.open_cases(None, None).await?;
        let calendar = self.calendar.calendar().await?;
        let mut pairs = Vec::with_capacity(cases.len());
        for case in &cases {
            pairs.push((&**case, process_of(&versions[&case.catalog_version], case)?));
        }
        Ok(inbox(&pairs, me, now, &calendar))
    }

    /// A file recorded as an output must have been uploaded for this case: the recorded
    /// reference is the stored one (its name, size and type as checked at upload).
    pub(super) async fn resolve_file(
        &self,
        case: CaseId,
        command: &mut Command,
    ) -> Result<(), AppError> {
        let Command::RecordOutput {
            output,
            value: OutputValue::File(file),
            ..
        } = command
        else {
            return Ok(());
        };
        let stored = stored_file::Entity::find_by_id(file.id.trim().to_string())
            .filter(stored_file::Column::CaseId.eq(case.0))
            .one(&self.db)
            .await
            .map_err(to_app_error)?;
        let Some(stored) = stored else {
            return Err(AppError::invalid(FieldError::new(
                &format!("output:{output}"),
                "unknown_file",
                "没有为本案件上传过这个文件。",
                "No such file was uploaded for this case.",
            )));
        };
        *file = FileRef {
            id: stored.id,
            name: stored.name,
            size: stored.size as u64,
            content_type: stored.content_type,
        };
        Ok(())
    }

    /// The files a request attaches at raise that `by` uploaded ahead of it (`POST
    /// /api/files`, kept pending): each reference is replaced by the stored one, and their ids
    /// are answered (to move them to the new case in its transaction). Other references are
    /// left as given, as before uploads ahead of a request existed (the demo's and scripts'
    /// sample files); see the session notes on closing that gap.
    pub(super) async fn claim_uploads(
        &self,
        form: &mut workflow::FormInput,
        by: &Actor,
    ) -> Result<Vec<String>, AppError> {
        let mut claimed = Vec::new();
        for value in form.values_mut() {
            let workflow::RawValue::File(file) = value else {
                continue;
            };
            let pending = pending_upload::Entity::find_by_id(file.id.trim().to_string())
                .filter(pending_upload::Column::UploadedById.eq(by.user.0))
                .one(&self.db)
                .await
                .map_err(to_app_error)?;
            if let Some(pending) = pending {
                claimed.push(pending.id.clone());
                *file = FileRef {
                    id: pending.id,
                    name: pending.name,
                    size: pending.size as u64,
                    content_type: pending.content_type,
                };
            }
        }
        Ok(claimed)
    }
}

/// Moves the claimed pending uploads to the case raised with them; a file claimed meanwhile
/// by another request makes this one fail whole (nothing of it is written).
pub(super) async fn attach_uploads(
    txn: &impl ConnectionTrait,
    files: &[String],
    case: i64,
) -> Result<(), AppError> {
    for id in files {
        let pending = pending_upload::Entity::find_by_id(id.clone())
            .one(txn)
            .await
            .map_err(to_app_error)?;
        let taken = pending_upload::Entity::delete_by_id(id.clone())
            .exec(txn)
            .await
            .map_err(to_app_error)?;
        let (Some(p), 1) = (pending, taken.rows_affected) else {
            return Err(AppError::invalid(FieldError::new(
                "form",
                "unknown_file",
                "附件已用于其他申请,请重新上传。",
                "An attachment was used by another request meanwhile: upload it again.",
            )));
        };
        stored_file::Entity::insert(stored_file::ActiveModel {
            id: Set(p.id),
            case_id: Set(case),
            name: Set(p.name),
            content_type: Set(p.content_type),
            size: Set(p.size),
            sha256: Set(p.sha256),
            uploaded_by_id: Set(p.uploaded_by_id),
            uploaded_by_name: Set(p.uploaded_by_name),
            uploaded_at: Set(p.uploaded_at),
        })
        .exec(txn)
        .await
        .map_err(to_app_error)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::lock_key;

    #[test]
    fn lock_keys_are_stable_and_distinct() {
        assert_eq!(lock_key("a"), lock_key("a"));
        assert_ne!(
            lock_key("officeflow:obligation:x:2026-11"),
            lock_key("officeflow:obligation:x:2026-12")
        );
    }
}
