//! `tidings bookmarks` and the store behind it, through the binary: round
//! trips, damaged and newer files, libraries that move and change.

use crate::common::{run, tidings, write_tree};
use serde_json::Value;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

const ALPHA: &[u8] = b"Alpha headline\n\nAlpha body, first paragraph.\n\nSecond paragraph.";
const BETA: &[u8] = b"Beta headline\n\nBeta body.";
const GAMMA: &[u8] = b"Gamma headline\n\nGamma body about *markets*.";

fn id_of(bytes: &[u8]) -> String {
    tidings::library::parse_bytes(bytes, tidings::article::Format::Text)
        .unwrap()
        .id()
}

/// A home with a library of three articles in two categories.
fn home() -> TempDir {
    let home = TempDir::new().unwrap();
    write_tree(
        home.path(),
        &[
            ("lib/world/alpha.txt", ALPHA),
            ("lib/world/beta.txt", BETA),
            ("lib/business/gamma.txt", GAMMA),
        ],
    );
    home
}

fn ok(home: &Path, args: &[&str]) -> String {
    let (code, out, err) = run(tidings(home).args(args));
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

fn listed(home: &Path, lib: &str) -> Vec<Value> {
    let out = ok(home, &["bookmarks", "--json", "-l", lib]);
    serde_json::from_str::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn bookmarks_file(home: &Path) -> Value {
    serde_json::from_slice(&fs::read(home.join("data/bookmarks.json")).unwrap()).unwrap()
}

#[test]
fn add_list_remove_round_trip() {
    let home = home();
    let h = home.path();
    let alpha = id_of(ALPHA);
    let out = ok(
        h,
        &[
            "bookmarks",
            "add",
            "-l",
            "lib",
            &alpha[..6],
            "world/beta.txt",
        ],
    );
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(
        out.starts_with(&format!("bookmarked\t{alpha}\tAlpha headline")),
        "{out}"
    );
    let again = ok(h, &["bookmarks", "add", "-l", "lib", &alpha]);
    assert!(again.starts_with("already bookmarked"), "{again}");

    let text = ok(h, &["bookmarks", "-l", "lib"]);
    assert_eq!(
        text,
        format!(
            "{alpha}\tworld/alpha.txt\tAlpha headline\n{}\tworld/beta.txt\tBeta headline\n",
            id_of(BETA)
        )
    );
    let items = listed(h, "lib");
    assert_eq!(items.len(), 2);
    for field in ["id", "title", "path", "added", "missing"] {
        assert!(items[0].get(field).is_some(), "missing {field}");
    }
    assert_eq!(items[0]["missing"], false);
    let added = items[0]["added"].as_str().unwrap();
    assert!(humantime::parse_rfc3339(added).is_ok(), "{added}");

    let file = bookmarks_file(h);
    assert_eq!(file["version"], 1);
    assert_eq!(file["bookmarks"][1]["path"], "world/beta.txt");

    let out = ok(h, &["bookmarks", "remove", "-l", "lib", &alpha[..5]]);
    assert!(out.starts_with(&format!("removed\t{alpha}")), "{out}");
    let left: Vec<String> = listed(h, "lib")
        .iter()
        .map(|i| i["id"].to_string())
        .collect();
    assert_eq!(left, [format!("\"{}\"", id_of(BETA))]);
}

#[test]
fn a_failed_add_saves_nothing() {
    let home = home();
    let h = home.path();
    let (code, _, err) =
        run(tidings(h).args(["bookmarks", "add", "-l", "lib", &id_of(ALPHA), "ffffffff"]));
    assert_eq!(code, 1);
    assert!(err.contains("no article matches 'ffffffff'"), "{err}");
    assert!(!h.join("data/bookmarks.json").exists());
    let (code, _, err) =
        run(tidings(h).args(["bookmarks", "remove", "-l", "lib", "world/alpha.txt"]));
    assert_eq!(code, 1);
    assert!(err.contains("not bookmarked"), "{err}");
}

#[test]
fn list_json_and_show_json_report_bookmarked_and_read() {
    let home = home();
    let h = home.path();
    ok(h, &["bookmarks", "add", "-l", "lib", "world/alpha.txt"]);
    let (mut store, _) = tidings::store::Store::open(&h.join("data"));
    store.set_read(&id_of(BETA), true);
    store.flush().unwrap();
    drop(store);

    let all: Value = serde_json::from_str(&ok(h, &["list", "--json", "-l", "lib"])).unwrap();
    let flags = |title: &str| {
        let a = all
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"] == title)
            .unwrap();
        (
            a["bookmarked"].as_bool().unwrap(),
            a["read"].as_bool().unwrap(),
        )
    };
    assert_eq!(flags("Alpha headline"), (true, false));
    assert_eq!(flags("Beta headline"), (false, true));
    assert_eq!(flags("Gamma headline"), (false, false));
    let one: Value =
        serde_json::from_str(&ok(h, &["show", "--json", "-l", "lib", "world/alpha.txt"])).unwrap();
    assert_eq!(
        (one["bookmarked"].as_bool(), one["read"].as_bool()),
        (Some(true), Some(false))
    );
}

#[test]
fn bookmarks_follow_a_moved_edited_or_renamed_library_and_keep_the_missing() {
    let home = home();
    let h = home.path();
    ok(
        h,
        &[
            "bookmarks",
            "add",
            "-l",
            "lib",
            &id_of(ALPHA),
            &id_of(BETA),
            &id_of(GAMMA),
        ],
    );
    // The library moves; alpha is edited in place; beta is edited and
    // renamed; gamma is deleted.
    fs::rename(h.join("lib"), h.join("moved")).unwrap();
    fs::write(
        h.join("moved/world/alpha.txt"),
        b"Alpha headline, revised\n\nNew body.",
    )
    .unwrap();
    fs::remove_file(h.join("moved/world/beta.txt")).unwrap();
    fs::write(
        h.join("moved/world/beta-2.txt"),
        b"Beta headline\n\nBeta body, corrected.",
    )
    .unwrap();
    fs::remove_file(h.join("moved/business/gamma.txt")).unwrap();

    let items = listed(h, "moved");
    let missing: Vec<bool> = items
        .iter()
        .map(|i| i["missing"].as_bool().unwrap())
        .collect();
    assert_eq!(missing, [false, false, true]);
    assert_eq!(items[2]["title"], "Gamma headline", "kept, not dropped");
    let text = ok(h, &["bookmarks", "-l", "moved"]);
    assert!(
        text.lines().nth(2).unwrap().ends_with("\tmissing"),
        "{text}"
    );
    assert_eq!(bookmarks_file(h)["bookmarks"].as_array().unwrap().len(), 3);

    let all: Value = serde_json::from_str(&ok(h, &["list", "--json", "-l", "moved"])).unwrap();
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .all(|a| a["bookmarked"] == true)
    );

    // A missing article's bookmark can still be removed, by id or path.
    ok(
        h,
        &["bookmarks", "remove", "-l", "moved", "business/gamma.txt"],
    );
    assert_eq!(listed(h, "moved").len(), 2);
    // And an edited article's bookmark by the article's new path.
    ok(
        h,
        &["bookmarks", "remove", "-l", "moved", "world/beta-2.txt"],
    );
    assert_eq!(listed(h, "moved").len(), 1);
}

#[test]
fn export_writes_a_reading_list() {
    let home = home();
    let h = home.path();
    ok(
        h,
        &[
            "bookmarks",
            "add",
            "-l",
            "lib",
            "business/gamma.txt",
            "world/alpha.txt",
        ],
    );
    fs::remove_file(h.join("lib/world/alpha.txt")).unwrap();
    let md = ok(h, &["bookmarks", "export", "-l", "lib"]);
    let lines: Vec<&str> = md.lines().collect();
    assert_eq!(lines[0], "# Reading list");
    // One path form for found and missing articles: library-relative.
    assert_eq!(
        lines[2], "- **Gamma headline** · business · `business/gamma.txt`",
        "{md}"
    );
    assert_eq!(
        lines[3],
        "- **Alpha headline** · world · `world/alpha.txt` · *missing*"
    );

    let json: Value = serde_json::from_str(&ok(
        h,
        &["bookmarks", "export", "--format", "json", "-l", "lib"],
    ))
    .unwrap();
    let first = &json[0];
    assert_eq!(first["title"], "Gamma headline");
    assert_eq!(first["category"], "business");
    assert_eq!(first["path"], "business/gamma.txt");
    assert_eq!(first["missing"], false);
    assert_eq!(json[1]["missing"], true);

    let (code, _, err) = run(tidings(h).args(["bookmarks", "export", "--format", "html"]));
    assert_eq!(code, 2, "{err}");
}

#[test]
fn damaged_bookmark_files_are_moved_aside_and_the_command_carries_on() {
    let truncated = br#"{"version": 1, "bookmarks": [{"id": "abc"#;
    let cases: [(&str, &[u8]); 5] = [
        ("empty", b""),
        ("truncated", truncated),
        ("nul-filled", &[0u8; 512]),
        (
            "invalid utf-8",
            b"{\"version\": 1, \"bookmarks\": [\xff\xfe]}",
        ),
        ("not json", b"bookmarks: none"),
    ];
    for (what, bytes) in cases {
        let home = home();
        let h = home.path();
        write_tree(h, &[("data/bookmarks.json", bytes)]);
        let (code, out, err) = run(tidings(h).args(["bookmarks", "-l", "lib"]));
        assert_eq!(code, 0, "{what}: {err}");
        assert_eq!(out, "", "{what}");
        assert!(
            err.contains("warning") && err.contains("damaged") && err.contains("moved it to"),
            "{what}: {err}"
        );
        let aside = kept_aside(h, "bookmarks.json");
        assert_eq!(aside.len(), 1, "{what}");
        assert_eq!(
            fs::read(aside[0].path()).unwrap(),
            bytes,
            "{what}: kept as it was"
        );
        ok(h, &["bookmarks", "add", "-l", "lib", "world/beta.txt"]);
        assert_eq!(listed(h, "lib").len(), 1, "{what}");
    }
}

#[test]
fn a_newer_bookmarks_file_is_never_touched() {
    let home = home();
    let h = home.path();
    let newer = br#"{"version": 2, "bookmarks": [], "collections": []}"#;
    write_tree(h, &[("data/bookmarks.json", newer)]);
    let (code, _, err) = run(tidings(h).args(["bookmarks", "add", "-l", "lib", "world/beta.txt"]));
    assert_eq!(code, 1);
    assert!(
        err.contains("newer tidings (version 2)") && err.contains("read-only"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "said once: {err}");
    let (code, _, err) =
        run(tidings(h).args(["bookmarks", "remove", "-l", "lib", "world/beta.txt"]));
    assert_eq!(code, 1, "{err}");
    let (code, _, err) = run(tidings(h).args(["bookmarks", "-l", "lib"]));
    assert_eq!(code, 0);
    assert!(err.contains("newer"), "{err}");
    assert_eq!(fs::read(h.join("data/bookmarks.json")).unwrap(), newer);
}

#[test]
fn search_is_filters_use_the_stored_bookmarks_and_reading_state() {
    let home = home();
    let h = home.path();
    let ids = |query: &str| -> Vec<String> {
        let out = ok(h, &["search", query, "-l", "lib"]);
        let mut ids: Vec<String> = out
            .lines()
            .map(|l| l.split('\t').next().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(ids("is:bookmarked headline"), Vec::<String>::new());
    ok(h, &["bookmarks", "add", &id_of(BETA)[..8], "-l", "lib"]);
    assert_eq!(ids("is:bookmarked headline"), [id_of(BETA)]);
    let mut unread = vec![id_of(ALPHA), id_of(GAMMA)];
    unread.sort();
    assert_eq!(ids("headline -is:bookmarked"), unread);
    assert_eq!(ids("is:read headline"), Vec::<String>::new());
    assert_eq!(ids("is:unread headline").len(), 3);
}

/// The titles `list --json` reports read.
fn read_titles(h: &Path) -> Vec<String> {
    let all: Value = serde_json::from_str(&ok(h, &["list", "--json", "-l", "lib"])).unwrap();
    let mut titles: Vec<String> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["read"] == true)
        .map(|a| a["title"].as_str().unwrap().to_string())
        .collect();
    titles.sort();
    titles
}

#[test]
fn read_only_commands_meeting_a_damaged_state_log_keep_every_read_mark_and_position() {
    let home = home();
    let h = home.path();
    let (alpha, beta, gamma) = (id_of(ALPHA), id_of(BETA), id_of(GAMMA));
    let damaged = format!("tidings-state 1\nr {alpha}\n\0\0garbage\np {beta} 3\nr {gamma}\n");
    write_tree(h, &[("data/state.log", damaged.as_bytes())]);
    for args in [
        &["bookmarks", "-l", "lib"][..],
        &["list", "--json", "-l", "lib"],
        &["search", "headline", "-l", "lib"],
        &["show", "--json", "-l", "lib", "world/beta.txt"],
        &["bookmarks", "export", "-l", "lib"],
    ] {
        let (code, _, err) = run(tidings(h).args(args));
        assert_eq!(code, 0, "{args:?}: {err}");
        assert_eq!(
            read_titles(h),
            ["Alpha headline", "Gamma headline"],
            "after {args:?} ({err})"
        );
    }
    let (store, warnings) = tidings::store::Store::open(&h.join("data"));
    assert!(warnings.is_empty(), "repaired once: {warnings:?}");
    assert_eq!(store.position(&beta), Some(3), "the position survived");
    // The damaged file is kept as it was.
    let aside = kept_aside(h, "state.log");
    assert_eq!(aside.len(), 1);
    assert_eq!(fs::read(aside[0].path()).unwrap(), damaged.as_bytes());
}

#[test]
fn a_slip_in_a_hand_edited_bookmarks_file_hides_no_bookmark_and_loses_no_entry() {
    let home = home();
    let h = home.path();
    let (alpha, beta) = (id_of(ALPHA), id_of(BETA));
    let edited = format!(
        "{{\"version\": 1, \"bookmarks\": [\r\n\
         {{\"id\": \"{alpha}\", \"path\": \"world/alpha.txt\", \"added\": \"2025-01-01T00:00:00Z\"}},\r\n\
         {{\"titel\": \"a slip\"}},\r\n\
         {{\"id\": \"{beta}\", \"title\": \"Beta headline\", \"path\": \"world/beta.txt\", \"added\": \"2025-01-02T00:00:00Z\"}}\r\n\
         ]}}\r\n"
    );
    write_tree(h, &[("data/bookmarks.json", edited.as_bytes())]);
    let (code, out, err) = run(tidings(h).args(["bookmarks", "-l", "lib"]));
    assert_eq!(code, 0, "{err}");
    let ids: Vec<&str> = out.lines().map(|l| l.split('\t').next().unwrap()).collect();
    assert_eq!(ids, [alpha.as_str(), beta.as_str()], "{err}");
    assert!(
        err.contains("warning") && err.contains("entry 2") && err.contains("\"id\" or \"path\""),
        "{err}"
    );
    ok(h, &["bookmarks", "add", "-l", "lib", "business/gamma.txt"]);
    assert_eq!(listed(h, "lib").len(), 3);
    let file = bookmarks_file(h);
    assert_eq!(
        file["bookmarks"][1],
        serde_json::json!({"titel": "a slip"}),
        "kept where it was"
    );
}

#[test]
fn bookmarks_add_finds_files_by_raw_and_cleaned_paths() {
    use std::os::unix::ffi::OsStrExt;
    let home = TempDir::new().unwrap();
    let h = home.path();
    let names: [&[u8]; 3] = [b"line\nbreak.txt", b"esc\x1b[31mape.txt", b"caf\xe9.txt"];
    for (i, name) in names.iter().enumerate() {
        let path = h.join("lib").join(std::ffi::OsStr::from_bytes(name));
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, format!("Headline {i}\n\nBody {i}.")).unwrap();
    }
    // Raw names, relative to the library, not UTF-8 for one of them.
    for name in &names[..2] {
        let (code, out, err) = run(tidings(h)
            .args(["bookmarks", "add", "-l", "lib"])
            .arg(std::ffi::OsStr::from_bytes(name)));
        assert_eq!(code, 0, "{name:?}: {err}");
        assert!(out.starts_with("bookmarked\t"), "{out}");
    }
    let mut raw = b"lib/".to_vec();
    raw.extend_from_slice(names[2]);
    let (code, out, err) = run(tidings(h)
        .args(["bookmarks", "add", "-l", "lib"])
        .arg(std::ffi::OsStr::from_bytes(&raw)));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("bookmarked\t"), "{out}");
    // The cleaned paths the listings print: already bookmarked, all three.
    let (_, out, _) = run(tidings(h).args(["list", "--json", "-l", "lib"]));
    let listed: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(listed.len(), 3);
    for item in &listed {
        let path = item["path"].as_str().unwrap();
        let out = ok(h, &["bookmarks", "add", "-l", "lib", path]);
        assert!(out.starts_with("already bookmarked\t"), "{path:?}: {out}");
    }
    assert_eq!(listed_count(h), 3);
}

fn listed_count(home: &Path) -> usize {
    listed(home, "lib").len()
}

#[test]
fn every_bookmarks_output_shows_the_article_as_it_resolves_now() {
    let home = home();
    let h = home.path();
    ok(
        h,
        &["bookmarks", "add", "-l", "lib", &id_of(ALPHA), &id_of(BETA)],
    );
    // Alpha is edited in place (a new id); beta is moved (a new path).
    let alpha = b"Alpha headline, revised\n\nNew body.";
    fs::write(h.join("lib/world/alpha.txt"), alpha).unwrap();
    fs::create_dir(h.join("lib/archive")).unwrap();
    fs::rename(h.join("lib/world/beta.txt"), h.join("lib/archive/beta.txt")).unwrap();
    let now = [
        (id_of(alpha), "world/alpha.txt", "Alpha headline, revised"),
        (id_of(BETA), "archive/beta.txt", "Beta headline"),
    ];
    // `list --json` prints the same paths.
    let all: Vec<Value> = serde_json::from_str(&ok(h, &["list", "--json", "-l", "lib"])).unwrap();
    for (id, path, _) in &now {
        let item = all.iter().find(|a| a["id"] == id.as_str()).unwrap();
        assert_eq!(item["path"], *path);
    }
    // `bookmarks`
    let text = ok(h, &["bookmarks", "-l", "lib"]);
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    for (row, (id, path, title)) in rows.iter().zip(&now) {
        assert_eq!(row[..], [id.as_str(), path, title], "{text}");
    }
    // `bookmarks --json` and `export --format json`
    for args in [
        &["bookmarks", "--json", "-l", "lib"][..],
        &["bookmarks", "export", "--format", "json", "-l", "lib"],
    ] {
        let items: Vec<Value> = serde_json::from_str(&ok(h, args)).unwrap();
        for (item, (id, path, title)) in items.iter().zip(&now) {
            assert_eq!(
                (&item["id"], &item["path"], &item["title"]),
                (
                    &Value::from(id.as_str()),
                    &Value::from(*path),
                    &Value::from(*title)
                ),
                "{args:?}"
            );
        }
    }
    // The Markdown reading list.
    let md = ok(h, &["bookmarks", "export", "-l", "lib"]);
    assert!(md.contains("· `world/alpha.txt`\n"), "{md}");
    assert!(md.contains("· `archive/beta.txt`\n"), "{md}");
    // What `bookmarks` prints can be shown.
    for (id, path, title) in &now {
        for target in [id.as_str(), path] {
            let shown = ok(h, &["show", "-l", "lib", target]);
            assert!(
                shown.starts_with(&format!("{title}\n")),
                "{target}: {shown}"
            );
        }
    }
}

#[test]
fn identical_files_are_one_story_listed_bookmarked_and_read_once() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    let story: &[u8] = b"Twin headline\n\nThe same words in three places.";
    write_tree(
        h,
        &[
            ("lib/a/story.txt", story),
            ("lib/b/story.txt", story),
            ("lib/c/copy.txt", story),
            ("lib/other.txt", b"Other headline\n\nDifferent words."),
        ],
    );
    let list = |h: &Path| -> (Vec<Value>, String) {
        let (code, out, err) = run(tidings(h).args(["list", "--json", "-l", "lib"]));
        assert_eq!(code, 0, "{err}");
        (serde_json::from_str(&out).unwrap(), err)
    };
    let (items, err) = list(h);
    let mut ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(
        (items.len(), ids.len()),
        (2, 2),
        "one row per story: {items:?}"
    );
    let twin = items
        .iter()
        .find(|i| i["title"] == "Twin headline")
        .unwrap();
    // The story is its first file in library order; the others are
    // reported, not as errors.
    assert_eq!(twin["path"], "a/story.txt");
    for copy in ["lib/b/story.txt", "lib/c/copy.txt"] {
        assert!(
            err.contains(&format!("{copy}: same text as lib/a/story.txt")),
            "{err}"
        );
    }
    // Bookmarking a copy bookmarks the one story.
    let out = ok(h, &["bookmarks", "add", "-l", "lib", "lib/c/copy.txt"]);
    assert!(out.starts_with("bookmarked\t"), "{out}");
    let marks = listed(h, "lib");
    assert_eq!(marks.len(), 1);
    assert_eq!(marks[0]["path"], "a/story.txt");
    let (items, _) = list(h);
    let bookmarked: Vec<&Value> = items.iter().filter(|i| i["bookmarked"] == true).collect();
    assert_eq!(bookmarked.len(), 1);
    // Search finds the story once.
    let (_, found, _) = run(tidings(h).args(["search", "-l", "lib", "same", "words"]));
    assert_eq!(found.lines().count(), 1, "{found}");
    // The story's first file goes: the next copy is the story, still
    // bookmarked (the id names the text).
    fs::remove_file(h.join("lib/a/story.txt")).unwrap();
    let (items, _) = list(h);
    assert_eq!(items.len(), 2);
    let twin = items
        .iter()
        .find(|i| i["title"] == "Twin headline")
        .unwrap();
    assert_eq!(twin["path"], "b/story.txt");
    assert_eq!(twin["bookmarked"], true);
    let (_, found, _) = run(tidings(h).args(["search", "-l", "lib", "same", "words"]));
    assert_eq!(found.lines().count(), 1, "{found}");
}

/// The copies of the data file `name` that were kept aside as damaged.
fn kept_aside(h: &Path, name: &str) -> Vec<fs::DirEntry> {
    let prefix = format!("{name}.corrupt-");
    fs::read_dir(h.join("data"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .collect()
}
