//! "Raise a request" from a board: the process's form, checked field by field as it is typed
//! (the shared parsing rules), with a live preview of the first step, its owner and its
//! deadline, worked out in the browser by the shared calendar engine on the organisation's
//! calendar. The address is the board's plus `?raise=<process>`, so it can be shared.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;

use crate::api::{get_raise_forms, raise_case};
use crate::domain::calendar::BusinessCalendar;
use crate::domain::catalog::{Catalog, Field, FieldKind, Process};
use crate::domain::format::{date_long, rfc3339_long};
use crate::domain::lang::{Lang, Text};
use crate::domain::workflow::form::instant_text;
use crate::domain::workflow::form_parse::parse_value;
use crate::domain::workflow::form_validate::{later_filler, parse_department, parse_title};
use crate::domain::workflow::raise_form::{first_step, FirstStep, RaiseForms};
use crate::domain::workflow::{Actor, Context, FileRef, FormInput, ProcessRef, RawValue};
use crate::error::{AppError, FieldError};
use crate::ui::board::board_state::BoardState;
use crate::ui::board::raise_texts::raise_texts;
use crate::ui::i18n::use_lang;

/// The board's address with the raise form open on `process` (or closed for `None`).
pub fn raise_href(path: &str, query: &ParamsMap, process: Option<&str>) -> String {
    let mut query = query.clone();
    query.remove("raise");
    query.remove("case");
    if let Some(process) = process {
        query.replace("raise", process.to_string());
    }
    format!("{path}{}", query.to_query_string())
}

/// The forms with what the preview computes on, built once per opening.
#[derive(Clone)]
struct Loaded {
    forms: Arc<RaiseForms>,
    catalog: Arc<Catalog>,
    calendar: Option<Arc<BusinessCalendar>>,
}

/// What is typed, by control key (`title`, `department`, `field:<code>`).
type Typed = BTreeMap<String, String>;

/// Files uploaded for the request's attachment fields, by control key.
type Attached = BTreeMap<String, FileRef>;

