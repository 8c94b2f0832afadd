//! The persisted index: open (repairing what is broken), reconcile with the
//! files on disk, and update in batches, from any thread.
//!
//! One process at a time writes (see [`WriterLock`]); any other opens the
//! index read-only and searches what has been committed so far. Commits
//! happen every [`COMMIT_EVERY`] articles during a long build, so searching
//! during a build sees a growing index rather than nothing.

use super::analysis;
use super::location::{self, WriterLock};
use super::schema::{self, Fields};
use crate::article::Article;
use crate::library::{Library, bundled, display_path};
use rayon::prelude::*;
use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use tantivy::schema::Value;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError, Term};

/// Commit (and make searchable) after this many articles during a build.
pub const COMMIT_EVERY: usize = 20_000;
/// Articles read and parsed in parallel before they are handed to the
/// writer (a few megabytes of text at a time).
const CHUNK: usize = 512;
/// Indexing memory per writer thread (tantivy needs at least 15 MB): kept
/// small, since it adds to peak memory while the index is built.
const MEMORY_PER_THREAD: usize = 24 << 20;
/// The one writer thread's memory under [`Budget::Lean`]: tantivy's least.
const LEAN_MEMORY: usize = 15_000_000;

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
/// The file in the index folder that records its format.
const FORMAT_FILE: &str = "tidings-format";
/// How [`SearchIndex::discard`] marks the format file.
const DAMAGED: &str = "damaged: ";

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
    /// Keys of indexed files that are gone.
    pub remove: Vec<String>,
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
    /// Open the index of `library` under `cache_dir` and bring it up to date
    /// with the library, synchronously. Another process writing it is not an
    /// error: the index opens read-only, as it is (with a notice).
    pub fn open_or_build(
        cache_dir: &Path,
        library: &Library,
    ) -> Result<(Self, Vec<Notice>), SearchError> {
        let key = location::library_key(library);
        let (index, mut notices) = Self::open(cache_dir, &key, Duration::ZERO)?;
        if index.is_writable() {
            let files: Vec<FileState> = library
                .articles()
                .iter()
                .map(|m| FileState::new(&m.path, m.size, m.mtime))
                .collect();
            let summary = index.sync(&files, |i| library.article(&library.articles()[i]).ok())?;
            if !summary.is_empty() {
                notices.push(Notice::Updated(summary));
            }
        }
        Ok((index, notices))
    }

    /// Open (creating or repairing as needed) the index called `key`,
    /// without reconciling. Waits up to `wait` for another process that is
    /// writing it; after that, opens read-only.
    pub fn open(
        cache_dir: &Path,
        key: &str,
        wait: Duration,
    ) -> Result<(Self, Vec<Notice>), SearchError> {
        Self::open_with(cache_dir, key, wait, Budget::Quick)
    }

    /// [`SearchIndex::open`], with what writing the index may take.
    pub fn open_with(
        cache_dir: &Path,
        key: &str,
        wait: Duration,
        budget: Budget,
    ) -> Result<(Self, Vec<Notice>), SearchError> {
        let dir = location::index_dir(cache_dir, key);
        let lock = WriterLock::acquire(&dir, wait).map_err(|e| SearchError::Io(dir.clone(), e))?;
        match lock {
            Some(lock) => Self::open_writable(dir, lock, budget),
            None => {
                let index =
                    Self::open_existing(&dir, None, budget).map_err(|_| SearchError::Busy)?;
                Ok((index, vec![Notice::ReadOnly]))
            }
        }
    }

    /// With the lock held: open what is there, or start afresh and say why.
    fn open_writable(
        dir: PathBuf,
        lock: WriterLock,
        budget: Budget,
    ) -> Result<(Self, Vec<Notice>), SearchError> {
        match read_format(&dir) {
            Format::Missing => Self::create(dir, Some(lock), Notice::Created, budget),
            Format::Stale(why) => Self::create(dir, Some(lock), Notice::Rebuilt(why), budget),
            Format::Current => match Self::open_existing(&dir, Some(lock), budget) {
                Ok(index) => Ok((index, Vec::new())),
                Err((e, lock)) => Self::create(dir, lock, Notice::Rebuilt(e.to_string()), budget),
            },
        }
    }

    /// Open an index that should be sound; on failure, hand the lock back.
    fn open_existing(
        dir: &Path,
        lock: Option<WriterLock>,
        budget: Budget,
    ) -> Result<Self, (SearchError, Option<WriterLock>)> {
        let engine = |e| SearchError::Engine(dir.to_path_buf(), e);
        let opened = Index::open_in_dir(dir).map_err(engine).and_then(|index| {
            let fields = schema::Fields::of(&index.schema()).ok_or_else(|| {
                SearchError::Corrupt(dir.to_path_buf(), "unexpected fields".into())
            })?;
            analysis::register(index.tokenizers());
            let reader = reader(&index).map_err(engine)?;
            // Damaged files can make the engine panic rather than fail.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                probe(dir, &reader, &fields)
            }))
            .unwrap_or_else(|_| {
                Err(SearchError::Corrupt(
                    dir.to_path_buf(),
                    "unreadable segment".into(),
                ))
            })?;
            Ok((index, reader, fields))
        });
        let (index, reader, fields) = match opened {
            Ok(parts) => parts,
            Err(e) => return Err((e, lock)),
        };
        let writer = match lock.as_ref().map(|_| writer(&index, budget)) {
            None => None,
            Some(Ok(w)) => Some(w),
            Some(Err(e)) => return Err((engine(e), lock)),
        };
        Ok(Self::assemble(dir, index, reader, fields, writer, lock))
    }

    /// Remove whatever is in `dir` and make an empty index there.
    fn create(
        dir: PathBuf,
        lock: Option<WriterLock>,
        why: Notice,
        budget: Budget,
    ) -> Result<(Self, Vec<Notice>), SearchError> {
        let io_err = |e| SearchError::Io(dir.clone(), e);
        let engine = |e| SearchError::Engine(dir.clone(), e);
        match std::fs::remove_dir_all(&dir) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(io_err(e)),
            _ => {}
        }
        std::fs::create_dir_all(&dir).map_err(io_err)?;
        let (schema, fields) = schema::build();
        let index = Index::create_in_dir(&dir, schema).map_err(engine)?;
        analysis::register(index.tokenizers());
        // Written last: a crash before this point leaves no format file, so
        // the half-made index is rebuilt next time.
        std::fs::write(dir.join(FORMAT_FILE), format_line()).map_err(io_err)?;
        let reader = reader(&index).map_err(engine)?;
        let writer = writer(&index, budget).map_err(engine)?;
        let index = Self::assemble(&dir, index, reader, fields, Some(writer), lock);
        Ok((index, vec![why]))
    }

    fn assemble(
        dir: &Path,
        index: Index,
        reader: IndexReader,
        fields: Fields,
        writer: Option<IndexWriter>,
        lock: Option<WriterLock>,
    ) -> Self {
        // The reader and writer each hold the index; nothing else needs it.
        drop(index);
        Self {
            dir: dir.to_path_buf(),
            reader,
            fields,
            writer: Mutex::new(writer),
            _lock: lock,
        }
    }

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

    /// Make other processes' latest commits visible (a read-only index does
    /// not follow them by itself).
    pub fn refresh(&self) -> Result<(), SearchError> {
        self.reader.reload().map_err(|e| self.engine(e))
    }

    /// Reconcile with `files`: plan, then apply. `load(i)` reads `files[i]`.
    pub fn sync<F>(&self, files: &[FileState], load: F) -> Result<Summary, SearchError>
    where
        F: Fn(usize) -> Option<Article> + Sync,
    {
        let plan = self.plan(files)?;
        self.apply(files, &plan, load, |_| {})
    }

    /// Compare `files` with what is indexed, by key, size and mtime.
    pub fn plan(&self, files: &[FileState]) -> Result<Plan, SearchError> {
        let mut indexed = self.indexed_files()?;
        let mut plan = Plan::default();
        let mut new = Vec::new();
        for (i, f) in files.iter().enumerate() {
            match indexed.remove(f.key.as_str()) {
                Some(state) if state == (f.size, f.mtime) => {}
                Some(_) => plan.index.push(i),
                None => new.push(i),
            }
        }
        plan.new = new.len();
        plan.index.append(&mut new);
        plan.remove = indexed.into_keys().collect();
        plan.remove.sort();
        Ok(plan)
    }

    /// (size, mtime) of every indexed file, by key, from the stored fields.
    fn indexed_files(&self) -> Result<HashMap<String, (u64, i64)>, SearchError> {
        let mut out = HashMap::with_capacity(self.reader.searcher().num_docs() as usize);
        self.for_each_indexed(|key, size, mtime| {
            out.insert(key.to_string(), (size, mtime));
        })?;
        Ok(out)
    }

    /// Every indexed file's key, size and modification time, from the
    /// stored fields (a read of the whole document store).
    pub fn for_each_indexed(&self, mut f: impl FnMut(&str, u64, i64)) -> Result<(), SearchError> {
        let searcher = self.reader.searcher();
        for segment in searcher.segment_readers() {
            let store = segment
                .get_store_reader(1)
                .map_err(|e| SearchError::Io(self.dir.clone(), e))?;
            for doc in store.iter::<TantivyDocument>(segment.alive_bitset()) {
                let doc = doc.map_err(|e| self.engine(e))?;
                let key = stored_str(&doc, self.fields.path).unwrap_or_default();
                let size = doc.get_first(self.fields.size).and_then(|v| v.as_u64());
                let mtime = doc.get_first(self.fields.mtime).and_then(|v| v.as_i64());
                f(key, size.unwrap_or(0), mtime.unwrap_or(0));
            }
        }
        Ok(())
    }

    /// Drop the files with these index keys, and commit.
    pub fn remove(&self, keys: Vec<String>) -> Result<Summary, SearchError> {
        let plan = Plan {
            remove: keys,
            ..Plan::default()
        };
        self.apply(&[], &plan, |_| None, |_| {})
    }

    /// Carry out a plan: remove, then (re)index in parallel chunks,
    /// committing every [`COMMIT_EVERY`] articles and at the end. `progress`
    /// hears how many of `plan.index` are done after each chunk.
    pub fn apply<F, P>(
        &self,
        files: &[FileState],
        plan: &Plan,
        load: F,
        mut progress: P,
    ) -> Result<Summary, SearchError>
    where
        F: Fn(usize) -> Option<Article> + Sync,
        P: FnMut(usize),
    {
        let mut guard = self.writer_guard();
        let writer = guard.as_mut().ok_or(SearchError::ReadOnly)?;
        let mut summary = Summary {
            removed: plan.remove.len(),
            ..Summary::default()
        };
        for key in &plan.remove {
            writer.delete_term(self.path_term(key));
        }
        let mut since_commit = 0;
        let mut done = 0;
        // A delete is queued until the next commit and then run against
        // every segment: only files indexed before need one.
        let replaced = plan.index.len() - plan.new.min(plan.index.len());
        for chunk in plan.index.chunks(CHUNK) {
            let docs: Vec<Option<TantivyDocument>> = chunk
                .par_iter()
                .map(|&i| load(i).map(|a| schema::document(&self.fields, &files[i].key, &a)))
                .collect();
            for (n, (&i, doc)) in chunk.iter().zip(docs).enumerate() {
                if done + n < replaced {
                    writer.delete_term(self.path_term(&files[i].key));
                }
                match doc {
                    Some(doc) => {
                        writer.add_document(doc).map_err(|e| self.engine(e))?;
                    }
                    None => summary.failed += 1,
                }
            }
            done += chunk.len();
            since_commit += chunk.len();
            if since_commit >= COMMIT_EVERY {
                self.commit(writer)?;
                since_commit = 0;
            }
            progress(done);
        }
        if !plan.is_empty() {
            self.commit(writer)?;
        }
        summary.added = plan.new;
        summary.updated = plan.index.len() - plan.new;
        Ok(summary)
    }

    fn commit(&self, writer: &mut IndexWriter) -> Result<(), SearchError> {
        writer.commit().map_err(|e| self.engine(e))?;
        self.refresh()
    }

    /// Give up write access, letting background segment merges finish first
    /// so the next process opens a compact index. For short-lived processes
    /// (the command line); the app can just drop the index.
    pub fn finish(self) -> Result<(), SearchError> {
        let writer = self.writer_guard().take();
        if let Some(w) = writer {
            w.wait_merging_threads().map_err(|e| self.engine(e))?;
        }
        Ok(())
    }

    /// Mark the index damaged (a search hit unreadable data), so the next
    /// open rebuilds it and says `why`. Needs write access.
    pub fn discard(self, why: &str) -> Result<(), SearchError> {
        if !self.is_writable() {
            return Err(SearchError::ReadOnly);
        }
        drop(self.writer_guard().take());
        std::fs::write(self.dir.join(FORMAT_FILE), format!("{DAMAGED}{why}\n"))
            .map_err(|e| SearchError::Io(self.dir.clone(), e))
    }

    fn path_term(&self, key: &str) -> Term {
        Term::from_field_text(self.fields.path, key)
    }

    fn writer_guard(&self) -> MutexGuard<'_, Option<IndexWriter>> {
        // A panic while indexing poisons the mutex; the writer inside is
        // still usable (tantivy rolls back uncommitted work), so carry on.
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn engine(&self, e: TantivyError) -> SearchError {
        SearchError::Engine(self.dir.clone(), e)
    }
}

