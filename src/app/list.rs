//! The story list: which stories are listed, in what order, which one is
//! selected and which rows are on screen. It is the one source of truth
//! for what is visible; the renderer draws the rows from [`StoryList::offset`]
//! as they are, without correcting them.
//!
//! The list is a view over the library: indices into `library.articles()`
//! that pass the current filter (all, bookmarks, unread, in progress) and
//! query, in the chosen [`SortOrder`] (the engine's ranked answers keep
//! their ranking). The selection is remembered as a position in that view, found
//! again by library index whenever the view is rebuilt, which stays valid
//! as articles are appended while the app runs, so background loading
//! never moves the cursor.
//!
//! Hidden stories (hide rules, or `d`) are left out of every view, search
//! and "more like this", unless they are shown anyway (`H`); how many were
//! left out is counted as the list is rebuilt, never per frame.

use super::feed_index::{FeedFilter, FeedIndex};
use super::group_rows::{self, GroupRow, Grouping};
use super::hidden::{HiddenFlags, hidden_by};
use super::id_index::IdIndex;
use super::marks::Marks;
use super::positions::Positions;
use super::{View, headlines};
use crate::action::Action;
use crate::article::ArticleMeta;
use crate::library::SortOrder;
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// What decides whether a story is listed, borrowed from the app.
pub(super) struct Filter<'a> {
    pub articles: &'a [Arc<ArticleMeta>],
    pub view: &'a View,
    /// The engine's answer for the view, when it needs one (`None`:
    /// not yet, or not needed).
    pub members: Option<&'a HashSet<String>>,
    pub marks: &'a Marks,
    pub positions: &'a Positions,
    pub sort: SortOrder,
    /// Only one feed or category, when set.
    pub feed: Option<&'a FeedFilter>,
    /// Near-duplicate groups to fold, when grouping applies to the view.
    pub groups: Option<&'a crate::library::groups::Groups>,
    /// The ids of the groups shown expanded.
    pub expanded: &'a HashSet<String>,
    /// The stories the hide rules match, once the index has answered.
    pub rules: Option<&'a HashSet<String>>,
    /// Hidden stories are listed anyway (`H`).
    pub show_hidden: bool,
}

impl Filter<'_> {
    /// Whether the story at `index` belongs to the view.
    fn in_view(&self, index: usize) -> bool {
        // The id only when the view needs it: reading it touches the
        // article's record, which the common view never has to.
        if self.view.is_everything() {
            return true;
        }
        let id = self.articles[index].id();
        self.view
            .admits(id, self.marks, self.positions, self.members)
    }
}

#[derive(Debug, Default)]
pub struct StoryList {
    /// Lowercased headline text per article, parallel to `library.articles()`.
    haystacks: headlines::Haystacks,
    /// The feed each article came from, parallel to `haystacks`.
    feeds: FeedIndex,
    /// Article positions by id, to place the engine's answers (ids)
    /// without going over the whole library on every keystroke; kept up
    /// to date as stories join, so no answer waits for it to be built.
    ids: IdIndex,
    /// Every article position in the sort order it was built for, so that
    /// filtering on each keystroke never sorts; dropped when the library
    /// changes.
    sorted: OnceCell<(SortOrder, Vec<usize>)>,
    /// Stories were appended at the end of `visible` since it was last
    /// put in order.
    unsettled: bool,
    /// The listed stories: indices into `library.articles()`.
    visible: Vec<usize>,
    /// Position of the selection in the list (stories, then any missing
    /// bookmarks shown after them).
    selected: usize,
    /// First list row shown.
    offset: usize,
    /// How each grouped story is listed, by library index (see
    /// [`group_rows`]); stories alone have no entry.
    group_rows: HashMap<usize, GroupRow>,
    /// Which stories are hidden, by library index.
    hidden: HiddenFlags,
    /// Hidden stories the view and query would otherwise list.
    hidden_count: usize,
}

