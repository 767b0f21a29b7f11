//! Pins the built-in catalog to the standard (`shared/spec/catalog.md`, Chinese source text):
//! every function, role, process, step (owner, deadline rule, anchor), named form, report,
//! ledger, approval, escalation and repeat. Any change to the data must show up here.

use super::*;
use crate::domain::rules::{DeadlineRule, Repeat, Schedule};

fn catalog() -> Catalog {
    match builtin() {
        Ok(c) => c,
        Err(errors) => {
            let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
            panic!("the built-in catalog is invalid:\n{}", lines.join("\n"));
        }
    }
}

#[test]
fn the_builtin_catalog_is_valid() {
    let c = catalog();
    assert_eq!(BUILTIN_FILES.len(), 14);
    assert!(!c.processes.is_empty());
}

// ---- functions ---------------------------------------------------------------------------

#[rustfmt::skip]
const FUNCTIONS: &[(u32, &str, &str, &str)] = &[
    (1, "coordination", "综合统筹与协调管理", "Coordination"),
    (2, "documents", "文书与公文处理", "Documents"),
    (3, "meetings", "会议组织与管理", "Meetings"),
    (4, "archives", "档案与信息管理", "Archives and information"),
    (5, "logistics", "行政后勤保障", "Logistics"),
    (6, "hr", "人力资源基础事务", "Basic HR"),
    (7, "finance", "财务收支与资产管理", "Finance and assets"),
    (8, "it", "信息化建设与运维", "IT"),
    (9, "reception", "公务接待与外联管理", "Reception and external relations"),
    (10, "compliance", "合规与风控管理", "Compliance and risk"),
    (11, "culture", "企业文化与品牌宣传", "Culture and brand"),
    (12, "emergency", "应急事务处置", "Emergencies"),
    (13, "rules", "制度建设与流程优化", "Rules and process optimisation"),
];

#[test]
fn the_catalog_has_the_thirteen_functions_of_the_standard_in_order() {
    let c = catalog();
    let found: Vec<(u32, &str, &str, &str)> = c
        .functions
        .iter()
        .map(|f| {
            (
                f.order,
                f.code.as_str(),
                f.name.zh.as_str(),
                f.name.en.as_str(),
            )
        })
        .collect();
    assert_eq!(found, FUNCTIONS);
}

#[test]
fn every_function_states_its_positioning_as_a_full_sentence_in_both_languages() {
    let c = catalog();
    let starts = [
        ("coordination", "聚焦组织内外资源整合"),
        ("documents", "以“精准、高效、合规”为原则"),
        ("meetings", "让会议从“时间消耗”转向“价值创造”"),
        ("archives", "构建“安全+高效”的档案信息体系"),
        ("logistics", "以“员工体验”为核心"),
        ("hr", "处理入职、离职、考勤、社保等基础人事事务"),
        ("finance", "管理办公室经费、报销与固定资产"),
        ("it", "搭建“易用、安全、高效”的数字化办公系统"),
        ("reception", "以“专业、得体、高效”为原则"),
        ("compliance", "识别与防控法律、合规风险"),
        ("culture", "塑造“有温度、有辨识度”的组织文化"),
        ("emergency", "建立“快速响应、科学处置”的应急机制"),
        ("rules", "构建“与时俱进、简洁高效”的制度体系"),
    ];
    for (code, start) in starts {
        let f = c.function(code).unwrap();
        assert!(
            f.positioning.zh.starts_with(start),
            "{code}: {}",
            f.positioning.zh
        );
        assert!(f.positioning.zh.ends_with('。'), "{code}");
        assert!(f.positioning.en.ends_with('.'), "{code}");
        assert!(f.positioning.en.split_whitespace().count() >= 12, "{code}");
    }
}

/// WCAG relative luminance of `#rrggbb`.
fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

#[test]
fn accent_colours_are_distinct_and_meet_aa_contrast_on_white() {
    let c = catalog();
    let mut seen = std::collections::HashSet::new();
    for f in &c.functions {
        assert!(
            seen.insert(f.accent.clone()),
            "{} repeats {}",
            f.code,
            f.accent
        );
        let contrast = 1.05 / (luminance(&f.accent) + 0.05);
        assert!(
            contrast >= 4.5,
            "{} {} has contrast {contrast:.2}",
            f.code,
            f.accent
        );
    }
    assert_eq!(seen.len(), 13);
}

// ---- roles -------------------------------------------------------------------------------

const OFFICE: RoleKind = RoleKind::Office;
const OUTSIDE: RoleKind = RoleKind::Outside;

