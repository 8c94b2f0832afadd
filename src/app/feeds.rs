//! The feeds overlay (`f`): every feed the news folder's stories came
//! from, with unread and total counts, grouped by category; `enter` lists
//! only that feed, or that category, or (on "All") every story again.
//! The rows are counted when the overlay opens, not on every frame.

use super::feed_index::FeedFilter;
use super::marks::Mark;
use super::{App, Overlay};
use crate::action::Action;
use std::collections::BTreeMap;

/// One row of the overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedRow {
    /// What `enter` shows: `None` for every story.
    pub filter: Option<FeedFilter>,
    /// The feed or category's name (raw: sanitised when drawn).
    pub label: String,
    /// A feed under a category line.
    pub nested: bool,
    pub unread: usize,
    pub total: usize,
}

/// The overlay's rows and which one is selected.
#[derive(Debug, Clone, Default)]
pub(super) struct FeedsView {
    rows: Vec<FeedRow>,
    selected: usize,
}

impl App {
    /// The feeds overlay's rows.
    pub fn feed_rows(&self) -> &[FeedRow] {
        &self.feeds_view.rows
    }
    /// The selected row of the feeds overlay.
    pub fn feed_row_selected(&self) -> usize {
        self.feeds_view.selected
    }
    /// The feed or category the list shows, if only one.
    pub fn feed_filter(&self) -> Option<&FeedFilter> {
        self.feed_filter.as_ref()
    }

    pub(super) fn open_feeds(&mut self) {
        self.feeds_view.rows = self.count_feeds();
        let current = self.feed_filter.as_ref();
        self.feeds_view.selected = self
            .feeds_view
            .rows
            .iter()
            .position(|r| r.filter.as_ref() == current)
            .unwrap_or(0);
        self.open_overlay(Overlay::Feeds);
    }

    pub(super) fn feeds_action(&mut self, action: Action) {
        let len = self.feeds_view.rows.len();
        let page = usize::from(self.area.height).saturating_sub(4).max(1);
        let s = self.feeds_view.selected;
        self.feeds_view.selected = match action {
            Action::Open => return self.choose_feed(),
            Action::Down => s + 1,
            Action::Up => s.saturating_sub(1),
            Action::PageDown | Action::HalfPageDown => s + page,
            Action::PageUp | Action::HalfPageUp => s.saturating_sub(page),
            Action::Top => 0,
            Action::Bottom => len,
            _ => s,
        }
        .min(len.saturating_sub(1));
    }

    /// List only the selected row's feed or category.
    fn choose_feed(&mut self) {
        let Some(row) = self.feeds_view.rows.get(self.feeds_view.selected) else {
            return;
        };
        let filter = row.filter.clone();
        self.overlay = None;
        let text = match &filter {
            Some(f) => format!("Showing {}", f.title()),
            None => "Showing every story".to_string(),
        };
        self.set_feed_filter(filter);
        self.message(&text, false);
    }

    /// Show only `filter`'s stories (all with `None`).
    pub(super) fn set_feed_filter(&mut self, filter: Option<FeedFilter>) {
        self.leave_related();
        self.feed_filter = filter;
        let keep = self.selected_index();
        self.refilter(keep);
    }

    /// The rows: All, the feeds without a category, then each category
    /// and its feeds, by name, each with its unread and total stories.
    fn count_feeds(&self) -> Vec<FeedRow> {
        let index = self.list.feeds();
        let folders = index.folders();
        let mut counts = vec![(0usize, 0usize); folders.len()];
        // "All" is every story, from a feed or not: what choosing it lists.
        let (mut unread, mut total) = (0, 0);
        for (i, meta) in self.library.articles().iter().enumerate() {
            // Hidden stories are not listed, so not counted.
            if self.is_hidden(i) && !self.hidden_shown() {
                continue;
            }
            let new = usize::from(!self.marks.has(Mark::Read, meta.id()));
            (unread, total) = (unread + new, total + 1);
            if let Some(id) = index.folder_id(i) {
                counts[id].1 += 1;
                counts[id].0 += new;
            }
        }
        // category ("" for none) -> feeds by name
        let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (id, folder) in folders.iter().enumerate() {
            groups
                .entry(folder.category.as_deref().unwrap_or(""))
                .or_default()
                .push(id);
        }
        let sum = |ids: &[usize]| {
            ids.iter()
                .fold((0, 0), |(u, t), &id| (u + counts[id].0, t + counts[id].1))
        };
        let mut rows = vec![FeedRow {
            filter: None,
            label: "All".to_string(),
            nested: false,
            unread,
            total,
        }];
        for (category, mut ids) in groups {
            ids.sort_by(|&a, &b| folders[a].name.cmp(&folders[b].name));
            if !category.is_empty() {
                let (unread, total) = sum(&ids);
                rows.push(FeedRow {
                    filter: Some(FeedFilter::Category(category.to_string())),
                    label: category.to_string(),
                    nested: false,
                    unread,
                    total,
                });
            }
            rows.extend(ids.into_iter().map(|id| FeedRow {
                filter: Some(FeedFilter::Feed(folders[id].rel.to_string())),
                label: folders[id].name.to_string(),
                nested: !category.is_empty(),
                unread: counts[id].0,
                total: counts[id].1,
            }));
        }
        rows
    }
}
