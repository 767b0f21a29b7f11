//! The ledgers (台账): the index of every ledger of the standard and each ledger's page.

pub mod ledger_page;
pub mod ledgers_page;
pub mod manual_entries;
pub mod texts;
