//! Changes an administrator makes to the catalog in the app: a step's deadline, owner and
//! outputs, a new step, a new process. Each change is checked where it is typed (a reason per
//! field); the edited catalog as a whole is then checked by the rules of the catalog files
//! ([`check_catalog`]) and saved as a new version.

use serde::{Deserialize, Serialize};

use super::model::*;
use super::wording;
use crate::domain::lang::Text;
use crate::domain::rules::DeadlineRule;
use crate::error::FieldError;

/// The longest name of a step or process, in characters.
pub const MAX_NAME_CHARS: usize = 60;

/// What the editor sends to save: the catalog it started from and the edited catalog.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CatalogAmendment {
    /// The version the edit started from; saving is refused when another was saved since.
    pub base_version: u32,
    pub catalog: Catalog,
    pub note: String,
}

/// Reads a deadline as the catalog files write it (`wd(3)`, `h(24)`, `before-event(wd 2)` …);
/// `none` (or 无) where the standard gives no time limit.
pub fn parse_deadline(text: &str) -> Result<Option<DeadlineRule>, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldError::new(
            "deadline",
            "required",
            "请填写时限,例如 wd(3);没有时限时填 none。",
            "Give a time limit such as wd(3), or none where there is none.",
        ));
    }
    if text == "none" || text == "无" {
        return Ok(None);
    }
    text.parse::<DeadlineRule>().map(Some).map_err(|e| {
        FieldError::new(
            "deadline",
            "notation",
            &format!("无法识别的时限:{e}"),
            &format!("Cannot read this time limit: {e}"),
        )
    })
}

/// A step typed into the editor.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepInput {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub owner: String,
    pub deadline: String,
}

/// A process typed into the editor, with its first step.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessInput {
    pub function: String,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// The role that raises its requests.
    pub raised_by: String,
    pub step: StepInput,
}

fn check_code(field: &str, code: &str, taken: bool, errors: &mut Vec<FieldError>) {
    if code.is_empty() {
        errors.push(FieldError::new(
            field,
            "required",
            "请填写代码(小写字母、数字和下划线)。",
            "Give a code (lower-case letters, digits and _).",
        ));
    } else if !is_code(code) || code.len() > 40 {
        errors.push(FieldError::new(
            field,
            "code",
            "代码只能由小写字母、数字和下划线组成,以字母开头,不超过 40 个字符。",
            "A code is lower-case letters, digits and _, starts with a letter, at most 40 long.",
        ));
    } else if taken {
        errors.push(FieldError::new(
            field,
            "taken",
            &format!("代码 \"{code}\" 已被使用。"),
            &format!("The code \"{code}\" is already taken."),
        ));
    }
}

fn check_name(field: &str, name: &str, errors: &mut Vec<FieldError>) -> String {
    let name = name.trim();
    if name.is_empty() {
        errors.push(FieldError::new(
            field,
            "required",
            "请填写名称(中文和英文都需要)。",
            "Give the name (both Chinese and English are needed).",
        ));
    } else if name.chars().count() > MAX_NAME_CHARS {
        errors.push(FieldError::new(
            field,
            "too_long",
            "名称不能超过 60 个字符。",
            "The name can be at most 60 characters long.",
        ));
    }
    name.to_string()
}

fn check_role(
    field: &str,
    catalog: &Catalog,
    code: &str,
    function: &str,
    errors: &mut Vec<FieldError>,
) {
    let serves = catalog.role(code).is_some_and(|r| r.serves(function));
    if !serves {
        errors.push(FieldError::new(
            field,
            "unknown",
            "请选择本职能的一个角色。",
            "Choose a role of this function.",
        ));
    }
}

