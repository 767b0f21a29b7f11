//! Signing in and out: the cookie, wrong and unknown credentials alike, disabled accounts,
//! expired sessions, throttling after repeated failures, password change, cross-site calls.

use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{json, Value};

use crate::helpers::{with_db, TestApp, TestDb, DEMO_PASSWORD};
use crate::on_both_databases;

async fn sign_in_raw(app: &TestApp, login: &str, password: &str) -> (u16, Value, Option<String>) {
    let response = app
        .client
        .post(app.url("/api/auth/sign-in"))
        .json(&json!({ "login": login, "password": password }))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, response.json().await.unwrap_or(Value::Null), cookie)
}

async fn sql(db: &TestDb, statement: &str) {
    let conn = Database::connect(&db.url).await.unwrap();
    conn.execute_unprepared(statement).await.unwrap();
    conn.close().await.ok();
}

on_both_databases!(
    signing_in_sets_a_safe_cookie_and_signing_out_ends_the_session,
    with_db,
    |db: TestDb| async move {
        let app = TestApp::spawn(&db).await;
        let (status, person, cookie) = sign_in_raw(&app, " Document_Clerk ", DEMO_PASSWORD).await;
        assert_eq!(status, 200, "{person}");
        assert_eq!(person["login"], "document_clerk");
        assert_eq!(person["roles"], json!(["document_clerk"]));
        assert!(person.get("password_hash").is_none());
        let cookie = cookie.unwrap();
        for part in ["HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(cookie.contains(part), "{cookie}");
        }
        assert!(!cookie.contains("Secure"), "plain HTTP here: {cookie}");
        let session = app.sign_in("document_clerk", DEMO_PASSWORD).await;
        let (_, me) = app.call_as(&session, "/api/auth/me", json!({})).await;
        assert_eq!(me["login"], session.person["login"]);
        let (status, _) = app.call_as(&session, "/api/auth/sign-out", json!({})).await;
        assert_eq!(status, 200);
        let (_, me) = app.call_as(&session, "/api/auth/me", json!({})).await;
        assert!(me.is_null(), "the session ended: {me}");
        let (status, _) = app.call_as(&session, "/api/cases/list", json!({})).await;
        assert_eq!(status, 401);
        // Sessions live in the database: they survive a restart.
        let kept = app.sign_in("director", DEMO_PASSWORD).await;
        app.stop().await;
        let app = TestApp::spawn(&db).await;
        let (_, me) = app.call_as(&kept, "/api/auth/me", json!({})).await;
        assert_eq!(me["login"], "director");
        app.stop().await;
        db
    }
);

on_both_databases!(
    wrong_unknown_and_disabled_sign_ins_are_refused,
    with_db,
    |db: TestDb| async move {
        let app = TestApp::spawn(&db).await;
        let (status, wrong, cookie) = sign_in_raw(&app, "director", "not the password").await;
        assert_eq!((status, cookie), (400, None));
        let (status, unknown, _) = sign_in_raw(&app, "nobody", "not the password").await;
        assert_eq!(status, 400);
        assert_eq!(wrong, unknown, "the same answer: logins are not revealed");
        assert_eq!(wrong["fields"][0]["code"], "wrong_credentials");
        sql(
            &db,
            "UPDATE users SET active = false WHERE login = 'archivist'",
        )
        .await;
        let (status, disabled, _) = sign_in_raw(&app, "archivist", DEMO_PASSWORD).await;
        assert_eq!(status, 400);
        assert_eq!(disabled["fields"][0]["code"], "disabled");
        app.stop().await;
        db
    }
);

on_both_databases!(
    an_expired_session_is_signed_out,
    with_db,
    |db: TestDb| async move {
        let app = TestApp::spawn(&db).await;
        let session = app.sign_in("director", DEMO_PASSWORD).await;
        let (status, _) = app.call_as(&session, "/api/cases/list", json!({})).await;
        assert_eq!(status, 200);
        let old = (Utc::now() - Duration::days(2)).to_rfc3339();
        sql(
            &db,
            &format!("UPDATE sessions SET last_seen_at = '{old}', created_at = '{old}'"),
        )
        .await;
        let (status, _) = app.call_as(&session, "/api/cases/list", json!({})).await;
        assert_eq!(status, 401, "idle for two days");
        app.stop().await;
        db
    }
);

