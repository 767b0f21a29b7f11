//! The reports page (`/reports?kind=briefing&period=2026-W48`): one report of live data at a
//! time, chosen by tabs, with its period (a week or a month) in the address so that a report
//! can be shared as a link; printable as it stands (the shell and the controls drop out) and
//! downloadable as Excel or CSV.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::get_report;
use crate::domain::lang::Lang;
use crate::domain::workflow::reports::{Cadence, Report, ReportKind, ReportQuery, Section, Tone};
use crate::error::AppError;
use crate::ui::board::board_page::encode;
use crate::ui::i18n::use_lang;
use crate::ui::resource::blocking_resource;

/// The page's words.
pub struct ReportTexts {
    pub title: &'static str,
    pub lead: &'static str,
    pub tabs: &'static str,
    pub week: &'static str,
    pub month: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub print: &'static str,
    pub excel: &'static str,
    pub csv: &'static str,
    pub generated: &'static str,
    pub running: &'static str,
    pub not_allowed: &'static str,
    pub load_failed: &'static str,
    pub reset: &'static str,
}

pub fn report_texts(lang: Lang) -> ReportTexts {
    match lang {
        Lang::Zh => ReportTexts {
            title: "报告",
            lead: "由实时数据生成的周报与月报:无需手工汇总,可打印,可下载。",
            tabs: "报告类型",
            week: "周次",
            month: "月份",
            previous: "上一期",
            next: "下一期",
            print: "打印",
            excel: "下载 Excel",
            csv: "下载 CSV",
            generated: "生成于",
            running: "本期尚未结束,数字仍会变化。",
            not_allowed: "您无权查看这份报告:它属于其他职能。",
            load_failed: "报告未能生成。",
            reset: "回到默认一期",
        },
        Lang::En => ReportTexts {
            title: "Reports",
            lead: "Weekly and monthly reports written from live data: nothing to compile by hand, ready to print or download.",
            tabs: "Report",
            week: "Week",
            month: "Month",
            previous: "Previous",
            next: "Next",
            print: "Print",
            excel: "Download Excel",
            csv: "Download CSV",
            generated: "Generated",
            running: "This period is not over yet; the figures will still change.",
            not_allowed: "You may not read this report: it belongs to other functions.",
            load_failed: "The report could not be generated.",
            reset: "Back to the default period",
        },
    }
}

fn search_of(kind: ReportKind, period: Option<&str>) -> String {
    match period {
        Some(p) => format!("?kind={}&period={}", kind.code(), encode(p)),
        None => format!("?kind={}", kind.code()),
    }
}

fn tone_class(tone: Tone) -> &'static str {
    match tone {
        Tone::Plain => "",
        Tone::Good => "stat-tile--ok",
        Tone::Warning => "stat-tile--warn",
        Tone::Danger => "stat-tile--danger",
    }
}

fn row_class(tone: Tone) -> &'static str {
    match tone {
        Tone::Plain | Tone::Good => "",
        Tone::Warning => "report-row--warn",
        Tone::Danger => "report-row--danger",
    }
}

/// The page.
#[component]
pub fn ReportsPage() -> impl IntoView {
    let lang = use_lang();
    let texts = move || report_texts(lang.get());
    let address = use_query_map();
    let query = Memo::new(move |_| {
        address.with(|q| ReportQuery {
            kind: q
                .get_str("kind")
                .and_then(ReportKind::from_code)
                .unwrap_or(ReportKind::Briefing),
            period: q
                .get_str("period")
                .map(str::to_string)
                .filter(|p| !p.is_empty()),
        })
    });
    let report = blocking_resource(move || query.get(), get_report);
    let tabs = move || {
        let l = lang.get();
        let current = query.get().kind;
        ReportKind::ALL
            .into_iter()
            .map(|kind| {
                let selected = kind == current;
                view! {
                    <a
                        class="report-tabs__tab"
                        role="tab"
                        aria-selected=selected.to_string()
                        href=format!("/reports{}", search_of(kind, None))
                        data-testid=format!("report-tab-{}", kind.code())
                    >
                        {kind.title().get(l).to_string()}
                    </a>
                }
            })
            .collect_view()
    };
    view! {
        <Title text=move || texts().title.to_string()/>
        <header class="page-header report-page__header">
            <h1>{move || texts().title}</h1>
            <p class="page-header__lead">{move || texts().lead}</p>
        </header>
        <nav class="report-tabs" role="tablist" aria-label=move || texts().tabs>{tabs}</nav>
        <Transition fallback=move || view! { <div class="card card--skeleton" aria-busy="true"></div> }>
            {move || {
                lang.track();
                Suspend::new(async move {
                    match report.await {
                        Ok(report) => view! { <ReportView report/> }.into_any(),
                        Err(AppError::Unauthenticated) => view! { <crate::ui::layout::sign_in_first::SignInFirst/> }.into_any(),
                        Err(error) => {
                            let refused = matches!(error, AppError::Forbidden);
                            let reset = format!("/reports{}", search_of(query.get_untracked().kind, None));
                            view! {
                                <div class="alert alert--error" role="alert" data-testid="report-refused">
                                    <strong>{move || if refused { texts().not_allowed } else { texts().load_failed }}</strong>
                                    " "
                                    {move || (!refused).then(|| error.message(lang.get()))}
                                    {(!refused).then(|| view! {
                                        " "
                                        <a href=reset data-testid="report-reset">{move || texts().reset}</a>
                                    })}
                                </div>
                            }
                            .into_any()
                        }
                    }
                })
            }}
        </Transition>
    }
}

