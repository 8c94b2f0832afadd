//! tidings: a terminal news reader for a library of articles on disk.
//!
//! # The data flow
//!
//! ```text
//! files on disk -> library (discover, read, parse, sanitise) -> ArticleMeta
//!     -> search index (built and queried by search::worker, off the UI thread)
//! terminal events -> keymap -> Action -> App::update     (the user's intent)
//! loads, results, progress, stored state -> App::apply(Event)   (the world)
//! &App -> ui::draw -> the frame;   store <- bookmarks, read marks, positions
//! ```
//!
//! Every arrow goes one way: parsing never knows about the screen, the
//! screen never touches the disk, and [`app::App`] is pure state. The
//! runtime ([`tui`]) owns the threads and the loop that connects the pieces;
//! the command line ([`cli`]) drives the same pieces without a terminal.
//!
//! # Where each part lives, and what it may touch
//!
//! - `main.rs`: thin. Parses the command line, then hands over to [`cli`]
//!   or to the runtime with a plain options struct; maps errors to exit
//!   codes.
//! - [`cli`]: the non-interactive subcommands (`list`, `show`, `search`,
//!   `bookmarks`). Uses [`library`], [`search`] and [`store`]; never the
//!   app or the screen.
//! - [`tui`]: the runtime. `launch`, the event loop (`Msg`, `run`,
//!   `handle`), the input and signal sources, the bridge that saves marks
//!   to [`store`] before they are shown, the load-cache writer. The only
//!   place that starts threads and ties [`app`], [`ui`], [`terminal`], the
//!   search worker, [`store`] and [`library`] together.
//! - [`app`]: the state. `App::update(Action)` for keys, `App::apply(Event)`
//!   for news from background work (articles loaded, files skipped, search
//!   results, indexing progress, stored state, warnings, an opened
//!   story's body); nothing else mutates it. The story list (filtering,
//!   ranking, selection, paging) is the one source of truth for what is
//!   visible. A query is matched against headlines as it is typed
//!   (`app::headlines`); what the engine answered, how far indexing is
//!   and the snippets are the app's side of full-text search
//!   (`app::fulltext`). It reads no file, starts no thread, and imports
//!   neither [`ui`], [`cli`] nor [`terminal`]: it may use [`library`]'s
//!   model, [`store`]'s types, [`search`]'s query types (the one
//!   [`search::Mark`] among them), [`keymap`] and [`action`].
//! - [`ui`]: one file per pane, each a pure function of `&App` onto a
//!   frame: no state changed, no disk touched. Layout geometry
//!   ([`layout`]) and the theme ([`theme`]) are shared with [`app`] and
//!   [`config`] without a cycle.
//! - [`keymap`] and [`action`]: keys to [`action::Action`] values per
//!   [`keymap::Mode`], in one pure lookup; the help overlay's rows come
//!   from the keymap, so the overlay and the hints are never typed twice.
//! - [`config`]: the defaults from `assets/config.toml` (keys, theme,
//!   reading), a user file merged over them, refused with its line when it
//!   would break the keyboard.
//! - [`library`]: discover files, read and parse them in parallel, one
//!   outcome per file (loaded or skipped, with why), the load cache, ids
//!   and paths resolved. Knows nothing of the app or the screen.
//! - [`article`]: the article model, its parser and the one sanitiser all
//!   untrusted text goes through; [`text`]: widths and wrapping, measured
//!   as ratatui draws.
//! - [`search`]: the full-text engine (tantivy), the query language and
//!   highlights; [`search::worker`] is the background indexer and searcher,
//!   reporting through its own events and given the ids it needs by its
//!   caller.
//! - [`store`]: bookmarks, read marks, reading positions and the session:
//!   atomic, locked, versioned files in the data dir.
//! - [`terminal`]: set up and restore the terminal on every way out,
//!   signals, checks that a terminal can draw the reader.
//!
//! The import graph has no cycles: main -> {cli, tui}; tui -> {app, ui,
//! terminal, search, store, library}; ui -> app; app -> {library, store,
//! search, keymap, action, layout, theme}. Keep it so: a new feature finds
//! its place above, and a file that passes about 400 lines is split along
//! its seams.

pub mod action;
pub mod app;
pub mod article;
pub mod cli;
pub mod config;
pub mod feeds;
pub mod hide;
pub mod keymap;
pub mod layout;
pub mod library;
pub mod search;
pub mod store;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod tui;
pub mod ui;
