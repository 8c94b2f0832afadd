//! Full text: a feed's items carry only summaries and their pages are
//! served by the same loopback server (127.0.0.1, port 0). With full text
//! the files hold each page's article (not its navigation), a page that
//! fails leaves the summary and is counted, a feed without it never asks
//! for a page, and a refetch keeps the article until the feed changes.

use std::fs;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tempfile::TempDir;
use tidings::article::format::Format;
use tidings::feeds::fetch::{FeedReport, FeedSpec, FetchOptions, fetch_all};
use tidings::feeds::http::{Client, HttpOptions};

use crate::app::keys;
use crate::common::http::{Body, Reply, Server};
use crate::common::pty::{Session, tidings_pty};
use crate::common::screen::drawn;
use crate::common::{run, tidings};
use tidings::action::Action;
use tidings::app::full_article::FETCHING;
use tidings::app::marks::Mark;
use tidings::app::{App, Effect, Event, Settings, serve_reads};
use tidings::library::{Library, LoadOptions};
use tidings::store::Store;
use tidings::tui::full_article::{Job, rewrite};

const STORY: &str = "The council met on Tuesday to decide the fate of the old harbour \
    bridge, which has stood since 1888 and carried trams, carts and, lately, mostly cyclists.";

/// An RSS feed of `stories` (the path of each item's page, relative to
/// the feed, so the same server serves them), each with a one-line
/// summary; `edition` changes the summaries' text.
fn feed(stories: &[&str], edition: u32) -> String {
    let items: String = stories
        .iter()
        .map(|path| {
            format!(
                "<item><title>Story {path}</title><guid>{path}</guid><link>{path}</link>\
                 <description>Summary of {path}, edition {edition}.</description></item>"
            )
        })
        .collect();
    format!("<rss version=\"2.0\"><channel><title>Local</title>{items}</channel></rss>")
}

/// An article page with navigation around it and a relative link inside.
fn page(words: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>Story</title></head><body>\
         <nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/weather\">Weather desk</a></li></ul></nav>\
         <article><h1>Story</h1><p>{STORY} {words}</p><p>{STORY}</p>\
         <p>Read <a href=\"../archive/bridge\">the earlier story</a>.</p></article>\
         <footer>Subscribe to our newsletter</footer></body></html>"
    )
}

/// A server for a feed at `/feed` (its edition 1 once `changed` is set)
/// and its pages, answered by `pages`.
fn server(
    pages: impl Fn(&str) -> Reply + Send + Sync + 'static,
    changed: Arc<AtomicBool>,
) -> Server {
    Server::start(move |request| {
        if request.path == "/feed" {
            let edition = u32::from(changed.load(Ordering::SeqCst));
            Reply::ok(feed(&["/story/one", "/story/two"], edition))
        } else {
            pages(&request.path)
        }
    })
}

fn html(text: String) -> Reply {
    Reply::ok(text).header("Content-Type", "text/html; charset=utf-8")
}

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

    fn fetch(&self, url: &str, spec_full_text: bool, all_full_text: bool) -> FeedReport {
        let spec = FeedSpec {
            name: "Local".into(),
            url: url.into(),
            folder: PathBuf::from("local"),
            full_text: spec_full_text,
        };
        let mut options = FetchOptions::new(
            self.tmp.path().join("data"),
            self.tmp.path().join("news"),
            tidings::article::date::now(),
        );
        options.force = true;
        options.full_text = all_full_text;
        fetch_all(&Client::new(self.http.clone()), &[spec], &options, &|_| {})
            .unwrap()
            .remove(0)
    }

    /// The text of the item file whose name contains `slug`.
    fn item(&self, slug: &str) -> String {
        let dir = self.tmp.path().join("news/local");
        let entry = fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .find(|e| e.file_name().to_string_lossy().contains(slug))
            .unwrap_or_else(|| panic!("no file for {slug} in {}", dir.display()));
        fs::read_to_string(entry.path()).unwrap()
    }
}

fn page_requests(server: &Server) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/story/"))
        .count()
}

