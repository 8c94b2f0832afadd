//! Bookmarks, read marks, hidden stories and reading positions between the app and the
//! disk.
//!
//! The app never touches the store: it queues its changes (marks,
//! positions) and takes in stored state through [`Event::Stored`]. The
//! run loop calls [`Persist::sync`] after every batch of messages and
//! before it draws, which hands the queued changes to the [`Store`]:
//! bookmarks and read marks, changes made on purpose, are saved there and
//! then, so the screen never shows one that is not on disk (one that could
//! not be saved is undone, and the status bar says why); reading
//! positions, a stream while scrolling, are saved by the store once they
//! have settled. It also takes in what other processes saved every few
//! seconds, and tells the loop when to wake up for the next of these.
//! [`Persist::finish`] saves everything on the way out, whatever the way,
//! and [`Persist::save_session`] where the reader was, for the next start.

use crate::app::marks::{Hide, HideChange, Mark, MarkChange, Marks};
use crate::app::positions::Positions;
use crate::app::{App, Event};
use crate::store::{Store, StoreError, Warning, session};
use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

/// How often to look for changes saved by another process (a second
/// terminal, a script running `tidings bookmarks add`): a small read, so
/// an idle app stays idle.
pub const REFRESH_EVERY: Duration = Duration::from_secs(3);

/// What [`Persist::sync`] asks of the loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Next {
    /// The app's state changed (stored state taken in, a warning shown).
    pub redraw: bool,
    /// Call [`Persist::sync`] again by then, even if nothing happens.
    pub deadline: Instant,
}

pub struct Persist {
    store: Store,
    /// Current article id -> the key its bookmark is stored under (its
    /// id, or its path when written by hand without one), for bookmarks
    /// found by path or headline (the file was edited since), so
    /// un-bookmarking removes the stored bookmark.
    aliases: HashMap<String, String>,
    /// The store revision and library size the app last got, to rebuild
    /// its marks only when either moved.
    seen: (u64, usize),
    next_refresh: Instant,
}

impl Persist {
    /// Open the store in `dir`; the warnings (a damaged file moved aside, a
    /// newer file left read-only) are for stderr and the status bar.
    pub fn open(dir: &Path) -> (Self, Vec<Warning>) {
        let (store, warnings) = Store::open(dir);
        (Self::new(store), warnings)
    }

