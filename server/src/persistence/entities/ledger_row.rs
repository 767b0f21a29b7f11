use sea_orm::entity::prelude::*;

/// A ledger row, one per (ledger, case, step); `cells` is JSON in the ledger's column order.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ledger_rows")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub ledger: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub step: String,
    pub written_by_role: String,
    pub at: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub cells: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
