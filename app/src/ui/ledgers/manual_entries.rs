//! Rows entered by hand in a ledger (手工登记): a form with the ledger's columns, the
//! department and the reason; and the record of every such entry, voided ones included, each
//! in force with a way to void it (with a reason; it stays on record).

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::api::{add_ledger_entry, list_ledger_entries, void_ledger_entry};
use crate::domain::catalog::ColumnCode;
use crate::domain::lang::{Lang, Text};
use crate::domain::workflow::ledger_manual::{ManualEntryInput, ManualRecord};
use crate::error::{AppError, FieldError};
use crate::ui::i18n::use_lang;
use crate::ui::resource::blocking_resource;

struct ManualTexts {
    title: &'static str,
    lead: &'static str,
    add: &'static str,
    cancel: &'static str,
    save: &'static str,
    department: &'static str,
    no_department: &'static str,
    note: &'static str,
    note_help: &'static str,
    saved: &'static str,
    record: &'static str,
    none: &'static str,
    by: &'static str,
    in_force: &'static str,
    voided: &'static str,
    void: &'static str,
    void_reason: &'static str,
    confirm_void: &'static str,
    failed: &'static str,
}

fn manual_texts(lang: Lang) -> ManualTexts {
    match lang {
        Lang::Zh => ManualTexts {
            title: "手工登记",
            lead: "流程之外发生的事项(如系统外购置的资产)在此补登;每条都记下登记人、时间与原因,作废须写明原因,记录永久保留。",
            add: "新增登记",
            cancel: "取消",
            save: "登记",
            department: "所属部门",
            no_department: "(不指定)",
            note: "登记原因",
            note_help: "例如:系统外购置、纸质来文补登。",
            saved: "已登记。",
            record: "登记记录",
            none: "尚无手工登记。",
            by: "登记人",
            in_force: "有效",
            voided: "已作废",
            void: "作废",
            void_reason: "作废原因",
            confirm_void: "确认作废",
            failed: "未能保存:",
        },
        Lang::En => ManualTexts {
            title: "Entries made by hand",
            lead: "What happened outside the workflow (an asset bought outside the system …) is entered here; each entry keeps who made it, when and why, and voiding one takes a reason: the record stays.",
            add: "New entry",
            cancel: "Cancel",
            save: "Enter",
            department: "Belongs to department",
            no_department: "(none)",
            note: "Why by hand",
            note_help: "For example: bought outside the system, a paper document entered late.",
            saved: "Entered.",
            record: "Record of entries",
            none: "No entry made by hand yet.",
            by: "By",
            in_force: "In force",
            voided: "Voided",
            void: "Void",
            void_reason: "Why void it",
            confirm_void: "Void it",
            failed: "Not saved:",
        },
    }
}