#[test]
fn full_text_items_hold_the_article_not_the_summary_or_the_navigation() {
    let server = server(|_| html(page("")), Arc::default());
    let env = Env::new();
    let report = env.fetch(&server.url("/feed"), true, false);
    assert_eq!((report.new, report.full_text_failed), (2, 0), "{report:?}");
    assert_eq!(report.error, None);
    let text = env.item("story-one");
    assert!(text.contains("old harbour bridge"), "{text}");
    assert!(text.contains("full_text: true\n"), "{text}");
    for gone in ["Summary of", "Weather desk", "newsletter"] {
        assert!(!text.contains(gone), "{gone} in {text}");
    }
    // The relative link is made absolute against the page's address.
    let earlier = format!("({})", server.url("/archive/bridge"));
    assert!(text.contains(&earlier), "{text}");
    // The file is still an article the library reads, titled by the feed.
    let parsed = tidings::library::parse_bytes(text.as_bytes(), Format::Markdown).unwrap();
    assert_eq!(parsed.title, "Story /story/one");
    assert_eq!(
        parsed.url.as_deref(),
        Some(server.url("/story/one").as_str())
    );
    assert!(parsed.paragraphs.iter().any(|p| p.contains("since 1888")));
}

#[test]
fn a_page_that_fails_keeps_the_summary_and_is_counted() {
    let server = server(
        |path| match path {
            "/story/one" => Reply::status(404),
            _ => html("<html><body><p>Cookies?</p></body></html>".into()),
        },
        Arc::default(),
    );
    let env = Env::new();
    let report = env.fetch(&server.url("/feed"), true, false);
    assert_eq!((report.new, report.full_text_failed), (2, 2), "{report:?}");
    assert_eq!(report.error, None, "a page's failure is not the feed's");
    for slug in ["story-one", "story-two"] {
        let text = env.item(slug);
        assert!(text.contains("edition 0"), "{text}");
        assert!(!text.contains("full_text"), "{text}");
    }
}

#[test]
fn fetch_full_text_applies_to_a_feed_that_did_not_ask_for_it() {
    let server = server(|_| html(page("")), Arc::default());
    let env = Env::new();
    let report = env.fetch(&server.url("/feed"), false, true);
    assert_eq!(report.new, 2);
    assert!(env.item("story-two").contains("old harbour bridge"));
}

#[test]
fn a_feed_without_full_text_never_requests_item_pages() {
    let server = server(|_| html(page("")), Arc::default());
    let env = Env::new();
    let report = env.fetch(&server.url("/feed"), false, false);
    assert_eq!(report.new, 2);
    assert_eq!(page_requests(&server), 0, "{:?}", server.requests());
    assert!(env.item("story-one").contains("Summary of /story/one"));
}

#[test]
fn a_huge_page_is_capped_and_the_summary_kept() {
    let server = server(
        |_| {
            Reply::ok(Vec::new())
                .header("Content-Type", "text/html")
                .with(Body::Zeros(50 * 1024 * 1024))
        },
        Arc::default(),
    );
    let mut env = Env::new();
    env.http.max_body = 256 * 1024;
    let started = std::time::Instant::now();
    let report = env.fetch(&server.url("/feed"), true, false);
    assert_eq!((report.new, report.full_text_failed), (2, 2), "{report:?}");
    assert!(started.elapsed().as_secs() < 20);
    assert!(env.item("story-one").contains("Summary of"));
}

#[test]
fn a_refetch_keeps_the_full_text_and_fetches_the_page_again_only_when_the_feed_changes() {
    let changed = Arc::new(AtomicBool::new(false));
    let flag = changed.clone();
    let server = server(
        move |_| {
            let words = if flag.load(Ordering::SeqCst) {
                "Updated: the bridge stays."
            } else {
                ""
            };
            html(page(words))
        },
        changed.clone(),
    );
    let env = Env::new();
    env.fetch(&server.url("/feed"), true, false);
    assert_eq!(page_requests(&server), 2);

    // The same feed again: nothing changes, no page is asked for.
    let again = env.fetch(&server.url("/feed"), true, false);
    assert_eq!((again.new, again.updated, again.unchanged), (0, 0, 2));
    assert_eq!(page_requests(&server), 2);
    assert!(env.item("story-one").contains("old harbour bridge"));

    // Without full text now, the article is still not traded for the summary.
    env.fetch(&server.url("/feed"), false, false);
    assert!(env.item("story-one").contains("old harbour bridge"));

    // The feed's text changes: the page is fetched again, its new text kept.
    changed.store(true, Ordering::SeqCst);
    let updated = env.fetch(&server.url("/feed"), true, false);
    assert_eq!(updated.updated, 2, "{updated:?}");
    assert_eq!(page_requests(&server), 4);
    let text = env.item("story-one");
    assert!(text.contains("the bridge stays"), "{text}");
    assert!(!text.contains("edition 1"), "{text}");
    let settled = env.fetch(&server.url("/feed"), true, false);
    assert_eq!(settled.unchanged, 2, "{settled:?}");
    assert_eq!(page_requests(&server), 4);
}

