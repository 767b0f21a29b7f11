//! Reading and validating catalog files: [`Catalog::from_files`] turns the TOML files into a
//! [`Catalog`] or reports every problem found, each with its file and path.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::files::{CatalogFile, FieldEntry, ProcessEntry, StepEntry};
use super::model::*;
use crate::domain::lang::Text;
use crate::domain::rules::{DeadlineRule, Repeat, Schedule};

/// One problem in the catalog files, printed as one line `file: path: reason`, e.g.
/// `02-documents.toml: process[incoming_document].step[2].owner: unknown role "clerk"`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogError {
    pub file: String,
    /// Where in the file: `process[incoming_document].step[2].owner` (steps, fields, repeats
    /// and other list items are numbered from 1), or `line 12, column 3` for a syntax error.
    pub path: String,
    pub reason: String,
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.path, self.reason)
    }
}

impl std::error::Error for CatalogError {}

impl Catalog {
    /// Reads and validates catalog files given as `(file name, TOML text)`, collecting every
    /// error rather than stopping at the first.
    pub fn from_files<N: AsRef<str>, T: AsRef<str>>(
        files: &[(N, T)],
    ) -> Result<Catalog, Vec<CatalogError>> {
        let mut syntax = Vec::new();
        let mut loaded = Vec::new();
        for (name, text) in files {
            let (name, text) = (name.as_ref(), text.as_ref());
            match toml::from_str::<CatalogFile>(text) {
                Ok(data) => loaded.push((name.to_string(), data)),
                Err(e) => syntax.push(syntax_error(name, text, &e)),
            }
        }
        Self::build(syntax, &loaded)
    }

    /// Validates catalog files already read into their shapes, as [`Catalog::from_files`]
    /// does after reading the TOML (an edit made in the app is checked this way).
    pub fn from_parsed(files: &[(String, CatalogFile)]) -> Result<Catalog, Vec<CatalogError>> {
        Self::build(Vec::new(), files)
    }

    fn build(
        errors: Vec<CatalogError>,
        loaded: &[(String, CatalogFile)],
    ) -> Result<Catalog, Vec<CatalogError>> {
        let mut b = Builder {
            errors,
            ..Builder::default()
        };
        for (file, data) in loaded {
            b.functions(file, data);
        }
        b.functions.sort_by_key(|f| f.order);
        for (file, data) in loaded {
            b.roles(file, data);
        }
        for (file, data) in loaded {
            b.ledgers_and_outputs(file, data);
        }
        let mut process_files: HashMap<String, String> = HashMap::new();
        for (file, data) in loaded {
            let default_function = data.function.as_ref().and_then(|f| f.code.clone());
            for (i, p) in data.process.iter().enumerate() {
                let base = label("process", &p.code, i);
                if let Some(code) = &p.code {
                    if let Some(other) = process_files.get(code) {
                        b.err(
                            file,
                            format!("{base}.code"),
                            format!("duplicate process code \"{code}\" (also in {other})"),
                        );
                    } else {
                        process_files.insert(code.clone(), file.to_string());
                    }
                }
                let process = b.process(file, &base, default_function.as_deref(), p);
                b.processes.push(process);
            }
        }
        if b.errors.is_empty() {
            Ok(Catalog {
                functions: b.functions,
                roles: b.roles,
                ledgers: b.ledgers,
                outputs: b.outputs,
                processes: b.processes,
            })
        } else {
            Err(b.errors)
        }
    }
}

fn syntax_error(file: &str, text: &str, e: &toml::de::Error) -> CatalogError {
    let path = match e.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |s| s.chars().count()) + 1;
            format!("line {line}, column {column}")
        }
        None => "(file)".to_string(),
    };
    CatalogError {
        file: file.to_string(),
        path,
        reason: e.message().trim().replace('\n', " "),
    }
}

/// `process[incoming_document]`, or `process[#3]` when the entry has no code.
fn label(kind: &str, code: &Option<String>, index: usize) -> String {
    match code {
        Some(c) if !c.trim().is_empty() => format!("{kind}[{c}]"),
        _ => format!("{kind}[#{}]", index + 1),
    }
}

