//! Throughput of deadline evaluation: `wd(N)` and `h(N, working)` over anchors spread across
//! 2020–2030, N ≤ 30. Run (briefly):
//! `CARGO_BUILD_JOBS=1 cargo bench --bench deadlines -- --warm-up-time 1 --measurement-time 3`

use app::domain::calendar::BusinessCalendar;
use app::domain::rules::DeadlineRule;
use chrono::{DateTime, Utc};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

const BATCH: usize = 4096;

/// Deterministic anchors from 2020-01-01 to 2030-12-31 (Shanghai) with N in 1..=30.
fn inputs() -> Vec<(DateTime<Utc>, u32)> {
    let (start, span) = (1_577_808_000i64, 347_155_200i64);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..BATCH)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let secs = start + (x % span as u64) as i64;
            (
                DateTime::from_timestamp(secs, 0).unwrap(),
                (x >> 40) as u32 % 30 + 1,
            )
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let cal = BusinessCalendar::built_in();
    let data = inputs();
    let mut g = c.benchmark_group("deadlines");
    g.throughput(Throughput::Elements(BATCH as u64));
    g.bench_function("wd(N)", |b| {
        b.iter(|| {
            for &(anchor, n) in &data {
                black_box(cal.due(black_box(&DeadlineRule::WorkingDays(n)), anchor));
            }
        })
    });
    g.bench_function("h(N, working)", |b| {
        b.iter(|| {
            for &(anchor, n) in &data {
                let rule = DeadlineRule::Hours {
                    hours: n,
                    working: true,
                };
                black_box(cal.due(black_box(&rule), anchor));
            }
        })
    });
    g.bench_function("h(N) round the clock", |b| {
        b.iter(|| {
            for &(anchor, n) in &data {
                let rule = DeadlineRule::Hours {
                    hours: n,
                    working: false,
                };
                black_box(cal.due(black_box(&rule), anchor));
            }
        })
    });
    g.finish();
    c.bench_function("BusinessCalendar::built_in (index build)", |b| {
        b.iter(|| black_box(BusinessCalendar::built_in()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
