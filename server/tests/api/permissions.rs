//! The permission matrix: every registered server function (and the file routes) called as
//! each kind of user, the outcome checked against the policy table in the domain. A server
//! function missing from the policy table, or from this test's list of sample calls, fails.

use std::collections::BTreeSet;

use app::domain::people::policy::{access_of, Access, ENDPOINTS};
use serde_json::{json, Value};

use crate::catalog::builtin_files;
use crate::helpers::{with_app, Session, TestApp, ADMIN_PASSWORD, DEMO_PASSWORD};
use crate::on_both_databases;

/// The kinds of caller the matrix checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Anonymous,
    /// The employee who raised the case.
    Requester,
    /// The role owning the case's current step (the document clerk).
    Owner,
    /// A role of another function (the logistics clerk).
    OtherRole,
    Director,
    /// The administrator (no catalog role).
    Administrator,
}

const KINDS: [Kind; 6] = [
    Kind::Anonymous,
    Kind::Requester,
    Kind::Owner,
    Kind::OtherRole,
    Kind::Director,
    Kind::Administrator,
];

/// A call that reaches the function's own checks (well-formed, naming things that exist).
fn sample_body(endpoint: &str, case: i64) -> Option<Value> {
    let settings = json!({
        "time_zone": "Asia/Shanghai", "work_start": "09:00:00", "work_end": "18:00:00",
        "lunch": ["12:00:00", "13:00:00"], "due_soon": { "percent_of_allowed": 25, "minutes_left": 120 }
    });
    Some(match endpoint {
        "auth/me"
        | "auth/sign-out"
        | "calendar/get"
        | "catalog/functions"
        | "organisation/get"
        | "cases/inbox"
        | "cases/inbox/count"
        | "calendar/feed"
        | "calendar/feed/renew"
        | "calendar/feed/revoke"
        | "people/list" => {
            json!({})
        }
        "calendar/view" => json!({ "view": "month", "date": "2025-10", "filter": {} }),
        "auth/password" => json!({ "current": "not the password", "new": "a new password" }),
        "auth/sign-in" => json!({ "login": "nobody", "password": "wrong password" }),
        "calendar/deadline" => json!({ "rule": "wd(1)", "anchor": "2025-09-30T10:00:00+08:00" }),
        "calendar/import" => {
            json!({ "year": 2031, "csv": "date,kind,name\n2031-01-01,holiday,元旦\n" })
        }
        "calendar/override/put" => {
            json!({ "date": "2031-05-06", "kind": "holiday", "name": "测试" })
        }
        "calendar/override/remove" => json!({ "date": "2031-05-06" }),
        "calendar/settings/save" => json!({ "settings": settings }),
        "cases/apply" | "boards/apply" => {
            json!({ "id": case, "version": 1, "command": { "op": "comment", "step": null, "text": "请尽快" } })
        }
        "cases/audit" | "cases/get" | "cases/detail" | "boards/card" => json!({ "id": case }),
        "boards/get" | "cases/forms" => json!({ "function": "documents" }),
        "boards/wip" => json!({
            "function": "documents", "process": "incoming_document",
            "step": "sign_and_number", "limit": 5
        }),
        "cases/list" => json!({ "function": null, "process": null }),
        "cases/raise" => json!({
            "process": "incoming_document", "title": "来文", "department": null,
            "form": { "received_at": "2025-09-30T10:00", "issuer": "甲", "title": "乙" }
        }),
        "catalog/function" => json!({ "code": "documents" }),
        "catalog/get" => json!({ "version": null }),
        "catalog/history" => json!({}),
        "catalog/amend" => {
            let mut catalog = app::domain::catalog::builtin().expect("the built-in catalog");
            catalog.processes[0].name.en.push_str(" (permission test)");
            json!({ "amendment": { "base_version": 1, "catalog": catalog, "note": "权限测试" } })
        }
        "catalog/save" => json!({ "files": builtin_files(), "note": "权限测试" }),
        "dashboard/get" => json!({ "query": { "function": "documents" } }),
        "ledgers/entries/add" => json!({ "entry": {
            "ledger": "document_flow", "cells": { "title": "纸质来文" },
            "department": null, "note": "权限测试"
        } }),
        "ledgers/entries/list" => json!({ "ledger": "document_flow" }),
        "ledgers/entries/void" => {
            json!({ "ledger": "document_flow", "id": 999_999, "reason": "权限测试" })
        }
        "ledgers/rows" => json!({ "ledger": "document_flow" }),
        "ledgers/table" => json!({ "query": { "ledger": "document_flow" } }),
        "organisation/rename" => json!({ "name": "权限测试" }),
        "reports/get" => json!({ "query": { "kind": "reimbursements", "period": null } }),
        "people/save" => json!({ "person": {
            "login": "permission.test", "name": "权限测试", "active": true,
            "roles": ["employee"], "password": "permission-test-1"
        } }),
        "departments/save" => json!({ "id": null, "name": "权限测试部" }),
        "departments/remove" => json!({ "id": 999_999 }),
        _ => return None,
    })
}