/// (code, Chinese name, kind, functions served; empty = every function).
#[rustfmt::skip]
const ROLES: &[(&str, &str, RoleKind, &[&str])] = &[
    ("director", "办公室主任", OFFICE, &[]),
    ("requesting_department", "需求部门", OUTSIDE, &[]),
    ("department_head", "部门负责人", OUTSIDE, &[]),
    ("senior_leadership", "高层", OUTSIDE, &[]),
    ("employee", "员工", OUTSIDE, &[]),
    ("meeting_organiser", "会议发起人", OUTSIDE, &[]),
    ("participating_departments", "参与部门", OUTSIDE, &[]),
    ("handling_department", "承办部门", OUTSIDE, &[]),
    ("transfer_departments", "调拨双方部门", OUTSIDE, &[]),
    ("finance_department", "财务部门", OUTSIDE, &[]),
    ("cleaning_team", "保洁团队", OUTSIDE, &[]),
    ("repair_vendor", "维修单位", OUTSIDE, &[]),
    ("coordination_specialist", "协调专员", OFFICE, &["coordination"]),
    ("document_clerk", "公文文员", OFFICE, &["documents"]),
    ("secretary", "文秘专员", OFFICE, &["documents"]),
    ("meeting_specialist", "会议专员", OFFICE, &["meetings"]),
    ("archivist", "档案专员", OFFICE, &["archives"]),
    ("information_specialist", "信息专员", OFFICE, &["archives"]),
    ("logistics_supervisor", "后勤主管", OFFICE, &["logistics"]),
    ("logistics_clerk", "后勤文员", OFFICE, &["logistics", "meetings"]),
    ("hr_specialist", "人事专员", OFFICE, &["hr"]),
    ("attendance_clerk", "考勤文员", OFFICE, &["hr"]),
    ("finance_specialist", "财务专员", OFFICE, &["finance"]),
    ("asset_clerk", "资产文员", OFFICE, &["finance"]),
    ("it_lead", "信息主管", OFFICE, &["it"]),
    ("ops_specialist", "运维专员", OFFICE, &["it"]),
    ("reception_specialist", "接待专员", OFFICE, &["reception"]),
    ("external_relations_specialist", "外联专员", OFFICE, &["reception"]),
    ("compliance_specialist", "合规专员", OFFICE, &["compliance"]),
    ("legal_adviser", "法务顾问", OFFICE, &["compliance"]),
    ("culture_specialist", "文化专员", OFFICE, &["culture"]),
    ("brand_specialist", "品牌专员", OFFICE, &["culture"]),
    ("emergency_lead", "应急主管", OFFICE, &["emergency"]),
    ("emergency_specialist", "应急专员", OFFICE, &["emergency"]),
    ("rules_specialist", "制度专员", OFFICE, &["rules"]),
    ("process_specialist", "流程专员", OFFICE, &["rules"]),
];

#[test]
fn every_role_of_the_standard_is_in_the_catalog_with_its_kind_and_functions() {
    let c = catalog();
    for (code, zh, kind, functions) in ROLES {
        let role = c
            .role(code)
            .unwrap_or_else(|| panic!("missing role {code}"));
        assert_eq!(role.name.zh, *zh, "{code}");
        assert_eq!(role.kind, *kind, "{code}");
        let served: Vec<&str> = role.functions.iter().map(FunctionCode::as_str).collect();
        assert_eq!(served, *functions, "{code}");
        assert!(!role.responsibilities.zh.is_empty() && !role.responsibilities.en.is_empty());
    }
    assert_eq!(c.roles.len(), ROLES.len(), "roles not pinned here");
}

#[test]
fn the_director_is_one_role_serving_every_function() {
    let c = catalog();
    for f in &c.functions {
        let office: Vec<&str> = c
            .office_roles_of(f.code.as_str())
            .map(|r| r.code.as_str())
            .collect();
        assert!(office.contains(&"director"), "{}", f.code);
        assert!(office.len() >= 2, "{}: {office:?}", f.code);
    }
    assert_eq!(
        c.roles.iter().filter(|r| r.name.zh == "办公室主任").count(),
        1
    );
}

#[test]
fn only_the_legal_adviser_may_be_hired_from_outside() {
    let c = catalog();
    let external: Vec<&str> = c
        .roles
        .iter()
        .filter(|r| r.may_be_external)
        .map(|r| r.code.as_str())
        .collect();
    assert_eq!(external, ["legal_adviser"]);
}

// ---- processes ---------------------------------------------------------------------------

/// (function, process, trigger, raised by).
#[rustfmt::skip]
const PROCESSES: &[(&str, &str, &str, Option<&str>)] = &[
    ("coordination", "collaboration_request", "on-request", Some("requesting_department")),
    ("coordination", "collaboration_weekly_briefing", "every(week)", None),
    ("documents", "incoming_document", "event", Some("document_clerk")),
    ("documents", "outgoing_document", "on-request", Some("requesting_department")),
    ("meetings", "meeting", "on-request", Some("meeting_organiser")),
    ("archives", "monthly_archive_transfer", "every(month)", None),
    ("archives", "archive_loan", "on-request", Some("employee")),
    ("archives", "annual_archive_audit", "every(year, month 12)", None),
    ("archives", "information_publishing", "on-request", Some("requesting_department")),
    ("archives", "information_security_inspection", "every(quarter)", None),
    ("archives", "information_offsite_backup", "every(days 7)", None),
    ("logistics", "supplies_purchase", "on-request", Some("requesting_department")),
    ("logistics", "facility_inspection", "every(day)", None),
    ("logistics", "facility_repair", "event", Some("logistics_clerk")),
    ("logistics", "daily_cleaning", "every(day)", None),
    ("logistics", "environment_spot_check", "every(week)", None),
    ("logistics", "environment_score", "every(month)", None),
    ("hr", "onboarding", "on-request", Some("requesting_department")),
    ("hr", "offboarding", "on-request", Some("employee")),
    ("hr", "attendance_daily_export", "every(day)", None),
    ("hr", "attendance_weekly_check", "every(week)", None),
    ("hr", "attendance_monthly_report", "every(month)", None),
    ("finance", "reimbursement", "on-request", Some("employee")),
    ("finance", "monthly_reimbursement_ledger", "every(month)", None),
    ("finance", "quarterly_budget", "every(quarter)", None),
    ("finance", "budget_monitoring", "every(month)", None),
    ("finance", "overspend_adjustment", "event", Some("finance_specialist")),
    ("finance", "asset_inventory", "every(half-year)", None),
    ("finance", "asset_transfer", "on-request", Some("requesting_department")),
    ("it", "system_project", "on-request", Some("requesting_department")),
    ("it", "it_incident", "event", Some("employee")),
    ("it", "it_security_inspection", "every(month)", None),
    ("it", "it_offsite_backup", "every(days 7)", None),
    ("it", "it_help_desk", "on-request", Some("employee")),
    ("reception", "official_visit", "on-request", Some("requesting_department")),
    ("reception", "external_relations_review", "every(quarter)", None),
    ("reception", "festival_care", "event", Some("external_relations_specialist")),
    ("compliance", "contract_review", "on-request", Some("requesting_department")),
    ("compliance", "compliance_risk_watch", "every(month)", None),
    ("compliance", "compliance_training", "every(quarter)", None),
    ("compliance", "legal_dispute", "event", Some("compliance_specialist")),
    ("culture", "themed_activity", "every(quarter)", None),
    ("culture", "internal_magazine", "every(month)", None),
    ("culture", "media_release", "every(month)", None),
    ("culture", "brand_survey", "every(half-year)", None),
    ("emergency", "contingency_plan_revision", "every(year)", None),
    ("emergency", "emergency_drill", "every(half-year)", None),
    ("emergency", "emergency_incident", "event", Some("emergency_specialist")),
    ("rules", "new_rule", "on-request", Some("requesting_department")),
    ("rules", "annual_rules_review", "every(year)", None),
];

