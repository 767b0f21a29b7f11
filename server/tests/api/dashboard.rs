//! The dashboard on both databases: cases raised and completed at fixed instants through the
//! case store, the figures read back against values computed by hand; the completions
//! refilled from the cases give the same figures; the endpoint checks its period and who asks.
//!
//! The built-in calendar works 09:00–12:00 and 13:00–18:00 in Asia/Shanghai; 2026-11-24 is a
//! Tuesday.

use app::domain::catalog::StepCode;
use app::domain::workflow::dashboard::{Counts, DashboardQuery};
use app::domain::workflow::samples::sample_form;
use app::domain::workflow::{Actor, CaseId, Command, RawValue};
use app::ports::{CaseStore, NewCase};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use officeflow_server::persistence;
use officeflow_server::startup::ports;
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::cases::catalog;
use crate::helpers::{with_db, TestApp, TestDb, DEMO_PASSWORD};
use crate::on_both_databases;

fn cn(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2026, 11, d, h, m, 0)
        .unwrap()
        .with_timezone(&Utc)
}

async fn raise(cases: &dyn CaseStore, actor: &Actor) -> CaseId {
    let catalog = catalog();
    let process = catalog.process("incoming_document").unwrap();
    let mut form = sample_form(process, cn(24, 9, 0), false);
    form.insert("received_at".into(), RawValue::from("2026-11-24T09:00"));
    cases
        .raise(
            NewCase {
                process: "incoming_document".into(),
                title: "关于年终检查的通知".into(),
                department: Some("行政部".into()),
                form,
            },
            actor,
            cn(24, 9, 0),
        )
        .await
        .expect("raised")
        .case
        .id
}

async fn complete_first(cases: &dyn CaseStore, actor: &Actor, id: CaseId, at: DateTime<Utc>) {
    cases
        .apply(
            id,
            1,
            Command::CompleteStep {
                step: StepCode::new("sign_and_number"),
            },
            actor,
            at,
        )
        .await
        .expect("completed");
}

fn november() -> DashboardQuery {
    DashboardQuery {
        function: Some("documents".into()),
        from: NaiveDate::from_ymd_opt(2026, 11, 1),
        to: NaiveDate::from_ymd_opt(2026, 11, 30),
    }
}

