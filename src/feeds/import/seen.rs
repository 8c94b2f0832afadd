//! The records already imported into one folder, as 64-bit hashes of their
//! keys, in `<data dir>/feeds/imports/<hash of the folder>.keys`.
//!
//! A million keys as strings would take tens of megabytes; as `u64`s in a
//! set keyed by themselves (they are hashes already) about 18 MB, and on
//! disk 8 bytes each, appended. Two keys of a million share a hash with a
//! chance of about 3 in 100 million; the record that loses is reported as
//! already there, nothing is overwritten. A torn last entry (a kill mid
//! write) is ignored; the record it named is adopted from its file on the
//! next run. Like the feeds' state, it lives in the data dir, never in the
//! library.

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::store::atomic::{DirLock, LockError};

/// A hasher for keys that are hashes already: the value is its own hash.
#[derive(Default)]
pub struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub type HashSet64 = HashSet<u64, BuildHasherDefault<Identity>>;

/// The keys of one destination, and the lock that keeps a second import
/// into it waiting.
#[derive(Debug)]
pub struct Seen {
    keys: HashSet64,
    file: File,
    _lock: DirLock,
}

#[derive(Debug, thiserror::Error)]
pub enum SeenError {
    #[error("another import into this folder is running")]
    Busy,
    #[error("{0}")]
    Lock(LockError),
    #[error("import state {}: {}", .0.display(), .1)]
    Io(PathBuf, io::Error),
}

impl Seen {
    /// The keys file for `dest` (a canonical path) under `data_dir`.
    pub fn path_for(data_dir: &Path, dest: &Path) -> PathBuf {
        let hash = xxhash_rust::xxh3::xxh3_64(dest.as_os_str().as_encoded_bytes());
        data_dir
            .join("feeds")
            .join("imports")
            .join(format!("{hash:016x}.keys"))
    }

    /// Lock and read the keys at `path`, waiting up to `wait` for another
    /// import into the same folder.
    pub fn open(path: &Path, wait: std::time::Duration) -> Result<Self, SeenError> {
        let io = |e| SeenError::Io(path.to_path_buf(), e);
        fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).map_err(io)?;
        let lock = match DirLock::acquire(&path.with_extension("lock"), wait) {
            Ok(lock) => lock,
            Err(LockError::Busy(_)) => return Err(SeenError::Busy),
            Err(e) => return Err(SeenError::Lock(e)),
        };
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(io)?;
        let keys = read_keys(&mut file).map_err(io)?;
        Ok(Self {
            keys,
            file,
            _lock: lock,
        })
    }

    /// Add `key`; false when it was there already.
    pub fn insert(&mut self, key: u64) -> bool {
        self.keys.insert(key)
    }

    /// Append `keys` for good (after the files they name are durable).
    pub fn record(&mut self, keys: &[u64]) -> io::Result<()> {
        let bytes: Vec<u8> = keys.iter().flat_map(|k| k.to_le_bytes()).collect();
        self.file.write_all(&bytes)?;
        self.file.sync_data()
    }
}

/// Every whole 8-byte key in the file; a torn tail is cut off, so the
/// keys appended next stay aligned.
fn read_keys(file: &mut File) -> io::Result<HashSet64> {
    let mut len = file.metadata()?.len();
    if len % 8 != 0 {
        len -= len % 8;
        file.set_len(len)?;
    }
    let mut keys = HashSet64::with_capacity_and_hasher((len / 8) as usize, Default::default());
    let mut reader = io::BufReader::new(file);
    let mut key = [0u8; 8];
    while reader.read_exact(&mut key).is_ok() {
        keys.insert(u64::from_le_bytes(key));
    }
    Ok(keys)
}

/// The hash of a record's key (`feeds::fetch::item_key`).
pub fn hash(key: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(key.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn keys_recorded_are_known_on_the_next_open_and_a_torn_tail_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = Seen::path_for(dir.path(), Path::new("/news/imported/x"));
        let mut seen = Seen::open(&path, Duration::ZERO).unwrap();
        assert!(seen.insert(hash("a")));
        assert!(!seen.insert(hash("a")));
        seen.record(&[hash("a"), hash("b")]).unwrap();
        drop(seen);
        let mut tail = OpenOptions::new().append(true).open(&path).unwrap();
        tail.write_all(&[1, 2, 3]).unwrap();
        let mut seen = Seen::open(&path, Duration::ZERO).unwrap();
        assert!(!seen.insert(hash("a")));
        assert!(!seen.insert(hash("b")));
        assert!(seen.insert(hash("c")));
        seen.record(&[hash("c")]).unwrap();
        drop(seen);
        let mut seen = Seen::open(&path, Duration::ZERO).unwrap();
        assert!(
            !seen.insert(hash("c")),
            "appended after a torn tail, aligned"
        );
    }

    #[test]
    fn a_second_import_into_the_same_folder_waits_its_turn() {
        let dir = tempfile::tempdir().unwrap();
        let path = Seen::path_for(dir.path(), Path::new("/d"));
        let _first = Seen::open(&path, Duration::ZERO).unwrap();
        assert!(matches!(
            Seen::open(&path, Duration::ZERO),
            Err(SeenError::Busy)
        ));
    }
}
