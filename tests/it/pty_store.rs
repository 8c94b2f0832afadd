//! Bookmarks and reading state through the real binary in a
//! pseudo-terminal: what a key changed is on disk however the app ends
//! (signals, a hung-up terminal), reopening a story resumes it, and a
//! damaged file is moved aside with a warning on screen.

use crate::common::pty::Session;
use std::path::Path;
use tidings::store::Store;

/// The first story in the sample library's list.
const FIRST: &str = "France Is Asking Everyone for Help";

fn stored(home: &Path) -> Store {
    let (store, warnings) = Store::open(&home.join("data"));
    assert!(warnings.is_empty(), "{warnings:?}");
    store
}

fn bookmarked_titles(home: &Path) -> Vec<String> {
    stored(home)
        .bookmarks()
        .iter()
        .map(|b| b.title.clone())
        .collect()
}

fn kill(session: &Session, signal: &str) {
    let pid = session.child.process_id().unwrap();
    let status = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn a_bookmark_then_sighup_sigterm_or_sigquit_is_on_disk_and_the_app_is_gone() {
    for (signal, number) in [("HUP", 1), ("TERM", 15), ("QUIT", 3)] {
        let home = tempfile::tempdir().unwrap();
        let mut s = Session::start_in(home.path(), 80, 24, None);
        s.wait_for("15 articles");
        s.send("b");
        s.wait_for("Bookmarked");
        // At once: well before the debounced save would have run.
        kill(&s, signal);
        // exit_code polls until the process is gone, failing if it never is.
        assert_eq!(s.exit_code(), 128 + number, "SIG{signal}");
        assert!(!s.alive());
        let titles = bookmarked_titles(home.path());
        assert_eq!(titles.len(), 1, "SIG{signal}: {titles:?}");
        assert!(titles[0].starts_with(FIRST), "{titles:?}");
    }
}

#[test]
fn a_bookmark_then_a_closed_terminal_is_on_disk_and_the_app_is_gone() {
    let home = tempfile::tempdir().unwrap();
    // The screen reader stops once the bookmark is confirmed, so dropping
    // the master below really hangs the terminal up.
    let mut s = Session::start_in(home.path(), 80, 24, Some("Bookmarked"));
    s.wait_for("15 articles");
    s.send("b");
    s.reader.take().unwrap().join().unwrap();
    drop(s.writer.take());
    drop(s.master.take());
    assert_ne!(s.exit_code(), 0, "a hang-up is not a normal quit");
    assert!(!s.alive());
    let titles = bookmarked_titles(home.path());
    assert_eq!(titles.len(), 1, "{titles:?}");
    assert!(titles[0].starts_with(FIRST), "{titles:?}");
}

/// The reader's text rows: below the search bar and the pane header,
/// above the status bar.
fn reader_rows(screen: &str) -> Vec<String> {
    let rows: Vec<String> = screen.lines().map(|l| l.trim().to_string()).collect();
    rows[2..rows.len().saturating_sub(1)].to_vec()
}

#[test]
fn open_scroll_quit_reopen_shows_the_same_paragraph_at_the_top() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::start_in(home.path(), 80, 24, None);
    s.wait_for("1/15");
    s.send("\r");
    s.wait_for("words ·");
    // A page, then two lines, so the top is inside the body; each key
    // changes the screen, so waiting for the change keeps step with it.
    let mut before_screen = s.screen();
    for key in [" ", "j", "j"] {
        s.send(key);
        before_screen = s.wait_for_change(&before_screen);
    }
    let top = reader_rows(&before_screen)[0].clone();
    assert!(!top.is_empty(), "{before_screen}");
    // Back to the list, then quit: the next start opens on the list.
    s.send("qq");
    assert_eq!(s.exit_code(), 0);

    let mut again = Session::start_in(home.path(), 80, 24, None);
    again.wait_for("1/15");
    again.send("\r");
    let list = again.wait_for("1/15");
    let screen = again.wait_for_change(&list);
    assert!(screen.contains('%'), "{screen}");
    let rows = reader_rows(&screen);
    assert!(
        !screen.contains("words ·"),
        "not back at the headline:\n{screen}"
    );
    // The top row starts the paragraph the old top row was in: that row
    // follows it without a blank line between.
    let at = rows
        .iter()
        .position(|r| *r == top)
        .unwrap_or_else(|| panic!("{top:?} not on screen:\n{screen}"));
    assert!(
        rows[..at].iter().all(|r| !r.is_empty()),
        "{top:?} is in another paragraph than the top one:\n{screen}"
    );
    again.send("qq");
    assert_eq!(again.exit_code(), 0);
}

#[test]
fn a_corrupt_bookmarks_file_is_moved_aside_with_a_warning_on_screen() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("bookmarks.json"), "{\"version\": 1, \"bookm").unwrap();
    let mut s = Session::start_in(home.path(), 80, 24, None);
    let screen = s.wait_for("15 articles");
    assert!(screen.contains("bookmarks.json was damaged"), "{screen}");
    let aside: Vec<String> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("bookmarks.json.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1, "moved aside and kept");
    // The app carries on, and saves a fresh file.
    s.send("b");
    s.wait_for("Bookmarked");
    s.send("q");
    assert_eq!(s.exit_code(), 0);
    assert_eq!(bookmarked_titles(home.path()).len(), 1);
}

/// The sample library's story with this headline prefix.
fn story(title: &str) -> std::sync::Arc<tidings::article::ArticleMeta> {
    let library = tidings::library::Library::bundled();
    let found = library
        .articles()
        .iter()
        .find(|a| a.title().starts_with(title));
    found
        .unwrap_or_else(|| panic!("{title:?} not in the sample library"))
        .clone()
}

/// SIGKILL leaves no way out to save on: whatever is on disk then was
/// saved before the screen showed the change.
fn kill_9(s: &mut Session) {
    kill(s, "KILL");
    s.exit_code();
    assert!(!s.alive());
}

#[test]
fn a_bookmark_or_read_mark_on_screen_is_on_disk_before_a_sigkill() {
    let home = tempfile::tempdir().unwrap();
    let first = story(FIRST);

    // `b`: the star is on screen, then the process is killed at once.
    let mut s = Session::start_in(home.path(), 80, 24, None);
    let before = s.wait_for("1/15");
    assert!(!before.contains('★'), "{before}");
    s.send("b");
    s.wait_for("★");
    kill_9(&mut s);
    let titles = bookmarked_titles(home.path());
    assert_eq!(titles, [first.title()], "the bookmark on screen was lost");

    // `u` on the second story: "Marked read", then killed.
    let mut s = Session::start_in(home.path(), 80, 24, None);
    s.wait_for("1/15");
    s.send("j");
    s.wait_for("2/15");
    s.send("u");
    s.wait_for("Marked read");
    kill_9(&mut s);
    let read = stored(home.path()).read_ids();
    assert_eq!(read.len(), 1, "the read mark on screen was lost: {read:?}");

    // Opening the third story marks it read: the story is on screen, then
    // the process is killed.
    let mut s = Session::start_in(home.path(), 80, 24, None);
    s.wait_for("1/15");
    s.send("jj");
    s.wait_for("3/15");
    s.send("\r");
    s.wait_for("words ·");
    kill_9(&mut s);
    let store = stored(home.path());
    assert_eq!(
        store.read_count(),
        2,
        "the read mark of the story opened was lost"
    );
    assert!(store.is_bookmarked(first.id()), "and the earlier ones kept");
}
