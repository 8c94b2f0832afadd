//! The feeds a user subscribes to: `feeds.toml` in the config dir, one
//! `[[feed]]` table per feed, plain enough to edit by hand.
//!
//! A file that cannot be read is reported with its line and never
//! overwritten: a command that would change it refuses instead, so a hand
//! edit with a typo is never lost. Names become folder names under the news
//! folder, so they are sanitised when they are made and again when a path
//! is built from them ([`feed_dir`]).

use crate::article::sanitize::is_unsafe;
use crate::config::{Config, expand_home};
use crate::store::atomic;
use crate::text::line_of;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The subscriptions file's name, next to `config.toml`.
pub const FILE_NAME: &str = "feeds.toml";

/// Longest name kept, in bytes: room for a date and slug under it within
/// the usual 255-byte file-name limit.
const MAX_NAME: usize = 100;

/// Largest subscriptions file read: far above any real one.
const MAX_FILE: u64 = 16 << 20;

/// Largest fetch state read for listings: it also holds every item id
/// seen, so it may be much larger than the subscriptions.
const MAX_STATE: u64 = 64 << 20;

/// One feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subscription {
    /// Unique, and the feed's folder name under the news folder.
    pub name: String,
    /// An `http` or `https` address.
    pub url: String,
    /// Folders the feed is kept under, `/` between levels (`Tech/Rust`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Fetch each new item's page and keep the article, not the summary.
    #[serde(default)]
    pub full_text: bool,
}

/// Every subscription, in the file's order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subscriptions {
    #[serde(default, rename = "feed")]
    pub feeds: Vec<Subscription>,
}

#[derive(Debug, thiserror::Error)]
pub enum SubsError {
    #[error("{}: line {line}: {message}", .path.display())]
    Parse {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{}: {}", .0.display(), .1)]
    Io(PathBuf, std::io::Error),
    #[error("{}: larger than {} MiB", .0.display(), MAX_FILE >> 20)]
    TooLarge(PathBuf),
}

/// Why a feed was not added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddError {
    #[error("not an http or https address: {0}")]
    BadUrl(String),
    #[error("already subscribed as {name}: {url}")]
    Duplicate { name: String, url: String },
    #[error("the name {0} is taken")]
    NameTaken(String),
    #[error("not a usable name: {0:?}")]
    BadName(String),
}

/// `feeds.toml` beside the config file `config_path` (whether named by
/// `--config`, `TIDINGS_CONFIG` or the default).
pub fn path_beside(config_path: &Path) -> PathBuf {
    let dir = config_path.parent().filter(|d| !d.as_os_str().is_empty());
    dir.unwrap_or(Path::new(".")).join(FILE_NAME)
}

