//! The dashboard's weekly trend counts the cases raised and closed per day: indexes that hold
//! the function (and the status) beside the time, so those counts read the index alone
//! rather than every case's whole row (its form values included). They replace the indexes
//! on the time alone, which they serve as well. And a partial index of the steps under way
//! (no outcome yet), which the dashboard and the reports join with the open cases: a few
//! thousand entries instead of every step ever activated.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const REPLACED: [(&str, &str); 2] = [
    ("ix_cases_created_at", "created_at"),
    ("ix_cases_closed_at", "closed_at"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("ix_cases_created_function")
                    .table("cases")
                    .col("created_at")
                    .col("function")
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_cases_closed_function")
                    .table("cases")
                    .col("closed_at")
                    .col("function")
                    .col("status")
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        for (name, _) in REPLACED {
            manager
                .drop_index(
                    Index::drop()
                        .name(name)
                        .table("cases")
                        .if_exists()
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_step_instances_under_way")
                    .table("step_instances")
                    .if_exists()
                    .to_owned(),
            )
            .await?;
        for (name, column) in REPLACED {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table("cases")
                        .col(column)
                        .if_not_exists()
                        .to_owned(),
                )
                .await?;
        }
        for name in ["ix_cases_created_function", "ix_cases_closed_function"] {
            manager
                .drop_index(
                    Index::drop()
                        .name(name)
                        .table("cases")
                        .if_exists()
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
