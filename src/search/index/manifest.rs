//! What the index holds, kept beside it so nobody has to read the whole
//! document store to learn it: per indexed file a hash of its key, its size
//! and modification time, its article id and its folder; and the library's
//! folders with the modification time they had when last listed.
//!
//! One binary file in the index folder (removed with it when the index is
//! rebuilt): a magic, a format version, the index commit it describes, then
//! the folders and the files, each section with its length and checksum.
//! Only the header and the folders are read for a freshness check; the
//! files only when something changed. The file is only ever a hint: one
//! that is missing, damaged, of another version or of another commit than
//! the index is not used, and the caller falls back to reading the index.

use crate::library::PathMap;
use records::FilesInto;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::path::Path;

mod records;

/// The file's name in the index folder.
pub const FILE: &str = "tidings-manifest";
const MAGIC: &[u8; 8] = b"TIDMANI\0";
/// Bump when the layout changes: an older manifest is rebuilt, never
/// misread.
const VERSION: u32 = 1;
/// Magic, version, opstamp, flags, and two (length, checksum) pairs.
const HEADER: usize = 8 + 4 + 8 + 1 + 4 * 8;
/// A section longer than this is damage, not a library (about 40 bytes a
/// file: tens of millions of files).
const MAX_SECTION: u64 = 1 << 31;

/// The hash a file's index key is known by (see `index::path_key`).
pub fn key_hash(key: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(key.as_bytes())
}

/// An article id as a number, when it has the usual form (16 hex digits);
/// other ids are kept as text.
fn id_number(id: &str) -> Option<u64> {
    let canonical = id.len() == 16 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    canonical
        .then(|| u64::from_str_radix(id, 16).ok())
        .flatten()
}

/// One indexed file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub size: u64,
    pub mtime: i64,
    /// The folder it is in: an index into [`Manifest::folders`].
    pub folder: u32,
    id: u64,
}

/// A folder of the library (or holding an indexed file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Folder {
    /// The folder's path, as index keys begin with it.
    pub path: String,
    /// Its modification time when it was last listed and every file in it
    /// compared with the index; `None`: list it at the next check.
    pub mtime: Option<i64>,
    /// A folder of the library, found by a walk: checked by its mtime.
    /// Else it only holds files named as inputs, or files indexed before
    /// any check saw the folder (it is then walked as new).
    pub library: bool,
}

/// Why a manifest could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unusable {
    #[error("no manifest")]
    Missing,
    #[error("manifest damaged: {0}")]
    Damaged(String),
    #[error("manifest of another version")]
    OldVersion,
    #[error("manifest of another commit")]
    OtherCommit,
}

/// What the index holds (see the module docs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// The index commit this describes.
    pub opstamp: u64,
    /// The folders describe the whole library: every folder of it is here,
    /// set by a full check. Without it, a freshness check must walk.
    pub complete: bool,
    /// The settings that decide which files count (the size cap, project
    /// files), as the full check that recorded the folders had them: under
    /// others, the folders' files are not what they were.
    pub settings: (u64, bool),
    /// Gone folders are `None` until the next write (indices stay put).
    folders: Vec<Option<Folder>>,
    folder_at: HashMap<String, u32>,
    files: PathMap<Held>,
    /// Ids not in the usual form, by key hash.
    odd_ids: PathMap<String>,
}

/// The stored form of one file.
#[derive(Serialize, Deserialize)]
struct FileRec {
    hash: [u8; 16],
    folder: u32,
    size: u64,
    mtime: i64,
    id: u64,
}

#[derive(Serialize, Deserialize)]
struct Files {
    files: Vec<FileRec>,
    odd_ids: Vec<([u8; 16], String)>,
}

impl Manifest {
    /// An empty manifest for the commit `opstamp`.
    pub fn new(opstamp: u64) -> Self {
        Self {
            opstamp,
            ..Self::default()
        }
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// What is held for the file with this key hash.
    pub fn get(&self, hash: u128) -> Option<Held> {
        self.files.get(&hash).copied()
    }

    /// Every file held: key hash, and what is held.
    pub fn files(&self) -> impl Iterator<Item = (u128, Held)> + '_ {
        self.files.iter().map(|(h, held)| (*h, *held))
    }

