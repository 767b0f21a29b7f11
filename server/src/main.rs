//! `officeflow`: the OfficeFlow server and its operator commands (see `officeflow --help`).

/// mimalloc rather than glibc's allocator: a board page of 1,000 cards spent about 30 % of
/// its server time in glibc's malloc and free (`docs/PERFORMANCE.md`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    officeflow_server::cli::main()
}
