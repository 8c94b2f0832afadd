//! The app's side of saved state: bookmarks whose story is missing,
//! reading positions, and taking in what the store saved (at start, or
//! saved by another process). The files are [`crate::store`]'s, and
//! reaching them is [`crate::tui::persist`]'s business.

use super::App;
use super::marks::{Mark, Marks};
use super::positions::{PositionChange, Positions};
use super::undo::Change;
use crate::store::Bookmark;

impl App {
    /// Where each story was left.
    pub fn positions(&self) -> &Positions {
        &self.positions
    }

    /// What the engine's `is:` filters read: the marks, and the reading
    /// positions for `is:started`.
    pub fn query_marks(&self) -> super::marks::QueryMarks<'_> {
        super::marks::QueryMarks {
            marks: &self.marks,
            positions: &self.positions,
        }
    }

    /// Position changes since the last call, for persistence.
    pub fn take_position_changes(&mut self) -> Vec<PositionChange> {
        self.positions.take_changes()
    }

    /// Bookmarks whose story is not in the library (any view).
    pub fn missing(&self) -> &[Bookmark] {
        &self.missing
    }

    /// The missing bookmarks listed after the stories: only in the
    /// Bookmarks view, and not while a search or "more like this" narrows
    /// the list.
    pub fn missing_shown(&self) -> &[Bookmark] {
        if self.view().is_bookmarks() && self.search.query.is_empty() && self.related.is_none() {
            &self.missing
        } else {
            &[]
        }
    }

    /// Rows in the list: the stories, then any missing bookmarks shown.
    pub fn list_len(&self) -> usize {
        self.visible().len() + self.missing_shown().len()
    }

    /// The missing bookmark under the selection, if the selection is on one.
    pub fn selected_missing(&self) -> Option<&Bookmark> {
        let row = self.selected().checked_sub(self.visible().len())?;
        self.missing_shown().get(row)
    }

    /// Take in stored marks, positions and missing bookmarks without
    /// queuing them as changes. Drain [`App::take_mark_changes`] and
    /// [`App::take_position_changes`] first: unsaved changes are replaced.
    /// The list keeps its selection and, where it can, its scroll.
    pub(super) fn load_stored(
        &mut self,
        marks: Marks,
        positions: Positions,
        missing: Vec<Bookmark>,
    ) {
        self.marks = marks;
        self.positions = positions;
        self.missing = missing;
        self.forget_hide_rules_marks();
        self.rehide_flags();
        let offset = self.list_offset();
        self.refilter(self.selected_index());
        self.list.restore_offset(offset);
        self.try_resume();
        self.sync();
    }

    /// `b` on a missing bookmark removes it (it says so); `u` cannot mark
    /// a story that is not there.
    pub(super) fn toggle_missing(&mut self, mark: Mark) {
        let row = self.selected().saturating_sub(self.visible().len());
        if mark == Mark::Read || row >= self.missing.len() {
            return self.message("This story is missing from the library", true);
        }
        let bookmark = self.missing.remove(row);
        // Queue the removal even if the id was never among the marks.
        self.marks
            .set_stored(Mark::Bookmarked, bookmark.key(), true);
        self.marks.set(Mark::Bookmarked, bookmark.key(), false);
        self.undo.push(Change::MissingBookmark { bookmark, row });
        self.message("Bookmark of a missing story removed", false);
    }

    /// Remember the paragraph at the top of the reader for the open story.
    pub(super) fn record_position(&mut self) {
        let Some(reader) = self.reader.as_ref() else {
            return;
        };
        if let Some(paragraph) = reader.top_paragraph() {
            let id = reader.id.clone();
            self.positions.set(&id, paragraph);
        }
    }
}

/// What opening a missing bookmark says.
pub(super) fn missing_message(bookmark: &Bookmark) -> String {
    if bookmark.title.is_empty() {
        return format!("Missing: {} is no longer in the library", bookmark.path);
    }
    format!(
        "Missing: \"{}\" ({}) is no longer in the library",
        bookmark.title, bookmark.path
    )
}
