//! The reader pane: a header (the story's place in the list, its category,
//! how far through it you are) and the visible slice of its wrapped lines.

use super::{hyperlink, reader_lines};
use crate::app::reader::{Mark, Matches, Reader, Wrapped};
use crate::app::{App, Focus};
use crate::layout;
use crate::text;
use crate::theme::{Element, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
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
    parts.extend(versions(app.other_versions(meta.id())));
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
    if app.hyperlinks() {
        hyperlinks(reader, &wrapped, scroll, frame, text_area);
    }
}

/// Make the visible link text terminal hyperlinks to their targets (those
/// that may leave the app), after the text is drawn.
fn hyperlinks(reader: &Reader, wrapped: &Wrapped, scroll: usize, frame: &mut Frame, area: Rect) {
    let visible = wrapped
        .lines
        .iter()
        .skip(scroll)
        .take(usize::from(area.height));
    for (row, line) in visible.enumerate() {
        for run in &line.runs {
            let Mark::Link(i) = run.mark else { continue };
            let Some(open) = reader
                .links()
                .get(usize::from(i))
                .and_then(|l| hyperlink::open(&l.target))
            else {
                continue;
            };
            let (Some(before), Some(text)) = (
                line.text.get(..run.range.start),
                line.text.get(run.range.clone()),
            ) else {
                continue;
            };
            let x = text::width(before).min(usize::from(u16::MAX)) as u16;
            hyperlink::link_cells(frame.buffer_mut(), area, (x, row as u16), text, &open);
        }
    }
}

/// `2 other versions` of a grouped story (`v`/`V` move between them).
fn versions(others: usize) -> Option<String> {
    match others {
        0 => None,
        1 => Some("1 other version".to_string()),
        n => Some(format!("{n} other versions")),
    }
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
            let pieces = matches.map_or(&[][..], |m| m.pieces(i));
            reader_lines::line(l, pieces, matches, theme)
        })
        .collect()
}
