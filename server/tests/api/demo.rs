//! The demo office: created at the first start of an empty database, never again; every
//! function has cases, in every SLA state, worked by the demo people.

use chrono::{DateTime, Utc};
use officeflow_server::config::Demo;
use officeflow_server::startup::Application;
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::json;

use crate::helpers::{with_db, TestApp, TestDb, DEMO_PASSWORD};
use crate::on_both_databases;

async fn count(db: &TestDb, sql: &str) -> i64 {
    let conn = Database::connect(&db.url).await.unwrap();
    let backend = conn.get_database_backend();
    let row = conn
        .query_one_raw(Statement::from_string(backend, sql.to_string()))
        .await
        .unwrap()
        .unwrap();
    let n: i64 = row.try_get_by_index(0).unwrap();
    conn.close().await.ok();
    n
}

async fn spawn_full(db: &TestDb) -> TestApp {
    let mut settings = db.settings();
    settings.demo = Demo::Full;
    TestApp::spawn_with(settings).await
}

on_both_databases!(
    a_new_installation_is_a_living_office_created_once,
    with_db,
    |db: TestDb| async move {
        let app = spawn_full(&db).await;
        let total = count(&db, "SELECT COUNT(*) FROM cases").await;
        // About a hundred, and last month's nine paid claims.
        assert!(
            (90..=140).contains(&total),
            "about a hundred and ten cases: {total}"
        );
        let claims = count(
            &db,
            "SELECT COUNT(*) FROM ledger_rows WHERE ledger = 'reimbursements'",
        )
        .await;
        assert!(claims >= 9, "last month's claims paid: {claims}");
        let closed = count(&db, "SELECT COUNT(*) FROM cases WHERE status = 'closed'").await;
        assert!(closed >= 15, "done cases: {closed}");
        let functions = count(&db, "SELECT COUNT(DISTINCT function) FROM cases").await;
        assert_eq!(functions, 13, "every function has cases");
        let people = count(&db, "SELECT COUNT(*) FROM users").await;
        assert!(people > 30);

        // Open cases in every SLA state, as the director sees them.
        let director = app.sign_in("director", DEMO_PASSWORD).await;
        let (_, list) = app.call_as(&director, "/api/cases/list", json!({})).await;
        let now = Utc::now();
        let dues: Vec<DateTime<Utc>> = list
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["current_step"]["due_at"].as_str())
            .map(|t| t.parse().unwrap())
            .collect();
        assert!(dues.iter().any(|d| *d < now), "some overdue");
        assert!(dues.iter().any(|d| *d > now), "some not yet due");
        let (_, inbox) = app.call_as(&director, "/api/cases/inbox", json!({})).await;
        let states: Vec<&str> = inbox
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|i| i["sla"].as_str())
            .collect();
        assert!(states.contains(&"Overdue"), "{states:?}");
        // The top bar's count is the inbox's: every item, and the overdue ones.
        let (status, waiting) = app
            .call_as(&director, "/api/cases/inbox/count", json!({}))
            .await;
        assert_eq!(status, 200, "{waiting}");
        assert_eq!(waiting["total"], inbox.as_array().unwrap().len());
        let overdue = states.iter().filter(|s| **s == "Overdue").count();
        assert_eq!(waiting["overdue"], overdue);

        // The work was done by the demo people, as the audit trail says.
        let (_, audit) = app
            .call_as(&director, "/api/cases/audit", json!({ "id": 1 }))
            .await;
        let actors: Vec<&str> = audit
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["actor"]["name"].as_str().unwrap())
            .collect();
        assert!(!actors.iter().any(|a| a.contains("Operator")), "{actors:?}");
        app.stop().await;

        // Never again: a restart adds nothing.
        let again = spawn_full(&db).await;
        assert_eq!(count(&db, "SELECT COUNT(*) FROM cases").await, total);
        again.stop().await;
        db
    }
);

on_both_databases!(
    a_real_installation_gets_only_its_administrator,
    with_db,
    |db: TestDb| async move {
        let mut settings = db.settings();
        settings.demo = Demo::Off;
        let app = Application::build(&settings).await.expect("starts");
        drop(app);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM users").await, 1);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM cases").await, 0);
        db
    }
);
