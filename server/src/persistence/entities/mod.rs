//! SeaORM entities: the database rows. They never leave the server; repositories map them
//! to domain and wire types.

pub mod audit_entry;
pub mod calendar_feed;
pub mod calendar_override;
pub mod calendar_state;
pub mod case;
pub mod case_approval;
pub mod case_comment;
pub mod case_event;
pub mod case_output;
pub mod catalog_version;
pub mod checklist_tick;
pub mod department;
pub mod escalation;
pub mod ledger_manual_entry;
pub mod ledger_row;
pub mod organisation;
pub mod pending_upload;
pub mod recurring_run;
pub mod session;
pub mod sign_in_failure;
pub mod statistics_state;
pub mod step_completion;
pub mod step_instance;
pub mod stored_file;
pub mod user;
pub mod user_role;
pub mod wip_limit;
