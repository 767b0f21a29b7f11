//! Files uploaded for a request not raised yet (an attachment of its form): kept apart from
//! the cases' files, the uploader's alone, until the raise moves them to the new case in its
//! transaction.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("pending_uploads")
                    .if_not_exists()
                    .col(string("id").primary_key())
                    .col(text("name"))
                    .col(string("content_type"))
                    .col(big_integer("size"))
                    .col(string("sha256"))
                    .col(big_integer("uploaded_by_id"))
                    .col(text("uploaded_by_name"))
                    .col(timestamp_with_time_zone("uploaded_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_pending_uploads_uploader")
                    .table("pending_uploads")
                    .col("uploaded_by_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("pending_uploads").to_owned())
            .await
    }
}
