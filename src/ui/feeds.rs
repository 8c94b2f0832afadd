//! The feeds overlay: `All`, then each feed (under its category) with its
//! unread and total stories; the selected row highlighted, kept on screen.

use crate::app::App;
use crate::article::sanitize::sanitize_line;
use crate::text;
use crate::theme::Element;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// Widest the overlay gets.
const WIDTH: u16 = 60;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let rect = super::centred(
        area,
        WIDTH.min(area.width.saturating_sub(4).max(1)),
        area.height.saturating_sub(2),
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Element::Border))
        .title(Span::styled(
            " Feeds (enter shows one, esc closes) ",
            theme.style(Element::OverlayTitle),
        ));
    let inner = usize::from(rect.width.saturating_sub(2));
    let height = usize::from(rect.height.saturating_sub(2)).max(1);
    let rows = app.feed_rows();
    let selected = app.feed_row_selected();
    let offset = (selected + 1).saturating_sub(height);
    let lines: Vec<Line> = if rows.len() <= 1 {
        // Wrapped to the box: the whole hint shows at any width.
        let hint = "No feeds yet: subscribe with `tidings feeds add URL`, then press R.";
        textwrap::wrap(hint, inner.saturating_sub(2).max(1))
            .into_iter()
            .map(|l| Line::styled(format!(" {l}"), theme.style(Element::Placeholder)))
            .collect()
    } else {
        rows.iter()
            .enumerate()
            .skip(offset)
            .take(height)
            .map(|(i, row)| {
                let counts = format!(
                    "{} / {} ",
                    text::thousands(row.unread),
                    text::thousands(row.total)
                );
                let indent = if row.nested { "   " } else { " " };
                let room = inner.saturating_sub(text::width(&counts) + indent.len() + 1);
                let label = text::truncate(&sanitize_line(&row.label), room);
                let pad =
                    inner.saturating_sub(indent.len() + text::width(&label) + text::width(&counts));
                let line = format!("{indent}{label}{}{counts}", " ".repeat(pad));
                let style = if i == selected {
                    theme.style(Element::Selected)
                } else if row.nested {
                    theme.style(Element::Body)
                } else {
                    theme.style(Element::Header)
                };
                Line::styled(line, style)
            })
            .collect()
    };
    frame.render_widget(Clear, rect);
    super::clear_overhang(frame.buffer_mut(), rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}
