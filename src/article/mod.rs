//! The article model and its parsers.
//!
//! An article is split in two: [`ArticleMeta`], small and always in memory
//! (one per file in the library, so it must stay lean at 100k+ articles), and
//! [`Article`], the meta plus the body, read from disk only when needed.

pub mod body;
pub mod date;
mod decode;
pub mod fingerprint;
pub mod format;
pub mod front_matter;
pub mod html;
pub mod json;
pub mod links;
pub mod markdown;
pub mod sanitize;
mod swar;
pub mod txt;

use std::path::PathBuf;

pub use body::{Block, BlockKind, Inline, Link, Span};
pub use decode::decode;
pub use format::{Format, ParseError};

/// Words per minute used for reading-time estimates.
pub const WORDS_PER_MINUTE: usize = 230;

/// What is known about an article without keeping its body.
///
/// One is kept per file in the library, so its text fields live in one
/// allocation (read through the accessors), not one string each.
#[derive(Clone, PartialEq, Eq)]
pub struct ArticleMeta {
    /// The text fields, one after another, in [`Field`] order.
    text: Box<str>,
    /// Where each field ends in `text`.
    ends: [u32; FIELDS],
    /// Which optional fields are present, one bit per [`Field`].
    present: u16,
    /// When it was published, in seconds since the epoch; [`NO_DATE`]
    /// when unknown (kept as a number so that sorting needs no parsing).
    published: i64,
    /// Where the file is: on disk, or inside the binary for the bundled library.
    pub path: PathBuf,
    pub words: usize,
    /// File size and modification time (nanoseconds since the epoch), to
    /// notice changed files without reading them.
    pub size: u64,
    pub mtime: i64,
}

/// The text of an [`ArticleMeta`], borrowed: what it is built from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MetaText<'a> {
    /// Stable content hash of the normalised title and body (see [`article_id`]).
    pub id: &'a str,
    pub title: &'a str,
    /// The topic line printed above some headlines (`paris attacks`).
    pub kicker: Option<&'a str>,
    /// Folder relative to the library root (`business`, `sport/football`).
    pub category: Option<&'a str>,
    /// Path relative to the library root, with `/` separators; survives the
    /// library moving, so bookmarks use it.
    pub rel_path: &'a str,
    /// The publication or site name (`BBC News`).
    pub source: Option<&'a str>,
    /// The article's own address on the web.
    pub url: Option<&'a str>,
    pub author: Option<&'a str>,
    /// Tags from the file, joined by `, `.
    pub tags: Option<&'a str>,
    /// When it was published, in seconds since the epoch.
    pub published: Option<i64>,
}

/// [`ArticleMeta`]'s stored value for "no publication date".
const NO_DATE: i64 = i64::MIN;

/// The text fields of [`ArticleMeta`], in storage order.
#[derive(Clone, Copy)]
enum Field {
    Id,
    Title,
    Kicker,
    Category,
    RelPath,
    Source,
    Url,
    Author,
    Tags,
}

const FIELDS: usize = 9;

impl ArticleMeta {
    pub fn new(text: MetaText<'_>, path: PathBuf, words: usize, size: u64, mtime: i64) -> Self {
        let fields = [
            Some(text.id),
            Some(text.title),
            text.kicker,
            text.category,
            Some(text.rel_path),
            text.source,
            text.url,
            text.author,
            text.tags,
        ];
        let mut joined = String::with_capacity(fields.iter().flatten().map(|f| f.len()).sum());
        let mut ends = [0; FIELDS];
        let mut present = 0;
        for (i, field) in fields.into_iter().enumerate() {
            if let Some(field) = field {
                joined.push_str(field);
                present |= 1 << i;
            }
            // Article files are capped far below 4 GiB (see LoadOptions).
            ends[i] = u32::try_from(joined.len()).expect("article text under 4 GiB");
        }
        Self {
            text: joined.into_boxed_str(),
            ends,
            present,
            published: text.published.unwrap_or(NO_DATE),
            path,
            words,
            size,
            mtime,
        }
    }

