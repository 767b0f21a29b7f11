//! What the server functions need from the server (ports), implemented by the `server` crate.
//!
//! Each port is a use-case-level trait: one call is one transaction on the server side, and
//! the pure domain decides. Server functions find the ports in the Leptos context.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::calendar::{BusinessCalendar, CalendarSettings, DayOverride};
use crate::domain::catalog::{Catalog, CatalogVersion, StepCode, VersionSummary};
use crate::domain::organisation::{Organisation, OrganisationName};
use crate::domain::people::Person;
use crate::domain::workflow::agenda::AgendaItem;
use crate::domain::workflow::board::{Board, Card};
use crate::domain::workflow::board_filter::BoardFilter;
use crate::domain::workflow::detail::CaseDetail;
use crate::domain::workflow::ics_feed::FeedEntry;
use crate::domain::workflow::wip::WipLimit;
use crate::domain::workflow::{
    Actor, AuditEntry, CaseId, CaseSummary, CaseView, Command, FormInput, InboxItem, LedgerRow,
    UserId,
};
use crate::error::AppError;

/// The organisation's settings.
#[async_trait]
pub trait OrganisationStore: Send + Sync {
    async fn organisation(&self) -> Result<Organisation, AppError>;
    async fn rename_organisation(
        &self,
        name: OrganisationName,
        now: DateTime<Utc>,
    ) -> Result<Organisation, AppError>;
}

/// The office standard: its stored versions, the newest being the one in force for new cases.
#[async_trait]
pub trait CatalogStore: Send + Sync {
    /// The version in force (cached; a version saved by another instance is picked up).
    async fn current(&self) -> Result<Arc<CatalogVersion>, AppError>;
    /// One stored version, for cases that started under it.
    async fn version(&self, version: u32) -> Result<Arc<CatalogVersion>, AppError>;
    /// Stores a validated catalog as the next version and makes it current. With `base`, the
    /// save is refused as a conflict unless `base` is still the newest version (an edit made
    /// from an older version would silently undo the versions saved since).
    async fn save_version(
        &self,
        catalog: Catalog,
        note: String,
        base: Option<u32>,
        now: DateTime<Utc>,
    ) -> Result<Arc<CatalogVersion>, AppError>;
    /// Every stored version without its catalog, newest first.
    async fn history(&self) -> Result<Vec<VersionSummary>, AppError>;
}

/// The working-day calendar: settings, overrides, and the calendar they make.
#[async_trait]
pub trait CalendarStore: Send + Sync {
    /// The calendar in force (cached; rebuilt when the settings or overrides change anywhere).
    async fn calendar(&self) -> Result<Arc<BusinessCalendar>, AppError>;
    async fn overrides(&self) -> Result<Vec<DayOverride>, AppError>;
    /// Adds or replaces the override of one date.
    async fn put_override(&self, day: DayOverride, now: DateTime<Utc>) -> Result<(), AppError>;
    /// Removes the override of one date; `false` when there was none.
    async fn remove_override(&self, date: NaiveDate, now: DateTime<Utc>) -> Result<bool, AppError>;
    /// Enters a whole year's arrangement, replacing every override of that year.
    async fn import_year(
        &self,
        year: i32,
        rows: Vec<DayOverride>,
        now: DateTime<Utc>,
    ) -> Result<(), AppError>;
    async fn save_settings(
        &self,
        settings: CalendarSettings,
        now: DateTime<Utc>,
    ) -> Result<(), AppError>;
}

/// What a requester submits to raise a case.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NewCase {
    pub process: String,
    pub title: String,
    pub department: Option<String>,
    pub form: FormInput,
}

