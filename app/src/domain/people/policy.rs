//! Who may do what: one table for the endpoints, and the case rules (who may see a case, who
//! may run which operation on it). Every server function looks itself up in [`ENDPOINTS`]
//! before touching data; the permission matrix test calls every registered server function
//! as each kind of user and fails on one missing from the table.

use crate::domain::catalog::{Catalog, Field, Process, RoleCode, RoleKind};
use crate::domain::workflow::form_validate::later_filler;
use crate::domain::workflow::{Actor, Case, Command, ProcessRef, UserId};

/// The role above every function: it may return, reassign, cancel and close any case.
pub const DIRECTOR: &str = "director";

/// Who may call an endpoint at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not: the standard, the working calendar, the organisation's name,
    /// signing in and out.
    Public,
    /// Any signed-in user.
    SignedIn,
    /// Any signed-in user; then the case rules decide, per case and per operation
    /// ([`may_view`], [`may_apply`]).
    Cases,
    /// Holders of a role of the function concerned, the director, and administrators.
    Function,
    /// Administrators only.
    Administrator,
}

/// Every endpoint under `/api/` and who may call it. Server functions are listed by their
/// endpoint; the other routes (file upload and download, board events) by their pattern.
pub const ENDPOINTS: &[(&str, Access)] = &[
    ("auth/me", Access::Public),
    ("auth/password", Access::SignedIn),
    ("auth/sign-in", Access::Public),
    ("auth/sign-out", Access::Public),
    ("boards/apply", Access::Cases),
    ("boards/card", Access::Cases),
    ("boards/get", Access::Cases),
    ("boards/wip", Access::Function),
    ("boards/{function}/events", Access::Cases),
    ("calendar/deadline", Access::Public),
    ("calendar/feed", Access::SignedIn),
    ("calendar/feed/renew", Access::SignedIn),
    ("calendar/feed/revoke", Access::SignedIn),
    ("calendar/get", Access::Public),
    ("calendar/import", Access::Administrator),
    ("calendar/override/put", Access::Administrator),
    ("calendar/override/remove", Access::Administrator),
    ("calendar/settings/save", Access::Administrator),
    ("calendar/view", Access::Cases),
    ("cases/apply", Access::Cases),
    ("cases/audit", Access::Cases),
    ("cases/detail", Access::Cases),
    ("cases/forms", Access::SignedIn),
    ("cases/get", Access::Cases),
    ("cases/inbox", Access::SignedIn),
    ("cases/inbox/count", Access::SignedIn),
    ("cases/list", Access::Cases),
    ("cases/raise", Access::Cases),
    ("cases/{id}/files", Access::Cases),
    ("catalog/amend", Access::Administrator),
    ("catalog/function", Access::Public),
    ("catalog/functions", Access::Public),
    ("catalog/get", Access::Public),
    ("catalog/history", Access::Public),
    ("catalog/save", Access::Administrator),
    ("dashboard/get", Access::Function),
    ("departments/remove", Access::Administrator),
    ("departments/save", Access::Administrator),
    ("files", Access::SignedIn),
    ("files/{id}", Access::Cases),
    ("ledgers/entries/add", Access::Function),
    ("ledgers/entries/list", Access::Function),
    ("ledgers/entries/void", Access::Function),
    ("ledgers/rows", Access::Function),
    ("ledgers/table", Access::Function),
    ("ledgers/{code}/export", Access::Function),
    ("organisation/get", Access::Public),
    ("organisation/rename", Access::Administrator),
    ("people/list", Access::Administrator),
    ("people/save", Access::Administrator),
    ("reports/get", Access::Function),
    ("reports/{kind}/export", Access::Function),
];

/// The access of `endpoint` (without the `/api/` prefix); `None` for one not in the table,
/// which the server refuses.
pub fn access_of(endpoint: &str) -> Option<Access> {
    ENDPOINTS
        .iter()
        .find(|(e, _)| *e == endpoint)
        .map(|(_, a)| *a)
}

/// The caller as the rules see them: nobody, or a person with their roles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    Anonymous,
    User { actor: Actor, administrator: bool },
}

/// Why a call is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denied {
    /// Signing in is needed.
    SignIn,
    /// Signed in, but not allowed.
    NotAllowed,
}

