//! The generated reports on both databases: cases raised and completed at fixed instants
//! through the case store, the overdue report and the briefing read back against values
//! computed by hand; the endpoint and the downloads check the period and who asks.
//!
//! The built-in calendar works 09:00–12:00 and 13:00–18:00 in Asia/Shanghai; 2026-11-24 is a
//! Tuesday.

use app::domain::catalog::StepCode;
use app::domain::lang::Lang;
use app::domain::workflow::reports::{Report, ReportKind, ReportQuery};
use app::domain::workflow::samples::sample_form;
use app::domain::workflow::{Actor, CaseId, Command, RawValue};
use app::ports::{CaseStore, NewCase};
use chrono::{DateTime, TimeZone, Utc};
use officeflow_server::persistence;
use officeflow_server::startup::ports;
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

async fn raise(cases: &dyn CaseStore, actor: &Actor, process: &str, at: DateTime<Utc>) -> CaseId {
    let catalog = catalog();
    let definition = catalog.process(process).unwrap();
    let mut form = sample_form(definition, at, false);
    if process == "incoming_document" {
        form.insert("received_at".into(), RawValue::from("2026-11-24T09:00"));
    }
    cases
        .raise(
            NewCase {
                process: process.into(),
                title: format!("{} 测试", definition.name.zh),
                department: Some("行政部".into()),
                form,
            },
            actor,
            at,
        )
        .await
        .expect("raised")
        .case
        .id
}

fn section_rows(report: &Report, code: &str) -> Vec<Vec<String>> {
    report
        .sections
        .iter()
        .find(|s| s.code == code)
        .unwrap_or_else(|| panic!("no section {code}"))
        .rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| c.get(Lang::Zh).to_string())
                .collect()
        })
        .collect()
}

fn figure(report: &Report, label: &str) -> String {
    report
        .figures
        .iter()
        .find(|f| f.label.zh == label)
        .unwrap_or_else(|| panic!("no figure {label}"))
        .value
        .zh
        .clone()
}

