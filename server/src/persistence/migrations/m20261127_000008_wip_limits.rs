//! Work-in-progress limits of the boards' columns: one row per limited column (a step of a
//! process), with who set it and when. A column without a row has no limit.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("wip_limits")
                    .if_not_exists()
                    .col(string("process"))
                    .col(string("step"))
                    .col(string("function"))
                    .col(integer("wip_limit"))
                    .col(big_integer("set_by_id"))
                    .col(text("set_by_name"))
                    .col(timestamp_with_time_zone("set_at"))
                    .primary_key(Index::create().col("process").col("step"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_wip_limits_function")
                    .table("wip_limits")
                    .col("function")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("wip_limits").to_owned())
            .await
    }
}
