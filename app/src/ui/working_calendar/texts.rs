//! The working-calendar page's words in both languages.

use crate::domain::lang::Lang;

pub struct CalendarTexts {
    pub title: &'static str,
    pub lead: &'static str,
    pub missing_years: fn(&str) -> String,
    pub hours_title: &'static str,
    pub time_zone: &'static str,
    pub working_hours: &'static str,
    pub lunch: &'static str,
    pub no_lunch: &'static str,
    pub due_soon: &'static str,
    pub due_soon_rule: fn(u32, u32) -> String,
    pub published_title: &'static str,
    pub published_lead: &'static str,
    pub last_published: &'static str,
    pub overrides_title: &'static str,
    pub overrides_empty: &'static str,
    pub column_date: &'static str,
    pub column_kind: &'static str,
    pub column_name: &'static str,
    pub day_off: &'static str,
    pub working_day: &'static str,
    pub year_arrangement: &'static str,
    pub calculator_title: &'static str,
    pub calculator_lead: &'static str,
    pub rule_label: &'static str,
    pub rule_help: &'static str,
    pub anchor_label: &'static str,
    pub calculate: &'static str,
    pub calculating: &'static str,
    pub due_label: &'static str,
    pub opens_label: &'static str,
    pub provisional: &'static str,
    pub how_counted: &'static str,
}

pub const ZH: CalendarTexts = CalendarTexts {
    title: "工作日历",
    lead: "期限按中国的工作日历计算:周末与法定节假日不计,调休上班日照常计算。",
    missing_years: |years| {
        format!("{years} 年的法定节假日安排尚未录入:这些年份暂按周末计算,落在其中的期限标为“暂定”,录入安排后自动重算。")
    },
    hours_title: "工作时间",
    time_zone: "时区",
    working_hours: "工作时间",
    lunch: "午休",
    no_lunch: "无午休",
    due_soon: "临期提醒",
    due_soon_rule: |percent, minutes| {
        format!(
            "剩余不足 {percent}% 的时限,或不足 {} 小时",
            minutes as f32 / 60.0
        )
    },
    published_title: "已发布的节假日安排",
    published_lead: "内置 2020–2026 年国务院办公厅发布的放假与调休安排;管理员可录入新的年份。",
    last_published: "覆盖至",
    overrides_title: "本单位的调整",
    overrides_empty: "暂无调整。管理员可以增加额外的休息日或工作日,立即生效。",
    column_date: "日期",
    column_kind: "类型",
    column_name: "名称",
    day_off: "休",
    working_day: "班",
    year_arrangement: "全年安排",
    calculator_title: "期限计算器",
    calculator_lead: "输入规范中的时限写法和起算时间,查看截止时间及计算过程。",
    rule_label: "时限规则",
    rule_help:
        "例如 wd(3) 即 3 个工作日内;same-day 当日;h(24) 24 小时内;monthly-by(5) 每月 5 日前。",
    anchor_label: "起算时间",
    calculate: "计算",
    calculating: "正在计算…",
    due_label: "截止时间",
    opens_label: "开始时间",
    provisional: "暂定",
    how_counted: "计算过程",
};

pub const EN: CalendarTexts = CalendarTexts {
    title: "Working-day calendar",
    lead: "Deadlines count on China's working-day calendar: weekends and statutory holidays are skipped, make-up working days count.",
    missing_years: |years| {
        format!("The statutory holiday arrangement for {years} has not been entered: those years count weekends only, deadlines in them are marked provisional, and they are recomputed once it is entered.")
    },
    hours_title: "Working hours",
    time_zone: "Time zone",
    working_hours: "Working hours",
    lunch: "Lunch break",
    no_lunch: "No lunch break",
    due_soon: "Due soon",
    due_soon_rule: |percent, minutes| {
        format!("less than {percent}% of the allowed time, or less than {} hours, left", minutes as f32 / 60.0)
    },
    published_title: "Published holiday arrangements",
    published_lead: "The State Council's arrangements for 2020–2026 are built in; an administrator can enter new years.",
    last_published: "Covered until",
    overrides_title: "This organisation's changes",
    overrides_empty: "No changes. An administrator can add extra days off or working days; they apply at once.",
    column_date: "Date",
    column_kind: "Kind",
    column_name: "Name",
    day_off: "Day off",
    working_day: "Working day",
    year_arrangement: "Year's arrangement",
    calculator_title: "Deadline calculator",
    calculator_lead: "Enter a rule in the standard's notation and the moment it counts from, and see when it is due and how it was counted.",
    rule_label: "Rule",
    rule_help: "e.g. wd(3) within 3 working days; same-day; h(24) within 24 hours; monthly-by(5) by the 5th.",
    anchor_label: "Counted from",
    calculate: "Calculate",
    calculating: "Calculating…",
    due_label: "Due",
    opens_label: "Opens",
    provisional: "Provisional",
    how_counted: "How it was counted",
};

pub fn texts(lang: Lang) -> &'static CalendarTexts {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}
