//! Where the query matches in the open story, line by line at one width.
//!
//! Matches are found per block (a paragraph, the headline) with the index's
//! own tokenisation, so a phrase that wraps onto the next line is still
//! found, then mapped onto the wrapped lines: each line is a piece of its
//! block's display text, whose place each wrapped line keeps. A block's
//! plain text (what search sees) and its display text (with link numbers)
//! differ, so match ranges are mapped from the one to the other. The result
//! is cached per (query, width, text) and computed in `App::update`, never
//! while drawing.

use super::layout::{Block, LineKind, Wrapped, WrappedLine};
use crate::search::{ParsedQuery, highlight_ranges};
use std::ops::Range;

/// One highlighted piece of a line: bytes of the line's text, and which
/// match it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub range: Range<usize>,
    pub hit: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matches {
    pub(super) query: String,
    pub(super) width: usize,
    pub(super) raw: bool,
    /// Pieces per wrapped line (empty for most lines).
    lines: Vec<Vec<Piece>>,
    /// The line each match starts on, in reading order.
    hits: Vec<usize>,
    /// The match `n`/`N` last went to.
    pub(super) current: Option<usize>,
}

impl Matches {
    pub(super) fn find(
        blocks: &[Block],
        wrapped: &Wrapped,
        query: &str,
        parsed: &ParsedQuery,
        raw: bool,
    ) -> Self {
        let mut lines = vec![Vec::new(); wrapped.lines.len()];
        let mut hits = Vec::new();
        for (b, block) in blocks.iter().enumerate() {
            if matches!(block.kind, LineKind::Meta | LineKind::Notice) {
                continue;
            }
            let mut ranges = highlight_ranges(&block.text, parsed);
            if ranges.is_empty() {
                continue;
            }
            ranges.sort_by_key(|r| r.start);
            let first = wrapped.starts[b];
            let end = wrapped.starts[b + 1];
            let block_lines = &wrapped.lines[first..end];
            // Ranges come in order, and so do the lines: each range starts
            // looking where the last one did, so a long paragraph with many
            // matches stays linear.
            let mut from = 0;
            for range in ranges {
                let range = block.to_display(&range);
                while block_lines
                    .get(from)
                    .is_some_and(|l| ends_before(l, range.start))
                {
                    from += 1;
                }
                let hit = hits.len();
                let mut start_line = None;
                for (offset, line) in block_lines.iter().enumerate().skip(from) {
                    if line.at.is_some_and(|at| at >= range.end) {
                        break;
                    }
                    if let Some(piece) = piece_of(line, &range) {
                        start_line.get_or_insert(first + offset);
                        lines[first + offset].push(Piece { range: piece, hit });
                    }
                }
                if let Some(line) = start_line {
                    hits.push(line);
                }
            }
        }
        Self {
            query: query.to_string(),
            width: wrapped.width,
            raw,
            lines,
            hits,
            current: None,
        }
    }

    /// The highlighted pieces of wrapped line `line`.
    pub fn pieces(&self, line: usize) -> &[Piece] {
        self.lines.get(line).map_or(&[], Vec::as_slice)
    }

    pub fn count(&self) -> usize {
        self.hits.len()
    }

    pub fn current(&self) -> Option<usize> {
        self.current
    }

    pub(super) fn width(&self) -> usize {
        self.width
    }

    /// The line of match `hit`.
    pub(super) fn line_of(&self, hit: usize) -> Option<usize> {
        self.hits.get(hit).copied()
    }

    /// The match after (or before) the current one, or the first one at or
    /// below (above) `scroll` when there is none; and whether it wrapped.
    pub(super) fn step(&self, forward: bool, scroll: usize) -> Option<(usize, bool)> {
        let n = self.hits.len();
        if n == 0 {
            return None;
        }
        Some(match (self.current, forward) {
            (Some(c), true) => ((c + 1) % n, c + 1 == n),
            (Some(c), false) => ((c + n - 1) % n, c == 0),
            (None, true) => match self.hits.iter().position(|&l| l >= scroll) {
                Some(i) => (i, false),
                None => (0, true),
            },
            (None, false) => match self.hits.iter().rposition(|&l| l < scroll) {
                Some(i) => (i, false),
                None => (n - 1, true),
            },
        })
    }
}

/// True when `line` shows nothing at or after display offset `at` of its
/// block (a line without a place shows nothing of it at all).
fn ends_before(line: &WrappedLine, at: usize) -> bool {
    line.at
        .is_none_or(|start| start + line.text.len() - line.prefix <= at)
}

/// The bytes of `line` that show `range` of its block's display text.
fn piece_of(line: &WrappedLine, range: &Range<usize>) -> Option<Range<usize>> {
    let at = line.at.filter(|_| line.kind != LineKind::Blank)?;
    let len = line.text.len() - line.prefix;
    let (s, e) = (range.start.max(at), range.end.min(at + len));
    (s < e).then(|| s - at + line.prefix..e - at + line.prefix)
}
