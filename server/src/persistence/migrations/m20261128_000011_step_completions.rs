//! What the dashboard reads: one narrow row per step completed (its local day, function,
//! process and step, the minutes it took and was allowed, on time or late), appended in the
//! transaction that completes the step; and the version of the rules that filled the table,
//! so a server with newer rules refills it once at start (existing completions included).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("step_completions")
                    .if_not_exists()
                    .col(big_integer("case_id"))
                    .col(integer("seq"))
                    .col(string_len("day", 10))
                    .col(string("function"))
                    .col(string("process"))
                    .col(string("step"))
                    .col(integer("elapsed_minutes"))
                    .col(integer_null("allowed_minutes"))
                    .col(boolean_null("on_time"))
                    .primary_key(Index::create().col("case_id").col("seq"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_step_completions_day")
                    .table("step_completions")
                    .col("day")
                    .col("function")
                    .col("on_time")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_cases_created_at")
                    .table("cases")
                    .col("created_at")
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_cases_closed_at")
                    .table("cases")
                    .col("closed_at")
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("statistics_state")
                    .if_not_exists()
                    .col(integer("id").primary_key())
                    .col(integer("version"))
                    .to_owned(),
            )
            .await?;
        let seed = Query::insert()
            .into_table("statistics_state")
            .columns(["id", "version"])
            .values_panic([1.into(), 0.into()])
            .to_owned();
        manager.exec_stmt(seed).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("statistics_state").to_owned())
            .await?;
        for index in ["ix_cases_created_at", "ix_cases_closed_at"] {
            manager
                .drop_index(Index::drop().name(index).table("cases").to_owned())
                .await?;
        }
        manager
            .drop_table(Table::drop().table("step_completions").to_owned())
            .await
    }
}
