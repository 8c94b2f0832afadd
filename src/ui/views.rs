//! The views overlay: every view with its number, its key and its unread
//! stories (`…` until counted); the one shown marked, the selected row
//! highlighted and kept on screen.

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
    let rows = app.views().len();
    // As tall as the views (with the border), and no taller than the screen.
    let height = u16::try_from(rows + 2).unwrap_or(u16::MAX);
    let rect = super::centred(
        area,
        WIDTH.min(area.width.saturating_sub(4).max(1)),
        height.min(area.height.saturating_sub(2)),
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Element::Border))
        .title(Span::styled(
            " Views (enter or 1-9 shows one) ",
            theme.style(Element::OverlayTitle),
        ));
    let inner = usize::from(rect.width.saturating_sub(2));
    let visible = usize::from(rect.height.saturating_sub(2)).max(1);
    let selected = app.views_selected();
    let offset = (selected + 1).saturating_sub(visible);
    let lines: Vec<Line> = (0..rows)
        .skip(offset)
        .take(visible)
        .map(|i| {
            let style = if i == selected {
                theme.style(Element::Selected)
            } else {
                theme.style(Element::Body)
            };
            Line::styled(row_text(app, i, inner), style)
        })
        .collect();
    frame.render_widget(Clear, rect);
    super::clear_overhang(frame.buffer_mut(), rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

/// `▸ 2 Bookmarks       B   3 unread`, fitted to `width` columns: the
/// number (for the first nine), the name, its key, the unread count.
fn row_text(app: &App, i: usize, width: usize) -> String {
    let view = &app.views()[i];
    let mark = if i == app.view_index() { "▸" } else { " " };
    let number = if i < 9 {
        (i + 1).to_string()
    } else {
        " ".to_string()
    };
    let unread = match app.view_unread(i) {
        Some(n) => format!("{} unread", text::thousands(n)),
        None => "… unread".to_string(),
    };
    let key = view.key.map(|k| k.to_string()).unwrap_or_default();
    let right = format!("{key:>6}  {unread:>10} ");
    let left = format!("{mark}{number} ");
    let room = width.saturating_sub(text::width(&left) + text::width(&right));
    let name = text::truncate(&sanitize_line(&view.name), room);
    let pad = room.saturating_sub(text::width(&name));
    format!("{left}{name}{}{right}", " ".repeat(pad))
}
