//! The indexer thread: opens the index and keeps it in line with the
//! articles it is told about, a slice at a time, reporting as it goes.

use super::{Event, Events, Refresh, Report, Slot, Work, publish};
use crate::article::ArticleMeta;
use crate::library::{Library, PathMap, path_hash};
use crate::search::manifest::Manifest;
use crate::search::{self, Budget, FileState, Notice, Plan, Removal, SearchError, SearchIndex};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::Duration;

/// Articles indexed between two commits while building, so a search
/// during the build sees what is done so far. A commit is also the only
/// point where the engine's queue of documents is known to be empty, so
/// this bounds the article text held for it (up to tantivy's own limit
/// of 10,000 documents when the writer falls behind).
const SLICE: usize = 1_000;

pub(super) struct Indexer {
    cache_dir: PathBuf,
    key: String,
    slot: Slot,
    bodies: Library,
    events: Events,
    refreshed: Refresh,
    /// Every article the library has (shared with it), by a hash of its
    /// path.
    known: PathMap<Arc<ArticleMeta>>,
    /// Path hashes added since the last pass.
    pending: Vec<u128>,
    /// Path hashes that need indexing, put off while the library loads.
    waiting: Vec<u128>,
    /// A search has been asked: index as articles arrive, without waiting
    /// for the library to finish loading.
    eager: bool,
    /// Index keys of paths removed since the last pass.
    gone: Vec<String>,
    /// Files the engine could not read, by a hash of each one's index key,
    /// with the size and modification time they had: not tried again until
    /// they change. (What the index holds is its manifest's to say: a copy
    /// of it here would cost a map of every file, 70 MB at 1,000,000.)
    failed: PathMap<(u64, i64)>,
    complete: bool,
    /// The library has finished loading at least once: until then, more
    /// articles are coming, so the index is never reported ready.
    listed: bool,
    /// Progress over this run: indexed so far, and planned in all.
    done: usize,
    total: usize,
}

/// Why the indexer stops: the app is gone, or the engine is unusable.
enum Stop {
    AppGone,
    Failed(String),
}

impl From<SearchError> for Stop {
    fn from(e: SearchError) -> Self {
        Self::Failed(e.to_string())
    }
}

impl Indexer {
    /// An indexer for the index `key` under `cache_dir`, knowing no
    /// articles yet.
    pub(super) fn new(
        cache_dir: PathBuf,
        key: String,
        slot: Slot,
        bodies: Library,
        events: Events,
        refreshed: Refresh,
    ) -> Self {
        Self {
            cache_dir,
            key,
            slot,
            bodies,
            events,
            refreshed,
            known: PathMap::default(),
            pending: Vec::new(),
            waiting: Vec::new(),
            eager: false,
            gone: Vec::new(),
            failed: PathMap::default(),
            complete: false,
            listed: false,
            done: 0,
            total: 0,
        }
    }

