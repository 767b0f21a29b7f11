//! The demo office's cases, created once at the first start of an empty database (with the
//! demo people): for every process someone raises, one case done, one overdue, one due soon
//! and one just raised, each raised and worked by the demo person holding the role, at
//! instants in the past so that deadlines, escalations and the audit trail look lived-in.
//! The scheduler adds the recurring obligations of the period. Last month also has a run of
//! paid expense claims, so that the monthly reimbursement summary has frequent and abnormal
//! items to flag.

use std::collections::HashMap;

use app::domain::calendar::{BusinessCalendar, Measure, SlaState};
use app::domain::catalog::{Catalog, FieldCode, Process, RoleCode, StepCode};
use app::domain::people::Person;
use app::domain::workflow::form_validate::later_filler;
use app::domain::workflow::samples::sample;
use app::domain::workflow::{Actor, CaseView, Command, FormInput, OutputValue, Verdict};
use app::error::AppError;
use app::ports::{NewCase, Ports};
use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};

/// What a demo case should look like today.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Plan {
    /// Raised three weeks ago and walked to the end.
    Done,
    /// Raised two weeks ago, first step done, the next one long overdue.
    Overdue,
    /// Raised so that its first step is due within the "due soon" window now.
    DueSoon,
    /// Raised an hour ago.
    Fresh,
}

/// The hours finished demo cases take per step, in turn.
const DONE_PACE_HOURS: [i64; 8] = [2, 1, 3, 26, 2, 5, 2, 50];

const PLANS: [Plan; 4] = [Plan::Done, Plan::Overdue, Plan::DueSoon, Plan::Fresh];

const DEPARTMENTS: [&str; 4] = ["市场部", "研发中心", "财务部", "客户服务部"];

/// Who does what in the demo: the person holding each role.
struct Cast {
    by_role: HashMap<RoleCode, Actor>,
    fallback: Actor,
}

impl Cast {
    fn new(people: &[Person]) -> Option<Cast> {
        let mut by_role = HashMap::new();
        for person in people.iter().filter(|p| p.active) {
            for role in &person.roles {
                by_role
                    .entry(role.clone())
                    .or_insert_with(|| person.actor());
            }
        }
        let fallback = by_role.get(&RoleCode::new("employee"))?.clone();
        Some(Cast { by_role, fallback })
    }

    fn of(&self, role: &RoleCode) -> &Actor {
        self.by_role.get(role).unwrap_or(&self.fallback)
    }
}

/// Creates the demo cases; answers how many. Nothing is created without the demo people.
pub async fn seed_demo_cases(ports: &Ports, now: DateTime<Utc>) -> Result<usize, AppError> {
    let people = ports.people.people().await?;
    let Some(cast) = Cast::new(&people) else {
        return Ok(0);
    };
    let catalog = ports.catalog.current().await?;
    let calendar = ports.calendar.calendar().await?;
    let mut created = 0;
    let requested = catalog
        .catalog
        .processes
        .iter()
        .filter(|p| p.raised_by.is_some());
    for (n, process) in requested.enumerate() {
        for (k, plan) in PLANS.into_iter().enumerate() {
            let department = DEPARTMENTS[(n + k) % DEPARTMENTS.len()];
            match seed_one(
                ports,
                &cast,
                &catalog.catalog,
                &calendar,
                process,
                plan,
                department,
                now,
            )
            .await
            {
                Ok(()) => created += 1,
                Err(error) => {
                    tracing::warn!(process = %process.code, ?plan, %error, "a demo case was not created")
                }
            }
        }
    }
    match seed_claims(ports, &cast, &catalog.catalog, &calendar, now).await {
        Ok(n) => created += n,
        Err(error) => tracing::warn!(%error, "the demo claims were not created"),
    }
    // The recurring obligations of the period, as the scheduler would raise them (some
    // functions have no other process), with the escalations already due.
    created += ports.cases.raise_due_obligations(now).await?.len();
    ports.cases.record_due_escalations(now).await?;
    Ok(created)
}

