//! The file-system primitives every saved file goes through: atomic
//! replacement, advisory locks, moving damaged files aside, and removing the
//! temp files a killed writer leaves behind.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

/// How long to wait for another process to finish its save before giving up
/// (saves take milliseconds; this only matters when one is stopped mid-save).
pub const LOCK_WAIT: Duration = Duration::from_secs(5);

/// Temp files older than this are never a live writer's, even when locking
/// is unavailable and the writer's process cannot be checked.
const STALE_TEMP_AGE: Duration = Duration::from_secs(30);

/// Numbers temp files within this process, so two saves never share one.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Replace `path` with `bytes` so that a crash at any moment leaves either
/// the old or the new file, never a mix: write a temp file in the same
/// directory, fsync it, rename it over `path`, fsync the directory.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temp = temp_path(path);
    let result = write_temp_then_rename(&temp, path, bytes);
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

fn write_temp_then_rename(temp: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(temp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    fs::rename(temp, path)?;
    sync_dir(path.parent().unwrap_or(Path::new(".")));
    Ok(())
}

/// `<name>.tmp-<pid>-<n>` beside `path`.
fn temp_path(path: &Path) -> PathBuf {
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}-{n}", std::process::id()));
    path.with_file_name(name)
}

/// Make a rename durable. Best effort: some systems cannot open or sync a
/// directory, and the rename itself is already atomic there.
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// An advisory lock on a sibling lock file, held until dropped (closing the
/// file releases it, also when the process is killed).
#[derive(Debug)]
pub struct DirLock {
    _file: Option<File>,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("{}: another tidings is saving and did not finish within {}s", .0.display(), LOCK_WAIT.as_secs())]
    Busy(PathBuf),
    #[error("{}: {}", .0.display(), .1)]
    Io(PathBuf, io::Error),
}

impl DirLock {
    /// Wait up to `wait` for the lock at `path`. A file system without
    /// locks gives an unlocked guard: carrying on beats refusing to save.
    pub fn acquire(path: &Path, wait: Duration) -> Result<Self, LockError> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| LockError::Io(path.to_path_buf(), e))?;
        let deadline = Instant::now() + wait;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Self { _file: Some(file) }),
                Err(fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(LockError::Busy(path.to_path_buf()));
                }
                Err(fs::TryLockError::Error(e)) if locks_unsupported(&e) => {
                    return Ok(Self { _file: None });
                }
                Err(fs::TryLockError::Error(e)) => {
                    return Err(LockError::Io(path.to_path_buf(), e));
                }
            }
        }
    }

    /// Whether the lock is really held (false on file systems without locks).
    pub fn is_held(&self) -> bool {
        self._file.is_some()
    }
}

/// Errors that mean "this file system has no locks" rather than a failure.
fn locks_unsupported(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::Unsupported || e.raw_os_error() == Some(libc::ENOLCK)
}

/// Rename a damaged file to `<name>.corrupt-<UTC time>` (made unique), so
/// nothing the user had is destroyed; returns the new path.
pub fn move_aside(path: &Path) -> io::Result<PathBuf> {
    let target = corrupt_name(path);
    fs::rename(path, &target)?;
    sync_dir(path.parent().unwrap_or(Path::new(".")));
    Ok(target)
}

/// Keep a damaged file as `<name>.corrupt-<UTC time>` while it stays where
/// it is, about to be replaced by what could be read from it: a crash at
/// any moment leaves the damaged file in place or the repaired one, and
/// the copy either way. A hard link where the file system has them, else
/// a copy; returns the copy's path.
pub fn keep_copy(path: &Path) -> io::Result<PathBuf> {
    let target = corrupt_name(path);
    if fs::hard_link(path, &target).is_err() {
        let copied = copy_synced(path, &target);
        if copied.is_err() {
            let _ = fs::remove_file(&target);
        }
        copied?;
    }
    sync_dir(path.parent().unwrap_or(Path::new(".")));
    Ok(target)
}

fn copy_synced(from: &Path, to: &Path) -> io::Result<()> {
    let mut source = File::open(from)?;
    let mut copy = OpenOptions::new().write(true).create_new(true).open(to)?;
    io::copy(&mut source, &mut copy)?;
    copy.sync_all()
}

