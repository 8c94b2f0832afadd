//! Saved views: each a name and a query (see [`crate::config::views`]).
//!
//! A view is its query. Its `is:` filters are answered here, from the
//! marks and reading positions as they are whenever the list is rebuilt,
//! with no wait for the engine. Anything else in the query (words,
//! categories, sites...) is the search engine's: the app asks for every
//! story matching it ([`App::ask_members`]) and lists exactly those, in
//! the list's order; until the answer arrives the header says the view is
//! being searched, never showing a wrong list meanwhile.

use super::marks::{Mark, Marks};
use super::positions::Positions;
use crate::config::ViewSpec;
use crate::keymap::Key;
use crate::search::{self, MarkFilter, ParsedQuery};
use std::collections::HashSet;

/// One view, as the app uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub name: String,
    /// The query as written.
    pub query: String,
    pub key: Option<Key>,
    /// The query as understood, its last word no prefix: a view's query is
    /// finished, unlike one being typed.
    parsed: ParsedQuery,
    /// What the engine answers (the query without its `is:` filters, as
    /// the engine reads it), or `None` when the filters are all there is.
    engine: Option<String>,
}

impl View {
    pub fn new(spec: &ViewSpec) -> Self {
        let mut parsed = search::parse(&spec.query);
        for term in parsed.clauses.iter_mut().flatten() {
            term.prefix = false;
        }
        let mut terms = parsed.clone();
        terms.marks.clear();
        let engine = (!terms.is_empty()).then(|| engine_text(&terms));
        Self {
            name: spec.name.clone(),
            query: spec.query.clone(),
            key: spec.key,
            parsed,
            engine,
        }
    }

    /// Whether the app answers the view alone (its query is only `is:`
    /// filters, or empty): no engine, no wait.
    pub fn marks_only(&self) -> bool {
        self.engine.is_none()
    }

    /// Everything is listed: no filter at all.
    pub fn is_everything(&self) -> bool {
        self.marks_only() && self.parsed.marks.is_empty()
    }

    /// The query the engine answers for the list (see [`Self::marks_only`]).
    pub fn engine_query(&self) -> Option<&str> {
        self.engine.as_deref()
    }

    /// Its `is:` filters.
    pub fn marks(&self) -> &[MarkFilter] {
        &self.parsed.marks
    }

    fn wants(&self, mark: Mark) -> bool {
        self.parsed
            .marks
            .contains(&MarkFilter { mark, wanted: true })
    }

    /// Stories left part-way are listed most recently read first, as
    /// "continue reading" always was.
    pub fn by_recency(&self) -> bool {
        self.wants(Mark::Started)
    }

    /// About single stories (bookmarks, places left): near-duplicates are
    /// not folded into groups here.
    pub fn per_article(&self) -> bool {
        self.wants(Mark::Bookmarked) || self.wants(Mark::Started)
    }

    /// The bookmarks, and nothing else: bookmarks of missing stories are
    /// listed after its stories.
    pub fn is_bookmarks(&self) -> bool {
        self.marks_only()
            && self.parsed.marks
                == [MarkFilter {
                    mark: Mark::Bookmarked,
                    wanted: true,
                }]
    }

    /// Whether the view's `is:` filters hold for the story `id` now.
    pub(super) fn marks_hold(&self, id: &str, marks: &Marks, positions: &Positions) -> bool {
        self.parsed.marks.iter().all(|f| {
            let has = match f.mark {
                Mark::Started => positions.get(id).is_some(),
                mark => marks.has(mark, id),
            };
            has == f.wanted
        })
    }

    /// Whether the story `id` is in the view: its filters hold, and the
    /// engine's answer (`members`, `None` until it comes) has it.
    pub(super) fn admits(
        &self,
        id: &str,
        marks: &Marks,
        positions: &Positions,
        members: Option<&HashSet<String>>,
    ) -> bool {
        self.marks_hold(id, marks, positions)
            && (self.marks_only() || members.is_some_and(|m| m.contains(id)))
    }

    /// What the engine searches for when `typed` is searched in this view:
    /// the view's query and the typed one, joined so that an `OR` at the
    /// start of `typed` cannot reach into the view's query (the view's
    /// query, written back whole, never ends in one), and the view's last
    /// word stays a word (only the typed query's is a prefix).
    pub fn with_search(&self, typed: &str) -> String {
        if self.is_everything() || typed.trim().is_empty() {
            return typed.to_string();
        }
        let mut rest = typed.trim_start();
        while let Some(after) = rest.strip_prefix("OR") {
            if !after.is_empty() && !after.starts_with(char::is_whitespace) {
                break;
            }
            rest = after.trim_start();
        }
        format!("{}{rest}", engine_text(&self.parsed))
    }
}

/// The query written back as the engine reads it, with a space at the
/// end so its last word is not taken for one still being typed.
fn engine_text(query: &ParsedQuery) -> String {
    let mut text = search::query::describe(query);
    text.push(' ');
    text
}

/// The key under which the engine's answer for a view's list is kept.
pub(super) fn list_key(view: &View) -> String {
    format!("view:{}", view.name)
}

/// The key under which a view's unread stories are counted.
pub(super) fn count_key(view: &View) -> String {
    format!("{COUNT_PREFIX}{}", view.name)
}

const COUNT_PREFIX: &str = "view-unread:";

/// Whether `key` counts a view's unread stories (see [`count_key`]).
pub(super) fn is_count_key(key: &str) -> bool {
    key.starts_with(COUNT_PREFIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(query: &str) -> View {
        View::new(&ViewSpec::new("V", query, None))
    }

    #[test]
    fn mark_filters_alone_are_answered_in_the_app() {
        assert!(view("").marks_only() && view("").is_everything());
        assert!(view("is:unread").marks_only());
        assert!(view("is:bookmarked").is_bookmarks());
        assert!(!view("is:bookmarked is:unread").is_bookmarks());
        let tech = view("category:tech is:unread");
        assert!(!tech.marks_only());
        assert_eq!(tech.engine_query(), Some("category:tech "));
    }

    #[test]
    fn the_views_last_word_is_not_a_prefix() {
        let v = view("rust");
        assert_eq!(v.engine_query(), Some("rust "));
        assert!(
            !search::parse(v.engine_query().unwrap()).clauses[0][0].prefix,
            "the engine would match rusty too"
        );
    }

    #[test]
    fn a_search_in_a_view_keeps_or_on_its_own_side() {
        let v = view("cats OR dogs");
        let joined = v.with_search("OR fish");
        let q = search::parse(&joined);
        assert_eq!(q.clauses.len(), 2, "{joined}: two clauses, both must match");
        assert_eq!(q.clauses[0].len(), 2);
        assert_eq!(q.clauses[1][0].words, ["fish"]);
        assert!(q.clauses[1][0].prefix, "the typed word is still a prefix");
        assert_eq!(view("").with_search("x OR y"), "x OR y");
        assert_eq!(view("is:unread").with_search("rust"), "is:unread rust");
        assert_eq!(view("is:unread").with_search("ORacle"), "is:unread ORacle");
    }
}
