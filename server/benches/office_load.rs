//! A simulated office over HTTP: signed-in people of every function of the standard working
//! through the day against a real server (started here, in this process, on a fresh database
//! with the demo office; or one already running, `--url`). Each person repeats: think, then one
//! action drawn from the mix below. It reports, per kind of request, how many were made and
//! per second, the errors (a 5xx, a transport failure, no answer within 10 s), the refusals
//! (a 4xx: the workflow saying no, a conflict, no permission: the office's normal), and the
//! latency percentiles.
//!
//! ```sh
//! cargo bench -p server --bench office_load                       # 300 people, 60 s, both databases
//! cargo bench -p server --bench office_load -- --users 100 --seconds 20 --only sqlite
//! cargo bench -p server --bench office_load -- --url http://127.0.0.1:3000 --seconds 120
//! cargo bench -p server --bench office_load -- --binary target/release/officeflow \
//!     --only postgres --instances 2                                 # two processes, a relay
//! ```
//!
//! Options (or `OFFICEFLOW_LOAD_*` variables): `--users N` (300), `--seconds S` (60),
//! `--think-ms MS` (mean think time, 3000: each pause is drawn evenly from 1/3 to 5/3 of it),
//! `--only sqlite|postgres`, `--url BASE` (no server started; the demo office's people must be
//! there with the demo password), `--binary PATH` (the servers are processes of that binary,
//! `officeflow serve`, reached through a round-robin relay; their CPU time is reported apart
//! from the generator's), `--instances N` (with `--binary` and PostgreSQL: N processes on one
//! database, the relay handing each new connection to the next), `--check` (exit with an
//! error when any request failed or nothing was done: the short runs in CI),
//! `--raise-percent P` (the raises' share of the mix instead of its 10, the others scaled to
//! fill the rest: a soak's office must complete about as much as it raises),
//! `--viewers N` (2: people per function who keep their board open and follow its live
//! events; with several instances a function's first viewer is on the first, its second on
//! the second, so events must cross between them. The report says how many of the moves
//! and raises reached every viewer of their function, and how late; `--check` fails a run
//! where one did not).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app::domain::catalog::{Catalog, FieldKind, OutputCode, StepCode};
use app::domain::workflow::policies::{completion_reasons, StepCheck};
use app::domain::workflow::{Case, Command, OutputValue, ProcessRef, RawValue};
use app::error::FieldError;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

mod support;
use support::{Backend, Target};

/// The mix: what a person does after each pause, with its weight (percent).
const MIX: &[(Kind, u32)] = &[
    (Kind::BoardPage, 25), // opens their function's board (the server-rendered page)
    (Kind::BoardData, 10), // the board refreshing its cards (`boards/get`)
    (Kind::Calendar, 15),  // the calendar's month (`calendar/view`)
    (Kind::Inbox, 15),     // "needs me now" (`cases/inbox`)
    (Kind::Move, 20), // reads the board, opens a card at a step their role holds, does its work, completes it
    (Kind::Raise, 10), // raises an incoming document (`cases/raise`)
    (Kind::Comment, 5), // reads the inbox, then comments on the first case in it (`cases/apply`)
];

const PASSWORD: &str = "officeflow-demo";
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    SignIn,
    BoardPage,
    BoardData,
    Calendar,
    Inbox,
    /// Opening a card before working on it (`cases/get`), part of a move.
    Card,
    /// Recording a field, ticking a checklist item or writing an output, part of a move.
    Work,
    Move,
    Raise,
    Comment,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::SignIn => "sign in (auth/sign-in)",
            Kind::BoardPage => "board page (GET /functions/*/board)",
            Kind::BoardData => "board data (boards/get)",
            Kind::Calendar => "calendar month (calendar/view)",
            Kind::Inbox => "inbox (cases/inbox)",
            Kind::Card => "open a card (cases/get)",
            Kind::Work => "a step's work (cases/apply)",
            Kind::Move => "move a card (boards/apply)",
            Kind::Raise => "raise a request (cases/raise)",
            Kind::Comment => "comment (cases/apply)",
        }
    }
}

#[derive(Default)]
struct Tally {
    ms: Vec<f64>,
    errors: usize,
    refused: usize,
}

#[derive(Default)]
struct Figures {
    kinds: Mutex<BTreeMap<Kind, Tally>>,
}

