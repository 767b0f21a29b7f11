//! The organisation that runs OfficeFlow: its display name.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;

/// The longest organisation name we accept, in characters.
pub const MAX_NAME_CHARS: usize = 60;

/// An organisation's name: trimmed, 1–60 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationName(String);

impl OrganisationName {
    /// Parses user input into a name, or says what is wrong with it.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let name = input.trim();
        let field = |code: &str, zh: &str, en: &str| Err(FieldError::new("name", code, zh, en));
        if name.is_empty() {
            return field(
                "required",
                "请填写机构名称。",
                "Enter the organisation's name.",
            );
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return field(
                "too_long",
                "机构名称不能超过 60 个字符。",
                "The name can be at most 60 characters long.",
            );
        }
        if name.chars().any(char::is_control) {
            return field(
                "invalid_characters",
                "机构名称不能包含换行或控制字符。",
                "The name cannot contain line breaks or control characters.",
            );
        }
        Ok(OrganisationName(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What the browser is told about the organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub name: String,
    /// When the settings were last changed (RFC 3339), if ever.
    pub updated_at: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_trimmed() {
        assert_eq!(
            OrganisationName::parse("  总办  ").unwrap().as_str(),
            "总办"
        );
    }

    #[test]
    fn an_empty_name_is_refused_as_required() {
        assert_eq!(OrganisationName::parse("   ").unwrap_err().code, "required");
    }

    #[test]
    fn sixty_characters_pass_and_sixty_one_do_not() {
        assert!(OrganisationName::parse(&"办".repeat(60)).is_ok());
        assert_eq!(
            OrganisationName::parse(&"办".repeat(61)).unwrap_err().code,
            "too_long"
        );
    }

    #[test]
    fn control_characters_are_refused() {
        let err = OrganisationName::parse("总\n办").unwrap_err();
        assert_eq!(err.code, "invalid_characters");
    }

    #[test]
    fn markup_is_kept_as_text_not_refused() {
        let name = OrganisationName::parse("<script>alert(1)</script>").unwrap();
        assert_eq!(name.as_str(), "<script>alert(1)</script>");
    }
}