#[component]
fn ReportView(report: Report) -> impl IntoView {
    let lang = use_lang();
    let l = lang.get_untracked();
    let t = report_texts(l);
    let kind = report.kind;
    let navigate = use_navigate();
    let go = move |period: String| {
        navigate(
            &format!("/reports{}", search_of(kind, Some(&period))),
            NavigateOptions {
                scroll: false,
                ..Default::default()
            },
        );
    };
    let weekly = kind.cadence() == Cadence::Weekly;
    let lang_tag = match l {
        Lang::Zh => "zh",
        Lang::En => "en",
    };
    let download = |ext: &str| {
        format!(
            "/api/reports/{}/export.{ext}?period={}&lang={lang_tag}",
            kind.code(),
            encode(&report.period.code)
        )
    };
    let (xlsx, csv) = (download("xlsx"), download("csv"));
    let previous = format!("/reports{}", search_of(kind, Some(&report.previous.code)));
    let next = report
        .next
        .as_ref()
        .map(|n| format!("/reports{}", search_of(kind, Some(&n.code))));
    let running = report.running;
    view! {
        <article class="card report" data-testid="report" data-kind=kind.code()>
            <div class="report__controls">
                <a class="button button--quiet" href=previous data-testid="report-previous">"‹ "{t.previous}</a>
                <label class="report__period">
                    <span class="visually-hidden">{if weekly { t.week } else { t.month }}</span>
                    <input
                        type=if weekly { "week" } else { "month" }
                        name="period"
                        data-testid="report-period"
                        prop:value=report.period.code.clone()
                        on:change=move |ev| {
                            let value = event_target_value(&ev);
                            if !value.is_empty() {
                                go(value);
                            }
                        }
                    />
                </label>
                {match next {
                    Some(href) => view! { <a class="button button--quiet" href=href data-testid="report-next">{t.next}" ›"</a> }.into_any(),
                    None => view! { <span class="button button--quiet" aria-disabled="true">{t.next}" ›"</span> }.into_any(),
                }}
                <span class="report__spacer"></span>
                <button type="button" class="button" data-testid="report-print" on:click=move |_| {
                    #[cfg(feature = "hydrate")]
                    if let Some(window) = web_sys::window() {
                        let _ = window.print();
                    }
                }>{t.print}</button>
                <a class="button button--primary" href=xlsx download data-testid="report-export-xlsx">{t.excel}</a>
                <a class="button" href=csv download data-testid="report-export-csv">{t.csv}</a>
            </div>
            <header class="report__head">
                <h2 class="report__title" data-testid="report-title">{report.title.get(l).to_string()}</h2>
                <p class="report__period-name" data-testid="report-period-name">{report.period.name.get(l).to_string()}</p>
                <p class="report__meta">
                    {report.audience.get(l).to_string()}" · "{t.generated}" "{report.generated_at.clone()}
                </p>
                {running.then(|| view! { <p class="report__running" data-testid="report-running">{t.running}</p> })}
            </header>
            <div class="dashboard__tiles report__figures" data-testid="report-figures">
                {report.figures.iter().map(|f| {
                    let class = format!("stat-tile {}", tone_class(f.tone));
                    view! {
                        <div class=class>
                            <span class="stat-tile__label">{f.label.get(l).to_string()}</span>
                            <strong class="stat-tile__value report__figure-value">{f.value.get(l).to_string()}</strong>
                        </div>
                    }
                }).collect_view()}
            </div>
            {report.sections.into_iter().map(|s| view! { <ReportSection section=s lang=l/> }).collect_view()}
        </article>
    }
}

#[component]
fn ReportSection(section: Section, lang: Lang) -> impl IntoView {
    let id = format!("report-{}", section.code);
    let labelled = id.clone();
    let testid = format!("report-section-{}", section.code);
    let width = section.columns.len().max(1);
    let numeric = section.numeric.clone();
    let heads = section
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let class = if numeric.get(i).copied().unwrap_or(false) {
                "num"
            } else {
                ""
            };
            view! { <th scope="col" class=class>{c.get(lang).to_string()}</th> }
        })
        .collect_view();
    let empty = section.rows.is_empty();
    let rows = section
        .rows
        .iter()
        .map(|row| {
            let numeric = numeric.clone();
            let link = match (row.case, &row.function) {
                (Some(case), Some(function)) => {
                    Some(format!("/functions/{function}/board?case={case}"))
                }
                _ => None,
            };
            let cells = row
                .cells
                .iter()
                .enumerate()
                .map(|(i, cell)| {
                    let text = cell.get(lang).to_string();
                    let class = if numeric.get(i).copied().unwrap_or(false) {
                        "num"
                    } else {
                        ""
                    };
                    match (&link, i) {
                        (Some(href), 0) => {
                            view! { <td class=class><a href=href.clone()>{text}</a></td> }
                                .into_any()
                        }
                        _ => view! { <td class=class>{text}</td> }.into_any(),
                    }
                })
                .collect_view();
            view! { <tr class=row_class(row.tone)>{cells}</tr> }
        })
        .collect_view();
    view! {
        <section class="report__section" aria-labelledby=labelled data-testid=testid>
            <h3 id=id class="report__section-title">{section.title.get(lang).to_string()}</h3>
            {section.note.as_ref().map(|n| view! { <p class="report__note">{n.get(lang).to_string()}</p> })}
            <div class="ledger-page__scroll">
                <table class="table table--compact report__table">
                    <thead><tr>{heads}</tr></thead>
                    <tbody>
                        {if empty {
                            view! { <tr><td colspan=width.to_string() class="report__empty">{section.empty.get(lang).to_string()}</td></tr> }.into_any()
                        } else {
                            rows.into_any()
                        }}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
