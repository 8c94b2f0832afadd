//! Feeds in the reader, driven by actions and events: `R` asks the
//! runtime for a fetch, whose progress, summary and failures show in the
//! status bar and the `!` overlay; new items arrive as load events;
//! `refresh_minutes` asks again on the clock, never while one runs.

use crate::app::{keys, phantom};
use crate::common::drawn;
use std::sync::Arc;
use tidings::action::Action;
use tidings::app::fetching::{FeedFailure, FetchEvent, FetchSummary};
use tidings::app::{App, Event, Settings, serve_reads};
use tidings::library::{Library, LoadEvent, Origin};

fn app_of(titles: &[&str]) -> App {
    let metas = titles
        .iter()
        .enumerate()
        .map(|(n, t)| phantom(&format!("{n:016x}"), t))
        .collect();
    let mut app = App::new(
        Library::from_articles(Origin::Disk(Vec::new()), metas),
        Settings::default(),
    );
    app.update(Action::Resize(100, 20));
    serve_reads(&mut app);
    app
}

fn status_line(app: &App) -> String {
    let screen = drawn(app).backend().to_string();
    screen.lines().last().unwrap().to_string()
}

fn fetch(app: &mut App, event: FetchEvent) {
    app.apply(Event::Fetch(event));
    serve_reads(app);
}

fn failure(name: &str, why: &str) -> FeedFailure {
    FeedFailure {
        name: name.into(),
        why: why.into(),
    }
}

#[test]
fn r_asks_for_one_fetch_whose_progress_and_summary_show_in_the_status_bar() {
    let mut app = app_of(&["Alpha", "Beta"]);
    keys(&mut app, &["R"]);
    assert!(app.take_fetch_request());
    assert!(app.is_fetching());
    assert!(status_line(&app).contains("Fetching feeds"));
    keys(&mut app, &["R"]);
    assert!(!app.take_fetch_request(), "a second fetch while one runs");
    assert!(status_line(&app).contains("Already fetching feeds"));

    fetch(&mut app, FetchEvent::Started { feeds: 12 });
    for _ in 0..3 {
        fetch(&mut app, FetchEvent::FeedDone);
    }
    assert!(
        status_line(&app).contains("Fetching 3 / 12 feeds"),
        "{}",
        status_line(&app)
    );
    // Keys keep working meanwhile.
    keys(&mut app, &["j"]);
    assert_eq!(app.selected(), 1);

    let summary = FetchSummary {
        new: 34,
        ..FetchSummary::default()
    };
    fetch(&mut app, FetchEvent::Finished(summary));
    assert!(!app.is_fetching());
    let line = status_line(&app);
    assert!(
        line.contains("34 new") && !line.contains("Fetching"),
        "{line}"
    );
    fetch(&mut app, FetchEvent::Finished(FetchSummary::default()));
    assert!(status_line(&app).contains("Nothing new"));
}

#[test]
fn a_fetch_that_cannot_start_says_why_and_can_be_asked_for_again() {
    let mut app = app_of(&["Alpha"]);
    keys(&mut app, &["R"]);
    assert!(app.take_fetch_request());
    let why = "No feeds to fetch: subscribe with `tidings feeds add URL`";
    fetch(&mut app, FetchEvent::NotStarted(why.into()));
    assert!(!app.is_fetching());
    assert!(status_line(&app).contains("tidings feeds add URL"));
    keys(&mut app, &["R"]);
    assert!(app.take_fetch_request());
}

#[test]
fn failed_feeds_show_in_the_status_bar_and_under_a_heading_in_the_skipped_overlay() {
    let mut app = app_of(&["Alpha"]);
    keys(&mut app, &["R"]);
    let summary = FetchSummary {
        new: 2,
        failed: vec![
            failure("Wire", "HTTP 500 Internal Server Error"),
            failure("Evil\u{1b}[31m\u{202e}", "bad\u{7}"),
        ],
        ..FetchSummary::default()
    };
    fetch(&mut app, FetchEvent::Finished(summary));
    let line = status_line(&app);
    assert!(
        line.contains("2 new; 2 feeds failed (! for details): Wire: HTTP 500"),
        "{line}"
    );
    keys(&mut app, &["!"]);
    let screen = drawn(&app).backend().to_string();
    assert!(screen.contains("failed feeds: 2"), "{screen}");
    assert!(screen.contains("Feeds that failed"), "{screen}");
    assert!(
        screen.contains("Wire: HTTP 500 Internal Server Error"),
        "{screen}"
    );
    assert!(!screen.contains('\u{1b}') && !screen.contains('\u{202e}'));
    assert_eq!(app.skipped_line_count(), 3);
}

