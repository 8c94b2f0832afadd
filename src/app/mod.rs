//! The reader app's state, and the one function that changes it.
//!
//! Terminal events become [`Action`]s in [`crate::keymap`]; [`App::update`]
//! applies them; [`crate::ui::draw`] renders `&App`. Everything here works
//! without a terminal, so tests drive the app by feeding actions.
//!
//! The story list is a view over the library: indices into
//! `library.articles` that pass the current filter (all, bookmarks, unread)
//! and query. The selection is remembered as a library index, which stays
//! valid as articles are appended while the app runs, so background loading
//! never moves the cursor.

pub mod live;
pub mod loading;
pub mod marks;
pub mod positions;
pub mod reader;
pub mod search;
mod session;
mod stored;

use crate::action::Action;
use crate::article::ArticleMeta;
use crate::keymap::{Keymap, Mode};
use crate::library::{Library, LoadEvent, Skipped};
use crate::ui::{self, layout, theme::Theme};
use marks::{Mark, Marks};
use positions::Positions;
use ratatui::layout::Rect;
use reader::Reader;
use std::cell::OnceCell;
use std::time::{Duration, Instant};
use stored::missing_message;

/// How long a transient message stays in the status bar.
const MESSAGE_TIME: Duration = Duration::from_secs(4);

/// The longest query the search bar takes, in characters. Every key press
/// parses the query, matches it against every headline and highlights it,
/// so its length bounds the work per key; real queries are a few words,
/// and a pasted paragraph is still found by its first sentences.
pub const MAX_QUERY_CHARS: usize = 1_000;

/// Which stories the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    All,
    Bookmarks,
    Unread,
    /// Stories left part-way, most recently read first.
    InProgress,
}

impl View {
    pub fn title(self) -> &'static str {
        match self {
            Self::All => "All",
            Self::Bookmarks => "Bookmarks",
            Self::Unread => "Unread",
            Self::InProgress => "Continue reading",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Reader,
}

/// A window over the panes, with its own keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Skipped,
}

/// A message in the status bar, until it expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
    pub until: Instant,
}

/// What the app needs besides the library.
#[derive(Debug, Clone)]
pub struct Settings {
    pub keymap: Keymap,
    pub theme: Theme,
    /// Opening a story marks it read.
    pub mark_read_on_open: bool,
}

impl Settings {
    /// From a loaded config; `colour` false drops every colour.
    pub fn from_config(config: &crate::config::Config, colour: bool) -> Self {
        Self {
            keymap: config.keymap(),
            theme: config.theme(colour),
            mark_read_on_open: config.mark_read_on_open(),
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self::from_config(&crate::config::Config::default(), true)
    }
}

/// The search bar's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    pub query: String,
    /// The search bar has the keyboard.
    pub editing: bool,
    /// The selection before this search began, to restore on cancel.
    before: Option<Option<usize>>,
    /// Ranked ids from a search engine for `query`, replacing the local
    /// headline matches while the query is unchanged.
    ranked: Option<(String, Vec<String>)>,
}

pub struct App {
    library: Library,
    settings: Settings,
    marks: Marks,
    /// Where each story was left.
    positions: Positions,
    /// Bookmarks whose article is not in the library, listed after the
    /// stories in the Bookmarks view.
    missing: Vec<crate::store::Bookmark>,
    /// Lowercased headline text per article, parallel to `library.articles`.
    haystacks: Vec<Box<str>>,
    /// Article positions sorted by id, to place the engine's answers (ids)
    /// without going over the whole library on every keystroke; built on
    /// the first ranked answer, dropped when the library changes.
    by_id: OnceCell<Vec<usize>>,
    view: View,
    search: Search,
    /// The story list: indices into `library.articles`.
    visible: Vec<usize>,
    /// Position of the selection in `visible`.
    selected: usize,
    /// First list row shown.
    offset: usize,
    focus: Focus,
    overlay: Option<Overlay>,
    overlay_scroll: usize,
    reader: Option<Reader>,
    status: Option<Status>,
    area: Rect,
    quit: bool,
    /// ctrl-z was pressed: the run loop hands the terminal back and stops.
    suspend: bool,
    /// Where the last session left off, until the library has that story
    /// (or the user has moved on).
    resume: Option<session::Resume>,
    /// Full-text search: the engine's answers, indexing, snippets.
    live: live::Live,
}

