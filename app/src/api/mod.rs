//! The API: server functions, one per file, each at a stable endpoint under `/api/`
//! with JSON bodies (listed in `docs/API.md`). They stay thin: resolve the caller, check,
//! call the domain through a port, map to the wire type.

mod get_organisation;
mod list_functions;
mod rename_organisation;

pub use get_organisation::*;
pub use list_functions::*;
pub use rename_organisation::*;

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