fn trigger_notation(t: &Trigger) -> String {
    match t {
        Trigger::OnRequest => "on-request".to_string(),
        Trigger::Recurring(s) => s.to_string(),
        Trigger::Event(_) => "event".to_string(),
    }
}

#[test]
fn every_process_of_the_standard_belongs_to_its_function_with_its_trigger() {
    let c = catalog();
    let found: Vec<(&str, &str, String, Option<&str>)> = c
        .processes
        .iter()
        .map(|p| {
            (
                p.function.as_str(),
                p.code.as_str(),
                trigger_notation(&p.trigger),
                p.raised_by.as_ref().map(RoleCode::as_str),
            )
        })
        .collect();
    let expected: Vec<(&str, &str, String, Option<&str>)> = PROCESSES
        .iter()
        .map(|(f, p, t, r)| (*f, *p, t.to_string(), *r))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn every_function_has_at_least_one_process_and_function_13_goes_as_far_as_the_text() {
    let c = catalog();
    for f in &c.functions {
        assert!(c.processes_of(f.code.as_str()).count() >= 1, "{}", f.code);
    }
    let rules: Vec<&str> = c.processes_of("rules").map(|p| p.code.as_str()).collect();
    assert_eq!(rules, ["new_rule", "annual_rules_review"]);
}

#[test]
fn event_processes_say_what_happens() {
    let c = catalog();
    let events = [
        ("incoming_document", "收到来文"),
        ("facility_repair", "巡检发现设施故障"),
        ("overspend_adjustment", "超支预警"),
        ("it_incident", "系统故障(7×24小时响应)"),
        ("festival_care", "重大节日/纪念日临近"),
        ("legal_dispute", "发生法律纠纷"),
        ("emergency_incident", "发生突发事件"),
    ];
    for (code, zh) in events {
        match &c.process(code).unwrap().trigger {
            Trigger::Event(t) => assert_eq!(t.zh, zh),
            other => panic!("{code}: {other:?}"),
        }
    }
}

// ---- steps -------------------------------------------------------------------------------

/// Every step of the standard: (process, step, owner, deadline rule or "none", anchor).
#[rustfmt::skip]
const STEPS: &[(&str, &str, &str, &str, &str)] = &[
    // 1. 跨部门协作:登记1个工作日内;《协调方案》3个工作日内;跟踪至闭环;复盘5个工作日内
    ("collaboration_request", "register", "coordination_specialist", "wd(1)", "created"),
    ("collaboration_request", "coordination_plan", "director", "wd(3)", "previous"),
    ("collaboration_request", "tracking", "coordination_specialist", "none", "previous"),
    ("collaboration_request", "review", "coordination_specialist", "wd(5)", "previous"),
    ("collaboration_weekly_briefing", "briefing", "coordination_specialist", "none", "created"),
    // 2. 收文:当日签收编号;收文后24小时内呈送;主任1个工作日内;承办5个工作日内;归档无时限
    ("incoming_document", "sign_and_number", "document_clerk", "same-day", "field:received_at"),
    ("incoming_document", "submit_for_instructions", "document_clerk", "h(24)", "field:received_at"),
    ("incoming_document", "assign_handling", "director", "wd(1)", "previous"),
    ("incoming_document", "report_result", "handling_department", "wd(5)", "previous"),
    ("incoming_document", "file_document", "document_clerk", "none", "previous"),
    // 2. 发文:初审2;终核1;排版用印1;发文;发文后2个工作日内归档立卷
    ("outgoing_document", "format_review", "secretary", "wd(2)", "created"),
    ("outgoing_document", "final_check", "director", "wd(1)", "previous"),
    ("outgoing_document", "typeset_and_seal", "secretary", "wd(1)", "previous"),
    ("outgoing_document", "dispatch", "secretary", "none", "previous"),
    ("outgoing_document", "file_copies", "document_clerk", "wd(2)", "step:dispatch"),
    // 3. 会议
    ("meeting", "confirm_and_notify", "meeting_specialist", "wd(1)", "created"),
    ("meeting", "venue_setup", "logistics_clerk", "before-event(wd 1)", "field:meeting_start"),
    ("meeting", "equipment_test", "logistics_clerk", "before-event(h 1)", "field:meeting_start"),
    ("meeting", "record_meeting", "meeting_specialist", "none", "field:meeting_start"),
    ("meeting", "meeting_support", "logistics_clerk", "none", "field:meeting_start"),
    ("meeting", "equipment_backup", "logistics_clerk", "min(5)", "anomaly"),
    ("meeting", "minutes", "meeting_specialist", "h(24)", "field:meeting_end"),
    ("meeting", "restore_venue", "logistics_clerk", "wd(3)", "field:meeting_end"),
    // 4. 档案与信息
    ("monthly_archive_transfer", "hand_over", "requesting_department", "none", "created"),
    ("monthly_archive_transfer", "classify_and_file", "archivist", "wd(5)", "previous"),
    ("archive_loan", "sign_off", "department_head", "none", "created"),
    ("archive_loan", "provide", "archivist", "wd(1)", "previous"),
    ("annual_archive_audit", "audit", "archivist", "none", "created"),
    ("information_publishing", "review_and_publish", "information_specialist", "wd(2)", "created"),
    ("information_security_inspection", "inspect", "information_specialist", "none", "created"),
    ("information_offsite_backup", "backup", "information_specialist", "none", "created"),
    // 5. 后勤
    ("supplies_purchase", "review", "logistics_supervisor", "wd(1)", "created"),
    ("supplies_purchase", "purchase", "logistics_clerk", "wd(3)", "previous"),
    ("supplies_purchase", "accept_and_store", "logistics_clerk", "wd(1)", "field:arrived_at"),
    ("facility_inspection", "inspect", "logistics_clerk", "same-day", "created"),
    ("facility_repair", "report_fault", "logistics_clerk", "h(24)", "field:found_at"),
    ("facility_repair", "contact_vendor", "logistics_supervisor", "wd(1)", "previous"),
    ("facility_repair", "repair", "repair_vendor", "none", "previous"),
    ("facility_repair", "acceptance", "logistics_supervisor", "wd(3)", "previous"),
    ("daily_cleaning", "clean", "cleaning_team", "same-day", "created"),
    ("environment_spot_check", "spot_check", "logistics_clerk", "none", "created"),
    ("environment_score", "score", "logistics_clerk", "none", "created"),
    // 6. 人事
    ("onboarding", "offer_contract_training", "hr_specialist", "wd(3)", "created"),
    ("onboarding", "first_day_setup", "attendance_clerk", "same-day", "field:start_date"),
    ("offboarding", "start_handover", "hr_specialist", "wd(1)", "created"),
    ("offboarding", "exit_procedures", "hr_specialist", "wd(3)", "previous"),
    ("offboarding", "revoke_and_archive", "attendance_clerk", "wd(5)", "field:leaving_date"),
    ("attendance_daily_export", "export", "attendance_clerk", "same-day", "created"),
    ("attendance_weekly_check", "check_anomalies", "attendance_clerk", "none", "created"),
    ("attendance_weekly_check", "department_confirmation", "attendance_clerk", "wd(3)", "previous"),
    ("attendance_monthly_report", "report", "attendance_clerk", "monthly-by(5)", "created"),
    ("attendance_monthly_report", "submit_to_finance", "attendance_clerk", "none", "previous"),
    // 7. 财务与资产
    ("reimbursement", "department_review", "department_head", "wd(1)", "created"),
    ("reimbursement", "compliance_review", "finance_specialist", "wd(1)", "previous"),
    ("reimbursement", "payment", "finance_specialist", "wd(2)", "previous"),
    ("monthly_reimbursement_ledger", "compile", "finance_specialist", "monthly-by(10)", "created"),
    ("quarterly_budget", "set_budget", "director", "none", "created"),
    ("budget_monitoring", "monitor", "finance_specialist", "none", "created"),
    ("overspend_adjustment", "adjustment_proposal", "finance_specialist", "wd(2)", "field:alert_at"),
    ("asset_inventory", "inventory", "asset_clerk", "none", "created"),
    ("asset_transfer", "sign_off", "transfer_departments", "none", "created"),
    ("asset_transfer", "update_ledger", "asset_clerk", "wd(1)", "previous"),
    // 8. 信息化
    ("system_project", "feasibility", "it_lead", "wd(10)", "created"),
    ("system_project", "deploy", "it_lead", "wd(30)", "previous"),
    ("system_project", "user_training", "ops_specialist", "wd(30)", "step:feasibility"),
    ("it_incident", "resolve", "ops_specialist", "h(4)", "field:reported_at"),
    ("it_incident", "analysis_report", "ops_specialist", "h(24)", "field:reported_at"),
    ("it_security_inspection", "inspect", "ops_specialist", "none", "created"),
    ("it_offsite_backup", "backup", "ops_specialist", "none", "created"),
    ("it_help_desk", "respond", "ops_specialist", "wd(1)", "created"),
    ("it_help_desk", "solution_manual", "ops_specialist", "wd(3)", "created"),
    // 9. 接待与外联
    ("official_visit", "plan", "reception_specialist", "wd(1)", "created"),
    ("official_visit", "arrangements", "reception_specialist", "wd(3)", "previous"),
    ("official_visit", "settlement_and_summary", "reception_specialist", "wd(3)", "field:visit_end"),
    ("external_relations_review", "review", "external_relations_specialist", "none", "created"),
    ("festival_care", "gifts_or_event", "external_relations_specialist", "window-before-event(wd 5)", "field:festival_date"),
    // 10. 合规
    ("contract_review", "review", "compliance_specialist", "wd(2)", "created"),
    ("contract_review", "seal_and_archive", "compliance_specialist", "wd(1)", "previous"),
    ("compliance_risk_watch", "risk_notice", "compliance_specialist", "none", "created"),
    ("compliance_training", "training", "compliance_specialist", "none", "created"),
    ("compliance_training", "feedback", "compliance_specialist", "wd(3)", "previous"),
    ("legal_dispute", "emergency_response", "compliance_specialist", "h(24)", "field:dispute_at"),
    ("legal_dispute", "progress_report", "compliance_specialist", "wd(5)", "field:dispute_at"),
    // 11. 文化与品牌
    ("themed_activity", "notice", "culture_specialist", "before-event(weeks 2)", "field:activity_date"),
    ("themed_activity", "summary", "culture_specialist", "wd(3)", "field:activity_date"),
    ("internal_magazine", "edit", "culture_specialist", "none", "created"),
    ("internal_magazine", "publish", "culture_specialist", "wd(3)", "previous"),
    ("media_release", "prepare_content", "brand_specialist", "none", "created"),
    ("media_release", "publish", "brand_specialist", "wd(5)", "previous"),
    ("brand_survey", "survey", "brand_specialist", "none", "created"),
    ("brand_survey", "adjust_strategy", "brand_specialist", "none", "previous"),
    // 12. 应急
    ("contingency_plan_revision", "revise", "emergency_lead", "none", "created"),
    ("contingency_plan_revision", "publish", "emergency_lead", "none", "previous"),
    ("emergency_drill", "drill", "emergency_lead", "none", "created"),
    ("emergency_drill", "assessment", "emergency_lead", "wd(5)", "previous"),
    ("emergency_incident", "report_and_activate", "emergency_specialist", "h(1)", "field:incident_at"),
    ("emergency_incident", "on_site", "emergency_lead", "h(2)", "previous"),
    ("emergency_incident", "handle", "emergency_lead", "none", "previous"),
    ("emergency_incident", "review", "emergency_lead", "wd(3)", "previous"),
    // 13. 制度(原文截断)
    ("new_rule", "draft", "rules_specialist", "wd(5)", "created"),
    ("new_rule", "publish", "rules_specialist", "none", "previous"),
    ("annual_rules_review", "review", "rules_specialist", "none", "created"),
];

#[test]
fn every_step_of_the_standard_has_its_owner_deadline_rule_and_anchor_in_order() {
    let c = catalog();
    let found: Vec<(&str, &str, &str, String, String)> = c
        .processes
        .iter()
        .flat_map(|p| {
            p.steps.iter().map(move |s| {
                (
                    p.code.as_str(),
                    s.code.as_str(),
                    s.owner.as_str(),
                    s.deadline
                        .map_or_else(|| "none".to_string(), |d| d.to_string()),
                    s.anchor.to_string(),
                )
            })
        })
        .collect();
    let expected: Vec<(&str, &str, &str, String, String)> = STEPS
        .iter()
        .map(|(p, s, o, d, a)| (*p, *s, *o, d.to_string(), a.to_string()))
        .collect();
    for (i, (f, e)) in found.iter().zip(&expected).enumerate() {
        assert_eq!(f, e, "step #{}", i + 1);
    }
    assert_eq!(found.len(), expected.len());
}

#[test]
fn a_step_without_deadline_is_one_where_the_standard_gives_none_and_says_so_in_a_comment() {
    // Every `deadline = "none"` line is preceded by a comment line explaining it.
    for (file, text) in BUILTIN_FILES {
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if line.trim() == "deadline = \"none\"" {
                assert!(
                    i > 0 && lines[i - 1].trim_start().starts_with('#'),
                    "{file}:{}: deadline = \"none\" without a comment",
                    i + 1
                );
            }
        }
    }
}

