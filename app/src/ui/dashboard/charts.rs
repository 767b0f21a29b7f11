//! The dashboard's charts, drawn as SVG by the app (no charting script): bars of the work
//! under way per function, the weekly trend, and the time the late steps take against their
//! limit. Each is an image with a label; the page shows the same numbers as tables.

use leptos::prelude::*;

use super::texts::dashboard_texts;
use crate::domain::lang::Lang;
use crate::domain::workflow::dashboard::{FunctionLoad, StepFigures, WeekFigures};

const WIDTH: f64 = 640.0;

fn px(value: f64) -> String {
    format!("{value:.1}")
}

/// About how wide `text` is drawn at `size` pixels in the page's sans-serif font: a Chinese
/// character is a square, a capital or digit about 0.62 of one, any other character 0.5.
fn label_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| match c {
            c if u32::from(c) >= 0x2E80 => 1.0,
            'A'..='Z' | '0'..='9' | 'm' | 'w' => 0.62,
            _ => 0.5,
        })
        .sum::<f64>()
        * size
}

/// Per function: the steps under way, split into on track, due soon and overdue.
#[component]
pub fn LoadChart(functions: Vec<FunctionLoad>, lang: Lang) -> impl IntoView {
    let t = dashboard_texts(lang);
    // The names' column is as wide as the longest name (English names are twice as long as
    // the Chinese), the bars have the rest but room for their number.
    let longest = functions
        .iter()
        .map(|f| label_width(f.name.get(lang), 13.0))
        .fold(0.0_f64, f64::max);
    let label_right = longest.clamp(60.0, 300.0) + 4.0;
    let bar_left = label_right + 10.0;
    let bar_room = WIDTH - bar_left - 60.0;
    let (row, bar) = (28.0, 18.0);
    let max = functions.iter().map(|f| f.open).max().unwrap_or(0).max(1);
    let height = functions.len() as f64 * row + 8.0;
    let rows = functions
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let y = 4.0 + i as f64 * row;
            let on_track = f.open.saturating_sub(f.due_soon + f.overdue);
            let mut x = bar_left;
            let segments = [
                (on_track, "chart__ok", t.on_track),
                (f.due_soon, "chart__warn", t.due_soon),
                (f.overdue, "chart__danger", t.overdue),
            ]
            .into_iter()
            .filter(|(n, _, _)| *n > 0)
            .map(|(n, class, what)| {
                let w = f64::from(n) / f64::from(max) * bar_room;
                let rect = view! {
                    <rect class=class x=px(x) y=px(y) width=px(w) height=px(bar) rx="2">
                        <title>{format!("{} · {what}: {n}", f.name.get(lang))}</title>
                    </rect>
                };
                x += w;
                rect
            })
            .collect_view();
            view! {
                <g data-function=f.code.clone()>
                    <text class="chart__label" x=px(label_right) y=px(y + bar - 4.0) text-anchor="end">
                        {f.name.get(lang).to_string()}
                    </text>
                    {segments}
                    <text class="chart__value" x=px(x + 6.0) y=px(y + bar - 4.0)>{f.open.to_string()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg
            class="chart chart--load"
            data-testid="chart-load"
            viewBox=format!("0 0 {WIDTH} {}", px(height))
            role="img"
            aria-label=t.load_chart
            preserveAspectRatio="xMinYMin meet"
        >
            {rows}
        </svg>
    }
}

/// Twelve weeks: completed steps as stacked columns (on time, late, no limit) and the on-time
/// rate as a line on a 0–100 % scale at the right.
#[component]
pub fn TrendChart(weeks: Vec<WeekFigures>, lang: Lang) -> impl IntoView {
    let t = dashboard_texts(lang);
    let (left, right, top, bottom, height) = (40.0, 600.0, 16.0, 196.0, 224.0);
    let max = weeks
        .iter()
        .map(|w| w.counts.done)
        .max()
        .unwrap_or(0)
        .max(1);
    let slot = (right - left) / weeks.len().max(1) as f64;
    let column = slot * 0.56;
    let scale = |n: u32| f64::from(n) / f64::from(max) * (bottom - top);
    // The rate's line, broken where a week has no rate (nothing with a limit completed).
    let mut lines: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    let columns = weeks
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let x = left + i as f64 * slot + (slot - column) / 2.0;
            let none = w.counts.done.saturating_sub(w.counts.on_time + w.counts.late);
            let mut y = bottom;
            let parts = [
                (w.counts.on_time, "chart__ok", t.on_time),
                (w.counts.late, "chart__danger", t.late),
                (none, "chart__muted", t.no_deadline),
            ]
            .into_iter()
            .filter(|(n, _, _)| *n > 0)
            .map(|(n, class, what)| {
                let h = scale(n);
                y -= h;
                view! {
                    <rect class=class x=px(x) y=px(y) width=px(column) height=px(h)>
                        <title>{format!("{} · {what}: {n}", w.start.format("%m/%d"))}</title>
                    </rect>
                }
            })
            .collect_view();
            match w.counts.on_time_percent() {
                Some(rate) => lines
                    .last_mut()
                    .expect("one line at least")
                    .push((x + column / 2.0, bottom - rate / 100.0 * (bottom - top))),
                None if lines.last().is_some_and(|l| !l.is_empty()) => lines.push(Vec::new()),
                None => {}
            }
            view! {
                <g data-week=w.start.to_string()>
                    {parts}
                    <text class="chart__tick" x=px(x + column / 2.0) y=px(bottom + 16.0) text-anchor="middle">
                        {w.start.format("%m/%d").to_string()}
                    </text>
                </g>
            }
        })
        .collect_view();
    let polylines = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let points = l
                .iter()
                .map(|(x, y)| format!("{},{}", px(*x), px(*y)))
                .collect::<Vec<_>>()
                .join(" ");
            view! { <polyline class="chart__rate" points=points></polyline> }
        })
        .collect_view();
    let dots = lines
        .into_iter()
        .flatten()
        .map(|(x, y)| view! { <circle class="chart__rate-dot" cx=px(x) cy=px(y) r="3"></circle> })
        .collect_view();
    view! {
        <svg
            class="chart chart--trend"
            data-testid="chart-trend"
            viewBox=format!("0 0 {WIDTH} {height}")
            role="img"
            aria-label=t.trend_chart
            preserveAspectRatio="xMinYMin meet"
        >
            <line class="chart__axis" x1=px(left) y1=px(bottom) x2=px(right) y2=px(bottom)></line>
            <line class="chart__grid" x1=px(left) y1=px(top) x2=px(right) y2=px(top)></line>
            <text class="chart__tick" x=px(left - 6.0) y=px(bottom + 4.0) text-anchor="end">"0"</text>
            <text class="chart__tick" x=px(left - 6.0) y=px(top + 4.0) text-anchor="end">{max.to_string()}</text>
            <text class="chart__tick chart__tick--rate" x=px(right + 6.0) y=px(top + 4.0)>"100%"</text>
            <text class="chart__tick chart__tick--rate" x=px(right + 6.0) y=px(bottom + 4.0)>"0%"</text>
            {columns}
            {polylines}
            {dots}
        </svg>
    }
}

