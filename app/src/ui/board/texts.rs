//! The board's words in both languages.

use crate::domain::lang::Lang;

pub struct BoardTexts {
    pub board: &'static str,
    pub handbook: &'static str,
    pub lead: &'static str,
    pub as_of: &'static str,
    pub open: fn(usize) -> String,
    pub overdue: fn(usize) -> String,
    pub empty_column: &'static str,
    pub no_deadline: &'static str,
    pub approvals_missing: fn(usize) -> String,
    pub outputs_missing: fn(usize) -> String,
    pub escalated: &'static str,
    pub sign_in: &'static str,
    pub sign_in_lead: &'static str,
    pub cases_in_column: fn(usize) -> String,
}

pub const ZH: BoardTexts = BoardTexts {
    board: "看板",
    handbook: "流程标准",
    lead: "每个流程一行,每一步一列;卡片是办理中的请求,按超时、即将到期、按时排列。",
    as_of: "时限状态截至",
    open: |n| format!("办理中 {n}"),
    overdue: |n| format!("已超时 {n}"),
    empty_column: "暂无",
    no_deadline: "无时限",
    approvals_missing: |n| format!("待审批 {n}"),
    outputs_missing: |n| format!("缺输出 {n}"),
    escalated: "已升级",
    sign_in: "登录",
    sign_in_lead: "登录后可查看本职能的看板。",
    cases_in_column: |n| format!("{n} 件"),
};

pub const EN: BoardTexts = BoardTexts {
    board: "Board",
    handbook: "Standard",
    lead: "A row per process, a column per step; cards are open requests, overdue first.",
    as_of: "SLA states as of",
    open: |n| format!("{n} open"),
    overdue: |n| format!("{n} overdue"),
    empty_column: "None",
    no_deadline: "No deadline",
    approvals_missing: |n| format!("{n} approval{} pending", if n == 1 { "" } else { "s" }),
    outputs_missing: |n| format!("{n} output{} missing", if n == 1 { "" } else { "s" }),
    escalated: "Escalated",
    sign_in: "Sign in",
    sign_in_lead: "Sign in to see this function's board.",
    cases_in_column: |n| format!("{n} case{}", if n == 1 { "" } else { "s" }),
};

pub fn board_texts(lang: Lang) -> &'static BoardTexts {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}
