use leptos::prelude::*;

use super::texts::texts;
use crate::api::preview_deadline;
use crate::domain::format::rfc3339_long;
use crate::ui::i18n::use_lang;

/// Evaluates a rule from a moment on the organisation's calendar, showing how it counted.
#[component]
pub fn DeadlineCalculator() -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let rule = RwSignal::new("wd(3)".to_string());
    let anchor = RwSignal::new("2025-09-30T10:00".to_string());
    let run = Action::new(|(rule, anchor): &(String, String)| {
        // `datetime-local` gives local wall time; the organisation is in China (UTC+8).
        let anchor = if anchor.len() == 16 {
            format!("{anchor}:00+08:00")
        } else {
            anchor.clone()
        };
        preview_deadline(rule.clone(), anchor)
    });
    let result = move || run.value().get();

    view! {
        <section class="card card--wide" aria-labelledby="calculator-title">
            <h2 id="calculator-title" class="card__title">{move || t().calculator_title}</h2>
            <p class="card__lead">{move || t().calculator_lead}</p>
            <form
                class="calculator"
                on:submit=move |ev| {
                    ev.prevent_default();
                    run.dispatch((rule.get_untracked(), anchor.get_untracked()));
                }
            >
                <div class="form__field">
                    <label for="calc-rule">{move || t().rule_label}</label>
                    <input
                        id="calc-rule"
                        type="text"
                        spellcheck="false"
                        autocomplete="off"
                        class="mono"
                        prop:value=move || rule.get()
                        on:input=move |ev| rule.set(event_target_value(&ev))
                        aria-describedby="calc-rule-help"
                    />
                    <p id="calc-rule-help" class="form__help">{move || t().rule_help}</p>
                </div>
                <div class="form__field">
                    <label for="calc-anchor">{move || t().anchor_label}</label>
                    <input
                        id="calc-anchor"
                        type="datetime-local"
                        prop:value=move || anchor.get()
                        on:input=move |ev| anchor.set(event_target_value(&ev))
                    />
                </div>
                <div class="form__actions">
                    <button type="submit" class="button button--primary" disabled=move || run.pending().get()>
                        {move || if run.pending().get() { t().calculating } else { t().calculate }}
                    </button>
                </div>
            </form>
            {move || result().map(|outcome| match outcome {
                Ok(preview) => {
                    let due = preview.due.clone();
                    let opens = preview.opens.clone();
                    view! {
                        <div class="calculator__result" role="status" data-testid="deadline-result">
                            <p class="calculator__due">
                                <span class="calculator__label">{move || t().due_label}</span>
                                <strong class="tabular">{move || rfc3339_long(&due, lang.get())}</strong>
                                {preview.provisional.then(|| view! {
                                    <span class="badge badge--warning">{move || t().provisional}</span>
                                })}
                            </p>
                            {opens.map(|opens| view! {
                                <p class="calculator__due">
                                    <span class="calculator__label">{move || t().opens_label}</span>
                                    <span class="tabular">{move || rfc3339_long(&opens, lang.get())}</span>
                                </p>
                            })}
                            <details class="calculator__explain">
                                <summary>{move || t().how_counted}</summary>
                                <pre>{preview.explanation.clone()}</pre>
                            </details>
                        </div>
                    }
                    .into_any()
                }
                Err(error) => view! {
                    <div class="alert alert--error" role="alert">{move || error.message(lang.get())}</div>
                }
                .into_any(),
            })}
        </section>
    }
}