/// The instant now, from the browser's clock (the server's render never previews).
fn now() -> DateTime<Utc> {
    #[cfg(feature = "hydrate")]
    {
        DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    DateTime::<Utc>::default()
}

/// The fields the requester fills in (the others are recorded during the case).
fn requester_fields(process: &Process) -> Vec<Field> {
    process
        .fields
        .iter()
        .filter(|f| later_filler(process, f).is_none())
        .cloned()
        .collect()
}

/// What the browser finds wrong with the typed form, by field, before anything is sent.
fn check(
    process: &Process,
    typed: &Typed,
    attached: &Attached,
    calendar: Option<&BusinessCalendar>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let text = |code: &str| typed.get(code).cloned().unwrap_or_default();
    if let Err(e) = parse_title(&text("title")) {
        errors.push(e);
    }
    if let Err(e) = parse_department(Some(&text("department"))) {
        errors.push(e);
    }
    let zone = calendar.map_or(chrono_tz::Asia::Shanghai, |c| c.settings().time_zone);
    for field in requester_fields(process) {
        let key = format!("field:{}", field.code);
        if field.kind == FieldKind::Attachment {
            if field.required && !attached.contains_key(&key) {
                errors.push(FieldError {
                    field: key,
                    code: "required".into(),
                    message: Text::new(
                        format!("请上传{}。", field.label.zh),
                        format!("{} must be attached.", field.label.en),
                    ),
                });
            }
            continue;
        }
        match parse_value(&field, &RawValue::Text(text(&key)), zone) {
            Err(e) => errors.push(FieldError { field: key, ..e }),
            Ok(None) if field.required => errors.push(FieldError {
                field: key,
                code: "required".into(),
                message: Text::new(
                    format!("请填写{}。", field.label.zh),
                    format!("{} is required.", field.label.en),
                ),
            }),
            Ok(_) => {}
        }
    }
    errors
}

/// The server's refusals keyed as the controls are: `title`, `department`, `process`, and
/// `field:<code>` for the form's fields. (The server names a form field by its bare code, so
/// a field coded `title` or `department` reads as the request's own; the browser checks those
/// first, with the same rules.)
fn keyed(fields: Vec<FieldError>, process: Option<&Process>) -> Vec<FieldError> {
    fields
        .into_iter()
        .map(|e| {
            let own = matches!(e.field.as_str(), "title" | "department" | "process");
            match process {
                Some(p) if !own && p.field(&e.field).is_some() => FieldError {
                    field: format!("field:{}", e.field),
                    ..e
                },
                _ => e,
            }
        })
        .collect()
}

/// The form as the server takes it: the process's fields the requester typed (a field typed
/// for another process the requester switched away from is left out).
fn form_input(process: Option<&Process>, typed: &Typed, attached: &Attached) -> FormInput {
    let Some(process) = process else {
        return FormInput::new();
    };
    requester_fields(process)
        .into_iter()
        .filter_map(|f| {
            let key = format!("field:{}", f.code);
            if let Some(file) = attached.get(&key) {
                return Some((f.code.to_string(), RawValue::File(file.clone())));
            }
            let value = typed.get(&key)?;
            (!value.trim().is_empty()).then(|| (f.code.to_string(), RawValue::Text(value.clone())))
        })
        .collect()
}

/// The "raise a request" dialog, open while the address says `raise=`.
#[component]
pub fn RaiseDialog(path: String) -> impl IntoView {
    let lang = use_lang();
    let t = move || raise_texts(lang.get());
    let board = expect_context::<BoardState>();
    let query = use_query_map();
    let navigate = use_navigate();
    let asked = Memo::new(move |_| query.with(|q| q.get("raise")));
    let loaded = RwSignal::new(None::<Result<Loaded, AppError>>);
    let process = RwSignal::new(String::new());
    let typed = RwSignal::new(Typed::new());
    let attached = RwSignal::new(Attached::new());
    let touched = RwSignal::new(Vec::<String>::new());
    let tried = RwSignal::new(false);
    let server_errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<Text>);
    let busy = RwSignal::new(false);
    let clock = RwSignal::new(now());
    let heading = NodeRef::<html::H2>::new();

    // Opening loads the forms (once) and starts on the process the address names.
    Effect::new(move |_| {
        let Some(wanted) = asked.get() else {
            return;
        };
        clock.set(now());
        let start = move |l: &Loaded| {
            let known = l.forms.processes.iter().any(|p| p.code == wanted.as_str());
            let first = l.forms.processes.first().map(|p| p.code.to_string());
            let chosen = if known { Some(wanted.clone()) } else { first };
            if let Some(code) = chosen {
                if process.try_get_untracked().is_some_and(|p| p != code) {
                    process.try_set(code);
                }
            }
            if typed.try_with_untracked(|t| !t.contains_key("department")) == Some(true) {
                let mine = l.forms.my_department.clone().unwrap_or_default();
                typed.try_update(|t| {
                    t.insert("department".into(), mine);
                });
            }
        };
        match loaded.get_untracked() {
            Some(Ok(l)) => {
                start(&l);
                request_animation_frame(move || {
                    if let Some(h) = heading.get_untracked() {
                        let _ = h.focus();
                    }
                });
            }
            Some(Err(_)) | None => {
                let function = board.function.get_value();
                leptos::task::spawn_local(async move {
                    let answer = get_raise_forms(function).await.map(|forms| {
                        let catalog = Arc::new(forms.catalog());
                        let calendar = forms.calendar().map(Arc::new);
                        Loaded {
                            forms: Arc::new(forms),
                            catalog,
                            calendar,
                        }
                    });
                    if let Ok(l) = &answer {
                        start(l);
                    }
                    loaded.try_set(Some(answer));
                    if let Some(h) = heading.try_get_untracked().flatten() {
                        let _ = h.focus();
                    }
                });
            }
        }
    });
    // The preview's "now" moves on while the form is open.
    #[cfg(feature = "hydrate")]
    {
        let tick = set_interval_with_handle(
            move || {
                if asked.with_untracked(Option::is_some) {
                    clock.set(now());
                }
            },
            std::time::Duration::from_secs(30),
        )
        .ok();
        on_cleanup(move || {
            if let Some(tick) = tick {
                tick.clear();
            }
        });
    }

    let current = Memo::new(move |_| {
        let code = process.get();
        loaded.with(|l| match l {
            Some(Ok(l)) => l
                .forms
                .processes
                .iter()
                .find(|p| p.code == code.as_str())
                .cloned(),
            _ => None,
        })
    });
    let errors = Memo::new(move |_| {
        let calendar = loaded.with(|l| match l {
            Some(Ok(l)) => l.calendar.clone(),
            _ => None,
        });
        current.with(|p| match p {
            Some(p) => typed
                .with(|typed| attached.with(|files| check(p, typed, files, calendar.as_deref()))),
            None => Vec::new(),
        })
    });
    let preview = Memo::new(move |_| {
        let at = clock.get();
        let code = process.get();
        let input = current
            .with(|p| typed.with(|t| attached.with(|files| form_input(p.as_ref(), t, files))));
        loaded.with(|l| {
            let l = l.as_ref()?.as_ref().ok()?;
            let calendar = l.calendar.as_ref()?;
            let process = ProcessRef::find(&l.catalog, &code)?;
            let ctx = Context::new(process, calendar, at);
            let zone = calendar.settings().time_zone;
            first_step(&ctx, &Actor::new(0, "", &[]), &input).map(|s| (s, zone))
        })
    });
    let form = FormState {
        typed,
        attached,
        touched,
        tried,
        server_errors,
        errors,
    };

    let close = {
        let path = path.clone();
        let navigate = navigate.clone();
        move || {
            let href = query.with_untracked(|q| raise_href(&path, q, None));
            navigate(
                &href,
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
            // The focus goes back to the button that opened the form.
            focus_selector("[data-testid=raise-open]".to_string());
        }
    };
    let close = StoredValue::new(close);
    let show = {
        let path = path.clone();
        let navigate = navigate.clone();
        move |code: String| {
            let href = query.with_untracked(|q| raise_href(&path, q, Some(&code)));
            navigate(
                &href,
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
    };
    let show = StoredValue::new(show);
    let reset = move || {
        typed.try_update(|t| t.retain(|k, _| k == "department"));
        attached.try_set(Attached::new());
        touched.try_set(Vec::new());
        tried.try_set(false);
        server_errors.try_set(Vec::new());
        failure.try_set(None);
    };
    let submit = {
        let path = path.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if busy.get_untracked() {
                return;
            }
            tried.set(true);
            server_errors.set(Vec::new());
            failure.set(None);
            let problems = errors.get_untracked();
            if let Some(first) = problems.first() {
                focus_field(&first.field);
                return;
            }
            let code = process.get_untracked();
            let chosen = current.get_untracked();
            let (title, department, form) = typed.with_untracked(|t| {
                (
                    t.get("title").cloned().unwrap_or_default(),
                    t.get("department")
                        .cloned()
                        .filter(|d| !d.trim().is_empty()),
                    attached.with_untracked(|files| form_input(chosen.as_ref(), t, files)),
                )
            });
            busy.set(true);
            let path = path.clone();
            let navigate = navigate.clone();
            leptos::task::spawn_local(async move {
                let answer = raise_case(code, title, department, form).await;
                busy.try_set(false);
                match answer {
                    Ok(view) => {
                        let id = view.case.id.0;
                        // The board may have been left meanwhile.
                        let Some(lang) = board.lang.try_get_untracked() else {
                            return;
                        };
                        reset();
                        board.refresh_card(id);
                        board.say((raise_texts(lang).raised)(id));
                        let Some(href) = query.try_with_untracked(|q| {
                            let mut q = q.clone();
                            q.remove("raise");
                            crate::ui::board::case_drawer::drawer_href(&path, &q, Some(id))
                        }) else {
                            return;
                        };
                        navigate(
                            &href,
                            NavigateOptions {
                                replace: true,
                                scroll: false,
                                ..Default::default()
                            },
                        );
                    }
                    Err(AppError::Invalid { fields }) => {
                        let fields = keyed(fields, chosen.as_ref());
                        if let Some(first) = fields.first() {
                            focus_field(&first.field);
                        }
                        server_errors.try_set(fields);
                    }
                    Err(other) => {
                        failure.try_set(Some(Text::new(
                            other.message(Lang::Zh),
                            other.message(Lang::En),
                        )));
                    }
                }
            });
        }
    };

    let submit = StoredValue::new(submit);

    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.key() == "Escape"
                && !ev.default_prevented()
                && asked.with_untracked(Option::is_some)
            {
                ev.prevent_default();
                close.with_value(|c| c());
            }
        });
        on_cleanup(move || handle.remove());
    }

    view! {
        <Show when=move || asked.with(Option::is_some)>
            <div class="drawer-backdrop" on:click=move |_| close.with_value(|c| c())></div>
            <aside
                class="drawer raise"
                role="dialog"
                aria-modal="true"
                aria-labelledby="raise-heading"
                aria-busy=move || busy.get().to_string()
                data-testid="raise-dialog"
                on:keydown=keep_focus_inside
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
                <header class="drawer__header">
                    <h2 id="raise-heading" class="drawer__title" tabindex="-1" node_ref=heading>
                        {move || t().raise}
                    </h2>
                </header>
                {move || match loaded.get() {
                    None => view! { <p class="drawer__loading" aria-busy="true">{move || t().loading}</p> }.into_any(),
                    Some(Err(error)) => view! {
                        <div class="alert alert--error" role="alert">{move || error.message(lang.get())}</div>
                    }
                    .into_any(),
                    Some(Ok(l)) if l.forms.processes.is_empty() => view! {
                        <p class="alert alert--info" role="status">{move || t().none_raisable}</p>
                    }
                    .into_any(),
                    Some(Ok(l)) => {
                        let processes = l.forms.processes.clone();
                        let departments = l.forms.departments.clone();
                        view! {
                            <form class="form raise__form" novalidate on:submit=move |ev| submit.with_value(|s| s(ev)) data-testid="raise-form">
                                {move || failure.get().map(|f| view! {
                                    <div class="alert alert--error" role="alert">{move || f.get(lang.get()).to_string()}</div>
                                })}
                                {move || {
                                    let n = if tried.get() { errors.with(Vec::len) } else { 0 }
                                        + server_errors.with(Vec::len);
                                    (n > 0).then(|| view! { <p class="form__error" role="alert" data-testid="raise-problems">{move || (t().fix_fields)(n)}</p> })
                                }}
                                <div class="form__field">
                                    <label for="raise-process">{move || t().process}</label>
                                    <select
                                        id="raise-process"
                                        name="process"
                                        prop:value=move || process.get()
                                        on:change=move |ev| {
                                            let code = event_target_value(&ev);
                                            process.set(code.clone());
                                            server_errors.set(Vec::new());
                                            // The address names the process shown.
                                            show.with_value(|show| show(code));
                                        }
                                    >
                                        {processes
                                            .iter()
                                            .map(|p| {
                                                let name = p.name.clone();
                                                let code = p.code.to_string();
                                                let selected = {
                                                    let code = code.clone();
                                                    move || process.with(|chosen| chosen == &code)
                                                };
                                                view! { <option value=code selected=selected>{move || name.get(lang.get()).to_string()}</option> }
                                            })
                                            .collect_view()}
                                    </select>
                                    {move || current.get().and_then(|p| p.form).map(|form| view! {
                                        <p class="form__help">{move || (t().form_named)(form.get(lang.get()))}</p>
                                    })}
                                </div>
                                <Preview preview/>
                                {control(form, "title".into(), text_of(|t| t.case_title), true, Some(text_of(|t| t.case_title_help)), FieldKind::Text, None)}
                                {control(form, "department".into(), text_of(|t| t.department), false, Some(text_of(|t| t.department_help)), FieldKind::Department, Some("raise-departments"))}
                                <datalist id="raise-departments">
                                    {departments.into_iter().map(|d| view! { <option value=d.clone()></option> }).collect_view()}
                                </datalist>
                                {move || current.get().map(|p| {
                                    let later = p.fields.len() - requester_fields(&p).len();
                                    view! {
                                        {requester_fields(&p)
                                            .into_iter()
                                            .map(|f| control(form, format!("field:{}", f.code), f.label.clone(), f.required, f.help.clone(), f.kind.clone(), None))
                                            .collect_view()}
                                        {(later > 0).then(|| view! { <p class="form__help">{move || (t().later_fields)(later)}</p> })}
                                    }
                                })}
                                <div class="form__actions raise__actions">
                                    <button type="submit" class="button button--primary" disabled=move || busy.get()>
                                        {move || if busy.get() { t().submitting } else { t().submit }}
                                    </button>
                                    <button type="button" class="button" on:click=move |_| close.with_value(|c| c())>{move || t().cancel}</button>
                                </div>
                            </form>
                        }
                        .into_any()
                    }
                }}
            </aside>
        </Show>
    }
}