    /// The id of the file with this key hash, as the index has it.
    pub fn id(&self, hash: u128) -> Option<String> {
        if let Some(odd) = self.odd_ids.get(&hash) {
            return Some(odd.clone());
        }
        self.files.get(&hash).map(|h| format!("{:016x}", h.id))
    }

    /// Every id held, to tell a new file that is a copy of an indexed
    /// story (built once per check: a lookup per file would scan them all).
    pub fn ids(&self) -> IdSet {
        let mut set = IdSet::default();
        for (hash, held) in &self.files {
            match self.odd_ids.get(hash) {
                Some(odd) => set.odd.insert(odd.clone()),
                None => set.numbers.insert(held.id),
            };
        }
        set
    }

    /// Record that the file `key` is indexed as it is now.
    pub fn insert(&mut self, key: &str, size: u64, mtime: i64, id: &str) {
        let hash = key_hash(key);
        let folder = self.folder_index(parent(key));
        let number = id_number(id);
        if number.is_none() {
            self.odd_ids.insert(hash, id.to_string());
        } else {
            self.odd_ids.remove(&hash);
        }
        let id = number.unwrap_or(0);
        self.files.insert(
            hash,
            Held {
                size,
                mtime,
                folder,
                id,
            },
        );
    }

    /// Forget the file with this key hash.
    pub fn remove(&mut self, hash: u128) -> Option<Held> {
        self.odd_ids.remove(&hash);
        self.files.remove(&hash)
    }

