//! The index's life: reconcile with changed files, repair, concurrency, and
//! the `search` command's output.

use crate::common::{printed_titles as titles, run, search_lib as search, tidings, write_tree};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tempfile::TempDir;
use tidings::library::{Library, LoadOptions};
use tidings::search::{self, NoMarks, Notice, SearchError, SearchIndex};

fn library() -> TempDir {
    let home = TempDir::new().unwrap();
    write_tree(
        home.path(),
        &[
            (
                "lib/tech/net.txt",
                "Broadband soars\n\nThe café serves broadband to every table.".as_bytes(),
            ),
            (
                "lib/sport/football/cup.txt",
                b"Cup final tonight\n\nThe mobile phone network was busy.",
            ),
            (
                "lib/sport/run.txt",
                b"Marathon record\n\nA phone mobile in the pocket of the winner.",
            ),
        ],
    );
    home
}

fn index_dirs(home: &Path) -> Vec<PathBuf> {
    let root = home.join("cache/index");
    std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect()
}

#[test]
fn search_prints_id_score_title_best_first() {
    let home = library();
    let (code, out, err) = search(home.path(), &["broadband"]);
    assert_eq!(code, 0, "{err}");
    let cols: Vec<&str> = out.lines().next().unwrap().split('\t').collect();
    assert_eq!(cols.len(), 3);
    assert_eq!(cols[0].len(), 16);
    assert!(cols[1].parse::<f32>().unwrap() > 0.0);
    assert_eq!(cols[2], "Broadband soars");
    assert!(err.contains("building the search index"), "{err}");
}