#[test]
fn conditional_steps_apply_only_when_their_condition_holds() {
    let c = catalog();
    let when = |p: &str, s: &str| {
        c.process(p)
            .unwrap()
            .step(s)
            .unwrap()
            .when
            .as_ref()
            .map(ToString::to_string)
    };
    assert_eq!(
        when("it_incident", "resolve").as_deref(),
        Some("severity = ordinary")
    );
    assert_eq!(
        when("it_incident", "analysis_report").as_deref(),
        Some("severity = major")
    );
    assert_eq!(
        when("it_help_desk", "solution_manual").as_deref(),
        Some("complex = 是")
    );
    let conditional = c
        .processes
        .iter()
        .flat_map(|p| &p.steps)
        .filter(|s| s.when.is_some());
    assert_eq!(conditional.count(), 3);
}

#[test]
fn checklists_hold_the_points_the_standard_says_to_check() {
    let c = catalog();
    let checklist = |p: &str, s: &str| -> Vec<String> {
        let step = c.process(p).unwrap().step(s).unwrap();
        step.checklist.iter().map(|t| t.zh.clone()).collect()
    };
    assert_eq!(
        checklist("outgoing_document", "format_review"),
        ["政策依据", "数据准确性", "表述严谨性"]
    );
    assert_eq!(
        checklist("meeting", "venue_setup"),
        ["桌椅动线", "投影清晰度", "茶水温度"]
    );
    assert_eq!(
        checklist("information_publishing", "review_and_publish"),
        ["涉密性", "准确性", "时效性"]
    );
    assert_eq!(
        checklist("supplies_purchase", "review"),
        ["必要性", "预算匹配度"]
    );
    assert_eq!(
        checklist("reimbursement", "department_review"),
        ["真实性", "必要性"]
    );
    assert_eq!(
        checklist("reimbursement", "compliance_review"),
        ["发票真伪", "预算匹配"]
    );
    assert_eq!(
        checklist("system_project", "feasibility"),
        ["成本", "工期", "风险"]
    );
    assert_eq!(
        checklist("contract_review", "review"),
        ["条款合法性", "权责对等性", "违约成本"]
    );
    assert_eq!(
        checklist("emergency_incident", "on_site"),
        ["生命优先", "快速隔离", "信息透明"]
    );
    assert_eq!(
        checklist("facility_inspection", "inspect"),
        ["空调", "电梯", "网络"]
    );
}