    /// The folders known, with their indices (as in [`Held::folder`]).
    pub fn folders(&self) -> impl Iterator<Item = (u32, &Folder)> {
        self.folders
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.as_ref().map(|f| (i as u32, f)))
    }

    /// The folder at `path`, if known.
    pub fn folder(&self, path: &str) -> Option<u32> {
        self.folder_at.get(path).copied()
    }

    /// Record that the library folder `path` was listed when its mtime was
    /// `mtime` (`None`: to be listed again next time).
    pub fn stamp_folder(&mut self, path: &str, mtime: Option<i64>) {
        let i = self.folder_index(path);
        if let Some(f) = self.folders[i as usize].as_mut() {
            f.mtime = mtime;
            f.library = true;
        }
    }

    /// Forget the folder at `path` (its files are forgotten by the caller).
    pub fn drop_folder(&mut self, path: &str) {
        if let Some(i) = self.folder_at.remove(path) {
            self.folders[i as usize] = None;
        }
    }

    /// Forget every folder's stamp and that it is the library's, keeping
    /// the files (before a full check stamps the folders it finds).
    pub fn clear_folders(&mut self) {
        for f in self.folders.iter_mut().flatten() {
            f.mtime = None;
            f.library = false;
        }
        self.complete = false;
    }

    fn folder_index(&mut self, path: &str) -> u32 {
        if let Some(&i) = self.folder_at.get(path) {
            return i;
        }
        let i = self.folders.len() as u32;
        self.folders.push(Some(Folder {
            path: path.to_string(),
            mtime: None,
            library: false,
        }));
        self.folder_at.insert(path.to_string(), i);
        i
    }

    /// Write to `dir` atomically (a temporary file, then a rename).
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        let bytes = self.encode();
        let tmp = dir.join(format!(".{FILE}.tmp-{}", std::process::id()));
        let written = std::fs::File::create(&tmp).and_then(|mut f| {
            f.write_all(&bytes)?;
            f.sync_data()
        });
        match written.and_then(|()| std::fs::rename(&tmp, dir.join(FILE))) {
            Ok(()) => Ok(()),
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                Err(e)
            }
        }
    }

    /// Read the manifest in `dir`, if it describes the commit `opstamp`.
    pub fn load(dir: &Path, opstamp: u64) -> Result<Self, Unusable> {
        let bytes = match std::fs::read(dir.join(FILE)) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Unusable::Missing),
            Err(e) => return Err(Unusable::Damaged(e.to_string())),
        };
        let manifest = Self::decode(&bytes)?;
        if manifest.opstamp != opstamp {
            return Err(Unusable::OtherCommit);
        }
        Ok(manifest)
    }

    /// Only the header and the folders of the manifest in `dir` (for a
    /// freshness check, which needs the files only when a folder changed).
    pub fn load_folders(dir: &Path, opstamp: u64) -> Result<Self, Unusable> {
        let mut file = match std::fs::File::open(dir.join(FILE)) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Unusable::Missing),
            Err(e) => return Err(Unusable::Damaged(e.to_string())),
        };
        let mut head = [0u8; HEADER];
        file.read_exact(&mut head).map_err(damaged)?;
        let header = Header::parse(&head)?;
        if header.opstamp != opstamp {
            return Err(Unusable::OtherCommit);
        }
        let mut folders = vec![0u8; header.folders.0 as usize];
        file.read_exact(&mut folders).map_err(damaged)?;
        let mut out = Self::new(header.opstamp);
        out.complete = header.complete;
        out.read_folders(&folders, header.folders)?;
        Ok(out)
    }

    fn encode(&self) -> Vec<u8> {
        // Gone folders are left out: number the rest afresh.
        let mut renumber = vec![u32::MAX; self.folders.len()];
        let mut folders = Vec::new();
        for (i, f) in self.folders() {
            renumber[i as usize] = folders.len() as u32;
            folders.push(f);
        }
        let files = Files {
            files: self
                .files
                .iter()
                .filter(|(_, h)| renumber[h.folder as usize] != u32::MAX)
                .map(|(hash, h)| FileRec {
                    hash: hash.to_le_bytes(),
                    folder: renumber[h.folder as usize],
                    size: h.size,
                    mtime: h.mtime,
                    id: h.id,
                })
                .collect(),
            odd_ids: self
                .odd_ids
                .iter()
                .map(|(h, id)| (h.to_le_bytes(), id.clone()))
                .collect(),
        };
        let folders = postcard::to_stdvec(&(self.settings, folders)).unwrap_or_default();
        let files = postcard::to_stdvec(&files).unwrap_or_default();
        let mut out = Vec::with_capacity(HEADER + folders.len() + files.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&self.opstamp.to_le_bytes());
        out.push(u8::from(self.complete));
        for part in [&folders, &files] {
            out.extend_from_slice(&(part.len() as u64).to_le_bytes());
            out.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(part).to_le_bytes());
        }
        out.extend_from_slice(&folders);
        out.extend_from_slice(&files);
        out
    }

    fn decode(bytes: &[u8]) -> Result<Self, Unusable> {
        let head = bytes
            .get(..HEADER)
            .ok_or_else(|| Unusable::Damaged("too short".into()))?;
        let header = Header::parse(head)?;
        let rest = &bytes[HEADER..];
        let split = header.folders.0 as usize;
        if rest.len() as u64 != header.folders.0 + header.files.0 {
            return Err(Unusable::Damaged("wrong length".into()));
        }
        let mut out = Self::new(header.opstamp);
        out.complete = header.complete;
        out.read_folders(&rest[..split], header.folders)?;
        let files = &rest[split..];
        checked(files, header.files)?;
        let mut de = postcard::Deserializer::from_bytes(files);
        serde::de::DeserializeSeed::deserialize(FilesInto(&mut out), &mut de).map_err(
            |e| match e {
                postcard::Error::SerdeDeCustom => Unusable::Damaged("a file in no folder".into()),
                e => Unusable::Damaged(e.to_string()),
            },
        )?;
        Ok(out)
    }

    fn read_folders(&mut self, bytes: &[u8], sum: (u64, u64)) -> Result<(), Unusable> {
        let (settings, folders): ((u64, bool), Vec<Folder>) = section(bytes, sum)?;
        self.settings = settings;
        self.set_folders(folders)
    }

    fn set_folders(&mut self, folders: Vec<Folder>) -> Result<(), Unusable> {
        for f in folders {
            let i = self.folders.len() as u32;
            if self.folder_at.insert(f.path.clone(), i).is_some() {
                return Err(Unusable::Damaged("a folder twice".into()));
            }
            self.folders.push(Some(f));
        }
        Ok(())
    }
}

/// A folder's path as the manifest keeps it: as index keys begin with it
/// (absolute), without a trailing `/` (a library named `lib/` has files
/// `lib/a.txt` in folder `lib`).
pub fn folder_key(path: &Path) -> String {
    let key = crate::search::path_key(path);
    match key.trim_end_matches('/') {
        "" if key.starts_with('/') => "/".to_string(),
        trimmed => trimmed.to_string(),
    }
}

