//! One ledger (`/ledgers/<code>`, e.g. `/ledgers/document_flow`): its rows for a period, a
//! department and words, sorted by any column, and the same rows as a CSV download. The query
//! lives in the address, so a filtered ledger can be bookmarked and shared.

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;

use super::manual_entries::ManualEntries;
use super::texts::ledger_texts;
use crate::api::get_ledger_table;
use crate::domain::workflow::ledger_view::{month_of, LedgerQuery, LedgerTable};
use crate::error::AppError;
use crate::ui::board::board_page::encode;
use crate::ui::i18n::use_lang;
use crate::ui::resource::blocking_resource;

/// The query string of `query` (without the ledger), `?`-prefixed when not empty.
fn search_of(query: &LedgerQuery, extra: &[(&str, String)]) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(from) = query.from {
        pairs.push(("from", from.to_string()));
    }
    if let Some(to) = query.to {
        pairs.push(("to", to.to_string()));
    }
    if let Some(department) = &query.department {
        pairs.push(("department", department.clone()));
    }
    if !query.text.trim().is_empty() {
        pairs.push(("text", query.text.trim().to_string()));
    }
    if let Some(sort) = &query.sort {
        pairs.push(("sort", sort.clone()));
    }
    if query.descending {
        pairs.push(("descending", "true".into()));
    }
    pairs.extend(extra.iter().cloned());
    if pairs.is_empty() {
        return String::new();
    }
    let joined: Vec<String> = pairs
        .into_iter()
        .map(|(k, v)| format!("{k}={}", encode(&v)))
        .collect();
    format!("?{}", joined.join("&"))
}

