//! `tidings list`

use super::Context;
use crate::article::ArticleMeta;
use crate::library::{Library, SortOrder};
use crate::store::Store;
use serde::Serialize;
use std::collections::HashSet;
use std::io::Write;

/// One article as `list --json` prints it.
#[derive(Debug, Serialize)]
pub struct ListEntry<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub kicker: Option<&'a str>,
    pub category: Option<&'a str>,
    pub path: String,
    /// `text`, `markdown`, `html` or `json`.
    pub format: &'static str,
    pub url: Option<&'a str>,
    pub author: Option<&'a str>,
    /// RFC 3339, UTC.
    pub date: Option<String>,
    pub words: usize,
    pub minutes: usize,
    pub bookmarked: bool,
    pub read: bool,
    /// The id of its near-duplicate group; `None` when it stands alone.
    pub group: Option<&'a str>,
}

impl<'a> ListEntry<'a> {
    pub fn new(meta: &'a ArticleMeta, bookmarked: bool, read: bool) -> Self {
        Self {
            id: meta.id(),
            title: meta.title(),
            kicker: meta.kicker(),
            category: meta.category(),
            path: shown_path(meta),
            format: meta.format().name(),
            url: meta.url(),
            author: meta.author(),
            date: meta.published().map(crate::article::date::rfc3339),
            words: meta.words,
            minutes: meta.reading_minutes(),
            bookmarked,
            read,
            group: None,
        }
    }
}

/// An article's path as every output prints it: relative to the library
/// root (as bookmarks store it), made safe to print.
pub fn shown_path(meta: &ArticleMeta) -> String {
    crate::article::sanitize::sanitize_line(meta.rel_path())
}

pub fn run(ctx: &Context, json: bool, sort: SortOrder, out: &mut impl Write) -> anyhow::Result<()> {
    let library = ctx.load_library()?;
    let articles = library.articles();
    let order = sort.arrange(articles);
    if json {
        let store = super::bookmarks::open_store(ctx);
        let bookmarked = bookmarked_indices(&store, &library);
        let groups = super::groups::groups_of(ctx, &library);
        let entries: Vec<ListEntry> = order
            .iter()
            .map(|&i| {
                let a = &articles[i];
                ListEntry {
                    group: groups.group_id(a.id()),
                    ..ListEntry::new(a, bookmarked.contains(&i), store.is_read(a.id()))
                }
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &entries).map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
        for a in order.iter().map(|&i| &articles[i]) {
            writeln!(
                out,
                "{}\t{}\t{}",
                a.id(),
                a.category().unwrap_or(""),
                a.title()
            )?;
        }
    }
    Ok(())
}

/// Articles that are bookmarked, matched as bookmarks are everywhere (by
/// id, then path, then title), so an edited article stays bookmarked.
pub fn bookmarked_indices(store: &Store, library: &Library) -> HashSet<usize> {
    store
        .resolve_bookmarks(library)
        .iter()
        .filter_map(|r| r.article_index)
        .collect()
}
