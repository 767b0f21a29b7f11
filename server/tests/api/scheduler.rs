//! The scheduler's duties on both databases: recurring obligations raised once per period
//! (across restarts, after a gap, with two schedulers racing), overdue escalations recorded
//! once and shown in the inbox of the role they go to.

use std::collections::BTreeSet;

use app::domain::catalog::Trigger;
use chrono::{DateTime, TimeZone, Utc};
use officeflow_server::persistence;
use officeflow_server::scheduler::Scheduler;
use officeflow_server::startup::ports;
use serde_json::json;

use crate::cases::{audit_of, catalog, get_case, Walk};
use crate::helpers::{with_db, TestApp, TestDb};
use crate::on_both_databases;

fn cn(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(y, m, d, h, 0, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// A scheduler on its own connection, as another process (or a restarted one) has.
async fn scheduler(db: &TestDb) -> Scheduler {
    let settings = db.settings();
    let conn = persistence::connect(&settings.database_url(), 4)
        .await
        .expect("connect");
    Scheduler::new(ports(&settings, &conn).cases)
}

fn recurring_count() -> usize {
    catalog()
        .processes
        .iter()
        .filter(|p| matches!(p.trigger, Trigger::Recurring(_)))
        .count()
}

async fn open_cases(app: &TestApp, process: Option<&str>) -> Vec<serde_json::Value> {
    let (status, list) = app
        .operator_call("/api/cases/list", json!({ "process": process }), None)
        .await;
    assert_eq!(status, 200, "{list}");
    list.as_array().unwrap().clone()
}

on_both_databases!(
    recurring_obligations_are_raised_once_per_period_across_restarts_and_caught_up_after_a_gap,
    with_db,
    |db: TestDb| async move {
        let app = TestApp::spawn(&db).await;
        let first = scheduler(&db).await;
        let tick = first.tick(cn(2026, 8, 14, 10)).await.unwrap();
        assert_eq!(tick.raised.len(), recurring_count());
        let monthly: Vec<_> = tick
            .raised
            .iter()
            .filter(|r| r.process == "monthly_archive_transfer")
            .collect();
        assert_eq!(monthly.len(), 1);
        assert_eq!(monthly[0].period, "2026-08");

        // A restart (a new scheduler, a new connection) at the same instant and an hour
        // later raises nothing again.
        let restarted = scheduler(&db).await;
        assert!(restarted
            .tick(cn(2026, 8, 14, 10))
            .await
            .unwrap()
            .raised
            .is_empty());
        assert!(restarted
            .tick(cn(2026, 8, 14, 11))
            .await
            .unwrap()
            .raised
            .is_empty());

        // Down from mid-August to late November: the months missed are raised, oldest first.
        let tick = restarted.tick(cn(2026, 11, 27, 10)).await.unwrap();
        let months: Vec<&str> = tick
            .raised
            .iter()
            .filter(|r| r.process == "monthly_archive_transfer")
            .map(|r| r.period.as_str())
            .collect();
        assert_eq!(months, ["2026-09", "2026-10", "2026-11"]);
        let cases = open_cases(&app, Some("monthly_archive_transfer")).await;
        let mut cases: Vec<&serde_json::Value> = cases.iter().collect();
        cases.sort_by_key(|c| c["id"].as_i64());
        let titles: Vec<&str> = cases.iter().map(|c| c["title"].as_str().unwrap()).collect();
        assert_eq!(
            titles,
            [
                "月度档案移交归档 2026年8月",
                "月度档案移交归档 2026年9月",
                "月度档案移交归档 2026年10月",
                "月度档案移交归档 2026年11月"
            ]
        );
        // The November case was raised as of 1 November: its audit trail starts there.
        let november = cases
            .iter()
            .find(|c| c["title"].as_str().unwrap().ends_with("2026年11月"))
            .unwrap();
        let audit = audit_of(&app, november["id"].as_i64().unwrap()).await;
        assert_eq!(audit[0]["kind"], "raised");
        let raised_at: DateTime<Utc> = audit[0]["at"].as_str().unwrap().parse().unwrap();
        assert_eq!(raised_at, cn(2026, 11, 1, 0));
        app.stop().await;
        db
    }
);

on_both_databases!(
    two_schedulers_racing_on_one_database_raise_each_obligation_once,
    with_db,
    |db: TestDb| async move {
        let app = TestApp::spawn(&db).await;
        let (a, b) = (scheduler(&db).await, scheduler(&db).await);
        let now = cn(2026, 11, 27, 10);
        let (ta, tb) = tokio::join!(a.tick(now), b.tick(now));
        let (ta, tb) = (ta.unwrap(), tb.unwrap());
        let all: Vec<(String, String)> = ta
            .raised
            .iter()
            .chain(&tb.raised)
            .map(|r| (r.process.clone(), r.period.clone()))
            .collect();
        let distinct: BTreeSet<_> = all.iter().cloned().collect();
        assert_eq!(all.len(), distinct.len(), "no period raised twice");
        assert_eq!(distinct.len(), recurring_count());
        assert_eq!(open_cases(&app, None).await.len(), recurring_count());
        // A later race at the same period raises nothing at all.
        let (ta, tb) = tokio::join!(a.tick(now), b.tick(now));
        assert!(ta.unwrap().raised.is_empty() && tb.unwrap().raised.is_empty());
        assert_eq!(open_cases(&app, None).await.len(), recurring_count());
        app.stop().await;
        db
    }
);

async fn escalations(app: &TestApp, id: i64) -> Vec<serde_json::Value> {
    audit_of(app, id)
        .await
        .into_iter()
        .filter(|e| e["kind"] == "escalated")
        .collect()
}

on_both_databases!(
    an_overdue_step_is_escalated_once_to_the_director_and_shows_in_the_directors_inbox,
    with_db,
    |db: TestDb| async move {
        let app = TestApp::spawn(&db).await;
        let catalog = catalog();
        let walk = Walk::raise(&app, &catalog, "incoming_document").await;
        let id = walk.case.id.0;
        let view = get_case(&app, id).await;
        let current = view["current"].as_u64().unwrap() as usize;
        let due: DateTime<Utc> = view["steps"][current]["due_at"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let scheduler = scheduler(&db).await;
        // Before the deadline nothing is escalated; one minute after it, once, and never again.
        // (The ticks also raise the recurring obligations; only this case is looked at.)
        scheduler
            .tick(due - chrono::Duration::minutes(1))
            .await
            .unwrap();
        assert!(escalations(&app, id).await.is_empty());
        let after = scheduler
            .tick(due + chrono::Duration::minutes(1))
            .await
            .unwrap();
        assert!(after.escalated >= 1);
        scheduler
            .tick(due + chrono::Duration::hours(1))
            .await
            .unwrap();
        let escalated = escalations(&app, id).await;
        assert_eq!(escalated.len(), 1, "{escalated:?}");
        assert_eq!(escalated[0]["detail"]["to"], "director");

        let (status, inbox) = app
            .operator_call("/api/cases/inbox", json!({ "role": "director" }), Some(7))
            .await;
        assert_eq!(status, 200, "{inbox}");
        let items = inbox.as_array().unwrap();
        let item = items
            .iter()
            .find(|i| i["case_id"] == id && i["kind"] == "escalation")
            .unwrap_or_else(|| panic!("the escalation is in the director's inbox: {inbox}"));
        assert_eq!(item["role"], "director");
        // The clerk's inbox has the step itself, not the escalation.
        let (_, clerk) = app
            .operator_call(
                "/api/cases/inbox",
                json!({ "role": "document_clerk" }),
                Some(8),
            )
            .await;
        let kinds: Vec<&str> = clerk
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["case_id"] == id)
            .map(|i| i["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["step"]);
        let (status, refused) = app
            .operator_call("/api/cases/inbox", json!({ "role": "no_such_role" }), None)
            .await;
        assert_eq!(status, 400, "{refused}");
        app.stop().await;
        db
    }
);