    pub(super) fn run(mut self, rx: Receiver<Work>) {
        // Indexing is background work: at a lower priority, it mostly takes
        // what the loader and the UI leave over. Threads started from
        // here (the parsing pool, the engine's writer and merge threads)
        // inherit it; the searcher keeps its normal priority.
        lower_priority();
        let pool = rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("indexer-{i}"))
            .build();
        let mut work = move || {
            let outcome = self.open().and_then(|index| self.serve(index, &rx));
            if let Err(Stop::Failed(why)) = outcome {
                publish(&self.slot, None);
                self.events.deliver(Event::Indexing(Report::Failed(why)));
            }
        };
        match pool {
            Ok(pool) => pool.install(work),
            // No threads to spare: parse on the shared pool instead.
            Err(_) => work(),
        }
    }

    /// Open the index (never waiting for another process: then it is
    /// searched read-only, as it is), tell the app what happened, publish it.
    fn open(&self) -> Result<Arc<SearchIndex>, Stop> {
        let (index, notices) =
            SearchIndex::open_with(&self.cache_dir, &self.key, Duration::ZERO, Budget::Lean)?;
        for notice in notices {
            self.report(match notice {
                Notice::Created => Report::Building,
                other => Report::Notice(capitalise(&other.to_string())),
            })?;
        }
        // A build applies a slice at a time: write what the index holds
        // once it is done, not after every slice.
        index.defer_manifest();
        let index = Arc::new(index);
        publish(&self.slot, Some(Arc::clone(&index)));
        self.refreshed.send();
        Ok(index)
    }

    fn serve(&mut self, mut index: Arc<SearchIndex>, rx: &Receiver<Work>) -> Result<(), Stop> {
        let mut idle = false;
        loop {
            let work = if idle {
                rx.recv().map_err(|_| Stop::AppGone)?
            } else {
                match rx.try_recv() {
                    Ok(work) => work,
                    Err(TryRecvError::Empty) => {
                        idle = self.step(&index)?;
                        continue;
                    }
                    Err(TryRecvError::Disconnected) => return Err(Stop::AppGone),
                }
            };
            idle = false;
            if let Work::Stop = work {
                return Err(Stop::AppGone);
            } else if let Work::Damaged(why) = work {
                index = self.repair(index, &why)?;
            } else {
                self.take(work);
            }
        }
    }

    fn take(&mut self, work: Work) {
        match work {
            Work::Add(articles) => {
                self.known.reserve(articles.len());
                for meta in articles {
                    let key = path_hash(&meta.path);
                    self.pending.push(key);
                    self.known.insert(key, meta);
                }
            }
            Work::Remove(paths) => {
                for path in paths {
                    self.known.remove(&path_hash(&path));
                    self.gone.push(search::path_key(&path));
                }
            }
            Work::Complete => {
                self.complete = true;
                self.listed = true;
            }
            Work::Wanted => {
                if !self.eager {
                    self.eager = true;
                    self.pending.append(&mut self.waiting);
                }
            }
            Work::Damaged(_) | Work::Stop => {}
        }
    }

    /// One pass over what is waiting; true when nothing is left to do.
    fn step(&mut self, index: &SearchIndex) -> Result<bool, Stop> {
        if !index.is_writable() {
            self.pending.clear();
            self.gone.clear();
            return Ok(true);
        }
        if !self.gone.is_empty() {
            let remove = std::mem::take(&mut self.gone);
            for key in &remove {
                self.failed.remove(&key_hash(key));
            }
            index.remove(remove)?;
            self.refreshed.send();
        } else if self.complete {
            // Everything known, in one pass that also drops what is gone.
            // (What was put off is part of it: let its memory go too.)
            self.complete = false;
            self.pending = Vec::new();
            self.waiting = Vec::new();
            let keys = self.known.keys().copied().collect();
            self.index_keys(index, keys, true)?;
        } else if !self.pending.is_empty() {
            let keys = std::mem::take(&mut self.pending);
            if self.listed || self.eager {
                self.index_keys(index, keys, false)?;
            } else {
                self.defer(index, keys)?;
                return Ok(true);
            }
        } else {
            return Ok(true);
        }
        if self.pending.is_empty() && !self.complete && self.gone.is_empty() && self.listed {
            self.done = 0;
            self.total = 0;
            index.save_manifest()?;
            self.report(Report::Ready)?;
        }
        Ok(false)
    }

    /// While the library loads: keep those of `keys` that need indexing
    /// for later, and say that they wait.
    fn defer(&mut self, index: &SearchIndex, keys: Vec<u128>) -> Result<(), Stop> {
        let had = self.waiting.len();
        let (known, failed, waiting) = (&self.known, &self.failed, &mut self.waiting);
        index.with_manifest(|m| {
            for key in keys {
                if let Some(meta) = known.get(&key)
                    && stale(held(m, failed, meta).1, meta)
                {
                    waiting.push(key);
                }
            }
        })?;
        if had == 0 && !self.waiting.is_empty() {
            self.report(Report::Waiting)?;
        }
        Ok(())
    }

    /// Index whichever of `keys` are new or changed; with `prune`, also drop
    /// indexed files that are not among them (only once the library is
    /// complete: before that, a missing file may simply not be loaded yet).
    ///
    /// What the index holds comes from its manifest (read once, kept up to
    /// date by every change), so each pass compares in memory instead of
    /// reading the whole document store.
    /// The files to index are described to the engine a slice at a time,
    /// so a build of the whole library never holds them all at once.
    fn index_keys(
        &mut self,
        index: &SearchIndex,
        mut keys: Vec<u128>,
        prune: bool,
    ) -> Result<(), Stop> {
        let seen = self.keep_stale(index, &mut keys)?;
        let remove = if prune {
            self.unlisted(index, &seen)?
        } else {
            Vec::new()
        };
        drop(seen);
        let replaced = self.changed_first(index, &mut keys)?;
        if keys.is_empty() && remove.is_empty() {
            return Ok(());
        }
        self.total += keys.len();
        if !keys.is_empty() {
            self.report(Report::Progress {
                done: self.done,
                total: self.total,
            })?;
        }
        if !remove.is_empty() {
            let plan = Plan {
                remove,
                ..Plan::default()
            };
            index.apply(&[], &plan, |_| None, |_| {})?;
        }
        for (n, slice) in keys.chunks(SLICE).enumerate() {
            let changed = replaced.saturating_sub(n * SLICE).min(slice.len());
            self.index_slice(index, slice, changed)?;
        }
        Ok(())
    }

    /// Keep in `keys` only the files that need indexing, each once (a file
    /// may have been added twice since the last pass), in place: `keys`
    /// can be the whole library. Returns the hashes of the index keys of
    /// every known file among them, indexed or not, for [`Self::unlisted`].
    fn keep_stale(
        &mut self,
        index: &SearchIndex,
        keys: &mut Vec<u128>,
    ) -> Result<PathMap<()>, Stop> {
        let (known, failed) = (&self.known, &self.failed);
        let mut seen = PathMap::<()>::with_capacity_and_hasher(keys.len(), Default::default());
        index.with_manifest(|m| {
            keys.retain(|k| {
                known.get(k).is_some_and(|meta| {
                    let (hash, state) = held(m, failed, meta);
                    seen.insert(hash, ()).is_none() && stale(state, meta)
                })
            });
        })?;
        Ok(seen)
    }

    /// The indexed files the library no longer has (not in `seen`),
    /// sorted, as the index's manifest knows them; files gone from the
    /// library are forgotten among the failed too.
    fn unlisted(&mut self, index: &SearchIndex, seen: &PathMap<()>) -> Result<Vec<Removal>, Stop> {
        self.failed.retain(|hash, _| seen.contains_key(hash));
        Ok(index.held_except(|hash| seen.contains_key(&hash))?)
    }

    /// Move the changed files among `keys` to the front (in one pass):
    /// only they need their old version deleted. Returns how many there are.
    fn changed_first(&mut self, index: &SearchIndex, keys: &mut [u128]) -> Result<usize, Stop> {
        let known = &self.known;
        Ok(index.with_manifest(|m| {
            let mut replaced = 0;
            for i in 0..keys.len() {
                if m.get(index_hash(&known[&keys[i]])).is_some() {
                    keys.swap(replaced, i);
                    replaced += 1;
                }
            }
            replaced
        })?)
    }

    /// Index one slice of files, the first `changed` of them replacing an
    /// older version, reporting progress as the engine goes; then let the
    /// searcher see the commit.
    fn index_slice(
        &mut self,
        index: &SearchIndex,
        slice: &[u128],
        changed: usize,
    ) -> Result<(), Stop> {
        let known = &self.known;
        let metas: Vec<&ArticleMeta> = slice.iter().map(|k| &*known[k]).collect();
        let files: Vec<FileState> = metas
            .iter()
            .map(|m| FileState::new(&m.path, m.size, m.mtime))
            .collect();
        let part = Plan {
            index: (0..slice.len()).collect(),
            new: slice.len() - changed,
            remove: Vec::new(),
        };
        let (base, total) = (self.done, self.total);
        let (bodies, events) = (&self.bodies, &self.events);
        index.apply(
            &files,
            &part,
            |i| bodies.article(metas[i]).ok(),
            |n| {
                events.deliver(Event::Indexing(Report::Progress {
                    done: base + n,
                    total,
                }));
            },
        )?;
        // The manifest has what was indexed; what the engine could not
        // read is remembered here, as it was, so it is not tried again
        // until it changes.
        let failed = &mut self.failed;
        index.with_manifest(|m| {
            for (meta, file) in metas.iter().zip(&files) {
                let hash = index_hash(meta);
                match m.get(hash) {
                    Some(_) => failed.remove(&hash),
                    None => failed.insert(hash, (file.size, file.mtime)),
                };
            }
        })?;
        self.done += slice.len();
        self.refreshed.send();
        Ok(())
    }

    /// A search hit damaged data: mark the index for rebuilding, open it
    /// afresh and index everything known again.
    fn repair(&mut self, index: Arc<SearchIndex>, why: &str) -> Result<Arc<SearchIndex>, Stop> {
        publish(&self.slot, None);
        let mut index = index;
        // The searcher holds its copy only while a search runs.
        let owned = loop {
            match Arc::try_unwrap(index) {
                Ok(owned) => break owned,
                Err(shared) => {
                    index = shared;
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
        };
        owned.discard(why)?;
        let index = self.open()?;
        self.failed.clear();
        self.pending = self.known.keys().copied().collect();
        self.done = 0;
        self.total = 0;
        Ok(index)
    }

    fn report(&self, report: Report) -> Result<(), Stop> {
        if self.events.deliver(Event::Indexing(report)) {
            Ok(())
        } else {
            Err(Stop::AppGone)
        }
    }
}

/// The hash of `meta`'s index key, and the size and modification time the
/// index holds for it, or had when it could not be read (`None`: neither).
fn held(
    manifest: &Manifest,
    failed: &PathMap<(u64, i64)>,
    meta: &ArticleMeta,
) -> (u128, Option<(u64, i64)>) {
    let hash = index_hash(meta);
    let state = manifest.get(hash).map(|h| (h.size, h.mtime));
    (hash, state.or_else(|| failed.get(&hash).copied()))
}

/// The hash of `meta`'s index key.
fn index_hash(meta: &ArticleMeta) -> u128 {
    key_hash(&search::path_key(&meta.path))
}

/// Whether what the index holds is not `meta`'s file as it is now.
fn stale(held: Option<(u64, i64)>, meta: &ArticleMeta) -> bool {
    held != Some((meta.size, meta.mtime))
}

/// The hash an index key is known by in the index's manifest (and in
/// [`Indexer::failed`]).
fn key_hash(key: &str) -> u128 {
    search::manifest::key_hash(key)
}

/// Make the calling thread (and the threads it starts) yield to every other
/// thread of normal priority. Only Linux gives each thread its own nice
/// value; elsewhere the whole process would slow down, so nothing changes.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on this thread's own id, no memory passed.
    unsafe {
        let tid = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 10);
    }
}

/// `building the search index` -> `Building the search index`.
fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
