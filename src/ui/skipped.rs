//! The skipped-files overlay: each file that is not in the library, and
//! why; then the feeds the last fetch could not fetch, and why.

use crate::app::{App, SkippedLine};
use crate::article::sanitize::sanitize_line;
use crate::text;
use crate::theme::Element;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let rect = super::centred(
        area,
        area.width.saturating_sub(4).max(1),
        area.height.saturating_sub(2),
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Element::Border))
        .title(Span::styled(title(app), theme.style(Element::OverlayTitle)));
    let inner = usize::from(rect.width.saturating_sub(2));
    let lines: Vec<Line> = if app.skipped_line_count() == 0 {
        vec![Line::styled(
            " No files were skipped.",
            theme.style(Element::Placeholder),
        )]
    } else {
        (app.overlay_scroll()..)
            .map_while(|i| app.skipped_line(i))
            .take(usize::from(rect.height))
            .map(|line| match line {
                SkippedLine::File(s) => Line::raw(text::truncate(&format!(" {s}"), inner)),
                SkippedLine::Blank => Line::raw(""),
                SkippedLine::Heading => {
                    Line::styled(" Feeds that failed", theme.style(Element::Header))
                }
                SkippedLine::Feed(f) => Line::raw(text::truncate(
                    &sanitize_line(&format!(" {}: {}", f.name, f.why)),
                    inner,
                )),
            })
            .collect()
    };
    frame.render_widget(Clear, rect);
    super::clear_overhang(frame.buffer_mut(), rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

/// ` Skipped files: 3 (esc closes) `, with the failed feeds when any.
fn title(app: &App) -> String {
    let files = app.library().skipped().len();
    match app.feed_failures().len() {
        0 => format!(" Skipped files: {files} (esc closes) "),
        feeds => format!(" Skipped files: {files}, failed feeds: {feeds} (esc closes) "),
    }
}