impl Caller {
    pub fn actor(&self) -> Option<&Actor> {
        match self {
            Caller::Anonymous => None,
            Caller::User { actor, .. } => Some(actor),
        }
    }

    pub fn is_administrator(&self) -> bool {
        matches!(
            self,
            Caller::User {
                administrator: true,
                ..
            }
        )
    }

    /// Whether the caller may call an endpoint of `access` at all (the case and function
    /// rules are checked again on what the call touches).
    pub fn may_call(&self, access: Access) -> Result<(), Denied> {
        match (access, self) {
            (Access::Public, _) => Ok(()),
            (_, Caller::Anonymous) => Err(Denied::SignIn),
            (Access::Administrator, c) if !c.is_administrator() => Err(Denied::NotAllowed),
            _ => Ok(()),
        }
    }
}

fn holds(actor: &Actor, role: &str) -> bool {
    actor.roles.iter().any(|r| r == role)
}

/// Every role that works in the process: step owners, approvers, fillers of fields, owners
/// of repeats and escalation targets.
fn roles_of(process: &Process) -> Vec<&RoleCode> {
    let mut roles: Vec<&RoleCode> = Vec::new();
    for step in &process.steps {
        roles.push(&step.owner);
        roles.extend(step.approvals.iter().flat_map(|a| a.roles()));
        roles.extend(step.escalations.iter().map(|e| &e.to));
    }
    roles.extend(process.fields.iter().filter_map(|f| f.filled_by.as_ref()));
    roles.extend(process.repeats.iter().map(|r| &r.owner));
    roles
}

/// Who may record (or change) a field of a case raised by `requester`: the role the standard
/// has fill it in during the case, else the requester; and the director. (The calendar asks
/// it to know which dates a viewer may drag to another day.)
pub fn may_record_field(
    actor: &Actor,
    process: &Process,
    field: &Field,
    requester: UserId,
) -> bool {
    holds(actor, DIRECTOR)
        || match later_filler(process, field) {
            Some(role) => holds(actor, role.as_str()),
            None => requester == actor.user,
        }
}

/// Whether the actor holds an office role serving `function` (the function's board is
/// theirs), or is the director.
pub fn serves_function(catalog: &Catalog, actor: &Actor, function: &str) -> bool {
    holds(actor, DIRECTOR)
        || actor.roles.iter().any(|r| {
            catalog
                .role(r.as_str())
                .is_some_and(|role| role.kind == RoleKind::Office && role.serves(function))
        })
}

/// Who may set a board's work-in-progress limits: an administrator, the director (who leads
/// every function), or the lead the standard names for the function — an office role serving
/// it whose code ends in `_lead` or `_supervisor` (the IT lead, the emergency lead, the
/// logistics supervisor).
pub fn may_set_wip_limits(
    catalog: &Catalog,
    actor: &Actor,
    administrator: bool,
    function: &str,
) -> bool {
    administrator
        || holds(actor, DIRECTOR)
        || actor.roles.iter().any(|r| {
            (r.as_str().ends_with("_lead") || r.as_str().ends_with("_supervisor"))
                && catalog
                    .role(r.as_str())
                    .is_some_and(|role| role.kind == RoleKind::Office && role.serves(function))
        })
}

/// Who may see a case: its requester, anyone it is assigned to, the office roles of its
/// function, any role that works in its process (the department head who signs a loan), and
/// the director.
pub fn may_view(actor: &Actor, case: &Case, process: &ProcessRef) -> bool {
    case.requester.id == actor.user
        || case.steps.iter().any(|s| s.assignee == Some(actor.user))
        || sees_process(actor, process)
}

/// Whether the actor sees every case of the process (an office role of its function, a role
/// working in it, the director), whoever raised it: the part of [`may_view`] that does not
/// depend on the case, so lists read from rows (the calendar) can check it once per process.
pub fn sees_process(actor: &Actor, process: &ProcessRef) -> bool {
    serves_function(process.catalog, actor, process.process.function.as_str())
        || roles_of(process.process)
            .into_iter()
            .any(|r| holds(actor, r.as_str()))
}

