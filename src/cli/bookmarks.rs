//! `tidings bookmarks`: list, add, remove, export a reading list.
//!
//! Every change is saved before the command reports it, so a line on
//! stdout means the bookmark is on disk.

use super::Context;
use super::list::shown_path;
use crate::article::sanitize::sanitize_line;
use crate::library::Library;
use crate::store::{ResolvedBookmark, Store, Warning};
use serde::Serialize;
use std::ffi::{OsStr, OsString};
use std::io::Write;

#[derive(Debug, Clone, clap::Subcommand)]
pub enum BookmarksCommand {
    /// Bookmark articles
    Add {
        /// Ids (any unique prefix of 4 or more characters) or paths
        #[arg(value_name = "ID|PATH", required = true)]
        targets: Vec<OsString>,
    },
    /// Remove bookmarks, also of articles that are missing
    Remove {
        /// Bookmark ids (or unique prefixes), bookmarked paths, or articles
        #[arg(value_name = "ID|PATH", required = true)]
        targets: Vec<OsString>,
    },
    /// Write a reading list to stdout: headline, category, path
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Markdown)]
        format: ExportFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Markdown,
    Json,
}

/// Open the store in the context's data dir; warnings go to stderr.
pub fn open_store(ctx: &Context) -> Store {
    let (store, warnings) = Store::open(&ctx.data_dir);
    report(&warnings);
    store
}

fn report(warnings: &[Warning]) {
    let mut err = std::io::stderr().lock();
    for w in warnings {
        let _ = writeln!(err, "tidings: warning: {}", sanitize_line(w));
    }
}

pub fn run(
    ctx: &Context,
    json: bool,
    command: Option<&BookmarksCommand>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    match command {
        None => list(ctx, json, out),
        Some(BookmarksCommand::Add { targets }) => add(ctx, targets, out),
        Some(BookmarksCommand::Remove { targets }) => remove(ctx, targets, out),
        Some(BookmarksCommand::Export { format }) => export(ctx, *format, out),
    }
}

/// One bookmark as `bookmarks --json` prints it: the article as it
/// resolves now (its current id, path and headline), or as it was
/// bookmarked when it is missing.
#[derive(Serialize)]
struct Listed {
    id: String,
    title: String,
    path: String,
    added: String,
    missing: bool,
}

impl Listed {
    fn new(r: &ResolvedBookmark, library: &Library) -> Self {
        let b = &r.bookmark;
        let now = Now::of(r, library);
        Self {
            id: now.id,
            title: now.title,
            path: now.path,
            added: sanitize_line(&b.added),
            missing: r.is_missing(),
        }
    }
}

/// What every bookmarks output shows of a bookmark's article, in one path
/// form (library-relative, as `list` prints it).
struct Now {
    id: String,
    title: String,
    path: String,
    category: Option<String>,
}

impl Now {
    fn of(r: &ResolvedBookmark, library: &Library) -> Self {
        let b = &r.bookmark;
        match r.article_index.map(|i| &library.articles()[i]) {
            Some(m) => Self {
                id: m.id().to_string(),
                title: sanitize_line(m.title()),
                path: shown_path(m),
                category: m.category().map(sanitize_line),
            },
            None => Self {
                id: sanitize_line(&b.id),
                title: sanitize_line(&b.title),
                path: sanitize_line(&b.path),
                category: b.category_from_path().map(sanitize_line),
            },
        }
    }
}

