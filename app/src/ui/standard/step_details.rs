use leptos::prelude::*;

use crate::domain::catalog::handbook::{HandbookStep, HandbookStepOutput};
use crate::domain::lang::Text;
use crate::ui::i18n::use_lang;
use crate::ui::standard::texts::{tr, use_texts, StandardTexts};

/// What a step asks for beyond owner and deadline; rows the standard leaves empty are omitted.
#[component]
pub fn StepDetails(step: HandbookStep) -> impl IntoView {
    let lang = use_lang();
    let empty = step.checklist.is_empty()
        && step.outputs.is_empty()
        && step.approvals.is_empty()
        && step.participants.is_empty()
        && step.recipients.is_empty()
        && step.ledger.is_none()
        && step.escalations.is_empty();
    let ledger = step.ledger.map(|l| {
        let by = l.by.map(|who| {
            let who = tr(lang, &who);
            let texts = use_texts();
            view! { <span class="step-details__by">{move || (texts().recorded_by)(&who())}</span> }
        });
        view! {
            <DetailRow label=|t| t.ledger>
                <span class="doc-name">{tr(lang, &l.name)}</span>
                {by}
            </DetailRow>
        }
    });
    let rows = view! {
        <TextList label=|t| t.checklist items=step.checklist class="step-details__checklist"/>
        <OutputList outputs=step.outputs/>
        <TextList label=|t| t.approvals items=step.approvals class="step-details__approvals"/>
        <TextList label=|t| t.participants items=step.participants class="step-details__inline"/>
        <TextList label=|t| t.recipients items=step.recipients class="step-details__inline"/>
        {ledger}
        <TextList label=|t| t.escalations items=step.escalations class="step-details__escalations"/>
    };
    (!empty).then(|| view! { <dl class="step-details">{rows}</dl> })
}

/// One `<dt>`/`<dd>` pair with the label in the current language.
#[component]
fn DetailRow(label: fn(&StandardTexts) -> &'static str, children: Children) -> impl IntoView {
    let texts = use_texts();
    view! {
        <div class="step-details__row">
            <dt>{move || label(texts())}</dt>
            <dd>{children()}</dd>
        </div>
    }
}

/// A row listing texts, or nothing when there are none.
#[component]
fn TextList(
    label: fn(&StandardTexts) -> &'static str,
    items: Vec<Text>,
    class: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    (!items.is_empty()).then(|| {
        view! {
            <DetailRow label>
                <ul class=format!("step-details__list {class}")>
                    {items.iter().map(|t| view! { <li>{tr(lang, t)}</li> }).collect_view()}
                </ul>
            </DetailRow>
        }
    })
}

/// The named outputs, each with the condition under which it is required.
#[component]
fn OutputList(outputs: Vec<HandbookStepOutput>) -> impl IntoView {
    let lang = use_lang();
    let texts = use_texts();
    (!outputs.is_empty()).then(|| {
        let items = outputs
            .iter()
            .map(|o| {
                let when = o.condition.as_ref().map(|c| {
                    let c = tr(lang, c);
                    view! { <span class="step-details__when">{move || (texts().output_when)(&c())}</span> }
                });
                view! { <li><span class="doc-name">{tr(lang, &o.name)}</span>{when}</li> }
            })
            .collect_view();
        view! {
            <DetailRow label=|t| t.outputs>
                <ul class="step-details__list step-details__outputs">{items}</ul>
            </DetailRow>
        }
    })
}
