//! Cases through the API: every process of the catalog walked to the end, refusals that
//! change nothing, concurrent completions, conflicts, and the ledger rows steps write.

use app::domain::catalog::{builtin, Catalog, EscalationOn, Process, StepCode};
use app::domain::workflow::samples::{sample, sample_form};
use app::domain::workflow::{Case, CaseStatus, Command, FormInput, OutputValue, Verdict};
use serde_json::{json, Value};

use crate::helpers::{with_app, TestApp};
use crate::on_both_databases;

pub(crate) fn catalog() -> Catalog {
    builtin().expect("the built-in catalog is valid")
}

/// A distinct user number per role, so a dual sign-off has two different people.
fn holder(catalog: &Catalog, role: &str) -> i64 {
    100 + catalog
        .roles
        .iter()
        .position(|r| r.code == role)
        .unwrap_or(0) as i64
}

/// A case walked through the API, with the audit kind each operation must start with.
pub(crate) struct Walk<'a> {
    app: &'a TestApp,
    catalog: &'a Catalog,
    process: &'a Process,
    pub(crate) case: Case,
    kinds: Vec<&'static str>,
}

impl<'a> Walk<'a> {
    pub(crate) async fn raise(app: &'a TestApp, catalog: &'a Catalog, code: &str) -> Walk<'a> {
        let process = catalog.process(code).expect("process");
        let form = sample_form(process, chrono::Utc::now(), false);
        let body =
            json!({ "process": code, "title": "测试案件", "department": "行政部", "form": form });
        let (status, view) = app.operator_call("/api/cases/raise", body, None).await;
        assert_eq!(status, 200, "{code}: {view}");
        let case: Case = serde_json::from_value(view["case"].clone()).unwrap();
        assert!(case.id.0 > 0);
        assert_eq!(case.version, 1);
        Walk {
            app,
            catalog,
            process,
            case,
            kinds: vec!["raised"],
        }
    }

    pub(crate) async fn try_run(&self, command: &Command, user: Option<i64>) -> (u16, Value) {
        let body =
            json!({ "id": self.case.id.0, "version": self.case.version, "command": command });
        self.app.operator_call("/api/cases/apply", body, user).await
    }

    pub(crate) async fn run(&mut self, command: Command, user: Option<i64>, kind: &'static str) {
        let (status, view) = self.try_run(&command, user).await;
        assert_eq!(status, 200, "{}: {command:?}: {view}", self.process.code);
        let case: Case = serde_json::from_value(view["case"].clone()).unwrap();
        assert_eq!(case.version, self.case.version + 1);
        self.case = case;
        self.kinds.push(kind);
    }

    fn step(&self, code: &StepCode) -> &'a app::domain::catalog::Step {
        self.process.step(code.as_str()).expect("step")
    }

    /// Records, as `role`, every empty field that role fills.
    async fn fill_role_fields(&mut self, role: &str) {
        let now = chrono::Utc::now();
        let values: FormInput = self
            .process
            .fields
            .iter()
            .filter(|f| f.filled_by.as_ref().is_some_and(|r| r == role))
            .filter(|f| !self.case.values.contains_key(&f.code))
            .map(|f| (f.code.to_string(), sample(f, now)))
            .collect();
        if !values.is_empty() {
            let user = holder(self.catalog, role);
            let command = Command::RecordFields { values };
            self.run(command, Some(user), "fields_recorded").await;
        }
    }

    /// Where the step escalates anomalies: flags one and records the escalation.
    async fn escalate_if_anomaly_escalates(&mut self, code: &StepCode) {
        let step = self.step(code);
        if !step
            .escalations
            .iter()
            .any(|e| e.on == EscalationOn::AnomalyFlagged)
        {
            return;
        }
        let flag = Command::FlagAnomaly {
            reason: "进度滞后".into(),
        };
        self.run(flag, None, "anomaly_flagged").await;
        self.run(Command::RecordEscalations, None, "escalated")
            .await;
        assert!(!self.case.escalations.is_empty());
    }

    /// Ticks every checklist item, records every output, gives every approval.
    pub(crate) async fn do_the_work(&mut self, code: &StepCode) {
        let step = self.step(code);
        for item in 0..step.checklist.len() {
            let tick = Command::TickChecklist {
                step: code.clone(),
                item,
                ticked: true,
            };
            self.run(tick, None, "checklist_ticked").await;
        }
        for o in &step.outputs {
            let record = Command::RecordOutput {
                step: code.clone(),
                output: o.output.clone(),
                value: OutputValue::Form(format!("{} 内容", o.output)),
            };
            self.run(record, None, "output_recorded").await;
        }
        for role in step.approvals.iter().flat_map(|a| a.roles().to_vec()) {
            let user = holder(self.catalog, role.as_str());
            let approve = Command::Approve {
                step: code.clone(),
                role,
                verdict: Verdict::Approve,
                comment: None,
            };
            self.run(approve, Some(user), "approved").await;
        }
    }

    fn first_active(&self) -> Option<StepCode> {
        self.case.active().next().map(|(_, s)| s.step.clone())
    }

    /// Fills the owner's fields and does the work of the step under way; `None` when it
    /// was skipped by the fields recorded.
    async fn prepare(&mut self, code: &StepCode) -> bool {
        let owner = self.step(code).owner.clone();
        self.fill_role_fields(owner.as_str()).await;
        self.case.active_instance(code).is_some()
    }

    pub(crate) async fn complete(&mut self, code: &StepCode) {
        let complete = Command::CompleteStep { step: code.clone() };
        self.run(complete, None, "step_completed").await;
    }

    /// Completes the steps under way until `code` is under way (its fields filled).
    pub(crate) async fn walk_to(&mut self, code: &str) {
        let target = StepCode::new(code);
        loop {
            let current = self.first_active().expect("a step under way");
            if !self.prepare(&current).await {
                continue;
            }
            if current == target {
                return;
            }
            self.do_the_work(&current).await;
            self.complete(&current).await;
        }
    }

    pub(crate) async fn audit(&self) -> Vec<Value> {
        audit_of(self.app, self.case.id.0).await
    }
}

