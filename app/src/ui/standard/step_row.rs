use leptos::prelude::*;

use crate::domain::catalog::handbook::HandbookStep;
use crate::ui::i18n::use_lang;
use crate::ui::standard::icons::ClockIcon;
use crate::ui::standard::step_details::StepDetails;
use crate::ui::standard::texts::{tr, use_texts};

/// One numbered step, as an approval flow shows it: number, name, owner, deadline, details.
#[component]
pub fn StepRow(step: HandbookStep) -> impl IntoView {
    let lang = use_lang();
    let texts = use_texts();
    let number = step.number;
    let code = step.code.clone();
    let initial = {
        let owner = step.owner.clone();
        move || {
            owner
                .get(lang.get())
                .chars()
                .next()
                .unwrap_or('·')
                .to_string()
        }
    };
    let anchor = step
        .anchor
        .as_ref()
        .map(|a| view! { <span class="step__anchor">{tr(lang, a)}</span> });
    let condition = step.condition.as_ref().map(|c| {
        view! {
            <p class="step__condition">
                <span class="tag tag--warn">{move || texts().only_when}</span>
                <span>{tr(lang, c)}</span>
            </p>
        }
    });

    view! {
        <li class="step" data-step=code>
            <span class="step__number" aria-hidden="true">{number}</span>
            <div class="step__body">
                <div class="step__head">
                    <h4 class="step__name">
                        <span class="visually-hidden">{move || (texts().step_number)(number)}" "</span>
                        {tr(lang, &step.name)}
                    </h4>
                    <div class="step__chips">
                        <span class="chip chip--owner">
                            <span class="avatar avatar--sm" aria-hidden="true">{initial}</span>
                            <span class="visually-hidden">{move || texts().owner}" "</span>
                            <span class="step__owner">{tr(lang, &step.owner)}</span>
                        </span>
                        <span class="chip chip--deadline" class:chip--open=!step.has_deadline>
                            <ClockIcon/>
                            <span class="visually-hidden">{move || texts().deadline}" "</span>
                            <span class="step__deadline">{tr(lang, &step.deadline)}</span>
                        </span>
                        {anchor}
                    </div>
                </div>
                {condition}
                <StepDetails step/>
            </div>
        </li>
    }
}
