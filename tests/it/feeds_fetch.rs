//! Fetching feeds into Markdown files, against servers the tests start on
//! 127.0.0.1 (port 0): formats, charsets, HTML cleaning, conditional GET,
//! redirects, timeouts, caps, errors and backoff, hostile names, symlinks,
//! updates, deletions, concurrency and a killed run. Nothing here leaves
//! the machine; example.org appears only as text inside fixtures.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use tempfile::TempDir;
use tidings::article::format::Format;
use tidings::feeds::fetch::{FeedReport, FeedSpec, FetchError, FetchOptions, fetch_all};
use tidings::feeds::http::{Client, HttpOptions};
use tidings::feeds::state::{FeedState, StateFile};

use crate::common::http::{Body, Reply, Server};
use crate::common::repo_file;

fn fixture(name: &str) -> Vec<u8> {
    fs::read(repo_file(&format!("tests/fixtures/feeds/{name}"))).unwrap()
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A serving of one fixture, always the same bytes.
fn serve(name: &'static str) -> Server {
    let bytes = fixture(name);
    Server::start(move |_| Reply::ok(bytes.clone()))
}

/// A news folder and a data dir in a temp dir.
struct Env {
    tmp: TempDir,
    http: HttpOptions,
}

impl Env {
    fn new() -> Self {
        Self {
            tmp: TempDir::new().unwrap(),
            http: HttpOptions::default(),
        }
    }

    fn news(&self) -> PathBuf {
        self.tmp.path().join("news")
    }

    fn data(&self) -> PathBuf {
        self.tmp.path().join("data")
    }

    fn options(&self) -> FetchOptions {
        let mut o = FetchOptions::new(self.data(), self.news(), now());
        o.force = true;
        o
    }

    fn fetch(&self, url: &str) -> FeedReport {
        self.fetch_all(&[spec(url)]).remove(0)
    }

    fn fetch_all(&self, specs: &[FeedSpec]) -> Vec<FeedReport> {
        fetch_all(
            &Client::new(self.http.clone()),
            specs,
            &self.options(),
            &|_| {},
        )
        .unwrap()
    }

    fn folder(&self) -> PathBuf {
        self.news().join("world/feed")
    }

    /// The names in the feed folder, sorted (temp files included).
    fn names(&self) -> Vec<String> {
        names_in(&self.folder())
    }

    fn read(&self, name: &str) -> String {
        fs::read_to_string(self.folder().join(name)).unwrap()
    }

    fn state(&self, url: &str) -> FeedState {
        let (state, _) = StateFile::load(&StateFile::path_in(&self.data())).unwrap();
        state.feeds.get(url).cloned().unwrap_or_default()
    }
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn spec(url: &str) -> FeedSpec {
    FeedSpec {
        name: "Feed".into(),
        url: url.into(),
        folder: PathBuf::from("world/feed"),
        full_text: false,
    }
}

fn parsed(text: &str) -> tidings::article::Parsed {
    tidings::library::parse_bytes(text.as_bytes(), Format::Markdown).unwrap()
}

#[test]
fn every_feed_format_becomes_markdown_files_the_app_reads_back() {
    let cases = [
        (
            "rss091.xml",
            "Harbour reopens after storm",
            "https://example.org/harbour",
            None,
            None,
        ),
        (
            "rss10.rdf",
            "Council votes on bridge",
            "https://example.org/rdf/1",
            Some("Ada Byline"),
            Some("2024-03-05"),
        ),
        (
            "rss20.xml",
            "Library opens new wing",
            "https://example.org/2024/library",
            Some("Ben Writer"),
            Some("2024-04-02"),
        ),
        (
            "atom.xml",
            "Market day returns",
            "https://example.org/atom/market",
            Some("Cara Column"),
            Some("2024-05-01"),
        ),
        (
            "jsonfeed.json",
            "Park gets new trees",
            "https://example.org/json/1",
            Some("Dee Desk"),
            Some("2024-06-10"),
        ),
    ];
    for (fixture_name, title, url, author, day) in cases {
        let env = Env::new();
        let server = serve(fixture_name);
        let report = env.fetch(&server.url("/feed"));
        assert_eq!(report.error, None, "{fixture_name}");
        assert!(report.new >= 1, "{fixture_name}: {report:?}");
        let name = env
            .names()
            .into_iter()
            .find(|n| n.contains(&tidings::feeds::write::slug(title)))
            .unwrap_or_else(|| panic!("{fixture_name}: no file for {title} in {:?}", env.names()));
        if let Some(day) = day {
            assert!(name.starts_with(day), "{name}");
        }
        let article = parsed(&env.read(&name));
        assert_eq!(article.title, title, "{fixture_name}");
        assert_eq!(article.url.as_deref(), Some(url), "{fixture_name}");
        assert_eq!(article.author.as_deref(), author, "{fixture_name}");
        assert_eq!(article.published.is_some(), day.is_some(), "{fixture_name}");
    }
}

#[test]
fn rss20_items_carry_their_content_and_front_matter() {
    let env = Env::new();
    let server = serve("rss20.xml");
    let url = server.url("/feed");
    assert_eq!(env.fetch(&url).new, 2);
    let text = env.read("2024-04-02-library-opens-new-wing.md");
    let article = parsed(&text);
    assert!(
        article
            .paragraphs
            .iter()
            .any(|p| p.contains("new wing today")),
        "{text}"
    );
    assert_eq!(article.published, Some(1712046600));
    assert!(text.contains(&format!("feed_url: {url}")), "{text}");
    assert!(
        text.contains("guid: tag:example.org,2024:library"),
        "{text}"
    );
    assert!(text.contains("feed: Feed"), "{text}");
}

#[test]
fn an_iso_8859_1_feed_declared_in_its_prolog_is_decoded() {
    let env = Env::new();
    let server = serve("latin1.xml");
    assert_eq!(env.fetch(&server.url("/feed")).new, 1);
    assert_eq!(env.names(), ["2024-07-01-crème-brûlée-au-café.md"]);
    let article = parsed(&env.read(&env.names()[0]));
    assert_eq!(article.title, "Crème brûlée au café");
    assert!(
        article
            .paragraphs
            .iter()
            .any(|p| p.contains("Naïve déjà vu"))
    );
}

#[test]
fn relative_links_resolve_and_scripts_styles_iframes_and_pixels_are_dropped() {
    let env = Env::new();
    let server = serve("content.xml");
    env.fetch(&server.url("/feed"));
    let text = env.read("2024-07-05-relative-links-and-junk.md");
    assert!(
        text.contains("(https://example.org/blog/archive)"),
        "{text}"
    );
    assert!(text.contains("(https://example.org/about)"), "{text}");
    assert!(
        text.contains("(https://example.org/blog/2024/images/chart.png)"),
        "{text}"
    );
    assert!(text.contains("The end."), "{text}");
    for junk in [
        "EVIL SCRIPT",
        "STYLE RULE",
        "IFRAME TEXT",
        "pixel.example.org",
        "ads.example",
    ] {
        assert!(!text.contains(junk), "{junk} in {text}");
    }
}

/// A server answering 304 when the request carries `header` = `value`.
fn conditional(header: &'static str, reply_header: &'static str, value: &'static str) -> Server {
    let bytes = fixture("rss20.xml");
    Server::start(move |req| {
        if req.header(header) == Some(value) {
            Reply::status(304)
        } else {
            Reply::ok(bytes.clone()).header(reply_header, value)
        }
    })
}

#[test]
fn not_modified_with_an_etag_sends_it_back_and_writes_nothing() {
    let env = Env::new();
    let server = conditional("if-none-match", "ETag", "\"v1\"");
    let url = server.url("/feed");
    assert_eq!(env.fetch(&url).new, 2);
    let before = env.names();
    let second = env.fetch(&url);
    assert!(second.not_modified && second.new == 0, "{second:?}");
    assert_eq!(env.names(), before);
    assert_eq!(server.requests()[1].header("if-none-match"), Some("\"v1\""));
    assert_eq!(env.state(&url).last_result.as_deref(), Some("not modified"));
}

#[test]
fn not_modified_with_last_modified_sends_it_back_and_writes_nothing() {
    let env = Env::new();
    let date = "Tue, 02 Apr 2024 08:30:00 GMT";
    let server = conditional("if-modified-since", "Last-Modified", date);
    let url = server.url("/feed");
    env.fetch(&url);
    let second = env.fetch(&url);
    assert!(second.not_modified, "{second:?}");
    assert_eq!(server.requests()[1].header("if-modified-since"), Some(date));
    assert_eq!(env.names().len(), 2);
}

#[test]
fn gzip_bodies_are_decompressed_and_the_user_agent_names_tidings() {
    let env = Env::new();
    let gz = fixture("rss20.xml.gz");
    let server = Server::start(move |_| Reply::ok(gz.clone()).header("Content-Encoding", "gzip"));
    assert_eq!(env.fetch(&server.url("/feed")).new, 2);
    let req = &server.requests()[0];
    assert!(req.header("accept-encoding").unwrap_or("").contains("gzip"));
    assert!(
        req.header("user-agent")
            .unwrap_or("")
            .starts_with("tidings/")
    );
}

fn redirecting() -> Server {
    let bytes = fixture("rss20.xml");
    Server::start(move |req| match req.path.as_str() {
        "/old" => Reply::status(301).header("Location", "/new"),
        "/temp" => Reply::status(302).header("Location", "/new"),
        "/loop-a" => Reply::status(302).header("Location", "/loop-b"),
        "/loop-b" => Reply::status(302).header("Location", "/loop-a"),
        "/new" => Reply::ok(bytes.clone()),
        p => {
            let n: usize = p.trim_start_matches("/hop").parse().unwrap_or(0);
            Reply::status(302).header("Location", &format!("/hop{}", n + 1))
        }
    })
}

#[test]
fn a_permanent_redirect_is_followed_and_reported_as_moved() {
    let env = Env::new();
    let server = redirecting();
    let report = env.fetch(&server.url("/old"));
    assert_eq!(report.new, 2);
    assert_eq!(report.moved_to, Some(server.url("/new")));
}

#[test]
fn a_temporary_redirect_is_followed_but_not_a_move() {
    let env = Env::new();
    let server = redirecting();
    let report = env.fetch(&server.url("/temp"));
    assert_eq!((report.new, report.moved_to), (2, None));
}

#[test]
fn a_redirect_loop_and_a_long_chain_are_errors() {
    let env = Env::new();
    let server = redirecting();
    let looped = env.fetch(&server.url("/loop-a"));
    assert!(
        looped.error.as_deref().unwrap().contains("redirect loop"),
        "{looped:?}"
    );
    let chain = env.fetch(&server.url("/hop0"));
    assert!(
        chain
            .error
            .as_deref()
            .unwrap()
            .contains("more than 5 redirects"),
        "{chain:?}"
    );
    assert_eq!(
        server
            .requests()
            .iter()
            .filter(|r| r.path.starts_with("/hop"))
            .count(),
        6
    );
}

#[test]
fn a_server_dripping_a_byte_a_second_times_out() {
    let mut env = Env::new();
    env.http.timeout = Duration::from_secs(2);
    let server = Server::start(|_| Reply::status(200).with(Body::Drip));
    let started = Instant::now();
    let report = env.fetch(&server.url("/feed"));
    assert_eq!(report.error.as_deref(), Some("timed out"));
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_100_mb_body_is_capped_and_refused() {
    let mut env = Env::new();
    env.http.max_body = 1024 * 1024;
    let server = Server::start(|_| Reply::status(200).with(Body::Zeros(100 * 1024 * 1024)));
    let report = env.fetch(&server.url("/feed"));
    assert_eq!(
        report.error.as_deref(),
        Some("response larger than 1048576 bytes")
    );
    assert!(env.names().is_empty());
}

#[test]
fn http_errors_are_reported_and_back_off() {
    let env = Env::new();
    let server = Server::start(|req| match req.path.as_str() {
        "/404" => Reply::status(404),
        "/500" => Reply::status(500),
        _ => Reply::status(429).header("Retry-After", "3600"),
    });
    let start = now();
    for (path, why) in [
        ("/404", "server answered 404"),
        ("/500", "server answered 500"),
    ] {
        let url = server.url(path);
        assert_eq!(env.fetch(&url).error.as_deref(), Some(why));
        let state = env.state(&url);
        assert_eq!(
            (state.failures, state.last_result.as_deref()),
            (1, Some(why))
        );
        let next = tidings::article::date::parse(state.next_fetch.as_deref().unwrap()).unwrap();
        assert!(
            (start + 59..=start + 70).contains(&next),
            "{next} vs {start}"
        );
    }
    let url = server.url("/429");
    let report = env.fetch(&url);
    assert!(report.error.unwrap().contains("429"));
    let next = env.state(&url).next_fetch.unwrap();
    let next = tidings::article::date::parse(&next).unwrap();
    assert!(
        (start + 3599..=start + 3610).contains(&next),
        "{next} vs {start}"
    );
}

#[test]
fn a_feed_in_its_backoff_is_skipped_unless_forced() {
    let env = Env::new();
    let server = Server::start(|_| Reply::status(500));
    let url = server.url("/feed");
    env.fetch(&url);
    let mut options = env.options();
    options.force = false;
    let client = Client::new(env.http.clone());
    let reports = fetch_all(&client, &[spec(&url)], &options, &|_| {}).unwrap();
    assert!(reports[0].skipped);
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn malformed_xml_is_an_error_and_writes_nothing() {
    let env = Env::new();
    let server = Server::start(|_| Reply::ok("<rss version=\"2.0\"><channel><item><title>x</chan"));
    let report = env.fetch(&server.url("/feed"));
    assert!(report.error.is_some(), "{report:?}");
    assert!(env.names().is_empty());
}

#[test]
fn an_entity_expansion_bomb_is_refused_fast() {
    let env = Env::new();
    let mut bomb =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
    for i in 1..=9 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        bomb.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    bomb.push_str("]>\n<rss version=\"2.0\"><channel><title>&lol9;</title></channel></rss>");
    let server = Server::start(move |_| Reply::ok(bomb.clone()));
    let started = Instant::now();
    let report = env.fetch(&server.url("/feed"));
    assert!(report.error.unwrap().contains("document type"));
    assert!(started.elapsed() < Duration::from_secs(2));
}

/// An RSS 2.0 feed of `items` (title, guid, link) with a fixed date.
fn rss(items: &[(&str, Option<&str>, Option<&str>)]) -> String {
    let mut xml = String::from("<rss version=\"2.0\"><channel><title>T</title>");
    for (title, guid, link) in items {
        xml.push_str("<item>");
        xml.push_str(&format!("<title>{title}</title>"));
        if let Some(g) = guid {
            xml.push_str(&format!("<guid>{g}</guid>"));
        }
        if let Some(l) = link {
            xml.push_str(&format!("<link>{l}</link>"));
        }
        xml.push_str("<pubDate>Mon, 01 Jul 2024 10:00:00 GMT</pubDate>");
        xml.push_str("<description>Body.</description></item>");
    }
    xml + "</channel></rss>"
}

#[test]
fn duplicate_guids_give_one_file_and_refetching_adds_nothing() {
    let env = Env::new();
    let xml = rss(&[
        ("First", Some("same"), None),
        ("Second", Some("same"), None),
    ]);
    let server = Server::start(move |_| Reply::ok(xml.clone()));
    let url = server.url("/feed");
    assert_eq!(env.fetch(&url).new, 1);
    let again = env.fetch(&url);
    assert_eq!((again.new, again.updated, again.unchanged), (0, 0, 1));
    assert_eq!(env.names(), ["2024-07-01-first.md"]);
}

#[test]
fn items_without_guids_or_with_only_a_link_are_kept_apart_and_not_repeated() {
    let env = Env::new();
    let xml = rss(&[
        ("Only a title", None, None),
        ("Same title", None, Some("https://example.org/a")),
        ("Same title", None, Some("https://example.org/b")),
    ]);
    let server = Server::start(move |_| Reply::ok(xml.clone()));
    let url = server.url("/feed");
    assert_eq!(env.fetch(&url).new, 3);
    assert_eq!(
        env.names(),
        [
            "2024-07-01-only-a-title.md",
            "2024-07-01-same-title-2.md",
            "2024-07-01-same-title.md"
        ]
    );
    assert_eq!(env.fetch(&url).new, 0);
    assert_eq!(env.names().len(), 3);
}

#[test]
fn hostile_titles_and_guids_land_as_safe_files_inside_the_folder() {
    let env = Env::new();
    let long = "é".repeat(150) + &"x".repeat(100);
    let titles = [
        "../../x".to_string(),
        "/etc/passwd".to_string(),
        "nul\u{0}here".to_string(),
        long,
        "\u{1b}]52;c;aGk=\u{7}esc\u{9b}31m".to_string(),
        "\u{202e}evil\u{202c}txt".to_string(),
        ".hidden".to_string(),
        "..".to_string(),
    ];
    let guids = [
        "../../x",
        "/etc/passwd",
        "\u{0}",
        "a\u{1b}[2J",
        "..",
        ".",
        "/",
        "\u{202e}",
    ];
    let items: Vec<serde_json::Value> = titles
        .iter()
        .zip(guids)
        .map(|(t, g)| {
            serde_json::json!({"id": g, "title": t, "content_text": t,
            "date_published": "2024-07-01T10:00:00Z"})
        })
        .collect();
    let feed = serde_json::json!({"version": "https://jsonfeed.org/version/1.1",
        "title": "../../feed", "items": items});
    let body = feed.to_string();
    let server = Server::start(move |_| Reply::ok(body.clone()));
    let report = env.fetch(&server.url("/feed"));
    assert_eq!(report.error, None);
    assert_eq!(report.new, titles.len(), "{report:?}");
    let names = env.names();
    assert_eq!(names.len(), titles.len(), "{names:?}");
    for name in &names {
        assert!(name.len() <= 255, "{name}");
        assert!(!name.starts_with('.'), "{name}");
        assert!(
            name.starts_with("2024-07-01-") && name.ends_with(".md"),
            "{name}"
        );
        assert!(
            name.chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.'),
            "{name:?}"
        );
        let text = env.read(name);
        assert!(!text.contains('\u{1b}') && !text.contains('\u{0}') && !text.contains('\u{202e}'));
        assert!(
            !parsed(&text).title.is_empty() || text.contains("title: ''"),
            "{text}"
        );
    }
    assert!(
        names.contains(&"2024-07-01-etc-passwd.md".to_string()),
        "{names:?}"
    );
    assert_eq!(names_in(env.tmp.path()), ["data", "news"]);
    assert_eq!(names_in(&env.news()), ["world"]);
}

#[test]
fn a_symlink_planted_in_the_news_folder_is_not_followed() {
    let env = Env::new();
    let elsewhere = TempDir::new().unwrap();
    fs::create_dir_all(env.news().join("world")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), env.news().join("world/feed")).unwrap();
    let server = serve("rss20.xml");
    let report = env.fetch(&server.url("/feed"));
    assert!(report.error.unwrap().contains("not a real directory"));
    assert!(names_in(elsewhere.path()).is_empty());
}

#[test]
fn a_symlink_where_an_item_file_would_go_is_left_alone() {
    let env = Env::new();
    let victim = env.tmp.path().join("victim.txt");
    fs::write(&victim, "keep me").unwrap();
    fs::create_dir_all(env.folder()).unwrap();
    std::os::unix::fs::symlink(
        &victim,
        env.folder().join("2024-04-02-library-opens-new-wing.md"),
    )
    .unwrap();
    let server = serve("rss20.xml");
    assert_eq!(env.fetch(&server.url("/feed")).new, 2);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me");
    assert!(
        env.names()
            .contains(&"2024-04-02-library-opens-new-wing-2.md".to_string())
    );
}

#[test]
fn a_file_the_feed_did_not_write_is_never_overwritten() {
    let env = Env::new();
    fs::create_dir_all(env.folder()).unwrap();
    let mine = env.folder().join("2024-04-02-library-opens-new-wing.md");
    fs::write(&mine, "my notes").unwrap();
    let server = serve("rss20.xml");
    env.fetch(&server.url("/feed"));
    assert_eq!(fs::read_to_string(&mine).unwrap(), "my notes");
    assert!(
        env.names()
            .contains(&"2024-04-02-library-opens-new-wing-2.md".to_string())
    );
}

#[test]
fn an_updated_item_replaces_its_own_file() {
    let env = Env::new();
    let version = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let v = version.clone();
    let server = Server::start(move |_| {
        let body = if v.load(std::sync::atomic::Ordering::SeqCst) == 0 {
            "First draft."
        } else {
            "Corrected text."
        };
        Reply::ok(rss(&[("Story", Some("g1"), None)]).replace("Body.", body))
    });
    let url = server.url("/feed");
    assert_eq!(env.fetch(&url).new, 1);
    version.store(1, std::sync::atomic::Ordering::SeqCst);
    let report = env.fetch(&url);
    assert_eq!((report.new, report.updated), (0, 1));
    assert_eq!(env.names(), ["2024-07-01-story.md"]);
    assert!(env.read("2024-07-01-story.md").contains("Corrected text."));
}

#[test]
fn a_deleted_item_file_is_not_fetched_again() {
    let env = Env::new();
    let server = serve("rss20.xml");
    let url = server.url("/feed");
    env.fetch(&url);
    fs::remove_file(env.folder().join("2024-04-03-trains-run-late.md")).unwrap();
    let report = env.fetch(&url);
    assert_eq!(report.new, 0);
    assert_eq!(env.names(), ["2024-04-02-library-opens-new-wing.md"]);
}

#[test]
fn two_fetches_at_once_write_nothing_twice() {
    let env = Env::new();
    let servers: Vec<Server> = ["rss20.xml", "atom.xml", "jsonfeed.json"]
        .into_iter()
        .map(serve)
        .collect();
    let specs: Vec<FeedSpec> = servers.iter().map(|s| spec(&s.url("/feed"))).collect();
    let totals: Vec<usize> = std::thread::scope(|scope| {
        let runs: Vec<_> = (0..2)
            .map(|_| scope.spawn(|| env.fetch_all(&specs).iter().map(|r| r.new).sum()))
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    assert_eq!(totals.iter().sum::<usize>(), 4, "{totals:?}");
    assert_eq!(env.names().len(), 4, "{:?}", env.names());
}

#[test]
fn a_second_fetch_that_cannot_wait_says_another_is_running() {
    let env = Env::new();
    fs::create_dir_all(env.data().join("feeds")).unwrap();
    let held = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(env.data().join("feeds/fetch.lock"))
        .unwrap();
    if held.try_lock().is_err() {
        return; // no locks on this file system
    }
    let mut options = env.options();
    options.lock_wait = Duration::from_millis(50);
    let result = fetch_all(&Client::new(env.http.clone()), &[], &options, &|_| {});
    let err = result.unwrap_err();
    assert!(matches!(err, FetchError::Busy));
    assert_eq!(err.to_string(), "another fetch is running");
}

#[test]
fn a_fetch_killed_mid_way_leaves_nothing_partial_and_writes_nothing_twice() {
    let env = Env::new();
    let server = serve("rss20.xml");
    let url = server.url("/feed");
    env.fetch(&url);
    // Simulate a kill after the second item's file was renamed into place
    // but before the state recorded it, with a temp file half written.
    let mut state = StateFile::load(&StateFile::path_in(&env.data())).unwrap().0;
    let feed = state.feeds.get_mut(&url).unwrap();
    feed.seen.retain(|k, _| !k.contains("trains"));
    feed.etag = None;
    state.save().unwrap();
    let temp = env.folder().join(".tmp-999999999-0");
    fs::write(&temp, "---\ntitle: half").unwrap();
    let old = SystemTime::now() - Duration::from_secs(120);
    fs::File::options()
        .write(true)
        .open(&temp)
        .unwrap()
        .set_modified(old)
        .unwrap();

    let report = env.fetch(&url);
    assert_eq!((report.new, report.error), (0, None));
    assert_eq!(
        env.names(),
        [
            "2024-04-02-library-opens-new-wing.md",
            "2024-04-03-trains-run-late.md"
        ]
    );
    assert_eq!(env.state(&url).seen.len(), 2);
}

#[test]
fn at_most_two_feeds_of_one_host_are_fetched_at_once() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let env = Env::new();
    let (now_running, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let (r, m) = (now_running.clone(), most.clone());
    let bytes = fixture("atom.xml");
    let server = Server::start(move |_| {
        let n = r.fetch_add(1, Ordering::SeqCst) + 1;
        m.fetch_max(n, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(300));
        r.fetch_sub(1, Ordering::SeqCst);
        Reply::ok(bytes.clone())
    });
    let specs: Vec<FeedSpec> = (0..5)
        .map(|i| FeedSpec {
            folder: PathBuf::from(format!("f{i}")),
            ..spec(&server.url(&format!("/feed{i}")))
        })
        .collect();
    let reports = env.fetch_all(&specs);
    assert!(
        reports.iter().all(|r| r.new == 1 && r.error.is_none()),
        "{reports:?}"
    );
    assert_eq!(most.load(Ordering::SeqCst), 2);
}
