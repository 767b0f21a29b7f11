use leptos::prelude::*;

use crate::domain::workflow::ledger_manual::{ManualEntryInput, ManualRecord};
use crate::error::AppError;

/// Enters a row in a ledger by hand (`POST /api/ledgers/entries/add`, body `{"entry":
/// {"ledger": "assets", "cells": {"asset": "投影仪"}, "department": "研发中心" | null, "note":
/// "系统外购置"}}`): for the office roles serving the ledger's function and the director. Each
/// problem is reported at its field (`cells.<column>`, `department`, `note`).
#[server(prefix = "/api", endpoint = "ledgers/entries/add", input = server_fn::codec::Json)]
pub async fn add_ledger_entry(entry: ManualEntryInput) -> Result<ManualRecord, AppError> {
    use super::ssr::{ports, respond, signed_in};
    respond(
        async {
            let ports = ports()?;
            let actor = signed_in(&ports, "ledgers/entries/add").await?;
            ports
                .cases
                .add_manual_entry(entry, &actor, chrono::Utc::now())
                .await
        }
        .await,
    )
}

/// Voids a row entered by hand, with the reason (`POST /api/ledgers/entries/void`, body
/// `{"ledger": "assets", "id": 3, "reason": "重复登记"}`); the entry stays on record.
#[server(prefix = "/api", endpoint = "ledgers/entries/void", input = server_fn::codec::Json)]
pub async fn void_ledger_entry(
    ledger: String,
    id: i64,
    reason: String,
) -> Result<ManualRecord, AppError> {
    use super::ssr::{ports, respond, signed_in};
    respond(
        async {
            let ports = ports()?;
            let actor = signed_in(&ports, "ledgers/entries/void").await?;
            ports
                .cases
                .void_manual_entry(&ledger, id, &reason, &actor, chrono::Utc::now())
                .await
        }
        .await,
    )
}

/// Every row of a ledger entered by hand, voided ones included, the latest first
/// (`POST /api/ledgers/entries/list`, body `{"ledger": "assets"}`).
#[server(prefix = "/api", endpoint = "ledgers/entries/list", input = server_fn::codec::Json)]
pub async fn list_ledger_entries(ledger: String) -> Result<Vec<ManualRecord>, AppError> {
    use super::ssr::{ports, respond, signed_in};
    respond(
        async {
            let ports = ports()?;
            let actor = signed_in(&ports, "ledgers/entries/list").await?;
            ports.cases.manual_entries(&ledger, &actor).await
        }
        .await,
    )
}
