//! The typed model of the office standard: functions, roles, ledgers, named outputs and
//! processes with their form fields and steps.
//!
//! A [`Catalog`] is only ever built by [`Catalog::from_files`](super::Catalog::from_files),
//! which checks every cross reference, so code that holds a catalog may rely on the lookups
//! below succeeding for codes taken from the same catalog.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::domain::lang::Text;
use crate::domain::rules::{DeadlineRule, Repeat, Schedule};

macro_rules! code_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn new(code: impl Into<String>) -> Self {
                $name(code.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(code: &str) -> Self {
                $name(code.to_string())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

code_type!(
    /// Code of one of the office's functions, e.g. `documents`.
    FunctionCode
);
code_type!(
    /// Code of a role (office role or outside actor), e.g. `document_clerk`.
    RoleCode
);
code_type!(
    /// Code of a process, unique in the catalog, e.g. `incoming_document`.
    ProcessCode
);
code_type!(
    /// Code of a step, unique within its process, e.g. `sign_and_number`.
    StepCode
);
code_type!(
    /// Code of a form field, unique within its process, e.g. `meeting_start`.
    FieldCode
);
code_type!(
    /// Code of a ledger, unique in the catalog, e.g. `document_flow`.
    LedgerCode
);
code_type!(
    /// Code of a ledger column, unique within its ledger.
    ColumnCode
);
code_type!(
    /// Code of a named output (form or report such as 《协调方案》), unique in the catalog.
    OutputCode
);
code_type!(
    /// Code of a repeating obligation while a case is open, unique within its process.
    RepeatCode
);

/// Is `code` an ASCII snake_case code (`a-z`, `0-9`, `_`, starting with a letter)?
pub fn is_code(code: &str) -> bool {
    let mut chars = code.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
        && !code.ends_with('_')
        && !code.contains("__")
}

/// The whole standard: what the office does (functions), who does it (roles), what it keeps
/// (ledgers), what it writes (outputs) and how (processes).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    /// In the order of [`Function::order`].
    pub functions: Vec<Function>,
    /// Office roles and outside actors, in file order.
    pub roles: Vec<Role>,
    pub ledgers: Vec<Ledger>,
    /// The named forms and reports steps produce (《协调方案》, 《会议纪要》 …).
    pub outputs: Vec<Output>,
    pub processes: Vec<Process>,
}

impl Catalog {
    pub fn function(&self, code: &str) -> Option<&Function> {
        self.functions.iter().find(|f| f.code == code)
    }

    pub fn role(&self, code: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.code == code)
    }

    pub fn ledger(&self, code: &str) -> Option<&Ledger> {
        self.ledgers.iter().find(|l| l.code == code)
    }

    pub fn output(&self, code: &str) -> Option<&Output> {
        self.outputs.iter().find(|o| o.code == code)
    }

    pub fn process(&self, code: &str) -> Option<&Process> {
        self.processes.iter().find(|p| p.code == code)
    }

    /// The processes of one function, in file order.
    pub fn processes_of<'a>(&'a self, function: &'a str) -> impl Iterator<Item = &'a Process> {
        self.processes
            .iter()
            .filter(move |p| p.function == function)
    }

    /// The office roles serving one function, the director (who serves all) included.
    pub fn office_roles_of<'a>(&'a self, function: &'a str) -> impl Iterator<Item = &'a Role> {
        self.roles
            .iter()
            .filter(move |r| r.kind == RoleKind::Office && r.serves(function))
    }

    /// The ledgers kept by one function.
    pub fn ledgers_of<'a>(&'a self, function: &'a str) -> impl Iterator<Item = &'a Ledger> {
        self.ledgers.iter().filter(move |l| l.function == function)
    }

    /// The named outputs of one function.
    pub fn outputs_of<'a>(&'a self, function: &'a str) -> impl Iterator<Item = &'a Output> {
        self.outputs.iter().filter(move |o| o.function == function)
    }
}

/// One of the office's functions (职能), e.g. 文书与公文处理.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Function {
    pub code: FunctionCode,
    pub name: Text,
    /// 职能定位: the function's positioning statement, a full sentence.
    pub positioning: Text,
    /// Accent colour `#rrggbb` (e.g. a card edge), readable on white.
    pub accent: String,
    /// Position in the standard, 1 to 13 for the built-in functions.
    pub order: u32,
}

/// Whether a role is held inside the office or is an actor outside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RoleKind {
    /// A post of the office (办公室主任, 公文文员 …).
    Office,
    /// An actor outside the office (需求部门, 高层, 维修单位 …).
    Outside,
}