/// The form and the record of one ledger's entries made by hand; `changed` runs after an
/// entry is added or voided (the table reloads).
#[component]
pub fn ManualEntries(
    ledger: String,
    columns: Vec<(ColumnCode, Text)>,
    departments: Vec<String>,
    changed: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let t = move || manual_texts(lang.get());
    let version = RwSignal::new(0u32);
    let records = {
        let ledger = ledger.clone();
        blocking_resource(
            move || (ledger.clone(), version.get()),
            |(l, _)| list_ledger_entries(l),
        )
    };
    let open = RwSignal::new(false);
    let cells = RwSignal::new(BTreeMap::<String, String>::new());
    let department = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let problem = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);
    let error_of = move |field: String| {
        Signal::derive(move || {
            errors.with(|e| {
                e.iter()
                    .find(|f| f.field == field)
                    .map(|f| f.message.get(lang.get()).to_string())
            })
        })
    };
    let submit = {
        let ledger = ledger.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if busy.get_untracked() {
                return;
            }
            busy.set(true);
            let entry = ManualEntryInput {
                ledger: ledger.clone(),
                cells: cells.get_untracked(),
                department: Some(department.get_untracked()).filter(|d| !d.is_empty()),
                note: note.get_untracked(),
            };
            leptos::task::spawn_local(async move {
                match add_ledger_entry(entry).await {
                    Ok(_) => {
                        errors.set(Vec::new());
                        problem.set(None);
                        cells.set(BTreeMap::new());
                        note.set(String::new());
                        department.set(String::new());
                        open.set(false);
                        notice.set(Some(manual_texts(lang.get_untracked()).saved));
                        version.update(|v| *v += 1);
                        changed.run(());
                    }
                    Err(AppError::Invalid { fields }) => {
                        errors.set(fields);
                        problem.set(None);
                    }
                    Err(other) => problem.set(Some(other.message(lang.get_untracked()))),
                }
                busy.set(false);
            });
        }
    };
    let columns = StoredValue::new(columns);
    let departments = StoredValue::new(departments);
    let column_inputs = move || {
        columns
            .get_value()
            .into_iter()
            .map(|(code, name)| {
                let id = format!("manual-cell-{code}");
                let key = code.to_string();
                let error = error_of(format!("cells.{code}"));
                let input_key = key.clone();
                view! {
                    <div class="form__field" class:form__field--invalid=move || error.get().is_some()>
                        <label for=id.clone()>{move || name.get(lang.get()).to_string()}</label>
                        <input
                            id=id
                            class="input"
                            name=key.clone()
                            data-column=key.clone()
                            maxlength="200"
                            prop:value=move || cells.with(|c| c.get(&key).cloned().unwrap_or_default())
                            on:input=move |ev| {
                                let value = event_target_value(&ev);
                                let field = format!("cells.{input_key}");
                                // Its own error, and "fill in at least one column", go once it is typed in.
                                errors.update(|e| {
                                    e.retain(|f| {
                                        f.field != field
                                            && !(f.code == "required" && f.field.starts_with("cells."))
                                    })
                                });
                                cells.update(|c| {
                                    c.insert(input_key.clone(), value);
                                });
                            }
                        />
                        <p class="form__error" role="alert">{move || error.get()}</p>
                    </div>
                }
            })
            .collect_view()
    };
    let department_error = error_of("department".into());
    let note_error = error_of("note".into());
    view! {
        <section class="card ledger-manual" aria-labelledby="ledger-manual-title" data-testid="ledger-manual">
            <div class="ledger-manual__head">
                <h2 id="ledger-manual-title" class="card__title">{move || t().title}</h2>
                <button
                    type="button"
                    class="button"
                    aria-expanded=move || open.get().to_string()
                    data-testid="ledger-manual-add"
                    on:click=move |_| {
                        notice.set(None);
                        open.update(|o| *o = !*o);
                    }
                >
                    {move || if open.get() { t().cancel } else { t().add }}
                </button>
            </div>
            <p class="card__lead">{move || t().lead}</p>
            <p class="ledger-manual__notice" role="status">{move || notice.get()}</p>
            <Show when=move || open.get()>
                <form class="ledger-manual__form" data-testid="ledger-manual-form" on:submit=submit.clone() novalidate>
                    <div class="ledger-manual__fields">
                        {column_inputs}
                        <div class="form__field" class:form__field--invalid=move || department_error.get().is_some()>
                            <label for="manual-entry-department">{move || t().department}</label>
                            <select
                                id="manual-entry-department"
                                class="input"
                                name="department"
                                prop:value=move || department.get()
                                on:change=move |ev| {
                                    errors.update(|e| e.retain(|f| f.field != "department"));
                                    department.set(event_target_value(&ev));
                                }
                            >
                                <option value="">{move || t().no_department}</option>
                                {move || departments.get_value().into_iter().map(|d| { let value = d.clone(); view! { <option value=value>{d}</option> } }).collect_view()}
                            </select>
                            <p class="form__error" role="alert">{move || department_error.get()}</p>
                        </div>
                    </div>
                    <div class="form__field" class:form__field--invalid=move || note_error.get().is_some()>
                        <label for="manual-entry-note">{move || t().note}</label>
                        <input
                            id="manual-entry-note"
                            class="input"
                            name="note"
                            maxlength="200"
                            prop:value=move || note.get()
                            on:input=move |ev| {
                                errors.update(|e| e.retain(|f| f.field != "note"));
                                note.set(event_target_value(&ev));
                            }
                            aria-invalid=move || note_error.get().is_some().to_string()
                        />
                        <p class="form__help">{move || t().note_help}</p>
                        <p class="form__error" role="alert">{move || note_error.get()}</p>
                    </div>
                    <p class="form__error" role="alert">{move || problem.get().map(|p| format!("{}{p}", t().failed))}</p>
                    <button type="submit" class="button button--primary" disabled=move || busy.get() data-testid="ledger-manual-save">
                        {move || t().save}
                    </button>
                </form>
            </Show>
            <h3 class="ledger-manual__record-title">{move || t().record}</h3>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match records.await {
                        Ok(list) if list.is_empty() => view! { <p class="dashboard__empty">{move || t().none}</p> }.into_any(),
                        Ok(list) => view! {
                            <ol class="ledger-manual__record" data-testid="ledger-manual-record">
                                {list.into_iter().map(|r| view! { <RecordLine record=r version changed/> }).collect_view()}
                            </ol>
                        }.into_any(),
                        Err(error) => view! { <p class="form__error">{error.message(lang.get_untracked())}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn RecordLine(
    record: ManualRecord,
    version: RwSignal<u32>,
    changed: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let t = move || manual_texts(lang.get());
    let asking = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let summary: Vec<String> = record
        .cells
        .iter()
        .filter(|c| !c.value.is_empty())
        .map(|c| c.value.clone())
        .collect();
    let voided = record.voided.clone();
    let is_voided = voided.is_some();
    let (ledger, id) = (record.ledger.clone(), record.id);
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (ledger, why) = (ledger.clone(), reason.get_untracked());
        leptos::task::spawn_local(async move {
            match void_ledger_entry(ledger, id, why).await {
                Ok(_) => {
                    asking.set(false);
                    version.update(|v| *v += 1);
                    changed.run(());
                }
                Err(e) => error.set(Some(e.message(lang.get_untracked()))),
            }
        });
    };
    view! {
        <li class="ledger-manual__line" class:is-voided=is_voided data-entry=id.to_string()>
            <div class="ledger-manual__line-main">
                <span class="badge badge--muted">{format!("M{id}")}</span>
                <span class="ledger-manual__cells">{summary.join(" · ")}</span>
                {record.department.clone().map(|d| view! { <span class="ledger-manual__dept">{d}</span> })}
            </div>
            <p class="ledger-manual__meta">
                {move || t().by}": "{record.by.clone()}" · "{record.at_text.clone()}" · "{move || t().note}": "{record.note.clone()}
            </p>
            {match voided {
                Some(v) => view! {
                    <p class="ledger-manual__voided" data-testid="ledger-manual-voided">
                        {move || t().voided}" · "{v.by.clone()}" · "{v.at_text.clone()}" · "{v.reason.clone()}
                    </p>
                }.into_any(),
                None => view! {
                    <div class="ledger-manual__actions">
                        <span class="badge badge--success">{move || t().in_force}</span>
                        <button type="button" class="button button--quiet" data-testid="ledger-manual-void" on:click=move |_| asking.update(|a| *a = !*a)>
                            {move || t().void}
                        </button>
                        <Show when=move || asking.get()>
                            <form class="ledger-manual__void" on:submit=confirm.clone()>
                                <label class="visually-hidden" for=format!("void-{id}")>{move || t().void_reason}</label>
                                <input
                                    id=format!("void-{id}")
                                    class="input"
                                    name="reason"
                                    placeholder=move || t().void_reason
                                    maxlength="200"
                                    prop:value=move || reason.get()
                                    on:input=move |ev| reason.set(event_target_value(&ev))
                                />
                                <button type="submit" class="button ledger-manual__void-confirm" data-testid="ledger-manual-void-confirm">{move || t().confirm_void}</button>
                                <p class="form__error" role="alert">{move || error.get()}</p>
                            </form>
                        </Show>
                    </div>
                }.into_any(),
            }}
        </li>
    }
}
