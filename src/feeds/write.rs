//! One feed item becomes one Markdown file in the feed's folder.
//!
//! Feeds are untrusted, and so are the names they give: a file name is a
//! slug of the sanitised title (letters, digits and `-` only, never empty,
//! never starting with a dot, at most 255 bytes), and every path is built
//! from the feed's folder and that one component. The folder is created
//! one real directory at a time, refusing any symlink on the way; files
//! are written through a temp file opened with `O_EXCL|O_NOFOLLOW`, synced
//! and renamed, so a kill at any moment leaves no partial file; a file the
//! feed did not write is never replaced (the next free `-2`, `-3`... name
//! is taken instead).

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use super::parse::Item;
use super::state::rfc3339;
use crate::store::atomic::sync_dir;

/// Longest file name most file systems take, in bytes.
const NAME_MAX: usize = 255;
/// Clashing names tried (`-2` ... ) before giving up on an item.
const MAX_SUFFIX: usize = 1000;
/// Prefix of temp files; the library does not read them (no `.md`), and
/// a run removes the stale ones.
pub const TEMP_PREFIX: &str = ".tmp-";

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// The feed an item came from, as written into its front matter.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    pub feed: &'a str,
    pub feed_url: &'a str,
}

/// The front matter of an item file. `fetched` stays last: it is the one
/// field that changes on every fetch, and comparisons leave it out.
#[derive(Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct FrontMatter {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    pub feed: String,
    /// Empty for imported records, which came from no feed: then left out.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub feed_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
    #[serde(default)]
    pub fetched: String,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{}: not a real directory inside the news folder (symlinks are not followed)", .0.display())]
    NotADirectory(PathBuf),
    #[error("feed folder {0:?} leaves the news folder")]
    Outside(PathBuf),
    #[error("no free file name for {0:?}")]
    NoName(String),
    #[error("{}: {}", .0.display(), .1)]
    Io(PathBuf, io::Error),
}

/// What happened to one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    New(String),
    Updated(String),
    Unchanged(String),
}

/// The feed folder `rel` under `root`, made one component at a time; each
/// must be a real directory (a symlink planted there is refused).
pub fn feed_dir(root: &Path, rel: &Path) -> Result<PathBuf, WriteError> {
    fs::create_dir_all(root).map_err(|e| WriteError::Io(root.to_path_buf(), e))?;
    let mut dir = root.to_path_buf();
    for part in rel.components() {
        let Component::Normal(name) = part else {
            return Err(WriteError::Outside(rel.to_path_buf()));
        };
        dir.push(name);
        match fs::symlink_metadata(&dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err(WriteError::NotADirectory(dir)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::create_dir(&dir).map_err(|e| WriteError::Io(dir.clone(), e))?;
            }
            Err(e) => return Err(WriteError::Io(dir, e)),
        }
    }
    Ok(dir)
}

/// The text of an item's file.
pub fn render(item: &Item, source: &Source, fetched: i64) -> String {
    let front = FrontMatter {
        title: item.title.clone(),
        url: item.url.clone(),
        author: item.author.clone(),
        date: item.published.map(rfc3339),
        feed: source.feed.to_string(),
        feed_url: source.feed_url.to_string(),
        guid: item.guid.clone(),
        fetched: rfc3339(fetched),
    };
    let yaml = serde_yaml_ng::to_string(&front).unwrap_or_default();
    let base = item.url.as_deref().unwrap_or(source.feed_url);
    let html = item.content_html.as_deref().or(item.summary.as_deref());
    let body = html
        .map(|h| super::markdown::to_markdown(h, base))
        .unwrap_or_default();
    format!("---\n{yaml}---\n\n{body}\n")
}

/// The front matter of a file written by [`render`], if it is one.
pub fn front_matter_of(text: &str) -> Option<FrontMatter> {
    let rest = text.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    serde_yaml_ng::from_str(&rest[..=end]).ok()
}

/// `<YYYY-MM-DD>-<slug>.md` for an item, dated by the item, else `now`.
pub fn file_name(item: &Item, now: i64) -> String {
    let date = rfc3339(item.published.unwrap_or(now));
    let day = date.get(..10).unwrap_or("1970-01-01");
    let slug = slug(&item.title);
    let budget = NAME_MAX - day.len() - 1 - ".md".len() - "-1000".len();
    format!("{day}-{}.md", cut(&slug, budget))
}

/// Letters (any script) and ASCII digits, lowercased, runs of anything
/// else as one `-`; `item` when nothing is left.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in crate::article::sanitize::sanitize_line(title).chars() {
        if c.is_alphabetic() || c.is_ascii_digit() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "item".to_string()
    } else {
        out.to_string()
    }
}

/// `s` cut to at most `max` bytes on a character boundary, without a
/// trailing `-`.
fn cut(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].trim_end_matches('-')
}

/// `name` with `-n` before `.md`.
fn numbered(name: &str, n: usize) -> String {
    if n == 1 {
        return name.to_string();
    }
    let stem = name.strip_suffix(".md").unwrap_or(name);
    format!("{stem}-{n}.md")
}

/// Where a new item goes: its name, or the first numbered one that is
/// free or already holds this very item (written by a run that was killed
/// before it recorded the item: adopted, not duplicated).
pub fn place(dir: &Path, name: &str, text: &str) -> Result<(String, bool), WriteError> {
    place_from(dir, name, text, 1, MAX_SUFFIX).map(|(name, _, adopted)| (name, adopted))
}

