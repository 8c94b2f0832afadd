//! The load cache: a warm start equals a cold one, trusts unchanged files
//! without reading them, and notices every change on disk.

use crate::common::{run, tidings, write_tree};
use std::fs::{File, FileTimes};
use std::path::{Path, PathBuf};
use tempfile::TempDir;
use tidings::library::{Library, LoadEvent, LoadOptions, LoadRequest, cache, load_streaming};

fn library_dir() -> TempDir {
    let dir = TempDir::new().unwrap();
    let mut files = Vec::new();
    for i in 0..40 {
        let body = format!("Headline number {i}\n\nBody of article {i}, with some words.\n");
        files.push((format!("lib/{}/{i:02}.txt", ["a", "b", "c"][i % 3]), body));
    }
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_bytes()))
        .collect();
    write_tree(dir.path(), &refs);
    dir
}

fn load(root: &Path) -> Library {
    Library::load_with_cache(
        &[root.join("lib")],
        LoadOptions::default(),
        Some(root.join("cache")),
    )
    .unwrap()
}

fn events(root: &Path) -> Vec<LoadEvent> {
    let request = LoadRequest {
        inputs: vec![root.join("lib")],
        options: LoadOptions::default(),
        cache_dir: Some(root.join("cache")),
    };
    let mut out = Vec::new();
    load_streaming(&request, &mut |e| out.push(e));
    out
}

/// Rewrite a file with other text of the same size and restore its mtime.
fn rewrite_keeping_stat(path: &Path, text: &str) {
    let old = std::fs::metadata(path).unwrap();
    assert_eq!(old.len() as usize, text.len());
    std::fs::write(path, text).unwrap();
    let f = File::options().write(true).open(path).unwrap();
    f.set_times(FileTimes::new().set_modified(old.modified().unwrap()))
        .unwrap();
}

#[test]
fn warm_start_equals_cold_start() {
    let dir = library_dir();
    let cold = Library::load(&[dir.path().join("lib")], LoadOptions::default()).unwrap();
    let first = load(dir.path());
    let warm = load(dir.path());
    assert_eq!(first.articles(), cold.articles());
    assert_eq!(warm.articles(), cold.articles());
    assert_eq!(warm.len(), 40);
    assert!(warm.progress().done);
}

#[test]
fn warm_start_sends_the_cache_first_and_reads_no_unchanged_file() {
    let dir = library_dir();
    load(dir.path());
    let path = dir.path().join("lib/a/00.txt");
    // Same size, same mtime, other text: a warm start must trust the cache.
    rewrite_keeping_stat(
        &path,
        "Headline NUMBER 0\n\nBody of article 0, with some words.\n",
    );
    let evs = events(dir.path());
    let LoadEvent::Cached(cached) = &evs[0] else {
        panic!("first event is {:?}", evs[0])
    };
    assert_eq!(cached.len(), 40);
    assert!(
        !evs.iter().any(|e| matches!(e, LoadEvent::Loaded(_))),
        "nothing re-read: {evs:?}"
    );
    assert_eq!(evs.last(), Some(&LoadEvent::Done));
    let lib = load(dir.path());
    assert!(
        lib.articles()
            .iter()
            .any(|a| a.title() == "Headline number 0")
    );
}

#[test]
fn changed_added_and_removed_files_are_picked_up() {
    let dir = library_dir();
    let before = load(dir.path());
    let lib = dir.path().join("lib");
    std::fs::write(lib.join("a/00.txt"), "A changed headline\n\nNew body.\n").unwrap();
    std::fs::write(lib.join("b/new.txt"), "A new article\n\nFresh.\n").unwrap();
    std::fs::remove_file(lib.join("c/02.txt")).unwrap();

    let evs = events(dir.path());
    let loaded: Vec<String> = evs
        .iter()
        .filter_map(|e| {
            if let LoadEvent::Loaded(m) = e {
                Some(m)
            } else {
                None
            }
        })
        .flatten()
        .map(|m| m.title().to_string())
        .collect();
    assert_eq!(
        loaded.len(),
        2,
        "only the changed and the new file are read: {loaded:?}"
    );
    assert!(evs.contains(&LoadEvent::Removed(vec![lib.join("c/02.txt")])));

    let after = load(dir.path());
    let cold = Library::load(std::slice::from_ref(&lib), LoadOptions::default()).unwrap();
    assert_eq!(after.articles(), cold.articles());
    assert_eq!(after.len(), before.len());
    assert!(
        after
            .articles()
            .iter()
            .any(|a| a.title() == "A changed headline")
    );
    assert!(
        after
            .articles()
            .iter()
            .any(|a| a.title() == "A new article")
    );
    assert!(!after.articles().iter().any(|a| a.rel_path() == "c/02.txt"));
}

