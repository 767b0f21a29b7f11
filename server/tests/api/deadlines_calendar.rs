//! The calendar of deadlines (`calendar/view`) and the iCalendar feed at a secret address
//! (`calendar/feed/*`, `GET /feeds/<token>.ics`), read back with an independent parser.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::helpers::{with_app, Session, TestApp, DEMO_PASSWORD};
use crate::on_both_databases;

/// Raises an incoming document received at `received_at` (local, `2025-09-30T10:00`) as the
/// employee; returns its id.
async fn raise_document(app: &TestApp, received_at: &str) -> i64 {
    let employee = app.sign_in("employee", DEMO_PASSWORD).await;
    let (status, raised) = app
        .call_as(
            &employee,
            "/api/cases/raise",
            json!({
                "process": "incoming_document", "title": "关于国庆节放假安排的通知",
                "department": null,
                "form": { "received_at": received_at, "issuer": "市政府办公厅", "title": "通知" }
            }),
        )
        .await;
    assert_eq!(status, 200, "{raised}");
    raised["case"]["id"].as_i64().unwrap()
}

async fn calendar(app: &TestApp, who: &Session, body: Value) -> (u16, Value) {
    app.call_as(who, "/api/calendar/view", body).await
}

fn items_of(page: &Value, case: i64) -> Vec<Value> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["case_id"] == case)
        .cloned()
        .collect()
}

on_both_databases!(
    the_month_shows_a_deadline_on_its_day_with_the_holidays_marked,
    with_app,
    |app| async move {
        let case = raise_document(&app, "2025-09-30T10:00").await;
        let director = app.sign_in("director", DEMO_PASSWORD).await;
        let (status, page) = calendar(
            &app,
            &director,
            json!({ "view": "month", "date": "2025-09", "filter": {} }),
        )
        .await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["from"], "2025-09-01");
        assert_eq!(page["to"], "2025-10-05");
        let mine = items_of(&page, case);
        assert_eq!(mine.len(), 1, "{page}");
        let item = &mine[0];
        assert_eq!(item["kind"], "Deadline");
        assert_eq!(item["date"], "2025-09-30");
        assert_eq!(item["time"], "18:00");
        assert_eq!(item["what"]["zh"], "签收、编号");
        assert_eq!(item["owner_name"]["zh"], "公文文员");
        assert_eq!(item["sla"], "Overdue");
        assert_eq!(item["key"], format!("step-{case}-1"));
        let day = |date: &str| {
            page["days"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["date"] == date)
                .cloned()
                .unwrap()
        };
        assert_eq!(
            day("2025-10-01")["mark"],
            json!({ "Off": "国庆节、中秋节" })
        );
        assert_eq!(
            day("2025-09-28")["mark"],
            json!({ "MakeUp": "国庆节、中秋节" })
        );
        assert_eq!(day("2025-09-27")["mark"], Value::Null);

        // Filters: another function leaves it out; words from its title keep it.
        let (_, other) = calendar(
            &app,
            &director,
            json!({ "view": "month", "date": "2025-09-30", "filter": { "function": "logistics" } }),
        )
        .await;
        assert!(items_of(&other, case).is_empty());
        let (_, found) = calendar(
            &app,
            &director,
            json!({ "view": "agenda", "date": "2025-09-01", "filter": { "text": "放假 通知", "overdue": true } }),
        )
        .await;
        assert_eq!(items_of(&found, case).len(), 1, "{found}");

        // Who may not see the case does not see its deadline; nobody signed in is refused.
        let outsider = app.sign_in("hr_specialist", DEMO_PASSWORD).await;
        let (status, theirs) = calendar(
            &app,
            &outsider,
            json!({ "view": "month", "date": "2025-09", "filter": {} }),
        )
        .await;
        assert_eq!(status, 200);
        assert!(items_of(&theirs, case).is_empty());
        let (status, _) = app
            .call(
                "/api/calendar/view",
                json!({ "view": "month", "date": "2025-09", "filter": {} }),
            )
            .await;
        assert_eq!(status, 401);
        let (status, refused) = calendar(
            &app,
            &director,
            json!({ "view": "month", "date": "2025-13", "filter": {} }),
        )
        .await;
        assert_eq!(status, 400);
        assert_eq!(refused["fields"][0]["field"], "date", "{refused}");
        app
    }
);

