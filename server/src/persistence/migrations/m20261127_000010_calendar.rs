//! The calendar of deadlines: the dates cases carry (`case_events`, kept beside the step
//! instances so a month is one range query), and each person's secret iCalendar feed
//! address (`calendar_feeds`, the token kept as a hash).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("case_events")
                    .if_not_exists()
                    .col(big_integer("case_id"))
                    .col(string("field"))
                    .col(timestamp_with_time_zone("at"))
                    .col(boolean("all_day"))
                    .primary_key(Index::create().col("case_id").col("field"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_case_events_case")
                            .from("case_events", "case_id")
                            .to("cases", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_case_events_at")
                    .table("case_events")
                    .col("at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("calendar_feeds")
                    .if_not_exists()
                    .col(big_integer("user_id").primary_key())
                    .col(string_uniq("token_hash"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("last_used_at"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("calendar_feeds").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("case_events").to_owned())
            .await
    }
}