impl Figures {
    fn record(&self, kind: Kind, ms: f64, outcome: Outcome) {
        let mut kinds = self.kinds.lock().unwrap_or_else(|e| e.into_inner());
        let tally = kinds.entry(kind).or_default();
        tally.ms.push(ms);
        match outcome {
            Outcome::Done => {}
            Outcome::Refused => tally.refused += 1,
            Outcome::Error => tally.errors += 1,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Done,
    Refused,
    Error,
}

struct Options {
    users: usize,
    seconds: u64,
    think_ms: u64,
    only: Option<Backend>,
    url: Option<String>,
    binary: Option<String>,
    instances: usize,
    check: bool,
    /// The mix, [`MIX`] unless `--raise-percent` reweighs it.
    mix: Vec<(Kind, u32)>,
    viewers: usize,
}

fn options() -> Options {
    let env = |name: &str| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    let mut options = Options {
        users: env("OFFICEFLOW_LOAD_USERS").unwrap_or(300) as usize,
        seconds: env("OFFICEFLOW_LOAD_SECONDS").unwrap_or(60),
        think_ms: env("OFFICEFLOW_LOAD_THINK_MS").unwrap_or(3000),
        only: None,
        url: std::env::var("OFFICEFLOW_LOAD_URL").ok(),
        binary: std::env::var("OFFICEFLOW_LOAD_BINARY").ok(),
        instances: env("OFFICEFLOW_LOAD_INSTANCES").unwrap_or(1) as usize,
        check: false,
        mix: MIX.to_vec(),
        viewers: env("OFFICEFLOW_LOAD_VIEWERS").unwrap_or(2) as usize,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = || {
            args.next()
                .and_then(|v| v.parse::<u64>().ok())
                .filter(|n| *n > 0)
                .unwrap_or_else(|| panic!("{arg} needs a positive whole number"))
        };
        match arg.as_str() {
            "--users" => options.users = number() as usize,
            "--seconds" => options.seconds = number(),
            "--think-ms" => options.think_ms = number(),
            "--url" => options.url = args.next(),
            "--binary" => options.binary = args.next(),
            "--instances" => options.instances = number() as usize,
            "--check" => options.check = true,
            "--viewers" => options.viewers = number() as usize,
            "--raise-percent" => {
                let raise = number().min(100) as u32;
                let others: u32 = MIX
                    .iter()
                    .filter(|(k, _)| *k != Kind::Raise)
                    .map(|(_, w)| w)
                    .sum();
                // Weights in hundredths of a percent, so the others keep their proportions.
                options.mix = MIX
                    .iter()
                    .map(|&(kind, weight)| match kind {
                        Kind::Raise => (kind, raise * 100),
                        _ => (kind, weight * (100 - raise) * 100 / others),
                    })
                    .collect();
            }
            "--only" => options.only = Some(Backend::from_only(args.next().as_deref())),
            _ => {}
        }
    }
    options
}

/// One simulated person.
struct Person {
    login: String,
    function: String,
    cookie: String,
}

struct Client {
    http: reqwest::Client,
    base: String,
    figures: Arc<Figures>,
    /// The standard the demo office runs, to see what a step still needs, as the card's
    /// drawer shows it.
    catalog: Catalog,
    live: Arc<Live>,
}

/// A viewer: the function whose board it follows, and when it got each (case, version).
type Viewer = (String, HashMap<(i64, i64), Instant>);

/// The boards' live events: what the people changed, and what each viewer was told.
#[derive(Default)]
struct Live {
    /// Moves and raises acknowledged: the case's function, the case, its version, when.
    changes: Mutex<Vec<(String, i64, i64, Instant)>>,
    viewers: Mutex<Vec<Viewer>>,
    /// How many times a viewer was told to reload (it fell behind) or lost its stream.
    reloads: std::sync::atomic::AtomicUsize,
}

impl Live {
    fn changed(&self, function: &str, case: i64, version: i64) {
        let mut changes = self.changes.lock().unwrap_or_else(|e| e.into_inner());
        changes.push((function.to_string(), case, version, Instant::now()));
    }

    /// Follows `function`'s board on `base` as `person` until `until`; its events go to
    /// viewer number `me`.
    async fn follow(
        self: Arc<Self>,
        me: usize,
        base: String,
        function: String,
        cookie: String,
        ready: tokio::sync::mpsc::Sender<()>,
        until: Instant,
    ) {
        let http = reqwest::Client::new();
        let response = http
            .get(format!("{base}/api/boards/{function}/events"))
            .header("cookie", cookie)
            .send()
            .await;
        let Ok(mut response) = response else {
            self.reloads
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            return;
        };
        let mut buffer = String::new();
        let mut told = false;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            let chunk = match tokio::time::timeout(left, response.chunk()).await {
                Ok(Ok(Some(chunk))) => chunk,
                Ok(_) => {
                    self.reloads
                        .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    return;
                }
                Err(_) => return, // the run is over
            };
            let now = Instant::now();
            buffer.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buffer.find("\n\n") {
                let message: String = buffer.drain(..end + 2).collect();
                let field = |name: &str| {
                    message
                        .lines()
                        .find_map(|l| l.strip_prefix(name))
                        .map(|v| v.trim().to_string())
                };
                match field("event:").as_deref() {
                    Some("ready") if !told => {
                        told = true;
                        let _ = ready.send(()).await;
                    }
                    Some("case") => {
                        let data: Value = field("data:")
                            .and_then(|d| serde_json::from_str(&d).ok())
                            .unwrap_or(Value::Null);
                        if let (Some(case), Some(version)) =
                            (data["case"].as_i64(), data["version"].as_i64())
                        {
                            let mut viewers =
                                self.viewers.lock().unwrap_or_else(|e| e.into_inner());
                            viewers[me].1.entry((case, version)).or_insert(now);
                        }
                    }
                    Some("reload") => {
                        self.reloads
                            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    }
                    _ => {}
                }
            }
        }
    }

    /// Each change against each viewer of its function: (expected, missed, lags in ms).
    fn tally(&self) -> (usize, usize, Vec<f64>) {
        let changes = self.changes.lock().unwrap_or_else(|e| e.into_inner());
        let viewers = self.viewers.lock().unwrap_or_else(|e| e.into_inner());
        let (mut expected, mut missed, mut lags) = (0, 0, Vec::new());
        for (function, case, version, at) in changes.iter() {
            for (watched, got) in viewers.iter() {
                if watched != function {
                    continue;
                }
                expected += 1;
                match got.get(&(*case, *version)) {
                    // The event may come before the answer: no lag then.
                    Some(when) => {
                        lags.push(when.saturating_duration_since(*at).as_secs_f64() * 1000.0)
                    }
                    None => missed += 1,
                }
            }
        }
        lags.sort_by(f64::total_cmp);
        (expected, missed, lags)
    }
}

/// A card someone means to move: its case, the version they saw, the step.
struct Movable {
    case: i64,
    version: i64,
    step: String,
}

impl Client {
    /// Times one request; answers its status and JSON body (`None` on a transport failure).
    async fn send(&self, kind: Kind, request: reqwest::RequestBuilder) -> Option<(u16, Value)> {
        let began = Instant::now();
        let answer = async {
            let response = request.timeout(REQUEST_TIMEOUT).send().await.ok()?;
            let status = response.status().as_u16();
            let bytes = response.bytes().await.ok()?;
            Some((
                status,
                serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            ))
        }
        .await;
        let ms = began.elapsed().as_secs_f64() * 1000.0;
        let outcome = match &answer {
            Some((status, _)) if *status < 400 => Outcome::Done,
            Some((status, _)) if *status < 500 => Outcome::Refused,
            _ => Outcome::Error,
        };
        self.figures.record(kind, ms, outcome);
        answer
    }

