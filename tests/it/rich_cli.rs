//! Rich articles through the command line: the new search fields, the
//! list's order and what `list --json` and `show` give for Markdown, HTML
//! and JSON files.

use crate::common::{run, tidings, write_tree};
use serde_json::Value;
use std::path::Path;
use tempfile::TempDir;

/// A library of one article per format, each dated differently, plus an
/// undated plain-text one.
fn library() -> TempDir {
    let home = TempDir::new().unwrap();
    write_tree(
        home.path(),
        &[
            (
                "lib/notes/harbour.md",
                b"---\ntitle: Harbour fees to rise\nauthor: Jane Doe\ndate: 2015-11-24T10:30:00Z\nurl: https://www.example.org/harbour\ntags: [Economy, ports]\n---\n\nThe council will raise *harbour* fees, its [report](https://example.org/report) says.\n\n- first item\n- second item\n",
            ),
            (
                "lib/pages/rail.html",
                b"<html><head><title>Rail strike called off</title><meta name=\"author\" content=\"Sam Roe\"><meta property=\"article:published_time\" content=\"2016-02-01T08:00:00Z\"><link rel=\"canonical\" href=\"https://news.example.net/rail\"></head><body><nav><a href=\"/\">Home</a></nav><article><h1>Rail strike called off</h1><p>Unions and the operator reached an agreement late on Sunday night after talks that lasted most of the weekend, and trains will run as normal.</p><p>Passengers had been told to expect widespread cancellations across the network during the week.</p></article></body></html>",
            ),
            (
                "lib/wire/storm.json",
                br#"{"headline": "Storm closes schools", "byline": "Ann Lee", "publishedAt": "2014-01-05", "link": "https://example.org/storm", "body": ["Schools across the county closed as the storm arrived.", "Roads were flooded in several places."]}"#,
            ),
            (
                "lib/old/plain.txt",
                b"An undated story\n\nA plain text file with no date at all.",
            ),
        ],
    );
    home
}

fn cli(home: &Path, args: &[&str]) -> (i32, String, String) {
    run(tidings(home).args(args))
}

fn titles_of(out: &str) -> Vec<String> {
    let mut t: Vec<String> = out
        .lines()
        .map(|l| l.splitn(3, '\t').nth(2).unwrap().to_string())
        .collect();
    t.sort();
    t
}

#[test]
fn author_site_and_tag_find_the_articles_that_carry_them() {
    let home = library();
    let search = |q: &str| {
        let (code, out, err) = cli(home.path(), &["search", "-l", "lib", "--", q]);
        assert_eq!(code, 0, "{q}: {err}");
        titles_of(&out)
    };
    assert_eq!(search("author:doe"), ["Harbour fees to rise"]);
    assert_eq!(search("author:\"sam roe\""), ["Rail strike called off"]);
    assert_eq!(search("author:lee"), ["Storm closes schools"]);
    assert_eq!(
        search("site:example.org"),
        ["Harbour fees to rise", "Storm closes schools"]
    );
    assert_eq!(
        search("site:https://news.example.net/x"),
        ["Rail strike called off"]
    );
    assert_eq!(search("tag:economy"), ["Harbour fees to rise"]);
    assert_eq!(
        search("category:ports"),
        ["Harbour fees to rise"],
        "tags join the category"
    );
    assert_eq!(
        search("-site:example.org schools OR trains"),
        ["Rail strike called off"]
    );
    assert!(search("author:nobody").is_empty());
}

#[test]
fn list_is_newest_first_with_undated_last_and_sort_changes_it() {
    let home = library();
    let order = |sort: &str| -> Vec<String> {
        let (code, out, err) = cli(home.path(), &["list", "-l", "lib", "--sort", sort]);
        assert_eq!(code, 0, "{err}");
        out.lines()
            .map(|l| l.splitn(3, '\t').nth(2).unwrap().to_string())
            .collect()
    };
    let newest = [
        "Rail strike called off",
        "Harbour fees to rise",
        "Storm closes schools",
        "An undated story",
    ];
    assert_eq!(order("newest"), newest);
    let (_, default, _) = cli(home.path(), &["list", "-l", "lib"]);
    assert_eq!(default.lines().count(), 4);
    assert!(
        default
            .lines()
            .next()
            .unwrap()
            .ends_with("Rail strike called off")
    );
    assert_eq!(
        order("oldest"),
        [
            "Storm closes schools",
            "Harbour fees to rise",
            "Rail strike called off",
            "An undated story"
        ]
    );
    assert_eq!(
        order("title"),
        [
            "An undated story",
            "Harbour fees to rise",
            "Rail strike called off",
            "Storm closes schools"
        ]
    );
    let (code, _, err) = cli(home.path(), &["list", "-l", "lib", "--sort", "random"]);
    assert_eq!(code, 2);
    assert!(err.contains("newest, oldest, title, library"), "{err}");
}

#[test]
fn list_json_has_url_author_date_and_format() {
    let home = library();
    let (code, out, err) = cli(home.path(), &["list", "-l", "lib", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let by_title = |t: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|e| e["title"] == t)
            .unwrap()
            .clone()
    };
    let md = by_title("Harbour fees to rise");
    assert_eq!(md["format"], "markdown");
    assert_eq!(md["url"], "https://www.example.org/harbour");
    assert_eq!(md["author"], "Jane Doe");
    assert_eq!(md["date"], "2015-11-24T10:30:00Z");
    let html = by_title("Rail strike called off");
    assert_eq!(
        (html["format"].as_str(), html["url"].as_str()),
        (Some("html"), Some("https://news.example.net/rail"))
    );
    let json = by_title("Storm closes schools");
    assert_eq!(
        (json["format"].as_str(), json["date"].as_str()),
        (Some("json"), Some("2014-01-05T00:00:00Z"))
    );
    let txt = by_title("An undated story");
    assert_eq!(txt["format"], "text");
    assert!(txt["date"].is_null() && txt["url"].is_null() && txt["author"].is_null());
}

#[test]
fn show_gives_the_blocks_and_links_as_json_and_as_text() {
    let home = library();
    let (code, out, err) = cli(
        home.path(),
        &["show", "-l", "lib", "notes/harbour.md", "--json"],
    );
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["tags"], serde_json::json!(["Economy", "ports"]));
    let blocks = v["blocks"].as_array().unwrap();
    assert_eq!(blocks[0]["kind"], "paragraph");
    assert_eq!(
        blocks[0]["text"],
        "The council will raise harbour fees, its report says."
    );
    let spans = blocks[0]["spans"].as_array().unwrap();
    assert!(spans.iter().any(|s| s["style"] == "emphasis"), "{spans:?}");
    assert!(spans.iter().any(|s| s["style"]["link"] == 0), "{spans:?}");
    assert_eq!(blocks[1]["kind"], "list_item");
    assert_eq!(blocks[1]["depth"], 0);
    assert_eq!(v["links"][0]["target"], "https://example.org/report");

    let (code, text, err) = cli(home.path(), &["show", "-l", "lib", "notes/harbour.md"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        text.contains("by Jane Doe · www.example.org · 2015-11-24"),
        "{text}"
    );
    assert!(text.contains("https://www.example.org/harbour\n"), "{text}");
    assert!(text.contains("its report [1] says."), "{text}");
    assert!(text.contains("\n- first item\n- second item\n"), "{text}");
    assert!(
        text.ends_with("Links\n[1] https://example.org/report\n"),
        "{text}"
    );
}
