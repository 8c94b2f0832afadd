//! The members thread: every article matching a set of queries, unranked
//! and without a limit, for hide rules and saved views.
//!
//! It is apart from the searcher because its answers can be long (tens of
//! thousands of ids, each read from the document store): a search typed
//! meanwhile is answered by the searcher without waiting behind it. Each
//! ask has a key (what it is for); only the newest ask per key is kept,
//! and every key asked is answered again after each commit while the
//! index grows, so answers fill in during a first build.

use super::{Event, Events, MarkSets, Report, Slot, Work, current};
use crate::search::{self, SearchError, SearchIndex};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::mpsc::{Receiver, Sender};

/// What the members thread is told.
#[derive(Debug)]
pub(super) enum Ask {
    /// Every article matching any of `queries`, answered as
    /// [`Event::Members`] under `key`; no queries forgets the key.
    Members {
        key: String,
        queries: Vec<String>,
        marks: MarkSets,
    },
    /// The index has new commits (or has just opened): answer every key
    /// again.
    Refreshed,
}

/// The queries of one key, and the marks for their `is:` filters.
#[derive(Debug, Clone)]
struct Asked {
    queries: Vec<String>,
    marks: MarkSets,
}

pub(super) struct Members {
    slot: Slot,
    events: Events,
    damaged: Sender<Work>,
    /// Every key still asked, to answer again when the index grows.
    asked: BTreeMap<String, Asked>,
}

impl Members {
    pub(super) fn new(slot: Slot, events: Events, damaged: Sender<Work>) -> Self {
        Self {
            slot,
            events,
            damaged,
            asked: BTreeMap::new(),
        }
    }

    pub(super) fn run(mut self, rx: &Receiver<Ask>) {
        while let Ok(first) = rx.recv() {
            let due = self.take_in(first, rx);
            for key in due {
                if !self.answer(&key) {
                    return;
                }
            }
        }
    }

    /// Take in everything waiting; the keys to answer now.
    fn take_in(&mut self, first: Ask, rx: &Receiver<Ask>) -> BTreeSet<String> {
        let mut due = BTreeSet::new();
        let mut next = Some(first);
        while let Some(ask) = next {
            match ask {
                Ask::Members {
                    key,
                    queries,
                    marks,
                } => {
                    self.asked.insert(key.clone(), Asked { queries, marks });
                    due.insert(key);
                }
                Ask::Refreshed => due.extend(self.asked.keys().cloned()),
            }
            next = rx.try_recv().ok();
        }
        due
    }

    /// Answer `key`; false when the app has gone. A key with no queries is
    /// answered once, with no ids, and forgotten.
    fn answer(&mut self, key: &str) -> bool {
        let Some(asked) = self.asked.get(key) else {
            return true;
        };
        if asked.queries.is_empty() {
            self.asked.remove(key);
            return self.events.deliver(Event::Members {
                key: key.to_string(),
                ids: Vec::new(),
            });
        }
        // Not open yet: the indexer says `Refreshed` once it is.
        let Some(index) = current(&self.slot) else {
            return true;
        };
        if !index.is_writable() {
            let _ = index.refresh();
        }
        let found = union(&index, asked);
        drop(index);
        match found {
            Ok(ids) => self.events.deliver(Event::Members {
                key: key.to_string(),
                ids,
            }),
            Err(SearchError::Corrupt(_, why)) => {
                let _ = self.damaged.send(Work::Damaged(why));
                true
            }
            Err(e) => self
                .events
                .deliver(Event::Indexing(Report::Notice(e.to_string()))),
        }
    }
}

/// The ids matching any of the queries, each once, in the order found.
fn union(index: &SearchIndex, asked: &Asked) -> Result<Vec<String>, SearchError> {
    let mut seen = HashSet::new();
    let mut ids = Vec::new();
    for query in &asked.queries {
        for id in index.members(&search::parse(query), &asked.marks)? {
            if seen.insert(id.clone()) {
                ids.push(id);
            }
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::mpsc::channel;

    fn members() -> Members {
        let (tx, _) = channel::<Event>();
        let (damaged, _) = channel();
        Members::new(Arc::default(), Arc::new(tx), damaged)
    }

    fn ask(key: &str, query: &str) -> Ask {
        Ask::Members {
            key: key.into(),
            queries: vec![query.into()],
            marks: MarkSets::default(),
        }
    }

    #[test]
    fn the_newest_ask_per_key_wins_and_a_commit_answers_every_key_again() {
        let mut m = members();
        let (tx, rx) = channel();
        tx.send(ask("hide", "title:new")).unwrap();
        let due = m.take_in(ask("hide", "title:old"), &rx);
        assert_eq!(due.into_iter().collect::<Vec<_>>(), ["hide"]);
        assert_eq!(m.asked["hide"].queries, ["title:new"]);
        m.take_in(ask("view", "tech"), &rx);
        let due = m.take_in(Ask::Refreshed, &rx);
        assert_eq!(due.into_iter().collect::<Vec<_>>(), ["hide", "view"]);
    }
}
