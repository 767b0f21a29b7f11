//! The generated reports' rows: the collaboration cases of a week, the reimbursement ledger's
//! rows of a month, and a month's late completions and overdue steps; the domain writes the
//! reports ([`app::domain::workflow::reports`]).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use app::domain::catalog::CatalogVersion;
use app::domain::people::policy::serves_function;
use app::domain::workflow::reports::briefing::{self, BriefingInput};
use app::domain::workflow::reports::overdue::{self, LateStep, OverdueInput, StillOpen};
use app::domain::workflow::reports::{
    assemble, reimbursements, same, Report, ReportKind, ReportQuery,
};
use app::domain::workflow::step_facts::{OpenStep, StepDone};
use app::domain::workflow::{Actor, CaseStatus};
use app::error::AppError;
use app::ports::CaseStore;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::Condition;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::case_repo::{read_case, SeaOrmCaseStore};
use super::case_rows::status_code;
use super::case_stats::{day_start, local_day, measure_of, steps_under_way, version_cached};
use super::entities::{
    case as row, step_completion as completion, step_instance as instance, user,
};
use super::to_app_error;

impl SeaOrmCaseStore {
    /// Everyone's name by id.
    async fn user_names(&self) -> Result<Vec<(i64, String)>, AppError> {
        user::Entity::find()
            .select_only()
            .columns([user::Column::Id, user::Column::Name])
            .into_tuple::<(i64, String)>()
            .all(&self.db)
            .await
            .map_err(to_app_error)
    }

    /// The report `query` asks for, as `viewer` may read it, generated at `now`.
    pub(super) async fn report_of(
        &self,
        viewer: &Actor,
        query: &ReportQuery,
        now: DateTime<Utc>,
    ) -> Result<Report, AppError> {
        let current = self.catalog.current().await?;
        let calendar = self.calendar.calendar().await?;
        let zone = calendar.settings().time_zone;
        let catalog = &current.catalog;
        let functions: Vec<String> = match query.kind.function() {
            Some(function) => vec![function.to_string()],
            None => catalog
                .functions
                .iter()
                .map(|f| f.code.to_string())
                .collect(),
        };
        let functions: Vec<String> = functions
            .into_iter()
            .filter(|f| catalog.function(f).is_some() && serves_function(catalog, viewer, f))
            .collect();
        if functions.is_empty() {
            return Err(AppError::Forbidden);
        }
        let today = local_day(now, zone);
        let period = query
            .period(today)
            .map_err(|fields| AppError::Invalid { fields })?;
        let start = day_start(period.from, zone);
        let end = day_start(period.to + Duration::days(1), zone);
        let generated_at = now
            .with_timezone(&zone)
            .format("%Y-%m-%d %H:%M")
            .to_string();

        let body = match query.kind {
            ReportKind::Briefing => {
                let models = row::Entity::find()
                    .filter(row::Column::Process.eq(briefing::PROCESS))
                    .filter(row::Column::CreatedAt.lt(end))
                    .filter(
                        Condition::any()
                            .add(row::Column::Status.eq(status_code(CaseStatus::Open)))
                            .add(row::Column::ClosedAt.gte(start))
                            .add(row::Column::UpdatedAt.gte(start)),
                    )
                    .all(&self.db)
                    .await
                    .map_err(to_app_error)?;
                let mut versions: HashMap<i32, Arc<CatalogVersion>> = HashMap::new();
                let mut cases = Vec::with_capacity(models.len());
                for model in &models {
                    let case = read_case(model)?;
                    let version =
                        version_cached(self.catalog.as_ref(), &mut versions, model.catalog_version)
                            .await?;
                    if let Some(process) = version.catalog.process(case.process.as_str()) {
                        let process = process.clone();
                        cases.push((case, process));
                    }
                }
                let names: BTreeMap<i64, String> = self.user_names().await?.into_iter().collect();
                briefing::report_body(&BriefingInput {
                    catalog,
                    calendar: &calendar,
                    now,
                    from: period.from,
                    to: period.to,
                    cases: &cases,
                    names: &names,
                })
            }
            ReportKind::Reimbursements => {
                let entries = self
                    .ledger_entries(reimbursements::LEDGER, viewer, Some(start), Some(end), None)
                    .await?;
                let claims = reimbursements::claims(&entries, zone, period.from, period.to);
                reimbursements::report_body(&claims)
            }
            ReportKind::Overdue => {
                let (counts, late, open) = self
                    .overdue_rows(&functions, period.from, period.to, end)
                    .await?;
                overdue::report_body(&OverdueInput {
                    catalog,
                    calendar: &calendar,
                    now,
                    to: period.to,
                    functions: &functions,
                    counts: &counts,
                    late: &late,
                    open: &open,
                })
            }
        };
        Ok(assemble(query.kind, period, today, generated_at, body))
    }

