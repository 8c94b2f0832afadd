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

/// Run a load, sending each event to `sink` as it happens. The cache is
/// read here; writing it back is the consumer's part ([`super::Library`]
/// does it when the load is done), so no second copy of the metadata is
/// ever held.
pub fn load_streaming(req: &LoadRequest, sink: &mut dyn FnMut(LoadEvent)) {
    let cache_file = req
        .cache_dir
        .as_ref()
        .map(|dir| cache::cache_path(dir, &req.inputs));
    let mut known = cache_file
        .as_ref()
        .map_or_else(Known::default, |file| read_cache(file, sink));
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
    let mut checked = 0;
    for chunk in found.candidates.chunks(CHUNK) {
        let outcomes: Vec<Outcome> = chunk
            .par_iter()
            .map(|c| check(c, &known, &req.options))
            .collect();
        let mut loaded = Vec::new();
        let mut skipped = Vec::new();
        for outcome in outcomes {
            match outcome {
                Outcome::Unchanged(i) => known.live[i] = true,
                Outcome::Loaded(meta) => {
                    if let Some(&(_, _, i)) = known.stats.get(path_key(&meta.path)) {
                        known.live[i] = true;
                    }
                    loaded.push(meta);
                }
                Outcome::Skipped(s) => skipped.push(s),
            }
        }
        checked += chunk.len();
        if !loaded.is_empty() {
            sink(LoadEvent::Loaded(loaded));
        }
        if !skipped.is_empty() {
            sink(LoadEvent::Skipped(skipped));
        }
        sink(LoadEvent::Progress { checked });
    }
    let removed: Vec<PathBuf> = known
        .paths
        .into_iter()
        .zip(known.live)
        .filter(|(_, live)| !live)
        .map(|(p, _)| p)
        .collect();
    if !removed.is_empty() {
        sink(LoadEvent::Removed(removed));
    }
    sink(LoadEvent::Done);
}

/// What the cache says about each file, kept small: size and modification
/// time by path, and whether the file is still there.
#[derive(Default)]
struct Known {
    /// path bytes -> (size, mtime, position)
    stats: HashMap<Box<[u8]>, (u64, i64, usize), Xxh3DefaultBuilder>,
    paths: Vec<PathBuf>,
    live: Vec<bool>,
}

fn read_cache(file: &std::path::Path, sink: &mut dyn FnMut(LoadEvent)) -> Known {
    match cache::read(file) {
        Ok(metas) => {
            let known = Known {
                stats: metas
                    .iter()
                    .enumerate()
                    .map(|(i, m)| (path_key(&m.path).into(), (m.size, m.mtime, i)))
                    .collect(),
                paths: metas.iter().map(|m| m.path.clone()).collect(),
                live: vec![false; metas.len()],
            };
            sink(LoadEvent::Cached(metas));
            known
        }
        Err(cache::CacheMiss::Absent) => Known::default(),
        Err(cache::CacheMiss::Invalid(why)) => {
            sink(LoadEvent::Notice(format!("{why}; rebuilding it")));
            Known::default()
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
fn check(c: &Candidate, known: &Known, options: &LoadOptions) -> Outcome {
    if let Some(&(size, mtime, i)) = known.stats.get(path_key(&c.path))
        && let Ok(m) = std::fs::metadata(&c.path)
        && m.len() == size
        && super::mtime_nanos(&m) == mtime
    {
        return Outcome::Unchanged(i);
    }
    match load_article(c, options) {
        Ok(article) => Outcome::Loaded(article.meta),
        Err(skip) => Outcome::Skipped(skip),
    }
}