/// The VEVENTs of a feed by UID, each as its properties (name → (parameters, value)).
type Props = HashMap<String, (Vec<(String, Vec<String>)>, String)>;

fn parse_feed(text: &str) -> (HashMap<String, Props>, Vec<String>) {
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let calendar = calendars
        .next()
        .expect("one calendar")
        .expect("the feed parses");
    assert!(calendars.next().is_none());
    let zones = calendar
        .timezones
        .iter()
        .flat_map(|z| z.properties.iter())
        .filter(|p| p.name == "TZID")
        .filter_map(|p| p.value.clone())
        .collect();
    let events = calendar
        .events
        .iter()
        .map(|event| {
            let props: Props = event
                .properties
                .iter()
                .map(|p| {
                    (
                        p.name.clone(),
                        (
                            p.params.clone().unwrap_or_default(),
                            p.value.clone().unwrap_or_default(),
                        ),
                    )
                })
                .collect();
            (props["UID"].1.clone(), props)
        })
        .collect();
    (events, zones)
}

async fn fetch(app: &TestApp, path: &str) -> (u16, String, String) {
    let response = app.client.get(app.url(path)).send().await.unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, kind, response.text().await.unwrap())
}

on_both_databases!(
    the_feed_holds_the_deadlines_in_shanghai_time_and_only_for_its_token,
    with_app,
    |app| async move {
        // A document received now: its deadline falls within the feed's window.
        let now = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai);
        let case = raise_document(&app, &now.format("%Y-%m-%dT%H:%M").to_string()).await;
        let director = app.sign_in("director", DEMO_PASSWORD).await;
        let (status, card) = app
            .call_as(&director, "/api/boards/card", json!({ "id": case }))
            .await;
        assert_eq!(status, 200, "{card}");
        let due = chrono::DateTime::parse_from_rfc3339(card["due_at"].as_str().unwrap())
            .unwrap()
            .with_timezone(&chrono_tz::Asia::Shanghai);

        let (status, none) = app
            .call_as(&director, "/api/calendar/feed", json!({}))
            .await;
        assert_eq!(status, 200);
        assert_eq!(none["made_at"], Value::Null);
        let (status, made) = app
            .call_as(&director, "/api/calendar/feed/renew", json!({}))
            .await;
        assert_eq!(status, 200, "{made}");
        let path = made["path"].as_str().unwrap().to_string();
        assert!(
            path.starts_with("/feeds/") && path.ends_with(".ics"),
            "{path}"
        );
        let (_, known) = app
            .call_as(&director, "/api/calendar/feed", json!({}))
            .await;
        assert!(known["made_at"].is_string());
        assert_eq!(known["path"], Value::Null, "the address is shown only once");

        let (status, kind, text) = fetch(&app, &path).await;
        assert_eq!(status, 200, "{text}");
        assert!(kind.starts_with("text/calendar"), "{kind}");
        let (events, zones) = parse_feed(&text);
        assert_eq!(zones, vec!["Asia/Shanghai".to_string()]);
        let uid = format!("step-{case}-1@officeflow");
        let event = events
            .get(&uid)
            .unwrap_or_else(|| panic!("{uid} in {text}"));
        let (params, start) = &event["DTSTART"];
        assert_eq!(
            params,
            &vec![("TZID".to_string(), vec!["Asia/Shanghai".to_string()])]
        );
        assert_eq!(start, &due.format("%Y%m%dT%H%M%S").to_string());
        assert_eq!(event["STATUS"].1, "CONFIRMED");
        assert_eq!(event["SEQUENCE"].1, "1");
        assert!(
            event["SUMMARY"].1.contains("签收、编号"),
            "{:?}",
            event["SUMMARY"]
        );
        assert!(event["URL"]
            .1
            .ends_with(&format!("/functions/documents/board?case={case}")));

        // The case is withdrawn: the feed cancels its deadline, as a newer version.
        let (status, cancelled) = app
            .call_as(
                &director,
                "/api/cases/apply",
                json!({ "id": case, "version": 1,
                        "command": { "op": "cancel", "reason": "重复登记" } }),
            )
            .await;
        assert_eq!(status, 200, "{cancelled}");
        let (_, _, text) = fetch(&app, &path).await;
        let (events, _) = parse_feed(&text);
        assert_eq!(events[&uid]["STATUS"].1, "CANCELLED", "{text}");
        assert_eq!(events[&uid]["SEQUENCE"].1, "2");

        // Without the right token: not found. A new address ends the old one; revoking ends
        // the new one.
        let wrong = format!("/feeds/{}.ics", "0".repeat(64));
        assert_eq!(fetch(&app, &wrong).await.0, 404);
        assert_eq!(fetch(&app, "/feeds/short.ics").await.0, 404);
        let (_, renewed) = app
            .call_as(&director, "/api/calendar/feed/renew", json!({}))
            .await;
        let new_path = renewed["path"].as_str().unwrap().to_string();
        assert_ne!(new_path, path);
        assert_eq!(fetch(&app, &path).await.0, 404);
        assert_eq!(fetch(&app, &new_path).await.0, 200);
        let (status, _) = app
            .call_as(&director, "/api/calendar/feed/revoke", json!({}))
            .await;
        assert_eq!(status, 200);
        assert_eq!(fetch(&app, &new_path).await.0, 404);
        let (status, _) = app.call("/api/calendar/feed/renew", json!({})).await;
        assert_eq!(status, 401);
        app
    }
);