/// What the policy gives `kind` on `endpoint`, for the sample case: allowed or not (`None`:
/// the answer depends on the data, e.g. a filtered list, and only "not refused" is checked).
fn allowed(endpoint: &str, kind: Kind) -> bool {
    let access = access_of(endpoint).expect("in the table");
    match (access, kind) {
        (Access::Public, _) => true,
        (_, Kind::Anonymous) => false,
        (Access::Administrator, k) => k == Kind::Administrator,
        (Access::SignedIn, _) => true,
        // The sample case is an incoming document raised by the requester, at its first step.
        (Access::Cases, k) => match endpoint {
            "cases/raise" | "cases/list" | "boards/get" | "calendar/view" => true,
            _ => matches!(k, Kind::Requester | Kind::Owner | Kind::Director),
        },
        // Work-in-progress limits are the function's lead's, the director's and the
        // administrators' to set (the document clerk is no lead).
        (Access::Function, k) if endpoint == "boards/wip" => {
            matches!(k, Kind::Director | Kind::Administrator)
        }
        // The reimbursement summary is the finance function's (and the director's).
        (Access::Function, k) if endpoint == "reports/get" => k == Kind::Director,
        // The document flow ledger and the documents dashboard belong to the documents
        // function.
        (Access::Function, k) => matches!(k, Kind::Owner | Kind::Director),
    }
}

struct Callers {
    sessions: Vec<(Kind, Option<Session>)>,
}

impl Callers {
    async fn sign_in(app: &TestApp) -> Callers {
        let mut sessions = vec![(Kind::Anonymous, None)];
        for (kind, login, password) in [
            (Kind::Requester, "employee", DEMO_PASSWORD),
            (Kind::Owner, "document_clerk", DEMO_PASSWORD),
            (Kind::OtherRole, "logistics_clerk", DEMO_PASSWORD),
            (Kind::Director, "director", DEMO_PASSWORD),
            (Kind::Administrator, "admin", ADMIN_PASSWORD),
        ] {
            sessions.push((kind, Some(app.sign_in(login, password).await)));
        }
        Callers { sessions }
    }

    fn of(&self, kind: Kind) -> Option<&Session> {
        self.sessions
            .iter()
            .find(|(k, _)| *k == kind)
            .and_then(|(_, s)| s.as_ref())
    }
}

async fn call(
    app: &TestApp,
    session: Option<&Session>,
    endpoint: &str,
    body: Value,
) -> (u16, Value) {
    match session {
        Some(s) => app.call_as(s, &format!("/api/{endpoint}"), body).await,
        None => app.call(&format!("/api/{endpoint}"), body).await,
    }
}

