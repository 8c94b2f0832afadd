//! Undo (`z`), driven by keys: each kind of change to reading state put
//! back (read marks by `u` and by opening, a group's read mark, bookmarks
//! added and removed), several steps deep, saying what was undone, and
//! saved like the change it undoes. Screens at 120x40 and 40x12.

use crate::app::select;
use crate::app::{keys, sample_app};
use crate::app_groups::{MIDDLE, NEWEST, OLDEST, grouped_app, is_read};
use crate::common::screen;
use std::path::Path;
use std::time::Instant;
use tidings::action::Action;
use tidings::app::marks::Mark;
use tidings::app::{App, serve_reads};
use tidings::app::{Settings, undo};
use tidings::library::Library;
use tidings::store::Store;
use tidings::tui::persist::Persist;

fn status(app: &App) -> String {
    app.status().map(|s| s.text.clone()).unwrap_or_default()
}

/// Whether the story at `index` in the library carries `mark`.
fn marked(app: &App, mark: Mark, index: usize) -> bool {
    app.is_marked(mark, &app.library().articles()[index])
}

fn title(app: &App, index: usize) -> String {
    app.library().articles()[index].title().to_string()
}

#[test]
fn z_with_nothing_to_undo_says_so_and_changes_nothing() {
    let mut app = sample_app(120, 40);
    keys(&mut app, &["z"]);
    assert_eq!(status(&app), "Nothing to undo");
    assert_eq!(app.marks().count(Mark::Read), 0);
    assert_eq!(app.marks().count(Mark::Bookmarked), 0);
}

#[test]
fn z_undoes_read_marks_and_bookmarks_several_steps_deep_newest_first() {
    let mut app = sample_app(120, 40);
    let first = app.selected_index().unwrap();
    keys(&mut app, &["u", "b", "j"]);
    let second = app.selected_index().unwrap();
    keys(&mut app, &["b", "u", "u"]);
    assert!(marked(&app, Mark::Bookmarked, second) && !marked(&app, Mark::Read, second));
    assert_eq!(app.undo_depth(), 5);

    keys(&mut app, &["z"]);
    assert!(marked(&app, Mark::Read, second), "u (unread) undone");
    assert_eq!(
        status(&app),
        format!("Undid: marked unread: {}", title(&app, second))
    );
    keys(&mut app, &["z"]);
    assert!(!marked(&app, Mark::Read, second), "u (read) undone");
    assert_eq!(
        status(&app),
        format!("Undid: marked read: {}", title(&app, second))
    );
    keys(&mut app, &["z"]);
    assert!(!marked(&app, Mark::Bookmarked, second));
    assert_eq!(
        status(&app),
        format!("Undid: bookmarked {}", title(&app, second))
    );
    // The first story's changes are still there, and go next.
    assert!(marked(&app, Mark::Bookmarked, first) && marked(&app, Mark::Read, first));
    keys(&mut app, &["z", "z"]);
    assert!(!marked(&app, Mark::Bookmarked, first) && !marked(&app, Mark::Read, first));
    keys(&mut app, &["z"]);
    assert_eq!(status(&app), "Nothing to undo");
}

#[test]
fn z_puts_back_a_removed_bookmark() {
    let mut app = sample_app(120, 40);
    let first = app.selected_index().unwrap();
    keys(&mut app, &["b", "b"]);
    assert!(!marked(&app, Mark::Bookmarked, first));
    keys(&mut app, &["z"]);
    assert!(marked(&app, Mark::Bookmarked, first));
    assert_eq!(
        status(&app),
        format!("Undid: bookmark removed from {}", title(&app, first))
    );
}

#[test]
fn z_in_the_reader_undoes_the_read_mark_opening_made() {
    let mut app = sample_app(120, 40);
    let first = app.selected_index().unwrap();
    keys(&mut app, &["enter"]);
    assert!(marked(&app, Mark::Read, first));
    keys(&mut app, &["z"]);
    assert!(!marked(&app, Mark::Read, first));
    assert_eq!(
        status(&app),
        format!("Undid: marked read: {}", title(&app, first))
    );
}

#[test]
fn opening_a_story_already_read_leaves_nothing_to_undo() {
    let mut app = sample_app(120, 40);
    keys(&mut app, &["u", "enter"]);
    assert_eq!(app.undo_depth(), 1, "only the u");
}

#[test]
fn undoing_a_group_read_mark_restores_each_version_as_it_was() {
    let (_dir, mut app) = grouped_app(120, 40);
    // The oldest version read on its own (grouping off), then the newest
    // opened with grouping on: that marks the other two read.
    keys(&mut app, &["X"]);
    select(&mut app, OLDEST);
    keys(&mut app, &["u", "X"]);
    select(&mut app, NEWEST);
    keys(&mut app, &["enter"]);
    assert!(is_read(&app, NEWEST) && is_read(&app, MIDDLE) && is_read(&app, OLDEST));
    keys(&mut app, &["z"]);
    assert_eq!(status(&app), "Undid: marked 2 stories read");
    assert!(!is_read(&app, NEWEST) && !is_read(&app, MIDDLE));
    assert!(is_read(&app, OLDEST), "read before the change, read after");
    keys(&mut app, &["z"]);
    assert!(!is_read(&app, OLDEST));
    assert_eq!(status(&app), format!("Undid: marked read: {OLDEST}"));
}

