//! Managing people: what an administrator may submit for a person or a department, checked
//! field by field before anything is stored. Pure: the store answers what only data can tell
//! (a login taken, the last administrator), the clock is not needed.

use serde::{Deserialize, Serialize};

use super::{check_new_password, parse_login, Person};
use crate::domain::catalog::RoleCode;
use crate::domain::lang::Text;
use crate::domain::workflow::UserId;
use crate::error::FieldError;

/// Longest name of a person or a department, in characters.
pub const NAME_MAX: usize = 50;

/// A person as an administrator submits them: a new one (`id` empty, with a first password) or
/// changes to one (a password given resets it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonInput {
    pub id: Option<i64>,
    pub login: String,
    pub name: String,
    pub department: Option<String>,
    pub active: bool,
    pub administrator: bool,
    pub roles: Vec<String>,
    pub password: Option<String>,
}

/// A person checked and ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonChange {
    /// `None` for a new person.
    pub id: Option<UserId>,
    pub login: String,
    pub name: String,
    pub department: Option<String>,
    pub active: bool,
    pub administrator: bool,
    pub roles: Vec<RoleCode>,
    /// The new password (required for a new person), to be hashed.
    pub password: Option<String>,
}

/// A department as the administration page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub id: i64,
    pub name: String,
    /// How many people belong to it (a department with people cannot be removed).
    pub people: usize,
}

/// A catalog role as the administration page offers it, with the functions it works in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleChoice {
    pub code: String,
    pub name: Text,
    pub functions: Vec<Text>,
}

/// Everything the people page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeopleDirectory {
    pub people: Vec<Person>,
    pub departments: Vec<Department>,
    pub roles: Vec<RoleChoice>,
}

fn error(field: &str, code: &str, zh: &str, en: &str) -> FieldError {
    FieldError::new(field, code, zh, en)
}

