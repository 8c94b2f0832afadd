//! The list and the selection: the panes' layout as the app sees it, which
//! stories the list shows, moving through them, and bringing derived state
//! in line after every change ([`App::sync`]).

use super::marks::Mark;
use super::{App, Focus, layout, list};
use crate::action::Action;
use ratatui::layout::Rect;

impl App {
    pub(super) fn areas(&self) -> Option<layout::Areas> {
        self.panes(self.area)
    }

    /// Where each pane goes on a screen of `area`: drawing and the app's
    /// own paging and wrapping ask the same question.
    pub fn panes(&self, area: Rect) -> Option<layout::Areas> {
        layout::reading_areas(area, self.focus == Focus::Reader, self.full_width)
    }

    /// The reader takes the whole width when it has the focus (`Z`).
    pub fn full_width(&self) -> bool {
        self.full_width
    }

    /// Stories that fit in the list (a snippet line makes each take two).
    pub(super) fn list_rows(&self) -> usize {
        let per_story = if self.snippets_shown() { 2 } else { 1 };
        (self
            .areas()
            .and_then(|a| a.list)
            .map_or(1, layout::list_rows)
            / per_story)
            .max(1)
    }

    pub(super) fn reader_text(&self) -> Option<Rect> {
        self.areas().and_then(|a| a.reader).map(layout::reader_text)
    }

    pub(super) fn reader_height(&self) -> usize {
        self.reader_text()
            .map_or(1, |r| usize::from(r.height).max(1))
    }

    /// What decides whether a story is listed.
    pub(super) fn filter(&self) -> list::Filter<'_> {
        list::Filter {
            articles: self.library.articles(),
            view: self.view(),
            members: self.view_members(),
            marks: &self.marks,
            positions: &self.positions,
            sort: self.sort,
            feed: self.feed_filter.as_ref(),
            groups: self.folded_groups(),
            expanded: &self.groups.expanded,
            rules: self.hide_rule_matches(),
            show_hidden: self.hidden_shown(),
        }
    }

    /// Rebuild the list for the current view and query, keeping `keep`
    /// selected when it is still there.
    pub(super) fn refilter(&mut self, keep: Option<usize>) {
        if let Some(view) = &self.related {
            let mut list = std::mem::take(&mut self.list);
            list.show_only(&self.filter(), view.ids(), keep);
            self.list = list;
            return;
        }
        // The engine's answer, or its previous one until the answer to
        // this keystroke arrives (milliseconds), so the list never
        // flickers back to headline matches while typing.
        let ranked = match &self.search.ranked {
            Some((_, ids)) if self.ranked() => Some(ids.as_slice()),
            _ => None,
        };
        // Set aside while the filter reads the rest of the app.
        let mut list = std::mem::take(&mut self.list);
        list.refilter(&self.filter(), &self.search.query, ranked, keep);
        self.list = list;
    }

    pub(super) fn select(&mut self, position: usize) {
        let len = self.list_len();
        self.list.select(position, len);
    }

    pub(super) fn move_by(&mut self, action: Action) {
        if self.focus == Focus::Reader && !self.search.editing {
            return self.scroll_reader(action);
        }
        let (rows, len) = (self.list_rows(), self.list_len());
        self.list.move_by(action, rows, len);
        self.ask_for_more_at_the_end();
    }

    /// Keep the selected row on screen, moving the list as little as possible.
    pub(super) fn fix_offset(&mut self) {
        let (rows, len) = (self.list_rows(), self.list_len());
        self.list.fix_offset(rows, len);
    }

    /// The next sort order; the selected story stays selected.
    pub(super) fn cycle_sort(&mut self) {
        self.sort = self.sort.next();
        let keep = self.selected_index();
        self.refilter(keep);
        let note = if self.ranked() {
            "search results stay ranked by relevance"
        } else {
            "the list follows when the search is cleared"
        };
        let text = match self.search.query.is_empty() {
            true => format!("Sorted {}", self.sort.title()),
            false => format!("Sorted {} ({note})", self.sort.title()),
        };
        self.message(&text, false);
    }

    pub(super) fn toggle_mark(&mut self, mark: Mark) {
        if self.selected_missing().is_some() {
            return self.toggle_missing(mark);
        }
        let Some(meta) = self.selected_meta() else {
            return self.message("No story selected", true);
        };
        let id = meta.id().to_string();
        let on = !self.marks.has(mark, &id);
        self.set_mark_with_group(mark, &id, on);
        self.note_mark_change(mark);
        let text = match (mark, on) {
            (Mark::Bookmarked, true) => "Bookmarked",
            (Mark::Bookmarked, false) => "Bookmark removed",
            (Mark::Read, true) => "Marked read",
            (Mark::Read, false) => "Marked unread",
            (Mark::Started, _) => return,
        };
        self.message(text, false);
    }

    /// Bring derived state in line after any change: selection in range,
    /// focus possible, reader loaded and wrapped, list scrolled.
    pub(super) fn sync(&mut self) {
        self.refresh_hide_rules();
        self.select(self.selected());
        if self.visible().is_empty() && self.focus == Focus::Reader {
            self.focus = Focus::List;
        }
        self.sync_reader();
        let (text, height) = (self.reader_text(), self.reader_height());
        if let (Some(reader), Some(text)) = (self.reader.as_mut(), text) {
            reader.layout(usize::from(text.width));
            reader.clamp(height);
            reader.find_matches(&self.search.query, self.fulltext.parsed_ref(), height);
        }
        self.fix_offset();
    }
}