/// Checks a new step for a process: its code free in the process, both names, an owner
/// serving the process's function and a readable deadline.
pub fn check_new_step(
    catalog: &Catalog,
    process: &Process,
    input: &StepInput,
) -> Result<Step, Vec<FieldError>> {
    let mut errors = Vec::new();
    let code = input.code.trim();
    check_code("code", code, process.step(code).is_some(), &mut errors);
    let zh = check_name("name_zh", &input.name_zh, &mut errors);
    let en = check_name("name_en", &input.name_en, &mut errors);
    check_role(
        "owner",
        catalog,
        input.owner.trim(),
        process.function.as_str(),
        &mut errors,
    );
    let deadline = parse_deadline(&input.deadline).map_err(|e| errors.push(e));
    match deadline {
        Ok(deadline) if errors.is_empty() => Ok(Step {
            code: StepCode::new(code),
            name: Text::new(zh, en),
            owner: RoleCode::new(input.owner.trim()),
            deadline,
            anchor: Anchor::PreviousStep,
            when: None,
            checklist: Vec::new(),
            outputs: Vec::new(),
            approvals: Vec::new(),
            participants: Vec::new(),
            recipients: Vec::new(),
            ledger: None,
            escalations: Vec::new(),
        }),
        _ => Err(errors),
    }
}

/// Checks a new process raised on request: its code free in the whole catalog, both names,
/// the role raising it, and its first step (its field errors are prefixed `step.`).
pub fn check_new_process(
    catalog: &Catalog,
    input: &ProcessInput,
) -> Result<Process, Vec<FieldError>> {
    let mut errors = Vec::new();
    let function = input.function.trim();
    if catalog.function(function).is_none() {
        errors.push(FieldError::new(
            "function",
            "unknown",
            "请选择一个职能。",
            "Choose a function.",
        ));
    }
    let code = input.code.trim();
    check_code("code", code, catalog.process(code).is_some(), &mut errors);
    let zh = check_name("name_zh", &input.name_zh, &mut errors);
    let en = check_name("name_en", &input.name_en, &mut errors);
    let raised_by = input.raised_by.trim();
    if catalog.role(raised_by).is_none() {
        errors.push(FieldError::new(
            "raised_by",
            "unknown",
            "请选择提出申请的角色。",
            "Choose the role that raises the request.",
        ));
    }
    let mut process = Process {
        code: ProcessCode::new(code),
        function: FunctionCode::new(function),
        name: Text::new(zh, en),
        trigger: Trigger::OnRequest,
        raised_by: Some(RoleCode::new(raised_by)),
        form: None,
        fields: Vec::new(),
        steps: Vec::new(),
        repeats: Vec::new(),
    };
    match check_new_step(catalog, &process, &input.step) {
        Ok(mut step) => {
            step.anchor = Anchor::CaseCreated;
            process.steps.push(step);
        }
        Err(step_errors) => errors.extend(step_errors.into_iter().map(|mut e| {
            e.field = format!("step.{}", e.field);
            e
        })),
    }
    if errors.is_empty() {
        Ok(process)
    } else {
        Err(errors)
    }
}

/// Inserts a step after the step at `after` (its deadline then counts from that step's
/// completion, and the step that followed counts from the new one).
pub fn insert_step(process: &mut Process, after: usize, step: Step) {
    let at = (after + 1).min(process.steps.len());
    process.steps.insert(at, step);
}

/// Removes a step (a process keeps at least one). A new first step counts from the case's
/// creation. Anything else that named the step is reported by [`check_catalog`].
pub fn remove_step(process: &mut Process, index: usize) -> bool {
    if process.steps.len() < 2 || index >= process.steps.len() {
        return false;
    }
    process.steps.remove(index);
    if let Some(first) = process.steps.first_mut() {
        if first.anchor == Anchor::PreviousStep {
            first.anchor = Anchor::CaseCreated;
        }
    }
    true
}

/// Checks an edited catalog by the rules of the catalog files. Each problem is a field error
/// whose field is the problem's path (`process[incoming_document].step[2].owner`), so the
/// editor can show it at its input. A valid catalog comes back as the files read it (processes
/// in the order of their functions), the form in which it is saved.
pub fn check_catalog(catalog: &Catalog) -> Result<Catalog, Vec<FieldError>> {
    match Catalog::from_parsed(&catalog.to_files()) {
        Ok(read) => Ok(read),
        Err(problems) => Err(problems
            .iter()
            .map(|p| FieldError::new(&p.path, "catalog", &p.reason, &p.reason))
            .collect()),
    }
}