#[test]
fn streamed_library_ends_in_path_order_like_a_cold_load() {
    let dir = library_dir();
    load(dir.path());
    write_tree(
        dir.path(),
        &[("lib/a/000-first.txt", b"Sorted first\n\nBody.")],
    );
    let after = load(dir.path());
    let mut paths: Vec<&PathBuf> = after.articles().iter().map(|a| &a.path).collect();
    let sorted = {
        let mut s = paths.clone();
        s.sort();
        s
    };
    assert_eq!(paths, sorted);
    paths.dedup();
    assert_eq!(paths.len(), 41);
}

#[test]
fn corrupt_or_old_cache_is_rebuilt_with_a_message() {
    let dir = library_dir();
    load(dir.path());
    let file = cache::cache_path(&dir.path().join("cache"), &[dir.path().join("lib")]);
    assert!(file.exists());
    for garbage in [
        b"TIDLOAD\0\x01\0\0\0\xff\xff\xff".as_slice(),
        b"TIDLOAD\0\x09\0\0\0",
        b"nonsense",
    ] {
        std::fs::write(&file, garbage).unwrap();
        let lib = load(dir.path());
        assert_eq!(lib.len(), 40);
        assert_eq!(lib.notices().len(), 1, "{:?}", lib.notices());
        assert!(
            lib.notices()[0].contains("rebuilding"),
            "{:?}",
            lib.notices()
        );
        // The rebuilt cache is good again.
        assert!(load(dir.path()).notices().is_empty());
    }
}

