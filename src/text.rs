//! Display-width aware text layout shared by the reader and the CLI.
//!
//! Widths are the ones ratatui uses when it writes a string into a buffer:
//! per grapheme cluster, with its own adjustments (half-width katakana sound
//! marks take a cell), graphemes holding a control character counting
//! nothing because ratatui drops them. Measuring any other way (per `char`,
//! or the whole string at once, as `Line::width` does) disagrees with what
//! lands on screen for emoji sequences, Arabic lam-alef or half-width
//! katakana, and then layout columns shift.
//!
//! Lines are never split inside a grapheme, never wider than asked, never
//! start with a combining mark, and keep the original order of graphemes.

use ratatui::buffer::CellWidth;
use std::borrow::Cow;
use unicode_segmentation::UnicodeSegmentation;

/// Shown instead of a grapheme wider than the whole line (a wide character
/// at width 1), which could be neither shown nor split.
pub const TOO_WIDE: &str = "…";

/// Base given to a combining mark that starts a line, so it stays visible:
/// alone, it is a zero-width grapheme that a terminal cannot place. The
/// dotted circle is the Unicode convention for showing a mark on its own.
pub const MARK_BASE: char = '\u{25CC}';

/// Display width of a string: the cells ratatui fills when it renders it.
pub fn width(s: &str) -> usize {
    s.graphemes(true).map(grapheme_width).sum()
}

/// Cells one grapheme cluster takes when ratatui renders it.
pub fn grapheme_width(g: &str) -> usize {
    if g.contains(char::is_control) {
        0
    } else {
        usize::from(g.cell_width())
    }
}

/// True when `c` extends the grapheme before it (a combining mark, a
/// zero-width joiner, a variation selector, a spacing mark): at the start
/// of a line it would have nothing to attach to.
pub fn extends_grapheme(c: char) -> bool {
    if c.is_ascii() {
        return false;
    }
    let mut pair = String::with_capacity(8);
    pair.push('a');
    pair.push(c);
    pair.graphemes(true).nth(1).is_none()
}

/// Give a leading combining mark a visible base ([`MARK_BASE`]).
fn with_mark_base(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some(c) if extends_grapheme(c) => format!("{MARK_BASE}{s}").into(),
        _ => s.into(),
    }
}

/// Wrap text to `max` columns (at least 1); each `\n` starts a new line.
///
/// Breaks where Unicode line breaking allows (textwrap's rules) and only
/// between graphemes; a word wider than the line is cut between graphemes.
/// Whitespace at a break is dropped, as is whitespace at the start of a
/// line. A line that would start with a combining mark gets [`MARK_BASE`]
/// first; a grapheme wider than the line becomes [`TOO_WIDE`]. Always at
/// least one line, so an empty paragraph still takes its row.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut filler = Filler::new(max.max(1));
    for line in text.split('\n') {
        for segment in segments(line) {
            filler.push_segment(segment);
        }
        filler.end_paragraph();
    }
    filler.out
}

/// Split a line into break-free pieces: each ends where a line may break,
/// and that is always a grapheme boundary (Unicode line breaking alone
/// would break between a space and the combining mark on it).
fn segments(line: &str) -> Vec<&str> {
    let words = textwrap::WordSeparator::UnicodeBreakProperties.find_words(line);
    let mut graphemes = line.grapheme_indices(true).map(|(i, g)| i + g.len());
    let mut boundary = 0;
    let (mut start, mut end) = (0, 0);
    let mut out = Vec::new();
    for word in words {
        end += word.word.len() + word.whitespace.len() + word.penalty.len();
        while boundary < end {
            boundary = graphemes.next().unwrap_or(line.len());
        }
        if boundary == end {
            out.push(&line[start..end]);
            start = end;
        }
    }
    if start < line.len() {
        out.push(&line[start..]);
    }
    out
}

/// Greedy line filling, measured once per piece so long input stays linear.
struct Filler {
    max: usize,
    out: Vec<String>,
    line: String,
    used: usize,
    /// Whitespace after the last piece: kept only if more text follows on
    /// the same line.
    pending: String,
    pending_width: usize,
    /// Lines already emitted for the current paragraph.
    emitted: usize,
}

impl Filler {
    fn new(max: usize) -> Self {
        Self {
            max,
            out: Vec::new(),
            line: String::new(),
            used: 0,
            pending: String::new(),
            pending_width: 0,
            emitted: 0,
        }
    }

    fn push_segment(&mut self, segment: &str) {
        let (body, space) = split_trailing_space(segment);
        if !body.is_empty() {
            self.push_body(body);
        }
        if self.line.is_empty() {
            return;
        }
        if !body.is_empty() {
            self.pending.clear();
            self.pending_width = 0;
        }
        self.pending.push_str(space);
        self.pending_width += width(space);
    }

