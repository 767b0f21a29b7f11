//! Case changes as events, for live boards.
//!
//! Every committed write on a case publishes a [`CaseChanged`] on the instance's bus (an
//! in-memory broadcast channel). A board's viewers subscribe through
//! `GET /api/boards/{function}/events` (server-sent events) and fetch the cards named, through
//! the usual permission checks: an event says only which case changed and to which version.
//!
//! With several instances on one PostgreSQL database, a relay carries each instance's own
//! events to the others: it gathers them for a few milliseconds and sends them as one
//! `NOTIFY officeflow_cases` (delivered when it commits), and it `LISTEN`s for the others'
//! and publishes them on the local bus. A viewer who misses events (a dropped connection, a
//! lagging subscriber, an instance that died between its commit and its notification) is
//! told to reload the whole board when it reconnects or falls behind; so is every viewer
//! when the relay starts listening (at start, and again after a lost connection), since
//! what was sent before was not heard. The calendar's index in memory follows the same
//! events (see `persistence::open_dates`).

use std::convert::Infallible;
use std::time::Duration;

use app::domain::workflow::board::CaseChanged;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures::stream::{self, Stream, StreamExt};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use crate::startup::AppState;

/// How many events a subscriber may fall behind before it is told to reload.
const BUFFER: usize = 4096;
/// The PostgreSQL channel instances tell each other on.
pub const CHANNEL: &str = "officeflow_cases";
/// How long the relay gathers events into one notification.
const GATHER: Duration = Duration::from_millis(20);
/// PostgreSQL refuses payloads of 8,000 bytes or more; a batch stays well under.
const MAX_BATCH: usize = 60;

#[derive(Clone, Debug)]
struct Published {
    /// `None`: events may have been missed (the relay lost its connection); viewers reload.
    event: Option<CaseChanged>,
    /// Made on this instance (the relay sends only those on).
    local: bool,
}

/// The instance's bus of case changes.
#[derive(Clone)]
pub struct CaseEvents {
    tx: broadcast::Sender<Published>,
    /// This instance's name on the PostgreSQL channel (its own notifications are ignored).
    instance: u64,
    /// Set when the server stops: open streams end, so the graceful shutdown is not held up.
    closing: std::sync::Arc<tokio::sync::watch::Sender<bool>>,
}

impl Default for CaseEvents {
    fn default() -> Self {
        CaseEvents::new()
    }
}

impl CaseEvents {
    pub fn new() -> Self {
        CaseEvents {
            tx: broadcast::channel(BUFFER).0,
            instance: rand::random(),
            closing: std::sync::Arc::new(tokio::sync::watch::channel(false).0),
        }
    }

    /// Ends every open stream (the server is stopping).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Resolves when the server stops.
    fn closed(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut rx = self.closing.subscribe();
        async move {
            let _ = rx.wait_for(|closing| *closing).await;
        }
    }

    /// Publishes a change committed on this instance.
    pub fn publish(&self, event: CaseChanged) {
        // No subscriber is not an error: nobody is looking at a board.
        let _ = self.tx.send(Published {
            event: Some(event),
            local: true,
        });
    }

    fn publish_remote(&self, event: Option<CaseChanged>) {
        let _ = self.tx.send(Published {
            event,
            local: false,
        });
    }

    /// Every change from now on, in order; `None` marks events missed by falling behind.
    pub fn subscribe(&self) -> impl Stream<Item = Option<CaseChanged>> + Send + 'static {
        let rx = self.tx.subscribe();
        stream::unfold(rx, |mut rx| async move {
            match rx.recv().await {
                Ok(published) => Some((published.event, rx)),
                Err(broadcast::error::RecvError::Lagged(_)) => Some((None, rx)),
                Err(broadcast::error::RecvError::Closed) => None,
            }
        })
    }

    /// The changes other instances made, from now on (`None`: some may have been missed), for
    /// what an instance keeps in memory. Holds only the receiving end: it ends when every
    /// sender (the bus) is gone.
    pub fn subscribe_remote(&self) -> impl Stream<Item = Option<CaseChanged>> + Send + 'static {
        let rx = self.tx.subscribe();
        stream::unfold(rx, |mut rx| async move {
            loop {
                match rx.recv().await {
                    Ok(Published { local: true, .. }) => continue,
                    Ok(published) => return Some((published.event, rx)),
                    Err(broadcast::error::RecvError::Lagged(_)) => return Some((None, rx)),
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        })
    }
}

/// What one instance tells the others.
#[derive(Serialize, Deserialize)]
struct Notice {
    from: u64,
    events: Vec<CaseChanged>,
}

