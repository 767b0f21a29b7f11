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
            println!(
                "migrations applied to {}",
                crate::config::redact(&settings.database_url())
            );
            Ok(())
        }
    }
}
