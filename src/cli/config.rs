//! `tidings config`: the paths in use, as every other command resolves
//! them (from the same [`Context`]), or the default configuration to start
//! a config file from.

use super::Context;
use crate::article::sanitize::sanitize_line;
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
    fn of(ctx: &Context) -> Self {
        let shown = |p: &Path| p.to_string_lossy().into_owned();
        Self {
            config: shown(&ctx.config_path),
            config_exists: ctx.config_path.is_file(),
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

pub fn run(ctx: &Context, json: bool, out: &mut impl Write) -> anyhow::Result<()> {
    // Views the reader leaves out, on stderr: the paths stay the output.
    for problem in ctx.config.views().problems {
        eprintln!("tidings: warning: config: {}", sanitize_line(&problem));
    }
    let paths = Paths::of(ctx);
    if json {
        serde_json::to_writer_pretty(&mut *out, &paths).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    let exists = if paths.config_exists {
        ""
    } else {
        " (not found: the defaults are in use)"
    };
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
