//! Bookmarks and read marks, by article id.
//!
//! Every change goes through [`Marks::set`], which also queues a
//! [`MarkChange`]; whatever persists marks drains the queue with
//! [`Marks::take_changes`] and seeds a new session with [`Marks::new`]. The
//! app and the UI never need to know whether or where marks are stored.

use crate::search;
use std::collections::HashSet;

/// The marks a story can carry. One enum for the app, the store's
/// bridge and the engine's `is:` filters alike: it lives with the query
/// language (which the app may use and which may not use the app) and is
/// named here too, beside the marks it keys.
pub use crate::search::Mark;

/// One mark switched on or off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkChange {
    pub mark: Mark,
    pub id: String,
    pub on: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    bookmarks: HashSet<String>,
    read: HashSet<String>,
    changes: Vec<MarkChange>,
}

impl Marks {
    /// Marks as stored: nothing is queued as a change.
    pub fn new(
        bookmarks: impl IntoIterator<Item = String>,
        read: impl IntoIterator<Item = String>,
    ) -> Self {
        Self {
            bookmarks: bookmarks.into_iter().collect(),
            read: read.into_iter().collect(),
            changes: Vec::new(),
        }
    }

    /// The ids carrying `mark`. Being left part-way is not kept here but
    /// in the reading positions (see [`QueryMarks`]): none carry it here.
    fn set_of(&self, mark: Mark) -> &HashSet<String> {
        static NONE: std::sync::OnceLock<HashSet<String>> = std::sync::OnceLock::new();
        match mark {
            Mark::Bookmarked => &self.bookmarks,
            Mark::Read => &self.read,
            Mark::Started => NONE.get_or_init(HashSet::new),
        }
    }

    pub fn has(&self, mark: Mark, id: &str) -> bool {
        self.set_of(mark).contains(id)
    }

    /// Switch a mark on or off; a real change is queued for persistence.
    pub fn set(&mut self, mark: Mark, id: &str, on: bool) {
        if self.set_stored(mark, id, on) {
            self.changes.push(MarkChange {
                mark,
                id: id.to_string(),
                on,
            });
        }
    }

    /// Switch a mark on or off as stored elsewhere: nothing is queued.
    /// Returns whether it changed.
    pub fn set_stored(&mut self, mark: Mark, id: &str, on: bool) -> bool {
        let set = match mark {
            Mark::Bookmarked => &mut self.bookmarks,
            Mark::Read => &mut self.read,
            // Positions are set by reading, not as a mark.
            Mark::Started => return false,
        };
        if on {
            set.insert(id.to_string())
        } else {
            set.remove(id)
        }
    }

    /// Flip a mark and return its new state.
    pub fn toggle(&mut self, mark: Mark, id: &str) -> bool {
        let on = !self.has(mark, id);
        self.set(mark, id, on);
        on
    }

    /// Every id carrying `mark` (for search filters such as `is:read`).
    pub fn ids(&self, mark: Mark) -> impl Iterator<Item = &str> {
        self.set_of(mark).iter().map(String::as_str)
    }

    pub fn count(&self, mark: Mark) -> usize {
        self.set_of(mark).len()
    }

    /// The changes since the last call, oldest first.
    pub fn take_changes(&mut self) -> Vec<MarkChange> {
        std::mem::take(&mut self.changes)
    }
}

/// The search engine's `is:` filters ask which ids carry a mark; the app's
/// marks answer, so its caller hands them to the engine as they are.
impl search::Marks for Marks {
    fn ids(&self, mark: Mark) -> Vec<String> {
        Marks::ids(self, mark).map(str::to_string).collect()
    }
}

/// What the engine's `is:` filters read: the marks, and the reading
/// positions for `is:started`.
#[derive(Debug, Clone, Copy)]
pub struct QueryMarks<'a> {
    pub marks: &'a Marks,
    pub positions: &'a super::positions::Positions,
}

impl search::Marks for QueryMarks<'_> {
    fn ids(&self, mark: Mark) -> Vec<String> {
        match mark {
            Mark::Started => self.positions.ids().map(str::to_string).collect(),
            mark => search::Marks::ids(self.marks, mark),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_changes_are_queued() {
        let mut m = Marks::new(["a".to_string()], []);
        m.set(Mark::Bookmarked, "a", true);
        assert!(m.take_changes().is_empty());
        assert!(!m.toggle(Mark::Bookmarked, "a"));
        assert!(m.toggle(Mark::Read, "b"));
        let changes = m.take_changes();
        assert_eq!(changes.len(), 2);
        assert_eq!(
            changes[1],
            MarkChange {
                mark: Mark::Read,
                id: "b".into(),
                on: true
            }
        );
        assert!(m.take_changes().is_empty());
    }
}
