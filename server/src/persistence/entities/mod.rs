//! SeaORM entities: the database rows. They never leave the server; repositories map them
//! to domain and wire types.

pub mod calendar_override;
pub mod calendar_state;
pub mod catalog_version;
pub mod organisation;
