//! App state without a terminal: build an `App` from fixtures, feed keys
//! and actions, check selection, focus, mode, query and scroll.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::path::PathBuf;
use std::sync::Arc;
use tidings::action::Action;
use tidings::app::marks::{Mark, MarkChange, Marks};
use tidings::app::serve_reads;
use tidings::app::{App, Event, Focus, Overlay, Settings};
use tidings::article::{ArticleMeta, MetaText};
use tidings::config::Config;
use tidings::keymap::{Key, Mode};
use tidings::library::{Library, LoadEvent, Origin, SkipReason, Skipped};

/// The bundled sample library (15 stories) at a wide size.
pub fn sample_app(width: u16, height: u16) -> App {
    let mut app = App::new(Library::bundled(), Settings::default());
    app.update(Action::Resize(width, height));
    serve_reads(&mut app);
    app
}

pub fn empty_library() -> Library {
    Library::from_articles(Origin::Disk(vec![]), vec![])
}

/// A story whose file does not exist.
pub fn phantom(id: &str, title: &str) -> ArticleMeta {
    let rel_path = format!("world/{id}.txt");
    let text = MetaText {
        id,
        title,
        category: Some("world"),
        rel_path: &rel_path,
        ..MetaText::default()
    };
    let path = PathBuf::from(format!("/nonexistent/tidings-test/{id}.txt"));
    ArticleMeta::new(text, path, 500, 1, 0)
}

/// Type keys by their config names (`j`, `enter`, `ctrl-d`), through the
/// real keymap, as the run loop does.
pub fn keys(app: &mut App, names: &[&str]) {
    for name in names {
        let key = Key::parse(name).unwrap();
        let event = KeyEvent::new(key.code, key.modifiers);
        if let Some(action) = app.keymap().action_for(app.mode(), &event) {
            app.update(action);
            serve_reads(app);
        }
    }
}

/// Type text into whatever has focus.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        let event = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        if let Some(action) = app.keymap().action_for(app.mode(), &event) {
            app.update(action);
            serve_reads(app);
        }
    }
}

/// The title of the selected story ("" when none is).
pub fn selected_title(app: &App) -> String {
    app.selected_meta()
        .map(|m| m.title().to_string())
        .unwrap_or_default()
}

/// The titles the list shows, in order.
pub fn listed(app: &App) -> Vec<String> {
    let articles = app.library().articles();
    app.visible()
        .iter()
        .map(|&i| articles[i].title().to_string())
        .collect()
}

/// Select the story titled `title` in the list, moving down from the top.
pub fn select(app: &mut App, title: &str) {
    keys(app, &["g"]);
    while selected_title(app) != title {
        let before = app.selected();
        keys(app, &["j"]);
        assert_ne!(app.selected(), before, "no story {title} in the list");
    }
}

#[test]
fn starts_on_the_first_story_with_the_list_focused() {
    let app = sample_app(120, 32);
    assert_eq!(app.visible().len(), 15);
    assert_eq!(app.selected(), 0);
    assert_eq!(app.focus(), Focus::List);
    assert_eq!(app.mode(), Mode::List);
    // Wide: the reader previews the selection.
    assert_eq!(app.reader().unwrap().index, app.selected_index().unwrap());
}

#[test]
fn moving_stops_at_both_ends() {
    let mut app = sample_app(120, 32);
    keys(&mut app, &["k", "up"]);
    assert_eq!(app.selected(), 0);
    keys(&mut app, &["j", "down", "j"]);
    assert_eq!(app.selected(), 3);
    keys(&mut app, &["G"]);
    assert_eq!(app.selected(), 14);
    keys(&mut app, &["j", "pagedown", "ctrl-d"]);
    assert_eq!(app.selected(), 14);
    keys(&mut app, &["home"]);
    assert_eq!(app.selected(), 0);
    keys(&mut app, &["end", "ctrl-u"]);
    assert!(app.selected() < 14);
}

