//! Everything a card's drawer shows about a case, with the words to show it and what the
//! viewer may do: the form's values, the work of each step under way (checklist, outputs,
//! approvals, in-case repetitions, what still stands in the way of completing it), every
//! step's deadline, the comments and the audit history.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::audit::{AuditEntry, AuditKind};
use super::case::{Case, CaseStatus, OutputValue, StepInstance, StepOutcome, Verdict};
use super::command::Command;
use super::conditions::{evaluate, words};
use super::context::ProcessRef;
use super::form::{instant_text, FileRef};
use super::ids::Actor;
use super::policies::{completion_reasons, StepCheck};
use super::repeats::repeats_outstanding;
use crate::domain::calendar::{BusinessCalendar, Measure, SlaState};
use crate::domain::catalog::{Approval, OutputCode, RoleCode, StepCode};
use crate::domain::format::rfc3339_long;
use crate::domain::lang::{Lang, Text};
use crate::domain::people::policy::may_apply;
use crate::error::FieldError;

/// A case as its drawer shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseDetail {
    pub id: i64,
    pub version: i64,
    pub function: String,
    pub process: String,
    pub process_name: Text,
    pub title: String,
    pub requester: String,
    pub department: Option<String>,
    pub status: CaseStatus,
    pub created_at: String,
    pub closed_at: Option<String>,
    /// The form's filled fields, in the process's order.
    pub fields: Vec<FieldLine>,
    /// The work of every step under way.
    pub work: Vec<StepWork>,
    /// Every step instance, oldest first, with its deadline and how it ended.
    pub steps: Vec<StepLine>,
    pub comments: Vec<CommentLine>,
    /// The audit trail, newest first.
    pub history: Vec<HistoryLine>,
    /// The viewer may comment (anyone who sees the case, while it is open).
    pub may_comment: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldLine {
    pub code: String,
    pub label: Text,
    pub value: String,
    /// When the field holds a file: download it from `/api/files/{id}`.
    pub file: Option<FileRef>,
}