fn is_hex_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

fn field_kind_list() -> &'static str {
    "text, long_text, number, money, date, datetime, department, person, choice, attachment"
}

#[derive(Default)]
struct Builder {
    errors: Vec<CatalogError>,
    functions: Vec<Function>,
    roles: Vec<Role>,
    ledgers: Vec<Ledger>,
    outputs: Vec<Output>,
    processes: Vec<Process>,
    function_files: HashMap<String, String>,
    role_files: HashMap<String, String>,
    ledger_files: HashMap<String, String>,
    output_files: HashMap<String, String>,
}

impl Builder {
    fn err(&mut self, file: &str, path: impl Into<String>, reason: impl Into<String>) {
        self.errors.push(CatalogError {
            file: file.to_string(),
            path: path.into(),
            reason: reason.into(),
        });
    }

    /// A required snake_case code; returns it (empty when missing or malformed).
    fn code(&mut self, file: &str, base: &str, code: &Option<String>) -> String {
        match code {
            None => {
                self.err(file, format!("{base}.code"), "missing code");
                String::new()
            }
            Some(c) if !is_code(c) => {
                self.err(
                    file,
                    format!("{base}.code"),
                    format!("\"{c}\" is not a snake_case code (a-z, 0-9 and _)"),
                );
                String::new()
            }
            Some(c) => c.clone(),
        }
    }

    /// A required text in both languages.
    fn text(&mut self, file: &str, path: String, text: &Option<Text>) -> Text {
        match text {
            None => {
                self.err(file, path, "missing: give { zh = \"…\", en = \"…\" }");
                Text::default()
            }
            Some(t) => {
                if t.zh.trim().is_empty() || t.en.trim().is_empty() {
                    self.err(
                        file,
                        path,
                        "both the Chinese (zh) and English (en) text are needed",
                    );
                }
                t.clone()
            }
        }
    }

    fn function_ref(&mut self, file: &str, path: String, code: &str) -> FunctionCode {
        if !self.function_files.contains_key(code) {
            self.err(file, path, format!("unknown function \"{code}\""));
        }
        FunctionCode::new(code)
    }

    fn role_ref(&mut self, file: &str, path: String, code: &str) -> RoleCode {
        if !self.role_files.contains_key(code) {
            self.err(file, path, format!("unknown role \"{code}\""));
        }
        RoleCode::new(code)
    }

    fn roles_ref(&mut self, file: &str, path: &str, codes: &[String]) -> Vec<RoleCode> {
        codes
            .iter()
            .enumerate()
            .map(|(i, c)| self.role_ref(file, format!("{path}[{}]", i + 1), c))
            .collect()
    }

    /// The function an entry belongs to: its own `function` key or its file's function.
    fn owning_function(
        &mut self,
        file: &str,
        base: &str,
        own: &Option<String>,
        default: Option<&str>,
    ) -> FunctionCode {
        match own.as_deref().or(default) {
            Some(code) => self.function_ref(file, format!("{base}.function"), code),
            None => {
                self.err(
                    file,
                    format!("{base}.function"),
                    "no function: write it in a function's file or give function = \"…\"",
                );
                FunctionCode::new("")
            }
        }
    }

