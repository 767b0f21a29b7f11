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
