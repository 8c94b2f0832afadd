//! Saving: the debounced save the event loop drives, and the immediate one
//! for quit, signals and the command line.

use super::atomic::{self, DirLock, LOCK_WAIT};
use super::log::{Synced, io_err};
use super::{RETRY_DELAY, SAVE_DELAY, Store, StoreError, bookmarks, newer_message};
use std::path::Path;
use std::time::{Duration, Instant};

impl Store {
    /// Save if changes have waited [`SAVE_DELAY`] (or a failed save's
    /// [`RETRY_DELAY`]). Returns how long until it should be called again,
    /// `None` when nothing is waiting: the caller's event loop can use it as
    /// its poll timeout. Failures become warnings ([`Store::take_warnings`]).
    pub fn flush_if_due(&mut self, now: Instant) -> Option<Duration> {
        let since = self.dirty_since?;
        let due = self
            .retry_after
            .map_or(since + SAVE_DELAY, |r| r.max(since + SAVE_DELAY));
        if now < due {
            return Some(due - now);
        }
        match self.flush() {
            Ok(()) => None,
            Err(e) => {
                let msg = format!("could not save: {e}");
                if self.last_error.as_ref() != Some(&msg) {
                    self.warn(format!("{msg} (will retry)"));
                    self.last_error = Some(msg);
                }
                self.retry_after = Some(now + RETRY_DELAY);
                Some(RETRY_DELAY)
            }
        }
    }

    /// Take in what other processes (another terminal, a script) saved
    /// since this store last read or wrote the files; this process's unsaved
    /// changes stay on top. Cheap: the reading-state log is read from where
    /// the last read stopped. Problems become warnings.
    pub fn refresh(&mut self) {
        let Some(dir) = self.dir.clone() else {
            return;
        };
        if self.bookmarks_access == super::Access::Writable {
            let path = Self::bookmarks_path(&dir);
            if let Ok(bytes) = std::fs::read(&path)
                && let bookmarks::Parsed::Current(contents) = bookmarks::parse(&bytes)
            {
                let mut list = contents.bookmarks;
                bookmarks::apply(&mut list, &self.bookmark_ops);
                if list != self.bookmarks {
                    self.revision += 1;
                }
                self.bookmarks = list;
            }
        }
        if self.state_access != super::Access::Writable {
            return;
        }
        let Some(log) = self.log.as_mut() else {
            return;
        };
        let path = log.path().display().to_string();
        let mut warnings = Vec::new();
        let before = log.read_mark();
        let result = log.refresh(&mut self.state, &self.state_ops, &mut warnings);
        if log.read_mark() != before {
            self.revision += 1;
        }
        let damaged = !warnings.is_empty();
        self.warnings.extend(warnings);
        match result {
            Ok(Some(Synced::Newer(v))) => self.state_read_only(format!(
                "reading state {path} was replaced by a newer tidings (version {v}): left untouched, read marks and positions will not be saved"
            )),
            // Moved aside as unreadable: write back what this process knew.
            Ok(Some(Synced::Missing)) if damaged => {
                self.state_rewrite = true;
                self.mark_dirty();
            }
            // Repaired, with this process's changes in it.
            Ok(Some(Synced::Repaired)) => self.state_ops.clear(),
            Ok(_) => {}
            Err(e) => self.warn(format!("could not read reading state: {e}")),
        }
    }

    /// Save every waiting change now (on quit, on a signal, at the end of
    /// a command). Unsaved changes are kept for another try on error.
    pub fn flush(&mut self) -> Result<(), StoreError> {
        let Some(dir) = self.dir.clone() else {
            self.dirty_since = None;
            return Ok(());
        };
        let bookmarks = self.save_bookmarks(&dir);
        let state = self.save_state();
        bookmarks.and(state)?;
        self.dirty_since = None;
        self.retry_after = None;
        self.last_error = None;
        Ok(())
    }

    /// Replay this process's bookmark changes onto the file as it is now
    /// (another process may have changed it), under the lock.
    pub(super) fn save_bookmarks(&mut self, dir: &Path) -> Result<(), StoreError> {
        if self.bookmark_ops.is_empty() {
            return Ok(());
        }
        self.check_bookmarks_writable()?;
        std::fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
        let _lock = DirLock::acquire(&dir.join("bookmarks.lock"), LOCK_WAIT)?;
        let path = Self::bookmarks_path(dir);
        let mut contents = match std::fs::read(&path) {
            Ok(bytes) => match bookmarks::parse(&bytes) {
                bookmarks::Parsed::Current(contents) => contents,
                bookmarks::Parsed::Newer(v) => {
                    self.bookmark_ops.clear();
                    let why = newer_message(&path, v);
                    self.bookmarks_read_only(why.clone());
                    return Err(StoreError::ReadOnly(why));
                }
                bookmarks::Parsed::Corrupt(why) => {
                    // Damaged since it was read: what this process knew is
                    // the best base (the damaged file is kept aside).
                    self.move_bookmarks_aside(&path, &why)?;
                    bookmarks::Contents {
                        bookmarks: self.bookmarks.clone(),
                        ..Default::default()
                    }
                }
            },
            // Deleted since: only this process's changes remain.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => bookmarks::Contents::default(),
            Err(e) => return Err(io_err(&path, e)),
        };
        bookmarks::apply(&mut contents.bookmarks, &self.bookmark_ops);
        atomic::write_atomic(&path, &bookmarks::render(&contents)).map_err(|e| io_err(&path, e))?;
        self.bookmarks = contents.bookmarks;
        self.bookmark_ops.clear();
        Ok(())
    }

    pub(super) fn save_state(&mut self) -> Result<(), StoreError> {
        if self.state_ops.is_empty() && !self.state_rewrite {
            return Ok(());
        }
        let Some(log) = self.log.as_mut() else {
            return Ok(());
        };
        let mut warnings = Vec::new();
        let result = log.save(&mut self.state, &self.state_ops, &mut warnings);
        self.warnings.extend(warnings);
        if let Synced::Newer(v) = result? {
            let why = format!(
                "reading state {} was replaced by a newer tidings (version {v}): left untouched, read marks and positions will not be saved",
                log.path().display()
            );
            self.state_ops.clear();
            self.state_read_only(why.clone());
            return Err(StoreError::ReadOnly(why));
        }
        self.state_ops.clear();
        self.state_rewrite = false;
        Ok(())
    }
}
