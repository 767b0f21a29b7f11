//! Boards: a card moved through `boards/apply`, fetched with `boards/card`, and every board
//! viewer told of it through `GET /api/boards/{function}/events`, on one instance and
//! (PostgreSQL) across two instances on one database.

use std::time::Duration;

use serde_json::{json, Value};

use crate::helpers::{with_db, Session, TestApp, DEMO_PASSWORD};
use crate::on_both_databases;

/// An open event stream and what has been read of it.
struct Events {
    response: reqwest::Response,
    buffer: String,
}

impl Events {
    async fn open(app: &TestApp, session: &Session, function: &str) -> Events {
        let response = app
            .client
            .get(app.url(&format!("/api/boards/{function}/events")))
            .header("cookie", &session.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(
            response.headers()["content-type"].to_str().unwrap(),
            "text/event-stream"
        );
        let mut events = Events {
            response,
            buffer: String::new(),
        };
        events.next_named("ready").await;
        events
    }

    /// The next event (name, data); panics after 10 s without one.
    async fn next(&mut self) -> (String, Value) {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let field = |name: &str| {
                    block
                        .lines()
                        .find_map(|l| l.strip_prefix(&format!("{name}:")))
                        .map(|v| v.trim().to_string())
                };
                if let (Some(name), Some(data)) = (field("event"), field("data")) {
                    return (name, serde_json::from_str(&data).unwrap());
                }
                continue; // a keep-alive comment
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), self.response.chunk())
                .await
                .expect("an event within 10 s")
                .unwrap()
                .expect("the stream is still open");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    async fn next_named(&mut self, name: &str) -> Value {
        loop {
            let (event, data) = self.next().await;
            if event == name {
                return data;
            }
        }
    }
}

/// Raises an incoming document as the employee; returns its id.
async fn raise_document(app: &TestApp) -> i64 {
    let employee = app.sign_in("employee", DEMO_PASSWORD).await;
    let (status, raised) = app
        .call_as(
            &employee,
            "/api/cases/raise",
            json!({
                "process": "incoming_document", "title": "关于调整作息时间的通知",
                "department": null,
                "form": { "received_at": "2025-09-30T10:00", "issuer": "市政府办公厅", "title": "通知" }
            }),
        )
        .await;
    assert_eq!(status, 200, "{raised}");
    raised["case"]["id"].as_i64().unwrap()
}

fn complete(case: i64, version: i64, step: &str) -> Value {
    json!({ "id": case, "version": version, "command": { "op": "complete_step", "step": step } })
}

on_both_databases!(
    a_move_answers_the_new_card_and_every_viewer_of_the_board_hears_of_it,
    crate::helpers::with_app,
    |app| async move {
        let anonymous = app
            .client
            .get(app.url("/api/boards/documents/events"))
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status().as_u16(), 401);

        let clerk = app.sign_in("document_clerk", DEMO_PASSWORD).await;
        let director = app.sign_in("director", DEMO_PASSWORD).await;
        let unknown = app
            .client
            .get(app.url("/api/boards/nonesuch/events"))
            .header("cookie", &director.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(unknown.status().as_u16(), 404);
        let mut watching = Events::open(&app, &director, "documents").await;
        let mut other_board = Events::open(&app, &director, "logistics").await;

        let case = raise_document(&app).await;
        let raised = watching.next_named("case").await;
        assert_eq!(
            raised,
            json!({ "function": "documents", "case": case, "version": 1, "open": true })
        );
        let (status, card) = app
            .call_as(&clerk, "/api/boards/card", json!({ "id": case }))
            .await;
        assert_eq!(status, 200, "{card}");
        assert_eq!(card["step"], "sign_and_number");
        assert_eq!(card["forward_to"], "submit_for_instructions");
        assert_eq!(card["process"], "incoming_document");

        let (status, moved) = app
            .call_as(
                &clerk,
                "/api/boards/apply",
                complete(case, 1, "sign_and_number"),
            )
            .await;
        assert_eq!(status, 200, "{moved}");
        assert_eq!(moved["step"], "submit_for_instructions");
        assert_eq!(moved["version"], 2);
        let heard = watching.next_named("case").await;
        assert_eq!(heard["case"], case);
        assert_eq!(heard["version"], 2);

        // A refused move changes nothing, and nobody hears of it.
        let (status, refused) = app
            .call_as(
                &clerk,
                "/api/boards/apply",
                complete(case, 1, "sign_and_number"),
            )
            .await;
        assert_eq!(status, 409, "{refused}");
        assert_eq!(refused["current_version"], 2);
        let (status, _) = app
            .call_as(
                &clerk,
                "/api/boards/apply",
                json!({ "id": case, "version": 2, "command": { "op": "comment", "step": null, "text": "已登记" } }),
            )
            .await;
        assert_eq!(status, 200);
        let next = watching.next_named("case").await;
        assert_eq!(next["version"], 3, "the refusal published nothing");

        // Another function's board hears nothing of documents; someone who may not see the
        // case cannot fetch its card.
        let logistics = app.sign_in("logistics_clerk", DEMO_PASSWORD).await;
        let (status, _) = app
            .call_as(&logistics, "/api/boards/card", json!({ "id": case }))
            .await;
        assert_eq!(status, 403);
        drop(watching);
        let lone = tokio::time::timeout(Duration::from_millis(300), other_board.next()).await;
        assert!(lone.is_err(), "the logistics board heard {lone:?}");
        drop(other_board);
        app
    }
);

