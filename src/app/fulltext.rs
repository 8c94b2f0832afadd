//! The app's side of full-text search: what the engine answered, how far
//! indexing is, snippets for the rows on screen, and `n`/`N` in the reader.
//! (The engine itself is [`crate::search`]; matching headlines as the user
//! types is [`super::headlines`].)
//!
//! The engine runs on other threads ([`crate::search::worker`]); the app only
//! records what it asks for ([`App::take_query_change`],
//! [`App::take_excerpt_request`]) and takes in the answers, so it stays a
//! plain state machine that tests drive without threads.

use super::{App, marks::Mark};
use crate::article::ArticleMeta;
use crate::search::worker::{RESULT_LIMIT, Report};
use crate::search::{self, ParsedQuery};
use crate::text::thousands;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Search state that outlives one search: the engine's condition and the
/// snippet toggle, beside what belongs to the current query.
#[derive(Debug, Clone)]
pub struct FullText {
    /// The query as the engine reads it, for highlights and its note.
    parsed: ParsedQuery,
    /// The query changed since the run loop last asked.
    changed: bool,
    /// How many articles the engine's answer matched in all.
    total: usize,
    /// How many of the best results to ask the engine for: a page of them,
    /// and a page more each time the list reaches the end of what it has.
    limit: usize,
    /// Indexing in progress: done, out of.
    indexing: Option<(usize, usize)>,
    /// Articles wait to be indexed until the library has loaded.
    waiting: bool,
    /// A new index is being filled, until it is ready.
    building: bool,
    /// Why the engine is unavailable; search is then on headlines only.
    failed: Option<String>,
    /// The query the engine could not answer: it is matched on headlines,
    /// and the next edit asks the engine again.
    unanswered: Option<String>,
    /// The engine has answered a query or said its index is complete: a
    /// new search waits for its answer instead of matching every headline.
    live: bool,
    /// Snippets under each headline while searching.
    snippets: bool,
    /// Context around the best match, by article id, with the query it was
    /// made for (an older one is shown until the new one arrives).
    excerpts: HashMap<String, (String, String)>,
    /// Ids asked for under the current query.
    requested: HashSet<String>,
}

impl Default for FullText {
    fn default() -> Self {
        Self {
            parsed: ParsedQuery::default(),
            changed: false,
            waiting: false,
            building: false,
            total: 0,
            limit: RESULT_LIMIT,
            indexing: None,
            failed: None,
            unanswered: None,
            live: false,
            snippets: true,
            excerpts: HashMap::new(),
            requested: HashSet::new(),
        }
    }
}

impl FullText {
    /// The query was edited: parse it once for everything that draws it.
    pub(super) fn query_edited(&mut self, query: &str) {
        self.parsed = search::parse(query);
        self.changed = true;
        self.limit = RESULT_LIMIT;
        self.requested.clear();
    }

    /// The search was cleared.
    pub(super) fn cleared(&mut self) {
        self.parsed = ParsedQuery::default();
        self.changed = false;
        self.total = 0;
        self.limit = RESULT_LIMIT;
        self.excerpts.clear();
        self.requested.clear();
    }

    pub(super) fn parsed_ref(&self) -> &ParsedQuery {
        &self.parsed
    }

    /// The marks changed; a query filtering by them must run again.
    pub(super) fn marks_changed(&mut self) {
        if !self.parsed.marks.is_empty() {
            self.changed = true;
        }
    }
}

/// Lines kept above a match that the reader scrolls to.
pub const MATCH_CONTEXT: usize = 2;

impl App {
    // ---- reading ----------------------------------------------------------

    /// The current query as parsed (empty when there is none).
    pub fn parsed_query(&self) -> &ParsedQuery {
        &self.fulltext.parsed
    }

    /// How an invalid query was read, for the search bar.
    pub fn query_note(&self) -> Option<&str> {
        self.fulltext.parsed.note.as_deref()
    }

    /// Indexing progress (done, out of), while the engine is indexing.
    pub fn indexing(&self) -> Option<(usize, usize)> {
        self.fulltext.indexing
    }

    /// `Indexing 12,000 / 100,000` while the index is being built, and
    /// `Building the search index` (a new one) or `Indexing` once the
    /// library has loaded with articles still waiting for it (while it
    /// loads, the loading progress says enough). Nothing once it is ready.
    pub fn indexing_text(&self) -> Option<String> {
        let Some((done, total)) = self.fulltext.indexing else {
            if !self.library.progress().done {
                return None;
            }
            return if self.fulltext.building {
                Some("Building the search index".to_string())
            } else {
                self.fulltext.waiting.then(|| "Indexing".to_string())
            };
        };
        Some(format!(
            "Indexing {} / {}",
            thousands(done),
            thousands(total)
        ))
    }