#[test]
fn fetched_items_join_the_list_and_the_search_index_as_load_events() {
    let mut app = app_of(&["Alpha", "Beta"]);
    app.take_index_changes();
    let item = phantom("00000000000000ff", "Harbour fees rise");
    app.apply(Event::Load(LoadEvent::Loaded(vec![Arc::new(item)])));
    serve_reads(&mut app);
    assert_eq!(app.visible().len(), 3);
    let screen = drawn(&app).backend().to_string();
    assert!(screen.contains("Harbour fees rise"), "{screen}");
    let changes = app.take_index_changes();
    assert_eq!(changes.add.len(), 1);
    assert_eq!(changes.add[0].title(), "Harbour fees rise");
}

#[test]
fn refresh_minutes_fetches_when_due_and_never_while_a_fetch_runs() {
    let mut app = app_of(&["Alpha"]).with_refresh_minutes(5);
    app.apply(Event::Clock(1_000));
    assert!(!app.take_fetch_request(), "not at launch");
    app.apply(Event::Clock(1_299));
    assert!(!app.take_fetch_request());
    app.apply(Event::Clock(1_300));
    assert!(app.take_fetch_request(), "five minutes on");
    app.apply(Event::Clock(1_700));
    assert!(!app.take_fetch_request(), "one is still running");
    fetch(&mut app, FetchEvent::Finished(FetchSummary::default()));
    app.apply(Event::Clock(1_701));
    assert!(app.take_fetch_request(), "overdue once the last one ended");

    let mut off = app_of(&["Alpha"]);
    off.apply(Event::Clock(1_000));
    off.apply(Event::Clock(1_000_000));
    assert!(!off.take_fetch_request());
}

// ---- the feeds overlay and the list filtered to a feed -----------------

/// A story at `path` (under `/n/news` for a feed's items).
fn story(n: usize, title: &str, path: &str) -> tidings::article::ArticleMeta {
    let id = format!("{n:016x}");
    let rel = path.trim_start_matches("/n/news/").to_string();
    let text = tidings::article::MetaText {
        id: &id,
        title,
        rel_path: &rel,
        ..tidings::article::MetaText::default()
    };
    tidings::article::ArticleMeta::new(text, std::path::PathBuf::from(path), 500, 1, 0)
}

fn news_app() -> App {
    let metas = vec![
        story(1, "Wire rates", "/n/news/Tech/Wire/a.md"),
        story(2, "Wire chips", "/n/news/Tech/Wire/b.md"),
        story(3, "Post rates", "/n/news/Tech/Post/c.md"),
        story(4, "Local rates", "/n/news/Local/d.md"),
        story(5, "Archive rates", "/lib/e.txt"),
    ];
    let settings = Settings {
        news_dir: Some("/n/news".into()),
        // Subscribed, nothing fetched yet: listed all the same.
        feed_folders: vec!["/n/news/Tech/Quiet".into()],
        ..Settings::default()
    };
    app_with(metas, settings)
}

/// An app over `metas` at 60x16, its first story read.
fn app_with(metas: Vec<tidings::article::ArticleMeta>, settings: Settings) -> App {
    let mut app = App::new(
        Library::from_articles(Origin::Disk(Vec::new()), metas),
        settings,
    );
    app.update(Action::Resize(60, 16));
    serve_reads(&mut app);
    app
}

fn titles(app: &App) -> Vec<String> {
    let articles = app.library().articles();
    let mut t: Vec<String> = app
        .visible()
        .iter()
        .map(|&i| articles[i].title().to_string())
        .collect();
    t.sort();
    t
}

#[test]
fn the_feeds_overlay_lists_feeds_by_category_with_unread_and_total_counts() {
    let mut app = news_app();
    keys(&mut app, &["j", "u"]); // one story read
    keys(&mut app, &["f"]);
    let rows: Vec<(String, usize, usize)> = app
        .feed_rows()
        .iter()
        .map(|r| (r.label.clone(), r.unread, r.total))
        .collect();
    let read_one = |label: &str, unread: usize, total: usize| (label.to_string(), unread, total);
    assert_eq!(rows.len(), 6, "{rows:?}");
    assert_eq!(rows[0].0, "All");
    assert_eq!(rows[0].2, 5, "every story, as choosing All lists");
    assert_eq!(rows[0].1, 4, "{rows:?}");
    assert_eq!(rows[1], read_one("Local", rows[1].1, 1));
    assert_eq!(rows[2].0, "Tech");
    assert_eq!(rows[2].2, 3);
    assert_eq!(rows[3], read_one("Post", rows[3].1, 1));
    assert_eq!(rows[4], read_one("Quiet", 0, 0), "a feed with no story yet");
    let mut quiet = news_app();
    keys(&mut quiet, &["f", "j", "j", "j", "j", "enter"]);
    let screen = drawn(&quiet).backend().to_string();
    assert!(screen.contains("No stories from this feed yet"), "{screen}");
    assert_eq!(rows[5], read_one("Wire", rows[5].1, 2));
    for (w, h) in [(60, 16), (40, 12)] {
        app.update(Action::Resize(w, h));
        let screen = crate::common::screen(&app, w, h);
        insta::assert_snapshot!(format!("feeds_overlay_{w}x{h}"), screen.backend());
    }
}

