//! `tidings search` kept fresh by folder: added, removed and renamed files
//! are seen at once without a walk, hits are checked before they are
//! printed, and `--fresh` checks every file.

use crate::common::{printed_titles as titles, run, search_lib as search, tidings, write_tree};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use tempfile::TempDir;

fn library() -> TempDir {
    let home = TempDir::new().unwrap();
    write_tree(
        home.path(),
        &[
            (
                "lib/tech/net.txt",
                b"Broadband soars\n\nFibre to every table.",
            ),
            (
                "lib/sport/run.txt",
                b"Marathon record\n\nA runner wins in the rain.",
            ),
            (
                "lib/sport/football/cup.txt",
                b"Cup final tonight\n\nThe pitch is wet.",
            ),
        ],
    );
    home
}

/// Every folder under (and including) `dir`.
fn folders(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(folders(&p));
        }
    }
    out
}

/// Index the library, then make every folder's mtime an hour old and let a
/// search record it: as a library looks after a while. (A folder changed
/// in the last seconds is listed at every search, so a test that wants to
/// see one listed only when it changed needs old folders.)
fn indexed_and_settled(home: &Path) {
    let (code, _, err) = search(home, &["x"]);
    assert_eq!(code, 0, "{err}");
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    for dir in folders(&home.join("lib")) {
        let f = std::fs::File::open(&dir).unwrap();
        f.set_modified(hour_ago).unwrap();
    }
    // The full check records the folders' (now old) times.
    let (code, _, err) = search(home, &["--fresh", "x"]);
    assert_eq!(code, 0, "{err}");
}

