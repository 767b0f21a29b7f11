//! In-case repeats as due items (the incident's progress report every 4 hours), and files
//! uploaded as step outputs: checked, stored under the data folder, recorded, downloaded.

use app::domain::workflow::{Command, FileRef, OutputValue};
use serde_json::{json, Value};

use crate::cases::{catalog, Walk};
use crate::helpers::{with_app, TestApp, ADMIN_TOKEN};
use crate::on_both_databases;

async fn inbox(app: &TestApp, role: &str) -> Vec<Value> {
    let (status, items) = app
        .operator_call("/api/cases/inbox", json!({ "role": role }), None)
        .await;
    assert_eq!(status, 200, "{items}");
    items.as_array().unwrap().clone()
}

on_both_databases!(
    the_incident_progress_report_is_a_due_item_done_once_then_the_next_one_is_due,
    with_app,
    |app| async move {
        let catalog = catalog();
        let process = catalog
            .processes
            .iter()
            .find(|p| p.repeats.iter().any(|r| r.code == "progress_report"))
            .expect("the incident process");
        let mut walk = Walk::raise(&app, &catalog, process.code.as_str()).await;
        walk.walk_to("handle").await;
        let id = walk.case.id.0;
        let repeats: Vec<Value> = inbox(&app, "emergency_lead")
            .await
            .into_iter()
            .filter(|i| i["case_id"] == id && i["kind"] == "repeat")
            .collect();
        assert_eq!(repeats.len(), 1, "the next report is due: {repeats:?}");
        let key = repeats[0]["key"].as_str().unwrap().to_string();
        assert!(key.starts_with("progress_report:"), "{key}");

        let done = Command::RecordRepeat {
            key: key.clone(),
            note: "火情已控制,人员已疏散。".into(),
        };
        walk.run(done.clone(), None, "repeat_done").await;
        assert_eq!(walk.case.repeats_done.len(), 1);
        // The same repetition cannot be done twice; the case is unchanged by the refusal.
        let (status, refused) = walk.try_run(&done, None).await;
        assert_eq!(status, 400, "{refused}");
        assert_eq!(refused["fields"][0]["code"], "not_outstanding");
        let next: Vec<Value> = inbox(&app, "emergency_lead")
            .await
            .into_iter()
            .filter(|i| i["case_id"] == id && i["kind"] == "repeat")
            .collect();
        assert_eq!(next.len(), 1);
        assert_ne!(next[0]["key"].as_str().unwrap(), key);
        assert!(next[0]["due"].as_str().unwrap() > repeats[0]["due"].as_str().unwrap());
        // The report is on the trail.
        let audit = walk.audit().await;
        let entry = audit.iter().find(|e| e["kind"] == "repeat_done").unwrap();
        assert_eq!(entry["detail"]["key"], key.as_str());
        app
    }
);

