//! Bookmarks and reading state, kept on disk so they are never lost.
//!
//! Two files in the data dir hold it (see the README for their formats):
//! `bookmarks.json`, a small hand-editable document rewritten atomically, and
//! `state.log`, an append-only log of read/unread marks and reading
//! positions, replayed at open and compacted now and then. A third,
//! `session.json` ([`session`]), only says where the reader was.
//!
//! The [`Store`] keeps everything in memory. A change the user made on
//! purpose (a bookmark, a read mark) is saved before the call returns
//! ([`Store::add_bookmark_now`], [`Store::set_read_now`]), and undone when
//! it cannot be, so nothing shows a mark that is not on disk. Other changes
//! (reading positions) are saved in the background of the caller's loop:
//! each marks the store dirty, [`Store::flush_if_due`] saves once changes
//! have settled (within a second of the first), and [`Store::flush`] saves
//! at once (quit, signals, the command line). Every
//! save takes an advisory lock, re-reads what other processes saved, and
//! merges this process's changes on top, so two instances never undo each
//! other's work; [`Store::refresh`] takes in their changes between saves.
//! Problems never stop the reader: they become warnings, plain
//! strings for the status bar or stderr, from [`Store::open`] and
//! [`Store::take_warnings`].

pub(crate) mod atomic;
pub mod bookmarks;
mod log;
mod save;
pub mod session;
pub mod state;
#[cfg(test)]
mod tests;

pub use bookmarks::{Bookmark, Match, ResolvedBookmark};

use crate::article::ArticleMeta;
use crate::library::Library;
use atomic::{DirLock, LOCK_WAIT, LockError};
use log::{LogFile, Synced};
pub use state::Hide;
use state::{Op, State};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A background save happens this long after the first unsaved change:
/// long enough to gather a burst of scrolling into one write, short enough
/// that a crash loses under a second of reading positions.
pub const SAVE_DELAY: Duration = Duration::from_millis(500);
/// After a failed save, try again this often.
pub const RETRY_DELAY: Duration = Duration::from_secs(5);

/// A problem worth telling the user about, fit for a status bar.
pub type Warning = String;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: {}", .0.display(), .1)]
    Io(PathBuf, std::io::Error),
    #[error(transparent)]
    Lock(#[from] LockError),
    /// The file cannot be written this session (the reason says why).
    #[error("{0}")]
    ReadOnly(String),
}

/// Whether a file may be written, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Access {
    Writable,
    ReadOnly(String),
}

/// Bookmarks and reading state, in memory, saved to a data dir.
#[derive(Debug)]
pub struct Store {
    /// `None` for a store that never touches the disk.
    dir: Option<PathBuf>,
    bookmarks: Vec<Bookmark>,
    /// This process's bookmark changes since the last save, replayed onto
    /// the file as it is then.
    bookmark_ops: Vec<bookmarks::Op>,
    bookmarks_access: Access,
    state: State,
    state_ops: Vec<Op>,
    /// The whole log must be written even with no new changes (it was
    /// salvaged from a damaged file).
    state_rewrite: bool,
    state_access: Access,
    log: Option<LogFile>,
    dirty_since: Option<Instant>,
    retry_after: Option<Instant>,
    warnings: Vec<Warning>,
    /// The last save error reported, so a failing disk is not reported on
    /// every retry.
    last_error: Option<String>,
    /// Goes up whenever [`Store::refresh`] took in another process's
    /// changes, so a caller can skip rebuilding its view when nothing came.
    revision: u64,
}

impl Store {
    /// A store that keeps everything in memory only.
    pub fn in_memory() -> Self {
        Self {
            dir: None,
            bookmarks: Vec::new(),
            bookmark_ops: Vec::new(),
            bookmarks_access: Access::Writable,
            state: State::default(),
            state_ops: Vec::new(),
            state_rewrite: false,
            state_access: Access::Writable,
            log: None,
            dirty_since: None,
            retry_after: None,
            warnings: Vec::new(),
            last_error: None,
            revision: 0,
        }
    }