/// When to raise a case so that its first step is due soon at `now`: the latest of a few
/// candidate instants (hours back) at which the first step's SLA reads "due soon".
fn due_soon_raise_at(
    process: &Process,
    calendar: &BusinessCalendar,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    let Some(step) = process.steps.first() else {
        return now;
    };
    let Some(rule) = &step.deadline else {
        return now - Duration::hours(2);
    };
    for hours in (1..24 * 15).step_by(1) {
        let at = now - Duration::hours(hours);
        let due = calendar.due(rule, at).at;
        let sla = calendar.sla_measured(Measure::of_rule(rule), at, due, now);
        if sla.state == SlaState::DueSoon {
            return at;
        }
        if sla.state == SlaState::Overdue {
            break;
        }
    }
    now - Duration::hours(1)
}

fn title(process: &Process, department: &str, plan: Plan) -> String {
    let what = match plan {
        Plan::Done => "已办结",
        Plan::Overdue => "跟进中",
        Plan::DueSoon => "待办理",
        Plan::Fresh => "新提交",
    };
    format!("{}({department} · {what})", process.name.zh)
}

#[allow(clippy::too_many_arguments)]
async fn seed_one(
    ports: &Ports,
    cast: &Cast,
    catalog: &Catalog,
    calendar: &BusinessCalendar,
    process: &Process,
    plan: Plan,
    department: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    // Finished cases are spread over three weeks, so the dashboard's trend has a shape.
    let spread = (process.code.as_str().len() % 3) as i64;
    let raised_at = match plan {
        Plan::Done => now - Duration::days(21 - spread * 5),
        Plan::Overdue => now - Duration::days(14),
        Plan::DueSoon => due_soon_raise_at(process, calendar, now),
        Plan::Fresh => now - Duration::hours(1),
    };
    let requester = process
        .raised_by
        .as_ref()
        .map_or(&cast.fallback, |role| cast.of(role));
    let form: FormInput = process
        .fields
        .iter()
        .filter(|f| later_filler(process, f).is_none())
        .map(|f| (f.code.to_string(), sample(f, raised_at)))
        .collect();
    let request = NewCase {
        process: process.code.to_string(),
        title: title(process, department, plan),
        department: Some(department.to_string()),
        form,
    };
    let mut view = ports.cases.raise(request, requester, raised_at).await?;
    let steps_to_finish = match plan {
        Plan::Done => usize::MAX,
        Plan::Overdue => 1,
        Plan::DueSoon | Plan::Fresh => 0,
    };
    let mut at = raised_at;
    for i in 0..steps_to_finish.min(4 * process.steps.len() + 4) {
        let Some(step) = view.case.active().next().map(|(_, s)| s.step.clone()) else {
            break;
        };
        // Two hours a step, but finished cases take their steps at an uneven pace (some
        // beyond the step's limit), as offices do: the dashboard then has late steps to show.
        let pace = match plan {
            Plan::Done => {
                DONE_PACE_HOURS[(process.code.as_str().len() + i) % DONE_PACE_HOURS.len()]
            }
            _ => 2,
        };
        at = (at + Duration::hours(pace)).min(now - Duration::minutes(30));
        view = finish_step(ports, cast, catalog, process, view, &step, at).await?;
    }
    Ok(())
}

async fn run(
    ports: &Ports,
    view: CaseView,
    command: Command,
    by: &Actor,
    at: DateTime<Utc>,
) -> Result<CaseView, AppError> {
    ports
        .cases
        .apply(view.case.id, view.case.version, command, by, at)
        .await
}