async fn upload(app: &TestApp, case: i64, name: &str, ct: &str, body: Vec<u8>) -> (u16, Value) {
    let response = app
        .client
        .post(app.url(&format!("/api/cases/{case}/files")))
        .query(&[("name", name)])
        .bearer_auth(ADMIN_TOKEN)
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .expect("answered");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

on_both_databases!(
    a_file_is_uploaded_checked_recorded_as_an_output_and_downloaded,
    with_app,
    |app| async move {
        let catalog = catalog();
        // The first process whose first step asks for an output.
        let mut found = None;
        for process in catalog.processes.iter().filter(|p| p.raised_by.is_some()) {
            let walk = Walk::raise(&app, &catalog, process.code.as_str()).await;
            let step = walk.case.active().next().unwrap().1.step.clone();
            let def = process.step(step.as_str()).unwrap();
            if let Some(output) = def.outputs.first() {
                found = Some((walk, step, output.output.clone()));
                break;
            }
        }
        let (mut walk, step, output) = found.expect("a first step with an output");
        let id = walk.case.id.0;

        let (status, file) =
            upload(&app, id, "会议纪要.pdf", "application/pdf", PDF.to_vec()).await;
        assert_eq!(status, 201, "{file}");
        let file: FileRef = serde_json::from_value(file).unwrap();
        assert_eq!(
            (file.size, file.content_type.as_str()),
            (PDF.len() as u64, "application/pdf")
        );

        // Refusals: bytes that are not a PDF, an unknown case, no token, too large.
        let (status, refused) =
            upload(&app, id, "a.pdf", "application/pdf", b"MZ\x90\0".to_vec()).await;
        assert_eq!(
            (status, refused["fields"][0]["code"].as_str()),
            (400, Some("content_mismatch"))
        );
        let (status, _) = upload(&app, 999_999, "a.pdf", "application/pdf", PDF.to_vec()).await;
        assert_eq!(status, 404);
        let anonymous = app
            .client
            .post(app.url(&format!("/api/cases/{id}/files?name=a.pdf")))
            .header("content-type", "application/pdf")
            .body(PDF.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status().as_u16(), 401);
        let big = vec![b'a'; 21 * 1024 * 1024];
        let (status, _) = upload(&app, id, "big.txt", "text/plain", big).await;
        assert_eq!(status, 413);

        // A forged reference is refused; the uploaded one is recorded as uploaded.
        let forged = Command::RecordOutput {
            step: step.clone(),
            output: output.clone(),
            value: OutputValue::File(FileRef {
                id: "0".repeat(32),
                ..file.clone()
            }),
        };
        let (status, refused) = walk.try_run(&forged, None).await;
        assert_eq!(
            (status, refused["fields"][0]["code"].as_str()),
            (400, Some("unknown_file"))
        );
        let claimed = FileRef {
            name: "改过的名字.exe".into(),
            ..file.clone()
        };
        let record = Command::RecordOutput {
            step: step.clone(),
            output: output.clone(),
            value: OutputValue::File(claimed),
        };
        walk.run(record, None, "output_recorded").await;
        let (_, inst) = walk.case.active().next().unwrap();
        assert_eq!(inst.outputs[&output].value, OutputValue::File(file.clone()));

        let download = app
            .client
            .get(app.url(&format!("/api/files/{}", file.id)))
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(download.status().as_u16(), 200);
        assert_eq!(download.headers()["content-type"], "application/pdf");
        assert!(download.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("filename*=UTF-8''%E4%BC%9A"));
        assert_eq!(download.bytes().await.unwrap().as_ref(), PDF);
        let missing = app
            .client
            .get(app.url(&format!("/api/files/{}", "f".repeat(32))))
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status().as_u16(), 404);
        app
    }
);

on_both_databases!(
    a_file_uploaded_ahead_of_a_request_is_the_uploaders_until_the_raise_attaches_it,
    with_app,
    |app| async move {
        let employee = app.sign_in("employee", crate::helpers::DEMO_PASSWORD).await;
        let director = app.sign_in("director", crate::helpers::DEMO_PASSWORD).await;
        let send = |cookie: String, body: Vec<u8>| {
            app.client
                .post(app.url("/api/files"))
                .query(&[("name", "发文稿.pdf")])
                .header("cookie", cookie)
                .header("content-type", "application/pdf")
                .body(body)
                .send()
        };
        let anonymous = app
            .client
            .post(app.url("/api/files?name=a.pdf"))
            .header("content-type", "application/pdf")
            .body(PDF.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status().as_u16(), 401);
        let refused = send(employee.cookie.clone(), b"MZ\x90\0".to_vec())
            .await
            .unwrap();
        assert_eq!(refused.status().as_u16(), 400);
        let stored = send(employee.cookie.clone(), PDF.to_vec()).await.unwrap();
        assert_eq!(stored.status().as_u16(), 201);
        let file: FileRef = stored.json().await.unwrap();
        let download = |cookie: String| {
            app.client
                .get(app.url(&format!("/api/files/{}", file.id)))
                .header("cookie", cookie)
                .send()
        };
        // Before the raise only the uploader reaches it.
        assert_eq!(
            download(employee.cookie.clone())
                .await
                .unwrap()
                .status()
                .as_u16(),
            200
        );
        assert_eq!(
            download(director.cookie.clone())
                .await
                .unwrap()
                .status()
                .as_u16(),
            404
        );

        // Raised with a name of its own choosing: the stored reference is what the case keeps.
        let claimed = FileRef {
            name: "改过的名字.exe".into(),
            ..file.clone()
        };
        let (status, raised) = app
            .call_as(
                &employee,
                "/api/cases/raise",
                json!({
                    "process": "outgoing_document", "title": "关于年终总结的通知", "department": null,
                    "form": { "title": "年终总结通知", "draft": claimed }
                }),
            )
            .await;
        assert_eq!(status, 200, "{raised}");
        let draft: FileRef =
            serde_json::from_value(raised["case"]["values"]["draft"]["value"].clone()).unwrap();
        assert_eq!(draft, file);
        // Now the case's: its viewers (the director sees every case) download it.
        assert_eq!(
            download(director.cookie.clone())
                .await
                .unwrap()
                .status()
                .as_u16(),
            200
        );
        app
    }
);
