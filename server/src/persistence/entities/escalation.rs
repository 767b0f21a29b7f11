use sea_orm::entity::prelude::*;

/// An escalation recorded on a case, once per key (`{step}:{on}:{level}`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "escalations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub step: String,
    pub on: String,
    pub to_role: String,
    pub level: i32,
    pub triggered_at: DateTimeUtc,
    pub due_at: DateTimeUtc,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
