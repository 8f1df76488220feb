//! The `promagent` binary: everything lives in the library; this only maps its result to an exit code.

fn main() -> std::process::ExitCode {
    promagent::cli::main()
}