/// The folder part of an index key: everything before its last `/`.
pub fn parent(key: &str) -> &str {
    match key.rfind('/') {
        Some(0) => "/",
        Some(i) => &key[..i],
        None => "",
    }
}

fn damaged(e: std::io::Error) -> Unusable {
    Unusable::Damaged(e.to_string())
}

struct Header {
    opstamp: u64,
    complete: bool,
    /// Length and checksum of each section.
    folders: (u64, u64),
    files: (u64, u64),
}

impl Header {
    fn parse(head: &[u8]) -> Result<Self, Unusable> {
        let u64_at = |at: usize| u64::from_le_bytes(head[at..at + 8].try_into().unwrap_or([0; 8]));
        if &head[..8] != MAGIC {
            return Err(Unusable::Damaged("not a manifest".into()));
        }
        if head[8..12] != VERSION.to_le_bytes() {
            return Err(Unusable::OldVersion);
        }
        if head[20] > 1 {
            return Err(Unusable::Damaged("bad flags".into()));
        }
        let header = Self {
            opstamp: u64_at(12),
            complete: head[20] == 1,
            folders: (u64_at(21), u64_at(29)),
            files: (u64_at(37), u64_at(45)),
        };
        if header.folders.0 > MAX_SECTION || header.files.0 > MAX_SECTION {
            return Err(Unusable::Damaged("a section too long".into()));
        }
        Ok(header)
    }
}

/// Decode one section after checking its checksum.
fn section<T: serde::de::DeserializeOwned>(bytes: &[u8], sum: (u64, u64)) -> Result<T, Unusable> {
    checked(bytes, sum)?;
    postcard::from_bytes(bytes).map_err(|e| Unusable::Damaged(e.to_string()))
}

/// Check a section's length and checksum.
fn checked(bytes: &[u8], (len, sum): (u64, u64)) -> Result<(), Unusable> {
    if bytes.len() as u64 != len || xxhash_rust::xxh3::xxh3_64(bytes) != sum {
        return Err(Unusable::Damaged("checksum mismatch".into()));
    }
    Ok(())
}

/// The ids a manifest holds (see [`Manifest::ids`]).
#[derive(Debug, Default)]
pub struct IdSet {
    numbers: HashSet<u64>,
    odd: HashSet<String>,
}

impl IdSet {
    pub fn contains(&self, id: &str) -> bool {
        match id_number(id) {
            Some(n) => self.numbers.contains(&n),
            None => self.odd.contains(id),
        }
    }

    /// Add `id`; false when it was there already.
    pub fn insert(&mut self, id: &str) -> bool {
        match id_number(id) {
            Some(n) => self.numbers.insert(n),
            None => self.odd.insert(id.to_string()),
        }
    }

    pub fn remove(&mut self, id: &str) {
        match id_number(id) {
            Some(n) => self.numbers.remove(&n),
            None => self.odd.remove(id),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Manifest {
        let mut m = Manifest::new(7);
        m.complete = true;
        m.settings = (1 << 20, true);
        m.stamp_folder("/lib", Some(100));
        m.stamp_folder("/lib/empty", Some(200));
        m.insert("/lib/news/a.txt", 10, 1_000, "00000000000000ff");
        m.insert("/lib/b.md", 20, 2_000, "hand-made id");
        m.stamp_folder("/lib/news", None);
        m
    }

    #[test]
    fn a_manifest_reads_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let m = sample();
        m.save(dir.path()).unwrap();
        let back = Manifest::load(dir.path(), 7).unwrap();
        assert_eq!(back.len(), 2);
        let a = back.get(key_hash("/lib/news/a.txt")).unwrap();
        assert_eq!((a.size, a.mtime), (10, 1_000));
        assert_eq!(
            back.id(key_hash("/lib/news/a.txt")).unwrap(),
            "00000000000000ff"
        );
        assert_eq!(back.id(key_hash("/lib/b.md")).unwrap(), "hand-made id");
        let folders: Vec<(String, Option<i64>)> = back
            .folders()
            .map(|(_, f)| (f.path.clone(), f.mtime))
            .collect();
        assert!(folders.contains(&("/lib".into(), Some(100))));
        assert!(folders.contains(&("/lib/news".into(), None)));
        assert_eq!(back.folder("/lib/news"), Some(a.folder));
        assert!(back.complete);
        assert_eq!(back.settings, (1 << 20, true));
        // The folders alone, as a freshness check reads them.
        let stamps = Manifest::load_folders(dir.path(), 7).unwrap();
        assert_eq!(stamps.folders().count(), 3);
        assert!(stamps.is_empty());
        let ids = back.ids();
        assert!(ids.contains("00000000000000ff") && ids.contains("hand-made id"));
        assert!(!ids.contains("00000000000000fe"));
    }

    #[test]
    fn a_dropped_folder_and_its_files_are_left_out_of_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = sample();
        m.remove(key_hash("/lib/news/a.txt"));
        m.drop_folder("/lib/news");
        m.save(dir.path()).unwrap();
        let back = Manifest::load(dir.path(), 7).unwrap();
        assert_eq!(back.len(), 1);
        assert_eq!(back.folder("/lib/news"), None);
        let b = back.get(key_hash("/lib/b.md")).unwrap();
        assert_eq!(
            back.folders().find(|(i, _)| *i == b.folder).unwrap().1.path,
            "/lib"
        );
    }

