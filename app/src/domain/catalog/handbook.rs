//! One function of the standard as the handbook shows it: every rule, role and reference
//! already in words, in both languages, so the pages only lay it out.

use serde::{Deserialize, Serialize};

use super::model::{
    Anchor, CaseRepeat, Catalog, Condition, Escalation, Field, FieldKind, Function, Ledger,
    LedgerWrite, Output, Process, Role, RoleKind, Step, StepOutput,
};
use super::wording;
use crate::domain::lang::Text;

/// A function of the office with its roles, processes, ledgers and outputs, in words.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FunctionHandbook {
    /// 1-based position in the standard, as the navigation numbers it.
    pub number: usize,
    pub code: String,
    pub name: Text,
    pub positioning: Text,
    /// Accent colour `#rrggbb`.
    pub accent: String,
    /// The office roles serving the function, the director included.
    pub roles: Vec<HandbookRole>,
    pub processes: Vec<HandbookProcess>,
    pub ledgers: Vec<HandbookLedger>,
    pub outputs: Vec<HandbookOutput>,
}

/// An office role of the function.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HandbookRole {
    pub code: String,
    pub name: Text,
    pub responsibilities: Text,
    /// 可外聘: the post may be filled from outside.
    pub may_be_external: bool,
    /// Shared by every function (the office director).
    pub serves_all: bool,
}

/// A process with its trigger, form and numbered steps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HandbookProcess {
    pub code: String,
    pub name: Text,
    /// How a case starts: 按需提报, 每月, 事件触发:…
    pub trigger: Text,
    /// Who raises a case, if anyone does.
    pub raised_by: Option<Text>,
    /// The named request form, e.g. 《借阅单》.
    pub form: Option<Text>,
    pub fields: Vec<HandbookField>,
    pub steps: Vec<HandbookStep>,
    /// Obligations repeating while a case is open.
    pub repeats: Vec<HandbookRepeat>,
}

/// A field of a process's form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HandbookField {
    pub label: Text,
    /// The field's type in words: 文本, 金额, 单选(电子档 / 纸质档) …
    pub kind: Text,
    pub required: bool,
    /// The role recording it during the case, when not the one raising it.
    pub filled_by: Option<Text>,
    pub help: Option<Text>,
}

/// A step, numbered from 1, with everything the standard asks of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HandbookStep {
    pub number: usize,
    pub code: String,
    pub name: Text,
    pub owner: Text,
    /// The deadline rule in words: 当日, 24小时内, 5个工作日内, 无时限 …
    pub deadline: Text,
    /// Whether the standard gives the step a time limit at all.
    pub has_deadline: bool,
    /// What the deadline counts from, only when not the default (case raised / previous step).
    pub anchor: Option<Text>,
    /// The step applies only when this holds.
    pub condition: Option<Text>,
    pub checklist: Vec<Text>,
    pub outputs: Vec<HandbookStepOutput>,
    /// Sign-offs in words: 经部门负责人与办公室主任共同签字 …
    pub approvals: Vec<Text>,
    pub participants: Vec<Text>,
    pub recipients: Vec<Text>,
    pub ledger: Option<HandbookLedgerWrite>,
    /// Escalations in words: 发现异常时,24小时内上报办公室主任.
    pub escalations: Vec<Text>,
}

/// A named output a step produces, possibly only under a condition.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HandbookStepOutput {
    pub name: Text,
    pub condition: Option<Text>,
}

/// The ledger a step writes, and who writes it when not the owner.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HandbookLedgerWrite {
    pub name: Text,
    pub by: Option<Text>,
}

/// An obligation repeating while a case is open.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HandbookRepeat {
    pub name: Text,
    /// 办理期间每4小时 / every 4 hours while open.
    pub every: Text,
    pub owner: Text,
    /// The step it accompanies, as "number. name".
    pub during: Option<Text>,
    pub condition: Option<Text>,
    pub output: Option<Text>,
}

/// A ledger the function keeps, with its columns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HandbookLedger {
    pub code: String,
    pub name: Text,
    pub columns: Vec<Text>,
}

/// A named form or report of the function.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HandbookOutput {
    pub code: String,
    pub name: Text,
    pub contents: Option<Text>,
}

