use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("calendar_override")
                    .if_not_exists()
                    .col(string_len("date", 10).primary_key())
                    .col(string_len("kind", 16))
                    .col(string_len("name", 100))
                    .col(boolean("year_arrangement"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        // One row: the organisation's calendar settings (JSON; null means the defaults) and a
        // revision that every change of settings or overrides increments, so each instance
        // knows when to rebuild its cached calendar.
        manager
            .create_table(
                Table::create()
                    .table("calendar_state")
                    .if_not_exists()
                    .col(integer("id").primary_key())
                    .col(text_null("settings"))
                    .col(big_integer("revision"))
                    .col(timestamp_with_time_zone_null("updated_at"))
                    .to_owned(),
            )
            .await?;
        let insert = Query::insert()
            .into_table("calendar_state")
            .columns(["id", "revision"])
            .values_panic([1.into(), 0i64.into()])
            .to_owned();
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("calendar_override").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("calendar_state").to_owned())
            .await
    }
}
