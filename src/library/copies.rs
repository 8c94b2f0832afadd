//! Files with the same text are one story.
//!
//! An article's id is a hash of its text, so identical files (in two
//! folders, saved twice) share it. The id names the story, not the file:
//! the library lists a story once, under its first file in library order
//! (the smallest path), and keeps the other files as copies, reported with
//! the skipped files as "same text as PATH". Bookmarks, read marks and
//! reading positions are kept by id, so they belong to the story whichever
//! of its files is listed; the search index holds the listed file only.
//!
//! Copies are rare, so the common changes (a new file, a changed file that
//! is nobody's copy) are handled in place, and anything that moves a story
//! from one file to another regroups the whole library.

use super::loader::BuildU128;
use super::{Applied, Library, SkipReason, Skipped, path_hash};
use crate::article::ArticleMeta;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

/// Position of each story by its id (see [`id_key`]).
pub(super) type IdIndex = HashMap<u64, usize, BuildU128>;

/// An id as a map key: ids are 16 hex digits of a hash already, so their
/// value is the key (anything else, from a hand-made library, is hashed).
fn id_key(id: &str) -> u64 {
    u64::from_str_radix(id, 16).unwrap_or_else(|_| xxhash_rust::xxh3::xxh3_64(id.as_bytes()))
}

/// Files split into stories and copies.
pub(super) struct Grouped {
    pub stories: Vec<Arc<ArticleMeta>>,
    pub copies: Vec<Arc<ArticleMeta>>,
    /// A story's file came after one of its copies in the order given, so
    /// the stories may be out of that order.
    pub swapped: bool,
}

/// Split files into stories (the first file of each text in library
/// order) and copies, keeping the order given.
pub(super) fn partition(files: Vec<Arc<ArticleMeta>>) -> Grouped {
    let mut stories: Vec<Arc<ArticleMeta>> = Vec::with_capacity(files.len());
    let mut copies = Vec::new();
    let mut swapped = false;
    let mut first = IdIndex::with_capacity_and_hasher(files.len(), BuildU128);
    for file in files {
        match first.get(&id_key(file.id())).copied() {
            Some(i) if stories[i].id() == file.id() => {
                if file.path < stories[i].path {
                    swapped = true;
                    copies.push(std::mem::replace(&mut stories[i], file));
                } else {
                    copies.push(file);
                }
            }
            Some(_) => stories.push(file),
            None => {
                first.insert(id_key(file.id()), stories.len());
                stories.push(file);
            }
        }
    }
    Grouped {
        stories,
        copies,
        swapped,
    }
}

/// What the search index should hold after a change: the stories that
/// joined or changed, and the files that are no longer listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexChanges {
    /// Every listed article (a whole list arrived): left to the caller to
    /// collect, since only the app's indexer wants them (touching each of
    /// 100,000 articles costs a warm start milliseconds).
    pub all: bool,
    pub add: Vec<Arc<ArticleMeta>>,
    pub remove: Vec<PathBuf>,
}

impl IndexChanges {
    pub fn is_empty(&self) -> bool {
        !self.all && self.add.is_empty() && self.remove.is_empty()
    }
}

impl Library {
    /// Position of the story with this id.
    pub(super) fn story_of(&mut self, id: &str) -> Option<usize> {
        let articles = &self.articles;
        let ids = self.ids.get_or_insert_with(|| {
            let mut ids = IdIndex::with_capacity_and_hasher(articles.len(), BuildU128);
            for (i, a) in articles.iter().enumerate() {
                ids.entry(id_key(a.id())).or_insert(i);
            }
            ids
        });
        ids.get(&id_key(id))
            .copied()
            .filter(|&i| self.articles[i].id() == id)
    }

