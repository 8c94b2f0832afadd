//! Links through the built binary in a pseudo-terminal: what reaches the
//! browser (a script named by `$BROWSER` that records its argument, so no
//! browser starts and no host is contacted), what reaches the clipboard
//! (OSC 52 in the bytes the app wrote) and what never does.
//!
//! The tests with a Markdown story need the Markdown parser: until it is
//! in, a `.md` file is read as plain text, without its address or links,
//! and they are ignored (run them with `--ignored`).

use crate::common::pty::{Session, tidings_pty};
use crate::common::write_tree;
use crate::pty_hostile::{clipboard_writes, smuggled};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const PATIENCE: Duration = Duration::from_secs(30);

/// A story with an address, a link with a query, a mail link, a script
/// link and a link whose target carries an escape sequence and a bell.
const STORY: &str = "---\n\
title: Markets rally as rates hold\n\
url: https://example.org/news/markets-rally\n\
---\n\
\n\
Shares rose after the bank held its rates, as [its report](https://example.org/reports/q3?page=2&lang=en) said.\n\
\n\
Write to [the desk](mailto:desk@example.org), but do not [click here](javascript:alert(1)).\n\
\n\
A [trap](https://example.org/t\x1b]52;c;WlE1\x07x) for the terminal.\n";

/// The same story in plain text: no address, no links.
const PLAIN: &str = "Markets rally as rates hold\n\nShares rose after the bank held its rates.\n";

/// `home` with `file` holding `text` under `lib`, and a `$BROWSER` script
/// that appends its argument to `home/opened`.
fn home_with(file: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let home = tempfile::tempdir().unwrap();
    write_tree(&home.path().join("lib"), &[(file, text.as_bytes())]);
    let script = home.path().join("browser.sh");
    let record = home.path().join("opened");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n",
            record.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (home, record)
}

/// `tidings -l lib` in `home` at 100x30 with a display and the recording
/// browser, or over SSH with no display when `ssh`.
fn start(home: &Path, ssh: bool) -> Session {
    let mut cmd = tidings_pty(home, &["-l", "lib"]);
    cmd.cwd(home);
    cmd.env("BROWSER", home.join("browser.sh"));
    for name in [
        "SSH_CONNECTION",
        "SSH_TTY",
        "WAYLAND_DISPLAY",
        "WSL_DISTRO_NAME",
    ] {
        cmd.env_remove(name);
    }
    if ssh {
        cmd.env_remove("DISPLAY");
        cmd.env("SSH_CONNECTION", "192.0.2.1 50000 192.0.2.2 22");
    } else {
        cmd.env("DISPLAY", ":99");
    }
    let s = Session::spawn(cmd, 100, 30, None).patient(PATIENCE);
    s.wait_for("1 articles");
    s
}

/// The lines the browser script was given, once there are `n`.
fn opened(record: &Path, n: usize) -> Vec<String> {
    let start = Instant::now();
    loop {
        let text = std::fs::read_to_string(record).unwrap_or_default();
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        if lines.len() >= n || start.elapsed() > PATIENCE {
            return lines;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn o_on_a_story_without_a_web_address_says_so() {
    let (home, record) = home_with("business/rally.txt", PLAIN);
    let mut s = start(home.path(), false);
    s.send("o");
    s.wait_for("This story has no web address");
    s.send("\rL");
    s.wait_for("This story has no links.");
    s.send("\r");
    s.wait_for("This story has no links");
    let (code, out, _) = s.quit();
    assert_eq!(code, 0);
    assert!(!record.exists(), "the browser ran");
    assert_eq!(clipboard_writes(&out).0, Vec::<String>::new());
    assert_eq!(smuggled(&out), Vec::<String>::new());
}

#[test]
fn the_browser_gets_exactly_the_safe_url_and_a_script_link_never_opens() {
    let (home, record) = home_with("business/rally.md", STORY);
    let mut s = start(home.path(), false);
    s.send("\r");
    s.wait_for("Markets rally as rates hold");
    s.send("o");
    s.wait_for("Opened https://example.org/news/markets-rally in the browser");
    s.send("L");
    // The script link was never a link: its text is plain in the story.
    s.wait_for("Links: 4");
    let overlay = s.screen();
    assert!(!overlay.contains("javascript"), "{overlay}");
    // [1] the report, with a query string.
    s.send("j\r");
    s.wait_for("Opened https://example.org/reports/q3?page=2&lang=en in the");
    // [3] the trap: its escape and bell were removed when it was read.
    s.send("jj\r");
    s.wait_for("Opened https://example.org/t]52;c;WlE1x in the browser");
    let (code, out, _) = s.quit();
    assert_eq!(code, 0);
    assert_eq!(
        opened(&record, 3),
        [
            "https://example.org/news/markets-rally",
            "https://example.org/reports/q3?page=2&lang=en",
            "https://example.org/t]52;c;WlE1x",
        ]
    );
    assert_eq!(smuggled(&out), Vec::<String>::new());
}

#[test]
fn y_writes_osc_52_with_exactly_the_safe_url_and_nothing_else() {
    let (home, record) = home_with("business/rally.md", STORY);
    let mut s = start(home.path(), false);
    s.send("y");
    s.wait_for("Copied https://example.org/news/markets-rally");
    s.send("\rL");
    s.wait_for("Links: 4");
    s.send("jjy");
    s.wait_for("Copied mailto:desk@example.org");
    s.send("jy");
    s.wait_for("Copied https://example.org/t]52;c;WlE1x");
    let (code, out, parser) = s.quit();
    assert_eq!(code, 0);
    let (urls, _) = clipboard_writes(&out);
    assert_eq!(
        urls,
        [
            "https://example.org/news/markets-rally",
            "mailto:desk@example.org",
            "https://example.org/t]52;c;WlE1x",
        ]
    );
    assert_eq!(smuggled(&out), Vec::<String>::new());
    assert_eq!(parser.lock().unwrap().callbacks().clipboard.len(), 3);
    assert!(!record.exists(), "copying ran the browser");
}

#[test]
fn over_ssh_without_a_display_o_copies_instead_of_opening() {
    let (home, record) = home_with("business/rally.md", STORY);
    let mut s = start(home.path(), true);
    s.send("o");
    s.wait_for("No display over SSH: copied https://example.org/news/markets-rally instead");
    let (code, out, _) = s.quit();
    assert_eq!(code, 0);
    assert_eq!(
        clipboard_writes(&out).0,
        ["https://example.org/news/markets-rally"]
    );
    assert!(!record.exists(), "the browser ran over SSH");
    assert_eq!(smuggled(&out), Vec::<String>::new());
}
