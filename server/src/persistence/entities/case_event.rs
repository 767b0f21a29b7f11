use sea_orm::entity::prelude::*;

/// A date a case carries that a step counts from (the meeting's start, the visit, the start
/// date): the calendar's events. Kept in step with the case's form values.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub field: String,
    pub at: DateTimeUtc,
    /// A date without a time: the whole local day from `at`.
    pub all_day: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
