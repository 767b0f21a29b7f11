//! Managing people and departments (administrators): the directory, a person created or
//! changed, a department created, renamed or removed.

use leptos::prelude::*;

use crate::domain::people::admin::{Department, PeopleDirectory, PersonInput};
use crate::domain::people::Person;
use crate::error::AppError;

/// Everyone, the departments and the roles of the current catalog
/// (`POST /api/people/list`, body `{}`).
#[server(prefix = "/api", endpoint = "people/list", input = server_fn::codec::Json)]
pub async fn list_people() -> Result<PeopleDirectory, AppError> {
    use super::ssr::{authorize, ports, respond};
    use crate::domain::people::admin::RoleChoice;
    respond(
        async {
            let ports = ports()?;
            authorize(&ports, "people/list").await?;
            let catalog = ports.catalog.current().await?;
            let catalog = &catalog.catalog;
            let roles = catalog
                .roles
                .iter()
                .map(|role| RoleChoice {
                    code: role.code.to_string(),
                    name: role.name.clone(),
                    functions: role
                        .functions
                        .iter()
                        .filter_map(|f| catalog.functions.iter().find(|x| x.code == *f))
                        .map(|f| f.name.clone())
                        .collect(),
                })
                .collect();
            Ok(PeopleDirectory {
                people: ports.people.people().await?,
                departments: ports.people.departments().await?,
                roles,
            })
        }
        .await,
    )
}

/// Creates a person (`id` empty, with a first password) or changes one
/// (`POST /api/people/save`, body `{"person": {"login": "wang.fang", "name": "王芳",
/// "department": "行政部", "active": true, "administrator": false,
/// "roles": ["document_clerk"], "password": "…"}}`). Every bad field is named at once.
#[server(prefix = "/api", endpoint = "people/save", input = server_fn::codec::Json)]
pub async fn save_person(person: PersonInput) -> Result<Person, AppError> {
    use super::ssr::{ports, respond, signed_in};
    use crate::domain::people::admin::check_person;
    respond(
        async {
            let ports = ports()?;
            let me = signed_in(&ports, "people/save").await?;
            let catalog = ports.catalog.current().await?;
            let roles: Vec<_> = catalog
                .catalog
                .roles
                .iter()
                .map(|r| r.code.clone())
                .collect();
            let change = check_person(&person, &roles, me.user)
                .map_err(|fields| AppError::Invalid { fields })?;
            ports.people.save_person(change, chrono::Utc::now()).await
        }
        .await,
    )
}

/// Creates a department (`id` empty) or renames one (`POST /api/departments/save`, body
/// `{"id": 3, "name": "综合管理部"}`). Cases keep the department name they were raised with.
#[server(prefix = "/api", endpoint = "departments/save", input = server_fn::codec::Json)]
pub async fn save_department(id: Option<i64>, name: String) -> Result<Department, AppError> {
    use super::ssr::{authorize, ports, respond};
    use crate::domain::people::admin::parse_name;
    respond(
        async {
            let ports = ports()?;
            authorize(&ports, "departments/save").await?;
            let name = parse_name("name", &name).map_err(AppError::invalid)?;
            ports
                .people
                .save_department(id, name, chrono::Utc::now())
                .await
        }
        .await,
    )
}

/// Removes a department nobody belongs to (`POST /api/departments/remove`, body `{"id": 3}`).
#[server(prefix = "/api", endpoint = "departments/remove", input = server_fn::codec::Json)]
pub async fn remove_department(id: i64) -> Result<(), AppError> {
    use super::ssr::{authorize, ports, respond};
    respond(
        async {
            let ports = ports()?;
            authorize(&ports, "departments/remove").await?;
            ports.people.remove_department(id).await
        }
        .await,
    )
}
