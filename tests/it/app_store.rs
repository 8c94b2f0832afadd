//! The app with its store, without a terminal: changes reach the data dir,
//! a new session starts from what was saved, missing bookmarks are listed,
//! and a read-only file says why.

use crate::app::{keys, phantom};
use crate::common::drawn;
use std::path::Path;
use std::time::{Duration, Instant};
use tidings::action::Action;
use tidings::app::marks::Mark;
use tidings::app::serve_reads;
use tidings::app::{App, Event, Settings};
use tidings::library::Library;
use tidings::store::Store;
use tidings::tui::persist::{Persist, REFRESH_EVERY};

/// A session as `launch` starts one: the bundled library, the store in
/// `dir`, stored state taken in.
fn session(dir: &Path, width: u16, height: u16) -> (App, Persist) {
    session_with(dir, width, height, Settings::default())
}

fn session_with(dir: &Path, width: u16, height: u16, settings: Settings) -> (App, Persist) {
    let (mut persist, warnings) = Persist::open(dir);
    assert!(warnings.is_empty(), "{warnings:?}");
    let mut app = App::new(Library::bundled(), settings);
    app.update(Action::Resize(width, height));
    serve_reads(&mut app);
    persist.seed(&mut app);
    (app, persist)
}

/// What another process would find on disk now.
fn on_disk(dir: &Path) -> Store {
    let (store, warnings) = Store::open(dir);
    assert!(warnings.is_empty(), "{warnings:?}");
    store
}

/// The loop's call after a message, as if `later` had passed.
fn sync_after(app: &mut App, persist: &mut Persist, later: Duration) {
    persist.sync(app, Instant::now() + later);
}

fn screen(app: &App) -> String {
    drawn(app)
        .rows()
        .iter()
        .map(|row| row.clone() + "\n")
        .collect()
}

#[test]
fn bookmarks_and_read_marks_are_saved_at_once_positions_within_a_second() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path();
    let (mut app, mut persist) = session(dir, 120, 32);
    let first = app.library().articles()[0].clone();
    let second = app.library().articles()[1].clone();
    keys(&mut app, &["b", "j", "enter"]);
    // The loop's first call after the keys, before it draws them.
    persist.sync(&mut app, Instant::now());
    let stored = on_disk(dir);
    assert!(stored.is_bookmarked(first.id()), "the bookmark waited");
    assert!(
        stored.is_read(second.id()) && !stored.is_read(first.id()),
        "the read mark waited"
    );
    keys(&mut app, &["space"]);
    persist.sync(&mut app, Instant::now());
    assert_eq!(
        on_disk(dir).position(second.id()),
        None,
        "scrolling is batched"
    );
    sync_after(&mut app, &mut persist, Duration::from_secs(1));
    assert!(on_disk(dir).position(second.id()).is_some());

    let (mut again, _persist) = session(dir, 120, 32);
    assert!(again.is_marked(Mark::Bookmarked, &first));
    assert!(again.is_marked(Mark::Read, &second));
    keys(&mut again, &["B"]);
    assert_eq!(again.visible(), [0]);
}

#[test]
fn finish_saves_what_was_not_yet_due() {
    let home = tempfile::tempdir().unwrap();
    let (mut app, mut persist) = session(home.path(), 80, 24);
    let id = app.library().articles()[0].id().to_string();
    keys(&mut app, &["u"]);
    // No sync at all: the last key before a signal.
    persist.finish(&mut app).unwrap();
    assert!(on_disk(home.path()).is_read(&id));
}

#[test]
fn reopening_a_story_in_a_new_session_starts_at_the_same_paragraph() {
    let home = tempfile::tempdir().unwrap();
    let (mut app, mut persist) = session(home.path(), 80, 16);
    keys(&mut app, &["j", "j", "enter", "space", "space", "j"]);
    let reader = app.reader().unwrap();
    let paragraph = reader.top_paragraph().unwrap();
    assert!(paragraph > 0, "scrolled into the body");
    let id = reader.id.clone();
    persist.finish(&mut app).unwrap();
    assert_eq!(on_disk(home.path()).position(&id), Some(paragraph));

    let (mut again, _persist) = session(home.path(), 80, 16);
    keys(&mut again, &["j", "j", "enter"]);
    let reader = again.reader().unwrap();
    assert_eq!(reader.id, id);
    assert_eq!(reader.top_paragraph(), Some(paragraph));
    // At the first line of that paragraph: one line up is the gap before it.
    let lines = &reader.current().unwrap().lines;
    assert!(lines[reader.scroll() - 1].text.is_empty());
    assert!(!lines[reader.scroll()].text.is_empty());
}