    /// Add a break-free piece: after the pending space when it fits, else
    /// on a new line, cut between graphemes when wider than a whole line.
    fn push_body(&mut self, body: &str) {
        let body_width = width(body);
        if !self.line.is_empty() {
            if self.used + self.pending_width + body_width <= self.max {
                self.line.push_str(&self.pending);
                self.line.push_str(body);
                self.used += self.pending_width + body_width;
                return;
            }
            self.flush();
        }
        let (body, body_width) = match skip_leading_space(body) {
            trimmed if trimmed.len() == body.len() => (body, body_width),
            trimmed => (trimmed, width(trimmed)),
        };
        if body_width <= self.max && !body.starts_with(extends_grapheme) {
            self.line.push_str(body);
            self.used = body_width;
        } else {
            body.graphemes(true).for_each(|g| self.push_grapheme(g));
        }
    }

    /// Add one grapheme, starting a new line when it does not fit.
    fn push_grapheme(&mut self, g: &str) {
        if self.used + grapheme_width(g) > self.max && !self.line.is_empty() {
            self.flush();
        }
        if self.line.is_empty() && is_space(g) {
            return;
        }
        let g = if self.line.is_empty() {
            with_mark_base(g)
        } else {
            g.into()
        };
        let (g, w) = match grapheme_width(&g) {
            w if w > self.max => (TOO_WIDE.into(), width(TOO_WIDE)),
            w => (g, w),
        };
        self.line.push_str(&g);
        self.used += w;
    }

    fn flush(&mut self) {
        let (kept, _) = split_trailing_space(&self.line);
        self.line.truncate(kept.len());
        self.out.push(std::mem::take(&mut self.line));
        self.used = 0;
        self.pending.clear();
        self.pending_width = 0;
        self.emitted += 1;
    }

    fn end_paragraph(&mut self) {
        if !self.line.is_empty() || self.emitted == 0 {
            self.flush();
        }
        self.emitted = 0;
    }
}

/// A grapheme of whitespace only: dropped at the ends of lines.
fn is_space(g: &str) -> bool {
    g.chars().all(char::is_whitespace)
}

/// A piece's text and the whitespace-only graphemes that end it.
fn split_trailing_space(segment: &str) -> (&str, &str) {
    let mut cut = segment.len();
    for (i, g) in segment.grapheme_indices(true).rev() {
        if !is_space(g) {
            break;
        }
        cut = i;
    }
    segment.split_at(cut)
}

/// `s` without the whitespace-only graphemes it starts with (a space that
/// does not allow a break, such as U+00A0, can still start a piece).
fn skip_leading_space(s: &str) -> &str {
    let start = s
        .grapheme_indices(true)
        .find(|(_, g)| !is_space(g))
        .map_or(s.len(), |(i, _)| i);
    &s[start..]
}

/// Truncate to `max` columns, ending in `…` when something was cut. Never
/// splits a grapheme; a wide character that would not fit is left out
/// rather than cut, and the ellipsis never follows a space.
pub fn truncate(s: &str, max: usize) -> String {
    let s = with_mark_base(s);
    if width(&s) <= max {
        return s.into_owned();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = grapheme_width(g);
        if used + w > max - 1 {
            break;
        }
        out.push_str(g);
        used += w;
    }
    let (kept, _) = split_trailing_space(&out);
    let mut out = kept.to_string();
    out.push_str(TOO_WIDE);
    out
}

/// Cut `s` to at most `max` columns in the middle, keeping its start and
/// its end: `/home/someone/…/tidings/bookmarks.json`. Short widths cut at
/// the end.
pub fn truncate_middle(s: &str, max: usize) -> String {
    if width(s) <= max {
        return with_mark_base(s).into_owned();
    }
    if max < 12 {
        return truncate(s, max);
    }
    let head = truncate(s, max / 2);
    let mut room = max - width(&head);
    let mut tail = Vec::new();
    for g in s.graphemes(true).rev() {
        let w = grapheme_width(g);
        if w > room {
            break;
        }
        room -= w;
        tail.push(g);
    }
    let tail: String = tail.into_iter().rev().collect();
    format!("{head}{}", tail.trim_start())
}

/// A size as people read it, never rounded up: `38 B`, `1.5 MiB`,
/// `66 MiB` (one decimal, cut rather than rounded, and left out when 0).
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut unit = 1024u128;
    let mut name = UNITS[0];
    for next in &UNITS[1..] {
        if u128::from(bytes) < unit * 1024 {
            break;
        }
        unit *= 1024;
        name = next;
    }
    let tenths = u128::from(bytes) * 10 / unit;
    match tenths % 10 {
        0 => format!("{} {name}", tenths / 10),
        d => format!("{}.{d} {name}", tenths / 10),
    }
}

