//! The article library: discover files, load them in parallel, keep their
//! metadata, and read a body again when it is needed.
//!
//! Every file gets exactly one outcome: an [`ArticleMeta`] in
//! [`Library::articles`], or a [`Skipped`] entry with its reason. One bad
//! file never stops the load.

pub mod bundled;
pub mod cache;
mod copies;
mod loader;
mod walk;

use crate::article::{self, Article, ArticleMeta, MetaText, Parsed};
use crate::text;
use std::ffi::OsStr;
use std::fmt;
use std::fs::File;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

pub use copies::IndexChanges;
pub use loader::{LoadEvent, LoadRequest, PathMap, load_streaming, path_hash};
pub use walk::{
    Candidate, Discovery, WalkOptions, discover, discover_with, is_article_name, is_project_file,
};

/// Files larger than this are skipped unless configured otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;
/// Bytes looked at to decide whether a file is binary.
const BINARY_SNIFF: usize = 8 * 1024;
/// Shortest id prefix accepted on the command line.
pub const MIN_ID_PREFIX: usize = 4;

/// The settings that decide what loads: a load cache made under other
/// settings is not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadOptions {
    pub max_file_size: u64,
    /// List project files (`LICENSE`, `README`, ...) found in folders.
    pub project_files: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            project_files: false,
        }
    }
}

impl LoadOptions {
    /// What the walk needs of these options.
    pub fn walk(&self) -> WalkOptions {
        WalkOptions {
            project_files: self.project_files,
        }
    }
}

/// Why a file is not in the library (`SameText`: it has the same text as
/// the file given, under which its story is listed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    Binary,
    Empty,
    TooLarge { size: u64, limit: u64 },
    Unreadable(String),
    NotRegular(&'static str),
    SymlinkLoop,
    DanglingLink,
    Vanished,
    SameText(PathBuf),
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Binary => f.write_str("binary file"),
            Self::Empty => f.write_str("empty file"),
            Self::TooLarge { size, limit } => {
                // The limit as configured (whole MiB); the size as it is,
                // exactly when a rounded figure would look like the limit.
                let limit = if limit % (1 << 20) == 0 {
                    format!("{} MiB", limit >> 20)
                } else {
                    text::size(*limit)
                };
                let mut shown = text::size(*size);
                if shown == limit {
                    shown = format!("{} B", text::thousands(*size as usize));
                }
                write!(f, "too large ({shown}, over the {limit} limit)")
            }
            Self::Unreadable(e) => write!(f, "unreadable: {}", article::sanitize::sanitize_line(e)),
            Self::NotRegular(kind) => write!(f, "{kind}, not a regular file"),
            Self::SymlinkLoop => f.write_str("symbolic link loop"),
            Self::DanglingLink => f.write_str("dangling symbolic link"),
            Self::Vanished => f.write_str("vanished while loading"),
            Self::SameText(story) => write!(f, "same text as {}", display_path(story)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: SkipReason,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", display_path(&self.path), self.reason)
    }
}

/// A path made safe to print: file names can hold control characters too.
pub fn display_path(path: &Path) -> String {
    article::sanitize::sanitize_line(&path.to_string_lossy())
}