/// A role: who owns steps, approves, takes part or receives outputs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Role {
    pub code: RoleCode,
    pub name: Text,
    pub kind: RoleKind,
    /// The functions the role serves; empty means every function (the office director, and
    /// outside actors, who may appear in any function).
    pub functions: Vec<FunctionCode>,
    pub responsibilities: Text,
    /// The post may be filled by someone hired from outside (法务顾问 可外聘).
    pub may_be_external: bool,
}

impl Role {
    /// Does the role serve this function (always true when it serves every function)?
    pub fn serves(&self, function: &str) -> bool {
        self.functions.is_empty() || self.functions.iter().any(|f| f == function)
    }
}

/// A ledger (台账) the office keeps, e.g. 《公文流转台账》; steps add or update its rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    pub code: LedgerCode,
    /// The function keeping it.
    pub function: FunctionCode,
    pub name: Text,
    pub columns: Vec<Column>,
}

impl Ledger {
    pub fn column(&self, code: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.code == code)
    }
}

/// One column of a ledger.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub code: ColumnCode,
    pub name: Text,
}

/// A named form or report of the standard (《协调方案》, 《会议纪要》, 《故障分析报告》 …).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Output {
    pub code: OutputCode,
    /// The function whose steps produce it.
    pub function: FunctionCode,
    pub name: Text,
    /// What it must contain (the standard's 「含……」), when the standard says.
    pub contents: Option<Text>,
}

/// How a case of a process comes into being.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Trigger {
    /// Someone raises it (a department's request, an employee's claim …).
    OnRequest,
    /// It raises itself on a schedule (every month, every quarter …).
    Recurring(Schedule),
    /// Something happens (an incident, a dispute, an overspend alert, a fault found).
    Event(Text),
}

/// A process of the standard (流程), e.g. 收文流程.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Process {
    pub code: ProcessCode,
    pub function: FunctionCode,
    pub name: Text,
    pub trigger: Trigger,
    /// Who raises a case (for requests and events); `None` for purely scheduled processes.
    pub raised_by: Option<RoleCode>,
    /// The named request form the case starts with (《会议需求单》 …), if the standard names one.
    pub form: Option<Text>,
    pub fields: Vec<Field>,
    pub steps: Vec<Step>,
    /// Obligations repeating while a case is open (daily tracking, a report every 4 hours).
    pub repeats: Vec<CaseRepeat>,
}

impl Process {
    pub fn field(&self, code: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.code == code)
    }

    pub fn step(&self, code: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.code == code)
    }

    /// 1-based position of a step, as the error paths and the handbook number them.
    pub fn step_number(&self, code: &str) -> Option<usize> {
        self.steps
            .iter()
            .position(|s| s.code == code)
            .map(|i| i + 1)
    }
}

/// A field of a process's form (or recorded on the case later, see [`Field::filled_by`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub code: FieldCode,
    pub label: Text,
    pub kind: FieldKind,
    pub required: bool,
    pub help: Option<Text>,
    /// `None`: filled in by whoever raises the case. `Some(role)`: recorded during the case by
    /// that role (the goods' arrival by the logistics clerk, the leaving date by HR …).
    pub filled_by: Option<RoleCode>,
}

/// The type of a form field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FieldKind {
    Text,
    LongText,
    Number,
    Money,
    Date,
    DateTime,
    Department,
    Person,
    Choice { options: Vec<Text> },
    Attachment,
}

impl FieldKind {
    /// Number and money fields: the ones a condition may compare.
    pub fn is_numeric(&self) -> bool {
        matches!(self, FieldKind::Number | FieldKind::Money)
    }

    /// Date and date-time fields: the events a deadline may anchor on.
    pub fn is_moment(&self) -> bool {
        matches!(self, FieldKind::Date | FieldKind::DateTime)
    }

    /// The notation used in the catalog files (`long_text`, `datetime` …).
    pub fn keyword(&self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::LongText => "long_text",
            FieldKind::Number => "number",
            FieldKind::Money => "money",
            FieldKind::Date => "date",
            FieldKind::DateTime => "datetime",
            FieldKind::Department => "department",
            FieldKind::Person => "person",
            FieldKind::Choice { .. } => "choice",
            FieldKind::Attachment => "attachment",
        }
    }
}

