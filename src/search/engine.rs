//! Running a parsed query against the index: ranking, counting, filters.

use super::index::{SearchError, SearchIndex, stored_str};
use super::query::{Mark, ParsedQuery, Scope, Term};
use super::schema::Fields;
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery,
    TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, Searcher, TantivyDocument};

/// A word being typed expands to at most this many indexed words, the most
/// common first, so a short prefix stays about as fast as a whole word.
pub const PREFIX_EXPANSIONS: usize = 64;
/// A single letter being typed expands to fewer words: its most common
/// completions match nearly every article, and scoring a union of 64 of
/// them took most of a keystroke's time at 100,000 articles.
pub const LETTER_EXPANSIONS: usize = 8;

/// Whether `prefix` is one letter (however many bytes it takes).
fn is_letter(prefix: &str) -> bool {
    prefix.chars().nth(1).is_none()
}

/// Whether `prefix` is one or two letters: completed in headlines only.
fn is_short(prefix: &str) -> bool {
    prefix.chars().nth(2).is_none()
}

/// How many completions a prefix being typed gets.
fn expansions(prefix: &str) -> usize {
    if is_letter(prefix) {
        LETTER_EXPANSIONS
    } else {
        PREFIX_EXPANSIONS
    }
}
/// A headline match counts this much more than one in the body.
const TITLE_BOOST: f32 = 3.0;
const KICKER_BOOST: f32 = 1.5;
/// Words completed from a prefix rank below the word typed in full.
const EXPANSION_BOOST: f32 = 0.8;

/// Which articles carry a mark (bookmarked, read). The index cannot know;
/// the caller's store does. Only asked when the query has an `is:` filter.
pub trait Marks {
    fn ids(&self, mark: Mark) -> Vec<String>;
}

/// Nothing bookmarked, nothing read.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoMarks;

impl Marks for NoMarks {
    fn ids(&self, _: Mark) -> Vec<String> {
        Vec::new()
    }
}

impl<F: Fn(Mark) -> Vec<String>> Marks for F {
    fn ids(&self, mark: Mark) -> Vec<String> {
        self(mark)
    }
}

/// One matching article, as the index knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: String,
    /// The file's key (see [`super::path_key`]): its absolute path.
    pub path: String,
    pub title: String,
    pub category: Option<String>,
    /// BM25; higher is better. Only comparable within one search.
    pub score: f32,
}

/// The best hits, best first, and how many articles matched in all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Results {
    pub hits: Vec<Hit>,
    pub total: usize,
}

impl SearchIndex {
    /// The `limit` best matches for `query` and the total count. An empty
    /// query matches nothing (the caller shows its unfiltered list).
    pub fn search(
        &self,
        query: &ParsedQuery,
        limit: usize,
        marks: &dyn Marks,
    ) -> Result<Results, SearchError> {
        if query.is_empty() {
            return Ok(Results::default());
        }
        let searcher = self.reader.searcher();
        let compiled = Compiler {
            fields: &self.fields,
            searcher: &searcher,
        }
        .query(query, marks);
        let run = || -> tantivy::Result<(Vec<(f32, DocAddress)>, usize)> {
            let total = searcher.search(&*compiled, &Count)?;
            if limit == 0 || total == 0 {
                return Ok((Vec::new(), total));
            }
            let top = TopDocs::with_limit(limit).order_by_score();
            Ok((searcher.search(&*compiled, &top)?, total))
        };
        let (top, total) = catch_unwind(AssertUnwindSafe(run))
            .map_err(|_| SearchError::Corrupt(self.dir.clone(), "unreadable segment".into()))?
            .map_err(|e| self.engine(e))?;
        let hits = top
            .into_iter()
            .map(|(score, addr)| self.hit(&searcher, score, addr))
            .collect::<Result<_, _>>()?;
        Ok(Results { hits, total })
    }

