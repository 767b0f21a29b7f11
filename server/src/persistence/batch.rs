//! An operation's writes sent to the database together: one round trip where there was one
//! per statement (a completion wrote the case row, the step instances, the completion
//! statistics and the audit entry, each waiting for the database in turn).
//!
//! The statements are built as usual (sea-query, values bound, never spliced into the text)
//! and joined: on SQLite as one multi-statement text, which the driver runs in order on its
//! worker thread in one hand-off, binding each statement's values from the shared list; on
//! PostgreSQL, whose protocol takes one statement with parameters, as data-modifying common
//! table expressions of one statement (`WITH w1 AS (INSERT …), w2 AS (…) UPDATE …`), its
//! parameters renumbered. The caller's transaction makes the batch all or nothing.
//!
//! A guarded batch carries the optimistic-locking `UPDATE … WHERE version = ?` of the case
//! row and returns whether it matched. On SQLite it runs first, so the transaction takes
//! the write lock at once; on PostgreSQL it is the statement's primary part. When it did not
//! match, the other statements may still have run: the caller rolls the transaction back.

use std::sync::Arc;

use sea_orm::sqlx;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, QueryTrait, RuntimeErr, Statement,
    Values,
};

use super::migrations::m20261128_000014_write_checks::STALE;

/// Above this many bound values the statements are sent one by one (PostgreSQL takes at most
/// 65,535 parameters in a statement; SQLite 32,766 in each of its statements).
const MAX_VALUES: usize = 30_000;

pub(super) struct Batch {
    backend: DbBackend,
    statements: Vec<Statement>,
    /// `MAX_VALUES`, lowered by the tests.
    limit: usize,
}

impl Batch {
    pub(super) fn new(backend: DbBackend) -> Self {
        Batch {
            backend,
            statements: Vec::new(),
            limit: MAX_VALUES,
        }
    }

    pub(super) fn push(&mut self, query: &impl QueryTrait) {
        self.statements.push(query.build(self.backend));
    }

    fn values(&self) -> usize {
        self.statements.iter().map(value_count).sum()
    }

    /// Whether `run_alone` takes the batch (else it needs a transaction and `run_guarded`).
    pub(super) fn fits_alone(&self) -> bool {
        self.values() + 100 < self.limit
    }

    /// Runs `guard`, an `UPDATE` of one row with its conditions, and the statements as a
    /// transaction of their own in one round trip; `false`, with nothing written, when the
    /// guard did not match its row. On SQLite the text opens and commits the transaction
    /// itself (`BEGIN IMMEDIATE … COMMIT`, the caller holding the writers' turn), and a
    /// stale guard fails it at the `write_checks` insert; on PostgreSQL the statement is its
    /// own transaction and `officeflow_expect_one` fails it.
    /// `turn` (the writers' queue place, on SQLite) is held until the write has ended.
    pub(super) async fn run_alone(
        self,
        db: &DatabaseConnection,
        guard: Statement,
        turn: impl Send + 'static,
    ) -> Result<bool, DbErr> {
        let backend = self.backend;
        let result = match backend {
            DbBackend::Sqlite => {
                let mut all = vec![
                    Statement::from_string(backend, "BEGIN IMMEDIATE"),
                    guard,
                    Statement::from_string(
                        backend,
                        "INSERT INTO write_checks (found) VALUES (changes())",
                    ),
                ];
                all.extend(self.statements);
                let text = join(backend, all, Statement::from_string(backend, "COMMIT"));
                // On a task of its own, so that a caller who goes away (a closed request)
                // cannot leave the connection inside the transaction.
                let pool = db.get_sqlite_connection_pool().clone();
                tokio::spawn(async move {
                    let ran = run_sqlite(&pool, text).await;
                    drop(turn);
                    ran
                })
                .await
                .map_err(|e| DbErr::Custom(format!("the write's task failed: {e}")))?
            }
            _ => {
                // The guard is the first expression, `w0`.
                let mut all = vec![returning_one(guard)];
                all.extend(self.statements);
                let check = Statement::from_string(
                    backend,
                    "SELECT officeflow_expect_one((SELECT count(*) FROM w0))",
                );
                let ran = db.query_all_raw(join(backend, all, check)).await;
                drop(turn);
                ran.map(|_| ())
            }
        };
        match result {
            Ok(()) => Ok(true),
            Err(error) if error.to_string().contains(STALE) => Ok(false),
            Err(error) => Err(error),
        }
    }

