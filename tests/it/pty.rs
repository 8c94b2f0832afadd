//! The built binary in a real pseudo-terminal: type keys, read the screen
//! through a VT parser, and check what reached the terminal, including that
//! it was restored on the way out.

use crate::common::repo_file;
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Long enough for a loaded CI machine; the app normally answers in
/// milliseconds.
pub(crate) const PATIENCE: Duration = Duration::from_secs(15);

pub(crate) struct Session {
    pub(crate) child: Box<dyn Child + Send + Sync>,
    pub(crate) master: Option<Box<dyn MasterPty + Send>>,
    pub(crate) writer: Option<Box<dyn Write + Send>>,
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the app wrote to the terminal.
    output: Arc<Mutex<Vec<u8>>>,
    pub(crate) reader: Option<std::thread::JoinHandle<()>>,
    /// A home made for this session alone, removed with it.
    _home: Option<tempfile::TempDir>,
}

fn size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

impl Session {
    /// Start `tidings -l articles` at `cols`x`rows`. When `until` is given,
    /// the reader thread stops (closing its end) once the screen shows it.
    pub(crate) fn start(cols: u16, rows: u16, until: Option<&'static str>) -> Self {
        let home = tempfile::tempdir().unwrap();
        let mut session = Self::start_in(home.path(), cols, rows, until);
        session._home = Some(home);
        session
    }

    /// Like [`Self::start`], with config, data and cache under `home`, so
    /// a second session finds what the first one saved.
    pub(crate) fn start_in(
        home: &std::path::Path,
        cols: u16,
        rows: u16,
        until: Option<&'static str>,
    ) -> Self {
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_tidings"));
        cmd.args(["-l", "articles"]);
        isolate(&mut cmd, home);
        Self::spawn(cmd, cols, rows, until)
    }

    /// Run `cmd` in a new pseudo-terminal of `cols`x`rows`.
    pub(crate) fn spawn(
        cmd: CommandBuilder,
        cols: u16,
        rows: u16,
        until: Option<&'static str>,
    ) -> Self {
        let pair = native_pty_system().openpty(size(cols, rows)).unwrap();
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            rows.max(1).try_into().unwrap(),
            cols.max(1).try_into().unwrap(),
            0,
        )));
        let mut reader = pair.master.try_clone_reader().unwrap();
        let screen = Arc::clone(&parser);
        let output = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&output);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n @ 1..) = reader.read(&mut buf) {
                record.lock().unwrap().extend_from_slice(&buf[..n]);
                let mut parser = screen.lock().unwrap();
                parser.process(&buf[..n]);
                if until.is_some_and(|u| parser.screen().contents().contains(u)) {
                    return;
                }
            }
        });
        let writer = pair.master.take_writer().unwrap();
        Self {
            child,
            master: Some(pair.master),
            writer: Some(writer),
            parser,
            output,
            reader: Some(reader),
            _home: None,
        }
    }

    pub(crate) fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Everything written to the terminal so far.
    pub(crate) fn output(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }

    /// Whether the terminal is showing its alternate screen.
    pub(crate) fn alternate_screen(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }

    /// Whether the terminal was asked to mark pastes (bracketed paste).
    pub(crate) fn bracketed_paste(&self) -> bool {
        self.parser.lock().unwrap().screen().bracketed_paste()
    }

    pub(crate) fn cursor_hidden(&self) -> bool {
        self.parser.lock().unwrap().screen().hide_cursor()
    }

    pub(crate) fn send(&mut self, keys: &str) {
        let writer = self.writer.as_mut().unwrap();
        writer.write_all(keys.as_bytes()).unwrap();
        writer.flush().unwrap();
    }

    /// Wait until the screen shows `needle`; fail with the screen otherwise.
    pub(crate) fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(needle) {
                return screen;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "waited for {needle:?}; the screen shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Resize the screen model first, holding it while the pty resizes, so
    /// no output drawn for the new size lands in a screen of the old one.
    pub(crate) fn resize(&mut self, cols: u16, rows: u16) {
        let mut parser = self.parser.lock().unwrap();
        if let (Ok(r), Ok(c)) = (rows.try_into(), cols.try_into()) {
            parser.set_size(r, c);
        }
        self.master
            .as_ref()
            .unwrap()
            .resize(size(cols, rows))
            .unwrap();
    }

    /// For each place `word` is on screen right of column `from` (top to
    /// bottom, left to right), whether its first cell is in reverse video.
    fn reverse_words(&self, word: &str, from: usize) -> Vec<bool> {
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        let (rows, cols) = screen.size();
        let (rows, cols) = (u16::from(rows), u16::from(cols));
        let mut found = Vec::new();
        for row in 0..rows {
            let line: Vec<String> = (0..cols)
                .map(|c| {
                    screen
                        .cell(row, c)
                        .map_or(String::new(), |x| x.contents().to_string())
                })
                .collect();
            for col in from..line.len() {
                let here: String = line[col..]
                    .iter()
                    .take(word.chars().count())
                    .map(String::as_str)
                    .collect();
                if here == word {
                    found.push(screen.cell(row, col as u16).is_some_and(|c| c.inverse()));
                }
            }
        }
        found
    }

    pub(crate) fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// The exit code, once the process has ended (fails after PATIENCE).
    pub(crate) fn exit_code(&mut self) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader take in the last bytes (the restore).
                if let Some(reader) = self.reader.take() {
                    drop(self.writer.take());
                    let _ = reader.join();
                }
                return status.exit_code();
            }
            assert!(
                start.elapsed() < PATIENCE,
                "still running:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The terminal was handed back: main screen, cursor visible, pastes
    /// no longer marked.
    pub(crate) fn assert_restored(&self) {
        let parser = self.parser.lock().unwrap();
        assert!(
            !parser.screen().alternate_screen(),
            "still on the alternate screen"
        );
        assert!(!parser.screen().hide_cursor(), "the cursor is still hidden");
        assert!(
            !parser.screen().bracketed_paste(),
            "bracketed paste is still on"
        );
    }
}

