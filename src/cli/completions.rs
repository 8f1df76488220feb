//! `promagent completions <shell>`: the shell completion script, generated from the clap definitions.

use super::{CmdResult, EXIT_CLEAN};
use clap::Args;
use clap_complete::Shell;

/// Print a shell completion script.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  promagent completions bash > ~/.local/share/bash-completion/completions/promagent
  promagent completions zsh > \"${fpath[1]}/_promagent\"
  promagent completions fish > ~/.config/fish/completions/promagent.fish")]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The completion script for `shell`.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut super::command(), "promagent", &mut out);
    out
}

/// The man page (roff), generated from the same definitions.
pub fn man_page() -> Vec<u8> {
    let mut out = Vec::new();
    // Rendering into a Vec cannot fail.
    let _ = clap_mangen::Man::new(super::command()).render(&mut out);
    out
}

pub fn run(args: CompletionsArgs) -> CmdResult {
    let script = script(args.shell);
    super::write_stdout(&String::from_utf8_lossy(&script))?;
    Ok(EXIT_CLEAN)
}
