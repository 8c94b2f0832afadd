//! Taking in the library while it loads in the background.
//!
//! The app starts with whatever the library has (nothing, or the cached
//! list) and takes each [`LoadEvent`] as it arrives: new articles join the
//! list if they pass the current filter, changed ones are updated in place,
//! and when positions change (a cached list arrives, files are removed, the
//! final sort) the selection and the open story are found again by id, so
//! nothing under the cursor moves.

use super::{App, headlines};
use crate::library::{IndexChanges, LoadEvent};
use crate::text::thousands;

impl App {
    /// Apply one event from the background loader, and keep what the
    /// search index should take in (the stories listed, never their
    /// copies) for [`App::take_index_changes`].
    pub(super) fn apply_load(&mut self, event: LoadEvent) {
        let keep = self.selected_meta().map(|m| m.id().to_string());
        let skipped_before = self.library.skipped().len();
        match &event {
            LoadEvent::Notice(text) => self.message(text, false),
            LoadEvent::Failed(why) => self.message(why, true),
            _ => {}
        }
        self.note_load_for_groups(&event);
        let mut applied = self.library.apply(event);
        if applied.reordered {
            self.list.reindex(self.library.articles());
            self.refind_reader();
            let keep = keep.and_then(|id| self.position_of(&id));
            self.rehide_flags();
            self.refilter(keep);
        } else {
            for &i in &applied.replaced {
                self.list.replace(i, &self.library.articles()[i]);
            }
            if !applied.replaced.is_empty() {
                // A story's id moves with its text.
                self.rehide_flags();
            }
            // The engine's ranked answer places new stories itself; "more
            // like this" lists only the stories it found.
            let terms = (self.search.ranked.is_none() && self.related.is_none())
                .then(|| headlines::terms(&self.search.query));
            // Set aside while the filter reads the rest of the app.
            let mut list = std::mem::take(&mut self.list);
            for i in applied.appended {
                list.append(&self.filter(), i, terms.as_deref());
            }
            list.settle(&self.filter());
            self.list = list;
        }
        if self.library.skipped().len() > skipped_before {
            self.announce_skipped();
        }
        self.try_resume();
        self.sync();
        let mut changes = std::mem::take(&mut applied.index);
        if std::mem::take(&mut changes.all) {
            // Shared, not copied: the engine gets the same metadata.
            changes.add = self.library.articles().to_vec();
        }
        let pending = self.index_changes.get_or_insert_with(IndexChanges::default);
        pending.add.append(&mut changes.add);
        pending.remove.append(&mut changes.remove);
    }

    /// What the search index should take in since the last call: the
    /// stories the loads applied since then listed, and the files they
    /// removed. The runtime takes them after each load event.
    pub fn take_index_changes(&mut self) -> IndexChanges {
        self.index_changes.take().unwrap_or_default()
    }

    /// The load cache to write, once the load is done (see
    /// [`crate::library::Library::defer_cache_write`]).
    pub fn take_cache_job(&mut self) -> Option<crate::library::CacheJob> {
        self.library.take_cache_job()
    }

    /// What the library is busy with, for the status bar: `Loading 41,200 /
    /// 100,000` until every file has been read, or, when the list came from
    /// the load cache (everything is listed already), `Checking 41,200 /
    /// 100,000` while the files are compared with it.
    /// Otherwise, while feeds are fetched: `Fetching 3 / 12 feeds`.
    pub fn activity(&self) -> Option<String> {
        let progress = self.library.progress();
        if progress.done {
            return self.fetch_activity().or_else(|| {
                self.fetching_full_text()
                    .then(|| super::full_article::FETCHING.to_string())
            });
        }
        let doing = if progress.cached {
            "Checking"
        } else {
            "Loading"
        };
        Some(match progress.total {
            Some(total) => format!(
                "{doing} {} / {}",
                thousands(progress.checked),
                thousands(total)
            ),
            None => format!("{doing} {} articles", thousands(self.library.len())),
        })
    }

    /// The open story's new position after a reorder (closed if it is gone).
    fn refind_reader(&mut self) {
        let Some(id) = self.reader.as_ref().map(|r| r.id.clone()) else {
            return;
        };
        match self.position_of(&id) {
            Some(i) => {
                if let Some(reader) = self.reader.as_mut() {
                    reader.index = i;
                }
            }
            None => self.reader = None,
        }
    }

    fn position_of(&self, id: &str) -> Option<usize> {
        self.library.articles().iter().position(|a| a.id() == id)
    }
}
