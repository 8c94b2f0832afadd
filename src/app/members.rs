//! Every story matching a query, unranked: what hide rules and saved
//! views are made of. The app never runs a query itself: it asks under a
//! key ([`App::ask_members`]), the runtime hands the ask to the search
//! engine's own thread ([`App::take_member_requests`]), and the answer
//! comes back as [`super::Event::Members`], replacing the key's last one.

use super::App;
use std::collections::{HashMap, HashSet};

/// The newest answer per key, and the asks not yet taken.
#[derive(Debug, Default)]
pub(super) struct MemberSets {
    answers: HashMap<String, HashSet<String>>,
    /// Keys asked and not forgotten: an answer for any other is stale.
    live: HashSet<String>,
    /// Asks in the order made, one per key (a newer ask replaces an older
    /// one still waiting).
    requests: Vec<(String, Vec<String>)>,
}

impl MemberSets {
    fn ask(&mut self, key: &str, queries: Vec<String>) {
        if queries.is_empty() {
            self.live.remove(key);
            self.answers.remove(key);
        } else {
            self.live.insert(key.to_string());
        }
        self.requests.retain(|(k, _)| k != key);
        self.requests.push((key.to_string(), queries));
    }

    /// Keep `ids` as `key`'s answer; false for a key no longer asked.
    fn answer(&mut self, key: String, ids: Vec<String>) -> bool {
        if !self.live.contains(&key) {
            return false;
        }
        self.answers.insert(key, ids.into_iter().collect());
        true
    }
}

impl App {
    /// The ids of the stories matching what was asked under `key`, as last
    /// answered; `None` until the first answer.
    pub fn members(&self, key: &str) -> Option<&HashSet<String>> {
        self.members.answers.get(key)
    }

    /// Ask for every story matching any of `queries`, under `key`. An
    /// empty `queries` forgets the key, and its answer with it.
    pub fn ask_members(&mut self, key: &str, queries: Vec<String>) {
        self.members.ask(key, queries);
    }

    /// The asks made since the runtime last took them: each key and its
    /// queries, for the search engine ([`crate::search::worker::Finder::members`]).
    pub fn take_member_requests(&mut self) -> Vec<(String, Vec<String>)> {
        std::mem::take(&mut self.members.requests)
    }

    /// The engine's answer for `key`. An answer for a key no longer asked
    /// (forgotten since) is dropped.
    pub(super) fn apply_members(&mut self, key: String, ids: Vec<String>) {
        if self.members.answer(key.clone(), ids) {
            self.members_changed(&key);
        }
    }

    /// An answer changed what the list may show: rebuild it, keeping the
    /// selection.
    fn members_changed(&mut self, key: &str) {
        // A view's unread count changes no list: it is read when drawn.
        if super::views::is_count_key(key) {
            return;
        }
        if key == crate::hide::MEMBERS_KEY {
            return self.rehide();
        }
        let keep = self.selected_index();
        self.refilter(keep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newer_ask_replaces_a_waiting_one_and_forgetting_drops_the_answer() {
        let mut sets = MemberSets::default();
        sets.ask("hide", vec!["a".into()]);
        sets.ask("view", vec!["b".into()]);
        sets.ask("hide", vec!["c".into()]);
        let keys: Vec<_> = sets
            .requests
            .iter()
            .map(|(k, q)| (k.as_str(), q[0].as_str()))
            .collect();
        assert_eq!(keys, [("view", "b"), ("hide", "c")]);
        assert!(sets.answer("hide".into(), vec!["1".into()]));
        assert!(sets.answers["hide"].contains("1"));
        sets.ask("hide", Vec::new());
        assert!(!sets.answers.contains_key("hide"));
        assert!(
            !sets.answer("hide".into(), vec!["2".into()]),
            "stale answer kept"
        );
        assert!(!sets.answer("never".into(), Vec::new()));
    }
}
