//! What the keyboard does, as a reader coming from less, newsboat or mutt
//! expects it, and what a long query costs: the app driven by keys through
//! the real keymap, its screens drawn into a `TestBackend`.

use crate::app::{keys, sample_app, type_text};
use crate::common::{drawn, write_tree};
use tidings::action::Action;
use tidings::app::serve_reads;
use tidings::app::{App, Event, Focus, Settings};
use tidings::keymap::Mode;
use tidings::library::{Library, LoadOptions};
use tidings::store::session::Session;
use tidings::tui::persist::Persist;

fn screen_rows(app: &App) -> Vec<String> {
    drawn(app).rows()
}

/// A library of `files` (name, text) at the library root, loaded.
fn root_library(files: &[(&str, &str)]) -> (tempfile::TempDir, Library) {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    write_tree(dir.path(), &files);
    let library = Library::load(&[dir.path().to_path_buf()], LoadOptions::default()).unwrap();
    (dir, library)
}

fn app_over(library: Library, width: u16, height: u16) -> App {
    let mut app = App::new(library, Settings::default());
    app.update(Action::Resize(width, height));
    serve_reads(&mut app);
    app
}

#[test]
fn q_in_the_reader_goes_back_to_the_list_and_q_in_the_list_quits() {
    for (w, h) in [(80, 24), (120, 32)] {
        let mut app = sample_app(w, h);
        keys(&mut app, &["j", "enter"]);
        assert_eq!(app.focus(), Focus::Reader);
        keys(&mut app, &["q"]);
        assert!(
            !app.should_quit(),
            "q in the reader quit the app at {w}x{h}"
        );
        assert_eq!(app.focus(), Focus::List);
        assert_eq!(app.selected(), 1, "the same story stays selected");
        keys(&mut app, &["q"]);
        assert!(app.should_quit(), "q in the list quits");
    }
}

#[test]
fn ctrl_c_quits_from_every_mode() {
    let setups: [&[&str]; 5] = [&[], &["enter"], &["/"], &["?"], &["!"]];
    for setup in setups {
        let mut app = sample_app(120, 32);
        keys(&mut app, setup);
        keys(&mut app, &["ctrl-c"]);
        assert!(app.should_quit(), "after {setup:?}, in {:?}", app.mode());
    }
}

#[test]
fn ctrl_u_in_the_search_bar_clears_the_line_and_keeps_it_open() {
    let mut app = sample_app(120, 32);
    keys(&mut app, &["/"]);
    type_text(&mut app, "shell boss");
    assert_eq!(app.search().query, "shell boss");
    keys(&mut app, &["ctrl-u"]);
    assert_eq!(app.search().query, "", "ctrl-u left the line as it was");
    assert_eq!(app.mode(), Mode::Search, "still typing");
    assert_eq!(app.visible().len(), 15, "an empty query lists everything");
    type_text(&mut app, "halo");
    assert_eq!(app.search().query, "halo");
}

#[test]
fn a_query_longer_than_the_cap_is_cut_with_a_message() {
    let mut app = sample_app(120, 32);
    keys(&mut app, &["/"]);
    let long = "shell boss payoff ".repeat(80);
    type_text(&mut app, &long);
    let query = &app.search().query;
    assert_eq!(query.chars().count(), 1000, "the query was not capped");
    assert!(
        long.starts_with(query.as_str()),
        "the start is what is kept"
    );
    let status = app.status().map(|s| s.text.clone()).unwrap_or_default();
    assert!(status.contains("1,000 characters"), "{status:?}");
    // Deleting makes room again.
    keys(&mut app, &["ctrl-w"]);
    type_text(&mut app, "x");
    assert!(app.search().query.ends_with('x'));
}

#[test]
fn the_reader_header_shows_the_place_in_the_list_not_the_file_name() {
    let long = "A sentence that goes on for a while, so the story scrolls. ".repeat(40);
    let (_dir, library) = root_library(&[
        ("alpha-file.txt", &format!("Alpha story\n\n{long}")),
        ("bravo-file.txt", &format!("Bravo story\n\n{long}")),
        ("charlie-file.txt", &format!("Charlie story\n\n{long}")),
    ]);
    for (w, h) in [(120, 32), (80, 24), (40, 12)] {
        let mut app = app_over(library.clone(), w, h);
        let bravo = app
            .visible()
            .iter()
            .position(|&i| app.library().articles()[i].title() == "Bravo story")
            .unwrap();
        for _ in 0..bravo {
            keys(&mut app, &["j"]);
        }
        keys(&mut app, &["enter"]);
        let rows = screen_rows(&app);
        // The reader's header: its top row, right of the list when both show.
        let header = &rows[1][rows[1].rfind('│').map_or(0, |i| i + '│'.len_utf8())..];
        let place = format!("{}/3", bravo + 1);
        assert!(header.contains(&place), "{w}x{h}: {header:?}");
        assert!(!header.contains("bravo-file"), "{w}x{h}: {header:?}");
    }
}