/// Starts the PostgreSQL relay for `events` (nothing on SQLite: one instance only). Returns
/// the tasks, to stop with the server.
pub async fn start_relay(
    database_url: &str,
    db: sea_orm::DatabaseConnection,
    events: CaseEvents,
) -> Vec<tokio::task::JoinHandle<()>> {
    if db.get_database_backend() != sea_orm::DbBackend::Postgres {
        return Vec::new();
    }
    let listen = tokio::spawn(listen(database_url.to_string(), events.clone()));
    let send = tokio::spawn(send(db, events));
    vec![listen, send]
}

/// Sends this instance's events on, gathered into notifications.
async fn send(db: sea_orm::DatabaseConnection, events: CaseEvents) {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let mut rx = events.tx.subscribe();
    loop {
        let first = match rx.recv().await {
            Ok(p) => p,
            Err(broadcast::error::RecvError::Lagged(missed)) => {
                tracing::warn!(missed, "the event relay fell behind; other instances' viewers catch up on their next reload");
                continue;
            }
            Err(broadcast::error::RecvError::Closed) => return,
        };
        let mut batch: Vec<CaseChanged> = Vec::new();
        if let (true, Some(event)) = (first.local, first.event) {
            batch.push(event);
        }
        let deadline = tokio::time::Instant::now() + GATHER;
        while batch.len() < MAX_BATCH {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Ok(Published {
                    event: Some(event),
                    local: true,
                })) => batch.push(event),
                Ok(Ok(_)) | Ok(Err(broadcast::error::RecvError::Lagged(_))) => {}
                Ok(Err(broadcast::error::RecvError::Closed)) | Err(_) => break,
            }
        }
        if batch.is_empty() {
            continue;
        }
        let payload = serde_json::to_string(&Notice {
            from: events.instance,
            events: batch,
        })
        .unwrap_or_default();
        let sent = db
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_notify($1, $2)",
                [CHANNEL.into(), payload.into()],
            ))
            .await;
        if let Err(error) = sent {
            tracing::warn!(%error, "cannot notify the other instances");
        }
    }
}

/// Publishes the other instances' events here; reconnects after a lost connection.
async fn listen(url: String, events: CaseEvents) {
    use sea_orm::sqlx::postgres::PgListener;
    loop {
        match PgListener::connect(&url).await {
            Ok(mut listener) => {
                if let Err(error) = listener.listen(CHANNEL).await {
                    tracing::warn!(%error, "cannot listen for the other instances' events");
                } else {
                    tracing::info!(channel = CHANNEL, "listening for other instances' events");
                    // What others sent before this moment (since the start, or while the
                    // connection was down) was not heard: whoever keeps a view catches up.
                    events.publish_remote(None);
                    loop {
                        // `try_recv` answers `None` when the connection was lost (it
                        // reconnects on the next call): what was sent meanwhile is gone, so
                        // every viewer is told to reload.
                        match listener.try_recv().await {
                            Ok(None) => {
                                tracing::warn!("the event connection dropped; viewers reload");
                                events.publish_remote(None);
                            }
                            Ok(Some(n)) => match serde_json::from_str::<Notice>(n.payload()) {
                                Ok(notice) if notice.from != events.instance => {
                                    for event in notice.events {
                                        events.publish_remote(Some(event));
                                    }
                                }
                                Ok(_) => {}
                                Err(error) => tracing::warn!(%error, "an unreadable notification"),
                            },
                            Err(error) => {
                                tracing::warn!(%error, "lost the notification connection");
                                break;
                            }
                        }
                    }
                }
            }
            Err(error) => tracing::warn!(%error, "cannot connect to listen for events"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/boards/{function}/events", get(board_events))
}

/// `GET /api/boards/{function}/events`: a stream of `case` events (`{"function", "case",
/// "version", "open"}`) for the function's board, a `ready` event first, and a `reload` event
/// when the subscriber fell behind. Signed-in callers only; 404 for an unknown function.
async fn board_events(
    State(state): State<AppState>,
    Path(function): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(error) =
        crate::files::caller_actor(&state, &headers, "boards/{function}/events").await
    {
        return crate::files::failure(error);
    }
    // An unknown function is a 404, not a stream that never says anything.
    match state.ports.catalog.current().await {
        Ok(current) if current.catalog.function(&function).is_some() => {}
        Ok(_) => return crate::files::failure(app::error::AppError::NotFound),
        Err(error) => return crate::files::failure(error),
    }
    let ready =
        stream::once(async { Ok::<_, Infallible>(Event::default().event("ready").data("{}")) });
    let changes = state.events.subscribe().filter_map(move |item| {
        let function = function.clone();
        async move {
            match item {
                Some(event) if event.function == function => Some(Ok(Event::default()
                    .event("case")
                    .data(serde_json::to_string(&event).unwrap_or_default()))),
                Some(_) => None,
                None => Some(Ok(Event::default().event("reload").data("{}"))),
            }
        }
    });
    let until = state.events.closed();
    Sse::new(ready.chain(changes).take_until(until))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}
