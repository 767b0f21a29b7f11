use leptos::prelude::*;

use crate::domain::catalog::handbook::HandbookProcess;
use crate::ui::i18n::use_lang;
use crate::ui::standard::form_fields::FormFields;
use crate::ui::standard::repeats_list::RepeatsList;
use crate::ui::standard::step_row::StepRow;
use crate::ui::standard::texts::{tr, use_texts};

/// One process: how it starts, its form, its numbered steps and what repeats while open.
#[component]
pub fn ProcessSection(process: HandbookProcess) -> impl IntoView {
    let lang = use_lang();
    let texts = use_texts();
    let id = format!("process-{}", process.code);
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    let code = process.code.clone();
    let steps = process.steps.len();
    let raised_by = process.raised_by.as_ref().map(|r| {
        view! {
            <div class="process-meta__item">
                <dt>{move || texts().raised_by}</dt>
                <dd>{tr(lang, r)}</dd>
            </div>
        }
    });
    let form = process.form.as_ref().map(|f| {
        view! {
            <div class="process-meta__item">
                <dt>{move || texts().form}</dt>
                <dd>{tr(lang, f)}</dd>
            </div>
        }
    });

    view! {
        <section class="process" id=id aria-labelledby=labelled_by data-process=code>
            <header class="process__header">
                <h3 class="process__name" id=title_id>{tr(lang, &process.name)}</h3>
                <span class="process__count">{move || (texts().step_count)(steps)}</span>
            </header>
            <dl class="process-meta">
                <div class="process-meta__item">
                    <dt>{move || texts().trigger}</dt>
                    <dd>{tr(lang, &process.trigger)}</dd>
                </div>
                {raised_by}
                {form}
            </dl>
            <FormFields fields=process.fields/>
            <h4 class="visually-hidden">{move || texts().steps}</h4>
            <ol class="step-list">
                {process.steps.into_iter().map(|step| view! { <StepRow step/> }).collect_view()}
            </ol>
            <RepeatsList repeats=process.repeats/>
        </section>
    }
}
