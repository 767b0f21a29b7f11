use sea_orm::entity::prelude::*;

/// A case: the columns boards and lists query, and the whole domain `Case` as JSON in
/// `body` (the aggregate is loaded from it). `version` is the optimistic lock.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub process: String,
    pub function: String,
    pub catalog_version: i32,
    pub title: String,
    pub requester_id: i64,
    pub requester_name: String,
    pub department: Option<String>,
    pub status: String,
    pub current_step: Option<String>,
    pub current_owner_role: Option<String>,
    pub current_due_at: Option<DateTimeUtc>,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
    /// The earliest instant an escalation not yet recorded arises (the scheduler's index).
    pub next_escalation_at: Option<DateTimeUtc>,
    /// The `seq` of the case's last audit entry (the next operation's entries follow it).
    pub audit_seq: i32,
    #[sea_orm(column_type = "Text")]
    pub body: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
