//! People: users with their logins, departments and the catalog roles they hold; the rules for
//! credentials, sessions and slowing down repeated failed sign-ins. Pure: hashing and storage
//! are the server's, the clock is an argument.

pub mod admin;
pub mod policy;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::catalog::RoleCode;
use crate::domain::workflow::{Actor, UserId};
use crate::error::FieldError;

/// A user as the application sees them (never with the password hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: UserId,
    pub login: String,
    pub name: String,
    pub department: Option<String>,
    pub active: bool,
    pub administrator: bool,
    /// The catalog roles held (办公室主任, 公文文员 …), possibly several.
    pub roles: Vec<RoleCode>,
}

impl Person {
    /// The person acting on cases.
    pub fn actor(&self) -> Actor {
        Actor {
            user: self.id,
            name: self.name.clone(),
            roles: self.roles.clone(),
        }
    }
}

/// Shortest and longest password accepted, in characters.
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;

fn field_error(field: &str, code: &str, zh: &str, en: &str) -> FieldError {
    FieldError::new(field, code, zh, en)
}

/// A login: 3–32 characters of `a-z`, `0-9`, `.`, `_`, `-`, starting with a letter; folded to
/// lower case.
pub fn parse_login(input: &str) -> Result<String, FieldError> {
    let login = input.trim().to_ascii_lowercase();
    let n = login.chars().count();
    if n == 0 {
        return Err(field_error(
            "login",
            "required",
            "请填写登录名。",
            "Enter the login.",
        ));
    }
    let valid_chars = login
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c));
    let starts_with_letter = login.starts_with(|c: char| c.is_ascii_lowercase());
    if !(3..=32).contains(&n) || !valid_chars || !starts_with_letter {
        return Err(field_error(
            "login",
            "invalid",
            "登录名须为 3–32 个字符,以字母开头,只含小写字母、数字和 . _ -。",
            "The login must be 3–32 characters, start with a letter and use only a–z, 0–9, '.', '_' and '-'.",
        ));
    }
    Ok(login)
}

/// A new password: 8–128 characters, not the login itself.
pub fn check_new_password(login: &str, password: &str) -> Result<(), FieldError> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        return Err(field_error(
            "password",
            "too_short",
            "密码至少 8 个字符。",
            "The password must have at least 8 characters.",
        ));
    }
    if n > PASSWORD_MAX {
        return Err(field_error(
            "password",
            "too_long",
            "密码不能超过 128 个字符。",
            "The password can have at most 128 characters.",
        ));
    }
    if password.eq_ignore_ascii_case(login) {
        return Err(field_error(
            "password",
            "same_as_login",
            "密码不能与登录名相同。",
            "The password cannot be the login.",
        ));
    }
    Ok(())
}

/// A person's display name: 1–50 characters, no control characters.
pub fn parse_person_name(input: &str) -> Result<String, FieldError> {
    let name = input.trim();
    let n = name.chars().count();
    if n == 0 || n > 50 || name.chars().any(char::is_control) {
        return Err(field_error(
            "name",
            "invalid",
            "姓名须为 1–50 个字符,不含换行或控制字符。",
            "The name must be 1–50 characters without line breaks or control characters.",
        ));
    }
    Ok(name.to_string())
}

/// How long sessions last: they end after `idle` without use, and `absolute` after sign-in
/// whatever the use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    /// A working day and a half idle (a sign-in in the morning lasts to the next noon), 30
    /// days at most.
    fn default() -> Self {
        SessionPolicy {
            idle: Duration::hours(36),
            absolute: Duration::days(30),
        }
    }
}

impl SessionPolicy {
    /// When a session signed in at `created` and last used at `last_seen` ends.
    pub fn expires_at(&self, created: DateTime<Utc>, last_seen: DateTime<Utc>) -> DateTime<Utc> {
        (last_seen + self.idle).min(created + self.absolute)
    }

    pub fn is_live(
        &self,
        created: DateTime<Utc>,
        last_seen: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> bool {
        now < self.expires_at(created, last_seen)
    }

    /// Whether a use at `now` should be written back (at most once a minute per session, so
    /// that reading pages does not write to the database on every request).
    pub fn should_touch(&self, last_seen: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        now - last_seen >= Duration::minutes(1)
    }
}

/// Failed sign-ins before attempts are slowed down, per account and per address.
pub const FREE_FAILURES: u32 = 5;
/// The longest wait imposed between attempts.
pub const MAX_WAIT_SECONDS: i64 = 15 * 60;

/// How long after the last of `failures` consecutive failures the next attempt must wait:
/// nothing for the first [`FREE_FAILURES`], then 1 s, 2 s, 4 s … up to 15 minutes.
pub fn throttle_wait(failures: u32) -> Duration {
    if failures < FREE_FAILURES {
        return Duration::zero();
    }
    let doublings = (failures - FREE_FAILURES).min(20);
    Duration::seconds((1i64 << doublings).min(MAX_WAIT_SECONDS))
}

/// When the next attempt is allowed, given the failures so far and when the last one was.
pub fn next_attempt_at(failures: u32, last_failure: DateTime<Utc>) -> DateTime<Utc> {
    last_failure + throttle_wait(failures)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-27T09:00:00+08:00")
            .unwrap()
            .with_timezone(&Utc)
            + Duration::hours(h)
    }

    #[test]
    fn logins_are_folded_and_checked() {
        assert_eq!(parse_login("  Doc.Clerk ").unwrap(), "doc.clerk");
        for bad in ["", "ab", "1abc", "has space", "王五", &"a".repeat(33)] {
            assert!(parse_login(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn passwords_are_long_enough_and_not_the_login() {
        assert!(check_new_password("clerk", "correct horse").is_ok());
        let code = |p: &str| check_new_password("clerk01", p).unwrap_err().code;
        assert_eq!(code("short"), "too_short");
        assert_eq!(
            check_new_password("clerk.one", "CLERK.ONE")
                .unwrap_err()
                .code,
            "same_as_login"
        );
        assert_eq!(code(&"x".repeat(129)), "too_long");
    }

    #[test]
    fn sessions_end_when_idle_or_too_old() {
        let policy = SessionPolicy::default();
        assert!(policy.is_live(t(0), t(0), t(35)));
        assert!(!policy.is_live(t(0), t(0), t(36)));
        // Used every day, it still ends 30 days after sign-in.
        assert!(policy.is_live(t(0), t(24 * 29), t(24 * 29 + 1)));
        assert!(!policy.is_live(t(0), t(24 * 29 + 23), t(24 * 30)));
        assert!(!policy.should_touch(t(0), t(0) + Duration::seconds(59)));
        assert!(policy.should_touch(t(0), t(0) + Duration::seconds(60)));
    }

    #[test]
    fn repeated_failures_are_slowed_down_doubling_to_a_cap() {
        let waits: Vec<i64> = (0..9).map(|n| throttle_wait(n).num_seconds()).collect();
        assert_eq!(waits, [0, 0, 0, 0, 0, 1, 2, 4, 8]);
        assert_eq!(throttle_wait(40).num_seconds(), MAX_WAIT_SECONDS);
        assert_eq!(next_attempt_at(7, t(0)), t(0) + Duration::seconds(4));
    }
}
