//! What the index holds, as its callers learn it: from the manifest beside
//! it (read once, kept in step by every update, written after each), and
//! only when that cannot be used from the document store, whose reading
//! then rebuilds the manifest.

use super::manifest::Manifest;
use super::{Removal, SearchError, SearchIndex, stored_str};
use std::sync::atomic::Ordering;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

impl SearchIndex {
    /// Run `f` on the manifest, reading it first (or rebuilding it from the
    /// document store when it is missing, damaged, old or of another commit).
    pub fn with_manifest<R>(&self, f: impl FnOnce(&mut Manifest) -> R) -> Result<R, SearchError> {
        let mut guard = self.manifest.lock().unwrap_or_else(|p| p.into_inner());
        let manifest = match guard.take() {
            Some(m) => m,
            None => self.read_manifest()?,
        };
        Ok(f(guard.insert(manifest)))
    }

    /// [`SearchIndex::with_manifest`] for a change that is to be written
    /// (by the next [`SearchIndex::save_manifest`]).
    pub fn change_manifest<R>(&self, f: impl FnOnce(&mut Manifest) -> R) -> Result<R, SearchError> {
        let out = self.with_manifest(f)?;
        self.manifest_changed();
        Ok(out)
    }

    fn read_manifest(&self) -> Result<Manifest, SearchError> {
        if let Ok(m) = Manifest::load(&self.dir, self.opstamp()) {
            return Ok(m);
        }
        let mut m = Manifest::new(self.opstamp());
        self.for_each_stored(|key, size, mtime, id| m.insert(key, size, mtime, id))?;
        self.manifest_dirty.store(true, Ordering::Release);
        Ok(m)
    }

    /// The manifest's folders alone (its files unread), when they describe
    /// the whole library as the index now has it: what a freshness check
    /// starts from. `None`: check in full.
    pub fn folder_stamps(&self) -> Option<Manifest> {
        Manifest::load_folders(&self.dir, self.opstamp())
            .ok()
            .filter(|m| m.complete)
    }

    /// Write the manifest if it changed (only the writer writes it).
    pub fn save_manifest(&self) -> Result<(), SearchError> {
        if !self.is_writable() || !self.manifest_dirty.swap(false, Ordering::AcqRel) {
            return Ok(());
        }
        let guard = self.manifest.lock().unwrap_or_else(|p| p.into_inner());
        let saved = guard.as_ref().map_or(Ok(()), |m| m.save(&self.dir));
        saved.map_err(|e| {
            self.manifest_dirty.store(true, Ordering::Release);
            SearchError::Io(self.dir.clone(), e)
        })
    }

    /// Leave writing the manifest to [`SearchIndex::save_manifest`] rather
    /// than after every [`SearchIndex::apply`]: for the app, which applies
    /// a slice of a large build at a time.
    pub fn defer_manifest(&self) {
        self.manifest_deferred.store(true, Ordering::Release);
    }

    pub(super) fn manifest_changed(&self) {
        self.manifest_dirty.store(true, Ordering::Release);
    }

    /// Every indexed file: the hash of its key (see
    /// [`super::manifest::key_hash`]),
    /// its size and modification time.
    pub fn for_each_held(&self, mut f: impl FnMut(u128, u64, i64)) -> Result<(), SearchError> {
        self.with_manifest(|m| {
            for (hash, held) in m.files() {
                f(hash, held.size, held.mtime);
            }
        })
    }

    /// Removals for every indexed file whose key hash `keep` refuses.
    pub fn held_except(&self, keep: impl Fn(u128) -> bool) -> Result<Vec<Removal>, SearchError> {
        self.with_manifest(|m| {
            let mut out: Vec<Removal> = m
                .files()
                .filter(|(hash, _)| !keep(*hash))
                .filter_map(|(hash, _)| m.id(hash).map(|id| Removal::Held { hash, id }))
                .collect();
            out.sort();
            out
        })
    }

    /// The size and modification time the index holds for the file `key`,
    /// from its stored document: what a hit is checked against.
    pub fn indexed_state(&self, key: &str) -> Result<Option<(u64, i64)>, SearchError> {
        let searcher = self.reader.searcher();
        let term = Term::from_field_text(self.fields.path, key);
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let top = searcher
            .search(&query, &TopDocs::with_limit(1).order_by_score())
            .map_err(|e| self.engine(e))?;
        let Some((_, addr)) = top.first() else {
            return Ok(None);
        };
        let doc: TantivyDocument = searcher.doc(*addr).map_err(|e| self.engine(e))?;
        let size = doc.get_first(self.fields.size).and_then(|v| v.as_u64());
        let mtime = doc.get_first(self.fields.mtime).and_then(|v| v.as_i64());
        Ok(Some((size.unwrap_or(0), mtime.unwrap_or(0))))
    }

    /// Every stored document's key, size, modification time and id: a
    /// read of the whole document store, only to rebuild the manifest.
    fn for_each_stored(&self, mut f: impl FnMut(&str, u64, i64, &str)) -> Result<(), SearchError> {
        let searcher = self.reader.searcher();
        for segment in searcher.segment_readers() {
            let store = segment
                .get_store_reader(1)
                .map_err(|e| SearchError::Io(self.dir.clone(), e))?;
            for doc in store.iter::<TantivyDocument>(segment.alive_bitset()) {
                let doc = doc.map_err(|e| self.engine(e))?;
                let key = stored_str(&doc, self.fields.path).unwrap_or_default();
                let id = stored_str(&doc, self.fields.id).unwrap_or_default();
                let size = doc.get_first(self.fields.size).and_then(|v| v.as_u64());
                let mtime = doc.get_first(self.fields.mtime).and_then(|v| v.as_i64());
                f(key, size.unwrap_or(0), mtime.unwrap_or(0), id);
            }
        }
        Ok(())
    }
}
