//! Bad configuration ends the process with one clear line and a non-zero exit, never a panic.

use std::process::Command;

fn officeflow(envs: &[(&str, &str)], args: &[&str]) -> (i32, String) {
    let dir = std::env::temp_dir().join(format!("officeflow_cli_{}", rand::random::<u32>()));
    let output = Command::new(env!("CARGO_BIN_EXE_officeflow"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env("OFFICEFLOW_DATA_DIR", &dir)
        .env("OFFICEFLOW_LOG", "error")
        .envs(envs.iter().copied())
        .output()
        .expect("the binary runs");
    let _ = std::fs::remove_dir_all(&dir);
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

fn assert_one_clear_line(stderr: &str, needle: &str) {
    let lines: Vec<_> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line, got: {stderr}");
    assert!(lines[0].starts_with("officeflow: error: "), "{stderr}");
    assert!(lines[0].contains(needle), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_unsupported_database_url_is_one_clear_line() {
    let (code, stderr) = officeflow(
        &[("DATABASE_URL", "mysql://root@localhost/x")],
        &["migrate"],
    );
    assert_ne!(code, 0);
    assert_one_clear_line(
        &stderr,
        "DATABASE_URL must start with sqlite:// or postgres://",
    );
}

#[test]
fn an_unreachable_database_is_one_clear_line() {
    let (code, stderr) = officeflow(
        &[("DATABASE_URL", "postgres://postgres:pw@127.0.0.1:1/none")],
        &["migrate"],
    );
    assert_ne!(code, 0);
    assert_one_clear_line(
        &stderr,
        "cannot connect to the database postgres://postgres:***@127.0.0.1:1/none",
    );
}

#[test]
fn an_unwritable_data_folder_is_one_clear_line() {
    let (code, stderr) = officeflow(&[("OFFICEFLOW_DATA_DIR", "/proc/officeflow")], &["migrate"]);
    assert_ne!(code, 0);
    assert_one_clear_line(&stderr, "the data folder /proc/officeflow cannot be used");
}

/// A data folder that holds a database but has turned read-only (a file system mounted
/// read-only, which binds root too): the server says so in one line instead of starting
/// and failing at the first write; the database is left as it was.
#[test]
fn a_read_only_data_folder_is_one_clear_line_and_its_database_is_untouched() {
    let dir = std::env::temp_dir().join(format!("officeflow_ro_{}", rand::random::<u32>()));
    let Some(disk) = crate::helpers::SmallDisk::mount(&dir) else {
        return;
    };
    let data = dir.to_string_lossy().to_string();
    let envs = [("OFFICEFLOW_DATA_DIR", data.as_str())];
    let (code, stderr) = officeflow(&envs, &["migrate"]);
    assert_eq!(code, 0, "{stderr}");
    let database = dir.join("officeflow.db");
    let before = std::fs::read(&database).expect("the database file");
    disk.read_only();
    for args in [&["migrate"][..], &["serve"][..]] {
        let (code, stderr) = officeflow(&envs, args);
        assert_ne!(code, 0, "{args:?}");
        assert_one_clear_line(
            &stderr,
            &format!("the data folder {data} cannot be used: not writable (Read-only file system"),
        );
    }
    assert_eq!(std::fs::read(&database).expect("the database file"), before);
    drop(disk);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_malformed_bind_address_is_refused() {
    let (code, stderr) = officeflow(&[("OFFICEFLOW_BIND", "localhost:http")], &["serve"]);
    assert_ne!(code, 0);
    assert!(
        stderr.contains("OFFICEFLOW_BIND") || stderr.contains("--bind"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_port_in_use_is_one_clear_line() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let (code, stderr) = officeflow(&[("OFFICEFLOW_BIND", &addr)], &["serve"]);
    assert_ne!(code, 0);
    assert_one_clear_line(&stderr, &format!("cannot listen on {addr}"));
}

#[test]
fn help_lists_every_setting() {
    let output = Command::new(env!("CARGO_BIN_EXE_officeflow"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    for setting in [
        "OFFICEFLOW_BIND",
        "DATABASE_URL",
        "OFFICEFLOW_DATA_DIR",
        "OFFICEFLOW_LOG",
        "OFFICEFLOW_LOG_FORMAT",
        "OFFICEFLOW_SITE_ROOT",
        "OFFICEFLOW_DB_POOL",
    ] {
        assert!(help.contains(setting), "--help lists {setting}:\n{help}");
    }
    assert!(help.contains("migrate") && help.contains("serve"));
}

#[test]
fn catalog_check_accepts_the_builtin_files_and_reports_a_broken_one_with_its_place() {
    let dir = std::env::temp_dir().join(format!("officeflow_check_{}", rand::random::<u32>()));
    std::fs::create_dir_all(&dir).unwrap();
    let (name, text) = app::domain::catalog::BUILTIN_FILES
        .iter()
        .find(|(n, _)| *n == "02-documents.toml")
        .unwrap();
    let good = dir.join(name);
    std::fs::write(&good, text).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_officeflow"))
        .args(["catalog", "check"])
        .arg(&good)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("catalog check: ok (13 functions"));

    std::fs::write(
        &good,
        text.replacen("owner = \"director\"", "owner = \"nobody\"", 1),
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_officeflow"))
        .args(["catalog", "check"])
        .arg(&good)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout.starts_with("02-documents.toml: process[incoming_document].step["),
        "{stdout}"
    );
    assert!(stdout.contains("\"nobody\""), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn catalog_export_prints_the_builtin_catalog_as_json() {
    let output = Command::new(env!("CARGO_BIN_EXE_officeflow"))
        .args(["catalog", "export"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let catalog: app::domain::catalog::Catalog = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(catalog, app::domain::catalog::builtin().unwrap());
}

#[test]
fn the_deadline_command_counts_the_national_day_holiday_and_explains() {
    let (code, stderr) = officeflow(
        &[],
        &[
            "deadline",
            "--rule",
            "wd(3)",
            "--anchor",
            "2025-09-30T10:00:00+08:00",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let dir = std::env::temp_dir().join(format!("officeflow_deadline_{}", rand::random::<u32>()));
    let output = Command::new(env!("CARGO_BIN_EXE_officeflow"))
        .args([
            "deadline",
            "--rule",
            "wd(3)",
            "--anchor",
            "2025-09-30T10:00",
            "--explain",
        ])
        .env_remove("DATABASE_URL")
        .env("OFFICEFLOW_DATA_DIR", &dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        stdout.lines().next(),
        Some("2025-10-11T18:00:00+08:00"),
        "{stdout}"
    );
    assert!(stdout.contains("国庆节、中秋节"), "{stdout}");
    let (code, stderr) = officeflow(
        &[],
        &["deadline", "--rule", "wd(x)", "--anchor", "2025-09-30"],
    );
    assert_eq!(code, 1);
    assert_one_clear_line(&stderr, "wd(x)");
}
