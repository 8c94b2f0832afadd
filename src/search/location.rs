//! Where a library's index lives, and the lock that makes one process at a
//! time its writer.
//!
//! Each library gets its own folder under `<cache dir>/index/`, named by a
//! stable hash of its canonical input paths, so `tidings -l ~/news` and
//! `tidings -l ~/news/` share one index and two libraries never mix.

use crate::library::{Library, Origin};
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What identifies a library's index.
pub fn library_key(library: &Library) -> String {
    match &library.origin() {
        Origin::Disk(inputs) => inputs_key(inputs),
        Origin::Bundled => "bundled".to_string(),
    }
}

/// A hash of the inputs, canonicalised (when they exist) and sorted, so the
/// same library named differently shares an index.
pub fn inputs_key(inputs: &[PathBuf]) -> String {
    let mut canonical: Vec<String> = inputs
        .iter()
        .map(|p| p.canonicalize().unwrap_or_else(|_| p.clone()))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    canonical.sort();
    canonical.dedup();
    let joined = canonical.join("\0");
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(joined.as_bytes()))
}

/// `<cache dir>/index/<key>`.
pub fn index_dir(cache_dir: &Path, key: &str) -> PathBuf {
    cache_dir.join("index").join(key)
}

/// An exclusive advisory lock on `<index dir>.lock`, held by the one process
/// that may create, repair or update the index. Released on drop (and by
/// the kernel if the process dies), so a crash never leaves it stuck.
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
}

impl WriterLock {
    /// Try to take the lock, polling until `wait` has passed.
    /// `Ok(None)`: another process holds it.
    pub fn acquire(index_dir: &Path, wait: Duration) -> io::Result<Option<Self>> {
        let path = index_dir.with_extension("lock");
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)?;
        let deadline = Instant::now() + wait;
        loop {
            if try_lock(&file)? {
                return Ok(Some(Self { _file: file }));
            }
            if Instant::now() >= deadline {
                return Ok(None);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// `flock(2)` through std: shared by every process on the machine.
fn try_lock(file: &File) -> io::Result<bool> {
    match file.try_lock() {
        Ok(()) => Ok(true),
        Err(std::fs::TryLockError::WouldBlock) => Ok(false),
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}
