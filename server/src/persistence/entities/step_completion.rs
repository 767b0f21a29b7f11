use sea_orm::entity::prelude::*;

/// A step completed, as the dashboard counts it (`day` is the local `YYYY-MM-DD`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "step_completions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i32,
    pub day: String,
    pub function: String,
    pub process: String,
    pub step: String,
    pub elapsed_minutes: i32,
    pub allowed_minutes: Option<i32>,
    pub on_time: Option<bool>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