    /// All the text fields, borrowed.
    pub fn text(&self) -> MetaText<'_> {
        MetaText {
            id: self.id(),
            title: self.title(),
            kicker: self.kicker(),
            category: self.category(),
            rel_path: self.rel_path(),
            source: self.source(),
            url: self.url(),
            author: self.author(),
            tags: self.tags(),
            published: self.published(),
        }
    }

    fn field(&self, field: Field) -> &str {
        let i = field as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    fn optional(&self, field: Field) -> Option<&str> {
        (self.present & (1 << field as usize) != 0).then(|| self.field(field))
    }

    /// Stable content hash of the normalised title and body (see [`article_id`]).
    pub fn id(&self) -> &str {
        self.field(Field::Id)
    }

    pub fn title(&self) -> &str {
        self.field(Field::Title)
    }

    /// The topic line printed above some headlines (`paris attacks`).
    pub fn kicker(&self) -> Option<&str> {
        self.optional(Field::Kicker)
    }

    /// Folder relative to the library root (`business`, `sport/football`).
    pub fn category(&self) -> Option<&str> {
        self.optional(Field::Category)
    }

    /// Path relative to the library root, with `/` separators; survives the
    /// library moving, so bookmarks use it.
    pub fn rel_path(&self) -> &str {
        self.field(Field::RelPath)
    }

    pub fn source(&self) -> Option<&str> {
        self.optional(Field::Source)
    }

    /// The article's own address on the web.
    pub fn url(&self) -> Option<&str> {
        self.optional(Field::Url)
    }

    pub fn author(&self) -> Option<&str> {
        self.optional(Field::Author)
    }

    /// Tags from the file, joined by `, `.
    pub fn tags(&self) -> Option<&str> {
        self.optional(Field::Tags)
    }

    /// When it was published, in seconds since the epoch.
    pub fn published(&self) -> Option<i64> {
        (self.published != NO_DATE).then_some(self.published)
    }

    /// The file's format, from its name.
    pub fn format(&self) -> Format {
        Format::of(self.rel_path())
    }

    /// The host of the article's URL (`www.example.org`), if it has one.
    pub fn host(&self) -> Option<&str> {
        self.url().and_then(format::host)
    }

    /// The same article with some of its text changed.
    pub fn with_text<'a>(&'a self, change: impl FnOnce(&mut MetaText<'a>)) -> Self {
        let mut text = self.text();
        change(&mut text);
        Self::new(text, self.path.clone(), self.words, self.size, self.mtime)
    }

    /// Estimated reading time in whole minutes, at least one.
    pub fn reading_minutes(&self) -> usize {
        reading_minutes(self.words)
    }
}

impl Default for ArticleMeta {
    fn default() -> Self {
        Self::new(MetaText::default(), PathBuf::new(), 0, 0, 0)
    }
}

impl std::fmt::Debug for ArticleMeta {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t = self.text();
        f.debug_struct("ArticleMeta")
            .field("id", &t.id)
            .field("title", &t.title)
            .field("kicker", &t.kicker)
            .field("category", &t.category)
            .field("path", &self.path)
            .field("rel_path", &t.rel_path)
            .field("source", &t.source)
            .field("url", &t.url)
            .field("author", &t.author)
            .field("tags", &t.tags)
            .field("published", &t.published)
            .field("words", &self.words)
            .field("size", &self.size)
            .field("mtime", &self.mtime)
            .finish()
    }
}

/// An article with its body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Article {
    pub meta: ArticleMeta,
    /// The plain text of each block, in order (see [`body`]).
    pub paragraphs: Vec<String>,
    /// What kind of block each of `paragraphs` is, and its styled spans;
    /// empty when every block is a plain paragraph.
    pub blocks: Vec<Block>,
    /// The link targets the spans point to, numbered from 0.
    pub links: Vec<Link>,
}

impl Article {
    /// The block at position `i`: its kind and spans.
    pub fn block(&self, i: usize) -> &Block {
        static PARAGRAPH: Block = Block::PARAGRAPH;
        self.blocks.get(i).unwrap_or(&PARAGRAPH)
    }
}

/// The result of parsing a file: everything but where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parsed {
    pub title: String,
    pub kicker: Option<String>,
    /// The plain text of each block (see [`Article::paragraphs`]).
    pub paragraphs: Vec<String>,
    /// Empty when every block is a plain paragraph.
    pub blocks: Vec<Block>,
    pub links: Vec<Link>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    /// Tags, in the file's order, without repeats.
    pub tags: Vec<String>,
    pub summary: Option<String>,
    /// Seconds since the epoch.
    pub published: Option<i64>,
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
    let mut folded = Folded::new();
    folded.feed(title);
    for p in paragraphs {
        folded.push(b"\n");
        folded.started = false;
        folded.feed(p);
    }
    folded.hasher.update(&folded.buf[..folded.len]);
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