/// [`place`], trying the numbers `first..=last` only (1 is the bare
/// name); also returns the number taken. An importer that knows the lower
/// numbers are taken starts past them, so a thousand records with one
/// title do not probe a thousand names each.
pub fn place_from(
    dir: &Path,
    name: &str,
    text: &str,
    first: usize,
    last: usize,
) -> Result<(String, usize, bool), WriteError> {
    let wanted = front_matter_of(text);
    for n in first.max(1)..=last {
        let candidate = numbered(name, n);
        let path = dir.join(&candidate);
        match fs::symlink_metadata(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((candidate, n, false)),
            Err(e) => return Err(WriteError::Io(path, e)),
            Ok(m) if m.is_file() && same_item(&path, wanted.as_ref()) => {
                return Ok((candidate, n, true));
            }
            Ok(_) => {}
        }
    }
    Err(WriteError::NoName(name.to_string()))
}

/// Whether the file at `path` was written for the same item of the same
/// feed (everything in the front matter but the fetch time agrees).
fn same_item(path: &Path, wanted: Option<&FrontMatter>) -> bool {
    let (Some(wanted), Ok(text)) = (wanted, read_head(path)) else {
        return false;
    };
    front_matter_of(&text).is_some_and(|mut found| {
        found.fetched.clone_from(&wanted.fetched);
        found == *wanted
    })
}

/// The first 64 KiB of a file, enough for any front matter we write.
fn read_head(path: &Path) -> io::Result<String> {
    use std::io::Read;
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)?;
    let mut buf = Vec::new();
    file.take(64 * 1024).read_to_end(&mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// Whether the file holds `text`, the fetch time aside.
pub fn unchanged(path: &Path, text: &str) -> bool {
    let Ok(old) = fs::read_to_string(path) else {
        return false;
    };
    without_fetched(&old) == without_fetched(text)
}

fn without_fetched(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("fetched:"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Write `text` to `dir/name` atomically: a temp file created exclusively
/// (never through a symlink), synced, renamed over the name, the folder
/// synced. `name` must be one plain component.
pub fn write_file(dir: &Path, name: &str, text: &str) -> Result<(), WriteError> {
    write_renamed(dir, name, text, true)?;
    sync_dir(dir);
    Ok(())
}

/// [`write_file`] without the two syncs: as atomic against a kill (the
/// rename is), but durable only once the caller calls [`sync_written`].
/// For an import of many records, where a sync per file (milliseconds
/// each) would make a million records take hours.
pub fn write_file_unsynced(dir: &Path, name: &str, text: &str) -> Result<(), WriteError> {
    write_renamed(dir, name, text, false)
}

/// Make every file written so far durable: one `syncfs` of the file system
/// holding `dir` (Linux), else a global `sync`.
pub fn sync_written(dir: &Path) {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    if let Ok(d) = fs::File::open(dir)
        && rustix::fs::syncfs(&d).is_ok()
    {
        return;
    }
    rustix::fs::sync();
}

fn write_renamed(dir: &Path, name: &str, text: &str, sync: bool) -> Result<(), WriteError> {
    let target = dir.join(name);
    if Path::new(name).components().count() != 1 || name.starts_with('.') || name.contains('/') {
        return Err(WriteError::Outside(target));
    }
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let temp = dir.join(format!("{TEMP_PREFIX}{}-{n}", std::process::id()));
    let result = write_temp(&temp, text, sync).and_then(|()| fs::rename(&temp, &target));
    if let Err(e) = result {
        let _ = fs::remove_file(&temp);
        return Err(WriteError::Io(target, e));
    }
    Ok(())
}

fn write_temp(temp: &Path, text: &str, sync: bool) -> io::Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(temp)?;
    file.write_all(text.as_bytes())?;
    if sync { file.sync_all() } else { Ok(()) }
}

/// Remove temp files a killed run left in `dir`: those older than a
/// minute, or of a process that is gone. The caller holds the fetch lock.
pub fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(TEMP_PREFIX)) else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        if pid == Some(std::process::id()) {
            continue;
        }
        let gone = pid.is_none_or(|p| !Path::new(&format!("/proc/{p}")).exists());
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() > 60);
        if (gone && Path::new("/proc/self").exists()) || old {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_never_empty_and_keep_letters() {
        assert_eq!(slug("Hello, World!"), "hello-world");
        assert_eq!(slug("../../x"), "x");
        assert_eq!(slug("/etc/passwd"), "etc-passwd");
        assert_eq!(slug("...\u{0}\u{1b}[31m"), "31m");
        assert_eq!(slug("!!!"), "item");
        assert_eq!(slug("Été à Zürich"), "été-à-zürich");
        assert_eq!(slug("a\u{202e}b"), "ab");
    }

    #[test]
    fn long_titles_are_cut_to_fit_on_a_char_boundary() {
        let item = Item {
            title: "é".repeat(300),
            ..Item::default()
        };
        let name = file_name(&item, 0);
        assert!(name.len() + "-1000".len() <= NAME_MAX, "{}", name.len());
        assert!(name.starts_with("1970-01-01-é") && name.ends_with("é.md"));
    }

    #[test]
    fn a_hostile_title_cannot_break_the_front_matter() {
        let item = Item {
            title: "x\"\n---\ntitle: pwned\n: [".into(),
            url: Some("https://example.org/a".into()),
            ..Item::default()
        };
        let source = Source {
            feed: "F: #1",
            feed_url: "https://example.org/f",
        };
        let text = render(&item, &source, 0);
        let front = front_matter_of(&text).unwrap();
        assert_eq!(front.title, item.title);
        assert_eq!(front.feed, "F: #1");
    }
}