/// `id<TAB>path<TAB>title`, plus `<TAB>missing` when the article is gone.
fn list(ctx: &Context, json: bool, out: &mut impl Write) -> anyhow::Result<()> {
    let library = ctx.load_library()?;
    let store = open_store(ctx);
    let listed: Vec<Listed> = store
        .resolve_bookmarks(&library)
        .iter()
        .map(|r| Listed::new(r, &library))
        .collect();
    if json {
        serde_json::to_writer_pretty(&mut *out, &listed).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    for l in &listed {
        let missing = if l.missing { "\tmissing" } else { "" };
        writeln!(out, "{}\t{}\t{}{missing}", l.id, l.path, l.title)?;
    }
    Ok(())
}

/// Open the store for a change: a read-only bookmarks file is an error
/// (its warning is the error message, not printed twice).
fn open_for_change(ctx: &Context) -> anyhow::Result<Store> {
    let (store, warnings) = Store::open(&ctx.data_dir);
    store.check_bookmarks_writable()?;
    report(&warnings);
    Ok(store)
}

fn add(ctx: &Context, targets: &[OsString], out: &mut impl Write) -> anyhow::Result<()> {
    let library = ctx.load_library()?;
    let indices = targets
        .iter()
        .map(|t| library.resolve(t))
        .collect::<Result<Vec<_>, _>>()?;
    let mut store = open_for_change(ctx)?;
    let mut lines = Vec::new();
    for i in indices {
        let meta = &library.articles()[i];
        let done = if store.add_bookmark(meta)? {
            "bookmarked"
        } else {
            "already bookmarked"
        };
        lines.push(format!("{done}\t{}\t{}", meta.id(), meta.title()));
    }
    store.flush()?;
    for line in lines {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn remove(ctx: &Context, targets: &[OsString], out: &mut impl Write) -> anyhow::Result<()> {
    let mut store = open_for_change(ctx)?;
    let mut library = None;
    let mut ids = Vec::new();
    for t in targets {
        let id = match bookmark_by_id_or_path(&store, t)? {
            Some(id) => id,
            None => {
                if library.is_none() {
                    library = Some(ctx.load_library()?);
                }
                bookmark_of_article(&store, library.as_ref().expect("loaded"), t)?
            }
        };
        ids.push(id);
    }
    let mut lines = Vec::new();
    for id in ids {
        let title = store
            .bookmarks()
            .iter()
            .find(|b| b.key() == id)
            .map(|b| sanitize_line(&b.title));
        if store.remove_bookmark(&id)? {
            lines.push(format!(
                "removed\t{}\t{}",
                sanitize_line(&id),
                title.unwrap_or_default()
            ));
        }
    }
    store.flush()?;
    for line in lines {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The bookmark whose id starts with `target` (4 or more characters, one
/// bookmark only) or whose stored path is `target` (as stored, or cleaned
/// as the listings print it): works for articles that are missing from the
/// library.
fn bookmark_by_id_or_path(store: &Store, target: &OsStr) -> anyhow::Result<Option<String>> {
    let target = target.to_string_lossy();
    let q = target.to_ascii_lowercase();
    let cleaned = sanitize_line(&target);
    let mut found: Vec<&str> = store
        .bookmarks()
        .iter()
        .filter(|b| {
            b.path == *target
                || sanitize_line(&b.path) == cleaned
                || (q.len() >= 4 && b.id.starts_with(&q))
        })
        .map(|b| b.key())
        .collect();
    found.dedup();
    match found.as_slice() {
        [] => Ok(None),
        [id] => Ok(Some((*id).to_string())),
        many => anyhow::bail!(
            "'{}' is ambiguous: it matches bookmarks {}",
            cleaned,
            many.join(", ")
        ),
    }
}

/// The bookmark of the library article `target` names (it may have been
/// bookmarked under an older id, before the file was edited).
fn bookmark_of_article(store: &Store, library: &Library, target: &OsStr) -> anyhow::Result<String> {
    let i = library.resolve(target)?;
    store
        .resolve_bookmarks(library)
        .into_iter()
        .find(|r| r.article_index == Some(i))
        .map(|r| r.bookmark.key().to_string())
        .ok_or_else(|| {
            anyhow::anyhow!(
                "'{}' is not bookmarked",
                sanitize_line(library.articles()[i].title())
            )
        })
}

/// One entry of an exported reading list: the article as it resolves now,
/// as `bookmarks` shows it.
#[derive(Serialize)]
struct Entry {
    id: String,
    title: String,
    category: Option<String>,
    /// Library-relative: where the file is now, or where it was when the
    /// article is missing.
    path: String,
    added: String,
    missing: bool,
}

impl Entry {
    fn new(r: &ResolvedBookmark, library: &Library) -> Self {
        let now = Now::of(r, library);
        Self {
            id: now.id,
            title: now.title,
            category: now.category,
            path: now.path,
            added: sanitize_line(&r.bookmark.added),
            missing: r.is_missing(),
        }
    }
}

fn export(ctx: &Context, format: ExportFormat, out: &mut impl Write) -> anyhow::Result<()> {
    let library = ctx.load_library()?;
    let store = open_store(ctx);
    let entries: Vec<Entry> = store
        .resolve_bookmarks(&library)
        .iter()
        .map(|r| Entry::new(r, &library))
        .collect();
    match format {
        ExportFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &entries).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        ExportFormat::Markdown => write_markdown(&entries, out)?,
    }
    Ok(())
}

/// `- **Headline** · category · `path``, one per bookmark.
fn write_markdown(entries: &[Entry], out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "# Reading list")?;
    writeln!(out)?;
    if entries.is_empty() {
        writeln!(out, "No bookmarks yet.")?;
    }
    for e in entries {
        let mut parts = vec![format!("**{}**", escape_markdown(&e.title))];
        parts.extend(e.category.as_deref().map(escape_markdown));
        parts.push(code_span(&e.path));
        if e.missing {
            parts.push("*missing*".into());
        }
        writeln!(out, "- {}", parts.join(" · "))?;
    }
    Ok(())
}

/// Backslash-escape the characters Markdown would take as formatting.
fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\`*_{}[]<>()#+-.!|~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `text` as inline code: fenced with one more backtick than its longest
/// run of backticks, padded when it starts or ends with one.
fn code_span(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_and_code_spans_hold_backticks() {
        assert_eq!(escape_markdown("*Big* [news]"), "\\*Big\\* \\[news\\]");
        assert_eq!(code_span("a/b.txt"), "`a/b.txt`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x``"), "``` `x`` ```");
    }
}
