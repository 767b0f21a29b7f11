use sea_orm::entity::prelude::*;

/// A named output recorded on a step instance; `value` is the domain's `OutputValue` as JSON.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_outputs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub step_seq: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub output: String,
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub value: String,
    pub by_id: i64,
    pub by_name: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
