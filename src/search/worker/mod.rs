//! The full-text engine, kept off the UI thread.
//!
//! Two threads share the library's [`SearchIndex`]:
//!
//! - the *indexer* (`indexer.rs`) opens the index (creating or repairing
//!   it), then keeps it in line with the articles it is told about,
//!   committing in slices so searches see a growing index, and reporting
//!   progress as it goes. While the library is still loading, what needs
//!   indexing waits (the load and the index would share the cores and
//!   memory), unless a search asks for it;
//! - the *searcher* (`searcher.rs`) answers queries. Only the newest waiting
//!   query is run (older ones are stale the moment a key is pressed), and
//!   after every commit the last query is run again, so results fill in
//!   while indexing.
//!
//! Everything comes back as [`Event`]s through the [`Sink`] the caller
//! hands in (the runtime wraps them into its own messages); the caller
//! never waits for either thread. If the index cannot be opened, the app
//! keeps its own headline matching and says why.

mod indexer;
mod members;
mod searcher;

use crate::article::ArticleMeta;
use crate::library::Library;
use crate::search::{self, Mark, Marks, ParsedQuery, SearchIndex, location};
use indexer::Indexer;
use members::{Ask, Members};
use searcher::Searcher;
pub use searcher::answer;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};

/// Ranked ids sent back per query: more than a screen can use, few enough
/// that fetching them stays well inside a keystroke.
pub const RESULT_LIMIT: usize = 500;

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

/// Everything the worker sends back.
#[derive(Debug)]
pub enum Event {
    /// A query's ranked ids (the best first), and how many articles
    /// matched in all.
    SearchResults {
        query: String,
        ids: Vec<String>,
        total: usize,
    },
    /// The engine could not run `query` (`why`); a damaged index is
    /// rebuilt instead, and answers once it is.
    SearchFailed { query: String, why: String },
    /// Indexing progress and engine news.
    Indexing(Report),
    /// Snippet text (id, text) for the list, made for `query`.
    Excerpts {
        query: String,
        excerpts: Vec<(String, String)>,
    },
    /// The stories most like the story `id` (ids, the best first): the
    /// answer to [`Finder::related`].
    Related { id: String, ids: Vec<String> },
    /// Every article matching the queries asked under `key` (the answer
    /// to [`Finder::members`]), unranked.
    Members { key: String, ids: Vec<String> },
}

/// Where the worker's [`Event`]s go: a channel of them, or any function
/// (the runtime's wraps each into its own message type, so the worker
/// never knows the run loop).
pub trait Sink: Send + Sync + 'static {
    /// Hand on one event; false once nobody listens any more, which ends
    /// the worker's threads.
    fn deliver(&self, event: Event) -> bool;
}

impl Sink for Sender<Event> {
    fn deliver(&self, event: Event) -> bool {
        self.send(event).is_ok()
    }
}

impl<F: Fn(Event) -> bool + Send + Sync + 'static> Sink for F {
    fn deliver(&self, event: Event) -> bool {
        self(event)
    }
}

/// The sink both threads share.
type Events = Arc<dyn Sink>;

/// What the searcher is asked.
#[derive(Debug)]
enum Request {
    Search(Asked),
    /// Context around the best match in these articles' bodies.
    Excerpts {
        query: String,
        articles: Vec<Arc<ArticleMeta>>,
    },
    /// The stories most like this one ("more like this").
    Related(Like),
    /// The index has new commits (or has just opened): run the last query again.
    Refreshed,
}

/// A "more like this" as asked: the story and how many to send.
#[derive(Debug, Clone)]
struct Like {
    meta: Arc<ArticleMeta>,
    limit: usize,
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

impl MarkSets {
    /// The ids `query`'s `is:` filters need, copied from `marks` as they
    /// are now (the searcher runs later, on another thread).
    fn for_query(query: &ParsedQuery, marks: &dyn Marks) -> Self {
        Self::for_queries(std::slice::from_ref(query), marks)
    }

