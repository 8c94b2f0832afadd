//! A reader line as styled spans: the line's kind gives the base style,
//! its runs (emphasis, links, quote bars...) patch it, and search matches
//! go over everything, so a match inside a link still stands out.

use crate::app::reader::{LineKind, Mark, Matches, Piece, WrappedLine};
use crate::theme::{Element, Theme};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use std::ops::Range;

/// The line's spans; `pieces` are its search matches.
pub fn line<'a>(
    line: &'a WrappedLine,
    pieces: &[Piece],
    matches: Option<&Matches>,
    theme: &Theme,
) -> Line<'a> {
    let base = kind_style(line.kind, theme);
    if line.runs.is_empty() && pieces.is_empty() {
        return Line::styled(line.text.as_str(), base);
    }
    let current = matches.and_then(Matches::current);
    let mut marks: Vec<(Range<usize>, Style)> = line
        .runs
        .iter()
        .map(|r| (r.range.clone(), mark_style(r.mark)))
        .collect();
    marks.extend(pieces.iter().map(|p| {
        let element = if Some(p.hit) == current {
            Element::CurrentMatch
        } else {
            Element::Highlight
        };
        (p.range.clone(), theme.style(element))
    }));
    Line::from(layered(&line.text, &marks, base))
}

/// `text` cut at every mark's boundaries, each piece in `base` patched by
/// every mark over it, in order (later marks win).
fn layered(text: &str, marks: &[(Range<usize>, Style)], base: Style) -> Vec<Span<'static>> {
    let mut cuts: Vec<usize> = marks
        .iter()
        .flat_map(|(r, _)| [r.start, r.end])
        .chain([0, text.len()])
        .filter(|&at| at <= text.len() && text.is_char_boundary(at))
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .map(|w| {
            let style = marks
                .iter()
                .filter(|(r, _)| r.start <= w[0] && w[1] <= r.end)
                .fold(base, |style, (_, s)| style.patch(*s));
            Span::styled(text[w[0]..w[1]].to_string(), style)
        })
        .collect()
}

/// The style of a kind of line.
pub fn kind_style(kind: LineKind, theme: &Theme) -> Style {
    let bold = Style::default().add_modifier(Modifier::BOLD);
    match kind {
        LineKind::Kicker => theme.style(Element::Kicker),
        LineKind::Title => theme.style(Element::Title),
        LineKind::Meta => theme.style(Element::Meta),
        LineKind::Body | LineKind::Blank => theme.style(Element::Body),
        // The top levels look like the headline; the rest are bold italic.
        LineKind::Heading(1 | 2) => theme.style(Element::Title).patch(bold),
        LineKind::Heading(_) => theme
            .style(Element::Body)
            .patch(bold.add_modifier(Modifier::ITALIC)),
        LineKind::Preformatted | LineKind::Raw => theme.style(Element::Raw),
        LineKind::Notice => theme.style(Element::Error),
    }
}

/// The style a mark adds to its line's. Modifiers only, so they read on
/// any terminal and without colour.
fn mark_style(mark: Mark) -> Style {
    let m = match mark {
        Mark::Emphasis => Modifier::ITALIC,
        Mark::Strong => Modifier::BOLD,
        Mark::Code => Modifier::REVERSED | Modifier::DIM,
        Mark::Image | Mark::LinkNumber | Mark::QuoteBar => Modifier::DIM,
        Mark::Link(_) => Modifier::UNDERLINED,
        Mark::Bullet => Modifier::empty(),
    };
    Style::default().add_modifier(m)
}
