//! Loading as a stream of events, so the app can draw its first frame at
//! once and fill the list in as articles arrive.
//!
//! With a cache dir, the previous load's metadata is sent first (a warm
//! start lists everything without opening a file), then every file on disk
//! is checked by size and modification time, and only new or changed files
//! are read and parsed, in parallel chunks. Removed files are reported
//! last, and the cache is rewritten when anything changed.

use super::{Candidate, LoadOptions, Skipped, cache, discover, display_path, load_article};
use crate::article::ArticleMeta;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

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
    let mut cached = cache_file
        .as_ref()
        .map_or_else(HashMap::new, |file| read_cache(file, sink));
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
    let mut checked = 0;
    for chunk in found.candidates.chunks(CHUNK) {
        let outcomes: Vec<Outcome> = chunk
            .par_iter()
            .map(|c| check(c, &cached, &req.options))
            .collect();
        let mut loaded = Vec::new();
        let mut skipped = Vec::new();
        for (outcome, candidate) in outcomes.into_iter().zip(chunk) {
            match outcome {
                Outcome::Unchanged => kept.push(Kept::Cached(candidate.path.clone())),
                Outcome::Loaded(meta) => {
                    kept.push(Kept::Loaded(meta.clone()));
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
    let live: HashSet<&PathBuf> = kept.iter().map(Kept::path).collect();
    let removed: Vec<PathBuf> = cached
        .keys()
        .filter(|p| !live.contains(p))
        .cloned()
        .collect();
    drop(live);
    if !removed.is_empty() {
        changed = true;
        sink(LoadEvent::Removed(removed));
    }
    if let (Some(file), true) = (&cache_file, changed) {
        let articles: Vec<ArticleMeta> = kept
            .into_iter()
            .filter_map(|k| k.into_meta(&mut cached))
            .collect();
        if let Err(e) = cache::write(file, &req.inputs, &articles) {
            sink(LoadEvent::Notice(format!(
                "cannot write the load cache {}: {e}",
                display_path(file)
            )));
        }
    }
    sink(LoadEvent::Done);
}

/// What the next cache will hold for one file. Unchanged files are named
/// by path only, so a warm start keeps no second copy of their metadata.
enum Kept {
    Cached(PathBuf),
    Loaded(ArticleMeta),
}

impl Kept {
    fn path(&self) -> &PathBuf {
        match self {
            Kept::Cached(p) => p,
            Kept::Loaded(m) => &m.path,
        }
    }

    fn into_meta(self, cached: &mut HashMap<PathBuf, ArticleMeta>) -> Option<ArticleMeta> {
        match self {
            Kept::Cached(p) => cached.remove(&p),
            Kept::Loaded(m) => Some(m),
        }
    }
}

fn read_cache(
    file: &std::path::Path,
    sink: &mut dyn FnMut(LoadEvent),
) -> HashMap<PathBuf, ArticleMeta> {
    match cache::read(file) {
        Ok(metas) => {
            sink(LoadEvent::Cached(metas.clone()));
            metas.into_iter().map(|m| (m.path.clone(), m)).collect()
        }
        Err(cache::CacheMiss::Absent) => HashMap::new(),
        Err(cache::CacheMiss::Invalid(why)) => {
            sink(LoadEvent::Notice(format!("{why}; rebuilding it")));
            HashMap::new()
        }
    }
}

enum Outcome {
    Unchanged,
    Loaded(ArticleMeta),
    Skipped(Skipped),
}

/// Trust the cached metadata when size and modification time match;
/// otherwise read and parse the file.
fn check(c: &Candidate, cached: &HashMap<PathBuf, ArticleMeta>, options: &LoadOptions) -> Outcome {
    if let Some(old) = cached.get(&c.path)
        && let Ok(m) = std::fs::metadata(&c.path)
        && m.len() == old.size
        && super::mtime_nanos(&m) == old.mtime
    {
        return Outcome::Unchanged;
    }
    match load_article(c, options) {
        Ok(article) => Outcome::Loaded(article.meta),
        Err(skip) => Outcome::Skipped(skip),
    }
}
