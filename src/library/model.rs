//! The `Library` model: the listed articles and the state machine that
//! takes in load events ([`Library::apply`]) and keeps them in path order,
//! with the indices by path and id in step.

use super::loader::{LoadEvent, LoadRequest, PathMap, load_streaming, path_hash};
use super::{CacheWriteError, IndexChanges, LibraryError, LoadOptions, Skipped, cache, copies};
use crate::article::ArticleMeta;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where the library's files live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// On disk, under these inputs.
    Disk(Vec<PathBuf>),
    /// Compiled into the binary.
    Bundled,
}

/// What one load event did to article positions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// New articles, at the end of the list.
    pub appended: std::ops::Range<usize>,
    /// Articles replaced in place (their files changed).
    pub replaced: Vec<usize>,
    /// Positions changed: indices kept from before are no longer valid.
    pub reordered: bool,
    /// What the search index should take in: copies never join it.
    pub index: IndexChanges,
}

/// How far a load has come.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Files found on disk, once the walk is done.
    pub total: Option<usize>,
    /// Files checked (read, or confirmed unchanged) so far.
    pub checked: usize,
    /// True when the library matches the disk.
    pub done: bool,
    /// The list came from the load cache: every article known last time is
    /// already listed, and the files are only being checked for changes.
    pub cached: bool,
}

#[derive(Debug, Clone)]
pub struct Library {
    pub(super) origin: Origin,
    pub(super) options: LoadOptions,
    /// In path order once loading is done. Shared, not copied, with the
    /// search engine and the loader: at 100k articles every copy of the
    /// metadata would cost tens of megabytes.
    pub(super) articles: Vec<Arc<ArticleMeta>>,
    /// Files with the same text as a listed story (see [`copies`]): not
    /// listed, reported in `skipped`.
    pub(super) copies: Vec<Arc<ArticleMeta>>,
    /// Hashes of the copies' paths.
    pub(super) copy_paths: std::collections::HashSet<u128>,
    /// The copies changed since they were last reported.
    pub(super) copies_changed: bool,
    /// Position of each story by id; built when first needed.
    pub(super) ids: Option<copies::IdIndex>,
    pub(super) skipped: Vec<Skipped>,
    /// Messages for the user from loading (a rebuilt cache).
    pub(super) notices: Vec<String>,
    pub(super) progress: Progress,
    /// Position of each article by path, to apply updates; built on the
    /// first update, so a warm start that changes nothing never pays for it.
    pub(super) index: Option<PathIndex>,
    /// Articles were added out of order since the last sort.
    pub(super) unsorted: bool,
    /// Where this library's load cache lives, and whether it needs writing
    /// when the load is done.
    pub(super) cache_file: Option<PathBuf>,
    pub(super) cache_dirty: bool,
    /// When the load is done, leave the cache to [`Library::take_cache_job`]
    /// instead of writing it at once.
    pub(super) cache_deferred: bool,
    /// The load is done and the cache has not been handed out since.
    pub(super) cache_due: bool,
}

/// The load cache to write: the metadata (shared, not copied) and where.
#[derive(Debug)]
pub struct CacheJob {
    file: PathBuf,
    inputs: Vec<PathBuf>,
    options: LoadOptions,
    files: cache::Cached,
}

impl CacheJob {
    /// Write the cache. A cache that cannot be written costs speed, not
    /// data: the error is a message to show, nothing more.
    pub fn write(self) -> Result<(), CacheWriteError> {
        cache::write(&self.file, &self.inputs, &self.options, &self.files).map_err(|source| {
            CacheWriteError {
                file: self.file,
                source,
            }
        })
    }
}

impl Library {
    /// Load every article under `inputs`, in parallel, reading every file.
    pub fn load(inputs: &[PathBuf], options: LoadOptions) -> Result<Self, LibraryError> {
        Self::load_with_cache(inputs, options, None)
    }

    /// Load every article under `inputs`; with a cache dir, unchanged files
    /// are not read again (see [`load_streaming`]).
    pub fn load_with_cache(
        inputs: &[PathBuf],
        options: LoadOptions,
        cache_dir: Option<PathBuf>,
    ) -> Result<Self, LibraryError> {
        // A missing input is an error for the caller, with its io error.
        for input in inputs {
            std::fs::metadata(input).map_err(|e| LibraryError::Missing(input.clone(), e))?;
        }
        let request = LoadRequest {
            inputs: inputs.to_vec(),
            options,
            cache_dir,
        };
        let mut library = Self::empty(&request);
        load_streaming(&request, &mut |event| {
            library.apply(event);
        });
        Ok(library)
    }