    /// The id of every indexed article matching `query`, unranked and
    /// without a limit: hide rules and saved views need all of them, not
    /// the best few. An empty query matches nothing. Ids come in index
    /// order, each read from the document store once.
    pub fn members(
        &self,
        query: &ParsedQuery,
        marks: &dyn Marks,
    ) -> Result<Vec<String>, SearchError> {
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let compiled = Compiler {
            fields: &self.fields,
            searcher: &searcher,
        }
        .query(query, marks);
        let run = || searcher.search(&*compiled, &DocSetCollector);
        let found = catch_unwind(AssertUnwindSafe(run))
            .map_err(|_| SearchError::Corrupt(self.dir.clone(), "unreadable segment".into()))?
            .map_err(|e| self.engine(e))?;
        // In address order, so each compressed block of the store is
        // read once while its documents are taken out of it in turn.
        let mut addresses: Vec<DocAddress> = found.into_iter().collect();
        addresses.sort_unstable();
        addresses
            .into_iter()
            .map(|addr| {
                let doc: TantivyDocument = searcher.doc(addr).map_err(|e| self.engine(e))?;
                Ok(stored_str(&doc, self.fields.id)
                    .unwrap_or_default()
                    .to_string())
            })
            .collect()
    }

    pub(super) fn hit(
        &self,
        searcher: &Searcher,
        score: f32,
        addr: DocAddress,
    ) -> Result<Hit, SearchError> {
        let doc: TantivyDocument = searcher.doc(addr).map_err(|e| self.engine(e))?;
        let text = |f| stored_str(&doc, f).unwrap_or_default().to_string();
        Ok(Hit {
            id: text(self.fields.id),
            path: text(self.fields.path),
            title: text(self.fields.title),
            category: stored_str(&doc, self.fields.folder).map(str::to_string),
            score,
        })
    }
}

/// Turns a [`ParsedQuery`] into a tantivy query for one searcher (prefixes
/// are expanded against its term dictionaries).
struct Compiler<'a> {
    fields: &'a Fields,
    searcher: &'a Searcher,
}

