//! The deadline notation in words, in both languages: `wd(3)` → 「3个工作日内」 / "within 3
//! working days". The handbook pages and the case views show these.

use super::model::{Anchor, Approval, Condition, EscalationOn, Process, Step, Trigger};
use crate::domain::lang::Text;
use crate::domain::rules::{DeadlineRule, Lead, Repeat, Schedule};

fn plural(n: u32, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A deadline rule in words: `wd(3)` → 「3个工作日内」 / "within 3 working days".
pub fn rule(rule: &DeadlineRule) -> Text {
    match *rule {
        DeadlineRule::WorkingDays(n) => Text::new(
            format!("{n}个工作日内"),
            format!("within {}", plural(n, "working day", "working days")),
        ),
        DeadlineRule::SameDay => Text::new("当日", "same day"),
        DeadlineRule::Hours {
            hours,
            working: false,
        } => Text::new(
            format!("{hours}小时内"),
            format!("within {}", plural(hours, "hour", "hours")),
        ),
        DeadlineRule::Hours {
            hours,
            working: true,
        } => Text::new(
            format!("{hours}个工作小时内"),
            format!("within {}", plural(hours, "working hour", "working hours")),
        ),
        DeadlineRule::Minutes {
            minutes,
            working: false,
        } => Text::new(
            format!("{minutes}分钟内"),
            format!("within {}", plural(minutes, "minute", "minutes")),
        ),
        DeadlineRule::Minutes {
            minutes,
            working: true,
        } => Text::new(
            format!("{minutes}分钟内(按工作时间计)"),
            format!(
                "within {} of working time",
                plural(minutes, "minute", "minutes")
            ),
        ),
        DeadlineRule::BeforeEvent(Lead::WorkingDays(n)) => Text::new(
            format!("提前{n}个工作日"),
            format!("{} before", plural(n, "working day", "working days")),
        ),
        DeadlineRule::BeforeEvent(Lead::Hours(n)) => Text::new(
            format!("提前{n}小时"),
            format!("{} before", plural(n, "hour", "hours")),
        ),
        DeadlineRule::BeforeEvent(Lead::Weeks(n)) => Text::new(
            format!("提前{n}周"),
            format!("{} before", plural(n, "week", "weeks")),
        ),
        DeadlineRule::WindowBeforeEvent { working_days } => Text::new(
            format!("前{working_days}个工作日内"),
            format!(
                "within the {} before",
                plural(working_days, "working day", "working days")
            ),
        ),
        DeadlineRule::MonthlyBy { day } => Text::new(
            format!("每月{day}日前"),
            format!("by the {} of each month", ordinal(u32::from(day))),
        ),
    }
}

/// A step's deadline in words; `None` (the standard gives no time limit) → 「无时限」.
pub fn deadline(deadline: Option<&DeadlineRule>) -> Text {
    match deadline {
        Some(r) => rule(r),
        None => Text::new("无时限", "no deadline"),
    }
}

/// A schedule in words: `every(year, month 12)` → 「每年12月」 / "every year in December".
pub fn schedule(schedule: &Schedule) -> Text {
    match *schedule {
        Schedule::Daily => Text::new("每日", "every day"),
        Schedule::Weekly => Text::new("每周", "every week"),
        Schedule::Monthly => Text::new("每月", "every month"),
        Schedule::Quarterly => Text::new("每季度", "every quarter"),
        Schedule::HalfYearly => Text::new("每半年", "every half-year"),
        Schedule::Yearly { month: None } => Text::new("每年", "every year"),
        Schedule::Yearly { month: Some(m) } => {
            let month = MONTHS
                .get(usize::from(m).wrapping_sub(1))
                .map_or_else(|| format!("month {m}"), |s| s.to_string());
            Text::new(format!("每年{m}月"), format!("every year in {month}"))
        }
        Schedule::EveryDays(n) => Text::new(
            format!("每{n}天至少一次"),
            format!("at least once every {}", plural(n, "day", "days")),
        ),
    }
}

/// A repeat on an open case in words: `every(h 4) while open` → 「办理期间每4小时」.
pub fn repeat(repeat: &Repeat) -> Text {
    match *repeat {
        Repeat::Daily => Text::new("办理期间每日", "every day while open"),
        Repeat::Weekly => Text::new("办理期间每周", "every week while open"),
        Repeat::EveryHours(n) => Text::new(
            format!("办理期间每{n}小时"),
            format!("every {} while open", plural(n, "hour", "hours")),
        ),
    }
}

/// How a process starts, in words.
pub fn trigger(trigger: &Trigger) -> Text {
    match trigger {
        Trigger::OnRequest => Text::new("按需提报", "on request"),
        Trigger::Recurring(s) => schedule(s),
        Trigger::Event(event) => Text::new(
            format!("事件触发:{}", event.zh),
            format!("on an event: {}", event.en),
        ),
    }
}

/// What a step's deadline is counted from, in words (the field's label for a field anchor).
pub fn anchor(process: &Process, anchor: &Anchor) -> Text {
    match anchor {
        Anchor::CaseCreated => Text::new("自提报起", "from when the case is raised"),
        Anchor::PreviousStep => Text::new("自上一步完成起", "from the previous step"),
        Anchor::AnomalyFlagged => Text::new("自发现异常起", "from when an anomaly is flagged"),
        Anchor::Field(code) => match process.field(code.as_str()) {
            Some(f) => Text::new(
                format!("以「{}」为准", f.label.zh),
                format!("relative to {}", f.label.en),
            ),
            None => Text::new(code.as_str(), code.as_str()),
        },
        Anchor::Step(code) => match process.step(code.as_str()) {
            Some(s) => Text::new(
                format!("自「{}」完成起", s.name.zh),
                format!("from completion of \"{}\"", s.name.en),
            ),
            None => Text::new(code.as_str(), code.as_str()),
        },
    }
}

/// A condition in words, using the fields' labels.
pub fn condition(process: &Process, condition: &Condition) -> Text {
    let label = |code: &str| {
        process
            .field(code)
            .map_or_else(|| Text::new(code, code), |f| f.label.clone())
    };
    match condition {
        Condition::Exceeds {
            field,
            of,
            percent: 100,
        } => {
            let (a, b) = (label(field.as_str()), label(of.as_str()));
            Text::new(
                format!("{}超过{}", a.zh, b.zh),
                format!("{} above {}", a.en, b.en),
            )
        }
        Condition::Exceeds { field, of, percent } => {
            let (a, b) = (label(field.as_str()), label(of.as_str()));
            Text::new(
                format!("{}超过{}的{percent}%", a.zh, b.zh),
                format!("{} above {percent}% of {}", a.en, b.en),
            )
        }
        Condition::Above { field, value } => {
            let a = label(field.as_str());
            Text::new(
                format!("{}大于{value}", a.zh),
                format!("{} above {value}", a.en),
            )
        }
        Condition::Is { field, option } => {
            let a = label(field.as_str());
            Text::new(
                format!("{}为「{option}」", a.zh),
                format!("{} is \"{option}\"", a.en),
            )
        }
    }
}

/// An approval in words, with the roles' names looked up by `role_name`.
pub fn approval(process: &Process, approval: &Approval, role_name: impl Fn(&str) -> Text) -> Text {
    let names = |roles: &[crate::domain::catalog::RoleCode]| {
        let texts: Vec<Text> = roles.iter().map(|r| role_name(r.as_str())).collect();
        Text::new(
            texts
                .iter()
                .map(|t| t.zh.as_str())
                .collect::<Vec<_>>()
                .join("与"),
            texts
                .iter()
                .map(|t| t.en.as_str())
                .collect::<Vec<_>>()
                .join(" and "),
        )
    };
    match approval {
        Approval::Single(role) => {
            let n = role_name(role.as_str());
            Text::new(format!("经{}审批", n.zh), format!("approved by {}", n.en))
        }
        Approval::All(roles) => {
            let n = names(roles);
            Text::new(
                format!("经{}共同签字", n.zh),
                format!("signed by {} together", n.en),
            )
        }
        Approval::Conditional { when, by } => {
            let (n, c) = (names(by), condition(process, when));
            Text::new(
                format!("{}时经{}审批", c.zh, n.zh),
                format!("approved by {} when {}", n.en, c.en),
            )
        }
    }
}

/// When an escalation fires, in words.
pub fn escalation_on(on: EscalationOn) -> Text {
    match on {
        EscalationOn::Overdue => Text::new("逾期时", "when overdue"),
        EscalationOn::AnomalyFlagged => Text::new("发现异常时", "when an anomaly is flagged"),
    }
}

/// A step's deadline in words: the rule only (what the handbook's deadline column shows).
pub fn step_deadline(step: &Step) -> Text {
    deadline(step.deadline.as_ref())
}
