//! What the API sends about cases: the case itself with the names and times the UI shows
//! (process and step names, owners, due instants as RFC 3339 in the organisation's zone).

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::activation::current_step;
use super::case::{Case, CaseStatus, StepInstance};
use super::context::ProcessRef;
use super::form::instant_text;
use crate::domain::catalog::StepCode;
use crate::domain::lang::Text;

/// One step instance of a case, with its words.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepView {
    /// Its position in `case.steps`.
    pub index: usize,
    pub step: StepCode,
    pub name: Text,
    pub round: u32,
    pub owner: String,
    pub owner_name: Text,
    pub active: bool,
    pub due_at: Option<String>,
    pub opens_at: Option<String>,
    pub due_provisional: bool,
    pub completed_at: Option<String>,
}

/// A case as the API answers it: the whole case, and the words to show it with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseView {
    pub case: Case,
    pub function: String,
    pub process_name: Text,
    pub steps: Vec<StepView>,
    /// The in-order step under way (else the first instance under way), if any.
    pub current: Option<usize>,
    pub created_at: String,
    pub updated_at: String,
    pub closed_at: Option<String>,
}

/// A line of a list of cases.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub id: i64,
    pub process: String,
    pub process_name: Text,
    pub function: String,
    pub title: String,
    pub requester: String,
    pub department: Option<String>,
    pub status: CaseStatus,
    pub current_step: Option<StepView>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// The instance a board shows the case under: the in-order step under way, else the first
/// step under way (one raised by an anomaly).
pub fn current_instance(case: &Case, process: &ProcessRef) -> Option<usize> {
    current_step(case, process.process).or_else(|| case.active().next().map(|(i, _)| i))
}

fn step_view(index: usize, inst: &StepInstance, process: &ProcessRef, zone: Tz) -> StepView {
    let name = process
        .process
        .step(inst.step.as_str())
        .map(|s| s.name.clone())
        .unwrap_or_else(|| Text::new(inst.step.as_str(), inst.step.as_str()));
    StepView {
        index,
        step: inst.step.clone(),
        name,
        round: inst.round,
        owner: inst.owner.to_string(),
        owner_name: process.role_name(&inst.owner),
        active: inst.is_active(),
        due_at: inst.due.map(|d| instant_text(d.at, zone)),
        opens_at: inst
            .due
            .and_then(|d| d.opens_at)
            .map(|t| instant_text(t, zone)),
        due_provisional: inst.due.is_some_and(|d| d.provisional),
        completed_at: inst.completed_at.map(|t| instant_text(t, zone)),
    }
}

impl CaseView {
    pub fn new(case: Case, process: &ProcessRef, zone: Tz) -> CaseView {
        let steps = case
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| step_view(i, s, process, zone))
            .collect();
        CaseView {
            function: process.process.function.to_string(),
            process_name: process.process.name.clone(),
            steps,
            current: current_instance(&case, process),
            created_at: instant_text(case.created_at, zone),
            updated_at: instant_text(case.updated_at, zone),
            closed_at: case.closed_at.map(|t| instant_text(t, zone)),
            case,
        }
    }
}

impl CaseSummary {
    pub fn new(case: &Case, process: &ProcessRef, zone: Tz) -> CaseSummary {
        let current =
            current_instance(case, process).map(|i| step_view(i, &case.steps[i], process, zone));
        CaseSummary {
            id: case.id.0,
            process: case.process.to_string(),
            process_name: process.process.name.clone(),
            function: process.process.function.to_string(),
            title: case.title.clone(),
            requester: case.requester.name.clone(),
            department: case.department.clone(),
            status: case.status,
            current_step: current,
            version: case.version,
            created_at: instant_text(case.created_at, zone),
            updated_at: instant_text(case.updated_at, zone),
        }
    }
}