impl StoryList {
    pub(super) fn new(
        articles: &[Arc<ArticleMeta>],
        news: Option<std::path::PathBuf>,
        feed_folders: &[std::path::PathBuf],
    ) -> Self {
        Self {
            haystacks: headlines::Haystacks::new(articles),
            feeds: FeedIndex::new(news, feed_folders, articles),
            ids: id_index(articles),
            ..Self::default()
        }
    }

    /// The feed each story came from.
    pub fn feeds(&self) -> &FeedIndex {
        &self.feeds
    }

    /// The listed stories, as indices into `library().articles()`.
    pub fn visible(&self) -> &[usize] {
        &self.visible
    }
    /// Position of the selection (0 when empty).
    pub fn selected(&self) -> usize {
        self.selected
    }
    /// The first row on screen.
    pub fn offset(&self) -> usize {
        self.offset
    }
    /// The selected story's index in the library.
    pub fn selected_index(&self) -> Option<usize> {
        self.visible.get(self.selected).copied()
    }
    /// How many hidden stories the view and query would list otherwise
    /// (listed or not, see [`Filter::show_hidden`]).
    pub fn hidden_count(&self) -> usize {
        self.hidden_count
    }
    /// Whether the story at library `index` is hidden.
    pub fn is_hidden(&self, index: usize) -> bool {
        self.hidden.get(index)
    }
    /// How the story at library `index` is listed, when it is grouped.
    pub fn group_row(&self, index: usize) -> Option<GroupRow> {
        self.group_rows.get(&index).copied()
    }

    // ---- following the library ----------------------------------------

    /// The library was reordered: every headline is read again.
    pub(super) fn reindex(&mut self, articles: &[Arc<ArticleMeta>]) {
        self.haystacks = headlines::Haystacks::new(articles);
        self.feeds.rebuild(articles);
        self.ids = id_index(articles);
        self.sorted.take();
    }

    /// The story at `index` changed in place.
    pub(super) fn replace(&mut self, index: usize, meta: &ArticleMeta) {
        self.haystacks.replace(index, meta);
        self.feeds.replace(index, meta);
        self.ids.insert(meta.id(), index);
        self.sorted.take();
    }

    /// The story at `index` joined the end of the library; it joins the
    /// list when it passes the filter and `terms` (`None` while the
    /// engine's ranked answer is shown, which places new stories itself).
    pub(super) fn append(&mut self, filter: &Filter, index: usize, terms: Option<&[String]>) {
        debug_assert_eq!(index, self.haystacks.len(), "appended out of order");
        self.haystacks.push(&filter.articles[index]);
        self.feeds.push(&filter.articles[index]);
        self.ids.insert(filter.articles[index].id(), index);
        self.sorted.take();
        let id = filter.articles[index].id();
        self.hidden
            .set(index, hidden_by(filter.marks, filter.rules, id));
        if terms.is_some_and(|terms| self.passes_unhidden(filter, index, terms))
            && self.admits_hidden(filter, index)
        {
            self.visible.push(index);
            self.unsettled |= filter.sort != SortOrder::Library;
        }
    }

    /// Which stories are hidden, again: the rules answered, a story was
    /// hidden or shown by hand, or the library was reordered.
    pub(super) fn rehide(&mut self, filter: &Filter) {
        let articles = filter.articles;
        let id_at = |i: usize| articles.get(i).map(|a| a.id());
        let by_rule = filter
            .rules
            .into_iter()
            .flatten()
            .map(|id| (id.as_str(), true));
        let by_hand = filter
            .marks
            .hides()
            .map(|(id, hide)| (id, hide == super::marks::Hide::Hidden));
        // By hand last: it overrides the rules.
        let flags = by_rule
            .chain(by_hand)
            .filter_map(|(id, on)| self.ids.find(id, id_at).map(|i| (i, on)));
        let flags: Vec<(usize, bool)> = flags.collect();
        self.hidden.rebuild(articles.len(), flags);
    }