    async fn call(
        &self,
        kind: Kind,
        person: &Person,
        endpoint: &str,
        body: Value,
    ) -> Option<(u16, Value)> {
        let request = self
            .http
            .post(format!("{}/api/{endpoint}", self.base))
            .header("cookie", &person.cookie)
            .json(&body);
        self.send(kind, request).await
    }

    async fn sign_in(&self, login: &str, function: String) -> Option<Person> {
        let began = Instant::now();
        let response = self
            .http
            .post(format!("{}/api/auth/sign-in", self.base))
            .json(&json!({ "login": login, "password": PASSWORD }))
            .timeout(REQUEST_TIMEOUT)
            .send()
            .await
            .ok()?;
        let ok = response.status().is_success();
        let cookie = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("officeflow_session="))
            .and_then(|v| v.split(';').next())
            .map(String::from);
        let ms = began.elapsed().as_secs_f64() * 1000.0;
        self.figures.record(
            Kind::SignIn,
            ms,
            if ok { Outcome::Done } else { Outcome::Refused },
        );
        Some(Person {
            login: login.to_string(),
            function,
            cookie: cookie.filter(|_| ok)?,
        })
    }

    /// The first item of `person`'s inbox that names a step (with `only_steps`, a step to do,
    /// not an approval, escalation or repetition).
    async fn first_step(&self, person: &Person, only_steps: bool) -> Option<Movable> {
        let (_, items) = self
            .call(Kind::Inbox, person, "cases/inbox", json!({ "role": null }))
            .await?;
        let items = items.as_array()?.iter();
        items
            .filter(|item| !only_steps || item["kind"] == "step")
            .find_map(|item| {
                Some(Movable {
                    case: item["case_id"].as_i64()?,
                    version: item["case_version"].as_i64()?,
                    step: item["step"].as_str()?.to_string(),
                })
            })
    }

    /// A card of `person`'s board at a step their role holds with no approval missing (one
    /// drawn by `roll`, so that colleagues of one role do not all reach for the same card);
    /// or the first step of their inbox.
    async fn movable(&self, person: &Person, roll: u64) -> Option<Movable> {
        let (_, board) = self
            .call(
                Kind::BoardData,
                person,
                "boards/get",
                json!({ "function": person.function }),
            )
            .await?;
        let mut ready = Vec::new();
        for lane in board["lanes"].as_array().into_iter().flatten() {
            for column in lane["columns"].as_array().into_iter().flatten() {
                for card in column["cards"].as_array().into_iter().flatten() {
                    let free = card["approvals_missing"] == 0;
                    if free && card["owner"].as_str() == Some(person.login.as_str()) {
                        ready.push(card);
                    }
                }
            }
        }
        if ready.is_empty() {
            return self.first_step(person, true).await;
        }
        let card = ready[(roll % ready.len() as u64) as usize];
        Some(Movable {
            case: card["case_id"].as_i64()?,
            version: card["version"].as_i64()?,
            step: card["step"].as_str()?.to_string(),
        })
    }

