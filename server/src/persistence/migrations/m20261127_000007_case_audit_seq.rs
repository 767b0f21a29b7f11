//! `cases.audit_seq`: the number of the case's last audit entry, kept on the case row so an
//! operation numbers its entries from the row it already holds instead of asking the audit
//! trail for its maximum (one statement fewer per operation). Existing cases are filled in
//! from their trails.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("cases")
                    .add_column(integer("audit_seq").default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE cases SET audit_seq = (SELECT COALESCE(MAX(seq), 0) \
                 FROM audit_entries WHERE audit_entries.case_id = cases.id)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("cases")
                    .drop_column("audit_seq")
                    .to_owned(),
            )
            .await
    }
}
