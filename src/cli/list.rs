//! `tidings list`

use super::Context;
use crate::article::ArticleMeta;
use crate::library::{Library, SortOrder};
use crate::store::Store;
use serde::Serialize;
use std::collections::HashSet;
use std::io::Write;
use std::sync::Arc;

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

pub fn run(
    ctx: &Context,
    json: bool,
    sort: SortOrder,
    query: Option<&str>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    // An empty query, as in the reader's search bar: the whole list.
    let query = query.map(crate::search::parse).filter(|q| !q.is_empty());
    // Read only when needed: `is:` filters and `--json` show marks.
    let mut store = (json || query.is_some()).then(|| super::bookmarks::open_store(ctx));
    let (library, matching) = match (&query, &store) {
        (Some(query), Some(store)) => {
            let (library, ids) = super::search::library_matching(ctx, query, store)?;
            (library, Some(ids))
        }
        _ => (ctx.load_library()?, None),
    };
    let articles = library.articles();
    let mut order = sort.arrange(articles);
    if let Some(ids) = &matching {
        order.retain(|&i| ids.contains(articles[i].id()));
    }
    match store.take().filter(|_| json) {
        Some(store) => write_json(ctx, &library, &order, &store, out),
        None => write_text(articles, &order, out),
    }
}

fn write_json(
    ctx: &Context,
    library: &Library,
    order: &[usize],
    store: &Store,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let articles = library.articles();
    let bookmarked = bookmarked_indices(store, library);
    let groups = super::groups::groups_of(ctx, library);
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
    Ok(())
}

/// A line per article: id, category, title.
fn write_text(
    articles: &[Arc<ArticleMeta>],
    order: &[usize],
    out: &mut impl Write,
) -> anyhow::Result<()> {
    for a in order.iter().map(|&i| &articles[i]) {
        writeln!(
            out,
            "{}\t{}\t{}",
            a.id(),
            a.category().unwrap_or(""),
            a.title()
        )?;
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
