//! Crash safety: the real binary, killed with SIGKILL while operations are in flight, loses
//! no acknowledged operation, applies none twice and leaves no case half-applied.
//!
//! The test starts `officeflow serve` on a fresh data folder, raises cases, then streams
//! operations from concurrent clients: comments and step completions on the cases raised (each
//! case belongs to one client, which sends the version it last saw) and new raises. Every
//! operation is journalled with its answer: acknowledged (2xx, with the version it made), or
//! in doubt (no answer: the kill came first). After some operations have been acknowledged and
//! a random short delay, the server is killed while at least one request is in flight. It is
//! restarted on the same data, and the trail of every case is compared with the journal:
//!
//! - the audit trail's versions are exactly 1..=the case's version, one group per operation;
//! - every acknowledged operation is in the trail exactly once, at the version its answer
//!   gave; an operation in doubt is there at most once, and only as the case's last version;
//!   nothing else is there (no operation that was never sent);
//! - the case's body agrees with its trail (its comments are the trail's comments, in order;
//!   the first step is completed exactly when the trail says so);
//! - every acknowledged raise is there once, an unacknowledged raise at most once;
//! - the restarted server accepts new operations.
//!
//! Whether the kill lands between transactions or in the middle of one, all of this holds.
//!
//! The same stream and the same checks run with PostgreSQL going away instead of the server:
//! the server reaches the database through a relay the test cuts (every connection dropped,
//! new ones refused, as when PostgreSQL restarts) while requests are in flight, then restores.
//! A request the outage breaks is answered with an error (5xx), counted in doubt like a
//! request the kill cut off; the server is not restarted, and must find the database again by
//! itself and go on working.
//!
//! And with the data folder filling up (SQLite): the folder is a file system of its own (a
//! tmpfs the test mounts, so the test needs the right to mount: root in CI), shrunk under the
//! stream to what it holds. Every write from then on must be refused with the clear
//! `cannot_save` answer (507) and change nothing, while reading goes on; once space is
//! freed the same server takes writes again, and after a restart the database file passes
//! SQLite's integrity check and the journal's checks above.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::domain::workflow::samples::sample_form;
use app::domain::workflow::{AuditEntry, AuditKind, Case, StepOutcome};
use rand::Rng;
use serde_json::{json, Value};

use crate::helpers::{with_db, Backend, SmallDisk, ADMIN_TOKEN};

const PROCESS: &str = "incoming_document";
/// The first step of [`PROCESS`]: no checklist, outputs or approvals, so it completes at once.
const FIRST_STEP: &str = "sign_and_number";
/// Cases raised before the stream starts, shared out among the clients.
const CASES: usize = 24;
/// Clients commenting and completing (plus one raising new cases).
const CLIENTS: usize = 4;
/// Operations acknowledged before the kill may come.
const ACKED_BEFORE_KILL: usize = 40;
/// How long the database stays away in the outage run.
const OUTAGE: Duration = Duration::from_secs(2);

/// What breaks under the stream.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Fault {
    /// The server is killed with SIGKILL and started again on the same data.
    Kill,
    /// PostgreSQL goes away for [`OUTAGE`] and comes back; the server keeps running.
    DatabaseOutage,
    /// The SQLite data folder's file system fills up; then space is freed.
    DiskFull,
}

/// A TCP relay to the database that the test can cut: every connection through it is
/// dropped and new ones are closed at once, as when the database server restarts.
struct Relay {
    port: u16,
    up: Arc<tokio::sync::watch::Sender<bool>>,
    task: tokio::task::JoinHandle<()>,
}

impl Relay {
    async fn start(target: String) -> Relay {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port for the relay");
        let port = listener.local_addr().expect("the relay's address").port();
        let up = Arc::new(tokio::sync::watch::channel(true).0);
        let watch = up.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !*watch.borrow() {
                    continue; // down: the connection is closed at once
                }
                let mut down = watch.subscribe();
                let target = target.clone();
                tokio::spawn(async move {
                    let Ok(mut outbound) = tokio::net::TcpStream::connect(&target).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = down.wait_for(|up| !*up) => {}
                    }
                });
            }
        });
        Relay { port, up, task }
    }

    fn set_up(&self, up: bool) {
        self.up.send_replace(up);
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.task.abort();
        self.set_up(false);
    }
}

