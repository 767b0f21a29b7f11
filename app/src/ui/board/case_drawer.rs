//! A card's drawer: everything about one case beside the board, and the work of its step in
//! reach (tick the checklist, fill or attach outputs, give approvals, record repeated duties,
//! complete the step, comment). Opened by a card's title; its address is the board's with
//! `case=<id>`, so a drawer can be shared as a link and the browser's Back closes it.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;

use crate::api::{apply_board_command, get_case_detail};
use crate::domain::catalog::{OutputCode, StepCode};
use crate::domain::format::rfc3339_long;
use crate::domain::lang::{Lang, Text};
use crate::domain::workflow::case::{CaseStatus, OutputValue, Verdict};
use crate::domain::workflow::detail::{
    ApprovalLine, CaseDetail, CheckItem, OutputLine, RepeatLine, StepWork,
};
use crate::domain::workflow::wip::OVER_LIMIT;
use crate::domain::workflow::Command;
use crate::error::AppError;
use crate::ui::board::board_page::sla_class;
use crate::ui::board::board_state::{reasons_of, BoardState};
use crate::ui::board::drawer_texts::{drawer_texts, DrawerTexts};
use crate::ui::i18n::use_lang;

/// The board's address with `case` open in the drawer (`None`: closed), filters kept.
pub fn drawer_href(path: &str, query: &ParamsMap, case: Option<i64>) -> String {
    let mut query = query.clone();
    query.remove("case");
    if let Some(id) = case {
        query.replace("case", id.to_string());
    }
    format!("{path}{}", query.to_query_string())
}

/// What the drawer's controls share: the case shown, and the last answer.
#[derive(Clone, Copy)]
struct Drawer {
    /// The case the address names.
    id: Memo<Option<i64>>,
    /// The case as last loaded (or why it could not be).
    current: RwSignal<Option<Result<CaseDetail, AppError>>>,
    /// An operation is on its way (until the case has been loaded again after it).
    busy: RwSignal<bool>,
    /// The last operation's answer: `Ok(())` saved, or why it was refused.
    answer: RwSignal<Option<Result<(), Vec<Text>>>>,
    /// An operation refused only because its column is at its work-in-progress limit: it can
    /// be sent again, confirmed.
    over_limit: RwSignal<Option<Command>>,
    /// What was typed and not yet saved, by control: kept when the drawer is drawn anew.
    drafts: StoredValue<Vec<(String, String)>>,
    /// The control that had the focus when an operation was sent: the drawer is drawn anew
    /// with the case's new state, and the focus goes back to the same control.
    focus: StoredValue<Option<String>>,
    /// The case the drawer last gave the focus to its title for (once per case opened).
    greeted: StoredValue<Option<i64>>,
    board: BoardState,
}

impl Drawer {
    /// (id, version) of the case shown.
    fn shown(self) -> Option<(i64, i64)> {
        self.current.with_untracked(|c| match c {
            Some(Ok(d)) => Some((d.id, d.version)),
            _ => None,
        })
    }

    /// Loads the case again and shows it, if the drawer still shows that case.
    async fn load(self, id: i64) {
        let got = get_case_detail(id).await;
        if self.id.try_get_untracked().flatten() == Some(id) {
            self.current.try_set(Some(got));
        }
    }

    fn draft(self, key: &str) -> Option<String> {
        self.drafts
            .with_value(|d| d.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
    }

    fn set_draft(self, key: &str, text: String) {
        self.drafts.update_value(|d| {
            d.retain(|(k, _)| k != key);
            d.push((key.to_string(), text));
        });
    }

    fn forget_draft(self, key: &str) {
        self.drafts.update_value(|d| d.retain(|(k, _)| k != key));
    }

    /// Runs `command` on the case at the version shown, then shows the case as it now is; a
    /// draft named by `draft` is forgotten once the operation is saved.
    fn act(self, command: Command, draft: Option<String>) {
        self.act_with(command, draft, false);
    }

    fn act_with(self, command: Command, draft: Option<String>, confirm_over_limit: bool) {
        let Some((id, version)) = self.shown() else {
            return;
        };
        if self.busy.get_untracked() || self.id.get_untracked() != Some(id) {
            return;
        }
        self.busy.set(true);
        self.answer.set(None);
        self.over_limit.set(None);
        self.focus.set_value(focused_id());
        let sent = command.clone();
        leptos::task::spawn_local(async move {
            let confirm = confirm_over_limit.then_some(true);
            let answer = apply_board_command(id, version, command, confirm).await;
            if self.busy.is_disposed() {
                return;
            }
            match answer {
                Ok(card) => {
                    self.board.took(id, card, version);
                    if let Some(key) = draft {
                        self.forget_draft(&key);
                    }
                    self.answer.set(Some(Ok(())));
                }
                Err(AppError::Conflict { .. }) => {
                    self.answer.set(Some(Err(vec![both(|t| t.conflict)])));
                    self.board.refresh_card(id);
                }
                Err(error) => {
                    if matches!(&error, AppError::Invalid { fields } if fields.iter().any(|f| f.code == OVER_LIMIT))
                    {
                        self.over_limit.set(Some(sent));
                    }
                    self.answer.set(Some(Err(reasons_of(&error))));
                }
            }
            self.load(id).await;
            self.busy.try_set(false);
        });
    }

    fn refused(self, why: Text) {
        self.answer.set(Some(Err(vec![why])));
    }
}

/// The id of the element with the keyboard focus, if it has one.
fn focused_id() -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .map(|e| e.id())
            .filter(|id| !id.is_empty())
    }
    #[cfg(not(feature = "hydrate"))]
    None
}

