use serde_json::json;

use crate::helpers::{with_app, with_db, TestApp};
use crate::on_both_databases;

on_both_databases!(
    a_new_installation_has_the_default_organisation_name,
    with_app,
    |app| async move {
        let (status, org) = app.call("/api/organisation/get", json!({})).await;
        assert_eq!(status, 200, "{org}");
        assert_eq!(org["name"], "示范单位办公室");
        assert!(org["updated_at"].is_null());
        app
    }
);

on_both_databases!(
    renaming_stores_the_trimmed_name_and_stamps_the_time,
    with_app,
    |app| async move {
        let (status, org) = app
            .admin_call(
                "/api/organisation/rename",
                json!({ "name": "  市政府办公室  " }),
            )
            .await;
        assert_eq!(status, 200, "{org}");
        assert_eq!(org["name"], "市政府办公室");
        assert!(org["updated_at"]
            .as_str()
            .is_some_and(|t| t.ends_with("+08:00")));
        let (_, read) = app.call("/api/organisation/get", json!({})).await;
        assert_eq!(read["name"], "市政府办公室");
        app
    }
);

on_both_databases!(
    an_invalid_name_is_refused_per_field_and_changes_nothing,
    with_app,
    |app| async move {
        for (bad, code) in [
            ("   ", "required"),
            (&*"办".repeat(61), "too_long"),
            ("a\u{7}b", "invalid_characters"),
        ] {
            let (status, error) = app
                .admin_call("/api/organisation/rename", json!({ "name": bad }))
                .await;
            assert_eq!(status, 400, "{error}");
            assert_eq!(error["error"], "invalid");
            assert_eq!(error["fields"][0]["field"], "name");
            assert_eq!(error["fields"][0]["code"], code);
            assert!(error["fields"][0]["message"]["zh"]
                .as_str()
                .is_some_and(|m| !m.is_empty()));
        }
        let (_, read) = app.call("/api/organisation/get", json!({})).await;
        assert_eq!(read["name"], "示范单位办公室");
        assert!(read["updated_at"].is_null());
        app
    }
);

on_both_databases!(
    a_malformed_body_is_a_clear_400_not_a_crash,
    with_app,
    |app| async move {
        let response = app
            .client
            .post(app.url("/api/organisation/rename"))
            .header("content-type", "application/json")
            .body("{\"name\": 12")
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body = response.text().await.unwrap_or_default();
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("\"error\":\"request\""), "{body}");
        let (status, body) = app
            .call("/api/organisation/rename", json!({ "nom": "x" }))
            .await;
        assert_eq!(status, 400, "{body}");
        app
    }
);

on_both_databases!(
    a_renamed_organisation_survives_a_restart,
    with_db,
    |db| async move {
        let app = TestApp::spawn(&db).await;
        let (status, _) = app
            .admin_call("/api/organisation/rename", json!({ "name": "重启之后" }))
            .await;
        assert_eq!(status, 200);
        app.stop().await;
        let again = TestApp::spawn(&db).await;
        let (_, read) = again.call("/api/organisation/get", json!({})).await;
        assert_eq!(read["name"], "重启之后");
        again.stop().await;
        db
    }
);
