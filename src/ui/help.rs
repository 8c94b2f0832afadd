//! The help overlay: every binding of every mode, read from the keymap,
//! with the keys every terminal can send (see [`shown`]).

use super::theme::{Element, Theme};
use crate::app::App;
use crate::keymap::{Keymap, Mode, describe, join_keys, shown};
use crate::text;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// Widest the keys column gets; narrow overlays give it a third.
const KEYS_WIDTH: usize = 22;
/// Widest the overlay gets.
const WIDTH: u16 = 72;
/// Columns before the keys.
const INDENT: usize = 3;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let rect = super::centred(area, WIDTH, area.height.saturating_sub(2));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Element::Border))
        .title(Span::styled(
            " Keys (esc closes) ",
            theme.style(Element::OverlayTitle),
        ));
    let lines: Vec<Line> = lines(app.keymap(), theme, area.width)
        .into_iter()
        .skip(app.overlay_scroll())
        .collect();
    frame.render_widget(Clear, rect);
    super::clear_overhang(frame.buffer_mut(), rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

/// The overlay's lines on a screen `screen_width` columns wide: a heading
/// per mode, then `keys  what they do`. Descriptions start at one column
/// and wrap there; keys too wide for their column get a line of their own,
/// so nothing is cut and the columns stay straight at any width.
pub fn lines(keymap: &Keymap, theme: &Theme, screen_width: u16) -> Vec<Line<'static>> {
    let outer = screen_width.min(WIDTH);
    let layout = Columns {
        keys: usize::from(outer / 3).clamp(6, KEYS_WIDTH),
        width: usize::from(outer.saturating_sub(2)),
    };
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
            layout.entry(&keys, describe(mode, binding.action), theme, &mut lines);
        }
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        " Search queries",
        theme.style(Element::Header),
    ));
    for (syntax, meaning) in QUERY_LANGUAGE {
        layout.entry(syntax, meaning, theme, &mut lines);
    }
    lines
}

/// The overlay's two columns inside its borders.
struct Columns {
    /// Width of the keys column.
    keys: usize,
    /// Width inside the borders.
    width: usize,
}

impl Columns {
    /// `keys` and what they do, as one line or more.
    fn entry(&self, keys: &str, what: &str, theme: &Theme, lines: &mut Vec<Line<'static>>) {
        let column = INDENT + self.keys + 1;
        let key_style = theme.style(Element::HintKey);
        let mut parts = text::wrap(what, self.width.saturating_sub(column).max(1)).into_iter();
        let keys_width = text::width(keys);
        if keys_width > self.keys {
            lines.push(Line::styled(format!("{:INDENT$}{keys}", ""), key_style));
        } else {
            let pad = " ".repeat(self.keys - keys_width);
            lines.push(Line::from(vec![
                Span::styled(format!("{:INDENT$}{keys}{pad}", ""), key_style),
                Span::raw(format!(" {}", parts.next().unwrap_or_default())),
            ]));
        }
        lines.extend(parts.map(|part| Line::raw(format!("{:column$}{part}", ""))));
    }
}

/// The query language, as the engine reads it (see `search::query`).
pub const QUERY_LANGUAGE: [(&str, &str); 9] = [
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

/// How many lines the overlay has on a screen `screen_width` wide, for
/// scrolling.
pub fn line_count(keymap: &Keymap, screen_width: u16) -> usize {
    lines(keymap, &Theme::default(), screen_width).len()
}
