//! `tidings related`: the stories most like one story, with their scores,
//! as `m` lists them in the reader.
//!
//! The story is named as `show` names it (an id prefix or a path); the
//! index is brought up to date as `search` does it.

use super::Context;
use super::search::{Check, Source, open_synced, shown_path};
use crate::article::sanitize::sanitize_line;
use crate::library::{Library, LibraryError};
use crate::search::related::near_first;
use crate::search::{Hit, SearchError, SearchIndex};
use serde::Serialize;
use std::collections::HashSet;
use std::io::Write;

/// How long to wait for another process building the same index.
const WAIT_FOR_WRITER: std::time::Duration = std::time::Duration::from_secs(120);

/// The story named on the command line is not one story of the library: a
/// usage error (exit code 2), with the library's reason.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NoSuchStory(LibraryError);

/// One related story as `related --json` prints it.
#[derive(Debug, Serialize)]
struct JsonRelated {
    id: String,
    title: String,
    path: String,
    score: f32,
    near_duplicate: bool,
    /// Hidden (a hide rule, or `d`): only listed with `--hidden`, and
    /// only then said.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    hidden: bool,
}

/// What `tidings related` was asked, besides the story.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Print at most this many stories.
    pub limit: usize,
    pub json: bool,
    /// List hidden stories too.
    pub hidden: bool,
}

pub fn run(
    ctx: &Context,
    target: &std::ffi::OsStr,
    opts: Options,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let Options { limit, json, .. } = opts;
    let mut source = Source::new(ctx, true)?;
    let (article, near) = {
        let library = source.library().expect("a walked library");
        let index = library.resolve(target).map_err(NoSuchStory)?;
        let article = library.article(&library.articles()[index])?;
        let near = near_duplicates_of(ctx, library, article.meta.id());
        (article, near)
    };
    let wanted = limit.saturating_add(near.len());
    let (index, hits) = match related_once(ctx, &mut source, &article, wanted) {
        Err(e) => match e.downcast::<SearchError>() {
            Ok(SearchError::Corrupt(_, why)) => {
                let (index, _) = SearchIndex::open(&ctx.cache_dir, &source.key, WAIT_FOR_WRITER)?;
                index.discard(&why)?;
                related_once(ctx, &mut source, &article, wanted)?
            }
            Ok(other) => return Err(other.into()),
            Err(other) => return Err(other),
        },
        Ok(found) => found,
    };
    let (hits, hidden) = without_hidden(ctx, &index, &article, (hits, wanted), opts.hidden)?;
    let mut rows = near_first(hits, |h: &Hit| h.id.as_str(), &near);
    rows.truncate(limit);
    if json {
        let rows: Vec<JsonRelated> = rows
            .iter()
            .map(|(h, n)| JsonRelated {
                hidden: hidden.contains(&h.id),
                ..json_row(h, *n, ctx)
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        writeln!(out)?;
    } else {
        for (h, near) in &rows {
            let path = shown_path(&h.path, &ctx.library_inputs);
            let (id, title) = (sanitize_line(&h.id), sanitize_line(&h.title));
            let mark = if *near { "\t≈" } else { "" };
            writeln!(out, "{:.3}\t{id}\t{title}\t{path}{mark}", h.score)?;
        }
    }
    index.finish()?;
    Ok(())
}

/// The hits less the hidden stories (the config's hide rules, and those
/// hidden by hand), as the reader's "more like this" leaves them out,
/// asked again with room for them; all of them with `keep_hidden`. And
/// which stories are hidden.
fn without_hidden(
    ctx: &Context,
    index: &SearchIndex,
    article: &crate::article::Article,
    (hits, wanted): (Vec<Hit>, usize),
    keep_hidden: bool,
) -> anyhow::Result<(Vec<Hit>, super::hide::Hidden)> {
    let rules = super::hide::rules(ctx);
    let store = super::bookmarks::open_store(ctx);
    let by_rule = super::hide::rule_matches(index, &rules, &store)?;
    let hidden = super::hide::Hidden::new(by_rule, &store);
    if keep_hidden || !hits.iter().any(|h| hidden.contains(&h.id)) {
        return Ok((hits, hidden));
    }
    let room = wanted.saturating_add(hidden.len());
    let mut hits = index.related(article, room)?.hits;
    hits.retain(|h| !hidden.contains(&h.id));
    Ok((hits, hidden))
}

/// The ids of the story's near-duplicates (the other versions in its
/// group), which come first and are marked; none while grouping is off.
fn near_duplicates_of(ctx: &Context, library: &Library, id: &str) -> HashSet<String> {
    super::groups::groups_of(ctx, library)
        .members(id)
        .iter()
        .map(|m| m.id().to_string())
        .filter(|other| other != id)
        .collect()
}

fn related_once(
    ctx: &Context,
    source: &mut Source,
    article: &crate::article::Article,
    limit: usize,
) -> anyhow::Result<(SearchIndex, Vec<Hit>)> {
    let index = open_synced(ctx, source, Check::Full)?;
    let results = index.related(article, limit)?;
    Ok((index, results.hits))
}

fn json_row(hit: &Hit, near_duplicate: bool, ctx: &Context) -> JsonRelated {
    JsonRelated {
        id: sanitize_line(&hit.id),
        title: sanitize_line(&hit.title),
        path: shown_path(&hit.path, &ctx.library_inputs),
        score: hit.score,
        near_duplicate,
        hidden: false,
    }
}
