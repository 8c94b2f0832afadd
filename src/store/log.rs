//! `state.log` on disk: replay at open, merge other processes' appends,
//! append this process's changes, compact when the log has grown.
//!
//! Every write happens under `state.lock`, so appends never interleave, a
//! compaction never races an append, and a torn last line can only be left
//! by a writer that died: the next writer cuts it off before appending.
//!
//! Damaged lines among good ones are repaired wherever they are met, by
//! whichever command meets them, as long as the lock can be had: the file
//! is kept as `state.log.corrupt-<time>` and replaced by everything that
//! could be read. Without the lock the file is left as it is until a save
//! can repair it, so no command ever leaves less state than it read.

use super::StoreError;
use super::atomic::{self, DirLock, LOCK_WAIT, LockError};
use super::state::{self, Header, Op, State};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Never compact a log smaller than this: tiny rewrites buy nothing.
const COMPACT_MIN_BYTES: u64 = 64 * 1024;
/// Compact when the log is this many times the size of a compacted one.
const COMPACT_FACTOR: u64 = 2;

/// Which file the log is, so a replacement by another process's compaction
/// is noticed (then the new file is replayed from the start).
type Identity = (u64, u64);

#[cfg(unix)]
fn identity(meta: &fs::Metadata) -> Option<Identity> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

/// Without inode numbers, every save replays the whole log: correct, slower.
#[cfg(not(unix))]
fn identity(_meta: &fs::Metadata) -> Option<Identity> {
    None
}

/// What the log on disk turned out to be.
pub enum Synced {
    /// Replayed up to `offset`; the file is open for appending.
    Open(File),
    /// No log (never written, or just moved aside as damaged).
    Missing,
    /// Written by a newer tidings: left alone.
    Newer(u32),
    /// Damaged lines were found and the log rewritten with the state as
    /// read, `pending` included (the damaged file is kept aside).
    Repaired,
}

#[derive(Debug)]
pub struct LogFile {
    path: PathBuf,
    lock: PathBuf,
    /// The file last replayed, and how far (bytes of complete lines).
    identity: Option<Identity>,
    offset: u64,
    /// The file read has damaged lines that could not be repaired then (no
    /// lock): the next save reads it whole again and repairs it.
    damaged: bool,
    /// The format version of the file replayed: a change it cannot hold
    /// (a hidden story in a version-1 log) rewrites it rather than append.
    version: u32,
}

impl LogFile {
    pub fn new(dir: &Path) -> Self {
        Self {
            path: dir.join("state.log"),
            lock: dir.join("state.lock"),
            identity: None,
            offset: 0,
            damaged: false,
            version: state::VERSION,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Which file was replayed and how far: it moves whenever a sync read
    /// something new.
    pub fn read_mark(&self) -> (Option<Identity>, u64) {
        (self.identity, self.offset)
    }

    /// Read the log into `state` at open; damage is repaired when the lock
    /// can be had, else left for a save to repair (a warning either way).
    /// Works on a read-only data dir, where the lock cannot be created.
    pub fn load(
        &mut self,
        state: &mut State,
        warnings: &mut Vec<String>,
    ) -> Result<Synced, StoreError> {
        let lock = DirLock::acquire(&self.lock, LOCK_WAIT);
        atomic::remove_stale_temps(&self.path, lock.as_ref().is_ok_and(DirLock::is_held));
        let access = if lock.is_ok() {
            Access::Repair
        } else {
            Access::Read
        };
        self.sync(state, &[], access, warnings)
    }

    /// Take in what other processes saved since the last sync, keeping
    /// `pending` on top. Skipped (Ok(None)) while another process is saving.
    pub fn refresh(
        &mut self,
        state: &mut State,
        pending: &[Op],
        warnings: &mut Vec<String>,
    ) -> Result<Option<Synced>, StoreError> {
        match DirLock::acquire(&self.lock, Duration::ZERO) {
            Ok(_lock) => self
                .sync(state, pending, Access::Repair, warnings)
                .map(Some),
            Err(LockError::Busy(_)) => Ok(None),
            // No data dir yet, or not writable: nothing can have changed
            // under a lock, read without one.
            Err(LockError::Io(..)) => self.sync(state, pending, Access::Read, warnings).map(Some),
        }
    }

    /// Save `pending` (already applied to `state`), first merging in what
    /// other processes saved since the last sync.
    pub fn save(
        &mut self,
        state: &mut State,
        pending: &[Op],
        warnings: &mut Vec<String>,
    ) -> Result<Synced, StoreError> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
        let _lock = DirLock::acquire(&self.lock, LOCK_WAIT)?;
        if self.damaged {
            // Read it whole again, to repair it now that the lock is held.
            self.forget();
        }
        match self.sync(state, pending, Access::Write, warnings)? {
            Synced::Missing => {
                self.rewrite(state)?;
                Ok(Synced::Missing)
            }
            Synced::Open(file) => {
                if state.format_version() > self.version {
                    // Older versions would read the new lines as damage.
                    self.rewrite(state)?;
                    return Ok(Synced::Open(file));
                }
                self.append(&file, pending)?;
                if self.offset > COMPACT_MIN_BYTES.max(COMPACT_FACTOR * state.live_bytes()) {
                    self.rewrite(state)?;
                }
                Ok(Synced::Open(file))
            }
            newer => Ok(newer),
        }
    }

    /// Bring `state` up to date with the file: the new tail when it is the
    /// same file as last time, else the whole file; then `pending` again on
    /// top, since this process's unsaved changes are the newest.
    fn sync(
        &mut self,
        state: &mut State,
        pending: &[Op],
        access: Access,
        warnings: &mut Vec<String>,
    ) -> Result<Synced, StoreError> {
        let mut file = match OpenOptions::new()
            .read(true)
            .append(access == Access::Write)
            .open(&self.path)
        {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.forget();
                return Ok(Synced::Missing);
            }
            Err(e) => return Err(io_err(&self.path, e)),
        };
        let meta = file.metadata().map_err(|e| io_err(&self.path, e))?;
        let same =
            identity(&meta).is_some_and(|i| Some(i) == self.identity) && meta.len() >= self.offset;
        let start = if same { self.offset } else { 0 };
        let bytes = read_from(&mut file, start).map_err(|e| io_err(&self.path, e))?;
        let (body_at, fresh) = if same {
            (0, None)
        } else {
            match state::parse_header(&bytes) {
                Header::Current(at, version) => {
                    self.version = version;
                    (at, Some(State::default()))
                }
                Header::Newer(v) => return Ok(Synced::Newer(v)),
                Header::Corrupt(why) => {
                    self.move_aside(&why, warnings)?;
                    return Ok(Synced::Missing);
                }
            }
        };
        let body = state::parse_body(&bytes[body_at..]);
        if let Some(fresh) = fresh {
            *state = fresh;
            state.reserve(body.ops.len());
        }
        for &op in body.ops.iter().chain(pending) {
            state.apply(op);
        }
        if body.damaged > 0 {
            if access != Access::Read {
                self.repair(state, body.damaged, warnings)?;
                return Ok(Synced::Repaired);
            }
            if !self.damaged {
                warnings.push(format!(
                    "reading state {} has {} unreadable line(s): the rest was read, and the file is left as it is until it can be saved",
                    self.path.display(),
                    body.damaged
                ));
            }
            self.damaged = true;
        }
        self.identity = identity(&meta);
        self.offset = start + (body_at + body.consumed) as u64;
        if access == Access::Write && self.offset < start + bytes.len() as u64 {
            // A torn last line from a writer that died mid-append.
            file.set_len(self.offset)
                .map_err(|e| io_err(&self.path, e))?;
        }
        Ok(Synced::Open(file))
    }

