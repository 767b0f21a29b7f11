//! What the scheduler and uploads need: `cases.next_escalation_at` (the earliest instant an
//! escalation not yet recorded arises, so a tick finds its cases with one indexed query), the
//! runs of recurring obligations (unique per process and period: a period is raised once,
//! however many schedulers race), and the files uploaded as step outputs.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn recurring_runs() -> TableCreateStatement {
    Table::create()
        .table("recurring_runs")
        .if_not_exists()
        .col(big_pk_auto("id"))
        .col(string("process"))
        .col(string("period_key"))
        .col(timestamp_with_time_zone("period_start"))
        .col(timestamp_with_time_zone("period_end"))
        .col(big_integer_null("case_id"))
        .col(timestamp_with_time_zone("raised_at"))
        .to_owned()
}

fn stored_files() -> TableCreateStatement {
    Table::create()
        .table("stored_files")
        .if_not_exists()
        .col(string("id").primary_key())
        .col(big_integer("case_id"))
        .col(text("name"))
        .col(string("content_type"))
        .col(big_integer("size"))
        .col(string("sha256"))
        .col(big_integer("uploaded_by_id"))
        .col(text("uploaded_by_name"))
        .col(timestamp_with_time_zone("uploaded_at"))
        .foreign_key(
            ForeignKey::create()
                .name("fk_stored_files_case")
                .from("stored_files", "case_id")
                .to("cases", "id"),
        )
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("cases")
                    .add_column(timestamp_with_time_zone_null("next_escalation_at"))
                    .to_owned(),
            )
            .await?;
        manager.create_table(recurring_runs()).await?;
        manager.create_table(stored_files()).await?;
        let indexes = [
            Index::create()
                .name("idx_cases_next_escalation")
                .table("cases")
                .col("status")
                .col("next_escalation_at")
                .to_owned(),
            Index::create()
                .name("ux_recurring_runs_period")
                .table("recurring_runs")
                .col("process")
                .col("period_key")
                .unique()
                .to_owned(),
            Index::create()
                .name("idx_stored_files_case")
                .table("stored_files")
                .col("case_id")
                .to_owned(),
        ];
        for index in indexes {
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["stored_files", "recurring_runs"] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        manager
            .drop_index(Index::drop().name("idx_cases_next_escalation").to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("cases")
                    .drop_column("next_escalation_at")
                    .to_owned(),
            )
            .await
    }
}
