//! `tidings feeds` through the built binary in an isolated home:
//! subscribing, listing, removing, OPML in and out, a hand-edited
//! `feeds.toml`, and the news folder joining the default library. No test
//! fetches anything: the addresses are example.org, only ever text.

use crate::common::{repo_file, run, run_with_timeout, tidings, write_tree};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tempfile::TempDir;

fn feeds_toml(home: &Path) -> PathBuf {
    home.join("feeds.toml")
}

/// `feeds list --json`, parsed.
fn listed(home: &Path) -> Vec<Value> {
    let (code, out, err) = run(tidings(home).args(["feeds", "list", "--json"]));
    assert_eq!(code, 0, "{err}");
    serde_json::from_str::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn field<'a>(rows: &'a [Value], key: &str) -> Vec<&'a str> {
    rows.iter().map(|r| r[key].as_str().unwrap_or("")).collect()
}

#[test]
fn add_list_remove_round_trip() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    let (code, out, err) = run(tidings(h).args([
        "feeds",
        "add",
        "https://example.org/news",
        "--category",
        "Tech/Rust",
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "added example.org-news\thttps://example.org/news\n");
    let (code, _, err) = run(tidings(h).args([
        "feeds",
        "add",
        "http://example.org/b.xml",
        "--name",
        "Bee",
        "--full-text",
    ]));
    assert_eq!(code, 0, "{err}");

    let (code, out, _) = run(tidings(h).args(["feeds", "list"]));
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "example.org-news\thttps://example.org/news\tTech/Rust\tsummary\tnever\t-\t-\t0\n\
         Bee\thttp://example.org/b.xml\t\tfull-text\tnever\t-\t-\t0\n"
    );
    let rows = listed(h);
    assert_eq!(field(&rows, "name"), ["example.org-news", "Bee"]);
    assert_eq!(rows[0]["category"], "Tech/Rust");
    assert_eq!(rows[1]["category"], Value::Null);
    assert_eq!(rows[1]["full_text"], true);
    assert_eq!(rows[0]["last_fetched"], Value::Null);
    let text = std::fs::read_to_string(feeds_toml(h)).unwrap();
    assert!(text.contains("[[feed]]\nname = \"Bee\""), "{text}");

    // By name, then by URL.
    let (code, out, _) = run(tidings(h).args(["feeds", "remove", "Bee"]));
    assert_eq!(
        (code, out.as_str()),
        (0, "removed Bee\thttp://example.org/b.xml\n")
    );
    let (code, _, _) = run(tidings(h).args(["feeds", "remove", "https://example.org/news"]));
    assert_eq!(code, 0);
    assert!(listed(h).is_empty());
    let (code, _, err) = run(tidings(h).args(["feeds", "remove", "Bee"]));
    assert_eq!(code, 1);
    assert!(err.contains("no feed named Bee"), "{err}");
}

#[test]
fn duplicate_urls_and_other_schemes_are_refused() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    run(tidings(h).args(["feeds", "add", "https://example.org/news"]));
    let before = std::fs::read(feeds_toml(h)).unwrap();
    let (code, _, err) =
        run(tidings(h).args(["feeds", "add", "https://example.org/news", "--name", "x"]));
    assert_eq!(code, 1);
    assert!(
        err.contains("already subscribed as example.org-news"),
        "{err}"
    );
    for bad in [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "mailto:a@example.org",
        "example.org/news",
    ] {
        let (code, _, err) = run(tidings(h).args(["feeds", "add", bad]));
        assert_eq!(code, 1, "{bad}");
        assert!(err.contains("not an http or https address"), "{bad}: {err}");
    }
    assert_eq!(std::fs::read(feeds_toml(h)).unwrap(), before);
}

#[test]
fn hostile_names_become_plain_folder_names() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    let hostile = "../../etc/passwd\x1b[31m\u{202E}";
    let (code, out, err) =
        run(tidings(h).args(["feeds", "add", "https://example.org/a", "--name", hostile]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "added etc-passwd[31m\thttps://example.org/a\n");
    for (name, why) in [("..", "dots only"), ("\x1b\x07", "controls only")] {
        let (code, _, err) =
            run(tidings(h).args(["feeds", "add", "https://example.org/b", "--name", name]));
        assert_eq!(code, 1, "{why}");
        assert!(err.contains("not a usable name"), "{why}: {err}");
    }
    // Derived names: host and path; a taken one is numbered.
    run(tidings(h).args(["feeds", "add", "https://example.org/news/"]));
    run(tidings(h).args(["feeds", "add", "https://example.org/news/?page=2"]));
    let rows = listed(h);
    assert_eq!(
        field(&rows, "name"),
        ["etc-passwd[31m", "example.org-news", "example.org-news-2"]
    );
}

