use sea_orm::entity::prelude::*;

/// An administrator's override of one date (`date` is `YYYY-MM-DD`, `kind` is the CSV's
/// `holiday` or `workday`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_override")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub date: String,
    pub kind: String,
    pub name: String,
    pub year_arrangement: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
