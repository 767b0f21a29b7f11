//! Structured logs with tracing.

use tracing_subscriber::{fmt, EnvFilter};

use crate::config::{LogFormat, Settings};

/// Installs the log subscriber; a bad filter falls back to `info` and says so.
pub fn init(settings: &Settings) {
    let (filter, bad_filter) = match EnvFilter::try_new(&settings.log) {
        Ok(filter) => (filter, false),
        Err(_) => (EnvFilter::new("info"), true),
    };
    let builder = fmt().with_env_filter(filter).with_target(true);
    let _ = match settings.log_format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.compact().try_init(),
    };
    if bad_filter {
        tracing::warn!(filter = %settings.log, "OFFICEFLOW_LOG is not a valid log filter; using info");
    }
}