/// A meeting raised for the week after next, from 14:00 to 16:00; answers its id and day.
async fn raise_meeting(app: &TestApp) -> (i64, chrono::NaiveDate) {
    let organiser = app.sign_in("meeting_organiser", DEMO_PASSWORD).await;
    let day = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive()
        + chrono::Duration::days(14);
    let (status, raised) = app
        .call_as(
            &organiser,
            "/api/cases/raise",
            json!({
                "process": "meeting", "title": "季度经营分析会", "department": null,
                "form": { "title": "季度经营分析会", "topics": "经营情况", "attendees": "各部门负责人",
                          "meeting_start": format!("{day}T14:00"), "meeting_end": format!("{day}T16:00") }
            }),
        )
        .await;
    assert_eq!(status, 200, "{raised}");
    (raised["case"]["id"].as_i64().unwrap(), day)
}

on_both_databases!(
    a_meeting_is_on_the_calendar_and_an_upgraded_database_gets_its_dates_back,
    crate::helpers::with_db,
    |db: crate::helpers::TestDb| async move {
        use sea_orm::ConnectionTrait;
        let app = TestApp::spawn(&db).await;
        let (case, day) = raise_meeting(&app).await;
        let organiser = app.sign_in("meeting_organiser", DEMO_PASSWORD).await;
        let week = json!({ "view": "week", "date": day.to_string(), "filter": {} });
        let (_, page) = calendar(&app, &organiser, week.clone()).await;
        let events: Vec<Value> = items_of(&page, case)
            .into_iter()
            .filter(|i| i["kind"] == "Event")
            .collect();
        assert_eq!(events.len(), 2, "{page}");
        let start = events
            .iter()
            .find(|e| e["field"] == "meeting_start")
            .unwrap();
        assert_eq!(start["time"], "14:00");
        assert_eq!(start["movable"], true, "the organiser may move it");
        assert_eq!(
            start["companions"],
            json!([["meeting_end", "16:00"]]),
            "the end moves with it"
        );
        let outsider = app.sign_in("logistics_clerk", DEMO_PASSWORD).await;
        let (_, theirs) = calendar(&app, &outsider, week.clone()).await;
        for e in items_of(&theirs, case) {
            assert_eq!(e["movable"], false, "{e}");
        }
        app.stop().await;

        // A database from before the calendar has no rows for it: the next start fills them.
        let conn = sea_orm::Database::connect(db.url.as_str()).await.unwrap();
        conn.execute_unprepared("DELETE FROM case_events")
            .await
            .unwrap();
        conn.close().await.ok();
        let app = TestApp::spawn(&db).await;
        let (_, page) = calendar(&app, &organiser, week).await;
        let back = items_of(&page, case)
            .into_iter()
            .filter(|i| i["kind"] == "Event")
            .count();
        assert_eq!(back, 2, "{page}");
        app.stop().await;
        db
    }
);