/// The instant a step's deadline is counted from.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Anchor {
    /// Creation of the case (the default for the first step). File notation: `created`.
    CaseCreated,
    /// Completion of the previous step (the default for every other step): `previous`.
    PreviousStep,
    /// A date or date-time field of the case, e.g. the meeting's start: `field:meeting_start`.
    Field(FieldCode),
    /// The moment an anomaly is flagged on the case: `anomaly`. A step so anchored is raised
    /// only when (and each time) an anomaly is flagged.
    AnomalyFlagged,
    /// Completion of a named earlier step: `step:feasibility`.
    Step(StepCode),
}

impl fmt::Display for Anchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Anchor::CaseCreated => f.write_str("created"),
            Anchor::PreviousStep => f.write_str("previous"),
            Anchor::Field(code) => write!(f, "field:{code}"),
            Anchor::AnomalyFlagged => f.write_str("anomaly"),
            Anchor::Step(code) => write!(f, "step:{code}"),
        }
    }
}

impl FromStr for Anchor {
    type Err = String;
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let s = input.trim();
        let code = |c: &str| -> Result<String, String> {
            let c = c.trim();
            if is_code(c) {
                Ok(c.to_string())
            } else {
                Err(format!("\"{c}\" is not a snake_case code"))
            }
        };
        match s {
            "created" => Ok(Anchor::CaseCreated),
            "previous" => Ok(Anchor::PreviousStep),
            "anomaly" => Ok(Anchor::AnomalyFlagged),
            _ => {
                if let Some(rest) = s.strip_prefix("field:") {
                    Ok(Anchor::Field(FieldCode(code(rest)?)))
                } else if let Some(rest) = s.strip_prefix("step:") {
                    Ok(Anchor::Step(StepCode(code(rest)?)))
                } else {
                    Err(format!(
                        "cannot read anchor \"{s}\": expected created, previous, anomaly, \
                         field:CODE or step:CODE"
                    ))
                }
            }
        }
    }
}

/// A condition on the case's fields, written in the files as `quote > budget`,
/// `quote > 95% budget`, `anomaly_count > 0` or `severity = major`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Condition {
    /// `field > percent% of`: a numeric field exceeds a share of another (`percent` 100 when
    /// written without a percentage).
    Exceeds {
        field: FieldCode,
        of: FieldCode,
        percent: u32,
    },
    /// `field > value`: a numeric field exceeds a constant.
    Above { field: FieldCode, value: i64 },
    /// `field = option`: a choice field has this option (its Chinese or English text).
    Is { field: FieldCode, option: String },
}

impl Condition {
    /// The fields the condition reads.
    pub fn fields(&self) -> Vec<&FieldCode> {
        match self {
            Condition::Exceeds { field, of, .. } => vec![field, of],
            Condition::Above { field, .. } | Condition::Is { field, .. } => vec![field],
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Condition::Exceeds {
                field,
                of,
                percent: 100,
            } => write!(f, "{field} > {of}"),
            Condition::Exceeds { field, of, percent } => write!(f, "{field} > {percent}% {of}"),
            Condition::Above { field, value } => write!(f, "{field} > {value}"),
            Condition::Is { field, option } => write!(f, "{field} = {option}"),
        }
    }
}

impl FromStr for Condition {
    type Err = String;
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let fail = |why: &str| Err(format!("cannot read condition \"{}\": {why}", input.trim()));
        let code = |c: &str| -> Option<FieldCode> {
            let c = c.trim();
            is_code(c).then(|| FieldCode(c.to_string()))
        };
        if let Some((left, right)) = input.split_once('>') {
            let Some(field) = code(left) else {
                return fail("the left side must be a field code");
            };
            let right = right.trim();
            if let Ok(value) = right.parse::<i64>() {
                return Ok(Condition::Above { field, value });
            }
            if let Some((pct, of)) = right.split_once('%') {
                return match (pct.trim().parse::<u32>(), code(of)) {
                    (Ok(percent), Some(of)) if (1..=1000).contains(&percent) => {
                        Ok(Condition::Exceeds { field, of, percent })
                    }
                    _ => fail("expected \"field > N% other_field\" with N between 1 and 1000"),
                };
            }
            return match code(right) {
                Some(of) => Ok(Condition::Exceeds {
                    field,
                    of,
                    percent: 100,
                }),
                None => fail("the right side must be a number, a field code or N% field code"),
            };
        }
        if let Some((left, right)) = input.split_once('=') {
            let Some(field) = code(left) else {
                return fail("the left side must be a field code");
            };
            let option = right.trim();
            if option.is_empty() {
                return fail("the option after \"=\" is missing");
            }
            return Ok(Condition::Is {
                field,
                option: option.to_string(),
            });
        }
        fail("expected \"a > b\", \"a > 95% b\", \"a > 0\" or \"a = option\"")
    }
}

