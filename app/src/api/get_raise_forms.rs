use leptos::prelude::*;

use crate::domain::workflow::raise_form::RaiseForms;
use crate::error::AppError;

/// What raising a request in a function takes (`POST /api/cases/forms`, body
/// `{"function": "it"}`): the processes someone raises with their forms, the roles their
/// steps name, the departments, the caller's own, and the working-day calendar the browser
/// previews the first step's deadline on.
#[server(prefix = "/api", endpoint = "cases/forms", input = server_fn::codec::Json)]
pub async fn get_raise_forms(function: String) -> Result<RaiseForms, AppError> {
    use super::ssr::{ports, respond, signed_in};
    use crate::domain::calendar::admin::SettingsOverview;
    respond(
        async {
            let ports = ports()?;
            let actor = signed_in(&ports, "cases/forms").await?;
            let current = ports.catalog.current().await?;
            let calendar = ports.calendar.calendar().await?;
            let mut forms = RaiseForms::of(
                &current.catalog,
                current.version,
                function.trim(),
                SettingsOverview::from(calendar.settings()),
                ports.calendar.overrides().await?,
            )
            .ok_or(AppError::NotFound)?;
            let people = ports.people.people().await?;
            forms.my_department = people
                .iter()
                .find(|p| p.id == actor.user)
                .and_then(|p| p.department.clone());
            forms.departments = people.into_iter().filter_map(|p| p.department).collect();
            forms.departments.sort();
            forms.departments.dedup();
            Ok(forms)
        }
        .await,
    )
}
