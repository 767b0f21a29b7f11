//! Identities: the case, the user, and whoever acts.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::domain::catalog::RoleCode;

/// A case's number. `CaseId::UNSAVED` (0) until storage assigns one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CaseId(pub i64);

impl CaseId {
    /// The id of a case that storage has not saved yet.
    pub const UNSAVED: CaseId = CaseId(0);
}

impl fmt::Display for CaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A user's number, as the user directory stores it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub i64);

impl UserId {
    /// The scheduler and other automatic work.
    pub const SYSTEM: UserId = UserId(0);
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A user as a case remembers them: the id and the name shown at the time.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UserRef {
    pub id: UserId,
    pub name: String,
}

/// Whoever acts on a case: a signed-in user with their roles, or the system.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user: UserId,
    pub name: String,
    pub roles: Vec<RoleCode>,
}

impl Actor {
    pub fn new(user: i64, name: impl Into<String>, roles: &[&str]) -> Actor {
        Actor {
            user: UserId(user),
            name: name.into(),
            roles: roles.iter().map(|r| RoleCode::new(*r)).collect(),
        }
    }

    /// Someone holding every role of `catalog` (the API's operator, a server's own reads).
    pub fn with_every_role(
        catalog: &crate::domain::catalog::Catalog,
        user: i64,
        name: impl Into<String>,
    ) -> Actor {
        Actor {
            user: UserId(user),
            name: name.into(),
            roles: catalog.roles.iter().map(|r| r.code.clone()).collect(),
        }
    }

    /// The scheduler: raises recurring cases and records escalations.
    pub fn system() -> Actor {
        Actor {
            user: UserId::SYSTEM,
            name: "系统 / System".into(),
            roles: Vec::new(),
        }
    }

    pub fn has_role(&self, role: &RoleCode) -> bool {
        self.roles.contains(role)
    }

    pub fn user_ref(&self) -> UserRef {
        UserRef {
            id: self.user,
            name: self.name.clone(),
        }
    }
}
