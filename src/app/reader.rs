//! The open story: its text as blocks, wrapped lines cached per width, and
//! the scroll position.
//!
//! Only the open story's body is in memory. Wrapping happens when the width
//! changes, never while drawing, and the last few widths are kept, so
//! scrolling a long article and resizing back and forth stay smooth. The
//! position survives a resize as "this far into this paragraph", so the
//! same paragraph stays in view.

mod blocks;
mod layout;
mod matches;

use crate::article::{Article, ArticleMeta, Link};
use crate::search::ParsedQuery;
pub use blocks::meta_line;
use blocks::{article_blocks, header_blocks};
use layout::Block;
pub use layout::{LineKind, Mark, Run, Wrapped, WrappedLine};
pub use matches::{Matches, Piece};

/// How many widths keep their wrapped lines.
const CACHED_WIDTHS: usize = 4;
/// Lines kept in view above a match the reader scrolls to.
const MATCH_CONTEXT: usize = 2;

/// A block index and how far into the block (0.0..1.0): a position that
/// means the same thing at every width.
type Anchor = (usize, f64);

/// The story in the reader.
#[derive(Debug, Clone)]
pub struct Reader {
    /// Index of the story in the library's article list.
    pub index: usize,
    pub id: String,
    blocks: Vec<Block>,
    /// The cleaned text's blocks, and where it was, while the raw file is shown.
    hidden: Option<(Vec<Block>, Anchor)>,
    cache: Vec<Wrapped>,
    width: usize,
    scroll: usize,
    /// Blocks before the first paragraph (kicker, headline, meta line).
    header_len: usize,
    /// The article's blocks after the header (the links list follows them).
    body_len: usize,
    /// The blocks after the header are the article's paragraphs, so a
    /// position in them means something next time (not for an unreadable
    /// story's notice).
    resumable: bool,
    /// Where to start once the first layout knows the lines.
    pending: Option<Anchor>,
    /// The search's matches at the current width.
    matches: Option<Matches>,
    /// The query this story was last scrolled to the first match of.
    positioned: Option<String>,
    /// The article's link targets, numbered from 0 as its spans use them.
    links: Vec<Link>,
    /// The article's own address on the web.
    url: Option<String>,
}

impl Reader {
    /// A story read from disk; `now` (seconds since the epoch, when the
    /// runtime has told the app) makes a recent date relative.
    pub fn new(index: usize, article: &Article, now: Option<i64>) -> Self {
        let blocks = article_blocks(article, now);
        let mut reader = Self::from_blocks(index, &article.meta, blocks, now);
        reader.resumable = true;
        reader.body_len = article.paragraphs.len();
        reader.links = article.links.clone();
        reader
    }

    /// A story whose body could not be read: the headline and why.
    pub fn unreadable(index: usize, meta: &ArticleMeta, why: &str, now: Option<i64>) -> Self {
        let mut blocks = header_blocks(meta, now);
        let why = format!("This story cannot be read: {why}");
        blocks.push(Block::plain(LineKind::Notice, why, false));
        Self::from_blocks(index, meta, blocks, now)
    }

    fn from_blocks(index: usize, meta: &ArticleMeta, blocks: Vec<Block>, now: Option<i64>) -> Self {
        Self {
            index,
            id: meta.id().to_string(),
            blocks,
            hidden: None,
            cache: Vec::new(),
            width: 0,
            scroll: 0,
            header_len: header_blocks(meta, now).len(),
            body_len: 0,
            resumable: false,
            pending: None,
            matches: None,
            positioned: None,
            links: Vec::new(),
            url: meta.url().map(str::to_string),
        }
    }

    /// The article's link targets, in the order their numbers give.
    pub fn links(&self) -> &[Link] {
        &self.links
    }

    /// The article's own address on the web, if it has one.
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// Start at the top of paragraph `paragraph` (0-based, as
    /// [`Self::top_paragraph`] counts) rather than at the headline.
    pub fn resume_at(&mut self, paragraph: usize) {
        if !self.resumable || paragraph == 0 {
            return;
        }
        let anchor = (self.header_len + paragraph, 0.0);
        match self.current() {
            Some(w) => self.scroll = w.line_at(anchor),
            None => self.pending = Some(anchor),
        }
    }

    /// The article paragraph whose text is at the top of the pane (0 while
    /// the headline shows): what is saved as the reading position. `None`
    /// for the raw file or a story that could not be read. In the links
    /// list after the article it is the article's last block.
    pub fn top_paragraph(&self) -> Option<usize> {
        if !self.resumable || self.showing_raw() {
            return None;
        }
        let (block, _) = self.current()?.anchor(self.scroll);
        let last = self.body_len.saturating_sub(1);
        Some(block.saturating_sub(self.header_len).min(last))
    }

    pub fn showing_raw(&self) -> bool {
        self.hidden.is_some()
    }

