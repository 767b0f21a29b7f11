//! The one error type that crosses the wire: what a user or a script can act on.
//!
//! The server logs the cause and sends one of these variants; a database message never
//! reaches the browser.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::domain::lang::{Lang, Text};

/// One field's problem, with a stable code for scripts and a message in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: Text,
}

impl FieldError {
    pub fn new(field: &str, code: &str, zh: &str, en: &str) -> Self {
        FieldError {
            field: field.into(),
            code: code.into(),
            message: Text::new(zh, en),
        }
    }
}

/// Errors returned by every server function (`/api/...`), JSON-encoded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum AppError {
    /// The input was not acceptable; one entry per field.
    #[error("invalid input")]
    Invalid { fields: Vec<FieldError> },
    /// The thing asked for does not exist.
    #[error("not found")]
    NotFound,
    /// Signing in is needed.
    #[error("not signed in")]
    Unauthenticated,
    /// The user's roles do not allow this.
    #[error("not allowed")]
    Forbidden,
    /// Someone else changed the thing first; reload and try again.
    #[error("conflict: {message}")]
    Conflict {
        message: String,
        /// For a case: the version it is at now, so the caller can reload and retry.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        current_version: Option<i64>,
    },
    /// Too many failed attempts (signing in): try again after the wait.
    #[error("too many attempts; retry in {retry_after_seconds} s")]
    Throttled { retry_after_seconds: i64 },
    /// The database or another dependency is unavailable right now.
    #[error("service unavailable")]
    Unavailable,
    /// The server's storage refuses writes (disk full, read-only): nothing was changed.
    /// Reading still works; an administrator must free space.
    #[error("storage full or read-only")]
    CannotSave,
    /// Anything else; the details are in the server's log.
    #[error("internal error")]
    Internal,
    /// The request itself could not be carried out (bad encoding, network failure, …).
    #[error("request failed: {message}")]
    Request { message: String },
}

impl AppError {
    pub fn invalid(field: FieldError) -> Self {
        AppError::Invalid {
            fields: vec![field],
        }
    }

    /// The HTTP status the API answers with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid { .. } | AppError::Request { .. } => 400,
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Conflict { .. } => 409,
            AppError::Throttled { .. } => 429,
            AppError::Unavailable => 503,
            AppError::CannotSave => 507,
            AppError::Internal => 500,
        }
    }

    /// A sentence for the user, in their language.
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let pick = |z: &str, e: &str| if zh { z.to_string() } else { e.to_string() };
        match self {
            AppError::Invalid { fields } => fields
                .iter()
                .map(|f| f.message.get(lang).to_string())
                .collect::<Vec<_>>()
                .join(" "),
            AppError::NotFound => pick("找不到该内容。", "Not found."),
            AppError::Unauthenticated => pick("请先登录。", "Please sign in first."),
            AppError::Forbidden => pick("没有权限执行此操作。", "Not allowed."),
            AppError::Conflict { .. } => pick(
                "内容已被他人修改,请刷新后重试。",
                "Someone else changed this first; reload and try again.",
            ),
            AppError::Throttled {
                retry_after_seconds,
            } => {
                let s = retry_after_seconds.max(&1);
                if zh {
                    format!("尝试次数过多,请 {s} 秒后再试。")
                } else {
                    format!("Too many attempts; try again in {s} s.")
                }
            }
            AppError::Unavailable => pick(
                "服务暂时不可用,请稍后重试。",
                "The service is unavailable right now; try again shortly.",
            ),
            AppError::CannotSave => pick(
                "服务器的存储空间已满或为只读,本次操作没有保存。查看不受影响;请联系管理员。",
                "The server cannot save right now: its storage is full or read-only. \
                 Nothing was changed; viewing still works. Tell your administrator.",
            ),
            AppError::Internal => pick(
                "服务器出错了,请稍后重试。",
                "Something went wrong on the server.",
            ),
            AppError::Request { .. } => pick(
                "请求未能完成,请检查网络后重试。",
                "The request could not be completed; check the connection and retry.",
            ),
        }
    }

    /// The problem reported for one field, if any.
    pub fn field(&self, field: &str) -> Option<&FieldError> {
        match self {
            AppError::Invalid { fields } => fields.iter().find(|f| f.field == field),
            _ => None,
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message.en)
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        AppError::Request {
            message: value.to_string(),
        }
    }
}