/// The handbook of one function, or `None` when the catalog has no function `code`.
pub fn function_handbook(catalog: &Catalog, code: &str) -> Option<FunctionHandbook> {
    let index = catalog.functions.iter().position(|f| f.code == code)?;
    let function: &Function = &catalog.functions[index];
    let code = function.code.as_str();
    let words = Words { catalog };
    Some(FunctionHandbook {
        number: index + 1,
        code: code.to_string(),
        name: function.name.clone(),
        positioning: function.positioning.clone(),
        accent: function.accent.clone(),
        roles: catalog.office_roles_of(code).map(role).collect(),
        processes: catalog
            .processes_of(code)
            .map(|p| words.process(p))
            .collect(),
        ledgers: catalog.ledgers_of(code).map(ledger).collect(),
        outputs: catalog.outputs_of(code).map(output).collect(),
    })
}

fn role(role: &Role) -> HandbookRole {
    HandbookRole {
        code: role.code.as_str().to_string(),
        name: role.name.clone(),
        responsibilities: role.responsibilities.clone(),
        may_be_external: role.may_be_external,
        serves_all: role.kind == RoleKind::Office && role.functions.is_empty(),
    }
}

fn ledger(ledger: &Ledger) -> HandbookLedger {
    HandbookLedger {
        code: ledger.code.as_str().to_string(),
        name: ledger.name.clone(),
        columns: ledger.columns.iter().map(|c| c.name.clone()).collect(),
    }
}

fn output(output: &Output) -> HandbookOutput {
    HandbookOutput {
        code: output.code.as_str().to_string(),
        name: output.name.clone(),
        contents: output.contents.clone(),
    }
}

/// The type of a form field in words.
pub fn field_kind(kind: &FieldKind) -> Text {
    match kind {
        FieldKind::Text => Text::new("文本", "Text"),
        FieldKind::LongText => Text::new("长文本", "Long text"),
        FieldKind::Number => Text::new("数字", "Number"),
        FieldKind::Money => Text::new("金额", "Amount"),
        FieldKind::Date => Text::new("日期", "Date"),
        FieldKind::DateTime => Text::new("日期时间", "Date and time"),
        FieldKind::Department => Text::new("部门", "Department"),
        FieldKind::Person => Text::new("人员", "Person"),
        FieldKind::Attachment => Text::new("附件", "Attachment"),
        FieldKind::Choice { options } => {
            let zh: Vec<&str> = options.iter().map(|o| o.zh.as_str()).collect();
            let en: Vec<&str> = options.iter().map(|o| o.en.as_str()).collect();
            Text::new(
                format!("单选({})", zh.join(" / ")),
                format!("Choice ({})", en.join(" / ")),
            )
        }
    }
}

/// A condition in words; a choice is named by its option in each language (重大 / major),
/// whichever language the data wrote it in.
pub fn condition(process: &Process, condition: &Condition) -> Text {
    if let Condition::Is { field, option } = condition {
        if let Some(f) = process.field(field.as_str()) {
            if let FieldKind::Choice { options } = &f.kind {
                if let Some(o) = options.iter().find(|o| o.zh == *option || o.en == *option) {
                    return Text::new(
                        format!("{}为「{}」", f.label.zh, o.zh),
                        format!("{} is \"{}\"", f.label.en, o.en),
                    );
                }
            }
        }
    }
    wording::condition(process, condition)
}

/// Looks up names in the catalog while turning a process into words.
struct Words<'a> {
    catalog: &'a Catalog,
}

