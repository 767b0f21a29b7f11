//! The API: server functions, one per file, each at a stable endpoint under `/api/`
//! with JSON bodies (listed in `docs/API.md`). They stay thin: resolve the caller, check,
//! call the domain through a port, map to the wire type.

mod amend_catalog;
mod apply_board_command;
mod apply_case_command;
mod change_password;
mod get_board;
mod get_board_card;
mod get_calendar;
mod get_calendar_feed;
mod get_calendar_view;
mod get_case;
mod get_case_audit;
mod get_case_detail;
mod get_catalog;
mod get_dashboard;
mod get_function_standard;
mod get_ledger_table;
mod get_me;
mod get_organisation;
mod get_raise_forms;
mod get_report;
mod import_calendar_year;
mod ledger_manual_entries;
mod list_cases;
mod list_functions;
mod list_inbox;
mod list_ledger_rows;
mod manage_people;
mod preview_deadline;
mod put_calendar_override;
mod raise_case;
mod remove_calendar_override;
mod rename_organisation;
mod renew_calendar_feed;
mod revoke_calendar_feed;
mod save_calendar_settings;
mod save_catalog;
mod set_wip_limit;
mod sign_in;
mod sign_out;

pub use amend_catalog::*;
pub use apply_board_command::*;
pub use apply_case_command::*;
pub use change_password::*;
pub use get_board::*;
pub use get_board_card::*;
pub use get_calendar::*;
pub use get_calendar_feed::*;
pub use get_calendar_view::*;
pub use get_case::*;
pub use get_case_audit::*;
pub use get_case_detail::*;
pub use get_catalog::*;
pub use get_dashboard::*;
pub use get_function_standard::*;
pub use get_ledger_table::*;
pub use get_me::*;
pub use get_organisation::*;
pub use get_raise_forms::*;
pub use get_report::*;
pub use import_calendar_year::*;
pub use ledger_manual_entries::*;
pub use list_cases::*;
pub use list_functions::*;
pub use list_inbox::*;
pub use list_ledger_rows::*;
pub use manage_people::*;
pub use preview_deadline::*;
pub use put_calendar_override::*;
pub use raise_case::*;
pub use remove_calendar_override::*;
pub use rename_organisation::*;
pub use renew_calendar_feed::*;
pub use revoke_calendar_feed::*;
pub use save_calendar_settings::*;
pub use save_catalog::*;
pub use set_wip_limit::*;
pub use sign_in::*;
pub use sign_out::*;

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::domain::people::policy::{access_of, Access, Caller, Denied};
    use crate::domain::people::Person;
    use crate::domain::workflow::Actor;
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

    /// The cookie holding the session token (HttpOnly, SameSite=Lax).
    pub const SESSION_COOKIE: &str = "officeflow_session";

    /// The value of cookie `name` in the request's `Cookie` headers.
    pub fn cookie_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
        headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.trim().to_string())
    }

    /// The person behind a request's session, looked up once per request. A page's server
    /// render calls several server functions (the shell's and the page's), each of which
    /// checks its caller, and a lookup is four queries (the session, the user, the roles, the
    /// department). The server puts an empty one in every request's context.
    #[derive(Clone, Default)]
    pub struct RequestSession(std::sync::Arc<tokio::sync::OnceCell<Option<Person>>>);

    /// The person the session cookie in `headers` names; `None` without a cookie or for a
    /// session that has ended. Within a request (see [`RequestSession`]) looked up once.
    pub async fn session_person(
        ports: &Ports,
        headers: &http::HeaderMap,
    ) -> Result<Option<Person>, AppError> {
        let lookup = || async {
            match cookie_value(headers, SESSION_COOKIE) {
                Some(token) => ports.people.session(&token, chrono::Utc::now()).await,
                None => Ok(None),
            }
        };
        match leptos::prelude::use_context::<RequestSession>() {
            Some(memo) => memo.0.get_or_try_init(lookup).await.cloned(),
            None => lookup().await,
        }
    }

    /// Who is calling: the person behind the session cookie; else, for scripts, a caller
    /// presenting the operator token (an administrator holding every role, see
    /// [`operator_from_headers`]); else nobody.
    pub async fn caller_from_headers(
        ports: &Ports,
        headers: &http::HeaderMap,
    ) -> Result<Caller, AppError> {
        if let Some(person) = session_person(ports, headers).await? {
            return Ok(Caller::User {
                actor: person.actor(),
                administrator: person.administrator,
            });
        }
        if ports.access.is_administrator(headers) {
            return Ok(Caller::User {
                actor: operator_from_headers(ports, headers).await?,
                administrator: true,
            });
        }
        Ok(Caller::Anonymous)
    }

    /// Checks the caller against the policy table's entry for `endpoint` before anything is
    /// touched: "sign in" for nobody, "not allowed" for a signed-in caller without the right.
    pub async fn authorize_headers(
        ports: &Ports,
        headers: &http::HeaderMap,
        endpoint: &str,
    ) -> Result<Caller, AppError> {
        let Some(access) = access_of(endpoint) else {
            leptos::logging::error!("the endpoint {endpoint} has no entry in the policy table");
            return Err(AppError::Forbidden);
        };
        if access == Access::Public {
            return Ok(Caller::Anonymous);
        }
        let caller = caller_from_headers(ports, headers).await?;
        caller.may_call(access).map_err(|denied| match denied {
            Denied::SignIn => AppError::Unauthenticated,
            Denied::NotAllowed => AppError::Forbidden,
        })?;
        Ok(caller)
    }

    /// [`authorize_headers`] for a server function (the request is in the context).
    pub async fn authorize(ports: &Ports, endpoint: &str) -> Result<Caller, AppError> {
        let parts = leptos::prelude::use_context::<http::request::Parts>();
        let headers = parts.map(|p| p.headers).unwrap_or_default();
        authorize_headers(ports, &headers, endpoint).await
    }

    /// [`authorize`] for an endpoint that needs a signed-in user: who acts.
    /// The signed-in caller and whether they are an administrator.
    pub async fn signed_in_as(ports: &Ports, endpoint: &str) -> Result<(Actor, bool), AppError> {
        match authorize(ports, endpoint).await? {
            Caller::User {
                actor,
                administrator,
            } => Ok((actor, administrator)),
            Caller::Anonymous => Err(AppError::Unauthenticated),
        }
    }

    pub async fn signed_in(ports: &Ports, endpoint: &str) -> Result<Actor, AppError> {
        match authorize(ports, endpoint).await? {
            Caller::User { actor, .. } => Ok(actor),
            Caller::Anonymous => Err(AppError::Unauthenticated),
        }
    }

    /// The session token the request carries, if any.
    pub fn session_token() -> Option<String> {
        let parts = leptos::prelude::use_context::<http::request::Parts>()?;
        cookie_value(&parts.headers, SESSION_COOKIE).filter(|t| !t.is_empty())
    }

    /// Where the request comes from: the peer's address (not a header a client could forge)
    /// and its user agent.
    pub fn request_origin() -> crate::ports::Origin {
        let parts = leptos::prelude::use_context::<http::request::Parts>();
        let address = parts
            .as_ref()
            .and_then(|p| {
                p.extensions
                    .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            })
            .map(|info| info.0.ip().to_string());
        let user_agent = parts
            .as_ref()
            .and_then(|p| p.headers.get(http::header::USER_AGENT))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        crate::ports::Origin {
            address,
            user_agent,
        }
    }

    /// Sets the session cookie (`None` clears it): HttpOnly, SameSite=Lax, for the whole
    /// site, Secure when the request came over HTTPS (directly or through a proxy saying so).
    pub fn session_cookie(token: Option<&str>) {
        let parts = leptos::prelude::use_context::<http::request::Parts>();
        let https = parts.as_ref().is_some_and(|p| {
            p.uri.scheme_str() == Some("https")
                || p.headers
                    .get("x-forwarded-proto")
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.eq_ignore_ascii_case("https"))
        });
        let (value, age) = match token {
            Some(t) => (t, 30 * 24 * 3600),
            None => ("", 0),
        };
        let cookie = format!(
            "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={age}{}",
            if https { "; Secure" } else { "" }
        );
        if let (Some(options), Ok(header)) = (
            leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
            http::HeaderValue::from_str(&cookie),
        ) {
            options.append_header(http::header::SET_COOKIE, header);
        }
    }

    /// The header a caller holding the operator token may send to act in the name of another
    /// user number (a dual sign-off needs two different people).
    pub const ACTING_USER: &str = "x-officeflow-user";

    /// The operator, for scripts presenting the operator token (`OFFICEFLOW_ADMIN_TOKEN`):
    /// user 0, or the number in [`ACTING_USER`], holding every role of the catalog in force.
    pub async fn operator_from_headers(
        ports: &Ports,
        headers: &http::HeaderMap,
    ) -> Result<Actor, AppError> {
        let user = match headers.get(ACTING_USER) {
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
        Ok(Actor::with_every_role(&current.catalog, user, name))
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
