//! `bookmarks.json`: a small, versioned, hand-editable document.
//!
//! ```json
//! {
//!   "version": 1,
//!   "bookmarks": [
//!     {"id": "1f3a…", "title": "…", "path": "business/001.txt", "added": "2025-01-31T09:15:00Z"}
//!   ]
//! }
//! ```
//!
//! The whole file is rewritten atomically on each save; other processes'
//! changes are kept by re-reading it under the lock and replaying only this
//! process's own adds and removes on top ([`Op`]).

use crate::article::ArticleMeta;
use crate::library::Library;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::time::SystemTime;

/// The format written; files with a higher `version` are left alone.
pub const VERSION: u64 = 1;

/// One bookmarked article, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bookmark {
    /// The article's content id when it was bookmarked.
    pub id: String,
    pub title: String,
    /// Library-relative path (`business/001.txt`), used when the id no
    /// longer matches because the file was edited.
    pub path: String,
    /// When it was bookmarked (RFC 3339, UTC).
    pub added: String,
    /// Fields added by hand or by a newer tidings, kept as they are.
    #[serde(flatten, default, skip_serializing_if = "Map::is_empty")]
    pub extra: Map<String, Value>,
}

impl Bookmark {
    /// A bookmark for `meta`, added now.
    pub fn new(meta: &ArticleMeta) -> Self {
        Self {
            id: meta.id().to_string(),
            title: meta.title().to_string(),
            path: meta.rel_path().to_string(),
            added: humantime::format_rfc3339_seconds(SystemTime::now()).to_string(),
            extra: Map::new(),
        }
    }

    /// The category a missing article had: the folder part of its path.
    pub fn category_from_path(&self) -> Option<&str> {
        self.path.rsplit_once('/').map(|(dir, _)| dir)
    }
}

#[derive(Serialize, Deserialize)]
struct Document {
    version: u64,
    bookmarks: Vec<Bookmark>,
    #[serde(flatten, default, skip_serializing_if = "Map::is_empty")]
    extra: Map<String, Value>,
}

/// What reading `bookmarks.json` found.
#[derive(Debug)]
pub enum Parsed {
    Current(Vec<Bookmark>),
    /// Written by a newer tidings (this version number): never touched.
    Newer(u64),
    /// Not a bookmarks file we can read: why.
    Corrupt(String),
}

/// Parse the file's bytes. Anything but a well-formed version-1 document
/// (or a newer one) is corrupt, including an empty file.
pub fn parse(bytes: &[u8]) -> Parsed {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => return Parsed::Corrupt(format!("not UTF-8 ({e})")),
    };
    if text.trim().is_empty() {
        return Parsed::Corrupt("empty file".into());
    }
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return Parsed::Corrupt(format!("not valid JSON ({e})")),
    };
    match value.get("version").and_then(Value::as_u64) {
        None => Parsed::Corrupt("no \"version\" number".into()),
        Some(v) if v > VERSION => Parsed::Newer(v),
        Some(v) if v < VERSION => Parsed::Corrupt(format!("unknown version {v}")),
        Some(_) => match serde_json::from_value::<Document>(value) {
            Ok(doc) => Parsed::Current(doc.bookmarks),
            Err(e) => Parsed::Corrupt(format!("not a bookmarks document ({e})")),
        },
    }
}

/// The bookmarks a newer version's file holds, as far as this version can
/// read them (for showing only: the file is never written).
pub fn lenient(bytes: &[u8]) -> Vec<Bookmark> {
    let Ok(value) = serde_json::from_slice::<Value>(bytes) else {
        return Vec::new();
    };
    let items = value.get("bookmarks").and_then(Value::as_array);
    items
        .into_iter()
        .flatten()
        .filter_map(|b| serde_json::from_value(b.clone()).ok())
        .collect()
}

/// The file's bytes for `bookmarks`: pretty JSON with a final newline, so
/// it diffs and syncs well.
pub fn render(bookmarks: &[Bookmark]) -> Vec<u8> {
    let doc = Document {
        version: VERSION,
        bookmarks: bookmarks.to_vec(),
        extra: Map::new(),
    };
    let mut bytes = serde_json::to_vec_pretty(&doc).expect("bookmarks serialise");
    bytes.push(b'\n');
    bytes
}

/// A change made by this process and not yet saved.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Add(Bookmark),
    Remove(String),
}

/// Apply `ops` in order to `list`: an add of an id already present keeps
/// the existing bookmark (and its date); a remove drops every copy.
pub fn apply(list: &mut Vec<Bookmark>, ops: &[Op]) {
    for op in ops {
        match op {
            Op::Add(b) => {
                if !list.iter().any(|x| x.id == b.id) {
                    list.push(b.clone());
                }
            }
            Op::Remove(id) => list.retain(|x| &x.id != id),
        }
    }
}

