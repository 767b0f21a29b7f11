//! The office standard as a catalog: data files (`catalog/NN-<function>.toml`, compiled in) and
//! the typed, validated model they are read into.
//!
//! - [`model`]: the types (functions, roles, ledgers, outputs, processes, steps …);
//! - [`files`]: the shapes of the TOML files;
//! - [`validate`]: [`Catalog::from_files`] and [`CatalogError`];
//! - [`builtin`]: the built-in files and [`builtin()`];
//! - [`wording`]: rules, schedules and repeats in words, in both languages.

pub mod builtin;
pub mod files;
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
