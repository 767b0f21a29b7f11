//! The iCalendar feed at a person's secret address, for the calendar programs people already
//! use (Outlook, DingTalk, Google, Apple): `GET /feeds/<token>.ics` answers `text/calendar`
//! with what their calendar shows from a month back to a year ahead, and the items of cases
//! closed lately marked cancelled. No cookie is needed (calendar programs have none); the
//! token is the key, and revoking it (`calendar/feed/revoke`) makes the address not found.

use app::domain::workflow::agenda::AgendaItem;
use app::domain::workflow::ics_feed::ics_feed;
use app::error::AppError;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{Duration, Utc};

use crate::files::failure;
use crate::startup::AppState;

/// How far back and ahead the feed reaches.
pub const FEED_PAST_DAYS: i64 = 31;
pub const FEED_AHEAD_DAYS: i64 = 366;

pub fn routes() -> Router<AppState> {
    Router::new().route("/feeds/{file}", get(feed))
}

/// The address the app is reached at, from the request (for the items' links).
fn origin(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    if host.is_empty() || host.contains(['/', ' ', '\\']) {
        return None;
    }
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
    {
        Some("https") => "https",
        _ => "http",
    };
    Some(format!("{scheme}://{host}"))
}

async fn feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let result = async {
        let token = file.strip_suffix(".ics").unwrap_or(&file);
        let now = Utc::now();
        let person = state
            .ports
            .people
            .feed_owner(token, now)
            .await?
            .ok_or(AppError::NotFound)?;
        let actor = person.actor();
        let entries = state
            .ports
            .cases
            .feed(
                &actor,
                now - Duration::days(FEED_PAST_DAYS),
                now + Duration::days(FEED_AHEAD_DAYS),
                now,
            )
            .await?;
        let zone = state.ports.calendar.calendar().await?.settings().time_zone;
        let organisation = state.ports.organisation.organisation().await?;
        let name = format!("{} · {}", organisation.name, person.name);
        let origin = origin(&headers);
        let link = |item: &AgendaItem| {
            let origin = origin.as_ref()?;
            Some(match item.case_id {
                Some(id) => format!("{origin}/functions/{}/board?case={id}", item.function),
                None => format!("{origin}/calendar?view=agenda&date={}", item.date),
            })
        };
        Ok::<_, AppError>(ics_feed(&name, &entries, zone, now, link))
    }
    .await;
    match result {
        Ok(text) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/calendar; charset=utf-8"),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_static("inline; filename=\"officeflow.ics\""),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            text,
        )
            .into_response(),
        Err(error) => failure(error),
    }
}