on_both_databases!(
    repeated_failures_are_slowed_down_and_a_success_resets_the_account,
    with_db,
    |db: TestDb| async move {
        let app = TestApp::spawn(&db).await;
        for _ in 0..5 {
            let (status, _, _) = sign_in_raw(&app, "secretary", "guess").await;
            assert_eq!(status, 400);
        }
        // From now on each failure doubles the wait (1 s, 2 s, 4 s …). Password checks are
        // slow in a debug build on a busy machine, so keep guessing until a wait of at least
        // 2 s is running; then even the right password must wait.
        let mut wait = 0;
        for _ in 0..10 {
            let (status, answer, _) = sign_in_raw(&app, "secretary", "guess").await;
            if status == 429 {
                wait = answer["retry_after_seconds"].as_i64().unwrap();
                assert!(wait >= 1, "{answer}");
                if wait >= 2 {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_secs(wait as u64)).await;
            } else {
                assert_eq!(status, 400, "{answer}");
            }
        }
        assert!(wait >= 2, "guessing was slowed down");
        let (status, throttled, _) = sign_in_raw(&app, "secretary", DEMO_PASSWORD).await;
        assert_eq!(status, 429, "even the right password waits: {throttled}");
        // Once the wait is over the right password works and resets the count.
        let wait = throttled["retry_after_seconds"].as_u64().unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(wait * 1000 + 200)).await;
        let (status, _, _) = sign_in_raw(&app, "secretary", DEMO_PASSWORD).await;
        assert_eq!(status, 200);
        let (status, _, _) = sign_in_raw(&app, "secretary", "guess").await;
        assert_eq!(status, 400, "counting starts again");
        app.stop().await;
        db
    }
);

on_both_databases!(
    a_password_change_checks_the_current_one_and_ends_other_sessions,
    with_db,
    |db: TestDb| async move {
        let app = TestApp::spawn(&db).await;
        let here = app.sign_in("hr_specialist", DEMO_PASSWORD).await;
        let elsewhere = app.sign_in("hr_specialist", DEMO_PASSWORD).await;
        let change = |current: &str, new: &str| json!({ "current": current, "new": new });
        let (status, e) = app
            .call_as(
                &here,
                "/api/auth/password",
                change("wrong", "long enough pw"),
            )
            .await;
        assert_eq!(
            (status, e["fields"][0]["code"].as_str()),
            (400, Some("wrong_password"))
        );
        let (status, e) = app
            .call_as(&here, "/api/auth/password", change(DEMO_PASSWORD, "short"))
            .await;
        assert_eq!(
            (status, e["fields"][0]["code"].as_str()),
            (400, Some("too_short"))
        );
        let (status, _) = app
            .call_as(
                &here,
                "/api/auth/password",
                change(DEMO_PASSWORD, "人事专员的新密码"),
            )
            .await;
        assert_eq!(status, 200);
        let (_, me) = app.call_as(&here, "/api/auth/me", json!({})).await;
        assert_eq!(me["login"], "hr_specialist", "this session stays");
        let (_, me) = app.call_as(&elsewhere, "/api/auth/me", json!({})).await;
        assert!(me.is_null(), "the other session ended");
        let (status, _, _) = sign_in_raw(&app, "hr_specialist", DEMO_PASSWORD).await;
        assert_eq!(status, 400);
        app.sign_in("hr_specialist", "人事专员的新密码").await;
        app.stop().await;
        db
    }
);

on_both_databases!(
    cross_site_calls_are_refused_before_anything_happens,
    with_db,
    |db: TestDb| async move {
        let app = TestApp::spawn(&db).await;
        let session = app.sign_in("director", DEMO_PASSWORD).await;
        let host = app.base.trim_start_matches("http://").to_string();
        let send = |origin: &str| {
            app.client
                .post(app.url("/api/auth/sign-out"))
                .header("cookie", &session.cookie)
                .header("origin", origin)
                .json(&json!({}))
                .send()
        };
        assert_eq!(
            send("https://evil.example")
                .await
                .unwrap()
                .status()
                .as_u16(),
            403
        );
        let (_, me) = app.call_as(&session, "/api/auth/me", json!({})).await;
        assert_eq!(me["login"], "director", "still signed in");
        assert_eq!(
            send(&format!("http://{host}"))
                .await
                .unwrap()
                .status()
                .as_u16(),
            200
        );
        app.stop().await;
        db
    }
);