/// The path of a step's setting as [`check_catalog`] names it.
pub fn step_path(process: &Process, index: usize, setting: &str) -> String {
    format!("process[{}].step[{}].{setting}", process.code, index + 1)
}

/// Checks the note of a saved edit.
pub fn check_note(note: &str) -> Result<String, FieldError> {
    let note = note.trim();
    if note.is_empty() {
        Err(FieldError::new(
            "note",
            "required",
            "请说明本次修改的内容。",
            "Say what this edit changes.",
        ))
    } else if note.chars().count() > super::edit::MAX_NOTE_CHARS {
        Err(FieldError::new(
            "note",
            "too_long",
            "修改说明不能超过 200 个字符。",
            "The note can be at most 200 characters long.",
        ))
    } else {
        Ok(note.to_string())
    }
}

/// One difference between two versions, in words: `place` names the process (and step),
/// `what` says what changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CatalogChange {
    /// The process changed.
    pub process: ProcessCode,
    pub place: Text,
    pub what: Text,
}

fn joined(a: &Text, b: &Text) -> Text {
    Text::new(
        format!("{} · {}", a.zh, b.zh),
        format!("{} · {}", a.en, b.en),
    )
}

fn role_name(catalog: &Catalog, code: &RoleCode) -> Text {
    catalog.role(code.as_str()).map_or_else(
        || Text::new(code.as_str(), code.as_str()),
        |r| r.name.clone(),
    )
}

