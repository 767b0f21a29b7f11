use sea_orm::entity::prelude::*;

/// A ledger entry made by hand; `cells` is JSON in the ledger's column order. Voided entries
/// stay, with who voided them, when and why.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ledger_manual_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub ledger: String,
    pub department: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub cells: String,
    #[sea_orm(column_type = "Text")]
    pub note: String,
    pub by_id: i64,
    pub by_name: String,
    pub at: DateTimeUtc,
    pub voided_at: Option<DateTimeUtc>,
    pub voided_by_name: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub void_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