    /// A complete library made of these articles (for tests and tools).
    pub fn from_articles(origin: Origin, articles: Vec<ArticleMeta>) -> Self {
        let n = articles.len();
        let mut library = Self::empty(&LoadRequest {
            inputs: Vec::new(),
            options: LoadOptions::default(),
            cache_dir: None,
        });
        library.origin = origin;
        library.set_files(articles.into_iter().map(Arc::new).collect());
        library.report_copies();
        library.progress = Progress {
            total: Some(n),
            checked: n,
            done: true,
            cached: false,
        };
        library.reindex();
        library
    }

    /// A library with nothing loaded yet, to be filled by [`Library::apply`].
    pub fn empty(request: &LoadRequest) -> Self {
        let mut library = Self::unloaded(
            Origin::Disk(request.inputs.clone()),
            request.options.clone(),
        );
        library.cache_file = request
            .cache_dir
            .as_ref()
            .map(|d| cache::cache_path(d, &request.inputs));
        library.cache_dirty = true;
        library
    }

    /// No articles, nothing skipped, no cache: the start of every library.
    pub(super) fn unloaded(origin: Origin, options: LoadOptions) -> Self {
        Self {
            origin,
            options,
            articles: Vec::new(),
            copies: Vec::new(),
            copy_paths: Default::default(),
            copies_changed: false,
            ids: None,
            skipped: Vec::new(),
            notices: Vec::new(),
            progress: Progress::default(),
            index: None,
            unsorted: false,
            cache_file: None,
            cache_dirty: false,
            cache_deferred: false,
            cache_due: false,
        }
    }

    /// Leave writing the load cache to the caller, through
    /// [`Library::take_cache_job`], instead of writing it as the load
    /// finishes (the app writes it on its own thread, after drawing the
    /// full list).
    pub fn defer_cache_write(&mut self) {
        self.cache_deferred = true;
    }

    /// The load cache to write, once the load is done and when it changed
    /// since it was read; handed out once.
    pub fn take_cache_job(&mut self) -> Option<CacheJob> {
        if !std::mem::take(&mut self.cache_due) {
            return None;
        }
        let (Some(file), true, Origin::Disk(inputs)) =
            (&self.cache_file, self.cache_dirty, &self.origin)
        else {
            return None;
        };
        self.cache_dirty = false;
        Some(CacheJob {
            file: file.clone(),
            inputs: inputs.clone(),
            options: self.options.clone(),
            files: cache::Cached {
                articles: self.articles.clone(),
                copies: self.copies.clone(),
            },
        })
    }

    /// Take in one load event, and say what happened to article positions
    /// (callers that keep indices must find their articles again by id when
    /// `reordered` is set).
    pub fn apply(&mut self, event: LoadEvent) -> Applied {
        let mut applied = Applied {
            appended: self.articles.len()..self.articles.len(),
            ..Applied::default()
        };
        match event {
            LoadEvent::Cached(metas) => {
                // Written by a library that listed each story once: taken
                // as it is, so a warm start costs no more for copies.
                self.articles = metas;
                self.progress.cached = true;
                self.unsorted = false;
                self.cache_dirty = false;
                self.reindex();
                applied.reordered = true;
                applied.index.all = true;
            }
            LoadEvent::CachedCopies(metas) => self.set_copies(metas),
            LoadEvent::Found { total } => self.progress.total = Some(total),
            LoadEvent::Loaded(metas) => {
                self.cache_dirty = true;
                for meta in metas {
                    self.take(meta, &mut applied);
                }
                applied.appended.end = self.articles.len();
            }
            LoadEvent::Progress { checked } => self.progress.checked = checked,
            LoadEvent::Removed(paths) => {
                let gone: std::collections::HashSet<PathBuf> = paths.into_iter().collect();
                self.articles.retain(|a| !gone.contains(&a.path));
                let copies = self.copies.len();
                self.copies.retain(|c| !gone.contains(&c.path));
                if self.copies.len() != copies {
                    self.copy_paths = self.copies.iter().map(|c| path_hash(&c.path)).collect();
                    self.copies_changed = true;
                }
                self.cache_dirty = true;
                self.reindex();
                applied.reordered = true;
                applied.index.remove = gone.into_iter().collect();
                if self.orphaned_copies() {
                    // A story's file went: its next copy is the story now.
                    self.regroup(None, &mut applied);
                }
            }
            LoadEvent::Skipped(mut skipped) => self.skipped.append(&mut skipped),
            LoadEvent::Notice(n) => self.notices.push(n),
            LoadEvent::Failed(why) => {
                self.notices.push(why);
                self.progress.done = true;
            }
            LoadEvent::Done => {
                if self.unsorted {
                    self.articles.sort_by(|a, b| a.path.cmp(&b.path));
                    self.unsorted = false;
                    self.reindex();
                    applied.reordered = true;
                }
                self.progress.done = true;
                // Updates are rare once loaded: the index of paths is
                // built again if one comes.
                self.index = None;
                self.ids = None;
                self.write_cache();
            }
        }
        self.report_copies();
        applied
    }

