//! The command line on temporary libraries: output formats and exit codes.

use crate::common::{repo_file, run, run_with_timeout, tidings, tidings_in, write_tree};
use serde_json::Value;
use tempfile::TempDir;

fn sample() -> TempDir {
    let home = TempDir::new().unwrap();
    write_tree(
        home.path(),
        &[
            (
                "lib/world/a.txt",
                b"Alpha headline\n\nAlpha body, first paragraph.\n\nSecond paragraph.",
            ),
            ("lib/b.txt", b"Beta headline\n\nBeta body."),
            ("lib/broken.txt", b"\0\0binary"),
            ("lib/empty.txt", b"   \n"),
            ("lib/.hidden.txt", b"Hidden\n\nNot listed."),
            ("lib/image.jpg", b"not an article"),
        ],
    );
    home
}

#[test]
fn list_prints_id_category_title_and_reports_skips() {
    let home = sample();
    let (code, out, err) = run(tidings(home.path()).args(["list", "-l", "lib"]));
    assert_eq!(code, 0, "{err}");
    let mut rows: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    rows.sort_by_key(|r| r[2]);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][1..], ["world", "Alpha headline"]);
    assert_eq!(rows[1][1..], ["", "Beta headline"]);
    assert!(rows.iter().all(|r| r[0].len() == 16));
    assert!(err.contains("broken.txt: binary file"), "{err}");
    assert!(err.contains("empty.txt: empty file"), "{err}");
    assert!(err.contains("2 files skipped"), "{err}");
    assert!(
        !err.contains("hidden") && !err.contains("image.jpg"),
        "{err}"
    );
}

#[test]
fn list_json_has_the_documented_fields() {
    let home = sample();
    let (code, out, _) = run(tidings(home.path()).args(["list", "--json", "--library", "lib"]));
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 2);
    let alpha = items
        .iter()
        .find(|i| i["title"] == "Alpha headline")
        .unwrap();
    for field in [
        "id",
        "title",
        "kicker",
        "category",
        "path",
        "words",
        "bookmarked",
        "read",
    ] {
        assert!(alpha.get(field).is_some(), "missing {field}");
    }
    assert_eq!(alpha["kicker"], Value::Null);
    assert_eq!(alpha["category"], "world");
    assert_eq!(alpha["words"], 8);
}

#[test]
fn show_by_id_prefix_path_json_raw_and_width() {
    let home = sample();
    let (_, out, _) = run(tidings(home.path()).args(["list", "-l", "lib"]));
    let alpha_id = out
        .lines()
        .find(|l| l.ends_with("Alpha headline"))
        .unwrap()
        .split('\t')
        .next()
        .unwrap()
        .to_string();

    let (code, text, _) = run(tidings(home.path()).args(["show", &alpha_id[..6], "-l", "lib"]));
    assert_eq!(code, 0);
    assert!(
        text.starts_with("Alpha headline\nworld · 8 words · 1 min read"),
        "{text}"
    );
    assert!(text.contains("\n\nAlpha body, first paragraph.\n\nSecond paragraph.\n"));

    let (_, narrow, _) =
        run(tidings(home.path()).args(["show", "lib/world/a.txt", "-l", "lib", "--width", "10"]));
    assert!(narrow.lines().all(|l| l.chars().count() <= 10), "{narrow}");
    assert!(
        narrow.contains("Alpha\nbody,\nfirst\nparagraph.\n"),
        "{narrow}"
    );

    let (_, json, _) = run(tidings(home.path()).args(["show", &alpha_id, "--json", "-l", "lib"]));
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["id"], alpha_id.as_str());
    assert_eq!(
        v["paragraphs"],
        serde_json::json!(["Alpha body, first paragraph.", "Second paragraph."])
    );

    let (_, raw, _) = run(tidings(home.path()).args(["show", &alpha_id, "--raw", "-l", "lib"]));
    assert_eq!(
        raw,
        "Alpha headline\n\nAlpha body, first paragraph.\n\nSecond paragraph.\n"
    );
}