/// The page of one ledger.
#[component]
pub fn LedgerPage() -> impl IntoView {
    let lang = use_lang();
    let texts = move || ledger_texts(lang.get());
    let params = use_params_map();
    let address = use_query_map();
    let query = Memo::new(move |_| {
        let ledger = params.with(|p| p.get("code").unwrap_or_default());
        address.with(|q| {
            let date = |key: &str| q.get_str(key).and_then(|v| v.parse().ok());
            let text = |key: &str| q.get_str(key).map(str::to_string).filter(|v| !v.is_empty());
            LedgerQuery {
                ledger,
                from: date("from"),
                to: date("to"),
                department: text("department"),
                text: text("text").unwrap_or_default(),
                sort: text("sort"),
                descending: q.get_str("descending") == Some("true"),
            }
        })
    });
    // Bumped when a row is entered or voided by hand, so the table reloads.
    let refresh = RwSignal::new(0u32);
    let table = blocking_resource(
        move || (query.get(), refresh.get()),
        |(query, _)| get_ledger_table(query),
    );
    // The search box's words live here, above the table that is drawn again with every load, so
    // words typed while rows are on their way are not lost. An address that changes the words
    // (the back button, a shared link) puts its words in the box.
    let search = RwSignal::new(query.get_untracked().text);
    let searched = Memo::new(move |_| query.with(|q| q.text.clone()));
    Effect::new(move |_| search.set(searched.get()));
    let navigate = use_navigate();
    let go = Callback::new(move |next: LedgerQuery| {
        let href = format!("/ledgers/{}{}", next.ledger, search_of(&next, &[]));
        navigate(
            &href,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    });
    view! {
        <Title text=move || texts().title.to_string()/>
        <p class="ledger-page__back"><a href="/ledgers">{move || texts().back}</a></p>
        <Transition fallback=move || view! { <div class="card card--skeleton" aria-busy="true"></div> }>
            {move || {
                // Drawn again in the other language when the reader switches.
                lang.track();
                Suspend::new(async move {
                match table.await {
                    Ok(table) => view! { <LedgerView table query go refresh search/> }.into_any(),
                        Err(AppError::Unauthenticated) => view! { <crate::ui::layout::sign_in_first::SignInFirst/> }.into_any(),
                    Err(error) => {
                        let refused = matches!(error, AppError::Forbidden);
                        view! {
                            <div class="alert alert--error" role="alert" data-testid="ledger-refused">
                                <strong>{move || if refused { texts().not_allowed } else { texts().load_failed }}</strong>
                                " "
                                {move || (!refused).then(|| error.message(lang.get()))}
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
fn LedgerView(
    table: LedgerTable,
    query: Memo<LedgerQuery>,
    go: Callback<LedgerQuery>,
    refresh: RwSignal<u32>,
    search: RwSignal<String>,
) -> impl IntoView {
    let lang = use_lang();
    let texts = move || ledger_texts(lang.get());
    let change = move |edit: &dyn Fn(&mut LedgerQuery)| {
        let mut next = query.get_untracked();
        edit(&mut next);
        go.run(next);
    };
    let today = table.today;
    let period = move |from, to| {
        change(&|q: &mut LedgerQuery| {
            q.from = from;
            q.to = to;
        })
    };
    let export = |extension: &str| {
        let current = query.get_untracked();
        let tag = lang.get_untracked().tag().to_string();
        format!(
            "/api/ledgers/{}/export.{extension}{}",
            current.ledger,
            search_of(&current, &[("lang", tag)])
        )
    };
    let (csv, xlsx) = (export("csv"), export("xlsx"));
    let name = table.name.clone();
    let columns = table.columns.clone();
    let sort_button = move |code: String, label: String| {
        let current = query.get_untracked();
        let active = current.sort.as_deref() == Some(code.as_str())
            || (current.sort.is_none() && code == "at");
        let sort = if active {
            if current.descending {
                "descending"
            } else {
                "ascending"
            }
        } else {
            "none"
        };
        let arrow = match sort {
            "ascending" => " ↑",
            "descending" => " ↓",
            _ => "",
        };
        let title = label.clone();
        view! {
            <th scope="col" aria-sort=sort>
                <button
                    type="button"
                    class="ledger-table__sort"
                    title=move || format!("{}{title}", texts().sort_by)
                    on:click=move |_| {
                        let code = code.clone();
                        change(&move |q: &mut LedgerQuery| {
                            q.descending = active && !q.descending;
                            q.sort = Some(code.clone());
                        })
                    }
                >
                    {label.clone()}{arrow}
                </button>
            </th>
        }
    };
    let heads =
        {
            let l = lang.get_untracked();
            let t = ledger_texts(l);
            let mut heads = vec![
                sort_button("case".into(), t.case.into()).into_any(),
                view! { <th scope="col">{t.case_title}</th> }.into_any(),
                view! { <th scope="col">{ledger_texts(l).department}</th> }.into_any(),
            ];
            heads.extend(columns.iter().map(|(code, name)| {
                sort_button(code.to_string(), name.get(l).to_string()).into_any()
            }));
            heads.push(sort_button("at".into(), t.recorded_at.into()).into_any());
            heads
        };
    let function = table.function.to_string();
    let manual_columns = table.columns.clone();
    let manual_departments = table.departments.clone();
    let ledger_code = table.code.to_string();
    let changed = Callback::new(move |_: ()| refresh.update(|r| *r += 1));
    let rows = table.rows.clone();
    let matching = table.matching;
    let shown = rows.len();
    let width = columns.len() + 4;
    // The periods the buttons set; the one the address holds shows as pressed.
    let month = |back| {
        let (a, b) = month_of(today, back);
        (Some(a), Some(b))
    };
    let (this_month, last_month) = (month(0), month(1));
    let this_year = (today.with_ordinal(1), Some(today));
    let pressed = move |range: (Option<NaiveDate>, Option<NaiveDate>)| {
        move || query.with(|q| (q.from, q.to) == range).to_string()
    };
    view! {
        <header class="page-header">
            <h1 class="doc-name" data-testid="ledger-name">{move || name.get(lang.get()).to_string()}</h1>
        </header>
        <section class="card ledger-page" data-testid="ledger" data-ledger=table.code.to_string()>
            <form
                class="ledger-filters"
                role="search"
                on:submit=move |ev| {
                    ev.prevent_default();
                    let text = search.get_untracked();
                    change(&move |q: &mut LedgerQuery| q.text = text.clone());
                }
            >
                <div class="ledger-filters__periods" role="group" aria-label=move || texts().from>
                    <button type="button" class="button button--quiet" aria-pressed=pressed(this_month) on:click=move |_| period(this_month.0, this_month.1)>{move || texts().this_month}</button>
                    <button type="button" class="button button--quiet" aria-pressed=pressed(last_month) on:click=move |_| period(last_month.0, last_month.1)>{move || texts().last_month}</button>
                    <button type="button" class="button button--quiet" aria-pressed=pressed(this_year) on:click=move |_| period(this_year.0, this_year.1)>{move || texts().this_year}</button>
                    <button type="button" class="button button--quiet" aria-pressed=pressed((None, None)) on:click=move |_| period(None, None)>{move || texts().all_time}</button>
                </div>
                <label class="ledger-filters__field">
                    <span>{move || texts().from}</span>
                    <input
                        type="date"
                        name="from"
                        data-testid="ledger-from"
                        prop:value=move || query.with(|q| q.from.map(|d| d.to_string()).unwrap_or_default())
                        on:change=move |ev| {
                            let day = event_target_value(&ev).parse().ok();
                            change(&move |q: &mut LedgerQuery| q.from = day);
                        }
                    />
                </label>
                <label class="ledger-filters__field">
                    <span>{move || texts().to}</span>
                    <input
                        type="date"
                        name="to"
                        data-testid="ledger-to"
                        prop:value=move || query.with(|q| q.to.map(|d| d.to_string()).unwrap_or_default())
                        on:change=move |ev| {
                            let day = event_target_value(&ev).parse().ok();
                            change(&move |q: &mut LedgerQuery| q.to = day);
                        }
                    />
                </label>
                <label class="ledger-filters__field">
                    <span>{move || texts().department}</span>
                    <select
                        name="department"
                        data-testid="ledger-department"
                        on:change=move |ev| {
                            let department = Some(event_target_value(&ev)).filter(|d| !d.is_empty());
                            change(&move |q: &mut LedgerQuery| q.department = department.clone());
                        }
                    >
                        <option value="">{move || texts().all_departments}</option>
                        {table.departments.iter().map(|d| {
                            let selected = query.with_untracked(|q| q.department.as_deref() == Some(d.as_str()));
                            view! { <option value=d.clone() selected=selected>{d.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <input
                    type="search"
                    class="ledger-filters__search"
                    name="text"
                    data-testid="ledger-search"
                    placeholder=move || texts().search
                    aria-label=move || texts().search
                    prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev))
                    on:change=move |_| {
                        let text = search.get_untracked();
                        change(&move |q: &mut LedgerQuery| q.text = text.clone());
                    }
                />
                <span class="ledger-filters__export">
                    <a class="button button--primary" href=xlsx download data-testid="ledger-export-xlsx">
                        {move || texts().export_xlsx}
                    </a>
                    <a class="button" href=csv download data-testid="ledger-export">
                        {move || texts().export_csv}
                    </a>
                </span>
            </form>
            <p class="ledger-page__count" role="status" data-testid="ledger-count">
                {move || if matching > shown { (texts().capped)(shown, matching) } else { (texts().rows)(matching) }}
            </p>
            <div class="ledger-page__scroll">
                <table class="table ledger-table" data-testid="ledger-table">
                    <thead><tr>{heads}</tr></thead>
                    <tbody>
                        {if rows.is_empty() {
                            view! {
                                <tr><td colspan=width.to_string() class="ledger-table__empty">{move || texts().empty}</td></tr>
                            }
                            .into_any()
                        } else {
                            rows.into_iter().map(|row| {
                                let href = format!("/functions/{function}/board?case={}", row.case.0);
                                let case_cell = match &row.manual {
                                    Some(mark) => {
                                        let tip = format!("{} · {}", mark.by, mark.note);
                                        view! {
                                            <td class="ledger-table__case">
                                                <span class="badge badge--muted" title=tip data-testid="ledger-manual-row">
                                                    {move || texts().by_hand}" M"{mark.id}
                                                </span>
                                            </td>
                                        }
                                        .into_any()
                                    }
                                    None => view! {
                                        <td class="ledger-table__case"><a href=href>{format!("#{}", row.case.0)}</a></td>
                                    }
                                    .into_any(),
                                };
                                view! {
                                    <tr data-case=row.case.0.to_string()>
                                        {case_cell}
                                        <th scope="row" class="ledger-table__title">{row.title}</th>
                                        <td>{row.department.unwrap_or_else(|| "—".into())}</td>
                                        {row.cells.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}
                                        <td class="ledger-table__at">{row.at}</td>
                                    </tr>
                                }
                            }).collect_view().into_any()
                        }}
                    </tbody>
                </table>
            </div>
        </section>
        <ManualEntries ledger=ledger_code columns=manual_columns departments=manual_departments changed/>
    }
}
