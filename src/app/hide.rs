//! Hidden stories: the hide rules of the config ([`crate::hide`]) and
//! stories hidden by hand (`d`), left out of every view, search and "more
//! like this" until `H` lists them anyway, marked.
//!
//! The rules are answered by the search index as one set of ids under
//! [`MEMBERS_KEY`] (see [`super::members`]); the list turns that and the
//! stories hidden or shown by hand into one flag per story
//! ([`super::hidden`]) whenever either changes, and counts the hidden ones
//! as it is rebuilt, so nothing about hiding costs anything per frame.
//! Until the index first answers, stories the rules will hide are still
//! listed, and the header says the rules are being applied.
//!
//! A hide by hand is reading state: it goes through [`Marks::set_hide`],
//! whose queue the runtime saves before the frame shows it, and `z` undoes
//! it like a read mark.
//!
//! [`Marks::set_hide`]: super::marks::Marks::set_hide

use super::marks::Hide;
use super::undo::Change;
use super::{App, Focus};
use crate::hide::MEMBERS_KEY;
use crate::text::thousands;
use std::collections::HashSet;

/// The app's side of hiding.
#[derive(Debug, Default)]
pub(super) struct HideState {
    /// Hidden stories are listed anyway (`H`).
    shown: bool,
    /// The marks' generation when the rules were last asked, for rules
    /// with `is:` filters (`None`: ask again).
    asked_at: Option<u64>,
}

impl App {
    /// Ask the index for the stories the rules match, and say which rules
    /// were left out.
    pub(super) fn start_hide_rules(&mut self) {
        let problems = self.settings.hide_rules.problems();
        if !problems.is_empty() {
            let text = problems.join("; ");
            self.warn(&text);
        }
        self.ask_hide_rules();
    }

    fn ask_hide_rules(&mut self) {
        if self.settings.hide_rules.is_empty() {
            return;
        }
        self.hide.asked_at = Some(self.marks.generation());
        let queries = self.settings.hide_rules.queries().to_vec();
        self.ask_members(MEMBERS_KEY, queries);
    }

    /// Rules with `is:` filters are asked again once marks have changed,
    /// when the list has the focus: never under the story being read
    /// (opening it marks it read, and `is:read` would whisk it away).
    pub(super) fn refresh_hide_rules(&mut self) {
        let stale = self.hide.asked_at != Some(self.marks.generation());
        if stale && self.settings.hide_rules.uses_marks() && self.focus == Focus::List {
            self.ask_hide_rules();
        }
    }

    /// Stored marks replaced the app's: rules with `is:` filters are
    /// asked again.
    pub(super) fn forget_hide_rules_marks(&mut self) {
        self.hide.asked_at = None;
    }

    /// The stories the hide rules match, once the index has answered.
    pub(super) fn hide_rule_matches(&self) -> Option<&HashSet<String>> {
        match self.settings.hide_rules.is_empty() {
            true => None,
            false => self.members(MEMBERS_KEY),
        }
    }

    /// Stories hidden or shown by hand since the last call, for
    /// persistence.
    pub fn take_hide_changes(&mut self) -> Vec<super::marks::HideChange> {
        self.marks.take_hide_changes()
    }

    /// Whether hidden stories are listed anyway (`H`).
    pub fn hidden_shown(&self) -> bool {
        self.hide.shown
    }

    /// Whether the story at library `index` is hidden (listed only while
    /// hidden stories are shown).
    pub fn is_hidden(&self, index: usize) -> bool {
        self.list.is_hidden(index)
    }

    /// Hidden stories among those the view and search would list.
    pub fn hidden_count(&self) -> usize {
        self.list.hidden_count()
    }

    /// What the header says about hidden stories: `12 hidden` (`so far`
    /// while the index is still being built), `, shown` when `H` lists
    /// them, `applying hide rules` until the index first answers; nothing
    /// when there is nothing to say.
    pub fn hidden_note(&self) -> Option<String> {
        let rules = !self.settings.hide_rules.is_empty() && self.engine_failure().is_none();
        let count = self.hidden_count();
        let shown = if self.hide.shown { ", shown" } else { "" };
        if rules && self.hide_rule_matches().is_none() {
            return Some(format!("applying hide rules{shown}"));
        }
        if count == 0 && !self.hide.shown {
            return None;
        }
        let building = rules && self.indexing_text().is_some();
        let so_far = if building { " so far" } else { "" };
        Some(format!("{} hidden{so_far}{shown}", thousands(count)))
    }

