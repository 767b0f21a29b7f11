//! Ledger entries made by hand (手工登记): each with its ledger, department, cells (JSON in the
//! ledger's column order), the reason it was entered by hand, who made it and when; voided
//! with who, when and why, never deleted.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("ledger_manual_entries")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(string("ledger"))
                    .col(string_null("department"))
                    .col(text("cells"))
                    .col(text("note"))
                    .col(big_integer("by_id"))
                    .col(string("by_name"))
                    .col(timestamp_with_time_zone("at"))
                    .col(timestamp_with_time_zone_null("voided_at"))
                    .col(string_null("voided_by_name"))
                    .col(text_null("void_reason"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_ledger_manual_entries_ledger_at")
                    .table("ledger_manual_entries")
                    .col("ledger")
                    .col("at")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("ledger_manual_entries").to_owned())
            .await
    }
}
