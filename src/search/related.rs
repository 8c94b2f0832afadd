//! "More like this": the stories most like one story, by the words they
//! share, ranked by the index.
//!
//! The query is tantivy's [`MoreLikeThisQuery`], built from the story's own
//! text (the index stores no bodies: the files stay the one copy), over
//! the headline and body fields. Its tuning is for news text: a few hundred
//! words a story, libraries from a handful of stories to a million.
//!
//! Near-duplicates of the story (the same story lightly edited or
//! retitled) come first whatever their score: [`near_first`] takes which
//! they are from the caller, who knows the groups; the index does not.

use super::engine::{Hit, Results};
use super::index::{SearchError, SearchIndex};
use crate::article::Article;
use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, MoreLikeThisQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, OwnedValue};

/// A word only the story itself has finds nothing else: a word counts
/// once at least one other indexed story has it.
const MIN_DOC_FREQUENCY: u64 = 2;
/// A word in more than this share of the library says little about what a
/// story is about ("said", "year", "people"), and its postings are the
/// longest to score: at 100,000 stories a word in most of them would cost
/// more than every other word of the query together.
const MAX_DOC_SHARE: u64 = 10;
/// In a small library every word is in a large share of it: below this
/// many stories the share above is not applied.
const MAX_DOC_FLOOR: u64 = 20;
/// A word must come up twice in the story to stand for it: a word used
/// once is as often an aside as the topic. (The headline is counted in
/// too, see [`RelatedQuery::fields`], so a headline word used once in the
/// body counts.)
const MIN_TERM_FREQUENCY: usize = 2;
/// The story's best words by tf-idf that make up the query: enough to
/// find stories sharing a topic, few enough that the query stays within a
/// search keystroke's time at 100,000 stories.
const MAX_QUERY_TERMS: usize = 25;
/// Shorter words are initials and function words ("of", "uk", "to").
const MIN_WORD_BYTES: usize = 3;
/// Only this much of a story's text is read for its words: a news story is
/// a few kilobytes, and the work (a term lookup per distinct word) stays
/// bounded however large the file.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

impl SearchIndex {
    /// The `limit` stories most like `article`, best first, never the story
    /// itself (`total` is how many were found, at most `limit`: counting
    /// every story that shares a word would cost as much again).
    pub fn related(&self, article: &Article, limit: usize) -> Result<Results, SearchError> {
        let searcher = self.reader.searcher();
        let Some(query) = RelatedQuery::new(self, article).build(searcher.num_docs()) else {
            return Ok(Results::default());
        };
        let run = || -> tantivy::Result<Vec<(f32, tantivy::DocAddress)>> {
            if limit == 0 {
                return Ok(Vec::new());
            }
            searcher.search(&*query, &TopDocs::with_limit(limit).order_by_score())
        };
        let top = catch_unwind(AssertUnwindSafe(run))
            .map_err(|_| SearchError::Corrupt(self.dir.clone(), "unreadable segment".into()))?
            .map_err(|e| self.engine(e))?;
        let hits: Vec<Hit> = top
            .into_iter()
            .map(|(score, addr)| self.hit(&searcher, score, addr))
            .collect::<Result<_, _>>()?;
        let total = hits.len();
        Ok(Results { hits, total })
    }
}

/// The query for one story, before the library's size sets its limits.
struct RelatedQuery<'a> {
    index: &'a SearchIndex,
    article: &'a Article,
}

impl<'a> RelatedQuery<'a> {
    fn new(index: &'a SearchIndex, article: &'a Article) -> Self {
        Self { index, article }
    }

