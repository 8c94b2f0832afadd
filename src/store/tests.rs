//! The store against real temp dirs: what is saved comes back, damage is
//! moved aside, newer files are left alone, two stores merge.

use super::*;
use crate::article::MetaText;
use crate::library::Origin;
use std::fs;
use tempfile::TempDir;

const X: &str = "00000000000000aa";
const Y: &str = "00000000000000bb";
const Z: &str = "00000000000000cc";

fn meta(id: &str, title: &str, rel: &str) -> ArticleMeta {
    let text = MetaText {
        id,
        title,
        category: rel.rsplit_once('/').map(|(d, _)| d),
        rel_path: rel,
        ..MetaText::default()
    };
    ArticleMeta::new(text, PathBuf::from("/lib").join(rel), 10, 10, 0)
}

fn x() -> ArticleMeta {
    meta(X, "Markets rally", "business/x.txt")
}

fn y() -> ArticleMeta {
    meta(Y, "Cup final", "sport/y.txt")
}

fn open(dir: &Path) -> Store {
    let (store, warnings) = Store::open(dir);
    assert!(warnings.is_empty(), "{warnings:?}");
    store
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn bookmarks_and_reading_state_round_trip() {
    let home = TempDir::new().unwrap();
    let dir = home.path().join("data");
    let mut s = open(&dir);
    assert!(s.toggle_bookmark(&x()).unwrap());
    assert!(s.toggle_bookmark(&y()).unwrap());
    assert!(!s.toggle_bookmark(&y()).unwrap());
    s.set_read(X, true);
    s.set_position(X, 12);
    s.set_position(Y, 3);
    s.flush().unwrap();
    drop(s);

    let s = open(&dir);
    let ids: Vec<&str> = s.bookmarks().iter().map(|b| b.id.as_str()).collect();
    assert_eq!(ids, [X]);
    assert_eq!(s.bookmarks()[0].title, "Markets rally");
    assert_eq!(s.bookmarks()[0].path, "business/x.txt");
    assert!(humantime::parse_rfc3339(&s.bookmarks()[0].added).is_ok());
    assert!(s.is_read(X) && !s.is_read(Y));
    assert_eq!(s.position(X), Some(12));
    assert_eq!(s.in_progress(), [(Y.to_string(), 3), (X.to_string(), 12)]);
    assert_eq!(
        names(&dir),
        [
            "bookmarks.json",
            "bookmarks.lock",
            "state.lock",
            "state.log"
        ]
    );
}

#[test]
fn the_file_is_versioned_json() {
    let home = TempDir::new().unwrap();
    let mut s = open(home.path());
    s.add_bookmark(&x()).unwrap();
    s.flush().unwrap();
    let v: serde_json::Value =
        serde_json::from_slice(&fs::read(home.path().join("bookmarks.json")).unwrap()).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["bookmarks"][0]["id"], X);
    let log = fs::read_to_string(home.path().join("state.log"));
    assert!(log.is_err(), "no reading-state change, no log");
}

#[test]
fn saves_wait_for_the_debounce_then_happen() {
    let home = TempDir::new().unwrap();
    let mut s = open(home.path());
    assert_eq!(s.flush_if_due(Instant::now()), None);
    s.set_read(X, true);
    let t0 = Instant::now();
    let wait = s.flush_if_due(t0).expect("a save is pending");
    assert!(wait <= SAVE_DELAY);
    assert!(!home.path().join("state.log").exists());
    assert_eq!(
        s.flush_if_due(t0 + SAVE_DELAY + Duration::from_millis(1)),
        None
    );
    assert!(!s.is_dirty());
    assert!(open(home.path()).is_read(X));
}

#[test]
fn scrolling_is_coalesced_and_position_zero_forgets() {
    let home = TempDir::new().unwrap();
    let mut s = open(home.path());
    for p in 1..=50 {
        s.set_position(X, p);
    }
    assert_eq!(s.state_ops.len(), 1);
    s.flush().unwrap();
    s.set_position(X, 0);
    s.flush().unwrap();
    let s = open(home.path());
    assert_eq!(s.position(X), None);
    assert!(s.in_progress().is_empty());
}