    /// Show the file as stored (its text given), keeping the article's
    /// position for when it comes back.
    pub fn show_raw(&mut self, raw: &str) {
        if self.hidden.is_some() {
            return;
        }
        let blocks = raw
            .split('\n')
            .map(|line| Block::plain(LineKind::Raw, line.to_string(), false))
            .collect();
        let anchor = self.current().map_or((0, 0.0), |w| w.anchor(self.scroll));
        let cleaned = std::mem::replace(&mut self.blocks, blocks);
        self.hidden = Some((cleaned, anchor));
        self.cache.clear();
        self.scroll = 0;
        self.rewrap(self.width);
    }

    /// Back to the cleaned article, where it was.
    pub fn show_cleaned(&mut self) {
        if let Some((blocks, anchor)) = self.hidden.take() {
            self.blocks = blocks;
            self.cache.clear();
            self.rewrap(self.width);
            self.scroll = self.current().map_or(0, |w| w.line_at(anchor));
        }
    }

    /// Make lines for `width` ready, keeping the same paragraph in view.
    pub fn layout(&mut self, width: usize) {
        let width = width.max(1);
        if width == self.width && !self.cache.is_empty() {
            return;
        }
        let pending = self.pending.take();
        let anchor = self.current().map(|w| w.anchor(self.scroll)).or(pending);
        self.rewrap(width);
        if let (Some(anchor), Some(w)) = (anchor, self.current()) {
            self.scroll = w.line_at(anchor);
        }
    }

    fn rewrap(&mut self, width: usize) {
        let width = width.max(1);
        self.width = width;
        if let Some(pos) = self.cache.iter().position(|w| w.width == width) {
            let w = self.cache.remove(pos);
            self.cache.insert(0, w);
        } else {
            self.cache.insert(0, Wrapped::new(&self.blocks, width));
            self.cache.truncate(CACHED_WIDTHS);
        }
    }

    /// The lines at the current width (None before the first layout).
    pub fn current(&self) -> Option<&Wrapped> {
        self.cache.first().filter(|w| w.width == self.width)
    }

    /// Lines at any width without touching the cache (for a frame whose
    /// size the app has not seen yet).
    pub fn wrapped_at(&self, width: usize) -> Wrapped {
        Wrapped::new(&self.blocks, width.max(1))
    }

    pub fn line_count(&self) -> usize {
        self.current().map_or(0, |w| w.lines.len())
    }

    pub fn scroll(&self) -> usize {
        self.scroll
    }

    fn max_scroll(&self, height: usize) -> usize {
        self.line_count().saturating_sub(height.max(1))
    }

    /// Move by `delta` lines, staying within the text.
    pub fn scroll_by(&mut self, delta: isize, height: usize) {
        let target = self.scroll.saturating_add_signed(delta);
        self.scroll = target.min(self.max_scroll(height));
    }

    pub fn scroll_to_top(&mut self) {
        self.scroll = 0;
    }

    pub fn scroll_to_bottom(&mut self, height: usize) {
        self.scroll = self.max_scroll(height);
    }

    /// Keep the position valid after the pane changed height.
    pub fn clamp(&mut self, height: usize) {
        self.scroll = self.scroll.min(self.max_scroll(height));
    }

    /// Find the query's matches at the current width (cached per query,
    /// width and text). The first time the story is shown under a query it
    /// scrolls to the first match, as a search result should open.
    pub fn find_matches(&mut self, query: &str, parsed: &ParsedQuery, height: usize) {
        if query.trim().is_empty() {
            self.matches = None;
            self.positioned = None;
            return;
        }
        let raw = self.showing_raw();
        let Some(wrapped) = self.current() else {
            return;
        };
        let stale = self
            .matches
            .as_ref()
            .is_none_or(|m| m.query != query || m.width() != wrapped.width || m.raw != raw);
        if stale {
            let current = self
                .matches
                .as_ref()
                .filter(|m| m.query == query && m.raw == raw)
                .and_then(|m| m.current);
            let mut found = Matches::find(&self.blocks, wrapped, query, parsed, raw);
            found.current = current.filter(|&c| c < found.count());
            self.matches = Some(found);
        }
        if self.positioned.as_deref() != Some(query) {
            self.positioned = Some(query.to_string());
            let first = self.matches.as_mut().and_then(|m| {
                m.current = (m.count() > 0).then_some(0);
                m.line_of(0)
            });
            if let Some(line) = first {
                self.reveal(line, height);
            }
        }
    }

    /// The matches at the current width, when a search is active.
    pub fn matches(&self) -> Option<&Matches> {
        self.matches.as_ref().filter(|m| m.width() == self.width)
    }

    /// Go to the next (or previous) match, wrapping around the story.
    /// `None` when there is none; `Some(true)` when it wrapped.
    pub fn step_match(&mut self, forward: bool, height: usize) -> Option<bool> {
        let m = self.matches.as_mut()?;
        let (hit, wrapped) = m.step(forward, self.scroll)?;
        m.current = Some(hit);
        let line = m.line_of(hit)?;
        self.reveal(line, height);
        Some(wrapped)
    }