/// Whether the actor owns the instance of `step` under way: holds its owner role or it is
/// assigned to them.
fn owns_step(actor: &Actor, case: &Case, step: &str) -> bool {
    case.steps
        .iter()
        .filter(|s| s.is_active() && s.step == step)
        .any(|s| s.assignee == Some(actor.user) || holds(actor, s.owner.as_str()))
}

/// Whether the actor owns any step under way.
fn owns_a_current_step(actor: &Actor, case: &Case) -> bool {
    case.active()
        .any(|(_, s)| s.assignee == Some(actor.user) || holds(actor, s.owner.as_str()))
}

/// Who may run `command` on `case`: the policy, per operation.
///
/// - the work of a step (tick, record an output, complete it): its owner role or assignee;
/// - approve: the approving role (the domain checks the role is one the step asks for);
/// - return, reassign: the step's owner role (the current one for a return) or the director;
/// - cancel: the requester, the owner of a step under way, or the director;
/// - close: the owner of a step under way, or the director;
/// - record fields: whoever fills each field (the requester for the form's own fields);
/// - flag an anomaly: anyone working in the process, or the director;
/// - record a repetition: the repeat's owner role, or the director;
/// - record escalations: the scheduler (the system), or the director;
/// - comment: anyone who may see the case.
pub fn may_apply(actor: &Actor, case: &Case, process: &ProcessRef, command: &Command) -> bool {
    if !may_view(actor, case, process) && actor.user != UserId::SYSTEM {
        return false;
    }
    let director = holds(actor, DIRECTOR);
    match command {
        Command::CompleteStep { step }
        | Command::TickChecklist { step, .. }
        | Command::RecordOutput { step, .. } => owns_step(actor, case, step.as_str()),
        Command::Approve { role, .. } => holds(actor, role.as_str()),
        Command::ReturnTo { .. } => director || owns_a_current_step(actor, case),
        Command::Reassign { step, .. } => {
            director
                || process
                    .process
                    .step(step.as_str())
                    .is_some_and(|s| holds(actor, s.owner.as_str()))
        }
        Command::Cancel { .. } => {
            director || case.requester.id == actor.user || owns_a_current_step(actor, case)
        }
        Command::Close { .. } => director || owns_a_current_step(actor, case),
        Command::RecordFields { values } => values.keys().all(|code| {
            match process.process.field(code) {
                Some(field) => may_record_field(actor, process.process, field, case.requester.id),
                // Unknown fields are the domain's to refuse, with their reason.
                None => true,
            }
        }),
        Command::FlagAnomaly { .. } => {
            director
                || roles_of(process.process)
                    .into_iter()
                    .any(|r| holds(actor, r.as_str()))
        }
        Command::RecordRepeat { key, .. } => {
            let code = key.split(':').next().unwrap_or_default();
            director
                || process
                    .process
                    .repeats
                    .iter()
                    .any(|r| r.code == code && holds(actor, r.owner.as_str()))
        }
        Command::RecordEscalations => director || actor.user == UserId::SYSTEM,
        Command::Comment { .. } => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::StepCode;
    use crate::domain::workflow::test_support::{catalog, raise_case, run};
    use crate::domain::workflow::Verdict;

    fn actor(id: i64, roles: &[&str]) -> Actor {
        Actor::new(id, format!("user {id}"), roles)
    }

    #[test]
    fn work_in_progress_limits_are_set_by_a_functions_lead_the_director_or_an_administrator() {
        let c = catalog();
        assert!(may_set_wip_limits(c, &actor(1, &["it_lead"]), false, "it"));
        assert!(!may_set_wip_limits(
            c,
            &actor(1, &["it_lead"]),
            false,
            "documents"
        ));
        assert!(may_set_wip_limits(
            c,
            &actor(2, &["logistics_supervisor"]),
            false,
            "logistics"
        ));
        assert!(may_set_wip_limits(
            c,
            &actor(3, &["director"]),
            false,
            "documents"
        ));
        assert!(!may_set_wip_limits(
            c,
            &actor(4, &["document_clerk"]),
            false,
            "documents"
        ));
        assert!(!may_set_wip_limits(
            c,
            &actor(5, &["department_head"]),
            false,
            "documents"
        ));
        assert!(may_set_wip_limits(
            c,
            &actor(6, &["employee"]),
            true,
            "documents"
        ));
    }

    fn incoming() -> Case {
        let now = crate::domain::workflow::test_support::at("2025-09-30T10:30:00+08:00");
        raise_case(
            "incoming_document",
            now,
            crate::domain::workflow::test_support::form(&[
                ("received_at", "2025-09-30T10:00"),
                ("issuer", "甲"),
                ("title", "乙"),
            ]),
        )
        .case
    }

    fn pref() -> ProcessRef<'static> {
        ProcessRef::find(catalog(), "incoming_document").unwrap()
    }

    #[test]
    fn the_table_is_sorted_and_has_no_duplicates() {
        let names: Vec<&str> = ENDPOINTS.iter().map(|(e, _)| *e).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(names, sorted);
    }

    #[test]
    fn anonymous_callers_reach_only_public_endpoints() {
        let anonymous = Caller::Anonymous;
        assert_eq!(anonymous.may_call(Access::Public), Ok(()));
        for a in [
            Access::SignedIn,
            Access::Cases,
            Access::Function,
            Access::Administrator,
        ] {
            assert_eq!(anonymous.may_call(a), Err(Denied::SignIn));
        }
        let clerk = Caller::User {
            actor: actor(2, &["document_clerk"]),
            administrator: false,
        };
        assert_eq!(
            clerk.may_call(Access::Administrator),
            Err(Denied::NotAllowed)
        );
        assert_eq!(clerk.may_call(Access::Cases), Ok(()));
    }

    #[test]
    fn a_step_is_worked_by_its_owner_role_or_its_assignee_only() {
        let case = incoming();
        let p = pref();
        let complete = Command::CompleteStep {
            step: StepCode::new("sign_and_number"),
        };
        assert!(may_apply(
            &actor(2, &["document_clerk"]),
            &case,
            &p,
            &complete
        ));
        assert!(!may_apply(&actor(3, &["archivist"]), &case, &p, &complete));
        assert!(!may_apply(&actor(4, &["director"]), &case, &p, &complete));
        // The requester (user 7) may see it and comment, not complete.
        let requester = actor(7, &["employee"]);
        assert!(may_view(&requester, &case, &p));
        assert!(!may_apply(&requester, &case, &p, &complete));
        let comment = Command::Comment {
            step: None,
            text: "请尽快".into(),
        };
        assert!(may_apply(&requester, &case, &p, &comment));
        // Someone of another function sees nothing of it.
        let other = actor(9, &["logistics_supervisor"]);
        assert!(!may_view(&other, &case, &p));
        assert!(!may_apply(&other, &case, &p, &comment));

        let assigned = run(
            &case,
            case.created_at,
            &actor(2, &["document_clerk"]),
            Command::Reassign {
                step: StepCode::new("sign_and_number"),
                assignee: Some(UserId(9)),
            },
        )
        .case;
        assert!(may_apply(&other, &assigned, &p, &complete));
    }

    #[test]
    fn return_reassign_cancel_and_close_belong_to_the_owner_or_the_director() {
        let case = incoming();
        let p = pref();
        let director = actor(1, &["director"]);
        let clerk = actor(2, &["document_clerk"]);
        let requester = actor(7, &["employee"]);
        let cancel = Command::Cancel {
            reason: "撤回".into(),
        };
        let reassign = Command::Reassign {
            step: StepCode::new("sign_and_number"),
            assignee: None,
        };
        for who in [&director, &clerk] {
            assert!(may_apply(who, &case, &p, &reassign));
            assert!(may_apply(who, &case, &p, &cancel));
        }
        assert!(!may_apply(&requester, &case, &p, &reassign));
        assert!(
            may_apply(&requester, &case, &p, &cancel),
            "the requester withdraws"
        );
        let approve = Command::Approve {
            step: StepCode::new("sign_and_number"),
            role: RoleCode::new("director"),
            verdict: Verdict::Approve,
            comment: None,
        };
        assert!(may_apply(&director, &case, &p, &approve));
        assert!(!may_apply(&clerk, &case, &p, &approve));
        assert!(!may_apply(&clerk, &case, &p, &Command::RecordEscalations));
        assert!(may_apply(
            &Actor::system(),
            &case,
            &p,
            &Command::RecordEscalations
        ));
    }
}
