use serde_json::{json, Value};

use crate::helpers::{with_app, with_db, TestApp, DEMO_PASSWORD};
use crate::on_both_databases;

/// The built-in files with `02-documents.toml` edited.
fn builtin_files_with_documents(edit: impl Fn(&str) -> String) -> Value {
    let mut files = builtin_files();
    for file in files.as_array_mut().unwrap() {
        if file["name"] == "02-documents.toml" {
            file["text"] = Value::String(edit(file["text"].as_str().unwrap()));
        }
    }
    files
}

pub(crate) fn builtin_files() -> Value {
    let files: Vec<Value> = app::domain::catalog::BUILTIN_FILES
        .iter()
        .map(|(name, text)| json!({ "name": name, "text": text }))
        .collect();
    Value::Array(files)
}

on_both_databases!(
    the_builtin_catalog_is_stored_as_version_1_and_reads_back_equal,
    with_app,
    |app| async move {
        let (status, stored) = app.call("/api/catalog/get", json!({})).await;
        assert_eq!(status, 200);
        assert_eq!(stored["version"], 1);
        let catalog: app::domain::catalog::Catalog =
            serde_json::from_value(stored["catalog"].clone()).unwrap();
        assert_eq!(catalog, app::domain::catalog::builtin().unwrap());
        app
    }
);

on_both_databases!(
    the_navigation_lists_the_thirteen_functions_of_the_catalog,
    with_app,
    |app| async move {
        let (status, functions) = app.call("/api/catalog/functions", json!({})).await;
        assert_eq!(status, 200);
        let list = functions.as_array().unwrap();
        assert_eq!(list.len(), 13);
        assert_eq!(list[1]["name"]["zh"], "文书与公文处理");
        assert!(list[1]["positioning"]["zh"]
            .as_str()
            .unwrap()
            .contains("上通下达"));
        app
    }
);

on_both_databases!(
    saving_an_edit_needs_an_administrator,
    with_app,
    |app| async move {
        let body = json!({ "files": builtin_files(), "note": "改名" });
        let (status, error) = app.call("/api/catalog/save", body.clone()).await;
        assert_eq!(status, 401, "{error}");
        assert_eq!(error["error"], "unauthenticated");
        let director = app.sign_in("director", DEMO_PASSWORD).await;
        let (status, error) = app.call_as(&director, "/api/catalog/save", body).await;
        assert_eq!(status, 403, "{error}");
        assert_eq!(error["error"], "forbidden");
        let (_, stored) = app.call("/api/catalog/get", json!({})).await;
        assert_eq!(stored["version"], 1, "nothing was saved");
        app
    }
);

on_both_databases!(
    an_edit_becomes_the_next_version_and_the_old_one_stays,
    with_app,
    |app| async move {
        let files = builtin_files_with_documents(|text| text.replace("文书与公文处理", "公文管理"));
        let (status, saved) = app
            .admin_call(
                "/api/catalog/save",
                json!({ "files": files, "note": "职能更名" }),
            )
            .await;
        assert_eq!(status, 200, "{saved}");
        assert_eq!(saved["version"], 2);
        let (_, functions) = app.call("/api/catalog/functions", json!({})).await;
        assert_eq!(functions[1]["name"]["zh"], "公文管理");
        let (_, first) = app.call("/api/catalog/get", json!({ "version": 1 })).await;
        assert_eq!(
            first["catalog"]["functions"][1]["name"]["zh"],
            "文书与公文处理"
        );
        app
    }
);

on_both_databases!(
    a_broken_edit_is_refused_with_its_locations_and_changes_nothing,
    with_app,
    |app| async move {
        let files = builtin_files_with_documents(|text| {
            text.replacen("deadline = \"wd(1)\"", "deadline = \"wd(x)\"", 1)
        });
        let (status, error) = app
            .admin_call(
                "/api/catalog/save",
                json!({ "files": files, "note": "坏的" }),
            )
            .await;
        assert_eq!(status, 400, "{error}");
        let message = error["fields"][0]["message"]["en"].as_str().unwrap();
        assert!(
            message.starts_with("02-documents.toml: process["),
            "{message}"
        );
        assert!(message.contains("wd(x)"), "{message}");
        let (_, stored) = app.call("/api/catalog/get", json!({})).await;
        assert_eq!(stored["version"], 1);
        app
    }
);

on_both_databases!(
    an_unknown_version_is_not_found,
    with_app,
    |app| async move {
        let (status, _) = app.call("/api/catalog/get", json!({ "version": 99 })).await;
        assert_eq!(status, 404);
        app
    }
);

on_both_databases!(
    the_builtin_catalog_is_stored_once_across_restarts,
    with_db,
    |db| async move {
        let first = TestApp::spawn(&db).await;
        first.stop().await;
        let again = TestApp::spawn(&db).await;
        let (_, stored) = again.call("/api/catalog/get", json!({})).await;
        assert_eq!(stored["version"], 1);
        let (status, _) = again
            .call("/api/catalog/get", json!({ "version": 2 }))
            .await;
        assert_eq!(status, 404, "no second copy of the built-in catalog");
        again.stop().await;
        db
    }
);

