//! Feeds that moved for good (a 301 or 308 answered the fetch): the
//! subscription follows them in `feeds.toml`, whoever fetched (`tidings
//! fetch` or `R` in the reader).

use super::fetch::FeedReport;
use super::subscriptions::Subscriptions;
use crate::article::sanitize::sanitize_line;
use crate::store::atomic::{DirLock, LOCK_WAIT};
use std::path::{Path, PathBuf};

/// `feeds.toml.lock` beside `feeds.toml` (its folder made first): every
/// change to the subscriptions is made under it.
pub fn lock_path(path: &Path) -> PathBuf {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::create_dir_all(dir);
    }
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    path.with_file_name(name)
}

/// Point the subscriptions in `path` that moved for good at their new
/// address (unless another subscription has it already), and say so:
/// `name moved to URL`, one line each. Nothing is written when nothing
/// moved.
pub fn follow_moves(path: &Path, reports: &[FeedReport]) -> anyhow::Result<Vec<String>> {
    let moves: Vec<(&str, &str)> = reports
        .iter()
        .filter_map(|r| Some((r.url.as_str(), r.moved_to.as_deref()?)))
        .collect();
    if moves.is_empty() {
        return Ok(Vec::new());
    }
    let _lock = DirLock::acquire(&lock_path(path), LOCK_WAIT)?;
    let mut subs = Subscriptions::load(path)?;
    let mut said = Vec::new();
    for (from, to) in moves {
        let taken = subs.feeds.iter().any(|s| s.url == to);
        if let Some(sub) = subs.feeds.iter_mut().find(|s| s.url == from)
            && !taken
        {
            sub.url = to.to_string();
            said.push(sanitize_line(&format!("{} moved to {to}", sub.name)));
        }
    }
    subs.save(path)?;
    Ok(said)
}
