//! The full-text engine, kept off the UI thread.
//!
//! Two threads share the library's [`SearchIndex`]:
//!
//! - the *indexer* opens the index (creating or repairing it), then keeps it
//!   in line with the articles it is told about, committing in slices so
//!   searches see a growing index, and reporting progress as it goes.
//!   While the library is still loading, what needs indexing waits (the
//!   load and the index would share the cores and memory), unless a search
//!   asks for it;
//! - the *searcher* answers queries. Only the newest waiting query is run
//!   (older ones are stale the moment a key is pressed), and after every
//!   commit the last query is run again, so results fill in while indexing.
//!
//! Everything comes back to the run loop as [`Msg`]s; the UI thread never
//! waits for either thread. If the index cannot be opened, the app keeps
//! its own headline matching and says why.

use super::marks::{Mark as AppMark, Marks as AppMarks};
use super::run::Msg;
use crate::article::ArticleMeta;
use crate::library::{Library, PathMap, path_hash};
use crate::search::{
    self, Budget, FileState, Mark, Notice, ParsedQuery, Plan, SearchError, SearchIndex, location,
};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Ranked ids sent back per query: more than a screen can use, few enough
/// that fetching them stays well inside a keystroke.
pub const RESULT_LIMIT: usize = 500;
/// Articles indexed between two commits while building, so a search
/// during the build sees what is done so far. A commit is also the only
/// point where the engine's queue of documents is known to be empty, so
/// this bounds the article text held for it (up to tantivy's own limit
/// of 10,000 documents when the writer falls behind).
const SLICE: usize = 1_000;
/// Columns of context kept around the best match for list snippets; the
/// list cuts them down to its own width.
const EXCERPT_WIDTH: usize = 200;

/// What the indexer tells the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// Articles indexed so far in this run, out of those that need it.
    Progress { done: usize, total: usize },
    /// Articles wait to be indexed until the library has loaded (or until
    /// a search asks for them).
    Waiting,
    /// A new index was made and is being filled: said in the status bar
    /// until it is ready (or progress says more).
    Building,
    /// Everything known is indexed: results are complete.
    Ready,
    /// Something worth a status message (building, rebuilding, read-only).
    Notice(String),
    /// The engine is unavailable; why. Search falls back to headlines.
    Failed(String),
}

/// What the searcher is asked.
#[derive(Debug)]
enum Request {
    Search(Asked),
    /// Context around the best match in these articles' bodies.
    Excerpts {
        query: String,
        articles: Vec<Arc<ArticleMeta>>,
    },
    /// The index has new commits (or has just opened): run the last query again.
    Refreshed,
}

/// What the indexer is told.
#[derive(Debug)]
enum Work {
    /// Articles that are (now) in the library: new or replacing their path.
    Add(Vec<Arc<ArticleMeta>>),
    /// Paths that left the library.
    Remove(Vec<PathBuf>),
    /// The library is fully loaded: drop indexed files it no longer has.
    Complete,
    /// A query was typed: index what is known now, even while the library
    /// is still loading.
    Wanted,
    /// A search found the index damaged: rebuild it.
    Damaged(String),
    /// The handle was dropped: let the index go and end both threads.
    Stop,
}

/// A search as asked: the query, how many of its best results to send,
/// and the marks for its `is:` filters.
#[derive(Debug, Clone)]
struct Asked {
    query: String,
    limit: usize,
    marks: MarkSets,
}

/// Bookmarked and read ids as they were when a query was sent, for `is:`
/// filters (empty when the query has none).
#[derive(Debug, Clone, Default)]
struct MarkSets {
    bookmarked: Vec<String>,
    read: Vec<String>,
}

impl search::Marks for MarkSets {
    fn ids(&self, mark: Mark) -> Vec<String> {
        match mark {
            Mark::Bookmarked => self.bookmarked.clone(),
            Mark::Read => self.read.clone(),
        }
    }
}

/// The handle the run loop keeps: dropping it stops both threads once
/// they are idle.
#[derive(Debug)]
pub struct Finder {
    searches: Sender<Request>,
    work: Sender<Work>,
}