    fn functions(&mut self, file: &str, data: &CatalogFile) {
        let Some(f) = &data.function else { return };
        let base = label("function", &f.code, 0);
        let code = self.code(file, &base, &f.code);
        if !code.is_empty() {
            if let Some(other) = self.function_files.get(&code) {
                let reason = format!("duplicate function code \"{code}\" (also in {other})");
                self.err(file, format!("{base}.code"), reason);
            } else {
                self.function_files.insert(code.clone(), file.to_string());
            }
        }
        let name = self.text(file, format!("{base}.name"), &f.name);
        let positioning = self.text(file, format!("{base}.positioning"), &f.positioning);
        let accent = match &f.accent {
            Some(a) if is_hex_colour(a) => a.to_ascii_lowercase(),
            Some(a) => {
                let reason = format!("\"{a}\" is not a colour written #rrggbb");
                self.err(file, format!("{base}.accent"), reason);
                a.clone()
            }
            None => {
                self.err(
                    file,
                    format!("{base}.accent"),
                    "missing accent colour (#rrggbb)",
                );
                String::new()
            }
        };
        let order = match f.order {
            Some(0) | None => {
                self.err(file, format!("{base}.order"), "missing order (1, 2, 3 …)");
                0
            }
            Some(n) => {
                if let Some(other) = self.functions.iter().find(|g| g.order == n) {
                    let reason =
                        format!("order {n} is already taken by function \"{}\"", other.code);
                    self.err(file, format!("{base}.order"), reason);
                }
                n
            }
        };
        self.functions.push(Function {
            code: FunctionCode(code),
            name,
            positioning,
            accent,
            order,
        });
    }

    fn roles(&mut self, file: &str, data: &CatalogFile) {
        let file_function = data.function.as_ref().and_then(|f| f.code.clone());
        for (i, r) in data.role.iter().enumerate() {
            let base = label("role", &r.code, i);
            let code = self.code(file, &base, &r.code);
            if !code.is_empty() {
                if let Some(other) = self.role_files.get(&code) {
                    let reason = format!("duplicate role code \"{code}\" (also in {other})");
                    self.err(file, format!("{base}.code"), reason);
                } else {
                    self.role_files.insert(code.clone(), file.to_string());
                }
            }
            let name = self.text(file, format!("{base}.name"), &r.name);
            let responsibilities = self.text(
                file,
                format!("{base}.responsibilities"),
                &r.responsibilities,
            );
            let kind = match r.kind.as_deref() {
                None | Some("office") => RoleKind::Office,
                Some("outside") => RoleKind::Outside,
                Some(other) => {
                    let reason = format!("unknown role kind \"{other}\"; known: office, outside");
                    self.err(file, format!("{base}.kind"), reason);
                    RoleKind::Office
                }
            };
            let codes = match &r.functions {
                Some(list) => list.clone(),
                None if kind == RoleKind::Office => file_function.clone().into_iter().collect(),
                None => Vec::new(),
            };
            let functions = codes
                .iter()
                .enumerate()
                .map(|(j, c)| self.function_ref(file, format!("{base}.functions[{}]", j + 1), c))
                .collect();
            self.roles.push(Role {
                code: RoleCode(code),
                name,
                kind,
                functions,
                responsibilities,
                may_be_external: r.may_be_external.unwrap_or(false),
            });
        }
    }

    fn ledgers_and_outputs(&mut self, file: &str, data: &CatalogFile) {
        let file_function = data.function.as_ref().and_then(|f| f.code.clone());
        for (i, l) in data.ledger.iter().enumerate() {
            let base = label("ledger", &l.code, i);
            let code = self.code(file, &base, &l.code);
            if !code.is_empty() {
                if let Some(other) = self.ledger_files.get(&code) {
                    let reason = format!("duplicate ledger code \"{code}\" (also in {other})");
                    self.err(file, format!("{base}.code"), reason);
                } else {
                    self.ledger_files.insert(code.clone(), file.to_string());
                }
            }
            let function = self.owning_function(file, &base, &l.function, file_function.as_deref());
            let name = self.text(file, format!("{base}.name"), &l.name);
            if l.columns.is_empty() {
                self.err(
                    file,
                    format!("{base}.columns"),
                    "a ledger needs at least one column",
                );
            }
            let mut columns: Vec<Column> = Vec::new();
            for (j, c) in l.columns.iter().enumerate() {
                let cbase = format!("{base}.columns[{}]", j + 1);
                let code = self.code(file, &cbase, &c.code);
                if !code.is_empty() && columns.iter().any(|k| k.code == code.as_str()) {
                    let reason = format!("duplicate column code \"{code}\" in this ledger");
                    self.err(file, format!("{cbase}.code"), reason);
                }
                let name = self.text(file, format!("{cbase}.name"), &c.name);
                columns.push(Column {
                    code: ColumnCode(code),
                    name,
                });
            }
            self.ledgers.push(Ledger {
                code: LedgerCode(code),
                function,
                name,
                columns,
            });
        }
        for (i, o) in data.output.iter().enumerate() {
            let base = label("output", &o.code, i);
            let code = self.code(file, &base, &o.code);
            if !code.is_empty() {
                if let Some(other) = self.output_files.get(&code) {
                    let reason = format!("duplicate output code \"{code}\" (also in {other})");
                    self.err(file, format!("{base}.code"), reason);
                } else {
                    self.output_files.insert(code.clone(), file.to_string());
                }
            }
            let function = self.owning_function(file, &base, &o.function, file_function.as_deref());
            let name = self.text(file, format!("{base}.name"), &o.name);
            let contents = o
                .contents
                .as_ref()
                .map(|_| self.text(file, format!("{base}.contents"), &o.contents));
            self.outputs.push(Output {
                code: OutputCode(code),
                function,
                name,
                contents,
            });
        }
    }

