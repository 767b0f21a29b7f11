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
use axum::Json;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use sea_orm::DatabaseConnection;
use serde_json::json;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
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
    #[error("cannot listen on {addr}: {reason}")]
    Listen { addr: SocketAddr, reason: String },
}

/// The ports, implemented over the database.
pub fn ports(settings: &Settings, db: &DatabaseConnection) -> Ports {
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
        )),
        calendar,
        catalog,
        organisation: Arc::new(SeaOrmOrganisationStore::new(db.clone())),
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

/// The whole HTTP surface: pages, `/api/*` server functions, `/healthz`, static files.
pub fn build_router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let ports = state.ports.clone();
        move || provide_context(ports.clone())
    };
    Router::new()
        .route("/healthz", get(crate::health::healthz))
        .route("/api/{*path}", any(unknown_api))
        .leptos_routes_with_context(&state, routes, context, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn(request_errors_are_400))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// Server functions are routed by `leptos_routes_with_context` at their own paths; any other
/// `/api/...` address is a clear 404 rather than a page.
async fn unknown_api() -> Response {
    (StatusCode::NOT_FOUND, Json(json!({ "error": "not_found" }))).into_response()
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
        let listener = TcpListener::bind(settings.bind)
            .await
            .map_err(|e| StartError::Listen {
                addr: settings.bind,
                reason: e.to_string(),
            })?;
        let addr = listener.local_addr().unwrap_or(settings.bind);
        let state = AppState {
            leptos_options: leptos_options(settings, addr),
            ports: ports(settings, &db),
            db: db.clone(),
        };
        Ok(Application {
            listener,
            router: build_router(state),
            db,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Serves until SIGINT or SIGTERM, then finishes the requests in flight.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown_signal())
            .await?;
        self.db.close().await.ok();
        Ok(())
    }

    /// Serves until the given future completes (for tests).
    pub async fn run_until(
        self,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(stop)
            .await
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
