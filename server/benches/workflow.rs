//! Workflow operations at the store level: raising a case and completing a step, through the
//! `CaseStore` port the server builds (`startup::ports`) on SQLite (a temporary file) and on
//! PostgreSQL (a fresh database), with 1 client and with 16 concurrent clients.
//!
//! ```sh
//! cargo bench -p server --bench workflow               # about 10 s per cell
//! cargo bench -p server --bench workflow -- --quick    # a smoke run (200 operations per cell)
//! cargo bench -p server --bench workflow -- --ops 5000 # a fixed number per cell
//! ```
//!
//! Options (arguments, or environment variables):
//! - `--quick` (`OFFICEFLOW_BENCH_QUICK=1`): 200 operations per cell, a short warm-up.
//! - `--ops N` (`OFFICEFLOW_BENCH_OPS`): exactly N raises and N completions per cell.
//! - `--seconds S` (`OFFICEFLOW_BENCH_SECONDS`, default 10): without `--ops`, raises run for
//!   S seconds per cell; the completion cell then completes the first step of every case the
//!   raise cell raised (same count).
//! - `--only sqlite|postgres`: one database only.
//! - `--clients 1,16` (`OFFICEFLOW_BENCH_CLIENTS`): the numbers of concurrent clients.
//! - PostgreSQL: `OFFICEFLOW_BENCH_POSTGRES_URL`, else `OFFICEFLOW_TEST_POSTGRES_URL`, else
//!   `postgres://postgres@127.0.0.1:5432/test`; a fresh database is created on that server
//!   and dropped afterwards. When it is unreachable, PostgreSQL is skipped with a message.
//!
//! The process is `incoming_document`, whose first step (`sign_and_number`) has no checklist,
//! outputs or approvals, so every completion is a plain `complete_step` on a fresh case at
//! version 1: only the store call is timed (the form and the command are built beforehand).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::domain::catalog::{builtin, Process, StepCode};
use app::domain::workflow::samples::sample_form;
use app::domain::workflow::{Actor, CaseId, Command};
use app::ports::{CaseStore, NewCase};

mod support;
use support::{open_store, Backend, Target};

const PROCESS: &str = "incoming_document";
const CLIENT_COUNTS: [usize; 2] = [1, 16];
const SQLITE_TARGET_MEDIAN_MS: f64 = 2.0;
const TARGET_COMPLETIONS_PER_S: f64 = 1000.0;

#[derive(Clone, Debug)]
struct Options {
    ops: Option<usize>,
    seconds: f64,
    warmup: usize,
    only: Option<Backend>,
    clients: Vec<usize>,
    quick: bool,
}

impl Options {
    fn read() -> Options {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let mut quick = env("OFFICEFLOW_BENCH_QUICK").is_some_and(|v| v != "0");
        let mut ops = env("OFFICEFLOW_BENCH_OPS").map(|v| parse_number(&v, "OFFICEFLOW_BENCH_OPS"));
        let mut seconds = env("OFFICEFLOW_BENCH_SECONDS")
            .map(|v| parse_seconds(&v, "OFFICEFLOW_BENCH_SECONDS"))
            .unwrap_or(10.0);
        let mut only = None;
        let mut clients = env("OFFICEFLOW_BENCH_CLIENTS")
            .map(|v| parse_list(&v, "OFFICEFLOW_BENCH_CLIENTS"))
            .unwrap_or_else(|| CLIENT_COUNTS.to_vec());
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            let mut value = |name: &str| {
                args.next()
                    .unwrap_or_else(|| usage(&format!("{name} needs a value")))
            };
            match arg.as_str() {
                // `cargo bench` passes `--bench`; a name filter may follow it.
                "--bench" => {}
                "--quick" => quick = true,
                "--ops" => ops = Some(parse_number(&value("--ops"), "--ops")),
                "--seconds" => seconds = parse_seconds(&value("--seconds"), "--seconds"),
                "--clients" => clients = parse_list(&value("--clients"), "--clients"),
                "--only" => {
                    only = Some(match value("--only").as_str() {
                        "sqlite" => Backend::Sqlite,
                        "postgres" => Backend::Postgres,
                        other => usage(&format!("--only sqlite|postgres (got {other})")),
                    })
                }
                "-h" | "--help" => usage(""),
                other if other.starts_with('-') => usage(&format!("unknown option {other}")),
                _ => {}
            }
        }
        if quick && ops.is_none() {
            ops = Some(200);
        }
        Options {
            ops,
            seconds,
            warmup: if quick { 32 } else { 160 },
            only,
            clients,
            quick,
        }
    }
}

