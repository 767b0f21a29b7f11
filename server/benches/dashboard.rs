//! The dashboard on a year of a large office: 100,000 closed and 5,000 open cases spread
//! over the last 365 days across every process of the catalog, with a row per step instance
//! and per step completion (about half a million each), read through the `CaseStore` port the
//! server builds, on SQLite and on PostgreSQL. Timed: `dashboard` as `dashboard/get` answers
//! it, for the director's whole office over the last 30 days (the page's default), for one
//! function, and for the whole office over a year.
//!
//! The rows are written straight into the tables (the workflow bench times the operations
//! that write them one by one); the values are pseudo-random but fixed by a seed.
//!
//! ```sh
//! cargo bench -p server --bench dashboard                      # 100,000 + 5,000 cases, 50 reads
//! cargo bench -p server --bench dashboard -- --closed 10000 --open 500 --reads 20
//! ```
//!
//! Options: `--closed N`, `--open N`, `--reads N`, `--only sqlite|postgres`. PostgreSQL as in
//! the workflow bench (skipped when unreachable).

use std::time::Instant;

use app::domain::catalog::Catalog;
use app::domain::workflow::dashboard::DashboardQuery;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use officeflow_server::persistence::entities::{
    case as case_row, step_completion as completion, step_instance as instance,
};
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait, TransactionTrait};

mod support;
use support::{open_store, Backend, Target};

const TARGET_P99_MS: f64 = 100.0;
const OFFICE_30: &str = "whole office, last 30 days";
const FUNCTION_30: &str = "one function, last 30 days";
const OFFICE_YEAR: &str = "whole office, last 365 days";

struct Options {
    closed: usize,
    open: usize,
    reads: usize,
    only: Option<Backend>,
}

fn options() -> Options {
    let mut options = Options {
        closed: 100_000,
        open: 5_000,
        reads: 50,
        only: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = || {
            args.next()
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or_else(|| panic!("{arg} needs a whole number"))
        };
        match arg.as_str() {
            "--closed" => options.closed = number(),
            "--open" => options.open = number(),
            "--reads" => options.reads = number().max(1),
            "--only" => options.only = Some(Backend::from_only(args.next().as_deref())),
            _ => {}
        }
    }
    options
}

/// A small fixed-seed generator (xorshift), so every run writes the same office.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

#[derive(Default)]
struct Rows {
    cases: Vec<case_row::ActiveModel>,
    instances: Vec<instance::ActiveModel>,
    completions: Vec<completion::ActiveModel>,
}

