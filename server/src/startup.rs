//! Building the application: state, router, listener, graceful shutdown.

use std::net::SocketAddr;
use std::sync::Arc;

use app::ports::Ports;
use app::ui::{shell, App};
use axum::body::Body;
use axum::extract::{FromRef, Request};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::serve::ListenerExt;
use axum::Json;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use sea_orm::DatabaseConnection;
use serde_json::json;
use tokio::net::TcpListener;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::limit::RequestBodyLimitLayer;

/// The largest request body accepted; larger ones are refused with 413 before being read.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

use crate::config::Settings;
use crate::persistence::{self, DatabaseError};

/// Everything a request handler may need.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub ports: Ports,
    pub db: DatabaseConnection,
    /// Where uploaded files are kept (`files/` under the data folder).
    pub files: crate::files::FileStore,
    /// Committed case changes, for live boards.
    pub events: crate::events::CaseEvents,
}

/// Why the server could not start, in one line.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Database(#[from] DatabaseError),
    #[error("the built-in catalog is invalid:\n{0}")]
    Catalog(String),
    #[error("cannot store the built-in catalog: {0}")]
    StoreCatalog(String),
    #[error("cannot create the first users: {0}")]
    People(String),
    #[error("cannot listen on {addr}: {reason}")]
    Listen { addr: SocketAddr, reason: String },
}

/// The ports, implemented over the database, announcing case changes on a bus of their own.
pub fn ports(settings: &Settings, db: &DatabaseConnection) -> Ports {
    ports_with(settings, db, crate::events::CaseEvents::new())
}

/// The ports, implemented over the database, announcing case changes on `events`.
pub fn ports_with(
    settings: &Settings,
    db: &DatabaseConnection,
    events: crate::events::CaseEvents,
) -> Ports {
    use app::ports::{CalendarStore, CatalogStore};
    use persistence::calendar_repo::SeaOrmCalendarStore;
    use persistence::case_repo::SeaOrmCaseStore;
    use persistence::{
        catalog_repo::SeaOrmCatalogStore, organisation_repo::SeaOrmOrganisationStore,
    };
    let calendar: Arc<dyn CalendarStore> = Arc::new(SeaOrmCalendarStore::new(db.clone()));
    let catalog: Arc<dyn CatalogStore> = Arc::new(SeaOrmCatalogStore::new(db.clone()));
    Ports {
        access: Arc::new(crate::access::OperatorToken::new(
            settings.admin_token.clone(),
        )),
        cases: Arc::new(SeaOrmCaseStore::new(
            db.clone(),
            catalog.clone(),
            calendar.clone(),
            events,
            settings.case_memory,
        )),
        calendar,
        catalog,
        organisation: Arc::new(SeaOrmOrganisationStore::new(db.clone())),
        people: Arc::new(persistence::people_repo::SeaOrmPeopleStore::new(db.clone())),
    }
}

/// The built-in standard, validated; every problem is one line `file: path: reason`.
pub fn builtin_catalog() -> Result<app::domain::catalog::Catalog, StartError> {
    app::domain::catalog::builtin().map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        StartError::Catalog(lines.join("\n"))
    })
}

pub fn leptos_options(settings: &Settings, addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("officeflow")
        .site_root(settings.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}

/// The page routes, listed once per process.
///
/// Listing them renders the app while a process-wide flag of leptos_server 0.8
/// (`SuppressResourceLoad`) holds every resource that first runs meanwhile pending for good
/// (leptos-rs/leptos#4773). A second instance in the same process (the tests start many)
/// listing its routes while the first renders a page could so leave that page's response
/// unfinished forever. Listed once, the routes are ready before any instance serves: the
/// others wait here for the first listing and then reuse it.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole HTTP surface: pages, `/api/*` server functions, `/healthz`, static files.
pub fn build_router(state: AppState) -> Router {
    let routes = page_routes();
    let context = {
        let ports = state.ports.clone();
        move || {
            provide_context(ports.clone());
            provide_context(app::api::ssr::RequestSession::default());
        }
    };
    let pages = Router::new()
        .route("/healthz", get(crate::health::healthz))
        .route("/api/{*path}", any(unknown_api))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        // An address without a page is drawn with the same context as a page: the shell of
        // its 404 shows who is signed in and their navigation, not a signed-out shell.
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(axum::middleware::from_fn(
            crate::request_arena::keep_request_arena,
        ))
        .layer(axum::middleware::from_fn(request_errors_are_400))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES));
    // Uploads have their own, larger limit; everything else stays at MAX_BODY_BYTES.
    Router::new()
        .merge(crate::files::routes())
        .merge(crate::events::routes())
        .merge(crate::feeds::routes())
        .merge(crate::ledger_export::routes())
        .merge(crate::report_export::routes())
        .merge(pages)
        .layer(axum::middleware::from_fn(refuse_cross_site_writes))
        // The fastest gzip: a board page compresses in less than half the time of the default
        // level, for about an eighth more bytes. Pages are made per request, so compression
        // is paid on every one; on two cores the time matters more than the bytes.
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .with_state(state)
}