    /// The ids the `is:` filters of any of `queries` need.
    fn for_queries(queries: &[ParsedQuery], marks: &dyn Marks) -> Self {
        let mut sets = Self::default();
        for filter in queries.iter().flat_map(|q| &q.marks) {
            let list = match filter.mark {
                Mark::Bookmarked => &mut sets.bookmarked,
                Mark::Read => &mut sets.read,
            };
            if list.is_empty() {
                *list = marks.ids(filter.mark);
            }
        }
        sets
    }
}

impl Marks for MarkSets {
    fn ids(&self, mark: Mark) -> Vec<String> {
        match mark {
            Mark::Bookmarked => self.bookmarked.clone(),
            Mark::Read => self.read.clone(),
        }
    }
}

/// The handle the runtime keeps: dropping it stops both threads once
/// they are idle.
#[derive(Debug)]
pub struct Finder {
    searches: Sender<Request>,
    members: Sender<Ask>,
    work: Sender<Work>,
}

/// How the indexer tells both reading threads that the index has new
/// commits (or has just opened).
#[derive(Debug, Clone)]
struct Refresh {
    searches: Sender<Request>,
    members: Sender<Ask>,
}

impl Refresh {
    fn send(&self) {
        let _ = self.searches.send(Request::Refreshed);
        let _ = self.members.send(Ask::Refreshed);
    }
}

/// The index as both threads see it: `None` while opening or repairing.
type Slot = Arc<Mutex<Option<Arc<SearchIndex>>>>;

impl Finder {
    /// Start both threads for `library`'s index under `cache_dir`, and hand
    /// the indexer the articles known so far (all of them, and the library
    /// marked complete, when its load is done). Their events go to `sink`.
    pub fn spawn(cache_dir: &Path, library: &Library, sink: impl Sink) -> std::io::Result<Self> {
        let events: Events = Arc::new(sink);
        let (searches, search_rx) = channel();
        let (work, work_rx) = channel();
        let slot: Slot = Arc::default();
        let bodies = body_reader(library);
        let searcher = Searcher::new(
            Arc::clone(&slot),
            bodies.clone(),
            Arc::clone(&events),
            work.clone(),
        );
        std::thread::Builder::new()
            .name("searcher".into())
            .spawn(move || searcher.run(&search_rx))?;
        let (members, members_rx) = channel();
        let counter = Members::new(Arc::clone(&slot), Arc::clone(&events), work.clone());
        std::thread::Builder::new()
            .name("members".into())
            .spawn(move || counter.run(&members_rx))?;
        let refresh = Refresh {
            searches: searches.clone(),
            members: members.clone(),
        };
        let indexer = Indexer::new(
            cache_dir.to_path_buf(),
            location::library_key(library),
            slot,
            bodies,
            events,
            refresh,
        );
        std::thread::Builder::new()
            .name("indexer".into())
            .spawn(move || indexer.run(work_rx))?;
        let finder = Self {
            searches,
            members,
            work,
        };
        finder.add(library.articles().to_vec());
        if library.progress().done {
            finder.complete();
        }
        Ok(finder)
    }

    /// Search for `query`; the answer (its best [`RESULT_LIMIT`]) arrives
    /// as [`Event::SearchResults`]. `marks` answers its `is:` filters.
    pub fn search(&self, query: &str, marks: &dyn Marks) {
        self.search_up_to(query, RESULT_LIMIT, marks);
    }

    /// Search for `query`, answering with its best `limit` results.
    pub fn search_up_to(&self, query: &str, limit: usize, marks: &dyn Marks) {
        let _ = self.work.send(Work::Wanted);
        let marks = MarkSets::for_query(&search::parse(query), marks);
        let _ = self.searches.send(Request::Search(Asked {
            query: query.to_string(),
            limit,
            marks,
        }));
    }

    /// Ask for the `limit` stories most like `meta` ([`Event::Related`]),
    /// answered on the searcher's thread like a search.
    pub fn related(&self, meta: Arc<ArticleMeta>, limit: usize) {
        let _ = self.work.send(Work::Wanted);
        let _ = self.searches.send(Request::Related(Like { meta, limit }));
    }

    /// Ask for every article matching any of `queries` (unranked, no
    /// limit), answered as [`Event::Members`] under `key` on a thread of
    /// its own, so a search keystroke never waits behind it. The newest
    /// ask per key wins, and each key is answered again as the index
    /// grows. No queries forgets the key (answered once, with no ids).
    pub fn members(&self, key: &str, queries: Vec<String>, marks: &dyn Marks) {
        let _ = self.work.send(Work::Wanted);
        let parsed: Vec<ParsedQuery> = queries.iter().map(|q| search::parse(q)).collect();
        let _ = self.members.send(Ask::Members {
            key: key.to_string(),
            queries,
            marks: MarkSets::for_queries(&parsed, marks),
        });
    }

    /// Ask for snippets of these articles for `query` ([`Event::Excerpts`]).
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
    library.body_reader()
}

fn current(slot: &Slot) -> Option<Arc<SearchIndex>> {
    slot.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

fn publish(slot: &Slot, index: Option<Arc<SearchIndex>>) {
    *slot.lock().unwrap_or_else(|p| p.into_inner()) = index;
}
