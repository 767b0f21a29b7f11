//! Ledger entries made by hand on both databases: entered with each problem reported at its
//! field, shown among the workflow's rows and in the downloads, voided with a reason and kept
//! on record; refused to someone who does not serve the ledger's function.

use serde_json::json;

use crate::helpers::{with_app, Session, TestApp, DEMO_PASSWORD};
use crate::on_both_databases;

/// Enters by hand, as `who`, an asset bought before the system; answers the status and reply.
async fn enter_asset(app: &TestApp, who: &Session, asset: &str) -> (u16, serde_json::Value) {
    app.call_as(
        who,
        "/api/ledgers/entries/add",
        json!({ "entry": {
            "ledger": "assets",
            "cells": { "asset": asset, "status": "在用", "custodian": "李强" },
            "department": "财务部", "note": "系统上线前购置"
        } }),
    )
    .await
}

on_both_databases!(
    a_row_entered_by_hand_shows_in_the_ledger_until_voided_and_stays_on_record,
    with_app,
    |app: TestApp| async move {
        let director = app.sign_in("director", DEMO_PASSWORD).await;

        // Refused at each field: an unknown column, an unknown department, no reason.
        let (status, refused) = app
            .call_as(
                &director,
                "/api/ledgers/entries/add",
                json!({ "entry": {
                    "ledger": "assets", "cells": { "colour": "红" },
                    "department": "没有的部门", "note": " "
                } }),
            )
            .await;
        assert_eq!(status, 400, "{refused}");
        let fields: Vec<&str> = refused["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(
            fields,
            ["cells.colour", "cells.asset", "department", "note"],
            "{refused}"
        );

        // Entered: an asset bought outside the system.
        let (status, entered) = enter_asset(&app, &director, "投影仪 EB-X51").await;
        assert_eq!(status, 200, "{entered}");
        let id = entered["id"].as_i64().unwrap();
        let by = entered["by"].as_str().unwrap().to_string();
        assert!(!by.is_empty(), "{entered}");
        assert!(entered["voided"].is_null());

        // It shows among the ledger's rows, marked as made by hand, and is found by its words.
        let (status, table) = app
            .call_as(
                &director,
                "/api/ledgers/table",
                json!({ "query": { "ledger": "assets", "text": "投影仪" } }),
            )
            .await;
        assert_eq!(status, 200, "{table}");
        assert_eq!(table["matching"], 1, "{table}");
        let row = &table["rows"][0];
        assert_eq!(row["manual"]["id"], id);
        assert_eq!(row["title"], "系统上线前购置");
        assert_eq!(row["department"], "财务部");
        assert_eq!(row["cells"][0], "投影仪 EB-X51");
        assert_eq!(row["cells"][3], "李强");

        // The download says so too.
        let (status, _, bytes) = app.operator_get("/api/ledgers/assets/export.csv").await;
        assert_eq!(status, 200);
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert!(
            text.contains(&format!(
                "手工登记 M{id},系统上线前购置,财务部,投影仪 EB-X51,"
            )),
            "{text}"
        );

        // Not the logistics clerk's to enter, read or void.
        let clerk = app.sign_in("logistics_clerk", DEMO_PASSWORD).await;
        for (endpoint, body) in [
            (
                "/api/ledgers/entries/add",
                json!({ "entry": { "ledger": "assets", "cells": { "asset": "椅子" }, "note": "补登" } }),
            ),
            ("/api/ledgers/entries/list", json!({ "ledger": "assets" })),
            (
                "/api/ledgers/entries/void",
                json!({ "ledger": "assets", "id": id, "reason": "错了" }),
            ),
        ] {
            let (status, answer) = app.call_as(&clerk, endpoint, body).await;
            assert_eq!(status, 403, "{endpoint}: {answer}");
        }

        // Voided: a reason is needed; then it leaves the table, stays on record, and cannot be
        // voided twice.
        let (status, refused) = app
            .call_as(
                &director,
                "/api/ledgers/entries/void",
                json!({ "ledger": "assets", "id": id, "reason": "" }),
            )
            .await;
        assert_eq!(status, 400, "{refused}");
        assert_eq!(refused["fields"][0]["field"], "reason");
        let (status, voided) = app
            .call_as(
                &director,
                "/api/ledgers/entries/void",
                json!({ "ledger": "assets", "id": id, "reason": "重复登记" }),
            )
            .await;
        assert_eq!(status, 200, "{voided}");
        assert_eq!(voided["voided"]["reason"], "重复登记");
        let (_, table) = app
            .call_as(
                &director,
                "/api/ledgers/table",
                json!({ "query": { "ledger": "assets" } }),
            )
            .await;
        assert_eq!(table["matching"], 0, "{table}");
        let (_, record) = app
            .call_as(
                &director,
                "/api/ledgers/entries/list",
                json!({ "ledger": "assets" }),
            )
            .await;
        assert_eq!(record.as_array().unwrap().len(), 1, "{record}");
        assert_eq!(record[0]["voided"]["by"], by.as_str());
        let (status, again) = app
            .call_as(
                &director,
                "/api/ledgers/entries/void",
                json!({ "ledger": "assets", "id": id, "reason": "再次" }),
            )
            .await;
        assert_eq!(status, 400, "{again}");
        assert_eq!(again["fields"][0]["code"], "voided");
        // Another ledger's number is not found in this one.
        let (status, _) = app
            .call_as(
                &director,
                "/api/ledgers/entries/void",
                json!({ "ledger": "reimbursements", "id": id, "reason": "错账" }),
            )
            .await;
        assert_eq!(status, 404);

        // Eight voids of one entry at once: one takes effect, the others are told it is
        // already voided, and the reason kept is the one that took effect.
        let (_, second) = enter_asset(&app, &director, "碎纸机 S-9").await;
        let second = second["id"].as_i64().unwrap();
        let voids = (0..8).map(|n| {
            let (app, director) = (&app, &director);
            async move {
                let reason = format!("作废 {n}");
                let (status, answer) = app
                    .call_as(
                        director,
                        "/api/ledgers/entries/void",
                        json!({ "ledger": "assets", "id": second, "reason": reason }),
                    )
                    .await;
                (status, answer, reason)
            }
        });
        let answers = futures::future::join_all(voids).await;
        let taken: Vec<&String> = answers
            .iter()
            .filter(|(status, _, _)| *status == 200)
            .map(|(_, _, reason)| reason)
            .collect();
        assert_eq!(taken.len(), 1, "{answers:?}");
        for (status, answer, _) in &answers {
            if *status != 200 {
                assert_eq!(*status, 400, "{answer}");
                assert_eq!(answer["fields"][0]["code"], "voided", "{answer}");
            }
        }
        let (_, record) = app
            .call_as(
                &director,
                "/api/ledgers/entries/list",
                json!({ "ledger": "assets" }),
            )
            .await;
        let kept = record
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == second)
            .expect("the entry stays on record");
        assert_eq!(kept["voided"]["reason"], taken[0].as_str(), "{record}");
        app
    }
);