    fn process(
        &mut self,
        file: &str,
        base: &str,
        default_function: Option<&str>,
        p: &ProcessEntry,
    ) -> Process {
        let code = self.code(file, base, &p.code);
        let function = self.owning_function(file, base, &p.function, default_function);
        let name = self.text(file, format!("{base}.name"), &p.name);
        let trigger = match p.trigger.as_deref().map(str::trim) {
            None => {
                let reason =
                    "missing trigger: on-request, event or a schedule such as every(month)";
                self.err(file, format!("{base}.trigger"), reason);
                Trigger::OnRequest
            }
            Some("on-request") => Trigger::OnRequest,
            Some("event") => match &p.event {
                Some(_) => Trigger::Event(self.text(file, format!("{base}.event"), &p.event)),
                None => {
                    let reason = "an event trigger needs event = { zh = \"…\", en = \"…\" }";
                    self.err(file, format!("{base}.event"), reason);
                    Trigger::Event(Text::default())
                }
            },
            Some(other) => match other.parse::<Schedule>() {
                Ok(schedule) => Trigger::Recurring(schedule),
                Err(e) => {
                    let reason = format!("{e} (a trigger is on-request, event or every(…))");
                    self.err(file, format!("{base}.trigger"), reason);
                    Trigger::OnRequest
                }
            },
        };
        if p.event.is_some() && !matches!(trigger, Trigger::Event(_)) {
            let reason = "event is only for trigger = \"event\"";
            self.err(file, format!("{base}.event"), reason);
        }
        let raised_by = match &p.raised_by {
            Some(r) => Some(self.role_ref(file, format!("{base}.raised_by"), r)),
            None => {
                if trigger == Trigger::OnRequest {
                    let reason = "who raises a request? raised_by is missing";
                    self.err(file, format!("{base}.raised_by"), reason);
                }
                None
            }
        };
        let form = p
            .form
            .as_ref()
            .map(|_| self.text(file, format!("{base}.form"), &p.form));
        let fields = self.fields(file, base, &p.field);
        if p.step.is_empty() {
            self.err(
                file,
                format!("{base}.step"),
                "a process needs at least one step",
            );
        }
        let mut steps: Vec<Step> = Vec::new();
        for (k, s) in p.step.iter().enumerate() {
            let step = self.step(
                file,
                &format!("{base}.step[{}]", k + 1),
                k,
                s,
                &fields,
                p,
                &steps,
            );
            steps.push(step);
        }
        let mut repeats: Vec<CaseRepeat> = Vec::new();
        for (k, r) in p.repeat.iter().enumerate() {
            let rbase = format!("{base}.repeat[{}]", k + 1);
            let code = self.code(file, &rbase, &r.code);
            if !code.is_empty() && repeats.iter().any(|x| x.code == code.as_str()) {
                let reason = format!("duplicate repeat code \"{code}\" in this process");
                self.err(file, format!("{rbase}.code"), reason);
            }
            let name = self.text(file, format!("{rbase}.name"), &r.name);
            let every = match &r.every {
                None => {
                    let reason = "missing every, e.g. every(day) while open";
                    self.err(file, format!("{rbase}.every"), reason);
                    Repeat::Daily
                }
                Some(text) => text.parse::<Repeat>().unwrap_or_else(|e| {
                    self.err(file, format!("{rbase}.every"), e.to_string());
                    Repeat::Daily
                }),
            };
            let owner = match &r.owner {
                Some(o) => self.role_ref(file, format!("{rbase}.owner"), o),
                None => {
                    self.err(file, format!("{rbase}.owner"), "the repeat has no owner");
                    RoleCode::new("")
                }
            };
            let during = r.during.as_ref().map(|d| {
                if !steps.iter().any(|s| s.code == d.as_str()) {
                    self.err(
                        file,
                        format!("{rbase}.during"),
                        format!("unknown step \"{d}\""),
                    );
                }
                StepCode::new(d.as_str())
            });
            let when = self.condition(file, &format!("{rbase}.when"), &r.when, &fields);
            let output = r
                .output
                .as_ref()
                .map(|o| self.output_ref(file, format!("{rbase}.output"), o));
            repeats.push(CaseRepeat {
                code: RepeatCode(code),
                name,
                every,
                owner,
                during,
                when,
                output,
            });
        }
        Process {
            code: ProcessCode(code),
            function,
            name,
            trigger,
            raised_by,
            form,
            fields,
            steps,
            repeats,
        }
    }

