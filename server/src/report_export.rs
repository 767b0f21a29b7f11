//! Report downloads: `GET /api/reports/{kind}/export.csv` and `…/export.xlsx` with `period`
//! (`2026-W48`, `2026-11`) and `lang=en` in the URL: the report as the page shows it, as CSV
//! (UTF-8 with a byte-order mark, the sections one after another) or as an Excel workbook (a
//! summary sheet, then a sheet per section with a bold, frozen and filtered header row and
//! numbers as numbers), for those who may read the report.

use app::domain::lang::Lang;
use app::domain::workflow::reports::{
    report_csv, report_file_name, Report, ReportKind, ReportQuery,
};
use app::error::AppError;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use crate::files::caller_actor;
use crate::ledger_export::{csv_response, lang_of, workbook_response, written};
use crate::startup::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/reports/{kind}/export.csv", get(export_csv))
        .route("/api/reports/{kind}/export.xlsx", get(export_xlsx))
}

#[derive(Deserialize, Default)]
pub struct ExportParams {
    period: Option<String>,
    lang: Option<String>,
}

async fn report_for(
    state: &AppState,
    headers: &HeaderMap,
    kind: &str,
    params: ExportParams,
) -> Result<(Report, Lang), AppError> {
    let actor = caller_actor(state, headers, "reports/{kind}/export").await?;
    let kind = ReportKind::from_code(kind).ok_or(AppError::NotFound)?;
    let query = ReportQuery {
        kind,
        period: params.period.filter(|p| !p.trim().is_empty()),
    };
    let lang = lang_of(params.lang.as_deref());
    let report = state
        .ports
        .cases
        .report(&actor, &query, chrono::Utc::now())
        .await?;
    Ok((report, lang))
}

async fn export_csv(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    Query(params): Query<ExportParams>,
    headers: HeaderMap,
) -> Response {
    csv_response(
        report_for(&state, &headers, &kind, params)
            .await
            .map(|(report, lang)| {
                (
                    report_file_name(&report, lang, "csv"),
                    report_csv(&report, lang),
                )
            }),
    )
}

/// A number as the workbook should hold it: `1,234.50` → 1234.5, `85.7%` → 0.857 (shown as a
/// percentage); anything else is text.
fn number_of(text: &str) -> Option<(f64, bool)> {
    let text = text.trim();
    let (digits, percent) = match text.strip_suffix('%') {
        Some(rest) => (rest, true),
        None => (text, false),
    };
    let value: f64 = digits.replace(',', "").parse().ok()?;
    value.is_finite().then_some(if percent {
        (value / 100.0, true)
    } else {
        (value, false)
    })
}

/// A sheet name: at most 31 characters, none of []:*?/\, unique in the workbook.
fn sheet_name(name: &str, taken: &mut Vec<String>) -> String {
    let base: String = name
        .chars()
        .filter(|c| !"[]:*?/\\《》'".contains(*c))
        .take(28)
        .collect();
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.contains(&candidate) || candidate.is_empty() {
        candidate = format!("{base}{n}");
        n += 1;
    }
    taken.push(candidate.clone());
    candidate
}

/// The workbook: a summary sheet (title, period, when generated, for whom, the figures),
/// then one sheet per section.
pub fn report_workbook(report: &Report, lang: Lang) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, FormatBorder, Workbook};
    let mut workbook = Workbook::new();
    let bold = Format::new()
        .set_bold()
        .set_background_color(0xF1F5F9)
        .set_border_bottom(FormatBorder::Thin);
    let title = Format::new().set_bold().set_font_size(14);
    let percent = Format::new().set_num_format("0.0%");
    let money = Format::new().set_num_format("#,##0.00");
    let mut taken = Vec::new();

    let summary = workbook.add_worksheet();
    summary.set_name(sheet_name(
        match lang {
            Lang::Zh => "概要",
            Lang::En => "Summary",
        },
        &mut taken,
    ))?;
    summary.write_string_with_format(0, 0, report.title.get(lang), &title)?;
    let (period, generated, audience) = match lang {
        Lang::Zh => ("期间", "生成时间", "报送"),
        Lang::En => ("Period", "Generated at", "For"),
    };
    summary.write_string(1, 0, period)?;
    summary.write_string(1, 1, report.period.name.get(lang))?;
    summary.write_string(2, 0, generated)?;
    summary.write_string(2, 1, &report.generated_at)?;
    summary.write_string(3, 0, audience)?;
    summary.write_string(3, 1, report.audience.get(lang))?;
    for (i, figure) in report.figures.iter().enumerate() {
        let r = 5 + i as u32;
        summary.write_string_with_format(r, 0, figure.label.get(lang), &bold)?;
        match number_of(figure.value.get(lang)) {
            Some((value, true)) => summary.write_number_with_format(r, 1, value, &percent)?,
            Some((value, false)) => summary.write_number(r, 1, value)?,
            None => summary.write_string(r, 1, figure.value.get(lang))?,
        };
    }
    summary.autofit();

    for section in &report.sections {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(section.title.get(lang), &mut taken))?;
        for (c, column) in section.columns.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, column.get(lang), &bold)?;
        }
        for (r, row) in section.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.cells.iter().enumerate() {
                let text = cell.get(lang);
                let numeric = section.numeric.get(c).copied().unwrap_or(false);
                match number_of(text).filter(|_| numeric) {
                    Some((value, true)) => {
                        sheet.write_number_with_format(r, c as u16, value, &percent)?
                    }
                    Some((value, false)) if text.contains('.') => {
                        sheet.write_number_with_format(r, c as u16, value, &money)?
                    }
                    Some((value, false)) => sheet.write_number(r, c as u16, value)?,
                    None => sheet.write_string(r, c as u16, text)?,
                };
            }
        }
        if !section.columns.is_empty() {
            sheet.set_freeze_panes(1, 0)?;
            sheet.autofilter(
                0,
                0,
                section.rows.len() as u32,
                (section.columns.len() - 1) as u16,
            )?;
        }
        sheet.autofit();
    }
    workbook.save_to_buffer()
}

async fn export_xlsx(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    Query(params): Query<ExportParams>,
    headers: HeaderMap,
) -> Response {
    let result = async {
        let (report, lang) = report_for(&state, &headers, &kind, params).await?;
        let bytes = written(&kind, report_workbook(&report, lang))?;
        Ok((report_file_name(&report, lang, "xlsx"), bytes))
    }
    .await;
    workbook_response(result)
}
