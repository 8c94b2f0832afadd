//! The built binary in a real pseudo-terminal: type keys, read the screen
//! through a VT parser, and check what reached the terminal, including that
//! it was restored on the way out.

use crate::common::pty::{PATIENCE, Session};
use crate::common::repo_file;
use std::time::{Duration, Instant};

#[test]
fn open_scroll_search_bookmark_and_quit_restore_the_terminal() {
    let mut s = Session::start(120, 32, None);
    s.wait_for("15 articles");
    assert!(s.alternate_screen());
    s.send("j");
    s.wait_for("2/15");
    s.send("\r");
    s.send("G");
    s.wait_for("100%");
    // Esc alone (a pause keeps it from starting an escape sequence), then G
    // moves the list, so focus is back on it.
    s.send("\x1b");
    std::thread::sleep(Duration::from_millis(150));
    s.send("G");
    s.wait_for("15/15");
    s.send("/france");
    // "matches", not "headline matches": the full-text engine answered.
    let screen = s.wait_for("\"france\" · 3 matches");
    assert!(
        screen.contains("France set for new Da Vinci novel"),
        "{screen}"
    );
    assert!(!screen.contains("Halo 2"), "{screen}");
    s.send("\rb");
    s.wait_for("Bookmarked");
    assert!(s.screen().contains("★"));
    s.send("q");
    assert_eq!(s.exit_code(), 0);
    s.assert_restored();
}

#[test]
fn narrow_terminals_open_one_pane_at_a_time() {
    let mut s = Session::start(80, 24, None);
    s.wait_for("1/15");
    s.send("\r");
    let reader = s.wait_for("words ·");
    assert!(
        !reader.contains("Obama pledges"),
        "the list is hidden:\n{reader}"
    );
    s.send("\x1b");
    // The list again (the reader's header shows `1/15` too).
    s.wait_for("Obama pledges");
    s.send("q");
    assert_eq!(s.exit_code(), 0);
}

#[test]
fn resizing_through_tiny_and_huge_sizes_keeps_the_app_alive() {
    let mut s = Session::start(80, 24, None);
    s.wait_for("15 articles");
    for (cols, rows) in [
        (1, 1),
        (0, 0),
        (19, 4),
        (20, 5),
        (300, 100),
        (2, 200),
        (300, 1),
    ] {
        s.resize(cols, rows);
        std::thread::sleep(Duration::from_millis(60));
        assert!(s.alive(), "died at {cols}x{rows}");
    }
    s.resize(15, 4);
    s.wait_for("Too small");
    s.resize(80, 24);
    s.wait_for("15 articles");
    s.send("q");
    assert_eq!(s.exit_code(), 0);
    s.assert_restored();
}

#[test]
fn sigterm_restores_the_terminal() {
    let mut s = Session::start(80, 24, None);
    s.wait_for("15 articles");
    let pid = s.child.process_id().unwrap();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(s.exit_code(), 128 + 15);
    s.assert_restored();
}

#[test]
fn a_dropped_terminal_ends_the_app() {
    // The reader stops once the app is up, so closing the master below
    // really hangs the terminal up, as when an SSH connection drops.
    let mut s = Session::start(80, 24, Some("15 articles"));
    s.reader.take().unwrap().join().unwrap();
    assert!(s.screen().contains("15 articles"));
    drop(s.writer.take());
    drop(s.master.take());
    let code = s.exit_code();
    assert_ne!(code, 0, "a hang-up is not a normal quit");
}

#[test]
fn without_a_terminal_it_exits_2_and_prints_no_escape_sequences() {
    let home = tempfile::tempdir().unwrap();
    let output = crate::common::tidings(home.path())
        .args(["-l", "articles"])
        .current_dir(repo_file(""))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(
        !output.stderr.contains(&0x1b),
        "{:?}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("needs a terminal"));
}

/// Regression: with crossterm's edge-triggered reader, the first key after
/// a resize stayed unread until the next key arrived.
#[test]
fn a_key_right_after_a_resize_is_read_at_once() {
    let mut s = Session::start(80, 24, None);
    s.wait_for("1/15");
    for (i, cols) in [90u16, 100, 85].into_iter().enumerate() {
        s.resize(cols, 24);
        std::thread::sleep(Duration::from_millis(100));
        s.send("j");
        s.wait_for(&format!("{}/15", i + 2));
    }
    s.send("q");
    assert_eq!(s.exit_code(), 0);
}

#[test]
fn typing_a_word_found_only_in_a_body_lists_that_story_ranked() {
    let mut s = Session::start(120, 32, None);
    s.wait_for("15 articles");
    // "warcraft" is in no headline, kicker or category: only the index of
    // the bodies can find it.
    s.send("/warcraft");
    let screen = s.wait_for("\"warcraft\" · 1 match ");
    assert!(
        screen.contains("Halo 2 sells five million copies"),
        "{screen}"
    );
    // The reader previews it at the first match, marked as the current
    // one (reverse video without colour); n moves the mark to the next.
    let reader = 49;
    assert_eq!(
        s.reverse_words("Warcraft", reader),
        [true, false, false],
        "{screen}"
    );
    s.send("\r\r");
    s.wait_for("J next");
    s.send("n");
    let start = Instant::now();
    while s.reverse_words("Warcraft", reader) != [false, true, false] {
        assert!(
            start.elapsed() < PATIENCE,
            "n did not move:\n{}",
            s.screen()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // q goes back to the list, and quits from there.
    s.send("qq");
    assert_eq!(s.exit_code(), 0);
}

#[test]
fn the_load_cache_is_on_disk_when_the_app_quits_right_after_loading() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::start_in(home.path(), 100, 30, None);
    s.wait_for("15 articles");
    let start = Instant::now();
    while s.screen().contains("Loading") {
        assert!(start.elapsed() < PATIENCE, "{}", s.screen());
        std::thread::sleep(Duration::from_millis(20));
    }
    s.send("q");
    assert_eq!(s.exit_code(), 0);
    // Written on its own thread after the full list was drawn, and waited
    // for on the way out: whole, and the only load cache there (beside it,
    // at most the fingerprints, never a temp file).
    let folder = home.path().join("cache/library");
    let all: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let files: Vec<_> = all
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .collect();
    assert_eq!(files.len(), 1, "{all:?}");
    assert!(
        all.iter()
            .all(|p| p.extension().is_some_and(|e| e == "bin" || e == "prints")),
        "{all:?}"
    );
    let cached = tidings::library::cache::read(
        files[0],
        &[repo_file("articles")],
        &tidings::library::LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(cached.articles.len(), 15);
}