#[test]
fn going_back_to_the_top_forgets_the_position() {
    let home = tempfile::tempdir().unwrap();
    let (mut app, mut persist) = session(home.path(), 80, 24);
    keys(&mut app, &["enter", "space"]);
    let id = app.reader().unwrap().id.clone();
    sync_after(&mut app, &mut persist, Duration::from_secs(1));
    assert!(on_disk(home.path()).position(&id).is_some());
    keys(&mut app, &["g"]);
    persist.finish(&mut app).unwrap();
    assert_eq!(on_disk(home.path()).position(&id), None);
}

#[test]
fn continue_reading_lists_stories_left_part_way_most_recent_first() {
    let home = tempfile::tempdir().unwrap();
    let (mut app, mut persist) = session(home.path(), 80, 16);
    keys(
        &mut app,
        &["enter", "space", "esc", "j", "j", "enter", "space", "esc"],
    );
    let (first, third) = (0, 2);
    keys(&mut app, &["C"]);
    assert_eq!(app.view().name, "Continue reading");
    assert_eq!(app.visible(), [third, first]);
    assert!(screen(&app).contains("Continue reading"));
    persist.finish(&mut app).unwrap();

    let (mut again, _persist) = session(home.path(), 80, 16);
    keys(&mut again, &["C"]);
    assert_eq!(
        again.visible(),
        [third, first],
        "the order survives a restart"
    );
    keys(&mut again, &["C"]);
    assert_eq!(again.view().name, "All");
}

#[test]
fn continue_reading_is_calm_when_empty() {
    let home = tempfile::tempdir().unwrap();
    let (mut app, _persist) = session(home.path(), 80, 24);
    keys(&mut app, &["C", "enter", "j", "b", "u", "G"]);
    assert_eq!(app.list_len(), 0);
    assert!(screen(&app).contains("Nothing left part-way"));
}

#[test]
fn a_missing_bookmark_is_listed_marked_and_says_so_when_opened() {
    let home = tempfile::tempdir().unwrap();
    let gone = phantom("00000000deadbeef", "A story that was deleted");
    let mut store = on_disk(home.path());
    store.add_bookmark(&gone).unwrap();
    store.flush().unwrap();

    let (mut app, mut persist) = session(home.path(), 80, 24);
    keys(&mut app, &["b", "B"]);
    assert_eq!(app.visible().len(), 1);
    assert_eq!(app.list_len(), 2, "the story, then the missing bookmark");
    let text = screen(&app);
    assert!(text.contains("✗★ A story that was deleted"), "{text}");
    assert!(text.contains("missing"), "{text}");
    assert!(text.contains("1/2"), "{text}");
    keys(&mut app, &["G"]);
    assert_eq!(app.selected_missing().unwrap().id, gone.id());
    assert!(app.reader().is_none(), "nothing to read");
    app.update(Action::Resize(120, 32));
    serve_reads(&mut app);
    assert!(
        screen(&app).contains("no longer in the library"),
        "beside it"
    );
    keys(&mut app, &["enter"]);
    let status = app.status().unwrap();
    assert!(
        status.error && status.text.contains("Missing"),
        "{status:?}"
    );
    assert!(status.text.contains("world/00000000deadbeef.txt"));
    keys(&mut app, &["u"]);
    assert!(app.status().unwrap().text.contains("missing"));
    // Outside the Bookmarks view it is not a row.
    keys(&mut app, &["B"]);
    assert_eq!(app.list_len(), app.visible().len());
    persist.finish(&mut app).unwrap();
    assert!(on_disk(home.path()).is_bookmarked(gone.id()), "kept");
}

#[test]
fn b_on_a_missing_bookmark_removes_it_for_good() {
    let home = tempfile::tempdir().unwrap();
    let gone = phantom("00000000deadbeef", "A story that was deleted");
    let mut store = on_disk(home.path());
    store.add_bookmark(&gone).unwrap();
    store.flush().unwrap();
    let (mut app, mut persist) = session(home.path(), 80, 24);
    keys(&mut app, &["B"]);
    assert_eq!((app.visible().len(), app.list_len()), (0, 1));
    keys(&mut app, &["b"]);
    assert_eq!(app.list_len(), 0);
    assert!(app.status().unwrap().text.contains("removed"));
    persist.finish(&mut app).unwrap();
    assert!(on_disk(home.path()).bookmarks().is_empty());
}

