//! The reader pane: a header (the story's place in the list, its category,
//! how far through it you are) and the visible slice of its wrapped lines.

use crate::app::reader::{LineKind, Matches, Piece, Wrapped};
use crate::app::{App, Focus};
use crate::layout;
use crate::text;
use crate::theme::{Element, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::borrow::Cow;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    if area.height == 0 {
        return;
    }
    let text_area = layout::reader_text(area);
    let Some(reader) = app.reader() else {
        let text = match app.selected_missing() {
            Some(_) => " This bookmarked story is no longer in the library",
            None => " No story selected",
        };
        let line = Line::styled(text, app.theme().style(Element::Placeholder));
        frame.render_widget(Paragraph::new(line), text_area);
        return;
    };
    let width = usize::from(text_area.width);
    // Lines are wrapped in `App::update`; a frame of another size (a test
    // drawing without a resize) wraps on the spot rather than fail.
    let wrapped = reader
        .current()
        .filter(|w| w.width == width.max(1))
        .map_or_else(|| Cow::Owned(reader.wrapped_at(width)), Cow::Borrowed);
    let height = usize::from(text_area.height);
    let max_scroll = wrapped.lines.len().saturating_sub(height.max(1));
    let scroll = reader.scroll().min(max_scroll);
    // A story that fits has nowhere to scroll: a percentage would only
    // mislead (100% before a line was read).
    let percent = (max_scroll > 0).then(|| crate::app::reader::percent(scroll, max_scroll));
    let meta = &app.library().articles()[reader.index];
    let mut parts: Vec<String> = place(app, reader.index).into_iter().collect();
    if reader.showing_raw() {
        parts.push(format!("Raw file · {}", meta.rel_path()));
    } else {
        parts.extend(meta.category().map(str::to_string));
    }
    let label = parts.join(" · ");
    render_header(app, frame, Rect { height: 1, ..area }, &label, percent);
    let matches = reader
        .matches()
        .filter(|m| m.count() > 0 && wrapped.width == width.max(1));
    let lines = visible_lines(&wrapped, scroll, height, app.theme(), matches);
    frame.render_widget(Paragraph::new(lines), text_area);
}

/// The story's place in the list, `3/12`, as the list's header counts.
fn place(app: &App, index: usize) -> Option<String> {
    let position = if app.selected_index() == Some(index) {
        app.selected()
    } else {
        app.visible().iter().position(|&i| i == index)?
    };
    Some(format!("{}/{}", position + 1, app.list_len()))
}

fn render_header(app: &App, frame: &mut Frame, area: Rect, label: &str, percent: Option<usize>) {
    let theme = app.theme();
    let style = if app.focus() == Focus::Reader {
        theme.style(Element::Header)
    } else {
        theme.style(Element::Position)
    };
    let position = percent.map_or_else(String::new, |p| format!("{p:>3}% "));
    let width = usize::from(area.width);
    let label = text::truncate(
        &crate::article::sanitize::sanitize_line(label),
        width.saturating_sub(text::width(&position) + 2),
    );
    let pad = width.saturating_sub(text::width(&label) + 1 + text::width(&position));
    let line = Line::from(vec![
        Span::styled(format!(" {label}"), style),
        Span::raw(" ".repeat(pad)),
        Span::styled(position, theme.style(Element::Position)),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

fn visible_lines<'a>(
    wrapped: &'a Wrapped,
    scroll: usize,
    height: usize,
    theme: &Theme,
    matches: Option<&Matches>,
) -> Vec<Line<'a>> {
    wrapped
        .lines
        .iter()
        .enumerate()
        .skip(scroll)
        .take(height)
        .map(|(i, l)| {
            let style = style_of(l.kind, theme);
            match matches.map(|m| m.pieces(i)).filter(|p| !p.is_empty()) {
                Some(pieces) => Line::from(marked(&l.text, pieces, matches, style, theme)),
                None => Line::styled(l.text.as_str(), style),
            }
        })
        .collect()
}

/// A line with its matches marked, the one `n`/`N` went to standing out.
fn marked(
    text: &str,
    pieces: &[Piece],
    matches: Option<&Matches>,
    style: Style,
    theme: &Theme,
) -> Vec<Span<'static>> {
    let current = matches.and_then(Matches::current);
    let marks = pieces.iter().map(|p| {
        let element = if Some(p.hit) == current {
            Element::CurrentMatch
        } else {
            Element::Highlight
        };
        (p.range.clone(), theme.style(element))
    });
    super::highlight::spans(text, marks, style)
}

fn style_of(kind: LineKind, theme: &Theme) -> Style {
    theme.style(match kind {
        LineKind::Kicker => Element::Kicker,
        LineKind::Title => Element::Title,
        LineKind::Meta => Element::Meta,
        LineKind::Body | LineKind::Blank => Element::Body,
        LineKind::Raw => Element::Raw,
        LineKind::Notice => Element::Error,
    })
}