/// The index as both threads see it: `None` while opening or repairing.
type Slot = Arc<Mutex<Option<Arc<SearchIndex>>>>;

impl Finder {
    /// Start both threads for `library`'s index under `cache_dir`, and hand
    /// the indexer the articles known so far (all of them, and the library
    /// marked complete, when its load is done).
    pub fn spawn(cache_dir: &Path, library: &Library, tx: Sender<Msg>) -> std::io::Result<Self> {
        let (searches, search_rx) = channel();
        let (work, work_rx) = channel();
        let slot: Slot = Arc::default();
        let bodies = body_reader(library);
        let searcher = Searcher {
            slot: Arc::clone(&slot),
            bodies: bodies.clone(),
            tx: tx.clone(),
            damaged: work.clone(),
            last: None,
        };
        std::thread::Builder::new()
            .name("searcher".into())
            .spawn(move || searcher.run(&search_rx))?;
        let indexer = Indexer {
            cache_dir: cache_dir.to_path_buf(),
            key: location::library_key(library),
            slot,
            bodies,
            tx,
            refreshed: searches.clone(),
            known: PathMap::default(),
            pending: Vec::new(),
            waiting: Vec::new(),
            eager: false,
            gone: Vec::new(),
            indexed: None,
            complete: false,
            listed: false,
            done: 0,
            total: 0,
        };
        std::thread::Builder::new()
            .name("indexer".into())
            .spawn(move || indexer.run(work_rx))?;
        let finder = Self { searches, work };
        finder.add(library.articles.clone());
        if library.progress.done {
            finder.complete();
        }
        Ok(finder)
    }

    /// Search for `query`; the answer (its best [`RESULT_LIMIT`]) arrives
    /// as [`Msg::SearchResults`].
    pub fn search(&self, query: &str, marks: &AppMarks) {
        self.search_up_to(query, RESULT_LIMIT, marks);
    }

    /// Search for `query`, answering with its best `limit` results.
    pub fn search_up_to(&self, query: &str, limit: usize, marks: &AppMarks) {
        let _ = self.work.send(Work::Wanted);
        let parsed = search::parse(query);
        let mut sets = MarkSets::default();
        for filter in &parsed.marks {
            let (list, mark) = match filter.mark {
                Mark::Bookmarked => (&mut sets.bookmarked, AppMark::Bookmark),
                Mark::Read => (&mut sets.read, AppMark::Read),
            };
            if list.is_empty() {
                list.extend(marks.ids(mark).map(str::to_string));
            }
        }
        let _ = self.searches.send(Request::Search(Asked {
            query: query.to_string(),
            limit,
            marks: sets,
        }));
    }

    /// Ask for snippets of these articles for `query` ([`Msg::Excerpts`]).
    pub fn excerpts(&self, query: &str, articles: Vec<Arc<ArticleMeta>>) {
        let _ = self.searches.send(Request::Excerpts {
            query: query.to_string(),
            articles,
        });
    }

    /// Articles that joined the library (or changed) after the start.
    pub fn add(&self, articles: Vec<Arc<ArticleMeta>>) {
        if !articles.is_empty() {
            let _ = self.work.send(Work::Add(articles));
        }
    }

    /// Paths that left the library.
    pub fn remove(&self, paths: Vec<PathBuf>) {
        let _ = self.work.send(Work::Remove(paths));
    }

    /// The library has finished loading.
    pub fn complete(&self) {
        let _ = self.work.send(Work::Complete);
    }
}

impl Drop for Finder {
    /// The searcher holds a way to ask the indexer for repairs, so the
    /// indexer's queue never closes by itself: tell it to stop. It lets the
    /// index (and its write lock) go, and the searcher follows when its own
    /// queue closes.
    fn drop(&mut self) {
        let _ = self.work.send(Work::Stop);
    }
}

/// A library that reads bodies: the origin and options, no articles (the
/// indexer and searcher pass in the metadata they need).
fn body_reader(library: &Library) -> Library {
    let mut bodies = Library::from_articles(library.origin.clone(), Vec::new());
    bodies.options = library.options.clone();
    bodies
}

