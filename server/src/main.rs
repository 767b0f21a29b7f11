//! `officeflow`: the OfficeFlow server and its operator commands (see `officeflow --help`).

fn main() -> std::process::ExitCode {
    officeflow_server::cli::main()
}
