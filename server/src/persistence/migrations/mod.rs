//! Dated migrations, applied at start (or by `officeflow migrate`). Never edit one that has
//! shipped: add a new one.

use sea_orm_migration::prelude::*;

mod m20261126_000001_create_organisation;
mod m20261126_000002_create_catalog_version;
mod m20261126_000003_create_calendar;
mod m20261127_000004_create_cases;
mod m20261127_000005_scheduler_and_files;
mod m20261127_000006_create_people;
mod m20261127_000007_case_audit_seq;
mod m20261127_000008_wip_limits;
mod m20261127_000009_pending_uploads;
mod m20261127_000010_calendar;
mod m20261128_000011_step_completions;
mod m20261128_000012_ledger_manual_entries;
mod m20261128_000013_case_flow_indexes;
pub(crate) mod m20261128_000014_write_checks;
mod m20261129_000015_open_case_versions;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_create_organisation::Migration),
            Box::new(m20261126_000002_create_catalog_version::Migration),
            Box::new(m20261126_000003_create_calendar::Migration),
            Box::new(m20261127_000004_create_cases::Migration),
            Box::new(m20261127_000005_scheduler_and_files::Migration),
            Box::new(m20261127_000006_create_people::Migration),
            Box::new(m20261127_000007_case_audit_seq::Migration),
            Box::new(m20261127_000008_wip_limits::Migration),
            Box::new(m20261127_000009_pending_uploads::Migration),
            Box::new(m20261127_000010_calendar::Migration),
            Box::new(m20261128_000011_step_completions::Migration),
            Box::new(m20261128_000012_ledger_manual_entries::Migration),
            Box::new(m20261128_000013_case_flow_indexes::Migration),
            Box::new(m20261128_000014_write_checks::Migration),
            Box::new(m20261129_000015_open_case_versions::Migration),
        ]
    }
}