fn manifest(home: &Path) -> PathBuf {
    let index = std::fs::read_dir(home.join("cache/index"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .unwrap();
    index.join("tidings-manifest")
}

#[test]
fn an_added_file_is_found_by_the_next_plain_search() {
    let home = library();
    indexed_and_settled(home.path());
    write_tree(
        home.path(),
        &[("lib/tech/zebra.txt", b"Zebra news\n\nA zebra crossing.")],
    );
    let (code, out, err) = search(home.path(), &["zebra"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(titles(&out), ["Zebra news"]);
    assert!(err.contains("1 added, 0 changed, 0 removed"), "{err}");
}

#[test]
fn a_removed_file_is_no_longer_printed() {
    let home = library();
    indexed_and_settled(home.path());
    std::fs::remove_file(home.path().join("lib/sport/run.txt")).unwrap();
    let (code, out, err) = search(home.path(), &["marathon OR cup"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(titles(&out), ["Cup final tonight"]);
    assert!(err.contains("0 added, 0 changed, 1 removed"), "{err}");
}

#[test]
fn a_renamed_file_is_printed_under_its_new_path() {
    let home = library();
    indexed_and_settled(home.path());
    let lib = home.path().join("lib");
    std::fs::rename(lib.join("sport/run.txt"), lib.join("sport/marathon.txt")).unwrap();
    let (code, out, err) = search(home.path(), &["--json", "marathon"]);
    assert_eq!(code, 0, "{err}");
    let hits: Value = serde_json::from_str(&out).unwrap();
    let paths: Vec<&str> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["sport/marathon.txt"]);
}

#[test]
fn a_file_moved_into_a_new_subfolder_is_seen_with_its_category() {
    let home = library();
    indexed_and_settled(home.path());
    let lib = home.path().join("lib");
    std::fs::create_dir_all(lib.join("sport/athletics/road")).unwrap();
    write_tree(
        &lib,
        &[(
            "sport/athletics/road/ten.txt",
            b"Ten k road race\n\nA zebra ran.",
        )],
    );
    let (code, out, err) = search(home.path(), &["--json", "zebra"]);
    assert_eq!(code, 0, "{err}");
    let hits: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(hits[0]["path"], "sport/athletics/road/ten.txt");
    assert_eq!(hits[0]["category"], "sport/athletics/road");
    // And the new folders are watched from now on.
    write_tree(
        &lib,
        &[("sport/athletics/road/five.txt", b"Five k\n\nAnother zebra.")],
    );
    let (_, out, _) = search(home.path(), &["zebra"]);
    assert_eq!(titles(&out), ["Five k", "Ten k road race"]);
}

#[test]
fn a_file_edited_in_place_is_missed_by_plain_and_found_by_fresh_and_then_by_plain() {
    let home = library();
    indexed_and_settled(home.path());
    // Writing into an existing file leaves its folder's mtime as it was.
    let run = home.path().join("lib/sport/run.txt");
    std::fs::write(&run, "Marathon record\n\nA zebra wins in the rain.").unwrap();
    // Not seen: the plain search did not stat every file (what keeps it
    // fast), and the file was no hit to check.
    let (code, out, err) = search(home.path(), &["zebra"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "{out}");
    let (code, out, err) = search(home.path(), &["--fresh", "zebra"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(titles(&out), ["Marathon record"]);
    let (_, out, _) = search(home.path(), &["zebra"]);
    assert_eq!(titles(&out), ["Marathon record"]);
}

#[test]
fn a_hit_whose_file_changed_after_indexing_is_indexed_again_before_printing() {
    let home = library();
    indexed_and_settled(home.path());
    // Edited in place (its folder unchanged), still matching the query.
    let run = home.path().join("lib/sport/run.txt");
    std::fs::write(
        &run,
        "Marathon abandoned\n\nNo runner finished in the rain.",
    )
    .unwrap();
    let (code, out, err) = search(home.path(), &["rain"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(titles(&out), ["Marathon abandoned"]);
    assert!(err.contains("0 added, 1 changed, 0 removed"), "{err}");
    // A hit that no longer matches once indexed again is not printed.
    std::fs::write(
        &run,
        "Marathon abandoned\n\nNo runner finished in the snow.",
    )
    .unwrap();
    let (_, out, _) = search(home.path(), &["rain"]);
    assert!(out.is_empty(), "{out}");
}

#[test]
fn a_damaged_manifest_still_gives_the_right_results_and_is_rebuilt() {
    let home = library();
    indexed_and_settled(home.path());
    let file = manifest(home.path());
    let good = std::fs::read(&file).unwrap();
    std::fs::write(&file, &good[..good.len() / 2]).unwrap();
    write_tree(
        home.path(),
        &[("lib/tech/zebra.txt", b"Zebra news\n\nA zebra crossing.")],
    );
    std::fs::remove_file(home.path().join("lib/sport/run.txt")).unwrap();
    let (code, out, err) = search(home.path(), &["zebra OR marathon"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(titles(&out), ["Zebra news"]);
    let rebuilt = std::fs::read(&file).unwrap();
    assert!(rebuilt.starts_with(b"TIDMANI\0"));
    assert!(rebuilt.len() > good.len() / 2);
    // Nothing left to do: the next search changes nothing.
    let (_, out, err) = search(home.path(), &["zebra OR marathon"]);
    assert_eq!(titles(&out), ["Zebra news"]);
    assert!(!err.contains("updated"), "{err}");
}

#[test]
fn a_file_added_to_the_second_of_two_libraries_is_found() {
    let home = library();
    write_tree(
        home.path(),
        &[("more/arts/film.txt", b"Film review\n\nA quiet film.")],
    );
    let both = |args: &[&str]| {
        run(tidings(home.path())
            .args(["search", "-l", "lib", "-l", "more"])
            .args(args))
    };
    let (code, out, err) = both(&["film"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(titles(&out), ["Film review"]);
    write_tree(
        home.path(),
        &[("more/arts/play.txt", b"Play review\n\nA loud film.")],
    );
    let (_, out, _) = both(&["--json", "loud"]);
    let hits: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(hits[0]["path"], "arts/play.txt");
    assert_eq!(hits[0]["category"], "arts");
}

#[test]
fn a_new_copy_of_an_indexed_story_is_listed_once() {
    let home = library();
    indexed_and_settled(home.path());
    let text = std::fs::read(home.path().join("lib/tech/net.txt")).unwrap();
    write_tree(home.path(), &[("lib/sport/net-again.txt", &text)]);
    let (code, out, err) = search(home.path(), &["broadband"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(titles(&out), ["Broadband soars"]);
    assert!(!err.contains("unreadable"), "a copy is no failure: {err}");
    let (_, out, _) = search(home.path(), &["--fresh", "broadband"]);
    assert_eq!(titles(&out), ["Broadband soars"]);
    // A rename keeps the story (the same text under a new name).
    let lib = home.path().join("lib");
    std::fs::rename(lib.join("tech/net.txt"), lib.join("tech/net2.txt")).unwrap();
    let (_, out, _) = search(home.path(), &["broadband"]);
    assert_eq!(titles(&out), ["Broadband soars"]);
}