pub(crate) async fn audit_of(app: &TestApp, id: i64) -> Vec<Value> {
    let (status, audit) = app
        .operator_call("/api/cases/audit", json!({ "id": id }), None)
        .await;
    assert_eq!(status, 200, "{audit}");
    audit.as_array().unwrap().clone()
}

pub(crate) async fn get_case(app: &TestApp, id: i64) -> Value {
    let (status, view) = app
        .operator_call("/api/cases/get", json!({ "id": id }), None)
        .await;
    assert_eq!(status, 200, "{view}");
    view
}

/// Raises a case of `process` and walks it to the end, as the domain test does.
async fn walk_to_the_end(app: &TestApp, catalog: &Catalog, process: &Process) {
    let mut walk = Walk::raise(app, catalog, process.code.as_str()).await;
    if process
        .steps
        .iter()
        .any(|s| s.anchor == app::domain::catalog::Anchor::AnomalyFlagged)
    {
        let flag = Command::FlagAnomaly {
            reason: "设备故障".into(),
        };
        walk.run(flag, None, "anomaly_flagged").await;
    }
    for _ in 0..4 * process.steps.len() + 4 {
        let Some(code) = walk.first_active() else {
            break;
        };
        if !walk.prepare(&code).await {
            continue;
        }
        walk.escalate_if_anomaly_escalates(&code).await;
        walk.do_the_work(&code).await;
        walk.complete(&code).await;
    }
    assert_eq!(
        walk.case.status,
        CaseStatus::Closed,
        "{} ends closed",
        process.code
    );
    let view = get_case(app, walk.case.id.0).await;
    assert_eq!(view["case"]["status"], "Closed");
    assert!(view["closed_at"].is_string());
    assert_audit_has_one_group_per_operation(&walk.audit().await, &walk.kinds, process);
}

/// The trail's entries, grouped by the version they made, start with each operation's kind
/// in the order the operations ran, and nothing else is in it.
fn assert_audit_has_one_group_per_operation(audit: &[Value], kinds: &[&str], p: &Process) {
    let mut groups: Vec<(i64, &str)> = Vec::new();
    for entry in audit {
        let version = entry["version"].as_i64().unwrap();
        if groups.last().is_none_or(|(v, _)| *v != version) {
            groups.push((version, entry["kind"].as_str().unwrap()));
        }
    }
    let versions: Vec<i64> = groups.iter().map(|(v, _)| *v).collect();
    let expected: Vec<i64> = (1..=kinds.len() as i64).collect();
    assert_eq!(versions, expected, "{}: one version per operation", p.code);
    let firsts: Vec<&str> = groups.iter().map(|(_, k)| *k).collect();
    assert_eq!(firsts, kinds, "{}: the operations in order", p.code);
}

on_both_databases!(
    every_process_of_the_catalog_is_raised_and_walked_to_the_end_through_the_api,
    with_app,
    |app| async move {
        let catalog = catalog();
        assert!(catalog.processes.len() >= 40);
        for process in &catalog.processes {
            walk_to_the_end(&app, &catalog, process).await;
        }
        let (status, open) = app.operator_call("/api/cases/list", json!({}), None).await;
        assert_eq!(status, 200, "{open}");
        assert_eq!(open, json!([]), "every case is closed");
        app
    }
);

