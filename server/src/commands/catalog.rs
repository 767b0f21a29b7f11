//! `officeflow catalog export [--current]` and `officeflow catalog check FILE…`.

use std::path::PathBuf;

use app::domain::catalog::{Catalog, BUILTIN_FILES};
use app::ports::CatalogStore;

use crate::config::Settings;

/// Prints the validated built-in catalog, or the database's current version, as JSON.
pub async fn export(settings: &Settings, current: bool) -> Result<(), String> {
    let json = if current {
        let db = crate::cli::connect_and_migrate(settings).await?;
        let builtin = crate::startup::builtin_catalog().map_err(|e| e.to_string())?;
        crate::persistence::catalog_repo::store_builtin_if_empty(&db, &builtin, chrono::Utc::now())
            .await
            .map_err(|e| crate::persistence::short_reason(&e))?;
        let store = crate::persistence::catalog_repo::SeaOrmCatalogStore::new(db);
        let version = store.current().await.map_err(|e| e.to_string())?;
        serde_json::to_string_pretty(version.as_ref())
    } else {
        let catalog = crate::startup::builtin_catalog().map_err(|e| e.to_string())?;
        serde_json::to_string_pretty(&catalog)
    };
    println!("{}", json.map_err(|e| e.to_string())?);
    Ok(())
}

/// Validates edited catalog files, like `nginx -t`: each problem on one line as
/// `file: path: reason`, exit status 1 when there is one.
///
/// The files given replace the built-in files of the same name (others are added), so one
/// edited function file can be checked against the rest of the standard; with `only`, the
/// files given are checked alone.
pub fn check(files: &[PathBuf], only: bool) -> Result<(), String> {
    let mut set: Vec<(String, String)> = if only {
        Vec::new()
    } else {
        BUILTIN_FILES
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect()
    };
    for path in files {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        match set.iter_mut().find(|(n, _)| *n == name) {
            Some(entry) => entry.1 = text,
            None => set.push((name, text)),
        }
    }
    match Catalog::from_files(&set) {
        Ok(catalog) => {
            let steps: usize = catalog.processes.iter().map(|p| p.steps.len()).sum();
            println!(
                "catalog check: ok ({} functions, {} roles, {} processes, {} steps, {} ledgers)",
                catalog.functions.len(),
                catalog.roles.len(),
                catalog.processes.len(),
                steps,
                catalog.ledgers.len()
            );
            Ok(())
        }
        Err(errors) => {
            for error in &errors {
                println!("{error}");
            }
            Err(format!("catalog check: {} problem(s) found", errors.len()))
        }
    }
}
