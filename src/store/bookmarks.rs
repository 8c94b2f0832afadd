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
//!
//! The file is fine to edit by hand, so each entry is read on its own: an
//! entry needs an `id` or a `path` (any other field may be missing), and
//! one that cannot be read hides no other. Unreadable entries are reported
//! by their place in the list and written back as they were, in place, so
//! a slip never costs the user a bookmark; fields this version does not
//! know, in an entry or at the top, are kept too.

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

/// The fields of an entry this version reads; any others are kept in
/// [`Bookmark::extra`].
const FIELDS: [&str; 4] = ["id", "title", "path", "added"];

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

    /// What tells this bookmark apart from the others: its id, or, for an
    /// entry written by hand with a path and no id, the path.
    pub fn key(&self) -> &str {
        if self.id.is_empty() {
            &self.path
        } else {
            &self.id
        }
    }

    /// What to call it: the headline, or the path of an entry written by
    /// hand without one.
    pub fn label(&self) -> &str {
        if self.title.is_empty() {
            &self.path
        } else {
            &self.title
        }
    }

    /// Read one entry of the list; why not, when it cannot be.
    fn from_entry(entry: &Value) -> Result<Self, EntryError> {
        let Value::Object(fields) = entry else {
            return Err(EntryError::NotAnObject);
        };
        let text = |key: &'static str| match fields.get(key) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(EntryError::NotText(key)),
        };
        let (id, path) = (text("id")?, text("path")?);
        if id.is_empty() && path.is_empty() {
            return Err(EntryError::NoIdOrPath);
        }
        let extra = fields
            .iter()
            .filter(|(k, _)| !FIELDS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Ok(Self {
            id,
            title: text("title")?,
            path,
            added: text("added")?,
            extra,
        })
    }

    /// The category a missing article had: the folder part of its path.
    pub fn category_from_path(&self) -> Option<&str> {
        self.path.rsplit_once('/').map(|(dir, _)| dir)
    }
}

/// A version-1 file as read: the bookmarks, and what else it holds, kept
/// to be written back.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contents {
    pub bookmarks: Vec<Bookmark>,
    /// Entries that could not be read, in the order they came.
    pub unreadable: Vec<Unreadable>,
    /// Fields at the top of the document besides `version` and `bookmarks`.
    pub extra: Map<String, Value>,
}

/// Why an entry of the list could not be read (shown in the warning that
/// names it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error("not an object")]
    NotAnObject,
    /// A field this version reads holds something other than text.
    #[error("\"{0}\" is not text")]
    NotText(&'static str),
    #[error("no \"id\" or \"path\"")]
    NoIdOrPath,
}

/// An entry of the list that could not be read, kept as it was.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreadable {
    /// Its place in the list, from 0.
    pub index: usize,
    /// The key of the readable entry just before it, if any: it is written
    /// back after that one, wherever the changes around it moved it.
    pub after: Option<String>,
    pub why: EntryError,
    pub entry: Value,
}

/// Unreadable entries named in a warning; the rest are counted.
const NAMED: usize = 5;

impl Contents {
    /// A warning naming the entries that could not be read (counting from
    /// 1, as an editor would), if any.
    pub fn unreadable_warning(&self, path: &std::path::Path) -> Option<String> {
        if self.unreadable.is_empty() {
            return None;
        }
        let total = self.bookmarks.len() + self.unreadable.len();
        let mut named: Vec<String> = self
            .unreadable
            .iter()
            .take(NAMED)
            .map(|u| format!("entry {} ({})", u.index + 1, u.why))
            .collect();
        if self.unreadable.len() > NAMED {
            named.push(format!("{} more", self.unreadable.len() - NAMED));
        }
        let n = self.unreadable.len();
        let (verb, kept) = if n == 1 {
            ("is", "it is")
        } else {
            ("are", "they are")
        };
        Some(format!(
            "bookmarks {}: {} cannot be read ({n} of {total} {}), and {verb} kept in the file as {kept}",
            path.display(),
            named.join(", "),
            if total == 1 { "entry" } else { "entries" },
        ))
    }
}

/// The document as written: `version` first, then the list, then any
/// fields of the user's own.
#[derive(Serialize)]
struct Written<'a> {
    version: u64,
    bookmarks: Vec<Value>,
    #[serde(flatten)]
    extra: &'a Map<String, Value>,
}

/// What reading `bookmarks.json` found.
#[derive(Debug)]
pub enum Parsed {
    Current(Contents),
    /// Written by a newer tidings (this version number): never touched.
    Newer(u64),
    /// Not a bookmarks file we can read: why.
    Corrupt(String),
}

/// Parse the file's bytes. Anything but a version-1 JSON object with a
/// `bookmarks` list (or a newer document) is corrupt, including an empty
/// file; inside the list, each entry is read on its own.
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
        Some(_) => read_current(value),
    }
}

fn read_current(value: Value) -> Parsed {
    let Value::Object(mut extra) = value else {
        return Parsed::Corrupt("not a bookmarks document".into());
    };
    extra.remove("version");
    let entries = match extra.remove("bookmarks") {
        Some(Value::Array(entries)) => entries,
        Some(_) => return Parsed::Corrupt("\"bookmarks\" is not a list".into()),
        None => return Parsed::Corrupt("no \"bookmarks\" list".into()),
    };
    let mut contents = Contents {
        extra,
        ..Contents::default()
    };
    for (index, entry) in entries.into_iter().enumerate() {
        match Bookmark::from_entry(&entry) {
            Ok(b) => contents.bookmarks.push(b),
            Err(why) => {
                let after = contents.bookmarks.last().map(|b| b.key().to_string());
                contents.unreadable.push(Unreadable {
                    index,
                    after,
                    why,
                    entry,
                });
            }
        }
    }
    Parsed::Current(contents)
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
        .filter_map(|b| Bookmark::from_entry(b).ok())
        .collect()
}

