use sea_orm::entity::prelude::*;

/// One period of a recurring obligation raised: unique per (process, period_key).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recurring_runs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub process: String,
    pub period_key: String,
    pub period_start: DateTimeUtc,
    pub period_end: DateTimeUtc,
    pub case_id: Option<i64>,
    /// When the scheduler actually raised it (later than `period_start` after downtime).
    pub raised_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