#[test]
fn damaged_bookmark_files_are_moved_aside_with_a_warning() {
    let cases: [&[u8]; 6] = [
        b"",
        b"{\"version\": 1, \"bookmarks\": [{\"id\": \"00000000000000aa\", \"ti",
        &[0u8; 64],
        b"\xff\xfe\x00{\"version\":1}",
        b"not json at all",
        b"{\"version\": 1}",
    ];
    for bytes in cases {
        let home = TempDir::new().unwrap();
        fs::write(home.path().join("bookmarks.json"), bytes).unwrap();
        let (mut s, warnings) = Store::open(home.path());
        assert_eq!(warnings.len(), 1, "{bytes:?}: {warnings:?}");
        assert!(warnings[0].contains("damaged"), "{warnings:?}");
        assert!(s.bookmarks().is_empty());
        let aside: Vec<String> = names(home.path())
            .into_iter()
            .filter(|n| n.starts_with("bookmarks.json.corrupt-"))
            .collect();
        assert_eq!(aside.len(), 1, "{bytes:?}");
        assert_eq!(fs::read(home.path().join(&aside[0])).unwrap(), bytes);
        // And the store carries on.
        s.add_bookmark(&x()).unwrap();
        s.flush().unwrap();
        assert_eq!(open(home.path()).bookmarks().len(), 1);
    }
}

#[test]
fn a_newer_bookmarks_file_is_left_untouched_and_read_only() {
    let home = TempDir::new().unwrap();
    let path = home.path().join("bookmarks.json");
    let newer = br#"{"version": 2, "bookmarks": [{"id": "00000000000000aa", "title": "T", "path": "p", "added": "2030-01-01T00:00:00Z", "tags": ["x"]}], "folders": {}}"#;
    fs::write(&path, newer).unwrap();
    let (mut s, warnings) = Store::open(home.path());
    assert!(
        warnings.len() == 1 && warnings[0].contains("newer") && warnings[0].contains("read-only"),
        "{warnings:?}"
    );
    assert!(s.is_bookmarked(X), "still shown");
    assert!(matches!(s.add_bookmark(&y()), Err(StoreError::ReadOnly(_))));
    assert!(s.toggle_bookmark(&x()).is_err());
    s.set_read(Y, true);
    s.flush().unwrap();
    assert_eq!(fs::read(&path).unwrap(), newer);
    assert!(
        Store::open(home.path()).0.is_read(Y),
        "the other file still saves"
    );
}