    fn output_ref(&mut self, file: &str, path: String, code: &str) -> OutputCode {
        if !self.output_files.contains_key(code) {
            self.err(file, path, format!("unknown output \"{code}\""));
        }
        OutputCode::new(code)
    }

    fn fields(&mut self, file: &str, base: &str, entries: &[FieldEntry]) -> Vec<Field> {
        let mut fields: Vec<Field> = Vec::new();
        for (j, f) in entries.iter().enumerate() {
            let fbase = format!("{base}.field[{}]", j + 1);
            let code = self.code(file, &fbase, &f.code);
            if !code.is_empty() && fields.iter().any(|x| x.code == code.as_str()) {
                let reason = format!("duplicate field code \"{code}\" in this process");
                self.err(file, format!("{fbase}.code"), reason);
            }
            let label = self.text(file, format!("{fbase}.label"), &f.label);
            let kind = match f.kind.as_deref() {
                None => {
                    let reason = format!("missing kind ({})", field_kind_list());
                    self.err(file, format!("{fbase}.kind"), reason);
                    FieldKind::Text
                }
                Some("text") => FieldKind::Text,
                Some("long_text") => FieldKind::LongText,
                Some("number") => FieldKind::Number,
                Some("money") => FieldKind::Money,
                Some("date") => FieldKind::Date,
                Some("datetime") => FieldKind::DateTime,
                Some("department") => FieldKind::Department,
                Some("person") => FieldKind::Person,
                Some("attachment") => FieldKind::Attachment,
                Some("choice") => match &f.options {
                    Some(options) if !options.is_empty() => {
                        for (n, o) in options.iter().enumerate() {
                            let path = format!("{fbase}.options[{}]", n + 1);
                            self.text(file, path, &Some(o.clone()));
                        }
                        FieldKind::Choice {
                            options: options.clone(),
                        }
                    }
                    _ => {
                        let reason =
                            "a choice field needs options = [{ zh = \"…\", en = \"…\" }, …]";
                        self.err(file, format!("{fbase}.options"), reason);
                        FieldKind::Choice {
                            options: Vec::new(),
                        }
                    }
                },
                Some(other) => {
                    let reason = format!(
                        "unknown field kind \"{other}\"; known: {}",
                        field_kind_list()
                    );
                    self.err(file, format!("{fbase}.kind"), reason);
                    FieldKind::Text
                }
            };
            if f.options.is_some() && !matches!(kind, FieldKind::Choice { .. }) {
                let reason = "options are only for kind = \"choice\"";
                self.err(file, format!("{fbase}.options"), reason);
            }
            let help = f
                .help
                .as_ref()
                .map(|_| self.text(file, format!("{fbase}.help"), &f.help));
            let filled_by = f
                .filled_by
                .as_ref()
                .map(|r| self.role_ref(file, format!("{fbase}.filled_by"), r));
            fields.push(Field {
                code: FieldCode(code),
                label,
                kind,
                required: f.required.unwrap_or(true),
                help,
                filled_by,
            });
        }
        fields
    }

