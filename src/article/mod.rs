//! The article model and its parsers.
//!
//! An article is split in two: [`ArticleMeta`], small and always in memory
//! (one per file in the library, so it must stay lean at 100k+ articles), and
//! [`Article`], the meta plus the body, read from disk only when needed.

mod decode;
pub mod sanitize;
pub mod txt;

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

pub use decode::decode;

/// Words per minute used for reading-time estimates.
pub const WORDS_PER_MINUTE: usize = 230;

/// What is known about an article without keeping its body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleMeta {
    /// Stable content hash of the normalised title and body (see [`article_id`]).
    pub id: String,
    pub title: String,
    /// The topic line printed above some headlines (`paris attacks`).
    pub kicker: Option<String>,
    /// Folder relative to the library root (`business`, `sport/football`).
    pub category: Option<String>,
    /// Where the file is: on disk, or inside the binary for the bundled library.
    pub path: PathBuf,
    /// Path relative to the library root, with `/` separators; survives the
    /// library moving, so bookmarks use it.
    pub rel_path: String,
    pub source: Option<String>,
    pub date: Option<String>,
    pub words: usize,
    /// File size and modification time (nanoseconds since the epoch), to
    /// notice changed files without reading them.
    pub size: u64,
    pub mtime: i64,
}

impl ArticleMeta {
    /// Estimated reading time in whole minutes, at least one.
    pub fn reading_minutes(&self) -> usize {
        reading_minutes(self.words)
    }
}

/// An article with its body: the cleaned paragraphs, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub meta: ArticleMeta,
    pub paragraphs: Vec<String>,
}

/// The result of parsing a file: everything but where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub title: String,
    pub kicker: Option<String>,
    pub paragraphs: Vec<String>,
    pub source: Option<String>,
    pub date: Option<String>,
}

impl Parsed {
    /// The id of this content: see [`article_id`].
    pub fn id(&self) -> String {
        article_id(&self.title, &self.paragraphs)
    }

    /// Words in the headline and body.
    pub fn words(&self) -> usize {
        count_words(&self.title)
            + self
                .paragraphs
                .iter()
                .map(|p| count_words(p))
                .sum::<usize>()
    }
}

/// Estimated reading time in whole minutes, at least one.
pub fn reading_minutes(words: usize) -> usize {
    words.div_ceil(WORDS_PER_MINUTE).max(1)
}

/// Whitespace-separated words.
pub fn count_words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// A short, stable identity for an article's content.
///
/// XXH3-64 is a specified algorithm with fixed output across platforms and
/// releases (unlike std's `DefaultHasher`), fed with the title and paragraphs
/// with all whitespace runs folded to one space, so re-wrapping or re-saving a
/// file with other line endings keeps its id. Rendered as 16 hex digits.
pub fn article_id(title: &str, paragraphs: &[String]) -> String {
    let mut normal =
        String::with_capacity(title.len() + paragraphs.iter().map(String::len).sum::<usize>());
    push_folded(&mut normal, title);
    for p in paragraphs {
        normal.push('\n');
        push_folded(&mut normal, p);
    }
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(normal.as_bytes()))
}

fn push_folded(out: &mut String, s: &str) {
    for (i, w) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(w);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_is_16_hex_and_ignores_whitespace_layout() {
        let a = article_id("A  title", &["one two".into()]);
        let b = article_id("A title", &["one\n two ".into()]);
        assert_eq!(a, b);
        assert_eq!(a.len(), 16);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, article_id("A title", &["one three".into()]));
    }

    #[test]
    fn id_is_stable_across_releases() {
        // A fixed value: if this changes, every user's bookmarks break.
        assert_eq!(
            article_id("Hello", &["World".into()]),
            format!("{:016x}", xxhash_rust::xxh3::xxh3_64(b"Hello\nWorld"))
        );
    }

    #[test]
    fn reading_minutes_rounds_up_and_is_at_least_one() {
        assert_eq!(reading_minutes(0), 1);
        assert_eq!(reading_minutes(230), 1);
        assert_eq!(reading_minutes(231), 2);
    }
}