impl Subscriptions {
    /// Read `path`; a missing file holds no feeds.
    pub fn load(path: &Path) -> Result<Self, SubsError> {
        let text = match read_capped(path, MAX_FILE) {
            Ok(text) => text,
            Err(SubsError::Io(_, e)) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Self::default());
            }
            Err(e) => return Err(e),
        };
        Self::parse(&text).map_err(|(line, message)| SubsError::Parse {
            path: path.to_path_buf(),
            line,
            message,
        })
    }

    /// Parse the file's text; an error is its line and toml's message.
    pub fn parse(text: &str) -> Result<Self, (usize, String)> {
        toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| line_of(text, s.start));
            let message = crate::article::sanitize::sanitize_line(e.message().trim());
            (line, message)
        })
    }

    /// Write the file atomically (temp file, fsync, rename), in order.
    pub fn save(&self, path: &Path) -> Result<(), SubsError> {
        let io = |e| SubsError::Io(path.to_path_buf(), e);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let body = toml::to_string(self).expect("subscriptions serialise");
        let text = format!("{HEADER}{body}");
        atomic::write_atomic(path, text.as_bytes()).map_err(io)
    }

    pub fn is_empty(&self) -> bool {
        self.feeds.is_empty()
    }

    /// The feed with this URL (compared as [`clean_url`] gives it).
    pub fn by_url(&self, url: &str) -> Option<&Subscription> {
        let wanted = clean_url(url)?;
        self.feeds
            .iter()
            .find(|f| clean_url(&f.url).as_deref() == Some(wanted.as_str()))
    }

    fn name_taken(&self, name: &str) -> bool {
        self.feeds.iter().any(|f| f.name == name)
    }

    /// Add a feed: the URL must be `http`/`https` and new; the name given
    /// must be free, else one is derived from the URL and numbered until
    /// free. Returns the feed as added.
    pub fn add(
        &mut self,
        url: &str,
        name: Option<&str>,
        category: Option<&str>,
        full_text: bool,
    ) -> Result<&Subscription, AddError> {
        let url = clean_url(url).ok_or_else(|| AddError::BadUrl(printable(url)))?;
        if let Some(f) = self.by_url(&url) {
            return Err(AddError::Duplicate {
                name: f.name.clone(),
                url: f.url.clone(),
            });
        }
        let name = match name {
            Some(given) => {
                let name =
                    sanitize_name(given).ok_or_else(|| AddError::BadName(printable(given)))?;
                if self.name_taken(&name) {
                    return Err(AddError::NameTaken(name));
                }
                name
            }
            None => self.free_name(&derive_name(&url)),
        };
        self.feeds.push(Subscription {
            name,
            url,
            category: category.and_then(clean_category),
            full_text,
        });
        Ok(self.feeds.last().expect("just pushed"))
    }

    /// `base`, else `base-2`, `base-3`... whichever is free first.
    pub fn free_name(&self, base: &str) -> String {
        if !self.name_taken(base) {
            return base.to_string();
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|name| !self.name_taken(name))
            .expect("some number is free")
    }

    /// Remove the feed named `target` (as given, or as it was sanitised
    /// when added), else the one at URL `target`.
    pub fn remove(&mut self, target: &str) -> Option<Subscription> {
        let cleaned = sanitize_name(target);
        let named = |f: &Subscription| f.name == target || Some(&f.name) == cleaned.as_ref();
        let at = self.feeds.iter().position(named).or_else(|| {
            let url = self.by_url(target)?.url.clone();
            self.feeds.iter().position(|f| f.url == url)
        })?;
        Some(self.feeds.remove(at))
    }
}

/// The comment at the top of a saved file.
const HEADER: &str = "# tidings subscriptions: one [[feed]] per feed, with name, url, and\n\
                      # optionally category (\"Tech/Rust\") and full_text = true.\n\n";

