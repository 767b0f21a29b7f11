//! The placeholder access control until sign-in exists: administrators are callers presenting
//! the operator token (`OFFICEFLOW_ADMIN_TOKEN`) as `Authorization: Bearer <token>`. Without a
//! token configured, nobody may administer.

use app::ports::AccessControl;

pub struct OperatorToken {
    token: Option<String>,
}

impl OperatorToken {
    pub fn new(token: Option<String>) -> Self {
        OperatorToken {
            token: token.filter(|t| !t.trim().is_empty()),
        }
    }
}

impl AccessControl for OperatorToken {
    fn is_administrator(&self, headers: &http::HeaderMap) -> bool {
        let Some(expected) = &self.token else {
            return false;
        };
        let presented = headers
            .get(http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        constant_time_eq(presented.as_bytes(), expected.as_bytes())
    }
}

/// Compares without revealing through timing how much of the token matched.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &str) -> http::HeaderMap {
        let mut h = http::HeaderMap::new();
        h.insert(http::header::AUTHORIZATION, value.parse().unwrap());
        h
    }

    #[test]
    fn only_the_exact_token_administers() {
        let access = OperatorToken::new(Some("s3cret".into()));
        assert!(access.is_administrator(&headers("Bearer s3cret")));
        assert!(!access.is_administrator(&headers("Bearer s3cre")));
        assert!(!access.is_administrator(&headers("s3cret")));
        assert!(!access.is_administrator(&http::HeaderMap::new()));
    }

    #[test]
    fn without_a_configured_token_nobody_administers() {
        let access = OperatorToken::new(Some("  ".into()));
        assert!(!access.is_administrator(&headers("Bearer   ")));
        assert!(!OperatorToken::new(None).is_administrator(&headers("Bearer ")));
    }
}