    /// Put stories appended since the last call in their place in the
    /// order, keeping the same story selected. Once per load event, not
    /// per story: the list is already in order up to the new ones, which
    /// the sort merges in.
    pub(super) fn settle(&mut self, filter: &Filter) {
        if !std::mem::take(&mut self.unsettled) || filter.view.by_recency() {
            return;
        }
        let keep = self.selected_index();
        let articles = filter.articles;
        self.visible
            .sort_by(|&a, &b| filter.sort.compare(articles, a, b));
        if let Some(keep) = keep {
            self.selected = self.visible.iter().position(|&i| i == keep).unwrap_or(0);
        }
    }

    // ---- filtering and ranking ----------------------------------------

    /// Whether the story belongs to the view and matches `terms`, hidden
    /// or not.
    fn passes_unhidden(&self, filter: &Filter, index: usize, terms: &[String]) -> bool {
        filter.in_view(index)
            && self.feeds.admits(index, filter.feed)
            && headlines::matches(terms, self.haystacks.get(index))
    }

    /// Whether a story that passes is listed: not hidden, or hidden ones
    /// are shown. A hidden one is counted either way.
    fn admits_hidden(&mut self, filter: &Filter, index: usize) -> bool {
        if !self.hidden.get(index) {
            return true;
        }
        self.hidden_count += 1;
        filter.show_hidden
    }

    /// Rebuild the list for the view and `query`, or from the engine's
    /// `ranked` ids, keeping `keep` selected when it is still there.
    pub(super) fn refilter(
        &mut self,
        filter: &Filter,
        query: &str,
        ranked: Option<&[String]>,
        keep: Option<usize>,
    ) {
        self.hidden_count = 0;
        let candidates = match ranked {
            Some(ids) => self.ranked_visible(filter, ids),
            None => {
                let terms = headlines::terms(query);
                self.arrange(filter);
                let order = self.sorted.get().map_or(&[][..], |(_, o)| o);
                let mut visible: Vec<usize> = order
                    .iter()
                    .copied()
                    .filter(|&i| self.passes_unhidden(filter, i, &terms))
                    .collect();
                order_by_recency(filter, &mut visible);
                visible
            }
        };
        self.visible = self.without_hidden(filter, candidates);
        self.fold_groups(filter, ranked.is_some());
        self.selected = keep.and_then(|k| self.position_of(filter, k)).unwrap_or(0);
        self.offset = 0;
    }

    /// Fold each near-duplicate group to one row (see [`group_rows`]).
    fn fold_groups(&mut self, filter: &Filter, ranked: bool) {
        self.group_rows.clear();
        let Some(groups) = filter.groups.filter(|g| !g.is_empty()) else {
            return;
        };
        let grouping = Grouping {
            groups,
            expanded: filter.expanded,
            ranked,
        };
        let visible = std::mem::take(&mut self.visible);
        (self.visible, self.group_rows) = group_rows::fold(filter.articles, visible, &grouping);
    }

    /// The row of the story at library `index`, or of the group row it is
    /// folded under: the selection stays on its story as groups change.
    fn position_of(&self, filter: &Filter, index: usize) -> Option<usize> {
        if let Some(p) = self.visible.iter().position(|&i| i == index) {
            return Some(p);
        }
        let members = filter.groups?.members(filter.articles[index].id());
        self.visible.iter().position(|&i| {
            self.group_rows.contains_key(&i)
                && members.iter().any(|m| m.id() == filter.articles[i].id())
        })
    }

    /// Every article position in the filter's sort order.
    fn arrange(&mut self, filter: &Filter) {
        if self.sorted.get().is_some_and(|(s, _)| *s != filter.sort) {
            self.sorted.take();
        }
        self.sorted
            .get_or_init(|| (filter.sort, filter.sort.arrange(filter.articles)));
    }

    fn ranked_visible(&self, filter: &Filter, ids: &[String]) -> Vec<usize> {
        self.placed(filter.articles, ids)
            .filter(|&i| self.passes_unhidden(filter, i, &[]))
            .collect()
    }

    /// `candidates` without the hidden stories (unless they are shown),
    /// counting them.
    fn without_hidden(&mut self, filter: &Filter, mut candidates: Vec<usize>) -> Vec<usize> {
        candidates.retain(|&i| self.admits_hidden(filter, i));
        candidates
    }