on_both_databases!(
    open_cases_are_listed_with_their_current_step_and_owner,
    with_app,
    |app| async move {
        let catalog = catalog();
        let walk = Walk::raise(&app, &catalog, "incoming_document").await;
        let body = json!({ "function": "documents" });
        let (status, list) = app.operator_call("/api/cases/list", body, None).await;
        assert_eq!(status, 200, "{list}");
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!(list[0]["id"], walk.case.id.0);
        assert_eq!(list[0]["process_name"]["zh"], "收文");
        assert_eq!(list[0]["current_step"]["step"], "sign_and_number");
        assert!(list[0]["current_step"]["due_at"]
            .as_str()
            .unwrap()
            .ends_with("+08:00"));
        let other = json!({ "process": "outgoing_document" });
        let (_, none) = app.operator_call("/api/cases/list", other, None).await;
        assert_eq!(none, json!([]));
        app
    }
);

on_both_databases!(
    completing_with_an_unticked_checklist_lists_every_reason_and_changes_nothing,
    with_app,
    |app| async move {
        let catalog = catalog();
        let mut walk = Walk::raise(&app, &catalog, "incoming_document").await;
        walk.walk_to("assign_handling").await;
        let before = get_case(&app, walk.case.id.0).await;
        let trail = walk.audit().await;
        let complete = Command::CompleteStep {
            step: StepCode::new("assign_handling"),
        };
        let (status, error) = walk.try_run(&complete, None).await;
        assert_eq!(status, 400, "{error}");
        assert_eq!(error["error"], "invalid");
        // The drawer's detail names the same reasons before anyone tries.
        let (status, detail) = app
            .operator_call("/api/cases/detail", json!({ "id": walk.case.id.0 }), None)
            .await;
        assert_eq!(status, 200, "{detail}");
        assert_eq!(detail["work"][0]["step"], "assign_handling");
        let blockers: Vec<&str> = detail["work"][0]["blockers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["field"].as_str().unwrap())
            .collect();
        let refused: Vec<&str> = error["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["field"].as_str().unwrap())
            .collect();
        assert_eq!(blockers, refused);
        assert_eq!(detail["version"], before["case"]["version"]);
        let history = detail["history"].as_array().unwrap();
        assert_eq!(history.len(), trail.len());
        assert_eq!(history.last().unwrap()["words"]["zh"], "提交申请");
        assert_eq!(history[0]["version"], before["case"]["version"]);
        let fields: Vec<&str> = error["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["checklist:1", "checklist:2"], "{error}");
        assert_eq!(get_case(&app, walk.case.id.0).await, before);
        assert_eq!(walk.audit().await, trail);
        app
    }
);

on_both_databases!(
    of_sixteen_concurrent_completions_of_one_step_exactly_one_succeeds,
    with_app,
    |app| async move {
        let catalog = catalog();
        let mut walk = Walk::raise(&app, &catalog, "incoming_document").await;
        walk.walk_to("sign_and_number").await;
        let (id, version) = (walk.case.id.0, walk.case.version);
        let app = std::sync::Arc::new(app);
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let app = app.clone();
                tokio::spawn(async move {
                    let body = json!({ "id": id, "version": version,
                        "command": { "op": "complete_step", "step": "sign_and_number" } });
                    app.operator_call("/api/cases/apply", body, None).await
                })
            })
            .collect();
        let mut statuses = Vec::new();
        for task in tasks {
            let (status, answer) = task.await.unwrap();
            if status == 409 {
                assert_eq!(answer["error"], "conflict");
                assert_eq!(answer["current_version"], version + 1, "{answer}");
            }
            statuses.push(status);
        }
        statuses.sort();
        assert_eq!(
            statuses.iter().filter(|s| **s == 200).count(),
            1,
            "{statuses:?}"
        );
        assert_eq!(
            statuses.iter().filter(|s| **s == 409).count(),
            15,
            "{statuses:?}"
        );
        let trail = audit_of(&app, id).await;
        let completions = trail
            .iter()
            .filter(|e| e["kind"] == "step_completed" && e["step"] == "sign_and_number")
            .count();
        assert_eq!(completions, 1);
        assert_eq!(get_case(&app, id).await["case"]["version"], version + 1);
        std::sync::Arc::into_inner(app).expect("every task is done")
    }
);

on_both_databases!(
    a_stale_version_is_a_conflict_carrying_the_current_version,
    with_app,
    |app| async move {
        let catalog = catalog();
        let mut walk = Walk::raise(&app, &catalog, "incoming_document").await;
        let comment = Command::Comment {
            step: None,
            text: "请尽快办理".into(),
        };
        walk.run(comment.clone(), None, "commented").await;
        let body = json!({ "id": walk.case.id.0, "version": 1, "command": comment });
        let (status, error) = app.operator_call("/api/cases/apply", body, None).await;
        assert_eq!(status, 409, "{error}");
        assert_eq!(error["error"], "conflict");
        assert_eq!(error["current_version"], 2);
        assert_eq!(
            walk.audit().await.len(),
            3,
            "raised, step activated, commented"
        );
        app
    }
);

on_both_databases!(
    an_unknown_case_is_not_found_and_an_unknown_process_is_invalid,
    with_app,
    |app| async move {
        let (status, _) = app
            .operator_call("/api/cases/get", json!({ "id": 999_999 }), None)
            .await;
        assert_eq!(status, 404);
        let (status, _) = app
            .operator_call("/api/cases/audit", json!({ "id": 999_999 }), None)
            .await;
        assert_eq!(status, 404);
        let (status, _) = app
            .operator_call("/api/cases/detail", json!({ "id": 999_999 }), None)
            .await;
        assert_eq!(status, 404);
        let body =
            json!({ "id": 999_999, "version": 1, "command": { "op": "record_escalations" } });
        let (status, _) = app.operator_call("/api/cases/apply", body, None).await;
        assert_eq!(status, 404);
        let body =
            json!({ "process": "no_such_process", "title": "t", "department": null, "form": {} });
        let (status, error) = app.operator_call("/api/cases/raise", body, None).await;
        assert_eq!(status, 400, "{error}");
        assert_eq!(error["fields"][0]["field"], "process");
        app
    }
);

on_both_databases!(
    without_the_operator_token_case_calls_answer_unauthenticated,
    with_app,
    |app| async move {
        let body =
            json!({ "process": "incoming_document", "title": "t", "department": null, "form": {} });
        for (endpoint, body) in [
            ("/api/cases/raise", body),
            ("/api/cases/get", json!({ "id": 1 })),
            ("/api/cases/list", json!({})),
            ("/api/cases/audit", json!({ "id": 1 })),
            ("/api/cases/detail", json!({ "id": 1 })),
            ("/api/ledgers/rows", json!({ "ledger": "document_flow" })),
        ] {
            let (status, error) = app.call(endpoint, body).await;
            assert_eq!(status, 401, "{endpoint}: {error}");
            assert_eq!(error["error"], "unauthenticated");
        }
        app
    }
);

on_both_databases!(
    the_director_naming_the_handling_department_writes_one_document_flow_ledger_row,
    with_app,
    |app| async move {
        let catalog = catalog();
        let mut walk = Walk::raise(&app, &catalog, "incoming_document").await;
        walk.walk_to("assign_handling").await;
        let code = StepCode::new("assign_handling");
        walk.do_the_work(&code).await;
        walk.complete(&code).await;
        let body = json!({ "ledger": "document_flow" });
        let (status, rows) = app.operator_call("/api/ledgers/rows", body, None).await;
        assert_eq!(status, 200, "{rows}");
        let rows = rows.as_array().unwrap();
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(rows[0]["case"], walk.case.id.0);
        assert_eq!(rows[0]["step"], "assign_handling");
        assert_eq!(rows[0]["written_by"], "document_clerk");
        let cells = rows[0]["cells"].as_array().unwrap();
        assert_eq!(cells.len(), 6);
        assert_eq!(cells[0], json!({ "column": "doc_number", "value": "样例" }));
        assert_eq!(cells[4]["value"], "行政部");
        app
    }
);

on_both_databases!(
    a_refused_raise_lists_every_missing_field_and_stores_nothing,
    with_app,
    |app| async move {
        let body =
            json!({ "process": "incoming_document", "title": "", "department": null, "form": {} });
        let (status, error) = app.operator_call("/api/cases/raise", body, None).await;
        assert_eq!(status, 400, "{error}");
        let fields: Vec<&str> = error["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        for field in ["title", "received_at", "issuer"] {
            assert!(fields.contains(&field), "{field}: {error}");
        }
        let (_, open) = app.operator_call("/api/cases/list", json!({}), None).await;
        assert_eq!(open, json!([]));
        let (status, _) = app
            .operator_call("/api/cases/get", json!({ "id": 1 }), None)
            .await;
        assert_eq!(status, 404);
        app
    }
);

on_both_databases!(
    the_document_flow_ledger_page_and_its_csv_show_the_row_with_chinese_headers,
    with_app,
    |app| async move {
        let catalog = catalog();
        let mut walk = Walk::raise(&app, &catalog, "incoming_document").await;
        walk.walk_to("assign_handling").await;
        let code = StepCode::new("assign_handling");
        walk.do_the_work(&code).await;
        walk.complete(&code).await;
        let id = walk.case.id.0;

        let query = json!({ "query": { "ledger": "document_flow" } });
        let (status, table) = app.operator_call("/api/ledgers/table", query, None).await;
        assert_eq!(status, 200, "{table}");
        assert_eq!(table["matching"], 1);
        assert_eq!(table["rows"][0]["case"], id);
        assert_eq!(table["rows"][0]["cells"][0], "样例");
        let headers: Vec<&str> = table["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c[1]["zh"].as_str().unwrap())
            .collect();
        let ledger = catalog.ledger("document_flow").unwrap();
        let expected: Vec<&str> = ledger.columns.iter().map(|c| c.name.zh.as_str()).collect();
        assert_eq!(headers, expected);

        // A period before the row finds nothing; words that are not in it neither.
        let before = json!({ "query": { "ledger": "document_flow", "to": "2001-01-31" } });
        let (_, empty) = app.operator_call("/api/ledgers/table", before, None).await;
        assert_eq!(empty["matching"], 0, "{empty}");
        let words = json!({ "query": { "ledger": "document_flow", "text": "没有这样的内容" } });
        let (_, empty) = app.operator_call("/api/ledgers/table", words, None).await;
        assert_eq!(empty["matching"], 0, "{empty}");
        let bad = json!({ "query": { "ledger": "document_flow", "from": "2025-02-01", "to": "2025-01-01", "sort": "x" } });
        let (status, error) = app.operator_call("/api/ledgers/table", bad, None).await;
        assert_eq!(status, 400, "{error}");
        assert_eq!(error["fields"].as_array().unwrap().len(), 2, "{error}");

        // The download: UTF-8 with a BOM, Chinese headers, the row, read by a CSV reader.
        let (status, headers, bytes) = app
            .operator_get("/api/ledgers/document_flow/export.csv")
            .await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
        assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
        let disposition = headers["content-disposition"].to_str().unwrap();
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert!(
            disposition
                .contains("UTF-8''%E5%85%AC%E6%96%87%E6%B5%81%E8%BD%AC%E5%8F%B0%E8%B4%A6.csv"),
            "{disposition}"
        );
        assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "a byte-order mark");
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let mut want = vec!["事项编号".to_string(), "事项".into(), "部门".into()];
        want.extend(expected.iter().map(|s| s.to_string()));
        want.push("登记时间".into());
        assert_eq!(header, want);
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), 1);
        assert_eq!(&records[0][0], id.to_string().as_str());
        assert_eq!(&records[0][3], "样例");

        // The workbook, read back by an independent reader: the sheet named after the ledger,
        // the same header, the case number as a number.
        let (status, headers, bytes) = app
            .operator_get("/api/ledgers/document_flow/export.xlsx")
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            headers["content-type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        {
            use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
            let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
            assert_eq!(book.sheet_names(), ["公文流转台账"]);
            let sheet = book.worksheet_range_at(0).unwrap().unwrap();
            let header: Vec<String> = sheet
                .rows()
                .next()
                .unwrap()
                .iter()
                .map(|c| c.to_string())
                .collect();
            assert_eq!(header, want);
            assert_eq!(sheet.get((1, 0)), Some(&Data::Float(id as f64)));
            assert_eq!(sheet.get((1, 3)), Some(&Data::String("样例".into())));
            assert_eq!(sheet.rows().count(), 2);
        }

        // In English on request; a bad date is refused; without signing in, nothing.
        let (_, _, english) = app
            .operator_get("/api/ledgers/document_flow/export.csv?lang=en")
            .await;
        let english = String::from_utf8(english).unwrap();
        assert!(english
            .trim_start_matches('\u{feff}')
            .starts_with("Case,Title,Department,"));
        let (status, _, _) = app
            .operator_get("/api/ledgers/document_flow/export.csv?from=yesterday")
            .await;
        assert_eq!(status, 400);
        let (status, _, _) = app.operator_get("/api/ledgers/nothing/export.csv").await;
        assert_eq!(status, 404);
        let (status, _) = app.get("/api/ledgers/document_flow/export.csv").await;
        assert_eq!(status, 401);
        app
    }
);