    /// The more-like-this query without the story itself; `None` when the
    /// story has no words to go by.
    fn build(&self, docs: u64) -> Option<Box<dyn Query>> {
        let fields = self.fields();
        if fields.iter().all(|(_, values)| values.is_empty()) {
            return None;
        }
        let like = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(MIN_DOC_FREQUENCY)
            .with_max_doc_frequency(max_doc_frequency(docs))
            .with_min_term_frequency(MIN_TERM_FREQUENCY)
            .with_max_query_terms(MAX_QUERY_TERMS)
            .with_min_word_length(MIN_WORD_BYTES)
            .with_document_fields(fields);
        let itself = TermQuery::new(
            tantivy::Term::from_field_text(self.index.fields.id, self.article.meta.id()),
            IndexRecordOption::Basic,
        );
        Some(Box::new(BooleanQuery::new(vec![
            (Occur::Must, Box::new(like) as Box<dyn Query>),
            (Occur::MustNot, Box::new(itself)),
        ])))
    }

    /// The story's text per field. The headline is given twice to the
    /// headline field (a headline has each word once, and every one of
    /// them counts) and once to the body's, where it adds to the body's
    /// own count of its words.
    fn fields(&self) -> Vec<(tantivy::schema::Field, Vec<OwnedValue>)> {
        let f = &self.index.fields;
        let title = self.article.meta.title().trim();
        let mut body = Vec::new();
        let mut room = MAX_TEXT_BYTES;
        for text in std::iter::once(title).chain(self.article.paragraphs.iter().map(String::as_str))
        {
            let part = cut(text, room);
            if part.is_empty() {
                break;
            }
            room -= part.len();
            body.push(OwnedValue::Str(part.to_string()));
        }
        let headline = if title.is_empty() {
            Vec::new()
        } else {
            let title = cut(title, MAX_TEXT_BYTES).to_string();
            vec![OwnedValue::Str(title.clone()), OwnedValue::Str(title)]
        };
        vec![(f.title, headline), (f.body, body)]
    }
}

/// Words in more than a tenth of the library are left out, once it has
/// [`MAX_DOC_FLOOR`] stories.
fn max_doc_frequency(docs: u64) -> u64 {
    if docs < MAX_DOC_FLOOR {
        docs
    } else {
        (docs / MAX_DOC_SHARE).max(MAX_DOC_FLOOR / 2)
    }
}

/// `text` cut to at most `room` bytes, at a character boundary.
fn cut(text: &str, room: usize) -> &str {
    if text.len() <= room {
        return text;
    }
    let mut end = room;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The ranked stories with the story's near-duplicates moved first (in
/// their own ranking order), each marked whether it is one. `near` holds
/// the ids of the story's near-duplicates: this is where near-duplicate
/// groups plug in (an empty set keeps the ranking as it is). A
/// near-duplicate the ranking did not find is not added.
pub fn near_first<T>(
    ranked: Vec<T>,
    id: impl Fn(&T) -> &str,
    near: &HashSet<String>,
) -> Vec<(T, bool)> {
    let (mut first, rest): (Vec<_>, Vec<_>) = ranked
        .into_iter()
        .map(|item| {
            let is_near = near.contains(id(&item));
            (item, is_near)
        })
        .partition(|(_, is_near)| *is_near);
    first.extend(rest);
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_duplicates_come_first_in_their_order_and_are_marked() {
        let near: HashSet<String> = ["d", "b"].iter().map(|s| s.to_string()).collect();
        let ordered = near_first(vec!["a", "b", "c", "d"], |s| s, &near);
        assert_eq!(
            ordered,
            [("b", true), ("d", true), ("a", false), ("c", false)]
        );
        let none = near_first(vec!["a", "b"], |s| s, &HashSet::new());
        assert_eq!(none, [("a", false), ("b", false)]);
    }

    #[test]
    fn the_common_word_cap_follows_the_library_and_spares_small_ones() {
        assert_eq!(max_doc_frequency(5), 5);
        assert_eq!(max_doc_frequency(19), 19);
        assert_eq!(max_doc_frequency(50), 10);
        assert_eq!(max_doc_frequency(100_000), 10_000);
    }

    #[test]
    fn text_is_cut_at_a_character_boundary() {
        assert_eq!(cut("héllo", 2), "h");
        assert_eq!(cut("héllo", 3), "hé");
        assert_eq!(cut("abc", 10), "abc");
    }
}