/// The catalog in force, as the editor loads it.
async fn catalog_in_force(app: &TestApp) -> (u64, app::domain::catalog::Catalog) {
    let (status, stored) = app.call("/api/catalog/get", json!({})).await;
    assert_eq!(status, 200, "{stored}");
    let version = stored["version"].as_u64().unwrap();
    (
        version,
        serde_json::from_value(stored["catalog"].clone()).unwrap(),
    )
}

fn amendment(base: u64, catalog: &app::domain::catalog::Catalog, note: &str) -> Value {
    json!({ "amendment": { "base_version": base, "catalog": catalog, "note": note } })
}

on_both_databases!(
    the_editors_amendment_is_the_next_version_new_cases_use_and_a_stale_one_is_a_conflict,
    with_app,
    |app| async move {
        use app::domain::rules::DeadlineRule;
        let employee = app.sign_in("employee", DEMO_PASSWORD).await;
        let raise = json!({
            "process": "incoming_document", "title": "来文", "department": null,
            "form": { "received_at": "2025-09-30T10:00", "issuer": "甲", "title": "乙" }
        });
        let (status, before) = app
            .call_as(&employee, "/api/cases/raise", raise.clone())
            .await;
        assert_eq!(status, 200, "{before}");

        let (base, mut catalog) = catalog_in_force(&app).await;
        let process = catalog
            .processes
            .iter_mut()
            .find(|p| p.code == "incoming_document")
            .unwrap();
        process.steps[1].deadline = Some(DeadlineRule::WorkingDays(5));
        let body = amendment(base, &catalog, "登记时限放宽为 5 个工作日");
        let (status, saved) = app.admin_call("/api/catalog/amend", body.clone()).await;
        assert_eq!(status, 200, "{saved}");
        assert_eq!(saved["version"], base + 1);
        let (_, now) = catalog_in_force(&app).await;
        assert_eq!(
            now.process("incoming_document").unwrap().steps[1].deadline,
            Some(DeadlineRule::WorkingDays(5))
        );
        let (_, history) = app.call("/api/catalog/history", json!({})).await;
        assert_eq!(history[0]["version"], base + 1);
        assert_eq!(history[0]["note"], "登记时限放宽为 5 个工作日");
        assert_eq!(history[1]["version"], base);

        // A new case starts under the new version; the running one keeps its own.
        let (_, after) = app.call_as(&employee, "/api/cases/raise", raise).await;
        assert_eq!(after["case"]["catalog_version"], base + 1, "{after}");
        let id = before["case"]["id"].clone();
        let (_, running) = app
            .call_as(&employee, "/api/cases/get", json!({ "id": id }))
            .await;
        assert_eq!(running["case"]["catalog_version"], base, "{running}");

        // The same edit again, from the version it started from, would undo nothing visible but
        // is refused: someone saved in between.
        let (status, error) = app.admin_call("/api/catalog/amend", body).await;
        assert_eq!(status, 409, "{error}");
        assert_eq!(error["current_version"], base + 1);
        let (_, history) = app.call("/api/catalog/history", json!({})).await;
        assert_eq!(history.as_array().unwrap().len() as u64, base + 1);
        app
    }
);

on_both_databases!(
    a_broken_or_empty_amendment_says_where_and_changes_nothing,
    with_app,
    |app| async move {
        let (base, catalog) = catalog_in_force(&app).await;
        let mut broken = catalog.clone();
        let process = broken
            .processes
            .iter_mut()
            .find(|p| p.code == "incoming_document")
            .unwrap();
        process.steps[1].owner = app::domain::catalog::RoleCode::new("nobody");
        let (status, error) = app
            .admin_call("/api/catalog/amend", amendment(base, &broken, " "))
            .await;
        assert_eq!(status, 400, "{error}");
        let fields: Vec<&str> = error["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["note", "process[incoming_document].step[2].owner"]);

        let (status, error) = app
            .admin_call("/api/catalog/amend", amendment(base, &catalog, "无改动"))
            .await;
        assert_eq!(status, 400, "{error}");
        assert_eq!(error["fields"][0]["code"], "unchanged");

        let director = app.sign_in("director", DEMO_PASSWORD).await;
        let mut renamed = catalog.clone();
        renamed.processes[0].name.zh.push('!');
        let (status, _) = app
            .call_as(
                &director,
                "/api/catalog/amend",
                amendment(base, &renamed, "改名"),
            )
            .await;
        assert_eq!(status, 403);
        let (version, _) = catalog_in_force(&app).await;
        assert_eq!(version, base, "nothing was saved");
        app
    }
);