/// The file's bytes for `contents`: pretty JSON with a final newline, so
/// it diffs and syncs well. Unreadable entries go back to their places:
/// after the entry they followed, or, when that one was removed, at their
/// old index (the end, when the list got shorter).
pub fn render(contents: &Contents) -> Vec<u8> {
    let unreadable = &contents.unreadable;
    let mut placed = vec![false; unreadable.len()];
    let mut entries = Vec::with_capacity(contents.bookmarks.len() + unreadable.len());
    let mut place_after = |anchor: Option<&str>, entries: &mut Vec<Value>| {
        for (u, done) in unreadable.iter().zip(placed.iter_mut()) {
            if !*done && u.after.as_deref() == anchor {
                entries.push(u.entry.clone());
                *done = true;
            }
        }
    };
    place_after(None, &mut entries);
    for b in &contents.bookmarks {
        entries.push(serde_json::to_value(b).expect("a bookmark serialises"));
        place_after(Some(b.key()), &mut entries);
    }
    for (u, done) in unreadable.iter().zip(&placed) {
        if !done {
            entries.insert(u.index.min(entries.len()), u.entry.clone());
        }
    }
    let doc = Written {
        version: VERSION,
        bookmarks: entries,
        extra: &contents.extra,
    };
    let mut bytes = serde_json::to_vec_pretty(&doc).expect("bookmarks serialise");
    bytes.push(b'\n');
    bytes
}

/// A change made by this process and not yet saved.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Add(Bookmark),
    /// Remove by [`Bookmark::key`].
    Remove(String),
}

/// Apply `ops` in order to `list`: an add of a bookmark already present
/// (by [`Bookmark::key`]) keeps the existing one (and its date); a remove
/// of a key drops every copy.
pub fn apply(list: &mut Vec<Bookmark>, ops: &[Op]) {
    for op in ops {
        match op {
            Op::Add(b) => {
                if !list.iter().any(|x| x.key() == b.key()) {
                    list.push(b.clone());
                }
            }
            Op::Remove(key) => list.retain(|x| x.key() != key),
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
        for (i, article) in library.articles().iter().enumerate() {
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

    fn contents(bookmarks: Vec<Bookmark>) -> Contents {
        Contents {
            bookmarks,
            ..Contents::default()
        }
    }

    #[test]
    fn render_then_parse_round_trips_with_version() {
        let written = contents(vec![mark("aaaa"), mark("bbbb")]);
        let bytes = render(&written);
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(v["version"], 1);
        assert!(String::from_utf8_lossy(&bytes).starts_with("{\n  \"version\": 1,"));
        match parse(&bytes) {
            Parsed::Current(back) => assert_eq!(back, written),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unknown_fields_survive_a_rewrite() {
        let text = r#"{"version":1,"shelf":{"a":1},"bookmarks":[{"id":"a","title":"t","path":"p","added":"x","note":"mine"}]}"#;
        let Parsed::Current(read) = parse(text.as_bytes()) else {
            panic!()
        };
        let again: Value = serde_json::from_slice(&render(&read)).unwrap();
        assert_eq!(again["bookmarks"][0]["note"], "mine");
        assert_eq!(again["shelf"]["a"], 1);
    }

    #[test]
    fn entries_are_read_one_by_one() {
        let text = r#"{"version": 1, "bookmarks": [{"id": 3}, {"id": "a"}, [], {"path": "p", "title": null}]}"#;
        let Parsed::Current(read) = parse(text.as_bytes()) else {
            panic!()
        };
        let keys: Vec<&str> = read.bookmarks.iter().map(Bookmark::key).collect();
        assert_eq!(keys, ["a", "p"]);
        let why: Vec<(usize, String)> = read
            .unreadable
            .iter()
            .map(|u| (u.index, u.why.to_string()))
            .collect();
        assert_eq!(
            why,
            [
                (0, "\"id\" is not text".to_string()),
                (2, "not an object".to_string())
            ]
        );
    }

    #[test]
    fn unreadable_entries_go_back_after_the_entry_they_followed() {
        let text =
            r#"{"version": 1, "bookmarks": [1, {"id": "a"}, 2, {"id": "b"}, 3, {"id": "c"}, 4]}"#;
        let Parsed::Current(mut read) = parse(text.as_bytes()) else {
            panic!()
        };
        // "b" goes: 3 had followed it, and goes back to its old index.
        apply(
            &mut read.bookmarks,
            &[Op::Remove("b".into()), Op::Add(mark("d"))],
        );
        let v: Value = serde_json::from_slice(&render(&read)).unwrap();
        let shape: Vec<String> = v["bookmarks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                e.get("id")
                    .map_or(e.to_string(), |id| id.as_str().unwrap().into())
            })
            .collect();
        assert_eq!(shape, ["1", "a", "2", "c", "3", "4", "d"]);
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
            b"{\"version\": 1, \"bookmarks\": {}}",
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
