//! The catalog editor (`/settings/catalog`): the standard changed in the app and saved as a new
//! version.

pub mod catalog_editor_page;
pub mod texts;
