//! The reader's blocks and their wrapped lines, with the style runs that
//! survive wrapping.
//!
//! A block's *plain* text is the article's (what search and highlights
//! use); its *display* text adds what only the reader shows (a link's
//! number after its text). Both are kept, with where the insertions are, so
//! an offset in the plain text maps to the screen. The prefix of a line (a
//! quote bar, a list bullet, the hanging indent under it) is not part of
//! either: it is put in front of each wrapped line.

use crate::text;
use std::ops::Range;

/// What a line is, so the UI can style it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LineKind {
    Kicker,
    Title,
    Meta,
    #[default]
    Body,
    /// A heading in the article, level 1 to 6.
    Heading(u8),
    /// Preformatted text: never wrapped, cut at the pane's edge.
    Preformatted,
    Raw,
    Notice,
    Blank,
}

/// How a run of a line is shown, over its line's style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Emphasis,
    Strong,
    Code,
    Image,
    /// Link text: the index of its target in the article's links.
    Link(u16),
    /// The `[3]` after a link's text, or before a target in the links list.
    LinkNumber,
    /// A quote's `│ ` bars.
    QuoteBar,
    /// A list item's bullet or number.
    Bullet,
}

/// Bytes of a line (or of a block's display text) shown with a mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub range: Range<usize>,
    pub mark: Mark,
}

/// A unit of text that wraps as one: the headline, a paragraph, a list
/// item, a raw line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Block {
    pub kind: LineKind,
    /// The plain text, as search sees it.
    pub text: String,
    /// The text as shown, when it differs from `text` (link numbers).
    pub display: Option<String>,
    /// Where `display` has text that `text` has not: (plain offset, bytes
    /// inserted up to and including there), in order, so mapping an offset
    /// is one binary search however many links a paragraph has.
    pub inserts: Vec<(usize, usize)>,
    /// Style runs over the display text, sorted by start (they may nest).
    pub runs: Vec<Run>,
    /// Put before the first line, and before every later one.
    pub first: Prefix,
    pub rest: Prefix,
    /// A blank line follows (paragraph spacing).
    pub gap: bool,
    /// What the blank line after it shows: the bars of a quote that goes
    /// on past it, so a quote reads as one.
    pub gap_bars: Prefix,
}

/// Text put in front of a line: its bytes and the runs over them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Prefix {
    pub text: String,
    pub runs: Vec<Run>,
}

impl Block {
    /// A block of one kind of plain text, unstyled.
    pub fn plain(kind: LineKind, text: String, gap: bool) -> Self {
        Self {
            kind,
            text,
            gap,
            ..Self::default()
        }
    }

    pub fn display(&self) -> &str {
        self.display.as_deref().unwrap_or(&self.text)
    }

    /// A range of the plain text as a range of the display text: a start
    /// at an insertion point goes after the inserted text, an end before it.
    pub fn to_display(&self, range: &Range<usize>) -> Range<usize> {
        let shift = |at: usize, inclusive: bool| {
            let n = self
                .inserts
                .partition_point(|&(p, _)| if inclusive { p <= at } else { p < at });
            at + n.checked_sub(1).map_or(0, |i| self.inserts[i].1)
        };
        shift(range.start, true)..shift(range.end, false)
    }
}

/// One screen line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrappedLine {
    pub kind: LineKind,
    pub text: String,
    /// Style runs over `text`, sorted by start.
    pub runs: Vec<Run>,
    /// Where the line's text (after the prefix) starts in its block's
    /// display text; `None` when the wrapper had to alter it.
    pub(super) at: Option<usize>,
    /// Bytes of prefix at the start of `text`.
    pub(super) prefix: usize,
}

impl WrappedLine {
    fn blank(bars: &Prefix) -> Self {
        Self {
            kind: LineKind::Blank,
            text: bars.text.clone(),
            runs: bars.runs.clone(),
            at: None,
            prefix: bars.text.len(),
        }
    }
}

/// A story's lines at one width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wrapped {
    pub width: usize,
    pub lines: Vec<WrappedLine>,
    /// The first line of each block, and the line count as the last entry.
    pub(super) starts: Vec<usize>,
}

/// A block's display text cut into lines, each with where it starts in it.
fn pieces(block: &Block, width: usize) -> Vec<(String, Option<usize>)> {
    let display = block.display();
    if block.kind == LineKind::Preformatted {
        let mut at = 0;
        return display
            .split('\n')
            .map(|line| {
                let piece = (line.to_string(), Some(at));
                at += line.len() + 1;
                piece
            })
            .collect();
    }
    let mut cursor = 0;
    text::wrap(display, width)
        .into_iter()
        .map(|line| {
            let at = locate(display, cursor, &line);
            if let Some(at) = at {
                cursor = at + line.len();
            } else {
                cursor = (cursor + line.len()).min(display.len());
            }
            (line, at)
        })
        .collect()
}

