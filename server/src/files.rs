//! Files attached to cases (a scanned signed form, a report): uploaded as the raw request
//! body, checked (size, name, an accepted content type whose bytes match it), kept under the
//! data folder, and recorded as a step's output with `record_output` and the answered
//! reference. The bytes are written before the row, so a row always has its file; a file
//! whose row did not commit is removed.
//!
//! - `POST /api/cases/{id}/files?name=纪要.pdf` with `Content-Type` set: 201 and the file's
//!   reference `{"id", "name", "size", "content_type"}`;
//! - `POST /api/files?name=发票.pdf`: the same for a request not raised yet (an attachment of
//!   its form): kept for the uploader until `cases/raise` names it, then the case's;
//! - `GET /api/files/{id}`: the bytes, as an attachment.

use std::path::PathBuf;

use app::api::ssr::authorize_headers;
use app::domain::people::policy::Caller;
use app::domain::workflow::form::MAX_FILE_BYTES;
use app::domain::workflow::{check_upload, FileRef};
use app::domain::workflow::{Actor, CaseId};
use app::error::AppError;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tower_http::limit::RequestBodyLimitLayer;

use crate::persistence::entities::{pending_upload, stored_file};
use crate::persistence::to_app_error;
use crate::startup::AppState;

/// The folder files are kept in: `<root>/<first two characters of the id>/<id>`.
#[derive(Clone, Debug)]
pub struct FileStore {
    root: PathBuf,
}

impl FileStore {
    pub fn new(root: PathBuf) -> Self {
        FileStore { root }
    }

    fn path(&self, id: &str) -> PathBuf {
        self.root.join(&id[..2]).join(id)
    }

    /// Writes the bytes under a temporary name, flushes them, then renames: a crash leaves
    /// either the whole file or none; a failure (the disk full) leaves nothing.
    ///
    /// All of it in one blocking task with the standard library's file: tokio's `File`
    /// reports a failed write only at the next write or `flush`, and `sync_all` does not
    /// ask, so a write refused for want of space went unnoticed and an empty file was kept.
    async fn save(&self, id: &str, bytes: Bytes) -> std::io::Result<()> {
        use std::io::Write;
        let path = self.path(id);
        let dir = path
            .parent()
            .expect("a file path has a folder")
            .to_path_buf();
        let temp = dir.join(format!(".{id}.part"));
        let write = move || {
            let written = (|| {
                std::fs::create_dir_all(&dir)?;
                let mut file = std::fs::File::create(&temp)?;
                file.write_all(&bytes)?;
                file.sync_all()?;
                std::fs::rename(&temp, &path)
            })();
            if written.is_err() {
                // A full disk leaves a part written: give its space back.
                let _ = std::fs::remove_file(&temp);
            }
            written
        };
        tokio::task::spawn_blocking(write)
            .await
            .unwrap_or_else(|e| Err(std::io::Error::other(e)))
    }

    async fn remove(&self, id: &str) {
        let _ = tokio::fs::remove_file(self.path(id)).await;
    }

    async fn read(&self, id: &str) -> std::io::Result<Vec<u8>> {
        tokio::fs::read(self.path(id)).await
    }
}

pub fn routes() -> Router<AppState> {
    let limit = MAX_FILE_BYTES as usize + 64 * 1024;
    let uploads = Router::new()
        .route("/api/cases/{id}/files", post(upload))
        .route("/api/files", post(upload_unattached))
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(limit));
    Router::new()
        .route("/api/files/{id}", get(download))
        .merge(uploads)
}

/// The signed-in caller, checked against the policy table's entry for `endpoint`.
pub(crate) async fn caller_actor(
    state: &AppState,
    headers: &HeaderMap,
    endpoint: &str,
) -> Result<Actor, AppError> {
    match authorize_headers(&state.ports, headers, endpoint).await? {
        Caller::User { actor, .. } => Ok(actor),
        Caller::Anonymous => Err(AppError::Unauthenticated),
    }
}

pub(crate) fn failure(error: AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(error)).into_response()
}

#[derive(Deserialize)]
struct UploadQuery {
    name: Option<String>,
}

fn new_id() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

async fn upload(
    State(state): State<AppState>,
    Path(case): Path<i64>,
    Query(query): Query<UploadQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match store_upload(&state, case, query, &headers, body).await {
        Ok(file) => (StatusCode::CREATED, Json(file)).into_response(),
        Err(error) => failure(error),
    }
}

/// A file for a request not raised yet (an attachment of its form): kept unattached, for the
/// uploader only, until `cases/raise` names it.
async fn upload_unattached(
    State(state): State<AppState>,
    Query(query): Query<UploadQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let stored = async {
        let actor = caller_actor(&state, &headers, "files").await?;
        store_file(&state, None, &actor, query, &headers, body).await
    }
    .await;
    match stored {
        Ok(file) => (StatusCode::CREATED, Json(file)).into_response(),
        Err(error) => failure(error),
    }
}