    /// Whether the list shows the engine's ranked results (possibly for the
    /// previous keystroke, until the answer for this one arrives).
    pub fn ranked(&self) -> bool {
        self.search.ranked.is_some() && !self.search.query.trim().is_empty()
    }

    /// `37 matches`, `500 of 2,095 matches`, `37 matches so far` while
    /// indexing, or `3 headline matches` before the engine has answered.
    pub fn match_count_text(&self) -> String {
        let shown = self.visible().len();
        if !self.ranked() && self.awaits_engine() && !self.search.query.trim().is_empty() {
            return "searching".to_string();
        }
        if !self.ranked() {
            let es = if shown == 1 { "" } else { "es" };
            return format!("{} headline match{es}", thousands(shown));
        }
        // Hidden stories the engine found are not matches to show.
        let hidden = if self.hidden_shown() {
            0
        } else {
            self.hidden_count()
        };
        let total = self.fulltext.total.saturating_sub(hidden).max(shown);
        let es = if total == 1 { "" } else { "es" };
        let count = if total > shown {
            format!("{} of {} match{es}", thousands(shown), thousands(total))
        } else {
            format!("{} match{es}", thousands(total))
        };
        if self.fulltext.indexing.is_some() || self.fulltext.waiting || self.fulltext.building {
            format!("{count} so far")
        } else {
            count
        }
    }

    /// Whether a new search waits for the engine's answer (milliseconds)
    /// with the list as it was, rather than matching every headline first:
    /// once the engine is known to answer. Matching a million headlines
    /// took longer than the engine's answer that replaced it.
    pub(super) fn awaits_engine(&self) -> bool {
        self.fulltext.live
            && self.fulltext.failed.is_none()
            && self.fulltext.unanswered.as_ref() != Some(&self.search.query)
    }

    /// A search left waiting for an engine that will not answer it: the
    /// list follows the query's headline matches instead.
    fn stop_waiting(&mut self) {
        if !self.ranked() && !self.search.query.trim().is_empty() {
            let keep = self.selected_index();
            self.refilter(keep);
        }
    }

    /// How many of the best results to ask the engine for.
    pub fn result_limit(&self) -> usize {
        self.fulltext.limit
    }

    /// On the last of the engine's results while it matched more: ask for
    /// the next page of them, once (the list grows when they come).
    ///
    /// The list leaves out some of the engine's answers (hidden stories,
    /// another feed than the one shown): when what is left does not fill
    /// the screen, more are asked for at once, twice as many each time,
    /// until it does or every match is in.
    pub(super) fn ask_for_more_at_the_end(&mut self) {
        let Some((_, ids)) = self.search.ranked.as_ref().filter(|_| self.ranked()) else {
            return;
        };
        let more = ids.len() < self.fulltext.total && ids.len() >= self.fulltext.limit;
        if !more {
            return;
        }
        if self.visible().len() < self.list_rows() {
            self.fulltext.limit = self.fulltext.limit.saturating_mul(2);
            self.fulltext.changed = true;
        } else if self.selected() + 1 == self.visible().len() {
            self.fulltext.limit += RESULT_LIMIT;
            self.fulltext.changed = true;
        }
    }

    /// Whether the list shows a snippet line under each headline (not in
    /// "more like this", which is not the search's list).
    pub fn snippets_shown(&self) -> bool {
        self.fulltext.snippets && !self.search.query.trim().is_empty() && self.related.is_none()
    }

    /// The text to make a story's snippet from, once the engine sent it.
    pub fn excerpt(&self, id: &str) -> Option<&str> {
        self.fulltext
            .excerpts
            .get(id)
            .map(|(_, text)| text.as_str())
    }

    /// Why the engine is unavailable, when it is.
    pub fn engine_failure(&self) -> Option<&str> {
        self.fulltext.failed.as_deref()
    }

    // ---- what the run loop sends the engine -------------------------------

    /// The query to send to the engine, once per change (never an empty one).
    pub fn take_query_change(&mut self) -> Option<String> {
        if !std::mem::take(&mut self.fulltext.changed) || self.search.query.trim().is_empty() {
            return None;
        }
        Some(self.engine_query())
    }

