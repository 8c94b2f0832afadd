//! The help overlay's content: every binding of every mode, read from the
//! keymap, with the keys every terminal can send (see [`shown`]), then the
//! query language. [`rows`] is the model; [`lines`] lays it out in two
//! columns for a screen width. The overlay draws those lines and the app
//! counts them to scroll, so the two always agree and counting never
//! renders anything.

use super::{Keymap, Mode, describe, join_keys, shown};
use crate::action::Action;
use crate::text;

/// Widest the overlay gets.
pub const WIDTH: u16 = 72;
/// Widest the keys column gets; narrow overlays give it a third.
const KEYS_WIDTH: usize = 22;
/// Columns before the keys.
const INDENT: usize = 3;

/// One entry of the help, before it is laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpRow {
    /// A section: a mode's title, or the query language.
    Heading(String),
    /// Keys (or query syntax) and what they do.
    Entry { keys: String, what: String },
}

/// One line of the overlay, laid out for a width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    /// Between sections.
    Blank,
    /// A section's title, indented by a column.
    Heading(String),
    /// The keys column (indented and padded), and the first part of what
    /// they do (with its leading space) when the keys fit their column.
    Keys { keys: String, what: Option<String> },
    /// A further part of a description, indented to its column.
    Text(String),
}

/// The help's entries: a heading per mode, its bindings, then the query
/// language.
pub fn rows(keymap: &Keymap) -> Vec<HelpRow> {
    let mut rows = Vec::new();
    for mode in Mode::ALL {
        rows.push(HelpRow::Heading(mode.title().to_string()));
        let bindings = keymap.bindings(mode).iter().filter(|b| !b.keys.is_empty());
        for binding in bindings {
            rows.extend(entry(keymap, mode, binding));
        }
    }
    rows.push(HelpRow::Heading("Search queries".to_string()));
    rows.extend(
        QUERY_LANGUAGE
            .iter()
            .map(|(syntax, meaning)| HelpRow::Entry {
                keys: syntax.to_string(),
                what: meaning.to_string(),
            }),
    );
    rows
}

/// A binding's entry. The views' digits are one entry (`1-4`), and a
/// view's key names its view.
fn entry(keymap: &Keymap, mode: Mode, binding: &super::Binding) -> Option<HelpRow> {
    let keys = join_keys(&shown(&binding.keys), ", ");
    let (keys, what) = match binding.action {
        Action::GoToView(0) => {
            let last = keymap
                .bindings(mode)
                .iter()
                .filter(|b| matches!(b.action, Action::GoToView(_)))
                .count();
            let keys = if last > 1 { format!("1-{last}") } else { keys };
            (keys, "the view with this number (as in v)".to_string())
        }
        Action::GoToView(_) => return None,
        Action::View(i) => {
            let name = keymap.view_name(i).unwrap_or_default();
            (keys, format!("view: {name} / back to the first"))
        }
        action => (keys, describe(mode, action).to_string()),
    };
    Some(HelpRow::Entry { keys, what })
}

/// The overlay's lines on a screen `screen_width` columns wide: a heading
/// per section, then `keys  what they do`. Descriptions start at one
/// column and wrap there; keys too wide for their column get a line of
/// their own, so nothing is cut and the columns stay straight at any width.
pub fn lines(rows: &[HelpRow], screen_width: u16) -> Vec<HelpLine> {
    let outer = screen_width.min(WIDTH);
    let layout = Columns {
        keys: usize::from(outer / 3).clamp(6, KEYS_WIDTH),
        width: usize::from(outer.saturating_sub(2)),
    };
    let mut lines = Vec::new();
    for row in rows {
        match row {
            HelpRow::Heading(title) => {
                if !lines.is_empty() {
                    lines.push(HelpLine::Blank);
                }
                lines.push(HelpLine::Heading(format!(" {title}")));
            }
            HelpRow::Entry { keys, what } => layout.entry(keys, what, &mut lines),
        }
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
    fn entry(&self, keys: &str, what: &str, lines: &mut Vec<HelpLine>) {
        let column = INDENT + self.keys + 1;
        let mut parts = text::wrap(what, self.width.saturating_sub(column).max(1)).into_iter();
        let keys_width = text::width(keys);
        if keys_width > self.keys {
            lines.push(HelpLine::Keys {
                keys: format!("{:INDENT$}{keys}", ""),
                what: None,
            });
        } else {
            let pad = " ".repeat(self.keys - keys_width);
            lines.push(HelpLine::Keys {
                keys: format!("{:INDENT$}{keys}{pad}", ""),
                what: Some(format!(" {}", parts.next().unwrap_or_default())),
            });
        }
        lines.extend(parts.map(|part| HelpLine::Text(format!("{:column$}{part}", ""))));
    }
}

/// The query language, as the engine reads it (see `search::query`).
pub const QUERY_LANGUAGE: [(&str, &str); 12] = [
    ("shell boss", "every word, anywhere in the story"),
    ("broadb", "the last word also as a prefix"),
    ("\"mobile phone\"", "the exact phrase"),
    ("-apple", "without the word (or -\"a phrase\")"),
    ("cats OR dogs", "either word"),
    ("title:word", "in the headline only"),
    (
        "category:sport",
        "in sport/ or a folder under it, or tagged",
    ),
    ("tag:economy", "tagged economy"),
    ("author:smith", "in the author line"),
    ("site:example.org", "from example.org (or www.example.org)"),
    (
        "is:bookmarked",
        "bookmarked (is:read, is:unread, is:started too)",
    ),
    ("writer:x \"open", "not understood: read as words (shown)"),
];

/// How many lines the overlay has on a screen `screen_width` wide, for
/// scrolling.
pub fn line_count(keymap: &Keymap, screen_width: u16) -> usize {
    lines(&rows(keymap), screen_width).len()
}
