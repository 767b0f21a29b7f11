//! The ledger row a completed step writes (《公文流转台账》, 《物资台账》 …).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::case::Case;
use super::context::Context;
use super::form::instant_text;
use super::ids::{CaseId, UserRef};
use crate::domain::catalog::{ColumnCode, LedgerCode, RoleCode, Step, StepCode, ValueSource};

/// One cell: a column and its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerCell {
    pub column: ColumnCode,
    pub value: String,
}

/// A row of a ledger. Storage keeps one row per (ledger, case, step): a step completed again
/// after a return updates its row rather than adding another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerRow {
    pub ledger: LedgerCode,
    pub case: CaseId,
    pub step: StepCode,
    /// The role that writes it (the step's owner unless the catalog names another).
    pub written_by: RoleCode,
    pub at: DateTime<Utc>,
    /// In the ledger's column order, as the catalog lists them.
    pub cells: Vec<LedgerCell>,
}

/// The row `step` writes on completion by `by` at `at`, if it names a ledger. Field values are
/// shown as text (empty when not recorded), instants as RFC 3339 in the organisation's zone.
pub fn ledger_row(
    ctx: &Context,
    case: &Case,
    step: &Step,
    by: &UserRef,
    at: DateTime<Utc>,
) -> Option<LedgerRow> {
    let write = step.ledger.as_ref()?;
    let zone = ctx.calendar.settings().time_zone;
    let cells = write
        .columns
        .iter()
        .map(|c| LedgerCell {
            column: c.column.clone(),
            value: match &c.value {
                ValueSource::Field(f) => case
                    .values
                    .get(f)
                    .map(|v| v.display(zone))
                    .unwrap_or_default(),
                ValueSource::CompletedAt => instant_text(at, zone),
                ValueSource::CompletedBy => by.name.clone(),
                ValueSource::Fixed(text) => text.clone(),
            },
        })
        .collect();
    Some(LedgerRow {
        ledger: write.ledger.clone(),
        case: case.id,
        step: step.code.clone(),
        written_by: write.by.clone().unwrap_or_else(|| step.owner.clone()),
        at,
        cells,
    })
}
