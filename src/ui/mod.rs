//! Drawing: a pure function of `&App` onto a frame.
//!
//! Nothing here changes the app or touches the disk; each pane has its own
//! file and draws only what is visible. Article text reaches the screen only
//! through `Line`/`Span`/`Paragraph`, which measure and place graphemes
//! safely; nothing from an article is ever written cell by cell or into the
//! terminal title. The one exception is a link's cells, wrapped whole in an
//! OSC 8 hyperlink to a validated URL (see [`hyperlink`]).

pub mod feeds;
pub mod help;
pub mod highlight;
pub mod hyperlink;
pub mod links;
pub mod missing_rows;
pub mod reader;
pub mod reader_lines;
pub mod search_bar;
pub mod skipped;
pub mod status_bar;
pub mod story_list;
pub mod views;

use crate::app::{App, Overlay};
use crate::layout;
use crate::theme::Element;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

/// Draw the whole screen.
pub fn draw(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let Some(areas) = app.panes(area) else {
        return too_small(app, frame, area);
    };
    search_bar::render(app, frame, areas.search);
    if let Some(list) = areas.list {
        story_list::render(app, frame, list);
    }
    if let Some(separator) = areas.separator {
        draw_separator(app, frame, separator);
    }
    if let Some(reader) = areas.reader {
        reader::render(app, frame, reader);
    }
    status_bar::render(app, frame, areas.status);
    match app.overlay() {
        Some(Overlay::Help) => help::render(app, frame, area),
        Some(Overlay::Skipped) => skipped::render(app, frame, area),
        Some(Overlay::Links) => links::render(app, frame, area),
        Some(Overlay::Feeds) => feeds::render(app, frame, area),
        Some(Overlay::Views) => views::render(app, frame, area),
        None => {}
    }
}

fn draw_separator(app: &App, frame: &mut Frame, area: Rect) {
    let style = app.theme().style(Element::Border);
    let lines: Vec<Line> = (0..area.height).map(|_| Line::from("│")).collect();
    frame.render_widget(Paragraph::new(lines).style(style), area);
}

/// A centred notice instead of panes that would not fit.
fn too_small(app: &App, frame: &mut Frame, area: Rect) {
    let text = if area.width >= 16 {
        format!(
            "Terminal too small: need {}×{}",
            layout::MIN_WIDTH,
            layout::MIN_HEIGHT
        )
    } else {
        "Too small".to_string()
    };
    let height = if area.width == 0 {
        0
    } else {
        (crate::text::width(&text) as u16)
            .div_ceil(area.width)
            .min(area.height)
    };
    let notice = Rect {
        y: area.y + (area.height - height) / 2,
        height,
        ..area
    };
    let paragraph = Paragraph::new(text)
        .style(app.theme().style(Element::Header))
        .alignment(Alignment::Center)
        .wrap(Wrap { trim: true });
    frame.render_widget(paragraph, notice);
}

/// Blank any wide symbol left of `area` that reaches into it, before an
/// overlay is drawn there. ratatui's diff skips the cells a wide symbol
/// covers, so a CJK or emoji grapheme at the edge of a pane would otherwise
/// hide the overlay's left border and spill into it.
pub fn clear_overhang(buf: &mut Buffer, area: Rect) {
    for y in area.top()..area.bottom() {
        for x in buf.area.left()..area.left() {
            let cell = &mut buf[(x, y)];
            if usize::from(x) + crate::text::grapheme_width(cell.symbol()) > usize::from(area.x) {
                cell.reset();
            }
        }
    }
}

/// A rectangle of at most `width`×`height`, centred in `area`.
pub fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}
