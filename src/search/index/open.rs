//! Opening the index: under the writer lock or read-only, creating it
//! afresh when it is missing, of another format or damaged.

use super::{Budget, FileState, Notice, SearchError, SearchIndex};
use crate::library::Library;
use crate::search::analysis;
use crate::search::location::{self, WriterLock};
use crate::search::schema::{self, Fields};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::time::Duration;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument};

/// Indexing memory per writer thread (tantivy needs at least 15 MB): kept
/// small, since it adds to peak memory while the index is built.
const MEMORY_PER_THREAD: usize = 24 << 20;
/// The one writer thread's memory under [`Budget::Lean`]: tantivy's least.
const LEAN_MEMORY: usize = 15_000_000;
/// The file in the index folder that records its format.
const FORMAT_FILE: &str = "tidings-format";
/// How [`SearchIndex::discard`] marks the format file.
const DAMAGED: &str = "damaged: ";

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
        // An unreadable meta file fails the open before this; 0 matches no
        // manifest but a new index's.
        let opstamp = index.load_metas().map_or(0, |m| m.opstamp);
        // The reader and writer each hold the index; nothing else needs it.
        drop(index);
        Self {
            dir: dir.to_path_buf(),
            reader,
            fields,
            writer: Mutex::new(writer),
            _lock: lock,
            opstamp: AtomicU64::new(opstamp),
            manifest: Mutex::new(None),
            manifest_dirty: AtomicBool::new(false),
            manifest_deferred: AtomicBool::new(false),
        }
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
