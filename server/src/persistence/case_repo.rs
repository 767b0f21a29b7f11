//! Cases in the database. Every change is atomic: the case is loaded, the domain decides,
//! and the `cases` row is updated only if its version is still the one the caller saw
//! (`UPDATE … WHERE id = ? AND version = ?`; no row means someone else changed it first, a
//! conflict). The child rows the operation changed, the outcome's audit entries, ledger rows
//! and escalations go with that update as one statement text that is its own transaction
//! (`batch.rs`). A refusal writes nothing. A completion is thus two round trips, the read
//! and the write, or one when this instance wrote the case last and still holds it as written
//! (`recent_cases.rs`).
//!
//! The first statement of each transaction is a write, so on SQLite the transaction takes the
//! write lock at once (waiting its turn) rather than failing to upgrade a read lock.

use app::domain::workflow::board_filter::BoardFilter;
use std::collections::HashMap;
use std::sync::Arc;

use app::domain::calendar::BusinessCalendar;
use app::domain::workflow::dashboard::{Dashboard, DashboardQuery};
use app::domain::workflow::ledger_view::LedgerEntry;
use app::domain::workflow::step_facts::steps_done;

use app::domain::catalog::CatalogVersion;
use app::domain::people::policy::{may_apply, may_view, serves_function};
use app::domain::workflow::{
    self, Actor, AuditEntry, AuditKind, Case, CaseId, CaseSummary, CaseView, Command, Context,
    InboxItem, LedgerCell, LedgerRow, Outcome, ProcessRef, RaiseRequest, UserId, UserRef,
};
use app::error::{AppError, FieldError};
use app::ports::{CalendarStore, CaseStore, CatalogStore, NewCase, RaisedObligation};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, TransactionTrait,
};

use super::batch::Batch;
use super::case_rows::{
    append_audit, case_row, insert_escalations, save_children, status_code, upsert_ledger,
};
use super::case_stats::record_completions;
use super::entities::{audit_entry as audit, case as row, ledger_row as ledger};
use super::recent_cases::RecentCases;
use super::to_app_error;
use crate::events::CaseEvents;
use app::domain::workflow::board::CaseChanged;

pub struct SeaOrmCaseStore {
    pub(super) db: DatabaseConnection,
    pub(super) catalog: Arc<dyn CatalogStore>,
    pub(super) calendar: Arc<dyn CalendarStore>,
    /// Where committed changes are announced (live boards).
    pub(super) events: CaseEvents,
    /// On SQLite, writers queue here rather than in SQLite's busy handler, which sleeps
    /// (1, 2, 5 … 100 ms) instead of waking a writer when the lock frees. `None` on PostgreSQL.
    gate: Option<Arc<tokio::sync::Mutex<()>>>,
    /// The dashboard's settled days, kept in memory.
    dashboard_days: super::case_stats::DashboardDays,
    /// The calendar's open dated rows, kept in memory.
    pub(super) open_dates: Arc<super::open_dates::OpenDates>,
    /// The open cases this instance wrote or read last, so that the next operation on one
    /// need not read it back, nor a board parse it again.
    pub(super) recent: Arc<RecentCases>,
    /// The open cases' cards but their SLA, per case version.
    pub(super) card_facts: super::card_facts::CardFactsMemory,
}

/// A write transaction, and the writers' queue place it holds (SQLite) until it ends. Only
/// writes that need a transaction of several round trips take one: raising a case (its rows
/// need the id the insert returns), raising obligations, voiding manual ledger entries, and a
/// write too big for one statement text. Operations on an existing case go through
/// `write_over`.
pub(super) struct Write {
    pub(super) txn: DatabaseTransaction,
    zone: Tz,
    calendar: Arc<BusinessCalendar>,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

fn corrupt(id: i64, error: impl std::fmt::Display) -> AppError {
    tracing::error!(case = id, %error, "a stored case cannot be read");
    AppError::Internal
}

/// The domain case a row holds (its id is the row's: a body is stored before the database
/// has assigned the id).
pub(super) fn read_case(model: &row::Model) -> Result<Case, AppError> {
    let mut case: Case = serde_json::from_str(&model.body).map_err(|e| corrupt(model.id, e))?;
    case.id = CaseId(model.id);
    Ok(case)
}

/// The number of the last audit entry an outcome leaves on a case whose trail ended at `last`.
fn audit_end(last: i32, outcome: &Outcome) -> i32 {
    last + outcome.audit.len() as i32
}

pub(super) fn process_of<'a>(
    version: &'a CatalogVersion,
    case: &Case,
) -> Result<ProcessRef<'a>, AppError> {
    ProcessRef::find(&version.catalog, case.process.as_str()).ok_or_else(|| {
        corrupt(
            case.id.0,
            format!(
                "process {} not in catalog {}",
                case.process, version.version
            ),
        )
    })
}