    /// A month's completions counted per function and verdict, its late completions with
    /// their cases' titles, and the steps under way that were due before `end`.
    #[allow(clippy::type_complexity)]
    async fn overdue_rows(
        &self,
        functions: &[String],
        from: NaiveDate,
        to: NaiveDate,
        end: DateTime<Utc>,
    ) -> Result<
        (
            Vec<(String, Option<bool>, u32)>,
            Vec<LateStep>,
            Vec<StillOpen>,
        ),
        AppError,
    > {
        let day_text = |day: NaiveDate| day.format("%Y-%m-%d").to_string();
        let counted: Vec<(String, Option<bool>, i64)> = completion::Entity::find()
            .select_only()
            .column(completion::Column::Function)
            .column(completion::Column::OnTime)
            .column_as(completion::Column::Seq.count(), "n")
            .filter(completion::Column::Day.gte(day_text(from)))
            .filter(completion::Column::Day.lte(day_text(to)))
            .filter(completion::Column::Function.is_in(functions.to_vec()))
            .group_by(completion::Column::Function)
            .group_by(completion::Column::OnTime)
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(to_app_error)?;
        let counts = counted
            .into_iter()
            .map(|(f, on_time, n)| (f, on_time, u32::try_from(n).unwrap_or(0)))
            .collect();

        let late: Vec<completion::Model> = completion::Entity::find()
            .filter(completion::Column::Day.gte(day_text(from)))
            .filter(completion::Column::Day.lte(day_text(to)))
            .filter(completion::Column::Function.is_in(functions.to_vec()))
            .filter(completion::Column::OnTime.eq(false))
            .all(&self.db)
            .await
            .map_err(to_app_error)?;
        let mut ids: Vec<i64> = late.iter().map(|l| l.case_id).collect();

        let under_way: Vec<(
            i64,
            String,
            String,
            i32,
            String,
            String,
            Option<i64>,
            DateTime<Utc>,
            Option<DateTime<Utc>>,
        )> = steps_under_way(functions.to_vec())
            .column(instance::Column::CaseId)
            .column(row::Column::Function)
            .column(row::Column::Process)
            .column(row::Column::CatalogVersion)
            .column(instance::Column::Step)
            .column(instance::Column::OwnerRole)
            .column(instance::Column::AssigneeId)
            .column(instance::Column::ActivatedAt)
            .column(instance::Column::DueAt)
            .filter(instance::Column::DueAt.lt(end))
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(to_app_error)?;
        ids.extend(under_way.iter().map(|u| u.0));
        ids.sort_unstable();
        ids.dedup();
        let mut titles: HashMap<i64, String> = HashMap::new();
        for chunk in ids.chunks(500) {
            let found: Vec<(i64, String)> = row::Entity::find()
                .select_only()
                .columns([row::Column::Id, row::Column::Title])
                .filter(row::Column::Id.is_in(chunk.to_vec()))
                .into_tuple()
                .all(&self.db)
                .await
                .map_err(to_app_error)?;
            titles.extend(found);
        }
        let names: HashMap<i64, String> = self.user_names().await?.into_iter().collect();
        let title = |id: i64| titles.get(&id).cloned().unwrap_or_default();

        let late = late
            .into_iter()
            .filter_map(|l| {
                Some(LateStep {
                    title: title(l.case_id),
                    done: StepDone {
                        case_id: l.case_id,
                        seq: u32::try_from(l.seq).unwrap_or(0),
                        day: NaiveDate::parse_from_str(&l.day, "%Y-%m-%d").ok()?,
                        function: l.function,
                        process: l.process,
                        step: l.step,
                        elapsed_minutes: u32::try_from(l.elapsed_minutes).unwrap_or(0),
                        allowed_minutes: l.allowed_minutes.map(|a| u32::try_from(a).unwrap_or(0)),
                        on_time: l.on_time,
                    },
                })
            })
            .collect();

        let mut versions: HashMap<i32, Arc<CatalogVersion>> = HashMap::new();
        let mut open = Vec::with_capacity(under_way.len());
        for (case, function, process, version, step, owner, assignee, activated_at, due_at) in
            under_way
        {
            let catalog_version =
                version_cached(self.catalog.as_ref(), &mut versions, version).await?;
            let catalog = &catalog_version.catalog;
            let measure = measure_of(catalog, &process, &step);
            let holder = assignee
                .and_then(|a| names.get(&a).cloned())
                .map(same)
                .or_else(|| catalog.role(&owner).map(|r| r.name.clone()))
                .unwrap_or_else(|| same(owner));
            open.push(StillOpen {
                case,
                title: title(case),
                step: OpenStep {
                    function,
                    process,
                    step,
                    activated_at,
                    due_at,
                    measure,
                },
                holder,
            });
        }
        Ok((counts, late, open))
    }
}