    /// What `person` does before completing the step: opens the card and does what the step
    /// still needs, as its drawer lists it (fields to record, checklist items to tick,
    /// outputs to write), one request each, looking again after each (a field recorded can
    /// make an output needed); answers the case's version after, or `None` when the card
    /// could not be opened or the step needs what cannot be given here (an approval, a file).
    async fn prepare(&self, person: &Person, card: &Movable, n: u64) -> Option<(i64, String)> {
        let (status, mut view) = self
            .call(Kind::Card, person, "cases/get", json!({ "id": card.case }))
            .await?;
        if status >= 400 {
            return None;
        }
        // A step has a handful of needs; the bound only guards against a loop.
        for _ in 0..20 {
            let case: Case = serde_json::from_value(view["case"].take()).ok()?;
            let process = ProcessRef::find(&self.catalog, case.process.as_str())?;
            let step = process.process.step(&card.step)?;
            let instance = &case.steps[case.active_instance(&step.code)?];
            let needs = completion_reasons(&StepCheck {
                process,
                case: &case,
                step,
                instance,
            });
            let Some(need) = needs.first() else {
                return Some((case.version, process.process.function.to_string()));
            };
            let command = work_for(&process, &card.step, need, person, n)?;
            let (status, answer) = self
                .call(
                    Kind::Work,
                    person,
                    "cases/apply",
                    json!({ "id": card.case, "version": case.version, "command": command }),
                )
                .await?;
            if status >= 400 {
                return None;
            }
            view = answer;
        }
        None
    }

    async fn act(&self, kind: Kind, person: &Person, n: u64, roll: u64) {
        match kind {
            // Parts of other actions, not drawn on their own.
            Kind::SignIn | Kind::Card | Kind::Work => {}
            Kind::BoardPage => {
                let request = self
                    .http
                    .get(format!("{}/functions/{}/board", self.base, person.function))
                    .header("cookie", &person.cookie);
                self.send(kind, request).await;
            }
            Kind::BoardData => {
                self.call(
                    kind,
                    person,
                    "boards/get",
                    json!({ "function": person.function }),
                )
                .await;
            }
            Kind::Calendar => {
                self.call(
                    kind,
                    person,
                    "calendar/view",
                    json!({ "view": "month", "date": null, "filter": {} }),
                )
                .await;
            }
            Kind::Inbox => {
                self.call(kind, person, "cases/inbox", json!({ "role": null }))
                    .await;
            }
            Kind::Move => {
                let Some(card) = self.movable(person, roll).await else {
                    return;
                };
                if let Some((version, function)) = self.prepare(person, &card, n).await {
                    let answer = self
                        .call(
                            kind,
                            person,
                            "boards/apply",
                            json!({ "id": card.case, "version": version,
                                "command": { "op": "complete_step", "step": card.step } }),
                        )
                        .await;
                    if answer.is_some_and(|(status, _)| status < 300) {
                        self.live.changed(&function, card.case, version + 1);
                    }
                }
            }
            Kind::Raise => {
                let received = chrono::Utc::now()
                    .with_timezone(&chrono_tz::Asia::Shanghai)
                    .format("%Y-%m-%dT%H:%M")
                    .to_string();
                let answer = self
                    .call(
                        kind,
                        person,
                        "cases/raise",
                        json!({
                            "process": "incoming_document",
                            "title": format!("压力测试收文 {} #{n}", person.login),
                            "department": null,
                            "form": { "received_at": received, "issuer": "市政府办公厅", "title": "通知" }
                        }),
                    )
                    .await;
                if let Some((_, view)) = answer.filter(|(status, _)| *status < 300) {
                    let function = self
                        .catalog
                        .process("incoming_document")
                        .map(|p| p.function.to_string());
                    if let (Some(function), Some(case)) = (function, view["case"]["id"].as_i64()) {
                        self.live.changed(&function, case, 1);
                    }
                }
            }
            Kind::Comment => {
                if let Some(card) = self.first_step(person, false).await {
                    self.call(
                        kind,
                        person,
                        "cases/apply",
                        json!({ "id": card.case, "version": card.version,
                                "command": { "op": "comment", "step": card.step,
                                             "text": format!("已阅,跟进中 #{n}") } }),
                    )
                    .await;
                }
            }
        }
    }
}

/// The command that meets one need of a step (a field to record, a checklist item to tick,
/// an output to write), with made-up but valid content; `None` for what a person cannot give
/// here (an approval, a file).
fn work_for(
    process: &ProcessRef<'_>,
    step: &str,
    need: &FieldError,
    person: &Person,
    n: u64,
) -> Option<Value> {
    let step = StepCode::from(step);
    let command = match need.code.as_str() {
        "field_missing" => {
            let field = process.process.field(&need.field)?;
            let today = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai);
            let value = match &field.kind {
                FieldKind::Text | FieldKind::LongText => format!("压力测试记录 #{n}"),
                FieldKind::Number => "3".to_string(),
                FieldKind::Money => "1200.00".to_string(),
                FieldKind::Date => today.format("%Y-%m-%d").to_string(),
                FieldKind::DateTime => today.format("%Y-%m-%dT%H:%M").to_string(),
                FieldKind::Department => "办公室".to_string(),
                FieldKind::Person => person.login.clone(),
                FieldKind::Choice { options } => options.first()?.zh.clone(),
                FieldKind::Attachment => return None,
            };
            Command::RecordFields {
                values: [(field.code.to_string(), RawValue::Text(value))].into(),
            }
        }
        "checklist_unticked" => {
            let item: usize = need.field.strip_prefix("checklist:")?.parse().ok()?;
            Command::TickChecklist {
                step,
                item: item.checked_sub(1)?,
                ticked: true,
            }
        }
        "output_missing" | "conditional_output_missing" => Command::RecordOutput {
            step,
            output: OutputCode::from(need.field.strip_prefix("output:")?),
            value: OutputValue::Form(format!("压力测试:已按要求办理 #{n}")),
        },
        _ => return None,
    };
    serde_json::to_value(command).ok()
}

