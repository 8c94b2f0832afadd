//! `F` in the reader, carried out: the story's page fetched on a thread,
//! its article written into the story's file, and the story read again
//! and handed back to the loop ([`Msg::FullText`]).
//!
//! Only an item file that `tidings fetch` wrote in the news folder is
//! rewritten (the same file, atomically, keeping its front matter, so a
//! later fetch knows it holds full text: [`crate::feeds::fulltext`]). The
//! user's own files are never touched: for them `F` says so and writes
//! nothing.

use super::event_loop::Msg;
use crate::article::ArticleMeta;
use crate::feeds::http::{Client, HttpOptions};
use crate::feeds::{fulltext, write};
use crate::library::{Candidate, LoadOptions, load_meta, read_capped};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::Sender;

/// Why a file is not rewritten.
const NOT_AN_ITEM: &str = "full text is fetched only for feed items (files `tidings fetch` wrote)";

/// Largest item file read to be rewritten.
const MAX_ITEM_FILE: u64 = 16 << 20;

/// Where full-text jobs run from: the news folder, and the loop's channel.
pub struct FullTextJobs {
    news_dir: PathBuf,
    tx: Sender<Msg>,
}

/// One story to fetch the full text of.
#[derive(Debug, Clone)]
pub struct Job {
    pub path: PathBuf,
    /// The library folder the file was found under (for its category).
    pub root: PathBuf,
    pub url: String,
    pub load: LoadOptions,
}

impl FullTextJobs {
    pub fn new(news_dir: PathBuf, tx: Sender<Msg>) -> Self {
        Self { news_dir, tx }
    }

    /// The loop's channel, for other background work.
    pub fn sender(&self) -> Sender<Msg> {
        self.tx.clone()
    }

    /// Run `job` on its own thread; its outcome reaches the loop as a
    /// [`Msg::FullText`]. A thread that cannot start is reported at once.
    pub fn start(&self, job: Job) {
        let (news, tx) = (self.news_dir.clone(), self.tx.clone());
        let path = job.path.clone();
        let spawned = std::thread::Builder::new()
            .name("full-text".into())
            .spawn(move || {
                let client = Client::new(HttpOptions::default());
                let now = crate::article::date::now();
                let result = rewrite(&news, &job, &client, now);
                let _ = tx.send(Msg::FullText {
                    path: job.path,
                    result,
                });
            });
        if let Err(e) = spawned {
            let _ = self.tx.send(Msg::FullText {
                path,
                result: Err(e.to_string()),
            });
        }
    }
}

/// Fetch `job`'s article into its item file under `news` and read the
/// story again; or why not, on one line.
pub fn rewrite(
    news: &Path,
    job: &Job,
    client: &Client,
    now: i64,
) -> Result<Arc<ArticleMeta>, String> {
    let (dir, name, text) = item_file(news, &job.path).ok_or(NOT_AN_ITEM)?;
    let article = fulltext::fetch(client, &job.url, now).map_err(|e| e.to_string())?;
    let hash = fulltext::marked(&text)
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| fulltext::summary_hash(&text));
    let full = fulltext::with_article(&text, &article, &hash).ok_or(NOT_AN_ITEM)?;
    write::write_file(&dir, &name, &full).map_err(|e| e.to_string())?;
    let candidate = Candidate {
        path: job.path.clone(),
        root: Arc::from(job.root.as_path()),
    };
    let meta = load_meta(&candidate, &job.load).map_err(|s| s.reason.to_string())?;
    Ok(Arc::new(meta))
}

/// The folder, name and text of the item file at `path`: a regular `.md`
/// file (not a symlink) inside the news folder whose front matter is the
/// one `tidings fetch` writes. `None` for anything else.
fn item_file(news: &Path, path: &Path) -> Option<(PathBuf, String, String)> {
    let name = path.file_name()?.to_str()?.to_string();
    if !name.ends_with(".md") || name.starts_with('.') {
        return None;
    }
    let dir = path.parent()?.canonicalize().ok()?;
    if !dir.starts_with(news.canonicalize().ok()?) {
        return None;
    }
    let file = dir.join(&name);
    if !std::fs::symlink_metadata(&file).ok()?.is_file() {
        return None;
    }
    let text = String::from_utf8(read_capped(&file, MAX_ITEM_FILE).ok()?).ok()?;
    let front = write::front_matter_of(&text)?;
    (!front.feed_url.is_empty()).then_some((dir, name, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_item_files_in_the_news_folder_are_rewritten() {
        let tmp = tempfile::tempdir().unwrap();
        let news = tmp.path().join("news");
        std::fs::create_dir_all(news.join("feed")).unwrap();
        let item = "---\ntitle: T\nfeed: F\nfeed_url: https://example.org/f\nfetched: x\n---\n\nSummary.\n";
        let own = "---\ntitle: Mine\n---\n\nMy notes.\n";
        std::fs::write(news.join("feed/a.md"), item).unwrap();
        std::fs::write(news.join("feed/mine.md"), own).unwrap();
        std::fs::write(tmp.path().join("b.md"), item).unwrap();
        std::os::unix::fs::symlink(tmp.path().join("b.md"), news.join("feed/link.md")).unwrap();
        assert!(item_file(&news, &news.join("feed/a.md")).is_some());
        for refused in ["feed/mine.md", "feed/link.md", "../b.md", "feed/missing.md"] {
            assert!(item_file(&news, &news.join(refused)).is_none(), "{refused}");
        }
        // Refused before anything is fetched: the client is never used.
        let job = Job {
            path: news.join("feed/mine.md"),
            root: tmp.path().to_path_buf(),
            url: "http://127.0.0.1:9/".into(),
            load: LoadOptions::default(),
        };
        let client = Client::new(HttpOptions::default());
        assert_eq!(rewrite(&news, &job, &client, 0).unwrap_err(), NOT_AN_ITEM);
        assert_eq!(
            std::fs::read_to_string(news.join("feed/mine.md")).unwrap(),
            own
        );
    }
}