#[test]
fn tidings_fetch_full_text_says_how_many_kept_their_summary() {
    let server = server(
        |path| match path {
            "/story/one" => html(page("")),
            _ => Reply::status(500),
        },
        Arc::default(),
    );
    let home = TempDir::new().unwrap();
    let h = home.path();
    let (code, _, err) =
        run(tidings(h).args(["feeds", "add", &server.url("/feed"), "--name", "local"]));
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run(tidings(h).args(["fetch", "--full-text"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "local\t2 new, 0 updated, 1 kept as a summary (no full text)\n\
         1 feed, 2 new items, 1 kept as a summary (no full text)\n"
    );
    // The article, not the summary, is what the library searches.
    let (_, found, err) = run(tidings(h).args(["search", "trams carts cyclists"]));
    assert!(found.contains("Story /story/one"), "{found}{err}");
    assert!(!found.contains("Story /story/two"), "{found}");
}

// ---- `F` in the reader -------------------------------------------------

/// The app over the news folder of `env`, the story titled `title` open
/// in the reader, and what the screen shows.
fn reading(env: &Env, title: &str) -> App {
    let news = env.tmp.path().join("news");
    let library = Library::load(&[news], LoadOptions::default()).unwrap();
    let mut app = App::new(library, Settings::default());
    app.update(Action::Resize(120, 40));
    while app.selected_meta().map(|m| m.title()) != Some(title) {
        let before = app.selected();
        keys(&mut app, &["j"]);
        assert_ne!(app.selected(), before, "no story titled {title}");
    }
    keys(&mut app, &["enter"]);
    app
}

fn status(app: &App) -> String {
    app.status().map(|s| s.text.clone()).unwrap_or_default()
}

/// Do what the runtime does with a full-text effect, on this thread.
fn run_full_text(app: &mut App, env: &Env, effect: Effect) {
    let Effect::FullText { path, root, url } = effect else {
        panic!("not a full-text effect: {effect:?}");
    };
    let job = Job {
        path: path.clone(),
        root,
        url,
        load: LoadOptions::default(),
    };
    let news = env.tmp.path().join("news");
    let result = rewrite(&news, &job, &Client::new(HttpOptions::default()), 0);
    app.apply(Event::FullText { path, result });
    serve_reads(app);
}

#[test]
fn capital_f_fetches_the_open_storys_full_text_and_the_reader_shows_it() {
    let server = server(|_| html(page("")), Arc::default());
    let env = Env::new();
    env.fetch(&server.url("/feed"), false, false);
    let mut app = reading(&env, "Story /story/one");
    let text = drawn(&app).rows().join("\n");
    assert!(text.contains("Summary of /story/one"), "{text}");
    let old = app.selected_meta().unwrap().clone();
    assert!(app.is_marked(Mark::Read, &old), "opened, so read");

    keys(&mut app, &["F"]);
    let effects = app.take_effects();
    assert_eq!(
        effects,
        vec![Effect::FullText {
            path: old.path.clone(),
            root: env.tmp.path().join("news"),
            url: server.url("/story/one"),
        }]
    );
    assert_eq!(status(&app), FETCHING);
    assert_eq!(app.activity().as_deref(), Some(FETCHING));
    // Keys keep working meanwhile, and a second `F` asks for nothing more.
    keys(&mut app, &["j", "F"]);
    assert_eq!(app.take_effects(), vec![]);

    run_full_text(&mut app, &env, effects.into_iter().next().unwrap());
    assert_eq!(status(&app), "Full text fetched");
    assert_eq!(app.activity(), None);
    let text = drawn(&app).rows().join("\n");
    assert!(text.contains("which has stood since 1888"), "{text}");
    assert!(!text.contains("Summary of"), "{text}");
    let new = app.selected_meta().unwrap().clone();
    assert_eq!(new.path, old.path, "the same file, rewritten");
    assert_ne!(new.id(), old.id());
    assert!(app.is_marked(Mark::Read, &new), "the read mark follows");
    let file = fs::read_to_string(&new.path).unwrap();
    assert!(file.contains("full_text: true\n"), "{file}");
    // A later fetch of the unchanged feed keeps the article.
    env.fetch(&server.url("/feed"), false, false);
    assert!(env.item("story-one").contains("old harbour bridge"));
}

#[test]
fn a_bookmark_follows_the_item_file_when_its_full_text_is_fetched() {
    let server = server(|_| html(page("")), Arc::default());
    let env = Env::new();
    env.fetch(&server.url("/feed"), false, false);
    let data = env.tmp.path().join("data");
    let mut app = reading(&env, "Story /story/two");
    let old = app.selected_meta().unwrap().clone();
    let (mut store, _) = Store::open(&data);
    store.add_bookmark_now(&old).unwrap();
    keys(&mut app, &["F"]);
    let effect = app.take_effects().remove(0);
    run_full_text(&mut app, &env, effect);
    let (store, _) = Store::open(&data);
    let found = store.resolve_bookmarks(app.library());
    let i = found[0]
        .article_index
        .expect("the bookmark finds its story");
    assert_eq!(app.library().articles()[i].path, old.path);
    assert_ne!(app.library().articles()[i].id(), old.id());
}

#[test]
fn capital_f_says_why_when_there_is_no_address_or_no_article() {
    let server = server(|_| Reply::status(404), Arc::default());
    let env = Env::new();
    env.fetch(&server.url("/feed"), false, false);
    let own = env.tmp.path().join("news/notes.md");
    fs::write(
        &own,
        "---\ntitle: My notes\n---\n\nNothing to fetch here.\n",
    )
    .unwrap();
    let mut app = reading(&env, "My notes");
    keys(&mut app, &["F"]);
    assert_eq!(app.take_effects(), vec![]);
    assert_eq!(
        status(&app),
        "This story has no web address to fetch its full text from"
    );

    let mut app = reading(&env, "Story /story/one");
    let before = fs::read_to_string(&app.selected_meta().unwrap().path).unwrap();
    keys(&mut app, &["F"]);
    let effect = app.take_effects().remove(0);
    run_full_text(&mut app, &env, effect);
    assert_eq!(status(&app), "No full text: page: server answered 404");
    let after = fs::read_to_string(&app.selected_meta().unwrap().path).unwrap();
    assert_eq!(before, after, "the file is left as it was");
}

#[test]
fn capital_f_in_the_real_reader_replaces_the_summary_with_the_article() {
    let server = server(|_| html(page("")), Arc::default());
    let home = TempDir::new().unwrap();
    let h = home.path();
    let add = ["feeds", "add", &server.url("/feed"), "--name", "local"];
    let (code, _, err) = run(tidings(h).args(add));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(tidings(h).arg("fetch"));
    assert_eq!(code, 0, "{err}");
    let mut cmd = tidings_pty(h, &[]);
    cmd.cwd(h);
    let mut s = Session::spawn(cmd, 120, 30, None).patient(std::time::Duration::from_secs(30));
    s.wait_for("2 articles");
    s.send("\r");
    s.wait_for("Summary of /story/");
    s.send("F");
    let screen = s.wait_for("which has stood since 1888");
    assert!(!screen.contains("Summary of /story/"), "{screen}");
    s.wait_for("Full text fetched");
    s.send("q\x03");
    s.wait_until("the reader quits", |s| !s.alternate_screen());
}

#[test]
fn undo_still_reaches_a_story_whose_full_text_gave_it_a_new_id() {
    let server = server(|_| html(page("")), Arc::default());
    let env = Env::new();
    env.fetch(&server.url("/feed"), false, false);
    // Opening marks it read: the first step to undo.
    let mut app = reading(&env, "Story /story/one");
    keys(&mut app, &["u", "u"]);
    keys(&mut app, &["F"]);
    let effect = app.take_effects().remove(0);
    run_full_text(&mut app, &env, effect);
    let new = app.selected_meta().unwrap().clone();
    assert!(app.is_marked(Mark::Read, &new));
    // `u` twice was two steps: read again undone leaves it unread.
    keys(&mut app, &["z"]);
    assert!(!app.is_marked(Mark::Read, &new), "{}", status(&app));
    keys(&mut app, &["z"]);
    assert!(app.is_marked(Mark::Read, &new), "{}", status(&app));
    keys(&mut app, &["z"]);
    assert!(!app.is_marked(Mark::Read, &new), "the opening undone");
}

#[test]
fn a_hidden_story_stays_hidden_and_undoable_when_its_full_text_gives_it_a_new_id() {
    let server = server(|_| html(page("")), Arc::default());
    let env = Env::new();
    env.fetch(&server.url("/feed"), false, false);
    let mut app = reading(&env, "Story /story/one");
    // Listed though hidden (H), hidden by hand, then opened again.
    keys(&mut app, &["esc", "H", "d", "enter", "F"]);
    let effect = app.take_effects().remove(0);
    run_full_text(&mut app, &env, effect);
    let new = app.selected_index().unwrap();
    let id = app.library().articles()[new].id().to_string();
    assert_eq!(
        app.marks().hide(&id),
        Some(tidings::app::marks::Hide::Hidden)
    );
    assert!(app.is_hidden(new), "hidden under its new id");
    keys(&mut app, &["esc", "z", "z"]);
    assert_eq!(app.marks().hide(&id), None, "{}", status(&app));
    assert!(!app.is_hidden(new));
}