impl SeaOrmCaseStore {
    pub fn new(
        db: DatabaseConnection,
        catalog: Arc<dyn CatalogStore>,
        calendar: Arc<dyn CalendarStore>,
        events: CaseEvents,
        case_memory: usize,
    ) -> Self {
        let gate = (db.get_database_backend() == sea_orm::DbBackend::Sqlite)
            .then(|| Arc::new(tokio::sync::Mutex::new(())));
        let open_dates = Arc::new(super::open_dates::OpenDates::new(
            db.clone(),
            catalog.clone(),
            calendar.clone(),
            events.clone(),
        ));
        let recent = RecentCases::new(events.clone(), case_memory);
        SeaOrmCaseStore {
            db,
            catalog,
            calendar,
            events,
            gate,
            dashboard_days: super::case_stats::DashboardDays::default(),
            open_dates,
            recent,
            card_facts: super::card_facts::CardFactsMemory::new(case_memory),
        }
    }

    /// Begins a write transaction (see [`Write`] for who needs one), after waiting for the
    /// writers before it (SQLite).
    /// The organisation's zone is read first, outside the writers' queue (the child rows
    /// need it for whole-day dates).
    pub(super) async fn begin_write(&self) -> Result<Write, AppError> {
        let calendar = self.calendar.calendar().await?;
        let zone = calendar.settings().time_zone;
        let turn = match &self.gate {
            Some(gate) => Some(gate.clone().lock_owned().await),
            None => None,
        };
        let txn = self.db.begin().await.map_err(to_app_error)?;
        Ok(Write {
            txn,
            zone,
            calendar,
            _turn: turn,
        })
    }

    /// The case and the number of its last audit entry.
    async fn load_row(&self, id: CaseId) -> Result<(Case, i32), AppError> {
        let model = row::Entity::find_by_id(id.0)
            .one(&self.db)
            .await
            .map_err(to_app_error)?
            .ok_or(AppError::NotFound)?;
        Ok((read_case(&model)?, model.audit_seq))
    }

    /// The case to decide an operation on, and the number of its last audit entry: this
    /// instance's copy when it is at the version the caller saw, else the stored row.
    async fn load_for(&self, id: CaseId, expected: i64) -> Result<(Arc<Case>, i32), AppError> {
        if let Some(copy) = self.recent.get(id.0, expected) {
            return Ok((copy.case, copy.last_audit));
        }
        let (case, last_audit) = self.load_row(id).await?;
        Ok((Arc::new(case), last_audit))
    }

    async fn load(&self, id: CaseId) -> Result<Case, AppError> {
        Ok(self.load_row(id).await?.0)
    }

    async fn zone(&self) -> Result<Tz, AppError> {
        Ok(self.calendar.calendar().await?.settings().time_zone)
    }

    /// One operation, and for a move from a board (`wip` = whether the mover confirmed going
    /// past a column's limit) the work-in-progress check, all in one transaction.
    async fn apply_checked(
        &self,
        id: CaseId,
        expected_version: i64,
        command: Command,
        actor: &Actor,
        now: DateTime<Utc>,
        wip: Option<bool>,
    ) -> Result<CaseView, AppError> {
        let mut command = command;

        self.resolve_file(id, &mut command).await?;
        let (case, last_audit) = self.load_for(id, expected_version).await?;
        let version = self.catalog.version(case.catalog_version).await?;
        let process = process_of(&version, &case)?;
        // Someone who may not see the case learns nothing of it, stale or not. A stale version
        // is then the domain's to answer (a conflict carrying the current state): the policy
        // judges the operation on the case as the caller saw it.
        let visible = actor.user == workflow::UserId::SYSTEM || may_view(actor, &case, &process);
        let fresh = case.version == expected_version;
        if !visible || (fresh && !may_apply(actor, &case, &process, &command)) {
            return Err(AppError::Forbidden);
        }
        let calendar = self.calendar.calendar().await?;
        let ctx = Context::new(process, &calendar, now);
        let mut outcome = workflow::apply(&ctx, &case, actor, expected_version, &command)?;
        if let Some(confirmed) = wip {
            if let Some(entry) = self
                .wip_check(&case, &outcome, &process, actor, now, confirmed)
                .await?
            {
                outcome.audit.push(entry);
            }
        }
        if !self
            .write_over(&calendar, &process, (&*case, last_audit), &outcome)
            .await?
        {
            return Err(self.conflict(id).await);
        }
        Ok(CaseView::new(
            outcome.case,
            &process,
            calendar.settings().time_zone,
        ))
    }

