//! News from the world: the one door through which background work (the
//! loader, the search engine, the store, the file reads the app asks for)
//! changes the app. [`App::update`] takes the user's intent; [`App::apply`]
//! takes everything else, so the two are all there is to drive the app.

use super::App;
use super::marks::Marks;
use super::positions::Positions;
use crate::article::Article;
use crate::library::LoadEvent;
use crate::search::worker::Report;
use crate::store::Bookmark;
use crate::store::session::Session;

/// Something that happened outside the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// One step of the background load (articles, skipped files, progress).
    Load(LoadEvent),
    /// A search engine's ranked ids for `query` (the best first), and how
    /// many articles matched in all. A stale answer is ignored.
    SearchResults {
        query: String,
        ids: Vec<String>,
        total: usize,
    },
    /// The engine could not answer `query` (`why`): the list shows its
    /// headline matches instead.
    SearchFailed { query: String, why: String },
    /// Ranked ids for `query` without a count: they replace the headline
    /// matches while the query is unchanged.
    Ranked { query: String, ids: Vec<String> },
    /// The stories most like the story `id`, best first (the answer to
    /// [`App::take_related_request`]); ignored unless "more like this" is
    /// still showing that story's.
    Related { id: String, ids: Vec<String> },
    /// Every story matching the queries asked under `key` (see
    /// [`App::take_member_requests`]), replacing its last answer.
    Members { key: String, ids: Vec<String> },
    /// Indexing progress and engine news.
    Indexing(Report),
    /// Snippet text (id, text) for the list, made for `query`.
    Excerpts {
        query: String,
        excerpts: Vec<(String, String)>,
    },
    /// Stored marks, positions and missing bookmarks, at start or saved
    /// by another process. Unsaved changes are replaced: drain
    /// [`App::take_mark_changes`] and [`App::take_position_changes`] first.
    Stored {
        marks: Marks,
        positions: Positions,
        missing: Vec<Bookmark>,
    },
    /// Where the last session left off, to go back to.
    Session(Session),
    /// A transient message for the status bar.
    Message { text: String, error: bool },
    /// A warning (a damaged or read-only file), shown longer than a message.
    Warning(String),
    /// The parsed body of the story at `index` the app asked for (see
    /// [`App::wants_body`]), or why it could not be read.
    Body {
        index: usize,
        body: Result<Article, String>,
    },
    /// The raw text of the story at `index`, or why it could not be read.
    Raw {
        index: usize,
        text: Result<String, String>,
    },
    /// The story file at `path` now holds its full text (`F`): the story
    /// read again, or why there is no full text.
    FullText {
        path: std::path::PathBuf,
        result: Result<std::sync::Arc<crate::article::ArticleMeta>, String>,
    },
    /// The time now, in seconds since the epoch: at launch and on each
    /// tick, so dates can be shown relative (`3h ago`).
    Clock(i64),
    /// News of a fetch of the feeds (see [`App::take_fetch_request`]).
    Fetch(super::fetching::FetchEvent),
    /// The near-duplicate groups a grouping job found (see
    /// [`App::take_grouping_job`]); a stale answer is dropped.
    Groups {
        generation: u64,
        groups: std::sync::Arc<crate::library::groups::Groups>,
    },
}

impl App {
    /// Take in one piece of news from outside.
    pub fn apply(&mut self, event: Event) {
        match event {
            Event::Load(event) => self.apply_load(event),
            Event::SearchResults { query, ids, total } => {
                self.apply_search_results(&query, ids, total)
            }
            Event::Ranked { query, ids } => self.apply_ranked_results(&query, ids),
            Event::Related { id, ids } => self.apply_related(&id, ids),
            Event::Members { key, ids } => self.apply_members(key, ids),
            Event::SearchFailed { query, why } => self.apply_search_failure(&query, &why),
            Event::Indexing(report) => self.apply_indexing(report),
            Event::Excerpts { query, excerpts } => self.apply_excerpts(&query, excerpts),
            Event::Stored {
                marks,
                positions,
                missing,
            } => self.load_stored(marks, positions, missing),
            Event::Session(session) => self.restore_session(session),
            Event::Message { text, error } => self.message(&text, error),
            Event::Warning(text) => self.warn(&text),
            Event::Body { index, body } => self.take_body(index, body),
            Event::Raw { index, text } => self.take_raw(index, text),
            Event::FullText { path, result } => self.take_full_text(&path, result),
            Event::Clock(now) => {
                self.now = Some(now);
                self.refresh_if_due(now);
            }
            Event::Fetch(event) => self.apply_fetch(event),
            Event::Groups { generation, groups } => self.take_groups(generation, groups),
        }
    }
}
