//! `tidings config`: the paths in use, as every other command resolves
//! them (from the same [`Context`]), or the default configuration to start
//! a config file from.

use super::Context;
use crate::article::sanitize::sanitize_line;
use crate::config::ConfigError;
use crate::feeds::subscriptions::{news_dir, path_beside};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// What `config --json` prints. Paths that are not UTF-8 are shown with
/// U+FFFD in place of the bytes that are not.
#[derive(Debug, Serialize)]
struct Paths {
    config: String,
    /// Whether the config file exists (else the defaults are in use).
    config_exists: bool,
    /// Why the config file cannot be used, when it cannot (every other
    /// command stops with this message).
    config_error: Option<String>,
    /// `feeds.toml`, the subscriptions, beside the config file.
    feeds: String,
    data_dir: String,
    cache_dir: String,
    /// The library's files and folders; empty for the bundled samples.
    library: Vec<String>,
    /// Where `fetch` and `import` write.
    news_dir: String,
}

impl Paths {
    fn of(ctx: &Context, problem: Option<&ConfigError>) -> Self {
        let shown = |p: &Path| p.to_string_lossy().into_owned();
        Self {
            config: shown(&ctx.config_path),
            config_exists: ctx.config_path.is_file(),
            config_error: problem.map(|e| sanitize_line(&e.to_string())),
            feeds: shown(&path_beside(&ctx.config_path)),
            data_dir: shown(&ctx.data_dir),
            cache_dir: shown(&ctx.cache_dir),
            library: ctx.library_inputs.iter().map(|p| shown(p)).collect(),
            news_dir: shown(&news_dir(&ctx.config, &ctx.data_dir)),
        }
    }
}

/// The default configuration, exactly as the binary embeds it.
pub fn print_default(out: &mut impl Write) -> anyhow::Result<()> {
    out.write_all(crate::config::DEFAULTS.as_bytes())?;
    Ok(())
}

/// Print the paths in use. With a config file that cannot be used (the
/// defaults stood in for it) they are printed all the same, the config
/// line says what is wrong, and the command fails with the reason, as
/// every other command would.
pub fn run(
    ctx: &Context,
    json: bool,
    problem: Option<&ConfigError>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let paths = Paths::of(ctx, problem);
    if json {
        serde_json::to_writer_pretty(&mut *out, &paths).map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
        print(&paths, problem, out)?;
    }
    out.flush()?;
    match problem {
        None => Ok(()),
        Some(e) => Err(anyhow::anyhow!("{e}")),
    }
}

/// What is wrong with the config file, in a few words for its line.
fn config_note(paths: &Paths, problem: Option<&ConfigError>) -> String {
    match problem {
        Some(ConfigError::Parse(_, why)) => format!(" (invalid: {why})"),
        Some(ConfigError::Read(_, e)) if e.kind() == std::io::ErrorKind::NotFound => {
            " (not found)".into()
        }
        Some(ConfigError::Read(_, e)) => format!(" (cannot be read: {e})"),
        None if !paths.config_exists => " (not found: the defaults are in use)".into(),
        None => String::new(),
    }
}

fn print(
    paths: &Paths,
    problem: Option<&ConfigError>,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let exists = sanitize_line(&config_note(paths, problem));
    let line = |s: &str| sanitize_line(s);
    writeln!(out, "config     {}{exists}", line(&paths.config))?;
    writeln!(out, "feeds      {}", line(&paths.feeds))?;
    writeln!(out, "data dir   {}", line(&paths.data_dir))?;
    writeln!(out, "cache dir  {}", line(&paths.cache_dir))?;
    if paths.library.is_empty() {
        writeln!(out, "library    (the bundled sample articles)")?;
    }
    for (i, input) in paths.library.iter().enumerate() {
        let label = if i == 0 { "library" } else { "" };
        writeln!(out, "{label:<10} {}", line(input))?;
    }
    writeln!(out, "news dir   {}", line(&paths.news_dir))?;
    Ok(())
}