fn current(slot: &Slot) -> Option<Arc<SearchIndex>> {
    slot.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

fn publish(slot: &Slot, index: Option<Arc<SearchIndex>>) {
    *slot.lock().unwrap_or_else(|p| p.into_inner()) = index;
}

struct Searcher {
    slot: Slot,
    bodies: Library,
    tx: Sender<Msg>,
    damaged: Sender<Work>,
    /// The last query asked, to run again when the index grows.
    last: Option<Asked>,
}

impl Searcher {
    fn run(mut self, rx: &Receiver<Request>) {
        while let Ok(first) = rx.recv() {
            let (search, excerpts) = self.newest(first, rx);
            if let Some(asked) = search {
                self.last = Some(asked);
                if !self.answer() {
                    return;
                }
            }
            for (query, articles) in excerpts {
                if self.excerpts(query, &articles).is_err() {
                    return;
                }
            }
        }
    }

    /// Everything waiting, reduced to the newest search (or a re-run of the
    /// last one after a commit) and the excerpt requests still current.
    #[allow(clippy::type_complexity)]
    fn newest(
        &self,
        first: Request,
        rx: &Receiver<Request>,
    ) -> (Option<Asked>, Vec<(String, Vec<Arc<ArticleMeta>>)>) {
        let mut search = None;
        let mut excerpts = Vec::new();
        let mut next = Some(first);
        while let Some(request) = next {
            match request {
                Request::Search(asked) => search = Some(asked),
                Request::Refreshed => search = search.or_else(|| self.last.clone()),
                Request::Excerpts { query, articles } => excerpts.push((query, articles)),
            }
            next = rx.try_recv().ok();
        }
        let latest = search
            .as_ref()
            .or(self.last.as_ref())
            .map(|a| a.query.clone());
        excerpts.retain(|(q, _)| Some(q) == latest.as_ref());
        (search, excerpts)
    }

    /// Run the last query; false when the app has gone.
    fn answer(&self) -> bool {
        let Some(Asked {
            query,
            limit,
            marks,
        }) = &self.last
        else {
            return true;
        };
        // Not open yet: the indexer says `Refreshed` once it is.
        let Some(index) = current(&self.slot) else {
            return true;
        };
        if !index.is_writable() {
            let _ = index.refresh();
        }
        let parsed = search::parse(query);
        match index.search(&parsed, *limit, marks) {
            Ok(results) => self
                .tx
                .send(Msg::SearchResults {
                    query: query.clone(),
                    ids: results.hits.into_iter().map(|h| h.id).collect(),
                    total: results.total,
                })
                .is_ok(),
            Err(SearchError::Corrupt(_, why)) => {
                drop(index);
                let _ = self.damaged.send(Work::Damaged(why));
                true
            }
            Err(e) => self
                .tx
                .send(Msg::Indexing(Report::Notice(e.to_string())))
                .is_ok(),
        }
    }

    fn excerpts(&self, query: String, articles: &[Arc<ArticleMeta>]) -> Result<(), ()> {
        let parsed = search::parse(&query);
        let excerpts = articles
            .iter()
            .map(|meta| (meta.id().to_string(), self.excerpt(meta, &parsed)))
            .collect();
        self.tx
            .send(Msg::Excerpts { query, excerpts })
            .map_err(|_| ())
    }

    /// The best window of the body (empty when it cannot be read).
    fn excerpt(&self, meta: &ArticleMeta, query: &ParsedQuery) -> String {
        self.bodies
            .article(meta)
            .map(|a| search::snippet(&a.paragraphs.join("\n"), query, EXCERPT_WIDTH))
            .unwrap_or_default()
    }
}

struct Indexer {
    cache_dir: PathBuf,
    key: String,
    slot: Slot,
    bodies: Library,
    tx: Sender<Msg>,
    refreshed: Sender<Request>,
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
    /// What the index holds, by a hash of each file's index key (see
    /// [`Indexer::index_keys`]); `None` until read.
    indexed: Option<PathMap<(u64, i64)>>,
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
    fn run(mut self, rx: Receiver<Work>) {
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
                let _ = self.tx.send(Msg::Indexing(Report::Failed(why)));
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
        let index = Arc::new(index);
        publish(&self.slot, Some(Arc::clone(&index)));
        let _ = self.refreshed.send(Request::Refreshed);
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
            if let Some(indexed) = self.indexed.as_mut() {
                for key in &remove {
                    indexed.remove(&key_hash(key));
                }
            }
            index.remove(remove)?;
            let _ = self.refreshed.send(Request::Refreshed);
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
            self.report(Report::Ready)?;
        }
        Ok(false)
    }

    /// While the library loads: keep those of `keys` that need indexing
    /// for later, and say that they wait.
    fn defer(&mut self, index: &SearchIndex, keys: Vec<u128>) -> Result<(), Stop> {
        self.load_indexed(index)?;
        let indexed = self.indexed.get_or_insert_default();
        let had = self.waiting.len();
        for key in keys {
            if let Some(meta) = self.known.get(&key)
                && stale(held(indexed, meta).1, meta)
            {
                self.waiting.push(key);
            }
        }
        if had == 0 && !self.waiting.is_empty() {
            self.report(Report::Waiting)?;
        }
        Ok(())
    }

    /// What the index holds, read from it the first time (see
    /// [`Indexer::indexed`]).
    fn load_indexed(&mut self, index: &SearchIndex) -> Result<(), Stop> {
        if self.indexed.is_none() {
            let mut map = PathMap::default();
            index.for_each_indexed(|key, size, mtime| {
                map.insert(key_hash(key), (size, mtime));
            })?;
            self.indexed = Some(map);
        }
        Ok(())
    }

    /// Index whichever of `keys` are new or changed; with `prune`, also drop
    /// indexed files that are not among them (only once the library is
    /// complete: before that, a missing file may simply not be loaded yet).
    ///
    /// What the index holds is read from it once (`indexed`, by a hash of
    /// each file's index key) and kept up to date here, so each pass
    /// compares in memory instead of reading the whole document store.
    /// The files to index are described to the engine a slice at a time,
    /// so a build of the whole library never holds them all at once.
    fn index_keys(
        &mut self,
        index: &SearchIndex,
        mut keys: Vec<u128>,
        prune: bool,
    ) -> Result<(), Stop> {
        self.load_indexed(index)?;
        let indexed = self.indexed.get_or_insert_default();
        let known = &self.known;
        // Every key once (a file may have been added twice since the last
        // pass), by the hash of its index key; of those, the files that
        // need indexing, kept in `keys` itself (it can be the whole library).
        let mut seen = PathMap::<()>::with_capacity_and_hasher(keys.len(), Default::default());
        keys.retain(|k| {
            known.get(k).is_some_and(|meta| {
                let (hash, state) = held(indexed, meta);
                seen.insert(hash, ()).is_none() && stale(state, meta)
            })
        });
        // Indexed files the library no longer has: their keys are only in
        // the index, so it is read again, and only when there are some.
        let mut remove = Vec::new();
        if prune && indexed.keys().any(|h| !seen.contains_key(h)) {
            index.for_each_indexed(|key, _, _| {
                if !seen.contains_key(&key_hash(key)) {
                    remove.push(key.to_string());
                }
            })?;
            remove.sort();
            remove.dedup();
        }
        drop(seen);
        for key in &remove {
            indexed.remove(&key_hash(key));
        }
        // Changed files first (moved to the front in one pass): only they
        // need their old version deleted.
        let mut replaced = 0;
        for i in 0..keys.len() {
            if held(indexed, &known[&keys[i]]).1.is_some() {
                keys.swap(replaced, i);
                replaced += 1;
            }
        }
        if keys.is_empty() && remove.is_empty() {
            return Ok(());
        }
        // `self.report` would borrow all of `self`, and `known` and
        // `indexed` are parts of it: send directly.
        let tx = &self.tx;
        self.total += keys.len();
        if !keys.is_empty() {
            tx.send(Msg::Indexing(Report::Progress {
                done: self.done,
                total: self.total,
            }))
            .map_err(|_| Stop::AppGone)?;
        }
        if !remove.is_empty() {
            index.remove(remove)?;
        }
        let bodies = &self.bodies;
        for (n, slice) in keys.chunks(SLICE).enumerate() {
            let metas: Vec<&ArticleMeta> = slice.iter().map(|k| &*known[k]).collect();
            let files: Vec<FileState> = metas
                .iter()
                .map(|m| FileState::new(&m.path, m.size, m.mtime))
                .collect();
            let changed_here = replaced.saturating_sub(n * SLICE).min(slice.len());
            let part = Plan {
                index: (0..slice.len()).collect(),
                new: slice.len() - changed_here,
                remove: Vec::new(),
            };
            let base = self.done;
            let total = self.total;
            index.apply(
                &files,
                &part,
                |i| bodies.article(metas[i]).ok(),
                |n| {
                    let _ = tx.send(Msg::Indexing(Report::Progress {
                        done: base + n,
                        total,
                    }));
                },
            )?;
            for (meta, file) in metas.iter().zip(&files) {
                indexed.insert(held(indexed, meta).0, (file.size, file.mtime));
            }
            self.done += slice.len();
            let _ = self.refreshed.send(Request::Refreshed);
        }
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
        self.indexed = None;
        self.pending = self.known.keys().copied().collect();
        self.done = 0;
        self.total = 0;
        Ok(index)
    }

    fn report(&self, report: Report) -> Result<(), Stop> {
        self.tx
            .send(Msg::Indexing(report))
            .map_err(|_| Stop::AppGone)
    }
}

