//! `tidings feeds`: subscribe, unsubscribe, list, import and export OPML.
//!
//! Every change reads `feeds.toml`, changes it and saves it atomically
//! under a lock, so two commands at once never lose a feed; a file that
//! cannot be read is reported and left exactly as it is.

use super::Context;
use crate::article::sanitize::sanitize_line;
use crate::feeds::opml;
use crate::feeds::subscriptions::{self, FeedStatus, Subscription, Subscriptions};
use crate::store::atomic::{DirLock, LOCK_WAIT};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Subcommand)]
pub enum FeedsCommand {
    /// Subscribe to a feed (RSS, Atom or JSON Feed) at an http or https URL
    Add {
        url: String,
        /// The feed's name and folder (default: from the URL's host and path)
        #[arg(long)]
        name: Option<String>,
        /// Keep it under this category (`Tech/Rust`)
        #[arg(long)]
        category: Option<String>,
        /// Mark the feed for fetching items' whole pages (not done by fetch yet)
        #[arg(long)]
        full_text: bool,
    },
    /// Unsubscribe (items already fetched stay in the news folder)
    Remove {
        #[arg(value_name = "NAME|URL")]
        target: String,
    },
    /// One line per feed: name, URL, category, full text, last fetched,
    /// last result, items, errors (tab-separated)
    List {
        /// A JSON array of objects instead
        #[arg(long)]
        json: bool,
    },
    /// Subscribe to every feed of an OPML file (duplicates skipped)
    Import {
        #[arg(value_name = "FILE.opml")]
        file: PathBuf,
    },
    /// Every subscription as OPML 2.0 on stdout
    Export,
}

/// One feed as `feeds list --json` prints it.
#[derive(Debug, Serialize)]
struct Row<'a> {
    name: &'a str,
    url: &'a str,
    category: Option<&'a str>,
    full_text: bool,
    /// RFC 3339, or null before the first fetch.
    last_fetched: Option<&'a str>,
    last_result: Option<&'a str>,
    items: Option<u64>,
    errors: u64,
}

pub fn run(
    ctx: &Context,
    command: Option<&FeedsCommand>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let path = subscriptions::path_beside(&ctx.config_path);
    match command {
        None => list(ctx, &path, false, out),
        Some(FeedsCommand::List { json }) => list(ctx, &path, *json, out),
        Some(FeedsCommand::Export) => {
            out.write_all(opml::export(&Subscriptions::load(&path)?).as_bytes())?;
            Ok(())
        }
        Some(FeedsCommand::Add {
            url,
            name,
            category,
            full_text,
        }) => change(ctx, &path, |subs| {
            let sub = subs.add(url, name.as_deref(), category.as_deref(), *full_text)?;
            writeln!(out, "added {}\t{}", sanitize_line(&sub.name), sub.url)?;
            Ok(())
        }),
        Some(FeedsCommand::Remove { target }) => change(ctx, &path, |subs| {
            let sub = subs.remove(target).ok_or_else(|| {
                anyhow::anyhow!("no feed named {} or at that address", sanitize_line(target))
            })?;
            writeln!(
                out,
                "removed {}\t{}",
                sanitize_line(&sub.name),
                sanitize_line(&sub.url)
            )?;
            Ok(())
        }),
        Some(FeedsCommand::Import { file }) => {
            let found = opml::read(file)
                .map_err(|e| anyhow::anyhow!("{}: {e}", sanitize_line(&file.to_string_lossy())))?;
            change(ctx, &path, |subs| report(&opml::import(subs, found), out))
        }
    }
}

/// Load the subscriptions under the lock, apply `edit`, and save when it
/// succeeds. A file that cannot be read is never replaced. The news folder
/// is made too, so the library includes it from now on.
fn change(
    ctx: &Context,
    path: &Path,
    edit: impl FnOnce(&mut Subscriptions) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let _lock = DirLock::acquire(&crate::feeds::moves::lock_path(path), LOCK_WAIT)?;
    let mut subs = Subscriptions::load(path)
        .map_err(|e| anyhow::anyhow!("{e} (fix the file by hand; it was left unchanged)"))?;
    let before = subs.clone();
    edit(&mut subs)?;
    if subs != before {
        subs.save(path)?;
    }
    if !subs.is_empty() {
        let news = subscriptions::news_dir(&ctx.config, &ctx.data_dir);
        if let Err(e) = std::fs::create_dir_all(&news) {
            eprintln!("tidings: {}: {e}", sanitize_line(&news.to_string_lossy()));
        }
    }
    Ok(())
}

/// What an import did: a line per skipped outline on stderr, the counts on
/// stdout.
fn report(report: &opml::Report, out: &mut impl Write) -> anyhow::Result<()> {
    let mut err = std::io::stderr().lock();
    for s in &report.skipped {
        writeln!(
            err,
            "tidings: skipped {}: {}",
            sanitize_line(&s.what),
            sanitize_line(&s.reason)
        )?;
    }
    writeln!(
        out,
        "added {}, skipped {}",
        report.added.len(),
        report.skipped.len()
    )?;
    Ok(())
}

fn list(ctx: &Context, path: &Path, json: bool, out: &mut impl Write) -> anyhow::Result<()> {
    let subs = Subscriptions::load(path)?;
    let status = subscriptions::read_fetch_status(&ctx.data_dir);
    let none = FeedStatus::default();
    let rows: Vec<Row> = subs
        .feeds
        .iter()
        .map(|f| row(f, status.get(&f.url).unwrap_or(&none)))
        .collect();
    if json {
        serde_json::to_writer_pretty(&mut *out, &rows).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    for r in &rows {
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            sanitize_line(r.name),
            sanitize_line(r.url),
            sanitize_line(r.category.unwrap_or("")),
            if r.full_text { "full-text" } else { "summary" },
            r.last_fetched.unwrap_or("never"),
            r.last_result.unwrap_or("-"),
            r.items.map_or_else(|| "-".to_string(), |n| n.to_string()),
            r.errors,
        )?;
    }
    Ok(())
}

fn row<'a>(f: &'a Subscription, s: &'a FeedStatus) -> Row<'a> {
    Row {
        name: &f.name,
        url: &f.url,
        category: f.category.as_deref(),
        full_text: f.full_text,
        last_fetched: s.last_fetched.as_deref(),
        last_result: s.last_result.as_deref(),
        items: s.items,
        errors: s.failures.unwrap_or(0),
    }
}
