//! `tidings completions SHELL` and `tidings man`: generated from the one
//! command definition ([`super::Cli`]), so they cannot drift from the
//! options the binary takes.

use super::Cli;
use clap::CommandFactory;
use std::io::Write;

/// The completion script for `shell`. Generated into memory first:
/// clap_complete panics when a write fails, and a closed pipe
/// (`tidings completions bash | head`) is not an error.
pub fn completions(shell: clap_complete::Shell, out: &mut impl Write) -> anyhow::Result<()> {
    let mut command = Cli::command();
    let name = command.get_name().to_string();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, name, &mut script);
    out.write_all(&script)?;
    Ok(())
}

/// The man page, as roff (section 1).
pub fn man(out: &mut impl Write) -> anyhow::Result<()> {
    clap_mangen::Man::new(Cli::command()).render(out)?;
    Ok(())
}