    pub fn new(store: Store) -> Self {
        Self {
            store,
            aliases: HashMap::new(),
            seen: (0, 0),
            next_refresh: Instant::now() + REFRESH_EVERY,
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Give the app what is stored: bookmarks found in its library (by id,
    /// path or headline, under the article's current id), bookmarks not
    /// found (listed as missing), read marks and positions.
    pub fn seed(&mut self, app: &mut App) {
        let articles = app.library().articles();
        let mut bookmarked = Vec::new();
        let mut missing = Vec::new();
        self.aliases.clear();
        for found in self.store.resolve_bookmarks(app.library()) {
            let stored = found.bookmark.key().to_string();
            match found.article_index {
                Some(i) => {
                    let current = articles[i].id().to_string();
                    if current != stored {
                        self.aliases.insert(current.clone(), stored);
                    }
                    bookmarked.push(current);
                }
                None => {
                    bookmarked.push(stored);
                    missing.push(found.bookmark);
                }
            }
        }
        let marks = Marks::new(bookmarked, self.store.read_ids()).with_hides(self.store.hides());
        let positions = Positions::new(self.store.in_progress());
        self.seen = (self.store.revision(), articles.len());
        app.apply(Event::Stored {
            marks,
            positions,
            missing,
        });
    }

    /// Hand the app's changes to the store; save when due; take in other
    /// processes' changes every [`REFRESH_EVERY`]; show any warning.
    pub fn sync(&mut self, app: &mut App, now: Instant) -> Next {
        let mut redraw = false;
        let mut warnings = self.take_changes(app, true);
        let library = app.library();
        let len = library.articles().len();
        let progress = library.progress();
        // The whole list is known when loading is done, or, on a warm start,
        // as soon as the load cache has been read (checking the files for
        // changes comes after; `done` covers what it finds).
        let listed = (progress.done && self.seen.1 != len)
            || (progress.cached && !progress.done && self.seen.1 == 0 && len > 0);
        if !warnings.is_empty() || listed {
            // A refused or unsaved mark (undone here), or a library that
            // has been listed in the background: show the app what is
            // stored, with bookmarks resolved against every article.
            self.seed(app);
            redraw = true;
        }
        let save_in = self.store.flush_if_due(now);
        if now >= self.next_refresh {
            self.next_refresh = now + REFRESH_EVERY;
            self.store.refresh();
            if self.seen != (self.store.revision(), app.library().articles().len()) {
                self.seed(app);
                redraw = true;
            }
        }
        warnings.extend(self.store.take_warnings());
        if !warnings.is_empty() {
            app.apply(Event::Warning(warnings.join("; ")));
            redraw = true;
        }
        let deadline = save_in.map_or(self.next_refresh, |d| (now + d).min(self.next_refresh));
        Next { redraw, deadline }
    }

    /// A story's file was rewritten under the app (`F`), so its id
    /// changed: resolve the bookmarks again at the next sync, so one that
    /// follows the file by its path shows, and can be removed.
    pub fn library_changed(&mut self) {
        self.seen = (u64::MAX, usize::MAX);
    }

    /// Save everything now: on quit, on a signal, when the terminal is gone
    /// (one save for all that is waiting: nothing is drawn after it).
    pub fn finish(&mut self, app: &mut App) -> Result<(), StoreError> {
        self.take_changes(app, false);
        self.store.flush()
    }

    /// Take the app back to where the last session left off (see
    /// [`crate::store::session`]); nothing happens without a usable file.
    pub fn restore_session(&self, app: &mut App) {
        if let Some(session) = self.store.dir().and_then(session::load) {
            app.apply(Event::Session(session));
        }
    }

    /// Remember where the app is, for the next start. Only ever a
    /// convenience: when it cannot be written, the next start opens at
    /// the top of the list.
    pub fn save_session(&self, app: &App) {
        if let Some(dir) = self.store.dir() {
            let _ = session::save(dir, &app.session());
        }
    }

    /// Move the app's queued changes into the store, positions first, so a
    /// mark saved `now` takes them along; a message for each mark refused
    /// (a read-only file) or not saved.
    fn take_changes(&mut self, app: &mut App, now: bool) -> Vec<Warning> {
        for change in app.take_position_changes() {
            self.store.set_position(&change.id, change.paragraph);
        }
        let mut refused = Vec::new();
        for change in app.take_mark_changes() {
            if let Err(e) = self.apply(app, &change, now) {
                refused.push(self.refusal(&change, &e));
            }
        }
        for change in app.take_hide_changes() {
            if let Err(e) = self.save_hide(&change, now) {
                refused.push(self.hide_refusal(&change, &e));
            }
        }
        for bookmark in app.take_restored_bookmarks() {
            let change = MarkChange {
                mark: Mark::Bookmarked,
                id: bookmark.key().to_string(),
                on: true,
            };
            if let Err(e) = self.store.restore_bookmark(bookmark, now) {
                refused.push(self.refusal(&change, &e));
            }
        }
        refused
    }

    /// Hand one mark to the store: saved before this returns when `now`,
    /// else queued for the next save.
    fn apply(&mut self, app: &App, change: &MarkChange, now: bool) -> Result<(), StoreError> {
        let store = &mut self.store;
        match (change.mark, change.on) {
            (Mark::Read, on) if now => store.set_read_now(&change.id, on)?,
            (Mark::Read, on) => store.set_read(&change.id, on),
            (Mark::Bookmarked, true) => {
                let meta = app
                    .library()
                    .articles()
                    .iter()
                    .find(|a| a.id() == change.id);
                if let Some(meta) = meta {
                    if now {
                        store.add_bookmark_now(meta)?;
                    } else {
                        store.add_bookmark(meta)?;
                    }
                }
            }
            // Positions are saved as positions, not as marks.
            (Mark::Started, _) => {}
            (Mark::Bookmarked, false) => {
                let stored = self.aliases.get(&change.id).unwrap_or(&change.id);
                if now {
                    store.remove_bookmark_now(stored)?;
                } else {
                    store.remove_bookmark(stored)?;
                }
                self.aliases.remove(&change.id);
            }
        }
        Ok(())
    }

    /// Hand a story hidden or shown by hand to the store, saved before this
    /// returns when `now`, as read marks are.
    fn save_hide(&mut self, change: &HideChange, now: bool) -> Result<(), StoreError> {
        if now {
            self.store.set_hide_now(&change.id, change.hide)
        } else {
            self.store.set_hide(&change.id, change.hide);
            Ok(())
        }
    }

    fn hide_refusal(&self, change: &HideChange, e: &StoreError) -> Warning {
        let what = match change.hide {
            Some(Hide::Hidden) => "Not hidden",
            Some(Hide::Shown) => "Not unhidden",
            None => "Hide not changed",
        };
        self.why_not(what, e)
    }

    /// What the status bar says about a mark that did not happen: which,
    /// and why, with paths inside the data dir shortened to file names.
    fn refusal(&self, change: &MarkChange, e: &StoreError) -> Warning {
        let what = match (change.mark, change.on) {
            (Mark::Bookmarked, true) => "Not bookmarked",
            (Mark::Bookmarked, false) => "Bookmark not removed",
            (Mark::Read, true) => "Not marked read",
            (Mark::Read, false) => "Not marked unread",
            (Mark::Started, _) => "Not saved",
        };
        self.why_not(what, e)
    }

    /// `what` did not happen, and why.
    fn why_not(&self, what: &str, e: &StoreError) -> Warning {
        let why = match e {
            StoreError::ReadOnly(why) => why.clone(),
            other => format!("could not save: {other}"),
        };
        let why = match self.store.dir() {
            Some(dir) => why.replace(&format!("{}/", dir.display()), ""),
            None => why,
        };
        format!("{what}: {why}")
    }
}
