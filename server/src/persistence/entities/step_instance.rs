use sea_orm::entity::prelude::*;

/// One activation of a step (`seq` is its 1-based position in the case).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "step_instances")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i32,
    pub step: String,
    pub round: i32,
    pub owner_role: String,
    pub assignee_id: Option<i64>,
    pub activated_at: DateTimeUtc,
    pub due_at: Option<DateTimeUtc>,
    pub opens_at: Option<DateTimeUtc>,
    pub due_provisional: bool,
    pub completed_at: Option<DateTimeUtc>,
    pub completed_by_id: Option<i64>,
    pub completed_by_name: Option<String>,
    pub outcome: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