    /// Save the metadata for the next warm start, when it changed (unless
    /// that is left to the caller). A cache that cannot be written costs
    /// speed, not data: a notice, no error.
    fn write_cache(&mut self) {
        self.cache_due = true;
        if self.cache_deferred {
            return;
        }
        if let Some(job) = self.take_cache_job()
            && let Err(why) = job.write()
        {
            self.notices.push(why.to_string());
            self.cache_dirty = true;
        }
    }

    /// Where the article at `path` is listed.
    pub(super) fn position_of_path(&mut self, path: &Path) -> Option<usize> {
        let articles = &self.articles;
        let index = self.index.get_or_insert_with(|| path_index(articles));
        index
            .get(&path_hash(path))
            .copied()
            .filter(|&i| self.articles[i].path == path)
    }

    /// List a new article at the end.
    pub(super) fn push_article(&mut self, meta: Arc<ArticleMeta>) {
        if self
            .articles
            .last()
            .is_some_and(|last| last.path > meta.path)
        {
            self.unsorted = true;
        }
        if let Some(index) = self.index.as_mut() {
            index.insert(path_hash(&meta.path), self.articles.len());
        }
        self.articles.push(meta);
    }

    /// Positions changed: drop the index (rebuilt when next needed).
    /// Loaded or cached lists arrive in path order; `unsorted` tracks
    /// appends that break it.
    pub(super) fn reindex(&mut self) {
        self.index = None;
        self.ids = None;
    }

    pub fn len(&self) -> usize {
        self.articles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// The listed stories, in library order. Read-only: only
    /// [`Library::apply`] changes them, which keeps the indices by path and
    /// id in step.
    pub fn articles(&self) -> &[Arc<ArticleMeta>] {
        &self.articles
    }

    /// The story at position `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&Arc<ArticleMeta>> {
        self.articles.get(i)
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Arc<ArticleMeta>> {
        self.articles.iter()
    }

    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    pub fn options(&self) -> &LoadOptions {
        &self.options
    }

    /// Where the library's fingerprints are kept (beside its load cache),
    /// and how to compute the missing ones; no file for a library without
    /// a load cache (they are computed each time).
    pub fn print_source(&self) -> (super::prints::PrintSource, Option<PathBuf>) {
        let source = super::prints::PrintSource {
            origin: self.origin.clone(),
            options: self.options.clone(),
        };
        let file = self
            .cache_file
            .as_deref()
            .map(super::prints::Prints::file_for);
        (source, file)
    }

    /// Files passed over, with their reasons (copies among them, as "same
    /// text as" their story's file).
    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    /// Messages for the user from loading (a rebuilt cache).
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    pub fn progress(&self) -> Progress {
        self.progress
    }

    /// A library that reads bodies as this one does (the origin and
    /// options) but lists nothing, for workers that are handed the metadata
    /// they need.
    pub fn body_reader(&self) -> Self {
        let mut bodies = Self::from_articles(self.origin.clone(), Vec::new());
        bodies.options = self.options.clone();
        bodies
    }
}

/// Position of each article by a hash of its path's bytes (no copy of the
/// paths; hashing a `Path` itself walks its components).
pub(super) type PathIndex = PathMap<usize>;

pub(super) fn path_index(articles: &[Arc<ArticleMeta>]) -> PathIndex {
    let mut index = PathIndex::with_capacity_and_hasher(articles.len(), Default::default());
    for (i, a) in articles.iter().enumerate() {
        index.insert(path_hash(&a.path), i);
    }
    index
}
