//! Loading as a stream of events, so the app can draw its first frame at
//! once and fill the list in as articles arrive.
//!
//! With a cache dir, the previous load's metadata is sent first (a warm
//! start lists everything without opening a file), then every file on disk
//! is checked by size and modification time, and only new or changed files
//! are read and parsed, in parallel chunks. The folders are walked on their
//! own thread meanwhile, handing files over a chunk at a time, so checking
//! starts with the first folder. Removed files are reported last, and the
//! cache is rewritten when anything changed.

use super::walk::{Walked, discover_each};
use super::{Candidate, LibraryError, LoadOptions, Skipped, cache, load_meta, path_key};
use crate::article::ArticleMeta;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    Cached(Vec<Arc<ArticleMeta>>),
    /// Files known from the cache with the same text as one of its articles
    /// (sent right after `Cached`, when there are any): not listed.
    CachedCopies(Vec<Arc<ArticleMeta>>),
    /// The walk is done: this many files to check.
    Found { total: usize },
    /// New or changed articles: each replaces any article with its path.
    Loaded(Vec<Arc<ArticleMeta>>),
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
        .map_or_else(Known::default, |file| read_cache(file, req, sink));
    // The walk runs beside the checking: files are read from the first
    // folder on while the next ones are listed (reading large folders is a
    // good part of a cold start). How many files there are is known, and
    // sent, when the walk ends.
    let walked = std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::channel();
        let mut walker = Some(scope.spawn(move || {
            discover_each(&req.inputs, req.options.walk(), CHUNK, &mut |batch| {
                let _ = tx.send(batch);
            })
        }));
        let mut outcome = None;
        let mut checked = 0;
        for chunk in rx {
            let outcomes: Vec<Outcome> = chunk
                .par_iter()
                .map(|c| check(c, &known, &req.options))
                .collect();
            checked += chunk.len();
            drop(chunk);
            take_outcomes(outcomes, &mut known, sink);
            if walker.as_ref().is_some_and(|w| w.is_finished()) {
                outcome = walker.take().map(|w| end_walk(w.join(), sink));
            }
            sink(LoadEvent::Progress { checked });
        }
        outcome.unwrap_or_else(|| walker.map_or(Ok(()), |w| end_walk(w.join(), sink)))
    });
    if let Err(why) = walked {
        return sink(LoadEvent::Failed(why.to_string()));
    }
    let removed: Vec<PathBuf> = known
        .metas
        .iter()
        .zip(known.live)
        .filter(|(_, live)| !live)
        .map(|(m, _)| m.path.clone())
        .collect();
    if !removed.is_empty() {
        sink(LoadEvent::Removed(removed));
    }
    sink(LoadEvent::Done);
}

/// Report the end of the walk: what it passed over and how many files there
/// are to check, or why it could not start.
fn end_walk(
    joined: std::thread::Result<Result<Walked, (PathBuf, std::io::Error)>>,
    sink: &mut dyn FnMut(LoadEvent),
) -> Result<(), LibraryError> {
    let (total, skipped) = match joined {
        Ok(Ok(found)) => found,
        Ok(Err((path, e))) => return Err(LibraryError::Missing(path, e)),
        Err(panic) => std::panic::resume_unwind(panic),
    };
    if !skipped.is_empty() {
        sink(LoadEvent::Skipped(skipped));
    }
    sink(LoadEvent::Found { total });
    Ok(())
}

/// Send what checking a chunk of files found, and mark the cached entries
/// still on disk.
fn take_outcomes(outcomes: Vec<Outcome>, known: &mut Known, sink: &mut dyn FnMut(LoadEvent)) {
    let mut loaded = Vec::new();
    let mut skipped = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Unchanged(i) => known.live[i] = true,
            Outcome::Loaded(meta) => {
                if let Some(i) = known.position(&meta.path) {
                    known.live[i] = true;
                }
                loaded.push(Arc::new(meta));
            }
            Outcome::Skipped(s) => skipped.push(s),
        }
    }
    if !loaded.is_empty() {
        sink(LoadEvent::Loaded(loaded));
    }
    if !skipped.is_empty() {
        sink(LoadEvent::Skipped(skipped));
    }
}

/// What the cache says about each file: the cached metadata itself (shared
/// with the library, not copied), its position by a hash of the path, and
/// whether the file is still there.
struct Known {
    metas: Vec<Arc<ArticleMeta>>,
    /// [`short_hash`], but for tests that need paths to collide.
    hash: fn(&Path) -> u64,
    /// 64-bit hash of the path bytes -> position in `metas`: 16 bytes a
    /// file (a 128-bit key would double that: 70 MB at 1,000,000 files,
    /// against 35). A match is confirmed against the path itself.
    positions: std::collections::HashMap<u64, u32, BuildU128>,
    /// Positions whose hash an earlier path already had (as likely as two
    /// random 64-bit numbers being equal): looked through one by one.
    collided: Vec<u32>,
    live: Vec<bool>,
}