    /// Take in a new or changed file.
    pub(super) fn take(&mut self, meta: Arc<ArticleMeta>, applied: &mut Applied) {
        match self.position_of_path(&meta.path) {
            Some(i) if self.articles[i].id() == meta.id() => {
                self.articles[i] = Arc::clone(&meta);
                applied.replaced.push(i);
                applied.index.add.push(meta);
            }
            Some(i) => {
                // The story's file now holds another text.
                let old = self.articles[i].id().to_string();
                if self.has_copies(&old) || self.story_of(meta.id()).is_some() {
                    return self.regroup(Some(meta), applied);
                }
                if let Some(ids) = self.ids.as_mut() {
                    ids.remove(&id_key(&old));
                    ids.insert(id_key(meta.id()), i);
                }
                self.articles[i] = Arc::clone(&meta);
                applied.replaced.push(i);
                applied.index.add.push(meta);
            }
            None if self.copy_paths.contains(&path_hash(&meta.path)) => {
                self.regroup(Some(meta), applied);
            }
            None => match self.story_of(meta.id()) {
                None => {
                    let at = self.articles.len();
                    self.push_article(Arc::clone(&meta));
                    if let Some(ids) = self.ids.as_mut() {
                        ids.insert(id_key(meta.id()), at);
                    }
                    applied.index.add.push(meta);
                }
                Some(j) if self.articles[j].path < meta.path => self.add_copy(meta),
                Some(j) => {
                    // Earlier in library order: this file is the story's now.
                    let old = std::mem::replace(&mut self.articles[j], Arc::clone(&meta));
                    if let Some(index) = self.index.as_mut() {
                        index.remove(&path_hash(&old.path));
                        index.insert(path_hash(&meta.path), j);
                    }
                    self.unsorted = true;
                    applied.replaced.push(j);
                    applied.index.add.push(meta);
                    applied.index.remove.push(old.path.clone());
                    self.add_copy(old);
                }
            },
        }
    }

    fn add_copy(&mut self, meta: Arc<ArticleMeta>) {
        self.copy_paths.insert(path_hash(&meta.path));
        self.copies.push(meta);
        self.copies_changed = true;
    }

    fn has_copies(&self, id: &str) -> bool {
        self.copies.iter().any(|c| c.id() == id)
    }

    /// Whether some copy has lost its story (its file was removed).
    pub(super) fn orphaned_copies(&mut self) -> bool {
        let ids: Vec<String> = self.copies.iter().map(|c| c.id().to_string()).collect();
        ids.iter().any(|id| self.story_of(id).is_none())
    }

    /// Sort every file (stories, copies and `incoming`, which replaces any
    /// file at its path) into stories and copies again, in library order.
    pub(super) fn regroup(&mut self, incoming: Option<Arc<ArticleMeta>>, applied: &mut Applied) {
        let before: HashMap<u128, *const ArticleMeta> = self
            .articles
            .iter()
            .map(|a| (path_hash(&a.path), Arc::as_ptr(a)))
            .collect();
        let mut files: Vec<Arc<ArticleMeta>> = std::mem::take(&mut self.articles);
        files.append(&mut self.copies);
        if let Some(new) = &incoming {
            files.retain(|f| f.path != new.path);
        }
        files.extend(incoming);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let Grouped {
            stories, copies, ..
        } = partition(files);
        let now: HashSet<u128> = stories.iter().map(|s| path_hash(&s.path)).collect();
        for s in &stories {
            if before.get(&path_hash(&s.path)) != Some(&Arc::as_ptr(s)) {
                applied.index.add.push(Arc::clone(s));
            }
        }
        let gone = copies.iter().filter(|c| {
            let key = path_hash(&c.path);
            before.contains_key(&key) && !now.contains(&key)
        });
        applied.index.remove.extend(gone.map(|c| c.path.clone()));
        self.articles = stories;
        self.copies = copies;
        self.copy_paths = self.copies.iter().map(|c| path_hash(&c.path)).collect();
        self.copies_changed = true;
        self.unsorted = false;
        self.reindex();
        applied.reordered = true;
    }

    /// Report every copy with the skipped files, once, as "same text as"
    /// its story's file.
    pub(super) fn report_copies(&mut self) {
        if !std::mem::take(&mut self.copies_changed) {
            return;
        }
        self.skipped
            .retain(|s| !matches!(s.reason, SkipReason::SameText(_)));
        let mut copies = self.copies.clone();
        copies.sort_by(|a, b| a.path.cmp(&b.path));
        for copy in copies {
            let story = self
                .story_of(copy.id())
                .map(|i| self.articles[i].path.clone());
            if let Some(story) = story {
                self.skipped.push(Skipped {
                    path: copy.path.clone(),
                    reason: SkipReason::SameText(story),
                });
            }
        }
    }

    /// Take a whole list (for a library made of given articles): stories
    /// and copies.
    pub(super) fn set_files(&mut self, files: Vec<Arc<ArticleMeta>>) {
        let Grouped {
            stories,
            copies,
            swapped,
        } = partition(files);
        self.unsorted = swapped;
        self.articles = stories;
        self.set_copies(copies);
    }

    /// Take the copies of the listed stories as they are (from the cache).
    pub(super) fn set_copies(&mut self, copies: Vec<Arc<ArticleMeta>>) {
        self.copy_paths = copies.iter().map(|c| path_hash(&c.path)).collect();
        self.copies_changed = !(copies.is_empty() && self.copies.is_empty());
        self.copies = copies;
    }
}
