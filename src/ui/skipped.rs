//! The skipped-files overlay: each file that is not in the library, and why.

use crate::app::App;
use crate::text;
use crate::theme::Element;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let skipped = &app.library().skipped();
    let rect = super::centred(
        area,
        area.width.saturating_sub(4).max(1),
        area.height.saturating_sub(2),
    );
    let title = format!(" Skipped files: {} (esc closes) ", skipped.len());
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Element::Border))
        .title(Span::styled(title, theme.style(Element::OverlayTitle)));
    let inner = usize::from(rect.width.saturating_sub(2));
    let lines: Vec<Line> = if skipped.is_empty() {
        vec![Line::styled(
            " No files were skipped.",
            theme.style(Element::Placeholder),
        )]
    } else {
        skipped
            .iter()
            .skip(app.overlay_scroll())
            .take(usize::from(rect.height))
            .map(|s| Line::raw(text::truncate(&format!(" {s}"), inner)))
            .collect()
    };
    frame.render_widget(Clear, rect);
    super::clear_overhang(frame.buffer_mut(), rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}