#[test]
fn the_list_scrolls_to_keep_the_selection_visible() {
    let mut app = sample_app(80, 8); // 8 rows: 5 story rows
    keys(&mut app, &["G"]);
    assert_eq!(app.selected(), 14);
    assert_eq!(app.list_offset(), 10);
    keys(&mut app, &["g"]);
    assert_eq!(app.list_offset(), 0);
}

#[test]
fn open_focuses_the_reader_and_marks_read_and_back_returns() {
    let mut app = sample_app(120, 32);
    keys(&mut app, &["j", "enter"]);
    assert_eq!(app.focus(), Focus::Reader);
    assert_eq!(app.mode(), Mode::Reader);
    let meta = app.selected_meta().unwrap().clone();
    assert!(app.is_marked(Mark::Read, &meta));
    keys(&mut app, &["esc"]);
    assert_eq!(app.focus(), Focus::List);
    keys(&mut app, &["tab"]);
    assert_eq!(app.focus(), Focus::Reader);
    keys(&mut app, &["tab"]);
    assert_eq!(app.focus(), Focus::List);
}

#[test]
fn reader_keys_scroll_the_story_not_the_list() {
    let mut app = sample_app(80, 12);
    keys(&mut app, &["enter"]);
    let selected = app.selected();
    keys(&mut app, &["j", "j"]);
    assert_eq!(app.reader().unwrap().scroll(), 2);
    assert_eq!(app.selected(), selected);
    keys(&mut app, &["space"]);
    let after_page = app.reader().unwrap().scroll();
    assert!(after_page > 2, "{after_page}");
    keys(&mut app, &["G"]);
    let bottom = app.reader().unwrap().scroll();
    assert!(bottom > after_page);
    keys(&mut app, &["j"]);
    assert_eq!(app.reader().unwrap().scroll(), bottom, "stops at the end");
    keys(&mut app, &["g"]);
    assert_eq!(app.reader().unwrap().scroll(), 0);
}

#[test]
fn next_and_previous_story_stay_in_the_reader() {
    let mut app = sample_app(80, 24);
    keys(&mut app, &["enter", "j", "J"]);
    assert_eq!((app.selected(), app.focus()), (1, Focus::Reader));
    assert_eq!(
        app.reader().unwrap().scroll(),
        0,
        "a new story starts at the top"
    );
    keys(&mut app, &["]", "K", "["]);
    assert_eq!(app.selected(), 0);
    keys(&mut app, &["["]);
    assert_eq!(app.selected(), 0);
    assert_eq!(app.status().unwrap().text, "No more stories");
}

#[test]
fn search_filters_as_you_type_and_enter_keeps_the_results() {
    let mut app = sample_app(120, 32);
    keys(&mut app, &["/"]);
    assert_eq!(app.mode(), Mode::Search);
    type_text(&mut app, "FRANCE");
    assert_eq!(app.search().query, "FRANCE");
    let titles: Vec<&str> = app
        .visible()
        .iter()
        .map(|&i| app.library().articles()[i].title())
        .collect();
    assert_eq!(titles.len(), 3, "{titles:?}");
    assert!(titles.iter().all(|t| t.to_lowercase().contains("france")));
    keys(&mut app, &["enter"]);
    assert_eq!(app.mode(), Mode::List);
    assert_eq!(app.visible().len(), 3);
    assert_eq!(app.search().query, "FRANCE");
}

#[test]
fn typed_letters_go_to_the_query_not_to_bindings() {
    let mut app = sample_app(120, 32);
    keys(&mut app, &["/"]);
    type_text(&mut app, "qbj");
    assert!(!app.should_quit());
    assert_eq!(app.search().query, "qbj");
    assert!(app.marks().count(Mark::Bookmarked) == 0);
    keys(&mut app, &["backspace"]);
    assert_eq!(app.search().query, "qb");
    type_text(&mut app, " more");
    keys(&mut app, &["ctrl-w"]);
    assert_eq!(app.search().query, "qb ");
}