/// Gives the focus to the element with `id`, once the drawer has been drawn.
fn refocus(id: String) {
    #[cfg(feature = "hydrate")]
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let element = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        let element = element.or_else(|| {
            web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("drawer-title"))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        });
        if let Some(element) = element {
            let _ = element.focus();
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// An instant, shown in the reader's language.
fn instant(at: String) -> impl IntoView {
    let lang = use_lang();
    let shown = at.clone();
    view! { <time datetime=at>{move || rfc3339_long(&shown, lang.get())}</time> }
}

/// A drawer text in both languages.
fn both(text: fn(&'static DrawerTexts) -> &'static str) -> Text {
    Text::new(text(drawer_texts(Lang::Zh)), text(drawer_texts(Lang::En)))
}

/// The drawer of the case named in the board's address, if any.
#[component]
pub fn CaseDrawer(path: String) -> impl IntoView {
    let lang = use_lang();
    let t = move || drawer_texts(lang.get());
    let board = expect_context::<BoardState>();
    let query = use_query_map();
    let navigate = use_navigate();
    let id =
        Memo::new(move |_| query.with(|q| q.get_str("case").and_then(|v| v.parse::<i64>().ok())));
    let drawer = Drawer {
        id,
        current: RwSignal::new(None),
        busy: RwSignal::new(false),
        answer: RwSignal::new(None),
        over_limit: RwSignal::new(None),
        drafts: StoredValue::new(Vec::new()),
        focus: StoredValue::new(None),
        greeted: StoredValue::new(None),
        board,
    };
    // The case is loaded in the browser when the address names it (and again after each
    // operation); a new case starts with nothing typed and no answer shown.
    Effect::new(move |_| {
        let Some(id) = id.get() else {
            return;
        };
        drawer.current.set(None);
        drawer.answer.set(None);
        drawer.over_limit.set(None);
        drawer.drafts.set_value(Vec::new());
        leptos::task::spawn_local(drawer.load(id));
    });
    // A change to the case made elsewhere (a move, a colleague, the scheduler) reaches the
    // board as a new card version: the drawer follows, unless its own operation is on the way
    // (that one loads the case itself).
    let card_version = Memo::new(move |_| {
        let id = id.get()?;
        board.cards.with(|all| {
            all.iter()
                .find(|c| c.case_id == id)
                .map(|c| (id, c.version))
        })
    });
    Effect::new(move |before: Option<Option<(i64, i64)>>| {
        let now = card_version.get();
        if let (Some(Some((was, _))), Some((id, version))) = (before, now) {
            let shown = drawer.shown().map(|(_, v)| v);
            if was == id && shown.is_some_and(|v| v < version) && !drawer.busy.get_untracked() {
                leptos::task::spawn_local(drawer.load(id));
            }
        }
        now
    });
    let close = {
        let path = path.clone();
        move || {
            let Some(id) = id.get_untracked() else {
                return;
            };
            let href = query.with_untracked(|q| drawer_href(&path, q, None));
            navigate(
                &href,
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
            crate::ui::board::board_state::focus_card(id);
        }
    };
    let close = StoredValue::new(close);
    // Escape closes the drawer wherever the focus is (a card picked up with the keyboard
    // keeps its own Escape).
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.key() == "Escape"
                && !ev.default_prevented()
                && id.get_untracked().is_some()
                && board.asking_return.with_untracked(Option::is_none)
            {
                close.with_value(|c| c());
            }
        });
        on_cleanup(move || handle.remove());
    }
    view! {
        <Show when=move || id.get().is_some()>
            <div class="drawer-backdrop" on:click=move |_| close.with_value(|c| c())></div>
            <aside
                class="drawer"
                role="dialog"
                aria-modal="false"
                aria-labelledby="drawer-title"
                aria-busy=move || drawer.busy.get().to_string()
                data-testid="case-drawer"
            >
                <button
                    type="button"
                    class="drawer__close button button--quiet"
                    aria-label=move || t().close
                    title=move || t().close
                    on:click=move |_| close.with_value(|c| c())
                >
                    "×"
                </button>
                {move || match drawer.current.get() {
                    None => view! { <p class="drawer__loading" aria-busy="true">{move || t().loading}</p> }.into_any(),
                    Some(Ok(d)) => view! { <DrawerBody detail=d drawer/> }.into_any(),
                    Some(Err(error)) => view! {
                        <div class="alert alert--error" role="alert">{move || error.message(lang.get())}</div>
                    }
                    .into_any(),
                }}
            </aside>
        </Show>
    }
}

