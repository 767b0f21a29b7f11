use leptos::prelude::*;

use crate::domain::workflow::{CaseView, FormInput};
use crate::error::AppError;

/// Raises a case from a process of the catalog in force with its form
/// (`POST /api/cases/raise`; the operator token until sign-in exists).
#[server(prefix = "/api", endpoint = "cases/raise", input = server_fn::codec::Json)]
pub async fn raise_case(
    process: String,
    title: String,
    department: Option<String>,
    form: FormInput,
) -> Result<CaseView, AppError> {
    use super::ssr::{ports, respond, signed_in};
    use crate::ports::NewCase;
    respond(
        async {
            let ports = ports()?;
            let actor = signed_in(&ports, "cases/raise").await?;
            let request = NewCase {
                process,
                title,
                department,
                form,
            };
            ports.cases.raise(request, &actor, chrono::Utc::now()).await
        }
        .await,
    )
}