/// Case `id` (closed unless `open`), raised on a day of the last year.
fn one_case(
    catalog: &Catalog,
    dice: &mut Dice,
    id: i64,
    open: bool,
    now: DateTime<Utc>,
    rows: &mut Rows,
) {
    let zone = chrono_tz::Asia::Shanghai;
    let process = &catalog.processes[dice.below(catalog.processes.len() as u64) as usize];
    let created = if open {
        now - Duration::minutes(dice.below(20 * 24 * 60) as i64 + 60)
    } else {
        now - Duration::minutes(dice.below(365 * 24 * 60) as i64 + 24 * 60)
    };
    // Closed: every step done; open: some done, the next under way.
    let done_steps = if open {
        dice.below(process.steps.len() as u64) as usize
    } else {
        process.steps.len()
    };
    let mut at = created;
    let mut current = None;
    for (i, step) in process.steps.iter().enumerate().take(done_steps + 1) {
        let seq = i as i32 + 1;
        let allowed = step
            .deadline
            .as_ref()
            .map(|_| 480 + dice.below(3) as i64 * 480);
        let due = allowed.map(|m| at + Duration::minutes(m));
        if i == done_steps {
            if open {
                // Under way: due from three days ago to five days ahead.
                let due = now + Duration::minutes(dice.below(8 * 24 * 60) as i64 - 3 * 24 * 60);
                current = Some((step, due));
                rows.instances.push(instance::ActiveModel {
                    case_id: Set(id),
                    seq: Set(seq),
                    step: Set(step.code.to_string()),
                    round: Set(1),
                    owner_role: Set(step.owner.to_string()),
                    assignee_id: Set(None),
                    activated_at: Set(at.min(now)),
                    due_at: Set(Some(due)),
                    opens_at: Set(None),
                    due_provisional: Set(false),
                    completed_at: Set(None),
                    completed_by_id: Set(None),
                    completed_by_name: Set(None),
                    outcome: Set(None),
                });
            }
            break;
        }
        // Mostly within the limit, one in seven beyond it.
        let elapsed = match allowed {
            Some(m) if dice.below(7) == 0 => m + dice.below(960) as i64 + 1,
            Some(m) => dice.below(m as u64) as i64 + 5,
            None => dice.below(2000) as i64 + 5,
        };
        // Never in the future: a case raised lately has done only what time allowed.
        let completed = (at + Duration::minutes(elapsed)).min(now - Duration::minutes(1));
        rows.instances.push(instance::ActiveModel {
            case_id: Set(id),
            seq: Set(seq),
            step: Set(step.code.to_string()),
            round: Set(1),
            owner_role: Set(step.owner.to_string()),
            assignee_id: Set(None),
            activated_at: Set(at),
            due_at: Set(due),
            opens_at: Set(None),
            due_provisional: Set(false),
            completed_at: Set(Some(completed)),
            completed_by_id: Set(Some(1)),
            completed_by_name: Set(Some("基准测试".into())),
            outcome: Set(Some("completed".into())),
        });
        rows.completions.push(completion::ActiveModel {
            case_id: Set(id),
            seq: Set(seq),
            day: Set(completed
                .with_timezone(&zone)
                .date_naive()
                .format("%Y-%m-%d")
                .to_string()),
            function: Set(process.function.to_string()),
            process: Set(process.code.to_string()),
            step: Set(step.code.to_string()),
            elapsed_minutes: Set(elapsed as i32),
            allowed_minutes: Set(allowed.map(|m| m as i32)),
            on_time: Set(due.map(|d| completed <= d)),
        });
        at = completed;
    }
    rows.cases.push(case_row::ActiveModel {
        id: Set(id),
        process: Set(process.code.to_string()),
        function: Set(process.function.to_string()),
        catalog_version: Set(1),
        title: Set(format!("基准事项 {id}")),
        requester_id: Set(1),
        requester_name: Set("基准测试".into()),
        department: Set(Some("行政部".into())),
        status: Set(if open { "open" } else { "closed" }.into()),
        current_step: Set(current.map(|(s, _)| s.code.to_string())),
        current_owner_role: Set(current.map(|(s, _)| s.owner.to_string())),
        current_due_at: Set(current.map(|(_, d)| d)),
        version: Set(1 + done_steps as i64),
        created_at: Set(created),
        updated_at: Set(at.min(now)),
        closed_at: Set((!open).then_some(at)),
        next_escalation_at: Set(None),
        audit_seq: Set(0),
        body: Set("{}".into()),
    });
}

async fn write(db: &DatabaseConnection, rows: Rows) -> Result<(), String> {
    let txn = db.begin().await.map_err(|e| e.to_string())?;
    for chunk in rows.cases.chunks(400) {
        case_row::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await
            .map_err(|e| format!("cases: {e}"))?;
    }
    for chunk in rows.instances.chunks(400) {
        instance::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await
            .map_err(|e| format!("step instances: {e}"))?;
    }
    for chunk in rows.completions.chunks(400) {
        completion::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await
            .map_err(|e| format!("completions: {e}"))?;
    }
    txn.commit().await.map_err(|e| e.to_string())
}

struct Figures {
    backend: &'static str,
    what: &'static str,
    completions: u32,
    /// The first read, with nothing in memory, in ms.
    first: f64,
    median: f64,
    p90: f64,
    p99: f64,
}

