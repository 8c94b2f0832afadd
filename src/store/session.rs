//! Where the reader was when it last closed: the view, the selected story
//! and whether that story was open, so the next start comes back to it.
//!
//! A small JSON file in the data dir (`session.json`), written atomically
//! on the way out. It holds nothing of the user's own (bookmarks, read
//! marks and positions are in the other files), so a missing, damaged or
//! unknown one is ignored and simply replaced at the next exit.

use super::atomic;
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The file's name in the data dir.
pub const FILE: &str = "session.json";
const VERSION: u64 = 1;
/// A session file is a few dozen bytes; anything larger is not one.
const MAX_BYTES: u64 = 64 << 10;

/// Where the reader was.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The list's view: `all`, `bookmarks`, `unread` or `continue`.
    #[serde(default)]
    pub view: String,
    /// The list's order: `newest`, `oldest`, `title` or `library`.
    #[serde(default)]
    pub sort: String,
    /// The selected story's id.
    #[serde(default)]
    pub story: Option<String>,
    /// The story was open in the reader.
    #[serde(default)]
    pub reading: bool,
    /// Only this feed is listed (its folder under the news folder).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed: Option<String>,
    /// Only this category of feeds is listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The reader took the whole width (`Z`); older files lack it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub full_width: bool,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    version: u64,
    #[serde(flatten)]
    session: Session,
}

pub fn path(dir: &Path) -> PathBuf {
    dir.join(FILE)
}

/// The session saved in `dir`; `None` when there is none or it cannot be
/// read as one (it is then left alone until the next save replaces it).
pub fn load(dir: &Path) -> Option<Session> {
    let path = path(dir);
    atomic::remove_stale_temps(&path, false);
    let mut bytes = Vec::new();
    std::fs::File::open(&path)
        .ok()?
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .ok()?;
    let stored: Stored = serde_json::from_slice(&bytes).ok()?;
    (stored.version == VERSION).then_some(stored.session)
}

/// Save `session` in `dir`, replacing the old file atomically.
pub fn save(dir: &Path, session: &Session) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let stored = Stored {
        version: VERSION,
        session: session.clone(),
    };
    let mut bytes = serde_json::to_vec_pretty(&stored)?;
    bytes.push(b'\n');
    atomic::write_atomic(&path(dir), &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_session_loads_back() {
        let dir = tempfile::TempDir::new().unwrap();
        assert_eq!(load(dir.path()), None, "none yet");
        let session = Session {
            view: "bookmarks".into(),
            sort: "title".into(),
            story: Some("0123456789abcdef".into()),
            reading: true,
            ..Session::default()
        };
        save(&dir.path().join("new"), &session).unwrap();
        assert_eq!(load(&dir.path().join("new")), Some(session));
    }

    #[test]
    fn full_width_is_saved_and_an_older_file_without_it_reads_as_off() {
        let dir = tempfile::TempDir::new().unwrap();
        let session = Session {
            view: "all".into(),
            full_width: true,
            ..Session::default()
        };
        save(dir.path(), &session).unwrap();
        assert_eq!(load(dir.path()), Some(session));
        std::fs::write(
            path(dir.path()),
            r#"{"version": 1, "view": "all", "reading": true}"#,
        )
        .unwrap();
        let old = load(dir.path()).unwrap();
        assert!(old.reading && !old.full_width);
    }

    #[test]
    fn a_damaged_or_unknown_session_is_ignored_and_left_alone() {
        let dir = tempfile::TempDir::new().unwrap();
        let file = path(dir.path());
        for bytes in [
            &b""[..],
            b"{\"version\": 1, \"view\": ",
            b"\0\0\0\0",
            b"[1, 2, 3]",
            b"{\"version\": 2, \"view\": \"all\"}",
            b"{\"version\": 1, \"view\": 7}",
        ] {
            std::fs::write(&file, bytes).unwrap();
            assert_eq!(
                load(dir.path()),
                None,
                "{:?}",
                String::from_utf8_lossy(bytes)
            );
            assert_eq!(std::fs::read(&file).unwrap(), bytes, "left as it was");
        }
        let huge = format!("{{\"version\": 1, \"view\": \"{}\"}}", "a".repeat(100_000));
        std::fs::write(&file, huge).unwrap();
        assert_eq!(load(dir.path()), None);
    }
}
