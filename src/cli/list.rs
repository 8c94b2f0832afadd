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
    /// Hidden (a hide rule, or `d`): only listed with `--hidden`, and
    /// only then said.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub hidden: bool,
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
            hidden: false,
        }
    }
}

/// An article's path as every output prints it: relative to the library
/// root (as bookmarks store it), made safe to print.
pub fn shown_path(meta: &ArticleMeta) -> String {
    crate::article::sanitize::sanitize_line(meta.rel_path())
}

/// A `--view` the config does not have: a usage error (exit code 2) that
/// names the views there are.
#[derive(Debug, thiserror::Error)]
#[error("no view named '{name}'; the views are: {}", .names.join(", "))]
pub struct NoSuchView {
    name: String,
    names: Vec<String>,
}

/// What to list: a view, a query, both (the query searched within the
/// view, as the search bar does), or everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct Selection<'a> {
    pub view: Option<&'a str>,
    pub query: Option<&'a str>,
}

impl Selection<'_> {
    /// The query to run (`None`: every article), and whether the list is
    /// the view's "most recently read first" (a view of `is:started`).
    fn resolve(&self, ctx: &Context) -> Result<(Option<String>, bool), NoSuchView> {
        let typed = self.query.filter(|q| !q.trim().is_empty());
        let Some(name) = self.view else {
            return Ok((typed.map(str::to_string), false));
        };
        let views = ctx.config.views().list;
        let Some(i) = crate::config::views::find(&views, name) else {
            return Err(NoSuchView {
                name: crate::article::sanitize::sanitize_line(name),
                names: views.into_iter().map(|v| v.name).collect(),
            });
        };
        let view = crate::app::View::new(&views[i]);
        let text = match typed {
            Some(typed) => view.with_search(typed),
            None => view.query.clone(),
        };
        Ok((Some(text), view.by_recency()))
    }
}

/// What `tidings list` was asked, besides what to list.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub json: bool,
    /// The order asked for; newest first when `None` (a view of stories
    /// left part-way: the most recently read first, as in the reader).
    pub sort: Option<SortOrder>,
    /// List hidden stories too.
    pub hidden: bool,
}

/// `tidings list`.
pub fn run(
    ctx: &Context,
    opts: Options,
    selection: Selection,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let (text, by_recency) = selection.resolve(ctx)?;
    // An empty query, as in the reader's search bar: the whole list.
    let query = text
        .as_deref()
        .map(crate::search::parse)
        .filter(|q| !q.is_empty());
    let rules = super::hide::rules(ctx);
    // The rules' answer is needed to leave hidden stories out, or to say
    // which are hidden.
    let ask_rules = !rules.is_empty() && (!opts.hidden || opts.json);
    // Read only when needed: `is:` filters, hides and `--json` need it.
    let mut store =
        (opts.json || query.is_some() || !opts.hidden).then(|| super::bookmarks::open_store(ctx));
    let (library, matching, by_rule) = match (&query, &store) {
        (_, Some(store)) if ask_rules => {
            let ask = |index: &crate::search::SearchIndex| {
                let matching = query
                    .as_ref()
                    .map(|q| index.members(q, store))
                    .transpose()?;
                let by_rule = super::hide::rule_matches(index, &rules, store)?;
                Ok((matching.map(|ids| ids.into_iter().collect()), by_rule))
            };
            let (library, (matching, by_rule)) = super::search::library_with_index(ctx, ask)?;
            (library, matching, by_rule)
        }
        (Some(query), Some(store)) => {
            let (library, ids) = super::search::library_matching(ctx, query, store)?;
            (library, Some(ids), HashSet::new())
        }
        _ => (ctx.load_library()?, None, HashSet::new()),
    };
    let hidden = store
        .as_ref()
        .map(|store| super::hide::Hidden::new(by_rule, store))
        .unwrap_or_default();
    let articles = library.articles();
    let mut order = opts.sort.unwrap_or_default().arrange(articles);
    if let Some(ids) = &matching {
        order.retain(|&i| ids.contains(articles[i].id()));
    }
    if !opts.hidden {
        order.retain(|&i| !hidden.contains(articles[i].id()));
    }
    if let (true, None, Some(store)) = (by_recency, opts.sort, &store) {
        order_by_recency(&mut order, articles, store);
    }
    match store.take().filter(|_| opts.json) {
        Some(store) => write_json(ctx, (&library, &hidden), &order, &store, out),
        None => write_text(articles, &order, out),
    }
}

fn write_json(
    ctx: &Context,
    (library, hidden): (&Library, &super::hide::Hidden),
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
                hidden: hidden.contains(a.id()),
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

/// The most recently read first, as the reader lists "continue reading".
fn order_by_recency(order: &mut [usize], articles: &[Arc<ArticleMeta>], store: &Store) {
    let recent: std::collections::HashMap<String, usize> = store
        .in_progress()
        .into_iter()
        .enumerate()
        .map(|(rank, (id, _))| (id, rank))
        .collect();
    order.sort_by_key(|&i| recent.get(articles[i].id()).copied().unwrap_or(usize::MAX));
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