    /// Load the store kept in `dir` (created on the first save). Never
    /// fails: damaged files are moved aside, a newer format makes that file
    /// read-only, an unusable dir gives an in-memory store; each says so in
    /// the warnings returned.
    pub fn open(dir: &Path) -> (Self, Vec<Warning>) {
        let mut store = Self::in_memory();
        if dir.exists() && !dir.is_dir() {
            store.warn(format!(
                "data dir {} is not a folder: bookmarks and reading state will not be saved",
                dir.display()
            ));
            let warnings = store.take_warnings();
            return (store, warnings);
        }
        store.dir = Some(dir.to_path_buf());
        store.load_bookmarks(dir);
        store.load_state(dir);
        let warnings = store.take_warnings();
        (store, warnings)
    }

    /// Changes whenever a [`Store::refresh`] brought in changes saved by
    /// another process (bookmarks, read marks or positions).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Warnings raised since the last call (failed or refused saves).
    pub fn take_warnings(&mut self) -> Vec<Warning> {
        std::mem::take(&mut self.warnings)
    }

    fn warn(&mut self, w: impl Into<String>) {
        self.warnings.push(w.into());
    }

    fn mark_dirty(&mut self) {
        self.dirty_since.get_or_insert_with(Instant::now);
    }

    /// After a save of one file: when nothing else waits, the store is
    /// clean, and no retry of an older failure is due.
    fn settle(&mut self) {
        if self.bookmark_ops.is_empty() && self.state_ops.is_empty() && !self.state_rewrite {
            self.dirty_since = None;
            self.retry_after = None;
            self.last_error = None;
        }
    }

    /// Whether changes are waiting to be saved.
    pub fn is_dirty(&self) -> bool {
        self.dirty_since.is_some()
    }

    // ---- bookmarks ----

    fn bookmarks_path(dir: &Path) -> PathBuf {
        dir.join("bookmarks.json")
    }