/// A text of the dialog in both languages.
fn text_of(pick: fn(&'static crate::ui::board::raise_texts::RaiseTexts) -> &'static str) -> Text {
    Text::new(pick(raise_texts(Lang::Zh)), pick(raise_texts(Lang::En)))
}

/// The id of a control: `raise-title`, `raise-field-<code>` for a field of the form.
fn control_id(key: &str) -> String {
    format!("raise-{}", key.replace(':', "-"))
}

/// The dialog is modal: Tab from its last control goes to its first, Shift+Tab from its first
/// to its last.
fn keep_focus_inside(ev: leptos::ev::KeyboardEvent) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if ev.key() != "Tab" {
            return;
        }
        let Some(dialog) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let Ok(found) = dialog.query_selector_all(
            "button:not([disabled]), a[href], input:not([disabled]), select:not([disabled]), \
             textarea:not([disabled]), [tabindex]:not([tabindex='-1'])",
        ) else {
            return;
        };
        let controls: Vec<web_sys::HtmlElement> = (0..found.length())
            .filter_map(|i| found.item(i))
            .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
            .collect();
        let (Some(first), Some(last)) = (controls.first(), controls.last()) else {
            return;
        };
        let active = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element());
        let at = |e: &web_sys::HtmlElement| {
            active.as_ref() == Some(e.unchecked_ref::<web_sys::Element>())
        };
        let inside = active.as_ref().is_some_and(|a| dialog.contains(Some(a)));
        if ev.shift_key() && (at(first) || !inside) {
            ev.prevent_default();
            let _ = last.focus();
        } else if !ev.shift_key() && (at(last) || !inside) {
            ev.prevent_default();
            let _ = first.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}

