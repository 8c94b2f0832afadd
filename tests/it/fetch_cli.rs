//! `tidings fetch` through the built binary, against a server the test
//! starts on 127.0.0.1 (port 0): the items land in the news folder and the
//! default library lists them, fetching again adds nothing, a failing feed
//! makes the exit code 1 with the reason, and a feed that moved for good is
//! followed in `feeds.toml`.

use crate::common::http::{Reply, Server};
use crate::common::{run, tidings};
use std::path::Path;
use tempfile::TempDir;

pub fn feed(items: &[(&str, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(title, guid)| {
            format!(
                "<item><title>{title}</title><guid isPermaLink=\"false\">{guid}</guid>\
                 <link>https://example.org/{guid}</link><pubDate>Tue, 24 Nov 2015 10:30:00 GMT</pubDate>\
                 <description>&lt;p&gt;The whole of {title}, in a paragraph.&lt;/p&gt;</description></item>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Local news</title>\
         <link>https://example.org/</link>{items}</channel></rss>"
    )
}

fn server() -> Server {
    Server::start(|request| match request.path.as_str() {
        "/feed.xml" => Reply::ok(feed(&[
            ("Harbour fees rise", "a1"),
            ("Rail strike ends", "a2"),
        ]))
        .header("Content-Type", "application/rss+xml"),
        "/new.xml" => Reply::ok(feed(&[("Storm closes schools", "b1")])),
        "/old.xml" => Reply::status(301).header("Location", "/new.xml"),
        _ => Reply::status(404),
    })
}

/// Subscribe `home` to `url` under `name`.
pub fn add(home: &Path, url: &str, name: &str) {
    let (code, _, err) = run(tidings(home).args(["feeds", "add", url, "--name", name]));
    assert_eq!(code, 0, "{err}");
}

/// The titles `tidings list` gives in `home`, by title.
pub fn titles(home: &Path) -> Vec<String> {
    let (code, out, err) = run(tidings(home).args(["list", "--sort", "title"]));
    assert_eq!(code, 0, "{err}");
    out.lines()
        .map(|l| l.splitn(3, '\t').nth(2).unwrap().to_string())
        .collect()
}

#[test]
fn fetched_items_are_listed_and_a_second_fetch_adds_nothing() {
    let server = server();
    let home = TempDir::new().unwrap();
    let h = home.path();
    add(h, &server.url("/feed.xml"), "local");
    let (code, out, err) = run(tidings(h).arg("fetch"));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out, "local\t2 new, 0 updated\n1 feed, 2 new items\n",
        "{err}"
    );
    assert_eq!(titles(h), ["Harbour fees rise", "Rail strike ends"]);
    let (_, show, _) = run(tidings(h).args(["list", "--json"]));
    assert!(
        show.contains("\"url\": \"https://example.org/a1\""),
        "{show}"
    );
    assert!(show.contains("\"format\": \"markdown\""), "{show}");

    let (code, out, err) = run(tidings(h).args(["fetch", "--json"]));
    assert_eq!(code, 0, "{err}");
    let reports: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(reports[0]["new"], 0);
    assert!(err.contains("1 feed, 0 new items"), "{err}");
    assert_eq!(titles(h).len(), 2);
    let (_, status, _) = run(tidings(h).args(["feeds", "list", "--json"]));
    assert!(status.contains("\"last_fetched\": \"20"), "{status}");
}

#[test]
fn a_failing_feed_gives_exit_code_1_with_its_reason_and_the_others_still_land() {
    let server = server();
    let home = TempDir::new().unwrap();
    let h = home.path();
    add(h, &server.url("/feed.xml"), "good");
    add(h, &server.url("/missing.xml"), "broken");
    let (code, out, err) = run(tidings(h).arg("fetch"));
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("broken\tfailed: "), "{out}");
    assert!(
        err.contains("2 feeds, 2 new items, 1 failed: broken: "),
        "{err}"
    );
    assert!(err.contains("404"), "{err}");
    assert_eq!(titles(h).len(), 2);
    // Only the named feed.
    let (code, out, _) = run(tidings(h).args(["fetch", "good"]));
    assert_eq!((code, out.lines().count()), (0, 2), "{out}");
    let (code, _, err) = run(tidings(h).args(["fetch", "nosuch"]));
    assert_eq!(code, 1);
    assert!(err.contains("no feed named nosuch"), "{err}");
}

#[test]
fn a_feed_that_moved_for_good_is_followed_in_feeds_toml() {
    let server = server();
    let home = TempDir::new().unwrap();
    let h = home.path();
    add(h, &server.url("/old.xml"), "mover");
    let (code, out, err) = run(tidings(h).arg("fetch"));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("mover moved to {}", server.url("/new.xml"))),
        "{out}"
    );
    let toml = std::fs::read_to_string(h.join("feeds.toml")).unwrap();
    assert!(toml.contains(&server.url("/new.xml")), "{toml}");
    assert_eq!(titles(h), ["Storm closes schools"]);
}

#[test]
fn fetch_without_subscriptions_says_how_to_add_one() {
    let home = TempDir::new().unwrap();
    let (code, _, err) = run(tidings(home.path()).arg("fetch"));
    assert_eq!(code, 1);
    assert!(err.contains("tidings feeds add URL"), "{err}");
}
