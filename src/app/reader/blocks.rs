//! An article as the reader's blocks: the header (kicker, headline, meta
//! line), the body with its structure (headings, list items with their
//! bullets and hanging indents, quote bars, preformatted text, inline
//! styles, numbered links), then the list of the links' targets.

use super::layout::{Block, LineKind, Mark, Prefix, Run};
use crate::article::{self, Article, ArticleMeta, BlockKind, Inline, Link};

/// A quote's bar, once per level of quoting.
const QUOTE_BAR: &str = "│ ";
/// Columns a list indents per level of nesting.
const LIST_INDENT: usize = 2;
/// Deeper lists than this indent no further, so a hostile nesting cannot
/// push the text off the pane.
const MAX_INDENT_LEVELS: usize = 8;

/// The kicker, headline and meta line; `now` (seconds) makes recent dates
/// relative.
pub(super) fn header_blocks(meta: &ArticleMeta, now: Option<i64>) -> Vec<Block> {
    let mut blocks = Vec::new();
    if let Some(kicker) = meta.kicker() {
        blocks.push(Block::plain(LineKind::Kicker, kicker.to_string(), false));
    }
    blocks.push(Block::plain(
        LineKind::Title,
        meta.title().to_string(),
        false,
    ));
    blocks.push(Block::plain(LineKind::Meta, meta_line(meta, now), true));
    blocks
}

/// The header, every block of the body, then the links list when there
/// are links.
pub(super) fn article_blocks(article: &Article, now: Option<i64>) -> Vec<Block> {
    let mut blocks = header_blocks(&article.meta, now);
    let count = article.paragraphs.len();
    for (i, text) in article.paragraphs.iter().enumerate() {
        let block = article.block(i);
        let next = (i + 1 < count).then(|| article.block(i + 1));
        // Items of one list sit together; everything else is spaced.
        let together = is_item(block) && next.is_some_and(is_item);
        let gap = !together && (next.is_some() || !article.links.is_empty());
        let mut body = body_block(text, block, gap);
        let shared = next.map_or(0, |n| n.quote.min(block.quote));
        body.gap_bars = quote_bars(shared);
        blocks.push(body);
    }
    blocks.extend(links_blocks(&article.links));
    blocks
}

fn is_item(block: &article::Block) -> bool {
    matches!(block.kind, BlockKind::ListItem { .. })
}

/// One block of the body, with its prefixes and its runs.
fn body_block(text: &str, block: &article::Block, gap: bool) -> Block {
    let (display, inserts, runs) = styled(text, &block.spans);
    let (first, rest) = prefixes(quote_bars(block.quote), block.kind);
    Block {
        kind: match block.kind {
            BlockKind::Heading { level } => LineKind::Heading(level),
            BlockKind::Preformatted => LineKind::Preformatted,
            _ => LineKind::Body,
        },
        text: text.to_string(),
        display,
        inserts,
        runs,
        first,
        rest,
        gap,
        gap_bars: Prefix::default(),
    }
}

/// The bars of `depth` levels of quoting (capped), dimmed.
fn quote_bars(depth: u8) -> Prefix {
    let text = QUOTE_BAR.repeat(usize::from(depth).min(MAX_INDENT_LEVELS));
    let runs = (!text.is_empty())
        .then_some(Run {
            range: 0..text.len(),
            mark: Mark::QuoteBar,
        })
        .into_iter()
        .collect();
    Prefix { text, runs }
}

/// The first line's prefix and the one of the lines after it: the quote
/// bars on every line; a list item's bullet or number on the first, as
/// many spaces under it on the rest (the hanging indent).
fn prefixes(bars: Prefix, kind: BlockKind) -> (Prefix, Prefix) {
    let BlockKind::ListItem { depth, number } = kind else {
        return (bars.clone(), bars);
    };
    let depth = usize::from(depth).min(MAX_INDENT_LEVELS);
    let marker = match (number, depth) {
        (Some(n), _) => format!("{n}."),
        (None, 0) => "•".to_string(),
        (None, _) => "◦".to_string(),
    };
    let lead = format!("{}{}", bars.text, " ".repeat(depth * LIST_INDENT));
    let mut runs = bars.runs.clone();
    runs.push(Run {
        range: lead.len()..lead.len() + marker.len(),
        mark: Mark::Bullet,
    });
    let hang = " ".repeat(crate::text::width(&marker) + 1);
    let first = Prefix {
        text: format!("{lead}{marker} "),
        runs,
    };
    let rest = Prefix {
        text: format!("{lead}{hang}"),
        runs: bars.runs,
    };
    (first, rest)
}

