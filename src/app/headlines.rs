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

/// Each article's [`haystack`], in library order.
pub fn haystacks(articles: &[std::sync::Arc<ArticleMeta>]) -> Vec<Box<str>> {
    articles.iter().map(|m| haystack(m)).collect()
}

/// The lowercased text a query is matched against, allocated to its size
/// (one is kept per article).
pub fn haystack(meta: &ArticleMeta) -> Box<str> {
    let extras = [meta.kicker(), meta.category()].into_iter().flatten();
    let len = meta.title().len() + extras.clone().map(|e| e.len() + 1).sum::<usize>();
    let mut s = String::with_capacity(len);
    push_lowercase(&mut s, meta.title());
    for extra in extras {
        s.push('\n');
        push_lowercase(&mut s, extra);
    }
    s.into_boxed_str()
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
    fn all_terms_must_match_case_insensitively() {
        let h = "blair up for it ahead of poll\npolitics";
        assert!(matches(&terms("BLAIR poll"), h));
        assert!(matches(&terms("politics"), h));
        assert!(!matches(&terms("blair oscar"), h));
        assert!(matches(&terms("   "), h));
    }
}