#[test]
fn esc_clears_the_search_and_restores_the_selection() {
    let mut app = sample_app(120, 32);
    keys(&mut app, &["j", "j", "j", "j"]);
    let before = selected_title(&app);
    keys(&mut app, &["/"]);
    type_text(&mut app, "halo");
    assert_eq!(app.visible().len(), 1);
    assert!(selected_title(&app).starts_with("Halo 2"));
    keys(&mut app, &["esc"]);
    assert_eq!(app.search().query, "");
    assert_eq!(app.visible().len(), 15);
    assert_eq!(selected_title(&app), before);
    // After Enter kept results, Esc in the list clears them too.
    keys(&mut app, &["/"]);
    type_text(&mut app, "halo");
    keys(&mut app, &["enter", "esc"]);
    assert_eq!((app.visible().len(), selected_title(&app)), (15, before));
}

#[test]
fn a_search_with_no_results_is_calm() {
    let mut app = sample_app(120, 32);
    keys(&mut app, &["/"]);
    type_text(&mut app, "zzzzzz");
    assert!(app.visible().is_empty());
    assert!(app.selected_meta().is_none());
    assert!(app.reader().is_none());
    keys(
        &mut app,
        &["down", "enter", "j", "enter", "b", "u", "r", "G"],
    );
    assert_eq!(app.focus(), Focus::List);
    assert_eq!(app.marks().count(Mark::Bookmarked), 0);
}

#[test]
fn the_empty_library_survives_every_key() {
    let mut app = App::new(empty_library(), Settings::default());
    app.update(Action::Resize(120, 32));
    serve_reads(&mut app);
    let all = [
        "j",
        "k",
        "ctrl-d",
        "ctrl-u",
        "space",
        "shift-space",
        "g",
        "G",
        "enter",
        "l",
        "tab",
        "J",
        "K",
        "b",
        "B",
        "u",
        "U",
        "r",
        "esc",
        "h",
        "?",
        "esc",
        "!",
        "esc",
        "/",
        "x",
        "enter",
    ];
    keys(&mut app, &all);
    assert!(app.visible().is_empty());
    assert_eq!(app.selected(), 0);
    assert_eq!(app.focus(), Focus::List);
    assert!(!app.should_quit());
    keys(&mut app, &["q"]);
    assert!(app.should_quit());
}

#[test]
fn bookmarks_and_unread_views_filter_and_toggle_back() {
    let mut app = sample_app(120, 32);
    keys(&mut app, &["j", "b", "j", "j", "b"]);
    assert_eq!(app.status().unwrap().text, "Bookmarked");
    keys(&mut app, &["B"]);
    assert_eq!(app.view().name, "Bookmarks");
    assert_eq!(app.visible().len(), 2);
    assert_eq!(app.selected(), 1, "the selection stays on the same story");
    keys(&mut app, &["B"]);
    assert_eq!((app.view().name.as_str(), app.visible().len()), ("All", 15));
    keys(&mut app, &["g", "u", "j", "u", "U"]);
    assert_eq!(app.view().name, "Unread");
    assert_eq!(app.visible().len(), 13);
    keys(&mut app, &["U"]);
    assert_eq!(app.view().name, "All");
}

#[test]
fn marks_changes_are_queued_for_persistence_and_seeded_marks_show() {
    let lib = Library::bundled();
    let first = lib.articles()[0].id().to_string();
    let marks = Marks::new([first.clone()], [first.clone()]);
    let mut app = App::new(lib, Settings::default()).with_marks(marks);
    app.update(Action::Resize(120, 32));
    serve_reads(&mut app);
    let meta = app.selected_meta().unwrap().clone();
    assert!(app.is_marked(Mark::Bookmarked, &meta));
    keys(&mut app, &["B"]);
    assert_eq!(app.visible().len(), 1);
    keys(&mut app, &["b"]);
    assert_eq!(
        app.take_mark_changes(),
        [MarkChange {
            mark: Mark::Bookmarked,
            id: first,
            on: false
        }]
    );
    assert!(app.take_mark_changes().is_empty());
}