/// One step of a process.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub code: StepCode,
    pub name: Text,
    /// The role responsible for the step.
    pub owner: RoleCode,
    /// `None` only where the standard gives no time limit (the data says `deadline = "none"`).
    pub deadline: Option<DeadlineRule>,
    pub anchor: Anchor,
    /// The step applies only when this holds (e.g. `severity = major`).
    pub when: Option<Condition>,
    /// The standard's 「重点核查」 points and other things to do or check.
    pub checklist: Vec<Text>,
    /// Named forms and reports the step must produce.
    pub outputs: Vec<StepOutput>,
    /// Sign-offs the step's result needs before the step counts as done.
    pub approvals: Vec<Approval>,
    /// Roles that take part (e.g. the participating departments of a review meeting).
    pub participants: Vec<RoleCode>,
    /// Roles the result is submitted or filed to (e.g. 报主任与财务部门备案).
    pub recipients: Vec<RoleCode>,
    /// The ledger row the step writes.
    pub ledger: Option<LedgerWrite>,
    pub escalations: Vec<Escalation>,
}

/// A named output a step must produce, possibly only under a condition.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepOutput {
    pub output: OutputCode,
    pub when: Option<Condition>,
}

/// A sign-off.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Approval {
    /// One role signs.
    Single(RoleCode),
    /// Every one of these roles signs (双签, dual sign-off).
    All(Vec<RoleCode>),
    /// These roles all sign, but only when the condition holds (quote > budget → director).
    Conditional { when: Condition, by: Vec<RoleCode> },
}

impl Approval {
    pub fn roles(&self) -> &[RoleCode] {
        match self {
            Approval::Single(role) => std::slice::from_ref(role),
            Approval::All(roles) | Approval::Conditional { by: roles, .. } => roles,
        }
    }
}

/// The ledger row a step writes when it completes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LedgerWrite {
    pub ledger: LedgerCode,
    /// Who writes it when not the step's owner (the clerk records what the director decided).
    pub by: Option<RoleCode>,
    /// In the ledger's column order.
    pub columns: Vec<ColumnValue>,
}

/// Where one column of a ledger row comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnValue {
    pub column: ColumnCode,
    pub value: ValueSource,
}

/// The source of a ledger cell. File notation: `field:CODE`, `completed_at`, `completed_by`,
/// `value:TEXT`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ValueSource {
    Field(FieldCode),
    CompletedAt,
    CompletedBy,
    Fixed(String),
}

impl fmt::Display for ValueSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueSource::Field(code) => write!(f, "field:{code}"),
            ValueSource::CompletedAt => f.write_str("completed_at"),
            ValueSource::CompletedBy => f.write_str("completed_by"),
            ValueSource::Fixed(text) => write!(f, "value:{text}"),
        }
    }
}

impl FromStr for ValueSource {
    type Err = String;
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let s = input.trim();
        match s {
            "completed_at" => Ok(ValueSource::CompletedAt),
            "completed_by" => Ok(ValueSource::CompletedBy),
            _ => {
                if let Some(code) = s.strip_prefix("field:") {
                    let code = code.trim();
                    if is_code(code) {
                        return Ok(ValueSource::Field(FieldCode(code.to_string())));
                    }
                    return Err(format!("\"{code}\" is not a snake_case field code"));
                }
                if let Some(text) = s.strip_prefix("value:") {
                    return Ok(ValueSource::Fixed(text.trim().to_string()));
                }
                Err(format!(
                    "cannot read \"{s}\": expected field:CODE, completed_at, completed_by or \
                     value:TEXT"
                ))
            }
        }
    }
}

/// When an escalation fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EscalationOn {
    /// The step is past its deadline.
    Overdue,
    /// An anomaly is flagged on the step (as often as anomalies occur).
    AnomalyFlagged,
}

/// Raise the matter to another role within a time limit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Escalation {
    pub to: RoleCode,
    /// Counted from the moment of `on` (the anomaly being flagged, the deadline passing).
    pub within: DeadlineRule,
    pub on: EscalationOn,
}

/// An obligation repeating while a case is open (协调专员每日跟进; 每4小时更新《事件进展报告》).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseRepeat {
    pub code: RepeatCode,
    pub name: Text,
    pub every: Repeat,
    pub owner: RoleCode,
    /// Only while this step is under way; `None`: as long as the case is open.
    pub during: Option<StepCode>,
    /// Only when this holds (e.g. major faults).
    pub when: Option<Condition>,
    /// What each repetition produces, if a named output.
    pub output: Option<OutputCode>,
}