async fn bench(backend: Backend, options: &Options) -> Result<Vec<Figures>, String> {
    let target = Target::create(backend).await?;
    let settings = target.settings();
    let (db, _, director) = open_store(&settings).await;
    let catalog = officeflow_server::startup::builtin_catalog().map_err(|e| e.to_string())?;
    let now = Utc::now();
    let mut dice = Dice(0x5eed_0ff1_ce00_2026);
    let started = Instant::now();
    let total = options.closed + options.open;
    let (mut instances, mut completions) = (0, 0);
    let mut id = 0;
    while id < total {
        let mut rows = Rows::default();
        for _ in 0..5_000.min(total - id) {
            id += 1;
            one_case(
                &catalog,
                &mut dice,
                id as i64,
                id > options.closed,
                now,
                &mut rows,
            );
        }
        instances += rows.instances.len();
        completions += rows.completions.len();
        write(&db, rows).await?;
    }
    eprintln!(
        "{}: {} closed + {} open cases, {instances} step instances, {completions} completions written in {:.1} s",
        backend.name(),
        options.closed,
        options.open,
        started.elapsed().as_secs_f64()
    );
    let today: NaiveDate = now.with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    let queries = [
        (OFFICE_30, DashboardQuery::default()),
        (
            FUNCTION_30,
            DashboardQuery {
                function: Some("documents".into()),
                ..DashboardQuery::default()
            },
        ),
        (
            OFFICE_YEAR,
            DashboardQuery {
                function: None,
                from: Some(today - Duration::days(364)),
                to: Some(today),
            },
        ),
    ];
    let mut out = Vec::new();
    for (what, query) in queries {
        // Each dashboard on a store of its own: its first read finds nothing in memory.
        let store = officeflow_server::startup::ports(&settings, &db).cases;
        let mut times = Vec::with_capacity(options.reads);
        let mut counted = 0;
        let mut first = 0.0;
        for read in 0..options.reads + 3 {
            let began = Instant::now();
            let board = store
                .dashboard(&director, &query, Utc::now())
                .await
                .map_err(|e| format!("dashboard: {e:?}"))?;
            let ms = began.elapsed().as_secs_f64() * 1000.0;
            if read == 0 {
                first = ms;
            } else if read >= 3 {
                times.push(ms);
            }
            counted = board.total.counts.done;
            std::hint::black_box(board);
        }
        times.sort_by(f64::total_cmp);
        out.push(Figures {
            backend: backend.name(),
            what,
            completions: counted,
            first,
            median: percentile(&times, 50.0),
            p90: percentile(&times, 90.0),
            p99: percentile(&times, 99.0),
        });
    }
    db.close().await.ok();
    target.remove().await;
    Ok(out)
}

fn main() {
    let options = options();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let mut all = Vec::new();
        for backend in [Backend::Sqlite, Backend::Postgres] {
            if options.only.is_some_and(|only| only != backend) {
                continue;
            }
            match bench(backend, &options).await {
                Ok(figures) => all.extend(figures),
                Err(reason) => println!("{} skipped: {reason}", backend.name()),
            }
        }
        println!(
            "\n| database | dashboard | completions counted | first read ms | median ms | p90 ms | p99 ms |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |"
        );
        for f in &all {
            println!(
                "| {} | {} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
                f.backend, f.what, f.completions, f.first, f.median, f.p90, f.p99
            );
        }
        let worst = all
            .iter()
            .filter(|f| f.what != OFFICE_YEAR)
            .map(|f| f.p99)
            .fold(0.0, f64::max);
        println!(
            "dashboard bench: {} closed + {} open cases, {} reads; 30-day p99 {:.1} ms (goal < {TARGET_P99_MS} ms): {}",
            options.closed,
            options.open,
            options.reads,
            worst,
            if worst < TARGET_P99_MS { "met" } else { "missed" }
        );
    });
}