#[test]
fn a_story_that_fits_its_pane_shows_no_percent() {
    let long = "A sentence that goes on for a while, so the story scrolls. ".repeat(60);
    let (_dir, library) = root_library(&[
        ("short.txt", "A short story\n\nIt fits on one screen."),
        ("long.txt", &format!("A long story\n\n{long}")),
    ]);
    let mut app = app_over(library, 80, 24);
    let order: Vec<String> = app
        .visible()
        .iter()
        .map(|&i| app.library().articles()[i].title().to_string())
        .collect();
    let short = order.iter().position(|t| t == "A short story").unwrap();
    let long_at = order.iter().position(|t| t == "A long story").unwrap();
    for _ in 0..short {
        keys(&mut app, &["j"]);
    }
    keys(&mut app, &["enter"]);
    let header = screen_rows(&app)[1].clone();
    assert!(!header.contains('%'), "{header:?}");
    keys(&mut app, &["esc", "g"]);
    for _ in 0..long_at {
        keys(&mut app, &["j"]);
    }
    keys(&mut app, &["enter"]);
    let header = screen_rows(&app)[1].clone();
    assert!(
        header.contains("0%"),
        "a story that scrolls says where: {header:?}"
    );
    keys(&mut app, &["G"]);
    let header = screen_rows(&app)[1].clone();
    assert!(header.contains("100%"), "{header:?}");
}

#[test]
fn a_paste_is_typed_as_one_edit_with_breaks_as_spaces_and_controls_dropped() {
    let mut app = sample_app(120, 32);
    keys(&mut app, &["/"]);
    app.paste("boss\nbuq\r\n\tq\x1b[31m\x07");
    serve_reads(&mut app);
    assert_eq!(app.search().query, "boss buq  q[31m");
    assert_eq!(app.mode(), Mode::Search, "still typing");
    assert!(!app.should_quit());
    assert_eq!(app.marks().count(tidings::app::marks::Mark::Bookmarked), 0);
    // Added where the cursor is, the end; space at the end of a paste is
    // dropped, so the last word can still be completed.
    keys(&mut app, &["ctrl-u"]);
    type_text(&mut app, "shell");
    app.paste(" boss \n");
    serve_reads(&mut app);
    assert_eq!(app.search().query, "shell boss");
}

#[test]
fn a_paste_in_the_list_or_the_reader_starts_a_search_and_an_overlay_ignores_it() {
    for setup in [&[][..], &["enter"][..]] {
        let mut app = sample_app(120, 32);
        keys(&mut app, setup);
        app.paste("\n  france\n");
        serve_reads(&mut app);
        assert_eq!(app.mode(), Mode::Search, "after {setup:?}");
        assert_eq!(app.search().query, "france");
    }
    for overlay in ["?", "!"] {
        let mut app = sample_app(120, 32);
        keys(&mut app, &[overlay]);
        let mode = app.mode();
        app.paste("bq");
        serve_reads(&mut app);
        assert_eq!(app.mode(), mode);
        assert_eq!(app.search().query, "");
        assert!(!app.should_quit());
    }
}

#[test]
fn a_paste_past_the_cap_keeps_its_start_and_says_so() {
    let mut app = sample_app(120, 32);
    keys(&mut app, &["/"]);
    type_text(&mut app, "shell ");
    let paste = "boss ".repeat(2_000);
    app.paste(&paste);
    serve_reads(&mut app);
    let query = app.search().query.clone();
    assert_eq!(query.chars().count(), tidings::app::MAX_QUERY_CHARS);
    assert!(query.starts_with("shell boss boss"), "{query:.40}");
    let status = app.status().map(|s| s.text.clone()).unwrap_or_default();
    assert!(status.contains("1,000 characters"), "{status:?}");
    // Full: more typing is refused the same way and changes nothing.
    type_text(&mut app, "xyz");
    assert_eq!(app.search().query, query);
}

/// Three stories at the root of a library, and a request to load them.
fn three_stories() -> (tempfile::TempDir, tidings::library::LoadRequest) {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        &dir.path().join("lib"),
        &[
            ("a.txt", b"Alpha story\n\nIts body."),
            ("b.txt", b"Bravo story\n\nIts body."),
            ("c.txt", b"Charlie story\n\nIts body."),
        ],
    );
    let request = tidings::library::LoadRequest {
        inputs: vec![dir.path().join("lib")],
        options: Default::default(),
        cache_dir: None,
    };
    (dir, request)
}

