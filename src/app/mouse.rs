//! The mouse, when the config turns it on (`mouse = true`): the wheel
//! scrolls the pane under the pointer, a click selects a story, a double
//! click opens it, a click on a link in the reader opens the link. The
//! runtime turns terminal events into [`Pointer`]s (it alone knows the
//! time between two clicks); where a pointer lands is decided here, from
//! the same pane layout the screen is drawn with.

use super::links::NOT_OPENED;
use super::reader::Mark;
use super::{App, Focus};
use crate::action::Action;
use crate::article::links::safe_url;
use ratatui::layout::{Position, Rect};

pub use crate::action::Pointer;

/// Lines (or stories) one turn of the wheel moves, as in most terminals'
/// own scrollback.
pub const WHEEL_LINES: usize = 3;

impl App {
    /// Act on the mouse at `(column, row)`.
    pub(super) fn pointer(&mut self, pointer: Pointer, column: u16, row: u16) {
        let at = Position::new(column, row);
        if self.overlay.is_some() {
            // An overlay scrolls with the wheel; clicks go to it by key.
            if let Some(step) = wheel_step(pointer) {
                (0..WHEEL_LINES).for_each(|_| self.update(step));
            }
            return;
        }
        let Some(areas) = self.areas() else {
            return;
        };
        if areas.reader.is_some_and(|r| r.contains(at)) {
            self.pointer_in_reader(pointer, at);
        } else if let Some(list) = areas.list.filter(|l| l.contains(at)) {
            self.pointer_in_list(pointer, list, at);
        }
    }

    fn pointer_in_list(&mut self, pointer: Pointer, list: Rect, at: Position) {
        if self.search.editing {
            self.submit_search();
        }
        if let Some(step) = wheel_step(pointer) {
            let (rows, len) = (self.list_rows(), self.list_len());
            (0..WHEEL_LINES).for_each(|_| self.list.move_by(step, rows, len));
            self.ask_for_more_at_the_end();
            return;
        }
        // The first row of the pane is its header.
        let Some(line) = at.y.checked_sub(list.y + 1) else {
            return;
        };
        let per_story = if self.snippets_shown() { 2 } else { 1 };
        let position = self.list_offset() + usize::from(line) / per_story;
        if position >= self.list_len() {
            return;
        }
        self.list.select(position, self.list_len());
        self.focus = Focus::List;
        if pointer == Pointer::DoubleClick {
            self.open_selected();
        }
    }

    fn pointer_in_reader(&mut self, pointer: Pointer, at: Position) {
        if let Some(step) = wheel_step(pointer) {
            (0..WHEEL_LINES).for_each(|_| self.scroll_reader(step));
            return;
        }
        if let Some(n) = self.link_at(at) {
            let target = self.reader.as_ref().and_then(|r| r.links().get(n));
            match target.and_then(|l| safe_url(&l.target)) {
                Some(url) => self.effects.push(super::Effect::Open(url)),
                None => self.message(NOT_OPENED, true),
            }
            return;
        }
        if self.focus == Focus::List && !self.visible().is_empty() {
            self.open_selected();
        }
    }

    /// The number of the link drawn at `at` in the reader, if any.
    fn link_at(&self, at: Position) -> Option<usize> {
        let text = self.reader_text()?;
        if !text.contains(at) {
            return None;
        }
        let reader = self.reader.as_ref()?;
        let wrapped = reader.current()?;
        let line = wrapped
            .lines
            .get(reader.scroll() + usize::from(at.y - text.y))?;
        let byte = byte_at_column(&line.text, usize::from(at.x - text.x))?;
        line.runs.iter().find_map(|run| match run.mark {
            Mark::Link(n) if run.range.contains(&byte) => Some(usize::from(n)),
            _ => None,
        })
    }
}

/// The key a turn of the wheel stands for.
fn wheel_step(pointer: Pointer) -> Option<Action> {
    match pointer {
        Pointer::WheelDown => Some(Action::Down),
        Pointer::WheelUp => Some(Action::Up),
        Pointer::Click | Pointer::DoubleClick => None,
    }
}

/// The byte offset of the character drawn at display column `column` of
/// `text` (wide characters take two columns).
fn byte_at_column(text: &str, column: usize) -> Option<usize> {
    let mut x = 0;
    for (i, c) in text.char_indices() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if column < x + w.max(1) {
            return Some(i);
        }
        x += w;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_wide_characters_twice() {
        assert_eq!(byte_at_column("ab", 1), Some(1));
        assert_eq!(byte_at_column("日本", 1), Some(0));
        assert_eq!(byte_at_column("日本", 2), Some(3));
        assert_eq!(byte_at_column("ab", 2), None);
    }
}