#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("library path {}: {}", display_path(.0), .1)]
    Missing(PathBuf, std::io::Error),
    #[error("no article matches '{}'", article::sanitize::sanitize_line(.0))]
    UnknownId(String),
    #[error("'{}' is ambiguous: it matches {}", article::sanitize::sanitize_line(.0), .1.join(", "))]
    AmbiguousId(String, Vec<String>),
    #[error("'{}' is ambiguous: it names the files of articles {}", article::sanitize::sanitize_line(.0), .1.join(", "))]
    AmbiguousPath(String, Vec<String>),
    #[error("'{}' is too short: give at least {MIN_ID_PREFIX} characters of an id", article::sanitize::sanitize_line(.0))]
    ShortId(String),
    #[error("{}: {}", display_path(.0), .1)]
    Unreadable(PathBuf, SkipReason),
}

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
    pub origin: Origin,
    pub options: LoadOptions,
    /// In path order once loading is done. Shared, not copied, with the
    /// search engine and the loader: at 100k articles every copy of the
    /// metadata would cost tens of megabytes.
    pub articles: Vec<Arc<ArticleMeta>>,
    /// Files with the same text as a listed story (see [`copies`]): not
    /// listed, reported in `skipped`.
    copies: Vec<Arc<ArticleMeta>>,
    /// Hashes of the copies' paths.
    copy_paths: std::collections::HashSet<u128>,
    /// The copies changed since they were last reported.
    copies_changed: bool,
    /// Position of each story by id; built when first needed.
    ids: Option<copies::IdIndex>,
    pub skipped: Vec<Skipped>,
    /// Messages for the user from loading (a rebuilt cache).
    pub notices: Vec<String>,
    pub progress: Progress,
    /// Position of each article by path, to apply updates; built on the
    /// first update, so a warm start that changes nothing never pays for it.
    index: Option<PathIndex>,
    /// Articles were added out of order since the last sort.
    unsorted: bool,
    /// Where this library's load cache lives, and whether it needs writing
    /// when the load is done.
    cache_file: Option<PathBuf>,
    cache_dirty: bool,
    /// When the load is done, leave the cache to [`Library::take_cache_job`]
    /// instead of writing it at once.
    cache_deferred: bool,
    /// The load is done and the cache has not been handed out since.
    cache_due: bool,
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
    pub fn write(self) -> Result<(), String> {
        cache::write(&self.file, &self.inputs, &self.options, &self.files).map_err(|e| {
            format!(
                "cannot write the load cache {}: {e}",
                display_path(&self.file)
            )
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
        Self {
            origin: Origin::Disk(request.inputs.clone()),
            options: request.options.clone(),
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
            cache_file: request
                .cache_dir
                .as_ref()
                .map(|d| cache::cache_path(d, &request.inputs)),
            cache_dirty: true,
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
            self.notices.push(why);
            self.cache_dirty = true;
        }
    }

    /// Where the article at `path` is listed.
    fn position_of_path(&mut self, path: &Path) -> Option<usize> {
        let articles = &self.articles;
        let index = self.index.get_or_insert_with(|| path_index(articles));
        index
            .get(&path_hash(path))
            .copied()
            .filter(|&i| self.articles[i].path == path)
    }

    /// List a new article at the end.
    fn push_article(&mut self, meta: Arc<ArticleMeta>) {
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
    fn reindex(&mut self) {
        self.index = None;
        self.ids = None;
    }

    /// The sample library compiled into the binary.
    pub fn bundled() -> Self {
        let articles = bundled::FILES
            .iter()
            .filter_map(|(rel, bytes)| {
                let parsed = parse_bytes(bytes).ok()?;
                let path = Path::new(bundled::ROOT).join(rel);
                Some(Arc::new(make_meta(
                    parsed,
                    path,
                    rel,
                    bytes.len() as u64,
                    0,
                )))
            })
            .collect();
        Self {
            origin: Origin::Bundled,
            options: LoadOptions::default(),
            articles,
            copies: Vec::new(),
            copy_paths: Default::default(),
            copies_changed: false,
            ids: None,
            skipped: Vec::new(),
            notices: Vec::new(),
            progress: Progress {
                total: Some(bundled::FILES.len()),
                checked: bundled::FILES.len(),
                done: true,
                cached: false,
            },
            index: None,
            unsorted: false,
            cache_file: None,
            cache_dirty: false,
            cache_deferred: false,
            cache_due: false,
        }
    }

    pub fn len(&self) -> usize {
        self.articles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// The file's bytes as stored.
    pub fn raw_bytes(&self, meta: &ArticleMeta) -> Result<Vec<u8>, LibraryError> {
        if self.origin == Origin::Bundled {
            return bundled::get(meta.rel_path())
                .map(<[u8]>::to_vec)
                .ok_or_else(|| LibraryError::Unreadable(meta.path.clone(), SkipReason::Vanished));
        }
        read_capped(&meta.path, self.options.max_file_size)
            .map_err(|r| LibraryError::Unreadable(meta.path.clone(), r))
    }

    /// The raw file as text (decoded and made safe to show, nothing removed).
    pub fn raw_text(&self, meta: &ArticleMeta) -> Result<String, LibraryError> {
        Ok(article::sanitize::sanitize(&article::decode(
            &self.raw_bytes(meta)?,
        )))
    }

    /// Read and parse an article's body again. The metadata given is kept:
    /// if the file changed since it was loaded, the new text is shown under
    /// the old id until the next load.
    pub fn article(&self, meta: &ArticleMeta) -> Result<Article, LibraryError> {
        let bytes = self.raw_bytes(meta)?;
        let parsed =
            parse_bytes(&bytes).map_err(|r| LibraryError::Unreadable(meta.path.clone(), r))?;
        Ok(Article {
            meta: meta.clone(),
            paragraphs: parsed.paragraphs,
        })
    }

    /// Find an article by its path or a unique id prefix (at least
    /// [`MIN_ID_PREFIX`] characters). A path may be given as it is on disk
    /// (from the working directory, library-relative, or any form naming
    /// the same file), or cleaned as the command line prints it (control
    /// characters removed, lossy UTF-8): file names need not be printable.
    pub fn resolve(&self, query: &OsStr) -> Result<usize, LibraryError> {
        if let Some(i) = self.by_path(query)? {
            return Ok(i);
        }
        let shown = query.to_string_lossy();
        let Some(q) = query
            .to_str()
            .map(str::to_ascii_lowercase)
            .filter(|q| !q.is_empty() && q.chars().all(|c| c.is_ascii_hexdigit()))
        else {
            return Err(LibraryError::UnknownId(shown.into_owned()));
        };
        if q.len() < MIN_ID_PREFIX {
            return Err(LibraryError::ShortId(shown.into_owned()));
        }
        let matches: Vec<usize> = (0..self.articles.len())
            .filter(|&i| self.articles[i].id().starts_with(&q))
            .collect();
        let mut ids: Vec<String> = matches
            .iter()
            .map(|&i| self.articles[i].id().to_string())
            .collect();
        ids.dedup();
        match (matches.first(), ids.len()) {
            (None, _) => Err(LibraryError::UnknownId(shown.into_owned())),
            (Some(&i), 1) => Ok(i),
            _ => Err(LibraryError::AmbiguousId(shown.into_owned(), ids)),
        }
    }

    /// The article at `query`: the exact bytes first (as given, then
    /// library-relative), then any path naming the same file, then the
    /// cleaned form, which must name one article only. A copy's path (a file
    /// with the same text as a listed one) names its story.
    fn by_path(&self, query: &OsStr) -> Result<Option<usize>, LibraryError> {
        let wanted = Path::new(query);
        let parts = wanted.components().count();
        let exact = |a: &ArticleMeta| {
            a.path == wanted
                || (a.path.ends_with(wanted) && a.rel_path().split('/').count() == parts)
        };
        if let Some(i) = self.find_file(exact).first() {
            return Ok(Some(*i));
        }
        if let Ok(canonical) = wanted.canonicalize() {
            let same = |a: &ArticleMeta| a.path.canonicalize().is_ok_and(|p| p == canonical);
            if let Some(i) = self.find_file(same).first() {
                return Ok(Some(*i));
            }
        }
        let cleaned = article::sanitize::sanitize_line(&query.to_string_lossy());
        if cleaned.is_empty() {
            return Ok(None);
        }
        let found = self.find_file(|a| {
            cleans_to(&a.path.to_string_lossy(), &cleaned) || cleans_to(a.rel_path(), &cleaned)
        });
        match found.as_slice() {
            [] => Ok(None),
            [i] => Ok(Some(*i)),
            many => Err(LibraryError::AmbiguousPath(
                cleaned,
                many.iter()
                    .map(|&i| self.articles[i].id().to_string())
                    .collect(),
            )),
        }
    }

    /// Positions of the stories whose listed file, or else one of whose
    /// copies, fits `test`, without repeats, in library order.
    fn find_file(&self, test: impl Fn(&ArticleMeta) -> bool) -> Vec<usize> {
        let listed: Vec<usize> = (0..self.articles.len())
            .filter(|&i| test(&self.articles[i]))
            .collect();
        if !listed.is_empty() {
            return listed;
        }
        let mut stories: Vec<usize> = self
            .copies
            .iter()
            .filter(|c| test(c))
            .filter_map(|c| self.articles.iter().position(|a| a.id() == c.id()))
            .collect();
        stories.sort_unstable();
        stories.dedup();
        stories
    }
}

/// Whether `text` made safe to print on one line ([`display_path`]) is
/// `cleaned`, without a copy when it needs no cleaning (nearly every name).
fn cleans_to(text: &str, cleaned: &str) -> bool {
    match article::sanitize::sanitize_cow(text) {
        std::borrow::Cow::Borrowed(clean) if !clean.contains('\n') => clean == cleaned,
        _ => article::sanitize::sanitize_line(text) == cleaned,
    }
}

/// Position of each article by a hash of its path's bytes (no copy of the
/// paths; hashing a `Path` itself walks its components).
type PathIndex = PathMap<usize>;

fn path_index(articles: &[Arc<ArticleMeta>]) -> PathIndex {
    let mut index = PathIndex::with_capacity_and_hasher(articles.len(), Default::default());
    for (i, a) in articles.iter().enumerate() {
        index.insert(path_hash(&a.path), i);
    }
    index
}

/// The bytes of a path, as a hash key.
pub fn path_key(path: &Path) -> &[u8] {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes()
}

/// Load one candidate in full: one open, one `fstat`, and reads into a
/// buffer that each thread keeps from file to file.
pub fn load_article(c: &Candidate, options: &LoadOptions) -> Result<Article, Skipped> {
    let skip = |reason| Skipped {
        path: c.path.clone(),
        reason,
    };
    let (file, size, mtime) = open_regular(&c.path).map_err(skip)?;
    let mut parsed = READ_BUF
        .with_borrow_mut(|buf| {
            let len = read_file(file, size, options.max_file_size, buf)?;
            let parsed = parse_bytes(&buf[..len]);
            if buf.len() > KEPT_READ_BUF {
                *buf = Vec::new();
            }
            parsed
        })
        .map_err(skip)?;
    let rel = rel_path(&c.path, &c.root);
    let paragraphs = std::mem::take(&mut parsed.paragraphs);
    let (id, words) = article::digest(&parsed.title, &paragraphs);
    Ok(Article {
        meta: meta_of(&parsed, id, words, c.path.clone(), &rel, size, mtime),
        paragraphs,
    })
}

/// Largest read buffer a thread keeps between files; a bigger one (for a
/// rare huge file) is given back at once.
const KEPT_READ_BUF: usize = 1 << 20;

thread_local! {
    /// The bytes of the file being loaded; its length is only ever raised,
    /// so the zero-fill is paid once per thread, not once per file.
    static READ_BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Decode, sanitise and parse a file's bytes, or say why it is no article.
pub fn parse_bytes(bytes: &[u8]) -> Result<Parsed, SkipReason> {
    if memchr::memchr(0, &bytes[..bytes.len().min(BINARY_SNIFF)]).is_some() {
        return Err(SkipReason::Binary);
    }
    article::txt::parse(&article::decode(bytes)).ok_or(SkipReason::Empty)
}

fn make_meta(parsed: Parsed, path: PathBuf, rel: &str, size: u64, mtime: i64) -> ArticleMeta {
    let (id, words) = parsed.digest();
    meta_of(&parsed, id, words, path, rel, size, mtime)
}

/// The metadata of a parsed file whose id and word count are known (its
/// paragraphs are not used).
fn meta_of(
    parsed: &Parsed,
    id: String,
    words: usize,
    path: PathBuf,
    rel: &str,
    size: u64,
    mtime: i64,
) -> ArticleMeta {
    let category = rel
        .rsplit_once('/')
        .map(|(dir, _)| article::sanitize::sanitize_line(dir));
    let text = MetaText {
        id: &id,
        title: &parsed.title,
        kicker: parsed.kicker.as_deref(),
        category: category.as_deref(),
        rel_path: rel,
        source: parsed.source.as_deref(),
        date: parsed.date.as_deref(),
    };
    ArticleMeta::new(text, path, words, size, mtime)
}

/// `path` relative to `root`, with `/` separators.
fn rel_path<'a>(path: &'a Path, root: &Path) -> std::borrow::Cow<'a, str> {
    // A path the walk built (`root/dir/name`, nothing to normalise) is
    // already that: its bytes after the root's.
    match plain_rel_path(path, root) {
        Some(rel) => rel.into(),
        None => rel_path_by_components(path, root).into(),
    }
}

/// `path` relative to `root` by definition: each component after the root,
/// lossily UTF-8, joined with `/`.
fn rel_path_by_components(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// The text after `root/` in `path`, when that is what component-wise
/// [`rel_path`] gives: UTF-8, and no empty or `.` component for
/// [`Path::components`] to drop.
fn plain_rel_path<'a>(path: &'a Path, root: &Path) -> Option<&'a str> {
    use std::os::unix::ffi::OsStrExt;
    let root = root.as_os_str().as_bytes();
    if root.is_empty() || root.ends_with(b"/") {
        return None;
    }
    let rest = path
        .as_os_str()
        .as_bytes()
        .strip_prefix(root)?
        .strip_prefix(b"/")?;
    let rest = std::str::from_utf8(rest).ok()?;
    rest.split('/')
        .all(|part| !part.is_empty() && part != ".")
        .then_some(rest)
}

/// Open without blocking (a FIFO swapped in after the walk must not hang us)
/// and refuse anything that is not a regular file; the one `fstat` that
/// checks the type also gives the size and modification time.
fn open_regular(path: &Path) -> Result<(File, u64, i64), SkipReason> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => SkipReason::Vanished,
            _ => SkipReason::Unreadable(e.to_string()),
        })?;
    let meta = file
        .metadata()
        .map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    match walk::special_kind(&meta.file_type()) {
        Some(kind) => Err(SkipReason::NotRegular(kind)),
        None => Ok((file, meta.len(), mtime_nanos(&meta))),
    }
}

