//! The API: server functions, one per file, each at a stable endpoint under `/api/`
//! with JSON bodies (listed in `docs/API.md`). They stay thin: resolve the caller, check,
//! call the domain through a port, map to the wire type.

mod get_calendar;
mod get_catalog;
mod get_function_standard;
mod get_organisation;
mod import_calendar_year;
mod list_functions;
mod preview_deadline;
mod put_calendar_override;
mod remove_calendar_override;
mod rename_organisation;
mod save_calendar_settings;
mod save_catalog;

pub use get_calendar::*;
pub use get_catalog::*;
pub use get_function_standard::*;
pub use get_organisation::*;
pub use import_calendar_year::*;
pub use list_functions::*;
pub use preview_deadline::*;
pub use put_calendar_override::*;
pub use remove_calendar_override::*;
pub use rename_organisation::*;
pub use save_calendar_settings::*;
pub use save_catalog::*;

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use crate::error::AppError;
    use crate::ports::Ports;

    /// The ports the server provided; missing ports are a server bug, reported as internal.
    pub fn ports() -> Result<Ports, AppError> {
        leptos::prelude::use_context::<Ports>().ok_or_else(|| {
            leptos::logging::error!("the server did not provide the ports to the server functions");
            AppError::Internal
        })
    }

    /// Writes an RFC 3339 instant in the organisation's time zone (how the UI shows times).
    pub async fn in_org_zone(
        ports: &Ports,
        instant: Option<String>,
    ) -> Result<Option<String>, AppError> {
        let Some(text) = instant else { return Ok(None) };
        let zone = ports.calendar.calendar().await?.settings().time_zone;
        Ok(Some(
            chrono::DateTime::parse_from_rfc3339(&text)
                .map(|t| t.with_timezone(&zone).to_rfc3339())
                .unwrap_or(text),
        ))
    }

    /// Refuses the call unless the caller may administer OfficeFlow.
    pub fn require_administrator(ports: &Ports) -> Result<(), AppError> {
        let parts = leptos::prelude::use_context::<http::request::Parts>();
        let allowed = parts.is_some_and(|p| ports.access.is_administrator(&p.headers));
        if allowed {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Sets the HTTP status of a failed call, so scripts see 400/403/404/409 rather than 500.
    pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
        if let Err(error) = &result {
            if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                if let Ok(status) = http::StatusCode::from_u16(error.status()) {
                    options.set_status(status);
                }
            }
        }
        result
    }
}
