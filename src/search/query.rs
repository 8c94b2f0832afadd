//! The query language, parsed without touching the index.
//!
//! ```text
//! shell boynton          every word must match (the last one also as a prefix)
//! "exact phrase"         the words in this order
//! -word  -"a phrase"     exclude
//! cats OR dogs           either
//! title:word             only in headlines (title:"a phrase" too)
//! category:sport         the folder or any folder under it (or a tag)
//! author:smith           in the author line
//! site:example.org       the article's URL is on this site (or under it)
//! tag:economy            one of the article's tags
//! is:bookmarked is:read is:unread
//! is:started             left part-way (has a reading position)
//! ```
//!
//! Parsing never fails: whatever cannot be read as an operator (an
//! unbalanced quote, an unknown field, a dangling `OR`) is read as plain
//! words, and [`ParsedQuery::note`] says so, so the search bar can show how
//! the query was understood. Only the first [`MAX_WORDS`] words are kept
//! (the note says so too), which bounds what one query costs the engine.

use super::analysis;
use std::fmt;
use tantivy::tokenizer::TextAnalyzer;

/// The most words a query searches for, counting every word of every
/// phrase, alternative and exclusion. Each one becomes a query per field
/// in the engine: 20,000 words joined by `OR` took seconds and hundreds of
/// megabytes, and no real query comes near this many.
pub const MAX_WORDS: usize = 100;

/// Where a term is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Headline, kicker and body (the headline counts most).
    Text,
    /// Only the headline.
    Title,
    /// The article's folder or one of its parents, or a tag; never
    /// tokenised.
    Category,
    /// The author line.
    Author,
    /// The host of the article's URL, or a domain above it; never tokenised.
    Site,
    /// One of the article's tags; never tokenised.
    Tag,
}

impl Scope {
    /// Matched as one exact value, not as words.
    pub fn is_exact(self) -> bool {
        matches!(self, Scope::Category | Scope::Site | Scope::Tag)
    }
}

/// One thing to match: a word, a phrase or a category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub scope: Scope,
    /// Normalised words (see [`analysis`]); more than one is a phrase. For
    /// [`Scope::Category`], the lowercased folder path as one element.
    pub words: Vec<String>,
    /// The word still being typed: it also matches longer words it begins.
    pub prefix: bool,
}

impl Term {
    pub fn is_phrase(&self) -> bool {
        self.words.len() > 1
    }
}

/// Reading state the index does not know about, so the caller decides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mark {
    Bookmarked,
    Read,
    /// Left part-way: the story has a reading position (not a mark the
    /// user sets; the reader keeps it as they scroll).
    Started,
}

/// `is:bookmarked` is `{Bookmarked, true}`; `is:unread` is `{Read, false}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MarkFilter {
    pub mark: Mark,
    pub wanted: bool,
}

/// A query as understood: every clause must match (each clause matches when
/// any of its alternatives does), no excluded term may match, and every mark
/// filter must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub clauses: Vec<Vec<Term>>,
    pub excluded: Vec<Term>,
    pub marks: Vec<MarkFilter>,
    /// How an invalid query was read, to show beside the search bar.
    pub note: Option<String>,
}

impl ParsedQuery {
    /// Nothing to search for: the app shows the whole library instead.
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty() && self.excluded.is_empty() && self.marks.is_empty()
    }

    /// Every term that selects articles (not excluded ones): what to highlight.
    pub fn positive_terms(&self) -> impl Iterator<Item = &Term> {
        self.clauses.iter().flatten()
    }
}

/// Parse a query; never fails (see the module docs).
pub fn parse(input: &str) -> ParsedQuery {
    let mut builder = Builder {
        analyzer: analysis::words(),
        query: ParsedQuery::default(),
        problems: Vec::new(),
        words: 0,
        full: false,
    };
    let items = lex(input, &mut builder.problems);
    let typing = !input.ends_with(char::is_whitespace) && items.last().is_some_and(is_bare_word);
    builder.build(items);
    // Once words were left out, the last one kept is not the one typed.
    if typing && !builder.full {
        mark_prefix(&mut builder.query);
    }
    let mut query = builder.query;
    // Each complaint once, where it first arose: `OR OR` is one mistake.
    let mut seen = std::collections::HashSet::new();
    let problems: Vec<&str> = builder
        .problems
        .iter()
        .map(String::as_str)
        .filter(|p| seen.insert(*p))
        .collect();
    if !problems.is_empty() {
        query.note = Some(format!(
            "{}; searching for: {}",
            problems.join("; "),
            describe(&query)
        ));
    }
    query
}

