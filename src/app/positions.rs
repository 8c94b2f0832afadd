//! Where each story was left: the paragraph at the top of the reader.
//!
//! Like [`super::marks::Marks`], every change is queued for whatever
//! persists it ([`Positions::take_changes`]), and a session starts from the
//! stored positions without queuing anything ([`Positions::new`]). Each
//! position also remembers how recently it was set, so "continue reading"
//! lists the story left last at the top.

use std::collections::HashMap;

/// One article's position changed; paragraph 0 means back at the top.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositionChange {
    pub id: String,
    pub paragraph: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Positions {
    /// Paragraph and recency (higher is more recent), by article id.
    by_id: HashMap<String, (usize, u64)>,
    next: u64,
    changes: Vec<PositionChange>,
}

impl Positions {
    /// Positions as stored, most recently set first; nothing is queued.
    pub fn new(most_recent_first: impl IntoIterator<Item = (String, usize)>) -> Self {
        let list: Vec<(String, usize)> = most_recent_first.into_iter().collect();
        let n = list.len() as u64;
        let by_id = list
            .into_iter()
            .enumerate()
            .filter(|(_, (_, p))| *p > 0)
            .map(|(i, (id, p))| (id, (p, n - i as u64)))
            .collect();
        Self {
            by_id,
            next: n + 1,
            changes: Vec::new(),
        }
    }

    /// The paragraph the story was left at, if not the top.
    pub fn get(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).map(|&(p, _)| p)
    }

    /// How recently the position was set: higher is more recent.
    pub fn recency(&self, id: &str) -> Option<u64> {
        self.by_id.get(id).map(|&(_, r)| r)
    }

    /// Every story left part-way (for the engine's `is:started`).
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.by_id.keys().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// Remember the paragraph at the top; 0 forgets the position. Only a
    /// real change is queued.
    pub fn set(&mut self, id: &str, paragraph: usize) {
        if self.get(id).unwrap_or(0) == paragraph {
            return;
        }
        if paragraph == 0 {
            self.by_id.remove(id);
        } else {
            self.by_id.insert(id.to_string(), (paragraph, self.next));
            self.next += 1;
        }
        self.changes.push(PositionChange {
            id: id.to_string(),
            paragraph,
        });
    }

    /// The changes since the last call, oldest first.
    pub fn take_changes(&mut self) -> Vec<PositionChange> {
        std::mem::take(&mut self.changes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_positions_keep_their_order_and_queue_nothing() {
        let mut p = Positions::new([("new".to_string(), 4), ("old".to_string(), 2)]);
        assert!(p.recency("new") > p.recency("old"));
        assert_eq!(p.get("old"), Some(2));
        assert!(p.take_changes().is_empty());
        p.set("old", 3);
        assert!(p.recency("old") > p.recency("new"), "set last, so newest");
        p.set("old", 3);
        p.set("new", 0);
        assert_eq!(p.get("new"), None);
        let changes = p.take_changes();
        assert_eq!(changes.len(), 2, "{changes:?}");
        assert_eq!(changes[1].paragraph, 0);
        assert_eq!(p.len(), 1);
    }
}