    /// The case's audit trail, oldest first.
    async fn audit_trail(&self, id: CaseId) -> Result<Vec<AuditEntry>, AppError> {
        let rows = audit::Entity::find()
            .filter(audit::Column::CaseId.eq(id.0))
            .order_by_asc(audit::Column::Seq)
            .all(&self.db)
            .await
            .map_err(to_app_error)?;
        rows.into_iter().map(to_audit_entry).collect()
    }

    async fn view(&self, case: Case) -> Result<CaseView, AppError> {
        let version = self.catalog.version(case.catalog_version).await?;
        let process = process_of(&version, &case)?;
        Ok(CaseView::new(case, &process, self.zone().await?))
    }

    /// Recomputes one case's deadlines; `false` when none moved or the case moved on meanwhile
    /// (the caller then tries again with a fresh copy).
    async fn recompute_one(
        &self,
        model: &row::Model,
        now: DateTime<Utc>,
    ) -> Result<Option<bool>, AppError> {
        let case = read_case(model)?;
        let version = self.catalog.version(case.catalog_version).await?;
        let process = process_of(&version, &case)?;
        let calendar = self.calendar.calendar().await?;
        let ctx = Context::new(process, &calendar, now);
        let Some(outcome) = workflow::recompute_deadlines(&ctx, &case, &Actor::system()) else {
            return Ok(Some(false));
        };
        let written = self
            .write_over(&calendar, &process, (&case, model.audit_seq), &outcome)
            .await?;
        Ok(written.then_some(true))
    }