/// A lexed piece of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    Or,
    Atom {
        negated: bool,
        field: Option<String>,
        value: String,
        quoted: bool,
        /// Text after an unbalanced quote: plain words, whatever it holds.
        loose: bool,
    },
}

/// A word that may still be being typed: not quoted, excluded or filtered.
fn is_bare_word(item: &Item) -> bool {
    matches!(
        item,
        Item::Atom { negated: false, quoted: false, field, .. }
            if field.as_deref().is_none_or(|f| f == "title" || f == "author")
    )
}

/// Split into items. Problems found here are recorded; the text is kept.
fn lex(input: &str, problems: &mut Vec<String>) -> Vec<Item> {
    let mut items = Vec::new();
    let mut rest = input.trim_start();
    while !rest.is_empty() {
        let (item, after) = lex_one(rest, problems);
        items.extend(item);
        rest = after.trim_start();
    }
    items
}

fn lex_one<'a>(s: &'a str, problems: &mut Vec<String>) -> (Option<Item>, &'a str) {
    let word_end = s.find(char::is_whitespace).unwrap_or(s.len());
    if &s[..word_end] == "OR" {
        return (Some(Item::Or), &s[word_end..]);
    }
    let negated = s.len() > 1 && s.starts_with('-');
    let body = if negated { &s[1..] } else { s };
    let (field, value_start) = split_field(body);
    let value_text = &body[value_start..];
    let (value, quoted, after) = lex_value(value_text, problems);
    let loose = !quoted && value_text.starts_with('"');
    let item = Item::Atom {
        negated,
        field: field.map(str::to_string),
        value: value.to_string(),
        quoted,
        loose,
    };
    (Some(item), after)
}

/// `title:x` -> (Some("title"), 6). A field name is ASCII letters.
fn split_field(s: &str) -> (Option<&str>, usize) {
    let name_len = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    if name_len > 0 && s[name_len..].starts_with(':') {
        (Some(&s[..name_len]), name_len + 1)
    } else {
        (None, 0)
    }
}

/// A quoted phrase or a bare word: (value, quoted, rest of input).
fn lex_value<'a>(s: &'a str, problems: &mut Vec<String>) -> (&'a str, bool, &'a str) {
    if let Some(inner) = s.strip_prefix('"') {
        return match inner.find('"') {
            Some(end) => (&inner[..end], true, &inner[end + 1..]),
            None => {
                problems.push("unbalanced quote".into());
                (inner, false, "")
            }
        };
    }
    let end = s.find(char::is_whitespace).unwrap_or(s.len());
    (&s[..end], false, &s[end..])
}

struct Builder {
    analyzer: TextAnalyzer,
    query: ParsedQuery,
    problems: Vec<String>,
    /// Words kept so far, up to [`MAX_WORDS`].
    words: usize,
    /// [`MAX_WORDS`] reached: the rest of the query is left out.
    full: bool,
}

impl Builder {
    /// Group atoms joined by `OR` into clauses.
    fn build(&mut self, items: Vec<Item>) {
        let mut group: Vec<Term> = Vec::new();
        let mut pending_or = false;
        for item in items {
            if self.full {
                pending_or = false;
                break;
            }
            match item {
                Item::Or if group.is_empty() || pending_or => self.dangling_or(),
                Item::Or => pending_or = true,
                Item::Atom {
                    negated,
                    field,
                    value,
                    loose,
                    ..
                } => {
                    let joined = std::mem::take(&mut pending_or);
                    if loose {
                        if !joined {
                            self.flush(&mut group);
                        }
                        self.plain_words(&value, negated, &mut group);
                        continue;
                    }
                    if negated {
                        if joined {
                            self.problems.push("OR cannot join an excluded term".into());
                        }
                        self.atom(true, field.as_deref(), &value, &mut Vec::new());
                        continue;
                    }
                    if !joined {
                        self.flush(&mut group);
                    }
                    self.atom(false, field.as_deref(), &value, &mut group);
                }
            }
        }
        if pending_or {
            self.dangling_or();
        }
        self.flush(&mut group);
    }

