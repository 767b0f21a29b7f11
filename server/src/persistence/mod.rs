//! Persistence: the database connection, dated migrations, entities and the repositories that
//! implement the app's ports with SeaORM. Each operation is one transaction.

mod batch;
pub mod calendar_repo;
mod card_facts;
pub mod case_calendar;
mod case_duties;
pub mod case_repo;
mod case_reports;
mod case_rows;
pub mod case_stats;
mod case_wip;
pub mod catalog_repo;
pub mod entities;
mod ledger_manual_repo;
pub mod migrations;
pub mod open_dates;
pub mod organisation_repo;
pub mod people_repo;
mod recent_cases;

use std::time::Duration;

use sea_orm::sqlx;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use sea_orm_migration::MigratorTrait;

use crate::config::{backend_of, redact, Backend};

/// Why the database could not be used at start.
#[derive(Debug, thiserror::Error)]
pub enum DatabaseError {
    #[error("cannot connect to the database {url}: {reason}")]
    Connect { url: String, reason: String },
    #[error("cannot apply the database migrations: {0}")]
    Migrate(String),
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
}

/// Connects to the database the URL names, with settings fit for each backend.
pub async fn connect(url: &str, pool: u32) -> Result<DatabaseConnection, DatabaseError> {
    let backend = backend_of(url)?;
    let mut options = ConnectOptions::new(url.to_string());
    options
        .max_connections(pool.max(1))
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if backend == Backend::Sqlite {
        // An embedded database's connection does not go away: no ping before each use. (The
        // pool pings each connection it gets back all the same, and on SQLite every ping, like
        // every query, is a round trip to the connection's own thread.)
        options.test_before_acquire(false);
        options.map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    }
    Database::connect(options)
        .await
        .map_err(|e| DatabaseError::Connect {
            url: redact(url),
            reason: short_reason(&e),
        })
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DatabaseError> {
    migrations::Migrator::up(db, None)
        .await
        .map_err(|e| DatabaseError::Migrate(short_reason(&e)))
}

/// A database error in one line, without the driver's noise.
pub fn short_reason(error: &DbErr) -> String {
    let text = error.to_string();
    let text = text
        .rsplit("error returned from database: ")
        .next()
        .unwrap_or(&text);
    text.lines().next().unwrap_or_default().trim().to_string()
}

/// Whether the database refused a write because its storage cannot take it: SQLite's disk
/// full (`SQLITE_FULL`), its file or folder read-only (`SQLITE_READONLY` and its extended
/// codes), an I/O error writing (`SQLITE_IOERR_*`); PostgreSQL's disk full (`53100`), an I/O
/// error (`58030`), or read-only (`25006`, a standby).
pub fn storage_refused(error: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    let (DbErr::Exec(RuntimeErr::SqlxError(error))
    | DbErr::Query(RuntimeErr::SqlxError(error))
    | DbErr::Conn(RuntimeErr::SqlxError(error))) = error
    else {
        return false;
    };
    let sqlx::Error::Database(error) = error.as_ref() else {
        return false;
    };
    let Some(code) = error.code() else {
        return false;
    };
    if error
        .try_downcast_ref::<sqlx::sqlite::SqliteError>()
        .is_some()
    {
        const SQLITE_READONLY: i32 = 8;
        const SQLITE_IOERR: i32 = 10;
        const SQLITE_FULL: i32 = 13;
        // Extended result codes keep the primary code in their low byte.
        code.parse::<i32>()
            .is_ok_and(|code| matches!(code & 0xff, SQLITE_READONLY | SQLITE_IOERR | SQLITE_FULL))
    } else {
        matches!(code.as_ref(), "53100" | "58030" | "25006")
    }
}

/// Maps a database failure to what the user may be told, logging the cause.
pub fn to_app_error(error: DbErr) -> app::error::AppError {
    use sea_orm::RuntimeErr;
    if storage_refused(&error) {
        tracing::error!(error = %error, "the database's storage refuses writes");
        return app::error::AppError::CannotSave;
    }
    match &error {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(RuntimeErr::SqlxError(_)) => {
            tracing::warn!(error = %error, "database unavailable");
            app::error::AppError::Unavailable
        }
        _ => {
            tracing::error!(error = %error, "database error");
            app::error::AppError::Internal
        }
    }
}