fn id_of(request: &tidings::library::LoadRequest, title: &str) -> String {
    let full = Library::load(&request.inputs, Default::default()).unwrap();
    let meta = full.articles().iter().find(|m| m.title() == title).unwrap();
    meta.id().to_string()
}

fn loading_app(request: &tidings::library::LoadRequest) -> App {
    let mut app = App::new(Library::empty(request), Settings::default());
    app.update(Action::Resize(80, 24));
    serve_reads(&mut app);
    app
}

#[test]
fn a_saved_place_is_restored_once_its_story_has_loaded() {
    let (_dir, request) = three_stories();
    let charlie = id_of(&request, "Charlie story");
    let saved = Session {
        view: "Unread".into(),
        sort: "oldest".into(),
        story: Some(charlie.clone()),
        reading: true,
        ..Session::default()
    };
    let mut app = loading_app(&request);
    app.apply(Event::Session(saved.clone()));
    serve_reads(&mut app);
    assert_eq!(app.view().name, "Unread", "the view at once");
    assert_eq!(app.sort(), tidings::app::SortOrder::Oldest, "and its order");
    assert_eq!(app.focus(), Focus::List, "the story has not loaded yet");
    assert_eq!(app.session(), saved, "still the place to come back to");
    tidings::library::load_streaming(&request, &mut |e| {
        app.apply(Event::Load(e));
        serve_reads(&mut app);
    });
    assert_eq!(app.selected_meta().map(|m| m.id()), Some(charlie.as_str()));
    assert_eq!(app.focus(), Focus::Reader, "open, as it was left");
    assert_eq!(app.reader().map(|r| r.id.as_str()), Some(charlie.as_str()));
    assert_eq!(app.session(), saved);
    // Moving on is what the next session remembers.
    keys(&mut app, &["q", "g"]);
    let now = app.session();
    assert_eq!((now.story.is_some(), now.reading), (true, false));
    assert_ne!(now.story, Some(charlie));
}

#[test]
fn a_key_pressed_before_the_story_loads_wins_over_the_saved_place() {
    let (_dir, request) = three_stories();
    let mut app = loading_app(&request);
    app.apply(Event::Session(Session {
        view: "all".into(),
        sort: "newest".into(),
        story: Some(id_of(&request, "Charlie story")),
        reading: true,
        ..Session::default()
    }));
    serve_reads(&mut app);
    keys(&mut app, &["j"]);
    tidings::library::load_streaming(&request, &mut |e| {
        app.apply(Event::Load(e));
        serve_reads(&mut app);
    });
    assert_eq!(app.focus(), Focus::List);
    assert_eq!(app.selected(), 0);
}

#[test]
fn a_saved_place_whose_story_is_gone_or_a_damaged_file_opens_at_the_top() {
    let (_dir, request) = three_stories();
    let mut app = loading_app(&request);
    app.apply(Event::Session(Session {
        view: "no such view".into(),
        sort: "no such order".into(),
        story: Some("ffffffffffffffff".into()),
        reading: true,
        ..Session::default()
    }));
    serve_reads(&mut app);
    tidings::library::load_streaming(&request, &mut |e| {
        app.apply(Event::Load(e));
        serve_reads(&mut app);
    });
    assert_eq!(
        (app.view().name.as_str(), app.focus(), app.selected()),
        ("All", Focus::List, 0)
    );
    assert_eq!(app.sort(), tidings::app::SortOrder::Newest);
    let first = app.selected_meta().unwrap().id().to_string();
    assert_eq!(app.session().story, Some(first));

    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("session.json");
    std::fs::write(&file, b"{\"version\": 1, \"view\": \"bookm").unwrap();
    let (persist, _) = Persist::open(data.path());
    let mut app = sample_app(80, 24);
    persist.restore_session(&mut app);
    assert_eq!(
        (app.view().name.as_str(), app.focus(), app.selected()),
        ("All", Focus::List, 0)
    );
    assert_eq!(
        std::fs::read(&file).unwrap(),
        b"{\"version\": 1, \"view\": \"bookm",
        "left alone"
    );
    keys(&mut app, &["j", "enter"]);
    persist.save_session(&app);
    let (persist, _) = Persist::open(data.path());
    let mut again = sample_app(80, 24);
    persist.restore_session(&mut again);
    assert_eq!((again.focus(), again.selected()), (Focus::Reader, 1));
}