#[test]
fn an_edited_story_stays_bookmarked_and_unbookmarking_removes_the_stored_one() {
    let home = tempfile::tempdir().unwrap();
    let current = Library::bundled().articles()[3].clone();
    let current_id = current.id().to_string();
    let before_edit = current.with_text(|t| t.id = "ffffffffffffffff");
    let mut store = on_disk(home.path());
    store.add_bookmark(&before_edit).unwrap();
    store.flush().unwrap();

    let (mut app, mut persist) = session(home.path(), 120, 32);
    let meta = app.library().articles()[3].clone();
    assert_eq!(meta.id(), current_id);
    assert!(app.is_marked(Mark::Bookmarked, &meta), "found by its path");
    keys(&mut app, &["B"]);
    assert_eq!((app.visible(), app.list_len()), (&[3][..], 1));
    keys(&mut app, &["b"]);
    persist.finish(&mut app).unwrap();
    assert!(on_disk(home.path()).bookmarks().is_empty());
}

#[test]
fn a_newer_bookmarks_file_is_read_only_and_b_says_why() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("bookmarks.json");
    let newer = "{\"version\": 9, \"bookmarks\": []}\n";
    std::fs::write(&file, newer).unwrap();
    let (mut persist, warnings) = Persist::open(home.path());
    assert!(warnings.iter().any(|w| w.contains("newer")), "{warnings:?}");
    let mut app = App::new(Library::bundled(), Settings::default());
    app.update(Action::Resize(120, 32));
    serve_reads(&mut app);
    persist.seed(&mut app);
    let meta = app.library().articles()[0].clone();
    keys(&mut app, &["b"]);
    persist.sync(&mut app, Instant::now());
    let status = app.status().unwrap();
    assert!(status.error, "{status:?}");
    assert!(status.text.contains("newer tidings"), "{status:?}");
    assert!(
        !app.is_marked(Mark::Bookmarked, &meta),
        "the mark is undone"
    );
    persist.finish(&mut app).unwrap_or_default();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), newer, "untouched");
}

/// A data dir that can be read but not written. (A read-only folder fails
/// the same way, but permissions do not stop root; a lock that is a folder
/// stops everyone.)
fn unwritable_data_dir(home: &Path) -> std::path::PathBuf {
    let dir = home.join("data");
    for lock in ["bookmarks.lock", "state.lock"] {
        std::fs::create_dir_all(dir.join(lock)).unwrap();
    }
    dir
}

#[test]
fn with_an_unwritable_data_dir_no_star_or_read_mark_shows_and_the_status_bar_says_why() {
    let home = tempfile::tempdir().unwrap();
    let dir = unwritable_data_dir(home.path());
    let (mut app, mut persist) = session(&dir, 120, 32);
    let first = app.library().articles()[0].clone();
    keys(&mut app, &["b"]);
    persist.sync(&mut app, Instant::now());
    let text = screen(&app);
    assert!(
        !text.contains('★'),
        "a star for a bookmark not saved:\n{text}"
    );
    assert!(!app.is_marked(Mark::Bookmarked, &first));
    let status = app.status().unwrap();
    assert!(status.error, "{status:?}");
    assert!(
        status.text.contains("Not bookmarked") && status.text.contains("could not save"),
        "{status:?}"
    );
    assert!(status.text.contains("bookmarks.lock"), "why: {status:?}");

    keys(&mut app, &["u"]);
    persist.sync(&mut app, Instant::now());
    assert!(!app.is_marked(Mark::Read, &first), "a read mark not saved");
    assert!(app.status().unwrap().text.contains("Not marked read"));
    keys(&mut app, &["enter"]);
    persist.sync(&mut app, Instant::now());
    assert!(app.reader().is_some(), "the story still opens");
    assert!(!app.is_marked(Mark::Read, &first), "a read mark not saved");
    assert!(persist.finish(&mut app).is_ok(), "nothing left to save");
    assert!(!dir.join("bookmarks.json").exists() && !dir.join("state.log").exists());
}

