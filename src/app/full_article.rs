//! `F` in the reader: the open story's full text, fetched from its web
//! page on demand.
//!
//! The app only records the wish as an [`Effect`] (with the address in the
//! form [`safe_url`] gives, and only an `http`/`https` one); the runtime
//! fetches the page on a thread, rewrites the story's file and hands the
//! re-read story back ([`Event::FullText`](super::Event::FullText)). It
//! joins the library like any changed file, and the reader reads its new
//! body. The story's id is a hash of its text, so the new text has a new
//! id: its read mark is carried over here, and a bookmark follows the file
//! by its path (the store resolves it again).

use super::marks::Mark;
use super::{App, Effect};
use crate::article::ArticleMeta;
use crate::article::links::safe_url;
use crate::library::LoadEvent;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What the status bar says while the page is fetched.
pub const FETCHING: &str = "Fetching the full text…";

impl App {
    /// `F`: ask for the open story's full text, or say why not.
    pub(super) fn fetch_full_text(&mut self) {
        if self.reader.is_none() || self.selected_missing().is_some() {
            return self.message("No story open", true);
        }
        if self.full_text_pending.is_some() {
            return self.message(FETCHING, false);
        }
        let Some(meta) = self.selected_meta() else {
            return self.message("No story open", true);
        };
        let url = meta.url().and_then(safe_url).filter(|u| is_web(u));
        let Some(url) = url else {
            return self.message(
                "This story has no web address to fetch its full text from",
                true,
            );
        };
        let path = meta.path.clone();
        let root = root_of(meta);
        self.full_text_pending = Some(path.clone());
        self.effects.push(Effect::FullText { path, root, url });
        self.message(FETCHING, false);
    }

    /// The re-read story whose file now holds its full text, or why it
    /// could not be had.
    pub(super) fn take_full_text(&mut self, path: &Path, result: Result<Arc<ArticleMeta>, String>) {
        if self.full_text_pending.as_deref() == Some(path) {
            self.full_text_pending = None;
        }
        let meta = match result {
            Ok(meta) => meta,
            Err(why) => return self.message(&format!("No full text: {why}"), true),
        };
        let old = self.library.articles().iter().find(|a| a.path == path);
        let was_read = old.is_some_and(|a| self.marks.has(Mark::Read, a.id()));
        let hide = old.and_then(|a| self.marks.hide(a.id()));
        let new_id = meta.id().to_string();
        if let Some(old) = old.map(|a| a.id().to_string()) {
            self.undo.rename(&old, &new_id);
        }
        self.apply_load(LoadEvent::Loaded(vec![meta]));
        if was_read {
            self.marks.set(Mark::Read, &new_id, true);
        }
        if hide.is_some() {
            self.set_hide(&new_id, hide);
        }
        // The reader shows the story's new body, read again from the file.
        let open = self.reader.as_ref().map(|r| r.index);
        if open.is_some_and(|i| {
            self.library
                .articles()
                .get(i)
                .is_some_and(|a| a.path == path)
        }) {
            self.reader = None;
        }
        self.message("Full text fetched", false);
    }

    /// Whether a full text is being fetched (for the status bar).
    pub fn fetching_full_text(&self) -> bool {
        self.full_text_pending.is_some()
    }
}

fn is_web(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://")
}

/// The library folder `meta` was found under, from its path and its path
/// relative to that folder (`business/001.md` is two levels down).
fn root_of(meta: &ArticleMeta) -> PathBuf {
    let levels = meta.rel_path().split('/').count();
    meta.path
        .ancestors()
        .nth(levels)
        .unwrap_or(Path::new(""))
        .to_path_buf()
}
