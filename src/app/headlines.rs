//! Which stories a query picks, while typing.
//!
//! Matching here is deliberately the cheap part: every whitespace-separated
//! term must occur, case-insensitively, in the story's headline, kicker or
//! category. That runs synchronously on every keystroke, even at 100k
//! stories, because the haystacks are small and kept lowercased in memory.
//! Bodies are not matched here: reading every file again on each keystroke
//! would freeze on large libraries, and keeping every body in memory is what
//! the library is designed to avoid. Body text and ranking are the job of a
//! full-text engine, whose ranked ids enter through
//! [`crate::app::Event::Ranked`] and replace these matches for
//! the query they answer.

use crate::article::ArticleMeta;

/// Each article's [`haystack`], in library order, one after another in
/// one string: one allocation per article would cost its allocator's
/// overhead and a 16-byte pointer each (2.5 MB at 100,000 articles).
#[derive(Debug, Default)]
pub struct Haystacks {
    text: String,
    /// Where each article's haystack starts and ends in `text`.
    spans: Vec<(u32, u32)>,
}

impl Haystacks {
    /// The haystacks of `articles`, in their order.
    pub fn new(articles: &[std::sync::Arc<ArticleMeta>]) -> Self {
        // Sized up front (lowercasing seldom changes a length): a string
        // grown by doubling would peak at up to twice its size.
        let size = articles.iter().map(|m| haystack_len(m)).sum();
        let mut out = Self {
            text: String::with_capacity(size),
            spans: Vec::with_capacity(articles.len()),
        };
        for meta in articles {
            out.push(meta);
        }
        out.text.shrink_to_fit();
        out
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The haystack of the article at `index`.
    pub fn get(&self, index: usize) -> &str {
        let (start, end) = self.spans[index];
        &self.text[start as usize..end as usize]
    }

    /// Add the next article's haystack.
    pub fn push(&mut self, meta: &ArticleMeta) {
        let span = self.append(meta);
        self.spans.push(span);
    }

    /// The article at `index` changed: its new haystack goes at the end of
    /// the text (the old one stays unused until the next [`Self::new`]:
    /// files change one at a time, and the library is read afresh when
    /// reordered).
    pub fn replace(&mut self, index: usize, meta: &ArticleMeta) {
        self.spans[index] = self.append(meta);
    }

    fn append(&mut self, meta: &ArticleMeta) -> (u32, u32) {
        // Headlines are short: four billion bytes of them is a library far
        // beyond what is kept in memory.
        let offset = |s: &String| u32::try_from(s.len()).expect("headlines under 4 GiB");
        let start = offset(&self.text);
        push_haystack(&mut self.text, meta);
        (start, offset(&self.text))
    }
}

/// The lowercased text a query is matched against.
pub fn haystack(meta: &ArticleMeta) -> String {
    let mut s = String::new();
    push_haystack(&mut s, meta);
    s
}

/// The length of `meta`'s haystack before lowercasing.
fn haystack_len(meta: &ArticleMeta) -> usize {
    let extras = [meta.kicker(), meta.category()].into_iter().flatten();
    meta.title().len() + extras.map(|e| e.len() + 1).sum::<usize>()
}

fn push_haystack(out: &mut String, meta: &ArticleMeta) {
    push_lowercase(out, meta.title());
    for extra in [meta.kicker(), meta.category()].into_iter().flatten() {
        out.push('\n');
        push_lowercase(out, extra);
    }
}

fn push_lowercase(out: &mut String, s: &str) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        out.push_str(&s.to_lowercase());
    }
}

/// A query split into lowercased terms, each once; empty when there is
/// nothing to match. (A term typed many times would otherwise be looked
/// for that many times in every headline, on every key.)
pub fn terms(query: &str) -> Vec<String> {
    let mut terms: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// Whether every term occurs in the haystack.
pub fn matches(terms: &[String], haystack: &str) -> bool {
    terms.iter().all(|t| haystack.contains(t.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haystacks_follow_pushes_and_replacements() {
        use crate::article::MetaText;
        let meta = |title: &str, kicker: Option<&str>| {
            let text = MetaText {
                title,
                kicker,
                category: Some("Tech"),
                ..MetaText::default()
            };
            ArticleMeta::new(text, "x".into(), 0, 0, 0)
        };
        let articles = [
            std::sync::Arc::new(meta("Blair Up", None)),
            std::sync::Arc::new(meta("Éclair", Some("Paris"))),
        ];
        let mut h = Haystacks::new(&articles);
        assert_eq!(h.len(), 2);
        assert_eq!(h.get(0), "blair up\ntech");
        assert_eq!(h.get(1), "éclair\nparis\ntech");
        h.replace(0, &meta("Quokka", None));
        h.push(&meta("Last", None));
        assert_eq!(
            (0..h.len()).map(|i| h.get(i)).collect::<Vec<_>>(),
            ["quokka\ntech", "éclair\nparis\ntech", "last\ntech"]
        );
        assert_eq!(h.get(0), haystack(&meta("Quokka", None)));
    }

    #[test]
    fn all_terms_must_match_case_insensitively() {
        let h = "blair up for it ahead of poll\npolitics";
        assert!(matches(&terms("BLAIR poll"), h));
        assert!(matches(&terms("politics"), h));
        assert!(!matches(&terms("blair oscar"), h));
        assert!(matches(&terms("   "), h));
    }
}