#[test]
fn raw_keeps_what_cleaning_removes() {
    let home = TempDir::new().unwrap();
    write_tree(
        home.path(),
        &[("lib/x.txt", b"T\n\n{mosads}Prose here.\n\nMost Popular\n")],
    );
    let (_, clean, _) = run(tidings(home.path()).args(["show", "lib/x.txt", "-l", "lib"]));
    assert!(
        !clean.contains("mosads") && !clean.contains("Most Popular"),
        "{clean}"
    );
    let (_, raw, _) = run(tidings(home.path()).args(["show", "lib/x.txt", "--raw", "-l", "lib"]));
    assert!(
        raw.contains("{mosads}Prose here.") && raw.contains("Most Popular"),
        "{raw}"
    );
}

#[test]
fn exit_codes_unknown_ambiguous_short_missing_and_usage() {
    let home = sample();
    let (code, _, err) = run(tidings(home.path()).args(["show", "ffffffffffff", "-l", "lib"]));
    assert_eq!(code, 1);
    assert_eq!(
        err.lines().count(),
        1 + 3,
        "one error line after the skip warnings: {err}"
    );
    assert!(
        err.lines()
            .last()
            .unwrap()
            .contains("no article matches 'ffffffffffff'")
    );

    let (code, _, err) = run(tidings(home.path()).args(["show", "abc", "-l", "lib"]));
    assert_eq!(code, 1);
    assert!(err.contains("too short"), "{err}");

    let (code, _, err) = run(tidings(home.path()).args(["list", "-l", "nowhere"]));
    assert_eq!(code, 1);
    assert!(err.starts_with("tidings: library path nowhere"), "{err}");

    let (code, _, _) = run(tidings(home.path()).args(["list", "--bogus"]));
    assert_eq!(code, 2);
    let (code, _, _) = run(tidings(home.path()).args(["show"]));
    assert_eq!(code, 2);
}

#[test]
fn ambiguous_prefix_is_an_error_naming_the_candidates() {
    let home = TempDir::new().unwrap();
    // Write articles until two ids share a 4-digit prefix.
    let mut seen = std::collections::HashMap::new();
    let mut pair = None;
    for i in 0..2000 {
        let body = format!("Story {i}\n\nBody {i}.");
        let id = tidings::library::parse_bytes(body.as_bytes(), tidings::article::Format::Text)
            .unwrap()
            .id();
        if let Some(prev) = seen.insert(id[..4].to_string(), id.clone()) {
            pair = Some((prev, id, i));
            write_tree(home.path(), &[(&format!("lib/{i}.txt"), body.as_bytes())]);
            break;
        }
        write_tree(home.path(), &[(&format!("lib/{i}.txt"), body.as_bytes())]);
    }
    let (a, b, _) = pair.expect("a shared prefix within 2000 ids");
    let (code, _, err) = run(tidings(home.path()).args(["show", &a[..4], "-l", "lib"]));
    assert_eq!(code, 1);
    assert!(
        err.contains("ambiguous") && err.contains(&a) && err.contains(&b),
        "{err}"
    );
}

#[test]
fn env_library_and_default_articles_folder() {
    let home = sample();
    let (code, out, _) = run(tidings(home.path())
        .arg("list")
        .env("TIDINGS_LIBRARY", "lib/world:lib/b.txt"));
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 2);
    // With no library given, ./articles is used when it exists...
    let (_, out, _) = run(tidings_in(home.path(), &repo_file("")).arg("list"));
    assert_eq!(out.lines().count(), 15);
    // ...and the bundled sample library otherwise.
    let (code, out, _) = run(tidings(home.path()).arg("list"));
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 15);
    assert!(out.contains("\ttech\tTV's future down the phone line"));
}