    /// Runs the statements.
    pub(super) async fn run(self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        if self.statements.len() <= 1 || self.values() > self.limit {
            for statement in self.statements {
                db.execute_raw(statement).await?;
            }
            return Ok(());
        }
        let backend = self.backend;
        let mut statements = self.statements;
        let last = statements.pop().expect("more than one statement");
        db.execute_raw(join(backend, statements, last)).await?;
        Ok(())
    }

    /// Runs `guard`, an `UPDATE` of one row with its conditions, and the statements; returns
    /// whether the guard matched its row. On `false` or an error the caller rolls back.
    pub(super) async fn run_guarded(
        self,
        db: &impl ConnectionTrait,
        guard: Statement,
    ) -> Result<bool, DbErr> {
        let guard = returning_one(guard);
        if self.values() + value_count(&guard) > self.limit {
            let matched = db.query_all_raw(guard).await?.len() == 1;
            if matched {
                self.run(db).await?;
            }
            return Ok(matched);
        }
        let statement = match self.backend {
            // The guard first: the transaction's first statement is a write.
            DbBackend::Sqlite => {
                let mut all = vec![guard];
                all.extend(self.statements);
                let last = all.pop().expect("the guard at least");
                join(self.backend, all, last)
            }
            _ => join(self.backend, self.statements, guard),
        };
        Ok(db.query_all_raw(statement).await?.len() == 1)
    }
}

/// Runs a text that opens and commits its own transaction on one connection; rolls back
/// what a failing statement left open.
async fn run_sqlite(pool: &sqlx::SqlitePool, text: Statement) -> Result<(), DbErr> {
    let exec = |e: sqlx::Error| DbErr::Exec(RuntimeErr::SqlxError(Arc::new(e)));
    let mut conn = pool
        .acquire()
        .await
        .map_err(|e| DbErr::Conn(RuntimeErr::SqlxError(Arc::new(e))))?;
    let values = text.values.unwrap_or(Values(Vec::new()));
    let ran = sqlx::query_with(
        sqlx::AssertSqlSafe(text.sql.as_str()),
        sea_query_sqlx::SqlxValues(values),
    )
    .execute(&mut *conn)
    .await;
    let Err(error) = ran else { return Ok(()) };
    if let Err(rollback) = sqlx::query("ROLLBACK").execute(&mut *conn).await {
        // None open (the failure came before `BEGIN` took effect) is the usual answer;
        // any other leaves the connection in doubt, so it is closed rather than reused.
        if !rollback.to_string().contains("no transaction is active") {
            tracing::error!(%rollback, "a failed write could not be rolled back");
            conn.close_on_drop();
        }
    }
    Err(exec(error))
}

fn value_count(statement: &Statement) -> usize {
    statement.values.as_ref().map_or(0, |v| v.0.len())
}

/// An `UPDATE` that returns the one column `1` of each row it changed.
fn returning_one(mut guard: Statement) -> Statement {
    guard.sql.push_str(" RETURNING 1");
    guard
}

/// `statements` then `last`, as one statement whose rows are `last`'s.
fn join(backend: DbBackend, statements: Vec<Statement>, last: Statement) -> Statement {
    if statements.is_empty() {
        return last;
    }
    let mut sql = String::new();
    let mut values = Vec::new();
    match backend {
        DbBackend::Postgres => {
            sql.push_str("WITH ");
            for (n, statement) in statements.into_iter().enumerate() {
                if n > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("w{n} AS ("));
                sql.push_str(&renumber(&statement.sql, values.len()));
                sql.push(')');
                values.extend(statement.values.map(|v| v.0).unwrap_or_default());
            }
            sql.push(' ');
            sql.push_str(&renumber(&last.sql, values.len()));
        }
        _ => {
            for statement in statements {
                sql.push_str(&statement.sql);
                sql.push_str(";\n");
                values.extend(statement.values.map(|v| v.0).unwrap_or_default());
            }
            sql.push_str(&last.sql);
        }
    }
    values.extend(last.values.map(|v| v.0).unwrap_or_default());
    Statement::from_sql_and_values(backend, sql, Values(values))
}