on_both_databases!(
    every_server_function_answers_each_kind_of_user_as_the_policy_table_says,
    with_app,
    |app| async move {
        let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _)| path.trim_start_matches("/api/").to_string())
            .collect();
        let missing: Vec<&String> = registered
            .iter()
            .filter(|e| access_of(e).is_none() || sample_body(e, 1).is_none())
            .collect();
        assert!(
            missing.is_empty(),
            "server functions without an entry in the policy table or this test: {missing:?}"
        );
        let callers = Callers::sign_in(&app).await;
        let requester = callers.of(Kind::Requester).unwrap();
        let (status, raised) = call(
            &app,
            Some(requester),
            "cases/raise",
            sample_body("cases/raise", 0).unwrap(),
        )
        .await;
        assert_eq!(status, 200, "{raised}");
        let case = raised["case"]["id"].as_i64().unwrap();

        for endpoint in &registered {
            if endpoint.starts_with("auth/") {
                continue; // Checked below: they change the callers' own sessions.
            }
            for kind in KINDS {
                let body = sample_body(endpoint, case).unwrap();
                let (status, answer) = call(&app, callers.of(kind), endpoint, body).await;
                let expected = allowed(endpoint, kind);
                let refused = status == 401 || status == 403;
                assert_eq!(
                    !refused, expected,
                    "{endpoint} as {kind:?}: {status} {answer}"
                );
                if refused {
                    let want = if kind == Kind::Anonymous { 401 } else { 403 };
                    assert_eq!(status, want, "{endpoint} as {kind:?}: {answer}");
                }
            }
        }
        // Lists show each person what they may see.
        for (kind, sees) in [
            (Kind::Requester, true),
            (Kind::Owner, true),
            (Kind::OtherRole, false),
            (Kind::Director, true),
            (Kind::Administrator, false),
        ] {
            let (_, list) = call(&app, callers.of(kind), "cases/list", json!({})).await;
            let ids: Vec<i64> = list
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_i64().unwrap())
                .collect();
            assert_eq!(ids.contains(&case), sees, "{kind:?} lists the case");
        }
        // Every endpoint of the table is either a registered server function or a file route.
        for (endpoint, _) in ENDPOINTS {
            assert!(
                registered.contains(*endpoint) || endpoint.contains('{') || *endpoint == "files",
                "{endpoint} is in the table but not served"
            );
        }
        app
    }
);

on_both_databases!(
    a_step_is_completed_by_its_owner_only_and_a_refusal_changes_nothing,
    with_app,
    |app| async move {
        let callers = Callers::sign_in(&app).await;
        let (_, raised) = call(
            &app,
            callers.of(Kind::Requester),
            "cases/raise",
            sample_body("cases/raise", 0).unwrap(),
        )
        .await;
        let case = raised["case"]["id"].as_i64().unwrap();
        let complete = json!({ "id": case, "version": 1, "command": { "op": "complete_step", "step": "sign_and_number" } });
        for kind in [
            Kind::Requester,
            Kind::OtherRole,
            Kind::Director,
            Kind::Administrator,
        ] {
            let (status, answer) =
                call(&app, callers.of(kind), "cases/apply", complete.clone()).await;
            assert_eq!(status, 403, "{kind:?}: {answer}");
            assert_eq!(answer["error"], "forbidden");
        }
        let owner = callers.of(Kind::Owner);
        let (status, audit) = call(&app, owner, "cases/audit", json!({ "id": case })).await;
        assert_eq!(status, 200);
        assert_eq!(
            audit.as_array().unwrap().len(),
            2,
            "raised and activated, nothing else: {audit}"
        );
        let (status, answer) = call(&app, owner, "cases/apply", complete).await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["case"]["version"], 2);
        // Files follow the case's rules.
        let upload = |session: &Session| {
            app.client
                .post(app.url(&format!("/api/cases/{case}/files?name=a.txt")))
                .header("cookie", &session.cookie)
                .header("content-type", "text/plain")
                .body("进展")
                .send()
        };
        assert_eq!(
            upload(callers.of(Kind::OtherRole).unwrap())
                .await
                .unwrap()
                .status()
                .as_u16(),
            403
        );
        assert_eq!(upload(owner.unwrap()).await.unwrap().status().as_u16(), 201);
        app
    }
);
