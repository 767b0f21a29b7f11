use sea_orm::entity::prelude::*;

/// One entry of a case's append-only audit trail; `detail` is JSON.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i32,
    pub kind: String,
    pub actor_id: i64,
    pub actor_name: String,
    pub at: DateTimeUtc,
    pub step: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub detail: String,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
