//! Bookmarks, read marks and stories hidden (or shown) by hand, by
//! article id.
//!
//! Every change goes through [`Marks::set`] (or [`Marks::set_hide`]), which
//! also queues a [`MarkChange`] (a [`HideChange`]); whatever persists marks
//! drains the queues with [`Marks::take_changes`] and
//! [`Marks::take_hide_changes`] and seeds a new session with [`Marks::new`]
//! and [`Marks::with_hides`]. The app and the UI never need to know
//! whether or where marks are stored.

use crate::search;
use std::collections::{HashMap, HashSet};

/// What the user decided about hiding a story, over the hide rules.
pub use crate::store::Hide;

/// A story hidden or shown by hand, or (`hide: None`) left to the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HideChange {
    pub id: String,
    pub hide: Option<Hide>,
}

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
    /// Stories hidden or shown by hand (few: a key press each).
    hides: HashMap<String, Hide>,
    hide_changes: Vec<HideChange>,
    /// Goes up with every change to a bookmark or read mark, so what
    /// depends on them (hide rules with `is:` filters) knows to look again.
    generation: u64,
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
            ..Self::default()
        }
    }

    /// With the stories hidden or shown by hand, as stored.
    pub fn with_hides(mut self, hides: impl IntoIterator<Item = (String, Hide)>) -> Self {
        self.hides = hides.into_iter().collect();
        self
    }

    /// Whether the story was hidden or shown by hand.
    pub fn hide(&self, id: &str) -> Option<Hide> {
        self.hides.get(id).copied()
    }

    /// Every story hidden or shown by hand.
    pub fn hides(&self) -> impl Iterator<Item = (&str, Hide)> {
        self.hides.iter().map(|(id, &h)| (id.as_str(), h))
    }

    /// Hide or show a story by hand, or leave it to the rules; a real
    /// change is queued for persistence.
    pub fn set_hide(&mut self, id: &str, hide: Option<Hide>) {
        let before = match hide {
            Some(h) => self.hides.insert(id.to_string(), h),
            None => self.hides.remove(id),
        };
        if before != hide {
            self.hide_changes.push(HideChange {
                id: id.to_string(),
                hide,
            });
        }
    }

    /// The hide changes since the last call, oldest first.
    pub fn take_hide_changes(&mut self) -> Vec<HideChange> {
        std::mem::take(&mut self.hide_changes)
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
        let changed = if on {
            set.insert(id.to_string())
        } else {
            set.remove(id)
        };
        self.generation += u64::from(changed);
        changed
    }

    /// Changes with every bookmark or read mark switched.
    pub fn generation(&self) -> u64 {
        self.generation
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

    #[test]
    fn only_real_hide_changes_are_queued() {
        let mut m = Marks::default().with_hides([("a".to_string(), Hide::Hidden)]);
        m.set_hide("a", Some(Hide::Hidden));
        assert!(m.take_hide_changes().is_empty());
        m.set_hide("a", Some(Hide::Shown));
        m.set_hide("b", None);
        m.set_hide("a", None);
        let changes = m.take_hide_changes();
        let hides: Vec<_> = changes.iter().map(|c| (c.id.as_str(), c.hide)).collect();
        assert_eq!(hides, [("a", Some(Hide::Shown)), ("a", None)]);
        assert_eq!(m.hide("a"), None);
    }
}
