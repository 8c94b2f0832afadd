//! The reader side of the app: opening the selected story, moving
//! between stories and through the open one, and the raw view. The body
//! itself is read outside the app (see [`super::body`]).

use super::marks::Mark;
use super::saved_state::missing_message;
use super::{App, Focus};
use crate::action::Action;
use crate::layout;

impl App {
    pub(super) fn open_selected(&mut self) {
        if let Some(missing) = self.selected_missing() {
            let text = missing_message(missing);
            return self.message(&text, true);
        }
        if self.visible().is_empty() {
            return self.message("No story to open", true);
        }
        self.focus = Focus::Reader;
        self.mark_selected_read();
    }

    pub(super) fn mark_selected_read(&mut self) {
        if !self.settings.mark_read_on_open {
            return;
        }
        if let Some(id) = self.selected_meta().map(|m| m.id().to_string()) {
            self.set_mark_with_group(Mark::Read, &id, true);
        }
    }

    pub(super) fn back(&mut self) {
        match self.focus {
            Focus::Reader => self.focus = Focus::List,
            Focus::List if self.related.is_some() => self.leave_related(),
            Focus::List if !self.search.query.is_empty() => self.cancel_search(),
            Focus::List => {}
        }
    }

    pub(super) fn switch_focus(&mut self) {
        match self.focus {
            Focus::List => self.open_selected(),
            Focus::Reader => self.focus = Focus::List,
        }
    }

    pub(super) fn step_story(&mut self, delta: isize) {
        let Some(target) = self
            .selected()
            .checked_add_signed(delta)
            .filter(|&t| t < self.visible().len())
        else {
            return self.message("No more stories", false);
        };
        self.select(target);
        self.mark_selected_read();
    }

    pub(super) fn scroll_reader(&mut self, action: Action) {
        let height = self.reader_height();
        let Some(reader) = self.reader.as_mut() else {
            return;
        };
        let half = (height / 2).max(1) as isize;
        let page = height.saturating_sub(1).max(1) as isize;
        match action {
            Action::Down => reader.scroll_by(1, height),
            Action::Up => reader.scroll_by(-1, height),
            Action::HalfPageDown => reader.scroll_by(half, height),
            Action::HalfPageUp => reader.scroll_by(-half, height),
            Action::PageDown => reader.scroll_by(page, height),
            Action::PageUp => reader.scroll_by(-page, height),
            Action::Top => reader.scroll_to_top(),
            _ => reader.scroll_to_bottom(height),
        }
        self.record_position();
    }

    /// Back to the cleaned text, or ask for the file as it is on disk (it
    /// is shown once read, see [`App::wants_body`]).
    pub(super) fn toggle_raw(&mut self) {
        if self.visible().is_empty() {
            return self.message("No story selected", true);
        }
        self.focus = Focus::Reader;
        let index = self.selected_index();
        match self.reader.as_mut().filter(|r| Some(r.index) == index) {
            Some(reader) if reader.showing_raw() => reader.show_cleaned(),
            _ => self.raw_wanted = index,
        }
    }

    /// Whether the reader pane is on screen.
    pub(super) fn reader_shown(&self) -> bool {
        self.area.width >= layout::WIDE || self.focus == Focus::Reader
    }

    /// Close the reader when it shows another story than the selected one:
    /// the selected story's body is then asked for (see
    /// [`App::wants_body`]), and only the open story is kept.
    pub(super) fn sync_reader(&mut self) {
        let index = self.selected_index();
        if self.reader.as_ref().is_some_and(|r| Some(r.index) != index) && self.reader_shown() {
            self.reader = None;
        }
        if index.is_none() {
            self.reader = None;
        }
    }
}
