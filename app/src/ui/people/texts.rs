//! The words of signing in, the account menu and the inbox, in both languages.

use crate::domain::lang::Lang;

pub struct PeopleTexts {
    pub sign_in: &'static str,
    pub sign_in_title: &'static str,
    pub sign_in_lead: &'static str,
    pub login: &'static str,
    pub password: &'static str,
    pub signing_in: &'static str,
    pub sign_out: &'static str,
    pub demo_hint: &'static str,
    pub account: &'static str,
    pub inbox: &'static str,
    pub inbox_title: &'static str,
    /// The top bar's inbox link read aloud: all items, of which overdue.
    pub inbox_count: fn(usize, usize) -> String,
    pub inbox_lead: &'static str,
    pub inbox_empty: &'static str,
    pub inbox_sign_in: &'static str,
    pub kind_step: &'static str,
    pub kind_approval: &'static str,
    pub kind_escalation: &'static str,
    pub kind_repeat: &'static str,
    pub due: &'static str,
    pub no_deadline: &'static str,
    pub role: &'static str,
    pub count: fn(usize) -> String,
}

pub const ZH: PeopleTexts = PeopleTexts {
    sign_in: "登录",
    sign_in_title: "登录办公流程",
    sign_in_lead: "使用您的登录名和密码。",
    login: "登录名",
    password: "密码",
    signing_in: "正在登录…",
    sign_out: "退出登录",
    demo_hint: "演示账号:登录名为角色代码(如 document_clerk、director),密码 officeflow-demo。",
    account: "账号",
    inbox: "我的待办",
    inbox_title: "我的待办",
    inbox_count: |all, overdue| if overdue > 0 { format!("我的待办:{all} 项,其中 {overdue} 项已超时") } else { format!("我的待办:{all} 项") },
    inbox_lead: "需要您现在处理的事项:您负责的步骤、待您审批的事项、升级给您的事项和例行报告。已超时的排在最前。",
    inbox_empty: "目前没有需要您处理的事项。",
    inbox_sign_in: "登录后可查看您的待办。",
    kind_step: "办理",
    kind_approval: "审批",
    kind_escalation: "升级",
    kind_repeat: "例行",
    due: "时限",
    no_deadline: "无时限",
    role: "角色",
    count: |n| format!("共 {n} 项"),
};

pub const EN: PeopleTexts = PeopleTexts {
    sign_in: "Sign in",
    sign_in_title: "Sign in to OfficeFlow",
    sign_in_lead: "Use your login and password.",
    login: "Login",
    password: "Password",
    signing_in: "Signing in…",
    sign_out: "Sign out",
    demo_hint: "Demo accounts: the login is a role's code (e.g. document_clerk, director), the password officeflow-demo.",
    account: "Account",
    inbox: "My inbox",
    inbox_title: "My inbox",
    inbox_count: |all, overdue| if overdue > 0 { format!("My inbox: {all} items, {overdue} overdue") } else { format!("My inbox: {all} item{}", if all == 1 { "" } else { "s" }) },
    inbox_lead: "What needs you now: steps you own, approvals you owe, escalations to you and recurring reports. Overdue first.",
    inbox_empty: "Nothing needs you right now.",
    inbox_sign_in: "Sign in to see your inbox.",
    kind_step: "Step",
    kind_approval: "Approval",
    kind_escalation: "Escalation",
    kind_repeat: "Recurring",
    due: "Due",
    no_deadline: "No deadline",
    role: "Role",
    count: |n| format!("{n} item{}", if n == 1 { "" } else { "s" }),
};

pub fn people_texts(lang: Lang) -> &'static PeopleTexts {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}