/// For the steps most often late: the median and the 90th percentile of the time taken as a
/// share of the time allowed, with the limit (100 %) as a dashed line.
#[component]
pub fn LateChart(steps: Vec<StepFigures>, lang: Lang) -> impl IntoView {
    let t = dashboard_texts(lang);
    // Wider than the other charts: it spans the page, and its labels are step names.
    let width = 880.0;
    let (label_right, bar_left, bar_room, row, bar) = (300.0, 310.0, 500.0, 30.0, 20.0);
    let top = 18.0;
    let biggest = steps
        .iter()
        .filter_map(StepFigures::p90_of_allowed_percent)
        .fold(150.0_f64, f64::max)
        .min(400.0);
    let x_of = |percent: f64| bar_left + percent.min(biggest) / biggest * bar_room;
    let height = top + steps.len() as f64 * row + 4.0;
    let limit = x_of(100.0);
    let rows = steps
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let y = top + i as f64 * row;
            let p90 = s.p90_of_allowed_percent();
            let median = s.median_of_allowed_percent();
            let label = s.step_name.get(lang).to_string();
            let full = format!("{} · {}", s.process_name.get(lang), label);
            let p90_bar = p90.map(|p| {
                view! {
                    <rect class="chart__danger-soft" x=px(bar_left) y=px(y) width=px(x_of(p) - bar_left) height=px(bar) rx="2">
                        <title>{format!("{full} · {}: {p:.0}%", t.p90_of_allowed)}</title>
                    </rect>
                }
            });
            let median_bar = median.map(|p| {
                view! {
                    <rect class="chart__danger" x=px(bar_left) y=px(y + 5.0) width=px(x_of(p) - bar_left) height=px(bar - 10.0) rx="2">
                        <title>{format!("{full} · {}: {p:.0}%", t.median_of_allowed)}</title>
                    </rect>
                }
            });
            let value = p90.map_or_else(|| "—".to_string(), |p| format!("{p:.0}%"));
            let end = p90.map_or(bar_left, x_of);
            view! {
                <g data-step=s.step.clone()>
                    <text class="chart__label" x=px(label_right) y=px(y + bar - 6.0) text-anchor="end">
                        <title>{full.clone()}</title>
                        {label}
                    </text>
                    {p90_bar}
                    {median_bar}
                    <text class="chart__value" x=px(end + 6.0) y=px(y + bar - 6.0)>{value}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg
            class="chart chart--late"
            data-testid="chart-late"
            viewBox=format!("0 0 {width} {}", px(height))
            role="img"
            aria-label=t.late_chart
            preserveAspectRatio="xMinYMin meet"
        >
            {rows}
            <line class="chart__limit" x1=px(limit) y1="12" x2=px(limit) y2=px(height - 2.0)></line>
            <text class="chart__tick" x=px(limit) y="10" text-anchor="middle">{t.deadline}</text>
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::label_width;

    #[test]
    fn a_label_is_measured_by_its_characters() {
        assert_eq!(label_width("综合统筹与协调管理", 13.0), 9.0 * 13.0);
        let english = label_width("Archives and information", 13.0);
        assert!(english > label_width("档案与信息管理", 13.0));
        assert!((150.0..200.0).contains(&english), "{english}");
    }
}