/// When `s` is already whitespace-folded (non-empty, words separated by
/// single ASCII spaces, no other whitespace, nothing before the first word
/// or after the last), its number of words: then `split_whitespace` joined
/// by spaces gives `s` back unchanged. `None` when folding could change it.
fn folded_words(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    if bytes.first().is_none_or(|&b| b == b' ') || bytes.last() == Some(&b' ') {
        return None;
    }
    // Controls and non-ASCII bytes need a closer look; the lead bytes of
    // Unicode whitespace are decoded, everything else is part of a word.
    let ok_at = |at: usize| match bytes[at] {
        0..0x20 => false,
        0xC2 | 0xE1 | 0xE2 | 0xE3 => !s[at..].chars().next().is_some_and(char::is_whitespace),
        _ => true,
    };
    let mut spaces = 0usize;
    let mut i = 0;
    // The last byte of the previous block was a space.
    let mut space_before = 0u32;
    while i + swar::BLOCK <= bytes.len() {
        let c = swar::classify(bytes, i);
        let sp = c.space;
        // A space right after a space, in this block or across the edge.
        if sp & ((sp << 1) | space_before) != 0 {
            return None;
        }
        space_before = sp >> (swar::BLOCK - 1);
        spaces += sp.count_ones() as usize;
        let mut flagged = c.control_or_high;
        while flagged != 0 {
            if !ok_at(i + flagged.trailing_zeros() as usize) {
                return None;
            }
            flagged &= flagged - 1;
        }
        i += swar::BLOCK;
    }
    let mut prev_space = space_before != 0;
    for (at, &b) in bytes.iter().enumerate().skip(i) {
        let space = b == b' ';
        if space && prev_space || !space && !ok_at(at) {
            return None;
        }
        spaces += usize::from(space);
        prev_space = space;
    }
    Some(spaces + 1)
}

/// Whitespace-folded text streamed into the hash through a small buffer
/// (one hasher call per word costs more than the copy).
struct Folded {
    hasher: xxhash_rust::xxh3::Xxh3Default,
    /// Bytes not yet hashed: `buf[..len]` (on the stack, no allocation).
    buf: [u8; Folded::BUF],
    len: usize,
    words: usize,
    /// A word has been fed since the last line break.
    started: bool,
}

impl Folded {
    /// Small enough to clear cheaply for each article: larger pieces
    /// bypass it anyway.
    const BUF: usize = 1024;

    fn new() -> Self {
        Self {
            hasher: xxhash_rust::xxh3::Xxh3Default::new(),
            buf: [0; Self::BUF],
            len: 0,
            words: 0,
            started: false,
        }
    }

    fn feed(&mut self, s: &str) {
        // Text that is already folded (nearly every parsed paragraph) goes
        // in whole: the same bytes the word-by-word path would produce.
        if !self.started
            && let Some(words) = folded_words(s)
        {
            self.push(s.as_bytes());
            self.started = true;
            self.words += words;
            return;
        }
        for_each_word(s, |w| {
            if self.started {
                self.push(b" ");
            }
            self.push(w.as_bytes());
            self.started = true;
            self.words += 1;
        });
    }

    /// Bytes this long go to the hasher directly: it then reads them in
    /// place instead of from a copy (the stream hashes the same either way).
    const DIRECT: usize = 256;

