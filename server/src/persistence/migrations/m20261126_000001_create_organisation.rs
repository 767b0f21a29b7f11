use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The name a new installation starts with, until the administrator renames it.
const DEFAULT_NAME: &str = "示范单位办公室";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("organisation")
                    .if_not_exists()
                    .col(integer("id").primary_key())
                    .col(string_len("name", 200))
                    .col(timestamp_with_time_zone_null("updated_at"))
                    .to_owned(),
            )
            .await?;
        let insert = Query::insert()
            .into_table("organisation")
            .columns(["id", "name"])
            .values_panic([1.into(), DEFAULT_NAME.into()])
            .to_owned();
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("organisation").to_owned())
            .await
    }
}
