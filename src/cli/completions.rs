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

/// The man pages (roff), generated from the same definitions: `promagent.1` and one page per
/// subcommand (`promagent-lint.1`, …), which the top page's SEE ALSO names. As file name and text.
pub fn man_pages() -> Vec<(String, Vec<u8>)> {
    fn collect(cmd: &clap::Command, pages: &mut Vec<(String, Vec<u8>)>) {
        let man = clap_mangen::Man::new(cmd.clone());
        let mut out = Vec::new();
        // Rendering into a Vec cannot fail.
        let _ = man.render(&mut out);
        pages.push((man.get_filename(), out));
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            collect(sub, pages);
        }
    }
    // `help` has no page of its own: `--help` is on every page.
    let mut cmd = super::command().disable_help_subcommand(true);
    cmd.build();
    let mut pages = Vec::new();
    collect(&cmd, &mut pages);
    pages
}

pub fn run(args: CompletionsArgs) -> CmdResult {
    let script = script(args.shell);
    super::write_stdout(&String::from_utf8_lossy(&script))?;
    Ok(EXIT_CLEAN)
}