on_both_databases!(
    the_reports_are_written_from_the_cases_as_computed_by_hand,
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

        // Three documents received Tuesday 09:00 (签收、编号: same day, until 18:00). The first
        // signed at 10:30 (on time), the second on Wednesday at 10:00 (540 of 480 working
        // minutes: late), the third not yet.
        let first = raise(cases, &director, "incoming_document", cn(24, 9, 0)).await;
        let second = raise(cases, &director, "incoming_document", cn(24, 9, 0)).await;
        let _third = raise(cases, &director, "incoming_document", cn(24, 9, 0)).await;
        for (id, at) in [(first, cn(24, 10, 30)), (second, cn(25, 10, 0))] {
            cases
                .apply(
                    id,
                    1,
                    Command::CompleteStep {
                        step: StepCode::new("sign_and_number"),
                    },
                    &director,
                    at,
                )
                .await
                .expect("completed");
        }
        // A collaboration request raised on Monday of the week.
        let task = raise(cases, &director, "collaboration_request", cn(23, 9, 0)).await;

        // Friday: the month's overdue report for the director.
        let now = cn(27, 10, 0);
        let november = |kind| ReportQuery {
            kind,
            period: Some(
                if kind == ReportKind::Briefing {
                    "2026-W48"
                } else {
                    "2026-11"
                }
                .into(),
            ),
        };
        let report = cases
            .report(&director, &november(ReportKind::Overdue), now)
            .await
            .expect("the overdue report");
        assert!(report.running);
        assert_eq!(report.period.code, "2026-11");
        assert_eq!(figure(&report, "本月完成环节"), "2");
        assert_eq!(figure(&report, "逾期完成"), "1");
        assert_eq!(figure(&report, "按时率"), "50%");
        let functions = section_rows(&report, "functions");
        assert_eq!(functions.len(), 13);
        let documents = catalog().function("documents").unwrap().name.zh.clone();
        let row = functions
            .iter()
            .find(|r| r[0] == documents)
            .expect("documents");
        // Still overdue on Friday: the third's signing (due Tuesday 18:00) and the others'
        // next step (呈送主任拟办, due 24 hours after receipt).
        assert_eq!(row[1..], ["2", "1", "50%", "3"]);
        let late = section_rows(&report, "late");
        assert_eq!(late.len(), 1);
        assert_eq!(late[0][0], format!("#{}", second.0));
        assert_eq!(
            late[0][4..],
            ["2026-11-25", "9 工作小时", "8 工作小时", "1 工作小时"]
        );
        let still = section_rows(&report, "still_overdue");
        assert!(still.len() >= 3, "{still:?}");

        // The week's briefing: the collaboration request, new and under way.
        let briefing = cases
            .report(&director, &november(ReportKind::Briefing), now)
            .await
            .expect("the briefing");
        assert_eq!(figure(&briefing, "进行中"), "1");
        assert_eq!(figure(&briefing, "本周新增"), "1");
        let under_way = section_rows(&briefing, "under_way");
        assert_eq!(under_way.len(), 1);
        assert_eq!(under_way[0][0], format!("#{}", task.0));
        assert_eq!(under_way[0][7], "0/4");

        // The month's reimbursements: none paid yet.
        let claims = cases
            .report(&director, &november(ReportKind::Reimbursements), now)
            .await
            .expect("the reimbursement summary");
        assert_eq!(figure(&claims, "报销笔数"), "0");

        // The endpoint: the director reads the month; a period that does not read is refused
        // at its field; the reimbursement summary is not the logistics clerk's to read.
        let session = app.sign_in("director", DEMO_PASSWORD).await;
        let (status, month) = app
            .call_as(
                &session,
                "/api/reports/get",
                json!({ "query": { "kind": "overdue", "period": "2026-11" } }),
            )
            .await;
        assert_eq!(status, 200, "{month}");
        assert_eq!(month["sections"].as_array().unwrap().len(), 4);
        let (status, refused) = app
            .call_as(
                &session,
                "/api/reports/get",
                json!({ "query": { "kind": "overdue", "period": "2026-13" } }),
            )
            .await;
        assert_eq!(status, 400, "{refused}");
        assert_eq!(refused["fields"][0]["field"], "period", "{refused}");
        let clerk = app.sign_in("logistics_clerk", DEMO_PASSWORD).await;
        let (status, _) = app
            .call_as(
                &clerk,
                "/api/reports/get",
                json!({ "query": { "kind": "reimbursements" } }),
            )
            .await;
        assert_eq!(status, 403);

        // The downloads: CSV with a byte-order mark and the report's lines; a workbook with a
        // summary sheet and a sheet per section.
        let (status, headers, bytes) = app
            .operator_get("/api/reports/overdue/export.csv?period=2026-11")
            .await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
        assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
        assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "a byte-order mark");
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let lines: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(&lines[0][0], "月度逾期报告");
        assert_eq!((&lines[1][0], &lines[1][1]), ("期间", "2026年11月"));
        assert!(lines
            .iter()
            .any(|l| l.len() == 2 && &l[0] == "逾期完成" && &l[1] == "1"));
        let late_line = lines
            .iter()
            .find(|l| l.get(0) == Some(format!("#{}", second.0).as_str()) && l.len() == 8)
            .expect("the late completion");
        assert_eq!(&late_line[5], "9 工作小时");
        let (status, _, bytes) = app
            .operator_get("/api/reports/overdue/export.xlsx?period=2026-11&lang=en")
            .await;
        assert_eq!(status, 200);
        {
            use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
            let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
            assert_eq!(book.sheet_names().len(), 5);
            assert_eq!(book.sheet_names()[0], "Summary");
            let sheet = book.worksheet_range_at(1).unwrap().unwrap();
            let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
            assert_eq!(rows[0][0], Data::String("Function".into()));
            // The counts are numbers.
            assert!(rows[1..].iter().all(|r| matches!(r[1], Data::Float(_))));
        }
        let (status, _, _) = app.operator_get("/api/reports/nothing/export.csv").await;
        assert_eq!(status, 404);
        let (status, _, _) = app
            .operator_get("/api/reports/overdue/export.csv?period=someday")
            .await;
        assert_eq!(status, 400);
        let (status, _) = app.get("/api/reports/overdue/export.csv").await;
        assert_eq!(status, 401);

        conn.close().await.ok();
        app.stop().await;
        db
    }
);
