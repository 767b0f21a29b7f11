use sea_orm::entity::prelude::*;

/// A checklist item of a step instance and whether it is ticked.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "checklist_ticks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub step_seq: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub item: i32,
    pub ticked: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