on_both_databases!(
    a_full_column_takes_a_card_only_when_the_mover_confirms_and_the_history_records_it,
    crate::helpers::with_app,
    |app| async move {
        let clerk = app.sign_in("document_clerk", DEMO_PASSWORD).await;
        let director = app.sign_in("director", DEMO_PASSWORD).await;
        let wip = |limit: Value| {
            json!({ "function": "documents", "process": "incoming_document",
                    "step": "submit_for_instructions", "limit": limit })
        };
        // Only the function's lead, the director or an administrator sets limits, within 1..=999.
        let (status, _) = app.call_as(&clerk, "/api/boards/wip", wip(json!(1))).await;
        assert_eq!(status, 403);
        let (status, error) = app
            .call_as(&director, "/api/boards/wip", wip(json!(0)))
            .await;
        assert_eq!(status, 400, "{error}");
        assert_eq!(error["fields"][0]["field"], "limit");
        let unknown = json!({ "function": "documents", "process": "incoming_document",
                              "step": "nonesuch", "limit": 3 });
        let (status, error) = app.call_as(&director, "/api/boards/wip", unknown).await;
        assert_eq!(status, 400, "{error}");
        assert_eq!(error["fields"][0]["field"], "step");
        let (status, limits) = app
            .call_as(&director, "/api/boards/wip", wip(json!(1)))
            .await;
        assert_eq!(status, 200, "{limits}");
        assert_eq!(
            limits,
            json!([{ "process": "incoming_document", "step": "submit_for_instructions", "limit": 1 }])
        );
        let (status, board) = app
            .call_as(
                &director,
                "/api/boards/get",
                json!({ "function": "documents" }),
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(board["may_set_limits"], true);
        let lane = board["lanes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["process"] == "incoming_document")
            .unwrap();
        assert_eq!(lane["columns"][1]["limit"], 1);
        assert_eq!(lane["columns"][0]["limit"], Value::Null);
        let (_, board) = app
            .call_as(
                &clerk,
                "/api/boards/get",
                json!({ "function": "documents" }),
            )
            .await;
        assert_eq!(board["may_set_limits"], false);

        // The first card fills the column; the second is refused until confirmed.
        let first = raise_document(&app).await;
        let second = raise_document(&app).await;
        let (status, _) = app
            .call_as(
                &clerk,
                "/api/boards/apply",
                complete(first, 1, "sign_and_number"),
            )
            .await;
        assert_eq!(status, 200);
        let (status, refused) = app
            .call_as(
                &clerk,
                "/api/boards/apply",
                complete(second, 1, "sign_and_number"),
            )
            .await;
        assert_eq!(status, 400, "{refused}");
        assert_eq!(refused["fields"][0]["code"], "wip_limit_reached");
        assert!(refused["fields"][0]["message"]["zh"]
            .as_str()
            .unwrap()
            .contains("(1/1)"));
        let mut confirmed = complete(second, 1, "sign_and_number");
        confirmed["confirm_over_limit"] = json!(true);
        let (status, moved) = app.call_as(&clerk, "/api/boards/apply", confirmed).await;
        assert_eq!(status, 200, "{moved}");
        assert_eq!(moved["step"], "submit_for_instructions");
        let (_, audit) = app
            .call_as(&clerk, "/api/cases/audit", json!({ "id": second }))
            .await;
        let exceeded: Vec<&Value> = audit
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "wip_limit_exceeded")
            .collect();
        assert_eq!(exceeded.len(), 1, "{audit}");
        assert_eq!(exceeded[0]["detail"], json!({ "count": 2, "limit": 1 }));
        assert_eq!(exceeded[0]["step"], "submit_for_instructions");
        assert_eq!(exceeded[0]["version"], moved["version"]);

        // cases/apply (not a move from a board) is not held back; removing the limit frees
        // the column.
        let (status, limits) = app
            .call_as(&director, "/api/boards/wip", wip(Value::Null))
            .await;
        assert_eq!(status, 200);
        assert_eq!(limits, json!([]));
        app
    }
);

/// Two instances on one PostgreSQL database: a move on one reaches a viewer of the other.
#[tokio::test]
async fn a_move_on_one_instance_reaches_viewers_of_another_on_postgres() {
    with_db(crate::helpers::Backend::Postgres, |db| async move {
        let first = TestApp::spawn(&db).await;
        let second = TestApp::spawn(&db).await;
        let director = second.sign_in("director", DEMO_PASSWORD).await;
        let mut watching = Events::open(&second, &director, "documents").await;
        // The relay's LISTEN may start a moment after the instance answers; a case raised
        // before it would be missed (a reconnecting viewer reloads the board for that).
        let mut case = 0;
        for _ in 0..50 {
            case = raise_document(&first).await;
            let heard =
                tokio::time::timeout(Duration::from_millis(200), watching.next_named("case")).await;
            if heard.is_ok_and(|h| h["case"] == case) {
                break;
            }
            case = 0;
        }
        assert!(
            case > 0,
            "the second instance never heard of the first's cases"
        );
        let clerk = first.sign_in("document_clerk", DEMO_PASSWORD).await;
        let (status, moved) = first
            .call_as(
                &clerk,
                "/api/boards/apply",
                complete(case, 1, "sign_and_number"),
            )
            .await;
        assert_eq!(status, 200, "{moved}");
        let heard = watching.next_named("case").await;
        assert_eq!(
            (heard["case"].as_i64(), heard["version"].as_i64()),
            (Some(case), Some(2))
        );
        drop(watching);
        first.stop().await;
        second.stop().await;
        db
    })
    .await;
}

on_both_databases!(
    raising_from_a_board_gets_the_functions_forms_with_the_calendar_and_the_requesters_department,
    crate::helpers::with_app,
    |app| async move {
        let anonymous = app
            .call("/api/cases/forms", json!({ "function": "it" }))
            .await;
        assert_eq!(anonymous.0, 401);
        let employee = app.sign_in("employee", DEMO_PASSWORD).await;
        let (status, forms) = app
            .call_as(&employee, "/api/cases/forms", json!({ "function": "it" }))
            .await;
        assert_eq!(status, 200, "{forms}");
        let codes: Vec<&str> = forms["processes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["code"].as_str().unwrap())
            .collect();
        // The scheduled processes (inspections, backups) raise themselves.
        assert_eq!(codes, ["system_project", "it_incident", "it_help_desk"]);
        assert_eq!(forms["my_department"], "业务部");
        let departments = forms["departments"].as_array().unwrap();
        assert!(departments.iter().any(|d| d == "办公室"), "{departments:?}");
        assert!(departments.iter().any(|d| d == "财务部"), "{departments:?}");
        assert_eq!(forms["settings"]["time_zone"], "Asia/Shanghai");
        assert!(forms["roles"].as_array().unwrap().len() > 10);

        let (status, _) = app
            .call_as(
                &employee,
                "/api/cases/forms",
                json!({ "function": "nonesuch" }),
            )
            .await;
        assert_eq!(status, 404);
        app
    }
);

on_both_databases!(
    a_closed_case_stays_on_the_boards_overview_for_a_week,
    crate::helpers::with_app,
    |app| async move {
        let case = raise_document(&app).await;
        let director = app.sign_in("director", DEMO_PASSWORD).await;
        let (status, closed) = app
            .call_as(
                &director,
                "/api/cases/apply",
                json!({ "id": case, "version": 1, "command": { "op": "close", "reason": "已处理完毕" } }),
            )
            .await;
        assert_eq!(status, 200, "{closed}");
        let (status, board) = app
            .call_as(
                &director,
                "/api/boards/get",
                json!({ "function": "documents" }),
            )
            .await;
        assert_eq!(status, 200, "{board}");
        let shown = board["closed"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["case_id"] == case)
            .unwrap_or_else(|| panic!("case {case} among the closed: {}", board["closed"]))
            .clone();
        assert_eq!(shown["title"], "关于调整作息时间的通知");
        assert_eq!(shown["process"], "incoming_document");
        // Received 2025-09-30: its first step ran late long before it was closed today, but
        // late steps count only steps *completed* after their deadline.
        assert_eq!(shown["late_steps"], 0);
        // Someone who may not see the case does not see it closed either.
        let logistics = app.sign_in("logistics_clerk", DEMO_PASSWORD).await;
        let (_, theirs) = app
            .call_as(
                &logistics,
                "/api/boards/get",
                json!({ "function": "documents" }),
            )
            .await;
        assert!(theirs["closed"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["case_id"] != case));
        app
    }
);

on_both_databases!(
    a_page_asks_for_the_first_cards_under_its_filters_and_gets_the_counts_of_the_rest,
    crate::helpers::with_app,
    |app| async move {
        for _ in 0..30 {
            raise_document(&app).await;
        }
        let director = app.sign_in("director", DEMO_PASSWORD).await;
        // One closed today: the whole board lists it for the overview, a page's first cards
        // do not (the overview loads the whole board).
        let done = raise_document(&app).await;
        let (status, closed) = app
            .call_as(
                &director,
                "/api/cases/apply",
                json!({ "id": done, "version": 1, "command": { "op": "close", "reason": "已处理完毕" } }),
            )
            .await;
        assert_eq!(status, 200, "{closed}");
        let first_column = |board: &Value| -> (usize, Value) {
            let lane = board["lanes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["process"] == "incoming_document")
                .unwrap()
                .clone();
            let cards = lane["columns"][0]["cards"].as_array().unwrap().len();
            (cards, lane)
        };
        let (status, whole) = app
            .call_as(
                &director,
                "/api/boards/get",
                json!({ "function": "documents" }),
            )
            .await;
        assert_eq!(status, 200, "{whole}");
        assert_eq!(
            whole["counts"],
            Value::Null,
            "the whole board counts itself"
        );
        let (in_column, _) = first_column(&whole);
        assert!(in_column >= 30, "{in_column} cards");

        let (status, page) = app
            .call_as(
                &director,
                "/api/boards/get",
                json!({ "function": "documents", "first": [] }),
            )
            .await;
        assert_eq!(status, 200, "{page}");
        let (drawn, lane) = first_column(&page);
        assert_eq!(drawn, 24, "a column's first cards only");
        assert!(whole["closed"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["case_id"] == done));
        assert_eq!(page["closed"], json!([]));
        // The same first cards as the whole board's, in the same order.
        let (_, whole_lane) = first_column(&whole);
        let ids = |lane: &Value| -> Vec<i64> {
            lane["columns"][0]["cards"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["case_id"].as_i64().unwrap())
                .collect()
        };
        assert_eq!(ids(&lane), ids(&whole_lane)[..24]);
        let counts = &page["counts"];
        let column = counts["columns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["process"] == "incoming_document" && c["step"] == "sign_and_number")
            .unwrap();
        assert_eq!(column["all"], in_column);
        assert_eq!(column["shown"], in_column);
        assert_eq!(counts["shown"], counts["all"]);

        // Under a filter nothing matches: no cards, every count of what is shown zero, the
        // count of what the viewer may see unchanged.
        let (status, page) = app
            .call_as(
                &director,
                "/api/boards/get",
                json!({ "function": "documents", "first": [["q", "没有这样的标题"]] }),
            )
            .await;
        assert_eq!(status, 200, "{page}");
        let (drawn, _) = first_column(&page);
        assert_eq!(drawn, 0);
        assert_eq!(page["counts"]["shown"], 0);
        assert_eq!(page["counts"]["filter"], json!([["q", "没有这样的标题"]]));
        let column = page["counts"]["columns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["process"] == "incoming_document" && c["step"] == "sign_and_number")
            .unwrap()
            .clone();
        assert_eq!(
            (column["all"].clone(), column["shown"].clone()),
            (json!(in_column), json!(0))
        );
        app
    }
);
