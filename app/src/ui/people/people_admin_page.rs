//! 人员与角色 (`/settings/people`): the administrators' page for people, their departments and
//! the roles of the standard they hold, and for the departments themselves.

use leptos::prelude::*;
use leptos_meta::Title;

use super::admin_texts::admin_texts;
use crate::api::{list_people, remove_department, save_department, save_person};
use crate::domain::people::admin::{Department, PeopleDirectory, PersonInput, RoleChoice};
use crate::domain::people::Person;
use crate::error::AppError;
use crate::ui::i18n::use_lang;
use crate::ui::resource::blocking_resource;

/// The people administration page.
#[component]
pub fn PeopleAdminPage() -> impl IntoView {
    let lang = use_lang();
    let texts = move || admin_texts(lang.get());
    let directory = blocking_resource(|| (), |_| list_people());
    view! {
        <Title text=move || texts().title.to_string()/>
        <header class="page-header">
            <h1>{move || texts().title}</h1>
            <p class="page-header__lead">{move || texts().lead}</p>
        </header>
        <Suspense fallback=move || view! { <div class="card card--skeleton" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                match directory.await {
                    Ok(directory) => view! { <PeopleAdmin directory/> }.into_any(),
                    Err(error) => {
                        let refused = matches!(error, AppError::Forbidden | AppError::Unauthenticated);
                        view! {
                            <div class="alert alert--error" role="alert" data-testid="people-refused">
                                <strong>
                                    {move || if refused { texts().not_allowed } else { texts().load_failed }}
                                </strong>
                                " "
                                {move || (!refused).then(|| error.message(lang.get()))}
                            </div>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The person being edited: the form's fields.
#[derive(Clone, Copy)]
struct Editor {
    open: RwSignal<bool>,
    id: RwSignal<Option<i64>>,
    login: RwSignal<String>,
    name: RwSignal<String>,
    department: RwSignal<String>,
    roles: RwSignal<Vec<String>>,
    administrator: RwSignal<bool>,
    active: RwSignal<bool>,
    password: RwSignal<String>,
}

impl Editor {
    fn new() -> Editor {
        Editor {
            open: RwSignal::new(false),
            id: RwSignal::new(None),
            login: RwSignal::new(String::new()),
            name: RwSignal::new(String::new()),
            department: RwSignal::new(String::new()),
            roles: RwSignal::new(Vec::new()),
            administrator: RwSignal::new(false),
            active: RwSignal::new(true),
            password: RwSignal::new(String::new()),
        }
    }

    /// Opens the form on `person`, or empty for a new one.
    fn open_on(&self, person: Option<&Person>) {
        self.id.set(person.map(|p| p.id.0));
        self.login
            .set(person.map(|p| p.login.clone()).unwrap_or_default());
        self.name
            .set(person.map(|p| p.name.clone()).unwrap_or_default());
        self.department.set(
            person
                .and_then(|p| p.department.clone())
                .unwrap_or_default(),
        );
        self.roles.set(
            person
                .map(|p| p.roles.iter().map(|r| r.to_string()).collect())
                .unwrap_or_default(),
        );
        self.administrator
            .set(person.is_some_and(|p| p.administrator));
        self.active.set(person.is_none_or(|p| p.active));
        self.password.set(String::new());
        self.open.set(true);
    }

    fn input(&self) -> PersonInput {
        let department = self.department.get_untracked();
        let password = self.password.get_untracked();
        PersonInput {
            id: self.id.get_untracked(),
            login: self.login.get_untracked(),
            name: self.name.get_untracked(),
            department: (!department.trim().is_empty()).then_some(department),
            active: self.active.get_untracked(),
            administrator: self.administrator.get_untracked(),
            roles: self.roles.get_untracked(),
            password: (!password.is_empty()).then_some(password),
        }
    }
}

/// The roles' names, for a person's row.
fn role_names(roles: &[RoleChoice], person: &Person, lang: crate::domain::lang::Lang) -> String {
    person
        .roles
        .iter()
        .map(|code| {
            roles
                .iter()
                .find(|r| r.code == code.as_str())
                .map_or_else(|| code.to_string(), |r| r.name.get(lang).to_string())
        })
        .collect::<Vec<_>>()
        .join("、")
}

#[component]
fn PeopleAdmin(directory: PeopleDirectory) -> impl IntoView {
    let lang = use_lang();
    let texts = move || admin_texts(lang.get());
    let people = RwSignal::new(directory.people);
    let departments = RwSignal::new(directory.departments);
    let roles = StoredValue::new(directory.roles);
    let query = RwSignal::new(String::new());
    let editor = Editor::new();
    let status = RwSignal::new(None::<String>);
    let reload = Action::new(|_: &()| list_people());
    Effect::new(move |_| {
        if let Some(Ok(fresh)) = reload.value().get() {
            people.set(fresh.people);
            departments.set(fresh.departments);
        }
    });
    let shown = move || {
        let words: Vec<String> = query
            .get()
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        let lang = lang.get();
        people.with(|all| {
            all.iter()
                .filter(|p| {
                    let haystack = format!(
                        "{} {} {} {}",
                        p.login,
                        p.name,
                        p.department.as_deref().unwrap_or(""),
                        roles.with_value(|r| role_names(r, p, lang)),
                    )
                    .to_lowercase();
                    words.iter().all(|w| haystack.contains(w))
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="people-admin" class:people-admin--editing=move || editor.open.get()>
            <section class="card people-admin__list" aria-labelledby="people-heading">
                <h2 id="people-heading" class="visually-hidden">{move || texts().title}</h2>
                <div class="people-admin__toolbar">
                    <input
                        type="search"
                        class="input people-admin__search"
                        placeholder=move || texts().search
                        aria-label=move || texts().search
                        data-testid="people-search"
                        prop:value=move || query.get()
                        on:input=move |ev| query.set(event_target_value(&ev))
                    />
                    <span class="people-admin__count" role="status">
                        {move || (texts().shown)(shown().len(), people.with(Vec::len))}
                    </span>
                    <button
                        type="button"
                        class="button button--primary"
                        data-testid="people-new"
                        on:click=move |_| {
                            status.set(None);
                            editor.open_on(None);
                        }
                    >
                        {move || texts().new_person}
                    </button>
                </div>
                <p class="form__status" role="status" data-testid="people-status">{move || status.get()}</p>
                <div class="people-admin__scroll">
                    <table class="table people-table" data-testid="people-table">
                        <thead>
                            <tr>
                                <th scope="col">{move || texts().name}</th>
                                <th scope="col">{move || texts().login}</th>
                                <th scope="col">{move || texts().department}</th>
                                <th scope="col">{move || texts().roles}</th>
                                <th scope="col">{move || texts().status}</th>
                                <th scope="col"><span class="visually-hidden">{move || texts().edit}</span></th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || {
                                let rows = shown();
                                if rows.is_empty() {
                                    return view! {
                                        <tr><td colspan="6" class="people-table__empty">{texts().nobody}</td></tr>
                                    }
                                    .into_any();
                                }
                                rows.into_iter()
                                    .map(|person| view! { <PersonRow person roles editor status/> })
                                    .collect_view()
                                    .into_any()
                            }}
                        </tbody>
                    </table>
                </div>
            </section>
            // Drawn anew for each person opened, so one person's refusals never show on another.
            {move || editor.open.get().then(|| {
                editor.id.track();
                view! { <PersonEditor editor departments roles status reload/> }
            })}
            <DepartmentsCard departments reload/>
        </div>
    }
}

#[component]
fn PersonRow(
    person: Person,
    roles: StoredValue<Vec<RoleChoice>>,
    editor: Editor,
    status: RwSignal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let texts = move || admin_texts(lang.get());
    let names = {
        let person = person.clone();
        move || roles.with_value(|r| role_names(r, &person, lang.get()))
    };
    let has_roles = !person.roles.is_empty();
    let editing = person.id.0;
    let label = format!("{} {}", person.name, person.login);
    let stored = StoredValue::new(person.clone());
    view! {
        <tr
            data-login=person.login.clone()
            class:people-table__row--inactive=!person.active
            class:people-table__row--editing=move || editor.open.get() && editor.id.get() == Some(editing)
        >
            <th scope="row" class="people-table__name">
                {person.name.clone()}
                {person.administrator.then(|| view! {
                    " " <span class="badge badge--muted">{move || texts().administrator}</span>
                })}
            </th>
            <td class="people-table__login">{person.login.clone()}</td>
            <td>{person.department.clone().unwrap_or_else(|| "—".into())}</td>
            <td class="people-table__roles">
                {move || if has_roles { names() } else { texts().no_roles.to_string() }}
            </td>
            <td>
                {if person.active {
                    view! { <span class="badge badge--success">{move || texts().active}</span> }.into_any()
                } else {
                    view! { <span class="badge badge--danger">{move || texts().inactive}</span> }.into_any()
                }}
            </td>
            <td class="people-table__actions">
                <button
                    type="button"
                    class="button button--quiet"
                    aria-label=move || format!("{} {label}", texts().edit)
                    on:click=move |_| {
                        status.set(None);
                        stored.with_value(|p| editor.open_on(Some(p)));
                    }
                >
                    {move || texts().edit}
                </button>
            </td>
        </tr>
    }
}

#[component]
fn PersonEditor(
    editor: Editor,
    departments: RwSignal<Vec<Department>>,
    roles: StoredValue<Vec<RoleChoice>>,
    status: RwSignal<Option<String>>,
    reload: Action<(), Result<PeopleDirectory, AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    let texts = move || admin_texts(lang.get());
    let save = Action::new(|input: &PersonInput| save_person(input.clone()));
    let error_of = move |field: &'static str| {
        move || {
            save.value().get().and_then(Result::err).and_then(|e| {
                e.field(field)
                    .map(|f| f.message.get(lang.get()).to_string())
            })
        }
    };
    let other_error = move || {
        save.value().get().and_then(Result::err).filter(|e| {
            [
                "login",
                "name",
                "department",
                "roles",
                "administrator",
                "active",
                "password",
            ]
            .iter()
            .all(|f| e.field(f).is_none())
        })
    };
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            status.set(Some((admin_texts(lang.get_untracked()).saved)(&saved.name)));
            editor.open.set(false);
            reload.dispatch(());
        }
    });
    let is_new = move || editor.id.get().is_none();
    let roles_error = error_of("roles");
    view! {
        <aside class="card people-editor" aria-labelledby="people-editor-title" data-testid="person-editor">
            <form
                class="form"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    save.dispatch(editor.input());
                }
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        editor.open.set(false);
                    }
                }
            >
                <h2 id="people-editor-title" class="people-editor__title">
                    {move || if is_new() { texts().editor_new } else { texts().editor_edit }}
                </h2>
                {text_input(
                    ("person-name", "name", "text"),
                    move || texts().name,
                    || None,
                    editor.name,
                    error_of("name"),
                )}
                {text_input(
                    ("person-login", "login", "text"),
                    move || texts().login,
                    move || Some(texts().login_help),
                    editor.login,
                    error_of("login"),
                )}
                {text_input(
                    ("person-department", "department", "text"),
                    move || texts().department,
                    move || Some(texts().department_help),
                    editor.department,
                    error_of("department"),
                )}
                <datalist id="department-names">
                    {move || departments
                        .get()
                        .into_iter()
                        .map(|d| view! { <option value=d.name></option> })
                        .collect_view()}
                </datalist>
                <fieldset class="form__field people-editor__roles" class:form__field--invalid=move || roles_error().is_some()>
                    <legend>{move || texts().roles}</legend>
                    <p class="form__help">{move || texts().roles_help}</p>
                    <ul class="people-editor__role-list">
                        {roles.with_value(|all| all.iter().map(|role| {
                            let code = role.code.clone();
                            let code_for_change = code.clone();
                            let name = role.name.clone();
                            let functions = role.functions.clone();
                            let checked = {
                                let code = code.clone();
                                move || editor.roles.with(|r| r.contains(&code))
                            };
                            view! {
                                <li>
                                    <label class="people-editor__check">
                                        <input
                                            type="checkbox"
                                            name="roles"
                                            value=code.clone()
                                            prop:checked=checked
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                editor.roles.update(|r| {
                                                    r.retain(|c| *c != code_for_change);
                                                    if on {
                                                        r.push(code_for_change.clone());
                                                    }
                                                });
                                            }
                                        />
                                        <span>{move || name.get(lang.get()).to_string()}</span>
                                        <span class="people-editor__functions">
                                            {move || functions
                                                .iter()
                                                .map(|f| f.get(lang.get()).to_string())
                                                .collect::<Vec<_>>()
                                                .join("、")}
                                        </span>
                                    </label>
                                </li>
                            }
                        }).collect_view())}
                    </ul>
                    <p class="form__error" role="alert">{roles_error}</p>
                </fieldset>
                {check_input(
                    "person-administrator",
                    move || texts().administrator,
                    move || texts().administrator_help,
                    editor.administrator,
                    error_of("administrator"),
                )}
                {check_input(
                    "person-active",
                    move || texts().active,
                    move || texts().active_help,
                    editor.active,
                    error_of("active"),
                )}
                {text_input(
                    ("person-password", "password", "password"),
                    move || if is_new() { texts().first_password } else { texts().reset_password },
                    move || (!is_new()).then(|| texts().reset_help),
                    editor.password,
                    error_of("password"),
                )}
                {move || other_error().map(|e| view! {
                    <div class="alert alert--error" role="alert">{e.message(lang.get())}</div>
                })}
                <div class="form__actions">
                    <button type="submit" class="button button--primary" disabled=move || save.pending().get() data-testid="person-save">
                        {move || if save.pending().get() { texts().saving } else { texts().save }}
                    </button>
                    <button type="button" class="button" on:click=move |_| editor.open.set(false)>
                        {move || texts().cancel}
                    </button>
                </div>
            </form>
        </aside>
    }
}

/// A labelled text input with its help and its error; `(id, field name, input type)`.
fn text_input(
    (id, field, kind): (&'static str, &'static str, &'static str),
    label: impl Fn() -> &'static str + Send + Sync + 'static,
    help: impl Fn() -> Option<&'static str> + Send + Sync + 'static,
    value: RwSignal<String>,
    error: impl Fn() -> Option<String> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    let described = format!("{help_id} {error_id}");
    view! {
        <div class="form__field" class:form__field--invalid=move || error().is_some()>
            <label for=id>{label}</label>
            <input
                id=id
                name=field
                type=kind
                class="input"
                autocomplete=if kind == "password" { "new-password" } else { "off" }
                list=(field == "department").then_some("department-names")
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error().is_some().to_string()
                aria-describedby=described
            />
            <p id=help_id class="form__help">{help}</p>
            <p id=error_id class="form__error" role="alert">{error}</p>
        </div>
    }
}

/// A labelled checkbox with its help and its error.
fn check_input(
    id: &'static str,
    label: impl Fn() -> &'static str + Send + Sync + 'static,
    help: impl Fn() -> &'static str + Send + Sync + 'static,
    value: RwSignal<bool>,
    error: impl Fn() -> Option<String> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="form__field form__field--check" class:form__field--invalid=move || error().is_some()>
            <label class="people-editor__check">
                <input
                    id=id
                    type="checkbox"
                    prop:checked=move || value.get()
                    on:change=move |ev| value.set(event_target_checked(&ev))
                    aria-invalid=move || error().is_some().to_string()
                />
                {label}
            </label>
            <p class="form__help">{help}</p>
            <p class="form__error" role="alert">{error}</p>
        </div>
    }
}

#[component]
fn DepartmentsCard(
    departments: RwSignal<Vec<Department>>,
    reload: Action<(), Result<PeopleDirectory, AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    let texts = move || admin_texts(lang.get());
    let save = Action::new(|(id, name): &(Option<i64>, String)| save_department(*id, name.clone()));
    let remove = Action::new(|id: &i64| remove_department(*id));
    let new_name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    Effect::new(move |_| {
        if let Some(result) = save.value().get() {
            match result {
                Ok(_) => {
                    error.set(None);
                    new_name.set(String::new());
                    reload.dispatch(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(result) = remove.value().get() {
            match result {
                Ok(()) => {
                    error.set(None);
                    reload.dispatch(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    view! {
        <section class="card people-departments" aria-labelledby="departments-heading" data-testid="departments">
            <h2 id="departments-heading">{move || texts().departments}</h2>
            <p class="form__help">{move || texts().departments_lead}</p>
            <ul class="people-departments__list">
                <For
                    each=move || departments.get()
                    key=|d| (d.id, d.name.clone(), d.people)
                    children=move |department| {
                        let name = RwSignal::new(department.name.clone());
                        let id = department.id;
                        let people = department.people;
                        let blocked = people > 0;
                        let label = department.name.clone();
                        view! {
                            <li class="people-departments__item" data-department=department.name.clone()>
                                <input
                                    class="input"
                                    aria-label=format!("{} {label}", texts().rename)
                                    prop:value=move || name.get()
                                    on:input=move |ev| name.set(event_target_value(&ev))
                                />
                                <span class="people-departments__count">{move || (texts().people_count)(people)}</span>
                                <button
                                    type="button"
                                    class="button button--quiet"
                                    on:click=move |_| {
                                        save.dispatch((Some(id), name.get_untracked()));
                                    }
                                >
                                    {move || texts().rename}
                                </button>
                                <button
                                    type="button"
                                    class="button button--quiet"
                                    disabled=blocked
                                    title=move || blocked.then(|| texts().remove_blocked)
                                    on:click=move |_| {
                                        remove.dispatch(id);
                                    }
                                >
                                    {move || texts().remove}
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
            <form
                class="people-departments__new"
                on:submit=move |ev| {
                    ev.prevent_default();
                    save.dispatch((None, new_name.get_untracked()));
                }
            >
                <input
                    class="input"
                    placeholder=move || texts().new_department
                    aria-label=move || texts().new_department
                    data-testid="department-new"
                    prop:value=move || new_name.get()
                    on:input=move |ev| new_name.set(event_target_value(&ev))
                />
                <button type="submit" class="button">{move || texts().add}</button>
            </form>
            {move || error.get().map(|e| view! {
                <div class="alert alert--error" role="alert">{e.message(lang.get())}</div>
            })}
        </section>
    }
}