/// How a bookmark was found in the library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Match {
    /// Same content id.
    Id,
    /// The file was edited: same library-relative path.
    Path,
    /// The file was edited and renamed: same headline.
    Title,
}

/// A bookmark and the library article it refers to, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedBookmark {
    pub bookmark: Bookmark,
    /// Index into `Library::articles`; `None` when the article is missing.
    pub article_index: Option<usize>,
    pub matched_by: Option<Match>,
}

impl ResolvedBookmark {
    pub fn is_missing(&self) -> bool {
        self.article_index.is_none()
    }
}

/// Find each bookmark's article: by id, then by relative path, then by
/// title. Bookmarks that match nothing are kept, marked missing.
pub fn resolve(bookmarks: &[Bookmark], library: &Library) -> Vec<ResolvedBookmark> {
    // By id first, then by path, then by headline; each pass looks only for
    // the bookmarks still unresolved, so a library of 100k articles costs
    // one scan of its ids when every bookmark is found by id, and nothing
    // when there are no bookmarks.
    type Keys = (fn(&ArticleMeta) -> &str, fn(&Bookmark) -> &str, Match);
    let passes: [Keys; 3] = [
        (|a| a.id(), |b| &b.id, Match::Id),
        (|a| a.rel_path(), |b| &b.path, Match::Path),
        (|a| a.title(), |b| &b.title, Match::Title),
    ];
    let mut found: Vec<Option<(usize, Match)>> = vec![None; bookmarks.len()];
    for (article_key, bookmark_key, how) in passes {
        let mut wanted: HashMap<&str, Vec<usize>> = HashMap::new();
        for (b, bookmark) in bookmarks.iter().enumerate() {
            if found[b].is_none() {
                wanted.entry(bookmark_key(bookmark)).or_default().push(b);
            }
        }
        if wanted.is_empty() {
            break;
        }
        for (i, article) in library.articles.iter().enumerate() {
            if let Some(waiting) = wanted.get(article_key(article)) {
                for &b in waiting {
                    // The first article with the key wins.
                    found[b].get_or_insert((i, how));
                }
            }
        }
    }
    bookmarks
        .iter()
        .zip(found)
        .map(|(b, found)| ResolvedBookmark {
            bookmark: b.clone(),
            article_index: found.map(|(i, _)| i),
            matched_by: found.map(|(_, how)| how),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(id: &str) -> Bookmark {
        Bookmark {
            id: id.into(),
            title: format!("Title {id}"),
            path: format!("world/{id}.txt"),
            added: "2025-01-01T00:00:00Z".into(),
            extra: Map::new(),
        }
    }

    #[test]
    fn render_then_parse_round_trips_with_version() {
        let list = vec![mark("aaaa"), mark("bbbb")];
        let bytes = render(&list);
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(v["version"], 1);
        match parse(&bytes) {
            Parsed::Current(back) => assert_eq!(back, list),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unknown_fields_survive_a_rewrite() {
        let text = r#"{"version":1,"bookmarks":[{"id":"a","title":"t","path":"p","added":"x","note":"mine"}]}"#;
        let Parsed::Current(list) = parse(text.as_bytes()) else {
            panic!()
        };
        let again: Value = serde_json::from_slice(&render(&list)).unwrap();
        assert_eq!(again["bookmarks"][0]["note"], "mine");
    }

    #[test]
    fn damaged_documents_are_corrupt_and_newer_is_newer() {
        for bad in [
            &b""[..],
            b"   \n",
            b"\0\0\0\0",
            b"\xff\xfe{}",
            b"{\"version\": 1, \"bookmarks\": [",
            b"[]",
            b"{\"bookmarks\": []}",
            b"{\"version\": 1, \"bookmarks\": [{\"id\": 3}]}",
        ] {
            assert!(matches!(parse(bad), Parsed::Corrupt(_)), "{bad:?}");
        }
        assert!(matches!(
            parse(b"{\"version\": 7, \"whatever\": true}"),
            Parsed::Newer(7)
        ));
    }

    #[test]
    fn ops_merge_adds_and_removes_from_elsewhere() {
        let mut on_disk = vec![mark("a"), mark("b")];
        apply(
            &mut on_disk,
            &[
                Op::Remove("a".into()),
                Op::Add(mark("c")),
                Op::Add(mark("b")),
            ],
        );
        let ids: Vec<&str> = on_disk.iter().map(|b| b.id.as_str()).collect();
        assert_eq!(ids, ["b", "c"]);
    }

    #[test]
    fn category_is_the_folder_of_the_path() {
        let mut b = mark("x");
        assert_eq!(b.category_from_path(), Some("world"));
        b.path = "sport/football/x.txt".into();
        assert_eq!(b.category_from_path(), Some("sport/football"));
        b.path = "x.txt".into();
        assert_eq!(b.category_from_path(), None);
    }
}
