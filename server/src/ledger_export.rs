//! Ledger downloads: `GET /api/ledgers/{code}/export.csv` and `…/export.xlsx` with the page's
//! query in the URL (`from`, `to` as `YYYY-MM-DD`, `department`, `text`, `sort`,
//! `descending=true`, `lang=en`): every matching row, as CSV (UTF-8 with a byte-order mark so
//! that Excel reads the Chinese) or as an Excel workbook (a bold, frozen header row with a
//! filter, numbers as numbers), for the holders of the ledger's function's roles.

use app::api::ledger_table_for;
use app::domain::catalog::Ledger;
use app::domain::lang::Lang;
use app::domain::workflow::ledger_view::{
    export_lines, export_name, ledger_csv, LedgerQuery, TableRow,
};
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
    Router::new()
        .route("/api/ledgers/{code}/export.csv", get(export_csv))
        .route("/api/ledgers/{code}/export.xlsx", get(export_xlsx))
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
    Ok((query, lang_of(params.lang.as_deref())))
}

/// The rows `params` ask of ledger `code` as the caller may read them, with the ledger.
async fn rows_for(
    state: &AppState,
    headers: &HeaderMap,
    code: String,
    params: ExportParams,
) -> Result<(Ledger, LedgerQuery, Lang, Vec<TableRow>), AppError> {
    let actor = caller_actor(state, headers, "ledgers/{code}/export").await?;
    let (query, lang) = query_of(code, params)?;
    let (_, rows) = ledger_table_for(&state.ports, &actor, &query).await?;
    let current = state.ports.catalog.current().await?;
    let ledger = current
        .catalog
        .ledger(&query.ledger)
        .ok_or(AppError::NotFound)?
        .clone();
    Ok((ledger, query, lang, rows))
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A CSV download named `name`, or the failure.
pub fn csv_response(result: Result<(String, String), AppError>) -> Response {
    match result {
        Ok((name, text)) => download(&name, "text/csv; charset=utf-8", text.into_bytes()),
        Err(error) => failure(error),
    }
}

/// A workbook download named `name`, or the failure.
pub fn workbook_response(result: Result<(String, Vec<u8>), AppError>) -> Response {
    match result {
        Ok((name, bytes)) => download(&name, XLSX, bytes),
        Err(error) => failure(error),
    }
}

/// A workbook's bytes, or an internal error logged with what it was (`what`).
pub fn written(
    what: &str,
    bytes: Result<Vec<u8>, rust_xlsxwriter::XlsxError>,
) -> Result<Vec<u8>, AppError> {
    bytes.map_err(|error| {
        tracing::error!(%error, what, "the workbook could not be written");
        AppError::Internal
    })
}

/// The language a download asks for (`lang=en`), Chinese otherwise.
pub fn lang_of(lang: Option<&str>) -> Lang {
    lang.and_then(Lang::from_tag).unwrap_or(Lang::Zh)
}

fn download(name: &str, content_type: &'static str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition(name)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        body,
    )
        .into_response()
}

async fn export_csv(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(params): Query<ExportParams>,
    headers: HeaderMap,
) -> Response {
    csv_response(rows_for(&state, &headers, code, params).await.map(
        |(ledger, query, lang, rows)| {
            (
                export_name(&ledger, &query, lang, "csv"),
                ledger_csv(&ledger, &rows, lang),
            )
        },
    ))
}

/// The workbook: one sheet named after the ledger, the header row bold, frozen and filtered,
/// the case numbers as numbers, every other cell as text (never a formula).
pub fn ledger_workbook(
    ledger: &Ledger,
    rows: &[TableRow],
    lang: Lang,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, FormatBorder, Workbook};
    let lines = export_lines(ledger, rows, lang);
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    // A sheet's name: at most 31 characters, none of []:*?/\.
    let name: String = ledger
        .name
        .get(lang)
        .chars()
        .filter(|c| !"[]:*?/\\《》".contains(*c))
        .take(31)
        .collect();
    if !name.is_empty() {
        sheet.set_name(name)?;
    }
    let bold = Format::new()
        .set_bold()
        .set_background_color(0xF1F5F9)
        .set_border_bottom(FormatBorder::Thin);
    let width = lines.first().map_or(0, Vec::len);
    for (r, line) in lines.iter().enumerate() {
        let r = r as u32;
        for (c, value) in line.iter().enumerate() {
            let c = c as u16;
            if r == 0 {
                sheet.write_string_with_format(r, c, value, &bold)?;
            } else if c == 0 {
                match value.parse::<i64>() {
                    Ok(number) => sheet.write_number(r, c, number as f64)?,
                    Err(_) => sheet.write_string(r, c, value)?,
                };
            } else {
                sheet.write_string(r, c, value)?;
            }
        }
    }
    if width > 0 {
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofilter(0, 0, rows.len() as u32, (width - 1) as u16)?;
    }
    sheet.autofit();
    workbook.save_to_buffer()
}

async fn export_xlsx(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(params): Query<ExportParams>,
    headers: HeaderMap,
) -> Response {
    let result = async {
        let (ledger, query, lang, rows) = rows_for(&state, &headers, code, params).await?;
        let bytes = written(ledger.code.as_str(), ledger_workbook(&ledger, &rows, lang))?;
        Ok((export_name(&ledger, &query, lang, "xlsx"), bytes))
    }
    .await;
    workbook_response(result)
}
