//! The UI's words in both languages. Every text is a field of [`Texts`], so a language that
//! forgets one does not compile: English is never half-translated.

use leptos::prelude::*;

use crate::domain::lang::Lang;

/// Every fixed text of the UI.
pub struct Texts {
    pub product: &'static str,
    pub product_tagline: &'static str,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    pub nav_overview: &'static str,
    pub nav_calendar: &'static str,
    pub nav_functions: &'static str,
    pub nav_settings: &'static str,
    pub nav_working_calendar: &'static str,
    pub open_menu: &'static str,
    pub close_menu: &'static str,
    pub language: &'static str,
    pub shortcuts: &'static str,
    pub shortcuts_title: &'static str,
    pub shortcut_help: &'static str,
    pub shortcut_overview: &'static str,
    pub shortcut_settings: &'static str,
    pub shortcut_close: &'static str,
    pub close: &'static str,
    pub overview_title: &'static str,
    pub overview_lead: &'static str,
    pub function_number: fn(usize) -> String,
    pub settings_title: &'static str,
    pub settings_lead: &'static str,
    pub org_name_label: &'static str,
    pub org_name_help: &'static str,
    /// Said in place of the help to someone who may not rename the organisation.
    pub org_name_admin_only: &'static str,
    pub save: &'static str,
    pub saving: &'static str,
    pub saved: &'static str,
    pub last_changed: &'static str,
    pub never_changed: &'static str,
    pub loading: &'static str,
    pub not_found_title: &'static str,
    pub not_found_lead: &'static str,
    pub back_to_overview: &'static str,
    pub load_failed: &'static str,
}

pub const ZH: Texts = Texts {
    product: "办公流程",
    product_tagline: "办公室十三职能 · 流程标准",
    skip_to_content: "跳到正文",
    nav_label: "主导航",
    nav_overview: "总览",
    nav_calendar: "截止日历",
    nav_functions: "十三职能",
    nav_settings: "机构设置",
    nav_working_calendar: "工作日历",
    open_menu: "打开导航",
    close_menu: "关闭导航",
    language: "语言",
    shortcuts: "快捷键",
    shortcuts_title: "键盘快捷键",
    shortcut_help: "显示本帮助",
    shortcut_overview: "前往总览",
    shortcut_settings: "前往机构设置",
    shortcut_close: "关闭对话框或菜单",
    close: "关闭",
    overview_title: "办公室总览",
    overview_lead: "十三项职能,各有角色分工与流程标准;每一步都有责任人和办理时限。",
    function_number: zh_number,
    settings_title: "机构设置",
    settings_lead: "机构名称显示在顶栏,并用于报表与日历订阅。",
    org_name_label: "机构名称",
    org_name_help: "1–60 个字符。",
    org_name_admin_only: "只有管理员可以修改机构名称。",
    save: "保存",
    saving: "正在保存…",
    saved: "已保存",
    last_changed: "最近修改",
    never_changed: "尚未修改",
    loading: "正在加载…",
    not_found_title: "页面不存在",
    not_found_lead: "您访问的地址没有对应的页面,可能已被移动或输入有误。",
    back_to_overview: "返回总览",
    load_failed: "加载失败",
};

pub const EN: Texts = Texts {
    product: "OfficeFlow",
    product_tagline: "13 office functions · process standards",
    skip_to_content: "Skip to content",
    nav_label: "Main navigation",
    nav_overview: "Overview",
    nav_calendar: "Deadlines calendar",
    nav_functions: "Office functions",
    nav_settings: "Organisation",
    nav_working_calendar: "Working-day calendar",
    open_menu: "Open navigation",
    close_menu: "Close navigation",
    language: "Language",
    shortcuts: "Keyboard shortcuts",
    shortcuts_title: "Keyboard shortcuts",
    shortcut_help: "Show this help",
    shortcut_overview: "Go to the overview",
    shortcut_settings: "Go to organisation settings",
    shortcut_close: "Close a dialog or menu",
    close: "Close",
    overview_title: "Office overview",
    overview_lead: "Thirteen functions, each with its roles and process standards; every step has an owner and a deadline.",
    function_number: en_number,
    settings_title: "Organisation settings",
    settings_lead: "The organisation's name appears in the top bar, in reports and in calendar feeds.",
    org_name_label: "Organisation name",
    org_name_help: "1–60 characters.",
    org_name_admin_only: "Only an administrator can change the organisation's name.",
    save: "Save",
    saving: "Saving…",
    saved: "Saved",
    last_changed: "Last changed",
    never_changed: "Never changed",
    loading: "Loading…",
    not_found_title: "Page not found",
    not_found_lead: "There is no page at this address; it may have moved or been mistyped.",
    back_to_overview: "Back to the overview",
    load_failed: "Could not load",
};

fn zh_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        _ => n.to_string(),
    }
}

fn en_number(n: usize) -> String {
    format!("{n:02}")
}

impl Lang {
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }
}

/// The current language, shared by every component.
#[derive(Clone, Copy)]
pub struct Locale(pub RwSignal<Lang>);

/// The current language signal (provided by [`crate::ui::App`]).
pub fn use_lang() -> RwSignal<Lang> {
    use_context::<Locale>()
        .map(|l| l.0)
        .unwrap_or_else(|| RwSignal::new(Lang::Zh))
}

/// Name of the cookie that remembers the language choice.
pub const LANG_COOKIE: &str = "officeflow_lang";

/// Reads the language from a `Cookie` header value.
pub fn lang_from_cookie_header(header: &str) -> Option<Lang> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LANG_COOKIE)
        .and_then(|(_, value)| Lang::from_tag(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_names_the_language() {
        assert_eq!(
            lang_from_cookie_header("a=1; officeflow_lang=en"),
            Some(Lang::En)
        );
        assert_eq!(
            lang_from_cookie_header("officeflow_lang=zh-CN"),
            Some(Lang::Zh)
        );
        assert_eq!(lang_from_cookie_header("officeflow_lang=fr"), None);
        assert_eq!(lang_from_cookie_header(""), None);
    }

    #[test]
    fn chinese_function_numbers_read_as_chinese() {
        assert_eq!(zh_number(1), "一");
        assert_eq!(zh_number(10), "十");
        assert_eq!(zh_number(13), "十三");
    }
}