#[test]
fn cli_list_uses_the_cache_and_reports_a_rebuild() {
    let dir = library_dir();
    let (code, cold, _) = run(tidings(dir.path()).args(["list", "-l", "lib"]));
    assert_eq!(code, 0);
    let (_, warm, err) = run(tidings(dir.path()).args(["list", "-l", "lib"]));
    assert_eq!(warm, cold);
    assert_eq!(err, "");
    let cache_dir = dir.path().join("cache/library");
    let file = std::fs::read_dir(&cache_dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::write(&file, b"junk").unwrap();
    let (code, again, err) = run(tidings(dir.path()).args(["list", "-l", "lib"]));
    assert_eq!(code, 0);
    assert_eq!(again, cold);
    assert!(err.contains("not a tidings cache; rebuilding it"), "{err}");
}

#[test]
fn a_deferred_cache_is_written_only_when_handed_out_and_once() {
    let dir = library_dir();
    let request = LoadRequest {
        inputs: vec![dir.path().join("lib")],
        options: LoadOptions::default(),
        cache_dir: Some(dir.path().join("cache")),
    };
    let cache_file = cache::cache_path(&dir.path().join("cache"), &request.inputs);
    let mut library = Library::empty(&request);
    library.defer_cache_write();
    let mut done = false;
    load_streaming(&request, &mut |event| {
        assert!(
            library.take_cache_job().is_none(),
            "not before the load is done"
        );
        done = event == LoadEvent::Done;
        library.apply(event);
    });
    assert!(done && library.progress().done);
    assert!(!cache_file.exists(), "left to the caller");
    let job = library.take_cache_job().expect("due once the load is done");
    assert!(library.take_cache_job().is_none(), "handed out once");
    job.write().unwrap();
    let warm = load(dir.path());
    assert_eq!(warm.articles(), library.articles());
    assert!(
        events(dir.path())
            .iter()
            .any(|e| matches!(e, LoadEvent::Cached(m) if m.len() == 40))
    );
}

#[test]
fn a_cache_that_cannot_be_written_is_a_message() {
    let dir = library_dir();
    // A file where the cache folder should be.
    std::fs::write(dir.path().join("cache"), b"not a folder").unwrap();
    let request = LoadRequest {
        inputs: vec![dir.path().join("lib")],
        options: LoadOptions::default(),
        cache_dir: Some(dir.path().join("cache")),
    };
    let mut library = Library::empty(&request);
    library.defer_cache_write();
    load_streaming(&request, &mut |event| {
        library.apply(event);
    });
    let why = library
        .take_cache_job()
        .unwrap()
        .write()
        .unwrap_err()
        .to_string();
    assert!(why.starts_with("cannot write the load cache"), "{why}");
    assert_eq!(library.len(), 40, "the library itself is whole");
}

#[test]
fn a_missing_library_path_fails_the_load_with_nothing_else() {
    let dir = library_dir();
    let request = LoadRequest {
        inputs: vec![dir.path().join("lib"), dir.path().join("gone")],
        options: LoadOptions::default(),
        cache_dir: Some(dir.path().join("cache")),
    };
    let mut out = Vec::new();
    load_streaming(&request, &mut |e| out.push(e));
    assert_eq!(out.len(), 1, "{out:?}");
    assert!(
        matches!(&out[0], LoadEvent::Failed(why) if why.starts_with("library path") && why.contains("gone")),
        "{out:?}"
    );
}

#[test]
fn the_file_count_arrives_with_every_file_checked() {
    let dir = library_dir();
    let out = events(dir.path());
    let found: Vec<usize> = out
        .iter()
        .filter_map(|e| match e {
            LoadEvent::Found { total } => Some(*total),
            _ => None,
        })
        .collect();
    assert_eq!(found, [40]);
    let last_progress = out.iter().rev().find_map(|e| match e {
        LoadEvent::Progress { checked } => Some(*checked),
        _ => None,
    });
    assert_eq!(last_progress, Some(40));
    assert_eq!(out.last(), Some(&LoadEvent::Done));
}

#[test]
fn a_lowered_size_cap_drops_the_big_file_on_a_warm_start() {
    let dir = TempDir::new().unwrap();
    let h = dir.path();
    let big = format!(
        "Big headline\n\n{}\n",
        "zebrafish swim in shoals. ".repeat(60_000)
    );
    assert!(big.len() > 1 << 20);
    write_tree(
        h,
        &[
            ("lib/small.txt", b"Small headline\n\nA short body."),
            ("lib/big.txt", big.as_bytes()),
        ],
    );
    let rows = |h: &Path| {
        let (code, out, err) = run(tidings(h).args(["list", "-l", "lib"]));
        assert_eq!(code, 0, "{err}");
        (out.lines().count(), err)
    };
    let found = |h: &Path| {
        let (code, out, err) = run(tidings(h).args(["search", "-l", "lib", "zebrafish"]));
        assert_eq!(code, 0, "{err}");
        out.lines().count()
    };
    assert_eq!(rows(h).0, 2);
    assert_eq!(found(h), 1);
    // The cap lowered below the big file: gone from a warm start, with its
    // reason, and from search.
    std::fs::write(h.join("config.toml"), "max_file_size_mib = 1\n").unwrap();
    let (n, err) = rows(h);
    assert_eq!(n, 1, "{err}");
    assert!(err.contains("big.txt: too large"), "{err}");
    assert_eq!(found(h), 0);
    // Raised again, it is back.
    std::fs::write(h.join("config.toml"), "").unwrap();
    assert_eq!(rows(h).0, 2);
    assert_eq!(found(h), 1);
}

#[test]
fn no_event_of_a_warm_start_lists_what_the_settings_now_exclude() {
    let dir = library_dir();
    write_tree(
        dir.path(),
        &[("lib/LICENSE", b"MIT License\n\nPermission.")],
    );
    let license = dir.path().join("lib/LICENSE");
    let request = |options: LoadOptions| LoadRequest {
        inputs: vec![dir.path().join("lib")],
        options,
        cache_dir: Some(dir.path().join("cache")),
    };
    let listed = |req: &LoadRequest| {
        let mut lists = Vec::new();
        load_streaming(req, &mut |e| match e {
            LoadEvent::Cached(metas) | LoadEvent::Loaded(metas) => {
                lists.extend(metas.iter().map(|m| m.path.clone()))
            }
            _ => {}
        });
        lists
    };
    let with_project_files = LoadOptions {
        project_files: true,
        ..LoadOptions::default()
    };
    assert!(listed(&request(with_project_files.clone())).contains(&license));
    // Written as a finished load writes it: with the LICENSE listed.
    let req = request(with_project_files);
    let cached = Library::load_with_cache(&req.inputs, req.options, req.cache_dir).unwrap();
    assert_eq!(cached.len(), 41);
    // Project files no longer wanted: not even the cached list shows it.
    let strict = request(LoadOptions::default());
    assert!(!listed(&strict).contains(&license));
    let lowered = LoadOptions {
        max_file_size: 10,
        ..LoadOptions::default()
    };
    let warm = Library::load_with_cache(&strict.inputs, lowered, strict.cache_dir.clone()).unwrap();
    assert!(warm.is_empty(), "every file is over 10 bytes");
    assert_eq!(warm.skipped().len(), 40);
}

/// A file's metadata as the loader sends it.
fn file_meta(id: &str, path: &str) -> std::sync::Arc<tidings::article::ArticleMeta> {
    let text = tidings::article::MetaText {
        id,
        title: id,
        kicker: None,
        category: None,
        rel_path: path.trim_start_matches("/lib/"),
        source: None,
        ..Default::default()
    };
    std::sync::Arc::new(tidings::article::ArticleMeta::new(
        text,
        PathBuf::from(path),
        10,
        10,
        0,
    ))
}

/// Every story once, under its first file; every other file with its text
/// reported as a copy of that one.
fn assert_one_row_per_story(library: &Library, copies: &[(&str, &str)]) {
    let mut ids: Vec<&str> = library.articles().iter().map(|a| a.id()).collect();
    ids.sort_unstable();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n, "an id twice: {:?}", library.articles());
    let mut reported: Vec<String> = library.skipped().iter().map(|s| s.to_string()).collect();
    reported.sort();
    let mut wanted: Vec<String> = copies
        .iter()
        .map(|(copy, story)| format!("{copy}: same text as {story}"))
        .collect();
    wanted.sort();
    assert_eq!(reported, wanted);
}