    #[test]
    fn a_damaged_old_or_other_commit_manifest_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Manifest::load(dir.path(), 7), Err(Unusable::Missing));
        sample().save(dir.path()).unwrap();
        assert_eq!(Manifest::load(dir.path(), 8), Err(Unusable::OtherCommit));
        assert_eq!(
            Manifest::load_folders(dir.path(), 8).unwrap_err(),
            Unusable::OtherCommit
        );
        let path = dir.path().join(FILE);
        let good = std::fs::read(&path).unwrap();
        // Every single flipped byte and every truncation is caught.
        for at in 0..good.len() {
            let mut bad = good.clone();
            bad[at] ^= 0x55;
            std::fs::write(&path, &bad).unwrap();
            assert!(Manifest::load(dir.path(), 7).is_err(), "byte {at}");
        }
        for len in 0..good.len() {
            std::fs::write(&path, &good[..len]).unwrap();
            assert!(Manifest::load(dir.path(), 7).is_err(), "length {len}");
            assert!(len >= HEADER || Manifest::load_folders(dir.path(), 7).is_err());
        }
        let mut old = good.clone();
        old[8..12].copy_from_slice(&(VERSION + 1).to_le_bytes());
        std::fs::write(&path, &old).unwrap();
        assert_eq!(Manifest::load(dir.path(), 7), Err(Unusable::OldVersion));
        // A huge length in the header is refused before anything is read.
        let mut huge = good;
        huge[21..29].copy_from_slice(&u64::MAX.to_le_bytes());
        std::fs::write(&path, &huge).unwrap();
        assert!(matches!(
            Manifest::load_folders(dir.path(), 7),
            Err(Unusable::Damaged(_))
        ));
    }

    #[test]
    fn a_file_in_no_folder_is_refused() {
        let good = sample().encode();
        let head = Header::parse(&good[..HEADER]).unwrap();
        let folders = &good[HEADER..HEADER + head.folders.0 as usize];
        let files = postcard::to_stdvec(&Files {
            files: vec![FileRec {
                hash: [1; 16],
                folder: 99,
                size: 1,
                mtime: 2,
                id: 3,
            }],
            odd_ids: Vec::new(),
        })
        .unwrap();
        let mut bad = good[..HEADER].to_vec();
        bad[37..45].copy_from_slice(&(files.len() as u64).to_le_bytes());
        bad[45..53].copy_from_slice(&xxhash_rust::xxh3::xxh3_64(&files).to_le_bytes());
        bad.extend_from_slice(folders);
        bad.extend_from_slice(&files);
        assert_eq!(
            Manifest::decode(&bad),
            Err(Unusable::Damaged("a file in no folder".into()))
        );
    }

    #[test]
    fn parents_of_keys() {
        assert_eq!(parent("/lib/news/a.txt"), "/lib/news");
        assert_eq!(parent("/a.txt"), "/");
        assert_eq!(parent("<bundled>/tech/x.txt"), "<bundled>/tech");
    }
}