/// Cases walking the processes of the catalog. Each call that changes a case is one
/// transaction: the domain decides, and everything the outcome names is written with the
/// case's new version, or nothing is (a refusal, or someone else changed the case first).
#[async_trait]
pub trait CaseStore: Send + Sync {
    /// Raises a case under the catalog in force; its id is assigned here.
    async fn raise(
        &self,
        request: NewCase,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<CaseView, AppError>;
    /// Runs `command` on the case the caller saw at `expected_version`, if the policy lets
    /// `actor` run it (else forbidden, and nothing changes).
    async fn apply(
        &self,
        id: CaseId,
        expected_version: i64,
        command: Command,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<CaseView, AppError>;
    /// [`CaseStore::apply`] for a move made on a board: a move that lands the case in a
    /// column at its work-in-progress limit is refused unless `confirm_over_limit`, and then
    /// recorded in the case's history with the operation.
    async fn apply_move(
        &self,
        id: CaseId,
        expected_version: i64,
        command: Command,
        actor: &Actor,
        now: DateTime<Utc>,
        confirm_over_limit: bool,
    ) -> Result<CaseView, AppError>;
    /// The work-in-progress limits set on `function`'s board.
    async fn wip_limits(&self, function: &str) -> Result<Vec<WipLimit>, AppError>;
    /// Sets (`Some`) or removes (`None`) the limit of one column of `function`'s board;
    /// answers the board's limits. Who may is the caller's to check.
    async fn set_wip_limit(
        &self,
        function: &str,
        process: &str,
        step: &StepCode,
        limit: Option<u32>,
        by: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Vec<WipLimit>, AppError>;
    /// The case, if `viewer` may see it (else forbidden).
    async fn get(&self, id: CaseId, viewer: &Actor) -> Result<CaseView, AppError>;
    /// The open cases `viewer` may see, newest first, optionally of one function or process.
    async fn list_open(
        &self,
        function: Option<String>,
        process: Option<String>,
        viewer: &Actor,
    ) -> Result<Vec<CaseSummary>, AppError>;
    /// The case's audit trail, oldest first, if `viewer` may see the case.
    async fn audit(&self, id: CaseId, viewer: &Actor) -> Result<Vec<AuditEntry>, AppError>;
    /// The rows of one ledger (《公文流转台账》 …), in the order written, if `viewer` serves
    /// the ledger's function.
    async fn ledger_rows(&self, ledger: String, viewer: &Actor)
        -> Result<Vec<LedgerRow>, AppError>;
    /// The rows of one ledger written in `[since, until)` with their cases' titles and
    /// departments (of `department` only, when given), in the order written, if `viewer`
    /// serves the ledger's function.
    async fn ledger_entries(
        &self,
        ledger: &str,
        viewer: &Actor,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
        department: Option<String>,
    ) -> Result<Vec<crate::domain::workflow::ledger_view::LedgerEntry>, AppError>;
    /// Enters a row in a ledger by hand, for someone serving the ledger's function.
    async fn add_manual_entry(
        &self,
        entry: crate::domain::workflow::ledger_manual::ManualEntryInput,
        by: &Actor,
        now: DateTime<Utc>,
    ) -> Result<crate::domain::workflow::ledger_manual::ManualRecord, AppError>;
    /// Voids a row entered by hand, with the reason; it stays on record.
    async fn void_manual_entry(
        &self,
        ledger: &str,
        id: i64,
        reason: &str,
        by: &Actor,
        now: DateTime<Utc>,
    ) -> Result<crate::domain::workflow::ledger_manual::ManualRecord, AppError>;
    /// Every row of `ledger` entered by hand, voided ones included, the latest first.
    async fn manual_entries(
        &self,
        ledger: &str,
        viewer: &Actor,
    ) -> Result<Vec<crate::domain::workflow::ledger_manual::ManualRecord>, AppError>;
    /// The dashboard at `now` of the functions `viewer` serves (every one for the director),
    /// or of the one `query` names; forbidden for someone serving none.
    async fn dashboard(
        &self,
        viewer: &Actor,
        query: &crate::domain::workflow::dashboard::DashboardQuery,
        now: DateTime<Utc>,
    ) -> Result<crate::domain::workflow::dashboard::Dashboard, AppError>;
    /// The generated report `query` asks for (the weekly collaboration briefing, the monthly
    /// reimbursement summary, the monthly overdue report), as `viewer` may read it, at `now`.
    async fn report(
        &self,
        viewer: &Actor,
        query: &crate::domain::workflow::reports::ReportQuery,
        now: DateTime<Utc>,
    ) -> Result<crate::domain::workflow::reports::Report, AppError>;
    /// Counts the deadlines of every open case's steps under way again on the calendar in
    /// force (after the calendar changed); answers how many cases had a deadline moved.
    async fn recompute_deadlines(&self, now: DateTime<Utc>) -> Result<usize, AppError>;
    /// The board of `function` at `now`: the open cases `viewer` may see, each in its step's
    /// column (not found for an unknown function). With `first` (a page's filters and a
    /// window), each column holds only the first cards the filters show, and the board the
    /// counts of the rest ([`board_of_facts`]).
    ///
    /// [`board_of_facts`]: crate::domain::workflow::board::board_of_facts
    async fn board(
        &self,
        function: &str,
        viewer: &Actor,
        now: DateTime<Utc>,
        first: Option<(&BoardFilter, usize)>,
    ) -> Result<Board, AppError>;
    /// One open case's card at `now`, if `viewer` may see the case (`None` once it is closed).
    async fn card(
        &self,
        id: CaseId,
        viewer: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Option<Card>, AppError>;
    /// The case as its drawer shows it at `now`, with what `viewer` may do on it, if
    /// `viewer` may see it (else forbidden).
    async fn detail(
        &self,
        id: CaseId,
        viewer: &Actor,
        now: DateTime<Utc>,
    ) -> Result<CaseDetail, AppError>;
    /// What `me` has to do across the open cases at `now`, overdue first.
    async fn inbox(&self, me: &Actor, now: DateTime<Utc>) -> Result<Vec<InboxItem>, AppError>;
    /// The scheduler's duty: raises a case for every period of a recurring obligation owed at
    /// `now` (each period once, however many schedulers race); answers what it raised.
    async fn raise_due_obligations(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<RaisedObligation>, AppError>;
    /// The scheduler's duty: records every escalation arisen by `now` on the open cases;
    /// answers how many cases had one recorded.
    async fn record_due_escalations(&self, now: DateTime<Utc>) -> Result<usize, AppError>;
    /// What the calendar shows `viewer` in `[from, to)` at `now`, unfiltered: the deadlines
    /// of the steps under way and the dates of the open cases they may see, and the recurring
    /// obligations to come of the processes they see.
    async fn agenda(
        &self,
        viewer: &Actor,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<AgendaItem>, AppError>;
    /// The month view's sample of the local days `days` (first and last) for `viewer` at
    /// `now`, filtered by `filter` (one the store applies whole: see
    /// [`CalendarFilter::store_applies`](crate::domain::workflow::agenda::CalendarFilter::store_applies)):
    /// per day the first `per_day` deadlines and case dates, named, and how many there are in
    /// all (counted, not named), and the recurring obligations to come.
    async fn agenda_sample(
        &self,
        viewer: &Actor,
        days: (chrono::NaiveDate, chrono::NaiveDate),
        filter: &crate::domain::workflow::agenda::CalendarFilter,
        per_day: usize,
        now: DateTime<Utc>,
    ) -> Result<crate::domain::workflow::agenda::AgendaSample, AppError>;
    /// Fills what the store keeps in memory to answer quickly (the calendar's index of open
    /// dated rows, the dashboard's settled days for its opening view at `now`), so that the
    /// first reader does not wait for it. A server calls it once, in the background, when it
    /// starts; reads work without it.
    async fn warm_up(&self, _now: DateTime<Utc>) -> Result<(), AppError> {
        Ok(())
    }
    /// The iCalendar feed's entries for `viewer`: [`CaseStore::agenda`], and the items of
    /// cases closed lately marked cancelled.
    async fn feed(
        &self,
        viewer: &Actor,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<FeedEntry>, AppError>;
}

/// A period of a recurring obligation the scheduler raised a case for.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RaisedObligation {
    pub process: String,
    pub period: String,
    pub case: CaseId,
}

/// What a sign-in brings: the person, and the session token for the cookie.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedIn {
    pub person: Person,
    pub token: String,
}

/// Where the sign-in came from (for throttling per address, and the session list).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    pub address: Option<String>,
    pub user_agent: Option<String>,
}

/// People, their roles, and their sessions.
#[async_trait]
pub trait PeopleStore: Send + Sync {
    /// Checks the login and password, slowed down after repeated failures per account and
    /// per address; opens a session. Wrong password and unknown login get the same answer.
    async fn sign_in(
        &self,
        login: &str,
        password: &str,
        origin: Origin,
        now: DateTime<Utc>,
    ) -> Result<SignedIn, AppError>;
    /// The active person behind a session token, if the session is live (its use recorded).
    async fn session(&self, token: &str, now: DateTime<Utc>) -> Result<Option<Person>, AppError>;
    /// Ends the session (nothing happens for an unknown token).
    async fn sign_out(&self, token: &str) -> Result<(), AppError>;
    /// Changes the person's password after checking the current one; ends their other
    /// sessions.
    async fn change_password(
        &self,
        user: UserId,
        current: &str,
        new: &str,
        keep_token: &str,
        now: DateTime<Utc>,
    ) -> Result<(), AppError>;
    /// Everyone, by login.
    async fn people(&self) -> Result<Vec<Person>, AppError>;
    /// The departments, by name, with how many people each has.
    async fn departments(&self) -> Result<Vec<crate::domain::people::admin::Department>, AppError>;
    /// Creates or changes a person as checked by
    /// [`check_person`](crate::domain::people::admin::check_person), in one transaction: the
    /// department is created when new, the roles replaced, a password given hashed. A
    /// password reset or a switched-off account ends the person's sessions. Refused: a login
    /// another person has; a change leaving no active administrator.
    async fn save_person(
        &self,
        change: crate::domain::people::admin::PersonChange,
        now: DateTime<Utc>,
    ) -> Result<Person, AppError>;
    /// Creates a department (`id` empty) or renames one. Refused: a name another has.
    async fn save_department(
        &self,
        id: Option<i64>,
        name: String,
        now: DateTime<Utc>,
    ) -> Result<crate::domain::people::admin::Department, AppError>;
    /// Removes a department nobody belongs to.
    async fn remove_department(&self, id: i64) -> Result<(), AppError>;
    /// When the person's calendar feed address was made, if they have one.
    async fn feed_made_at(&self, user: UserId) -> Result<Option<DateTime<Utc>>, AppError>;
    /// Makes the person a new secret feed token (the old address stops working); answers
    /// the token, which is not kept (only its hash is).
    async fn renew_feed(&self, user: UserId, now: DateTime<Utc>) -> Result<String, AppError>;
    /// Revokes the person's feed address.
    async fn revoke_feed(&self, user: UserId) -> Result<(), AppError>;
    /// The active person whose feed `token` is, if any (its use recorded).
    async fn feed_owner(&self, token: &str, now: DateTime<Utc>)
        -> Result<Option<Person>, AppError>;
}

/// Who may administer. A placeholder until sign-in exists (the permissions issue replaces it
/// with sessions and roles): an operator token sent as `Authorization: Bearer <token>`.
pub trait AccessControl: Send + Sync {
    fn is_administrator(&self, headers: &http::HeaderMap) -> bool;
}

/// Every port, as one value the server puts into the Leptos context.
#[derive(Clone)]
pub struct Ports {
    pub access: Arc<dyn AccessControl>,
    pub calendar: Arc<dyn CalendarStore>,
    pub cases: Arc<dyn CaseStore>,
    pub catalog: Arc<dyn CatalogStore>,
    pub organisation: Arc<dyn OrganisationStore>,
    pub people: Arc<dyn PeopleStore>,
}