/// Where `line` (a wrapped piece) starts in `text` at or after `cursor`.
/// Only a short stretch is searched (the whitespace a break dropped), so a
/// paragraph of pieces the wrapper altered stays linear.
fn locate(text: &str, cursor: usize, line: &str) -> Option<usize> {
    let mut end = (cursor + line.len() + 256).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let window = text.get(cursor..end)?;
    window.find(line).map(|i| cursor + i)
}

/// Runs over a block's display text handed out line by line: a run is
/// active from the line it starts on until the line after it ends, so
/// each line looks only at the runs that touch it and a long paragraph
/// with many spans stays linear.
struct RunCursor<'a> {
    runs: &'a [Run],
    next: usize,
    active: Vec<usize>,
}

impl<'a> RunCursor<'a> {
    fn new(runs: &'a [Run]) -> Self {
        Self {
            runs,
            next: 0,
            active: Vec::new(),
        }
    }

    /// The runs over `range` (lines come in order), shifted to start at
    /// `offset`, pushed onto `out`.
    fn take(&mut self, range: &Range<usize>, offset: usize, out: &mut Vec<Run>) {
        while self
            .runs
            .get(self.next)
            .is_some_and(|r| r.range.start < range.end)
        {
            self.active.push(self.next);
            self.next += 1;
        }
        let runs = self.runs;
        self.active.retain(|&i| runs[i].range.end > range.start);
        for &i in &self.active {
            let run = &runs[i];
            let (s, e) = (
                run.range.start.max(range.start),
                run.range.end.min(range.end),
            );
            if s < e {
                out.push(Run {
                    range: s - range.start + offset..e - range.start + offset,
                    mark: run.mark,
                });
            }
        }
    }
}

impl Wrapped {
    pub(super) fn new(blocks: &[Block], width: usize) -> Self {
        let mut lines = Vec::new();
        let mut starts = Vec::with_capacity(blocks.len() + 1);
        for block in blocks {
            starts.push(lines.len());
            push_block(&mut lines, block, width);
            if block.gap {
                lines.push(WrappedLine::blank(&block.gap_bars));
            }
        }
        starts.push(lines.len());
        Self {
            width,
            lines,
            starts,
        }
    }

    /// The block a line belongs to, and how far into it (0.0..1.0).
    pub(super) fn anchor(&self, line: usize) -> (usize, f64) {
        let block = self
            .starts
            .partition_point(|&s| s <= line)
            .saturating_sub(1);
        let start = self.starts.get(block).copied().unwrap_or(0);
        let end = self.starts.get(block + 1).copied().unwrap_or(start + 1);
        let len = end.saturating_sub(start).max(1);
        (block, (line.saturating_sub(start)) as f64 / len as f64)
    }

    /// The line at an anchor.
    pub(super) fn line_at(&self, (block, fraction): (usize, f64)) -> usize {
        let last = self.starts.len().saturating_sub(2);
        let block = block.min(last);
        let start = self.starts.get(block).copied().unwrap_or(0);
        let end = self.starts.get(block + 1).copied().unwrap_or(start);
        // The epsilon undoes float rounding, so the same width maps back to
        // the very same line.
        start + (fraction * end.saturating_sub(start) as f64 + 1e-9).floor() as usize
    }
}

/// Wrap one block into `lines`, each line with its prefix and its runs.
fn push_block(lines: &mut Vec<WrappedLine>, block: &Block, width: usize) {
    let indent = text::width(&block.first.text).max(text::width(&block.rest.text));
    let room = width.saturating_sub(indent).max(1);
    let mut cursor = RunCursor::new(&block.runs);
    for (n, (piece, at)) in pieces(block, room).into_iter().enumerate() {
        let prefix = if n == 0 { &block.first } else { &block.rest };
        let mut runs = prefix.runs.clone();
        if let Some(at) = at {
            cursor.take(&(at..at + piece.len()), prefix.text.len(), &mut runs);
        }
        let mut text = String::with_capacity(prefix.text.len() + piece.len());
        text.push_str(&prefix.text);
        text.push_str(&piece);
        lines.push(WrappedLine {
            kind: block.kind,
            text,
            runs,
            at,
            prefix: prefix.text.len(),
        });
    }
}
