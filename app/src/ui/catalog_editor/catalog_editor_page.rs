//! 规范维护 (`/settings/catalog`): administrators change the standard (a step's time limit,
//! owner and outputs; a new step; a new process) and save it as a new version. Every change is
//! checked as it is made, by the same rules as the catalog files.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;

use super::texts::editor_texts;
use crate::api::{amend_catalog, catalog_history, get_catalog};
use crate::domain::catalog::amend::{
    changes, check_catalog, check_new_process, check_new_step, insert_step, parse_deadline,
    remove_step, CatalogAmendment, CatalogChange, ProcessInput, StepInput,
};
use crate::domain::catalog::{
    wording, Catalog, CatalogVersion, OutputCode, Process, RoleCode, RoleKind, Step, StepOutput,
    VersionSummary,
};
use crate::error::{AppError, FieldError};
use crate::ui::i18n::use_lang;
use crate::ui::layout::shell_layout::use_shell_data;
use crate::ui::resource::blocking_resource;

async fn load() -> Result<(CatalogVersion, Vec<VersionSummary>), AppError> {
    Ok((get_catalog(None).await?, catalog_history().await?))
}

/// The catalog editor page.
#[component]
pub fn CatalogEditorPage() -> impl IntoView {
    let lang = use_lang();
    let texts = move || editor_texts(lang.get());
    let me = use_shell_data().me;
    let loaded = blocking_resource(|| (), |_| load());
    view! {
        <Title text=move || texts().title.to_string()/>
        <header class="page-header">
            <h1>{move || texts().title}</h1>
            <p class="page-header__lead">{move || texts().lead}</p>
        </header>
        <Suspense fallback=move || view! { <div class="card card--skeleton" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                let administrator = me.await.ok().flatten().is_some_and(|p| p.administrator);
                if !administrator {
                    return view! {
                        <div class="alert alert--error" role="alert" data-testid="catalog-refused">
                            <strong>{move || texts().not_allowed}</strong>
                        </div>
                    }
                    .into_any();
                }
                match loaded.await {
                    Ok((version, history)) => view! { <CatalogEditor version history/> }.into_any(),
                    Err(error) => view! {
                        <div class="alert alert--error" role="alert">
                            <strong>{move || texts().load_failed}</strong>
                            " "
                            {move || error.message(lang.get())}
                        </div>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// The editor's state: the version it started from and the edited copy.
#[derive(Clone, Copy)]
struct Editor {
    base: RwSignal<CatalogVersion>,
    history: RwSignal<Vec<VersionSummary>>,
    draft: RwSignal<Catalog>,
    function: RwSignal<String>,
    process: RwSignal<Option<String>>,
    creating: RwSignal<bool>,
    /// Time limits typed that do not read, by `process/step`: saving waits for them.
    unreadable: RwSignal<BTreeMap<String, FieldError>>,
    /// Bumped when the draft is replaced wholesale, so inputs show the new values.
    generation: RwSignal<u32>,
}

impl Editor {
    fn reset(&self, version: CatalogVersion, history: Vec<VersionSummary>) {
        self.draft.set(version.catalog.clone());
        self.base.set(version);
        self.history.set(history);
        self.unreadable.set(BTreeMap::new());
        self.creating.set(false);
        self.generation.update(|g| *g += 1);
    }

    fn update_step(&self, process: &str, step: &str, change: impl FnOnce(&mut Step)) {
        self.draft.update(|catalog| {
            if let Some(found) = catalog
                .processes
                .iter_mut()
                .find(|p| p.code == process)
                .and_then(|p| p.steps.iter_mut().find(|s| s.code == step))
            {
                change(found);
            }
        });
    }
}

fn message(error: &FieldError, lang: crate::domain::lang::Lang) -> String {
    error.message.get(lang).to_string()
}

#[component]
fn CatalogEditor(version: CatalogVersion, history: Vec<VersionSummary>) -> impl IntoView {
    let first_function = version
        .catalog
        .functions
        .first()
        .map(|f| f.code.to_string())
        .unwrap_or_default();
    let first_process = version
        .catalog
        .processes_of(&first_function)
        .next()
        .map(|p| p.code.to_string());
    let editor = Editor {
        draft: RwSignal::new(version.catalog.clone()),
        base: RwSignal::new(version),
        history: RwSignal::new(history),
        function: RwSignal::new(first_function),
        process: RwSignal::new(first_process),
        creating: RwSignal::new(false),
        unreadable: RwSignal::new(BTreeMap::new()),
        generation: RwSignal::new(0),
    };
    let problems = Memo::new(move |_| {
        editor
            .draft
            .with(|c| check_catalog(c).err().unwrap_or_default())
    });
    let changed = Memo::new(move |_| {
        editor
            .base
            .with(|b| editor.draft.with(|d| changes(&b.catalog, d)))
    });
    view! {
        <div class="catalog-editor" data-testid="catalog-editor">
            <VersionBar editor/>
            <div class="catalog-editor__body">
                <ProcessPicker editor changed/>
                <section class="card catalog-editor__main" aria-live="polite">
                    {move || {
                        editor.generation.track();
                        if editor.creating.get() {
                            return view! { <NewProcessForm editor/> }.into_any();
                        }
                        match editor.process.get() {
                            Some(code) => view! { <ProcessEditor editor code problems/> }.into_any(),
                            None => view! {
                                <p class="catalog-editor__empty">
                                    {move || editor_texts(use_lang().get()).pick_process}
                                </p>
                            }
                            .into_any(),
                        }
                    }}
                </section>
            </div>
            <SaveBar editor problems changed/>
        </div>
    }
}

#[component]
fn VersionBar(editor: Editor) -> impl IntoView {
    let lang = use_lang();
    let texts = move || editor_texts(lang.get());
    view! {
        <div class="card catalog-versions" data-testid="catalog-version">
            <p class="catalog-versions__current">
                <strong>
                    {move || editor.base.with(|b| (texts().in_force)(b.version, &b.note))}
                </strong>
                " "
                <span class="catalog-versions__date">
                    {move || editor.base.with(|b| b.created_at.chars().take(10).collect::<String>())}
                </span>
            </p>
            <details class="catalog-versions__history">
                <summary>{move || texts().history}</summary>
                <ol class="catalog-versions__list">
                    {move || editor.history.get().into_iter().map(|v| view! {
                        <li>
                            <span class="catalog-versions__number">"v"{v.version}</span>
                            <span class="catalog-versions__date">{v.created_at.chars().take(16).collect::<String>().replace('T', " ")}</span>
                            <span>{v.note}</span>
                        </li>
                    }).collect_view()}
                </ol>
            </details>
        </div>
    }
}

#[component]
fn ProcessPicker(editor: Editor, changed: Memo<Vec<CatalogChange>>) -> impl IntoView {
    let lang = use_lang();
    let texts = move || editor_texts(lang.get());
    let functions = move || {
        editor.draft.with(|c| {
            c.functions
                .iter()
                .map(|f| (f.code.to_string(), f.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let processes = move || {
        let function = editor.function.get();
        editor.draft.with(|c| {
            c.processes_of(&function)
                .map(|p| (p.code.to_string(), p.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let touched = move |code: &str| changed.with(|all| all.iter().any(|c| c.process == code));
    view! {
        <nav class="card catalog-picker" aria-label=move || texts().processes>
            <label class="catalog-picker__label" for="catalog-function">{move || texts().function}</label>
            <select
                id="catalog-function"
                class="catalog-picker__select"
                data-testid="catalog-function"
                prop:value=move || editor.function.get()
                on:change=move |ev| {
                    let code = event_target_value(&ev);
                    let first = editor
                        .draft
                        .with_untracked(|c| c.processes_of(&code).next().map(|p| p.code.to_string()));
                    editor.function.set(code);
                    editor.creating.set(false);
                    editor.unreadable.set(BTreeMap::new());
                    editor.process.set(first);
                }
            >
                {move || functions().into_iter().map(|(code, name)| view! {
                    <option value=code>{name.get(lang.get()).to_string()}</option>
                }).collect_view()}
            </select>
            <h2 class="catalog-picker__heading">{move || texts().processes}</h2>
            <ul class="catalog-picker__list" data-testid="catalog-processes">
                {move || processes().into_iter().map(|(code, name)| {
                    let current = {
                        let code = code.clone();
                        move || (!editor.creating.get() && editor.process.get().as_deref() == Some(code.as_str())).then_some("true")
                    };
                    let marked = {
                        let code = code.clone();
                        move || touched(&code)
                    };
                    view! {
                        <li>
                            <button
                                type="button"
                                class="catalog-picker__process"
                                data-process=code.clone()
                                aria-current=current
                                on:click=move |_| {
                                    editor.creating.set(false);
                                    editor.unreadable.set(BTreeMap::new());
                                    editor.process.set(Some(code.clone()));
                                }
                            >
                                <span>{name.get(lang.get()).to_string()}</span>
                                {move || marked().then(|| view! {
                                    <span class="catalog-picker__dot" title=move || texts().changed></span>
                                })}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <button
                type="button"
                class="button catalog-picker__new"
                data-testid="catalog-new-process"
                on:click=move |_| editor.creating.set(true)
            >
                {move || texts().new_process}
            </button>
        </nav>
    }
}

#[component]
fn ProcessEditor(editor: Editor, code: String, problems: Memo<Vec<FieldError>>) -> impl IntoView {
    let lang = use_lang();
    let texts = move || editor_texts(lang.get());
    let process_code = StoredValue::new(code.clone());
    let process = move || {
        editor
            .draft
            .with(|c| c.process(&process_code.get_value()).cloned())
    };
    let step_codes = move || {
        editor.draft.with(|c| {
            c.process(&process_code.get_value())
                .map(|p| {
                    p.steps
                        .iter()
                        .map(|s| s.code.to_string())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let adding = RwSignal::new(false);
    view! {
        <div class="catalog-process" data-testid="catalog-process" data-process=code.clone()>
            {move || process().map(|p| {
                let trigger = wording::trigger(&p.trigger);
                view! {
                    <header class="catalog-process__header">
                        <h2>{p.name.get(lang.get()).to_string()}</h2>
                        <p class="catalog-process__meta">
                            {texts().trigger} ":" {trigger.get(lang.get()).to_string()}
                        </p>
                    </header>
                }
            })}
            <h3 class="visually-hidden">{move || texts().steps}</h3>
            <ol class="catalog-steps">
                <For
                    each=step_codes
                    key=|code| code.clone()
                    children=move |step| view! {
                        <StepEditor editor process=process_code.get_value() step problems/>
                    }
                />
            </ol>
            {move || if adding.get() {
                view! { <NewStepForm editor process=process_code.get_value() adding/> }.into_any()
            } else {
                view! {
                    <button
                        type="button"
                        class="button catalog-process__add"
                        data-testid="catalog-add-step"
                        on:click=move |_| adding.set(true)
                    >
                        {move || texts().add_step}
                    </button>
                }
                .into_any()
            }}
        </div>
    }
}

#[component]
fn StepEditor(
    editor: Editor,
    process: String,
    step: String,
    problems: Memo<Vec<FieldError>>,
) -> impl IntoView {
    let lang = use_lang();
    let texts = move || editor_texts(lang.get());
    let names = StoredValue::new((process.clone(), step.clone()));
    let key = format!("{process}/{step}");
    let current = move || {
        let (p, s) = names.get_value();
        editor.draft.with(|c| {
            c.process(&p).and_then(|proc| {
                let index = proc.steps.iter().position(|x| x.code == s.as_str())?;
                Some((proc.clone(), index))
            })
        })
    };
    let was = move || {
        let (p, s) = names.get_value();
        editor
            .base
            .with(|b| b.catalog.process(&p).and_then(|x| x.step(&s)).cloned())
    };
    let initial = current();
    let Some((initial_process, initial_index)) = initial else {
        return ().into_any();
    };
    let initial_step = initial_process.steps[initial_index].clone();
    let deadline_text = RwSignal::new(
        initial_step
            .deadline
            .as_ref()
            .map_or_else(|| "none".to_string(), ToString::to_string),
    );
    let reading = move || parse_deadline(&deadline_text.get());
    let index = Memo::new(move |_| current().map(|(_, i)| i).unwrap_or(0));
    let step_now = move || current().map(|(p, i)| p.steps[i].clone());
    let status = move || match (was(), step_now()) {
        (None, _) => Some(texts().new),
        (Some(before), Some(now)) if before != now => Some(texts().changed),
        _ => None,
    };
    let function = initial_process.function.to_string();
    let owners = {
        let function = function.clone();
        move || {
            let owner = step_now().map(|s| s.owner);
            editor.draft.with(|c| {
                let mut roles: Vec<(String, String)> = c
                    .office_roles_of(&function)
                    .map(|r| (r.code.to_string(), r.name.get(lang.get()).to_string()))
                    .collect();
                if let Some(owner) = owner {
                    if !roles.iter().any(|(code, _)| *code == owner.as_str()) {
                        let name = c.role(owner.as_str()).map_or_else(
                            || owner.to_string(),
                            |r| r.name.get(lang.get()).to_string(),
                        );
                        roles.push((owner.to_string(), name));
                    }
                }
                roles
            })
        }
    };
    let outputs = {
        let function = function.clone();
        move || {
            editor.draft.with(|c| {
                c.outputs_of(&function)
                    .map(|o| (o.code.clone(), o.name.clone()))
                    .collect::<Vec<_>>()
            })
        }
    };
    let own_problems = move || {
        let prefix = format!(
            "process[{}].step[{}].",
            names.get_value().0,
            index.get() + 1
        );
        problems.with(|all| {
            all.iter()
                .filter(|e| e.field.starts_with(&prefix))
                .map(|e| format!("{}: {}", &e.field[prefix.len()..], message(e, lang.get())))
                .collect::<Vec<_>>()
        })
    };
    let id = format!("step-{process}-{step}");
    let owner_id = format!("{id}-owner");
    let deadline_id = format!("{id}-deadline");
    let deadline_help = format!("{id}-deadline-help");
    let single = move || current().is_some_and(|(p, _)| p.steps.len() < 2);
    let key_for_input = key.clone();
    let key_for_remove = key.clone();
    view! {
        <li class="catalog-step" data-step=step.clone() class:catalog-step--changed=move || status().is_some()>
            <div class="catalog-step__head">
                <span class="catalog-step__number">{move || (texts().step_number)(index.get() + 1)}</span>
                <h4 class="catalog-step__name">
                    {move || step_now().map(|s| s.name.get(lang.get()).to_string())}
                </h4>
                {move || status().map(|s| view! { <span class="badge badge--warning">{s}</span> })}
                <button
                    type="button"
                    class="button button--quiet catalog-step__remove"
                    disabled=single
                    aria-label=move || format!(
                        "{} {}",
                        texts().remove_step,
                        step_now().map(|s| s.name.get(lang.get()).to_string()).unwrap_or_default()
                    )
                    on:click=move |_| {
                        let (p, s) = names.get_value();
                        editor.unreadable.update(|u| {
                            u.remove(&key_for_remove);
                        });
                        editor.draft.update(|c| {
                            if let Some(proc) = c.processes.iter_mut().find(|x| x.code == p.as_str()) {
                                if let Some(i) = proc.steps.iter().position(|x| x.code == s.as_str()) {
                                    remove_step(proc, i);
                                }
                            }
                        });
                    }
                >
                    {move || texts().remove_step}
                </button>
            </div>
            <div class="catalog-step__grid">
                <div class="form__field">
                    <label for=owner_id.clone()>{move || texts().owner}</label>
                    <select
                        id=owner_id
                        name="owner"
                        prop:value=move || step_now().map(|s| s.owner.to_string()).unwrap_or_default()
                        on:change=move |ev| {
                            let owner = event_target_value(&ev);
                            let (p, s) = names.get_value();
                            editor.update_step(&p, &s, |step| step.owner = RoleCode::new(owner));
                        }
                    >
                        {move || {
                            let chosen = step_now().map(|s| s.owner.to_string()).unwrap_or_default();
                            owners().into_iter().map(|(code, name)| {
                                let selected = code == chosen;
                                view! { <option value=code selected=selected>{name}</option> }
                            }).collect_view()
                        }}
                    </select>
                </div>
                <div class="form__field" class:form__field--invalid=move || reading().is_err()>
                    <label for=deadline_id.clone()>{move || texts().deadline}</label>
                    <input
                        id=deadline_id
                        name="deadline"
                        class="input catalog-step__deadline"
                        autocomplete="off"
                        spellcheck="false"
                        prop:value=move || deadline_text.get()
                        aria-invalid=move || reading().is_err().to_string()
                        aria-describedby=deadline_help.clone()
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            deadline_text.set(text.clone());
                            let (p, s) = names.get_value();
                            match parse_deadline(&text) {
                                Ok(rule) => {
                                    editor.unreadable.update(|u| {
                                        u.remove(&key_for_input);
                                    });
                                    editor.update_step(&p, &s, |step| step.deadline = rule);
                                }
                                Err(error) => editor.unreadable.update(|u| {
                                    u.insert(key_for_input.clone(), error);
                                }),
                            }
                        }
                    />
                    <p id=deadline_help class="form__help catalog-step__reading">
                        {move || match reading() {
                            Ok(rule) => view! {
                                <span class="catalog-step__words">
                                    {wording::deadline(rule.as_ref()).get(lang.get()).to_string()}
                                </span>
                            }
                            .into_any(),
                            Err(error) => view! {
                                <span class="form__error" role="alert">{message(&error, lang.get())}</span>
                            }
                            .into_any(),
                        }}
                    </p>
                </div>
            </div>
            <fieldset class="catalog-step__outputs">
                <legend>{move || texts().outputs}</legend>
                {move || {
                    let all = outputs();
                    if all.is_empty() {
                        return view! { <p class="form__help">{texts().no_outputs}</p> }.into_any();
                    }
                    let now = step_now();
                    let proc = current().map(|(p, _)| p);
                    all.into_iter().map(|(code, name)| {
                        let held = now
                            .as_ref()
                            .and_then(|s| s.outputs.iter().find(|o| o.output == code).cloned());
                        let condition = held.as_ref().and_then(|o| o.when.clone()).and_then(|when| {
                            proc.as_ref().map(|p| wording::condition(p, &when).get(lang.get()).to_string())
                        });
                        let checked = held.is_some();
                        let code_for_change = code.clone();
                        view! {
                            <label class="catalog-step__output">
                                <input
                                    type="checkbox"
                                    value=code.to_string()
                                    prop:checked=checked
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        let (p, s) = names.get_value();
                                        let code = code_for_change.clone();
                                        editor.update_step(&p, &s, |step| toggle_output(step, code, on));
                                    }
                                />
                                <span>{name.get(lang.get()).to_string()}</span>
                                {condition.map(|c| view! {
                                    <span class="catalog-step__condition">{format!("({} {c})", texts().only_when)}</span>
                                })}
                            </label>
                        }
                    }).collect_view().into_any()
                }}
            </fieldset>
            {move || {
                let list = own_problems();
                (!list.is_empty()).then(|| view! {
                    <ul class="catalog-step__problems" role="alert">
                        {list.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                    </ul>
                })
            }}
        </li>
    }
    .into_any()
}

/// Adds an output to a step (unconditionally) or takes it away.
fn toggle_output(step: &mut Step, code: OutputCode, on: bool) {
    let held = step.outputs.iter().any(|o| o.output == code);
    if on && !held {
        step.outputs.push(StepOutput {
            output: code,
            when: None,
        });
    } else if !on {
        step.outputs.retain(|o| o.output != code);
    }
}

/// The error of one field of a form, from the last refusal.
fn field_error(
    errors: RwSignal<Vec<FieldError>>,
    field: &'static str,
    lang: RwSignal<crate::domain::lang::Lang>,
) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    move || {
        errors.with(|all| {
            all.iter()
                .find(|e| e.field == field)
                .map(|e| message(e, lang.get()))
        })
    }
}

/// A labelled input of the new step and new process forms.
fn form_input(
    (id, field): (&'static str, &'static str),
    label: impl Fn() -> &'static str + Send + Sync + 'static,
    help: impl Fn() -> Option<&'static str> + Send + Sync + 'static,
    value: RwSignal<String>,
    error: impl Fn() -> Option<String> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="form__field" class:form__field--invalid=move || error().is_some()>
            <label for=id>{label}</label>
            <input
                id=id
                name=field
                class="input"
                autocomplete="off"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error().is_some().to_string()
                aria-describedby=error_id.clone()
            />
            <p class="form__help">{help}</p>
            <p id=error_id class="form__error" role="alert">{error}</p>
        </div>
    }
}

/// The fields of a new step.
#[derive(Clone, Copy)]
struct StepFields {
    code: RwSignal<String>,
    name_zh: RwSignal<String>,
    name_en: RwSignal<String>,
    owner: RwSignal<String>,
    deadline: RwSignal<String>,
}

impl StepFields {
    fn new(owner: String) -> StepFields {
        StepFields {
            code: RwSignal::new(String::new()),
            name_zh: RwSignal::new(String::new()),
            name_en: RwSignal::new(String::new()),
            owner: RwSignal::new(owner),
            deadline: RwSignal::new("wd(1)".to_string()),
        }
    }

    fn input(&self) -> StepInput {
        StepInput {
            code: self.code.get_untracked(),
            name_zh: self.name_zh.get_untracked(),
            name_en: self.name_en.get_untracked(),
            owner: self.owner.get_untracked(),
            deadline: self.deadline.get_untracked(),
        }
    }
}

/// The inputs of a new step; `prefix` names the fields in the errors (`step.` in a new process).
#[component]
fn StepFieldsView(
    fields: StepFields,
    roles: Vec<(String, String)>,
    errors: RwSignal<Vec<FieldError>>,
    ids: [&'static str; 5],
    prefix: bool,
) -> impl IntoView {
    let lang = use_lang();
    let texts = move || editor_texts(lang.get());
    let name = |plain: &'static str, prefixed: &'static str| if prefix { prefixed } else { plain };
    let owner_error = field_error(errors, name("owner", "step.owner"), lang);
    let deadline_error = field_error(errors, name("deadline", "step.deadline"), lang);
    let reading = move || {
        parse_deadline(&fields.deadline.get())
            .ok()
            .map(|rule| wording::deadline(rule.as_ref()).get(lang.get()).to_string())
    };
    view! {
        {form_input((ids[0], "code"), move || texts().code, move || Some(texts().code_help), fields.code, field_error(errors, name("code", "step.code"), lang))}
        {form_input((ids[1], "name_zh"), move || texts().name_zh, || None, fields.name_zh, field_error(errors, name("name_zh", "step.name_zh"), lang))}
        {form_input((ids[2], "name_en"), move || texts().name_en, || None, fields.name_en, field_error(errors, name("name_en", "step.name_en"), lang))}
        <div class="form__field" class:form__field--invalid=move || owner_error().is_some()>
            <label for=ids[3]>{move || texts().owner}</label>
            <select
                id=ids[3]
                name="owner"
                prop:value=move || fields.owner.get()
                on:change=move |ev| fields.owner.set(event_target_value(&ev))
            >
                {roles.into_iter().map(|(code, label)| {
                    let selected = fields.owner.get_untracked() == code;
                    view! { <option value=code selected=selected>{label}</option> }
                }).collect_view()}
            </select>
            <p class="form__error" role="alert">{owner_error}</p>
        </div>
        <div class="form__field" class:form__field--invalid=move || deadline_error().is_some()>
            <label for=ids[4]>{move || texts().deadline}</label>
            <input
                id=ids[4]
                name="deadline"
                class="input catalog-step__deadline"
                autocomplete="off"
                spellcheck="false"
                prop:value=move || fields.deadline.get()
                on:input=move |ev| fields.deadline.set(event_target_value(&ev))
                aria-invalid=move || deadline_error().is_some().to_string()
            />
            <p class="form__help">
                {move || reading().unwrap_or_default()} " · " {move || texts().deadline_help}
            </p>
            <p class="form__error" role="alert">{deadline_error}</p>
        </div>
    }
}

fn office_roles(
    catalog: &Catalog,
    function: &str,
    lang: crate::domain::lang::Lang,
) -> Vec<(String, String)> {
    catalog
        .office_roles_of(function)
        .map(|r| (r.code.to_string(), r.name.get(lang).to_string()))
        .collect()
}

#[component]
fn NewStepForm(editor: Editor, process: String, adding: RwSignal<bool>) -> impl IntoView {
    let lang = use_lang();
    let texts = move || editor_texts(lang.get());
    let found: Option<Process> = editor
        .draft
        .with_untracked(|c| c.process(&process).cloned());
    let Some(found) = found else {
        return ().into_any();
    };
    let roles = editor
        .draft
        .with_untracked(|c| office_roles(c, found.function.as_str(), lang.get_untracked()));
    let last = found.steps.len().saturating_sub(1);
    let fields = StepFields::new(found.steps[last].owner.to_string());
    let after = RwSignal::new(last);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let positions: Vec<(usize, String)> = found
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            (
                i,
                (texts().after_step)(i + 1, s.name.get(lang.get_untracked())),
            )
        })
        .collect();
    let process = StoredValue::new(process);
    view! {
        <form
            class="catalog-new-step"
            data-testid="catalog-new-step"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                let code = process.get_value();
                let checked = editor.draft.with_untracked(|c| {
                    c.process(&code).map(|p| check_new_step(c, p, &fields.input()))
                });
                match checked {
                    Some(Ok(step)) => {
                        editor.draft.update(|c| {
                            if let Some(p) = c.processes.iter_mut().find(|p| p.code == code.as_str()) {
                                insert_step(p, after.get_untracked(), step);
                            }
                        });
                        adding.set(false);
                    }
                    Some(Err(found)) => errors.set(found),
                    None => adding.set(false),
                }
            }
        >
            <h3>{move || texts().add_step_title}</h3>
            <div class="catalog-new-step__grid">
                <div class="form__field">
                    <label for="new-step-position">{move || texts().position}</label>
                    <select
                        id="new-step-position"
                        prop:value=move || after.get().to_string()
                        on:change=move |ev| after.set(event_target_value(&ev).parse().unwrap_or(last))
                    >
                        {positions.into_iter().map(|(i, label)| {
                            let selected = i == last;
                            view! { <option value=i.to_string() selected=selected>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <StepFieldsView
                    fields
                    roles
                    errors
                    ids=["new-step-code", "new-step-name-zh", "new-step-name-en", "new-step-owner", "new-step-deadline"]
                    prefix=false
                />
            </div>
            <div class="form__actions">
                <button type="submit" class="button button--primary" data-testid="catalog-new-step-add">{move || texts().add}</button>
                <button type="button" class="button" on:click=move |_| adding.set(false)>{move || texts().cancel}</button>
            </div>
        </form>
    }
    .into_any()
}

#[component]
fn NewProcessForm(editor: Editor) -> impl IntoView {
    let lang = use_lang();
    let texts = move || editor_texts(lang.get());
    let function = editor.function.get_untracked();
    let (roles, raisers) = editor.draft.with_untracked(|c| {
        let roles = office_roles(c, &function, lang.get_untracked());
        // Outside actors (需求部门, 员工 …) first: they raise most requests.
        let mut raisers: Vec<(String, String, bool)> = c
            .roles
            .iter()
            .filter(|r| r.serves(&function))
            .map(|r| {
                (
                    r.code.to_string(),
                    r.name.get(lang.get_untracked()).to_string(),
                    r.kind == RoleKind::Outside,
                )
            })
            .collect();
        raisers.sort_by_key(|(_, _, outside)| !outside);
        (roles, raisers)
    });
    let fields = StepFields::new(roles.first().map(|r| r.0.clone()).unwrap_or_default());
    let code = RwSignal::new(String::new());
    let name_zh = RwSignal::new(String::new());
    let name_en = RwSignal::new(String::new());
    let raised_by = RwSignal::new(raisers.first().map(|r| r.0.clone()).unwrap_or_default());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let raised_error = field_error(errors, "raised_by", lang);
    let function_name = editor.draft.with_untracked(|c| {
        c.function(&function)
            .map(|f| f.name.get(lang.get_untracked()).to_string())
            .unwrap_or_default()
    });
    let function = StoredValue::new(function);
    view! {
        <form
            class="catalog-new-process"
            data-testid="catalog-new-process-form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                let input = ProcessInput {
                    function: function.get_value(),
                    code: code.get_untracked(),
                    name_zh: name_zh.get_untracked(),
                    name_en: name_en.get_untracked(),
                    raised_by: raised_by.get_untracked(),
                    step: fields.input(),
                };
                match editor.draft.with_untracked(|c| check_new_process(c, &input)) {
                    Ok(process) => {
                        let code = process.code.to_string();
                        editor.draft.update(|c| c.processes.push(process));
                        editor.creating.set(false);
                        editor.process.set(Some(code));
                    }
                    Err(found) => errors.set(found),
                }
            }
        >
            <h2>{move || texts().new_process.trim_start_matches("+ ").to_string()} " · " {function_name}</h2>
            <div class="catalog-new-step__grid">
                {form_input(("new-process-code", "code"), move || texts().code, move || Some(texts().code_help), code, field_error(errors, "code", lang))}
                {form_input(("new-process-name-zh", "name_zh"), move || texts().name_zh, || None, name_zh, field_error(errors, "name_zh", lang))}
                {form_input(("new-process-name-en", "name_en"), move || texts().name_en, || None, name_en, field_error(errors, "name_en", lang))}
                <div class="form__field" class:form__field--invalid=move || raised_error().is_some()>
                    <label for="new-process-raised-by">{move || texts().raised_by}</label>
                    <select
                        id="new-process-raised-by"
                        prop:value=move || raised_by.get()
                        on:change=move |ev| raised_by.set(event_target_value(&ev))
                    >
                        {raisers.into_iter().map(|(code, label, _)| view! { <option value=code>{label}</option> }).collect_view()}
                    </select>
                    <p class="form__error" role="alert">{raised_error}</p>
                </div>
            </div>
            <h3>{move || texts().first_step}</h3>
            <div class="catalog-new-step__grid">
                <StepFieldsView
                    fields
                    roles
                    errors
                    ids=["new-process-step-code", "new-process-step-name-zh", "new-process-step-name-en", "new-process-step-owner", "new-process-step-deadline"]
                    prefix=true
                />
            </div>
            <div class="form__actions">
                <button type="submit" class="button button--primary" data-testid="catalog-new-process-add">{move || texts().add}</button>
                <button type="button" class="button" on:click=move |_| editor.creating.set(false)>{move || texts().cancel}</button>
            </div>
        </form>
    }
}

#[component]
fn SaveBar(
    editor: Editor,
    problems: Memo<Vec<FieldError>>,
    changed: Memo<Vec<CatalogChange>>,
) -> impl IntoView {
    let lang = use_lang();
    let texts = move || editor_texts(lang.get());
    let note = RwSignal::new(String::new());
    let status = RwSignal::new(None::<String>);
    let save = Action::new(|amendment: &CatalogAmendment| amend_catalog(amendment.clone()));
    let reload = Action::new(|_: &()| load());
    Effect::new(move |_| {
        if let Some(Ok((version, history))) = reload.value().get() {
            editor.reset(version, history);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            status.set(Some((editor_texts(lang.get_untracked()).saved)(
                saved.version,
            )));
            note.set(String::new());
            reload.dispatch(());
        }
    });
    let refusal = move || save.value().get().and_then(Result::err);
    let stale = move || match refusal() {
        Some(AppError::Conflict {
            current_version, ..
        }) => Some(current_version.unwrap_or_default()),
        _ => None,
    };
    let note_error =
        move || refusal().and_then(|e| e.field("note").map(|f| message(f, lang.get())));
    let other_refusal = move || {
        refusal().filter(|e| !matches!(e, AppError::Conflict { .. }) && e.field("note").is_none())
    };
    let blocked = move || {
        save.pending().get()
            || changed.with(Vec::is_empty)
            || !problems.with(Vec::is_empty)
            || !editor.unreadable.with(BTreeMap::is_empty)
    };
    let jump = move |path: &str| {
        let Some(code) = path
            .strip_prefix("process[")
            .and_then(|rest| rest.split_once(']'))
            .map(|(code, _)| code.to_string())
        else {
            return;
        };
        let function = editor
            .draft
            .with_untracked(|c| c.process(&code).map(|p| p.function.to_string()));
        if let Some(function) = function {
            editor.function.set(function);
            editor.creating.set(false);
            editor.process.set(Some(code));
        }
    };
    view! {
        <section class="card catalog-save" aria-labelledby="catalog-save-heading" data-testid="catalog-save">
            <h2 id="catalog-save-heading" class="catalog-save__heading">
                {move || {
                    let n = changed.with(Vec::len);
                    if n == 0 { texts().no_changes.to_string() } else { (texts().changes)(n) }
                }}
            </h2>
            {move || {
                let list = changed.get();
                (!list.is_empty()).then(|| view! {
                    <ul class="catalog-save__changes" data-testid="catalog-changes">
                        {list.into_iter().map(|c| view! {
                            <li>
                                <span class="catalog-save__place">{c.place.get(lang.get()).to_string()}</span>
                                <span>{c.what.get(lang.get()).to_string()}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                })
            }}
            {move || {
                let list = problems.get();
                let unreadable = editor.unreadable.with(BTreeMap::len);
                let count = list.len() + unreadable;
                (count > 0).then(|| view! {
                    <div class="alert alert--error catalog-save__problems" role="alert" data-testid="catalog-problems">
                        <strong>{(texts().problems)(count)}</strong>
                        <ul>
                            {list.into_iter().map(|p| {
                                let path = p.field.clone();
                                view! {
                                    <li>
                                        <button type="button" class="catalog-save__jump" on:click=move |_| jump(&path)>
                                            {p.field.clone()}
                                        </button>
                                        ": " {message(&p, lang.get())}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </div>
                })
            }}
            <form
                class="catalog-save__form"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    if blocked() {
                        return;
                    }
                    status.set(None);
                    save.dispatch(CatalogAmendment {
                        base_version: editor.base.with_untracked(|b| b.version),
                        catalog: editor.draft.get_untracked(),
                        note: note.get_untracked(),
                    });
                }
            >
                <div class="form__field catalog-save__note" class:form__field--invalid=move || note_error().is_some()>
                    <label for="catalog-note" class="visually-hidden">{move || texts().note}</label>
                    <input
                        id="catalog-note"
                        name="note"
                        class="input"
                        maxlength="200"
                        autocomplete="off"
                        data-testid="catalog-note"
                        placeholder=move || format!("{}:{}", texts().note, texts().note_help)
                        prop:value=move || note.get()
                        on:input=move |ev| note.set(event_target_value(&ev))
                        aria-invalid=move || note_error().is_some().to_string()
                        aria-describedby="catalog-note-error"
                    />
                    <p id="catalog-note-error" class="form__error" role="alert">{note_error}</p>
                </div>
                <div class="form__actions">
                    <button type="submit" class="button button--primary" disabled=blocked data-testid="catalog-save-button">
                        {move || if save.pending().get() { texts().saving } else { texts().save }}
                    </button>
                    <button
                        type="button"
                        class="button"
                        disabled=move || changed.with(Vec::is_empty) && editor.unreadable.with(BTreeMap::is_empty)
                        on:click=move |_| {
                            let (base, history) = (editor.base.get_untracked(), editor.history.get_untracked());
                            editor.reset(base, history);
                            save.value().set(None);
                        }
                    >
                        {move || texts().discard}
                    </button>
                </div>
            </form>
            <p class="form__status" role="status" data-testid="catalog-status">{move || status.get()}</p>
            {move || stale().map(|v| view! {
                <div class="alert alert--error" role="alert" data-testid="catalog-stale">
                    {(texts().stale)(v)} " "
                    <button
                        type="button"
                        class="button"
                        on:click=move |_| {
                            save.value().set(None);
                            reload.dispatch(());
                        }
                    >
                        {move || texts().load_newest}
                    </button>
                </div>
            })}
            {move || other_refusal().map(|e| {
                let fields = match &e {
                    AppError::Invalid { fields } => fields.clone(),
                    _ => Vec::new(),
                };
                view! {
                    <div class="alert alert--error" role="alert">
                        {e.message(lang.get())}
                        <ul>
                            {fields.into_iter().map(|f| view! { <li>{f.field.clone()} ": " {message(&f, lang.get())}</li> }).collect_view()}
                        </ul>
                    </div>
                }
            })}
        </section>
    }
}