#[test]
fn with_mark_read_on_open_off_opening_leaves_a_story_unread() {
    let home = tempfile::tempdir().unwrap();
    let settings = Settings {
        mark_read_on_open: false,
        ..Settings::default()
    };
    let (mut app, mut persist) = session_with(home.path(), 80, 24, settings);
    let meta = app.library().articles()[0].clone();
    keys(&mut app, &["enter", "J"]);
    assert!(!app.is_marked(Mark::Read, &meta));
    assert!(!app.is_marked(Mark::Read, &app.library().articles()[1].clone()));
    keys(&mut app, &["K", "u"]);
    assert!(app.is_marked(Mark::Read, &meta), "u still marks it");
    persist.finish(&mut app).unwrap();
    assert_eq!(
        on_disk(home.path()).read_ids(),
        std::slice::from_ref(&meta.id())
    );
}

#[test]
fn changes_saved_by_another_process_appear_after_a_refresh() {
    let home = tempfile::tempdir().unwrap();
    let (mut app, mut persist) = session(home.path(), 120, 32);
    let meta = app.library().articles()[5].clone();
    let mut script = on_disk(home.path());
    script.add_bookmark(&meta).unwrap();
    script.set_read(meta.id(), true);
    script.flush().unwrap();
    let next = persist.sync(&mut app, Instant::now());
    assert!(!app.is_marked(Mark::Bookmarked, &meta), "not looked at yet");
    assert!(next.deadline <= Instant::now() + REFRESH_EVERY);
    let next = persist.sync(&mut app, Instant::now() + REFRESH_EVERY);
    assert!(next.redraw);
    assert!(app.is_marked(Mark::Bookmarked, &meta) && app.is_marked(Mark::Read, &meta));
    assert!(
        app.take_mark_changes().is_empty(),
        "taken in, not queued back"
    );
}

#[test]
fn both_sessions_changes_survive() {
    let home = tempfile::tempdir().unwrap();
    let (mut one, mut p1) = session(home.path(), 120, 32);
    let (mut two, mut p2) = session(home.path(), 120, 32);
    keys(&mut one, &["b"]);
    keys(&mut two, &["j", "b"]);
    p1.finish(&mut one).unwrap();
    p2.finish(&mut two).unwrap();
    let stored = on_disk(home.path());
    assert_eq!(stored.bookmarks().len(), 2);
}

/// A library of one story, and a request to load it (with a load cache
/// beside it when `cached`).
fn one_story(cached: bool) -> (tempfile::TempDir, tidings::library::LoadRequest) {
    let lib_dir = tempfile::tempdir().unwrap();
    let path = lib_dir.path().join("lib/world/story.txt");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "A stored story\n\nIts body.\n").unwrap();
    let request = tidings::library::LoadRequest {
        inputs: vec![lib_dir.path().join("lib")],
        options: Default::default(),
        cache_dir: cached.then(|| lib_dir.path().join("cache")),
    };
    (lib_dir, request)
}

#[test]
fn bookmarks_are_resolved_again_once_a_background_load_finishes() {
    let data = tempfile::tempdir().unwrap();
    let (_lib_dir, request) = one_story(false);
    let full = Library::load(&request.inputs, Default::default()).unwrap();
    let meta = full.articles()[0].clone();
    {
        let (mut store, _) = Store::open(data.path());
        store.add_bookmark(&meta).unwrap();
        store.flush().unwrap();
    }
    // The app starts before anything is loaded: the bookmark is missing.
    let (mut persist, _) = Persist::open(data.path());
    let mut app = App::new(Library::empty(&request), Settings::default());
    app.update(Action::Resize(100, 20));
    serve_reads(&mut app);
    persist.seed(&mut app);
    assert_eq!(app.missing().len(), 1);
    // Then the loader delivers the article and finishes.
    tidings::library::load_streaming(&request, &mut |e| {
        app.apply(Event::Load(e));
        serve_reads(&mut app);
    });
    sync_after(&mut app, &mut persist, Duration::ZERO);
    assert!(app.missing().is_empty(), "{:?}", app.missing());
    assert!(app.is_marked(Mark::Bookmarked, &app.library().articles()[0]));
}

