//! Full-text search over every word of every article.
//!
//! - [`query::parse`] reads the query language (pure, never fails);
//! - [`SearchIndex`] is the persisted tantivy index of one library: opened
//!   (and repaired) under the cache dir, reconciled with the files on disk by
//!   path, size and mtime, updated in batches from any thread, and searched
//!   with BM25 ranking;
//! - [`highlight_ranges`] and [`snippet`] find the matches again in any text,
//!   with the index's own tokenisation, for highlighting and `n`/`N`;
//! - [`worker::Finder`] keeps indexing and searching on threads of
//!   their own, reporting back through a callback or a channel.
//!
//! Typical use from an interactive program:
//!
//! ```no_run
//! # fn demo(library: &tidings::library::Library) -> Result<(), tidings::search::SearchError> {
//! use tidings::search::{NoMarks, SearchIndex, query};
//! let cache = std::path::Path::new("/tmp/cache");
//! let (index, notices) = SearchIndex::open_or_build(cache, library)?;
//! let q = query::parse("category:tech broadb");
//! let results = index.search(&q, 50, &NoMarks)?;
//! println!("{} matches; {:?}", results.total, q.note);
//! # Ok(()) }
//! ```

pub mod analysis;
mod engine;
pub mod highlight;
mod index;
pub mod location;
pub mod query;
pub mod related;
mod schema;
pub mod worker;

pub use engine::{Hit, Marks, NoMarks, PREFIX_EXPANSIONS, Results};
pub use highlight::{highlight_ranges, snippet};
pub use index::{
    Budget, COMMIT_EVERY, FileState, Notice, Plan, Removal, SearchError, SearchIndex, Summary,
    manifest, path_key,
};
pub use query::{Mark, MarkFilter, ParsedQuery, Scope, Term, parse};
pub use schema::FORMAT_VERSION;
