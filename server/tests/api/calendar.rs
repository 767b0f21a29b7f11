use serde_json::{json, Value};

use crate::helpers::{with_app, TestApp, DEMO_PASSWORD};
use crate::on_both_databases;

async fn due(app: &TestApp, rule: &str, anchor: &str) -> Value {
    let (status, preview) = app
        .call(
            "/api/calendar/deadline",
            json!({ "rule": rule, "anchor": anchor }),
        )
        .await;
    assert_eq!(status, 200, "{preview}");
    preview
}

on_both_databases!(
    deadlines_count_the_2025_national_day_holiday,
    with_app,
    |app| async move {
        let preview = due(&app, "wd(3)", "2025-09-30T10:00:00+08:00").await;
        assert_eq!(preview["due"], "2025-10-11T18:00:00+08:00");
        assert_eq!(preview["provisional"], false);
        assert!(preview["explanation"]
            .as_str()
            .unwrap()
            .contains("国庆节、中秋节"));
        app
    }
);

on_both_databases!(
    a_new_day_off_moves_the_deadlines_that_cross_it_at_once,
    with_app,
    |app| async move {
        assert_eq!(
            due(&app, "wd(1)", "2026-12-29T10:00:00+08:00").await["due"],
            "2026-12-30T18:00:00+08:00"
        );
        let (status, body) = app
            .admin_call(
                "/api/calendar/override/put",
                json!({ "date": "2026-12-30", "kind": "holiday", "name": "年终盘点休息" }),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            due(&app, "wd(1)", "2026-12-29T10:00:00+08:00").await["due"],
            "2026-12-31T18:00:00+08:00"
        );
        let (status, _) = app
            .admin_call(
                "/api/calendar/override/remove",
                json!({ "date": "2026-12-30" }),
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            due(&app, "wd(1)", "2026-12-29T10:00:00+08:00").await["due"],
            "2026-12-30T18:00:00+08:00"
        );
        app
    }
);

on_both_databases!(
    a_year_without_data_is_flagged_until_its_arrangement_is_imported,
    with_app,
    |app| async move {
        let preview = due(&app, "wd(1)", "2027-01-04T10:00:00+08:00").await;
        assert_eq!(preview["provisional"], true);
        let (_, overview) = app.call("/api/calendar/get", json!({})).await;
        assert!(
            overview["years_without_data"]
                .as_array()
                .unwrap()
                .contains(&json!(2027)),
            "{overview}"
        );

        let csv = "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-05,holiday,测试休息日\n";
        let (status, count) = app
            .admin_call("/api/calendar/import", json!({ "year": 2027, "csv": csv }))
            .await;
        assert_eq!(status, 200, "{count}");
        assert_eq!(count, 2);
        let preview = due(&app, "wd(1)", "2027-01-04T10:00:00+08:00").await;
        assert_eq!(preview["provisional"], false);
        assert_eq!(
            preview["due"], "2027-01-06T18:00:00+08:00",
            "the imported day off is skipped"
        );
        let (_, overview) = app.call("/api/calendar/get", json!({})).await;
        assert!(overview["published_years"]
            .as_array()
            .unwrap()
            .contains(&json!(2027)));
        app
    }
);

on_both_databases!(
    calendar_changes_need_an_administrator_and_valid_input,
    with_app,
    |app| async move {
        let body = json!({ "date": "2026-12-30", "kind": "holiday", "name": "x" });
        let (status, _) = app.call("/api/calendar/override/put", body.clone()).await;
        assert_eq!(status, 401, "nobody signed in");
        let clerk = app.sign_in("document_clerk", DEMO_PASSWORD).await;
        let (status, _) = app
            .call_as(&clerk, "/api/calendar/override/put", body)
            .await;
        assert_eq!(status, 403, "signed in, not an administrator");
        let (status, error) = app
            .admin_call(
                "/api/calendar/override/put",
                json!({ "date": "30/12", "kind": "nap", "name": "" }),
            )
            .await;
        assert_eq!(status, 400);
        let fields: Vec<&str> = error["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["date", "kind", "name"]);
        let (status, _) = app
            .admin_call(
                "/api/calendar/import",
                json!({ "year": 2028, "csv": "date,kind,name\n2027-01-01,holiday,元旦\n" }),
            )
            .await;
        assert_eq!(status, 400);
        let (_, overview) = app.call("/api/calendar/get", json!({})).await;
        assert_eq!(overview["overrides"], json!([]), "nothing was stored");
        let (status, _) = app
            .call(
                "/api/calendar/deadline",
                json!({ "rule": "wd(0)", "anchor": "2025-01-01T00:00:00Z" }),
            )
            .await;
        assert_eq!(status, 400);
        app
    }
);

on_both_databases!(
    working_hours_settings_apply_at_once,
    with_app,
    |app| async move {
        let settings = json!({
            "time_zone": "Asia/Shanghai", "work_start": "08:30:00", "work_end": "17:30:00",
            "lunch": null, "due_soon": { "percent_of_allowed": 25, "minutes_left": 240 }
        });
        let (status, body) = app
            .admin_call(
                "/api/calendar/settings/save",
                json!({ "settings": settings }),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            due(&app, "same-day", "2025-09-30T10:00:00+08:00").await["due"],
            "2025-09-30T17:30:00+08:00"
        );
        let bad = json!({ "time_zone": "Asia/Shanghai", "work_start": "18:00:00", "work_end": "09:00:00" });
        let (status, _) = app
            .admin_call("/api/calendar/settings/save", json!({ "settings": bad }))
            .await;
        assert_eq!(status, 400);
        app
    }
);

on_both_databases!(
    open_deadlines_are_recomputed_the_moment_the_calendar_changes,
    with_app,
    |app| async move {
        let raise = json!({
            "process": "incoming_document", "title": "年终通知", "department": null,
            "form": { "received_at": "2026-12-28T10:00", "issuer": "市政府办公厅", "title": "年终通知" }
        });
        let (status, view) = app.operator_call("/api/cases/raise", raise, None).await;
        assert_eq!(status, 200, "{view}");
        let id = view["case"]["id"].clone();
        assert_eq!(
            view["steps"][0]["due_at"], "2026-12-28T18:00:00+08:00",
            "same day as the receipt"
        );
        let version = view["case"]["version"].as_i64().unwrap();

        let day_off = json!({ "date": "2026-12-28", "kind": "holiday", "name": "停电检修" });
        let (status, body) = app.admin_call("/api/calendar/override/put", day_off).await;
        assert_eq!(status, 200, "{body}");
        let (_, view) = app
            .operator_call("/api/cases/get", json!({ "id": id }), None)
            .await;
        assert_eq!(
            view["steps"][0]["due_at"], "2026-12-29T18:00:00+08:00",
            "moved past the new day off"
        );
        assert_eq!(view["case"]["version"].as_i64().unwrap(), version + 1);
        let (_, audit) = app
            .operator_call("/api/cases/audit", json!({ "id": id }), None)
            .await;
        let last = audit.as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["detail"]["recomputed"], true, "{last}");
        assert_eq!(last["detail"]["reason"], "calendar");

        let (status, _) = app
            .admin_call(
                "/api/calendar/override/remove",
                json!({ "date": "2026-12-28" }),
            )
            .await;
        assert_eq!(status, 200);
        let (_, view) = app
            .operator_call("/api/cases/get", json!({ "id": id }), None)
            .await;
        assert_eq!(
            view["steps"][0]["due_at"], "2026-12-28T18:00:00+08:00",
            "and back when it is removed"
        );
        app
    }
);
