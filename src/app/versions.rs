//! Near-duplicate groups in the list and the reader: one row per group
//! (see [`super::group_rows`]), `x` to list a group's other versions under
//! it, `v`/`V` in the reader to move between versions, marking a story
//! read marking its group, and `X` to turn grouping off for the session.
//! Bookmarks and "continue reading" are about single articles, so they
//! are never folded.

use super::App;
use super::group_rows::GroupRow;
use super::marks::Mark;
use crate::library::groups::Groups;

impl App {
    /// Whether near-duplicates are grouped now: the config, unless `X`
    /// switched it for the session.
    pub fn grouping_on(&self) -> bool {
        self.settings.group_duplicates != self.groups.toggled
    }

    /// The groups the list folds: none while grouping is off, and none in
    /// the views that are about single articles.
    pub(super) fn folded_groups(&self) -> Option<&Groups> {
        let per_article = self.view().per_article();
        (self.grouping_on() && !per_article).then(|| self.groups())
    }

    /// How the story at library `index` is listed, when it leads or is
    /// one of a group's rows.
    pub fn group_row(&self, index: usize) -> Option<GroupRow> {
        self.list.group_row(index)
    }

    /// How many other versions the story with this id has (0 while
    /// grouping is off).
    pub fn other_versions(&self, id: &str) -> usize {
        if !self.grouping_on() {
            return 0;
        }
        self.groups().members(id).len().saturating_sub(1)
    }

    /// The groups changed (or were switched on or off): the list is folded
    /// again with the same story selected and the same rows on screen.
    pub(super) fn regroup_list(&mut self) {
        if self.related.is_some() {
            return;
        }
        let (keep, offset) = (self.selected_index(), self.list_offset());
        self.refilter(keep);
        self.list.restore_offset(offset);
    }

    /// `x`: list the selected group's other versions under it, or fold them
    /// again (from any of its rows; the selection goes to the group's row).
    pub(super) fn expand_group(&mut self) {
        let Some(index) = self.selected_index() else {
            return self.message("No story selected", true);
        };
        let Some(row) = self.group_row(index) else {
            return self.message("This story has no other versions here", false);
        };
        let id = self.library.articles()[index].id();
        let Some(group) = self.groups().group_id(id).map(str::to_string) else {
            return;
        };
        let expand = matches!(
            row,
            GroupRow::Head {
                expanded: false,
                ..
            }
        );
        if expand {
            self.groups.expanded.insert(group);
        } else {
            self.groups.expanded.remove(&group);
        }
        self.regroup_list();
    }

    /// `v`/`V` in the reader: the next or previous version of the open
    /// story, as listed under its group's row (expanding the group).
    pub(super) fn step_version(&mut self, delta: isize) {
        let Some(index) = self.selected_index() else {
            return self.message("No story selected", true);
        };
        if let Some(GroupRow::Head {
            expanded: false, ..
        }) = self.group_row(index)
        {
            self.expand_group();
        }
        let Some((first, count)) = self.version_rows() else {
            return self.message("This story has no other versions here", false);
        };
        let at = self.selected() - first;
        let Some(target) = at.checked_add_signed(delta).filter(|&t| t < count) else {
            return self.message("No more versions", false);
        };
        self.select(first + target);
        self.mark_selected_read();
        let text = format!("Version {} of {count}", target + 1);
        self.message(&text, false);
    }

    /// The rows of the selected story's expanded group: the first row's
    /// position and how many there are.
    fn version_rows(&self) -> Option<(usize, usize)> {
        let visible = self.visible();
        let head = (0..=self.selected())
            .rev()
            .find(|&p| matches!(self.group_row(visible[p]), Some(GroupRow::Head { .. })))?;
        let Some(GroupRow::Head {
            others,
            expanded: true,
        }) = self.group_row(visible[head])
        else {
            return None;
        };
        (others > 0 && self.selected() <= head + others).then_some((head, others + 1))
    }

    /// `X`: group near-duplicates or list every version, for this session.
    pub(super) fn toggle_groups(&mut self) {
        self.groups.toggled = !self.groups.toggled;
        self.regroup_list();
        // Short: the status bar shares 40 columns with the help hint.
        let text = if self.grouping_on() {
            "Grouping on: one row per story"
        } else {
            "Grouping off: every version"
        };
        self.message(text, false);
    }

    /// Set `mark` on the story with this id and, for the read mark when the
    /// config says so, on its other versions (bookmarks stay per article).
    /// The change is recorded as one step for `z` (see [`super::undo`]).
    pub(super) fn set_mark_with_group(&mut self, mark: Mark, id: &str, on: bool) {
        let grouped = mark == Mark::Read && self.settings.read_marks_group && self.grouping_on();
        let others: Vec<String> = match grouped {
            true => self
                .groups()
                .members(id)
                .iter()
                .map(|m| m.id().to_string())
                .collect(),
            false => Vec::new(),
        };
        self.set_marks_recorded(mark, id, &others, on);
    }
}
