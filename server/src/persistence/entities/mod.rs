//! SeaORM entities: the database rows. They never leave the server; repositories map them
//! to domain and wire types.

pub mod organisation;