#[test]
fn a_hand_edited_feeds_toml_with_an_error_is_reported_and_left_untouched() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    let broken =
        "# my feeds\n[[feed]]\nname = \"a\"\nurl = \"https://example.org/a\"\nfull_text = yes\n";
    std::fs::write(feeds_toml(h), broken).unwrap();
    for args in [
        &["feeds", "add", "https://example.org/b"][..],
        &["feeds", "remove", "a"],
        &[
            "feeds",
            "import",
            repo_file("tests/fixtures/opml/nested.opml")
                .to_str()
                .unwrap(),
        ],
        &["feeds", "list"],
        &["feeds", "export"],
    ] {
        let (code, out, err) = run(tidings(h).args(args));
        assert_eq!(code, 1, "{args:?}");
        assert!(out.is_empty(), "{args:?}: {out}");
        assert!(err.contains("feeds.toml: line 5"), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read_to_string(feeds_toml(h)).unwrap(), broken);
}

#[test]
fn opml_import_takes_nested_folders_as_categories_and_reports_skips() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    let file = repo_file("tests/fixtures/opml/nested.opml");
    let (code, out, err) = run(tidings(h).args(["feeds", "import"]).arg(&file));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "added 4, skipped 3\n");
    assert!(
        err.contains("skipped A folder-less note: no xmlUrl"),
        "{err}"
    );
    assert!(
        err.contains("skipped Front again: already subscribed as Front page"),
        "{err}"
    );
    assert!(
        err.contains("skipped Evil: not an http or https address"),
        "{err}"
    );
    let rows = listed(h);
    assert_eq!(
        field(&rows, "name"),
        ["Front page", "Rust & friends", "Go", "example.org-world"]
    );
    assert_eq!(
        field(&rows, "category"),
        ["", "Tech", "Tech/Languages", "World"]
    );
    // Importing again adds nothing.
    let (code, out, _) = run(tidings(h).args(["feeds", "import"]).arg(&file));
    assert_eq!((code, out.as_str()), (0, "added 0, skipped 7\n"));
}

#[test]
fn malformed_opml_is_reported_and_changes_nothing() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    let (code, out, err) = run(tidings(h)
        .args(["feeds", "import"])
        .arg(repo_file("tests/fixtures/opml/malformed.opml")));
    assert_eq!(code, 1);
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("malformed.opml: line") && err.contains("malformed XML"),
        "{err}"
    );
    assert!(!feeds_toml(h).exists());
    let rss = h.join("feed.xml");
    std::fs::write(&rss, "<rss><channel/></rss>").unwrap();
    let (code, _, err) = run(tidings(h).args(["feeds", "import"]).arg(&rss));
    assert_eq!(code, 1);
    assert!(err.contains("not an OPML file"), "{err}");
}

#[test]
fn an_entity_bomb_is_refused_fast() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    let started = std::time::Instant::now();
    let (code, _, err) = run_with_timeout(
        tidings(h)
            .args(["feeds", "import"])
            .arg(repo_file("tests/fixtures/opml/bomb.opml")),
        Duration::from_secs(20),
    );
    assert_eq!(code, 1);
    assert!(err.contains("DOCTYPE is refused"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(!feeds_toml(h).exists());
}

#[test]
fn import_then_export_keeps_every_url_and_category() {
    let first = TempDir::new().unwrap();
    run(tidings(first.path())
        .args(["feeds", "import"])
        .arg(repo_file("tests/fixtures/opml/nested.opml")));
    run(tidings(first.path()).args([
        "feeds",
        "add",
        "https://example.org/q?a=1&b=<2>",
        "--name",
        "Quotes \" & <tags>",
        "--category",
        "A/B/C",
    ]));
    let (code, opml, _) = run(tidings(first.path()).args(["feeds", "export"]));
    assert_eq!(code, 0);
    assert!(opml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">"));
    assert!(opml.contains("&amp;") && !opml.contains("<tags>"), "{opml}");

    let second = TempDir::new().unwrap();
    let file = second.path().join("out.opml");
    std::fs::write(&file, &opml).unwrap();
    let (code, out, err) = run(tidings(second.path()).args(["feeds", "import"]).arg(&file));
    assert_eq!((code, out.as_str()), (0, "added 5, skipped 0\n"), "{err}");
    let key = |rows: &[Value]| -> Vec<(String, String, String)> {
        rows.iter()
            .map(|r| {
                let s = |k: &str| r[k].as_str().unwrap_or("").to_string();
                (s("url"), s("category"), s("name"))
            })
            .collect()
    };
    assert_eq!(key(&listed(second.path())), key(&listed(first.path())));
}