fn parse_number(text: &str, name: &str) -> usize {
    text.trim()
        .parse::<usize>()
        .ok()
        .filter(|n| *n > 0)
        .unwrap_or_else(|| usage(&format!("{name} must be a positive whole number")))
}

fn parse_list(text: &str, name: &str) -> Vec<usize> {
    text.split(',').map(|n| parse_number(n, name)).collect()
}

fn parse_seconds(text: &str, name: &str) -> f64 {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| *s > 0.0)
        .unwrap_or_else(|| usage(&format!("{name} must be a positive number of seconds")))
}

fn usage(problem: &str) -> ! {
    if !problem.is_empty() {
        eprintln!("workflow bench: {problem}");
    }
    eprintln!(
        "usage: cargo bench -p server --bench workflow -- [--quick] [--ops N] [--seconds S] \
         [--only sqlite|postgres] [--clients 1,16]"
    );
    std::process::exit(if problem.is_empty() { 0 } else { 2 })
}

/// Everything an operation needs, built once: the request and the command are cloned.
struct Work {
    store: Arc<dyn CaseStore>,
    actor: Actor,
    request: NewCase,
}

impl Work {
    fn new(store: Arc<dyn CaseStore>, actor: Actor, process: &Process) -> Work {
        let request = NewCase {
            process: process.code.to_string(),
            title: "基准测试收文".into(),
            department: Some("行政部".into()),
            form: sample_form(process, chrono::Utc::now(), false),
        };
        Work {
            store,
            actor,
            request,
        }
    }

    /// Raises one case; answers its id and the step under way.
    async fn raise(&self) -> (CaseId, StepCode) {
        let view = self
            .store
            .raise(self.request.clone(), &self.actor, chrono::Utc::now())
            .await
            .unwrap_or_else(|e| panic!("raising a case failed: {e:?}"));
        assert_eq!(view.case.version, 1);
        let step = view
            .case
            .active()
            .next()
            .map(|(_, s)| s.step.clone())
            .expect("a raised case has a step under way");
        (view.case.id, step)
    }

    async fn complete(&self, id: CaseId, step: &StepCode) {
        let command = Command::CompleteStep { step: step.clone() };
        let view = self
            .store
            .apply(id, 1, command, &self.actor, chrono::Utc::now())
            .await
            .unwrap_or_else(|e| panic!("completing {step} of case {id} failed: {e:?}"));
        assert_eq!(view.case.version, 2);
    }
}

/// The latencies of one cell and its wall time.
struct Cell {
    backend: Backend,
    clients: usize,
    operation: &'static str,
    latencies_ms: Vec<f64>,
    wall: Duration,
}

impl Cell {
    fn count(&self) -> usize {
        self.latencies_ms.len()
    }

    /// Nearest-rank percentile of the sorted latencies.
    fn percentile(&self, p: f64) -> f64 {
        let n = self.latencies_ms.len();
        if n == 0 {
            return f64::NAN;
        }
        let rank = ((p / 100.0) * n as f64).ceil() as usize;
        self.latencies_ms[rank.clamp(1, n) - 1]
    }

    fn median(&self) -> f64 {
        self.percentile(50.0)
    }

