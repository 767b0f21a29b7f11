//! Every setting, read from the environment (or the command line) with documented defaults.
//! `officeflow --help` lists them all; the README has the same table.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

/// The server's settings. Each has an environment variable and a default.
#[derive(Args, Clone, Debug)]
pub struct Settings {
    /// Address and port to serve on.
    #[arg(
        long,
        env = "OFFICEFLOW_BIND",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub bind: SocketAddr,

    /// Database to use: `sqlite://PATH?mode=rwc` or `postgres://USER@HOST:PORT/DB`.
    /// Default: the SQLite file `officeflow.db` in the data folder.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Folder for the SQLite database and uploaded files; created when missing.
    #[arg(
        long,
        env = "OFFICEFLOW_DATA_DIR",
        default_value = "data",
        global = true
    )]
    pub data_dir: PathBuf,

    /// Log filter, e.g. `info`, `debug`, `officeflow_server=debug,sqlx=warn`.
    #[arg(long, env = "OFFICEFLOW_LOG", default_value = "info", global = true)]
    pub log: String,

    /// Log format.
    #[arg(long, env = "OFFICEFLOW_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,

    /// Folder with the built front end (the WASM, JS and CSS); `cargo leptos build` writes it.
    #[arg(
        long,
        env = "OFFICEFLOW_SITE_ROOT",
        default_value = "target/site",
        global = true
    )]
    pub site_root: PathBuf,

    /// Operator token for administration calls (`Authorization: Bearer …`) until sign-in
    /// exists; unset means nobody may administer.
    #[arg(
        long,
        env = "OFFICEFLOW_ADMIN_TOKEN",
        hide_env_values = true,
        global = true
    )]
    pub admin_token: Option<String>,

    /// Largest number of pooled database connections.
    #[arg(long, env = "OFFICEFLOW_DB_POOL", default_value_t = 16, global = true)]
    pub db_pool: u32,

    /// How many open cases this instance keeps in memory as it last wrote them, so that the
    /// next operation on one need not read it back (about 3 KB each); 0 keeps none.
    #[arg(
        long,
        env = "OFFICEFLOW_CASE_MEMORY",
        default_value_t = 20_000,
        global = true
    )]
    pub case_memory: usize,

    /// Seconds between two rounds of the scheduler (raising recurring obligations, recording
    /// escalations); 0 turns it off on this instance.
    #[arg(
        long,
        env = "OFFICEFLOW_SCHEDULER_EVERY",
        default_value_t = 30,
        global = true
    )]
    pub scheduler_every: u64,

    /// Login of the administrator created at the first start of an empty database.
    #[arg(
        long,
        env = "OFFICEFLOW_ADMIN_LOGIN",
        default_value = "admin",
        global = true
    )]
    pub admin_login: String,

    /// That administrator's password; when unset, a random one is printed once in the log.
    #[arg(
        long,
        env = "OFFICEFLOW_ADMIN_PASSWORD",
        hide_env_values = true,
        global = true
    )]
    pub admin_password: Option<String>,

    /// What an empty database is filled with at first start: `full` the demo office (its
    /// people, one per role of the standard with the password `officeflow-demo`, and about a
    /// hundred cases), `people` the people only, `off` nothing (a real installation).
    #[arg(
        long,
        env = "OFFICEFLOW_DEMO",
        value_enum,
        default_value_t = Demo::Full,
        global = true
    )]
    pub demo: Demo,
}

/// How much of the demo office a new installation gets.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Demo {
    Off,
    People,
    Full,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Which database the URL selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A configuration that cannot work, said in one line.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("DATABASE_URL must start with sqlite:// or postgres:// (got \"{0}\")")]
    UnsupportedDatabase(String),
    #[error("the data folder {path} cannot be used: {reason}")]
    DataDir { path: String, reason: String },
}

impl Settings {
    /// The database URL in force: the setting, or the SQLite file in the data folder.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.trim().is_empty() => url.trim().to_string(),
            _ => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("officeflow.db").display()
            ),
        }
    }

    pub fn backend(&self) -> Result<Backend, ConfigError> {
        backend_of(&self.database_url())
    }

    /// Creates the data folder when missing and checks that it is writable.
    pub fn prepare_data_dir(&self) -> Result<(), ConfigError> {
        prepare_dir(&self.data_dir)
    }
}

pub fn backend_of(url: &str) -> Result<Backend, ConfigError> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        Err(ConfigError::UnsupportedDatabase(redact(url)))
    }
}

fn prepare_dir(path: &Path) -> Result<(), ConfigError> {
    let fail = |reason: String| ConfigError::DataDir {
        path: path.display().to_string(),
        reason,
    };
    std::fs::create_dir_all(path).map_err(|e| fail(e.to_string()))?;
    let probe = path.join(".officeflow-write-check");
    std::fs::write(&probe, b"ok").map_err(|e| fail(format!("not writable ({e})")))?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

/// A URL with its password hidden, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hidden_in_messages() {
        assert_eq!(
            redact("postgres://app:s3cret@db:5432/x"),
            "postgres://app:***@db:5432/x"
        );
        assert_eq!(
            redact("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
    }

    #[test]
    fn the_url_scheme_selects_the_backend() {
        assert_eq!(
            backend_of("sqlite://data/x.db?mode=rwc").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(
            backend_of("postgres://postgres@127.0.0.1/test").unwrap(),
            Backend::Postgres
        );
        assert!(backend_of("mysql://root@localhost/test").is_err());
    }
}
