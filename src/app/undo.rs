//! Undo (`z`): the last changes to reading state, several steps deep.
//!
//! Each change the user makes to reading state is recorded as what it
//! replaced (a [`Change`]). Undoing sets that back through
//! [`super::marks::Marks::set`], the path every change takes (a missing
//! story's bookmark, which has no story to mark, through
//! [`App::take_restored_bookmarks`]), so the runtime saves an undo exactly
//! as it saved the change: on disk before the frame shows it. Only the
//! history is lost at exit, never the state.
//! Reading positions are where the reader is, not a change to undo.

use super::App;
use super::marks::{Hide, Mark, MarkChange};
use crate::store::Bookmark;
use std::collections::VecDeque;

/// How many changes can be undone; past it, the oldest is forgotten.
pub const DEPTH: usize = 100;

/// One change to reading state, holding what it replaced. A new kind of
/// change is one more variant.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// One action switched `mark` to `on`: on a story, or on a story and
    /// its other versions. `before` holds each mark that moved, as it was
    /// (those already in the new state are left out, and stay as they are).
    Marks {
        mark: Mark,
        on: bool,
        /// The headline of the story the action was on.
        title: String,
        before: Vec<MarkChange>,
    },
    /// The bookmark of a story no longer in the library, removed from
    /// row `row` of the missing ones: put back as it was stored.
    MissingBookmark { bookmark: Bookmark, row: usize },
    /// A story hidden (`hidden`) or shown again by hand (`d`); `before` is
    /// what the user had decided about it before, if anything.
    Hide {
        id: String,
        title: String,
        before: Option<Hide>,
        hidden: bool,
    },
}

impl Change {
    /// What the change did, for "Undid: ..." (the headline last, where a
    /// narrow status bar cuts it).
    pub fn describe(&self) -> String {
        match self {
            Self::Marks {
                mark,
                on,
                title,
                before,
            } => describe_marks(*mark, *on, title, before.len()),
            Self::MissingBookmark { bookmark, .. } => {
                format!("bookmark removed from {}", bookmark.label())
            }
            Self::Hide { title, hidden, .. } => match hidden {
                true => format!("hid {title}"),
                false => format!("unhid {title}"),
            },
        }
    }
}

fn describe_marks(mark: Mark, on: bool, title: &str, stories: usize) -> String {
    let state = if on { "read" } else { "unread" };
    match mark {
        Mark::Read if stories > 1 => format!("marked {stories} stories {state}"),
        Mark::Read => format!("marked {state}: {title}"),
        Mark::Bookmarked if on => format!("bookmarked {title}"),
        Mark::Bookmarked => format!("bookmark removed from {title}"),
        Mark::Started => String::new(),
    }
}

/// The changes that can be undone, oldest first, at most [`DEPTH`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    changes: VecDeque<Change>,
}

impl History {
    pub fn push(&mut self, change: Change) {
        if self.changes.len() == DEPTH {
            self.changes.pop_front();
        }
        self.changes.push_back(change);
    }

    /// The story `old` is now `new` (its file was rewritten with its full
    /// text, `F`): earlier changes to it are undone on `new`.
    pub fn rename(&mut self, old: &str, new: &str) {
        for change in &mut self.changes {
            match change {
                Change::Marks { before, .. } => {
                    for was in before.iter_mut().filter(|was| was.id == old) {
                        was.id = new.to_string();
                    }
                }
                Change::Hide { id, .. } if id == old => *id = new.to_string(),
                _ => {}
            }
        }
    }

    pub fn pop(&mut self) -> Option<Change> {
        self.changes.pop_back()
    }

    pub fn len(&self) -> usize {
        self.changes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

impl App {
    /// How many changes `z` can still undo.
    pub fn undo_depth(&self) -> usize {
        self.undo.len()
    }

    /// Switch `mark` on the story `id` and on `others` (its other versions),
    /// and remember what moved, so `z` can put it back.
    pub(super) fn set_marks_recorded(&mut self, mark: Mark, id: &str, others: &[String], on: bool) {
        let mut before = Vec::new();
        for id in std::iter::once(id).chain(others.iter().map(String::as_str)) {
            if self.marks.has(mark, id) != on {
                self.marks.set(mark, id, on);
                before.push(MarkChange {
                    mark,
                    id: id.to_string(),
                    on: !on,
                });
            }
        }
        if before.is_empty() {
            return;
        }
        let title = self.title_of(id);
        self.undo.push(Change::Marks {
            mark,
            on,
            title,
            before,
        });
    }

    /// `z`: put back the last change, and say what was undone.
    pub(super) fn undo(&mut self) {
        let Some(change) = self.undo.pop() else {
            return self.message("Nothing to undo", false);
        };
        match &change {
            Change::Marks { mark, before, .. } => {
                for was in before {
                    self.marks.set(was.mark, &was.id, was.on);
                }
                self.note_mark_change(*mark);
            }
            Change::MissingBookmark { bookmark, row } => self.restore_missing(bookmark, *row),
            Change::Hide { id, before, .. } => self.undo_hide(id, *before),
        }
        self.message(&format!("Undid: {}", change.describe()), false);
    }

    /// A missing story's bookmark back in its row, and queued for the
    /// store to put back as it was (there is no story to bookmark anew).
    fn restore_missing(&mut self, bookmark: &Bookmark, row: usize) {
        self.marks
            .set_stored(Mark::Bookmarked, bookmark.key(), true);
        let row = row.min(self.missing.len());
        self.missing.insert(row, bookmark.clone());
        self.restored_bookmarks.push(bookmark.clone());
    }

    /// Bookmarks put back by undo since the last call, for persistence.
    pub fn take_restored_bookmarks(&mut self) -> Vec<Bookmark> {
        std::mem::take(&mut self.restored_bookmarks)
    }

    pub(super) fn title_of(&self, id: &str) -> String {
        let selected = self.selected_meta().filter(|m| m.id() == id);
        let meta = selected.or_else(|| {
            let articles = self.library.articles();
            articles.iter().map(|a| &**a).find(|a| a.id() == id)
        });
        meta.map_or_else(|| id.to_string(), |m| m.title().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(n: usize) -> Change {
        Change::Marks {
            mark: Mark::Read,
            on: true,
            title: format!("story {n}"),
            before: vec![MarkChange {
                mark: Mark::Read,
                id: n.to_string(),
                on: false,
            }],
        }
    }

    #[test]
    fn history_forgets_the_oldest_past_its_depth() {
        let mut history = History::default();
        for n in 0..DEPTH + 5 {
            history.push(change(n));
        }
        assert_eq!(history.len(), DEPTH);
        let mut last = None;
        while let Some(c) = history.pop() {
            last = Some(c);
        }
        assert_eq!(last, Some(change(5)));
    }

    #[test]
    fn descriptions_say_what_was_done() {
        assert_eq!(
            describe_marks(Mark::Read, true, "T", 3),
            "marked 3 stories read"
        );
        assert_eq!(
            describe_marks(Mark::Read, false, "T", 1),
            "marked unread: T"
        );
        assert_eq!(
            describe_marks(Mark::Bookmarked, false, "T", 1),
            "bookmark removed from T"
        );
        assert_eq!(
            describe_marks(Mark::Bookmarked, true, "T", 1),
            "bookmarked T"
        );
        let hide = |hidden| Change::Hide {
            id: "1".into(),
            title: "T".into(),
            before: None,
            hidden,
        };
        assert_eq!(hide(true).describe(), "hid T");
        assert_eq!(hide(false).describe(), "unhid T");
    }
}
