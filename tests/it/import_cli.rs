//! `tidings import` through the built binary, in an isolated home: feed
//! files, JSON arrays and JSON Lines become Markdown files the default
//! library lists; a second import adds nothing; broken records are
//! skipped with their line and reason; hostile titles never name a path
//! outside the folder; `--into` writes elsewhere and says how to read it.

use crate::common::{run, tidings};
use crate::fetch_cli::titles;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const RSS: &str = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Local news</title>
<link>https://example.org/</link>
<item><title>Harbour fees rise</title><guid>r1</guid><link>https://example.org/r1</link>
<pubDate>Tue, 24 Nov 2015 10:30:00 GMT</pubDate>
<description>&lt;p&gt;Fees rise &lt;script&gt;alert(1)&lt;/script&gt;at the harbour.&lt;/p&gt;</description></item>
</channel></rss>"#;

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom news</title><id>urn:a</id>
<updated>2015-11-24T10:30:00Z</updated>
<entry><title>Rail strike ends</title><id>urn:a:1</id><updated>2015-11-25T08:00:00Z</updated>
<link href="https://example.org/a1"/><content type="html">&lt;p&gt;Trains run again.&lt;/p&gt;</content></entry>
</feed>"#;

const JSON_FEED: &str = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "JSON news",
  "items": [{"id": "j1", "title": "Storm closes schools", "url": "https://example.org/j1",
             "content_text": "Schools shut for a day.", "date_published": "2015-11-26T09:00:00Z"}]}"#;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn import(home: &Path, args: &[&Path]) -> (i32, String, String) {
    run(tidings(home).arg("import").args(args))
}

fn news(home: &Path) -> PathBuf {
    home.join("data/news/imported")
}

fn md_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    names
}

#[test]
fn rss_atom_and_json_feed_files_join_the_default_library() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    let rss = write(h, "local.rss", RSS);
    let atom = write(h, "atom.xml", ATOM);
    // Named .txt: what a file is comes from its content.
    let json = write(h, "json-feed.txt", JSON_FEED);
    let (code, out, err) = import(h, &[&rss, &atom, &json]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!(
            "imported 3 articles from 3 files into {}\n",
            news(h).display()
        )
    );
    assert_eq!(
        titles(h),
        [
            "Harbour fees rise",
            "Rail strike ends",
            "Storm closes schools"
        ]
    );
    let files = md_files(&news(h).join("local"));
    assert_eq!(files, ["2015-11-24-harbour-fees-rise.md"]);
    let text = std::fs::read_to_string(news(h).join("local").join(&files[0])).unwrap();
    assert!(text.contains("feed: Local news\n"), "{text}");
    assert!(text.contains("guid: r1\n"), "{text}");
    assert!(!text.contains("alert"), "{text}");
    assert!(!text.contains("feed_url"), "{text}");
}

#[test]
fn json_arrays_and_json_lines_import_and_bad_records_are_skipped_with_their_line() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    let array = write(
        h,
        "array.json",
        r#"[
  {"headline": "Budget passes", "body": "<p>The budget <b>passed</b>.</p>", "publishedAt": "2020-03-01T12:00:00Z",
   "url": "https://example.org/b", "author": "Ann Lee", "source": "Example Times"},
  {"title": "Park reopens", "article": ["First.", "Second."]}
]"#,
    );
    let lines = write(
        h,
        "lines.jsonl",
        "{\"title\": \"Bridge opens\", \"text\": \"Cars cross.\"}\n\
         \n\
         {\"title\": broken\n\
         {\"url\": \"https://example.org/nothing\"}\n\
         {\"title\": \"Market moves\", \"content\": \"Stalls move.\"}\n",
    );
    let (code, out, err) = import(h, &[&array, &lines]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!(
            "imported 4 articles from 2 files into {}, 2 skipped\n",
            news(h).display()
        )
    );
    let lines = lines.display();
    assert!(err.contains(&format!("{lines}:3: invalid JSON")), "{err}");
    assert!(
        err.contains(&format!("{lines}:4: no title or text")),
        "{err}"
    );
    assert_eq!(
        titles(h),
        [
            "Bridge opens",
            "Budget passes",
            "Market moves",
            "Park reopens"
        ]
    );
    let (_, listed, _) = run(tidings(h).args(["list", "--json"]));
    assert!(listed.contains("\"author\": \"Ann Lee\""), "{listed}");
    assert!(
        listed.contains("\"url\": \"https://example.org/b\""),
        "{listed}"
    );
    let text = std::fs::read_to_string(news(h).join("array/2020-03-01-budget-passes.md")).unwrap();
    assert!(text.contains("The budget **passed**."), "{text}");
    assert!(text.contains("feed: Example Times\n"), "{text}");
}

#[test]
fn importing_twice_adds_nothing_and_repeats_in_one_file_become_one_article() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    let file = write(
        h,
        "wire.jsonl",
        "{\"id\": \"1\", \"title\": \"One\", \"body\": \"a\"}\n\
         {\"id\": \"1\", \"title\": \"One again\", \"body\": \"a\"}\n\
         {\"url\": \"https://example.org/2\", \"title\": \"Two\"}\n\
         {\"url\": \"https://example.org/2\", \"title\": \"Two\"}\n\
         {\"title\": \"Three\", \"date\": \"2020-01-01\"}\n\
         {\"title\": \"Three\", \"date\": \"2020-01-01\"}\n",
    );
    let (code, out, err) = import(h, &[&file]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("imported 3 articles from 1 file into "),
        "{out}"
    );
    assert!(out.ends_with(", 3 already there\n"), "{out}");
    let (code, out, err) = import(h, &[&file]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("imported 0 articles"), "{out}");
    assert!(out.ends_with(", 6 already there\n"), "{out}");
    assert_eq!(md_files(&news(h).join("wire")).len(), 3);
    assert_eq!(titles(h), ["One", "Three", "Two"]);
}