/// A stored text field's first value.
pub(super) fn stored_str(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<&str> {
    doc.get_first(field).and_then(|v| v.as_str())
}

fn reader(index: &Index) -> tantivy::Result<IndexReader> {
    index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
}

fn writer(index: &Index, budget: Budget) -> tantivy::Result<IndexWriter> {
    let (threads, per_thread) = match budget {
        Budget::Quick => {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            (cores.clamp(1, 4), MEMORY_PER_THREAD)
        }
        Budget::Lean => (1, LEAN_MEMORY),
    };
    index.writer_with_num_threads(threads, threads * per_thread)
}

/// Touch every segment's files, so damage shows now (and is repaired)
/// rather than in the middle of a search.
fn probe(dir: &Path, reader: &IndexReader, fields: &Fields) -> Result<(), SearchError> {
    let corrupt = |e: String| SearchError::Corrupt(dir.to_path_buf(), e);
    let searcher = reader.searcher();
    for segment in searcher.segment_readers() {
        for field in [fields.title, fields.kicker, fields.body, fields.path] {
            segment
                .inverted_index(field)
                .map_err(|e| corrupt(e.to_string()))?;
        }
        let store = segment
            .get_store_reader(0)
            .map_err(|e| corrupt(e.to_string()))?;
        if segment.num_docs() > 0 {
            let first = (0..segment.max_doc())
                .find(|&d| !segment.is_deleted(d))
                .unwrap_or(0);
            store
                .get::<TantivyDocument>(first)
                .map_err(|e| corrupt(e.to_string()))?;
        }
    }
    Ok(())
}

enum Format {
    Missing,
    Current,
    /// Unusable; why, in words.
    Stale(String),
}

fn format_line() -> String {
    format!("tidings search index {}\n", schema::FORMAT_VERSION)
}

fn read_format(dir: &Path) -> Format {
    match std::fs::read_to_string(dir.join(FORMAT_FILE)) {
        Ok(s) if s == format_line() => Format::Current,
        Ok(s) if s.starts_with(DAMAGED) => Format::Stale(format!(
            "it is damaged ({})",
            crate::article::sanitize::sanitize_line(s[DAMAGED.len()..].trim())
        )),
        Ok(s) => Format::Stale(format!(
            "it has another format ({})",
            crate::article::sanitize::sanitize_line(s.trim())
        )),
        Err(_) if dir.exists() => Format::Stale("it was left incomplete".into()),
        Err(_) => Format::Missing,
    }
}
