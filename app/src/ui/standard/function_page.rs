use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::get_function_standard;
use crate::error::AppError;
use crate::ui::i18n::use_lang;
use crate::ui::resource::blocking_resource;
use crate::ui::standard::function_not_found::FunctionNotFound;
use crate::ui::standard::handbook_skeleton::HandbookSkeleton;
use crate::ui::standard::handbook_view::HandbookView;

/// `/functions/:code`: one function of the office standard, as a printable handbook.
#[component]
pub fn FunctionPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    // Blocking, so that the server knows the status (404 for an unknown function) before it
    // sends the first byte, and the handbook is in the HTML for print and search.
    let handbook = blocking_resource(code, get_function_standard);

    view! {
        <Suspense fallback=HandbookSkeleton>
            {move || Suspend::new(async move {
                match handbook.await {
                    Ok(handbook) => view! { <HandbookView handbook/> }.into_any(),
                    Err(AppError::NotFound) => {
                        let code = params.read_untracked().get("code").unwrap_or_default();
                        view! { <FunctionNotFound code/> }.into_any()
                    }
                    Err(error) => view! {
                        <div class="alert alert--error" role="alert">
                            <strong>{move || lang.get().texts().load_failed}</strong>
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
