//! The command line: `officeflow [serve]`, `officeflow migrate`, and `--help` for every setting.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::startup::Application;

#[derive(Parser, Debug)]
#[command(
    name = "officeflow",
    version,
    about = "OfficeFlow (办公流程): the office's 13 functions, their processes and deadlines.",
    long_about = None,
    after_help = "Every setting can be given as an environment variable (shown in brackets) or as an option."
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug, Clone)]
pub enum Command {
    /// Serve the web app and its API (the default).
    Serve,
    /// Apply the database migrations and exit.
    Migrate,
    /// The office standard: export it as JSON, or check edited catalog files.
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
    /// Evaluate a deadline rule on the working-day calendar (built-in holidays plus the
    /// database's overrides when a database is configured).
    Deadline {
        /// A rule in the catalog's notation: wd(3), same-day, h(24), h(4, working),
        /// before-event(wd 1), window-before-event(wd 5), monthly-by(5) …
        #[arg(long)]
        rule: String,
        /// The instant counted from: RFC 3339, or local time such as 2025-09-30T10:00.
        #[arg(long)]
        anchor: String,
        /// Also list the days counted and the days skipped, with the holidays' names.
        #[arg(long)]
        explain: bool,
    },
}

#[derive(Subcommand, Debug, Clone)]
pub enum CatalogCommand {
    /// Print the validated built-in catalog as JSON (or the database's current version).
    Export {
        /// Export the version in force in the database instead of the built-in one.
        #[arg(long)]
        current: bool,
    },
    /// Validate edited catalog files; each problem is printed as `file: path: reason`.
    Check {
        /// The files; each replaces the built-in file of the same name.
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
        /// Check the given files alone, without the rest of the built-in standard.
        #[arg(long)]
        only: bool,
    },
}

/// Parses the command line, runs the command, and turns any failure into one line and exit 1.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    crate::telemetry::init(&cli.settings);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return fail(&format!("cannot start the async runtime: {error}")),
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(&message),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("officeflow: error: {message}");
    ExitCode::FAILURE
}

async fn run(cli: Cli) -> Result<(), String> {
    let settings = cli.settings;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(&settings)
                .await
                .map_err(|e| e.to_string())?;
            tracing::info!(
                address = %app.local_addr(),
                database = %crate::config::redact(&settings.database_url()),
                "OfficeFlow is serving on http://{}",
                app.local_addr()
            );
            app.run_until_stopped()
                .await
                .map_err(|e| format!("the server stopped: {e}"))
        }
        Command::Migrate => {
            connect_and_migrate(&settings).await?;
            println!(
                "migrations applied to {}",
                crate::config::redact(&settings.database_url())
            );
            Ok(())
        }
        Command::Catalog {
            command: CatalogCommand::Export { current },
        } => crate::commands::catalog::export(&settings, current).await,
        Command::Catalog {
            command: CatalogCommand::Check { files, only },
        } => crate::commands::catalog::check(&files, only),
        Command::Deadline {
            rule,
            anchor,
            explain,
        } => {
            let calendar = crate::commands::deadline::calendar_for(&settings).await?;
            crate::commands::deadline::run(&calendar, &rule, &anchor, explain)
        }
    }
}

/// Connects to the configured database and applies pending migrations.
pub async fn connect_and_migrate(
    settings: &Settings,
) -> Result<sea_orm::DatabaseConnection, String> {
    settings.backend().map_err(|e| e.to_string())?;
    if settings.database_url.is_none() {
        settings.prepare_data_dir().map_err(|e| e.to_string())?;
    }
    let db = crate::persistence::connect(&settings.database_url(), 1)
        .await
        .map_err(|e| e.to_string())?;
    crate::persistence::migrate(&db)
        .await
        .map_err(|e| e.to_string())?;
    Ok(db)
}
