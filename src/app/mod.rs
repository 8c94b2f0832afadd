//! The reader app's state, and the two doors that change it.
//!
//! Terminal events become [`Action`]s in [`crate::keymap`]; [`App::update`]
//! applies them. News from background work (the loader, the search engine,
//! the store, the bodies the app asks for with [`App::wants_body`]) comes
//! in as [`Event`]s through [`App::apply`]. `ui::draw` renders `&App`.
//! `App` never reads files, starts threads or draws, so tests drive it by
//! feeding actions and events; [`serve_reads`], beside it, is the small
//! step that reads the bodies it asks for, shared by the runtime and tests.
//!
//! The story list (what is listed, selected and on screen) is its own
//! type, [`list::StoryList`]; the reader's side is in `reading`, the search
//! bar's in `query`, overlays and messages in `overlays`. A query is
//! matched two ways: against headlines at once, as it is typed
//! ([`headlines`]), and by the full-text engine, whose answers, indexing
//! progress and snippets the app keeps in [`fulltext`]. What the store
//! keeps for the app (marks, positions, missing bookmarks) is taken in by
//! `saved_state`.

mod body;
mod event;
pub mod feed_index;
mod feeds;
pub mod fetching;
pub mod full_article;
pub mod fulltext;
pub mod group_rows;
pub mod groups;
pub mod headlines;
pub mod hidden;
mod hide;
mod id_index;
pub mod links;
pub mod list;
pub mod loading;
pub mod marks;
mod members;
pub mod mouse;
mod overlays;
pub mod positions;
mod query;
pub mod reader;
mod reading;
pub mod related;
mod saved_state;
mod selection;
mod session;
pub mod undo;
mod versions;
mod view_list;
pub mod views;

use crate::action::Action;
use crate::article::ArticleMeta;
use crate::keymap::{Keymap, Mode};
use crate::layout;
use crate::library::Library;
use crate::theme::Theme;
use marks::{Mark, Marks};
use positions::Positions;
use ratatui::layout::Rect;
use reader::Reader;
use std::time::{Duration, Instant};

pub use crate::library::SortOrder;
pub use body::{BodyRequest, serve_reads};
pub use event::Event;
pub use links::Effect;
pub use overlays::SkippedLine;

/// How long a transient message stays in the status bar.
const MESSAGE_TIME: Duration = Duration::from_secs(4);

/// The longest query the search bar takes, in characters. Every key press
/// parses the query, matches it against every headline and highlights it,
/// so its length bounds the work per key; real queries are a few words,
/// and a pasted paragraph is still found by its first sentences.
pub const MAX_QUERY_CHARS: usize = 1_000;

pub use views::View;

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
    Links,
    /// Feeds and categories, to show one of them.
    Feeds,
    /// The saved views, to show one of them.
    Views,
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
    /// Link text in the reader is also an OSC 8 hyperlink. Off unless the
    /// config says `always`; the runtime decides `auto` from the terminal
    /// ([`crate::config::Hyperlinks::enabled`]).
    pub hyperlinks: bool,
    /// The news folder, whose `<category>/<feed>` folders are the feeds
    /// the list can be filtered to.
    pub news_dir: Option<std::path::PathBuf>,
    /// The folders of the subscribed feeds, listed in the feeds overlay
    /// even before they hold a story.
    pub feed_folders: Vec<std::path::PathBuf>,
    /// Near-duplicate stories are grouped (see [`groups`]).
    pub group_duplicates: bool,
    /// Marking a story read (or unread) marks its other versions too.
    pub read_marks_group: bool,
    /// The views, in order; the first is shown at start.
    pub views: Vec<crate::config::ViewSpec>,
    /// What was wrong with views left out, to say at start.
    pub view_problems: Vec<String>,
    /// The config file in use, where `ctrl-s` saves a view.
    pub config_path: Option<std::path::PathBuf>,
    /// Queries whose stories are hidden (see [`crate::hide`]).
    pub hide_rules: crate::hide::Rules,
}

