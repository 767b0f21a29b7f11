//! The calendar's month for a busy office: 10,000 open steps due across one month, read by the
//! director (who sees every case) through the `CaseStore` port the server builds, on SQLite
//! and on PostgreSQL. Timed: the month view as `calendar/view` answers it (`agenda_sample`,
//! a scan of the store's index of open dated rows in memory, then `calendar_page`), and for
//! comparison every item of the month named (`agenda`, what the week and list views use)
//! with the same layout. The cases are raised before the index is loaded, so the month view's
//! first read loads it from the database (a server does that in the background at start):
//! reported apart as the first read.
//!
//! ```sh
//! cargo bench -p server --bench calendar                  # 10,000 steps, 200 reads
//! cargo bench -p server --bench calendar -- --steps 2000 --reads 50
//! ```
//!
//! Options: `--steps N` (`OFFICEFLOW_BENCH_STEPS`), `--reads N` (`OFFICEFLOW_BENCH_READS`),
//! `--only sqlite|postgres`. PostgreSQL as in the workflow bench (skipped when unreachable).

use std::time::Instant;

use app::domain::workflow::agenda::{
    calendar_page, day_start, CalendarFilter, CalendarView, Found, MONTH_SHOWN_PER_DAY,
};
use app::domain::workflow::board_filter::Viewer;
use app::domain::workflow::{FormInput, RawValue};
use app::ports::NewCase;
use chrono::{Datelike, Duration, NaiveDate, TimeZone};

mod support;
use support::{open_store, Backend, Target};

const TARGET_P99_MS: f64 = 30.0;
/// What `calendar/view` does for a month: the store's sample (each day's rows counted and
/// the first few named, from the index in memory) and the layout.
const MONTH_VIEW: &str = "month view (sampled + layout)";
/// What the week and list views do: every item of the range named, then laid out
/// (here as a month, for comparison).
const FULL_READ: &str = "every item read + month layout";

struct Options {
    steps: usize,
    reads: usize,
    only: Option<Backend>,
}

fn options() -> Options {
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.trim().parse().ok());
    let mut options = Options {
        steps: env("OFFICEFLOW_BENCH_STEPS").unwrap_or(10_000),
        reads: env("OFFICEFLOW_BENCH_READS").unwrap_or(200),
        only: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = || {
            args.next()
                .and_then(|v| v.parse::<usize>().ok())
                .filter(|n| *n > 0)
                .unwrap_or_else(|| panic!("{arg} needs a positive whole number"))
        };
        match arg.as_str() {
            "--bench" => {}
            "--steps" => options.steps = number(),
            "--reads" => options.reads = number(),
            "--only" => options.only = Some(Backend::from_only(args.next().as_deref())),
            _ => {}
        }
    }
    options
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

struct Figures {
    backend: &'static str,
    what: &'static str,
    items: usize,
    /// The first read's time, in ms (for the month view: the index loaded from the database).
    first: f64,
    median: f64,
    p90: f64,
    p99: f64,
}

async fn bench(backend: Backend, options: &Options) -> Result<Vec<Figures>, String> {
    let target = Target::create(backend).await?;
    let settings = target.settings();
    let (db, store, director) = open_store(&settings).await;
    let zone = chrono_tz::Asia::Shanghai;
    // The month after next (wholly in the future, so every step is open and on time), with
    // documents received on each of its working days: their same-day step is due that day.
    let today = chrono::Utc::now().with_timezone(&zone).date_naive();
    let month = CalendarView::Month.step(CalendarView::Month.step(today, true), true);
    let days: Vec<NaiveDate> = (0..31)
        .map(|d| month + Duration::days(d))
        .filter(|d| d.month() == month.month())
        .collect();
    let started = Instant::now();
    for n in 0..options.steps {
        let day = days[n % days.len()];
        let received = zone
            .from_local_datetime(&day.and_hms_opt(9, (n % 60) as u32, 0).unwrap())
            .unwrap();
        let mut form = FormInput::new();
        form.insert(
            "received_at".into(),
            RawValue::Text(received.format("%Y-%m-%dT%H:%M").to_string()),
        );
        form.insert("issuer".into(), RawValue::Text("市政府办公厅".into()));
        form.insert("title".into(), RawValue::Text("通知".into()));
        store
            .raise(
                NewCase {
                    process: "incoming_document".into(),
                    title: format!("基准收文 {n}"),
                    department: Some("行政部".into()),
                    form,
                },
                &director,
                chrono::Utc::now(),
            )
            .await
            .map_err(|e| format!("raise: {e:?}"))?;
    }
    eprintln!(
        "{}: {} cases raised in {:.1} s",
        backend.name(),
        options.steps,
        started.elapsed().as_secs_f64()
    );
    let calendar = app::domain::calendar::BusinessCalendar::built_in();
    let catalog = officeflow_server::startup::builtin_catalog().map_err(|e| e.to_string())?;
    let (from, to) = CalendarView::Month.range(month);
    let (from_at, to_at) = (
        day_start(zone, from),
        day_start(zone, to + Duration::days(1)),
    );
    let viewer = Viewer {
        user: director.user.0,
        roles: director.roles.clone(),
    };
    let mut out = Vec::new();
    let filter = CalendarFilter::default();
    for what in [MONTH_VIEW, FULL_READ] {
        let mut times = Vec::with_capacity(options.reads);
        let mut items = 0;
        let mut first = 0.0;
        for read in 0..options.reads + 5 {
            let now = chrono::Utc::now();
            let began = Instant::now();
            let found = if what == MONTH_VIEW {
                Found::Sample(
                    store
                        .agenda_sample(&director, (from, to), &filter, MONTH_SHOWN_PER_DAY, now)
                        .await
                        .map_err(|e| format!("agenda_sample: {e:?}"))?,
                )
            } else {
                Found::All(
                    store
                        .agenda(&director, from_at, to_at, now)
                        .await
                        .map_err(|e| format!("agenda: {e:?}"))?,
                )
            };
            let page = calendar_page(
                &catalog,
                &calendar,
                CalendarView::Month,
                month,
                found,
                &filter,
                &viewer,
                now,
            );
            let ms = began.elapsed().as_secs_f64() * 1000.0;
            if read == 0 {
                first = ms;
            }
            if read >= 5 {
                times.push(ms);
            }
            items = page.total;
            std::hint::black_box(page);
        }
        times.sort_by(f64::total_cmp);
        out.push(Figures {
            backend: backend.name(),
            what,
            items,
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
            "\n| database | timed | items | first read ms | median ms | p90 ms | p99 ms |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |"
        );
        for f in &all {
            println!(
                "| {} | {} | {} | {:.1} | {:.2} | {:.2} | {:.2} |",
                f.backend, f.what, f.items, f.first, f.median, f.p90, f.p99
            );
        }
        let worst = all
            .iter()
            .filter(|f| f.what == MONTH_VIEW)
            .map(|f| f.p99)
            .fold(0.0, f64::max);
        println!(
            "calendar bench: {} steps, {} reads; month view p99 {:.1} ms (goal < {TARGET_P99_MS} ms): {}",
            options.steps,
            options.reads,
            worst,
            if worst < TARGET_P99_MS { "met" } else { "missed" }
        );
    });
}