fn pick(mix: &[(Kind, u32)], rng: &mut impl Rng) -> Kind {
    let total: u32 = mix.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total);
    for (kind, weight) in mix {
        if roll < *weight {
            return *kind;
        }
        roll -= weight;
    }
    mix[0].0
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// The people: one per demo login (the role codes of the standard), repeated up to `users`,
/// each with a function the role serves.
fn cast(users: usize) -> Vec<(String, String)> {
    let catalog = officeflow_server::startup::builtin_catalog().expect("the built-in standard");
    let every: Vec<String> = catalog
        .functions
        .iter()
        .map(|f| f.code.to_string())
        .collect();
    let roles: Vec<(String, Vec<String>)> = catalog
        .roles
        .iter()
        .map(|r| {
            let functions: Vec<String> = r.functions.iter().map(|f| f.to_string()).collect();
            (
                r.code.to_string(),
                if functions.is_empty() {
                    every.clone()
                } else {
                    functions
                },
            )
        })
        .collect();
    (0..users)
        .map(|n| {
            let (login, functions) = &roles[n % roles.len()];
            (
                login.clone(),
                functions[(n / roles.len()) % functions.len()].clone(),
            )
        })
        .collect()
}

/// What one run gave: the table's rows, the errors, the requests made, and the live events:
/// a line on them, the events no viewer was told of (without having been told to reload).
struct Run {
    rows: Vec<String>,
    errors: usize,
    requests: usize,
    live: String,
    /// Where the CPU went while the people worked (servers started as processes).
    cpu: Option<String>,
    events_lost: usize,
    /// Viewers whose stream did not open.
    viewers_lost: usize,
}

