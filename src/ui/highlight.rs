//! Search matches drawn over text: the text is cut into spans at the match
//! boundaries, never changed, so every character keeps its column.

use ratatui::style::Style;
use ratatui::text::Span;
use std::ops::Range;

/// `text` as spans in `base`, with each of `marks` (byte ranges, sorted
/// and not overlapping, with their style) patched over it. Ranges that are
/// out of order, out of bounds or not on character boundaries are skipped.
pub fn spans(
    text: &str,
    marks: impl IntoIterator<Item = (Range<usize>, Style)>,
    base: Style,
) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    let mut at = 0;
    for (range, style) in marks {
        let fits = at <= range.start
            && range.start < range.end
            && range.end <= text.len()
            && text.is_char_boundary(range.start)
            && text.is_char_boundary(range.end);
        if !fits {
            continue;
        }
        if at < range.start {
            out.push(Span::styled(text[at..range.start].to_string(), base));
        }
        out.push(Span::styled(
            text[range.clone()].to_string(),
            base.patch(style),
        ));
        at = range.end;
    }
    if at < text.len() || out.is_empty() {
        out.push(Span::styled(text[at..].to_string(), base));
    }
    out
}

/// The match ranges of `full` that fall inside `shown`, a possibly
/// truncated copy of it (`…` at the end): clipped to what is still shown.
/// Nothing when `shown` is not a plain prefix of `full`.
pub fn clip(full: &str, shown: &str, ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let kept = shown.strip_suffix('…').unwrap_or(shown);
    if !full.starts_with(kept) {
        return Vec::new();
    }
    ranges
        .into_iter()
        .filter(|r| r.start < kept.len())
        .map(|r| r.start..r.end.min(kept.len()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Modifier;

    #[test]
    fn spans_keep_the_text_and_mark_the_ranges() {
        let hl = Style::default().add_modifier(Modifier::BOLD);
        let s = spans("café au lait", [(0..5, hl), (9..13, hl)], Style::default());
        let text: String = s.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "café au lait");
        assert_eq!(s[0].content, "café");
        assert_eq!(s[0].style, hl);
        assert_eq!(s[1].style, Style::default());
        // Bad ranges are skipped, never panicking.
        let s = spans("café", [(3..4, hl), (2..99, hl)], Style::default());
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn clip_follows_truncation() {
        let full = "Broadband booms in Britain";
        assert_eq!(
            clip(full, "Broadband bo…", vec![0..9, 10..15, 19..26]),
            [0..9, 10..12]
        );
        assert!(clip(full, "\u{25cc}Broad…", vec![0..5, 6..9]).is_empty());
    }
}