    /// `H`: list hidden stories anyway, or leave them out again.
    pub(super) fn toggle_show_hidden(&mut self) {
        self.hide.shown = !self.hide.shown;
        self.refilter_in_place();
        let text = match self.hide.shown {
            true => "Hidden stories shown (dimmed)",
            false => "Hidden stories left out",
        };
        self.message(text, false);
    }

    /// `d`: hide the selected story; on a hidden one (listed with `H`),
    /// show it again, even when a rule matches it. In the reader, the next
    /// story takes its place, or the list when it was the last.
    pub(super) fn hide_selected(&mut self) {
        if self.selected_missing().is_some() {
            return self.message("This story is missing from the library", true);
        }
        let Some(index) = self.selected_index() else {
            return self.message("No story selected", true);
        };
        let id = self.library.articles()[index].id().to_string();
        let by_rule = self.hide_rule_matches().is_some_and(|r| r.contains(&id));
        let hide = match (self.list.is_hidden(index), by_rule) {
            (false, false) => Some(Hide::Hidden),
            // Shown by hand: the rule decides again.
            (false, true) => None,
            (true, false) => None,
            (true, true) => Some(Hide::Shown),
        };
        let (hidden, row) = (!self.list.is_hidden(index), self.selected());
        self.set_hide_recorded(&id, hide, hidden);
        self.message(if hidden { "Hidden" } else { "Unhidden" }, false);
        if self.focus == Focus::Reader && self.selected_index() != Some(index) {
            self.after_hiding_the_open_story(row);
        }
    }

    /// The open story at `row` left the list: the next story, which took
    /// its row, is opened; after the last one, back to the list.
    fn after_hiding_the_open_story(&mut self, row: usize) {
        if row < self.visible().len() {
            self.mark_selected_read();
        } else {
            self.focus = Focus::List;
        }
    }

    /// Hide or show the story `id` by hand (`hidden`: whether it is hidden
    /// now), remembering how it was for `z`.
    fn set_hide_recorded(&mut self, id: &str, hide: Option<Hide>, hidden: bool) {
        let before = self.marks.hide(id);
        self.undo.push(Change::Hide {
            id: id.to_string(),
            title: self.title_of(id),
            before,
            hidden,
        });
        self.set_hide(id, hide);
    }

    /// `z` on a hide: put it back, and select the story when it is listed
    /// again, where the user left it.
    pub(super) fn undo_hide(&mut self, id: &str, before: Option<Hide>) {
        self.set_hide(id, before);
        let articles = self.library.articles();
        if let Some(row) = self.visible().iter().position(|&i| articles[i].id() == id) {
            self.select(row);
        }
    }

    /// Hide or show `id` by hand (or leave it to the rules) and list again.
    pub(super) fn set_hide(&mut self, id: &str, hide: Option<Hide>) {
        self.marks.set_hide(id, hide);
        self.rehide();
    }

    /// Which stories are hidden, again (the rules answered, a story was
    /// hidden or shown by hand, the library was reordered), and the list
    /// rebuilt in place.
    pub(super) fn rehide(&mut self) {
        self.rehide_flags();
        self.refilter_in_place();
    }

    /// Which stories are hidden, again, without rebuilding the list.
    pub(super) fn rehide_flags(&mut self) {
        let mut list = std::mem::take(&mut self.list);
        list.rehide(&self.filter());
        self.list = list;
    }

    /// Rebuild the list keeping the selected story, or, when it has left
    /// the list, the row it was on (the next story takes its place), and
    /// the scroll.
    fn refilter_in_place(&mut self) {
        let (keep, row, offset) = (self.selected_index(), self.selected(), self.list_offset());
        self.refilter(keep);
        if self.selected_index() != keep {
            self.select(row);
        }
        self.list.restore_offset(offset);
    }
}