/// A name (of a person or a department): trimmed, 1–[`NAME_MAX`] characters, no control
/// characters. `field` names the input the error belongs to.
pub fn parse_name(field: &str, input: &str) -> Result<String, FieldError> {
    let name = input.trim();
    if name.is_empty() {
        return Err(error(field, "required", "请填写名称。", "Enter the name."));
    }
    if name.chars().count() > NAME_MAX {
        return Err(error(
            field,
            "too_long",
            "名称不能超过 50 个字符。",
            "The name can have at most 50 characters.",
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(error(
            field,
            "control_characters",
            "名称不能包含换行或控制字符。",
            "The name cannot contain line breaks or control characters.",
        ));
    }
    Ok(name.to_string())
}

/// Checks `input` as submitted by the administrator `me`, against the catalog's `roles`:
/// every problem, one per field. Administrators cannot switch off their own account or
/// their own administrator flag (someone must be left to manage).
pub fn check_person(
    input: &PersonInput,
    roles: &[RoleCode],
    me: UserId,
) -> Result<PersonChange, Vec<FieldError>> {
    let mut errors = Vec::new();
    let login = parse_login(&input.login).map_err(|e| errors.push(e)).ok();
    let name = parse_name("name", &input.name)
        .map_err(|e| errors.push(e))
        .ok();
    let department = match input.department.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => parse_name("department", text)
            .map_err(|e| errors.push(e))
            .ok(),
    };
    let mut held: Vec<RoleCode> = Vec::new();
    for code in &input.roles {
        let code = code.trim();
        match roles.iter().find(|r| r.as_str() == code) {
            Some(role) if !held.contains(role) => held.push(role.clone()),
            Some(_) => {}
            None => {
                errors.push(error(
                    "roles",
                    "unknown_role",
                    "所选角色不在流程标准中。",
                    "A chosen role is not in the standard.",
                ));
                break;
            }
        }
    }
    held.sort();
    let password = match input.password.as_deref().filter(|p| !p.is_empty()) {
        Some(password) => {
            if let Some(login) = &login {
                if let Err(e) = check_new_password(login, password) {
                    errors.push(e);
                }
            }
            Some(password.to_string())
        }
        None if input.id.is_none() => {
            errors.push(error(
                "password",
                "required",
                "新人员须设置初始密码。",
                "A new person needs a first password.",
            ));
            None
        }
        None => None,
    };
    if input.id == Some(me.0) {
        if !input.active {
            errors.push(error(
                "active",
                "self",
                "不能停用自己的账号。",
                "You cannot switch off your own account.",
            ));
        }
        if !input.administrator {
            errors.push(error(
                "administrator",
                "self",
                "不能取消自己的管理员身份。",
                "You cannot take away your own administrator flag.",
            ));
        }
    }
    match (login, name) {
        (Some(login), Some(name)) if errors.is_empty() => Ok(PersonChange {
            id: input.id.map(UserId),
            login,
            name,
            department,
            active: input.active,
            administrator: input.administrator,
            roles: held,
            password,
        }),
        _ => Err(errors),
    }
}

/// The error for a login another person has.
pub fn login_taken() -> FieldError {
    error(
        "login",
        "taken",
        "该登录名已被使用。",
        "Another person has this login.",
    )
}

/// The error for a change that would leave no active administrator.
pub fn last_administrator() -> FieldError {
    error(
        "administrator",
        "last_administrator",
        "这是最后一位在用的管理员,不能停用或取消其管理员身份。",
        "This is the last active administrator: they cannot be switched off or lose the flag.",
    )
}

/// The error for removing a department people still belong to.
pub fn department_in_use(people: usize) -> FieldError {
    error(
        "department",
        "in_use",
        &format!("该部门还有 {people} 位人员,请先调整他们的部门。"),
        &format!("{people} people still belong to this department: move them first."),
    )
}

/// The error for a department name another department has.
pub fn department_taken() -> FieldError {
    error(
        "name",
        "taken",
        "已有同名部门。",
        "Another department has this name.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles() -> Vec<RoleCode> {
        ["director", "document_clerk", "employee"]
            .into_iter()
            .map(RoleCode::new)
            .collect()
    }

    fn new_person() -> PersonInput {
        PersonInput {
            id: None,
            login: " Wang.Fang ".into(),
            name: " 王芳 ".into(),
            department: Some(" 行政部 ".into()),
            active: true,
            administrator: false,
            roles: vec![
                "document_clerk".into(),
                "employee".into(),
                "document_clerk".into(),
            ],
            password: Some("chun-jie-2026".into()),
        }
    }

    fn codes(errors: &[FieldError]) -> Vec<(String, String)> {
        errors
            .iter()
            .map(|e| (e.field.clone(), e.code.clone()))
            .collect()
    }

    #[test]
    fn a_new_person_is_trimmed_folded_and_given_each_role_once() {
        let change = check_person(&new_person(), &roles(), UserId(1)).unwrap();
        assert_eq!(change.id, None);
        assert_eq!(change.login, "wang.fang");
        assert_eq!(change.name, "王芳");
        assert_eq!(change.department.as_deref(), Some("行政部"));
        assert_eq!(
            change.roles,
            vec![RoleCode::new("document_clerk"), RoleCode::new("employee")]
        );
        assert_eq!(change.password.as_deref(), Some("chun-jie-2026"));
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let input = PersonInput {
            login: "王".into(),
            name: "\n".into(),
            department: Some("部".repeat(51)),
            roles: vec!["<script>alert(1)</script>".into()],
            password: Some("short".into()),
            ..new_person()
        };
        let errors = check_person(&input, &roles(), UserId(1)).unwrap_err();
        let fields: Vec<String> = errors.iter().map(|e| e.field.clone()).collect();
        assert_eq!(fields, ["login", "name", "department", "roles"]);
        let input = PersonInput {
            password: None,
            ..new_person()
        };
        assert_eq!(
            codes(&check_person(&input, &roles(), UserId(1)).unwrap_err()),
            [("password".to_string(), "required".to_string())]
        );
        let input = PersonInput {
            password: Some("wang.fang".into()),
            ..new_person()
        };
        assert_eq!(
            codes(&check_person(&input, &roles(), UserId(1)).unwrap_err()),
            [("password".to_string(), "same_as_login".to_string())]
        );
    }

    #[test]
    fn an_edit_keeps_the_password_unless_one_is_given() {
        let input = PersonInput {
            id: Some(7),
            password: None,
            department: Some("  ".into()),
            ..new_person()
        };
        let change = check_person(&input, &roles(), UserId(1)).unwrap();
        assert_eq!(change.id, Some(UserId(7)));
        assert_eq!(change.password, None);
        assert_eq!(change.department, None);
    }

    #[test]
    fn administrators_cannot_lock_themselves_out() {
        let input = PersonInput {
            id: Some(1),
            active: false,
            administrator: false,
            password: None,
            ..new_person()
        };
        assert_eq!(
            codes(&check_person(&input, &roles(), UserId(1)).unwrap_err()),
            [
                ("active".to_string(), "self".to_string()),
                ("administrator".to_string(), "self".to_string())
            ]
        );
        // Another administrator may do it to them.
        assert!(check_person(&input, &roles(), UserId(2)).is_ok());
    }

    #[test]
    fn names_are_bounded_and_single_line() {
        assert_eq!(parse_name("name", " 行政部 ").unwrap(), "行政部");
        assert_eq!(parse_name("name", "").unwrap_err().code, "required");
        assert_eq!(
            parse_name("name", &"a".repeat(51)).unwrap_err().code,
            "too_long"
        );
        assert_eq!(
            parse_name("name", "a\tb").unwrap_err().code,
            "control_characters"
        );
    }
}
