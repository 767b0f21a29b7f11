use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::catalog::edit::CatalogFileInput;
use crate::error::AppError;

/// What saving an edit of the catalog answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedCatalog {
    pub version: u32,
    pub created_at: String,
    pub note: String,
}

/// Saves an edited catalog (the complete set of files) as the next version; new cases use it,
/// running cases keep theirs (`POST /api/catalog/save`, administrators only).
#[server(prefix = "/api", endpoint = "catalog/save", input = server_fn::codec::Json)]
pub async fn save_catalog(
    files: Vec<CatalogFileInput>,
    note: String,
) -> Result<SavedCatalog, AppError> {
    use super::ssr::{authorize, ports, respond};
    use crate::domain::catalog::edit::parse_edit;
    respond(
        async {
            let ports = ports()?;
            authorize(&ports, "catalog/save").await?;
            let (catalog, note) =
                parse_edit(&files, &note).map_err(|fields| AppError::Invalid { fields })?;
            let saved = ports
                .catalog
                .save_version(catalog, note, None, chrono::Utc::now())
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