    /// Reads and checks an optional condition against the process's fields.
    fn condition(
        &mut self,
        file: &str,
        path: &str,
        text: &Option<String>,
        fields: &[Field],
    ) -> Option<Condition> {
        let text = text.as_ref()?;
        let condition = match text.parse::<Condition>() {
            Ok(c) => c,
            Err(reason) => {
                self.err(file, path, reason);
                return None;
            }
        };
        let numeric = |code: &FieldCode| -> Result<(), String> {
            match fields.iter().find(|f| &f.code == code) {
                None => Err(format!("unknown field \"{code}\" in the condition")),
                Some(f) if !f.kind.is_numeric() => Err(format!(
                    "field \"{code}\" is a {} field; a comparison needs a number or money field",
                    f.kind.keyword()
                )),
                Some(_) => Ok(()),
            }
        };
        let problems: Vec<String> = match &condition {
            Condition::Exceeds { field, of, .. } => [field, of]
                .into_iter()
                .filter_map(|c| numeric(c).err())
                .collect(),
            Condition::Above { field, .. } => numeric(field).err().into_iter().collect(),
            Condition::Is { field, option } => match fields.iter().find(|f| &f.code == field) {
                None => vec![format!("unknown field \"{field}\" in the condition")],
                Some(Field {
                    kind: FieldKind::Choice { options },
                    ..
                }) => {
                    if options.iter().any(|o| &o.zh == option || &o.en == option) {
                        Vec::new()
                    } else {
                        vec![format!("field \"{field}\" has no option \"{option}\"")]
                    }
                }
                Some(f) => vec![format!(
                    "field \"{field}\" is a {} field; \"=\" needs a choice field",
                    f.kind.keyword()
                )],
            },
        };
        let ok = problems.is_empty();
        for reason in problems {
            self.err(file, path, reason);
        }
        ok.then_some(condition)
    }