impl App {
    pub fn new(library: Library, settings: Settings) -> Self {
        let mut app = Self {
            haystacks: search::haystacks(&library.articles),
            by_id: OnceCell::new(),
            library,
            settings,
            marks: Marks::default(),
            positions: Positions::default(),
            missing: Vec::new(),
            view: View::All,
            search: Search::default(),
            visible: Vec::new(),
            selected: 0,
            offset: 0,
            focus: Focus::List,
            overlay: None,
            overlay_scroll: 0,
            reader: None,
            status: None,
            area: Rect::new(0, 0, 80, 24),
            quit: false,
            suspend: false,
            resume: None,
            live: live::Live::default(),
        };
        app.refilter(None);
        app.announce_skipped();
        app.sync();
        app
    }

    /// Start from stored marks (bookmarks and read stories).
    pub fn with_marks(mut self, marks: Marks) -> Self {
        self.marks = marks;
        self.refilter(self.selected_index());
        self.sync();
        self
    }

    // ---- reading the state -------------------------------------------

    pub fn library(&self) -> &Library {
        &self.library
    }
    pub fn keymap(&self) -> &Keymap {
        &self.settings.keymap
    }
    pub fn theme(&self) -> &Theme {
        &self.settings.theme
    }
    pub fn marks(&self) -> &Marks {
        &self.marks
    }
    /// Changes to marks since the last call, for persistence.
    pub fn take_mark_changes(&mut self) -> Vec<marks::MarkChange> {
        self.marks.take_changes()
    }
    pub fn view(&self) -> View {
        self.view
    }
    pub fn search(&self) -> &Search {
        &self.search
    }
    pub fn focus(&self) -> Focus {
        self.focus
    }
    pub fn overlay(&self) -> Option<Overlay> {
        self.overlay
    }
    pub fn overlay_scroll(&self) -> usize {
        self.overlay_scroll
    }
    pub fn reader(&self) -> Option<&Reader> {
        self.reader.as_ref()
    }
    pub fn status(&self) -> Option<&Status> {
        self.status.as_ref()
    }
    pub fn area(&self) -> Rect {
        self.area
    }
    pub fn should_quit(&self) -> bool {
        self.quit
    }
    /// Whether the user asked to suspend (ctrl-z).
    pub fn wants_suspend(&self) -> bool {
        self.suspend
    }
    /// [`Self::wants_suspend`], once: the run loop stops the process, and
    /// the app carries on as it was when the process is continued.
    pub fn take_suspend(&mut self) -> bool {
        std::mem::take(&mut self.suspend)
    }
    /// The story list, as indices into `library().articles`.
    pub fn visible(&self) -> &[usize] {
        &self.visible
    }
    /// Position of the selection in [`Self::visible`] (0 when empty).
    pub fn selected(&self) -> usize {
        self.selected
    }
    pub fn list_offset(&self) -> usize {
        self.offset
    }
    /// The selected story's index in the library.
    pub fn selected_index(&self) -> Option<usize> {
        self.visible.get(self.selected).copied()
    }
    pub fn selected_meta(&self) -> Option<&ArticleMeta> {
        self.selected_index().map(|i| &*self.library.articles[i])
    }
    pub fn is_marked(&self, mark: Mark, meta: &ArticleMeta) -> bool {
        self.marks.has(mark, meta.id())
    }

    /// The keymap mode the keyboard is in.
    pub fn mode(&self) -> Mode {
        match (self.overlay, self.search.editing, self.focus) {
            (Some(Overlay::Help), ..) => Mode::Help,
            (Some(Overlay::Skipped), ..) => Mode::Skipped,
            (None, true, _) => Mode::Search,
            (None, false, Focus::Reader) => Mode::Reader,
            (None, false, Focus::List) => Mode::List,
        }
    }

