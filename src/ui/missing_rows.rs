//! Bookmarks whose story is no longer in the library, listed after the
//! stories in the Bookmarks view: dimmed, marked `✗`, with the stored
//! headline and path, so a bookmark is never dropped without a trace.

use super::story_list::BOOKMARK;
use crate::app::App;
use crate::store::Bookmark;
use crate::text;
use crate::theme::Element;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Marker for a bookmark whose story is missing.
pub const MISSING: &str = "✗";
/// Said on the right of the row, where the category would be.
const LABEL: &str = "missing";

/// Draw the missing bookmarks that fall in the list rows from `offset`.
pub fn render(app: &App, frame: &mut Frame, body: Rect, offset: usize) {
    let shown = app.missing_shown();
    let first = app.visible().len();
    for row in 0..usize::from(body.height) {
        let position = offset + row;
        let Some(bookmark) = position.checked_sub(first).and_then(|i| shown.get(i)) else {
            continue;
        };
        let rect = Rect {
            y: body.y + row as u16,
            height: 1,
            ..body
        };
        if position == app.selected() {
            frame
                .buffer_mut()
                .set_style(rect, app.theme().style(Element::Selected));
        }
        let line = row_line(app, bookmark, usize::from(rect.width));
        frame.render_widget(Paragraph::new(line), rect);
    }
}

/// `✗★ Headline as bookmarked          missing`
fn row_line(app: &App, bookmark: &Bookmark, width: usize) -> Line<'static> {
    let theme = app.theme();
    let dim = theme.style(Element::Placeholder);
    let room = width.saturating_sub(3);
    let label = (room >= 20 + LABEL.len() + 2).then_some(LABEL);
    let label_width = label.map_or(0, |l| l.len() + 2);
    let title = text::truncate(
        &crate::article::sanitize::sanitize_line(bookmark.label()),
        room - label_width,
    );
    let pad = room - label_width - text::width(&title);
    let mut spans = vec![
        Span::styled(MISSING, theme.style(Element::Error)),
        Span::styled(BOOKMARK, theme.style(Element::Bookmark)),
        Span::raw(" "),
        Span::styled(title, dim),
    ];
    if let Some(label) = label {
        spans.push(Span::raw(" ".repeat(pad + 1)));
        spans.push(Span::styled(label, dim));
        spans.push(Span::raw(" "));
    }
    Line::from(spans)
}