/// The hash of `meta`'s index key, and the size and modification time the
/// index holds for it (`None`: not indexed).
fn held(indexed: &PathMap<(u64, i64)>, meta: &ArticleMeta) -> (u128, Option<(u64, i64)>) {
    let hash = key_hash(&search::path_key(&meta.path));
    (hash, indexed.get(&hash).copied())
}

/// Whether what the index holds is not `meta`'s file as it is now.
fn stale(held: Option<(u64, i64)>, meta: &ArticleMeta) -> bool {
    held != Some((meta.size, meta.mtime))
}

/// The hash an index key is known by in [`Indexer::indexed`].
fn key_hash(key: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(key.as_bytes())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn searcher() -> Searcher {
        let (tx, _) = channel();
        let (damaged, _) = channel();
        Searcher {
            slot: Arc::default(),
            bodies: body_reader(&Library::bundled()),
            tx,
            damaged,
            last: Some(Asked {
                query: "old".into(),
                limit: RESULT_LIMIT,
                marks: MarkSets::default(),
            }),
        }
    }

    fn search(query: &str) -> Request {
        Request::Search(Asked {
            query: query.into(),
            limit: RESULT_LIMIT,
            marks: MarkSets::default(),
        })
    }

    fn excerpts(query: &str) -> Request {
        Request::Excerpts {
            query: query.into(),
            articles: Vec::new(),
        }
    }

    #[test]
    fn only_the_newest_query_and_its_excerpts_are_kept() {
        let (tx, rx) = channel();
        for r in [
            excerpts("a"),
            search("ab"),
            excerpts("ab"),
            Request::Refreshed,
        ] {
            tx.send(r).unwrap();
        }
        let (search_for, wanted) = searcher().newest(search("a"), &rx);
        assert_eq!(search_for.map(|a| a.query).as_deref(), Some("ab"));
        let queries: Vec<&str> = wanted.iter().map(|(q, _)| q.as_str()).collect();
        assert_eq!(queries, ["ab"]);
    }

    #[test]
    fn a_commit_runs_the_last_query_again() {
        let (_tx, rx) = channel();
        let (search_for, _) = searcher().newest(Request::Refreshed, &rx);
        assert_eq!(search_for.map(|a| a.query).as_deref(), Some("old"));
        let (search_for, wanted) = searcher().newest(excerpts("old"), &rx);
        assert!(search_for.is_none());
        assert_eq!(wanted.len(), 1);
    }
}