/// Does a step's work as the people who do it (fields, checklist, outputs, approvals) and
/// completes it.
async fn finish_step(
    ports: &Ports,
    cast: &Cast,
    catalog: &Catalog,
    process: &Process,
    mut view: CaseView,
    code: &StepCode,
    at: DateTime<Utc>,
) -> Result<CaseView, AppError> {
    let Some(step) = process.step(code.as_str()) else {
        return Ok(view);
    };
    let owner = cast.of(&step.owner).clone();
    let missing: Vec<&FieldCode> = process
        .fields
        .iter()
        .filter(|f| later_filler(process, f) == Some(&step.owner))
        .filter(|f| !view.case.values.contains_key(&f.code))
        .map(|f| &f.code)
        .collect();
    if !missing.is_empty() {
        let values: FormInput = process
            .fields
            .iter()
            .filter(|f| missing.contains(&&f.code))
            .map(|f| (f.code.to_string(), sample(f, at)))
            .collect();
        view = run(ports, view, Command::RecordFields { values }, &owner, at).await?;
        if view.case.active_instance(code).is_none() {
            return Ok(view);
        }
    }
    for item in 0..step.checklist.len() {
        let tick = Command::TickChecklist {
            step: code.clone(),
            item,
            ticked: true,
        };
        view = run(ports, view, tick, &owner, at).await?;
    }
    for output in &step.outputs {
        let name = catalog
            .outputs
            .iter()
            .find(|o| o.code == output.output)
            .map_or_else(|| output.output.to_string(), |o| o.name.zh.clone());
        let record = Command::RecordOutput {
            step: code.clone(),
            output: output.output.clone(),
            value: OutputValue::Form(format!("{name}(演示内容)")),
        };
        view = run(ports, view, record, &owner, at).await?;
    }
    for role in step.approvals.iter().flat_map(|a| a.roles().to_vec()) {
        let approve = Command::Approve {
            step: code.clone(),
            role: role.clone(),
            verdict: Verdict::Approve,
            comment: Some("同意。".into()),
        };
        let approver = cast.of(&role).clone();
        view = run(ports, view, approve, &approver, at).await?;
    }
    run(
        ports,
        view,
        Command::CompleteStep { step: code.clone() },
        &owner,
        at + Duration::minutes(30),
    )
    .await
}

/// Last month's paid claims: (day of the month, claimant, department, reason, amount). 王芳
/// claims three times (once the same trip twice), 出租车费 comes back three times, and one
/// reception dinner is far above the month's median.
const CLAIMS: [(u32, &str, &str, &str, &str); 9] = [
    (3, "王芳", "市场部", "客户拜访差旅费", "860.00"),
    (4, "李强", "研发中心", "技术书籍", "298.00"),
    (6, "陈静", "财务部", "办公用品", "145.00"),
    (9, "王芳", "市场部", "客户拜访差旅费", "860.00"),
    (11, "赵磊", "客户服务部", "客户接待餐费", "6800.00"),
    (15, "王芳", "市场部", "出租车费", "126.50"),
    (18, "刘洋", "研发中心", "出租车费", "88.00"),
    (22, "周敏", "客户服务部", "出租车费", "64.00"),
    (24, "孙浩", "市场部", "会议场地费", "800.00"),
];

/// Raises last month's claims and walks each to its payment; answers how many.
async fn seed_claims(
    ports: &Ports,
    cast: &Cast,
    catalog: &Catalog,
    calendar: &BusinessCalendar,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let Some(process) = catalog.process("reimbursement") else {
        return Ok(0);
    };
    let zone = calendar.settings().time_zone;
    let today = now.with_timezone(&zone).date_naive();
    let Some(first) = today
        .with_day(1)
        .and_then(|d| d.checked_sub_months(chrono::Months::new(1)))
    else {
        return Ok(0);
    };
    let requester = process
        .raised_by
        .as_ref()
        .map_or(&cast.fallback, |role| cast.of(role));
    let mut created = 0;
    for (day, claimant, department, reason, amount) in CLAIMS {
        let Some(raised_at) = first
            .with_day(day)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .and_then(|t| zone.from_local_datetime(&t).earliest())
            .map(|t| t.with_timezone(&Utc))
        else {
            continue;
        };
        let mut form: FormInput = process
            .fields
            .iter()
            .filter(|f| later_filler(process, f).is_none())
            .map(|f| (f.code.to_string(), sample(f, raised_at)))
            .collect();
        for (field, value) in [
            ("claimant", claimant),
            ("department", department),
            ("reason", reason),
            ("amount", amount),
        ] {
            form.insert(field.to_string(), value.into());
        }
        let request = NewCase {
            process: process.code.to_string(),
            title: format!("报销:{reason}({claimant})"),
            department: Some(department.to_string()),
            form,
        };
        let mut view = ports.cases.raise(request, requester, raised_at).await?;
        let mut at = raised_at;
        for _ in 0..4 * process.steps.len() + 4 {
            let Some(step) = view.case.active().next().map(|(_, s)| s.step.clone()) else {
                break;
            };
            at += Duration::hours(1);
            view = finish_step(ports, cast, catalog, process, view, &step, at).await?;
        }
        created += 1;
    }
    Ok(created)
}