#[test]
fn enter_filters_the_list_to_a_feed_or_category_and_search_stays_within_it() {
    let mut app = news_app();
    keys(&mut app, &["f", "G", "enter"]);
    assert_eq!(app.overlay(), None);
    assert_eq!(titles(&app), ["Wire chips", "Wire rates"]);
    let screen = drawn(&app).backend().to_string();
    assert!(screen.contains("All · Wire"), "{screen}");
    keys(&mut app, &["/"]);
    crate::app::type_text(&mut app, "rates");
    assert_eq!(titles(&app), ["Wire rates"]);
    keys(&mut app, &["esc"]);

    keys(&mut app, &["f"]);
    assert_eq!(app.feed_row_selected(), 5, "the current filter is selected");
    keys(&mut app, &["k", "k", "k", "enter"]);
    assert_eq!(titles(&app), ["Post rates", "Wire chips", "Wire rates"]);
    keys(&mut app, &["f", "g", "enter"]);
    assert_eq!(titles(&app).len(), 5, "All lists every story again");
    assert!(app.feed_filter().is_none());
}

#[test]
fn the_feed_filter_is_kept_in_the_session_and_an_old_session_lists_everything() {
    let mut app = news_app();
    keys(&mut app, &["f", "G", "enter"]);
    let session = app.session();
    assert_eq!(session.feed.as_deref(), Some("Tech/Wire"));
    let mut again = news_app();
    again.apply(Event::Session(session));
    serve_reads(&mut again);
    assert_eq!(titles(&again), ["Wire chips", "Wire rates"]);

    let old: tidings::store::session::Session =
        serde_json::from_str(r#"{"view":"all","sort":"newest","story":null,"reading":false}"#)
            .unwrap();
    again.apply(Event::Session(old));
    serve_reads(&mut again);
    assert_eq!(titles(&again).len(), 5);
}

#[test]
fn a_kept_feed_filter_never_hides_a_library_without_the_news_folder() {
    let mut app = news_app();
    keys(&mut app, &["f", "G", "enter"]);
    let session = app.session();
    // The same session, reopened on a library of other files (`-l`): the
    // runtime gives the app no news folder then.
    let metas = vec![
        story(1, "Archive rates", "/lib/a.txt"),
        story(2, "Archive chips", "/lib/b.txt"),
    ];
    let mut other = app_with(metas, Settings::default());
    other.apply(Event::Session(session));
    serve_reads(&mut other);
    assert_eq!(titles(&other), ["Archive chips", "Archive rates"]);
    assert!(other.feed_filter().is_none());
}

#[test]
fn the_status_bar_while_fetching() {
    let mut app = app_of(&["Alpha", "Beta"]);
    keys(&mut app, &["R"]);
    fetch(&mut app, FetchEvent::Started { feeds: 12 });
    for _ in 0..3 {
        fetch(&mut app, FetchEvent::FeedDone);
    }
    for (w, h) in [(100, 8), (40, 8)] {
        app.update(Action::Resize(w, h));
        let screen = crate::common::screen(&app, w, h);
        insta::assert_snapshot!(format!("fetching_status_{w}x{h}"), screen.backend());
    }
}

#[test]
fn the_feeds_overlay_counts_with_thousands_separators() {
    let metas: Vec<_> = (0..1_001)
        .map(|n| story(n, &format!("Item {n}"), &format!("/n/news/Big/{n}.md")))
        .collect();
    let settings = Settings {
        news_dir: Some("/n/news".into()),
        ..Settings::default()
    };
    let mut app = app_with(metas, settings);
    keys(&mut app, &["f"]);
    let screen = drawn(&app).backend().to_string();
    assert!(screen.contains("1,001 / 1,001"), "{screen}");
}

#[test]
fn with_no_feeds_the_overlay_says_how_to_subscribe_whole_at_any_width() {
    for (w, h) in [(80, 24), (40, 12)] {
        let mut app = app_of(&["Alpha", "Beta"]);
        app.update(Action::Resize(w, h));
        keys(&mut app, &["f"]);
        let screen = crate::common::screen(&app, w, h).backend().to_string();
        // Each part on some line of the box, the end included.
        for words in ["No feeds yet", "tidings feeds add URL", "press R."] {
            assert!(screen.contains(words), "{w}x{h}: {words}\n{screen}");
        }
    }
}