    /// When the next transient message expires, if one is showing.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.status.as_ref().map(|s| s.until)
    }

    // ---- feeding the app from outside ----------------------------------

    /// Articles that arrived after start (background loading): they join
    /// the list when they pass the current filter, and nothing moves.
    pub fn add_articles(&mut self, articles: impl IntoIterator<Item = ArticleMeta>) {
        self.apply_load(LoadEvent::Loaded(
            articles.into_iter().map(std::sync::Arc::new).collect(),
        ));
    }

    /// Files that were skipped after start.
    pub fn add_skipped(&mut self, skipped: impl IntoIterator<Item = Skipped>) {
        self.apply_load(LoadEvent::Skipped(skipped.into_iter().collect()));
    }

    /// Ranked results from a search engine: the ids, best first, for
    /// `query`. Ignored when the query has changed since (a stale answer).
    pub fn apply_ranked_results(&mut self, query: &str, ids: Vec<String>) {
        if query != self.search.query || query.trim().is_empty() {
            return;
        }
        let keep = self.selected_index();
        self.search.ranked = Some((query.to_string(), ids));
        self.refilter(keep);
        self.sync();
    }

    // ---- the one mutator -----------------------------------------------

    /// Apply one action.
    pub fn update(&mut self, action: Action) {
        if !matches!(action, Action::Resize(..) | Action::Tick) {
            // The user has taken over: the last session's place is history.
            self.resume = None;
        }
        match action {
            Action::Quit => self.quit = true,
            Action::Suspend => self.suspend = true,
            Action::Resize(w, h) => self.area = Rect::new(0, 0, w, h),
            Action::Tick => self.expire_status(Instant::now()),
            Action::Help => self.open_overlay(Overlay::Help),
            Action::Skipped => self.open_overlay(Overlay::Skipped),
            Action::Close => self.overlay = None,
            _ if self.overlay.is_some() => self.scroll_overlay(action),
            Action::Search => self.start_search(),
            Action::Insert(c) => self.insert_text(c.encode_utf8(&mut [0; 4])),
            Action::DeleteBack => self.edit_query(|q| {
                q.pop();
            }),
            Action::DeleteWord => self.edit_query(delete_word),
            Action::DeleteLine => self.edit_query(String::clear),
            Action::Submit => self.submit_search(),
            Action::Cancel => self.cancel_search(),
            Action::Open => self.open_selected(),
            Action::Back => self.back(),
            Action::SwitchFocus => self.switch_focus(),
            Action::NextStory => self.step_story(1),
            Action::PreviousStory => self.step_story(-1),
            Action::Bookmark => self.toggle_mark(Mark::Bookmark),
            Action::ToggleRead => self.toggle_mark(Mark::Read),
            Action::ShowBookmarks => self.toggle_view(View::Bookmarks),
            Action::ShowUnread => self.toggle_view(View::Unread),
            Action::ShowInProgress => self.toggle_view(View::InProgress),
            Action::Raw => self.toggle_raw(),
            Action::NextMatch => self.jump_to_match(true),
            Action::PreviousMatch => self.jump_to_match(false),
            Action::Snippets => self.toggle_snippets(),
            Action::Down
            | Action::Up
            | Action::HalfPageDown
            | Action::HalfPageUp
            | Action::PageDown
            | Action::PageUp
            | Action::Top
            | Action::Bottom => self.move_by(action),
        }
        self.sync();
    }

    // ---- list and selection --------------------------------------------

    fn areas(&self) -> Option<layout::Areas> {
        layout::areas(self.area, self.focus == Focus::Reader)
    }

    /// Stories that fit in the list (a snippet line makes each take two).
    fn list_rows(&self) -> usize {
        let per_story = if self.snippets_shown() { 2 } else { 1 };
        (self
            .areas()
            .and_then(|a| a.list)
            .map_or(1, layout::list_rows)
            / per_story)
            .max(1)
    }

    fn reader_text(&self) -> Option<Rect> {
        self.areas().and_then(|a| a.reader).map(layout::reader_text)
    }

    fn reader_height(&self) -> usize {
        self.reader_text()
            .map_or(1, |r| usize::from(r.height).max(1))
    }

    fn passes(&self, index: usize, terms: &[String]) -> bool {
        // The id only when the view needs it: reading it touches the
        // article's record, which the common view never has to.
        let id = || self.library.articles[index].id();
        let in_view = match self.view {
            View::All => true,
            View::Bookmarks => self.marks.has(Mark::Bookmark, id()),
            View::Unread => !self.marks.has(Mark::Read, id()),
            View::InProgress => self.positions.get(id()).is_some(),
        };
        in_view && search::matches(terms, &self.haystacks[index])
    }

    /// Rebuild the list for the current view and query, keeping `keep`
    /// selected when it is still there.
    fn refilter(&mut self, keep: Option<usize>) {
        self.visible = match &self.search.ranked {
            // The engine's answer, or its previous one until the answer to
            // this keystroke arrives (milliseconds), so the list never
            // flickers back to headline matches while typing.
            Some((_, ids)) if self.ranked() => self.ranked_visible(ids),
            _ => {
                let terms = search::terms(&self.search.query);
                let mut visible: Vec<usize> = (0..self.library.articles.len())
                    .filter(|&i| self.passes(i, &terms))
                    .collect();
                self.order_by_recency(&mut visible);
                visible
            }
        };
        self.selected = keep
            .and_then(|k| self.visible.iter().position(|&i| i == k))
            .unwrap_or(0);
        self.offset = 0;
    }

    fn ranked_visible(&self, ids: &[String]) -> Vec<usize> {
        let articles = &self.library.articles;
        let by_id = self.by_id.get_or_init(|| {
            let mut order: Vec<usize> = (0..articles.len()).collect();
            order.sort_by(|&a, &b| articles[a].id().cmp(articles[b].id()));
            order
        });
        ids.iter()
            .filter_map(|id| {
                // Of articles sharing an id (identical files), the last.
                let end = by_id.partition_point(|&i| articles[i].id() <= id.as_str());
                let i = *by_id.get(end.checked_sub(1)?)?;
                (articles[i].id() == id).then_some(i)
            })
            .filter(|&i| self.passes(i, &[]))
            .collect()
    }

    fn select(&mut self, position: usize) {
        self.selected = position.min(self.list_len().saturating_sub(1));
    }

    fn move_by(&mut self, action: Action) {
        if self.focus == Focus::Reader && !self.search.editing {
            return self.scroll_reader(action);
        }
        let rows = self.list_rows();
        let last = self.list_len().saturating_sub(1);
        let target = match action {
            Action::Down => self.selected.saturating_add(1),
            Action::Up => self.selected.saturating_sub(1),
            Action::HalfPageDown => self.selected + (rows / 2).max(1),
            Action::HalfPageUp => self.selected.saturating_sub((rows / 2).max(1)),
            Action::PageDown => self.selected + rows,
            Action::PageUp => self.selected.saturating_sub(rows),
            Action::Top => 0,
            _ => last,
        };
        self.select(target);
        self.ask_for_more_at_the_end();
    }

    /// Keep the selected row on screen, moving the list as little as possible.
    fn fix_offset(&mut self) {
        let rows = self.list_rows();
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
        self.offset = self.offset.min(self.list_len().saturating_sub(rows));
    }

    fn toggle_view(&mut self, view: View) {
        self.view = if self.view == view { View::All } else { view };
        self.refilter(self.selected_index());
    }

    fn toggle_mark(&mut self, mark: Mark) {
        if self.selected_missing().is_some() {
            return self.toggle_missing(mark);
        }
        let Some(meta) = self.selected_meta() else {
            return self.message("No story selected", true);
        };
        let id = meta.id().to_string();
        let on = self.marks.toggle(mark, &id);
        self.note_mark_change(mark);
        let text = match (mark, on) {
            (Mark::Bookmark, true) => "Bookmarked",
            (Mark::Bookmark, false) => "Bookmark removed",
            (Mark::Read, true) => "Marked read",
            (Mark::Read, false) => "Marked unread",
        };
        self.message(text, false);
    }

    // ---- reader ----------------------------------------------------------

    fn open_selected(&mut self) {
        if let Some(missing) = self.selected_missing() {
            let text = missing_message(missing);
            return self.message(&text, true);
        }
        if self.visible.is_empty() {
            return self.message("No story to open", true);
        }
        self.focus = Focus::Reader;
        self.mark_selected_read();
    }

    fn mark_selected_read(&mut self) {
        if !self.settings.mark_read_on_open {
            return;
        }
        if let Some(id) = self.selected_meta().map(|m| m.id().to_string()) {
            self.marks.set(Mark::Read, &id, true);
        }
    }

    fn back(&mut self) {
        match self.focus {
            Focus::Reader => self.focus = Focus::List,
            Focus::List if !self.search.query.is_empty() => self.cancel_search(),
            Focus::List => {}
        }
    }

    fn switch_focus(&mut self) {
        match self.focus {
            Focus::List => self.open_selected(),
            Focus::Reader => self.focus = Focus::List,
        }
    }

    fn step_story(&mut self, delta: isize) {
        let Some(target) = self
            .selected
            .checked_add_signed(delta)
            .filter(|&t| t < self.visible.len())
        else {
            return self.message("No more stories", false);
        };
        self.select(target);
        self.mark_selected_read();
    }

    fn scroll_reader(&mut self, action: Action) {
        let height = self.reader_height();
        let Some(reader) = self.reader.as_mut() else {
            return;
        };
        let half = (height / 2).max(1) as isize;
        let page = height.saturating_sub(1).max(1) as isize;
        match action {
            Action::Down => reader.scroll_by(1, height),
            Action::Up => reader.scroll_by(-1, height),
            Action::HalfPageDown => reader.scroll_by(half, height),
            Action::HalfPageUp => reader.scroll_by(-half, height),
            Action::PageDown => reader.scroll_by(page, height),
            Action::PageUp => reader.scroll_by(-page, height),
            Action::Top => reader.scroll_to_top(),
            _ => reader.scroll_to_bottom(height),
        }
        self.record_position();
    }

    fn toggle_raw(&mut self) {
        if self.visible.is_empty() {
            return self.message("No story selected", true);
        }
        self.focus = Focus::Reader;
        self.sync_reader();
        let Some(reader) = self.reader.as_mut() else {
            return;
        };
        if reader.showing_raw() {
            return reader.show_cleaned();
        }
        let meta = &self.library.articles[reader.index];
        match self.library.raw_text(meta) {
            Ok(raw) => reader.show_raw(&raw),
            Err(e) => self.message(&e.to_string(), true),
        }
    }

    /// Whether the reader pane is on screen.
    fn reader_shown(&self) -> bool {
        self.area.width >= layout::WIDE || self.focus == Focus::Reader
    }

    /// Load the selected story into the reader when it shows another one.
    /// Bodies are read on demand and only the open story is kept.
    fn sync_reader(&mut self) {
        let Some(index) = self.selected_index() else {
            self.reader = None;
            return;
        };
        if !self.reader_shown() || self.reader.as_ref().is_some_and(|r| r.index == index) {
            return;
        }
        let meta = &self.library.articles[index];
        self.reader = Some(match self.library.article(meta) {
            Ok(article) => {
                let mut reader = Reader::new(index, &article);
                reader.resume_at(self.positions.get(meta.id()).unwrap_or(0));
                reader
            }
            Err(e) => {
                let why = e.to_string();
                let reader = Reader::unreadable(index, meta, &why);
                self.message(&why, true);
                reader
            }
        });
    }

    /// Bring derived state in line after any change: selection in range,
    /// focus possible, reader loaded and wrapped, list scrolled.
    fn sync(&mut self) {
        self.select(self.selected);
        if self.visible.is_empty() && self.focus == Focus::Reader {
            self.focus = Focus::List;
        }
        self.sync_reader();
        let (text, height) = (self.reader_text(), self.reader_height());
        if let (Some(reader), Some(text)) = (self.reader.as_mut(), text) {
            reader.layout(usize::from(text.width));
            reader.clamp(height);
            reader.find_matches(&self.search.query, self.live.parsed_ref(), height);
        }
        self.fix_offset();
    }

    // ---- search ------------------------------------------------------------

    fn start_search(&mut self) {
        if self.search.before.is_none() {
            self.search.before = Some(self.selected_index());
        }
        self.search.editing = true;
        self.focus = Focus::List;
    }

    /// Text pasted into the terminal (it marks pastes, see
    /// [`crate::terminal::init`]): typed into the search bar as one edit,
    /// never run as keys. Line breaks and tabs become spaces, control
    /// characters are dropped, and so is space at the end (and at the
    /// start of an empty query). In the list or the reader a paste starts
    /// a search with it; over an overlay it is ignored.
    pub fn paste(&mut self, text: &str) {
        self.resume = None;
        match self.mode() {
            Mode::Help | Mode::Skipped => return,
            Mode::List | Mode::Reader => self.start_search(),
            Mode::Search => {}
        }
        // A tab is one space here, not a run up to the next tab stop.
        let clean = crate::article::sanitize::sanitize_line(&text.replace('\t', " "));
        let clean = if self.search.query.is_empty() {
            clean.trim()
        } else {
            clean.trim_end()
        };
        if !clean.is_empty() {
            self.insert_text(clean);
        }
        self.sync();
    }

    /// Add `text` to the query, as much of it as [`MAX_QUERY_CHARS`]
    /// leaves room for; the status bar says when some was left out. Costs
    /// the same however much text is refused.
    fn insert_text(&mut self, text: &str) {
        let room = MAX_QUERY_CHARS.saturating_sub(self.search.query.chars().count());
        let end = text.char_indices().nth(room).map_or(text.len(), |(i, _)| i);
        if end > 0 {
            self.edit_query(|q| q.push_str(&text[..end]));
        }
        if end < text.len() {
            self.message(
                &format!(
                    "A search is at most {} characters: the rest was left out",
                    crate::text::thousands(MAX_QUERY_CHARS)
                ),
                true,
            );
        }
    }

    fn edit_query(&mut self, edit: impl FnOnce(&mut String)) {
        edit(&mut self.search.query);
        self.live.query_edited(&self.search.query);
        let keep = self.selected_index();
        self.refilter(keep);
    }

    fn submit_search(&mut self) {
        self.search.editing = false;
        if self.search.query.trim().is_empty() {
            self.cancel_search();
        }
    }

    fn cancel_search(&mut self) {
        let before = self.search.before.take().flatten();
        self.search = Search::default();
        self.live.cleared();
        self.refilter(before.or(self.selected_index()));
    }

    // ---- overlays and messages ---------------------------------------------

    fn open_overlay(&mut self, overlay: Overlay) {
        self.overlay = Some(overlay);
        self.overlay_scroll = 0;
    }

    fn scroll_overlay(&mut self, action: Action) {
        let lines = match self.overlay {
            Some(Overlay::Help) => ui::help::line_count(&self.settings.keymap, self.area.width),
            _ => self.library.skipped.len(),
        };
        let page = usize::from(self.area.height).saturating_sub(4).max(1);
        let max = lines.saturating_sub(page);
        let s = self.overlay_scroll;
        self.overlay_scroll = match action {
            Action::Down => s + 1,
            Action::Up => s.saturating_sub(1),
            Action::PageDown | Action::HalfPageDown => s + page,
            Action::PageUp | Action::HalfPageUp => s.saturating_sub(page),
            Action::Top => 0,
            Action::Bottom => max,
            _ => s,
        }
        .min(max);
    }

    fn announce_skipped(&mut self) {
        let n = self.library.skipped.len();
        if n == 0 {
            return;
        }
        let key = self
            .settings
            .keymap
            .shown_keys(Mode::List, Action::Skipped)
            .first()
            .map_or_else(|| "the skipped-files key".to_string(), |k| k.to_string());
        let s = if n == 1 { "" } else { "s" };
        self.message(
            &format!("{n} file{s} skipped: press {key} for details"),
            false,
        );
    }

    /// Show a transient message in the status bar.
    pub fn message(&mut self, text: &str, error: bool) {
        self.status = Some(Status {
            text: crate::article::sanitize::sanitize_line(text),
            error,
            until: Instant::now() + MESSAGE_TIME,
        });
    }

    fn expire_status(&mut self, now: Instant) {
        if self.status.as_ref().is_some_and(|s| s.until <= now) {
            self.status = None;
        }
    }
}

/// Delete the last word and the spaces after it, as Ctrl-W does in a shell.
fn delete_word(q: &mut String) {
    let trimmed = q.trim_end().len();
    q.truncate(trimmed);
    let cut = q
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    q.truncate(cut);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delete_word_removes_the_last_word_only() {
        let mut q = "wide\u{3000}space".to_string();
        delete_word(&mut q);
        assert_eq!(q, "wide\u{3000}");
        let mut q = "climate change  ".to_string();
        delete_word(&mut q);
        assert_eq!(q, "climate ");
        delete_word(&mut q);
        assert_eq!(q, "");
        delete_word(&mut q);
        assert_eq!(q, "");
    }
}