/// Runs the office against `base` for the options' duration, the boards' viewers following
/// their live events on `viewer_bases` in turn (the instances themselves, or `base`).
/// With `cluster`, the CPU its processes and the generator used while the people worked
/// (after signing in) is told apart too.
async fn run(
    base: String,
    viewer_bases: &[String],
    label: &str,
    options: &Options,
    cluster: Option<&Cluster>,
) -> Run {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(options.users)
        .build()
        .expect("an HTTP client");
    let figures = Arc::new(Figures::default());
    let client = Arc::new(Client {
        http,
        base,
        figures: figures.clone(),
        catalog: officeflow_server::startup::builtin_catalog().expect("the built-in standard"),
        live: Arc::new(Live::default()),
    });
    // Everyone signs in first, a few at a time.
    let mut people = Vec::new();
    let mut refused = Vec::new();
    for chunk in cast(options.users).chunks(16) {
        let signed = futures::future::join_all(
            chunk
                .iter()
                .map(|(login, function)| client.sign_in(login, function.clone())),
        )
        .await;
        for (person, (login, _)) in signed.into_iter().zip(chunk) {
            match person {
                Some(p) => people.push(p),
                None => refused.push(login.clone()),
            }
        }
    }
    refused.sort();
    refused.dedup();
    if !refused.is_empty() {
        eprintln!("{label}: not signed in (skipped): {}", refused.join(", "));
    }
    eprintln!(
        "{label}: {} people signed in; working for {} s",
        people.len(),
        options.seconds
    );
    // The viewers: per function, the first `viewers` people of it keep its board open, the
    // function's first on the first of `viewer_bases`, its second on the next, and so on; the
    // run starts once each has its stream.
    let mut viewers = Vec::new();
    let mut per_function: HashMap<&str, usize> = HashMap::new();
    for person in &people {
        let count = per_function.entry(person.function.as_str()).or_default();
        if *count < options.viewers {
            let base = viewer_bases[*count % viewer_bases.len()].clone();
            *count += 1;
            viewers.push((person.function.clone(), person.cookie.clone(), base));
        }
    }
    let watching = Instant::now() + Duration::from_secs(options.seconds + 3);
    let (ready, mut all_ready) = tokio::sync::mpsc::channel(viewers.len().max(1));
    *client
        .live
        .viewers
        .lock()
        .unwrap_or_else(|e| e.into_inner()) = viewers
        .iter()
        .map(|(function, _, _)| (function.clone(), HashMap::new()))
        .collect();
    let viewer_tasks: Vec<_> = viewers
        .into_iter()
        .enumerate()
        .map(|(me, (function, cookie, base))| {
            let live = client.live.clone();
            tokio::spawn(live.follow(me, base, function, cookie, ready.clone(), watching))
        })
        .collect();
    drop(ready);
    let (viewer_count, mut streams) = (viewer_tasks.len(), 0);
    while streams < viewer_count {
        match tokio::time::timeout(Duration::from_secs(10), all_ready.recv()).await {
            Ok(Some(())) => streams += 1,
            _ => break,
        }
    }
    let cpu_before = cluster.map(cpu_now);
    let until = Instant::now() + Duration::from_secs(options.seconds);
    let began = Instant::now();
    let think = options.think_ms;
    let mix = Arc::new(options.mix.clone());
    let tasks: Vec<_> = people
        .into_iter()
        .enumerate()
        .map(|(i, person)| {
            let client = client.clone();
            let mix = mix.clone();
            tokio::spawn(async move {
                let mut rng = rand::rngs::StdRng::seed_from_u64(i as u64);
                let mut n = 0;
                // Start spread over one think time, not all at once.
                tokio::time::sleep(Duration::from_millis(rng.random_range(0..think))).await;
                while Instant::now() < until {
                    let kind = pick(&mix, &mut rng);
                    client.act(kind, &person, n, rng.random()).await;
                    n += 1;
                    let pause = rng.random_range(think / 3..=think * 5 / 3);
                    tokio::time::sleep(Duration::from_millis(pause)).await;
                }
            })
        })
        .collect();
    for task in tasks {
        let _ = task.await;
    }
    let elapsed = began.elapsed().as_secs_f64();
    let cpu = cluster.zip(cpu_before).map(|(cluster, before)| {
        let done: usize = {
            let kinds = figures.kinds.lock().unwrap_or_else(|e| e.into_inner());
            kinds
                .iter()
                .filter(|(kind, _)| **kind != Kind::SignIn)
                .map(|(_, t)| t.ms.len())
                .sum()
        };
        cpu_line(label, cluster, before, done, elapsed)
    });
    // The last changes' events have until the viewers stop to arrive.
    for task in viewer_tasks {
        let _ = task.await;
    }
    let viewers_lost = viewer_count - streams;
    let (expected, missed, lags) = client.live.tally();
    let reloads = client
        .live
        .reloads
        .load(std::sync::atomic::Ordering::SeqCst);
    let live = format!(
        "{label}: live events: {streams} viewers ({} per function, on {} address(es)); {expected} \
         (move or raise, viewer of its function) pairs, {missed} not told, {reloads} told to \
         reload or cut off; lateness after the answer p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        options.viewers,
        viewer_bases.len(),
        percentile(&lags, 50.0),
        percentile(&lags, 99.0),
        lags.last().copied().unwrap_or(0.0),
    );
    let kinds = std::mem::take(&mut *figures.kinds.lock().unwrap_or_else(|e| e.into_inner()));
    let errors = kinds.values().map(|t| t.errors).sum();
    let requests = kinds
        .iter()
        .filter(|(kind, _)| **kind != Kind::SignIn)
        .map(|(_, t)| t.ms.len())
        .sum();
    let rows = kinds
        .into_iter()
        .map(|(kind, mut tally)| {
            tally.ms.sort_by(f64::total_cmp);
            let per_second = if kind == Kind::SignIn {
                String::from("–")
            } else {
                format!("{:.1}", tally.ms.len() as f64 / elapsed)
            };
            format!(
                "| {label} | {} | {} | {per_second} | {} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
                kind.name(),
                tally.ms.len(),
                tally.errors,
                tally.refused,
                percentile(&tally.ms, 50.0),
                percentile(&tally.ms, 95.0),
                percentile(&tally.ms, 99.0),
                tally.ms.last().copied().unwrap_or(0.0),
            )
        })
        .collect();
    Run {
        rows,
        errors,
        requests,
        live,
        cpu,
        events_lost: if reloads == 0 { missed } else { 0 },
        viewers_lost,
    }
}

/// Starts a server on a fresh database of `backend` (the demo office, the scheduler every
/// minute), in this process; answers its address and what stops it.
async fn start(
    backend: Backend,
) -> Result<
    (
        String,
        tokio::sync::oneshot::Sender<()>,
        tokio::task::JoinHandle<()>,
        Target,
    ),
    String,
> {
    use clap::Parser;
    let target = Target::create(backend).await?;
    let dir = target.dir.display().to_string();
    let args = [
        "officeflow",
        "--database-url",
        target.url.as_str(),
        "--data-dir",
        dir.as_str(),
        "--bind",
        "127.0.0.1:0",
        "--log",
        "warn",
    ];
    let cli = officeflow_server::cli::Cli::try_parse_from(args).map_err(|e| e.to_string())?;
    let app = officeflow_server::startup::Application::build(&cli.settings)
        .await
        .map_err(|e| e.to_string())?;
    let base = format!("http://{}", app.local_addr());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _ = app
            .run_until(async {
                let _ = stopped.await;
            })
            .await;
    });
    Ok((base, stop, task, target))
}