    fn load_bookmarks(&mut self, dir: &Path) {
        let path = Self::bookmarks_path(dir);
        let lock = DirLock::acquire(&dir.join("bookmarks.lock"), LOCK_WAIT).ok();
        atomic::remove_stale_temps(&path, lock.as_ref().is_some_and(DirLock::is_held));
        match std::fs::read(&path) {
            Ok(bytes) => self.take_bookmarks_file(&path, &bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => self.bookmarks_read_only(format!(
                "cannot read bookmarks {}: {e}; bookmarks will not be saved",
                path.display()
            )),
        }
    }

    /// Adopt the bookmarks in the file read at open.
    fn take_bookmarks_file(&mut self, path: &Path, bytes: &[u8]) {
        match bookmarks::parse(bytes) {
            bookmarks::Parsed::Current(contents) => {
                if let Some(w) = contents.unreadable_warning(path) {
                    self.warn(w);
                }
                self.bookmarks = contents.bookmarks;
            }
            bookmarks::Parsed::Newer(v) => {
                self.bookmarks = bookmarks::lenient(bytes);
                self.bookmarks_read_only(newer_message(path, v));
            }
            bookmarks::Parsed::Corrupt(why) => {
                if let Err(e) = self.move_bookmarks_aside(path, &why) {
                    self.bookmarks_read_only(e.to_string());
                }
            }
        }
    }

    /// Keep a damaged bookmarks file as `bookmarks.json.corrupt-<time>`.
    fn move_bookmarks_aside(&mut self, path: &Path, why: &str) -> Result<(), StoreError> {
        match atomic::move_aside(path) {
            Ok(to) => {
                self.warn(format!(
                    "bookmarks {} was damaged ({why}); moved it to {}",
                    path.display(),
                    to.display()
                ));
                Ok(())
            }
            Err(e) => Err(StoreError::ReadOnly(format!(
                "bookmarks {} is damaged ({why}) and could not be moved aside ({e}): bookmarks will not be saved",
                path.display()
            ))),
        }
    }

    fn bookmarks_read_only(&mut self, why: String) {
        self.warn(why.clone());
        self.bookmarks_access = Access::ReadOnly(why);
    }

    pub fn bookmarks(&self) -> &[Bookmark] {
        &self.bookmarks
    }

    /// Whether a bookmark has this key (an id, or the path of one written
    /// by hand without an id: [`Bookmark::key`]).
    pub fn is_bookmarked(&self, key: &str) -> bool {
        self.bookmarks.iter().any(|b| b.key() == key)
    }

    /// Whether bookmarks can be changed (not when the file is from a newer
    /// version or unreadable); the error says why.
    pub fn check_bookmarks_writable(&self) -> Result<(), StoreError> {
        match &self.bookmarks_access {
            Access::Writable => Ok(()),
            Access::ReadOnly(why) => Err(StoreError::ReadOnly(why.clone())),
        }
    }

    /// Bookmark `meta`; false when it already was (by id, or by path when
    /// its bookmark was written by hand without an id).
    pub fn add_bookmark(&mut self, meta: &ArticleMeta) -> Result<bool, StoreError> {
        self.check_bookmarks_writable()?;
        let by_path = |b: &Bookmark| b.id.is_empty() && b.path == meta.rel_path();
        if self.is_bookmarked(meta.id()) || self.bookmarks.iter().any(by_path) {
            return Ok(false);
        }
        self.bookmark_change(bookmarks::Op::Add(Bookmark::new(meta)));
        Ok(true)
    }

    /// Remove the bookmark with this exact key ([`Bookmark::key`]: its id,
    /// or its path when it has none); false when there was none.
    pub fn remove_bookmark(&mut self, key: &str) -> Result<bool, StoreError> {
        self.check_bookmarks_writable()?;
        if !self.is_bookmarked(key) {
            return Ok(false);
        }
        self.bookmark_change(bookmarks::Op::Remove(key.to_string()));
        Ok(true)
    }

    /// Put back a bookmark exactly as it was stored (undoing its removal,
    /// when its story is no longer in the library to bookmark again);
    /// false when one with its key is there. Saved at once when `now`, as
    /// [`Store::add_bookmark_now`] does.
    pub fn restore_bookmark(&mut self, bookmark: Bookmark, now: bool) -> Result<bool, StoreError> {
        let restore = |store: &mut Self| {
            store.check_bookmarks_writable()?;
            let new = !store.is_bookmarked(bookmark.key());
            if new {
                store.bookmark_change(bookmarks::Op::Add(bookmark));
            }
            Ok(new)
        };
        if now {
            self.bookmark_now(restore)
        } else {
            restore(self)
        }
    }

    /// Bookmark or un-bookmark `meta`; returns whether it is now bookmarked.
    pub fn toggle_bookmark(&mut self, meta: &ArticleMeta) -> Result<bool, StoreError> {
        if self.is_bookmarked(meta.id()) {
            self.remove_bookmark(meta.id()).map(|_| false)
        } else {
            self.add_bookmark(meta).map(|_| true)
        }
    }

    /// Bookmark `meta` and save it before returning: a change the user
    /// made on purpose is on disk before anything says it happened. False
    /// when it already was bookmarked; on an error nothing changed, in
    /// memory or on disk.
    pub fn add_bookmark_now(&mut self, meta: &ArticleMeta) -> Result<bool, StoreError> {
        self.bookmark_now(|store| store.add_bookmark(meta))
    }

    /// Remove the bookmark with this key and save at once, as
    /// [`Store::add_bookmark_now`] does.
    pub fn remove_bookmark_now(&mut self, key: &str) -> Result<bool, StoreError> {
        self.bookmark_now(|store| store.remove_bookmark(key))
    }

    /// Make a bookmark change and save it; undo it in memory when the save
    /// fails.
    fn bookmark_now(
        &mut self,
        change: impl FnOnce(&mut Self) -> Result<bool, StoreError>,
    ) -> Result<bool, StoreError> {
        let (before, pending) = (self.bookmarks.clone(), self.bookmark_ops.len());
        if !change(self)? {
            return Ok(false);
        }
        let Some(dir) = self.dir.clone() else {
            return Ok(true);
        };
        match self.save_bookmarks(&dir) {
            Ok(()) => {
                self.settle();
                Ok(true)
            }
            Err(e) => {
                self.bookmarks = before;
                self.bookmark_ops.truncate(pending);
                Err(e)
            }
        }
    }

    fn bookmark_change(&mut self, op: bookmarks::Op) {
        bookmarks::apply(&mut self.bookmarks, std::slice::from_ref(&op));
        self.bookmark_ops.push(op);
        self.mark_dirty();
    }

    /// Each bookmark with its article in `library` (by id, then relative
    /// path, then title); missing articles are kept, marked missing.
    pub fn resolve_bookmarks(&self, library: &Library) -> Vec<ResolvedBookmark> {
        bookmarks::resolve(&self.bookmarks, library)
    }

    // ---- reading state ----

    fn load_state(&mut self, dir: &Path) {
        let mut log = LogFile::new(dir);
        let mut warnings = Vec::new();
        match log.load(&mut self.state, &mut warnings) {
            Ok(Synced::Newer(v)) => self.state_read_only(format!(
                "reading state {} is from a newer tidings (version {v}): left untouched, read marks and positions will not be saved",
                log.path().display()
            )),
            Ok(_) => {}
            Err(e) => self.state_read_only(format!(
                "cannot read reading state: {e}; read marks and positions will not be saved"
            )),
        }
        self.warnings.extend(warnings);
        self.log = Some(log);
    }

    fn state_read_only(&mut self, why: String) {
        self.warn(why.clone());
        self.state_access = Access::ReadOnly(why);
    }

    /// Whether the article has been read.
    pub fn is_read(&self, id: &str) -> bool {
        state::key(id).is_some_and(|k| self.state.get(k).read)
    }

    /// Mark an article read or unread. Ids that are not article ids (16 hex
    /// digits) are ignored.
    pub fn set_read(&mut self, id: &str, read: bool) {
        if let Some(k) = state::key(id) {
            self.state_change(Op::Read(k, read));
        }
    }

    /// Mark an article read or unread and save it before returning (an
    /// fsync'd append, with any reading positions waiting): a change the
    /// user made on purpose is on disk before anything says it happened.
    /// On an error nothing changed, in memory or on disk; a reading state
    /// that is read-only this session is an error too.
    pub fn set_read_now(&mut self, id: &str, read: bool) -> Result<(), StoreError> {
        let Some(k) = state::key(id) else {
            return Ok(());
        };
        let before = self.state.get(k).read;
        self.state_now(Op::Read(k, read), Op::Read(k, before))
    }

    /// Whether the article was hidden or shown by hand, and which.
    pub fn hide(&self, id: &str) -> Option<Hide> {
        state::key(id).and_then(|k| self.state.get(k).hide)
    }

    /// Hide or show an article by hand, or leave it to the hide rules
    /// (`None`), saved later. Ids that are not article ids are ignored.
    pub fn set_hide(&mut self, id: &str, hide: Option<Hide>) {
        if let Some(k) = state::key(id) {
            self.state_change(Op::Hide(k, hide));
        }
    }

    /// [`Store::set_hide`], saved before returning, as
    /// [`Store::set_read_now`] does.
    pub fn set_hide_now(&mut self, id: &str, hide: Option<Hide>) -> Result<(), StoreError> {
        let Some(k) = state::key(id) else {
            return Ok(());
        };
        let before = self.state.get(k).hide;
        self.state_now(Op::Hide(k, hide), Op::Hide(k, before))
    }

    /// Every article hidden or shown by hand (its id), and which.
    pub fn hides(&self) -> Vec<(String, Hide)> {
        self.state
            .hides()
            .map(|(k, h)| (state::id_of(k), h))
            .collect()
    }

    /// Apply `op` and save it at once; on an error apply `undo` (the state
    /// as it was) and drop it from the queue, so nothing changed.
    fn state_now(&mut self, op: Op, undo: Op) -> Result<(), StoreError> {
        if op == undo || self.dir.is_none() {
            self.state_change(op);
            return Ok(());
        }
        if let Access::ReadOnly(why) = &self.state_access {
            return Err(StoreError::ReadOnly(why.clone()));
        }
        let pending = self.state_ops.len();
        self.state_change(op);
        match self.save_state() {
            Ok(()) => {
                self.settle();
                Ok(())
            }
            Err(e) => {
                // The change is the last op queued (only positions merge).
                self.state_ops.truncate(pending);
                self.state.apply(undo);
                Err(e)
            }
        }
    }

    /// Flip read/unread; returns whether it is now read.
    pub fn toggle_read(&mut self, id: &str) -> bool {
        let now = !self.is_read(id);
        self.set_read(id, now);
        now
    }

    /// The paragraph that was at the top of the reader when the article was
    /// last left, if it was left anywhere but the top.
    pub fn position(&self, id: &str) -> Option<usize> {
        let k = state::key(id)?;
        self.state.get(k).position.map(|p| p as usize)
    }

    /// Remember the paragraph at the top of the reader; 0 (the top) forgets
    /// the position. Calling this on every scroll is fine: only the last
    /// value before a save is written.
    pub fn set_position(&mut self, id: &str, paragraph: usize) {
        if let Some(k) = state::key(id) {
            let p = u32::try_from(paragraph).unwrap_or(u32::MAX);
            self.state_change(Op::Position(k, (p > 0).then_some(p)));
        }
    }

    /// Articles left part-way ("continue reading"): id and paragraph, most
    /// recently read first.
    pub fn in_progress(&self) -> Vec<(String, usize)> {
        self.state
            .in_progress()
            .into_iter()
            .map(|(k, p)| (state::id_of(k), p as usize))
            .collect()
    }

    /// How many articles are marked read.
    pub fn read_count(&self) -> usize {
        self.state.read_count()
    }

    /// Ids of every article marked read.
    pub fn read_ids(&self) -> Vec<String> {
        self.state.read_keys().map(state::id_of).collect()
    }

    fn state_change(&mut self, op: Op) {
        if !self.state.apply(op) || self.state_access != Access::Writable || self.dir.is_none() {
            return;
        }
        // Scrolling sets one article's position many times: keep the last.
        match (self.state_ops.last_mut(), op) {
            (Some(Op::Position(k0, p0)), Op::Position(k, p)) if *k0 == k => *p0 = p,
            _ => self.state_ops.push(op),
        }
        self.mark_dirty();
    }
}

pub(crate) fn newer_message(path: &Path, version: u64) -> String {
    format!(
        "bookmarks {} is from a newer tidings (version {version}): left untouched, bookmarks are read-only",
        path.display()
    )
}

/// The store answers the search engine's `is:bookmarked` / `is:read` /
/// `is:unread` / `is:started` filters.
impl crate::search::Marks for Store {
    fn ids(&self, mark: crate::search::Mark) -> Vec<String> {
        match mark {
            crate::search::Mark::Bookmarked => {
                self.bookmarks().iter().map(|b| b.id.clone()).collect()
            }
            crate::search::Mark::Read => self.read_ids(),
            crate::search::Mark::Started => {
                self.in_progress().into_iter().map(|(id, _)| id).collect()
            }
        }
    }
}