/// Puts the focus on the first element matching `selector`, once the page has been drawn.
fn focus_selector(selector: String) {
    #[cfg(feature = "hydrate")]
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let element = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(&selector).ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            let _ = element.focus();
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = selector;
}

/// Puts the focus on the control of `code` (`title`, `department` or a field's code).
fn focus_field(code: &str) {
    focus_selector(format!("#{}", control_id(code)));
}

/// The form's state the controls share.
#[derive(Clone, Copy)]
struct FormState {
    typed: RwSignal<Typed>,
    attached: RwSignal<Attached>,
    /// Controls left at least once: their browser-side errors show.
    touched: RwSignal<Vec<String>>,
    /// A submit was tried: every error shows.
    tried: RwSignal<bool>,
    /// The server's refusal, by field, until the field is edited.
    server_errors: RwSignal<Vec<FieldError>>,
    /// What the browser finds wrong now.
    errors: Memo<Vec<FieldError>>,
}

impl FormState {
    /// Why `code` is refused: the server's answer for it, else the browser's once the
    /// control was left (or a submit tried).
    fn error_of(&self, code: &str) -> Option<Text> {
        let from_server = self.server_errors.with(|e| {
            e.iter()
                .find(|e| e.field == code)
                .map(|e| e.message.clone())
        });
        from_server.or_else(|| {
            let shown = self.tried.get() || self.touched.with(|t| t.iter().any(|c| c == code));
            if !shown {
                return None;
            }
            self.errors.with(|e| {
                e.iter()
                    .find(|e| e.field == code)
                    .map(|e| e.message.clone())
            })
        })
    }
}

