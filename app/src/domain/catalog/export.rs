//! The catalog written back into the shapes of its files: [`Catalog::to_files`] is the inverse
//! of [`Catalog::from_files`], so an edit made in the app is checked by exactly the rules that
//! check hand-written files, and any version can be exported as TOML.

use std::collections::BTreeMap;

use super::files::*;
use super::model::*;

/// The file holding every role.
pub const ROLES_FILE: &str = "00-roles.toml";

impl Catalog {
    /// The catalog as files: `00-roles.toml` with every role, then one file per function
    /// (`NN-code.toml`, NN its order) with its ledgers, outputs and processes. Reading them back
    /// gives the same catalog.
    pub fn to_files(&self) -> Vec<(String, CatalogFile)> {
        let mut files = vec![(
            ROLES_FILE.to_string(),
            CatalogFile {
                role: self.roles.iter().map(role_entry).collect(),
                ..CatalogFile::default()
            },
        )];
        for function in &self.functions {
            let code = function.code.as_str();
            files.push((
                format!("{:02}-{}.toml", function.order, code.replace('_', "-")),
                CatalogFile {
                    function: Some(FunctionEntry {
                        code: Some(code.to_string()),
                        order: Some(function.order),
                        accent: Some(function.accent.clone()),
                        name: Some(function.name.clone()),
                        positioning: Some(function.positioning.clone()),
                    }),
                    role: Vec::new(),
                    ledger: self.ledgers_of(code).map(ledger_entry).collect(),
                    output: self.outputs_of(code).map(output_entry).collect(),
                    process: self.processes_of(code).map(process_entry).collect(),
                },
            ));
        }
        files
    }

    /// The catalog as TOML files, as `catalog check` reads them.
    pub fn to_toml_files(&self) -> Result<Vec<(String, String)>, String> {
        self.to_files()
            .into_iter()
            .map(|(name, file)| {
                toml::to_string(&file)
                    .map(|text| (name, text))
                    .map_err(|e| e.to_string())
            })
            .collect()
    }
}

fn codes<T: std::fmt::Display>(list: &[T]) -> Vec<String> {
    list.iter().map(ToString::to_string).collect()
}

fn role_entry(role: &Role) -> RoleEntry {
    RoleEntry {
        code: Some(role.code.to_string()),
        name: Some(role.name.clone()),
        kind: (role.kind == RoleKind::Outside).then(|| "outside".to_string()),
        // In a file without a function an omitted list means every function.
        functions: (!role.functions.is_empty()).then(|| codes(&role.functions)),
        responsibilities: Some(role.responsibilities.clone()),
        may_be_external: role.may_be_external.then_some(true),
    }
}

fn ledger_entry(ledger: &Ledger) -> LedgerEntry {
    LedgerEntry {
        code: Some(ledger.code.to_string()),
        function: Some(ledger.function.to_string()),
        name: Some(ledger.name.clone()),
        columns: ledger
            .columns
            .iter()
            .map(|c| ColumnEntry {
                code: Some(c.code.to_string()),
                name: Some(c.name.clone()),
            })
            .collect(),
    }
}

fn output_entry(output: &Output) -> OutputEntry {
    OutputEntry {
        code: Some(output.code.to_string()),
        function: Some(output.function.to_string()),
        name: Some(output.name.clone()),
        contents: output.contents.clone(),
    }
}

fn process_entry(process: &Process) -> ProcessEntry {
    let (trigger, event) = match &process.trigger {
        Trigger::OnRequest => ("on-request".to_string(), None),
        Trigger::Event(what) => ("event".to_string(), Some(what.clone())),
        Trigger::Recurring(schedule) => (schedule.to_string(), None),
    };
    ProcessEntry {
        code: Some(process.code.to_string()),
        function: Some(process.function.to_string()),
        name: Some(process.name.clone()),
        trigger: Some(trigger),
        event,
        raised_by: process.raised_by.as_ref().map(ToString::to_string),
        form: process.form.clone(),
        field: process.fields.iter().map(field_entry).collect(),
        step: process.steps.iter().map(step_entry).collect(),
        repeat: process.repeats.iter().map(repeat_entry).collect(),
    }
}

