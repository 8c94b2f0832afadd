//! The article library: discover files, load them in parallel, keep their
//! metadata, and read a body again when it is needed.
//!
//! Every file gets exactly one outcome: an [`ArticleMeta`](crate::article::ArticleMeta) in
//! [`Library::articles`], or a [`Skipped`] entry with its reason. One bad
//! file never stops the load.
//!
//! Where things are: `walk.rs` finds the files and `loader.rs` streams the
//! load as events; `model.rs` is the [`Library`] that takes them in (with
//! `copies.rs` for files of the same text); `read.rs` reads and parses a
//! file; `cache.rs` is the load cache; `resolve.rs` finds an article by path
//! or id; `paths.rs` and `error.rs` hold what they all share; `bundled.rs`
//! is the sample library compiled in.

pub mod bundled;
pub mod cache;
mod copies;
mod error;
pub mod groups;
mod loader;
mod model;
mod paths;
pub mod prints;
mod read;
mod resolve;
mod sort;
mod walk;

pub use copies::IndexChanges;
pub use error::{CacheWriteError, LibraryError, SkipReason, Skipped};
pub use loader::{LoadEvent, LoadRequest, PathMap, load_streaming, path_hash};
pub use model::{Applied, CacheJob, Library, Origin, Progress};
pub use paths::{display_path, mtime_nanos, path_key};
pub use read::{load_article, load_meta, parse_bytes, read_capped};
pub use resolve::MIN_ID_PREFIX;
pub use sort::SortOrder;
pub use walk::{
    Candidate, Discovery, WalkOptions, discover, discover_folder, discover_with, is_article_name,
    is_project_file,
};

/// Files larger than this are skipped unless configured otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

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