/// A running `officeflow serve`, killed when dropped.
struct Server {
    child: Child,
    base: String,
    log: PathBuf,
}

impl Server {
    /// Starts the binary on `data_dir` (and `database_url` when given, else its SQLite
    /// default there) and waits until `/healthz` answers.
    async fn start(data_dir: &Path, database_url: Option<&str>, run: usize) -> Server {
        let mut last_log = String::new();
        for attempt in 0..3 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("a free port")
                .port();
            let log = data_dir.with_extension(format!("run{run}-{attempt}.log"));
            let out = File::create(&log).expect("the server's log file");
            let err = out.try_clone().expect("the server's log file");
            let mut command = Command::new(env!("CARGO_BIN_EXE_officeflow"));
            command
                .arg("serve")
                .env_remove("DATABASE_URL")
                .env("OFFICEFLOW_BIND", format!("127.0.0.1:{port}"))
                .env("OFFICEFLOW_DATA_DIR", data_dir)
                .env("OFFICEFLOW_SITE_ROOT", data_dir.with_extension("site"))
                .env("OFFICEFLOW_ADMIN_TOKEN", ADMIN_TOKEN)
                .env("OFFICEFLOW_SCHEDULER_EVERY", "0")
                .env("OFFICEFLOW_DEMO", "off")
                .env("OFFICEFLOW_LOG", "warn")
                .stdin(Stdio::null())
                .stdout(Stdio::from(out))
                .stderr(Stdio::from(err));
            if let Some(url) = database_url {
                command.env("DATABASE_URL", url);
            }
            let child = command.spawn().expect("the binary starts");
            let mut server = Server {
                child,
                base: format!("http://127.0.0.1:{port}"),
                log,
            };
            if server.wait_until_healthy().await {
                return server;
            }
            server.kill();
            last_log = server.log_text();
            if !last_log.contains("cannot listen") {
                break;
            }
        }
        panic!("the server did not become healthy; its log:\n{last_log}");
    }

    async fn wait_until_healthy(&mut self) -> bool {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return false;
            }
            let url = format!("{}/healthz", self.base);
            if let Ok(response) = client.get(url).send().await {
                if response.status().is_success() {
                    return true;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        false
    }

    /// SIGKILL (what `Child::kill` sends on unix), then reaps the process.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A temporary folder removed when dropped, with the servers' logs beside it.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
        let _ = std::fs::remove_dir_all(self.0.with_extension("site"));
        if let (Some(parent), Some(name)) = (self.0.parent(), self.0.file_name()) {
            let prefix = format!("{}.", name.to_string_lossy());
            for entry in std::fs::read_dir(parent).into_iter().flatten().flatten() {
                if entry.file_name().to_string_lossy().starts_with(&prefix) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
    }
}

/// An operation a client sent.
#[derive(Clone, Debug, PartialEq)]
enum Op {
    Raise { title: String },
    Comment { case: i64, seen: i64, text: String },
    Complete { case: i64, seen: i64 },
}

/// What became of it.
#[derive(Clone, Debug, PartialEq)]
enum Answer {
    /// 2xx: the case (raised or changed) and the version it is now at.
    Acked { case: i64, version: i64 },
    /// No answer: the connection failed (the kill, or a request sent after it).
    InDoubt(String),
    /// Refused as it should be when the storage is full (507 `cannot_save`): not applied.
    NotSaved,
    /// Any other status; none is expected.
    Refused(u16, Value),
}

#[derive(Clone, Debug)]
struct Entry {
    op: Op,
    answer: Answer,
}

/// What the clients share.
struct Stream {
    client: reqwest::Client,
    base: String,
    acked: AtomicUsize,
    in_flight: AtomicUsize,
    /// What breaks: with a database outage a 5xx answer leaves the operation in doubt (the
    /// database went away under it); with a full disk the answer must be `cannot_save`;
    /// any other answer but success is refused, which no run expects.
    fault: Fault,
}

impl Stream {
    /// Sends one operation; a transport failure is `Err`.
    async fn send(&self, endpoint: &str, body: Value) -> Result<(u16, Value), String> {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        let result = async {
            let response = self
                .client
                .post(format!("{}{endpoint}", self.base))
                .bearer_auth(ADMIN_TOKEN)
                .json(&body)
                .send()
                .await?;
            let status = response.status().as_u16();
            let text = response.text().await?;
            Ok::<_, reqwest::Error>((
                status,
                serde_json::from_str(&text).unwrap_or(Value::String(text)),
            ))
        }
        .await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        result.map_err(|e| e.to_string())
    }

    /// Sends `op` and journals its answer; `false` once the server is gone.
    async fn run(&self, op: Op, journal: &mut Vec<Entry>) -> bool {
        let (endpoint, body) = match &op {
            Op::Raise { title } => ("/api/cases/raise", raise_body(title)),
            Op::Comment { case, seen, text } => (
                "/api/cases/apply",
                json!({ "id": case, "version": seen,
                        "command": { "op": "comment", "step": null, "text": text } }),
            ),
            Op::Complete { case, seen } => (
                "/api/cases/apply",
                json!({ "id": case, "version": seen,
                        "command": { "op": "complete_step", "step": FIRST_STEP } }),
            ),
        };
        let (answer, go_on) = match self.send(endpoint, body).await {
            Ok((status, view)) if (200..300).contains(&status) => {
                self.acked.fetch_add(1, Ordering::SeqCst);
                let case = view["case"]["id"].as_i64().unwrap_or(-1);
                let version = view["case"]["version"].as_i64().unwrap_or(-1);
                (Answer::Acked { case, version }, true)
            }
            Ok((status, error)) if status >= 500 && self.fault == Fault::DatabaseOutage => {
                (Answer::InDoubt(format!("{status}: {error}")), false)
            }
            Ok((507, error))
                if self.fault == Fault::DiskFull && error["error"] == "cannot_save" =>
            {
                (Answer::NotSaved, false)
            }
            Ok((status, error)) => (Answer::Refused(status, error), false),
            Err(error) => (Answer::InDoubt(error), false),
        };
        journal.push(Entry { op, answer });
        go_on
    }
}

fn raise_body(title: &str) -> Value {
    let catalog = app::domain::catalog::builtin().expect("the built-in catalog is valid");
    let process = catalog.process(PROCESS).expect("the process");
    let form = sample_form(process, chrono::Utc::now(), false);
    json!({ "process": PROCESS, "title": title, "department": "行政部", "form": form })
}

/// One client: comments on its cases in turn, completing each one's first step once.
async fn comment_and_complete(stream: Arc<Stream>, client: usize, cases: Vec<i64>) -> Vec<Entry> {
    let mut journal = Vec::new();
    let mut seen: BTreeMap<i64, (i64, bool)> = cases.iter().map(|id| (*id, (1, false))).collect();
    for n in 0.. {
        let case = cases[n % cases.len()];
        let (version, completed) = seen[&case];
        let op = if !completed && version >= 2 {
            Op::Complete {
                case,
                seen: version,
            }
        } else {
            Op::Comment {
                case,
                seen: version,
                text: format!("client {client} note {n}"),
            }
        };
        let is_completion = matches!(op, Op::Complete { .. });
        if !stream.run(op, &mut journal).await {
            break;
        }
        if let Some(Entry {
            answer: Answer::Acked { version, .. },
            ..
        }) = journal.last()
        {
            seen.insert(case, (*version, completed || is_completion));
        }
    }
    journal
}

/// One client raising new cases.
async fn raise_more(stream: Arc<Stream>) -> Vec<Entry> {
    let mut journal = Vec::new();
    for n in 0.. {
        let op = Op::Raise {
            title: format!("crash raise {n}"),
        };
        if !stream.run(op, &mut journal).await {
            break;
        }
    }
    journal
}

async fn operator_call(
    client: &reqwest::Client,
    base: &str,
    endpoint: &str,
    body: Value,
) -> (u16, Value) {
    let response = client
        .post(format!("{base}{endpoint}"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{endpoint} is answered: {e}"));
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The case and its trail, as the restarted server has them.
async fn stored(client: &reqwest::Client, base: &str, id: i64) -> (Case, Vec<AuditEntry>) {
    let (status, view) = operator_call(client, base, "/api/cases/get", json!({ "id": id })).await;
    assert_eq!(status, 200, "case {id}: {view}");
    let case: Case = serde_json::from_value(view["case"].clone()).expect("a case");
    let (status, audit) =
        operator_call(client, base, "/api/cases/audit", json!({ "id": id })).await;
    assert_eq!(status, 200, "case {id}: {audit}");
    let audit: Vec<AuditEntry> = serde_json::from_value(audit).expect("a trail");
    (case, audit)
}

/// The trail of `case` is one group per version 1..=version, the first a raise; the body
/// agrees with the trail. Answers the groups by version.
fn check_trail<'a>(case: &Case, audit: &'a [AuditEntry]) -> BTreeMap<i64, Vec<&'a AuditEntry>> {
    let id = case.id.0;
    let mut groups: BTreeMap<i64, Vec<&AuditEntry>> = BTreeMap::new();
    let mut last = 0;
    for entry in audit {
        assert!(
            entry.version >= last,
            "case {id}: the trail goes back in versions: {audit:?}"
        );
        last = entry.version;
        groups.entry(entry.version).or_default().push(entry);
    }
    let versions: Vec<i64> = groups.keys().copied().collect();
    let expected: Vec<i64> = (1..=case.version).collect();
    assert_eq!(
        versions, expected,
        "case {id}: one trail group per version, up to the case's"
    );
    assert_eq!(groups[&1][0].kind, AuditKind::Raised, "case {id}");
    let trail_comments: Vec<&str> = audit
        .iter()
        .filter(|e| e.kind == AuditKind::Commented)
        .map(|e| e.detail["text"].as_str().unwrap_or_default())
        .collect();
    let body_comments: Vec<&str> = case.comments.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        body_comments, trail_comments,
        "case {id}: the body's comments are the trail's"
    );
    let completions = audit
        .iter()
        .filter(|e| {
            e.kind == AuditKind::StepCompleted
                && e.step.as_ref().is_some_and(|s| s.as_str() == FIRST_STEP)
        })
        .count();
    assert!(
        completions <= 1,
        "case {id}: {FIRST_STEP} completed {completions} times"
    );
    let done_in_body = case
        .steps
        .iter()
        .any(|s| s.step.as_str() == FIRST_STEP && s.outcome == Some(StepOutcome::Completed));
    assert_eq!(
        done_in_body,
        completions == 1,
        "case {id}: the body agrees with the trail on {FIRST_STEP}"
    );
    groups
}

/// The operation a trail group records matches the journalled operation.
fn matches_group(op: &Op, group: &[&AuditEntry]) -> bool {
    match op {
        Op::Comment { text, .. } => {
            group.len() == 1
                && group[0].kind == AuditKind::Commented
                && group[0].detail["text"] == json!(text)
        }
        Op::Complete { .. } => {
            group[0].kind == AuditKind::StepCompleted
                && group[0]
                    .step
                    .as_ref()
                    .is_some_and(|s| s.as_str() == FIRST_STEP)
        }
        Op::Raise { .. } => false,
    }
}

/// The files under `dir` (none when it does not exist).
fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk_files(&path));
        } else {
            found.push(path);
        }
    }
    found
}

