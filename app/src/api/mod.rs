//! The API: server functions, one per file, each at a stable endpoint under `/api/`
//! with JSON bodies (listed in `docs/API.md`). They stay thin: resolve the caller, check,
//! call the domain through a port, map to the wire type.

mod apply_case_command;
mod get_calendar;
mod get_case;
mod get_case_audit;
mod get_catalog;
mod get_function_standard;
mod get_organisation;
mod import_calendar_year;
mod list_cases;
mod list_functions;
mod list_ledger_rows;
mod preview_deadline;
mod put_calendar_override;
mod raise_case;
mod remove_calendar_override;
mod rename_organisation;
mod save_calendar_settings;
mod save_catalog;

pub use apply_case_command::*;
pub use get_calendar::*;
pub use get_case::*;
pub use get_case_audit::*;
pub use get_catalog::*;
pub use get_function_standard::*;
pub use get_organisation::*;
pub use import_calendar_year::*;
pub use list_cases::*;
pub use list_functions::*;
pub use list_ledger_rows::*;
pub use preview_deadline::*;
pub use put_calendar_override::*;
pub use raise_case::*;
pub use remove_calendar_override::*;
pub use rename_organisation::*;
pub use save_calendar_settings::*;
pub use save_catalog::*;

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use crate::domain::workflow::{Actor, UserId};
    use crate::error::{AppError, FieldError};
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

    /// The header a caller holding the operator token may send to act in the name of another
    /// user number (a dual sign-off needs two different people).
    pub const ACTING_USER: &str = "x-officeflow-user";

    /// Who acts on cases until sign-in exists: a caller presenting the operator token acts as
    /// the operator (user 0, or the number in [`ACTING_USER`]), holding every role of the
    /// catalog in force; anyone else must sign in first.
    pub async fn operator_actor(ports: &Ports) -> Result<Actor, AppError> {
        let parts = leptos::prelude::use_context::<http::request::Parts>();
        let Some(parts) = parts.filter(|p| ports.access.is_administrator(&p.headers)) else {
            return Err(AppError::Unauthenticated);
        };
        let user = match parts.headers.get(ACTING_USER) {
            None => 0,
            Some(value) => value
                .to_str()
                .ok()
                .and_then(|v| v.trim().parse::<i64>().ok())
                .filter(|n| *n > 0)
                .ok_or_else(|| {
                    AppError::invalid(FieldError::new(
                        ACTING_USER,
                        "invalid",
                        "用户编号须为正整数。",
                        "The user number must be a positive whole number.",
                    ))
                })?,
        };
        let current = ports.catalog.current().await?;
        let name = match user {
            0 => "运营管理员 / Operator".to_string(),
            n => format!("运营管理员 {n} / Operator {n}"),
        };
        Ok(Actor {
            user: UserId(user),
            name,
            roles: current
                .catalog
                .roles
                .iter()
                .map(|r| r.code.clone())
                .collect(),
        })
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
