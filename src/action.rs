//! Everything the user can ask the app to do, as data.
//!
//! Keys become [`Action`]s in one pure function ([`crate::keymap`]), and
//! [`crate::app::App::update`] is the only place that acts on them. Because an
//! action is a serde enum with `snake_case` names, `assets/config.toml` and a
//! user's `config.toml` name actions directly (`bookmark = "m"`), and the help
//! overlay describes them from the same source.

use serde::{Deserialize, Serialize};

/// One thing to do. The order of the variants is the order bindings are
/// listed in the help overlay and the status-bar hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Next story (list) or one line down (reader, overlays).
    Down,
    /// Previous story (list) or one line up (reader, overlays).
    Up,
    HalfPageDown,
    HalfPageUp,
    PageDown,
    PageUp,
    Top,
    Bottom,
    /// Open the selected story in the reader.
    Open,
    /// Back to the list (from the reader), or clear a kept search (list).
    Back,
    SwitchFocus,
    /// Next/previous story without leaving the reader.
    NextStory,
    PreviousStory,
    /// Reader: the next/previous match of the search in the story.
    NextMatch,
    PreviousMatch,
    /// Focus the search bar.
    Search,
    /// Search bar: keep the results and return to the list.
    Submit,
    /// Search bar: clear the query and restore the previous selection.
    Cancel,
    DeleteBack,
    DeleteWord,
    /// Search bar: clear the whole line, and keep typing.
    DeleteLine,
    Bookmark,
    ToggleRead,
    /// The views overlay: every saved view with its unread stories.
    Views,
    /// A view's own key: show that view, or the first view again when it
    /// is showing (bound from the `[[view]]` tables, never by name).
    #[serde(skip)]
    View(u8),
    /// `1`..`9`: show the n-th view (from 0 here).
    #[serde(skip)]
    GoToView(u8),
    /// Search bar: save the query as a view (asks for its name).
    SaveView,
    /// Put back the last change to reading state (a read mark, a
    /// bookmark), several steps deep.
    Undo,
    /// Hide the selected story (or, when hidden stories are shown, show a
    /// hidden one again).
    Hide,
    /// List hidden stories anyway, marked, or leave them out again.
    ShowHidden,
    /// The list's order: newest first, oldest first, by title, library order.
    CycleSort,
    /// Show the file as stored instead of the cleaned article.
    Raw,
    /// Reader: take the whole screen (no list beside it), or give it back.
    FullWidth,
    /// The links overlay: the story's own address, then its links.
    Links,
    /// Open a link in the browser: the story's own address, or the link
    /// selected in the links overlay.
    OpenUrl,
    /// Copy a link to the clipboard (OSC 52), as [`Action::OpenUrl`] picks it.
    CopyUrl,
    /// Reader: fetch the story's full text from its web page.
    FullText,
    /// Snippets under the headlines while searching, on/off.
    Snippets,
    /// Fetch every subscribed feed in the background.
    FetchFeeds,
    /// The feeds overlay: show one feed or category.
    Feeds,
    /// "More like this": list the stories most like this one (`esc`: the
    /// list as it was).
    Related,
    /// List: show a group's other versions (near-duplicates) under it, or
    /// fold them away again.
    ExpandGroup,
    /// Reader: the next version of a grouped story.
    NextVersion,
    /// Reader: the previous version of a grouped story.
    PreviousVersion,
    /// Near-duplicate groups on/off, for this session.
    ToggleGroups,
    /// The list of files that were not loaded, and why.
    Skipped,
    Help,
    /// Close an overlay.
    Close,
    /// Hand the terminal back to the shell and stop, until `fg`.
    Suspend,
    Quit,
    /// A character typed into the search bar (never bound by name).
    #[serde(skip)]
    Insert(char),
    /// The terminal now has this many columns and rows.
    #[serde(skip)]
    Resize(u16, u16),
    /// The mouse, at a column and row (only with `mouse = true`).
    #[serde(skip)]
    Mouse(Pointer, u16, u16),
    /// Time passed: expire transient messages.
    #[serde(skip)]
    Tick,
}

/// What the mouse did, at a cell of the screen (see `app::mouse`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pointer {
    Click,
    DoubleClick,
    WheelDown,
    WheelUp,
}

impl Action {
    /// What the action does, in general (the help overlay says what it
    /// does in each mode: [`crate::keymap::describe`]).
    pub fn describe(self) -> &'static str {
        match self {
            Self::Down => "next story / scroll down a line",
            Self::Up => "previous story / scroll up a line",
            Self::HalfPageDown => "half a page down",
            Self::HalfPageUp => "half a page up",
            Self::PageDown => "a page down",
            Self::PageUp => "a page up",
            Self::Top => "to the top",
            Self::Bottom => "to the bottom",
            Self::Open => "open the selected story",
            Self::Back => "back to the list / clear the search",
            Self::SwitchFocus => "switch between list and reader",
            Self::NextStory => "next story",
            Self::PreviousStory => "previous story",
            Self::NextMatch => "next match of the search",
            Self::PreviousMatch => "previous match of the search",
            Self::Search => "search (query language below)",
            Self::Submit => "keep the results",
            Self::Cancel => "clear the search",
            Self::DeleteBack => "delete a character",
            Self::DeleteWord => "delete a word",
            Self::DeleteLine => "delete the whole line",
            Self::Bookmark => "bookmark on/off",
            Self::ToggleRead => "read/unread",
            Self::Views => "views: saved searches, with unread counts",
            Self::View(_) => "this view / back to the first",
            Self::GoToView(_) => "the n-th view",
            Self::SaveView => "save the search as a view (asks for a name)",
            Self::Undo => "undo the last read mark, bookmark or hide",
            Self::Hide => "hide the story / unhide a hidden one",
            Self::ShowHidden => "show hidden stories too / leave them out",
            Self::CycleSort => "sort: newest, oldest, title, library order",
            Self::Raw => "raw file on/off",
            Self::FullWidth => "full width on/off",
            Self::Links => "links in the story",
            Self::OpenUrl => "open the story's web page",
            Self::CopyUrl => "copy the story's web address",
            Self::FullText => "fetch the full text from the story's web page",
            Self::Snippets => "snippets under headlines on/off",
            Self::FetchFeeds => "fetch every feed (in the background)",
            Self::Feeds => "feeds: show one feed or category",
            Self::Related => "more like this: stories like this one",
            Self::ExpandGroup => "show / fold a story's other versions",
            Self::NextVersion => "next version of this story",
            Self::PreviousVersion => "previous version of this story",
            Self::ToggleGroups => "group versions of a story on/off",
            Self::Skipped => "skipped files and failed feeds",
            Self::Help => "this help",
            Self::Close => "close",
            Self::Suspend => "suspend to the shell (fg resumes)",
            Self::Quit => "quit",
            Self::Insert(_) => "type into the search",
            Self::Resize(..) | Self::Mouse(..) | Self::Tick => "",
        }
    }

    /// A one-word label for the status-bar hints, or `None` for actions
    /// too minor to advertise there (the help overlay lists everything).
    pub fn hint(self) -> Option<&'static str> {
        Some(match self {
            Self::Open => "open",
            Self::Back => "back",
            Self::NextStory => "next",
            Self::Search => "search",
            Self::Submit => "keep",
            Self::Cancel => "clear",
            Self::Bookmark => "bookmark",
            Self::Raw => "raw",
            Self::Links => "links",
            Self::OpenUrl => "browser",
            Self::CopyUrl => "copy",
            Self::Help => "help",
            Self::Close => "close",
            Self::Quit => "quit",
            _ => return None,
        })
    }
}