#[component]
fn DrawerBody(detail: CaseDetail, drawer: Drawer) -> impl IntoView {
    let lang = use_lang();
    let t = move || drawer_texts(lang.get());
    let process_name = detail.process_name.clone();
    let status = detail.status;
    let created = detail.created_at.clone();
    let meta = match &detail.department {
        Some(d) => format!("#{} · {} · {}", detail.id, detail.requester, d),
        None => format!("#{} · {}", detail.id, detail.requester),
    };
    let fields = detail.fields.clone();
    let steps = detail.steps.clone();
    let comments = detail.comments.clone();
    let history = detail.history.clone();
    let work = detail.work.clone();
    let case_id = detail.id;
    Effect::new(move |_| {
        if let Some(id) = drawer.focus.try_update_value(Option::take).flatten() {
            refocus(id);
        } else if drawer.greeted.get_value() != Some(case_id) {
            drawer.greeted.set_value(Some(case_id));
            refocus("drawer-title".into());
        }
    });
    view! {
        <header class="drawer__header">
            <p class="drawer__process">{move || process_name.get(lang.get()).to_string()}</p>
            <h2 id="drawer-title" class="drawer__title" tabindex="-1">{detail.title.clone()}</h2>
            <p class="drawer__meta">
                {meta} " · " {move || t().raised} " " {move || rfc3339_long(&created, lang.get())}
                " "
                <span class=format!("badge badge--{}", match status { CaseStatus::Open => "muted", CaseStatus::Closed => "success", CaseStatus::Cancelled => "warning" })>
                    {move || match status {
                        CaseStatus::Open => t().status_open,
                        CaseStatus::Closed => t().status_closed,
                        CaseStatus::Cancelled => t().status_cancelled,
                    }}
                </span>
            </p>
        </header>
        <Answer drawer/>
        <section class="drawer__section" aria-labelledby="drawer-work">
            <h3 id="drawer-work">{move || t().work}</h3>
            {if work.is_empty() {
                view! { <p class="drawer__empty">{move || t().no_work}</p> }.into_any()
            } else {
                work.into_iter().map(|w| view! { <WorkView work=w drawer/> }).collect_view().into_any()
            }}
        </section>
        <section class="drawer__section" aria-labelledby="drawer-form">
            <h3 id="drawer-form">{move || t().form}</h3>
            {if fields.is_empty() {
                view! { <p class="drawer__empty">{move || t().no_fields}</p> }.into_any()
            } else {
                view! {
                    <dl class="drawer__fields">
                        {fields.into_iter().map(|f| {
                            let label = f.label.clone();
                            view! {
                                <div class="drawer__field">
                                    <dt>{move || label.get(lang.get()).to_string()}</dt>
                                    <dd>{match f.file {
                                        Some(file) => view! { <a href=format!("/api/files/{}", file.id)>{file.name}</a> }.into_any(),
                                        None => {
                                            // Dates and instants as people read them.
                                            let value = f.value.clone();
                                            (move || {
                                                let lang = lang.get();
                                                match value.parse::<chrono::NaiveDate>() {
                                                    Ok(date) => crate::domain::format::date_long(date, lang),
                                                    Err(_) if value.len() >= 20 && value.as_bytes().get(10) == Some(&b'T') => {
                                                        crate::domain::format::rfc3339_long(&value, lang)
                                                    }
                                                    Err(_) => value.clone(),
                                                }
                                            })
                                            .into_any()
                                        }
                                    }}</dd>
                                </div>
                            }
                        }).collect_view()}
                    </dl>
                }
                .into_any()
            }}
        </section>
        <section class="drawer__section" aria-labelledby="drawer-deadlines">
            <h3 id="drawer-deadlines">{move || t().deadlines}</h3>
            <ol class="drawer__steps" data-testid="drawer-steps">
                {steps.into_iter().map(|s| {
                    let name = s.name.clone();
                    let owner = s.owner_name.clone();
                    let due = s.due_at.clone();
                    let outcome = s.outcome.clone();
                    let done = s.completed_at.clone();
                    let round = s.round;
                    view! {
                        <li class="drawer__step" class:is-active=s.active class:is-late=s.late>
                            <p class="drawer__step-name">
                                {move || name.get(lang.get()).to_string()}
                                {(round > 1).then(|| view! { <span class="drawer__round">{move || (t().round)(round)}</span> })}
                            </p>
                            <p class="drawer__step-meta">
                                {move || owner.get(lang.get()).to_string()} " · " {move || t().due} " "
                                {match due.clone() {
                                    Some(due) => instant(due).into_any(),
                                    None => view! { <span>{move || t().no_deadline}</span> }.into_any(),
                                }}
                                {s.due_provisional.then(|| view! { <span class="drawer__hint">" · " {move || t().provisional}</span> })}
                            </p>
                            <p class="drawer__step-meta">
                                {move || match (&outcome, &done) {
                                    (Some(o), Some(at)) => (t().done_at)(o.get(lang.get()), &rfc3339_long(at, lang.get())),
                                    (Some(o), None) => o.get(lang.get()).to_string(),
                                    _ => t().under_way.to_string(),
                                }}
                                {s.late.then(|| view! { <span class="sla sla--overdue">{move || t().late}</span> })}
                            </p>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
        <section class="drawer__section" aria-labelledby="drawer-comments">
            <h3 id="drawer-comments">{move || t().comments}</h3>
            {if comments.is_empty() {
                view! { <p class="drawer__empty">{move || t().no_comments}</p> }.into_any()
            } else {
                view! {
                    <ol class="drawer__comments">
                        {comments.into_iter().map(|c| {
                            let at = c.at.clone();
                            let step = c.step_name.clone();
                            view! {
                                <li class="drawer__comment">
                                    <p class="drawer__comment-meta">
                                        <strong>{c.by.clone()}</strong> " · " {move || rfc3339_long(&at, lang.get())}
                                        {step.map(|s| view! { " · " {move || s.get(lang.get()).to_string()} })}
                                    </p>
                                    <p class="drawer__comment-text">{c.text.clone()}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }
                .into_any()
            }}
            {detail.may_comment.then(|| view! { <CommentForm drawer/> })}
        </section>
        <section class="drawer__section" aria-labelledby="drawer-history">
            <h3 id="drawer-history">{move || t().history}</h3>
            <ol class="drawer__history" data-testid="drawer-history">
                {history.into_iter().map(|h| {
                    let at = h.at.clone();
                    let words = h.words.clone();
                    view! {
                        <li>
                            <time datetime=h.at.clone()>{move || rfc3339_long(&at, lang.get())}</time>
                            " " <strong>{h.by.clone()}</strong> " "
                            <span>{move || words.get(lang.get()).to_string()}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

/// The last operation's answer, read out.
#[component]
fn Answer(drawer: Drawer) -> impl IntoView {
    let lang = use_lang();
    let t = move || drawer_texts(lang.get());
    view! {
        <div class="drawer__answer" aria-live="polite" data-testid="drawer-answer">
            {move || match drawer.answer.get() {
                Some(Ok(())) => view! { <p class="alert alert--success" role="status">{move || t().saved}</p> }.into_any(),
                Some(Err(reasons)) => view! {
                    <div class="alert alert--error" role="alert">
                        <ul>
                            {reasons.into_iter().map(|r| view! { <li>{move || r.get(lang.get()).to_string()}</li> }).collect_view()}
                        </ul>
                        {move || drawer.over_limit.get().map(|command| view! {
                            <button
                                type="button"
                                id="drawer-over-limit"
                                class="button button--primary"
                                disabled=move || drawer.busy.get()
                                on:click=move |_| drawer.act_with(command.clone(), None, true)
                            >
                                {move || t().over_limit_go}
                            </button>
                        })}
                    </div>
                }
                .into_any(),
                None => ().into_any(),
            }}
        </div>
    }
}

#[component]
fn WorkView(work: StepWork, drawer: Drawer) -> impl IntoView {
    let lang = use_lang();
    let t = move || drawer_texts(lang.get());
    let name = work.name.clone();
    let owner = work.owner_name.clone();
    let owner_words = work.owner_name.clone();
    let mine = work.mine;
    let step = work.step.clone();
    let due = work.due_at.clone();
    let sla = work.sla;
    let sla_words = work.sla_words.clone();
    let blockers = work.blockers.clone();
    let ready = blockers.is_empty();
    view! {
        <article class="drawer__work" data-step=work.step.to_string() data-testid="drawer-work">
            <header class="drawer__work-header">
                <h4>{move || name.get(lang.get()).to_string()}</h4>
                <p class="drawer__step-meta">
                    {move || t().owner} " " {move || owner.get(lang.get()).to_string()} " · " {move || t().due} " "
                    {match due.clone() {
                        Some(due) => instant(due).into_any(),
                        None => view! { <span>{move || t().no_deadline}</span> }.into_any(),
                    }}
                    {sla.map(|s| view! {
                        " " <span class=format!("sla sla--{}", sla_class(Some(s)))>{move || s.label(lang.get())}</span>
                    })}
                    {sla_words.map(|w| view! { " " <span class="drawer__hint">{move || w.get(lang.get()).to_string()}</span> })}
                </p>
                {(!mine).then(|| view! { <p class="drawer__hint">{move || (t().not_yours)(owner_words.get(lang.get()))}</p> })}
            </header>
            {(!work.checklist.is_empty()).then(|| {
                let step = work.step.clone();
                view! {
                    <fieldset class="drawer__group">
                        <legend>{move || t().checklist}</legend>
                        <ul class="drawer__checklist">
                            {work.checklist.into_iter().map(|item| view! { <CheckView item step=step.clone() mine drawer/> }).collect_view()}
                        </ul>
                    </fieldset>
                }
            })}
            {(!work.outputs.is_empty()).then(|| {
                let step = work.step.clone();
                view! {
                    <div class="drawer__group" role="group" aria-label=move || t().outputs>
                        <p class="drawer__legend">{move || t().outputs}</p>
                        {work.outputs.into_iter().map(|output| view! { <OutputView output step=step.clone() mine drawer/> }).collect_view()}
                    </div>
                }
            })}
            {(!work.approvals.is_empty()).then(|| {
                let step = work.step.clone();
                view! {
                    <div class="drawer__group" role="group" aria-label=move || t().approvals>
                        <p class="drawer__legend">{move || t().approvals}</p>
                        {work.approvals.into_iter().map(|line| view! { <ApprovalView line step=step.clone() drawer/> }).collect_view()}
                    </div>
                }
            })}
            {(!work.repeats.is_empty()).then(|| view! {
                <div class="drawer__group" role="group" aria-label=move || t().repeats>
                    <p class="drawer__legend">{move || t().repeats}</p>
                    {work.repeats.into_iter().map(|line| view! { <RepeatView line drawer/> }).collect_view()}
                </div>
            })}
            <div class="drawer__completion" data-testid="drawer-completion">
                {if ready {
                    let owner = work.owner_name.clone();
                    view! {
                        <p class="drawer__ready">
                            {move || if mine { t().ready.to_string() } else { (t().ready_for)(owner.get(lang.get())) }}
                        </p>
                    }
                    .into_any()
                } else {
                    view! {
                        <p class="drawer__legend">{move || t().still_needed}</p>
                        <ul class="drawer__blockers">
                            {blockers.into_iter().map(|b| {
                                let m = b.message.clone();
                                view! { <li data-field=b.field.clone()>{move || m.get(lang.get()).to_string()}</li> }
                            }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
                {mine.then(|| view! {
                    <button
                        type="button"
                        id=format!("complete-{}", step.as_str())
                        class="button button--primary"
                        disabled=move || drawer.busy.get()
                        on:click=move |_| drawer.act(Command::CompleteStep { step: step.clone() }, None)
                    >
                        {move || t().complete}
                    </button>
                })}
            </div>
        </article>
    }
}

#[component]
fn CheckView(item: CheckItem, step: StepCode, mine: bool, drawer: Drawer) -> impl IntoView {
    let lang = use_lang();
    let text = item.text.clone();
    let index = item.index;
    let id = format!("check-{}-{index}", step.as_str());
    view! {
        <li class="drawer__check">
            <input
                type="checkbox"
                id=id.clone()
                prop:checked=item.ticked
                disabled=move || !mine || drawer.busy.get()
                on:change=move |ev| {
                    let ticked = event_target_checked(&ev);
                    drawer.act(Command::TickChecklist { step: step.clone(), item: index, ticked }, None);
                }
            />
            <label for=id>{move || text.get(lang.get()).to_string()}</label>
        </li>
    }
}

#[component]
fn OutputView(output: OutputLine, step: StepCode, mine: bool, drawer: Drawer) -> impl IntoView {
    let lang = use_lang();
    let t = move || drawer_texts(lang.get());
    let name = output.name.clone();
    let contents = output.contents.clone();
    let condition = output.condition.clone();
    let needed = output.needed;
    let field_id = format!("output-{}", output.code.as_str());
    let draft = RwSignal::new(drawer.draft(&field_id).unwrap_or_else(|| {
        output
            .recorded
            .as_ref()
            .and_then(|r| r.text.clone())
            .unwrap_or_default()
    }));
    let uploading = RwSignal::new(false);
    let code = output.code.clone();
    let file_id = format!("output-file-{}", output.code.as_str());
    let save = {
        let (step, code, key) = (step.clone(), code.clone(), field_id.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let text = draft.get_untracked();
            if text.trim().is_empty() {
                drawer.refused(both(|t| t.needs_text));
                return;
            }
            drawer.act(
                Command::RecordOutput {
                    step: step.clone(),
                    output: code.clone(),
                    value: OutputValue::Form(text),
                },
                Some(key.clone()),
            );
        }
    };
    let attach = {
        let (step, code) = (step.clone(), code.clone());
        move |ev: leptos::ev::Event| {
            upload_output(drawer, step.clone(), code.clone(), uploading, &ev);
        }
    };
    view! {
        <form class="drawer__output" class:is-optional=!needed data-output=output.code.to_string() on:submit=save>
            <label class="drawer__output-name" for=field_id.clone()>{move || name.get(lang.get()).to_string()}</label>
            {condition.map(|c| view! {
                <p class="drawer__hint">
                    {move || if needed { (t().needed_when)(c.get(lang.get())) } else { format!("{}({})", t().not_needed_now, c.get(lang.get())) }}
                </p>
            })}
            {contents.map(|c| view! { <p class="drawer__hint">{move || t().contains} {move || c.get(lang.get()).to_string()}</p> })}
            {crate::domain::workflow::reports::ReportKind::for_output(output.code.as_str()).map(|kind| view! {
                <p class="drawer__hint">
                    <a href=format!("/reports?kind={}", kind.code()) data-testid="output-report-link">
                        {move || t().generated_report}
                    </a>
                </p>
            })}
            {output.recorded.clone().map(|r| {
                let at = r.at.clone();
                view! {
                    <div class="drawer__recorded">
                        {r.file.map(|f| view! { <a href=format!("/api/files/{}", f.id)>{f.name}</a> })}
                        {r.text.map(|text| view! { <p class="drawer__recorded-text">{text}</p> })}
                        <p class="drawer__hint">{move || (t().recorded_by)(&r.by, &rfc3339_long(&at, lang.get()))}</p>
                    </div>
                }
            })}
            {mine.then(|| view! {
                <textarea
                    id=field_id.clone()
                    rows="3"
                    maxlength="4000"
                    placeholder=move || t().write_output
                    prop:value=move || draft.get()
                    on:input={
                        let key = field_id.clone();
                        move |ev| {
                            let text = event_target_value(&ev);
                            drawer.set_draft(&key, text.clone());
                            draft.set(text);
                        }
                    }
                ></textarea>
                <div class="drawer__actions">
                    <button type="submit" id=format!("save-{field_id}") class="button" disabled=move || drawer.busy.get()>{move || t().save_output}</button>
                    <label class="button button--quiet drawer__file" for=file_id.clone()>
                        {move || if uploading.get() { t().uploading } else { t().attach_file }}
                    </label>
                    <input
                        type="file"
                        id=file_id.clone()
                        class="visually-hidden"
                        disabled=move || drawer.busy.get() || uploading.get()
                        on:change=attach.clone()
                    />
                </div>
            })}
        </form>
    }
}

/// Uploads the file chosen for an output, then records it.
fn upload_output(
    drawer: Drawer,
    step: StepCode,
    output: OutputCode,
    uploading: RwSignal<bool>,
    ev: &leptos::ev::Event,
) {
    #[cfg(feature = "hydrate")]
    {
        let Some(file) = picked_file(ev) else {
            return;
        };
        let Some((case, _)) = drawer.shown() else {
            return;
        };
        uploading.set(true);
        leptos::task::spawn_local(async move {
            let stored = upload(case, file).await;
            if drawer.busy.is_disposed() {
                return;
            }
            uploading.try_set(false);
            match stored {
                Ok(file) => drawer.act(
                    Command::RecordOutput {
                        step,
                        output,
                        value: OutputValue::File(file),
                    },
                    None,
                ),
                Err(error) => drawer.answer.set(Some(Err(reasons_of(&error)))),
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (drawer, step, output, uploading, ev);
}

/// `POST /api/cases/{case}/files?name=…` with the file as the body.
#[cfg(feature = "hydrate")]
async fn upload(
    case: i64,
    file: web_sys::File,
) -> Result<crate::domain::workflow::FileRef, AppError> {
    upload_file(&format!("/api/cases/{case}/files"), file).await
}

/// The file just picked in a file input, the input cleared (so picking it again fires).
#[cfg(feature = "hydrate")]
pub(crate) fn picked_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    use wasm_bindgen::JsCast;
    let input = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())?;
    let file = input.files().and_then(|f| f.get(0))?;
    input.set_value("");
    Some(file)
}

/// Sends a file as the raw body to `to` (`/api/cases/{id}/files`, or `/api/files` for a
/// request not raised yet) and answers the stored file's reference.
#[cfg(feature = "hydrate")]
pub(crate) async fn upload_file(
    to: &str,
    file: web_sys::File,
) -> Result<crate::domain::workflow::FileRef, AppError> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let failed = |_| AppError::Unavailable;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&file);
    let headers = web_sys::Headers::new().map_err(failed)?;
    let kind = file.type_();
    headers
        .set(
            "content-type",
            if kind.is_empty() {
                "application/octet-stream"
            } else {
                &kind
            },
        )
        .map_err(failed)?;
    init.set_headers(&headers);
    let name = String::from(js_sys::encode_uri_component(&file.name()));
    let url = format!("{to}?name={name}");
    let window = web_sys::window().ok_or(AppError::Unavailable)?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
        .await
        .map_err(failed)?
        .dyn_into()
        .map_err(failed)?;
    let text = JsFuture::from(response.text().map_err(failed)?)
        .await
        .map_err(failed)?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        serde_json::from_str(&text).map_err(|_| AppError::Unavailable)
    } else {
        Err(serde_json::from_str::<AppError>(&text).unwrap_or(AppError::Unavailable))
    }
}

#[component]
fn ApprovalView(line: ApprovalLine, step: StepCode, drawer: Drawer) -> impl IntoView {
    let lang = use_lang();
    let t = move || drawer_texts(lang.get());
    let role = line.role_name.clone();
    let condition = line.condition.clone();
    let needed = line.needed;
    let verdict = line.verdict;
    let at = line.at.clone();
    let comment_id = format!("approval-{}-{}", step.as_str(), line.role.as_str());
    let comment = RwSignal::new(drawer.draft(&comment_id).unwrap_or_default());
    let give = {
        let (step, role, key) = (step.clone(), line.role.clone(), comment_id.clone());
        move |verdict: Verdict| {
            let text = comment.get_untracked();
            drawer.act(
                Command::Approve {
                    step: step.clone(),
                    role: role.clone(),
                    verdict,
                    comment: (!text.trim().is_empty()).then_some(text),
                },
                Some(key.clone()),
            );
        }
    };
    let give = StoredValue::new(give);
    view! {
        <div class="drawer__approval" class:is-optional=!needed data-role=line.role.to_string()>
            <p class="drawer__approval-line">
                <span class="drawer__approval-role">{move || role.get(lang.get()).to_string()}</span>
                " "
                {match verdict {
                    Some(Verdict::Approve) => view! { <span class="badge badge--success">{move || t().approved}</span> }.into_any(),
                    Some(Verdict::Reject) => view! { <span class="badge badge--danger">{move || t().rejected}</span> }.into_any(),
                    None if needed => view! { <span class="badge badge--warning">{move || t().awaiting}</span> }.into_any(),
                    None => view! { <span class="badge badge--muted">{move || t().not_needed_now}</span> }.into_any(),
                }}
                {line.by.clone().map(|by| view! {
                    <span class="drawer__hint">" " {by} " · " {move || at.as_deref().map(|a| rfc3339_long(a, lang.get())).unwrap_or_default()}</span>
                })}
            </p>
            {condition.map(|c| view! { <p class="drawer__hint">{move || c.get(lang.get()).to_string()}</p> })}
            {line.comment.clone().map(|c| view! { <p class="drawer__recorded-text">{c}</p> })}
            {line.may_give.then(|| view! {
                <label class="visually-hidden" for=comment_id.clone()>{move || t().approval_comment}</label>
                <input
                    type="text"
                    id=comment_id.clone()
                    maxlength="500"
                    placeholder=move || t().approval_comment
                    prop:value=move || comment.get()
                    on:input={
                        let key = comment_id.clone();
                        move |ev| {
                            let text = event_target_value(&ev);
                            drawer.set_draft(&key, text.clone());
                            comment.set(text);
                        }
                    }
                />
                <div class="drawer__actions">
                    <button type="button" id=format!("approve-{comment_id}") class="button button--primary" disabled=move || drawer.busy.get() on:click=move |_| give.with_value(|g| g(Verdict::Approve))>
                        {move || t().approve}
                    </button>
                    <button type="button" id=format!("reject-{comment_id}") class="button" disabled=move || drawer.busy.get() on:click=move |_| give.with_value(|g| g(Verdict::Reject))>
                        {move || t().reject}
                    </button>
                </div>
            })}
        </div>
    }
}

#[component]
fn RepeatView(line: RepeatLine, drawer: Drawer) -> impl IntoView {
    let lang = use_lang();
    let t = move || drawer_texts(lang.get());
    let name = line.name.clone();
    let owner = line.owner_name.clone();
    let due = line.due_at.clone();
    let key = line.key.clone();
    let note_id = format!("repeat-{}", line.key.replace(':', "-"));
    let note = RwSignal::new(drawer.draft(&note_id).unwrap_or_default());
    let draft_key = note_id.clone();
    let record = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = note.get_untracked();
        if text.trim().is_empty() {
            drawer.refused(both(|t| t.needs_text));
            return;
        }
        drawer.act(
            Command::RecordRepeat {
                key: key.clone(),
                note: text,
            },
            Some(draft_key.clone()),
        );
    };
    view! {
        <form class="drawer__repeat" on:submit=record>
            <p class="drawer__approval-line">
                <span>{move || name.get(lang.get()).to_string()}</span> " · "
                {move || owner.get(lang.get()).to_string()} " · "
                {instant(due.clone())}
                {line.overdue.then(|| view! { " " <span class="sla sla--overdue">{move || t().overdue}</span> })}
            </p>
            {line.may_record.then(|| view! {
                <label class="visually-hidden" for=note_id.clone()>{move || t().repeat_note}</label>
                <input
                    type="text"
                    id=note_id.clone()
                    maxlength="500"
                    placeholder=move || t().repeat_note
                    prop:value=move || note.get()
                    on:input={
                        let key = note_id.clone();
                        move |ev| {
                            let text = event_target_value(&ev);
                            drawer.set_draft(&key, text.clone());
                            note.set(text);
                        }
                    }
                />
                <button type="submit" id=format!("record-{note_id}") class="button" disabled=move || drawer.busy.get()>{move || t().record_repeat}</button>
            })}
        </form>
    }
}

#[component]
fn CommentForm(drawer: Drawer) -> impl IntoView {
    let lang = use_lang();
    let t = move || drawer_texts(lang.get());
    const KEY: &str = "drawer-comment";
    let text = RwSignal::new(drawer.draft(KEY).unwrap_or_default());
    let post = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = text.get_untracked();
        if body.trim().is_empty() {
            drawer.refused(both(|t| t.needs_text));
            return;
        }
        drawer.act(
            Command::Comment {
                step: None,
                text: body,
            },
            Some(KEY.to_string()),
        );
    };
    view! {
        <form class="drawer__comment-form" on:submit=post>
            <label for="drawer-comment">{move || t().comment_label}</label>
            <textarea
                id="drawer-comment"
                rows="2"
                maxlength="2000"
                prop:value=move || text.get()
                on:input=move |ev| {
                    let body = event_target_value(&ev);
                    drawer.set_draft(KEY, body.clone());
                    text.set(body);
                }
            ></textarea>
            <button type="submit" id="drawer-comment-post" class="button" disabled=move || drawer.busy.get()>{move || t().send_comment}</button>
        </form>
    }
}
