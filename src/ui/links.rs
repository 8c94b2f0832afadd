//! The links overlay: the story's own address, then the links in its text
//! as numbered there, two rows each (label and text, then the target that
//! `enter` opens and `y` copies), cut to the width. Only the entries on
//! screen are built.

use crate::app::App;
use crate::app::links::{self, LinkEntry};
use crate::text;
use crate::theme::{Element, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// Columns before a target, under its label.
const INDENT: &str = "     ";

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let count = app.link_count();
    let rect = links::overlay_rect(area, count);
    let title = format!(" Links: {count} (esc closes) ");
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Element::Border))
        .title(Span::styled(title, theme.style(Element::OverlayTitle)));
    let inner = usize::from(rect.width.saturating_sub(2));
    let lines = if count == 0 {
        vec![Line::styled(
            " This story has no links.",
            theme.style(Element::Placeholder),
        )]
    } else {
        entry_lines(app, theme, inner, links::entries_per_page(area))
    };
    frame.render_widget(Clear, rect);
    super::clear_overhang(frame.buffer_mut(), rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

/// The rows of the entries on screen, the selected one highlighted.
fn entry_lines(app: &App, theme: &Theme, width: usize, page: usize) -> Vec<Line<'static>> {
    let selected = app.link_selected();
    (app.link_offset()..)
        .take(page)
        .map_while(|i| app.link_entry(i).map(|e| (i, e)))
        .flat_map(|(i, entry)| {
            let highlight = (i == selected).then(|| theme.style(Element::Selected));
            entry_rows(&entry, theme, width, highlight)
        })
        .collect()
}

/// ` [3] link text` then `     https://…`, each cut to `width`.
fn entry_rows(
    entry: &LinkEntry,
    theme: &Theme,
    width: usize,
    highlight: Option<Style>,
) -> [Line<'static>; 2] {
    let head = text::truncate(&format!(" {} {}", entry.label, entry.text), width);
    let (target, style) = match &entry.safe {
        Some(url) => (url.clone(), theme.style(Element::Meta)),
        None => (
            format!("cannot be opened: {}", entry.target),
            theme.style(Element::Error),
        ),
    };
    let target = text::truncate(&format!("{INDENT}{target}"), width);
    let pad = |s: String| {
        let fill = width.saturating_sub(text::width(&s));
        format!("{s}{}", " ".repeat(fill))
    };
    match highlight {
        Some(h) => [
            Line::styled(pad(head), h),
            Line::styled(pad(target), style.patch(h)),
        ],
        None => [
            Line::styled(head, theme.style(Element::Title)),
            Line::styled(target, style),
        ],
    }
}
