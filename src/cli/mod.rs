//! The command line: argument parsing and one runner per subcommand.

pub fn main() -> std::process::ExitCode {
    std::process::ExitCode::SUCCESS
}