/// Per day of `page`: its items' keys in order, and how many it has in all (shown + more).
fn per_day(page: &Value) -> std::collections::BTreeMap<String, (Vec<String>, u64)> {
    let mut days: std::collections::BTreeMap<String, (Vec<String>, u64)> = Default::default();
    for item in page["items"].as_array().unwrap() {
        let day = days
            .entry(item["date"].as_str().unwrap().to_string())
            .or_default();
        day.0.push(item["key"].as_str().unwrap().to_string());
        day.1 += 1;
    }
    for more in page["more"].as_array().unwrap() {
        days.entry(more[0].as_str().unwrap().to_string())
            .or_default()
            .1 += more[1].as_u64().unwrap();
    }
    days
}

on_both_databases!(
    the_sampled_month_agrees_with_every_item_read_for_each_viewer_and_filter,
    with_app,
    |app| async move {
        // A busy day two weeks ahead: documents received at 14:30 (three), 15:00 (two) and
        // 15:30 (two), so each is a case date that day, and all seven are due at 18:00 (ties
        // the database must rank as the calendar orders them), plus a meeting from 14:00 to
        // 16:00 (its end ranks too low to be sampled). The month view (ranked and counted in SQL) must show each day's first three
        // and count the rest exactly as the list view, which reads every item, has them.
        let (meeting, day) = raise_meeting(&app).await;
        let mut documents = Vec::new();
        for time in [
            "14:30", "14:30", "14:30", "15:00", "15:00", "15:30", "15:30",
        ] {
            documents.push(raise_document(&app, &format!("{day}T{time}")).await);
        }
        let outsider = app.sign_in("ops_specialist", DEMO_PASSWORD).await;
        let viewers = [
            ("director", app.sign_in("director", DEMO_PASSWORD).await),
            ("employee", app.sign_in("employee", DEMO_PASSWORD).await),
            (
                "document_clerk",
                app.sign_in("document_clerk", DEMO_PASSWORD).await,
            ),
            (
                "meeting_organiser",
                app.sign_in("meeting_organiser", DEMO_PASSWORD).await,
            ),
            ("ops_specialist", outsider),
        ];
        let filters = [
            json!({}),
            json!({ "mine": true }),
            json!({ "my_roles": true }),
            json!({ "overdue": true }),
            json!({ "function": "documents" }),
            json!({ "function": "meetings", "mine": true }),
        ];
        let mut busy_day_seen = 0;
        for (who, session) in &viewers {
            for filter in &filters {
                let ask =
                    |view: &str| json!({ "view": view, "date": day.to_string(), "filter": filter });
                let (status, month) = calendar(&app, session, ask("month")).await;
                assert_eq!(status, 200, "{month}");
                let (status, list) = calendar(&app, session, ask("agenda")).await;
                assert_eq!(status, 200, "{list}");
                let sampled = per_day(&month);
                let whole = per_day(&list);
                let (first, last) = (list["from"].as_str().unwrap(), list["to"].as_str().unwrap());
                let in_month = |d: &String| d.as_str() >= first && d.as_str() <= last;
                let sampled: Vec<_> = sampled.into_iter().filter(|(d, _)| in_month(d)).collect();
                let expected: Vec<_> = whole
                    .into_iter()
                    .map(|(d, (keys, n))| (d, (keys.into_iter().take(3).collect::<Vec<_>>(), n)))
                    .collect();
                assert_eq!(sampled, expected, "{who} with {filter}");
                if let Some((_, (keys, n))) = sampled.iter().find(|(d, _)| *d == day.to_string()) {
                    if *n > 3 {
                        busy_day_seen += 1;
                        assert_eq!(keys.len(), 3, "{who} with {filter}");
                    }
                }
            }
        }
        // The director's documents: on the day received, the first three are those received
        // at 14:30, by case; on the day they are due (the same day at 18:00, or the next
        // working day when received on a day off) all seven are due at one instant, and the
        // first three are again the lowest cases.
        let director = &viewers[0].1;
        let documents_only = |view: &str| json!({ "view": view, "date": day.to_string(), "filter": { "function": "documents" } });
        let (_, month) = calendar(&app, director, documents_only("month")).await;
        let mut month = per_day(&month);
        let received = month.remove(&day.to_string()).unwrap();
        let first = |kind: &str| -> Vec<String> {
            documents[..3]
                .iter()
                .map(|id| kind.replace("{id}", &id.to_string()))
                .collect()
        };
        assert_eq!(
            received.0,
            first("event-{id}-received_at"),
            "ranked by instant, then case"
        );
        assert!(received.1 >= 7, "{received:?}");
        let (_, list) = calendar(&app, director, documents_only("agenda")).await;
        let due_on = items_of(&list, documents[0])
            .into_iter()
            .find(|i| i["kind"] == "Deadline")
            .map(|i| i["date"].as_str().unwrap().to_string())
            .unwrap();
        if due_on != day.to_string() {
            let due = month.remove(&due_on).unwrap();
            assert_eq!(
                due,
                (first("step-{id}-1"), 7),
                "seven tied at 18:00, by case"
            );
        }
        assert!(
            busy_day_seen >= 3,
            "the busy day was trimmed for several viewers"
        );
        // The meeting's start is sampled (14:00, first of the day) and its end (16:00, after
        // five documents) is not; the start still brings the end along as a companion.
        let (_, month) = calendar(
            &app,
            director,
            json!({ "view": "month", "date": day.to_string(), "filter": {} }),
        )
        .await;
        let shown = items_of(&month, meeting);
        assert_eq!(shown.len(), 1, "{shown:?}");
        assert_eq!(shown[0]["field"], "meeting_start");
        assert_eq!(shown[0]["companions"], json!([["meeting_end", "16:00"]]));
        app
    }
);