/// Read a file of at most `max` bytes as text.
fn read_capped(path: &Path, max: u64) -> Result<String, SubsError> {
    use std::io::Read;
    let io = |e| SubsError::Io(path.to_path_buf(), e);
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > max {
        return Err(SubsError::TooLarge(path.to_path_buf()));
    }
    String::from_utf8(bytes)
        .map_err(|e| io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
}

/// Untrusted text made safe to print in a message.
fn printable(s: &str) -> String {
    crate::article::sanitize::sanitize_line(s)
}

/// The URL as kept: `http` or `https` only, with a host, made safe by
/// [`crate::article::links::safe_url`] (which also lets `mailto:` through,
/// so the scheme is checked here too).
pub fn clean_url(url: &str) -> Option<String> {
    let safe = crate::article::links::safe_url(url)?;
    let web = safe.starts_with("http://") || safe.starts_with("https://");
    web.then_some(safe)
}

/// A name from a URL: its host and path, every run of characters other
/// than letters, digits, `.` and `_` made one `-` (`example.org-news`);
/// a feed-file extension at the end is dropped.
pub fn derive_name(url: &str) -> String {
    let (host, path) = match url::Url::parse(url) {
        Ok(u) => (u.host_str().unwrap_or("").to_string(), u.path().to_string()),
        Err(_) => (String::new(), url.to_string()),
    };
    let path = [".xml", ".rss", ".atom", ".json"]
        .iter()
        .find_map(|ext| path.strip_suffix(ext))
        .unwrap_or(&path);
    let raw = format!("{host}/{path}");
    let mut name = String::new();
    for c in raw.chars() {
        if c.is_alphanumeric() || c == '.' || c == '_' {
            name.push(c);
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    sanitize_name(name.trim_end_matches('-')).unwrap_or_else(|| "feed".to_string())
}

/// A name fit to be a folder name, or `None` when nothing is left: control
/// and bidi characters dropped, `/` and `\` made `-`, spaces trimmed,
/// leading dots and dashes removed (no hidden folders, no `..`, nothing a
/// command line takes for an option), at most
/// [`MAX_NAME`] bytes.
pub fn sanitize_name(raw: &str) -> Option<String> {
    let cleaned: String = raw
        .chars()
        .filter(|&c| !is_unsafe(c))
        .map(|c| if c == '/' || c == '\\' { '-' } else { c })
        .collect();
    let name = cleaned
        .trim_start_matches(|c: char| c == '.' || c == '-' || c.is_whitespace())
        .trim_end();
    let name = cut_to(name, MAX_NAME).trim_end();
    (!name.is_empty()).then(|| name.to_string())
}

/// The longest prefix of `s` of at most `max` bytes that ends on a
/// character boundary.
fn cut_to(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A category as kept: each `/`-separated level sanitised like a name,
/// empty levels dropped; `None` when nothing is left.
pub fn clean_category(raw: &str) -> Option<String> {
    let levels: Vec<String> = raw.split('/').filter_map(sanitize_name).collect();
    (!levels.is_empty()).then(|| levels.join("/"))
}

/// The news folder: `news_dir` from the config (`~` expanded), else
/// `<data dir>/news`.
pub fn news_dir(config: &Config, data_dir: &Path) -> PathBuf {
    match &config.news_dir {
        Some(dir) => expand_home(dir),
        None => data_dir.join("news"),
    }
}

/// Where a feed's items go: `<news>/<category>/<name>/`, or
/// `<news>/<name>/` without a category. The category and the name are one
/// path component each (a nested category's levels joined with `-`),
/// sanitised again here since `feeds.toml` may have been edited by hand:
/// never empty, `.`, `..`, absolute, nor holding a separator.
pub fn feed_dir(news: &Path, sub: &Subscription) -> PathBuf {
    let mut dir = news.to_path_buf();
    if let Some(category) = sub.category.as_deref().and_then(clean_category) {
        dir.push(category.replace('/', "-"));
    }
    dir.push(sanitize_name(&sub.name).unwrap_or_else(|| "feed".to_string()));
    dir
}

/// What the last fetches of one feed left in the fetch state, as far as
/// the listing shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FeedStatus {
    /// RFC 3339.
    pub last_fetched: Option<String>,
    pub last_result: Option<String>,
    pub items: Option<u64>,
    pub failures: Option<u64>,
}

/// The fetch state's file: `<data dir>/feeds/state.json`.
pub fn state_path(data_dir: &Path) -> PathBuf {
    data_dir.join("feeds").join("state.json")
}

/// The status of every fetched feed, by feed URL, read from the fetch
/// state at best effort: a missing, unreadable or unexpected file, or a
/// field of another type, gives nothing rather than an error, since the
/// listing must work before the first fetch and whatever the state holds.
pub fn read_fetch_status(data_dir: &Path) -> HashMap<String, FeedStatus> {
    let Ok(text) = read_capped(&state_path(data_dir), MAX_STATE) else {
        return HashMap::new();
    };
    let Ok(serde_json::Value::Object(mut top)) = serde_json::from_str(&text) else {
        return HashMap::new();
    };
    // Tolerate the feeds being one level down, under "feeds".
    if let Some(serde_json::Value::Object(inner)) = top.remove("feeds") {
        top = inner;
    }
    top.iter()
        .filter_map(|(url, v)| Some((url.clone(), status_of(v.as_object()?))))
        .collect()
}

fn status_of(entry: &serde_json::Map<String, serde_json::Value>) -> FeedStatus {
    let text = |k: &str| entry.get(k).and_then(|v| v.as_str()).map(printable);
    let number = |k: &str| entry.get(k).and_then(|v| v.as_u64());
    FeedStatus {
        last_fetched: text("last_fetched"),
        last_result: text("last_result"),
        items: number("items"),
        failures: number("failures"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_host_and_path() {
        assert_eq!(derive_name("https://example.org/news"), "example.org-news");
        assert_eq!(derive_name("https://example.org/news/"), "example.org-news");
        assert_eq!(derive_name("https://example.org/"), "example.org");
        assert_eq!(
            derive_name("http://example.org/blog/feed.xml?x=1"),
            "example.org-blog-feed"
        );
        assert_eq!(derive_name("https://example.org/a/../b"), "example.org-b");
    }

    #[test]
    fn hostile_names_become_plain_folder_names() {
        assert_eq!(sanitize_name("../../etc/passwd").unwrap(), "etc-passwd");
        assert_eq!(sanitize_name("..").as_deref(), None);
        assert_eq!(sanitize_name(" .hidden").unwrap(), "hidden");
        assert_eq!(sanitize_name("a\0b\x1b[31mc\u{202E}d").unwrap(), "ab[31mcd");
        assert_eq!(sanitize_name("/etc/passwd").unwrap(), "etc-passwd");
        assert_eq!(sanitize_name("--help").unwrap(), "help");
        assert_eq!(sanitize_name("\n\t").as_deref(), None);
        let long = "é".repeat(300);
        let cut = sanitize_name(&long).unwrap();
        assert!(
            cut.len() <= MAX_NAME && cut.chars().all(|c| c == 'é'),
            "{cut}"
        );
    }

    #[test]
    fn feed_dir_stays_inside_the_news_folder() {
        let news = Path::new("/n");
        let hostile = Subscription {
            name: "../../x".into(),
            url: "https://example.org/".into(),
            category: Some("../a/./b/".into()),
            full_text: false,
        };
        let dir = feed_dir(news, &hostile);
        assert_eq!(dir, Path::new("/n/a-b/x"));
        let plain = Subscription {
            name: "..".into(),
            category: None,
            ..hostile
        };
        assert_eq!(feed_dir(news, &plain), Path::new("/n/feed"));
        for d in [dir, feed_dir(news, &plain)] {
            assert!(d.components().all(|c| matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::RootDir
            )));
        }
    }

    #[test]
    fn add_refuses_other_schemes_and_duplicate_urls() {
        let mut subs = Subscriptions::default();
        for bad in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "mailto:a@example.org",
            "ftp://example.org/",
        ] {
            assert!(
                matches!(subs.add(bad, None, None, false), Err(AddError::BadUrl(_))),
                "{bad}"
            );
        }
        subs.add("https://example.org/news", None, Some("Tech"), true)
            .unwrap();
        let again = subs.add(" https://example.org/news ", Some("other"), None, false);
        assert!(
            matches!(again, Err(AddError::Duplicate { .. })),
            "{again:?}"
        );
        let named = subs.add(
            "https://example.org/b",
            Some("example.org-news"),
            None,
            false,
        );
        assert_eq!(named, Err(AddError::NameTaken("example.org-news".into())));
        let derived = subs
            .add("https://example.org/news?", None, None, false)
            .unwrap();
        assert_eq!(derived.name, "example.org-news-2");
    }

    #[test]
    fn save_then_load_keeps_order_and_fields() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("sub").join(FILE_NAME);
        let mut subs = Subscriptions::default();
        subs.add("https://example.org/z", Some("zeta"), Some("A/B"), true)
            .unwrap();
        subs.add("https://example.org/a", Some("alpha"), None, false)
            .unwrap();
        subs.save(&path).unwrap();
        assert_eq!(Subscriptions::load(&path).unwrap(), subs);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.find("zeta").unwrap() < text.find("alpha").unwrap(),
            "{text}"
        );
        assert!(text.contains("[[feed]]"), "{text}");
    }

    #[test]
    fn a_bad_file_names_its_line() {
        let e = Subscriptions::parse(
            "[[feed]]\nname = \"a\"\nurl = \"https://example.org\"\nfull_txt = true\n",
        )
        .unwrap_err();
        assert_eq!(e.0, 4, "{e:?}");
    }

    #[test]
    fn fetch_status_is_read_at_best_effort() {
        let dir = tempfile::TempDir::new().unwrap();
        assert!(read_fetch_status(dir.path()).is_empty(), "no file");
        std::fs::create_dir_all(dir.path().join("feeds")).unwrap();
        let state = state_path(dir.path());
        std::fs::write(&state, "not json").unwrap();
        assert!(read_fetch_status(dir.path()).is_empty());
        std::fs::write(
            &state,
            r#"{"https://example.org/a": {"last_fetched": "2025-01-02T03:04:05Z",
                "last_result": "ok\u001b[31m", "items": 7, "failures": "x", "etag": "y"},
               "https://example.org/b": 3}"#,
        )
        .unwrap();
        let status = read_fetch_status(dir.path());
        assert_eq!(status.len(), 1);
        let a = &status["https://example.org/a"];
        assert_eq!(a.last_fetched.as_deref(), Some("2025-01-02T03:04:05Z"));
        assert_eq!(a.last_result.as_deref(), Some("ok[31m"));
        assert_eq!((a.items, a.failures), (Some(7), None));
    }
}
