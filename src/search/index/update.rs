//! Bringing the index in step with the files: plan against what is
//! stored, then remove and (re)index in parallel chunks with commits along
//! the way.

use super::{COMMIT_EVERY, FileState, Plan, SearchError, SearchIndex, Summary, stored_str};
use crate::article::Article;
use crate::search::schema;
use rayon::prelude::*;
use std::collections::HashMap;
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

    /// Compare `files` with what is indexed, by key, size and mtime.
    pub fn plan(&self, files: &[FileState]) -> Result<Plan, SearchError> {
        let mut indexed = self.indexed_files()?;
        let mut plan = Plan::default();
        let mut new = Vec::new();
        for (i, f) in files.iter().enumerate() {
            match indexed.remove(f.key.as_str()) {
                Some(state) if state == (f.size, f.mtime) => {}
                Some(_) => plan.index.push(i),
                None => new.push(i),
            }
        }
        plan.new = new.len();
        plan.index.append(&mut new);
        plan.remove = indexed.into_keys().collect();
        plan.remove.sort();
        Ok(plan)
    }

    /// (size, mtime) of every indexed file, by key, from the stored fields.
    fn indexed_files(&self) -> Result<HashMap<String, (u64, i64)>, SearchError> {
        let mut out = HashMap::with_capacity(self.reader.searcher().num_docs() as usize);
        self.for_each_indexed(|key, size, mtime| {
            out.insert(key.to_string(), (size, mtime));
        })?;
        Ok(out)
    }

    /// Every indexed file's key, size and modification time, from the
    /// stored fields (a read of the whole document store).
    pub fn for_each_indexed(&self, mut f: impl FnMut(&str, u64, i64)) -> Result<(), SearchError> {
        let searcher = self.reader.searcher();
        for segment in searcher.segment_readers() {
            let store = segment
                .get_store_reader(1)
                .map_err(|e| SearchError::Io(self.dir.clone(), e))?;
            for doc in store.iter::<TantivyDocument>(segment.alive_bitset()) {
                let doc = doc.map_err(|e| self.engine(e))?;
                let key = stored_str(&doc, self.fields.path).unwrap_or_default();
                let size = doc.get_first(self.fields.size).and_then(|v| v.as_u64());
                let mtime = doc.get_first(self.fields.mtime).and_then(|v| v.as_i64());
                f(key, size.unwrap_or(0), mtime.unwrap_or(0));
            }
        }
        Ok(())
    }

    /// Drop the files with these index keys, and commit.
    pub fn remove(&self, keys: Vec<String>) -> Result<Summary, SearchError> {
        let plan = Plan {
            remove: keys,
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
        for key in &plan.remove {
            writer.delete_term(self.path_term(key));
        }
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
            for (n, (&i, doc)) in chunk.iter().zip(docs).enumerate() {
                if done + n < replaced {
                    writer.delete_term(self.path_term(&files[i].key));
                }
                match doc {
                    Some(doc) => {
                        writer.add_document(doc).map_err(|e| self.engine(e))?;
                    }
                    None => summary.failed += 1,
                }
            }
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
        summary.added = plan.new;
        summary.updated = plan.index.len() - plan.new;
        Ok(summary)
    }

    fn commit(&self, writer: &mut IndexWriter) -> Result<(), SearchError> {
        writer.commit().map_err(|e| self.engine(e))?;
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
