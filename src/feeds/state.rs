//! What fetching remembers between runs, per feed, in
//! `<data dir>/feeds/state.json`: the validators for conditional GET, when
//! the feed may be fetched again, and which items were already written.
//!
//! It lives in the data dir, never in the library, so the news folder
//! holds nothing but articles. The file is replaced atomically after each
//! feed; a damaged one is kept aside (`state.json.corrupt-<time>`) and
//! what can still be read from it is kept, so a damaged file costs at
//! most a full refetch (the validators), never duplicated items.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::store::atomic;

/// Shortest wait after a failure.
const BACKOFF_MIN: i64 = 60;
/// Longest wait after failures.
const BACKOFF_MAX: i64 = 86_400;

/// One feed's state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FeedState {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_fetched: Option<String>,
    /// "ok", "3 new", "not modified", or why it failed (one short line).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_result: Option<String>,
    /// Files written for this feed so far.
    pub items: u64,
    /// Consecutive failures.
    pub failures: u32,
    /// Not fetched before this time (RFC 3339) unless forced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_fetch: Option<String>,
    /// Item key (guid, else link, else a hash of title and date) -> the
    /// file name it was written to.
    pub seen: BTreeMap<String, String>,
}

impl FeedState {
    /// Record a failure: wait 1 min, 2, 4... up to a day, or until the
    /// server's `Retry-After` when it gave one.
    pub fn failed(&mut self, now: i64, why: &str, retry_at: Option<i64>) {
        self.failures = self.failures.saturating_add(1);
        let exp = self.failures.saturating_sub(1).min(20);
        let wait = (BACKOFF_MIN << exp).min(BACKOFF_MAX);
        let at = retry_at.unwrap_or(now + wait).max(now);
        self.next_fetch = Some(rfc3339(at));
        self.last_fetched = Some(rfc3339(now));
        self.last_result = Some(why.to_string());
    }

    /// Record a success: failures and the backoff are forgotten.
    pub fn succeeded(&mut self, now: i64, result: &str) {
        self.failures = 0;
        self.next_fetch = None;
        self.last_fetched = Some(rfc3339(now));
        self.last_result = Some(result.to_string());
    }

    /// Whether the backoff allows a fetch at `now`.
    pub fn due(&self, now: i64) -> bool {
        self.next_fetch
            .as_deref()
            .and_then(crate::article::date::parse)
            .is_none_or(|at| at <= now)
    }
}

/// `t` (seconds since the epoch) as RFC 3339 UTC.
pub fn rfc3339(t: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(t)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// The state of every feed, keyed by feed URL, and where it is saved.
#[derive(Debug, Default)]
pub struct StateFile {
    path: PathBuf,
    pub feeds: BTreeMap<String, FeedState>,
}

/// What loading found wrong, for the caller to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damaged {
    pub kept_as: PathBuf,
}

impl StateFile {
    /// `<data_dir>/feeds/state.json`.
    pub fn path_in(data_dir: &Path) -> PathBuf {
        data_dir.join("feeds").join("state.json")
    }

    /// Read the state (none yet is an empty state). A damaged file is
    /// kept aside and what could be read of it is returned.
    pub fn load(path: &Path) -> io::Result<(Self, Option<Damaged>)> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Ok((Self::empty(path), None));
            }
            Err(e) => return Err(e),
        };
        let (feeds, clean) = read_lenient(&bytes);
        if clean {
            return Ok((
                Self {
                    path: path.to_path_buf(),
                    feeds,
                },
                None,
            ));
        }
        let kept_as = atomic::move_aside(path)?;
        Ok((
            Self {
                path: path.to_path_buf(),
                feeds,
            },
            Some(Damaged { kept_as }),
        ))
    }

    pub fn empty(path: &Path) -> Self {
        Self {
            path: path.to_path_buf(),
            feeds: BTreeMap::new(),
        }
    }

    /// Replace the file atomically.
    pub fn save(&self) -> io::Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let json = serde_json::to_vec_pretty(&self.feeds).map_err(io::Error::other)?;
        atomic::write_atomic(&self.path, &json)
    }
}

/// The feeds in `bytes`, and whether all of it was read. An entry that
/// does not read as a whole keeps its `seen` map (so nothing is written
/// twice) and loses its validators (so the feed is fetched afresh).
fn read_lenient(bytes: &[u8]) -> (BTreeMap<String, FeedState>, bool) {
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(bytes) else {
        return (BTreeMap::new(), false);
    };
    let mut clean = true;
    let mut feeds = BTreeMap::new();
    for (url, value) in map {
        match serde_json::from_value::<FeedState>(value.clone()) {
            Ok(state) => {
                feeds.insert(url, state);
            }
            Err(_) => {
                clean = false;
                feeds.insert(url, salvage(&value));
            }
        }
    }
    (feeds, clean)
}

/// The `seen` entries of a damaged feed entry that are still strings.
fn salvage(value: &Value) -> FeedState {
    let seen = value
        .get("seen")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default();
    FeedState {
        seen,
        ..FeedState::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_a_minute_to_a_day() {
        let mut s = FeedState::default();
        let waits: Vec<i64> = (0..14)
            .map(|_| {
                s.failed(0, "x", None);
                crate::article::date::parse(s.next_fetch.as_deref().unwrap()).unwrap()
            })
            .collect();
        assert_eq!(&waits[..4], &[60, 120, 240, 480]);
        assert_eq!(*waits.last().unwrap(), 86_400);
        assert!(!s.due(100));
        s.succeeded(100, "ok");
        assert!(s.due(100));
        assert_eq!(s.failures, 0);
    }

    #[test]
    fn a_damaged_state_file_is_kept_aside_and_its_seen_items_survive() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("state.json");
        std::fs::write(
            &path,
            br#"{"https://example.org/f": {"etag": 7, "seen": {"g1": "2024-01-01-a.md", "g2": 3}}}"#,
        )
        .unwrap();
        let (state, damaged) = StateFile::load(&path).unwrap();
        let feed = &state.feeds["https://example.org/f"];
        assert_eq!(
            feed.seen.get("g1").map(String::as_str),
            Some("2024-01-01-a.md")
        );
        assert_eq!(feed.etag, None);
        let kept = damaged.unwrap().kept_as;
        assert!(kept.to_string_lossy().contains("state.json.corrupt-"));
        assert!(!path.exists());

        std::fs::write(&path, b"{not json").unwrap();
        let (state, damaged) = StateFile::load(&path).unwrap();
        assert!(state.feeds.is_empty() && damaged.is_some());
        state.save().unwrap();
        assert_eq!(StateFile::load(&path).unwrap().1, None);
    }
}