    #[allow(clippy::too_many_arguments)]
    fn step(
        &mut self,
        file: &str,
        sbase: &str,
        index: usize,
        s: &StepEntry,
        fields: &[Field],
        p: &ProcessEntry,
        earlier: &[Step],
    ) -> Step {
        let code = self.code(file, sbase, &s.code);
        if !code.is_empty() && earlier.iter().any(|x| x.code == code.as_str()) {
            let reason = format!("duplicate step code \"{code}\" in this process");
            self.err(file, format!("{sbase}.code"), reason);
        }
        let name = self.text(file, format!("{sbase}.name"), &s.name);
        let owner = match &s.owner {
            Some(o) => self.role_ref(file, format!("{sbase}.owner"), o),
            None => {
                self.err(file, format!("{sbase}.owner"), "the step has no owner");
                RoleCode::new("")
            }
        };
        let deadline = match s.deadline.as_deref().map(str::trim) {
            None => {
                let reason = "the step has no deadline; where the standard gives none, write \
                              deadline = \"none\" with a comment saying so";
                self.err(file, format!("{sbase}.deadline"), reason);
                None
            }
            Some("none") => None,
            Some(text) => match text.parse::<DeadlineRule>() {
                Ok(rule) => Some(rule),
                Err(e) => {
                    self.err(file, format!("{sbase}.deadline"), e.to_string());
                    None
                }
            },
        };
        let anchor = match &s.anchor {
            None if index == 0 => Anchor::CaseCreated,
            None => Anchor::PreviousStep,
            Some(text) => match text.parse::<Anchor>() {
                Ok(a) => a,
                Err(reason) => {
                    self.err(file, format!("{sbase}.anchor"), reason);
                    Anchor::PreviousStep
                }
            },
        };
        self.check_anchor(
            file,
            sbase,
            index,
            &anchor,
            deadline.as_ref(),
            fields,
            p,
            earlier,
        );
        let when = self.condition(file, &format!("{sbase}.when"), &s.when, fields);
        let mut outputs = Vec::new();
        for (n, text) in s.outputs.iter().enumerate() {
            let path = format!("{sbase}.outputs[{}]", n + 1);
            let (code, condition) = match text.split_once(" if ") {
                Some((code, cond)) => (code.trim(), Some(cond.trim().to_string())),
                None => (text.trim(), None),
            };
            let output = self.output_ref(file, path.clone(), code);
            let when = self.condition(file, &path, &condition, fields);
            outputs.push(StepOutput { output, when });
        }
        let participants = self.roles_ref(file, &format!("{sbase}.participants"), &s.participants);
        let recipients = self.roles_ref(file, &format!("{sbase}.recipients"), &s.recipients);
        let mut approvals = Vec::new();
        for (n, a) in s.approval.iter().enumerate() {
            let abase = format!("{sbase}.approval[{}]", n + 1);
            let codes = a.by.as_ref().map(|b| b.to_vec()).unwrap_or_default();
            if codes.is_empty() {
                self.err(
                    file,
                    format!("{abase}.by"),
                    "an approval needs by = \"role\" or [roles]",
                );
            }
            let by = self.roles_ref(file, &format!("{abase}.by"), &codes);
            let approval = match (&a.when, by.len()) {
                (Some(_), _) => {
                    match self.condition(file, &format!("{abase}.when"), &a.when, fields) {
                        Some(when) => Approval::Conditional { when, by },
                        None => Approval::All(by),
                    }
                }
                (None, 1) => Approval::Single(by[0].clone()),
                (None, _) => Approval::All(by),
            };
            approvals.push(approval);
        }
        let ledger = s.ledger.as_ref().map(|w| {
            let lbase = format!("{sbase}.ledger");
            let code = w.code.clone().unwrap_or_default();
            let ledger = self
                .ledgers
                .iter()
                .find(|l| l.code == code.as_str())
                .cloned();
            if w.code.is_none() {
                self.err(file, format!("{lbase}.code"), "missing the ledger's code");
            } else if ledger.is_none() {
                self.err(
                    file,
                    format!("{lbase}.code"),
                    format!("unknown ledger \"{code}\""),
                );
            }
            let by =
                w.by.as_ref()
                    .map(|r| self.role_ref(file, format!("{lbase}.by"), r));
            if w.row.is_empty() {
                let reason = "the row is empty: give row = { column = \"field:…\" }";
                self.err(file, format!("{lbase}.row"), reason);
            }
            let mut columns = Vec::new();
            for (column, value) in &w.row {
                let path = format!("{lbase}.row.{column}");
                if let Some(l) = &ledger {
                    if l.column(column).is_none() {
                        let reason = format!("ledger \"{code}\" has no column \"{column}\"");
                        self.err(file, path.clone(), reason);
                    }
                }
                match value.parse::<ValueSource>() {
                    Ok(value) => {
                        if let ValueSource::Field(f) = &value {
                            if !fields.iter().any(|x| &x.code == f) {
                                self.err(file, path.clone(), format!("unknown field \"{f}\""));
                            }
                        }
                        columns.push(ColumnValue {
                            column: ColumnCode::new(column.as_str()),
                            value,
                        });
                    }
                    Err(reason) => self.err(file, path, reason),
                }
            }
            if let Some(l) = &ledger {
                let position = |c: &ColumnCode| l.columns.iter().position(|k| &k.code == c);
                columns.sort_by_key(|c| position(&c.column));
            }
            LedgerWrite {
                ledger: LedgerCode(code),
                by,
                columns,
            }
        });
        let mut escalations = Vec::new();
        for (n, e) in s.escalation.iter().enumerate() {
            let ebase = format!("{sbase}.escalation[{}]", n + 1);
            let to = match &e.to {
                Some(r) => self.role_ref(file, format!("{ebase}.to"), r),
                None => {
                    self.err(file, format!("{ebase}.to"), "missing the role escalated to");
                    RoleCode::new("")
                }
            };
            let within = match e.within.as_deref().map(str::parse::<DeadlineRule>) {
                Some(Ok(rule)) => rule,
                Some(Err(err)) => {
                    self.err(file, format!("{ebase}.within"), err.to_string());
                    DeadlineRule::SameDay
                }
                None => {
                    self.err(
                        file,
                        format!("{ebase}.within"),
                        "missing within, e.g. h(24)",
                    );
                    DeadlineRule::SameDay
                }
            };
            let on = match e.on.as_deref() {
                Some("anomaly") => EscalationOn::AnomalyFlagged,
                Some("overdue") => EscalationOn::Overdue,
                Some(other) => {
                    let reason = format!("unknown \"{other}\"; known: anomaly, overdue");
                    self.err(file, format!("{ebase}.on"), reason);
                    EscalationOn::Overdue
                }
                None => {
                    self.err(
                        file,
                        format!("{ebase}.on"),
                        "missing on = \"anomaly\" or \"overdue\"",
                    );
                    EscalationOn::Overdue
                }
            };
            escalations.push(Escalation { to, within, on });
        }
        Step {
            code: StepCode(code),
            name,
            owner,
            deadline,
            anchor,
            when,
            checklist: s.checklist.clone(),
            outputs,
            approvals,
            participants,
            recipients,
            ledger,
            escalations,
        }
    }