    /// Stories on screen that need a snippet for the current query, each
    /// asked for once.
    pub fn take_excerpt_request(&mut self) -> Option<(String, Vec<Arc<ArticleMeta>>)> {
        if !self.snippets_shown() || self.areas().and_then(|a| a.list).is_none() {
            return None;
        }
        let rows = self.list_rows();
        let query = &self.search.query;
        let wanted: Vec<Arc<ArticleMeta>> = self
            .visible()
            .iter()
            .skip(self.list_offset())
            .take(rows)
            .map(|&i| &self.library.articles()[i])
            .filter(|m| !self.fulltext.requested.contains(m.id()))
            .filter(|m| {
                self.fulltext
                    .excerpts
                    .get(m.id())
                    .is_none_or(|(q, _)| q != query)
            })
            .cloned()
            .collect();
        if wanted.is_empty() {
            return None;
        }
        self.fulltext
            .requested
            .extend(wanted.iter().map(|m| m.id().to_string()));
        Some((query.clone(), wanted))
    }

    // ---- answers ----------------------------------------------------------

    /// The engine's answer: the best `ids` (best first) of `total` matches
    /// for `query`. A stale answer is ignored.
    pub(super) fn apply_search_results(&mut self, query: &str, ids: Vec<String>, total: usize) {
        if query != self.search.query {
            return;
        }
        // The first answer for a query puts the best match first and
        // selects it; a refreshed answer (the index grew) keeps the place.
        self.fulltext.live = true;
        let first = self.search.ranked.as_ref().is_none_or(|(q, _)| q != query);
        self.fulltext.total = total;
        self.apply_ranked_results(query, ids);
        if first && self.search.ranked.is_some() {
            self.list.select_first();
            self.sync();
        }
        self.ask_for_more_at_the_end();
    }

    /// The engine could not answer `query`: its headline matches are
    /// shown, and the status bar says why. Ignored once the query changed.
    pub(super) fn apply_search_failure(&mut self, query: &str, why: &str) {
        if query != self.search.query {
            return;
        }
        self.fulltext.unanswered = Some(query.to_string());
        self.message(
            &format!("Search failed, headline matches shown: {why}"),
            true,
        );
        self.stop_waiting();
    }

    /// Progress and news from the indexer.
    pub(super) fn apply_indexing(&mut self, report: Report) {
        match report {
            Report::Progress { done, total } => {
                self.fulltext.indexing = Some((done, total));
                self.fulltext.waiting = false;
            }
            Report::Waiting => self.fulltext.waiting = true,
            Report::Building => self.fulltext.building = true,
            Report::Ready => {
                self.fulltext.live = true;
                self.fulltext.indexing = None;
                self.fulltext.waiting = false;
                self.fulltext.building = false;
            }
            // News from the engine never hides the answer to a key press
            // (`Bookmarked`): it waits for the status bar to be free.
            Report::Notice(text) => {
                if self.status.is_none() {
                    self.message(&text, false);
                }
            }
            Report::Failed(why) => {
                self.fulltext.indexing = None;
                self.fulltext.waiting = false;
                self.fulltext.building = false;
                self.message(&format!("Search is on headlines only: {why}"), true);
                self.fulltext.failed = Some(why);
                self.stop_waiting();
            }
        }
    }

    /// Snippets for `query`; kept even when the query moved on, to show
    /// until fresher ones arrive.
    pub(super) fn apply_excerpts(&mut self, query: &str, excerpts: Vec<(String, String)>) {
        if self.search.query.trim().is_empty() {
            return;
        }
        for (id, text) in excerpts {
            self.fulltext.excerpts.insert(id, (query.to_string(), text));
        }
    }

    // ---- actions ----------------------------------------------------------

    pub(super) fn toggle_snippets(&mut self) {
        self.fulltext.snippets = !self.fulltext.snippets;
        let text = if self.fulltext.snippets {
            "Snippets on"
        } else {
            "Snippets off"
        };
        self.message(text, false);
    }

    /// `n`/`N`: the next or previous match in the open story, wrapping.
    pub(super) fn jump_to_match(&mut self, forward: bool) {
        if self.search.query.trim().is_empty() {
            return self.message("No search to jump through", false);
        }
        let height = self.reader_height();
        let Some(reader) = self.reader.as_mut() else {
            return;
        };
        match reader.step_match(forward, height) {
            None => self.message("No matches in this story", false),
            Some(true) if forward => self.message("Back to the first match", false),
            Some(true) => self.message("On to the last match", false),
            Some(false) => {}
        }
    }

    /// After a bookmark or read toggle.
    pub(super) fn note_mark_change(&mut self, _mark: Mark) {
        self.fulltext.marks_changed();
        // A search within a view of marks is sent with them.
        if !self.view().marks().is_empty() && !self.search.query.trim().is_empty() {
            self.fulltext.changed = true;
        }
    }
}
