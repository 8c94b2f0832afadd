//! Bringing the index in step with the files: plan against what is
//! stored, then remove and (re)index in parallel chunks with commits along
//! the way.

use super::manifest::key_hash;
use super::{
    COMMIT_EVERY, FileState, Plan, Removal, SearchError, SearchIndex, Summary, stored_str,
};
use crate::article::Article;
use crate::library::PathMap;
use crate::search::schema;
use rayon::prelude::*;
use std::sync::atomic::Ordering;
use tantivy::schema::Value;
use tantivy::{IndexWriter, TantivyDocument, Term};

/// Articles read and parsed in parallel before they are handed to the
/// writer (a few megabytes of text at a time).
const CHUNK: usize = 512;

impl SearchIndex {
    /// Make other processes' latest commits visible (a read-only index does
    /// not follow them by itself).
    pub fn refresh(&self) -> Result<(), SearchError> {
        self.reader.reload().map_err(|e| self.engine(e))
    }

    /// Reconcile with `files`: plan, then apply. `load(i)` reads `files[i]`.
    pub fn sync<F>(&self, files: &[FileState], load: F) -> Result<Summary, SearchError>
    where
        F: Fn(usize) -> Option<Article> + Sync,
    {
        let plan = self.plan(files)?;
        self.apply(files, &plan, load, |_| {})
    }

    /// Compare `files` with what is indexed (the manifest), by key, size
    /// and mtime.
    pub fn plan(&self, files: &[FileState]) -> Result<Plan, SearchError> {
        let hashes: Vec<u128> = files.iter().map(|f| key_hash(&f.key)).collect();
        let mut plan = self.with_manifest(|m| {
            let mut plan = Plan::default();
            let mut new = Vec::new();
            for (i, (f, &hash)) in files.iter().zip(&hashes).enumerate() {
                match m.get(hash) {
                    Some(held) if (held.size, held.mtime) == (f.size, f.mtime) => {}
                    Some(_) => plan.index.push(i),
                    None => new.push(i),
                }
            }
            plan.new = new.len();
            plan.index.append(&mut new);
            plan
        })?;
        let listed: PathMap<()> = hashes.into_iter().map(|h| (h, ())).collect();
        plan.remove = self.held_except(|hash| listed.contains_key(&hash))?;
        Ok(plan)
    }

    /// Drop the files with these index keys, and commit.
    pub fn remove(&self, keys: Vec<String>) -> Result<Summary, SearchError> {
        let plan = Plan {
            remove: keys.into_iter().map(Removal::Key).collect(),
            ..Plan::default()
        };
        self.apply(&[], &plan, |_| None, |_| {})
    }

    /// Carry out a plan: remove, then (re)index in parallel chunks,
    /// committing every [`COMMIT_EVERY`] articles and at the end. `progress`
    /// hears how many of `plan.index` are done after each chunk.
    pub fn apply<F, P>(
        &self,
        files: &[FileState],
        plan: &Plan,
        load: F,
        mut progress: P,
    ) -> Result<Summary, SearchError>
    where
        F: Fn(usize) -> Option<Article> + Sync,
        P: FnMut(usize),
    {
        let mut guard = self.writer_guard();
        let writer = guard.as_mut().ok_or(SearchError::ReadOnly)?;
        let mut summary = Summary {
            removed: plan.remove.len(),
            ..Summary::default()
        };
        self.with_manifest(|m| {
            for gone in &plan.remove {
                let (term, hash) = match gone {
                    Removal::Key(key) => (self.path_term(key), key_hash(key)),
                    Removal::Held { hash, id } => {
                        (Term::from_field_text(self.fields.id, id), *hash)
                    }
                };
                writer.delete_term(term);
                m.remove(hash);
            }
        })?;
        let mut since_commit = 0;
        let mut done = 0;
        // A delete is queued until the next commit and then run against
        // every segment: only files indexed before need one.
        let replaced = plan.index.len() - plan.new.min(plan.index.len());
        for chunk in plan.index.chunks(CHUNK) {
            let docs: Vec<Option<TantivyDocument>> = chunk
                .par_iter()
                .map(|&i| load(i).map(|a| schema::document(&self.fields, &files[i].key, &a)))
                .collect();
            let mut held = Vec::with_capacity(chunk.len());
            for (n, (&i, doc)) in chunk.iter().zip(docs).enumerate() {
                if done + n < replaced {
                    writer.delete_term(self.path_term(&files[i].key));
                }
                held.push(doc.as_ref().map(|d| self.held_state(d)));
                match doc {
                    Some(doc) => {
                        writer.add_document(doc).map_err(|e| self.engine(e))?;
                    }
                    None => summary.failed += 1,
                }
            }
            self.record(files, chunk, held)?;
            done += chunk.len();
            since_commit += chunk.len();
            if since_commit >= COMMIT_EVERY {
                self.commit(writer)?;
                since_commit = 0;
            }
            progress(done);
        }
        if !plan.is_empty() {
            self.commit(writer)?;
        }
        drop(guard);
        if !self.manifest_deferred.load(Ordering::Acquire) {
            self.save_manifest()?;
        }
        summary.added = plan.new;
        summary.updated = plan.index.len() - plan.new;
        Ok(summary)
    }

    /// The size, mtime and id a document records.
    fn held_state(&self, doc: &TantivyDocument) -> (u64, i64, String) {
        let size = doc.get_first(self.fields.size).and_then(|v| v.as_u64());
        let mtime = doc.get_first(self.fields.mtime).and_then(|v| v.as_i64());
        let id = stored_str(doc, self.fields.id).unwrap_or_default();
        (size.unwrap_or(0), mtime.unwrap_or(0), id.to_string())
    }

    /// Note in the manifest what one chunk indexed (`None`: the file could
    /// not be read, and any older version of it is gone from the index).
    fn record(
        &self,
        files: &[FileState],
        chunk: &[usize],
        held: Vec<Option<(u64, i64, String)>>,
    ) -> Result<(), SearchError> {
        self.with_manifest(|m| {
            for (&i, state) in chunk.iter().zip(held) {
                let key = &files[i].key;
                match state {
                    Some((size, mtime, id)) => m.insert(key, size, mtime, &id),
                    None => {
                        m.remove(key_hash(key));
                    }
                }
            }
        })
    }

    /// Commit, and tie the manifest to the new commit (written after the
    /// last commit of an update: one interrupted in between leaves a
    /// manifest of an older commit, which is not used).
    fn commit(&self, writer: &mut IndexWriter) -> Result<(), SearchError> {
        let opstamp = writer.commit().map_err(|e| self.engine(e))?;
        self.opstamp.store(opstamp, Ordering::Release);
        self.with_manifest(|m| m.opstamp = opstamp)?;
        self.manifest_changed();
        self.refresh()
    }

    /// Give up write access, letting background segment merges finish first
    /// so the next process opens a compact index. For short-lived processes
    /// (the command line); the app can just drop the index.
    pub fn finish(self) -> Result<(), SearchError> {
        let writer = self.writer_guard().take();
        if let Some(w) = writer {
            w.wait_merging_threads().map_err(|e| self.engine(e))?;
        }
        Ok(())
    }

    fn path_term(&self, key: &str) -> Term {
        Term::from_field_text(self.fields.path, key)
    }
}