    fn push(&mut self, bytes: &[u8]) {
        if self.len + bytes.len() > Self::BUF || bytes.len() >= Self::DIRECT {
            self.hasher.update(&self.buf[..self.len]);
            self.len = 0;
        }
        if bytes.len() >= Self::DIRECT {
            self.hasher.update(bytes);
        } else {
            self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
            self.len += bytes.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_text_comes_back_field_by_field() {
        let text = MetaText {
            id: "00000000000000ab",
            title: "Héadline",
            kicker: None,
            category: Some(""),
            rel_path: "news/a.txt",
            source: Some("Wire"),
            url: Some("https://example.org/a"),
            author: None,
            tags: Some("a, b"),
            published: Some(-5),
        };
        let meta = ArticleMeta::new(text, "/lib/news/a.txt".into(), 3, 4, 5);
        assert_eq!(meta.text(), text);
        assert_eq!(meta.kicker(), None, "absent is not empty");
        assert_eq!(meta.category(), Some(""), "empty is not absent");
        assert_eq!((meta.words, meta.size, meta.mtime), (3, 4, 5));
        assert_eq!(
            ArticleMeta::default().published(),
            None,
            "no date is not 1970"
        );
        let renamed = meta.with_text(|t| t.title = "Other");
        assert_eq!(renamed.title(), "Other");
        assert_eq!(
            renamed.text(),
            MetaText {
                title: "Other",
                ..text
            }
        );
        assert_ne!(renamed, meta);
        assert_eq!(meta.with_text(|_| {}), meta);
    }

    #[test]
    fn meta_stays_small() {
        // One per file in the library: 100,000 of them must fit in a few
        // MiB besides their text (two allocations each: text and path).
        assert!(std::mem::size_of::<ArticleMeta>() <= 112);
    }

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

    /// The id and word count by definition: every text folded with
    /// `split_whitespace`, hashed in one piece.
    fn reference_digest(title: &str, paragraphs: &[String]) -> (String, usize) {
        let fold = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut text = fold(title);
        let mut words = title.split_whitespace().count();
        for p in paragraphs {
            text.push('\n');
            text.push_str(&fold(p));
            words += p.split_whitespace().count();
        }
        let hash = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
        (format!("{hash:016x}"), words)
    }

    #[test]
    fn folded_words_takes_only_text_that_folding_leaves_alone() {
        let folded = [
            "a",
            "one two",
            "a b c d e f g h i j",
            "£5 “quoted” café 日本 x\u{301}",
            "abcdefghijklmno p q r s t u v w x y z a b c d e f g h i j k l m n o p",
            "a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h i j k l m",
        ];
        for s in folded {
            assert_eq!(folded_words(s), Some(s.split(' ').count()), "{s:?}");
        }
        for s in [
            "",
            " ",
            "a ",
            " a",
            "a  b",
            "a\tb",
            "a\nb",
            "a\u{a0}b",
            "a\u{85}b",
            "a\u{1680}b",
            "a\u{2003}b",
            "a\u{202f}b",
            "a\u{3000}b",
            "a\x01b",
            "abcdefgh  ijk",
            "abcdefg  hijk",
            "abcdefgh\u{a0}",
            "abcdefghijklmno\u{2028}",
            "abcdefghijklmno  pq",
            "abcdefghijklmnop  q",
            "abcdefghijklmnopq  r",
            "abcdefghijklmnopqrstuvwxyzabcde  f",
            "abcdefghijklmnopqrstuvwxyz\t",
        ] {
            assert_eq!(folded_words(s), None, "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn digest_equals_the_reference_for_any_whitespace(
            title in "[ a\t\n\r\u{0B}\u{0C}\u{85}\u{a0}\u{1680}\u{2000}\u{200a}\u{200b}\u{2019}\u{2028}\u{202f}\u{205f}\u{3000}é日\u{1}]{0,40}",
            paragraphs in proptest::collection::vec(
                "[ ab\t\n\u{85}\u{a0}\u{1680}\u{2003}\u{2019}\u{202f}\u{3000}£日\u{1f}]{0,80}",
                0..8,
            ),
        ) {
            proptest::prop_assert_eq!(digest(&title, &paragraphs), reference_digest(&title, &paragraphs));
        }

        #[test]
        fn digest_of_folded_text_equals_the_reference(
            words in proptest::collection::vec("[a-zé£’日]{1,12}", 1..400),
            cuts in proptest::collection::vec(0usize..400, 0..6),
        ) {
            // Long paragraphs of single-spaced words: the fast path, across
            // the hash buffer's boundary.
            let mut paragraphs: Vec<String> = Vec::new();
            let mut from = 0;
            let mut cuts = cuts;
            cuts.sort_unstable();
            for cut in cuts.into_iter().chain([words.len()]) {
                let cut = cut.min(words.len());
                if cut > from {
                    paragraphs.push(words[from..cut].join(" "));
                    from = cut;
                }
            }
            let title = words[..words.len().min(5)].join(" ");
            proptest::prop_assert_eq!(digest(&title, &paragraphs), reference_digest(&title, &paragraphs));
        }
    }

    #[test]
    fn reading_minutes_rounds_up_and_is_at_least_one() {
        assert_eq!(reading_minutes(0), 1);
        assert_eq!(reading_minutes(230), 1);
        assert_eq!(reading_minutes(231), 2);
    }
}