    /// The stories with these ids, in their order (ids not in the library
    /// are left out).
    fn placed<'a>(
        &'a self,
        articles: &'a [Arc<ArticleMeta>],
        ids: &'a [String],
    ) -> impl Iterator<Item = usize> + 'a {
        // Ids are unique in the list (identical files are one story).
        let id_at = |i: usize| articles.get(i).map(|a| a.id());
        ids.iter().filter_map(move |id| self.ids.find(id, id_at))
    }

    /// List exactly the stories with these ids, in their order, whatever
    /// the filter ("more like this") but for hidden ones, keeping `keep`
    /// selected when it is among them.
    pub(super) fn show_only(&mut self, filter: &Filter, ids: &[String], keep: Option<usize>) {
        self.hidden_count = 0;
        let placed = self.placed(filter.articles, ids).collect();
        self.visible = self.without_hidden(filter, placed);
        self.group_rows.clear();
        self.unsettled = false;
        self.selected = keep
            .and_then(|k| self.visible.iter().position(|&i| i == k))
            .unwrap_or(0);
        self.offset = 0;
    }

    // ---- selection and paging -------------------------------------------

    /// Select the row at `position`, within a list of `len` rows.
    pub(super) fn select(&mut self, position: usize, len: usize) {
        self.selected = position.min(len.saturating_sub(1));
    }

    /// The first row selected and on screen (a new ranked answer).
    pub(super) fn select_first(&mut self) {
        self.selected = 0;
        self.offset = 0;
    }

    /// Scroll to `offset` again after a rebuild (the next
    /// [`Self::fix_offset`] keeps the selection on screen).
    pub(super) fn restore_offset(&mut self, offset: usize) {
        self.offset = offset;
    }

    /// A movement key over `len` rows, `rows` of them on screen.
    pub(super) fn move_by(&mut self, action: Action, rows: usize, len: usize) {
        let s = self.selected;
        let target = match action {
            Action::Down => s.saturating_add(1),
            Action::Up => s.saturating_sub(1),
            Action::HalfPageDown => s + (rows / 2).max(1),
            Action::HalfPageUp => s.saturating_sub((rows / 2).max(1)),
            Action::PageDown => s + rows,
            Action::PageUp => s.saturating_sub(rows),
            Action::Top => 0,
            _ => len.saturating_sub(1),
        };
        self.select(target, len);
    }

    /// Keep the selected row on screen, moving the list as little as possible.
    pub(super) fn fix_offset(&mut self, rows: usize, len: usize) {
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
        self.offset = self.offset.min(len.saturating_sub(rows));
    }
}

fn id_index(articles: &[Arc<ArticleMeta>]) -> IdIndex {
    IdIndex::new(articles.iter().map(|a| a.id()))
}

/// In "continue reading", the story left last comes first.
fn order_by_recency(filter: &Filter, visible: &mut [usize]) {
    if !filter.view.by_recency() {
        return;
    }
    let articles = filter.articles;
    visible.sort_by_key(|&i| std::cmp::Reverse(filter.positions.recency(articles[i].id())));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list of `len` stories at `offset`, with `selected` selected.
    fn list(len: usize, offset: usize, selected: usize) -> StoryList {
        StoryList {
            visible: (0..len).collect(),
            selected,
            offset,
            ..StoryList::default()
        }
    }

    #[test]
    fn offset_is_corrected_to_show_the_selection() {
        // (offset, selected, rows) -> offset: the cases the renderer used
        // to correct itself, now settled here once. The app never pages
        // with fewer than one row.
        for (offset, selected, rows, fixed) in
            [(0, 3, 10, 0), (0, 12, 10, 3), (20, 5, 10, 5), (4, 4, 1, 4)]
        {
            let mut l = list(40, offset, selected);
            l.fix_offset(rows, 40);
            assert_eq!(l.offset(), fixed, "offset {offset}, selected {selected}");
        }
    }
}
