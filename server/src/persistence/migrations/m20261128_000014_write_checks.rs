//! What lets an operation's write go to the database as one statement text with no
//! transaction around it (`persistence/batch.rs`): a check that the case row's optimistic-
//! locking `UPDATE` matched, failing the whole write when it did not.
//!
//! - PostgreSQL: `officeflow_expect_one(n)`, which raises when `n` is not 1. The write's
//!   statement ends `SELECT officeflow_expect_one((SELECT count(*) FROM <the update>))`, so a
//!   stale write fails and nothing of it stays.
//! - SQLite: the table `write_checks`, whose trigger aborts an insert of a `found` other than
//!   1 and silently drops every other (so the table stays empty). The write inserts
//!   `changes()` right after the update, inside the transaction its text opens.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The message both checks fail with; `batch.rs` recognises a stale write by it.
pub const STALE: &str = "officeflow: the case moved on";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(&format!(
                    "CREATE OR REPLACE FUNCTION officeflow_expect_one(n bigint) \
                     RETURNS bigint LANGUAGE plpgsql AS $$ BEGIN \
                     IF n IS DISTINCT FROM 1 THEN RAISE EXCEPTION '{STALE}'; END IF; \
                     RETURN n; END $$"
                ))
                .await?;
            }
            _ => {
                db.execute_unprepared(
                    "CREATE TABLE IF NOT EXISTS write_checks (found INTEGER NOT NULL)",
                )
                .await?;
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER IF NOT EXISTS write_checks_found BEFORE INSERT ON \
                     write_checks BEGIN SELECT CASE WHEN NEW.found <> 1 \
                     THEN RAISE(ABORT, '{STALE}') ELSE RAISE(IGNORE) END; END"
                ))
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared("DROP FUNCTION IF EXISTS officeflow_expect_one(bigint)")
                    .await?;
            }
            _ => {
                db.execute_unprepared("DROP TABLE IF EXISTS write_checks")
                    .await?;
            }
        }
        Ok(())
    }
}