#[test]
fn on_a_warm_start_bookmarks_are_found_as_soon_as_the_cached_list_arrives() {
    let data = tempfile::tempdir().unwrap();
    let (_lib_dir, request) = one_story(true);
    // A first run fills the load cache.
    let full = Library::load_with_cache(
        &request.inputs,
        Default::default(),
        request.cache_dir.clone(),
    )
    .unwrap();
    {
        let (mut store, _) = Store::open(data.path());
        store.add_bookmark(&full.articles()[0]).unwrap();
        store.flush().unwrap();
    }
    let (mut persist, _) = Persist::open(data.path());
    let mut app = App::new(Library::empty(&request), Settings::default());
    app.update(Action::Resize(100, 20));
    serve_reads(&mut app);
    persist.seed(&mut app);
    assert_eq!(app.missing().len(), 1);
    // Only the cached list has arrived; the files are still being checked.
    let mut events = Vec::new();
    tidings::library::load_streaming(&request, &mut |e| events.push(e));
    assert!(matches!(events[0], tidings::library::LoadEvent::Cached(_)));
    app.apply(Event::Load(events.remove(0)));
    serve_reads(&mut app);
    assert!(!app.library().progress().done);
    sync_after(&mut app, &mut persist, Duration::ZERO);
    assert!(app.missing().is_empty(), "{:?}", app.missing());
    assert!(app.is_marked(Mark::Bookmarked, &app.library().articles()[0]));
}

#[test]
fn bookmarks_written_by_hand_with_only_a_path_are_shown_and_removed_one_at_a_time() {
    let home = tempfile::tempdir().unwrap();
    let library = Library::bundled();
    let (third, fourth) = (&library.articles()[2], &library.articles()[3]);
    let file = format!(
        r#"{{"version": 1, "bookmarks": [{{"path": "{}"}}, {{"path": "{}"}}, {{"path": "world/gone.txt"}}]}}"#,
        third.rel_path(),
        fourth.rel_path()
    );
    std::fs::write(home.path().join("bookmarks.json"), file).unwrap();
    let (mut app, mut persist) = session(home.path(), 120, 32);
    assert!(app.is_marked(Mark::Bookmarked, third) && app.is_marked(Mark::Bookmarked, fourth));
    keys(&mut app, &["B"]);
    assert_eq!(app.list_len(), 3);
    let text = screen(&app);
    assert!(
        text.contains("✗★ world/gone.txt"),
        "named by its path:\n{text}"
    );
    keys(&mut app, &["b"]);
    persist.sync(&mut app, Instant::now());
    let left: Vec<String> = on_disk(home.path())
        .bookmarks()
        .iter()
        .map(|b| b.path.clone())
        .collect();
    assert_eq!(left, [fourth.rel_path(), "world/gone.txt"], "only that one");
}

#[test]
fn one_b_on_identical_files_bookmarks_one_row() {
    let home = tempfile::tempdir().unwrap();
    let lib = home.path().join("lib");
    let story = b"Twin headline\n\nThe same words in many places.";
    for dir in ["a", "b", "c", "d"] {
        std::fs::create_dir_all(lib.join(dir)).unwrap();
        std::fs::write(lib.join(dir).join("story.txt"), story).unwrap();
    }
    std::fs::write(lib.join("other.txt"), b"Other headline\n\nOther words.").unwrap();
    let library = Library::load(&[lib], tidings::library::LoadOptions::default()).unwrap();
    let data = home.path().join("data");
    let (mut persist, _) = Persist::open(&data);
    let mut app = App::new(library, Settings::default());
    app.update(Action::Resize(120, 32));
    persist.seed(&mut app);
    // One row per story, no id twice.
    let ids: Vec<String> = app
        .visible()
        .iter()
        .map(|&i| app.library().articles()[i].id().to_string())
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((ids.len(), unique.len()), (2, 2), "{ids:?}");
    let twin = app
        .visible()
        .iter()
        .position(|&i| app.library().articles()[i].title() == "Twin headline")
        .unwrap();
    for _ in 0..twin {
        keys(&mut app, &["j"]);
    }
    keys(&mut app, &["b"]);
    keys(&mut app, &["B"]);
    assert_eq!(app.visible().len(), 1, "one bookmarked row");
    assert_eq!(screen(&app).matches('★').count(), 1, "{}", screen(&app));
    persist.finish(&mut app).ok();
    assert_eq!(on_disk(&data).bookmarks().len(), 1);
}