/// One step under way: what its owner does and what is still missing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepWork {
    pub step: StepCode,
    pub name: Text,
    pub owner_name: Text,
    pub due_at: Option<String>,
    pub sla: Option<SlaState>,
    pub sla_words: Option<Text>,
    /// The viewer owns the step (ticks, records outputs, completes it).
    pub mine: bool,
    pub checklist: Vec<CheckItem>,
    pub outputs: Vec<OutputLine>,
    pub approvals: Vec<ApprovalLine>,
    pub repeats: Vec<RepeatLine>,
    /// Why the step cannot be completed yet (empty: it can).
    pub blockers: Vec<FieldError>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckItem {
    /// 0-based, as `TickChecklist` takes it.
    pub index: usize,
    pub text: Text,
    pub ticked: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutputLine {
    pub code: OutputCode,
    pub name: Text,
    /// What it must contain, when the standard says.
    pub contents: Option<Text>,
    /// Needed now (unconditional, or its condition holds).
    pub needed: bool,
    /// The condition it is needed under, in words.
    pub condition: Option<Text>,
    pub recorded: Option<Recorded>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    /// The form's text, when it was filled in.
    pub text: Option<String>,
    /// The file, when one was attached.
    pub file: Option<FileRef>,
    pub by: String,
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApprovalLine {
    pub role: RoleCode,
    pub role_name: Text,
    /// Needed now (a conditional sign-off only when its condition holds).
    pub needed: bool,
    pub condition: Option<Text>,
    /// The role's last verdict on this step, with who gave it and when.
    pub verdict: Option<Verdict>,
    pub by: Option<String>,
    pub at: Option<String>,
    pub comment: Option<String>,
    /// The viewer holds the role and may sign.
    pub may_give: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RepeatLine {
    pub key: String,
    pub name: Text,
    pub owner_name: Text,
    pub due_at: String,
    pub overdue: bool,
    pub may_record: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepLine {
    pub name: Text,
    pub round: u32,
    pub owner_name: Text,
    pub due_at: Option<String>,
    /// The deadline counted a year without a published holiday arrangement: it may move.
    pub due_provisional: bool,
    pub active: bool,
    pub completed_at: Option<String>,
    pub completed_by: Option<String>,
    /// How it ended ("completed", "returned: reason" …); `None` while under way.
    pub outcome: Option<Text>,
    /// Under way and late (or, once done, done after its deadline).
    pub late: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommentLine {
    pub by: String,
    pub at: String,
    pub step_name: Option<Text>,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub at: String,
    pub by: String,
    pub kind: AuditKind,
    /// What happened, in words (with the step's name and the reason or note, if any).
    pub words: Text,
    pub version: i64,
}

/// Builds the drawer's view of `case` for `viewer` at `now`.
pub fn case_detail(
    case: &Case,
    process: &ProcessRef,
    audit: &[AuditEntry],
    viewer: &Actor,
    now: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> CaseDetail {
    let zone = calendar.settings().time_zone;
    let fields = process
        .process
        .fields
        .iter()
        .filter_map(|f| {
            let value = case.values.get(&f.code)?;
            let file = match value {
                super::form::FieldValue::Attachment(file) => Some(file.clone()),
                _ => None,
            };
            Some(FieldLine {
                code: f.code.to_string(),
                label: f.label.clone(),
                value: value.display(zone),
                file,
            })
        })
        .collect();
    let work = if case.is_open() {
        case.active()
            .map(|(_, inst)| step_work(case, process, inst, viewer, now, calendar))
            .collect()
    } else {
        Vec::new()
    };
    let step_name = |code: &StepCode| {
        process
            .process
            .step(code.as_str())
            .map(|s| s.name.clone())
            .unwrap_or_else(|| Text::new(code.as_str(), code.as_str()))
    };
    let steps = case
        .steps
        .iter()
        .map(|inst| {
            let done = inst.completed_at;
            let late = match (inst.due, done) {
                (Some(due), Some(at)) => at > due.at,
                (Some(due), None) => inst.is_active() && now > due.at,
                _ => false,
            };
            StepLine {
                name: step_name(&inst.step),
                round: inst.round,
                owner_name: process.role_name(&inst.owner),
                due_at: inst.due.map(|d| instant_text(d.at, zone)),
                due_provisional: inst.due.is_some_and(|d| d.provisional),
                active: inst.is_active(),
                completed_at: done.map(|t| instant_text(t, zone)),
                completed_by: inst.completed_by.as_ref().map(|u| u.name.clone()),
                outcome: inst.outcome.as_ref().map(outcome_words),
                late,
            }
        })
        .collect();
    let comments = case
        .comments
        .iter()
        .map(|c| CommentLine {
            by: c.by.name.clone(),
            at: instant_text(c.at, zone),
            step_name: c.step.as_ref().map(step_name),
            text: c.text.clone(),
        })
        .collect();
    let history = audit
        .iter()
        .rev()
        .map(|e| HistoryLine {
            at: instant_text(e.at, zone),
            by: e.actor.name.clone(),
            kind: e.kind,
            words: history_words(e, e.step.as_ref().map(step_name), process),
            version: e.version,
        })
        .collect();
    let comment = Command::Comment {
        step: None,
        text: String::new(),
    };
    CaseDetail {
        id: case.id.0,
        version: case.version,
        function: process.process.function.to_string(),
        process: case.process.to_string(),
        process_name: process.process.name.clone(),
        title: case.title.clone(),
        requester: case.requester.name.clone(),
        department: case.department.clone(),
        status: case.status,
        created_at: instant_text(case.created_at, zone),
        closed_at: case.closed_at.map(|t| instant_text(t, zone)),
        fields,
        work,
        steps,
        comments,
        history,
        may_comment: case.is_open() && may_apply(viewer, case, process, &comment),
    }
}

fn step_work(
    case: &Case,
    process: &ProcessRef,
    inst: &StepInstance,
    viewer: &Actor,
    now: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> StepWork {
    let zone = calendar.settings().time_zone;
    let def = process.process.step(inst.step.as_str());
    let tick = Command::TickChecklist {
        step: inst.step.clone(),
        item: 0,
        ticked: true,
    };
    let mine = may_apply(viewer, case, process, &tick);
    let measure = def
        .and_then(|d| d.deadline.as_ref())
        .map_or(Measure::WorkingTime, Measure::of_rule);
    let sla = inst
        .due
        .map(|d| calendar.sla_measured(measure, inst.activated_at, d.at, now));
    let holds = |when| evaluate(Some(when), process.process, &case.values).holds();
    let checklist = def.map_or_else(Vec::new, |d| {
        d.checklist
            .iter()
            .enumerate()
            .map(|(index, text)| CheckItem {
                index,
                text: text.clone(),
                ticked: inst.ticks.get(index).copied().unwrap_or(false),
            })
            .collect()
    });
    let outputs = def.map_or_else(Vec::new, |d| {
        d.outputs
            .iter()
            .map(|o| OutputLine {
                code: o.output.clone(),
                name: process.output_name(&o.output),
                contents: process
                    .catalog
                    .output(o.output.as_str())
                    .and_then(|out| out.contents.clone()),
                needed: o.when.as_ref().is_none_or(holds),
                condition: o.when.as_ref().map(|c| words(c, process.process)),
                recorded: inst.outputs.get(&o.output).map(|r| Recorded {
                    text: match &r.value {
                        OutputValue::Form(text) => Some(text.clone()),
                        OutputValue::File(_) => None,
                    },
                    file: match &r.value {
                        OutputValue::File(file) => Some(file.clone()),
                        OutputValue::Form(_) => None,
                    },
                    by: r.by.name.clone(),
                    at: instant_text(r.at, zone),
                }),
            })
            .collect()
    });
    let mut approvals: Vec<ApprovalLine> = Vec::new();
    for approval in def.map_or(&[][..], |d| &d.approvals[..]) {
        let (needed, condition) = match approval {
            Approval::Conditional { when, .. } => (holds(when), Some(words(when, process.process))),
            _ => (true, None),
        };
        for role in approval.roles() {
            if approvals.iter().any(|a| &a.role == role) {
                continue;
            }
            let given = inst.approvals.iter().rev().find(|a| &a.role == role);
            let approve = Command::Approve {
                step: inst.step.clone(),
                role: role.clone(),
                verdict: Verdict::Approve,
                comment: None,
            };
            approvals.push(ApprovalLine {
                role: role.clone(),
                role_name: process.role_name(role),
                needed,
                condition: condition.clone(),
                verdict: given.map(|a| a.verdict),
                by: given.map(|a| a.by.name.clone()),
                at: given.map(|a| instant_text(a.at, zone)),
                comment: given.and_then(|a| a.comment.clone()),
                may_give: needed && may_apply(viewer, case, process, &approve),
            });
        }
    }
    let repeats = repeats_outstanding(case, process.process, now, calendar)
        .into_iter()
        .filter(|r| r.step.as_ref() == Some(&inst.step))
        .map(|r| {
            let record = Command::RecordRepeat {
                key: r.key.clone(),
                note: String::new(),
            };
            RepeatLine {
                name: r.name.clone(),
                owner_name: process.role_name(&r.owner),
                due_at: instant_text(r.due_at, zone),
                overdue: r.due_at < now,
                may_record: may_apply(viewer, case, process, &record),
                key: r.key,
            }
        })
        .collect();
    let blockers = def.map_or_else(Vec::new, |step| {
        completion_reasons(&StepCheck {
            process: *process,
            case,
            step,
            instance: inst,
        })
    });
    StepWork {
        step: inst.step.clone(),
        name: def.map_or_else(
            || Text::new(inst.step.as_str(), inst.step.as_str()),
            |d| d.name.clone(),
        ),
        owner_name: process.role_name(&inst.owner),
        due_at: inst.due.map(|d| instant_text(d.at, zone)),
        sla: sla.map(|s| s.state),
        sla_words: sla.map(|s| Text::new(s.remaining.words(Lang::Zh), s.remaining.words(Lang::En))),
        mine,
        checklist,
        outputs,
        approvals,
        repeats,
        blockers,
    }
}

fn outcome_words(outcome: &StepOutcome) -> Text {
    match outcome {
        StepOutcome::Completed => Text::new("已完成", "Completed"),
        StepOutcome::Returned { reason } => {
            Text::new(format!("已退回:{reason}"), format!("Returned: {reason}"))
        }
        StepOutcome::Skipped => Text::new("不适用,已跳过", "Skipped (did not apply)"),
        StepOutcome::Cancelled => Text::new("已取消", "Cancelled"),
    }
}

/// A string member of an audit entry's detail.
fn said<'a>(entry: &'a AuditEntry, key: &str) -> Option<&'a str> {
    entry
        .detail
        .get(key)
        .and_then(|v| v.as_str())
        .filter(|s| !s.is_empty())
}

fn with_step(words: (&str, &str), step: &Option<Text>) -> Text {
    match step {
        Some(step) => Text::new(
            format!("{}:{}", words.0, step.zh),
            format!("{}: {}", words.1, step.en),
        ),
        None => Text::new(words.0, words.1),
    }
}

fn with_note(text: Text, note: Option<&str>) -> Text {
    match note {
        Some(note) => Text::new(
            format!("{}({note})", text.zh),
            format!("{} ({note})", text.en),
        ),
        None => text,
    }
}

/// What an audit entry records, in words.
pub fn history_words(entry: &AuditEntry, step: Option<Text>, process: &ProcessRef) -> Text {
    let reason = said(entry, "reason").filter(|r| *r != "condition_not_met");
    match entry.kind {
        AuditKind::Raised => Text::new("提交申请", "Raised the request"),
        AuditKind::StepActivated => {
            let recomputed = entry.detail.get("recomputed").is_some();
            let base = if recomputed {
                with_step(("重新计算期限", "Deadline recomputed"), &step)
            } else {
                with_step(("步骤开始", "Step started"), &step)
            };
            match said(entry, "due_at") {
                Some(due) => Text::new(
                    format!("{},期限 {}", base.zh, rfc3339_long(due, Lang::Zh)),
                    format!("{}, due {}", base.en, rfc3339_long(due, Lang::En)),
                ),
                None => base,
            }
        }
        AuditKind::StepCompleted => with_step(("完成步骤", "Completed"), &step),
        AuditKind::StepReturned => with_note(with_step(("退回", "Returned"), &step), reason),
        AuditKind::Skipped => with_step(("不适用,跳过", "Skipped (did not apply)"), &step),
        AuditKind::FieldsRecorded => Text::new("记录表单字段", "Recorded form fields"),
        AuditKind::Reassigned => with_step(("改派", "Reassigned"), &step),
        AuditKind::Commented => {
            with_note(with_step(("评论", "Commented"), &step), said(entry, "text"))
        }
        AuditKind::ChecklistTicked => {
            let item = entry
                .detail
                .get("item")
                .and_then(|v| v.as_u64())
                .unwrap_or(0);
            let ticked = entry.detail.get("ticked").and_then(|v| v.as_bool()) != Some(false);
            let (zh, en) = if ticked {
                (
                    format!("勾选清单第{item}项"),
                    format!("Ticked checklist item {item}"),
                )
            } else {
                (
                    format!("取消勾选清单第{item}项"),
                    format!("Unticked checklist item {item}"),
                )
            };
            with_step((&zh, &en), &step)
        }
        AuditKind::OutputRecorded => {
            let name = said(entry, "output")
                .map(|code| process.output_name(&OutputCode::new(code)))
                .unwrap_or_else(|| Text::new("输出", "an output"));
            with_step(
                (
                    &format!("记录{}", name.zh),
                    &format!("Recorded {}", name.en),
                ),
                &step,
            )
        }
        AuditKind::Approved | AuditKind::Rejected => {
            let role = said(entry, "role")
                .map(|code| process.role_name(&RoleCode::new(code)))
                .unwrap_or_else(|| Text::new("", ""));
            let (zh, en) = if entry.kind == AuditKind::Approved {
                (
                    format!("{}同意", role.zh),
                    format!("Approved as {}", role.en),
                )
            } else {
                (
                    format!("{}驳回", role.zh),
                    format!("Rejected as {}", role.en),
                )
            };
            with_note(with_step((&zh, &en), &step), said(entry, "comment"))
        }
        AuditKind::AnomalyFlagged => with_note(Text::new("报告异常", "Flagged an anomaly"), reason),
        AuditKind::Escalated => {
            let to = said(entry, "to")
                .map(|code| process.role_name(&RoleCode::new(code)))
                .unwrap_or_else(|| Text::new("", ""));
            with_step(
                (
                    &format!("升级至{}", to.zh),
                    &format!("Escalated to {}", to.en),
                ),
                &step,
            )
        }
        AuditKind::RepeatDone => with_note(
            with_step(("完成例行事项", "Repetition done"), &step),
            said(entry, "note"),
        ),
        AuditKind::Cancelled => with_note(Text::new("取消", "Cancelled"), reason),
        AuditKind::Closed => with_note(Text::new("办结", "Closed"), reason),
        AuditKind::WipLimitExceeded => {
            let count = entry
                .detail
                .get("count")
                .and_then(|v| v.as_u64())
                .unwrap_or(0);
            let limit = entry
                .detail
                .get("limit")
                .and_then(|v| v.as_u64())
                .unwrap_or(0);
            with_step(
                (
                    &format!("超出在制品上限移入({count}/{limit})"),
                    &format!("Moved in past the work-in-progress limit ({count}/{limit})"),
                ),
                &step,
            )
        }
    }
}

/// The first step under way the viewer owns, else the first under way.
pub fn focus_step(detail: &CaseDetail) -> Option<&StepWork> {
    detail
        .work
        .iter()
        .find(|w| w.mine)
        .or_else(|| detail.work.first())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::workflow::samples::sample_form;
    use crate::domain::workflow::test_support::{
        at, calendar, catalog, holder, process, raise_case, requester, run, step,
    };

    fn now() -> DateTime<Utc> {
        at("2025-09-30T10:30:00+08:00")
    }

    fn loan() -> (Case, Vec<AuditEntry>) {
        let out = raise_case(
            "archive_loan",
            now(),
            sample_form(process("archive_loan"), now(), false),
        );
        (out.case, out.audit)
    }

    fn detail(case: &Case, audit: &[AuditEntry], viewer: &Actor) -> CaseDetail {
        let p = ProcessRef::find(catalog(), case.process.as_str()).unwrap();
        case_detail(case, &p, audit, viewer, now(), calendar())
    }

    fn sign(role: &str) -> Command {
        Command::Approve {
            step: step("sign_off"),
            role: role.into(),
            verdict: Verdict::Approve,
            comment: Some("同意借阅".into()),
        }
    }

    #[test]
    fn a_started_step_gives_its_deadline_in_words() {
        let now = now();
        let audit = raise_case(
            "incoming_document",
            now,
            sample_form(process("incoming_document"), now, false),
        )
        .audit;
        let started = audit
            .iter()
            .find(|e| e.kind == AuditKind::StepActivated && e.detail["due_at"].is_string())
            .expect("a step started with a deadline");
        let due = started.detail["due_at"].as_str().unwrap();
        let p = ProcessRef::find(catalog(), "incoming_document").unwrap();
        let words = history_words(started, None, &p);
        assert_eq!(
            words.zh,
            format!("步骤开始,期限 {}", rfc3339_long(due, Lang::Zh))
        );
        assert!(
            words.zh.contains("年") && words.zh.contains("周"),
            "{}",
            words.zh
        );
        assert!(
            !words.zh.contains('T') && !words.en.contains("+08:00"),
            "{words:?}"
        );
    }

    #[test]
    fn a_dual_sign_off_lists_both_roles_and_only_the_viewers_own_may_be_given() {
        let (case, audit) = loan();
        let head = holder("department_head");
        let d = detail(&case, &audit, &head);
        assert_eq!(d.work.len(), 1);
        let work = &d.work[0];
        assert_eq!(work.step, step("sign_off"));
        assert!(work.mine, "the department head owns the sign-off");
        let roles: Vec<(&str, bool, bool)> = work
            .approvals
            .iter()
            .map(|a| (a.role.as_str(), a.needed, a.may_give))
            .collect();
        assert_eq!(
            roles,
            [("department_head", true, true), ("director", true, false)]
        );
        assert_eq!(work.blockers.len(), 2, "{:?}", work.blockers);

        let signed = run(&case, now(), &head, sign("department_head"));
        let mut trail = audit.clone();
        trail.extend(signed.audit.clone());
        let d = detail(&signed.case, &trail, &holder("director"));
        let work = &d.work[0];
        assert!(
            !work.mine,
            "the director does not own the department head's step"
        );
        let head_line = &work.approvals[0];
        assert_eq!(head_line.verdict, Some(Verdict::Approve));
        assert_eq!(head_line.by.as_deref(), Some("department_head-user"));
        assert_eq!(head_line.comment.as_deref(), Some("同意借阅"));
        assert!(
            work.approvals[1].may_give,
            "the director signs his own part"
        );
        assert_eq!(work.blockers.len(), 1);
        assert_eq!(work.blockers[0].field, "approval:director");
        // Newest first, in words.
        assert!(
            d.history[0].words.zh.contains("部门负责人同意"),
            "{:?}",
            d.history[0].words
        );
        assert!(d.history[0].words.zh.contains("同意借阅"));
        assert_eq!(d.history.last().unwrap().words.zh, "提交申请");
        assert_eq!(d.history[0].version, signed.case.version);
    }

    #[test]
    fn fields_follow_the_process_order_and_read_as_values() {
        let (case, audit) = loan();
        let d = detail(&case, &audit, &requester());
        let codes: Vec<&str> = d.fields.iter().map(|f| f.code.as_str()).collect();
        let order: Vec<&str> = process("archive_loan")
            .fields
            .iter()
            .map(|f| f.code.as_str())
            .filter(|c| codes.contains(c))
            .collect();
        assert_eq!(codes, order);
        assert!(!d.fields.is_empty());
        let copy = d.fields.iter().find(|f| f.code == "copy_type").unwrap();
        assert!(
            ["电子档", "纸质档"].contains(&copy.value.as_str()),
            "{}",
            copy.value
        );
        assert!(d.may_comment, "the requester may comment on an open case");
        assert!(!d.work[0].mine, "the requester does not work the step");
        assert!(d.work[0].approvals.iter().all(|a| !a.may_give));
    }

    #[test]
    fn the_next_step_shows_its_checklist_and_every_step_its_deadline() {
        let (case, audit) = loan();
        let head = holder("department_head");
        let mut c = run(&case, now(), &head, sign("department_head")).case;
        c = run(&c, now(), &holder("director"), sign("director")).case;
        c = run(
            &c,
            now(),
            &head,
            Command::CompleteStep {
                step: step("sign_off"),
            },
        )
        .case;
        let archivist = holder("archivist");
        c = run(
            &c,
            now(),
            &archivist,
            Command::TickChecklist {
                step: step("provide"),
                item: 1,
                ticked: true,
            },
        )
        .case;
        let d = detail(&c, &audit, &archivist);
        let work = &d.work[0];
        assert_eq!(work.step, step("provide"));
        assert!(work.mine);
        let ticks: Vec<bool> = work.checklist.iter().map(|i| i.ticked).collect();
        assert_eq!(ticks, [false, true]);
        assert_eq!(work.blockers.len(), 1, "{:?}", work.blockers);
        assert!(work.due_at.is_some(), "a one-working-day deadline");
        assert_eq!(work.sla, Some(SlaState::OnTime));
        let lines: Vec<(&str, bool, Option<&str>)> = d
            .steps
            .iter()
            .map(|s| {
                (
                    s.name.zh.as_str(),
                    s.active,
                    s.outcome.as_ref().map(|o| o.zh.as_str()),
                )
            })
            .collect();
        assert_eq!(
            lines,
            [
                ("部门负责人与办公室主任双签", false, Some("已完成")),
                ("提供档案", true, None)
            ]
        );
        assert!(d.steps[1]
            .due_at
            .as_deref()
            .is_some_and(|t| t.ends_with("+08:00")));
        assert_eq!(
            d.steps[0].completed_by.as_deref(),
            Some("department_head-user")
        );
    }

    #[test]
    fn a_closed_case_has_no_work_and_takes_no_comments() {
        let (case, audit) = loan();
        let closed = run(
            &case,
            now(),
            &holder("director"),
            Command::Close {
                reason: "不再需要".into(),
            },
        );
        let mut trail = audit;
        trail.extend(closed.audit.clone());
        let d = detail(&closed.case, &trail, &holder("director"));
        assert!(d.work.is_empty());
        assert!(!d.may_comment);
        assert_eq!(d.status, CaseStatus::Closed);
        assert!(d.closed_at.is_some());
        assert_eq!(d.history[0].words.zh, "办结(不再需要)");
    }
}
