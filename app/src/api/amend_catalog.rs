use leptos::prelude::*;

use super::save_catalog::SavedCatalog;
use crate::domain::catalog::amend::CatalogAmendment;
use crate::error::AppError;

/// Saves the catalog editor's work as the next version (`POST /api/catalog/amend`, body
/// `{"amendment": {"base_version": n, "catalog": Catalog, "note": "…"}}`, administrators
/// only). The edited catalog is checked by the rules of the catalog files; each problem comes
/// back at its path (`process[incoming_document].step[2].deadline`). Refused as a conflict when
/// a version was saved after `base_version`. New cases use the new version, running cases keep
/// theirs.
#[server(prefix = "/api", endpoint = "catalog/amend", input = server_fn::codec::Json)]
pub async fn amend_catalog(amendment: CatalogAmendment) -> Result<SavedCatalog, AppError> {
    use super::ssr::{authorize, ports, respond};
    use crate::domain::catalog::amend::{check_catalog, check_note};
    respond(
        async {
            let ports = ports()?;
            authorize(&ports, "catalog/amend").await?;
            let mut errors = Vec::new();
            let note = check_note(&amendment.note).map_err(|e| errors.push(e));
            let catalog = check_catalog(&amendment.catalog).map_err(|e| errors.extend(e));
            let (Ok(note), Ok(catalog)) = (note, catalog) else {
                return Err(AppError::Invalid { fields: errors });
            };
            let base = ports.catalog.version(amendment.base_version).await?;
            if base.catalog == catalog {
                return Err(AppError::invalid(crate::error::FieldError::new(
                    "catalog",
                    "unchanged",
                    "没有需要保存的修改。",
                    "There is nothing to save: the catalog is unchanged.",
                )));
            }
            let saved = ports
                .catalog
                .save_version(
                    catalog,
                    note,
                    Some(amendment.base_version),
                    chrono::Utc::now(),
                )
                .await?;
            Ok(SavedCatalog {
                version: saved.version,
                created_at: saved.created_at.clone(),
                note: saved.note.clone(),
            })
        }
        .await,
    )
}

/// Every saved version of the catalog, newest first, without the catalogs
/// (`POST /api/catalog/history`, body `{}`).
#[server(prefix = "/api", endpoint = "catalog/history", input = server_fn::codec::Json)]
pub async fn catalog_history() -> Result<Vec<crate::domain::catalog::VersionSummary>, AppError> {
    use super::ssr::{authorize, ports, respond};
    respond(
        async {
            let ports = ports()?;
            authorize(&ports, "catalog/history").await?;
            ports.catalog.history().await
        }
        .await,
    )
}
