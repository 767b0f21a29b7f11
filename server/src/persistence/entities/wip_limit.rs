use sea_orm::entity::prelude::*;

/// The work-in-progress limit of one board column (a step of a process), and who set it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wip_limits")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub process: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub step: String,
    pub function: String,
    pub wip_limit: i32,
    pub set_by_id: i64,
    pub set_by_name: String,
    pub set_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