#[test]
fn config_library_is_used_and_a_bad_config_names_the_line() {
    let home = sample();
    std::fs::write(
        home.path().join("config.toml"),
        "library = [\"lib/world\"]\n",
    )
    .unwrap();
    let (_, out, _) = run(tidings(home.path()).arg("list"));
    assert_eq!(out.lines().count(), 1);
    std::fs::write(
        home.path().join("config.toml"),
        "library = [\"lib\"]\nlibary = 3\n",
    )
    .unwrap();
    let (code, _, err) = run(tidings(home.path()).arg("list"));
    assert_eq!(code, 1);
    assert!(
        err.contains("config.toml") && err.contains("line 2"),
        "{err}"
    );
}

#[test]
fn no_control_characters_reach_stdout() {
    let home = TempDir::new().unwrap();
    write_tree(
        home.path(),
        &[(
            "lib/evil\x1b[31m.txt",
            b"Evil \x1b]0;pwned\x07title\n\nBody \x1b[2J\xc2\x9b6n.",
        )],
    );
    for args in [
        vec!["list"],
        vec!["list", "--json"],
        vec!["show", "lib/evil\x1b[31m.txt"],
        vec!["show", "lib/evil\x1b[31m.txt", "--raw"],
    ] {
        let output = tidings(home.path())
            .args(&args)
            .args(["-l", "lib"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}");
        let bad = output
            .stdout
            .iter()
            .chain(&output.stderr)
            .any(|&b| b == 0x1b || b == 0x07);
        assert!(
            !bad,
            "{args:?}: {:?}",
            String::from_utf8_lossy(&output.stdout)
        );
        assert!(!String::from_utf8_lossy(&output.stdout).contains('\u{9b}'));
    }
}

#[test]
fn search_with_20000_ors_is_cut_to_its_first_words_with_a_note() {
    let home = sample();
    let mut args: Vec<String> = ["search", "-l", "lib", "alpha"].map(String::from).into();
    for i in 0..20_000 {
        args.extend(["OR".to_string(), format!("w{i}")]);
    }
    // The deadline only catches a hang; the engine answers in milliseconds.
    let (code, out, err) = run_with_timeout(
        tidings(home.path()).args(&args),
        std::time::Duration::from_secs(120),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Alpha headline"), "{out}");
    assert!(err.contains("first 100 words"), "{err}");
}

#[test]
fn a_config_that_would_break_the_keys_is_refused_by_the_app_and_the_command_line() {
    let home = sample();
    let config = home.path().join("config.toml");
    for text in [
        "[keys.search]\nquit = \"q\"\n",
        "[keys.list]\nquit = []\n",
        "[keys.list]\nbookmark = \"x\"\nraw = \"x\"\n",
        "[theme]\nselected = \"on red on blue\"\n",
    ] {
        std::fs::write(&config, text).unwrap();
        let line = format!("line {}", text.lines().count());
        // The reader (no subcommand) and a subcommand alike: exit 1, with
        // the file and the line, before anything else is done.
        for args in [&["list", "-l", "lib"][..], &["-l", "lib"][..]] {
            let (code, out, err) = run(tidings(home.path()).args(args));
            assert_eq!((code, out.as_str()), (1, ""), "{text} {args:?}: {err}");
            assert!(
                err.contains(&config.display().to_string()) && err.contains(&line),
                "{text} {args:?}: {err}"
            );
            assert_eq!(err.lines().count(), 1, "{err}");
        }
    }
}

#[test]
fn an_empty_environment_variable_means_unset_and_empty_parts_are_skipped() {
    let home = sample();
    let h = home.path();
    // Empty parts of the library list are skipped.
    for (value, want) in [
        ("lib/world:", 1),
        (":lib/world", 1),
        ("lib/world::lib/b.txt", 2),
    ] {
        let (code, out, err) = run(tidings(h).arg("list").env("TIDINGS_LIBRARY", value));
        assert_eq!((code, out.lines().count()), (0, want), "{value:?}: {err}");
    }
    // An empty library is no library: the bundled one (no ./articles here).
    let (code, out, err) = run(tidings(h).arg("list").env("TIDINGS_LIBRARY", ""));
    assert_eq!((code, out.lines().count()), (0, 15), "{err}");
    // Empty locations are the defaults, under this test's own home.
    let (code, out, err) = run(tidings(h)
        .args(["list", "-l", "lib"])
        .env("HOME", h)
        .env("XDG_DATA_HOME", h.join("xdg-data"))
        .env("XDG_CACHE_HOME", h.join("xdg-cache"))
        .env("XDG_CONFIG_HOME", h.join("xdg-config"))
        .env("TIDINGS_DATA_DIR", "")
        .env("TIDINGS_CACHE_DIR", "")
        .env("TIDINGS_CONFIG", ""));
    assert_eq!((code, out.lines().count()), (0, 2), "{err}");
    assert!(h.join("xdg-cache/tidings/library").is_dir(), "{err}");
}

/// File names a shell can hand over but a terminal cannot show: a newline,
/// an escape sequence, bytes that are not UTF-8, in a folder and not.
fn awkward_names() -> (TempDir, Vec<(Vec<u8>, &'static str)>) {
    use std::os::unix::ffi::OsStrExt;
    let home = TempDir::new().unwrap();
    let files: Vec<(Vec<u8>, &str)> = vec![
        (b"lib/line\nbreak.txt".to_vec(), "Newline headline"),
        (b"lib/esc\x1b[31mape.txt".to_vec(), "Escape headline"),
        (b"lib/caf\xe9.txt".to_vec(), "Latin headline"),
        (b"lib/news/osc\x1b]0;x\x07.txt".to_vec(), "Folder headline"),
    ];
    for (name, title) in &files {
        let path = home.path().join(std::ffi::OsStr::from_bytes(name));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, format!("{title}\n\nBody of {title}.")).unwrap();
    }
    (home, files)
}

#[test]
fn show_finds_files_by_raw_relative_and_cleaned_paths() {
    use std::os::unix::ffi::OsStrExt;
    let (home, files) = awkward_names();
    let h = home.path();
    let shown = |path: &std::ffi::OsStr| {
        let (code, out, err) = run(tidings(h).args(["show", "-l", "lib"]).arg(path));
        assert_eq!(code, 0, "{path:?}: {err}");
        out.lines().next().unwrap_or_default().to_string()
    };
    for (name, title) in &files {
        // As given (from the working directory), and relative to the library.
        assert_eq!(shown(std::ffi::OsStr::from_bytes(name)), *title);
        assert_eq!(shown(std::ffi::OsStr::from_bytes(&name[4..])), *title);
    }
    // The cleaned paths `list --json` prints are accepted as they are.
    let (_, out, _) = run(tidings(h).args(["list", "--json", "-l", "lib"]));
    let listed: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(listed.len(), files.len());
    for item in &listed {
        let path = item["path"].as_str().unwrap();
        assert_eq!(shown(path.as_ref()), item["title"], "{path:?}");
    }
}

#[test]
fn a_cleaned_path_naming_two_files_is_ambiguous() {
    let home = TempDir::new().unwrap();
    write_tree(
        home.path(),
        &[
            ("lib/twin\x1b.txt", b"First twin\n\nOne."),
            ("lib/twin\x07.txt", b"Second twin\n\nTwo."),
        ],
    );
    let (code, _, err) = run(tidings(home.path()).args(["show", "-l", "lib", "twin.txt"]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("ambiguous"), "{err}");
    // The exact name still finds its file.
    let (code, out, err) = run(tidings(home.path()).args(["show", "-l", "lib", "twin\x07.txt"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Second twin\n"), "{out}");
}

#[test]
fn project_files_such_as_license_are_not_listed_unless_asked_for() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    write_tree(
        h,
        &[
            ("lib/story.txt", b"A story\n\nBody."),
            // A slug that only starts like a project file is an article.
            ("lib/notice-of-closure.txt", b"Notice of closure\n\nBody."),
            (
                "lib/LICENSE",
                b"MIT License\n\nPermission is hereby granted.",
            ),
            ("lib/LICENSE-APACHE", b"Apache License\n\nVersion 2.0."),
            ("lib/COPYING", b"GNU General Public License\n\nVersion 3."),
            ("lib/README.txt", b"Readme\n\nHow to use this folder."),
            ("lib/news/CHANGELOG", b"Changelog\n\n1.0 first release."),
            ("lib/news/Authors.txt", b"Authors\n\nWho wrote it."),
        ],
    );
    let titles = |cmd: &mut std::process::Command| {
        let (code, out, err) = run(cmd);
        assert_eq!(code, 0, "{err}");
        let mut titles: Vec<String> = out
            .lines()
            .map(|l| l.rsplit('\t').next().unwrap().to_string())
            .collect();
        titles.sort();
        (titles, err)
    };
    let (listed, err) = titles(tidings(h).args(["list", "-l", "lib"]));
    assert_eq!(listed, ["A story", "Notice of closure"]);
    assert!(!err.contains("LICENSE"), "not a skip either: {err}");
    // Named on the command line, a project file is read like any file.
    let (listed, _) = titles(tidings(h).args(["list", "-l", "lib/LICENSE"]));
    assert_eq!(listed, ["MIT License"]);
    // And the config can list them all.
    std::fs::write(h.join("config.toml"), "ignore_project_files = false\n").unwrap();
    let (listed, _) = titles(tidings(h).args(["list", "-l", "lib"]));
    assert_eq!(listed.len(), 8, "{listed:?}");
}

#[test]
fn search_json_prints_paths_cleaned_and_in_the_form_list_prints() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    write_tree(
        h,
        &[
            (
                "lib/csi\u{9b}6n.txt",
                "Kingfisher one\n\nA kingfisher dives.".as_bytes(),
            ),
            (
                "lib/news/osc\u{9d}0;x\u{9c}.txt",
                "Kingfisher two\n\nAnother kingfisher.".as_bytes(),
            ),
        ],
    );
    let is_control = |c: char| c.is_control() && c != '\n' && c != '\t';
    let (code, out, err) = run(tidings(h).args(["search", "--json", "-l", "lib", "kingfisher"]));
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains(is_control), "{out:?}");
    let hits: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(hits.len(), 2);
    let (_, listed, _) = run(tidings(h).args(["list", "--json", "-l", "lib"]));
    let listed: Vec<Value> = serde_json::from_str(&listed).unwrap();
    for hit in &hits {
        let item = listed.iter().find(|i| i["id"] == hit["id"]).unwrap();
        assert_eq!(hit["path"], item["path"]);
        assert_eq!(hit["category"], item["category"]);
    }
    let mut paths: Vec<&str> = hits.iter().map(|h| h["path"].as_str().unwrap()).collect();
    paths.sort_unstable();
    assert_eq!(paths, ["csi6n.txt", "news/osc0;x.txt"]);
    // The plain output too, and with --cached (no walk of the library).
    for args in [&["search"][..], &["search", "--cached", "--json"]] {
        let (code, out, err) = run(tidings(h).args(args).args(["-l", "lib", "kingfisher"]));
        assert_eq!(code, 0, "{err}");
        assert!(!out.contains(is_control), "{args:?}: {out:?}");
        if args.contains(&"--json") {
            let again: Vec<Value> = serde_json::from_str(&out).unwrap();
            assert_eq!(again.len(), 2);
            assert!(
                again
                    .iter()
                    .all(|h| paths.contains(&h["path"].as_str().unwrap()))
            );
        }
    }
}
