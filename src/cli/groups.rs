//! `tidings groups`: the near-duplicate groups (the same story retitled or
//! lightly edited), each with its members.

use super::Context;
use super::list::shown_path;
use crate::article::sanitize::sanitize_line;
use crate::library::Library;
use crate::library::groups::{Group, Groups};
use crate::library::prints::{self, Prints};
use serde::Serialize;
use std::io::{IsTerminal, Write};

/// One group as `groups --json` prints it.
#[derive(Debug, Serialize)]
struct GroupEntry<'a> {
    group: &'a str,
    members: Vec<Member<'a>>,
}

#[derive(Debug, Serialize)]
struct Member<'a> {
    id: &'a str,
    path: String,
    title: &'a str,
    /// RFC 3339, UTC.
    date: Option<String>,
}

/// The library's groups, or none when grouping is turned off in the
/// config.
pub fn groups_of(ctx: &Context, library: &Library) -> Groups {
    if ctx.config.group_duplicates() {
        let (source, file) = library.print_source();
        let mut prints = file.as_deref().map(Prints::read).unwrap_or_default();
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let articles = library.articles();
        if std::io::stderr().is_terminal() {
            say_when_slow(prints.missing(articles).len());
        }
        let (_, error) = prints::update(&mut prints, articles, &source, file.as_deref(), threads);
        if let (Some(e), Some(file)) = (error, &file) {
            eprintln!(
                "tidings: warning: could not save fingerprints to {}: {e}",
                sanitize_line(&file.display().to_string())
            );
        }
        Groups::compute(articles, &prints.aligned(articles))
    } else {
        Groups::default()
    }
}

/// Stories to fingerprint above which a person waiting at a terminal is
/// told why (about a second of reading files per 50,000).
const NOTE_ABOVE: usize = 20_000;

/// Say why the first grouping of a large library takes a while (every
/// file is read once; later runs read none). Only for a terminal: the
/// count costs a walk over the library, which scripts need not pay.
fn say_when_slow(missing: usize) {
    if missing > NOTE_ABOVE {
        eprintln!(
            "tidings: reading {} stories once to find near-duplicates",
            crate::text::thousands(missing)
        );
    }
}

pub fn run(ctx: &Context, json: bool, out: &mut impl Write) -> anyhow::Result<()> {
    let library = ctx.load_library()?;
    let groups = groups_of(ctx, &library);
    if json {
        let entries: Vec<GroupEntry> = groups.groups().iter().map(entry).collect();
        serde_json::to_writer_pretty(&mut *out, &entries).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    for (n, group) in groups.groups().iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        print_group(group, out)?;
    }
    Ok(())
}

/// A block per group: its id and size, then a member a line (id, path,
/// title, tab-separated), newest first.
fn print_group(group: &Group, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(
        out,
        "group {} ({} versions)",
        sanitize_line(&group.id),
        group.members.len()
    )?;
    for m in &group.members {
        writeln!(
            out,
            "  {}\t{}\t{}",
            sanitize_line(m.id()),
            shown_path(m),
            sanitize_line(m.title())
        )?;
    }
    Ok(())
}

fn entry(group: &Group) -> GroupEntry<'_> {
    GroupEntry {
        group: &group.id,
        members: group
            .members
            .iter()
            .map(|m| Member {
                id: m.id(),
                path: shown_path(m),
                title: m.title(),
                date: m.published().map(crate::article::date::rfc3339),
            })
            .collect(),
    }
}
