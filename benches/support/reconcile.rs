//! Bringing a search index in line with the files on disk, as `tidings
//! search` does before searching: stat, plan, index what changed, let
//! merges finish. Shared by the latency benchmarks.

use rayon::prelude::*;
use std::path::Path;
use std::time::Duration;
use tidings::library::{self, Candidate, LoadOptions};
use tidings::search::{FileState, SearchIndex};

/// Reconcile the index at `cache`/`key` with `candidates`; returns how
/// many articles were indexed (only the first run builds the index).
pub fn reconcile(cache: &Path, key: &str, candidates: &[Candidate]) -> anyhow::Result<usize> {
    let files: Vec<FileState> = candidates.par_iter().map(|c| stat(&c.path)).collect();
    let (index, _) = SearchIndex::open(cache, key, Duration::ZERO)?;
    let plan = index.plan(&files)?;
    let options = LoadOptions::default();
    index.apply(
        &files,
        &plan,
        |i| library::load_article(&candidates[i], &options).ok(),
        |_| {},
    )?;
    index.finish()?;
    Ok(plan.index.len())
}

fn stat(path: &Path) -> FileState {
    let m = std::fs::metadata(path).expect("file is there");
    // Nanoseconds, as the library records them: the index compares both.
    FileState::new(path, m.len(), tidings::library::mtime_nanos(&m))
}
