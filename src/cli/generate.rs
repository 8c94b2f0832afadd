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

/// A page per command in `dir` (the main page names the others as
/// `tidings-list(1)` and so on, so they are there to follow), and the
/// folder written to on `out`.
pub fn man_pages(dir: &std::path::Path, out: &mut impl Write) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot make {}: {e}", dir.display()))?;
    clap_mangen::generate_to(Cli::command(), dir)
        .map_err(|e| anyhow::anyhow!("cannot write the man pages in {}: {e}", dir.display()))?;
    writeln!(out, "man pages written to {}", dir.display())?;
    Ok(())
}