fn field_entry(field: &Field) -> FieldEntry {
    FieldEntry {
        code: Some(field.code.to_string()),
        label: Some(field.label.clone()),
        kind: Some(field.kind.keyword().to_string()),
        options: match &field.kind {
            FieldKind::Choice { options } => Some(options.clone()),
            _ => None,
        },
        required: (!field.required).then_some(false),
        help: field.help.clone(),
        filled_by: field.filled_by.as_ref().map(ToString::to_string),
    }
}

fn step_entry(step: &Step) -> StepEntry {
    StepEntry {
        code: Some(step.code.to_string()),
        name: Some(step.name.clone()),
        owner: Some(step.owner.to_string()),
        deadline: Some(
            step.deadline
                .as_ref()
                .map_or_else(|| "none".to_string(), ToString::to_string),
        ),
        anchor: Some(step.anchor.to_string()),
        when: step.when.as_ref().map(ToString::to_string),
        checklist: step.checklist.clone(),
        outputs: step
            .outputs
            .iter()
            .map(|o| match &o.when {
                Some(when) => format!("{} if {when}", o.output),
                None => o.output.to_string(),
            })
            .collect(),
        participants: codes(&step.participants),
        recipients: codes(&step.recipients),
        approval: step.approvals.iter().map(approval_entry).collect(),
        ledger: step.ledger.as_ref().map(|w| LedgerWriteEntry {
            code: Some(w.ledger.to_string()),
            by: w.by.as_ref().map(ToString::to_string),
            row: w
                .columns
                .iter()
                .map(|c| (c.column.to_string(), c.value.to_string()))
                .collect::<BTreeMap<_, _>>(),
        }),
        escalation: step
            .escalations
            .iter()
            .map(|e| EscalationEntry {
                to: Some(e.to.to_string()),
                within: Some(e.within.to_string()),
                on: Some(
                    match e.on {
                        EscalationOn::Overdue => "overdue",
                        EscalationOn::AnomalyFlagged => "anomaly",
                    }
                    .to_string(),
                ),
            })
            .collect(),
    }
}

fn approval_entry(approval: &Approval) -> ApprovalEntry {
    match approval {
        Approval::Single(role) => ApprovalEntry {
            by: Some(OneOrMany::One(role.to_string())),
            when: None,
        },
        Approval::All(roles) => ApprovalEntry {
            by: Some(OneOrMany::Many(codes(roles))),
            when: None,
        },
        Approval::Conditional { when, by } => ApprovalEntry {
            by: Some(OneOrMany::Many(codes(by))),
            when: Some(when.to_string()),
        },
    }
}

fn repeat_entry(repeat: &CaseRepeat) -> RepeatEntry {
    RepeatEntry {
        code: Some(repeat.code.to_string()),
        name: Some(repeat.name.clone()),
        every: Some(repeat.every.to_string()),
        owner: Some(repeat.owner.to_string()),
        during: repeat.during.as_ref().map(ToString::to_string),
        when: repeat.when.as_ref().map(ToString::to_string),
        output: repeat.output.as_ref().map(ToString::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::builtin;

    #[test]
    fn the_builtin_catalog_written_as_files_reads_back_the_same() {
        let catalog = builtin().unwrap();
        let files = catalog.to_files();
        assert_eq!(files.len(), 14);
        assert_eq!(files[0].0, ROLES_FILE);
        assert_eq!(files[2].0, "02-documents.toml");
        assert_eq!(Catalog::from_parsed(&files), Ok(catalog));
    }

    #[test]
    fn the_builtin_catalog_exported_as_toml_reads_back_the_same() {
        let catalog = builtin().unwrap();
        let files = catalog.to_toml_files().unwrap();
        assert_eq!(Catalog::from_files(&files), Ok(catalog));
    }

    #[test]
    fn a_broken_edit_is_reported_at_the_path_of_its_file() {
        let mut catalog = builtin().unwrap();
        let process = catalog
            .processes
            .iter_mut()
            .find(|p| p.code == "incoming_document")
            .unwrap();
        process.steps[1].owner = RoleCode::new("nobody");
        let errors = Catalog::from_parsed(&catalog.to_files()).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].file, "02-documents.toml");
        assert_eq!(errors[0].path, "process[incoming_document].step[2].owner");
    }
}