async fn store_upload(
    state: &AppState,
    case: i64,
    query: UploadQuery,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<FileRef, AppError> {
    let actor = caller_actor(state, headers, "cases/{id}/files").await?;
    // Only someone who may see the case attaches files to it (not found, else forbidden).
    state.ports.cases.get(CaseId(case), &actor).await?;
    store_file(state, Some(case), &actor, query, headers, body).await
}

/// Checks and keeps an uploaded file for `case` (`None`: for a request to come, pending).
async fn store_file(
    state: &AppState,
    case: Option<i64>,
    actor: &Actor,
    query: UploadQuery,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<FileRef, AppError> {
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let name = query.name.unwrap_or_default();
    let content_type =
        check_upload(&name, declared, &body).map_err(|fields| AppError::Invalid { fields })?;
    let id = new_id();
    state.files.save(&id, body.clone()).await.map_err(|error| {
        tracing::error!(%error, "an upload cannot be written to the data folder");
        use std::io::ErrorKind;
        match error.kind() {
            ErrorKind::StorageFull
            | ErrorKind::ReadOnlyFilesystem
            | ErrorKind::QuotaExceeded
            | ErrorKind::FileTooLarge
            | ErrorKind::PermissionDenied => AppError::CannotSave,
            _ => AppError::Unavailable,
        }
    })?;
    let (name, size, sha256) = (
        name.trim().to_string(),
        body.len() as i64,
        hex::encode(Sha256::digest(&body)),
    );
    let inserted = match case {
        Some(case) => stored_file::Entity::insert(stored_file::ActiveModel {
            id: Set(id.clone()),
            case_id: Set(case),
            name: Set(name.clone()),
            content_type: Set(content_type.clone()),
            size: Set(size),
            sha256: Set(sha256),
            uploaded_by_id: Set(actor.user.0),
            uploaded_by_name: Set(actor.name.clone()),
            uploaded_at: Set(Utc::now()),
        })
        .exec(&state.db)
        .await
        .map(|_| ()),
        None => pending_upload::Entity::insert(pending_upload::ActiveModel {
            id: Set(id.clone()),
            name: Set(name.clone()),
            content_type: Set(content_type.clone()),
            size: Set(size),
            sha256: Set(sha256),
            uploaded_by_id: Set(actor.user.0),
            uploaded_by_name: Set(actor.name.clone()),
            uploaded_at: Set(Utc::now()),
        })
        .exec(&state.db)
        .await
        .map(|_| ()),
    };
    if let Err(error) = inserted {
        state.files.remove(&id).await;
        return Err(to_app_error(error));
    }
    Ok(FileRef {
        id,
        name: name.trim().to_string(),
        size: body.len() as u64,
        content_type,
    })
}

/// `filename*=UTF-8''…` (RFC 5987) so that Chinese names survive, with an ASCII fallback.
pub(crate) fn disposition(name: &str) -> HeaderValue {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

async fn download(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let result = async {
        let actor = caller_actor(&state, &headers, "files/{id}").await?;
        if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AppError::NotFound);
        }
        let stored = stored_file::Entity::find()
            .filter(stored_file::Column::Id.eq(id.as_str()))
            .one(&state.db)
            .await
            .map_err(to_app_error)?;
        let (stored_id, name, content_type) = match stored {
            Some(stored) => {
                // Only the case's viewers (not found, else forbidden).
                state
                    .ports
                    .cases
                    .get(CaseId(stored.case_id), &actor)
                    .await?;
                (stored.id, stored.name, stored.content_type)
            }
            None => {
                // Uploaded for a request not raised yet: the uploader's alone.
                let pending = pending_upload::Entity::find_by_id(id.clone())
                    .filter(pending_upload::Column::UploadedById.eq(actor.user.0))
                    .one(&state.db)
                    .await
                    .map_err(to_app_error)?
                    .ok_or(AppError::NotFound)?;
                (pending.id, pending.name, pending.content_type)
            }
        };
        let bytes = state.files.read(&stored_id).await.map_err(|error| {
            tracing::error!(%error, file = %stored_id, "a stored file cannot be read");
            AppError::Internal
        })?;
        Ok((name, content_type, bytes))
    }
    .await;
    match result {
        Ok((name, content_type, bytes)) => {
            let content_type = HeaderValue::from_str(&content_type)
                .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
            (
                [
                    (header::CONTENT_TYPE, content_type),
                    (header::CONTENT_DISPOSITION, disposition(&name)),
                    (
                        header::X_CONTENT_TYPE_OPTIONS,
                        HeaderValue::from_static("nosniff"),
                    ),
                    (header::CACHE_CONTROL, HeaderValue::from_static("private")),
                ],
                bytes,
            )
                .into_response()
        }
        Err(error) => failure(error),
    }
}

#[cfg(test)]
mod tests {
    use super::disposition;

    #[test]
    fn chinese_file_names_are_encoded_for_the_download() {
        assert_eq!(
            disposition("纪要 v2.pdf").to_str().unwrap(),
            "attachment; filename=\"___v2.pdf\"; filename*=UTF-8''%E7%BA%AA%E8%A6%81%20v2.pdf"
        );
    }
}
