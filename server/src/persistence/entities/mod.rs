//! SeaORM entities: the database rows. They never leave the server; repositories map them
//! to domain and wire types.

pub mod audit_entry;
pub mod calendar_override;
pub mod calendar_state;
pub mod case;
pub mod case_approval;
pub mod case_comment;
pub mod case_output;
pub mod catalog_version;
pub mod checklist_tick;
pub mod escalation;
pub mod ledger_row;
pub mod organisation;
pub mod step_instance;
