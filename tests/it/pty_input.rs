//! The built binary in a pseudo-terminal, fed what people really do to a
//! terminal: paste into it, paste far too much, suspend it to the shell
//! with ctrl-z, quit and come back expecting to be where they were.

use crate::common::pty::{Session, isolate_in_terminal};
use crate::common::repo_file;
use portable_pty::CommandBuilder;
use std::io::Write;
use std::time::Duration;

const PASTE_START: &str = "\x1b[200~";
const PASTE_END: &str = "\x1b[201~";

/// The line of the screen that holds `needle`.
fn line_with(screen: &str, needle: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_paste_into_the_search_bar_is_typed_never_run_as_keys() {
    let mut s = Session::start(120, 32, None);
    s.wait_for("15 articles");
    assert!(
        s.bracketed_paste(),
        "bracketed paste was not turned on (no ESC [ ? 2004 h)"
    );
    s.send("/");
    s.wait_for("enter keep");
    // As a terminal sends a paste of "boss", a new line, then "buq": without
    // bracketed paste the new line would submit and b, u, q would bookmark,
    // mark read and quit.
    s.send(&format!("{PASTE_START}boss\nbuq{PASTE_END}"));
    let screen = s.wait_for("boss buq");
    assert!(
        line_with(&screen, "boss buq").starts_with(" / boss buq"),
        "{screen}"
    );
    std::thread::sleep(Duration::from_millis(300));
    let screen = s.screen();
    assert!(!screen.contains("Bookmarked"), "{screen}");
    assert!(!screen.contains('★'), "{screen}");
    assert!(s.alive(), "the paste quit the app");
    // Still typing: more keys go into the query.
    s.send("x");
    s.wait_for("boss buqx");
    s.send("\x03");
    assert_eq!(s.exit_code(), 0);
    s.assert_restored();
    let output = s.output();
    let last_on = find_last(&output, b"\x1b[?2004h").expect("paste mode turned on");
    let last_off = find_last(&output, b"\x1b[?2004l").expect("paste mode turned off");
    assert!(last_off > last_on, "paste mode left on at the end");
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[test]
fn a_paste_into_the_list_opens_the_search_with_it() {
    let mut s = Session::start(120, 32, None);
    s.wait_for("15 articles");
    s.send(&format!("{PASTE_START}\tfrance\r\n{PASTE_END}"));
    s.wait_for("\"france\"");
    let screen = s.screen();
    assert!(!screen.contains("Bookmarked"), "{screen}");
    s.send("\x1b");
    std::thread::sleep(Duration::from_millis(150));
    s.send("q");
    assert_eq!(s.exit_code(), 0);
}

#[test]
fn a_huge_paste_is_cut_to_the_cap_and_ctrl_c_quits_at_once() {
    let mut s = Session::start(120, 32, None);
    s.wait_for("15 articles");
    s.send("/");
    s.wait_for("enter keep");
    let words = "shell boss payoff reserves boynton ".repeat(3_000);
    assert!(words.len() > 100_000);
    s.send(&format!("{PASTE_START}{words}{PASTE_END}"));
    s.wait_for("1,000 characters");
    s.send("\x03");
    assert_eq!(s.exit_code(), 0, "ctrl-c after a huge paste");
    s.assert_restored();
}

#[test]
fn typing_a_huge_query_key_by_key_then_ctrl_c_quits_within_a_deadline() {
    // A terminal without bracketed paste sends a paste as keys. The keys
    // are written from another thread: a frozen app stops reading, and the
    // deadline below must still be able to fail the test.
    let mut s = Session::start(120, 32, None);
    s.wait_for("15 articles");
    s.send("/");
    s.wait_for("enter keep");
    let mut writer = s.writer.take().unwrap();
    let keys = "shell boss payoff reserves boynton ".repeat(600);
    let typist = std::thread::spawn(move || {
        for chunk in keys.as_bytes().chunks(512) {
            if writer
                .write_all(chunk)
                .and_then(|()| writer.flush())
                .is_err()
            {
                return;
            }
        }
        let _ = writer.write_all(b"\x03");
        let _ = writer.flush();
    });
    assert_eq!(s.exit_code(), 0, "ctrl-c after 21,000 typed characters");
    let _ = typist.join();
    s.assert_restored();
}

#[test]
fn ctrl_z_suspends_to_the_shell_and_fg_resumes_with_a_full_redraw() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = CommandBuilder::new("bash");
    cmd.args(["--norc", "--noprofile", "-i"]);
    isolate_in_terminal(&mut cmd, home.path());
    cmd.cwd(repo_file(""));
    cmd.env("HOME", home.path());
    cmd.env("PS1", "shell$ ");
    let mut s = Session::spawn(cmd, 100, 30, None);
    s.wait_for("shell$");
    s.send(&format!("{} -l articles\r", env!("CARGO_BIN_EXE_tidings")));
    s.wait_for("15 articles");
    s.send("jj");
    s.wait_for("3/15");
    s.send("\x1a");
    // The shell has the terminal back: its own screen, as it was left.
    let screen = s.wait_for("Stopped");
    assert!(!s.alternate_screen(), "still on the alternate screen");
    assert!(!s.cursor_hidden(), "the cursor is still hidden");
    assert!(!screen.contains("15 articles"), "{screen}");
    s.send("fg\r");
    s.wait_until("the reader back on its own screen", |s| {
        s.alternate_screen() && s.screen().contains("15 articles")
    });
    // Drawn in full, where it was left.
    let screen = s.wait_for("3/15");
    assert!(screen.contains("press / to search"), "{screen}");
    s.send("j");
    s.wait_for("4/15");
    s.send("q");
    s.wait_for("shell$ ");
    s.wait_until("the shell's own screen", |s| !s.alternate_screen());
    assert!(!s.cursor_hidden(), "the cursor is still hidden");
    s.send("exit\r");
    s.exit_code();
}

/// The reader's rows (everything but the status bar), without the spaces
/// at their ends (cleared and never-written cells read differently).
fn panes(screen: &str) -> Vec<String> {
    let lines: Vec<String> = screen.lines().map(|l| l.trim_end().to_string()).collect();
    lines[..lines.len().saturating_sub(1)].to_vec()
}

#[test]
fn reopening_restores_the_view_the_selection_and_the_open_story() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::start_in(home.path(), 80, 24, None);
    s.wait_for("1/15");
    // Bookmark the third and fourth stories, show bookmarks only, open the
    // second of them.
    s.send("jjb");
    s.wait_for("Bookmarked");
    s.send("jb");
    s.wait_for("4/15");
    s.send("B");
    s.wait_for("2/2");
    s.send("\r");
    s.wait_for("words ·");
    std::thread::sleep(Duration::from_millis(200));
    let before = panes(&s.screen());
    s.send("\x03");
    assert_eq!(s.exit_code(), 0);

    let mut s = Session::start_in(home.path(), 80, 24, None);
    s.wait_until(
        &format!("the same story open as before:\n{}", before.join("\n")),
        |s| panes(&s.screen()) == before,
    );
    s.send("\x1b");
    let list = s.wait_for("Bookmarks");
    assert!(line_with(&list, "Bookmarks").ends_with("2/2"), "{list}");
    s.send("\x03");
    assert_eq!(s.exit_code(), 0);
}