fn output_names(catalog: &Catalog, outputs: &[StepOutput]) -> Text {
    let names: Vec<Text> = outputs
        .iter()
        .map(|o| {
            catalog.output(o.output.as_str()).map_or_else(
                || Text::new(o.output.as_str(), o.output.as_str()),
                |x| x.name.clone(),
            )
        })
        .collect();
    if names.is_empty() {
        return Text::new("无", "none");
    }
    Text::new(
        names
            .iter()
            .map(|n| n.zh.as_str())
            .collect::<Vec<_>>()
            .join("、"),
        names
            .iter()
            .map(|n| n.en.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    )
}

fn from_to(label: Text, before: Text, after: Text) -> Text {
    Text::new(
        format!("{}:{} → {}", label.zh, before.zh, after.zh),
        format!("{}: {} → {}", label.en, before.en, after.en),
    )
}

/// What changed from `before` to `after`, process by process and step by step, in the order
/// of `after`; processes and steps that disappeared come last.
pub fn changes(before: &Catalog, after: &Catalog) -> Vec<CatalogChange> {
    let mut out = Vec::new();
    for process in &after.processes {
        let Some(old) = before.process(process.code.as_str()) else {
            out.push(CatalogChange {
                process: process.code.clone(),
                place: process.name.clone(),
                what: {
                    let n = process.steps.len();
                    let plural = if n == 1 { "" } else { "s" };
                    Text::new(
                        format!("新增流程({n} 个步骤)"),
                        format!("New process ({n} step{plural})"),
                    )
                },
            });
            continue;
        };
        if old.name != process.name {
            out.push(CatalogChange {
                process: process.code.clone(),
                place: process.name.clone(),
                what: from_to(
                    Text::new("名称", "Name"),
                    old.name.clone(),
                    process.name.clone(),
                ),
            });
        }
        for step in &process.steps {
            let place = joined(&process.name, &step.name);
            let Some(was) = old.step(step.code.as_str()) else {
                out.push(CatalogChange {
                    process: process.code.clone(),
                    place,
                    what: Text::new("新增步骤", "New step"),
                });
                continue;
            };
            if was.name != step.name {
                let what = from_to(
                    Text::new("名称", "Name"),
                    was.name.clone(),
                    step.name.clone(),
                );
                out.push(CatalogChange {
                    process: process.code.clone(),
                    place: place.clone(),
                    what,
                });
            }
            if was.owner != step.owner {
                let what = from_to(
                    Text::new("负责角色", "Owner"),
                    role_name(after, &was.owner),
                    role_name(after, &step.owner),
                );
                out.push(CatalogChange {
                    process: process.code.clone(),
                    place: place.clone(),
                    what,
                });
            }
            if was.deadline != step.deadline {
                let what = from_to(
                    Text::new("时限", "Time limit"),
                    wording::deadline(was.deadline.as_ref()),
                    wording::deadline(step.deadline.as_ref()),
                );
                out.push(CatalogChange {
                    process: process.code.clone(),
                    place: place.clone(),
                    what,
                });
            }
            if was.outputs != step.outputs {
                let what = from_to(
                    Text::new("产出", "Outputs"),
                    output_names(before, &was.outputs),
                    output_names(after, &step.outputs),
                );
                out.push(CatalogChange {
                    process: process.code.clone(),
                    place: place.clone(),
                    what,
                });
            }
        }
        let order = |p: &Process| p.steps.iter().map(|s| s.code.clone()).collect::<Vec<_>>();
        let kept_order: Vec<_> = order(process)
            .into_iter()
            .filter(|c| old.step(c.as_str()).is_some())
            .collect();
        let old_kept: Vec<_> = order(old)
            .into_iter()
            .filter(|c| process.step(c.as_str()).is_some())
            .collect();
        if kept_order != old_kept {
            out.push(CatalogChange {
                process: process.code.clone(),
                place: process.name.clone(),
                what: Text::new("步骤顺序调整", "Steps reordered"),
            });
        }
        for was in &old.steps {
            if process.step(was.code.as_str()).is_none() {
                out.push(CatalogChange {
                    process: process.code.clone(),
                    place: joined(&process.name, &was.name),
                    what: Text::new("删除步骤", "Step removed"),
                });
            }
        }
    }
    for old in &before.processes {
        if after.process(old.code.as_str()).is_none() {
            out.push(CatalogChange {
                process: old.code.clone(),
                place: old.name.clone(),
                what: Text::new("删除流程", "Process removed"),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::builtin;

    fn incoming(catalog: &mut Catalog) -> &mut Process {
        catalog
            .processes
            .iter_mut()
            .find(|p| p.code == "incoming_document")
            .unwrap()
    }

    fn fields(errors: &[FieldError]) -> Vec<(&str, &str)> {
        errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect()
    }

    #[test]
    fn a_deadline_reads_as_the_files_write_it() {
        assert_eq!(
            parse_deadline(" wd(2) "),
            Ok(Some(DeadlineRule::WorkingDays(2)))
        );
        assert_eq!(parse_deadline("none"), Ok(None));
        assert_eq!(parse_deadline("").unwrap_err().code, "required");
        let error = parse_deadline("two days").unwrap_err();
        assert_eq!(
            (error.field.as_str(), error.code.as_str()),
            ("deadline", "notation")
        );
    }

    #[test]
    fn a_new_step_needs_a_free_code_both_names_an_owner_of_the_function_and_a_deadline() {
        let catalog = builtin().unwrap();
        let process = catalog.process("incoming_document").unwrap();
        let first = process.steps[0].code.to_string();
        let stranger = catalog
            .roles
            .iter()
            .find(|r| r.kind == RoleKind::Office && !r.serves("documents"))
            .unwrap();
        let input = StepInput {
            code: first,
            name_zh: " ".into(),
            name_en: "x".repeat(61),
            owner: stranger.code.to_string(),
            deadline: "soon".into(),
        };
        let errors = check_new_step(&catalog, process, &input).unwrap_err();
        assert_eq!(
            fields(&errors),
            [
                ("code", "taken"),
                ("name_zh", "required"),
                ("name_en", "too_long"),
                ("owner", "unknown"),
                ("deadline", "notation"),
            ]
        );
        let input = StepInput {
            code: "double_check".into(),
            name_zh: "复核".into(),
            name_en: "Double check".into(),
            owner: "document_clerk".into(),
            deadline: "wd(1)".into(),
        };
        let step = check_new_step(&catalog, process, &input).unwrap();
        assert_eq!(step.anchor, Anchor::PreviousStep);
        assert_eq!(step.deadline, Some(DeadlineRule::WorkingDays(1)));
    }

    #[test]
    fn an_inserted_step_keeps_the_catalog_valid_and_is_listed_as_a_change() {
        let before = builtin().unwrap();
        let mut after = before.clone();
        let step = check_new_step(
            &before,
            before.process("incoming_document").unwrap(),
            &StepInput {
                code: "double_check".into(),
                name_zh: "复核".into(),
                name_en: "Double check".into(),
                owner: "document_clerk".into(),
                deadline: "wd(1)".into(),
            },
        )
        .unwrap();
        insert_step(incoming(&mut after), 0, step);
        incoming(&mut after).steps[0].deadline = Some(DeadlineRule::WorkingDays(2));
        assert!(check_catalog(&after).is_ok());
        let changes = changes(&before, &after);
        let whats: Vec<&str> = changes.iter().map(|c| c.what.en.as_str()).collect();
        assert_eq!(whats.len(), 2, "{changes:?}");
        assert!(whats[0].starts_with("Time limit: "), "{whats:?}");
        assert!(whats[0].ends_with("→ within 2 working days"), "{whats:?}");
        assert_eq!(whats[1], "New step");
        assert_eq!(incoming(&mut after).steps[1].code, "double_check");
    }

    #[test]
    fn removing_the_first_step_makes_the_next_count_from_creation() {
        let mut catalog = builtin().unwrap();
        let process = catalog
            .processes
            .iter_mut()
            .find(|p| p.steps.len() > 2 && p.steps[1].anchor == Anchor::PreviousStep)
            .unwrap();
        let steps = process.steps.len();
        assert!(remove_step(process, 0));
        assert_eq!(process.steps.len(), steps - 1);
        assert_eq!(process.steps[0].anchor, Anchor::CaseCreated);
        let mut single = process.clone();
        single.steps.truncate(1);
        assert!(!remove_step(&mut single, 0), "a process keeps one step");
    }

    #[test]
    fn a_step_another_one_counts_from_cannot_silently_go() {
        let mut catalog = builtin().unwrap();
        let (code, index) = catalog
            .processes
            .iter()
            .find_map(|p| {
                p.steps.iter().find_map(|s| match &s.anchor {
                    Anchor::Step(named) => p
                        .steps
                        .iter()
                        .position(|x| &x.code == named)
                        .map(|i| (p.code.clone(), i)),
                    _ => None,
                })
            })
            .expect("the standard anchors a step on a named earlier step");
        let process = catalog
            .processes
            .iter_mut()
            .find(|p| p.code == code)
            .unwrap();
        assert!(remove_step(process, index));
        let errors = check_catalog(&catalog).unwrap_err();
        assert!(errors[0]
            .field
            .starts_with(&format!("process[{code}].step[")));
        assert!(errors[0].field.ends_with("].anchor"), "{errors:?}");
    }

    #[test]
    fn a_new_process_needs_a_free_code_a_raiser_and_a_valid_first_step() {
        let catalog = builtin().unwrap();
        let taken = catalog.processes[0].code.to_string();
        let input = ProcessInput {
            function: "documents".into(),
            code: taken,
            name_zh: "用印申请".into(),
            name_en: "Seal request".into(),
            raised_by: "ghost".into(),
            step: StepInput::default(),
        };
        let errors = check_new_process(&catalog, &input).unwrap_err();
        assert_eq!(
            fields(&errors),
            [
                ("code", "taken"),
                ("raised_by", "unknown"),
                ("step.code", "required"),
                ("step.name_zh", "required"),
                ("step.name_en", "required"),
                ("step.owner", "unknown"),
                ("step.deadline", "required"),
            ]
        );
        let raiser = catalog
            .roles
            .iter()
            .find(|r| r.kind == RoleKind::Outside)
            .unwrap()
            .code
            .to_string();
        let input = ProcessInput {
            code: "seal_request".into(),
            raised_by: raiser,
            step: StepInput {
                code: "register".into(),
                name_zh: "登记".into(),
                name_en: "Register".into(),
                owner: "document_clerk".into(),
                deadline: "wd(1)".into(),
            },
            ..input
        };
        let process = check_new_process(&catalog, &input).unwrap();
        assert_eq!(process.steps[0].anchor, Anchor::CaseCreated);
        let mut after = catalog.clone();
        after.processes.push(process);
        assert!(check_catalog(&after).is_ok());
        let changes = changes(&catalog, &after);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].what.en, "New process (1 step)");
    }
}
