//! The help overlay: every binding of every mode, read from the keymap,
//! with the keys every terminal can send (see [`shown`]).

use super::theme::{Element, Theme};
use crate::app::App;
use crate::keymap::{Keymap, Mode, describe, join_keys, shown};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// Widest the keys column gets; narrow overlays give it a third.
const KEYS_WIDTH: usize = 22;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let rect = super::centred(area, 72, area.height.saturating_sub(2));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Element::Border))
        .title(Span::styled(
            " Keys (esc closes) ",
            theme.style(Element::OverlayTitle),
        ));
    let keys_width = usize::from(rect.width / 3).clamp(6, KEYS_WIDTH);
    let lines: Vec<Line> = lines(app.keymap(), theme, keys_width)
        .into_iter()
        .skip(app.overlay_scroll())
        .collect();
    frame.render_widget(Clear, rect);
    super::clear_overhang(frame.buffer_mut(), rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

/// The overlay's lines: a heading per mode, then `keys  what they do`.
pub fn lines(keymap: &Keymap, theme: &Theme, keys_width: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for mode in Mode::ALL {
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        lines.push(Line::styled(
            format!(" {}", mode.title()),
            theme.style(Element::Header),
        ));
        for binding in keymap.bindings(mode).iter().filter(|b| !b.keys.is_empty()) {
            let keys = join_keys(&shown(&binding.keys), ", ");
            lines.push(Line::from(vec![
                Span::styled(
                    format!("   {keys:<keys_width$}"),
                    theme.style(Element::HintKey),
                ),
                Span::raw(format!(" {}", describe(mode, binding.action))),
            ]));
        }
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        " Search queries",
        theme.style(Element::Header),
    ));
    for (syntax, meaning) in QUERY_LANGUAGE {
        lines.push(Line::from(vec![
            Span::styled(
                format!("   {syntax:<keys_width$}"),
                theme.style(Element::HintKey),
            ),
            Span::raw(format!(" {meaning}")),
        ]));
    }
    lines
}

/// The query language, as the engine reads it (see `search::query`).
const QUERY_LANGUAGE: [(&str, &str); 9] = [
    ("shell boss", "every word, anywhere in the story"),
    ("broadb", "the last word also as a prefix"),
    ("\"mobile phone\"", "the exact phrase"),
    ("-apple", "without the word (or -\"a phrase\")"),
    ("cats OR dogs", "either word"),
    ("title:word", "in the headline only"),
    ("category:sport", "in sport/ or a folder under it"),
    ("is:bookmarked", "bookmarked (is:read, is:unread too)"),
    ("author:x \"open", "not understood: read as words (shown)"),
];

/// How many lines the overlay has, for scrolling.
pub fn line_count(keymap: &Keymap) -> usize {
    lines(keymap, &Theme::default(), KEYS_WIDTH).len()
}
