//! Managing people and departments (`people/*`, `departments/*`): an administrator creates a
//! person who can then sign in with their roles, bad input is refused field by field with
//! nothing stored, and switching an account off or resetting its password ends its sessions.

use serde_json::{json, Value};

use crate::helpers::{with_app, Session, TestApp, ADMIN_PASSWORD, DEMO_PASSWORD};
use crate::on_both_databases;

async fn directory(app: &TestApp, admin: &Session) -> Value {
    let (status, answer) = app.call_as(admin, "/api/people/list", json!({})).await;
    assert_eq!(status, 200, "{answer}");
    answer
}

fn person<'a>(directory: &'a Value, login: &str) -> Option<&'a Value> {
    directory["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["login"] == login)
}

fn fields(answer: &Value) -> Vec<(String, String)> {
    answer["fields"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn wang_fang() -> Value {
    json!({
        "login": "Wang.Fang", "name": "王芳", "department": "档案室", "active": true,
        "administrator": false, "roles": ["document_clerk", "employee"],
        "password": "chun-jie-2026"
    })
}

on_both_databases!(
    an_administrator_creates_a_person_who_signs_in_with_their_roles,
    with_app,
    |app| async move {
        let admin = app.sign_in("admin", ADMIN_PASSWORD).await;
        let before = directory(&app, &admin).await;
        assert!(before["roles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == "document_clerk" && r["name"]["zh"] == "公文文员"));
        let (status, saved) = app
            .call_as(&admin, "/api/people/save", json!({ "person": wang_fang() }))
            .await;
        assert_eq!(status, 200, "{saved}");
        assert_eq!(saved["login"], "wang.fang");
        assert_eq!(saved["department"], "档案室");
        assert_eq!(saved["roles"], json!(["document_clerk", "employee"]));
        let after = directory(&app, &admin).await;
        let archive = after["departments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"] == "档案室")
            .cloned()
            .expect("the department was created");
        assert_eq!(archive["people"], 1);
        // The new person signs in and works as a document clerk.
        let wang = app.sign_in("wang.fang", "chun-jie-2026").await;
        let (_, me) = app.call_as(&wang, "/api/auth/me", json!({})).await;
        assert_eq!(me["name"], "王芳");
        let (status, board) = app
            .call_as(&wang, "/api/boards/get", json!({ "function": "documents" }))
            .await;
        assert_eq!(status, 200, "{board}");
        // A department with people cannot be removed; an empty one can, and a name is unique.
        let (status, refused) = app
            .call_as(
                &admin,
                "/api/departments/remove",
                json!({ "id": archive["id"] }),
            )
            .await;
        assert_eq!(status, 400, "{refused}");
        assert_eq!(fields(&refused), [("department".into(), "in_use".into())]);
        let (status, made) = app
            .call_as(
                &admin,
                "/api/departments/save",
                json!({ "id": null, "name": " 法务室 " }),
            )
            .await;
        assert_eq!(status, 200, "{made}");
        assert_eq!(made["name"], "法务室");
        let (status, taken) = app
            .call_as(
                &admin,
                "/api/departments/save",
                json!({ "id": made["id"], "name": "档案室" }),
            )
            .await;
        assert_eq!(status, 400, "{taken}");
        assert_eq!(fields(&taken), [("name".into(), "taken".into())]);
        let (status, renamed) = app
            .call_as(
                &admin,
                "/api/departments/save",
                json!({ "id": made["id"], "name": "法务合规室" }),
            )
            .await;
        assert_eq!(status, 200, "{renamed}");
        let (status, _) = app
            .call_as(
                &admin,
                "/api/departments/remove",
                json!({ "id": made["id"] }),
            )
            .await;
        assert_eq!(status, 200);
        let last = directory(&app, &admin).await;
        assert!(!last["departments"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["id"] == made["id"]));
        app
    }
);

on_both_databases!(
    bad_input_is_refused_field_by_field_and_nothing_is_stored,
    with_app,
    |app| async move {
        let admin = app.sign_in("admin", ADMIN_PASSWORD).await;
        let before = directory(&app, &admin).await;
        let bad = json!({
            "login": "", "name": "x".repeat(51), "department": "部\n门",
            "active": true, "roles": ["<script>alert(1)</script>"], "password": ""
        });
        let (status, refused) = app
            .call_as(&admin, "/api/people/save", json!({ "person": bad }))
            .await;
        assert_eq!(status, 400, "{refused}");
        assert_eq!(
            fields(&refused),
            [
                ("login".into(), "required".into()),
                ("name".into(), "too_long".into()),
                ("department".into(), "control_characters".into()),
                ("roles".into(), "unknown_role".into()),
                ("password".into(), "required".into()),
            ]
        );
        // A wrong type is refused before any check.
        let (status, _) = app
            .call_as(
                &admin,
                "/api/people/save",
                json!({ "person": { "login": 42 } }),
            )
            .await;
        assert_eq!(status, 400);
        // A login someone has, whatever its case.
        let mut copy = wang_fang();
        copy["login"] = json!("Director");
        let (status, taken) = app
            .call_as(&admin, "/api/people/save", json!({ "person": copy }))
            .await;
        assert_eq!(status, 400, "{taken}");
        assert_eq!(fields(&taken), [("login".into(), "taken".into())]);
        assert_eq!(directory(&app, &admin).await, before, "nothing stored");
        // A script tag is a name like any other: stored and answered as text.
        let mut script = wang_fang();
        script["name"] = json!("<script>alert(1)</script>");
        let (status, saved) = app
            .call_as(&admin, "/api/people/save", json!({ "person": script }))
            .await;
        assert_eq!(status, 200, "{saved}");
        assert_eq!(saved["name"], "<script>alert(1)</script>");
        // Editing someone who does not exist.
        let mut ghost = wang_fang();
        ghost["id"] = json!(999_999);
        ghost["login"] = json!("ghost");
        let (status, _) = app
            .call_as(&admin, "/api/people/save", json!({ "person": ghost }))
            .await;
        assert_eq!(status, 404);
        app
    }
);

on_both_databases!(
    switching_an_account_off_or_resetting_its_password_ends_its_sessions,
    with_app,
    |app| async move {
        let admin = app.sign_in("admin", ADMIN_PASSWORD).await;
        let clerk = app.sign_in("document_clerk", DEMO_PASSWORD).await;
        let listed = directory(&app, &admin).await;
        let mut edited = person(&listed, "document_clerk").unwrap().clone();
        edited["roles"] = json!(["document_clerk"]);
        edited["password"] = json!("a-fresh-password");
        let (status, saved) = app
            .call_as(
                &admin,
                "/api/people/save",
                json!({ "person": edited.clone() }),
            )
            .await;
        assert_eq!(status, 200, "{saved}");
        let (_, me) = app.call_as(&clerk, "/api/auth/me", json!({})).await;
        assert_eq!(me, Value::Null, "the old session ended with the reset");
        let clerk = app.sign_in("document_clerk", "a-fresh-password").await;
        edited["active"] = json!(false);
        edited["password"] = Value::Null;
        let (status, saved) = app
            .call_as(&admin, "/api/people/save", json!({ "person": edited }))
            .await;
        assert_eq!(status, 200, "{saved}");
        assert_eq!(saved["active"], false);
        let (_, me) = app.call_as(&clerk, "/api/auth/me", json!({})).await;
        assert_eq!(me, Value::Null, "switched off: signed out");
        let (status, _) = app
            .call(
                "/api/auth/sign-in",
                json!({ "login": "document_clerk", "password": "a-fresh-password" }),
            )
            .await;
        assert_eq!(status, 400, "a switched-off account cannot sign in");
        // Administrators cannot lock themselves out, and the last one cannot be taken away.
        let mine = person(&listed, "admin").unwrap().clone();
        let mut off = mine.clone();
        off["active"] = json!(false);
        off["administrator"] = json!(false);
        let (status, refused) = app
            .call_as(&admin, "/api/people/save", json!({ "person": off.clone() }))
            .await;
        assert_eq!(status, 400, "{refused}");
        assert_eq!(
            fields(&refused),
            [
                ("active".into(), "self".into()),
                ("administrator".into(), "self".into())
            ]
        );
        let (status, refused) = app
            .admin_call("/api/people/save", json!({ "person": off }))
            .await;
        assert_eq!(status, 400, "{refused}");
        assert_eq!(
            fields(&refused),
            [("administrator".into(), "last_administrator".into())]
        );
        // Non-administrators are refused outright.
        let director = app.sign_in("director", DEMO_PASSWORD).await;
        let (status, _) = app.call_as(&director, "/api/people/list", json!({})).await;
        assert_eq!(status, 403);
        app
    }
);