impl Default for Known {
    fn default() -> Self {
        Self::new(Vec::new())
    }
}

impl Known {
    fn new(metas: Vec<Arc<ArticleMeta>>) -> Self {
        Self::with_hash(metas, short_hash)
    }

    fn with_hash(metas: Vec<Arc<ArticleMeta>>, hash: fn(&Path) -> u64) -> Self {
        let mut positions =
            std::collections::HashMap::with_capacity_and_hasher(metas.len(), BuildU128);
        let mut collided = Vec::new();
        for (i, m) in metas.iter().enumerate() {
            // The cache holds far fewer than 4 billion files (it is read
            // into memory whole).
            let i = u32::try_from(i).expect("fewer than 2^32 files");
            if let Some(taken) = positions.insert(hash(&m.path), i) {
                positions.insert(hash(&m.path), taken);
                collided.push(i);
            }
        }
        let live = vec![false; metas.len()];
        Self {
            metas,
            hash,
            positions,
            collided,
            live,
        }
    }

    /// The cached entry for `path`, if any.
    fn position(&self, path: &Path) -> Option<usize> {
        let first = self.positions.get(&(self.hash)(path)).copied();
        first
            .into_iter()
            .chain(self.collided.iter().copied())
            .map(|i| i as usize)
            .find(|&i| self.metas[i].path == path)
    }
}

/// A 64-bit hash of a path's bytes, for [`Known`].
fn short_hash(path: &Path) -> u64 {
    xxhash_rust::xxh3::xxh3_64(path_key(path))
}

/// A 128-bit hash of a path's bytes: a key that allocates nothing per
/// article, for maps over the whole library (two paths sharing one is
/// as likely as two random 128-bit numbers being equal).
pub fn path_hash(path: &Path) -> u128 {
    xxhash_rust::xxh3::xxh3_128(path_key(path))
}

/// A map keyed by [`path_hash`].
pub type PathMap<V> = HashMap<u128, V, BuildU128>;

/// Keys that are already good hashes need no hashing again.
#[derive(Clone, Copy, Debug, Default)]
pub struct BuildU128;

impl std::hash::BuildHasher for BuildU128 {
    type Hasher = U128Hasher;
    fn build_hasher(&self) -> U128Hasher {
        U128Hasher(0)
    }
}

#[derive(Default)]
pub struct U128Hasher(u64);

impl std::hash::Hasher for U128Hasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only u128 keys come here (as `write_u128`); fold anything else.
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 ^= u64::from_le_bytes(word);
        }
    }
    fn write_u128(&mut self, n: u128) {
        self.0 = n as u64;
    }
}

fn read_cache(file: &Path, req: &LoadRequest, sink: &mut dyn FnMut(LoadEvent)) -> Known {
    match cache::read(file, &req.inputs, &req.options) {
        Ok(cache::Cached {
            mut articles,
            mut copies,
        }) => {
            // The list goes out first: the app shows it while the index of
            // what is known is built here.
            sink(LoadEvent::Cached(articles.clone()));
            if !copies.is_empty() {
                sink(LoadEvent::CachedCopies(copies.clone()));
            }
            articles.append(&mut copies);
            Known::new(articles)
        }
        Err(cache::CacheMiss::Absent | cache::CacheMiss::OtherSettings) => Known::default(),
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
    if let Some(i) = known.position(&c.path)
        && let Ok(m) = std::fs::metadata(&c.path)
        && m.len() == known.metas[i].size
        && super::mtime_nanos(&m) == known.metas[i].mtime
    {
        return Outcome::Unchanged(i);
    }
    match load_meta(c, options) {
        Ok(meta) => Outcome::Loaded(meta),
        Err(skip) => Outcome::Skipped(skip),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::MetaText;

    fn at(path: &str) -> Arc<ArticleMeta> {
        Arc::new(ArticleMeta::new(MetaText::default(), path.into(), 0, 0, 0))
    }

    #[test]
    fn known_finds_every_file_even_when_their_hashes_collide() {
        let metas: Vec<_> = ["/l/a.txt", "/l/b.txt", "/l/c/d.txt"]
            .into_iter()
            .map(at)
            .collect();
        for known in [
            Known::new(metas.clone()),
            Known::with_hash(metas.clone(), |_| 7),
        ] {
            for (i, m) in metas.iter().enumerate() {
                assert_eq!(known.position(&m.path), Some(i), "{:?}", m.path);
            }
            assert_eq!(known.position(Path::new("/l/e.txt")), None);
        }
    }
}