    /// The anchor must exist, and an event rule (`before-event`, `window-before-event`) must be
    /// anchored on a date field of the case.
    #[allow(clippy::too_many_arguments)]
    fn check_anchor(
        &mut self,
        file: &str,
        sbase: &str,
        index: usize,
        anchor: &Anchor,
        deadline: Option<&DeadlineRule>,
        fields: &[Field],
        p: &ProcessEntry,
        earlier: &[Step],
    ) {
        let path = format!("{sbase}.anchor");
        match anchor {
            Anchor::PreviousStep if index == 0 => {
                let reason = "the first step has no previous step; use anchor = \"created\"";
                self.err(file, path.clone(), reason);
            }
            Anchor::Field(code) => match fields.iter().find(|f| &f.code == code) {
                None => self.err(file, path.clone(), format!("unknown field \"{code}\"")),
                Some(f) if !f.kind.is_moment() => {
                    let reason = format!(
                        "field \"{code}\" is a {} field; an anchor needs a date or datetime field",
                        f.kind.keyword()
                    );
                    self.err(file, path.clone(), reason);
                }
                Some(_) => {}
            },
            Anchor::Step(code) if !earlier.iter().any(|s| &s.code == code) => {
                let later = p
                    .step
                    .iter()
                    .any(|s| s.code.as_deref() == Some(code.as_str()));
                let reason = if later {
                    format!("step \"{code}\" is not an earlier step")
                } else {
                    format!("unknown step \"{code}\"")
                };
                self.err(file, path.clone(), reason);
            }
            _ => {}
        }
        let event_rule = matches!(
            deadline,
            Some(DeadlineRule::BeforeEvent(_) | DeadlineRule::WindowBeforeEvent { .. })
        );
        if event_rule && !matches!(anchor, Anchor::Field(_)) {
            let rule = deadline.map(ToString::to_string).unwrap_or_default();
            let reason = if fields.iter().any(|f| f.kind.is_moment()) {
                format!("\"{rule}\" counts back from an event: anchor it on a date field (anchor = \"field:…\")")
            } else {
                format!(
                    "\"{rule}\" counts back from an event, but the process has no date or \
                     datetime field to anchor on"
                )
            };
            self.err(file, path.clone(), reason);
        }
    }
}