/// Run from the repository with config, data and cache under `home`, and a
/// plain terminal without colour.
pub(crate) fn isolate(cmd: &mut CommandBuilder, home: &std::path::Path) {
    crate::common::isolate(cmd, home);
    cmd.cwd(repo_file(""));
    cmd.env("TERM", "xterm-256color");
}

impl Drop for Session {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[test]
fn open_scroll_search_bookmark_and_quit_restore_the_terminal() {
    let mut s = Session::start(120, 32, None);
    s.wait_for("12 articles");
    assert!(s.parser.lock().unwrap().screen().alternate_screen());
    s.send("j");
    s.wait_for("2/12");
    s.send("\r");
    s.send("G");
    s.wait_for("100%");
    // Esc alone (a pause keeps it from starting an escape sequence), then G
    // moves the list, so focus is back on it.
    s.send("\x1b");
    std::thread::sleep(Duration::from_millis(150));
    s.send("G");
    s.wait_for("12/12");
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
    s.wait_for("1/12");
    s.send("\r");
    let reader = s.wait_for("words ·");
    assert!(
        !reader.contains("Obama pledges"),
        "the list is hidden:\n{reader}"
    );
    s.send("\x1b");
    // The list again (the reader's header shows `1/12` too).
    s.wait_for("Obama pledges");
    s.send("q");
    assert_eq!(s.exit_code(), 0);
}

#[test]
fn resizing_through_tiny_and_huge_sizes_keeps_the_app_alive() {
    let mut s = Session::start(80, 24, None);
    s.wait_for("12 articles");
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
    s.wait_for("12 articles");
    s.send("q");
    assert_eq!(s.exit_code(), 0);
    s.assert_restored();
}

#[test]
fn sigterm_restores_the_terminal() {
    let mut s = Session::start(80, 24, None);
    s.wait_for("12 articles");
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
    let mut s = Session::start(80, 24, Some("12 articles"));
    s.reader.take().unwrap().join().unwrap();
    assert!(s.screen().contains("12 articles"));
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
    s.wait_for("1/12");
    for (i, cols) in [90u16, 100, 85].into_iter().enumerate() {
        s.resize(cols, 24);
        std::thread::sleep(Duration::from_millis(100));
        s.send("j");
        s.wait_for(&format!("{}/12", i + 2));
    }
    s.send("q");
    assert_eq!(s.exit_code(), 0);
}

#[test]
fn typing_a_word_found_only_in_a_body_lists_that_story_ranked() {
    let mut s = Session::start(120, 32, None);
    s.wait_for("12 articles");
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
    s.wait_for("12 articles");
    let start = Instant::now();
    while s.screen().contains("Loading") {
        assert!(start.elapsed() < PATIENCE, "{}", s.screen());
        std::thread::sleep(Duration::from_millis(20));
    }
    s.send("q");
    assert_eq!(s.exit_code(), 0);
    // Written on its own thread after the full list was drawn, and waited
    // for on the way out: whole, and the only file there.
    let folder = home.path().join("cache/library");
    let files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let cached = tidings::library::cache::read(&files[0], &[repo_file("articles")]).unwrap();
    assert_eq!(cached.len(), 12);
}