/// `database_url` through a relay the test can cut.
async fn relayed(database_url: &str) -> (Relay, String) {
    let mut url = reqwest::Url::parse(database_url).expect("a database URL");
    let target = format!(
        "{}:{}",
        url.host_str().expect("a database host"),
        url.port().unwrap_or(5432)
    );
    let relay = Relay::start(target).await;
    url.set_host(Some("127.0.0.1")).expect("a host");
    url.set_port(Some(relay.port)).expect("a port");
    (relay, url.to_string())
}

async fn crash_and_recover(database_url: Option<String>, fault: Fault) {
    let dir = TempDir(std::env::temp_dir().join(format!(
        "officeflow_crash_{}_{}",
        std::process::id(),
        rand::random::<u32>()
    )));
    let relay = match (&database_url, fault) {
        (Some(url), Fault::DatabaseOutage) => Some(relayed(url).await),
        (None, Fault::DatabaseOutage) => panic!("an outage needs a database server"),
        _ => None,
    };
    let url = match &relay {
        Some((_, relayed)) => Some(relayed.as_str()),
        None => database_url.as_deref(),
    };
    let disk = match fault {
        Fault::DiskFull => {
            assert!(database_url.is_none(), "a full disk is SQLite's");
            match SmallDisk::mount(&dir.0) {
                Some(disk) => Some(disk),
                None => return,
            }
        }
        _ => None,
    };
    let mut server = Server::start(&dir.0, url, 1).await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();

    let mut cases = Vec::new();
    for n in 0..CASES {
        let body = raise_body(&format!("crash case {n}"));
        let (status, view) = operator_call(&client, &server.base, "/api/cases/raise", body).await;
        assert_eq!(status, 200, "{view}");
        cases.push(view["case"]["id"].as_i64().expect("an id"));
    }

    let stream = Arc::new(Stream {
        client: client.clone(),
        base: server.base.clone(),
        acked: AtomicUsize::new(0),
        in_flight: AtomicUsize::new(0),
        fault,
    });
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        let mine: Vec<i64> = cases.iter().copied().skip(c).step_by(CLIENTS).collect();
        tasks.push(tokio::spawn(comment_and_complete(stream.clone(), c, mine)));
    }
    tasks.push(tokio::spawn(raise_more(stream.clone())));

    // Some operations acknowledged, a random short delay, then the kill while requests are
    // in flight.
    let deadline = Instant::now() + Duration::from_secs(15);
    while stream.acked.load(Ordering::SeqCst) < ACKED_BEFORE_KILL {
        assert!(
            Instant::now() < deadline && tasks.iter().any(|t| !t.is_finished()),
            "the stream did not get going; the server's log:\n{}",
            server.log_text()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let delay = rand::rng().random_range(0..400);
    tokio::time::sleep(Duration::from_millis(delay)).await;
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut in_flight = stream.in_flight.load(Ordering::SeqCst);
    while in_flight == 0 {
        assert!(
            Instant::now() < deadline,
            "no request in flight to kill under"
        );
        tokio::task::yield_now().await;
        in_flight = stream.in_flight.load(Ordering::SeqCst);
    }
    let acked_at_kill = stream.acked.load(Ordering::SeqCst);
    match (&relay, &disk) {
        (Some((relay, _)), _) => relay.set_up(false),
        (_, Some(disk)) => disk.fill(),
        _ => server.kill(),
    }
    // On a full disk every client goes on until a write is refused.
    let deadline = Instant::now() + Duration::from_secs(60);
    while tasks.iter().any(|t| !t.is_finished()) {
        assert!(
            Instant::now() < deadline,
            "writes went on succeeding on a full disk; the server's log:\n{}",
            server.log_text()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut journal = Vec::new();
    for task in tasks {
        journal.extend(task.await.expect("a client"));
    }
    let first_log = server.log_text();
    let refused: Vec<&Entry> = journal
        .iter()
        .filter(|e| matches!(e.answer, Answer::Refused(..)))
        .collect();
    assert!(
        refused.is_empty(),
        "operations answered otherwise than the fault allows: {refused:?}\nlog:\n{first_log}"
    );
    let in_doubt = journal
        .iter()
        .filter(|e| matches!(e.answer, Answer::InDoubt(_)))
        .count();
    let answered_5xx = journal
        .iter()
        .filter(|e| matches!(&e.answer, Answer::InDoubt(why) if why.starts_with('5')))
        .count();
    let not_saved = journal
        .iter()
        .filter(|e| e.answer == Answer::NotSaved)
        .count();
    let server = match (&relay, &disk) {
        // The same server, once the database is back: it must find it again by itself.
        (Some((relay, _)), _) => {
            tokio::time::sleep(OUTAGE).await;
            relay.set_up(true);
            assert!(
                server.wait_until_healthy().await,
                "the server did not find the database again; its log:\n{}",
                server.log_text()
            );
            server
        }
        // Reading goes on while the disk is full; once space is freed the same server takes
        // writes again. Then it is stopped, the file checked, and a new one started on it.
        (_, Some(disk)) => {
            assert_eq!(
                not_saved,
                CLIENTS + 1,
                "every client ended on a refused write"
            );
            let (case, _) = stored(&client, &server.base, cases[0]).await;
            // A file uploaded meanwhile is refused as clearly, and leaves nothing behind (the
            // disk filled again first: SQLite may have given back some space since).
            disk.fill();
            let mut pdf = b"%PDF-1.7\n".to_vec();
            pdf.resize(256 * 1024, b' ');
            let upload = client
                .post(format!(
                    "{}/api/cases/{}/files?name=a.pdf",
                    server.base, cases[0]
                ))
                .bearer_auth(ADMIN_TOKEN)
                .header("content-type", "application/pdf")
                .body(pdf)
                .send()
                .await
                .expect("the upload is answered");
            let status = upload.status().as_u16();
            let answer: Value = upload.json().await.unwrap_or(Value::Null);
            assert_eq!(
                (status, &answer["error"]),
                (507, &json!("cannot_save")),
                "an upload to a full disk: {answer}"
            );
            let left: Vec<_> = walk_files(&dir.0.join("files"));
            assert!(
                left.is_empty(),
                "an upload refused left files behind: {left:?}"
            );
            disk.free_space();
            let body = json!({ "id": cases[0], "version": case.version,
                "command": { "op": "comment", "step": null, "text": "space freed" } });
            let (status, view) =
                operator_call(&client, &server.base, "/api/cases/apply", body).await;
            assert_eq!(status, 200, "a write once space is freed: {view}");
            journal.push(Entry {
                op: Op::Comment {
                    case: cases[0],
                    seen: case.version,
                    text: "space freed".into(),
                },
                answer: Answer::Acked {
                    case: cases[0],
                    version: case.version + 1,
                },
            });
            server.kill();
            let db = sea_orm::Database::connect(format!(
                "sqlite://{}?mode=rw",
                dir.0.join("officeflow.db").display()
            ))
            .await
            .expect("the database file opens");
            let check = sea_orm::ConnectionTrait::query_one_raw(
                &db,
                sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Sqlite,
                    "PRAGMA integrity_check",
                ),
            )
            .await
            .expect("the integrity check runs")
            .expect("a row");
            let verdict: String = check.try_get_by_index(0).expect("a verdict");
            assert_eq!(verdict, "ok", "SQLite's integrity check");
            db.close().await.expect("closed");
            Server::start(&dir.0, url, 2).await
        }
        _ => Server::start(&dir.0, url, 2).await,
    };
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let base = server.base.clone();

    // The cases commented on and completed: each version after the first is one journalled
    // operation, acknowledged or (only the last) in doubt.
    let mut doubts_applied = 0;
    let mut by_case: HashMap<i64, Vec<&Entry>> = HashMap::new();
    for entry in &journal {
        if let Op::Comment { case, .. } | Op::Complete { case, .. } = entry.op {
            by_case.entry(case).or_default().push(entry);
        }
    }
    for &id in &cases {
        let (case, audit) = stored(&client, &base, id).await;
        let groups = check_trail(&case, &audit);
        let entries = by_case.remove(&id).unwrap_or_default();
        let mut last_acked = 1;
        let mut doubt: Option<&Op> = None;
        for entry in &entries {
            let seen = match entry.op {
                Op::Comment { seen, .. } | Op::Complete { seen, .. } => seen,
                Op::Raise { .. } => unreachable!(),
            };
            match &entry.answer {
                Answer::Acked {
                    case: answered,
                    version,
                } => {
                    assert_eq!(*answered, id);
                    assert_eq!(
                        seen, last_acked,
                        "case {id}: the client sent the version it saw"
                    );
                    assert_eq!(*version, seen + 1, "case {id}: {:?}", entry.op);
                    assert!(
                        doubt.is_none(),
                        "case {id}: an operation after one in doubt"
                    );
                    last_acked = *version;
                    let group = groups.get(version).unwrap_or_else(|| {
                        panic!("case {id}: acknowledged {:?} (version {version}) is lost; trail: {audit:?}", entry.op)
                    });
                    assert!(
                        matches_group(&entry.op, group),
                        "case {id}: version {version} is not the acknowledged {:?}: {group:?}",
                        entry.op
                    );
                }
                Answer::InDoubt(_) => {
                    assert_eq!(seen, last_acked, "case {id}");
                    doubt = Some(&entry.op);
                }
                Answer::NotSaved => {
                    assert_eq!(seen, last_acked, "case {id}");
                    assert!(
                        doubt.is_none(),
                        "case {id}: an operation after one in doubt"
                    );
                }
                Answer::Refused(..) => unreachable!(),
            }
        }
        match doubt {
            Some(op) if case.version == last_acked + 1 => {
                assert!(
                    matches_group(op, &groups[&case.version]),
                    "case {id}: the last version is not the operation in doubt {op:?}: {:?}",
                    groups[&case.version]
                );
                doubts_applied += 1;
            }
            _ => assert_eq!(
                case.version, last_acked,
                "case {id}: the stored version is the last acknowledged one; trail: {audit:?}"
            ),
        }
    }

    // The raises: each acknowledged one is stored once; one in doubt at most once; no other.
    let (status, open) = operator_call(&client, &base, "/api/cases/list", json!({})).await;
    assert_eq!(status, 200, "{open}");
    let mut stored_raises: HashMap<String, Vec<i64>> = HashMap::new();
    for summary in open.as_array().expect("a list") {
        let title = summary["title"].as_str().unwrap_or_default();
        if title.starts_with("crash raise ") {
            let id = summary["id"].as_i64().expect("an id");
            stored_raises.entry(title.to_string()).or_default().push(id);
        }
    }
    for entry in &journal {
        let Op::Raise { title } = &entry.op else {
            continue;
        };
        let ids = stored_raises.remove(title).unwrap_or_default();
        match &entry.answer {
            Answer::Acked { case, version } => {
                assert_eq!(*version, 1);
                assert_eq!(
                    ids,
                    vec![*case],
                    "the acknowledged raise {title:?} is stored once"
                );
            }
            Answer::NotSaved => {
                assert!(ids.is_empty(), "the raise refused {title:?} is stored");
            }
            _ => {
                assert!(
                    ids.len() <= 1,
                    "the raise in doubt {title:?} is stored {} times",
                    ids.len()
                );
                doubts_applied += ids.len();
            }
        }
        for id in ids {
            let (case, audit) = stored(&client, &base, id).await;
            check_trail(&case, &audit);
            assert_eq!(case.version, 1, "case {id}: nobody else changed it");
        }
    }
    assert!(
        stored_raises.is_empty(),
        "cases raised that nobody sent: {stored_raises:?}"
    );

    // The restarted server goes on working.
    let (case, _) = stored(&client, &base, cases[0]).await;
    let body = json!({ "id": cases[0], "version": case.version,
        "command": { "op": "comment", "step": null, "text": "after the restart" } });
    let (status, view) = operator_call(&client, &base, "/api/cases/apply", body).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["case"]["version"], case.version + 1);
    eprintln!(
        "crash ({fault:?}): {delay} ms after {ACKED_BEFORE_KILL} acknowledgements, with \
         {in_flight} request(s) in flight; {} operations journalled, {acked_at_kill}+ \
         acknowledged, {in_doubt} in doubt ({answered_5xx} answered with a server error) of \
         which {doubts_applied} were applied, {not_saved} refused for a full disk; all checked",
        journal.len()
    );
    drop(server);
}

mod a_server_killed_mid_stream_keeps_every_acknowledged_operation_once {
    use super::*;

    /// SQLite, the binary's default: the file in the data folder.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        crash_and_recover(None, Fault::Kill).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        with_db(Backend::Postgres, |db| async move {
            crash_and_recover(Some(db.url.clone()), Fault::Kill).await;
            db
        })
        .await;
    }
}

/// The data folder's file system full under the stream (SQLite), then space freed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_data_folder_refuses_writes_clearly_loses_nothing_and_recovers() {
    crash_and_recover(None, Fault::DiskFull).await;
}

/// PostgreSQL restarting under the stream (its connections dropped, new ones refused for a
/// while), with the server left running.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_of_postgres_mid_stream_loses_nothing_acknowledged_and_the_server_recovers() {
    with_db(Backend::Postgres, |db| async move {
        crash_and_recover(Some(db.url.clone()), Fault::DatabaseOutage).await;
        db
    })
    .await;
}