#[test]
fn the_history_keeps_the_last_hundred_changes() {
    let mut app = sample_app(120, 40);
    for _ in 0..undo::DEPTH + 1 {
        keys(&mut app, &["u"]);
    }
    assert_eq!(app.undo_depth(), undo::DEPTH);
    for _ in 0..undo::DEPTH {
        keys(&mut app, &["z"]);
    }
    // 101 toggles (read), the last 100 undone: the first one's read stays.
    assert!(marked(&app, Mark::Read, app.selected_index().unwrap()));
    keys(&mut app, &["z"]);
    assert_eq!(status(&app), "Nothing to undo");
}

/// The app with the store in `dir`, as `launch` starts it.
fn session(dir: &Path) -> (App, Persist) {
    let (mut persist, warnings) = Persist::open(dir);
    assert!(warnings.is_empty(), "{warnings:?}");
    let mut app = App::new(Library::bundled(), Settings::default());
    app.update(Action::Resize(120, 40));
    serve_reads(&mut app);
    persist.seed(&mut app);
    (app, persist)
}

fn on_disk(dir: &Path) -> Store {
    Store::open(dir).0
}

#[test]
fn an_undo_is_on_disk_before_it_shows_and_after_a_restart() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path();
    let (mut app, mut persist) = session(dir);
    let first = app.selected_meta().unwrap().clone();
    keys(&mut app, &["b", "u"]);
    persist.sync(&mut app, Instant::now());
    assert!(on_disk(dir).is_bookmarked(first.id()) && on_disk(dir).is_read(first.id()));
    keys(&mut app, &["z"]);
    // The loop's call after the key, before it draws it.
    persist.sync(&mut app, Instant::now());
    assert!(
        !on_disk(dir).is_read(first.id()),
        "the undone read mark waited"
    );
    keys(&mut app, &["z"]);
    persist.sync(&mut app, Instant::now());
    assert!(
        !on_disk(dir).is_bookmarked(first.id()),
        "the undone bookmark waited"
    );
    persist.finish(&mut app).unwrap();

    let (again, _persist) = session(dir);
    assert!(!again.is_marked(Mark::Bookmarked, &first));
    assert!(!again.is_marked(Mark::Read, &first));
    assert_eq!(again.undo_depth(), 0, "the history lasts a session");
}

#[test]
fn undo_screens() {
    for (w, h) in [(120, 40), (40, 12)] {
        let mut app = sample_app(w, h);
        keys(&mut app, &["j", "b", "b", "z"]);
        insta::assert_snapshot!(format!("undo_status_{w}x{h}"), screen(&app, w, h).backend());
    }
}

#[test]
fn in_a_terminal_a_bookmark_undone_is_gone_after_a_restart() {
    let home = tempfile::tempdir().unwrap();
    let mut s = crate::common::pty::Session::start_in(home.path(), 100, 30, None);
    s.wait_for("15 articles");
    s.send("b");
    assert!(s.wait_for("Bookmarked").contains('★'));
    s.send("z");
    let screen = s.wait_for("Undid: bookmarked France");
    assert!(!screen.contains('★'), "{screen}");
    s.send("q");
    assert_eq!(s.exit_code(), 0);
    assert!(on_disk(&home.path().join("data")).bookmarks().is_empty());

    let s = crate::common::pty::Session::start_in(home.path(), 100, 30, None);
    let screen = s.wait_for("15 articles");
    assert!(!screen.contains('★'), "{screen}");
}

#[test]
fn z_puts_back_the_bookmark_of_a_missing_story_as_it_was_stored() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path();
    let gone = crate::app::phantom("00000000deadbeef", "A story that was deleted");
    let mut store = on_disk(dir);
    store.add_bookmark(&gone).unwrap();
    store.flush().unwrap();
    let stored = on_disk(dir).bookmarks().to_vec();

    let (mut app, mut persist) = session(dir);
    keys(&mut app, &["B", "b"]);
    persist.sync(&mut app, Instant::now());
    assert!(on_disk(dir).bookmarks().is_empty());
    keys(&mut app, &["z"]);
    assert_eq!(
        status(&app),
        "Undid: bookmark removed from A story that was deleted"
    );
    assert_eq!(app.list_len(), 1, "listed again");
    assert_eq!(app.selected_missing().unwrap().id, gone.id());
    persist.sync(&mut app, Instant::now());
    assert_eq!(on_disk(dir).bookmarks(), stored, "as it was, date and all");

    let (again, _persist) = session(dir);
    assert_eq!(again.missing().len(), 1);
}