    fn throughput(&self) -> f64 {
        self.count() as f64 / self.wall.as_secs_f64()
    }
}

/// Runs `clients` tasks; each takes tickets until `more(ticket)` says stop and times `op`.
async fn run_clients<F, Fut>(
    clients: usize,
    more: Arc<dyn Fn(usize) -> bool + Send + Sync>,
    op: F,
) -> (Vec<f64>, Duration)
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let op = Arc::new(op);
    let tickets = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (op, tickets, more) = (op.clone(), tickets.clone(), more.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let ticket = tickets.fetch_add(1, Ordering::Relaxed);
                    if !more(ticket) {
                        break;
                    }
                    let began = Instant::now();
                    op(ticket).await;
                    latencies.push(began.elapsed().as_secs_f64() * 1000.0);
                }
                latencies
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        match task.await {
            Ok(latencies) => all.extend(latencies),
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
    let wall = start.elapsed();
    all.sort_by(f64::total_cmp);
    (all, wall)
}

/// Raises `ops` cases (or as many as fit in the time box) with `clients` tasks; answers the
/// cell and the cases raised.
async fn raise_cell(
    work: &Arc<Work>,
    backend: Backend,
    clients: usize,
    options: &Options,
) -> (Cell, Vec<(CaseId, StepCode)>) {
    let raised = Arc::new(std::sync::Mutex::new(Vec::new()));
    let more: Arc<dyn Fn(usize) -> bool + Send + Sync> = match options.ops {
        Some(ops) => Arc::new(move |ticket| ticket < ops),
        None => {
            let deadline = Instant::now() + Duration::from_secs_f64(options.seconds);
            Arc::new(move |_| Instant::now() < deadline)
        }
    };
    let (latencies_ms, wall) = {
        let (work, raised) = (work.clone(), raised.clone());
        run_clients(clients, more, move |_| {
            let (work, raised) = (work.clone(), raised.clone());
            async move {
                let case = work.raise().await;
                raised.lock().expect("not poisoned").push(case);
            }
        })
        .await
    };
    let raised = std::mem::take(&mut *raised.lock().expect("not poisoned"));
    let cell = Cell {
        backend,
        clients,
        operation: "raise case",
        latencies_ms,
        wall,
    };
    (cell, raised)
}

/// Completes the step under way of every case given, with `clients` tasks.
async fn complete_cell(
    work: &Arc<Work>,
    backend: Backend,
    clients: usize,
    cases: Vec<(CaseId, StepCode)>,
) -> Cell {
    let cases = Arc::new(cases);
    let count = cases.len();
    let (latencies_ms, wall) = {
        let work = work.clone();
        run_clients(
            clients,
            Arc::new(move |ticket| ticket < count),
            move |ticket| {
                let (work, cases) = (work.clone(), cases.clone());
                async move {
                    let (id, step) = &cases[ticket];
                    work.complete(*id, step).await;
                }
            },
        )
        .await
    };
    Cell {
        backend,
        clients,
        operation: "complete step",
        latencies_ms,
        wall,
    }
}

/// Untimed: opens the pool's connections and fills the catalog and calendar caches.
async fn warm_up(work: &Arc<Work>, backend: Backend, options: &Options) {
    let quick = Options {
        ops: Some(options.warmup),
        ..options.clone()
    };
    let clients = options.clients.iter().copied().max().unwrap_or(1);
    let (_, cases) = raise_cell(work, backend, clients, &quick).await;
    complete_cell(work, backend, clients, cases).await;
}

