//! Boards, the inbox and the case list first ask which cases of a function are open at which
//! versions (`status`, `function` → `id`, `version`). With the index on the status and the
//! function alone, each of a thousand matches was a look-up in the table, whose rows carry
//! the whole case: the version is now in the index beside them, and the list is read from the
//! index alone. It replaces the index on the status and the function, which it serves as well.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const REPLACED: &str = "idx_cases_status_function";
const COVERING: &str = "idx_cases_open_versions";

fn drop(name: &str) -> IndexDropStatement {
    Index::drop()
        .name(name)
        .table("cases")
        .if_exists()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(COVERING)
                    .table("cases")
                    .col("status")
                    .col("function")
                    .col("id")
                    .col("version")
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager.drop_index(drop(REPLACED)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(REPLACED)
                    .table("cases")
                    .col("status")
                    .col("function")
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager.drop_index(drop(COVERING)).await
    }
}