#[test]
fn a_damaged_state_log_is_repaired_at_open_and_the_damaged_file_kept() {
    let home = TempDir::new().unwrap();
    let log = home.path().join("state.log");
    let damaged = format!("tidings-state 1\nr {X}\n\0\0\0\0\np {Y} 4\n");
    fs::write(&log, &damaged).unwrap();
    let (s, warnings) = Store::open(home.path());
    assert!(
        warnings.len() == 1 && warnings[0].contains("damaged"),
        "{warnings:?}"
    );
    assert!(s.is_read(X));
    assert_eq!(s.position(Y), Some(4));
    let aside: Vec<String> = names(home.path())
        .into_iter()
        .filter(|n| n.starts_with("state.log.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(
        fs::read_to_string(home.path().join(&aside[0])).unwrap(),
        damaged
    );
    // What was recovered is on disk already, without a save.
    assert!(!s.is_dirty());
    drop(s);
    let s = open(home.path());
    assert!(s.is_read(X));
    assert_eq!(s.position(Y), Some(4));
}

#[test]
fn a_damaged_state_log_that_cannot_be_repaired_is_left_as_it_is_until_a_save_can() {
    let home = TempDir::new().unwrap();
    let dir = home.path();
    let log = dir.join("state.log");
    let damaged = format!("tidings-state 1\nr {X}\ngarbage\np {Y} 4\n");
    fs::write(&log, &damaged).unwrap();
    forbid_saving(dir);
    let (mut s, warnings) = Store::open(dir);
    assert!(
        warnings.len() == 1 && warnings[0].contains("left as it is"),
        "{warnings:?}"
    );
    assert!(s.is_read(X) && s.position(Y) == Some(4));
    assert_eq!(fs::read_to_string(&log).unwrap(), damaged, "untouched");
    assert!(!names(dir).iter().any(|n| n.contains(".corrupt-")));
    s.refresh();
    assert!(s.take_warnings().is_empty(), "said once");

    fs::remove_dir(dir.join("state.lock")).unwrap();
    s.set_read_now(Z, true).unwrap();
    let text = fs::read_to_string(&log).unwrap();
    assert!(!text.contains("garbage"), "repaired by the save: {text}");
    let s = open(dir);
    assert!(s.is_read(X) && s.is_read(Z) && s.position(Y) == Some(4));
    let aside: Vec<String> = names(dir)
        .into_iter()
        .filter(|n| n.starts_with("state.log.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(fs::read_to_string(dir.join(&aside[0])).unwrap(), damaged);
}

#[test]
fn state_logs_without_a_header_are_moved_aside() {
    for bytes in [
        &b""[..],
        &[0u8; 100],
        b"\xc3\x28\xa0\xa1\n",
        b"r 00000000000000aa\n",
    ] {
        let home = TempDir::new().unwrap();
        fs::write(home.path().join("state.log"), bytes).unwrap();
        let (s, warnings) = Store::open(home.path());
        assert!(
            warnings.len() == 1 && warnings[0].contains("damaged"),
            "{warnings:?}"
        );
        assert_eq!(s.read_count(), 0);
        assert!(!home.path().join("state.log").exists());
    }
}

#[test]
fn a_torn_last_line_is_not_damage_and_is_cut_off_by_the_next_save() {
    let home = TempDir::new().unwrap();
    let log = home.path().join("state.log");
    fs::write(&log, format!("tidings-state 1\nr {X}\np {Y} 1")).unwrap();
    let mut s = open(home.path());
    assert!(s.is_read(X));
    assert_eq!(s.position(Y), None);
    s.set_read(Z, true);
    s.flush().unwrap();
    assert_eq!(
        fs::read_to_string(&log).unwrap(),
        format!("tidings-state 1\nr {X}\nr {Z}\n")
    );
}

#[test]
fn a_newer_state_log_is_left_untouched() {
    let home = TempDir::new().unwrap();
    let log = home.path().join("state.log");
    fs::write(&log, "tidings-state 3\nsomething new\n").unwrap();
    let (mut s, warnings) = Store::open(home.path());
    assert!(
        warnings.len() == 1 && warnings[0].contains("newer"),
        "{warnings:?}"
    );
    s.set_read(X, true);
    assert!(s.is_read(X), "works in memory");
    s.flush().unwrap();
    assert_eq!(
        fs::read_to_string(&log).unwrap(),
        "tidings-state 3\nsomething new\n"
    );
}

#[test]
fn two_stores_on_one_dir_merge_instead_of_overwriting() {
    let home = TempDir::new().unwrap();
    let mut seed = open(home.path());
    seed.add_bookmark(&x()).unwrap();
    seed.flush().unwrap();

    let mut a = open(home.path());
    let mut b = open(home.path());
    a.remove_bookmark(X).unwrap();
    a.set_read(X, true);
    b.add_bookmark(&y()).unwrap();
    b.set_position(Y, 9);
    a.flush().unwrap();
    b.flush().unwrap();
    assert!(b.is_read(X), "b saw a's change while saving");

    let s = open(home.path());
    let ids: Vec<&str> = s.bookmarks().iter().map(|b| b.id.as_str()).collect();
    assert_eq!(ids, [Y], "a's remove and b's add both survive");
    assert!(s.is_read(X));
    assert_eq!(s.position(Y), Some(9));
}

#[test]
fn another_process_compacting_is_noticed() {
    let home = TempDir::new().unwrap();
    let mut a = open(home.path());
    let mut b = open(home.path());
    a.set_read(X, true);
    a.flush().unwrap();
    // b churns two positions (over 64 KiB of log for two live lines), so
    // its save compacts the log into a new file.
    let log = home.path().join("state.log");
    for i in 1..=4000 {
        b.set_position(Y, i);
        b.set_position(Z, i);
    }
    b.flush().unwrap();
    let compacted = fs::read_to_string(&log).unwrap();
    assert_eq!(compacted.lines().count(), 4, "{compacted}");
    a.set_read(Z, true);
    a.flush().unwrap();
    assert_eq!(a.position(Y), Some(4000), "a replayed the new file");
    let s = open(home.path());
    assert!(s.is_read(X) && s.is_read(Z));
    assert_eq!(s.position(Y), Some(4000));
    assert_eq!(s.position(Z), Some(4000));
}

#[test]
fn a_hundred_thousand_read_articles_replay() {
    let home = TempDir::new().unwrap();
    let mut s = open(home.path());
    let id = |i: u64| state::id_of(i.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    for i in 0..100_000 {
        s.set_read(&id(i), true);
    }
    s.set_position(&id(7), 5);
    s.flush().unwrap();
    let s = open(home.path());
    assert_eq!(s.read_count(), 100_000);
    assert!(s.is_read(&id(99_999)));
    assert_eq!(s.position(&id(7)), Some(5));
}

#[test]
fn a_data_dir_that_is_a_file_gives_an_in_memory_store() {
    let home = TempDir::new().unwrap();
    let file = home.path().join("data");
    fs::write(&file, b"not a dir").unwrap();
    let (mut s, warnings) = Store::open(&file);
    assert!(
        warnings.len() == 1 && warnings[0].contains("not a folder"),
        "{warnings:?}"
    );
    s.add_bookmark(&x()).unwrap();
    s.set_read(X, true);
    assert!(s.is_bookmarked(X) && s.is_read(X));
    s.flush().unwrap();
    assert_eq!(fs::read(&file).unwrap(), b"not a dir");
}

#[test]
fn an_unwritable_data_dir_warns_on_save_and_keeps_the_changes() {
    let home = TempDir::new().unwrap();
    let dir = home.path().join("data");
    let mut s = open(&dir);
    s.add_bookmark(&x()).unwrap();
    // The data dir cannot be created: a file is in the way.
    fs::write(&dir, b"").unwrap();
    let t = Instant::now() + SAVE_DELAY;
    assert_eq!(s.flush_if_due(t), Some(RETRY_DELAY));
    let warnings = s.take_warnings();
    assert!(
        warnings.len() == 1 && warnings[0].contains("could not save"),
        "{warnings:?}"
    );
    assert_eq!(
        s.flush_if_due(t + Duration::from_secs(1)),
        Some(RETRY_DELAY - Duration::from_secs(1))
    );
    assert_eq!(s.flush_if_due(t + RETRY_DELAY), Some(RETRY_DELAY));
    assert!(
        s.take_warnings().is_empty(),
        "the same failure is reported once"
    );
    assert!(s.is_bookmarked(X) && s.is_dirty());
}

#[test]
fn stale_temp_files_are_removed_at_open() {
    let home = TempDir::new().unwrap();
    let stale = [
        home.path().join("bookmarks.json.tmp-4000000-0"),
        home.path().join("state.log.tmp-4000001-2"),
    ];
    for f in &stale {
        fs::write(f, b"half").unwrap();
    }
    let _s = open(home.path());
    assert!(stale.iter().all(|f| !f.exists()));
}

#[test]
fn bookmarks_resolve_by_id_then_path_then_title_and_keep_the_missing() {
    let home = TempDir::new().unwrap();
    let mut s = open(home.path());
    let gone = meta(Z, "Gone for good", "world/z.txt");
    for m in [x(), y(), gone] {
        s.add_bookmark(&m).unwrap();
    }
    // x was edited (new id, same path); y edited and renamed (same title).
    let library = Library::from_articles(
        Origin::Disk(vec![]),
        vec![
            meta("1111111111111111", "Other", "other.txt"),
            meta(
                "2222222222222222",
                "Markets rally, updated",
                "business/x.txt",
            ),
            meta("3333333333333333", "Cup final", "sport/final.txt"),
            meta(X, "Markets rally", "moved/x.txt"),
        ],
    );
    let r = s.resolve_bookmarks(&library);
    let got: Vec<_> = r.iter().map(|r| (r.article_index, r.matched_by)).collect();
    assert_eq!(
        got,
        [
            (Some(3), Some(Match::Id)),
            (Some(2), Some(Match::Title)),
            (None, None)
        ]
    );
    assert!(r[2].is_missing() && r[2].bookmark.title == "Gone for good");
    let edited = Library::from_articles(
        Origin::Disk(vec![]),
        library.articles()[..3]
            .iter()
            .map(|m| (**m).clone())
            .collect(),
    );
    let r = s.resolve_bookmarks(&edited);
    assert_eq!(r[0].article_index, Some(1));
    assert_eq!(r[0].matched_by, Some(Match::Path));
}

#[test]
fn refresh_takes_in_what_another_process_saved() {
    let home = TempDir::new().unwrap();
    let mut app = open(home.path());
    app.set_position(Z, 5);
    let mut script = open(home.path());
    script.add_bookmark(&x()).unwrap();
    script.set_read(Y, true);
    script.set_position(Z, 9);
    script.flush().unwrap();
    assert!(!app.is_bookmarked(X) && !app.is_read(Y));
    app.refresh();
    assert!(app.is_bookmarked(X) && app.is_read(Y));
    assert_eq!(app.position(Z), Some(5), "unsaved changes stay on top");
    app.flush().unwrap();
    assert_eq!(open(home.path()).position(Z), Some(5));
    assert!(app.take_warnings().is_empty());
}

#[test]
fn revision_moves_only_when_refresh_brings_something_new() {
    let home = TempDir::new().unwrap();
    let mut app = open(home.path());
    app.refresh();
    let quiet = app.revision();
    app.refresh();
    assert_eq!(app.revision(), quiet, "nothing new");
    let mut script = open(home.path());
    script.set_read(Y, true);
    script.flush().unwrap();
    app.refresh();
    let after_read = app.revision();
    assert_ne!(after_read, quiet, "a read mark from elsewhere");
    app.refresh();
    assert_eq!(app.revision(), after_read);
    script.add_bookmark(&x()).unwrap();
    script.flush().unwrap();
    app.refresh();
    assert_ne!(app.revision(), after_read, "a bookmark from elsewhere");
}

/// Make `dir` readable but not writable for anyone: its lock files become
/// folders, which no save can lock (permissions would not stop root).
fn forbid_saving(dir: &Path) {
    for lock in ["bookmarks.lock", "state.lock"] {
        let _ = fs::remove_file(dir.join(lock));
        fs::create_dir_all(dir.join(lock)).unwrap();
    }
}

#[test]
fn a_change_saved_now_is_on_disk_when_it_returns_or_undone() {
    let home = TempDir::new().unwrap();
    let dir = home.path().join("data");
    let mut s = open(&dir);
    s.set_position(Y, 3);
    assert!(s.add_bookmark_now(&x()).unwrap());
    assert!(!s.add_bookmark_now(&x()).unwrap(), "already bookmarked");
    s.set_read_now(X, true).unwrap();
    assert!(!s.is_dirty(), "nothing is left waiting");
    let disk = open(&dir);
    assert!(disk.is_bookmarked(X) && disk.is_read(X));
    assert_eq!(disk.position(Y), Some(3), "the waiting position went along");

    forbid_saving(&dir);
    assert!(s.add_bookmark_now(&y()).is_err());
    assert!(!s.is_bookmarked(Y), "undone");
    assert!(s.remove_bookmark_now(X).is_err());
    assert!(s.is_bookmarked(X), "undone");
    assert!(s.set_read_now(X, false).is_err());
    assert!(s.is_read(X), "undone");
    assert!(s.set_read_now(Y, true).is_err());
    assert!(!s.is_read(Y), "undone");
    s.set_position(Y, 9);
    assert!(s.flush().is_err(), "the position still waits");
    assert_eq!(s.position(Y), Some(9));
    // Nothing undone is saved later either.
    fs::remove_dir(dir.join("bookmarks.lock")).unwrap();
    fs::remove_dir(dir.join("state.lock")).unwrap();
    s.flush().unwrap();
    let disk = open(&dir);
    assert_eq!(disk.bookmarks().len(), 1);
    assert_eq!((disk.is_read(X), disk.is_read(Y)), (true, false));
    assert_eq!(disk.position(Y), Some(9));
}

#[test]
fn a_read_mark_saved_now_is_refused_when_the_state_log_is_read_only() {
    let home = TempDir::new().unwrap();
    fs::write(home.path().join("state.log"), "tidings-state 3\n").unwrap();
    let (mut s, _) = Store::open(home.path());
    assert!(matches!(
        s.set_read_now(X, true),
        Err(StoreError::ReadOnly(why)) if why.contains("newer")
    ));
    assert!(!s.is_read(X));
}

/// A hand-edited file: a full entry, one without a title, one with only a
/// path, and three slips (no id or path, not an object, a number for a
/// title), plus a field of the user's own at the top.
const HAND_EDITED: &str = r#"{
  "version": 1,
  "mine": "kept",
  "bookmarks": [
    {"id": "00000000000000aa", "title": "Markets rally", "path": "business/x.txt", "added": "2025-01-01T00:00:00Z"},
    {"id": "00000000000000bb", "path": "sport/y.txt"},
    {"title": "Only a title", "note": "no id, no path"},
    {"path": "world/z.txt"},
    "just text",
    {"id": "00000000000000dd", "title": 5}
  ]
}"#;

#[test]
fn a_hand_edited_bookmarks_file_keeps_every_readable_entry_and_names_the_others() {
    let home = TempDir::new().unwrap();
    let file = home.path().join("bookmarks.json");
    fs::write(&file, HAND_EDITED).unwrap();
    let (mut s, warnings) = Store::open(home.path());
    let paths: Vec<&str> = s.bookmarks().iter().map(|b| b.path.as_str()).collect();
    assert_eq!(paths, ["business/x.txt", "sport/y.txt", "world/z.txt"]);
    assert_eq!(s.bookmarks()[1].title, "", "a missing title is empty");
    assert!(s.is_bookmarked(Y));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    for said in ["3 of 6", "entry 3", "entry 5", "entry 6", "kept"] {
        assert!(warnings[0].contains(said), "{said:?} in {warnings:?}");
    }
    assert!(!names(home.path()).iter().any(|n| n.contains(".corrupt-")));

    // A save keeps every entry, the unreadable ones as they were, in place.
    s.add_bookmark_now(&meta(Z, "New", "world/new.txt"))
        .unwrap();
    s.remove_bookmark_now(X).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&fs::read(&file).unwrap()).unwrap();
    let was: serde_json::Value = serde_json::from_str(HAND_EDITED).unwrap();
    let entries = v["bookmarks"].as_array().unwrap();
    assert_eq!(entries.len(), 6, "{v:#}");
    assert_eq!(v["mine"], "kept");
    // X removed, a new one added at the end; each slip after the same
    // entry as before.
    assert_eq!(entries[0]["id"], Y);
    assert_eq!(entries[1], was["bookmarks"][2]);
    assert_eq!(entries[2]["path"], "world/z.txt");
    assert_eq!(entries[3], was["bookmarks"][4]);
    assert_eq!(entries[4], was["bookmarks"][5]);
    assert_eq!(entries[5]["id"], Z);
    let (again, warnings) = Store::open(home.path());
    assert_eq!(again.bookmarks().len(), 3);
    assert!(warnings[0].contains("3 of 6"), "{warnings:?}");
}

#[test]
fn a_bookmark_with_only_a_path_is_found_by_it_and_removed_alone() {
    let home = TempDir::new().unwrap();
    let file = home.path().join("bookmarks.json");
    fs::write(
        &file,
        r#"{"version": 1, "bookmarks": [{"path": "business/x.txt"}, {"path": "sport/y.txt"}]}"#,
    )
    .unwrap();
    let mut s = open(home.path());
    let library = Library::from_articles(Origin::Disk(vec![]), vec![x(), y()]);
    let r = s.resolve_bookmarks(&library);
    assert_eq!(r[1].article_index, Some(1));
    assert_eq!(r[1].matched_by, Some(Match::Path));
    assert!(
        !s.add_bookmark_now(&y()).unwrap(),
        "already bookmarked by path"
    );
    assert!(s.remove_bookmark_now(r[1].bookmark.key()).unwrap());
    let left: Vec<&str> = s.bookmarks().iter().map(|b| b.path.as_str()).collect();
    assert_eq!(left, ["business/x.txt"], "only that one removed");
    assert_eq!(open(home.path()).bookmarks().len(), 1);
}

#[test]
fn a_state_log_with_crlf_line_endings_is_read() {
    let home = TempDir::new().unwrap();
    let log = home.path().join("state.log");
    let crlf = format!("tidings-state 1\r\nr {X}\r\np {Y} 4\r\n");
    fs::write(&log, &crlf).unwrap();
    let (mut s, warnings) = Store::open(home.path());
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(s.is_read(X));
    assert_eq!(s.position(Y), Some(4));
    assert!(!names(home.path()).iter().any(|n| n.contains(".corrupt-")));
    s.set_read_now(Z, true).unwrap();
    let s = open(home.path());
    assert!(s.is_read(X) && s.is_read(Z) && s.position(Y) == Some(4));
}

#[test]
fn a_version_1_state_log_loads_and_becomes_version_2_when_a_story_is_hidden() {
    let home = TempDir::new().unwrap();
    let log = home.path().join("state.log");
    fs::write(&log, format!("tidings-state 1\nr {X}\np {Y} 4\n")).unwrap();
    let mut s = open(home.path());
    assert!(s.is_read(X) && s.position(Y) == Some(4));
    // A read mark keeps the file readable by the version that wrote it.
    s.set_read_now(Z, true).unwrap();
    assert!(
        fs::read_to_string(&log)
            .unwrap()
            .starts_with("tidings-state 1\n")
    );
    s.set_hide_now(Y, Some(Hide::Hidden)).unwrap();
    let text = fs::read_to_string(&log).unwrap();
    assert!(text.starts_with("tidings-state 2\n"), "{text}");
    let mut s = open(home.path());
    assert_eq!((s.hide(Y), s.hide(X)), (Some(Hide::Hidden), None));
    assert!(s.is_read(X) && s.is_read(Z) && s.position(Y) == Some(4));
    assert_eq!(s.hides(), [(Y.to_string(), Hide::Hidden)]);
    s.set_hide_now(Y, None).unwrap();
    s.set_hide_now(X, Some(Hide::Shown)).unwrap();
    let s = open(home.path());
    assert_eq!(s.hides(), [(X.to_string(), Hide::Shown)]);
}

#[test]
fn a_hide_saved_now_is_refused_when_the_state_log_is_newer() {
    let home = TempDir::new().unwrap();
    let log = home.path().join("state.log");
    fs::write(&log, "tidings-state 3\n").unwrap();
    let (mut s, _) = Store::open(home.path());
    let refused = s.set_hide_now(X, Some(Hide::Hidden));
    assert!(matches!(refused, Err(StoreError::ReadOnly(_))));
    assert_eq!(s.hide(X), None);
    assert_eq!(fs::read_to_string(&log).unwrap(), "tidings-state 3\n");
}
