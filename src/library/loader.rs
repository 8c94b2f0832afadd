//! Loading as a stream of events, so the app can draw its first frame at
//! once and fill the list in as articles arrive.
//!
//! With a cache dir, the previous load's metadata is sent first (a warm
//! start lists everything without opening a file), then every file on disk
//! is checked by size and modification time, and only new or changed files
//! are read and parsed, in parallel chunks. Removed files are reported
//! last, and the cache is rewritten when anything changed.

use super::{
    Candidate, LoadOptions, Skipped, cache, discover, display_path, load_article, path_key,
};
use crate::article::ArticleMeta;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::PathBuf;
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

/// Files checked between two progress reports.
const CHUNK: usize = 1024;

/// What to load.
#[derive(Debug, Clone)]
pub struct LoadRequest {
    pub inputs: Vec<PathBuf>,
    pub options: LoadOptions,
    /// Where the load cache lives; `None` reads every file.
    pub cache_dir: Option<PathBuf>,
}

/// One step of a load, in the order they are sent.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadEvent {
    /// Articles known from the cache, before the disk is checked.
    Cached(Vec<ArticleMeta>),
    /// The walk is done: this many files to check.
    Found { total: usize },
    /// New or changed articles: each replaces any article with its path.
    Loaded(Vec<ArticleMeta>),
    /// Files checked so far, out of `Found::total`.
    Progress { checked: usize },
    /// Paths that are no longer articles: remove them.
    Removed(Vec<PathBuf>),
    /// Files passed over, with their reasons.
    Skipped(Vec<Skipped>),
    /// Something to tell the user (a cache that had to be rebuilt).
    Notice(String),
    /// The load could not start (a library path is missing).
    Failed(String),
    /// Everything on disk has been checked.
    Done,
}

/// Run a load, sending each event to `sink` as it happens.
pub fn load_streaming(req: &LoadRequest, sink: &mut dyn FnMut(LoadEvent)) {
    let cache_file = req
        .cache_dir
        .as_ref()
        .map(|dir| cache::cache_path(dir, &req.inputs));
    let cached = cache_file
        .as_ref()
        .map_or_else(Vec::new, |file| read_cache(file, sink));
    let index: HashMap<&[u8], usize, Xxh3DefaultBuilder> = cached
        .iter()
        .enumerate()
        .map(|(i, m)| (path_key(&m.path), i))
        .collect();
    let found = match discover(&req.inputs) {
        Ok(found) => found,
        Err((path, e)) => {
            return sink(LoadEvent::Failed(format!(
                "library path {}: {e}",
                display_path(&path)
            )));
        }
    };
    if !found.skipped.is_empty() {
        sink(LoadEvent::Skipped(found.skipped));
    }
    sink(LoadEvent::Found {
        total: found.candidates.len(),
    });
    let mut changed = cache_file.is_some() && cached.is_empty();
    let mut kept: Vec<Kept> = Vec::with_capacity(found.candidates.len());
    let mut live = vec![false; cached.len()];
    let mut checked = 0;
    for chunk in found.candidates.chunks(CHUNK) {
        let outcomes: Vec<Outcome> = chunk
            .par_iter()
            .map(|c| check(c, &cached, &index, &req.options))
            .collect();
        let mut loaded = Vec::new();
        let mut skipped = Vec::new();
        for outcome in outcomes {
            match outcome {
                Outcome::Unchanged(i) => {
                    live[i] = true;
                    kept.push(Kept::Cached(i));
                }
                Outcome::Loaded(meta) => {
                    if let Some(&i) = index.get(path_key(&meta.path)) {
                        live[i] = true;
                    }
                    kept.push(Kept::Loaded(Box::new(meta.clone())));
                    loaded.push(meta);
                }
                Outcome::Skipped(s) => skipped.push(s),
            }
        }
        checked += chunk.len();
        changed |= !loaded.is_empty();
        if !loaded.is_empty() {
            sink(LoadEvent::Loaded(loaded));
        }
        if !skipped.is_empty() {
            sink(LoadEvent::Skipped(skipped));
        }
        sink(LoadEvent::Progress { checked });
    }
    let removed: Vec<PathBuf> = live
        .iter()
        .zip(&cached)
        .filter(|(l, _)| !**l)
        .map(|(_, m)| m.path.clone())
        .collect();
    if !removed.is_empty() {
        changed = true;
        sink(LoadEvent::Removed(removed));
    }
    if let (Some(file), true) = (&cache_file, changed) {
        let mut articles: Vec<ArticleMeta> = kept
            .into_iter()
            .map(|k| match k {
                Kept::Cached(i) => cached[i].clone(),
                Kept::Loaded(m) => *m,
            })
            .collect();
        // Stored in the library's own order, so a warm start needs no sort.
        articles.sort_by(|a, b| a.path.cmp(&b.path));
        if let Err(e) = cache::write(file, &req.inputs, &articles) {
            sink(LoadEvent::Notice(format!(
                "cannot write the load cache {}: {e}",
                display_path(file)
            )));
        }
    }
    sink(LoadEvent::Done);
}

/// What the next cache will hold for one file: unchanged files are named
/// by their position in the old cache, so nothing is copied unless the
/// cache is rewritten.
enum Kept {
    Cached(usize),
    Loaded(Box<ArticleMeta>),
}

fn read_cache(file: &std::path::Path, sink: &mut dyn FnMut(LoadEvent)) -> Vec<ArticleMeta> {
    match cache::read(file) {
        Ok(metas) => {
            sink(LoadEvent::Cached(metas.clone()));
            metas
        }
        Err(cache::CacheMiss::Absent) => Vec::new(),
        Err(cache::CacheMiss::Invalid(why)) => {
            sink(LoadEvent::Notice(format!("{why}; rebuilding it")));
            Vec::new()
        }
    }
}

enum Outcome {
    /// Same as the cached entry at this position.
    Unchanged(usize),
    Loaded(ArticleMeta),
    Skipped(Skipped),
}

/// Trust the cached metadata when size and modification time match;
/// otherwise read and parse the file.
fn check(
    c: &Candidate,
    cached: &[ArticleMeta],
    index: &HashMap<&[u8], usize, Xxh3DefaultBuilder>,
    options: &LoadOptions,
) -> Outcome {
    if let Some(&i) = index.get(path_key(&c.path))
        && let Ok(m) = std::fs::metadata(&c.path)
        && m.len() == cached[i].size
        && super::mtime_nanos(&m) == cached[i].mtime
    {
        return Outcome::Unchanged(i);
    }
    match load_article(c, options) {
        Ok(article) => Outcome::Loaded(article.meta),
        Err(skip) => Outcome::Skipped(skip),
    }
}