/// The display text (a link's number after its text), where the numbers
/// were inserted, and the style runs over the display text.
fn styled(text: &str, spans: &[article::Span]) -> (Option<String>, Vec<(usize, usize)>, Vec<Run>) {
    let mut spans: Vec<&article::Span> = spans
        .iter()
        .filter(|s| s.range().end <= text.len() && s.start < s.end)
        .filter(|s| text.is_char_boundary(s.range().start) && text.is_char_boundary(s.range().end))
        .collect();
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut ends: Vec<(usize, u16)> = spans
        .iter()
        .filter_map(|s| match s.style {
            Inline::Link(i) => Some((s.range().end, i)),
            _ => None,
        })
        .collect();
    ends.sort_by_key(|&(end, _)| end);
    if ends.is_empty() {
        let runs = spans.iter().map(|s| run(s.range(), s.style)).collect();
        return (None, Vec::new(), runs);
    }
    let mut display = String::with_capacity(text.len() + ends.len() * 4);
    let mut inserts = Vec::with_capacity(ends.len());
    let mut numbers = Vec::with_capacity(ends.len());
    let mut at = 0;
    for (end, i) in ends {
        display.push_str(&text[at..end]);
        let number = format!("[{}]", u32::from(i) + 1);
        numbers.push(display.len()..display.len() + number.len());
        display.push_str(&number);
        inserts.push((end, display.len() - end));
        at = end;
    }
    display.push_str(&text[at..]);
    let shifted = Block {
        inserts,
        ..Block::default()
    };
    let mut runs: Vec<Run> = spans
        .iter()
        .map(|s| run(shifted.to_display(&s.range()), s.style))
        .chain(numbers.into_iter().map(|range| Run {
            range,
            mark: Mark::LinkNumber,
        }))
        .collect();
    runs.sort_by_key(|r| (r.range.start, std::cmp::Reverse(r.range.end)));
    (Some(display), shifted.inserts, runs)
}

fn run(range: std::ops::Range<usize>, style: Inline) -> Run {
    let mark = match style {
        Inline::Emphasis => Mark::Emphasis,
        Inline::Strong => Mark::Strong,
        Inline::Code => Mark::Code,
        Inline::Image => Mark::Image,
        Inline::Link(i) => Mark::Link(i),
    };
    Run { range, mark }
}

/// After the article: a `Links` heading and each target numbered as in
/// the text, the number hanging before the wrapped target.
fn links_blocks(links: &[Link]) -> Vec<Block> {
    if links.is_empty() {
        return Vec::new();
    }
    let mut blocks = vec![Block::plain(LineKind::Heading(2), "Links".into(), true)];
    blocks.extend(links.iter().enumerate().map(|(i, link)| {
        let number = format!("[{}] ", i + 1);
        let numbered = Run {
            range: 0..number.len() - 1,
            mark: Mark::LinkNumber,
        };
        Block {
            first: Prefix {
                runs: vec![numbered],
                text: number.clone(),
            },
            rest: Prefix {
                text: " ".repeat(number.len()),
                runs: Vec::new(),
            },
            ..Block::plain(LineKind::Body, link.target.clone(), false)
        }
    }));
    blocks
}

/// `By Jane Doe · 3h ago · example.org · 412 words · 2 min`: who, when,
/// where from (the source, else the URL's host), and how long. The
/// category is in the pane's header, so it is not repeated here.
pub fn meta_line(meta: &ArticleMeta, now: Option<i64>) -> String {
    let mut parts: Vec<String> = Vec::new();
    parts.extend(meta.author().map(|a| format!("By {a}")));
    parts.extend(meta.published().map(|ts| match now {
        Some(now) => article::date::shown(ts, now),
        None => article::date::day(ts),
    }));
    parts.extend(meta.source().or_else(|| meta.host()).map(str::to_string));
    parts.push(format!("{} words", meta.words));
    parts.push(format!("{} min", meta.reading_minutes()));
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Span;
    use std::time::{Duration, Instant};

    fn span(start: usize, end: usize, style: Inline) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
            style,
        }
    }

    #[test]
    fn a_link_number_shifts_what_follows_but_not_the_link_text() {
        let text = "see the report now";
        let (display, inserts, runs) = styled(text, &[span(4, 14, Inline::Link(2))]);
        assert_eq!(display.as_deref(), Some("see the report[3] now"));
        let block = Block {
            text: text.into(),
            display,
            inserts,
            ..Block::default()
        };
        // "report" ends where the number goes in: its end stays before it;
        // " now" starts there: its start goes after it.
        assert_eq!(block.to_display(&(8..14)), 8..14);
        assert_eq!(block.to_display(&(14..18)), 17..21);
        let marks: Vec<Mark> = runs.iter().map(|r| r.mark).collect();
        assert_eq!(marks, [Mark::Link(2), Mark::LinkNumber]);
        assert_eq!(runs[1].range, 14..17);
    }

    #[test]
    fn spans_off_the_text_or_inside_a_character_are_dropped() {
        let (_, _, runs) = styled(
            "café",
            &[
                span(0, 99, Inline::Strong),
                span(4, 5, Inline::Emphasis),
                span(0, 3, Inline::Code),
            ],
        );
        assert_eq!(runs.len(), 1);
    }

    /// A regression guard: mapping every span through the link numbers
    /// once summed all earlier numbers for each span (quadratic).
    #[test]
    fn a_paragraph_of_many_links_and_nested_spans_lays_out_quickly() {
        let n = 60_000;
        let text = "ab ".repeat(n);
        let mut spans = vec![span(0, text.len(), Inline::Strong)];
        spans.extend((0..n).map(|i| span(i * 3, i * 3 + 2, Inline::Link(i as u16))));
        let start = Instant::now();
        let block = body_block(
            &text,
            &article::Block {
                spans,
                ..Default::default()
            },
            false,
        );
        let wrapped = super::super::Wrapped::new(&[block], 30);
        assert!(wrapped.lines.len() > 1000);
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{:?}",
            start.elapsed()
        );
    }
}