    fn dangling_or(&mut self) {
        self.problems.push("OR needs a term on each side".into());
    }

    fn flush(&mut self, group: &mut Vec<Term>) {
        if !group.is_empty() {
            self.query.clauses.push(std::mem::take(group));
        }
    }

    /// Turn one atom into terms, mark filters or, when invalid, plain words.
    fn atom(&mut self, negated: bool, field: Option<&str>, value: &str, group: &mut Vec<Term>) {
        let scope = match field {
            None => Scope::Text,
            Some("title") => Scope::Title,
            Some("category") => Scope::Category,
            Some("author") => Scope::Author,
            Some("site") => Scope::Site,
            Some("tag") => Scope::Tag,
            Some("is") => match mark_filter(value, negated) {
                Some(filter) if self.query.marks.contains(&filter) => return,
                Some(filter) => return self.query.marks.push(filter),
                None => {
                    self.problems.push(format!(
                        "unknown filter is:{value} (try is:bookmarked, is:read, is:unread, is:started)"
                    ));
                    return self.plain_words(&format!("is {value}"), negated, group);
                }
            },
            Some(other) => {
                self.problems.push(format!("unknown field {other}:"));
                return self.plain_words(&format!("{other} {value}"), negated, group);
            }
        };
        let term = match scope {
            Scope::Category | Scope::Tag => exact_term(scope, value),
            Scope::Site => site_term(value),
            // Unquoted text such as `e-mail` that splits into several words
            // must match them together too: as a phrase.
            _ => self.phrase(scope, value),
        };
        self.push(term, negated, group);
    }

    /// Invalid syntax read as separate words, each required (or excluded).
    fn plain_words(&mut self, text: &str, negated: bool, group: &mut Vec<Term>) {
        for (i, word) in analysis::normalise(&mut self.analyzer, text)
            .into_iter()
            .enumerate()
        {
            if self.full {
                break;
            }
            if i > 0 {
                self.flush(group);
            }
            let term = Some(Term {
                scope: Scope::Text,
                words: vec![word],
                prefix: false,
            });
            self.push(term, negated, group);
        }
    }

    fn phrase(&mut self, scope: Scope, text: &str) -> Option<Term> {
        let words = analysis::normalise(&mut self.analyzer, text);
        (!words.is_empty()).then_some(Term {
            scope,
            words,
            prefix: false,
        })
    }

    fn push(&mut self, term: Option<Term>, negated: bool, group: &mut Vec<Term>) {
        let Some(mut t) = term else {
            return;
        };
        let room = MAX_WORDS - self.words;
        if t.words.len() > room {
            self.leave_out_the_rest();
            if room == 0 {
                return;
            }
            // A phrase cut to its first words still finds the phrase.
            t.words.truncate(room);
        }
        self.words += t.words.len();
        if negated {
            self.query.excluded.push(t);
        } else {
            group.push(t);
        }
    }

    fn leave_out_the_rest(&mut self) {
        if !self.full {
            self.full = true;
            self.problems.push(format!(
                "too long: only the first {MAX_WORDS} words are searched"
            ));
        }
    }
}

fn mark_filter(value: &str, negated: bool) -> Option<MarkFilter> {
    let (mark, wanted) = match value.to_ascii_lowercase().as_str() {
        "bookmarked" | "bookmark" => (Mark::Bookmarked, true),
        "read" => (Mark::Read, true),
        "unread" => (Mark::Read, false),
        "started" => (Mark::Started, true),
        _ => return None,
    };
    Some(MarkFilter {
        mark,
        wanted: wanted != negated,
    })
}