/// CPU seconds a process (or one of its threads) has used so far, from `/proc`.
fn cpu_seconds(stat_path: &str) -> f64 {
    let Ok(stat) = std::fs::read_to_string(stat_path) else {
        return 0.0;
    };
    // After the command's closing parenthesis: state is field 3, utime 14, stime 15.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |n: usize| fields.get(n - 3).and_then(|v| v.parse::<f64>().ok());
    (ticks(14).unwrap_or(0.0) + ticks(15).unwrap_or(0.0)) / 100.0 // USER_HZ
}

/// The whole machine's busy and total CPU seconds so far, from `/proc/stat`.
fn machine_cpu() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let ticks: Vec<f64> = stat
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    let total: f64 = ticks.iter().take(8).sum();
    let idle = ticks.get(3).copied().unwrap_or(0.0) + ticks.get(4).copied().unwrap_or(0.0);
    ((total - idle) / 100.0, total / 100.0)
}

/// A round-robin relay in front of the instances: each new connection goes to the next one,
/// bytes copied both ways (so server-sent events pass too). It runs on a thread of its own,
/// whose CPU time is counted apart.
struct Relay {
    address: String,
    thread_stat: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Relay {
    fn start(backends: Vec<String>) -> Relay {
        let (ready, started) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("the relay's runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("a port for the relay");
                let me = std::fs::read_link("/proc/thread-self")
                    .map(|p| format!("/proc/{}/stat", p.display()))
                    .unwrap_or_default();
                let address = listener.local_addr().expect("the relay's address");
                let _ = ready.send((format!("http://{address}"), me));
                let mut next = 0;
                let accepting = async {
                    while let Ok((mut inbound, _)) = listener.accept().await {
                        let backend = backends[next % backends.len()].clone();
                        next += 1;
                        tokio::spawn(async move {
                            let Ok(mut outbound) = tokio::net::TcpStream::connect(backend).await
                            else {
                                return;
                            };
                            let _ = inbound.set_nodelay(true);
                            let _ = outbound.set_nodelay(true);
                            let _ =
                                tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                        });
                    }
                };
                tokio::select! {
                    _ = accepting => {}
                    _ = stopped => {}
                }
            });
        });
        let (address, thread_stat) = started.recv().expect("the relay starts");
        Relay {
            address,
            thread_stat,
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Server processes of `--binary` on one fresh database, behind a [`Relay`].
struct Cluster {
    children: Vec<std::process::Child>,
    /// The instances' own addresses (the viewers follow their boards there).
    addresses: Vec<String>,
    relay: Relay,
    target: Target,
}

impl Cluster {
    /// Starts `instances` processes, one after the other (the first puts the demo office in
    /// the new database; the others find it there), each waited for until healthy.
    async fn start(binary: &str, backend: Backend, instances: usize) -> Result<Cluster, String> {
        let target = Target::create(backend).await?;
        let mut children = Vec::new();
        let mut backends = Vec::new();
        let probe = reqwest::Client::new();
        for n in 0..instances {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .map_err(|e| format!("a free port: {e}"))?
                .port();
            let data = target.dir.join(format!("instance{n}"));
            let log = std::fs::File::create(target.dir.join(format!("instance{n}.log")))
                .map_err(|e| format!("a log file: {e}"))?;
            let child = std::process::Command::new(binary)
                .arg("serve")
                .env("DATABASE_URL", &target.url)
                .env("OFFICEFLOW_BIND", format!("127.0.0.1:{port}"))
                .env("OFFICEFLOW_DATA_DIR", &data)
                .env("OFFICEFLOW_DEMO", if n == 0 { "full" } else { "off" })
                .env("OFFICEFLOW_LOG", "warn")
                .stdin(std::process::Stdio::null())
                .stdout(log.try_clone().map_err(|e| e.to_string())?)
                .stderr(log)
                .spawn()
                .map_err(|e| format!("{binary} does not start: {e}"))?;
            children.push(child);
            let base = format!("127.0.0.1:{port}");
            let deadline = Instant::now() + Duration::from_secs(120);
            loop {
                let health = probe.get(format!("http://{base}/healthz")).send().await;
                if health.is_ok_and(|r| r.status().is_success()) {
                    break;
                }
                if Instant::now() > deadline {
                    return Err(format!(
                        "instance {n} did not become healthy (its log: {})",
                        target.dir.join(format!("instance{n}.log")).display()
                    ));
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            backends.push(base);
        }
        Ok(Cluster {
            children,
            addresses: backends.iter().map(|b| format!("http://{b}")).collect(),
            relay: Relay::start(backends),
            target,
        })
    }

    /// The CPU seconds the instances have used so far.
    fn cpu(&self) -> f64 {
        self.children
            .iter()
            .map(|c| cpu_seconds(&format!("/proc/{}/stat", c.id())))
            .sum()
    }

    async fn stop(mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        let Cluster { relay, target, .. } = self;
        drop(relay);
        target.remove().await;
    }
}

/// Where the CPU went during a run of processes: the instances, the generator (without the
/// relay), the relay, and the rest of the machine (the database server, everything else).
fn cpu_line(
    label: &str,
    cluster: &Cluster,
    before: [f64; 5],
    requests: usize,
    seconds: f64,
) -> String {
    let after = cpu_now(cluster);
    let d: Vec<f64> = (0..5).map(|i| after[i] - before[i]).collect();
    let (instances, generator_and_relay, relay, busy, total) = (d[0], d[1], d[2], d[3], d[4]);
    let generator = generator_and_relay - relay;
    let rest = (busy - instances - generator_and_relay).max(0.0);
    let per = |cpu: f64| cpu * 1000.0 / requests.max(1) as f64;
    format!(
        "{label}: {requests} requests in {seconds:.0} s ({:.1} a second); CPU seconds: instances {instances:.1} ({:.2} ms a request), generator \
         {generator:.1} ({:.2} ms), relay {relay:.1}, database and the rest {rest:.1} \
         ({:.2} ms); the machine {:.0} % busy over {:.0} core-seconds",
        requests as f64 / seconds.max(1e-9),
        per(instances),
        per(generator),
        per(rest),
        100.0 * busy / total.max(1e-9),
        total
    )
}

fn cpu_now(cluster: &Cluster) -> [f64; 5] {
    let (busy, total) = machine_cpu();
    [
        cluster.cpu(),
        cpu_seconds("/proc/self/stat"),
        cpu_seconds(&cluster.relay.thread_stat),
        busy,
        total,
    ]
}

fn main() {
    let options = options();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let failed = runtime.block_on(async {
        let mut rows = Vec::new();
        let mut notes = Vec::new();
        // What each run shows for `--check`: passed (`Ok`) or failed.
        let mut checks: Vec<Result<String, String>> = Vec::new();
        let judge = |label: &str, run: &Run| {
            if run.errors > 0 {
                Err(format!("{label}: {} requests failed", run.errors))
            } else if run.viewers_lost > 0 {
                Err(format!("{label}: {} viewers' event streams did not open", run.viewers_lost))
            } else if run.events_lost > 0 {
                Err(format!("{label}: {} live events never reached a viewer", run.events_lost))
            } else if run.requests == 0 {
                Err(format!("{label}: no request was made"))
            } else {
                Ok(format!("{label}: {} requests, none failed", run.requests))
            }
        };
        if let Some(url) = options.url.clone() {
            let label = "server at --url";
            let url = url.trim_end_matches('/').to_string();
            let done = run(url.clone(), &[url], label, &options, None).await;
            notes.push(done.live.clone());
            checks.push(judge(label, &done));
            rows.extend(done.rows);
        } else {
            for backend in [Backend::Sqlite, Backend::Postgres] {
                if options.only.is_some_and(|only| only != backend) {
                    continue;
                }
                if let Some(binary) = &options.binary {
                    if options.instances > 1 && backend == Backend::Sqlite {
                        println!("SQLite skipped: several instances share one PostgreSQL database");
                        continue;
                    }
                    let label = match options.instances {
                        1 => backend.name().to_string(),
                        n => format!("{} ×{n}", backend.name()),
                    };
                    match Cluster::start(binary, backend, options.instances).await {
                        Ok(cluster) => {
                            let relay = cluster.relay.address.clone();
                            let done =
                                run(relay, &cluster.addresses, &label, &options, Some(&cluster))
                                    .await;
                            notes.push(done.live.clone());
                            notes.extend(done.cpu.clone());
                            checks.push(judge(&label, &done));
                            rows.extend(done.rows);
                            cluster.stop().await;
                        }
                        Err(reason) => checks.push(Err(format!("{label}: {reason}"))),
                    }
                    continue;
                }
                match start(backend).await {
                    Ok((base, stop, task, target)) => {
                        let done =
                            run(base.clone(), &[base], backend.name(), &options, None).await;
                        notes.push(done.live.clone());
                        checks.push(judge(backend.name(), &done));
                        rows.extend(done.rows);
                        let _ = stop.send(());
                        let _ = task.await;
                        target.remove().await;
                    }
                    Err(reason) => println!("{} skipped: {reason}", backend.name()),
                }
            }
        }
        println!(
            "\noffice load: {} people, {} s, think time {} ms on average; mix: {}\n",
            options.users,
            options.seconds,
            options.think_ms,
            options
                .mix
                .iter()
                .map(|(k, w)| {
                    let total: u32 = options.mix.iter().map(|(_, w)| w).sum();
                    format!("{} {:.0} %", k.name(), 100.0 * *w as f64 / total as f64)
                })
                .collect::<Vec<_>>()
                .join(", ")
        );
        println!("| server | request | count | per s | errors | refused | p50 ms | p95 ms | p99 ms | max ms |");
        println!("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for row in &rows {
            println!("{row}");
        }
        for note in &notes {
            println!("\n{note}");
        }
        println!();
        for check in &checks {
            match check {
                Ok(passed) => println!("load check passed: {passed}"),
                Err(failed) => println!("load check failed: {failed}"),
            }
        }
        options.check && checks.iter().any(Result::is_err)
    });
    if failed {
        std::process::exit(1);
    }
}
