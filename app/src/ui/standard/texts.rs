//! The Standard pages' words in both languages. Every text is a field of [`StandardTexts`], so
//! a language that forgets one does not compile.

use leptos::prelude::*;

use crate::domain::lang::{Lang, Text};

/// Every fixed text of the handbook pages.
pub struct StandardTexts {
    pub kicker: &'static str,
    pub function_ordinal: fn(&str) -> String,
    pub print: &'static str,
    pub contents: &'static str,
    pub roles_title: &'static str,
    pub serves_all: &'static str,
    pub may_be_external: &'static str,
    pub processes_title: &'static str,
    pub step_count: fn(usize) -> String,
    pub trigger: &'static str,
    pub raised_by: &'static str,
    pub form: &'static str,
    pub fields: &'static str,
    pub required: &'static str,
    pub optional: &'static str,
    pub filled_by: fn(&str) -> String,
    pub steps: &'static str,
    pub step_number: fn(usize) -> String,
    pub owner: &'static str,
    pub deadline: &'static str,
    pub only_when: &'static str,
    pub checklist: &'static str,
    pub outputs: &'static str,
    pub output_when: fn(&str) -> String,
    pub approvals: &'static str,
    pub participants: &'static str,
    pub recipients: &'static str,
    pub ledger: &'static str,
    pub recorded_by: fn(&str) -> String,
    pub escalations: &'static str,
    pub repeats: &'static str,
    pub during: &'static str,
    pub ledgers_title: &'static str,
    pub columns: &'static str,
    pub outputs_title: &'static str,
    pub not_found_title: &'static str,
    pub not_found_lead: fn(&str) -> String,
    pub back_to_overview: &'static str,
    pub loading: &'static str,
}

pub const ZH: StandardTexts = StandardTexts {
    kicker: "规范",
    function_ordinal: |n| format!("第{n}项职能"),
    print: "打印手册",
    contents: "本页目录",
    roles_title: "角色分工",
    serves_all: "各职能共用",
    may_be_external: "可外聘",
    processes_title: "流程标准",
    step_count: |n| format!("共{n}步"),
    trigger: "触发方式",
    raised_by: "提报人",
    form: "申请表单",
    fields: "表单字段",
    required: "必填",
    optional: "选填",
    filled_by: |role| format!("由{role}填写"),
    steps: "办理步骤",
    step_number: |n| format!("第{n}步"),
    owner: "责任人",
    deadline: "时限",
    only_when: "适用条件",
    checklist: "重点核查",
    outputs: "输出",
    output_when: |condition| format!("({condition}时)"),
    approvals: "审批",
    participants: "参与",
    recipients: "报送",
    ledger: "登记台账",
    recorded_by: |role| format!("由{role}登记"),
    escalations: "升级",
    repeats: "办理期间",
    during: "步骤",
    ledgers_title: "台账",
    columns: "栏目",
    outputs_title: "表单与报告",
    not_found_title: "没有这项职能",
    not_found_lead: |code| {
        format!("办公室规范中没有代码为「{code}」的职能。请从导航中选择一项职能,或返回总览。")
    },
    back_to_overview: "返回总览",
    loading: "正在加载规范…",
};

pub const EN: StandardTexts = StandardTexts {
    kicker: "Standard",
    function_ordinal: |n| format!("Function {n}"),
    print: "Print handbook",
    contents: "On this page",
    roles_title: "Roles",
    serves_all: "Shared by all functions",
    may_be_external: "May be hired from outside",
    processes_title: "Process standards",
    step_count: |n| {
        if n == 1 {
            "1 step".to_string()
        } else {
            format!("{n} steps")
        }
    },
    trigger: "Starts",
    raised_by: "Raised by",
    form: "Request form",
    fields: "Form fields",
    required: "Required",
    optional: "Optional",
    filled_by: |role| format!("Recorded by {role}"),
    steps: "Steps",
    step_number: |n| format!("Step {n}"),
    owner: "Owner",
    deadline: "Deadline",
    only_when: "Only when",
    checklist: "Check",
    outputs: "Outputs",
    output_when: |condition| format!("(when {condition})"),
    approvals: "Approvals",
    participants: "Participants",
    recipients: "Submitted to",
    ledger: "Ledger",
    recorded_by: |role| format!("recorded by {role}"),
    escalations: "Escalation",
    repeats: "While open",
    during: "During step",
    ledgers_title: "Ledgers",
    columns: "Columns",
    outputs_title: "Forms and reports",
    not_found_title: "No such function",
    not_found_lead: |code| {
        format!(
            "The office standard has no function with the code \"{code}\". Choose a function \
             in the navigation, or go back to the overview."
        )
    },
    back_to_overview: "Back to the overview",
    loading: "Loading the standard…",
};

impl StandardTexts {
    pub fn of(lang: Lang) -> &'static StandardTexts {
        match lang {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }
}

/// A catalog text in the current language, as a reactive view.
pub fn tr(
    lang: RwSignal<Lang>,
    text: &Text,
) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let text = text.clone();
    move || text.get(lang.get()).to_string()
}

/// The page's fixed words in the current language, as a reactive accessor.
pub fn use_texts() -> impl Fn() -> &'static StandardTexts + Copy + Send + Sync + 'static {
    let lang = crate::ui::i18n::use_lang();
    move || StandardTexts::of(lang.get())
}
