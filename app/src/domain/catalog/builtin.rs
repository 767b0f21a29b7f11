//! The built-in catalog: the office standard of `catalog/*.toml`, compiled into the binary.

use super::model::Catalog;
use super::validate::CatalogError;

/// The built-in catalog files as `(file name, TOML text)`, in reading order.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    (
        "00-roles.toml",
        include_str!("../../../catalog/00-roles.toml"),
    ),
    (
        "01-coordination.toml",
        include_str!("../../../catalog/01-coordination.toml"),
    ),
    (
        "02-documents.toml",
        include_str!("../../../catalog/02-documents.toml"),
    ),
    (
        "03-meetings.toml",
        include_str!("../../../catalog/03-meetings.toml"),
    ),
    (
        "04-archives.toml",
        include_str!("../../../catalog/04-archives.toml"),
    ),
    (
        "05-logistics.toml",
        include_str!("../../../catalog/05-logistics.toml"),
    ),
    ("06-hr.toml", include_str!("../../../catalog/06-hr.toml")),
    (
        "07-finance.toml",
        include_str!("../../../catalog/07-finance.toml"),
    ),
    ("08-it.toml", include_str!("../../../catalog/08-it.toml")),
    (
        "09-reception.toml",
        include_str!("../../../catalog/09-reception.toml"),
    ),
    (
        "10-compliance.toml",
        include_str!("../../../catalog/10-compliance.toml"),
    ),
    (
        "11-culture.toml",
        include_str!("../../../catalog/11-culture.toml"),
    ),
    (
        "12-emergency.toml",
        include_str!("../../../catalog/12-emergency.toml"),
    ),
    (
        "13-rules.toml",
        include_str!("../../../catalog/13-rules.toml"),
    ),
];

/// Reads and validates the built-in catalog. The tests guarantee it is valid; the product still
/// checks at start and refuses to run with the errors printed one per line.
pub fn builtin() -> Result<Catalog, Vec<CatalogError>> {
    Catalog::from_files(BUILTIN_FILES)
}