/// `category:Sport/` -> `sport`, matched against the folder and its
/// parents; `tag:Economy` -> `economy`.
fn exact_term(scope: Scope, value: &str) -> Option<Term> {
    let value = value.trim().trim_matches('/').to_lowercase();
    (!value.is_empty()).then(|| Term {
        scope,
        words: vec![value],
        prefix: false,
    })
}

/// `site:https://www.Example.org/news` -> `www.example.org`: a pasted
/// address is cut to its host.
fn site_term(value: &str) -> Option<Term> {
    let value = value.trim();
    let host = crate::article::format::host(value)
        .unwrap_or_else(|| value.split(['/', '?', '#']).next().unwrap_or(value));
    exact_term(Scope::Site, host.trim_end_matches('.'))
}

/// While typing, the last single word of the query also matches as a prefix.
fn mark_prefix(query: &mut ParsedQuery) {
    let Some(last) = query.clauses.last_mut().and_then(|c| c.last_mut()) else {
        return;
    };
    if !last.scope.is_exact() && last.words.len() == 1 {
        last.prefix = true;
    }
}

/// The query written back in canonical form, as the engine reads it.
pub fn describe(query: &ParsedQuery) -> String {
    let mut parts: Vec<String> = Vec::new();
    for clause in &query.clauses {
        let alts: Vec<String> = clause.iter().map(ToString::to_string).collect();
        parts.push(alts.join(" OR "));
    }
    parts.extend(query.excluded.iter().map(|t| format!("-{t}")));
    parts.extend(query.marks.iter().map(ToString::to_string));
    parts.join(" ")
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.scope {
            Scope::Text => {}
            Scope::Title => f.write_str("title:")?,
            Scope::Category => f.write_str("category:")?,
            Scope::Author => f.write_str("author:")?,
            Scope::Site => f.write_str("site:")?,
            Scope::Tag => f.write_str("tag:")?,
        }
        if self.is_phrase() {
            write!(f, "\"{}\"", self.words.join(" "))
        } else {
            f.write_str(&self.words.join(" "))
        }
    }
}