#[test]
fn json_has_the_documented_fields_and_a_snippet() {
    let home = library();
    let (code, out, err) = search(home.path(), &["--json", "cafe"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let hit = &v.as_array().unwrap()[0];
    assert_eq!(hit["title"], "Broadband soars");
    assert_eq!(hit["category"], "tech");
    // Relative to the library root, as `list --json` prints it.
    assert_eq!(hit["path"], "tech/net.txt");
    assert!(hit["score"].as_f64().unwrap() > 0.0);
    assert!(hit["snippet"].as_str().unwrap().contains("café serves"));
    assert_eq!(hit["id"].as_str().unwrap().len(), 16);
}

#[test]
fn query_language_on_the_command_line() {
    let home = library();
    let (_, out, _) = search(home.path(), &["category:sport"]);
    assert_eq!(titles(&out), ["Cup final tonight", "Marathon record"]);
    let (_, out, _) = search(home.path(), &["\"mobile phone\""]);
    assert_eq!(titles(&out), ["Cup final tonight"]);
    let (_, out, _) = search(home.path(), &["--", "-broadband", "the"]);
    assert_eq!(titles(&out), ["Cup final tonight", "Marathon record"]);
    let (_, out, _) = search(home.path(), &["cafe OR marathon", "--limit", "1"]);
    assert_eq!(out.lines().count(), 1);
}

#[test]
fn invalid_query_is_read_as_words_with_a_note() {
    let home = library();
    let (code, out, err) = search(home.path(), &["writer:broadband"]);
    assert_eq!(code, 0);
    assert!(err.contains("unknown field writer:"), "{err}");
    assert!(out.is_empty(), "no article has the word 'writer': {out}");
    let (code, out, err) = search(home.path(), &["\"mobile phone"]);
    assert_eq!(code, 0);
    assert!(err.contains("unbalanced quote"), "{err}");
    assert_eq!(titles(&out), ["Cup final tonight", "Marathon record"]);
}

#[test]
fn reconcile_picks_up_added_changed_and_deleted_files() {
    let home = library();
    let lib = home.path().join("lib");
    search(home.path(), &["x"]);
    write_tree(
        &lib,
        &[("tech/new.txt", b"Zebra news\n\nA zebra crossing.")],
    );
    std::fs::write(
        lib.join("tech/net.txt"),
        "Narrowband sinks\n\nDial-up is back, and longer than before.",
    )
    .unwrap();
    std::fs::remove_file(lib.join("sport/run.txt")).unwrap();
    let (code, out, err) = search(home.path(), &["zebra"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(titles(&out), ["Zebra news"]);
    assert!(err.contains("1 added, 1 changed, 1 removed"), "{err}");
    let (_, out, err) = search(home.path(), &["broadband OR marathon OR narrowband"]);
    assert_eq!(titles(&out), ["Narrowband sinks"]);
    assert!(!err.contains("updated"), "nothing changed since: {err}");
}

#[test]
fn damaged_index_is_rebuilt_with_a_message() {
    for damage in ["garbage", "truncate"] {
        let home = library();
        search(home.path(), &["x"]);
        let dir = &index_dirs(home.path())[0];
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if name == "tidings-format" || name.starts_with('.') {
                continue;
            }
            let len = std::fs::metadata(&p).unwrap().len() as usize;
            let bytes = match damage {
                "garbage" => vec![b'#'; len],
                _ => std::fs::read(&p).unwrap()[..len / 2].to_vec(),
            };
            std::fs::write(&p, bytes).unwrap();
        }
        let (code, out, err) = search(home.path(), &["broadband"]);
        assert_eq!(code, 0, "{damage}: {err}");
        assert_eq!(titles(&out), ["Broadband soars"], "{damage}: {err}");
        assert!(
            err.contains("rebuilding the search index"),
            "{damage}: {err}"
        );
        let (_, _, err) = search(home.path(), &["broadband"]);
        assert!(!err.contains("rebuilding"), "repaired for good: {err}");
    }
}

#[test]
fn index_of_another_format_is_rebuilt() {
    let home = library();
    search(home.path(), &["x"]);
    let dir = &index_dirs(home.path())[0];
    std::fs::write(dir.join("tidings-format"), "tidings search index 0\n").unwrap();
    let (code, out, err) = search(home.path(), &["cafe"]);
    assert_eq!(code, 0);
    assert_eq!(titles(&out), ["Broadband soars"]);
    assert!(err.contains("another format"), "{err}");
}

#[test]
fn one_index_per_library_however_it_is_named() {
    let home = library();
    search(home.path(), &["x"]);
    let abs = home.path().join("lib/");
    run(tidings(home.path()).args(["search", "x", "-l"]).arg(&abs));
    assert_eq!(index_dirs(home.path()).len(), 1);
    run(tidings(home.path()).args(["search", "x", "-l", "lib/tech"]));
    assert_eq!(index_dirs(home.path()).len(), 2);
}

#[test]
fn two_processes_on_one_library_both_answer() {
    let home = TempDir::new().unwrap();
    let files: Vec<(String, Vec<u8>)> = (0..400)
        .map(|i| {
            let body = format!("Story {i}\n\nNumber {i} of many; every one mentions quokkas.");
            (format!("lib/f/{i}.txt"), body.into_bytes())
        })
        .collect();
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    write_tree(home.path(), &refs);
    let spawn = || {
        tidings(home.path())
            .args(["search", "-l", "lib", "--limit", "1000", "quokkas"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).lines().count(),
            400,
            "{err}"
        );
        assert!(!err.contains("rebuilding"), "{err}");
    }
}

#[test]
fn second_opener_searches_read_only() {
    let home = library();
    let lib = Library::load(&[home.path().join("lib")], LoadOptions::default()).unwrap();
    let cache = home.path().join("cache");
    let (first, notices) = SearchIndex::open_or_build(&cache, &lib).unwrap();
    assert!(first.is_writable());
    assert_eq!(notices[0], Notice::Created);
    let (second, notices) = SearchIndex::open_or_build(&cache, &lib).unwrap();
    assert!(!second.is_writable());
    assert_eq!(notices, [Notice::ReadOnly]);
    let q = search::parse("broadband");
    assert_eq!(second.search(&q, 10, &NoMarks).unwrap().total, 1);
    let plan = second.plan(&[]).unwrap();
    assert!(matches!(
        second.apply(&[], &plan, |_| None, |_| {}),
        Err(SearchError::ReadOnly)
    ));
    drop(first);
    let key = search::location::library_key(&lib);
    let (third, _) = SearchIndex::open(&cache, &key, Duration::ZERO).unwrap();
    assert!(third.is_writable());
}

#[test]
fn background_updates_become_searchable_batch_by_batch() {
    let home = library();
    let lib = Library::load(&[home.path().join("lib")], LoadOptions::default()).unwrap();
    let key = search::location::library_key(&lib);
    let (index, _) = SearchIndex::open(&home.path().join("cache"), &key, Duration::ZERO).unwrap();
    let files: Vec<_> = lib
        .articles()
        .iter()
        .map(|m| search::FileState::new(&m.path, m.size, m.mtime))
        .collect();
    let plan = index.plan(&files).unwrap();
    assert_eq!((plan.index.len(), plan.new), (3, 3));
    let index = std::sync::Arc::new(index);
    let worker = {
        let index = index.clone();
        let lib = lib.clone();
        std::thread::spawn(move || {
            index
                .apply(
                    &files,
                    &plan,
                    |i| lib.article(&lib.articles()[i]).ok(),
                    |_| {},
                )
                .unwrap()
        })
    };
    let summary = worker.join().unwrap();
    assert_eq!(summary.added, 3);
    assert_eq!(index.len(), 3);
    let r = index.search(&search::parse("phone"), 10, &NoMarks).unwrap();
    assert_eq!(r.total, 2);
}

#[test]
fn cached_searches_the_index_as_it_is() {
    let home = library();
    // No index yet: --cached builds one all the same.
    let (code, out, err) = search(home.path(), &["--cached", "cafe"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(titles(&out), ["Broadband soars"]);
    write_tree(
        &home.path().join("lib"),
        &[("tech/new.txt", b"Zebra news\n\nA zebra crossing.")],
    );
    let (_, out, _) = search(home.path(), &["--cached", "zebra"]);
    assert!(out.is_empty(), "not looked for: {out}");
    let (_, out, _) = search(home.path(), &["zebra"]);
    assert_eq!(titles(&out), ["Zebra news"]);
}

#[test]
fn a_plan_lists_changed_files_before_new_ones_and_applying_it_keeps_one_document_each() {
    let home = library();
    let root = home.path().join("lib");
    let key_lib = Library::load(std::slice::from_ref(&root), LoadOptions::default()).unwrap();
    let key = search::location::library_key(&key_lib);
    let (index, _) = SearchIndex::open(&home.path().join("cache"), &key, Duration::ZERO).unwrap();
    let states = |lib: &Library| -> Vec<search::FileState> {
        lib.articles()
            .iter()
            .map(|m| search::FileState::new(&m.path, m.size, m.mtime))
            .collect()
    };
    index
        .sync(&states(&key_lib), |i| {
            key_lib.article(&key_lib.articles()[i]).ok()
        })
        .unwrap();
    // One file edited (a different size), one added.
    write_tree(
        home.path(),
        &[
            (
                "lib/sport/run.txt",
                b"Marathon record\n\nA wombat ran the whole way.",
            ),
            (
                "lib/arts/new.txt",
                b"Gallery opens\n\nPaintings and a phone.",
            ),
        ],
    );
    let lib = Library::load(std::slice::from_ref(&root), LoadOptions::default()).unwrap();
    let files = states(&lib);
    let plan = index.plan(&files).unwrap();
    let titles_of = |positions: &[usize]| -> Vec<&str> {
        positions
            .iter()
            .map(|&i| lib.articles()[i].title())
            .collect()
    };
    assert_eq!(plan.new, 1);
    assert_eq!(titles_of(&plan.index), ["Marathon record", "Gallery opens"]);
    let summary = index
        .apply(
            &files,
            &plan,
            |i| lib.article(&lib.articles()[i]).ok(),
            |_| {},
        )
        .unwrap();
    assert_eq!((summary.added, summary.updated), (1, 1));
    assert_eq!(index.len(), 4);
    for (query, hits) in [("wombat", 1), ("pocket", 0), ("phone", 2), ("marathon", 1)] {
        let found = index.search(&search::parse(query), 10, &NoMarks).unwrap();
        assert_eq!(found.total, hits, "{query}");
    }
}
