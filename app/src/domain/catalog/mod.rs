//! The office standard as a catalog: data files (`catalog/NN-<function>.toml`, compiled in) and
//! the typed, validated model they are read into.
//!
//! - [`model`]: the types (functions, roles, ledgers, outputs, processes, steps …);
//! - [`files`]: the shapes of the TOML files;
//! - [`validate`]: [`Catalog::from_files`] and [`CatalogError`];
//! - [`builtin`]: the built-in files and [`builtin()`];
//! - [`export`]: [`Catalog::to_files`], the catalog written back into its files;
//! - [`amend`]: changes made in the app's catalog editor;
//! - [`wording`]: rules, schedules and repeats in words, in both languages.

pub mod amend;
pub mod builtin;
pub mod edit;
pub mod export;
pub mod files;
pub mod handbook;
pub mod model;
pub mod validate;
pub mod wording;

#[cfg(test)]
mod tests_standard;
#[cfg(test)]
mod tests_validation;
#[cfg(test)]
mod tests_wording;

pub use builtin::{builtin, BUILTIN_FILES};
pub use model::*;
pub use validate::CatalogError;

/// One stored version of the catalog. New cases start under the newest; a running case keeps
/// the version it started with.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CatalogVersion {
    /// 1 for the built-in standard stored at first start, then 2, 3 … for each edit.
    pub version: u32,
    /// When it was saved (RFC 3339).
    pub created_at: String,
    /// What changed, in the editor's words.
    pub note: String,
    pub catalog: Catalog,
}

/// One stored version as the version history lists it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct VersionSummary {
    pub version: u32,
    pub created_at: String,
    pub note: String,
}

impl CatalogVersion {
    /// The functions as the navigation lists them.
    pub fn function_summaries(&self) -> Vec<crate::domain::function::FunctionSummary> {
        self.catalog
            .functions
            .iter()
            .enumerate()
            .map(|(i, f)| crate::domain::function::FunctionSummary {
                code: f.code.as_str().to_string(),
                number: i + 1,
                name: f.name.clone(),
                positioning: f.positioning.clone(),
                accent: f.accent.clone(),
            })
            .collect()
    }
}
