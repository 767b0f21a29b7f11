use leptos::prelude::*;

use super::texts::texts;
use crate::domain::calendar::{DayKind, DayOverride};
use crate::domain::format::date_long;
use crate::ui::i18n::use_lang;

/// The organisation's own days off and working days.
#[component]
pub fn OverridesTable(overrides: Vec<DayOverride>) -> impl IntoView {
    let lang = use_lang();
    let t = move || texts(lang.get());
    let empty = overrides.is_empty();
    let rows = overrides
        .into_iter()
        .map(|o| {
            let (date, name, arrangement) = (o.date, o.name.clone(), o.year_arrangement);
            let off = o.kind == DayKind::DayOff;
            view! {
                <tr>
                    <td class="tabular">{move || date_long(date, lang.get())}</td>
                    <td>
                        <span class="day-mark" class:day-mark--off=off class:day-mark--work=!off>
                            {move || if off { t().day_off } else { t().working_day }}
                        </span>
                    </td>
                    <td>
                        {name}
                        {arrangement.then(|| view! { " " <span class="badge badge--muted">{move || t().year_arrangement}</span> })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card card--wide" aria-labelledby="overrides-title">
            <h2 id="overrides-title" class="card__title">{move || t().overrides_title}</h2>
            {if empty {
                view! { <p class="card__lead">{move || t().overrides_empty}</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead>
                            <tr>
                                <th scope="col">{move || t().column_date}</th>
                                <th scope="col">{move || t().column_kind}</th>
                                <th scope="col">{move || t().column_name}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
                .into_any()
            }}
        </section>
    }
}
