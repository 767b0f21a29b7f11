//! Cases and everything done on them. `cases.body` holds the whole domain case (the aggregate
//! is loaded from it); the other columns and the child tables are for queries. The child
//! tables are rewritten with each save; `audit_entries`, `ledger_rows` (one per ledger, case
//! and step, upserted) and `escalations` are only appended to.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [&str; 9] = [
    "escalations",
    "ledger_rows",
    "audit_entries",
    "case_comments",
    "case_approvals",
    "case_outputs",
    "checklist_ticks",
    "step_instances",
    "cases",
];

fn pk(columns: &[&'static str]) -> IndexCreateStatement {
    let mut index = Index::create();
    for c in columns {
        index.col(*c);
    }
    index
}

fn case_fk(table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_case"))
        .from(table, "case_id")
        .to("cases", "id")
        .to_owned()
}

fn index(name: &str, table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table).if_not_exists();
    for c in columns {
        index.col(*c);
    }
    index.to_owned()
}

fn cases() -> TableCreateStatement {
    Table::create()
        .table("cases")
        .if_not_exists()
        .col(big_pk_auto("id"))
        .col(string("process"))
        .col(string("function"))
        .col(integer("catalog_version"))
        .col(text("title"))
        .col(big_integer("requester_id"))
        .col(text("requester_name"))
        .col(text_null("department"))
        .col(string("status"))
        .col(string_null("current_step"))
        .col(string_null("current_owner_role"))
        .col(timestamp_with_time_zone_null("current_due_at"))
        .col(big_integer("version"))
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("updated_at"))
        .col(timestamp_with_time_zone_null("closed_at"))
        .col(text("body"))
        .to_owned()
}

fn step_instances() -> TableCreateStatement {
    Table::create()
        .table("step_instances")
        .if_not_exists()
        .col(big_integer("case_id"))
        .col(integer("seq"))
        .col(string("step"))
        .col(integer("round"))
        .col(string("owner_role"))
        .col(big_integer_null("assignee_id"))
        .col(timestamp_with_time_zone("activated_at"))
        .col(timestamp_with_time_zone_null("due_at"))
        .col(timestamp_with_time_zone_null("opens_at"))
        .col(boolean("due_provisional"))
        .col(timestamp_with_time_zone_null("completed_at"))
        .col(big_integer_null("completed_by_id"))
        .col(text_null("completed_by_name"))
        .col(string_null("outcome"))
        .primary_key(&mut pk(&["case_id", "seq"]))
        .foreign_key(&mut case_fk("step_instances"))
        .to_owned()
}

fn checklist_ticks() -> TableCreateStatement {
    Table::create()
        .table("checklist_ticks")
        .if_not_exists()
        .col(big_integer("case_id"))
        .col(integer("step_seq"))
        .col(integer("item"))
        .col(boolean("ticked"))
        .primary_key(&mut pk(&["case_id", "step_seq", "item"]))
        .foreign_key(&mut case_fk("checklist_ticks"))
        .to_owned()
}

fn case_outputs() -> TableCreateStatement {
    Table::create()
        .table("case_outputs")
        .if_not_exists()
        .col(big_integer("case_id"))
        .col(integer("step_seq"))
        .col(string("output"))
        .col(string("kind"))
        .col(text("value"))
        .col(big_integer("by_id"))
        .col(text("by_name"))
        .col(timestamp_with_time_zone("at"))
        .primary_key(&mut pk(&["case_id", "step_seq", "output"]))
        .foreign_key(&mut case_fk("case_outputs"))
        .to_owned()
}

fn case_approvals() -> TableCreateStatement {
    Table::create()
        .table("case_approvals")
        .if_not_exists()
        .col(big_integer("case_id"))
        .col(integer("step_seq"))
        .col(integer("seq"))
        .col(string("role"))
        .col(string("verdict"))
        .col(big_integer("by_id"))
        .col(text("by_name"))
        .col(timestamp_with_time_zone("at"))
        .col(text_null("comment"))
        .primary_key(&mut pk(&["case_id", "step_seq", "seq"]))
        .foreign_key(&mut case_fk("case_approvals"))
        .to_owned()
}

fn case_comments() -> TableCreateStatement {
    Table::create()
        .table("case_comments")
        .if_not_exists()
        .col(big_integer("case_id"))
        .col(integer("seq"))
        .col(string_null("step"))
        .col(big_integer("by_id"))
        .col(text("by_name"))
        .col(timestamp_with_time_zone("at"))
        .col(text("text"))
        .primary_key(&mut pk(&["case_id", "seq"]))
        .foreign_key(&mut case_fk("case_comments"))
        .to_owned()
}

fn audit_entries() -> TableCreateStatement {
    Table::create()
        .table("audit_entries")
        .if_not_exists()
        .col(big_integer("case_id"))
        .col(integer("seq"))
        .col(string("kind"))
        .col(big_integer("actor_id"))
        .col(text("actor_name"))
        .col(timestamp_with_time_zone("at"))
        .col(string_null("step"))
        .col(text("detail"))
        .col(big_integer("version"))
        .primary_key(&mut pk(&["case_id", "seq"]))
        .foreign_key(&mut case_fk("audit_entries"))
        .to_owned()
}

fn ledger_rows() -> TableCreateStatement {
    Table::create()
        .table("ledger_rows")
        .if_not_exists()
        .col(string("ledger"))
        .col(big_integer("case_id"))
        .col(string("step"))
        .col(string("written_by_role"))
        .col(timestamp_with_time_zone("at"))
        .col(text("cells"))
        .primary_key(&mut pk(&["ledger", "case_id", "step"]))
        .foreign_key(&mut case_fk("ledger_rows"))
        .to_owned()
}

fn escalations() -> TableCreateStatement {
    Table::create()
        .table("escalations")
        .if_not_exists()
        .col(big_integer("case_id"))
        .col(string("key"))
        .col(string("step"))
        .col(string("on"))
        .col(string("to_role"))
        .col(integer("level"))
        .col(timestamp_with_time_zone("triggered_at"))
        .col(timestamp_with_time_zone("due_at"))
        .col(timestamp_with_time_zone("recorded_at"))
        .primary_key(&mut pk(&["case_id", "key"]))
        .foreign_key(&mut case_fk("escalations"))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            cases(),
            step_instances(),
            checklist_ticks(),
            case_outputs(),
            case_approvals(),
            case_comments(),
            audit_entries(),
            ledger_rows(),
            escalations(),
        ] {
            manager.create_table(table).await?;
        }
        let indexes = [
            index(
                "idx_cases_status_function",
                "cases",
                &["status", "function"],
            ),
            index("idx_cases_process", "cases", &["process"]),
            index("idx_step_instances_due_at", "step_instances", &["due_at"]),
            index(
                "idx_step_instances_owner_open",
                "step_instances",
                &["owner_role", "completed_at"],
            ),
            index("idx_escalations_to_role", "escalations", &["to_role"]),
        ];
        for index in indexes {
            manager.create_index(index).await?;
        }
        Ok(())
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