#[test]
fn identical_files_list_once_however_they_arrive_and_change() {
    let request = LoadRequest {
        inputs: vec![PathBuf::from("/lib")],
        options: LoadOptions::default(),
        cache_dir: None,
    };
    let (x, y) = ("000000000000000a", "000000000000000b");
    let mut lib = Library::empty(&request);
    // What the search index holds, fed as the app feeds it.
    let mut indexed = std::collections::BTreeSet::new();
    let mut apply = |lib: &mut Library, event| {
        let changes = lib.apply(event).index;
        for path in changes.remove {
            indexed.remove(&path);
        }
        indexed.extend(changes.add.iter().map(|m| m.path.clone()));
        let listed: std::collections::BTreeSet<PathBuf> =
            lib.articles().iter().map(|a| a.path.clone()).collect();
        if changes.all {
            indexed.extend(listed.iter().cloned());
        }
        assert_eq!(indexed, listed, "the index holds the listed files only");
    };
    let paths = |lib: &Library| -> Vec<String> {
        let mut p: Vec<String> = lib
            .articles()
            .iter()
            .map(|a| format!("{} {}", a.id(), a.path.display()))
            .collect();
        p.sort();
        p
    };
    // A copy first, then a file with the same text earlier in library order.
    apply(
        &mut lib,
        LoadEvent::Loaded(vec![file_meta(x, "/lib/b/x.txt")]),
    );
    apply(
        &mut lib,
        LoadEvent::Loaded(vec![
            file_meta(x, "/lib/a/x.txt"),
            file_meta(x, "/lib/c/x.txt"),
        ]),
    );
    assert_eq!(paths(&lib), [format!("{x} /lib/a/x.txt")]);
    assert_one_row_per_story(
        &lib,
        &[
            ("/lib/b/x.txt", "/lib/a/x.txt"),
            ("/lib/c/x.txt", "/lib/a/x.txt"),
        ],
    );
    // The story's file is edited: the next copy becomes the story.
    apply(
        &mut lib,
        LoadEvent::Loaded(vec![file_meta(y, "/lib/a/x.txt")]),
    );
    assert_eq!(
        paths(&lib),
        [format!("{x} /lib/b/x.txt"), format!("{y} /lib/a/x.txt")]
    );
    assert_one_row_per_story(&lib, &[("/lib/c/x.txt", "/lib/b/x.txt")]);
    // That one is removed: the last copy is the story.
    apply(
        &mut lib,
        LoadEvent::Removed(vec![PathBuf::from("/lib/b/x.txt")]),
    );
    assert_eq!(
        paths(&lib),
        [format!("{x} /lib/c/x.txt"), format!("{y} /lib/a/x.txt")]
    );
    assert_one_row_per_story(&lib, &[]);
    // And edited to the other story's text: one story again.
    apply(
        &mut lib,
        LoadEvent::Loaded(vec![file_meta(y, "/lib/c/x.txt")]),
    );
    apply(&mut lib, LoadEvent::Done);
    assert_eq!(paths(&lib), [format!("{y} /lib/a/x.txt")]);
    assert_one_row_per_story(&lib, &[("/lib/c/x.txt", "/lib/a/x.txt")]);
    // A cached list holds every file, the copies apart: they stay out of
    // the list and of the index, and are reported.
    let mut warm = Library::empty(&request);
    let changes = warm
        .apply(LoadEvent::Cached(vec![
            file_meta(x, "/lib/a/x.txt"),
            file_meta(y, "/lib/a/y.txt"),
        ]))
        .index;
    assert!(changes.all, "the whole list, which holds no copy");
    let copies = vec![file_meta(y, "/lib/b/y.txt"), file_meta(x, "/lib/c/x.txt")];
    let more = warm.apply(LoadEvent::CachedCopies(copies)).index;
    assert!(more.is_empty(), "{more:?}");
    assert_eq!(warm.len(), 2);
    assert_one_row_per_story(
        &warm,
        &[
            ("/lib/b/y.txt", "/lib/a/y.txt"),
            ("/lib/c/x.txt", "/lib/a/x.txt"),
        ],
    );
}

#[test]
fn identical_files_warm_start_equals_cold_start() {
    let dir = library_dir();
    write_tree(
        dir.path(),
        &[
            (
                "lib/a/copy.txt",
                b"Headline number 3\n\nBody of article 3, with some words.\n",
            ),
            (
                "lib/z/copy.txt",
                b"Headline number 3\n\nBody of article 3, with some words.\n",
            ),
        ],
    );
    let cold = Library::load(&[dir.path().join("lib")], LoadOptions::default()).unwrap();
    assert_eq!(cold.len(), 40);
    assert_eq!(cold.skipped().len(), 2, "{:?}", cold.skipped());
    let first = load(dir.path());
    let warm = load(dir.path());
    for lib in [&first, &warm] {
        assert_eq!(lib.articles(), cold.articles());
        assert_eq!(lib.skipped(), cold.skipped());
    }
    // The cache keeps the copies apart from the list.
    let evs = events(dir.path());
    assert!(matches!(&evs[0], LoadEvent::Cached(m) if m.len() == 40));
    assert!(matches!(&evs[1], LoadEvent::CachedCopies(m) if m.len() == 2));
}