/// `<name>.corrupt-<UTC time>` beside `path`, with a number added when
/// that name is taken.
fn corrupt_name(path: &Path) -> PathBuf {
    let stamp = humantime::format_rfc3339_seconds(SystemTime::now())
        .to_string()
        .replace(':', "");
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let base = format!("{name}.corrupt-{stamp}");
    let mut target = path.with_file_name(&base);
    let mut n = 1;
    while target.symlink_metadata().is_ok() {
        target = path.with_file_name(format!("{base}-{n}"));
        n += 1;
    }
    target
}

/// Remove temp files of `path` left by writers that died mid-save. With the
/// lock held, no other writer is live, so every other process's temp file
/// goes; without it, only those of processes known to be gone or old enough
/// that no save could still be writing them.
pub fn remove_stale_temps(path: &Path, lock_held: bool) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let prefix = format!("{}.tmp-", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        if pid == Some(std::process::id()) {
            continue;
        }
        if lock_held || writer_gone(pid) || is_old(&entry.path()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether the process that wrote a temp file is known to have exited.
fn writer_gone(pid: Option<u32>) -> bool {
    let proc_root = Path::new("/proc/self");
    match pid {
        Some(pid) if proc_root.exists() => !Path::new(&format!("/proc/{pid}")).exists(),
        _ => false,
    }
}

fn is_old(path: &Path) -> bool {
    path.metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age > STALE_TEMP_AGE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_atomic_replaces_and_leaves_no_temp() {
        let dir = tempfile::TempDir::new().unwrap();
        let p = dir.path().join("f.json");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn move_aside_keeps_every_copy() {
        let dir = tempfile::TempDir::new().unwrap();
        let p = dir.path().join("f.json");
        fs::write(&p, b"bad1").unwrap();
        let a = move_aside(&p).unwrap();
        fs::write(&p, b"bad2").unwrap();
        let b = move_aside(&p).unwrap();
        assert_ne!(a, b);
        assert!(!p.exists());
        assert_eq!(fs::read(a).unwrap(), b"bad1");
        assert_eq!(fs::read(b).unwrap(), b"bad2");
    }

    #[test]
    fn keep_copy_survives_the_file_being_replaced() {
        let dir = tempfile::TempDir::new().unwrap();
        let p = dir.path().join("f.log");
        fs::write(&p, b"bad").unwrap();
        let a = keep_copy(&p).unwrap();
        write_atomic(&p, b"good").unwrap();
        let b = keep_copy(&p).unwrap();
        assert_ne!(a, b);
        assert_eq!(fs::read(&p).unwrap(), b"good");
        assert_eq!(fs::read(a).unwrap(), b"bad");
        assert_eq!(fs::read(b).unwrap(), b"good");
    }

    #[test]
    fn stale_temps_of_others_go_and_our_own_stay() {
        let dir = tempfile::TempDir::new().unwrap();
        let p = dir.path().join("f.json");
        let ours = dir
            .path()
            .join(format!("f.json.tmp-{}-0", std::process::id()));
        let theirs = dir.path().join("f.json.tmp-999999999-3");
        let unrelated = dir.path().join("g.json.tmp-1-1");
        for f in [&ours, &theirs, &unrelated] {
            fs::write(f, b"x").unwrap();
        }
        remove_stale_temps(&p, true);
        assert!(ours.exists());
        assert!(!theirs.exists());
        assert!(unrelated.exists());
    }

    #[test]
    fn lock_is_exclusive_between_handles() {
        let dir = tempfile::TempDir::new().unwrap();
        let p = dir.path().join("x.lock");
        let held = DirLock::acquire(&p, LOCK_WAIT).unwrap();
        if !held.is_held() {
            return; // this file system has no locks: nothing to test
        }
        let second = DirLock::acquire(&p, Duration::from_millis(20));
        assert!(matches!(second, Err(LockError::Busy(_))));
        drop(held);
        assert!(DirLock::acquire(&p, Duration::from_millis(20)).is_ok());
    }
}
