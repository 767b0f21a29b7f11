//! People: departments, users (argon2id password hashes), the catalog roles they hold,
//! server-side sessions (only a hash of each token is stored), and failed sign-in counters
//! per account and per address for slowing down guessing.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [&str; 5] = [
    "sign_in_failures",
    "sessions",
    "user_roles",
    "users",
    "departments",
];

fn departments() -> TableCreateStatement {
    Table::create()
        .table("departments")
        .if_not_exists()
        .col(big_pk_auto("id"))
        .col(string_uniq("name"))
        .col(timestamp_with_time_zone("created_at"))
        .to_owned()
}

fn users() -> TableCreateStatement {
    Table::create()
        .table("users")
        .if_not_exists()
        .col(big_pk_auto("id"))
        .col(string_uniq("login"))
        .col(text("name"))
        .col(big_integer_null("department_id"))
        .col(text("password_hash"))
        .col(boolean("active"))
        .col(boolean("administrator"))
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("updated_at"))
        .foreign_key(
            ForeignKey::create()
                .name("fk_users_department")
                .from("users", "department_id")
                .to("departments", "id"),
        )
        .to_owned()
}

fn user_roles() -> TableCreateStatement {
    Table::create()
        .table("user_roles")
        .if_not_exists()
        .col(big_integer("user_id"))
        .col(string("role"))
        .primary_key(Index::create().col("user_id").col("role"))
        .foreign_key(
            ForeignKey::create()
                .name("fk_user_roles_user")
                .from("user_roles", "user_id")
                .to("users", "id"),
        )
        .to_owned()
}

fn sessions() -> TableCreateStatement {
    Table::create()
        .table("sessions")
        .if_not_exists()
        .col(string("token_hash").primary_key())
        .col(big_integer("user_id"))
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("last_seen_at"))
        .col(text_null("address"))
        .col(text_null("user_agent"))
        .foreign_key(
            ForeignKey::create()
                .name("fk_sessions_user")
                .from("sessions", "user_id")
                .to("users", "id"),
        )
        .to_owned()
}

fn sign_in_failures() -> TableCreateStatement {
    Table::create()
        .table("sign_in_failures")
        .if_not_exists()
        .col(string("key").primary_key())
        .col(integer("failures"))
        .col(timestamp_with_time_zone("last_failure_at"))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            departments(),
            users(),
            user_roles(),
            sessions(),
            sign_in_failures(),
        ] {
            manager.create_table(table).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_sessions_user")
                    .table("sessions")
                    .col("user_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