#[test]
fn feeds_list_shows_what_the_last_fetch_left() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    run(tidings(h).args(["feeds", "add", "https://example.org/a", "--name", "a"]));
    run(tidings(h).args(["feeds", "add", "https://example.org/b", "--name", "b"]));
    write_tree(
        h,
        &[(
            "data/feeds/state.json",
            br#"{"https://example.org/a": {"last_fetched": "2025-03-04T05:06:07Z",
                 "last_result": "12 new", "items": 40, "failures": 2, "etag": "\"x\""}}"#,
        )],
    );
    let (_, out, _) = run(tidings(h).args(["feeds", "list"]));
    assert_eq!(
        out,
        "a\thttps://example.org/a\t\tsummary\t2025-03-04T05:06:07Z\t12 new\t40\t2\n\
         b\thttps://example.org/b\t\tsummary\tnever\t-\t-\t0\n"
    );
    let rows = listed(h);
    assert_eq!(
        (rows[0]["items"].as_u64(), rows[0]["errors"].as_u64()),
        (Some(40), Some(2))
    );
}

/// Titles `tidings list` prints (third column).
fn titles(cmd: &mut std::process::Command) -> Vec<String> {
    let (code, out, err) = run(cmd.arg("list"));
    assert_eq!(code, 0, "{err}");
    out.lines()
        .map(|l| l.split('\t').nth(2).unwrap().to_string())
        .collect()
}

const NEWS_ITEM: &[u8] =
    b"---\ntitle: Fetched story\nurl: https://example.org/s\n---\n\nBody of the fetched story.\n";

#[test]
fn the_news_folder_joins_the_default_library_once_a_feed_exists() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    write_tree(
        h,
        &[
            ("data/news/x/y/2025-01-01-story.md", NEWS_ITEM),
            ("lib/own.txt", b"Own story\n\nMine."),
        ],
    );
    // No feed yet: the news folder is not read (the samples are).
    let before = titles(&mut tidings(h));
    assert!(!before.contains(&"Fetched story".to_string()), "{before:?}");
    assert!(!before.is_empty(), "the bundled samples");

    run(tidings(h).args(["feeds", "add", "https://example.org/y", "--name", "y"]));
    let (_, out, _) = run(tidings(h).arg("list"));
    assert_eq!(out.lines().count(), 1, "only the news, no samples: {out}");
    assert!(out.contains("\tx/y\tFetched story"), "{out}");

    // Beside what `library` names; a library given with -l stands alone.
    std::fs::write(h.join("config.toml"), "library = [\"lib\"]\n").unwrap();
    let mut both = titles(&mut tidings(h));
    both.sort();
    assert_eq!(both, ["Fetched story", "Own story"]);
    assert_eq!(titles(tidings(h).args(["-l", "lib"])), ["Own story"]);
}

#[test]
fn news_dir_in_the_config_moves_the_news_folder() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    let news = h.join("elsewhere");
    std::fs::write(
        h.join("config.toml"),
        format!("news_dir = {:?}\n", news.to_str().unwrap()),
    )
    .unwrap();
    run(tidings(h).args(["feeds", "add", "https://example.org/y"]));
    assert!(news.is_dir(), "made when a feed is added");
    write_tree(&news, &[("c/f/a.md", NEWS_ITEM)]);
    write_tree(h, &[("data/news/d/b.md", b"# Not here\n\nText.\n")]);
    assert_eq!(titles(&mut tidings(h)), ["Fetched story"]);
}