#[test]
fn resizing_keeps_the_selection_and_the_paragraph_in_view() {
    let mut app = sample_app(120, 32);
    keys(&mut app, &["j", "j", "enter"]);
    keys(&mut app, &["j"; 9]);
    let title = selected_title(&app);
    let reader = app.reader().unwrap();
    let top_line = reader.current().unwrap().lines[reader.scroll()]
        .text
        .clone();
    for (w, h) in [(80, 24), (40, 12), (3, 2), (300, 100), (120, 32)] {
        app.update(Action::Resize(w, h));
        serve_reads(&mut app);
        assert_eq!(selected_title(&app), title, "at {w}x{h}");
    }
    let reader = app.reader().unwrap();
    assert_eq!(
        reader.current().unwrap().lines[reader.scroll()].text,
        top_line
    );
    // And a narrower width still shows that paragraph's text.
    app.update(Action::Resize(60, 20));
    serve_reads(&mut app);
    let reader = app.reader().unwrap();
    let now = &reader.current().unwrap().lines[reader.scroll()].text;
    let first_word = top_line.split_whitespace().next().unwrap();
    assert!(
        reader.current().unwrap().lines[reader.scroll().saturating_sub(3)..]
            .iter()
            .take(6)
            .any(|l| l.text.contains(first_word)),
        "{now:?} vs {top_line:?}"
    );
}

#[test]
fn narrow_terminals_show_one_pane_and_load_bodies_only_when_opened() {
    let mut app = sample_app(80, 24);
    assert!(app.reader().is_none(), "the list alone needs no body");
    keys(&mut app, &["enter"]);
    assert!(app.reader().is_some());
    keys(&mut app, &["h"]);
    assert_eq!(app.focus(), Focus::List);
}

/// Articles arriving from the background loader after start.
fn add_articles(app: &mut App, articles: impl IntoIterator<Item = ArticleMeta>) {
    let loaded = articles.into_iter().map(Arc::new).collect();
    app.apply(Event::Load(LoadEvent::Loaded(loaded)));
    serve_reads(app);
}

#[test]
fn appended_articles_join_the_list_without_moving_the_selection() {
    let mut app = sample_app(120, 32);
    keys(&mut app, &["j", "j"]);
    let title = selected_title(&app);
    add_articles(
        &mut app,
        [
            phantom("aaaa000000000001", "A late arrival"),
            phantom("aaaa000000000002", "Another"),
        ],
    );
    assert_eq!(app.visible().len(), 17);
    assert_eq!(selected_title(&app), title);
    // With a query, only matches join.
    keys(&mut app, &["/"]);
    type_text(&mut app, "late");
    add_articles(
        &mut app,
        [
            phantom("aaaa000000000003", "Late news"),
            phantom("aaaa000000000004", "Other"),
        ],
    );
    assert_eq!(app.visible().len(), 2);
    // Into an empty library, the first arrival becomes the selection.
    let mut empty = App::new(empty_library(), Settings::default());
    add_articles(&mut empty, [phantom("bbbb000000000001", "First")]);
    assert_eq!(selected_title(&empty), "First");
}

#[test]
fn ranked_results_replace_local_matches_unless_stale() {
    let mut app = sample_app(120, 32);
    let ids: Vec<String> = app
        .library()
        .articles()
        .iter()
        .map(|a| a.id().to_string())
        .collect();
    keys(&mut app, &["/"]);
    type_text(&mut app, "oscar");
    app.apply(Event::Ranked {
        query: "osc".into(),
        ids: vec![ids[0].clone()],
    });
    serve_reads(&mut app);
    assert_eq!(app.visible().len(), 1);
    assert!(
        selected_title(&app).contains("Oscar"),
        "stale results are ignored"
    );
    app.apply(Event::Ranked {
        query: "oscar".into(),
        ids: vec![ids[3].clone(), ids[1].clone(), "ffffffffffffffff".into()],
    });
    serve_reads(&mut app);
    assert_eq!(app.visible(), [3, 1]);
}

