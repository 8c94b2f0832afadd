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
        self.digest().0
    }

    /// Words in the headline and body.
    pub fn words(&self) -> usize {
        self.digest().1
    }

    /// The id and the word count, in one pass over the text.
    pub fn digest(&self) -> (String, usize) {
        digest(&self.title, &self.paragraphs)
    }
}

/// Estimated reading time in whole minutes, at least one.
pub fn reading_minutes(words: usize) -> usize {
    words.div_ceil(WORDS_PER_MINUTE).max(1)
}

/// A short, stable identity for an article's content.
///
/// XXH3-64 is a specified algorithm with fixed output across platforms and
/// releases (unlike std's `DefaultHasher`), fed with the title and paragraphs
/// with all whitespace runs folded to one space, so re-wrapping or re-saving a
/// file with other line endings keeps its id. Rendered as 16 hex digits.
pub fn article_id(title: &str, paragraphs: &[String]) -> String {
    digest(title, paragraphs).0
}

/// [`article_id`] and the number of words, computed together: the text is
/// streamed word by word into the hash, never copied.
pub fn digest(title: &str, paragraphs: &[String]) -> (String, usize) {
    let mut folded = Folded::default();
    folded.feed(title);
    for p in paragraphs {
        folded.push(b"\n");
        folded.started = false;
        folded.feed(p);
    }
    folded.hasher.update(&folded.buf);
    (format!("{:016x}", folded.hasher.digest()), folded.words)
}

/// `str::split_whitespace`, byte by byte: only the lead bytes of the few
/// non-ASCII whitespace characters (U+0085, U+00A0, U+1680, U+2000..U+3000)
/// are decoded, which makes it several times faster on article text.
fn for_each_word(s: &str, mut f: impl FnMut(&str)) {
    let bytes = s.as_bytes();
    let mut start = None;
    let mut i = 0;
    while i < bytes.len() {
        let (space, len) = match bytes[i] {
            b @ 0..0x80 => (matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r'), 1),
            0xC2 | 0xE1 | 0xE2 | 0xE3 => {
                let c = s[i..].chars().next().unwrap_or('x');
                (c.is_whitespace(), c.len_utf8())
            }
            // Other lead bytes and continuation bytes: inside a word.
            _ => (false, 1),
        };
        match (space, start) {
            (true, Some(from)) => {
                f(&s[from..i]);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
        i += len;
    }
    if let Some(from) = start {
        f(&s[from..]);
    }
}

/// Whitespace-folded text streamed into the hash through a small buffer
/// (one hasher call per word costs more than the copy).
#[derive(Default)]
struct Folded {
    hasher: xxhash_rust::xxh3::Xxh3Default,
    buf: Vec<u8>,
    words: usize,
    /// A word has been fed since the last line break.
    started: bool,
}

impl Folded {
    fn feed(&mut self, s: &str) {
        for_each_word(s, |w| {
            if self.started {
                self.push(b" ");
            }
            self.push(w.as_bytes());
            self.started = true;
            self.words += 1;
        });
    }

    fn push(&mut self, bytes: &[u8]) {
        if self.buf.len() + bytes.len() > 4096 {
            self.hasher.update(&self.buf);
            self.buf.clear();
        }
        if bytes.len() > 4096 {
            self.hasher.update(bytes);
        } else {
            self.buf.extend_from_slice(bytes);
        }
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
        // Fixed values: if these change, every user's bookmarks break.
        assert_eq!(article_id("Hello", &["World".into()]), "6090dcdf972b10f2");
        let long: Vec<String> = (0..500)
            .map(|i| format!("paragraph {i} with\u{a0}words"))
            .collect();
        assert_eq!(digest("Long", &long).0, {
            let text: Vec<String> = long
                .iter()
                .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect();
            format!(
                "{:016x}",
                xxhash_rust::xxh3::xxh3_64(format!("Long\n{}", text.join("\n")).as_bytes())
            )
        });
        assert_eq!(digest("Long", &long).1, 1 + 500 * 4);
    }

    #[test]
    fn words_split_exactly_like_split_whitespace() {
        let pieces = [
            "a", "bé", " ", "\t", "\n", "\u{85}", "\u{a0}", "\u{1680}", "\u{2003}", "\u{2028}",
            "\u{202f}", "\u{3000}", "\u{2019}", "\u{e000}", "日", "\u{200b}", "\u{c2}", "x\u{301}",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let s = format!("{a}{b}{c}{a}");
                    let mut got = Vec::new();
                    for_each_word(&s, |w| got.push(w.to_string()));
                    let want: Vec<&str> = s.split_whitespace().collect();
                    assert_eq!(got, want, "{s:?}");
                }
            }
        }
    }

    #[test]
    fn reading_minutes_rounds_up_and_is_at_least_one() {
        assert_eq!(reading_minutes(0), 1);
        assert_eq!(reading_minutes(230), 1);
        assert_eq!(reading_minutes(231), 2);
    }
}
