//! Which stories are hidden, by library position: one flag per story, so
//! the list asks it on every rebuild without reading a story's id or
//! hashing anything. The flags are made from the hide rules' answer and
//! the stories hidden or shown by hand ([`hidden_by`]) when either changes
//! or the library is reordered, in time proportional to the hidden stories
//! (each found by id through the list's [`super::id_index::IdIndex`]), and
//! grown one story at a time as the library loads.

use super::marks::{Hide, Marks};
use std::collections::HashSet;

/// Whether the story `id` is hidden: by hand, or by a rule unless it was
/// shown by hand.
pub fn hidden_by(marks: &Marks, rules: Option<&HashSet<String>>, id: &str) -> bool {
    match marks.hide(id) {
        Some(Hide::Hidden) => true,
        Some(Hide::Shown) => false,
        None => rules.is_some_and(|r| r.contains(id)),
    }
}

/// One flag per library position.
#[derive(Debug, Default, Clone)]
pub struct HiddenFlags {
    flags: Vec<bool>,
    /// Some flag is set: with none, nothing is looked up at all.
    any: bool,
}

impl HiddenFlags {
    /// Whether the story at `index` is hidden.
    pub fn get(&self, index: usize) -> bool {
        self.any && self.flags.get(index).copied().unwrap_or(false)
    }

    /// Flags for `len` stories, set at each of `hidden` (out of range
    /// positions are ignored).
    pub fn rebuild(&mut self, len: usize, hidden: impl IntoIterator<Item = (usize, bool)>) {
        self.flags.clear();
        self.flags.resize(len, false);
        for (index, on) in hidden {
            if let Some(flag) = self.flags.get_mut(index) {
                *flag = on;
            }
        }
        self.any = self.flags.contains(&true);
    }

    /// The story at `index` (a story joining the library).
    pub fn set(&mut self, index: usize, hidden: bool) {
        if index >= self.flags.len() {
            self.flags.resize(index + 1, false);
        }
        self.flags[index] = hidden;
        self.any |= hidden;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_story_shown_by_hand_beats_a_rule_and_one_hidden_by_hand_needs_none() {
        let marks = Marks::default().with_hides([
            ("shown".to_string(), Hide::Shown),
            ("hidden".to_string(), Hide::Hidden),
        ]);
        let rules: HashSet<String> = ["shown", "ruled"].map(String::from).into();
        assert!(!hidden_by(&marks, Some(&rules), "shown"));
        assert!(hidden_by(&marks, Some(&rules), "ruled"));
        assert!(hidden_by(&marks, None, "hidden"));
        assert!(!hidden_by(&marks, None, "ruled"), "no answer yet");
        assert!(!hidden_by(&marks, Some(&rules), "other"));
    }

    #[test]
    fn flags_follow_rebuilds_and_pushes() {
        let mut flags = HiddenFlags::default();
        flags.rebuild(3, [(1, true), (9, true), (2, false)]);
        assert_eq!(
            (0..4).map(|i| flags.get(i)).collect::<Vec<_>>(),
            [false, true, false, false]
        );
        flags.set(3, true);
        assert!(flags.get(3));
        flags.set(1, false);
        assert!(!flags.get(1));
        flags.rebuild(4, []);
        assert!(!flags.get(1) && !flags.get(3));
    }
}