/// Server functions are routed by `leptos_routes_with_context` at their own paths; any other
/// `/api/...` address is a clear 404 rather than a page.
async fn unknown_api() -> Response {
    (StatusCode::NOT_FOUND, Json(json!({ "error": "not_found" }))).into_response()
}

/// Cross-site requests that change things are refused: the session cookie is SameSite=Lax,
/// and a state-changing request (any method but GET, HEAD and OPTIONS; every server function
/// is a POST) whose `Origin` is another site, or that the browser marks `Sec-Fetch-Site:
/// cross-site`, is answered 403 before it reaches a handler. Scripts send neither header.
async fn refuse_cross_site_writes(request: Request<Body>, next: Next) -> Response {
    use axum::http::Method;
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && is_cross_site(request.headers()) {
        tracing::warn!(uri = %request.uri(), "cross-site request refused");
        return (StatusCode::FORBIDDEN, Json(app::error::AppError::Forbidden)).into_response();
    }
    next.run(request).await
}

/// Whether the browser says the request comes from another site.
fn is_cross_site(headers: &axum::http::HeaderMap) -> bool {
    use axum::http::header;
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &axum::http::HeaderValue| v.to_str().ok())
    };
    if text("sec-fetch-site") == Some("cross-site") {
        return true;
    }
    match (text(header::ORIGIN.as_str()), text(header::HOST.as_str())) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => {
            let origin_host = origin
                .split_once("://")
                .map_or(origin, |(_, rest)| rest)
                .trim_end_matches('/');
            !origin_host.eq_ignore_ascii_case(host)
        }
        _ => false,
    }
}