/// One control: `title`, `department`, or a field of the form (typed under `field:<code>`).
#[allow(clippy::too_many_arguments)]
fn control(
    form: FormState,
    key: String,
    label: Text,
    required: bool,
    help: Option<Text>,
    kind: FieldKind,
    list: Option<&'static str>,
) -> impl IntoView {
    let lang = use_lang();
    let t = move || raise_texts(lang.get());
    let code = key.clone();
    let id = control_id(&key);
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    let error = {
        let code = code.clone();
        Memo::new(move |_| form.error_of(&code))
    };
    let value = {
        let key = key.clone();
        move || {
            form.typed
                .with(|t| t.get(&key).cloned().unwrap_or_default())
        }
    };
    let set = {
        let (key, code) = (key.clone(), code.clone());
        move |v: String| {
            form.typed.update(|t| {
                t.insert(key.clone(), v);
            });
            form.server_errors.update(|e| e.retain(|e| e.field != code));
        }
    };
    let leave = {
        let code = code.clone();
        move || {
            form.touched.update(|t| {
                if !t.contains(&code) {
                    t.push(code.clone());
                }
            })
        }
    };
    let described = {
        let (help_id, error_id) = (help_id.clone(), error_id.clone());
        let has_help = help.is_some();
        move || {
            let mut ids = Vec::new();
            if has_help {
                ids.push(help_id.clone());
            }
            if error.with(Option::is_some) {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        }
    };
    let invalid = move || error.with(Option::is_some).to_string();
    let input = match kind.clone() {
        FieldKind::LongText => view! {
            <textarea
                id=id.clone()
                rows="4"
                maxlength="5000"
                aria-invalid=invalid
                aria-describedby=described.clone()
                aria-required=required.to_string()
                prop:value=value.clone()
                on:input=move |ev| set(event_target_value(&ev))
                on:blur=move |_| leave()
            ></textarea>
        }
        .into_any(),
        FieldKind::Choice { options } => view! {
            <select
                id=id.clone()
                aria-invalid=invalid
                aria-describedby=described.clone()
                aria-required=required.to_string()
                prop:value=value.clone()
                on:change=move |ev| set(event_target_value(&ev))
                on:blur=move |_| leave()
            >
                <option value="">{move || t().choose}</option>
                {options
                    .into_iter()
                    .map(|o| {
                        let zh = o.zh.clone();
                        let selected = {
                            let (zh, value) = (zh.clone(), value.clone());
                            move || value() == zh
                        };
                        view! { <option value=zh selected=selected>{move || o.get(lang.get()).to_string()}</option> }
                    })
                    .collect_view()}
            </select>
        }
        .into_any(),
        FieldKind::Attachment => {
            let uploading = RwSignal::new(false);
            let shown_key = key.clone();
            let drop_key = key.clone();
            let attach = {
                let key = key.clone();
                let code = code.clone();
                move |ev: leptos::ev::Event| attach_file(form, key.clone(), code.clone(), uploading, &ev)
            };
            view! {
                <span class="raise__attach">
                    <input
                        id=id.clone()
                        type="file"
                        accept=ACCEPTED_FILES
                        aria-invalid=invalid
                        aria-describedby=described.clone()
                        aria-required=required.to_string()
                        disabled=move || uploading.get()
                        on:change=attach
                        on:blur=move |_| leave()
                    />
                    {move || uploading.get().then(|| view! { <span class="raise__uploading" role="status">{move || t().uploading}</span> })}
                    {move || form.attached.with(|a| a.get(&shown_key).cloned()).map(|file| {
                        let drop_key = drop_key.clone();
                        view! {
                            <span class="raise__file" data-testid="raise-attached">
                                <a href=format!("/api/files/{}", file.id)>{file.name.clone()}</a>
                                " (" {size_text(file.size)} ")"
                                <button
                                    type="button"
                                    class="button button--quiet"
                                    on:click=move |_| form.attached.update(|a| {
                                        a.remove(&drop_key);
                                    })
                                >
                                    {move || t().remove_file}
                                </button>
                            </span>
                        }
                    })}
                </span>
            }
            .into_any()
        }
        other => {
            let (input_type, mode) = match other {
                FieldKind::Date => ("date", None),
                FieldKind::DateTime => ("datetime-local", None),
                FieldKind::Number | FieldKind::Money => ("text", Some("decimal")),
                _ => ("text", None),
            };
            let money = other == FieldKind::Money;
            let leave_too = leave.clone();
            view! {
                <span class="raise__input" class:raise__input--money=money>
                    <input
                        id=id.clone()
                        type=input_type
                        inputmode=mode
                        list=list
                        autocomplete="off"
                        aria-invalid=invalid
                        aria-describedby=described.clone()
                        aria-required=required.to_string()
                        prop:value=value.clone()
                        on:input=move |ev| set(event_target_value(&ev))
                        on:change=move |_| leave_too()
                        on:blur=move |_| leave()
                    />
                    {money.then(|| view! { <span class="raise__unit" aria-hidden="true">{move || t().money_unit}</span> })}
                </span>
            }
            .into_any()
        }
    };
    view! {
        <div class="form__field" class:form__field--invalid=move || error.with(Option::is_some) data-field=code.clone()>
            <label for=id.clone()>
                {move || label.get(lang.get()).to_string()}
                <span class=if required { "raise__mark raise__mark--required" } else { "raise__mark" }>
                    {move || if required { t().required } else { t().optional }}
                </span>
            </label>
            {input}
            {help.map(|h| view! { <p class="form__help" id=help_id.clone()>{move || h.get(lang.get()).to_string()}</p> })}
            {move || error.get().map(|e| view! {
                <p class="form__error" id=error_id.clone()>{move || e.get(lang.get()).to_string()}</p>
            })}
        </div>
    }
}

/// What the file picker offers: the types a case accepts.
const ACCEPTED_FILES: &str =
    ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.zip,.png,.jpg,.jpeg,.gif,.webp,.txt,.csv";

/// `12.3 KB`, `4.5 MB`.
fn size_text(bytes: u64) -> String {
    if bytes < 1024 * 1024 {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

/// Uploads the file picked for an attachment field ahead of the request (`POST /api/files`):
/// the form then names the stored file, and the server attaches it to the case it raises.
fn attach_file(
    form: FormState,
    key: String,
    code: String,
    uploading: RwSignal<bool>,
    ev: &leptos::ev::Event,
) {
    #[cfg(feature = "hydrate")]
    {
        let Some(file) = crate::ui::board::case_drawer::picked_file(ev) else {
            return;
        };
        uploading.set(true);
        form.server_errors.update(|e| e.retain(|e| e.field != code));
        leptos::task::spawn_local(async move {
            let stored = crate::ui::board::case_drawer::upload_file("/api/files", file).await;
            uploading.try_set(false);
            match stored {
                Ok(file) => {
                    form.attached.try_update(|a| {
                        a.insert(key, file);
                    });
                }
                Err(AppError::Invalid { fields }) => {
                    let fields = fields
                        .into_iter()
                        .map(|e| FieldError {
                            field: code.clone(),
                            ..e
                        })
                        .collect::<Vec<_>>();
                    form.server_errors.try_update(|e| e.extend(fields));
                }
                Err(other) => {
                    form.server_errors.try_update(|e| {
                        e.push(FieldError {
                            field: code.clone(),
                            code: "upload_failed".into(),
                            message: Text::new(other.message(Lang::Zh), other.message(Lang::En)),
                        })
                    });
                }
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (form, key, code, uploading, ev);
}

/// The live preview: the first step, its owner, its limit and its due time, and the days off
/// and make-up days the count goes over.
#[component]
fn Preview(preview: Memo<Option<(FirstStep, chrono_tz::Tz)>>) -> impl IntoView {
    let lang = use_lang();
    let t = move || raise_texts(lang.get());
    view! {
        <section class="raise__preview" aria-labelledby="raise-preview-title" data-testid="raise-preview">
            <h3 id="raise-preview-title">{move || t().preview}</h3>
            <div aria-live="polite">
                {move || match preview.get() {
                    None => view! { <p class="raise__preview-none">{move || t().no_step}</p> }.into_any(),
                    Some((step, zone)) => preview_body(step, zone).into_any(),
                }}
            </div>
            <p class="form__help">{move || t().preview_lead}</p>
        </section>
    }
}

fn preview_body(step: FirstStep, zone: chrono_tz::Tz) -> impl IntoView {
    let lang = use_lang();
    let t = move || raise_texts(lang.get());
    let name = step.name.clone();
    let owner = step.owner.clone();
    let rule = step.rule.clone();
    let anchor = step.anchor.clone();
    let due = step.due.map(|d| (instant_text(d.at, zone), d.provisional));
    let waiting = step.waiting_for.clone();
    let number = step.number;
    let has_rule = step.due.is_some() || step.waiting_for.is_some();
    view! {
        <p class="raise__step" data-testid="raise-first-step">{move || (t().step_of)(number, name.get(lang.get()))}</p>
        <dl class="raise__facts">
            <dt>{move || t().owner}</dt>
            <dd data-testid="raise-owner">{move || owner.get(lang.get()).to_string()}</dd>
            <dt>{move || t().limit}</dt>
            <dd>{move || if has_rule { format!("{} · {}", rule.get(lang.get()), anchor.get(lang.get())) } else { t().no_deadline.to_string() }}</dd>
            {due.clone().map(|(at, _)| {
                let shown = at.clone();
                view! {
                    <dt>{move || t().due}</dt>
                    <dd><time class="raise__due" datetime=at data-testid="raise-due">{move || rfc3339_long(&shown, lang.get())}</time></dd>
                }
            })}
        </dl>
        {waiting.map(|label| view! { <p class="raise__waiting">{move || (t().waiting_for)(label.get(lang.get()))}</p> })}
        {due.filter(|(_, provisional)| *provisional).map(|_| view! { <p class="raise__provisional">{move || t().provisional}</p> })}
        {(!step.days_off.is_empty()).then(|| {
            let runs = step.days_off.clone();
            view! {
                <p class="raise__days" data-testid="raise-days-off">
                    <span class="day-mark day-mark--off" aria-hidden="true">"休"</span>
                    {move || t().days_off} ": "
                    {move || runs.iter().map(|r| {
                        let l = lang.get();
                        if r.from == r.to {
                            format!("{}({})", r.name, date_long(r.from, l))
                        } else {
                            format!("{}({} – {})", r.name, date_long(r.from, l), date_long(r.to, l))
                        }
                    }).collect::<Vec<_>>().join(";")}
                </p>
            }
        })}
        {(!step.make_up_days.is_empty()).then(|| {
            let days = step.make_up_days.clone();
            view! {
                <p class="raise__days" data-testid="raise-make-up">
                    <span class="day-mark day-mark--work" aria-hidden="true">"班"</span>
                    {move || t().make_up} ": "
                    {move || days.iter().map(|(d, _)| date_long(*d, lang.get())).collect::<Vec<_>>().join("、")}
                </p>
            }
        })}
        {(!step.skipped.is_empty()).then(|| {
            let skipped = step.skipped.clone();
            view! {
                <p class="raise__skipped">
                    {move || t().skipped} ": "
                    {move || skipped.iter().map(|s| s.get(lang.get()).to_string()).collect::<Vec<_>>().join("、")}
                </p>
            }
        })}
    }
}
