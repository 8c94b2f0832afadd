//! Which feed each story came from: the `<category>/<feed>` folder of the
//! news folder its file is in. Kept beside the list's headlines, in step
//! with the library, so filtering the list to one feed or category is a
//! comparison per story, never a path operation per keystroke.

use crate::article::ArticleMeta;
use crate::article::sanitize::sanitize_line;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A story from no feed.
const NONE: u32 = u32::MAX;

/// Show only one feed, or one category of feeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedFilter {
    /// A feed, by its folder under the news folder (`Tech/Wire`).
    Feed(String),
    /// Every feed of a category (`Tech`).
    Category(String),
}

impl FeedFilter {
    /// What the list header shows.
    pub fn title(&self) -> String {
        match self {
            Self::Feed(folder) => sanitize_line(folder.rsplit('/').next().unwrap_or(folder)),
            Self::Category(category) => sanitize_line(category),
        }
    }
}

/// One feed's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folder {
    /// The folder under the news folder, `/` between levels.
    pub rel: Box<str>,
    /// Its category (the levels above the feed), if any.
    pub category: Option<Box<str>>,
    /// The feed's folder name.
    pub name: Box<str>,
}

#[derive(Debug, Default)]
pub struct FeedIndex {
    news: Option<PathBuf>,
    folders: Vec<Folder>,
    ids: HashMap<Box<str>, u32>,
    /// Per story, in library order: its folder's id, or [`NONE`].
    of: Vec<u32>,
}

impl FeedIndex {
    /// The feeds of the stories in `articles` under the news folder
    /// `news`, and those whose `folders` hold no story yet.
    pub fn new(news: Option<PathBuf>, folders: &[PathBuf], articles: &[Arc<ArticleMeta>]) -> Self {
        let mut index = Self {
            news,
            ..Self::default()
        };
        for folder in folders {
            // Known by the folder of a file in it.
            index.folder_of(&folder.join("-"));
        }
        index.rebuild(articles);
        index
    }

    /// The library was reordered.
    pub fn rebuild(&mut self, articles: &[Arc<ArticleMeta>]) {
        self.of.clear();
        for meta in articles {
            let id = self.folder_of(&meta.path);
            self.of.push(id);
        }
    }

    /// The story at `index` changed in place.
    pub fn replace(&mut self, index: usize, meta: &ArticleMeta) {
        let id = self.folder_of(&meta.path);
        if let Some(slot) = self.of.get_mut(index) {
            *slot = id;
        }
    }

    /// A story joined the end of the library.
    pub fn push(&mut self, meta: &ArticleMeta) {
        let id = self.folder_of(&meta.path);
        self.of.push(id);
    }

    /// Every feed folder seen, in the order first seen.
    pub fn folders(&self) -> &[Folder] {
        &self.folders
    }

    /// The folder of the story at `index`.
    pub fn folder(&self, index: usize) -> Option<&Folder> {
        self.folders.get(self.folder_id(index)?)
    }

    /// The position in [`Self::folders`] of the story at `index`'s folder.
    pub fn folder_id(&self, index: usize) -> Option<usize> {
        let id = *self.of.get(index)?;
        (id != NONE).then_some(id as usize)
    }

    /// Whether the story at `index` passes `filter`.
    pub fn admits(&self, index: usize, filter: Option<&FeedFilter>) -> bool {
        let Some(filter) = filter else {
            return true;
        };
        let Some(folder) = self.folder(index) else {
            return false;
        };
        match filter {
            FeedFilter::Feed(rel) => *folder.rel == **rel,
            FeedFilter::Category(c) => folder.category.as_deref() == Some(c.as_str()),
        }
    }

    /// The id of the feed folder `path` is in, made when first seen.
    fn folder_of(&mut self, path: &Path) -> u32 {
        let Some(rel) = self
            .news
            .as_deref()
            .and_then(|news| path.parent()?.strip_prefix(news).ok())
        else {
            return NONE;
        };
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let Some((name, above)) = parts.split_last() else {
            return NONE;
        };
        let key = parts.join("/");
        if let Some(&id) = self.ids.get(key.as_str()) {
            return id;
        }
        let id = u32::try_from(self.folders.len()).unwrap_or(NONE);
        self.folders.push(Folder {
            rel: key.clone().into(),
            category: (!above.is_empty()).then(|| above.join("/").into()),
            name: name.as_str().into(),
        });
        self.ids.insert(key.into(), id);
        id
    }
}
