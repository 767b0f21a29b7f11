//! Ledger downloads: `GET /api/ledgers/{code}/export.csv` with the page's query in the URL
//! (`from`, `to` as `YYYY-MM-DD`, `department`, `text`, `sort`, `descending=true`, `lang=en`),
//! every matching row as CSV (UTF-8 with a byte-order mark so that Excel reads the Chinese),
//! for the holders of the ledger's function's roles.

use app::api::ledger_table_for;
use app::domain::lang::Lang;
use app::domain::workflow::ledger_view::{export_name, ledger_csv, LedgerQuery};
use app::error::{AppError, FieldError};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::NaiveDate;
use serde::Deserialize;

use crate::files::{caller_actor, disposition, failure};
use crate::startup::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/ledgers/{code}/export.csv", get(export_csv))
}

/// The query as the URL carries it; every value is text until checked.
#[derive(Deserialize, Default)]
pub struct ExportParams {
    from: Option<String>,
    to: Option<String>,
    department: Option<String>,
    text: Option<String>,
    sort: Option<String>,
    descending: Option<String>,
    lang: Option<String>,
}

fn date(field: &str, value: Option<String>) -> Result<Option<NaiveDate>, FieldError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                FieldError::new(
                    field,
                    "date",
                    "日期应写作 YYYY-MM-DD。",
                    "A date is written YYYY-MM-DD.",
                )
            }),
    }
}

/// The page's query from the URL's parameters.
pub fn query_of(code: String, params: ExportParams) -> Result<(LedgerQuery, Lang), AppError> {
    let from = date("from", params.from);
    let to = date("to", params.to);
    let (from, to) = match (from, to) {
        (Ok(from), Ok(to)) => (from, to),
        (from, to) => {
            let fields = [from.err(), to.err()].into_iter().flatten().collect();
            return Err(AppError::Invalid { fields });
        }
    };
    let nonempty = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let query = LedgerQuery {
        ledger: code,
        from,
        to,
        department: nonempty(params.department),
        text: params.text.unwrap_or_default(),
        sort: nonempty(params.sort),
        descending: params.descending.as_deref() == Some("true"),
    };
    let lang = params
        .lang
        .as_deref()
        .and_then(Lang::from_tag)
        .unwrap_or(Lang::Zh);
    Ok((query, lang))
}

async fn export_csv(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(params): Query<ExportParams>,
    headers: HeaderMap,
) -> Response {
    let result = async {
        let actor = caller_actor(&state, &headers, "ledgers/{code}/export").await?;
        let (query, lang) = query_of(code, params)?;
        let (_, rows) = ledger_table_for(&state.ports, &actor, &query).await?;
        let current = state.ports.catalog.current().await?;
        let ledger = current
            .catalog
            .ledger(&query.ledger)
            .ok_or(AppError::NotFound)?;
        Ok((
            export_name(ledger, &query, lang, "csv"),
            ledger_csv(ledger, &rows, lang),
        ))
    }
    .await;
    match result {
        Ok((name, csv)) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/csv; charset=utf-8"),
                ),
                (header::CONTENT_DISPOSITION, disposition(&name)),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("private, no-store"),
                ),
            ],
            csv,
        )
            .into_response(),
        Err(error) => failure(error),
    }
}