    /// Refuses a viewer the policy does not let see the case.
    async fn check_view(&self, case: &Case, viewer: &Actor) -> Result<(), AppError> {
        let version = self.catalog.version(case.catalog_version).await?;
        if may_view(viewer, case, &process_of(&version, case)?) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The conflict answered when the case moved on under the caller.
    async fn conflict(&self, id: CaseId) -> AppError {
        match self.load(id).await {
            Ok(case) => workflow::Refusal::conflict(
                case.version,
                FieldError::new(
                    "case",
                    "stale_version",
                    "案件已被他人修改,请刷新后重试。",
                    "Someone else changed the case first; reload and try again.",
                ),
            )
            .into(),
            Err(error) => error,
        }
    }

    /// The statements that bring the database from the case as it was `before` (with the
    /// number of its last audit entry; `None` for a case just raised) to `outcome`: the child
    /// rows that changed, the steps completed, and the audit entries, ledger rows and
    /// escalations the outcome appends.
    fn rows_of(
        &self,
        calendar: &BusinessCalendar,
        process: &ProcessRef<'_>,
        before: Option<(&Case, i32)>,
        outcome: &Outcome,
    ) -> Result<Batch, AppError> {
        let case = &outcome.case;
        let was = before.map(|(case, _)| case);
        let mut batch = Batch::new(self.db.get_database_backend());
        record_completions(
            &mut batch,
            &steps_done(was, case, process.process, calendar),
        );
        let zone = calendar.settings().time_zone;
        save_children(&mut batch, was, case, process.process, zone)?;
        let last = before.map_or(0, |(_, last)| last);
        append_audit(&mut batch, case.id.0, last, &outcome.audit)?;
        upsert_ledger(&mut batch, &outcome.ledger)?;
        insert_escalations(&mut batch, case.id.0, &outcome.escalations)?;
        Ok(batch)
    }

    /// Writes the rest of a case just raised, whose row `write` inserted, and commits.
    pub(super) async fn write_new(
        &self,
        write: Write,
        process: &ProcessRef<'_>,
        outcome: &Outcome,
    ) -> Result<(), AppError> {
        let batch = self.rows_of(&write.calendar, process, None, outcome)?;
        batch.run(&write.txn).await.map_err(to_app_error)?;
        write.txn.commit().await.map_err(to_app_error)?;
        self.recent
            .keep(outcome.case.clone(), audit_end(0, outcome));
        self.announce(process, outcome, write.zone);
        Ok(())
    }

    /// Writes what `outcome` changed on the case as it was `before` (with the number of its
    /// last audit entry) if the case row still has the version it had, in one round trip
    /// (`Batch::run_alone`; a transaction for a write too big for one statement); `false`,
    /// with nothing written, when it moved on meanwhile.
    async fn write_over(
        &self,
        calendar: &BusinessCalendar,
        process: &ProcessRef<'_>,
        before: (&Case, i32),
        outcome: &Outcome,
    ) -> Result<bool, AppError> {
        let (was, last) = before;
        let guard = row::Entity::update_many()
            .set(case_row(&outcome.case, process, audit_end(last, outcome))?)
            .filter(row::Column::Id.eq(was.id.0))
            .filter(row::Column::Version.eq(was.version))
            .build(self.db.get_database_backend());
        let batch = self.rows_of(calendar, process, Some(before), outcome)?;
        let written = if batch.fits_alone() {
            let turn = match &self.gate {
                Some(gate) => Some(gate.clone().lock_owned().await),
                None => None,
            };
            batch.run_alone(&self.db, guard, turn).await
        } else {
            let write = self.begin_write().await?;
            match batch.run_guarded(&write.txn, guard).await {
                Ok(true) => write.txn.commit().await.map(|()| true),
                Ok(false) => write.txn.rollback().await.map(|()| false),
                Err(error) => Err(error),
            }
        };
        if !matches!(written, Ok(true)) {
            // Whatever this instance holds of the case may be outdated.
            self.recent.forget(was.id.0);
        }
        match written {
            Ok(true) => {
                self.recent
                    .keep(outcome.case.clone(), audit_end(last, outcome));
                self.announce(process, outcome, calendar.settings().time_zone);
                Ok(true)
            }
            Ok(false) => Ok(false),
            // A writer that got there first can make a statement fail before the guard is
            // checked (its audit entries took the numbers): that is a conflict too.
            Err(error) => match self.load(was.id).await {
                Ok(now) if now.version != was.version => Ok(false),
                _ => Err(to_app_error(error)),
            },
        }
    }

    /// Tells the calendar's memory and the live boards of a committed write.
    fn announce(&self, process: &ProcessRef<'_>, outcome: &Outcome, zone: Tz) {
        let case = &outcome.case;
        self.open_dates
            .record(super::open_dates::Change::of(case, process.process, zone));
        self.events.publish(CaseChanged {
            function: process.process.function.to_string(),
            case: case.id.0,
            version: case.version,
            open: case.is_open(),
        });
    }
}

/// Inserts a case just raised, giving it (and its ledger rows) the id the database assigns.
/// The stored body keeps the id it had; `read_case` takes the row's.
pub(super) async fn insert_raised(
    txn: &DatabaseTransaction,
    outcome: &mut Outcome,
    process: &ProcessRef<'_>,
) -> Result<i64, AppError> {
    let id = row::Entity::insert(case_row(&outcome.case, process, audit_end(0, outcome))?)
        .exec(txn)
        .await
        .map_err(to_app_error)?
        .last_insert_id;
    outcome.case.id = CaseId(id);
    for r in &mut outcome.ledger {
        r.case = CaseId(id);
    }
    Ok(id)
}

fn unknown_process() -> AppError {
    AppError::invalid(FieldError::new(
        "process",
        "unknown",
        "标准中没有这个流程。",
        "The standard has no such process.",
    ))
}

#[async_trait]
impl CaseStore for SeaOrmCaseStore {
    async fn raise(
        &self,
        mut request: NewCase,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<CaseView, AppError> {
        let uploads = self.claim_uploads(&mut request.form, actor).await?;
        let current = self.catalog.current().await?;
        let process =
            ProcessRef::find(&current.catalog, &request.process).ok_or_else(unknown_process)?;
        let calendar = self.calendar.calendar().await?;
        let ctx = Context::new(process, &calendar, now);
        let raise = RaiseRequest {
            catalog_version: current.version,
            title: request.title,
            department: request.department,
            form: request.form,
        };
        let mut outcome = workflow::raise(&ctx, actor, &raise)?;
        let write = self.begin_write().await?;
        let id = insert_raised(&write.txn, &mut outcome, &process).await?;
        super::case_duties::attach_uploads(&write.txn, &uploads, id).await?;
        self.write_new(write, &process, &outcome).await?;
        Ok(CaseView::new(
            outcome.case,
            &process,
            calendar.settings().time_zone,
        ))
    }

    async fn apply(
        &self,
        id: CaseId,
        expected_version: i64,
        command: Command,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<CaseView, AppError> {
        self.apply_checked(id, expected_version, command, actor, now, None)
            .await
    }

    async fn apply_move(
        &self,
        id: CaseId,
        expected_version: i64,
        command: Command,
        actor: &Actor,
        now: DateTime<Utc>,
        confirm_over_limit: bool,
    ) -> Result<CaseView, AppError> {
        self.apply_checked(
            id,
            expected_version,
            command,
            actor,
            now,
            Some(confirm_over_limit),
        )
        .await
    }

    async fn wip_limits(
        &self,
        function: &str,
    ) -> Result<Vec<app::domain::workflow::wip::WipLimit>, AppError> {
        self.limits_of(function).await
    }

    async fn set_wip_limit(
        &self,
        function: &str,
        process: &str,
        step: &app::domain::catalog::StepCode,
        limit: Option<u32>,
        by: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Vec<app::domain::workflow::wip::WipLimit>, AppError> {
        self.put_limit(function, process, step, limit, by, now)
            .await
    }

    async fn get(&self, id: CaseId, viewer: &Actor) -> Result<CaseView, AppError> {
        let case = self.load(id).await?;
        self.check_view(&case, viewer).await?;
        self.view(case).await
    }

    async fn recompute_deadlines(&self, now: DateTime<Utc>) -> Result<usize, AppError> {
        let open = row::Entity::find()
            .filter(row::Column::Status.eq(status_code(workflow::CaseStatus::Open)))
            .all(&self.db)
            .await
            .map_err(to_app_error)?;
        let mut moved = 0;
        for model in open {
            let mut current = model;
            // A case changed meanwhile is read again; its own operation may have moved on.
            for _ in 0..3 {
                match self.recompute_one(&current, now).await? {
                    Some(changed) => {
                        moved += usize::from(changed);
                        break;
                    }
                    None => match row::Entity::find_by_id(current.id)
                        .one(&self.db)
                        .await
                        .map_err(to_app_error)?
                    {
                        Some(fresh) => current = fresh,
                        None => break,
                    },
                }
            }
        }
        Ok(moved)
    }

    async fn list_open(
        &self,
        function: Option<String>,
        process: Option<String>,
        viewer: &Actor,
    ) -> Result<Vec<CaseSummary>, AppError> {
        let (cases, versions) = self
            .open_cases(function.as_deref(), process.as_deref())
            .await?;
        let zone = self.zone().await?;
        let mut out = Vec::with_capacity(cases.len());
        for case in &cases {
            let process = process_of(&versions[&case.catalog_version], case)?;
            if may_view(viewer, case, &process) {
                out.push(CaseSummary::new(case, &process, zone));
            }
        }
        Ok(out)
    }

    async fn audit(&self, id: CaseId, viewer: &Actor) -> Result<Vec<AuditEntry>, AppError> {
        let case = self.load(id).await?;
        self.check_view(&case, viewer).await?;
        self.audit_trail(id).await
    }

    async fn board(
        &self,
        function: &str,
        viewer: &Actor,
        now: DateTime<Utc>,
        first: Option<(&BoardFilter, usize)>,
    ) -> Result<app::domain::workflow::board::Board, AppError> {
        let board = self.board_of(function, viewer, now, first).await?;
        Ok(board.with_limits(&self.limits_of(function).await?))
    }

    async fn card(
        &self,
        id: CaseId,
        viewer: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Option<app::domain::workflow::board::Card>, AppError> {
        let case = self.load(id).await?;
        let version = self.catalog.version(case.catalog_version).await?;
        let process = process_of(&version, &case)?;
        if !may_view(viewer, &case, &process) {
            return Err(AppError::Forbidden);
        }
        let calendar = self.calendar.calendar().await?;
        Ok(app::domain::workflow::board::card_of(
            &case, &process, now, &calendar,
        ))
    }

    async fn detail(
        &self,
        id: CaseId,
        viewer: &Actor,
        now: DateTime<Utc>,
    ) -> Result<app::domain::workflow::detail::CaseDetail, AppError> {
        let case = self.load(id).await?;
        let version = self.catalog.version(case.catalog_version).await?;
        let process = process_of(&version, &case)?;
        if !may_view(viewer, &case, &process) {
            return Err(AppError::Forbidden);
        }
        let calendar = self.calendar.calendar().await?;
        let audit = self.audit_trail(id).await?;
        Ok(app::domain::workflow::detail::case_detail(
            &case, &process, &audit, viewer, now, &calendar,
        ))
    }

    async fn inbox(&self, me: &Actor, now: DateTime<Utc>) -> Result<Vec<InboxItem>, AppError> {
        self.inbox_of(me, now).await
    }

    async fn raise_due_obligations(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<RaisedObligation>, AppError> {
        self.raise_obligations(now).await
    }

    async fn record_due_escalations(&self, now: DateTime<Utc>) -> Result<usize, AppError> {
        self.record_escalations(now).await
    }

    async fn agenda(
        &self,
        viewer: &Actor,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<app::domain::workflow::agenda::AgendaItem>, AppError> {
        self.agenda_of(viewer, from, to, now).await
    }

    async fn agenda_sample(
        &self,
        viewer: &Actor,
        days: (chrono::NaiveDate, chrono::NaiveDate),
        filter: &app::domain::workflow::agenda::CalendarFilter,
        per_day: usize,
        now: DateTime<Utc>,
    ) -> Result<app::domain::workflow::agenda::AgendaSample, AppError> {
        self.sample_of(viewer, days, filter, per_day, now).await
    }

    async fn warm_up(&self, now: DateTime<Utc>) -> Result<(), AppError> {
        self.open_dates.load_once().await?;
        // The dashboard as it opens (the whole office, the last 30 days and the trend's
        // weeks), for one who serves every function: its settled days are then in memory.
        let current = self.catalog.current().await?;
        let everyone = Actor::with_every_role(
            &current.catalog,
            workflow::UserId::SYSTEM.0,
            "预热 / Warm-up",
        );
        self.dashboard(&everyone, &DashboardQuery::default(), now)
            .await
            .map(|_| ())
    }

    async fn feed(
        &self,
        viewer: &Actor,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<app::domain::workflow::ics_feed::FeedEntry>, AppError> {
        self.feed_of(viewer, from, to, now).await
    }

    async fn ledger_rows(
        &self,
        ledger_code: String,
        viewer: &Actor,
    ) -> Result<Vec<LedgerRow>, AppError> {
        let current = self.catalog.current().await?;
        let function = current
            .catalog
            .ledgers
            .iter()
            .find(|l| l.code == ledger_code.as_str())
            .map(|l| l.function.to_string())
            .ok_or(AppError::NotFound)?;
        if !serves_function(&current.catalog, viewer, &function) {
            return Err(AppError::Forbidden);
        }
        let rows = ledger::Entity::find()
            .filter(ledger::Column::Ledger.eq(ledger_code))
            .order_by_asc(ledger::Column::At)
            .order_by_asc(ledger::Column::CaseId)
            .all(&self.db)
            .await
            .map_err(to_app_error)?;
        rows.into_iter().map(to_ledger_row).collect()
    }

    async fn add_manual_entry(
        &self,
        entry: app::domain::workflow::ledger_manual::ManualEntryInput,
        by: &Actor,
        now: DateTime<Utc>,
    ) -> Result<app::domain::workflow::ledger_manual::ManualRecord, AppError> {
        self.add_manual(entry, by, now).await
    }

    async fn void_manual_entry(
        &self,
        ledger: &str,
        id: i64,
        reason: &str,
        by: &Actor,
        now: DateTime<Utc>,
    ) -> Result<app::domain::workflow::ledger_manual::ManualRecord, AppError> {
        self.void_manual(ledger, id, reason, by, now).await
    }

    async fn manual_entries(
        &self,
        ledger: &str,
        viewer: &Actor,
    ) -> Result<Vec<app::domain::workflow::ledger_manual::ManualRecord>, AppError> {
        self.manual_records(ledger, viewer).await
    }

    async fn report(
        &self,
        viewer: &Actor,
        query: &app::domain::workflow::reports::ReportQuery,
        now: DateTime<Utc>,
    ) -> Result<app::domain::workflow::reports::Report, AppError> {
        self.report_of(viewer, query, now).await
    }

    async fn dashboard(
        &self,
        viewer: &Actor,
        query: &DashboardQuery,
        now: DateTime<Utc>,
    ) -> Result<Dashboard, AppError> {
        super::case_stats::dashboard_for(
            &self.db,
            self.catalog.as_ref(),
            self.calendar.as_ref(),
            &self.dashboard_days,
            viewer,
            query,
            now,
        )
        .await
    }

    async fn ledger_entries(
        &self,
        ledger_code: &str,
        viewer: &Actor,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
        department: Option<String>,
    ) -> Result<Vec<LedgerEntry>, AppError> {
        let current = self.catalog.current().await?;
        let function = current
            .catalog
            .ledger(ledger_code)
            .map(|l| l.function.to_string())
            .ok_or(AppError::NotFound)?;
        if !serves_function(&current.catalog, viewer, &function) {
            return Err(AppError::Forbidden);
        }
        let mut query = ledger::Entity::find()
            .filter(ledger::Column::Ledger.eq(ledger_code))
            .order_by_asc(ledger::Column::At)
            .order_by_asc(ledger::Column::CaseId);
        if let Some(since) = since {
            query = query.filter(ledger::Column::At.gte(since));
        }
        if let Some(until) = until {
            query = query.filter(ledger::Column::At.lt(until));
        }
        let rows = query.all(&self.db).await.map_err(to_app_error)?;
        // Each row's case: its title and department, read in batches of ids.
        let mut ids: Vec<i64> = rows.iter().map(|r| r.case_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut cases: HashMap<i64, (String, Option<String>)> = HashMap::new();
        for batch in ids.chunks(1000) {
            let found: Vec<(i64, String, Option<String>)> = row::Entity::find()
                .select_only()
                .columns([row::Column::Id, row::Column::Title, row::Column::Department])
                .filter(row::Column::Id.is_in(batch.to_vec()))
                .into_tuple()
                .all(&self.db)
                .await
                .map_err(to_app_error)?;
            cases.extend(
                found
                    .into_iter()
                    .map(|(id, title, dept)| (id, (title, dept))),
            );
        }
        let mut entries = Vec::with_capacity(rows.len());
        for model in rows {
            let (title, case_department) = cases.get(&model.case_id).cloned().unwrap_or_default();
            if department
                .as_ref()
                .is_some_and(|d| case_department.as_ref() != Some(d))
            {
                continue;
            }
            entries.push(LedgerEntry {
                row: to_ledger_row(model)?,
                title,
                department: case_department,
                manual: None,
            });
        }
        entries.extend(
            self.manual_entries_in(ledger_code, since, until, department.as_deref())
                .await?,
        );
        Ok(entries)
    }
}

fn to_audit_entry(model: audit::Model) -> Result<AuditEntry, AppError> {
    let kind: AuditKind = serde_json::from_value(serde_json::Value::String(model.kind))
        .map_err(|e| corrupt(model.case_id, e))?;
    Ok(AuditEntry {
        kind,
        actor: UserRef {
            id: UserId(model.actor_id),
            name: model.actor_name,
        },
        at: model.at,
        step: model.step.map(app::domain::catalog::StepCode::new),
        detail: serde_json::from_str(&model.detail).map_err(|e| corrupt(model.case_id, e))?,
        version: model.version,
    })
}

fn to_ledger_row(model: ledger::Model) -> Result<LedgerRow, AppError> {
    let cells: Vec<LedgerCell> =
        serde_json::from_str(&model.cells).map_err(|e| corrupt(model.case_id, e))?;
    Ok(LedgerRow {
        ledger: app::domain::catalog::LedgerCode::new(model.ledger),
        case: CaseId(model.case_id),
        step: app::domain::catalog::StepCode::new(model.step),
        written_by: app::domain::catalog::RoleCode::new(model.written_by_role),
        at: model.at,
        cells,
    })
}