impl Compiler<'_> {
    fn query(&self, q: &ParsedQuery, marks: &dyn Marks) -> Box<dyn Query> {
        let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for clause in &q.clauses {
            let alternatives = clause.iter().map(|t| self.term(t)).collect();
            parts.push((Occur::Must, union(alternatives)));
        }
        for t in &q.excluded {
            parts.push((Occur::MustNot, self.term(t)));
        }
        for filter in &q.marks {
            let ids = marks.ids(filter.mark);
            let set = TermSetQuery::new(
                ids.iter()
                    .map(|id| tantivy::Term::from_field_text(self.fields.id, id)),
            );
            let occur = if filter.wanted {
                Occur::Must
            } else {
                Occur::MustNot
            };
            parts.push((occur, Box::new(ConstScoreQuery::new(Box::new(set), 0.0))));
        }
        if !parts.iter().any(|(o, _)| *o == Occur::Must) {
            parts.push((Occur::Must, Box::new(AllQuery)));
        }
        Box::new(BooleanQuery::new(parts))
    }

    fn term(&self, t: &Term) -> Box<dyn Query> {
        if t.scope.is_exact() {
            let field = match t.scope {
                Scope::Site => self.fields.site,
                Scope::Tag => self.fields.tag,
                _ => self.fields.category,
            };
            let q = term_query(field, &t.words[0], IndexRecordOption::Basic);
            return Box::new(ConstScoreQuery::new(q, 0.0));
        }
        let fields = if t.prefix && is_short(&t.words[0]) {
            self.short_prefix_fields(t.scope)
        } else {
            self.fields_for(t.scope)
        };
        if t.is_phrase() {
            return union(
                fields
                    .iter()
                    .map(|&(f, boost)| boosted(phrase_query(f, &t.words), boost))
                    .collect(),
            );
        }
        let mut words = vec![(t.words[0].clone(), 1.0)];
        if t.prefix {
            let field_list: Vec<Field> = fields.iter().map(|(f, _)| *f).collect();
            words.extend(
                self.expand(&field_list, &t.words[0])
                    .into_iter()
                    .filter(|w| *w != t.words[0])
                    .map(|w| (w, EXPANSION_BOOST)),
            );
        }
        let mut queries = Vec::with_capacity(words.len() * fields.len());
        for (word, weight) in &words {
            for &(f, boost) in &fields {
                let q = term_query(f, word, IndexRecordOption::WithFreqs);
                queries.push(boosted(q, boost * weight));
            }
        }
        union(queries)
    }

    /// The fields a scope searches, with their weights.
    fn fields_for(&self, scope: Scope) -> Vec<(Field, f32)> {
        let f = self.fields;
        match scope {
            Scope::Title => vec![(f.title, TITLE_BOOST)],
            Scope::Author => vec![(f.author, 1.0)],
            _ => vec![
                (f.title, TITLE_BOOST),
                (f.kicker, KICKER_BOOST),
                (f.body, 1.0),
            ],
        }
    }

    /// The fields a prefix of one or two letters being typed completes
    /// in. Its completions are among the commonest words, found in nearly
    /// every body: at 1,000,000 articles counting and ranking them across
    /// the bodies took 25 to 60 ms of CPU, a keystroke's time several times
    /// over. In headlines they pick out a few stories each, cheaply, and
    /// the third letter searches everything again.
    fn short_prefix_fields(&self, scope: Scope) -> Vec<(Field, f32)> {
        match scope {
            Scope::Author => self.fields_for(scope),
            _ => vec![(self.fields.title, TITLE_BOOST)],
        }
    }

    /// The most common indexed words beginning with `prefix`, across all
    /// segments and the given fields.
    fn expand(&self, fields: &[Field], prefix: &str) -> Vec<String> {
        let mut freq: HashMap<Vec<u8>, u64> = HashMap::new();
        for segment in self.searcher.segment_readers() {
            for &field in fields {
                let Ok(inverted) = segment.inverted_index(field) else {
                    continue;
                };
                let Ok(mut stream) = inverted.terms().range().ge(prefix.as_bytes()).into_stream()
                else {
                    continue;
                };
                while stream.advance() && stream.key().starts_with(prefix.as_bytes()) {
                    *freq.entry(stream.key().to_vec()).or_default() +=
                        u64::from(stream.value().doc_freq);
                }
            }
        }
        let mut ranked: Vec<(Vec<u8>, u64)> = freq.into_iter().collect();
        ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        ranked
            .into_iter()
            .take(expansions(prefix))
            .filter_map(|(k, _)| String::from_utf8(k).ok())
            .collect()
    }
}

fn term_query(field: Field, word: &str, record: IndexRecordOption) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        tantivy::Term::from_field_text(field, word),
        record,
    ))
}

fn phrase_query(field: Field, words: &[String]) -> Box<dyn Query> {
    let terms = words
        .iter()
        .map(|w| tantivy::Term::from_field_text(field, w))
        .collect();
    Box::new(PhraseQuery::new(terms))
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if boost == 1.0 {
        q
    } else {
        Box::new(BoostQuery::new(q, boost))
    }
}

/// Any of `queries`; one query stays itself.
fn union(mut queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if queries.len() == 1 {
        return queries.pop().expect("one query");
    }
    Box::new(BooleanQuery::union(queries))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_letter_gets_fewer_completions_than_a_longer_prefix() {
        assert_eq!(expansions("b"), LETTER_EXPANSIONS);
        // One letter, however many bytes it takes.
        assert_eq!(expansions("é"), LETTER_EXPANSIONS);
        assert_eq!(expansions("br"), PREFIX_EXPANSIONS);
        assert_eq!(expansions("éc"), PREFIX_EXPANSIONS);
        const { assert!(LETTER_EXPANSIONS < PREFIX_EXPANSIONS) };
    }
}
