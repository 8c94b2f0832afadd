//! The persisted index: open (repairing what is broken), reconcile with the
//! files on disk, and update in batches, from any thread.
//!
//! One process at a time writes (see [`WriterLock`]); any other opens the
//! index read-only and searches what has been committed so far. Commits
//! happen every [`COMMIT_EVERY`] articles during a long build, so searching
//! during a build sees a growing index rather than nothing.
//!
//! Opening, repairing and marking the index damaged (for the next open to
//! rebuild) live in `open.rs`; reconciling with the files on disk and
//! updating, with the reads of the stored documents that takes, in
//! `update.rs`; searching in `../engine.rs`.

mod held;
pub mod manifest;
mod open;
mod update;

use super::location::WriterLock;
use super::schema::Fields;
use crate::library::{bundled, display_path};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use tantivy::schema::Value;
use tantivy::{IndexReader, IndexWriter, TantivyDocument, TantivyError};

/// Commit (and make searchable) after this many articles during a build.
pub const COMMIT_EVERY: usize = 20_000;

/// What building the index may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Budget {
    /// A writer thread per core (up to four), each with a larger buffer:
    /// for a build someone is waiting for (the command line).
    Quick,
    /// One writer thread with the smallest buffer: for building in the
    /// background of the app, where memory matters more than minutes.
    Lean,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index {}: {}", display_path(.0), .1)]
    Io(PathBuf, #[source] io::Error),
    #[error("search index {}: {}", display_path(.0), .1)]
    Engine(PathBuf, #[source] TantivyError),
    #[error("search index {}: damaged ({})", display_path(.0), .1)]
    Corrupt(PathBuf, String),
    #[error(
        "the search index is being built by another tidings process; try again when it is done"
    )]
    Busy,
    #[error("the search index is open read-only: another tidings process is updating it")]
    ReadOnly,
}

/// Something worth telling the user about opening or updating the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// No index yet: one is being built.
    Created,
    /// The index was unusable and is being rebuilt; why.
    Rebuilt(String),
    /// Another process is updating the index: searching what it has so far.
    ReadOnly,
    /// What reconciling with the files on disk changed.
    Updated(Summary),
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Created => f.write_str("building the search index"),
            Self::Rebuilt(why) => write!(f, "rebuilding the search index: {why}"),
            Self::ReadOnly => f.write_str(
                "another tidings is updating the search index; results may be incomplete",
            ),
            Self::Updated(s) => write!(f, "search index updated: {s}"),
        }
    }
}

/// Counts from one reconcile.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    /// Files that could not be read or parsed; left out of the index.
    pub failed: usize,
}

impl Summary {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} added, {} changed, {} removed",
            self.added, self.updated, self.removed
        )?;
        if self.failed > 0 {
            write!(f, ", {} unreadable", self.failed)?;
        }
        Ok(())
    }
}

/// A file as the reconcile sees it: where, how big, when last changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileState {
    /// See [`path_key`].
    pub key: String,
    pub size: u64,
    pub mtime: i64,
}

impl FileState {
    pub fn new(path: &Path, size: u64, mtime: i64) -> Self {
        Self {
            key: path_key(path),
            size,
            mtime,
        }
    }
}

/// The string a file is known by in the index: its absolute path (without
/// resolving links, which would cost a system call per file), so running
/// from another directory finds the same entries. Bundled articles keep
/// their `<bundled>/` name.
pub fn path_key(path: &Path) -> String {
    let absolute = if path.starts_with(bundled::ROOT) {
        path.to_path_buf()
    } else {
        std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
    };
    absolute.to_string_lossy().into_owned()
}

/// What a reconcile has to do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Positions (in the `files` given to [`SearchIndex::plan`]) to index:
    /// changed files first, then new ones.
    pub index: Vec<usize>,
    /// How many of `index` are new: the last `new` of them. Only the others
    /// replace an indexed version, whose document has to be deleted.
    pub new: usize,
    /// Indexed files that are gone.
    pub remove: Vec<Removal>,
}

/// An indexed file to drop from the index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Removal {
    /// By its index key.
    Key(String),
    /// By its article id, for a file known only by the hash of its key
    /// (see [`manifest`]): the index holds one file per story, so the id
    /// names that one file.
    Held { hash: u128, id: String },
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.index.is_empty() && self.remove.is_empty()
    }
}

/// A library's full-text index. `Send + Sync`: search from the UI thread
/// while a background thread runs [`SearchIndex::apply`].
pub struct SearchIndex {
    pub(super) dir: PathBuf,
    pub(super) reader: IndexReader,
    pub(super) fields: Fields,
    writer: Mutex<Option<IndexWriter>>,
    _lock: Option<WriterLock>,
    /// The last commit's opstamp, which the manifest must match.
    opstamp: AtomicU64,
    /// What the index holds; read or rebuilt when first needed.
    manifest: Mutex<Option<manifest::Manifest>>,
    /// The manifest changed since it was last written.
    manifest_dirty: AtomicBool,
    /// [`SearchIndex::apply`] leaves writing the manifest to the caller
    /// (see [`SearchIndex::defer_manifest`]).
    manifest_deferred: AtomicBool,
}

impl fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchIndex")
            .field("dir", &self.dir)
            .field("writable", &self.is_writable())
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Where the index is on disk.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether this process may update the index.
    pub fn is_writable(&self) -> bool {
        self.writer_guard().is_some()
    }

    /// Articles searchable now.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Segments searchable now: each one a query visits, so the benchmarks
    /// report it beside their latencies.
    pub fn segments(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    fn writer_guard(&self) -> MutexGuard<'_, Option<IndexWriter>> {
        // A panic while indexing poisons the mutex; the writer inside is
        // still usable (tantivy rolls back uncommitted work), so carry on.
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The opstamp of the last commit.
    pub(super) fn opstamp(&self) -> u64 {
        self.opstamp.load(Ordering::Acquire)
    }

    pub(super) fn engine(&self, e: TantivyError) -> SearchError {
        SearchError::Engine(self.dir.clone(), e)
    }
}

/// A stored text field's first value.
pub(super) fn stored_str(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<&str> {
    doc.get_first(field).and_then(|v| v.as_str())
}