/// `100000` as `100,000`: counts in the status and search bars.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// 1-based line number of a byte offset in `text` (for messages about
/// a file the user edits).
pub fn line_of(text: &str, offset: usize) -> usize {
    memchr::memchr_iter(b'\n', &text.as_bytes()[..offset.min(text.len())]).count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn wraps_at_word_boundaries() {
        assert_eq!(wrap("the quick brown fox", 10), ["the quick", "brown fox"]);
    }

    #[test]
    fn long_words_are_cut_between_graphemes() {
        let lines = wrap("abcdefghij", 4);
        assert_eq!(lines, ["abcd", "efgh", "ij"]);
        let cjk = wrap("日本語のテキスト", 5);
        assert!(cjk.iter().all(|l| width(l) <= 5), "{cjk:?}");
        assert_eq!(cjk.concat(), "日本語のテキスト");
    }

    #[test]
    fn newlines_start_lines_and_empty_text_is_one_line() {
        assert_eq!(wrap("", 10), [""]);
        assert_eq!(wrap("a\n\nb", 10), ["a", "", "b"]);
        assert_eq!(wrap("   ", 10), [""]);
    }

    #[test]
    fn a_mark_on_a_space_is_never_separated_from_it() {
        // Line breaking alone allows a break between the space and the mark.
        let text = "aaaa \u{301}bbb";
        for max in 1..10 {
            let lines = wrap(text, max);
            assert!(
                lines.iter().all(|l| !l.starts_with('\u{301}')),
                "{max}: {lines:?}"
            );
            assert!(lines.concat().contains(" \u{301}"), "{max}: {lines:?}");
        }
    }

    #[test]
    fn lines_never_start_or_end_with_space_inside_an_unbreakable_piece() {
        // No break is allowed after U+00A0 or before a comma after spaces.
        assert_eq!(wrap("\u{a0}!", 1), ["!"]);
        assert_eq!(wrap("\"   ,", 2), ["\"", ","]);
    }

    #[test]
    fn a_leading_mark_gets_a_visible_base() {
        assert_eq!(wrap("\u{301}x", 10), ["\u{25CC}\u{301}x"]);
        assert_eq!(wrap("a\n\u{200D}b", 10), ["a", "\u{25CC}\u{200D}b"]);
    }

    #[test]
    fn wide_characters_at_width_one_become_an_ellipsis() {
        assert_eq!(wrap("日本", 1), ["…", "…"]);
        assert_eq!(wrap("a日", 1), ["a", "…"]);
    }

    #[test]
    fn widths_follow_ratatui_not_unicode_width_alone() {
        // Lam-alef: unicode-width measures the ligature (1), ratatui puts
        // each letter in its own cell (2).
        assert_eq!(width("لا"), 2);
        // Family emoji: one grapheme, two cells (not 2+0+2+0+2 per char).
        assert_eq!(width("👨\u{200D}👩\u{200D}👧"), 2);
        // Control characters are dropped by ratatui.
        assert_eq!(width("a\u{7}b"), 2);
    }

    #[test]
    fn sizes_are_never_rounded_up() {
        assert_eq!(size(0), "0 B");
        assert_eq!(size(38), "38 B");
        assert_eq!(size(1023), "1023 B");
        assert_eq!(size(1024), "1 KiB");
        assert_eq!(size(1535), "1.4 KiB");
        assert_eq!(size(3 << 19), "1.5 MiB");
        assert_eq!(size((1 << 20) - 1), "1023.9 KiB");
        assert_eq!(size(66 << 20), "66 MiB");
        assert_eq!(size(u64::MAX), "15.9 EiB");
    }

    #[test]
    fn truncate_middle_keeps_both_ends() {
        let s = "Could not save /a/long/path/to/bookmarks.json: Permission denied";
        let cut = truncate_middle(s, 40);
        assert!(
            cut.starts_with("Could not") && cut.ends_with(": Permission denied"),
            "{cut}"
        );
        assert!(width(&cut) <= 40 && cut.contains('…'), "{cut}");
        assert_eq!(truncate_middle("short", 40), "short");
        assert_eq!(truncate_middle(s, 8), truncate(s, 8));
        let wide = "日本語のテキスト".repeat(5);
        for max in 12..30 {
            assert!(width(&truncate_middle(&wide, max)) <= max, "{max}");
        }
    }

    #[test]
    fn truncate_adds_ellipsis_and_respects_wide_chars() {
        assert_eq!(truncate("hello world", 8), "hello w…");
        assert_eq!(truncate("hello world", 7), "hello…");
        assert_eq!(truncate("日本語", 4), "日…");
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("e\u{301}e\u{301}e\u{301}", 2), "e\u{301}…");
        assert_eq!(truncate("abc", 0), "");
    }
}
