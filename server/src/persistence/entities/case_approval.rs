use sea_orm::entity::prelude::*;

/// A sign-off given or refused on a step instance (`seq` in the order given).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_approvals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub step_seq: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i32,
    pub role: String,
    pub verdict: String,
    pub by_id: i64,
    pub by_name: String,
    pub at: DateTimeUtc,
    #[sea_orm(column_type = "Text", nullable)]
    pub comment: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