#[test]
fn hostile_titles_make_safe_names_inside_the_folder() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    let long = "é".repeat(150);
    let records = [
        "../../x".to_string(),
        "/etc/passwd".to_string(),
        "nul\u{0}byte".to_string(),
        "\u{1b}]0;pwned\u{7}\u{1b}[31mred".to_string(),
        long.clone(),
        ".hidden".to_string(),
    ];
    let text: String = records
        .iter()
        .map(|t| {
            format!(
                "{}\n",
                serde_json::json!({"title": t, "body": "x", "date": "2020-01-01"})
            )
        })
        .collect();
    let file = write(h, "hostile.jsonl", &text);
    let (code, out, err) = import(h, &[&file]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("imported 6 articles"), "{out}");
    let dir = news(h).join("hostile");
    let names = md_files(&dir);
    assert_eq!(names.len(), 6, "{names:?}");
    for name in &names {
        assert!(name.len() <= 255 && !name.starts_with('.'), "{name}");
        assert!(!name.contains(['\u{0}', '\u{1b}', '/']), "{name}");
    }
    assert!(names.contains(&"2020-01-01-x.md".to_string()), "{names:?}");
    assert!(
        names.contains(&"2020-01-01-etc-passwd.md".to_string()),
        "{names:?}"
    );
    // Nothing landed beside or above the folder.
    let beside: Vec<_> = std::fs::read_dir(news(h)).unwrap().collect();
    assert_eq!(beside.len(), 1);
    assert!(!h.join("data/news/x.md").exists() && !h.join("x.md").exists());
    for title in titles(h) {
        assert!(!title.contains(['\u{0}', '\u{1b}', '\u{7}']), "{title:?}");
    }
}

#[test]
fn into_a_folder_outside_the_library_writes_there_and_says_how_to_read_it() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    let file = write(h, "one.json", r#"{"title": "Alone", "body": "Just one."}"#);
    let into = h.join("elsewhere/deep");
    let (code, out, err) = run(tidings(h).args(["import", "--into"]).arg(&into).arg(&file));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!("imported 1 article from 1 file into {}\n", into.display())
    );
    assert!(err.contains("is not in the library"), "{err}");
    assert!(err.contains("tidings --library"), "{err}");
    assert_eq!(md_files(&into).len(), 1);
    assert!(!news(h).exists());
    let (code, out, _) = run(tidings(h).arg("--library").arg(&into).arg("list"));
    assert_eq!(code, 0);
    assert!(out.ends_with("\tAlone\n"), "{out}");
}

#[test]
fn a_file_that_is_no_collection_fails_the_run_while_the_others_import() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    let good = write(h, "good.jsonl", "{\"title\": \"Fine\", \"body\": \"ok\"}\n");
    let prose = write(h, "prose.txt", "Just some text, no articles.\n");
    let missing = h.join("missing.json");
    let (code, out, err) = import(h, &[&good, &prose, &missing]);
    assert_eq!(code, 1, "{out}");
    assert!(out.starts_with("imported 1 article from 3 files"), "{out}");
    assert!(err.contains("2 files could not be read"), "{err}");
    assert!(
        err.contains("prose.txt: not a collection of articles"),
        "{err}"
    );
    assert!(err.contains("missing.json: No such file"), "{err}");
    assert_eq!(titles(h), ["Fine"]);
    assert!(!news(h).join("prose").exists() && !news(h).join("missing").exists());
}

#[test]
fn an_import_that_reads_nothing_leaves_the_bundled_library_alone() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    let (code, _, _) = import(h, &[&h.join("missing.jsonl")]);
    assert_eq!(code, 1);
    assert!(!news(h).exists());
    assert!(titles(h).len() > 5, "the bundled samples are still listed");
}

#[test]
fn json_reports_counts_files_and_skips() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    let file = write(h, "w.jsonl", "{\"title\": \"A\"}\n{oops\n");
    let (code, out, err) = run(tidings(h).args(["import", "--json"]).arg(&file));
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["imported"], 1);
    assert_eq!(report["skipped"], 1);
    assert_eq!(report["skips"][0]["at"], "2");
    assert_eq!(report["files"][0]["imported"], 1);
    assert!(err.contains("imported 1 article"), "{err}");
}

#[test]
fn twenty_thousand_json_lines_import_once_and_a_rerun_adds_nothing() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    let mut text = String::new();
    for i in 0..20_000 {
        // Every tenth title repeats: numbered names, never a probe from 1.
        let title = if i % 10 == 0 {
            "Daily bulletin".to_string()
        } else {
            format!("Story {i}")
        };
        text.push_str(&format!(
            "{{\"id\": \"s{i}\", \"title\": \"{title}\", \"body\": \"Paragraph of story {i}.\", \"date\": \"2021-05-0{}\"}}\n",
            1 + i % 9
        ));
    }
    let file = write(h, "big.jsonl", &text);
    let (code, out, err) = import(h, &[&file]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("imported 20,000 articles from 1 file"),
        "{out}"
    );
    assert_eq!(md_files(&news(h).join("big")).len(), 20_000);
    let (code, out, err) = import(h, &[&file]);
    assert_eq!(code, 0, "{err}");
    assert!(out.ends_with(", 20,000 already there\n"), "{out}");
    assert_eq!(md_files(&news(h).join("big")).len(), 20_000);
}
