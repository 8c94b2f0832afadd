//! Display-width aware text layout shared by the reader and the CLI.
//!
//! Widths follow ratatui's rule: the display width of each grapheme cluster
//! as `unicode-width` reports it. Lines are never split inside a grapheme,
//! never wider than asked, and keep the original order of graphemes.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Display width of a string, summed per grapheme as ratatui does.
pub fn width(s: &str) -> usize {
    s.graphemes(true).map(UnicodeWidthStr::width).sum()
}

/// Wrap one paragraph to `width` columns (at least 1). Breaks at word
/// boundaries (Unicode line-breaking rules, via textwrap); a word wider than
/// the line is cut between graphemes.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    if text.is_empty() {
        return vec![String::new()];
    }
    let options = textwrap::Options::new(max)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::UnicodeBreakProperties);
    let mut lines = Vec::new();
    for line in textwrap::wrap(text, options) {
        if width(&line) <= max {
            lines.push(line.into_owned());
        } else {
            split_graphemes(&line, max, &mut lines);
        }
    }
    lines
}

/// Cut an over-wide line into pieces of at most `max` columns, between
/// graphemes. A grapheme wider than `max` (a wide character at width 1)
/// gets a line of its own: nothing is ever dropped.
fn split_graphemes(line: &str, max: usize, out: &mut Vec<String>) {
    let mut current = String::new();
    let mut used = 0;
    for g in line.graphemes(true) {
        let w = UnicodeWidthStr::width(g);
        if used + w > max && !current.is_empty() {
            out.push(std::mem::take(&mut current));
            used = 0;
        }
        current.push_str(g);
        used += w;
    }
    let trimmed = current.trim_end();
    if !trimmed.is_empty() {
        out.push(trimmed.to_string());
    }
}

/// Truncate to `max` columns, ending in `…` when something was cut. Never
/// splits a grapheme; a wide character that would not fit is left out
/// rather than cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = UnicodeWidthStr::width(g);
        if used + w > max - 1 {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn truncate_adds_ellipsis_and_respects_wide_chars() {
        assert_eq!(truncate("hello world", 8), "hello w…");
        assert_eq!(truncate("日本語", 4), "日…");
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("e\u{301}e\u{301}e\u{301}", 2), "e\u{301}…");
    }
}