/// Modification time in nanoseconds since the epoch (0 when unknown): a
/// file rewritten within the same second is still noticed.
pub fn mtime_nanos(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos().min(i64::MAX as u128) as i64)
}

/// Read the file `fstat` found to be `size` bytes into the start of `buf`
/// (grown as needed, never shrunk), and return how many bytes it holds.
///
/// Up to one byte past the limit is read, so a file that grew is still
/// caught. The first read asks for one byte more than `size`: when it
/// returns exactly `size`, that is the end of the file and no second read
/// is needed to see it.
fn read_file(
    mut file: File,
    size: u64,
    limit: u64,
    buf: &mut Vec<u8>,
) -> Result<usize, SkipReason> {
    if size > limit {
        return Err(SkipReason::TooLarge { size, limit });
    }
    let cap = usize::try_from(limit.saturating_add(1)).unwrap_or(usize::MAX);
    let mut want = usize::try_from(size.saturating_add(1)).map_or(cap, |w| w.min(cap));
    let mut len = 0;
    while len < cap {
        if buf.len() < want {
            buf.resize(want, 0);
        }
        let end = want.min(buf.len());
        match file.read(&mut buf[len..end]) {
            Ok(0) => break,
            Ok(n) => {
                len += n;
                if len as u64 == size && len < end {
                    break;
                }
                if len == end {
                    // Larger than it was: keep going, in growing steps.
                    want = end.saturating_mul(2).max(8192).min(cap);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(SkipReason::Unreadable(e.to_string())),
        }
    }
    if len as u64 > limit {
        return Err(SkipReason::TooLarge {
            size: len as u64,
            limit,
        });
    }
    Ok(len)
}

/// Read a whole regular file, within the size limit.
pub fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, SkipReason> {
    let (file, size, _) = open_regular(path)?;
    let mut bytes = Vec::new();
    let len = read_file(file, size, limit, &mut bytes)?;
    bytes.truncate(len);
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_list_mirrors_articles_folder() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
        let found = discover(std::slice::from_ref(&root)).unwrap();
        let mut on_disk: Vec<String> = found
            .candidates
            .iter()
            .map(|c| rel_path(&c.path, &root).into_owned())
            .collect();
        on_disk.sort();
        let mut bundled: Vec<String> = bundled::FILES.iter().map(|(p, _)| p.to_string()).collect();
        bundled.sort();
        assert_eq!(on_disk, bundled);
    }

    #[test]
    fn bundled_library_loads_every_file() {
        let lib = Library::bundled();
        assert_eq!(lib.len(), bundled::FILES.len());
        let a = &lib.articles[0];
        assert!(lib.article(a).unwrap().paragraphs.len() > 3);
    }

    #[test]
    fn read_file_reads_whole_files_whatever_fstat_said() {
        let dir = tempfile::TempDir::new().unwrap();
        let mut buf = vec![7u8; 3];
        for len in [0usize, 1, 100, 8191, 8192, 8193, 70_000] {
            let path = dir.path().join(format!("f{len}"));
            let body: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            std::fs::write(&path, &body).unwrap();
            // The size from fstat, and sizes a file that grew or shrank
            // since would have had.
            for size in [len as u64, 0, 5, len as u64 / 2, len as u64 + 10] {
                let file = File::open(&path).unwrap();
                let n = read_file(file, size, DEFAULT_MAX_FILE_SIZE, &mut buf).unwrap();
                assert_eq!(&buf[..n], &body[..], "len {len}, size {size}");
            }
            assert_eq!(read_capped(&path, DEFAULT_MAX_FILE_SIZE).unwrap(), body);
        }
    }

    #[test]
    fn read_file_stops_one_byte_past_the_limit() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b'a'; 50_000]).unwrap();
        let mut buf = Vec::new();
        let over = |size, limit, buf: &mut Vec<u8>| {
            read_file(File::open(&path).unwrap(), size, limit, buf)
        };
        assert_eq!(
            over(50_000, 1000, &mut buf),
            Err(SkipReason::TooLarge {
                size: 50_000,
                limit: 1000
            })
        );
        // A file that grew past the limit after fstat: caught by reading.
        assert_eq!(
            over(10, 1000, &mut buf),
            Err(SkipReason::TooLarge {
                size: 1001,
                limit: 1000
            })
        );
        assert_eq!(over(10, 50_000, &mut buf), Ok(50_000));
        assert_eq!(
            read_capped(&path, 49_999),
            Err(SkipReason::TooLarge {
                size: 50_000,
                limit: 49_999
            })
        );
    }

    #[test]
    fn load_article_keeps_the_parsed_paragraphs() {
        let dir = tempfile::TempDir::new().unwrap();
        let text = "Title here\n\nOne  two.\n\nThree\u{a0}four.\n";
        std::fs::create_dir(dir.path().join("news")).unwrap();
        let path = dir.path().join("news/a.txt");
        std::fs::write(&path, text).unwrap();
        let c = Candidate {
            path: path.clone(),
            root: dir.path().into(),
        };
        let article = load_article(&c, &LoadOptions::default()).unwrap();
        let parsed = parse_bytes(text.as_bytes()).unwrap();
        assert_eq!(article.paragraphs, parsed.paragraphs);
        assert_eq!(article.meta.id(), parsed.id());
        assert_eq!(article.meta.words, 6);
        assert_eq!(article.meta.size, text.len() as u64);
        assert_eq!(article.meta.rel_path(), "news/a.txt");
        assert_eq!(article.meta.category(), Some("news"));
    }

    #[test]
    fn rel_path_takes_plain_paths_as_they_are_and_normalises_others() {
        let cases = [
            ("lib/a.txt", "lib"),
            ("lib/news/a.txt", "lib"),
            ("./lib/x/../a", "./lib"),
            ("../shared/bbc/tech/a.txt", "../shared/bbc"),
            ("/abs/lib/a", "/abs/lib"),
            ("/abs/lib/a", "/abs/lib/"),
            ("lib//a.txt", "lib"),
            ("lib/./a.txt", "lib"),
            ("lib/a/.", "lib"),
            ("lib/a/", "lib"),
            ("lib/./", "lib"),
            ("a.txt", ""),
            ("/a.txt", "/"),
            ("library/a.txt", "lib"),
            ("lib", "lib"),
            ("lib/", "lib"),
            ("other/a.txt", "lib"),
            ("lib/.hidden/x", "lib"),
        ];
        for (path, root) in cases {
            let (path, root) = (Path::new(path), Path::new(root));
            assert_eq!(
                rel_path(path, root),
                // The component-wise definition, which the plain case must match.
                rel_path_by_components(path, root),
                "{path:?} {root:?}"
            );
        }
        assert_eq!(
            plain_rel_path(Path::new("lib/news/a.txt"), Path::new("lib")),
            Some("news/a.txt")
        );
    }

    #[test]
    fn cleans_to_compares_with_the_printed_form() {
        for (name, printed) in [
            ("plain.txt", "plain.txt"),
            ("esc\x1b[31m.txt", "esc[31m.txt"),
            ("two\nlines.txt", "two lines.txt"),
            ("csi\u{9b}.txt", "csi.txt"),
        ] {
            assert!(cleans_to(name, printed), "{name:?}");
            assert_eq!(article::sanitize::sanitize_line(name), printed);
        }
        assert!(!cleans_to("a.txt", "b.txt"));
    }

    #[test]
    fn binary_and_empty_are_skipped() {
        assert_eq!(parse_bytes(b"ab\0cd"), Err(SkipReason::Binary));
        assert_eq!(parse_bytes(b"  \n \n"), Err(SkipReason::Empty));
        assert_eq!(parse_bytes(b""), Err(SkipReason::Empty));
    }
}