/// PostgreSQL's `$n` placeholders of `sql` moved up by `by`, outside quoted strings and
/// identifiers.
fn renumber(sql: &str, by: usize) -> String {
    if by == 0 {
        return sql.to_owned();
    }
    let mut out = String::with_capacity(sql.len() + 8);
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                out.push(c);
            }
            None if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) => {
                let mut n = 0usize;
                while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    n = n * 10 + d as usize;
                    chars.next();
                }
                out.push('$');
                out.push_str(&(n + by).to_string());
            }
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement(backend: DbBackend, sql: &str, values: Vec<i64>) -> Statement {
        Statement::from_sql_and_values(backend, sql, values.into_iter().map(Into::into))
    }

    #[test]
    fn placeholders_move_up_outside_quotes_only() {
        assert_eq!(
            renumber(r#"INSERT INTO "t$1" ("a") VALUES ($1, '$2', $10)"#, 3),
            r#"INSERT INTO "t$1" ("a") VALUES ($4, '$2', $13)"#
        );
        assert_eq!(renumber("SELECT $1", 0), "SELECT $1");
        // A doubled quote inside a string leaves it and enters it again: still quoted.
        assert_eq!(
            renumber("SELECT 'it''s $1', $1", 1),
            "SELECT 'it''s $1', $2"
        );
    }

    #[test]
    fn postgres_statements_become_expressions_of_the_last() {
        let joined = join(
            DbBackend::Postgres,
            vec![
                statement(
                    DbBackend::Postgres,
                    "INSERT INTO a VALUES ($1, $2)",
                    vec![1, 2],
                ),
                statement(DbBackend::Postgres, "DELETE FROM b WHERE x = $1", vec![3]),
            ],
            returning_one(statement(
                DbBackend::Postgres,
                "UPDATE c SET v = $1 WHERE id = $2",
                vec![4, 5],
            )),
        );
        assert_eq!(
            joined.sql,
            "WITH w0 AS (INSERT INTO a VALUES ($1, $2)), w1 AS (DELETE FROM b WHERE x = $3) \
             UPDATE c SET v = $4 WHERE id = $5 RETURNING 1"
        );
        let values: Vec<sea_orm::Value> = (1..=5i64).map(Into::into).collect();
        assert_eq!(joined.values.map(|v| v.0), Some(values));
    }

    #[tokio::test]
    async fn a_write_too_big_for_one_text_goes_statement_by_statement() {
        use sea_orm::{ConnectOptions, Database, TransactionTrait};
        let sqlite = DbBackend::Sqlite;
        // One connection: each would have its own database in memory.
        let mut options = ConnectOptions::new("sqlite::memory:");
        options.max_connections(1).sqlx_logging(false);
        let db = Database::connect(options).await.expect("a database");
        db.execute_unprepared(
            "CREATE TABLE c (id INTEGER PRIMARY KEY, v INTEGER NOT NULL); \
             CREATE TABLE a (x INTEGER NOT NULL); INSERT INTO c VALUES (1, 0)",
        )
        .await
        .expect("the tables");
        let count = |sql: &'static str| {
            let db = db.clone();
            async move {
                let row = db
                    .query_one_raw(Statement::from_string(sqlite, sql))
                    .await
                    .expect("a count")
                    .expect("a row");
                row.try_get_by_index::<i64>(0).expect("a number")
            }
        };
        // The guard matches (v = 0), then no longer does (v = 1).
        for matches in [true, false] {
            let mut batch = Batch::new(sqlite);
            batch.limit = 4;
            for x in 0..5 {
                batch
                    .statements
                    .push(statement(sqlite, "INSERT INTO a VALUES (?)", vec![x]));
            }
            assert!(!batch.fits_alone());
            let guard = statement(
                sqlite,
                "UPDATE c SET v = v + 1 WHERE id = ? AND v = ?",
                vec![1, 0],
            );
            let txn = db.begin().await.expect("a transaction");
            assert_eq!(batch.run_guarded(&txn, guard).await.expect("ran"), matches);
            if matches {
                txn.commit().await.expect("committed");
            } else {
                txn.rollback().await.expect("rolled back");
            }
            assert_eq!(count("SELECT count(*) FROM a").await, 5);
            assert_eq!(count("SELECT v FROM c").await, 1);
        }
    }

    #[test]
    fn sqlite_statements_run_one_after_another() {
        let joined = join(
            DbBackend::Sqlite,
            vec![statement(DbBackend::Sqlite, "UPDATE c SET v = ?", vec![1])],
            statement(DbBackend::Sqlite, "INSERT INTO a VALUES (?, ?)", vec![2, 3]),
        );
        assert_eq!(
            joined.sql,
            "UPDATE c SET v = ?;\nINSERT INTO a VALUES (?, ?)"
        );
        assert_eq!(joined.values.map(|v| v.0.len()), Some(3));
    }
}