/// The framework answers 500 when it cannot even read a call (malformed JSON, a missing
/// argument); those are the caller's fault, so they become 400 like any other bad input.
async fn request_errors_are_400(request: Request<Body>, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    let is_request_error = serde_json::from_slice::<app::error::AppError>(&bytes)
        .is_ok_and(|e| matches!(e, app::error::AppError::Request { .. }));
    if is_request_error {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A server ready to run: its listener is bound, its database migrated.
pub struct Application {
    listener: TcpListener,
    router: Router,
    pub db: DatabaseConnection,
    scheduler: Option<(crate::scheduler::Scheduler, std::time::Duration)>,
    events: crate::events::CaseEvents,
    database_url: String,
    /// Warmed up in the background once serving starts.
    cases: Arc<dyn app::ports::CaseStore>,
}

impl Application {
    /// Connects, migrates and binds, or says in one line why it cannot.
    pub async fn build(settings: &Settings) -> Result<Application, StartError> {
        settings.backend()?;
        if settings.database_url.is_none() {
            settings.prepare_data_dir()?;
        }
        let db = persistence::connect(&settings.database_url(), settings.db_pool).await?;
        persistence::migrate(&db).await?;
        let builtin = builtin_catalog()?;
        persistence::catalog_repo::store_builtin_if_empty(&db, &builtin, chrono::Utc::now())
            .await
            .map_err(|e| StartError::StoreCatalog(persistence::short_reason(&e)))?;
        let people =
            crate::people_setup::set_up_people(&db, settings, &builtin, chrono::Utc::now())
                .await
                .map_err(|e| StartError::People(e.to_string()))?;
        if let Some((login, password)) = &people.administrator {
            match password {
                Some(password) => tracing::warn!(
                    login = %login,
                    password = %password,
                    "first administrator created with a random password: note it now, it is not shown again"
                ),
                None => tracing::info!(login = %login, "first administrator created"),
            }
        }
        if people.demo_users > 0 {
            tracing::info!(
                users = people.demo_users,
                password = crate::people_setup::DEMO_PASSWORD,
                "demo office created: one user per role, login = the role's code"
            );
        }
        let listener = TcpListener::bind(settings.bind)
            .await
            .map_err(|e| StartError::Listen {
                addr: settings.bind,
                reason: e.to_string(),
            })?;
        let addr = listener.local_addr().unwrap_or(settings.bind);
        let events = crate::events::CaseEvents::new();
        let ports = ports_with(settings, &db, events.clone());
        // A database from before the calendar: its open cases' planned dates, once.
        match persistence::case_calendar::backfill_case_events(
            &db,
            ports.catalog.as_ref(),
            ports.calendar.as_ref(),
        )
        .await
        {
            Ok(0) => {}
            Ok(rows) => tracing::info!(rows, "planned dates of the open cases put on the calendar"),
            Err(error) => tracing::warn!(
                ?error,
                "the open cases' planned dates could not be put on the calendar"
            ),
        }
        // The dashboard's completions, filled from the cases once per version of their rules.
        match persistence::case_stats::refill_if_stale(
            &db,
            ports.catalog.as_ref(),
            ports.calendar.as_ref(),
        )
        .await
        {
            Ok(None) => {}
            Ok(Some(rows)) => tracing::info!(rows, "the dashboard's step completions refilled"),
            Err(error) => tracing::warn!(
                ?error,
                "the dashboard's step completions could not be refilled"
            ),
        }
        if people.demo_users > 0 && settings.demo == crate::config::Demo::Full {
            let cases = crate::demo::seed_demo_cases(&ports, chrono::Utc::now())
                .await
                .map_err(|e| StartError::People(e.to_string()))?;
            tracing::info!(cases, "demo office's cases created");
        }
        let cases = ports.cases.clone();
        let state = AppState {
            leptos_options: leptos_options(settings, addr),
            ports,
            db: db.clone(),
            files: crate::files::FileStore::new(settings.data_dir.join("files")),
            events: events.clone(),
        };
        let scheduler = (settings.scheduler_every > 0).then(|| {
            (
                crate::scheduler::Scheduler::new(state.ports.cases.clone()),
                std::time::Duration::from_secs(settings.scheduler_every),
            )
        });
        Ok(Application {
            listener,
            router: build_router(state),
            db,
            scheduler,
            events,
            database_url: settings.database_url(),
            cases,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Serves until SIGINT or SIGTERM, then finishes the requests in flight.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let db = self.db.clone();
        self.run_until(shutdown_signal()).await?;
        db.close().await.ok();
        Ok(())
    }

    /// Starts the background scheduler when the settings ask for it.
    fn start_scheduler(&self) -> Option<tokio::task::JoinHandle<()>> {
        let (scheduler, every) = self.scheduler.clone()?;
        tracing::info!(every_seconds = every.as_secs(), "scheduler started");
        Some(scheduler.spawn(every))
    }

    /// Serves until the given future completes (for tests).
    pub async fn run_until(
        self,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let mut tasks: Vec<tokio::task::JoinHandle<()>> =
            self.start_scheduler().into_iter().collect();
        tasks.extend(
            crate::events::start_relay(&self.database_url, self.db.clone(), self.events.clone())
                .await,
        );
        let cases = self.cases.clone();
        tasks.push(tokio::spawn(async move {
            let began = std::time::Instant::now();
            match cases.warm_up(chrono::Utc::now()).await {
                Ok(()) => tracing::info!(
                    ms = began.elapsed().as_millis() as u64,
                    "the calendar's and the dashboard's memory filled"
                ),
                Err(error) => tracing::warn!(
                    ?error,
                    "the calendar's or the dashboard's memory could not be filled at start"
                ),
            }
        }));
        let events = self.events.clone();
        // Replies go out as soon as they are written (TCP_NODELAY): a page is streamed in
        // several writes, and with Nagle's algorithm each write after the first waited for
        // the client's acknowledgement of the one before, which clients delay by up to 40 ms.
        // A small page's median time was that delay (44 ms, of 1.5 ms of work).
        let listener = self.listener.tap_io(|tcp| {
            if let Err(error) = tcp.set_nodelay(true) {
                tracing::debug!(%error, "TCP_NODELAY could not be set on a connection");
            }
        });
        let served = axum::serve(
            listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            stop.await;
            // Live boards' streams never end by themselves; end them so the requests in
            // flight can finish.
            events.close();
        })
        .await;
        for task in tasks {
            task.abort();
        }
        served
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