impl Words<'_> {
    fn role_name(&self, code: &str) -> Text {
        self.catalog
            .role(code)
            .map_or_else(|| Text::new(code, code), |r| r.name.clone())
    }

    fn role_names<'r>(&self, codes: impl IntoIterator<Item = &'r super::RoleCode>) -> Vec<Text> {
        codes
            .into_iter()
            .map(|c| self.role_name(c.as_str()))
            .collect()
    }

    fn output_name(&self, code: &str) -> Text {
        self.catalog
            .output(code)
            .map_or_else(|| Text::new(code, code), |o| o.name.clone())
    }

    fn process(&self, process: &Process) -> HandbookProcess {
        HandbookProcess {
            code: process.code.as_str().to_string(),
            name: process.name.clone(),
            trigger: wording::trigger(&process.trigger),
            raised_by: process
                .raised_by
                .as_ref()
                .map(|r| self.role_name(r.as_str())),
            form: process.form.clone(),
            fields: process.fields.iter().map(|f| self.field(f)).collect(),
            steps: process
                .steps
                .iter()
                .enumerate()
                .map(|(i, s)| self.step(process, i, s))
                .collect(),
            repeats: process
                .repeats
                .iter()
                .map(|r| self.repeat(process, r))
                .collect(),
        }
    }

    fn field(&self, field: &Field) -> HandbookField {
        HandbookField {
            label: field.label.clone(),
            kind: field_kind(&field.kind),
            required: field.required,
            filled_by: field.filled_by.as_ref().map(|r| self.role_name(r.as_str())),
            help: field.help.clone(),
        }
    }

    fn step(&self, process: &Process, index: usize, step: &Step) -> HandbookStep {
        let default_anchor = if index == 0 {
            Anchor::CaseCreated
        } else {
            Anchor::PreviousStep
        };
        let approvals = step
            .approvals
            .iter()
            .map(|a| wording::approval(process, a, |r| self.role_name(r)))
            .collect();
        HandbookStep {
            number: index + 1,
            code: step.code.as_str().to_string(),
            name: step.name.clone(),
            owner: self.role_name(step.owner.as_str()),
            deadline: wording::step_deadline(step),
            has_deadline: step.deadline.is_some(),
            anchor: (step.anchor != default_anchor).then(|| wording::anchor(process, &step.anchor)),
            condition: step.when.as_ref().map(|c| condition(process, c)),
            checklist: step.checklist.clone(),
            outputs: step
                .outputs
                .iter()
                .map(|o| self.step_output(process, o))
                .collect(),
            approvals,
            participants: self.role_names(&step.participants),
            recipients: self.role_names(&step.recipients),
            ledger: step.ledger.as_ref().map(|l| self.ledger_write(l)),
            // The catalog's escalations and the default one for overdue steps, as the
            // engine applies them.
            escalations: crate::domain::workflow::escalation::escalations_of(step)
                .iter()
                .map(|e| self.escalation(e))
                .collect(),
        }
    }

    fn step_output(&self, process: &Process, output: &StepOutput) -> HandbookStepOutput {
        HandbookStepOutput {
            name: self.output_name(output.output.as_str()),
            condition: output.when.as_ref().map(|c| condition(process, c)),
        }
    }

    fn ledger_write(&self, write: &LedgerWrite) -> HandbookLedgerWrite {
        let name = self.catalog.ledger(write.ledger.as_str()).map_or_else(
            || Text::new(write.ledger.as_str(), write.ledger.as_str()),
            |l| l.name.clone(),
        );
        HandbookLedgerWrite {
            name,
            by: write.by.as_ref().map(|r| self.role_name(r.as_str())),
        }
    }

    fn escalation(&self, escalation: &Escalation) -> Text {
        let (on, within) = (
            wording::escalation_on(escalation.on),
            wording::rule(&escalation.within),
        );
        let to = self.role_name(escalation.to.as_str());
        Text::new(
            format!("{},{}上报{}", on.zh, within.zh, to.zh),
            format!("{}, escalate to {} {}", on.en, to.en, within.en),
        )
    }

    fn repeat(&self, process: &Process, repeat: &CaseRepeat) -> HandbookRepeat {
        let during = repeat.during.as_ref().and_then(|code| {
            let number = process.step_number(code.as_str())?;
            let step = process.step(code.as_str())?;
            Some(Text::new(
                format!("{number}. {}", step.name.zh),
                format!("{number}. {}", step.name.en),
            ))
        });
        HandbookRepeat {
            name: repeat.name.clone(),
            every: wording::repeat(&repeat.every),
            owner: self.role_name(repeat.owner.as_str()),
            during,
            condition: repeat.when.as_ref().map(|c| condition(process, c)),
            output: repeat.output.as_ref().map(|o| self.output_name(o.as_str())),
        }
    }
}

#[cfg(test)]
#[path = "handbook_tests.rs"]
mod tests;