impl fmt::Display for MarkFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match (self.mark, self.wanted) {
            (Mark::Bookmarked, true) => "is:bookmarked",
            (Mark::Bookmarked, false) => "-is:bookmarked",
            (Mark::Read, true) => "is:read",
            (Mark::Read, false) => "is:unread",
            (Mark::Started, true) => "is:started",
            (Mark::Started, false) => "-is:started",
        };
        f.write_str(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str) -> Term {
        Term {
            scope: Scope::Text,
            words: vec![w.into()],
            prefix: false,
        }
    }

    #[test]
    fn plain_words_are_all_required_and_the_last_is_a_prefix() {
        let q = parse("Shell  Boynt");
        assert_eq!(q.clauses.len(), 2);
        assert_eq!(q.clauses[0], [word("shell")]);
        assert_eq!(q.clauses[1][0].words, ["boynt"]);
        assert!(q.clauses[1][0].prefix);
        assert_eq!(q.note, None);
    }

    #[test]
    fn a_trailing_space_ends_the_prefix() {
        let q = parse("broadband ");
        assert!(!q.clauses[0][0].prefix);
    }

    #[test]
    fn phrases_exclusions_and_or() {
        let q = parse(r#""Mobile phone" -apple cats OR dogs"#);
        assert_eq!(q.clauses.len(), 2);
        assert_eq!(q.clauses[0][0].words, ["mobile", "phone"]);
        assert_eq!(q.clauses[1].len(), 2);
        assert_eq!(q.clauses[1][0], word("cats"));
        assert_eq!(q.clauses[1][1].words, ["dogs"]);
        assert_eq!(q.excluded, [word("apple")]);
        assert_eq!(q.note, None);
    }

    #[test]
    fn is_started_is_a_mark_filter_written_back_as_typed() {
        let q = parse("-is:started is:Started shell");
        let started = |wanted| MarkFilter {
            mark: Mark::Started,
            wanted,
        };
        assert_eq!(q.marks, [started(false), started(true)]);
        assert_eq!(q.note, None);
        assert_eq!(describe(&q), "shell -is:started is:started");
    }

    #[test]
    fn fields_and_marks() {
        let q = parse("title:Café category:Sport/Football/ is:unread -is:bookmarked x");
        assert_eq!(q.clauses[0][0].scope, Scope::Title);
        assert_eq!(q.clauses[0][0].words, ["cafe"]);
        assert_eq!(q.clauses[1][0].scope, Scope::Category);
        assert_eq!(q.clauses[1][0].words, ["sport/football"]);
        assert_eq!(
            q.marks,
            [
                MarkFilter {
                    mark: Mark::Read,
                    wanted: false
                },
                MarkFilter {
                    mark: Mark::Bookmarked,
                    wanted: false
                }
            ]
        );
        assert_eq!(q.note, None);
    }

    #[test]
    fn unbalanced_quote_reads_plain_words_and_says_so() {
        let q = parse(r#"shell "former boss"#);
        let words: Vec<_> = q.clauses.iter().map(|c| c[0].words.clone()).collect();
        assert_eq!(words, [vec!["shell"], vec!["former"], vec!["boss"]]);
        assert!(q.clauses[2][0].prefix, "still typing");
        let note = q.note.unwrap();
        assert!(note.contains("unbalanced quote"), "{note}");
        assert!(note.ends_with("searching for: shell former boss"), "{note}");
    }

    #[test]
    fn unknown_field_is_read_as_words() {
        let q = parse("writer:smith tax");
        let words: Vec<_> = q.clauses.iter().map(|c| c[0].words[0].clone()).collect();
        assert_eq!(words, ["writer", "smith", "tax"]);
        assert!(q.note.unwrap().contains("unknown field writer:"));
    }

    #[test]
    fn author_site_and_tag_fields() {
        let q = parse(r#"author:"Jane Doe" site:https://WWW.Example.org/news/ tag:Economy/ x"#);
        assert_eq!(q.note, None);
        let terms: Vec<(Scope, Vec<String>)> = q
            .clauses
            .iter()
            .map(|c| (c[0].scope, c[0].words.clone()))
            .collect();
        assert_eq!(
            terms,
            [
                (Scope::Author, vec!["jane".to_string(), "doe".to_string()]),
                (Scope::Site, vec!["www.example.org".to_string()]),
                (Scope::Tag, vec!["economy".to_string()]),
                (Scope::Text, vec!["x".to_string()]),
            ]
        );
        assert_eq!(
            describe(&q),
            r#"author:"jane doe" site:www.example.org tag:economy x"#
        );
        let typing = parse("site:example.org");
        assert!(!typing.clauses[0][0].prefix, "a site is never a prefix");
        let typing = parse("author:smi");
        assert!(
            typing.clauses[0][0].prefix,
            "an author word is typed like any word"
        );
    }

    #[test]
    fn dangling_or_is_noted_and_ignored() {
        let q = parse("OR cats OR");
        assert_eq!(q.clauses, [vec![word("cats")]]);
        assert!(q.note.unwrap().contains("OR needs a term"));
    }

    #[test]
    fn each_complaint_is_noted_once() {
        for input in [
            "OR OR",
            "cats OR OR dogs",
            "OR cats OR",
            "a \"b\" OR OR OR c",
        ] {
            let note = parse(input).note.unwrap();
            assert_eq!(
                note.matches("OR needs a term").count(),
                1,
                "{input}: {note}"
            );
        }
        let note = parse("writer:a writer:b").note.unwrap();
        assert_eq!(note.matches("unknown field").count(), 1, "{note}");
    }

    #[test]
    fn hyphenated_word_is_a_phrase_and_symbols_alone_are_nothing() {
        let q = parse("e-mail !!! -");
        assert_eq!(q.clauses.len(), 1);
        assert_eq!(q.clauses[0][0].words, ["e", "mail"]);
        assert!(parse("  ").is_empty());
    }

    #[test]
    fn describe_round_trips_the_reading() {
        let q = parse(r#"title:shell "a b" x OR y -z category:tech is:read"#);
        assert_eq!(
            describe(&q),
            r#"title:shell "a b" x OR y category:tech -z is:read"#
        );
    }
}