    /// Scroll so `line` is on screen, a little below the top when the view
    /// has to move.
    fn reveal(&mut self, line: usize, height: usize) {
        let height = height.max(1);
        if line < self.scroll || line >= self.scroll + height {
            self.scroll = line
                .saturating_sub(MATCH_CONTEXT)
                .min(self.max_scroll(height));
        }
    }

    /// How far through the story the bottom of the pane is, in percent.
    pub fn percent(&self, height: usize) -> usize {
        percent(self.scroll, self.max_scroll(height))
    }
}

/// How far `scroll` is towards `max`, in percent; all of a story that fits
/// on one screen is 100%.
pub fn percent(scroll: usize, max: usize) -> usize {
    (scroll.min(max) * 100).checked_div(max).unwrap_or(100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(paragraphs: &[&str]) -> Article {
        let text = crate::article::MetaText {
            id: "0123456789abcdef",
            title: "A headline",
            kicker: Some("topic"),
            category: Some("tech"),
            rel_path: "tech/x.txt",
            ..Default::default()
        };
        let meta = ArticleMeta::new(text, "x.txt".into(), 40, 0, 0);
        Article {
            meta,
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn blocks_are_kicker_title_meta_then_spaced_paragraphs() {
        let mut r = Reader::new(0, &article(&["one two", "three"]), None);
        r.layout(40);
        let kinds: Vec<LineKind> = r.current().unwrap().lines.iter().map(|l| l.kind).collect();
        use LineKind::*;
        assert_eq!(kinds, [Kicker, Title, Meta, Blank, Body, Blank, Body]);
    }

    #[test]
    fn resizing_keeps_the_paragraph_in_view() {
        let long = "word ".repeat(60);
        let paras: Vec<&str> = (0..20).map(|_| long.as_str()).collect();
        let mut r = Reader::new(0, &article(&paras), None);
        r.layout(40);
        // The first line of the tenth paragraph (block 3 + 9).
        let target = r.current().unwrap().starts[12];
        r.scroll_by(target as isize, 5);
        r.layout(25);
        assert_eq!(r.scroll(), r.current().unwrap().starts[12]);
        r.layout(40);
        assert_eq!(r.scroll(), target);
    }

    #[test]
    fn a_resumed_story_starts_at_its_paragraph_at_any_width() {
        let long = "word ".repeat(60);
        let paras: Vec<&str> = (0..20).map(|_| long.as_str()).collect();
        for width in [25, 40, 90] {
            let mut r = Reader::new(0, &article(&paras), None);
            r.resume_at(7);
            r.layout(width);
            // Kicker, title and meta come first: paragraph 7 is block 10.
            assert_eq!(r.scroll(), r.current().unwrap().starts[10], "{width}");
            assert_eq!(r.top_paragraph(), Some(7));
            r.scroll_by(1, 5);
            assert_eq!(r.top_paragraph(), Some(7), "still inside it");
        }
        let mut r = Reader::new(0, &article(&paras), None);
        r.layout(40);
        assert_eq!(r.top_paragraph(), Some(0), "the headline counts as the top");
        r.resume_at(3);
        assert_eq!(r.top_paragraph(), Some(3), "after the first layout too");
        r.show_raw("raw");
        assert_eq!(r.top_paragraph(), None);
    }

    #[test]
    fn an_unreadable_story_has_no_position() {
        let meta = article(&[]).meta;
        let mut r = Reader::unreadable(0, &meta, "gone", None);
        r.resume_at(2);
        r.layout(40);
        assert_eq!((r.scroll(), r.top_paragraph()), (0, None));
    }

    #[test]
    fn raw_view_comes_back_to_the_same_place() {
        let long = "word ".repeat(60);
        let mut r = Reader::new(0, &article(&[&long, &long]), None);
        r.layout(20);
        r.scroll_by(4, 3);
        r.show_raw("line one\nline two");
        assert!(r.showing_raw());
        assert_eq!(r.scroll(), 0);
        assert_eq!(r.line_count(), 2);
        r.show_cleaned();
        assert_eq!(r.scroll(), 4);
    }

    #[test]
    fn scrolling_stays_within_the_text_and_percent_reaches_100() {
        let mut r = Reader::new(0, &article(&["a", "b", "c", "d"]), None);
        r.layout(20);
        let n = r.line_count();
        r.scroll_by(1000, 3);
        assert_eq!(r.scroll(), n - 3);
        assert_eq!(r.percent(3), 100);
        r.scroll_by(-1000, 3);
        assert_eq!((r.scroll(), r.percent(3)), (0, 0));
        r.scroll_by(5, 100);
        assert_eq!((r.scroll(), r.percent(100)), (0, 100));
    }
}