async fn bench_backend(
    backend: Backend,
    options: &Options,
    cells: &mut Vec<Cell>,
) -> Result<(), String> {
    let catalog = builtin().map_err(|_| "the built-in catalog is invalid".to_string())?;
    let process = catalog
        .process(PROCESS)
        .ok_or_else(|| format!("the catalog has no process {PROCESS}"))?;
    let target = Target::create(backend).await?;
    let settings = target.settings();
    let (db, store, actor) = open_store(&settings).await;
    let work = Arc::new(Work::new(store, actor, process));
    eprintln!(
        "{}: pool of {} connections, warming up…",
        backend.name(),
        settings.db_pool
    );
    warm_up(&work, backend, options).await;
    for &clients in &options.clients {
        eprintln!("{}: {clients} client(s), raising…", backend.name());
        let (raise, cases) = raise_cell(&work, backend, clients, options).await;
        eprintln!(
            "{}: {clients} client(s), completing {} steps…",
            backend.name(),
            cases.len()
        );
        let complete = complete_cell(&work, backend, clients, cases).await;
        cells.push(raise);
        cells.push(complete);
    }
    drop(work);
    db.close().await.ok();
    target.remove().await;
    Ok(())
}

fn print_table(cells: &[Cell]) {
    println!();
    println!(
        "| database   | clients | operation     |  count | median ms | p95 ms | p99 ms |   ops/s |"
    );
    println!(
        "| ---------- | ------: | ------------- | -----: | --------: | -----: | -----: | ------: |"
    );
    for c in cells {
        println!(
            "| {:<10} | {:>7} | {:<13} | {:>6} | {:>9.2} | {:>6.2} | {:>6.2} | {:>7.0} |",
            c.backend.name(),
            c.clients,
            c.operation,
            c.count(),
            c.median(),
            c.percentile(95.0),
            c.percentile(99.0),
            c.throughput()
        );
    }
    println!();
}

fn find<'a>(
    cells: &'a [Cell],
    backend: Backend,
    clients: usize,
    operation: &str,
) -> Option<&'a Cell> {
    cells
        .iter()
        .find(|c| c.backend == backend && c.clients == clients && c.operation == operation)
}

fn summary(cells: &[Cell], skipped: &[String]) -> String {
    let verdict = |met: bool| if met { "met" } else { "MISSED" };
    let mut parts = Vec::new();
    if let Some(sqlite) = find(cells, Backend::Sqlite, 1, "raise case") {
        let complete = find(cells, Backend::Sqlite, 1, "complete step");
        let worst = complete.map_or(sqlite.median(), |c| c.median().max(sqlite.median()));
        parts.push(format!(
            "SQLite 1-client median raise {:.2} ms, complete {:.2} ms (target < {SQLITE_TARGET_MEDIAN_MS} ms: {})",
            sqlite.median(),
            complete.map_or(f64::NAN, Cell::median),
            verdict(worst < SQLITE_TARGET_MEDIAN_MS)
        ));
    }
    for backend in [Backend::Sqlite, Backend::Postgres] {
        if let Some(c) = find(cells, backend, 16, "complete step") {
            parts.push(format!(
                "{} 16 clients {:.0} completions/s (target ≥ {TARGET_COMPLETIONS_PER_S}: {})",
                backend.name(),
                c.throughput(),
                verdict(c.throughput() >= TARGET_COMPLETIONS_PER_S)
            ));
        }
    }
    for s in skipped {
        parts.push(format!("{s} skipped"));
    }
    format!("workflow bench summary: {}", parts.join("; "))
}

fn main() {
    let options = Options::read();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let mut cells = Vec::new();
        let mut skipped = Vec::new();
        eprintln!(
            "workflow bench: {} per cell{}",
            match options.ops {
                Some(ops) => format!("{ops} operations"),
                None => format!("raises for {} s", options.seconds),
            },
            if options.quick { " (quick)" } else { "" }
        );
        for backend in [Backend::Sqlite, Backend::Postgres] {
            if options.only.is_some_and(|only| only != backend) {
                continue;
            }
            if let Err(reason) = bench_backend(backend, &options, &mut cells).await {
                println!("{} skipped: {reason}", backend.name());
                skipped.push(backend.name().to_string());
            }
        }
        print_table(&cells);
        println!("{}", summary(&cells, &skipped));
    });
}