impl Settings {
    /// From a loaded config; `colour` false drops every colour.
    pub fn from_config(config: &crate::config::Config, colour: bool) -> Self {
        let views = config.views();
        Self {
            keymap: config.keymap(),
            theme: config.theme(colour),
            mark_read_on_open: config.mark_read_on_open(),
            hyperlinks: config.hyperlinks().enabled(None, false),
            news_dir: None,
            feed_folders: Vec::new(),
            group_duplicates: config.group_duplicates(),
            read_marks_group: config.read_marks_group(),
            views: views.list,
            view_problems: views.problems,
            config_path: None,
            hide_rules: config.hide_rules(),
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
    /// The saved views and which one is shown.
    views: view_list::ViewList,
    /// The list's order (search results keep their ranking).
    sort: SortOrder,
    search: Search,
    /// The story list: what is listed, selected and on screen.
    list: list::StoryList,
    focus: Focus,
    /// The reader, when focused, takes the whole width (`Z`).
    full_width: bool,
    overlay: Option<Overlay>,
    overlay_scroll: usize,
    /// The links overlay's selection.
    links_view: links::LinksView,
    /// Opening and copying asked for, until the runtime takes them.
    effects: Vec<Effect>,
    /// The story file whose full text is being fetched (`F`).
    full_text_pending: Option<std::path::PathBuf>,
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
    fulltext: fulltext::FullText,
    /// The raw view was asked for the story at this index: its file is
    /// to be read (see [`App::wants_body`]).
    raw_wanted: Option<usize>,
    /// What the search index should take in from the loads applied since
    /// the runtime last asked ([`App::take_index_changes`]).
    index_changes: Option<crate::library::IndexChanges>,
    /// The time (seconds since the epoch) the runtime last told the app
    /// ([`Event::Clock`]): the app never reads the clock itself.
    now: Option<i64>,
    /// Fetching feeds: the wish, the progress, the last failures.
    fetching: fetching::Fetching,
    /// Only one feed or category is listed.
    feed_filter: Option<feed_index::FeedFilter>,
    /// The feeds overlay's rows and selection.
    feeds_view: feeds::FeedsView,
    /// Near-duplicate groups and the grouping to do.
    groups: groups::GroupState,
    /// "More like this": the list shows the stories most like one story.
    related: Option<related::RelatedView>,
    /// Which stories are near-duplicates of a story, when groups are known.
    near_duplicates: Option<related::NearDuplicates>,
    /// Changes to reading state that `z` can undo, newest last.
    undo: undo::History,
    /// Bookmarks of missing stories put back by `z`, until persisted.
    restored_bookmarks: Vec<crate::store::Bookmark>,
    /// Every story matching a query, per key (hide rules, views).
    members: members::MemberSets,
    /// Hidden stories: listed anyway or not, the rules asked.
    hide: hide::HideState,
}

impl App {
    pub fn new(library: Library, settings: Settings) -> Self {
        let views = view_list::ViewList::new(&settings.views);
        let mut app = Self {
            list: list::StoryList::new(
                library.articles(),
                settings.news_dir.clone(),
                &settings.feed_folders,
            ),
            library,
            settings,
            marks: Marks::default(),
            positions: Positions::default(),
            missing: Vec::new(),
            views,
            sort: SortOrder::default(),
            search: Search::default(),
            focus: Focus::List,
            full_width: false,
            overlay: None,
            overlay_scroll: 0,
            links_view: Default::default(),
            effects: Vec::new(),
            full_text_pending: None,
            reader: None,
            status: None,
            area: Rect::new(0, 0, 80, 24),
            quit: false,
            suspend: false,
            resume: None,
            fulltext: fulltext::FullText::default(),
            index_changes: None,
            raw_wanted: None,
            now: None,
            fetching: fetching::Fetching::default(),
            feed_filter: None,
            feeds_view: feeds::FeedsView::default(),
            groups: groups::GroupState::default(),
            related: None,
            near_duplicates: None,
            undo: undo::History::default(),
            restored_bookmarks: Vec::new(),
            members: members::MemberSets::default(),
            hide: hide::HideState::default(),
        };
        app.start_groups();
        app.ask_view_members();
        app.start_hide_rules();
        app.refilter(None);
        app.announce_skipped();
        app.announce_view_problems();
        app.sync();
        app
    }

    /// Start from stored marks (bookmarks and read stories).
    pub fn with_marks(mut self, marks: Marks) -> Self {
        self.marks = marks;
        self.rehide_flags();
        self.refilter(self.selected_index());
        self.sync();
        self
    }

    // ---- reading the state -------------------------------------------

    /// The time the runtime last gave (seconds since the epoch).
    pub fn now(&self) -> Option<i64> {
        self.now
    }

    pub fn library(&self) -> &Library {
        &self.library
    }
    pub fn keymap(&self) -> &Keymap {
        &self.settings.keymap
    }
    pub fn theme(&self) -> &Theme {
        &self.settings.theme
    }
    /// Whether link text is also written as a terminal hyperlink.
    pub fn hyperlinks(&self) -> bool {
        self.settings.hyperlinks
    }
    pub fn marks(&self) -> &Marks {
        &self.marks
    }
    /// Changes to marks since the last call, for persistence.
    pub fn take_mark_changes(&mut self) -> Vec<marks::MarkChange> {
        self.marks.take_changes()
    }
    pub fn sort(&self) -> SortOrder {
        self.sort
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
    /// The story list, as indices into `library().articles()`.
    pub fn visible(&self) -> &[usize] {
        self.list.visible()
    }
    /// Position of the selection in [`Self::visible`] (0 when empty).
    pub fn selected(&self) -> usize {
        self.list.selected()
    }
    /// The first list row on screen: the list is drawn from here.
    pub fn list_offset(&self) -> usize {
        self.list.offset()
    }
    /// The selected story's index in the library.
    pub fn selected_index(&self) -> Option<usize> {
        self.list.selected_index()
    }
    pub fn selected_meta(&self) -> Option<&ArticleMeta> {
        self.selected_index().map(|i| &*self.library.articles()[i])
    }
    pub fn is_marked(&self, mark: Mark, meta: &ArticleMeta) -> bool {
        self.marks.has(mark, meta.id())
    }

    /// The keymap mode the keyboard is in.
    pub fn mode(&self) -> Mode {
        match (self.overlay, self.search.editing, self.focus) {
            (Some(Overlay::Help), ..) => Mode::Help,
            (Some(Overlay::Skipped), ..) => Mode::Skipped,
            (Some(Overlay::Links), ..) => Mode::Links,
            (Some(Overlay::Feeds), ..) => Mode::Feeds,
            (Some(Overlay::Views), ..) => Mode::Views,
            (None, ..) if self.views_prompting() => Mode::Search,
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

    /// Ranked results from a search engine: the ids, best first, for
    /// `query`. Ignored when the query has changed since (a stale answer).
    pub(super) fn apply_ranked_results(&mut self, query: &str, ids: Vec<String>) {
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
        // An unanswered ask for the raw view belongs to the last change.
        self.raw_wanted = None;
        if self.overlay.is_none() && related::leaves_the_view(action) {
            self.leave_related();
        }
        match action {
            Action::Quit => self.quit = true,
            Action::Suspend => self.suspend = true,
            Action::Resize(w, h) => self.area = Rect::new(0, 0, w, h),
            Action::Mouse(pointer, column, row) => self.pointer(pointer, column, row),
            Action::Tick => self.expire_status(Instant::now()),
            Action::Help => self.open_overlay(Overlay::Help),
            Action::Skipped => self.open_overlay(Overlay::Skipped),
            Action::Close => self.close_overlay(),
            _ if self.overlay == Some(Overlay::Links) => self.links_action(action),
            _ if self.overlay == Some(Overlay::Feeds) => self.feeds_action(action),
            _ if self.overlay == Some(Overlay::Views) => self.views_action(action),
            _ if self.views_prompting() => self.prompt_action(action),
            _ if self.overlay.is_some() => self.scroll_overlay(action),
            Action::Search => self.start_search(),
            Action::Insert(c) => self.insert_text(c.encode_utf8(&mut [0; 4])),
            Action::DeleteBack => self.edit_query(|q| {
                q.pop();
            }),
            Action::DeleteWord => self.edit_query(query::delete_word),
            Action::DeleteLine => self.edit_query(String::clear),
            Action::Submit => self.submit_search(),
            Action::Cancel => self.cancel_search(),
            Action::Open => self.open_selected(),
            Action::Back => self.back(),
            Action::SwitchFocus => self.switch_focus(),
            Action::NextStory => self.step_story(1),
            Action::PreviousStory => self.step_story(-1),
            Action::Bookmark => self.toggle_mark(Mark::Bookmarked),
            Action::ToggleRead => self.toggle_mark(Mark::Read),
            Action::Undo => self.undo(),
            Action::Views => self.open_views(),
            Action::View(i) => self.toggle_view(usize::from(i)),
            Action::GoToView(i) => self.show_view(usize::from(i)),
            Action::SaveView => self.start_save_view(),
            Action::Hide => self.hide_selected(),
            Action::ShowHidden => self.toggle_show_hidden(),
            Action::CycleSort => self.cycle_sort(),
            Action::Raw => self.toggle_raw(),
            Action::FullWidth => self.full_width = !self.full_width,
            Action::Links => self.open_links(),
            Action::OpenUrl => self.use_story_url(true),
            Action::CopyUrl => self.use_story_url(false),
            Action::FullText => self.fetch_full_text(),
            Action::NextMatch => self.jump_to_match(true),
            Action::PreviousMatch => self.jump_to_match(false),
            Action::Snippets => self.toggle_snippets(),
            Action::FetchFeeds => self.ask_for_fetch(),
            Action::Feeds => self.open_feeds(),
            Action::Related => self.show_related(),
            Action::ExpandGroup => self.expand_group(),
            Action::NextVersion => self.step_version(1),
            Action::PreviousVersion => self.step_version(-1),
            Action::ToggleGroups => self.toggle_groups(),
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
}
