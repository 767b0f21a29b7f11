//! What the benches share: a fresh database per backend (a temporary SQLite file, or a new
//! PostgreSQL database dropped afterwards) and the store the server builds over it.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use app::domain::workflow::Actor;
use app::ports::CaseStore;
use clap::Parser;
use officeflow_server::cli::Cli;
use officeflow_server::config::Settings;
use officeflow_server::persistence;
use officeflow_server::startup::{builtin_catalog, ports};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend `--only` names (`sqlite` or `postgres`); panics with the usage otherwise.
    pub fn from_only(arg: Option<&str>) -> Backend {
        match arg {
            Some("sqlite") => Backend::Sqlite,
            Some("postgres") => Backend::Postgres,
            other => panic!("--only sqlite|postgres, not {other:?}"),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

pub fn postgres_admin_url() -> String {
    std::env::var("OFFICEFLOW_BENCH_POSTGRES_URL")
        .or_else(|_| std::env::var("OFFICEFLOW_TEST_POSTGRES_URL"))
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

/// A fresh database for one backend, removed again by [`Target::remove`].
pub struct Target {
    pub url: String,
    pub dir: std::path::PathBuf,
    pg_name: Option<String>,
}

impl Target {
    pub async fn create(backend: Backend) -> Result<Target, String> {
        let name = format!(
            "officeflow_bench_{}_{}",
            std::process::id(),
            rand::random::<u32>()
        );
        let dir = std::env::temp_dir().join(&name);
        std::fs::create_dir_all(&dir).map_err(|e| format!("temporary folder: {e}"))?;
        match backend {
            Backend::Sqlite => Ok(Target {
                url: format!("sqlite://{}?mode=rwc", dir.join("officeflow.db").display()),
                dir,
                pg_name: None,
            }),
            Backend::Postgres => {
                let admin_url = postgres_admin_url();
                let connect = Database::connect(admin_url.as_str());
                let admin = match tokio::time::timeout(Duration::from_secs(5), connect).await {
                    Ok(Ok(admin)) => admin,
                    Ok(Err(e)) => {
                        let _ = std::fs::remove_dir_all(&dir);
                        return Err(format!("cannot connect to {admin_url}: {e}"));
                    }
                    Err(_) => {
                        let _ = std::fs::remove_dir_all(&dir);
                        return Err(format!("no answer from {admin_url} within 5 s"));
                    }
                };
                let created = admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await;
                admin.close().await.ok();
                if let Err(e) = created {
                    let _ = std::fs::remove_dir_all(&dir);
                    return Err(format!("cannot create a database on {admin_url}: {e}"));
                }
                let server = admin_url
                    .rsplit_once('/')
                    .map(|(s, _)| s.to_string())
                    .unwrap_or(admin_url.clone());
                Ok(Target {
                    url: format!("{server}/{name}"),
                    dir,
                    pg_name: Some(name),
                })
            }
        }
    }

    /// The server's settings for this database: the defaults, as `officeflow serve` has them
    /// (the pool size included), with this database and folder.
    pub fn settings(&self) -> Settings {
        let dir = self.dir.display().to_string();
        let args = [
            "officeflow",
            "--database-url",
            self.url.as_str(),
            "--data-dir",
            dir.as_str(),
            "--log",
            "warn",
        ];
        match Cli::try_parse_from(args) {
            Ok(cli) => cli.settings,
            Err(e) => panic!("the bench's settings are refused: {e}"),
        }
    }

    /// Drops the database and the folder, unless `OFFICEFLOW_BENCH_KEEP` is set (then says
    /// where they are, for a look at the query plans).
    pub async fn remove(self) {
        if std::env::var_os("OFFICEFLOW_BENCH_KEEP").is_some() {
            eprintln!("kept: {} ({})", self.url, self.dir.display());
            return;
        }
        if let Some(name) = &self.pg_name {
            if let Ok(admin) = Database::connect(postgres_admin_url()).await {
                let _ = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await;
                admin.close().await.ok();
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// What the server has after `Application::build`: a migrated database holding the built-in
/// catalog, and the ports over it.
pub async fn open_store(settings: &Settings) -> (DatabaseConnection, Arc<dyn CaseStore>, Actor) {
    let db = persistence::connect(&settings.database_url(), settings.db_pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    persistence::migrate(&db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let catalog = builtin_catalog().unwrap_or_else(|e| panic!("{e}"));
    persistence::catalog_repo::store_builtin_if_empty(&db, &catalog, chrono::Utc::now())
        .await
        .unwrap_or_else(|e| panic!("cannot store the built-in catalog: {e}"));
    let ports = ports(settings, &db);
    // Acts as the API's operator does: every role of the catalog in force.
    let current = ports.catalog.current().await.expect("the catalog in force");
    let actor = Actor::with_every_role(&current.catalog, 1, "基准测试 / Bench");
    (db, ports.cases, actor)
}