#[test]
fn a_vanished_file_goes_to_the_status_bar() {
    let mut lib = empty_library();
    lib.apply(LoadEvent::Loaded(vec![Arc::new(phantom(
        "cccc000000000001",
        "Gone",
    ))]));
    let mut app = App::new(lib, Settings::default());
    app.update(Action::Resize(120, 32));
    serve_reads(&mut app);
    let status = app.status().expect("a message");
    assert!(status.error);
    assert!(status.text.contains("tidings-test"), "{}", status.text);
    keys(&mut app, &["enter", "j", "r"]);
    assert_eq!(app.focus(), Focus::Reader);
}

#[test]
fn raw_toggles_the_file_as_stored() {
    let mut app = sample_app(120, 32);
    keys(&mut app, &["r"]);
    let reader = app.reader().unwrap();
    assert!(reader.showing_raw());
    assert_eq!(app.focus(), Focus::Reader);
    keys(&mut app, &["r"]);
    assert!(!app.reader().unwrap().showing_raw());
}

#[test]
fn help_and_skipped_overlays_take_the_keys_until_closed() {
    let mut lib = Library::bundled();
    lib.apply(LoadEvent::Skipped(vec![Skipped {
        path: "x/blob.bin".into(),
        reason: SkipReason::Binary,
    }]));
    let mut app = App::new(lib, Settings::default());
    app.update(Action::Resize(120, 32));
    serve_reads(&mut app);
    assert!(
        app.status()
            .unwrap()
            .text
            .contains("1 file skipped: press ! for details")
    );
    keys(&mut app, &["?"]);
    assert_eq!(
        (app.overlay(), app.mode()),
        (Some(Overlay::Help), Mode::Help)
    );
    keys(&mut app, &["j", "j", "b"]);
    assert_eq!(app.overlay_scroll(), 2);
    assert_eq!(app.marks().count(Mark::Bookmarked), 0);
    keys(&mut app, &["q"]);
    assert_eq!(app.overlay(), None);
    assert!(!app.should_quit(), "q closes the overlay first");
    keys(&mut app, &["!"]);
    assert_eq!(app.mode(), Mode::Skipped);
    keys(&mut app, &["esc", "ctrl-c"]);
    assert!(app.should_quit());
}

#[test]
fn only_key_presses_act() {
    let app = sample_app(120, 32);
    let mut event = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
    assert_eq!(
        app.keymap().action_for(Mode::List, &event),
        Some(Action::Down)
    );
    event.kind = KeyEventKind::Repeat;
    assert_eq!(app.keymap().action_for(Mode::List, &event), None);
    event.kind = KeyEventKind::Release;
    assert_eq!(app.keymap().action_for(Mode::List, &event), None);
}

#[test]
fn a_user_binding_takes_effect_and_frees_the_old_key() {
    let config = Config::parse("[keys.list]\nbookmark = \"m\"\ndown = [\"n\", \"b\"]\n").unwrap();
    let mut app = App::new(Library::bundled(), Settings::from_config(&config, true));
    app.update(Action::Resize(120, 32));
    serve_reads(&mut app);
    keys(&mut app, &["m"]);
    assert_eq!(app.marks().count(Mark::Bookmarked), 1);
    keys(&mut app, &["b", "n"]);
    assert_eq!(app.selected(), 2);
    assert_eq!(app.marks().count(Mark::Bookmarked), 1);
}

#[test]
fn a_story_whose_file_became_a_folder_says_so_once() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::write_tree(dir.path(), &[("a.txt", b"Alpha headline\n\nAlpha body.")]);
    let library = Library::load(
        &[dir.path().to_path_buf()],
        tidings::library::LoadOptions::default(),
    )
    .unwrap();
    let mut app = App::new(library, Settings::default());
    app.update(Action::Resize(80, 24));
    serve_reads(&mut app);
    std::fs::remove_file(dir.path().join("a.txt")).unwrap();
    std::fs::create_dir(dir.path().join("a.txt")).unwrap();
    keys(&mut app, &["enter"]);
    let status = app.status().map(|s| s.text.clone()).unwrap_or_default();
    assert!(
        status.ends_with("a.txt: a folder, not a regular file"),
        "{status}"
    );
}