/// Two instances on one PostgreSQL database: each keeps the open cases' dates in memory, and
/// what one commits (a case raised, a case withdrawn) reaches the other's calendar.
#[tokio::test]
async fn what_one_instance_commits_reaches_the_calendar_of_another_on_postgres() {
    crate::helpers::with_db(crate::helpers::Backend::Postgres, |db| async move {
        let first = TestApp::spawn(&db).await;
        let second = TestApp::spawn(&db).await;
        let director = second.sign_in("director", DEMO_PASSWORD).await;
        let month = json!({ "view": "month", "date": "2025-09", "filter": {} });
        // Within a few seconds, the second's month shows (or no longer shows) the case.
        let shows = |case: i64, wanted: bool| {
            let (second, director, month) = (&second, &director, month.clone());
            async move {
                for _ in 0..100 {
                    let (status, page) = calendar(second, director, month.clone()).await;
                    assert_eq!(status, 200, "{page}");
                    if items_of(&page, case).is_empty() != wanted {
                        return true;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
                false
            }
        };
        let case = raise_document(&first, "2025-09-30T10:00").await;
        assert!(
            shows(case, true).await,
            "the second instance's calendar never showed the first's case"
        );
        let (status, cancelled) = first
            .call_as(
                &first.sign_in("director", DEMO_PASSWORD).await,
                "/api/cases/apply",
                json!({ "id": case, "version": 1,
                        "command": { "op": "cancel", "reason": "重复登记" } }),
            )
            .await;
        assert_eq!(status, 200, "{cancelled}");
        assert!(
            shows(case, false).await,
            "the case withdrawn on the first instance stayed on the second's calendar"
        );
        first.stop().await;
        second.stop().await;
        db
    })
    .await;
}