on_both_databases!(
    the_dashboard_counts_fixed_cases_as_computed_by_hand,
    with_db,
    |db: TestDb| async move {
        let app = TestApp::spawn(&db).await;
        let settings = db.settings();
        let conn = persistence::connect(&settings.database_url(), 4)
            .await
            .expect("connect");
        let ports = ports(&settings, &conn);
        let cases = ports.cases.as_ref();
        let director = Actor::new(1, "主任", &["director", "document_clerk"]);

        // Three documents received Tuesday 09:00 (签收、编号: same day, until 18:00 = 480
        // working minutes). The first signed at 10:30 (90 minutes, on time), the second on
        // Wednesday at 10:00 (480 + 60 = 540 minutes, late), the third not yet.
        let first = raise(cases, &director).await;
        let second = raise(cases, &director).await;
        let third = raise(cases, &director).await;
        complete_first(cases, &director, first, cn(24, 10, 30)).await;
        complete_first(cases, &director, second, cn(25, 10, 0)).await;

        // Wednesday 10:00: three steps under way, all overdue (the third's signing since
        // Tuesday 18:00, the others' 呈送主任拟办 since Wednesday 09:00, 24 h after receipt).
        let now = cn(25, 10, 0);
        let check = |board: &app::domain::workflow::dashboard::Dashboard| {
            assert_eq!(board.functions.len(), 1);
            let documents = &board.functions[0];
            assert_eq!(documents.code, "documents");
            assert_eq!(
                (documents.open, documents.due_soon, documents.overdue),
                (3, 0, 3)
            );
            assert_eq!(
                documents.counts,
                Counts {
                    done: 2,
                    on_time: 1,
                    late: 1
                }
            );
            assert_eq!(board.steps.len(), 1);
            let sign = &board.steps[0];
            assert_eq!(sign.step, "sign_and_number");
            // Nearest rank over [90, 540]: the median is the 1st, the 90th percentile the 2nd.
            assert_eq!(
                (
                    sign.median_minutes,
                    sign.p90_minutes,
                    sign.allowed_median_minutes
                ),
                (Some(90), Some(540), Some(480))
            );
            assert_eq!(sign.counts.on_time_percent(), Some(50.0));
            // Each over its own limit, per mille: 90/480 → 187, 540/480 → 1125.
            assert_eq!(
                (
                    sign.median_of_allowed_permille,
                    sign.p90_of_allowed_permille
                ),
                (Some(187), Some(1125))
            );
            assert_eq!(board.late_steps.len(), 1);
            let week = board
                .weeks
                .iter()
                .find(|w| w.start == NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
                .expect("the week of 23 November");
            assert_eq!((week.raised, week.closed, week.counts.done), (3, 0, 2));
        };
        let board = cases
            .dashboard(&director, &november(), now)
            .await
            .expect("the dashboard");
        check(&board);

        // Filled again from the cases (a database from before the table, or newer rules):
        // the same figures.
        conn.execute_unprepared("UPDATE statistics_state SET version = 0")
            .await
            .unwrap();
        conn.execute_unprepared("DELETE FROM step_completions")
            .await
            .unwrap();
        let refilled = persistence::case_stats::refill_if_stale(
            &conn,
            ports.catalog.as_ref(),
            ports.calendar.as_ref(),
        )
        .await
        .expect("refilled");
        assert_eq!(refilled, Some(2));
        let again = persistence::case_stats::refill_if_stale(
            &conn,
            ports.catalog.as_ref(),
            ports.calendar.as_ref(),
        )
        .await
        .expect("current");
        assert_eq!(again, None);
        check(
            &cases
                .dashboard(&director, &november(), now)
                .await
                .expect("the dashboard"),
        );

        // Tuesday, settled by Wednesday, is now kept in memory; Wednesday is read afresh each
        // time: the third signed at 11:00 counts at noon. A server that never read the month
        // (fresh memory) gives the same dashboard.
        complete_first(cases, &director, third, cn(25, 11, 0)).await;
        let noon = cn(25, 12, 0);
        let kept = cases
            .dashboard(&director, &november(), noon)
            .await
            .expect("the dashboard");
        assert_eq!(kept.functions[0].counts.done, 3);
        assert_eq!(kept.functions[0].open, 3);
        let fresh = officeflow_server::startup::ports(&settings, &conn)
            .cases
            .dashboard(&director, &november(), noon)
            .await
            .expect("the dashboard");
        assert_eq!(kept, fresh);

        // The endpoint: the director sees every function; a clerk of another function may not
        // look at the documents function; a period ending before it starts says where.
        let session = app.sign_in("director", DEMO_PASSWORD).await;
        let (status, office) = app
            .call_as(&session, "/api/dashboard/get", json!({ "query": {} }))
            .await;
        assert_eq!(status, 200, "{office}");
        assert_eq!(office["functions"].as_array().unwrap().len(), 13);
        assert_eq!(office["weeks"].as_array().unwrap().len(), 12);
        let (status, refused) = app
            .call_as(
                &session,
                "/api/dashboard/get",
                json!({ "query": { "from": "2026-11-10", "to": "2026-11-01" } }),
            )
            .await;
        assert_eq!(status, 400, "{refused}");
        assert_eq!(refused["fields"][0]["field"], "to", "{refused}");
        let clerk = app.sign_in("logistics_clerk", DEMO_PASSWORD).await;
        let (status, own) = app
            .call_as(&clerk, "/api/dashboard/get", json!({ "query": {} }))
            .await;
        assert_eq!(status, 200, "{own}");
        assert!(own["functions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["code"] != "documents"));
        let (status, _) = app
            .call_as(
                &clerk,
                "/api/dashboard/get",
                json!({ "query": { "function": "documents" } }),
            )
            .await;
        assert_eq!(status, 403);
        let employee = app.sign_in("employee", DEMO_PASSWORD).await;
        let (status, _) = app
            .call_as(&employee, "/api/dashboard/get", json!({ "query": {} }))
            .await;
        assert_eq!(status, 403);

        conn.close().await.ok();
        app.stop().await;
        db
    }
);