    fn append(&mut self, mut file: &File, pending: &[Op]) -> Result<(), StoreError> {
        if pending.is_empty() {
            return Ok(());
        }
        let mut text = String::with_capacity(pending.len() * 24);
        for op in pending {
            op.write_line(&mut text);
        }
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_data())
            .map_err(|e| io_err(&self.path, e))?;
        self.offset += text.len() as u64;
        Ok(())
    }

    /// Replace the log with the live state, atomically (compaction, or the
    /// first save).
    fn rewrite(&mut self, state: &State) -> Result<(), StoreError> {
        let text = state.render();
        atomic::write_atomic(&self.path, text.as_bytes()).map_err(|e| io_err(&self.path, e))?;
        let meta = fs::metadata(&self.path).map_err(|e| io_err(&self.path, e))?;
        self.identity = identity(&meta);
        self.offset = text.len() as u64;
        self.version = state.format_version();
        Ok(())
    }

    /// Keep the damaged file aside and replace it with `state`, everything
    /// that could be read (and this process's changes).
    fn repair(
        &mut self,
        state: &State,
        damaged: usize,
        warnings: &mut Vec<String>,
    ) -> Result<(), StoreError> {
        let kept = atomic::keep_copy(&self.path).map_err(|e| io_err(&self.path, e))?;
        self.rewrite(state)?;
        self.damaged = false;
        warnings.push(format!(
            "reading state {} was damaged ({damaged} unreadable line(s)): the rest was recovered and saved, and the damaged file kept as {}",
            self.path.display(),
            kept.display()
        ));
        Ok(())
    }

    fn move_aside(&mut self, why: &str, warnings: &mut Vec<String>) -> Result<(), StoreError> {
        let to = atomic::move_aside(&self.path).map_err(|e| io_err(&self.path, e))?;
        warnings.push(format!(
            "reading state {} was damaged ({why}); moved it to {}",
            self.path.display(),
            to.display()
        ));
        self.forget();
        Ok(())
    }

    fn forget(&mut self) {
        self.identity = None;
        self.offset = 0;
        self.damaged = false;
    }
}

/// What a sync may do to the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Only read it (no lock is held).
    Read,
    /// Read it, and repair damage (the lock is held).
    Repair,
    /// Also append and cut off a torn last line (the lock is held, to save).
    Write,
}

fn read_from(file: &mut File, start: u64) -> io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(start))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

pub(super) fn io_err(path: &Path, e: io::Error) -> StoreError {
    StoreError::Io(path.to_path_buf(), e)
}
