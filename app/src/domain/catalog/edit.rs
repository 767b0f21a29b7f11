//! An administrator's edit of the catalog: files and a note in, a validated catalog out, or
//! every problem as a field error the UI and scripts can show.

use serde::{Deserialize, Serialize};

use super::model::Catalog;
use crate::error::FieldError;

/// The most files an edit may carry.
pub const MAX_FILES: usize = 100;
/// The longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 200;

/// One catalog file of an edit, as `catalog check` and the built-in files name them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogFileInput {
    pub name: String,
    pub text: String,
}

/// Validates an edit: the complete set of catalog files plus a note saying what changed.
pub fn parse_edit(
    files: &[CatalogFileInput],
    note: &str,
) -> Result<(Catalog, String), Vec<FieldError>> {
    let mut errors = Vec::new();
    let note = super::amend::check_note(note).map_err(|e| errors.push(e));
    if files.is_empty() || files.len() > MAX_FILES {
        errors.push(FieldError::new(
            "files",
            "count",
            "请提交完整的规范文件(1–100 个)。",
            "Send the complete set of catalog files (1–100).",
        ));
    }
    for file in files {
        let name_ok = file.name.ends_with(".toml")
            && file.name.len() <= 100
            && !file.name.contains(['/', '\\'])
            && !file.name.starts_with('.');
        if !name_ok {
            let message = format!("\"{}\"", file.name);
            errors.push(FieldError::new(
                "files",
                "file_name",
                &format!("文件名 {message} 无效:应为不含路径的 .toml 文件名。"),
                &format!("The file name {message} is invalid: a .toml name without a folder."),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let pairs: Vec<(&str, &str)> = files
        .iter()
        .map(|f| (f.name.as_str(), f.text.as_str()))
        .collect();
    match Catalog::from_files(&pairs) {
        Ok(catalog) => Ok((catalog, note.unwrap_or_default())),
        Err(problems) => Err(problems
            .iter()
            .map(|p| {
                let line = p.to_string();
                FieldError::new("files", "catalog", &line, &line)
            })
            .collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::BUILTIN_FILES;

    fn builtin_inputs() -> Vec<CatalogFileInput> {
        BUILTIN_FILES
            .iter()
            .map(|(name, text)| CatalogFileInput {
                name: name.to_string(),
                text: text.to_string(),
            })
            .collect()
    }

    #[test]
    fn the_builtin_files_with_a_note_are_a_valid_edit() {
        let (catalog, note) = parse_edit(&builtin_inputs(), "  改名  ").unwrap();
        assert_eq!(catalog.functions.len(), 13);
        assert_eq!(note, "改名");
    }

    #[test]
    fn an_edit_without_a_note_or_files_says_so_per_field() {
        let errors = parse_edit(&[], " ").unwrap_err();
        let codes: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(codes, [("note", "required"), ("files", "count")]);
    }

    #[test]
    fn a_file_name_with_a_folder_is_refused() {
        let mut files = builtin_inputs();
        files[0].name = "../etc/passwd.toml".into();
        let errors = parse_edit(&files, "x").unwrap_err();
        assert_eq!(errors[0].code, "file_name");
    }

    #[test]
    fn a_broken_catalog_reports_each_problem_with_file_and_path() {
        let mut files = builtin_inputs();
        let documents = files
            .iter_mut()
            .find(|f| f.name == "02-documents.toml")
            .unwrap();
        documents.text = documents
            .text
            .replacen("owner = \"director\"", "owner = \"nobody\"", 1);
        let errors = parse_edit(&files, "break it").unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].code, "catalog");
        assert!(errors[0]
            .message
            .en
            .starts_with("02-documents.toml: process[incoming_document].step["));
        assert!(errors[0].message.en.contains("nobody"));
    }
}
