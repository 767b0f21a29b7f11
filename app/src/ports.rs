//! What the server functions need from the server (ports), implemented by the `server` crate.
//!
//! Each port is a use-case-level trait: one call is one transaction on the server side, and
//! the pure domain decides. Server functions find the ports in the Leptos context.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::function::FunctionSummary;
use crate::domain::organisation::{Organisation, OrganisationName};
use crate::error::AppError;

/// The organisation's settings.
#[async_trait]
pub trait OrganisationStore: Send + Sync {
    async fn organisation(&self) -> Result<Organisation, AppError>;
    async fn rename_organisation(
        &self,
        name: OrganisationName,
        now: DateTime<Utc>,
    ) -> Result<Organisation, AppError>;
}

/// The office standard in force.
#[async_trait]
pub trait CatalogStore: Send + Sync {
    async fn functions(&self) -> Result<Vec<FunctionSummary>, AppError>;
}

/// Every port, as one value the server puts into the Leptos context.
#[derive(Clone)]
pub struct Ports {
    pub catalog: Arc<dyn CatalogStore>,
    pub organisation: Arc<dyn OrganisationStore>,
}