// ---- named forms, reports and ledgers ----------------------------------------------------

enum Place {
    /// A named output, produced by this process's step.
    Output(&'static str, &'static str, &'static str),
    /// A named output produced by a repeat while the case is open.
    RepeatOutput(&'static str, &'static str, &'static str),
    /// A ledger, written by this process's step.
    Ledger(&'static str, &'static str, &'static str),
    /// The request form a process starts with.
    Form(&'static str),
    /// A reference standard named in a step's name.
    StepName(&'static str, &'static str),
}

/// Every 《…》 of the Chinese text (39 distinct names) and where it lives in the catalog.
#[rustfmt::skip]
const NAMED: &[(&str, Place)] = &[
    ("《协调方案》", Place::Output("coordination_plan", "collaboration_request", "coordination_plan")),
    ("《协同任务进展简报》", Place::Output("collaboration_progress_briefing", "collaboration_weekly_briefing", "briefing")),
    ("《协作改进清单》", Place::Output("collaboration_improvement_list", "collaboration_request", "review")),
    ("《公文流转台账》", Place::Ledger("document_flow", "incoming_document", "assign_handling")),
    ("《会议需求单》", Place::Form("meeting")),
    ("《会议纪要》", Place::Output("meeting_minutes", "meeting", "minutes")),
    ("《会议物资台账》", Place::Ledger("meeting_supplies", "meeting", "restore_venue")),
    ("《借阅单》", Place::Form("archive_loan")),
    ("《档案台账更新报告》", Place::Output("archive_ledger_update_report", "annual_archive_audit", "audit")),
    ("《物资需求单》", Place::Form("supplies_purchase")),
    ("《物资台账》", Place::Ledger("supplies", "supplies_purchase", "accept_and_store")),
    ("《设施运维记录》", Place::Ledger("facility_maintenance", "facility_repair", "acceptance")),
    ("《办公环境标准》", Place::StepName("daily_cleaning", "clean")),
    ("《环境评分表》", Place::Output("environment_score_sheet", "environment_score", "score")),
    ("《入职需求单》", Place::Form("onboarding")),
    ("《员工信息台账》", Place::Ledger("employee_info", "onboarding", "first_day_setup")),
    ("《保密延长期协议》", Place::Output("confidentiality_extension_agreement", "offboarding", "revoke_and_archive")),
    ("《考勤报表》", Place::Output("attendance_report", "attendance_monthly_report", "report")),
    ("《情况说明》", Place::Output("situation_note", "attendance_monthly_report", "report")),
    ("《报销台账》", Place::Ledger("reimbursements", "reimbursement", "payment")),
    ("《报销台账》", Place::Output("reimbursement_ledger_report", "monthly_reimbursement_ledger", "compile")),
    ("《经费预算》", Place::Output("budget", "quarterly_budget", "set_budget")),
    ("《经费调整建议》", Place::Output("budget_adjustment_proposal", "overspend_adjustment", "adjustment_proposal")),
    ("《资产台账》", Place::Ledger("assets", "asset_transfer", "update_ledger")),
    ("《资产盘点报告》", Place::Output("asset_inventory_report", "asset_inventory", "inventory")),
    ("《调拨单》", Place::Form("asset_transfer")),
    ("《信息化需求单》", Place::Form("system_project")),
    ("《故障分析报告》", Place::Output("incident_analysis_report", "it_incident", "analysis_report")),
    ("《解决方案手册》", Place::Output("solution_manual", "it_help_desk", "solution_manual")),
    ("《接待需求单》", Place::Form("official_visit")),
    ("《接待总结》", Place::Output("reception_summary", "official_visit", "settlement_and_summary")),
    ("《外联台账》", Place::Ledger("external_relations", "external_relations_review", "review")),
    ("《合规风险提示》", Place::Output("compliance_risk_notice", "compliance_risk_watch", "risk_notice")),
    ("《纠纷处置进展报告》", Place::Output("dispute_progress_report", "legal_dispute", "progress_report")),
    ("《活动总结》", Place::Output("activity_summary", "themed_activity", "summary")),
    ("《品牌影响力报告》", Place::Output("brand_influence_report", "brand_survey", "survey")),
    ("《应急预案》", Place::Output("contingency_plan", "contingency_plan_revision", "revise")),
    ("《演练评估报告》", Place::Output("drill_assessment_report", "emergency_drill", "assessment")),
    ("《事件进展报告》", Place::RepeatOutput("incident_progress_report", "emergency_incident", "progress_report")),
    ("《改进措施清单》", Place::Output("improvement_measures_list", "emergency_incident", "review")),
];

#[test]
fn every_named_form_report_and_ledger_of_the_standard_has_its_place_in_the_catalog() {
    let c = catalog();
    for (name, place) in NAMED {
        match place {
            Place::Output(code, process, step) => {
                let output = c
                    .output(code)
                    .unwrap_or_else(|| panic!("{name}: no output {code}"));
                assert_eq!(output.name.zh, *name);
                let step = c.process(process).unwrap().step(step).unwrap();
                assert!(
                    step.outputs.iter().any(|o| o.output == *code),
                    "{name} not produced by {process}"
                );
            }
            Place::RepeatOutput(code, process, repeat) => {
                assert_eq!(c.output(code).unwrap().name.zh, *name);
                let p = c.process(process).unwrap();
                let r = p.repeats.iter().find(|r| r.code == *repeat).unwrap();
                assert_eq!(
                    r.output.as_ref().map(OutputCode::as_str),
                    Some(*code),
                    "{name}"
                );
            }
            Place::Ledger(code, process, step) => {
                assert_eq!(
                    c.ledger(code).unwrap_or_else(|| panic!("{name}")).name.zh,
                    *name
                );
                let step = c.process(process).unwrap().step(step).unwrap();
                let written = step.ledger.as_ref().map(|l| l.ledger.as_str());
                assert_eq!(written, Some(*code), "{name} not written by {process}");
            }
            Place::Form(process) => {
                let form = c
                    .process(process)
                    .unwrap()
                    .form
                    .as_ref()
                    .map(|t| t.zh.as_str());
                assert_eq!(form, Some(*name));
            }
            Place::StepName(process, step) => {
                let step = c.process(process).unwrap().step(step).unwrap();
                assert!(step.name.zh.contains(name), "{name}");
            }
        }
    }
    let distinct: std::collections::HashSet<&str> = NAMED.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        distinct.len(),
        39,
        "the Chinese text names 39 distinct forms, reports and ledgers"
    );
}

#[test]
fn every_output_of_the_catalog_is_produced_by_some_step_or_repeat() {
    let c = catalog();
    for o in &c.outputs {
        let by_step = c
            .processes
            .iter()
            .flat_map(|p| &p.steps)
            .any(|s| s.outputs.iter().any(|x| x.output == o.code));
        let by_repeat = c
            .processes
            .iter()
            .flat_map(|p| &p.repeats)
            .any(|r| r.output.as_ref() == Some(&o.code));
        assert!(by_step || by_repeat, "{} is produced by nothing", o.code);
        assert!(c.function(o.function.as_str()).is_some(), "{}", o.code);
    }
    assert_eq!(c.outputs.len(), 33);
}

#[test]
fn the_ledgers_of_the_standard_are_kept_by_their_functions() {
    let c = catalog();
    let ledgers: Vec<(&str, &str, &str)> = c
        .ledgers
        .iter()
        .map(|l| (l.function.as_str(), l.code.as_str(), l.name.zh.as_str()))
        .collect();
    assert_eq!(
        ledgers,
        [
            ("documents", "document_flow", "《公文流转台账》"),
            ("meetings", "meeting_supplies", "《会议物资台账》"),
            ("archives", "archive_ledger", "《档案台账》"),
            ("archives", "archive_access_log", "《档案借阅登记》"),
            ("logistics", "supplies", "《物资台账》"),
            ("logistics", "facility_maintenance", "《设施运维记录》"),
            ("hr", "employee_info", "《员工信息台账》"),
            ("finance", "reimbursements", "《报销台账》"),
            ("finance", "funds", "经费台账"),
            ("finance", "assets", "《资产台账》"),
            ("reception", "external_relations", "《外联台账》"),
            ("compliance", "seal_register", "用印登记"),
        ]
    );
}

#[test]
fn the_document_flow_ledger_row_is_written_by_the_clerk_from_the_case() {
    let c = catalog();
    let step = c
        .process("incoming_document")
        .unwrap()
        .step("assign_handling")
        .unwrap();
    let write = step.ledger.as_ref().unwrap();
    assert_eq!(
        write.by.as_ref().map(RoleCode::as_str),
        Some("document_clerk")
    );
    let row: Vec<(String, String)> = write
        .columns
        .iter()
        .map(|c| (c.column.to_string(), c.value.to_string()))
        .collect();
    let expected = [
        ("doc_number", "field:doc_number"),
        ("title", "field:title"),
        ("issuer", "field:issuer"),
        ("received_at", "field:received_at"),
        ("handling_department", "field:handling_department"),
        ("forwarded_at", "completed_at"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(row, expected);
}

#[test]
fn the_supplies_ledger_keeps_supplier_rating_and_warranty() {
    let c = catalog();
    let ledger = c.ledger("supplies").unwrap();
    assert!(ledger.column("supplier_rating").is_some());
    assert!(ledger.column("warranty_until").is_some());
    let info = c.ledger("employee_info").unwrap();
    assert!(
        info.column("emergency_contact").is_some() && info.column("post_permissions").is_some()
    );
    let assets = c.ledger("assets").unwrap();
    assert!(assets.column("status").is_some() && assets.column("custodian").is_some());
}

// ---- approvals, conditions, escalations, repeats -----------------------------------------

fn roles(codes: &[&str]) -> Vec<RoleCode> {
    codes.iter().map(|c| RoleCode::new(*c)).collect()
}

#[test]
fn every_approval_of_the_standard_names_its_roles() {
    let c = catalog();
    let single = |r: &str| Approval::Single(RoleCode::new(r));
    let expected: Vec<(&str, &str, Approval)> = vec![
        ("meeting", "minutes", single("director")),
        (
            "archive_loan",
            "sign_off",
            Approval::All(roles(&["department_head", "director"])),
        ),
        (
            "supplies_purchase",
            "purchase",
            Approval::Conditional {
                when: "quote > budget".parse().unwrap(),
                by: roles(&["director"]),
            },
        ),
        ("attendance_monthly_report", "report", single("director")),
        (
            "quarterly_budget",
            "set_budget",
            single("senior_leadership"),
        ),
        (
            "asset_transfer",
            "sign_off",
            Approval::All(roles(&["transfer_departments", "director"])),
        ),
        ("system_project", "feasibility", single("senior_leadership")),
        ("official_visit", "plan", single("director")),
        ("internal_magazine", "edit", single("director")),
        ("media_release", "prepare_content", single("director")),
        (
            "contingency_plan_revision",
            "revise",
            single("senior_leadership"),
        ),
        ("new_rule", "draft", single("director")),
    ];
    let found: Vec<(&str, &str, Approval)> = c
        .processes
        .iter()
        .flat_map(|p| p.steps.iter().map(move |s| (p, s)))
        .flat_map(|(p, s)| {
            s.approvals
                .iter()
                .map(move |a| (p.code.as_str(), s.code.as_str(), a.clone()))
        })
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn a_quote_above_95_percent_of_budget_needs_a_recorded_price_negotiation() {
    let c = catalog();
    let step = c
        .process("supplies_purchase")
        .unwrap()
        .step("purchase")
        .unwrap();
    assert_eq!(step.outputs.len(), 1);
    assert_eq!(step.outputs[0].output, "price_negotiation_record");
    assert_eq!(
        step.outputs[0].when,
        Some(Condition::Exceeds {
            field: "quote".into(),
            of: "budget".into(),
            percent: 95
        })
    );
}

#[test]
fn conditional_outputs_depend_on_the_case() {
    let c = catalog();
    let cond = |p: &str, s: &str, o: &str| -> Option<String> {
        let step = c.process(p).unwrap().step(s).unwrap();
        let out = step.outputs.iter().find(|x| x.output == o).unwrap();
        out.when.as_ref().map(ToString::to_string)
    };
    assert_eq!(
        cond(
            "offboarding",
            "revoke_and_archive",
            "confidentiality_extension_agreement"
        )
        .as_deref(),
        Some("confidential_post = 是")
    );
    assert_eq!(
        cond("attendance_monthly_report", "report", "situation_note").as_deref(),
        Some("anomaly_count > 0")
    );
    assert_eq!(
        cond("attendance_monthly_report", "report", "attendance_report"),
        None
    );
    assert_eq!(
        cond("contract_review", "review", "legal_opinion").as_deref(),
        Some("legal_opinion_needed = 是")
    );
}

#[test]
fn an_anomaly_in_collaboration_tracking_goes_to_the_director_within_24_hours_of_being_flagged() {
    let c = catalog();
    let step = c
        .process("collaboration_request")
        .unwrap()
        .step("tracking")
        .unwrap();
    assert_eq!(
        step.escalations,
        [Escalation {
            to: "director".into(),
            within: DeadlineRule::Hours {
                hours: 24,
                working: false
            },
            on: EscalationOn::AnomalyFlagged,
        }]
    );
    let all = c
        .processes
        .iter()
        .flat_map(|p| &p.steps)
        .map(|s| s.escalations.len())
        .sum::<usize>();
    assert_eq!(all, 1, "the standard names one escalation");
}

/// A repeat as the test pins it: (process, code, every, owner, during, when, output).
type RepeatRow<'a> = (
    &'a str,
    &'a str,
    Repeat,
    &'a str,
    Option<&'a str>,
    Option<String>,
    Option<&'a str>,
);

#[test]
fn repeating_obligations_while_a_case_is_open_are_encoded() {
    let c = catalog();
    let found: Vec<RepeatRow> = c
        .processes
        .iter()
        .flat_map(|p| {
            p.repeats.iter().map(move |r| {
                (
                    p.code.as_str(),
                    r.code.as_str(),
                    r.every,
                    r.owner.as_str(),
                    r.during.as_ref().map(StepCode::as_str),
                    r.when.as_ref().map(ToString::to_string),
                    r.output.as_ref().map(OutputCode::as_str),
                )
            })
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "collaboration_request",
                "daily_tracking",
                Repeat::Daily,
                "coordination_specialist",
                Some("tracking"),
                None,
                None
            ),
            (
                "facility_repair",
                "major_fault_daily_update",
                Repeat::Daily,
                "logistics_supervisor",
                Some("repair"),
                Some("severity = major".to_string()),
                None
            ),
            (
                "emergency_incident",
                "progress_report",
                Repeat::EveryHours(4),
                "emergency_lead",
                Some("handle"),
                None,
                Some("incident_progress_report")
            ),
        ]
    );
}

#[test]
fn review_meetings_and_filings_name_who_takes_part_and_who_receives() {
    let c = catalog();
    let step = |p: &str, s: &str| c.process(p).unwrap().step(s).unwrap().clone();
    assert_eq!(
        step("collaboration_request", "review").participants,
        roles(&["participating_departments"])
    );
    assert_eq!(
        step("monthly_reimbursement_ledger", "compile").recipients,
        roles(&["director", "finance_department"])
    );
    assert_eq!(
        step("attendance_monthly_report", "submit_to_finance").recipients,
        roles(&["finance_department"])
    );
    assert_eq!(
        step("legal_dispute", "progress_report").participants,
        roles(&["legal_adviser"])
    );
}

#[test]
fn recurring_schedules_cover_every_period_of_the_standard() {
    let c = catalog();
    let schedules: std::collections::HashSet<Schedule> = c
        .processes
        .iter()
        .filter_map(|p| match p.trigger {
            Trigger::Recurring(s) => Some(s),
            _ => None,
        })
        .collect();
    for s in [
        Schedule::Daily,
        Schedule::Weekly,
        Schedule::Monthly,
        Schedule::Quarterly,
        Schedule::HalfYearly,
        Schedule::Yearly { month: None },
        Schedule::Yearly { month: Some(12) },
        Schedule::EveryDays(7),
    ] {
        assert!(schedules.contains(&s), "{s}");
    }
}

#[test]
fn event_fields_that_rules_anchor_on_are_dates_or_datetimes() {
    let c = catalog();
    let events = [
        ("incoming_document", "received_at"),
        ("meeting", "meeting_start"),
        ("meeting", "meeting_end"),
        ("supplies_purchase", "arrived_at"),
        ("onboarding", "start_date"),
        ("offboarding", "leaving_date"),
        ("emergency_incident", "incident_at"),
        ("official_visit", "visit_date"),
        ("themed_activity", "activity_date"),
        ("festival_care", "festival_date"),
    ];
    for (p, f) in events {
        let field = c
            .process(p)
            .unwrap()
            .field(f)
            .unwrap_or_else(|| panic!("{p}.{f}"));
        assert!(field.kind.is_moment(), "{p}.{f}");
    }
}

// ---- decisions ---------------------------------------------------------------------------

#[test]
fn every_decision_of_catalog_md_is_a_comment_where_it_applies() {
    let decisions = [
        (
            "01-coordination.toml",
            "one briefing per week covering all open collaboration cases",
        ),
        (
            "02-documents.toml",
            "dispatch is an explicit step (secretary)",
        ),
        (
            "04-archives.toml",
            "names no owner for the quarterly inspection",
        ),
        (
            "05-logistics.toml",
            "a quote above budget needs the director's approval",
        ),
        (
            "05-logistics.toml",
            "counted from the vendor reporting the repair done",
        ),
        ("06-hr.toml", "\"the clerk\" is the attendance clerk"),
        ("06-hr.toml", "is read as \"by the 5th\""),
        ("07-finance.toml", "is read as \"by the 10th\""),
        ("08-it.toml", "count from the request"),
        ("09-reception.toml", "without \"in advance\""),
        ("10-compliance.toml", "count from the dispute"),
        ("12-emergency.toml", "count from the report"),
    ];
    for (file, needle) in decisions {
        let text = BUILTIN_FILES.iter().find(|(n, _)| *n == file).unwrap().1;
        let found = text
            .lines()
            .any(|l| l.trim_start().starts_with("# decision") && l.contains(needle));
        assert!(
            found,
            "{file}: no `# decision` comment containing {needle:?}"
        );
    }
}
