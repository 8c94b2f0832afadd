//! The built binary in a real pseudo-terminal: type keys, read the screen
//! through a VT parser, and keep every byte the app wrote, so what is
//! tested is what a terminal would act on, including what it was asked to
//! do besides drawing (titles, clipboard, bells).

use super::{isolate, repo_file};
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Long enough for a loaded CI machine; the app normally answers in
/// milliseconds.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// What a terminal was asked to do besides drawing text.
#[derive(Debug, Default)]
pub struct Requests {
    pub titles: Vec<Vec<u8>>,
    pub clipboard: Vec<Vec<u8>>,
    pub bells: usize,
    pub unhandled_osc: usize,
    /// The URL of every OSC 8 hyperlink sequence (empty for the one that
    /// ends a link).
    pub hyperlinks: Vec<Vec<u8>>,
}

impl vt100::Callbacks for Requests {
    fn audible_bell(&mut self, _: &mut vt100::Screen) {
        self.bells += 1;
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.titles.push(name.to_vec());
    }
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(title.to_vec());
    }
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _ty: &[u8], data: &[u8]) {
        self.clipboard.push(data.to_vec());
    }
    fn paste_from_clipboard(&mut self, _: &mut vt100::Screen, ty: &[u8]) {
        self.clipboard.push(ty.to_vec());
    }
    fn unhandled_osc(&mut self, _: &mut vt100::Screen, params: &[&[u8]]) {
        match params {
            // The URL may hold `;` (the model splits on each one; a
            // terminal takes everything after the second as the URL).
            [b"8", _, url @ ..] if !url.is_empty() => self.hyperlinks.push(url.join(&b';')),
            _ => self.unhandled_osc += 1,
        }
    }
}

/// The terminal model: the screen and what it was asked to do.
pub type Vt = Arc<Mutex<vt100::Parser<Requests>>>;

pub struct Session {
    pub child: Box<dyn Child + Send + Sync>,
    pub master: Option<Box<dyn MasterPty + Send>>,
    pub writer: Option<Box<dyn Write + Send>>,
    parser: Vt,
    /// Every byte the app wrote to the terminal.
    pub output: Arc<Mutex<Vec<u8>>>,
    pub reader: Option<std::thread::JoinHandle<()>>,
    /// How long a wait may take before the test fails.
    patience: Duration,
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

/// [`isolate`] `cmd` in `home`, in a terminal that says it has 256
/// colours.
pub fn isolate_in_terminal(cmd: &mut CommandBuilder, home: &Path) {
    isolate(cmd, home);
    cmd.env("TERM", "xterm-256color");
}

/// `tidings` with `args`, isolated in `home`, for a pseudo-terminal.
pub fn tidings_pty(home: &Path, args: &[&str]) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_tidings"));
    cmd.args(args);
    isolate_in_terminal(&mut cmd, home);
    cmd
}

impl Session {
    /// Start `tidings -l articles` at `cols`x`rows`. When `until` is given,
    /// the reader thread stops (closing its end) once the screen shows it.
    pub fn start(cols: u16, rows: u16, until: Option<&'static str>) -> Self {
        let home = tempfile::tempdir().unwrap();
        let mut session = Self::start_in(home.path(), cols, rows, until);
        session._home = Some(home);
        session
    }

    /// Like [`Self::start`], with config, data and cache under `home`, so
    /// a second session finds what the first one saved.
    pub fn start_in(home: &Path, cols: u16, rows: u16, until: Option<&'static str>) -> Self {
        let mut cmd = tidings_pty(home, &["-l", "articles"]);
        cmd.cwd(repo_file(""));
        Self::spawn(cmd, cols, rows, until)
    }

    /// Run `cmd` in a new pseudo-terminal of `cols`x`rows`.
    pub fn spawn(cmd: CommandBuilder, cols: u16, rows: u16, until: Option<&'static str>) -> Self {
        let pair = native_pty_system().openpty(size(cols, rows)).unwrap();
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new_with_callbacks(
            rows.max(1).try_into().unwrap(),
            cols.max(1).try_into().unwrap(),
            0,
            Requests::default(),
        )));
        let output = Arc::new(Mutex::new(Vec::new()));
        let reader = record(
            pair.master.try_clone_reader().unwrap(),
            Arc::clone(&parser),
            Arc::clone(&output),
            until,
        );
        let writer = pair.master.take_writer().unwrap();
        Self {
            child,
            master: Some(pair.master),
            writer: Some(writer),
            parser,
            output,
            reader: Some(reader),
            patience: PATIENCE,
            _home: None,
        }
    }

    /// Wait up to `patience` instead of [`PATIENCE`].
    pub fn patient(mut self, patience: Duration) -> Self {
        self.patience = patience;
        self
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Everything written to the terminal so far.
    pub fn output(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }

    /// Whether the terminal is showing its alternate screen.
    pub fn alternate_screen(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }

    /// Whether the terminal was asked to mark pastes (bracketed paste).
    pub fn bracketed_paste(&self) -> bool {
        self.parser.lock().unwrap().screen().bracketed_paste()
    }

    pub fn cursor_hidden(&self) -> bool {
        self.parser.lock().unwrap().screen().hide_cursor()
    }

    pub fn send(&mut self, keys: &str) {
        let writer = self.writer.as_mut().unwrap();
        writer.write_all(keys.as_bytes()).unwrap();
        writer.flush().unwrap();
    }

    /// Esc on its own: a pause keeps it from starting an escape sequence
    /// with the next key.
    pub fn escape(&mut self) {
        self.send("\x1b");
        std::thread::sleep(Duration::from_millis(150));
    }

    /// Wait until the screen shows `needle`; fail with the screen otherwise.
    pub fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(needle) {
                return screen;
            }
            assert!(
                start.elapsed() < self.patience,
                "waited for {needle:?}; the screen shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Wait until `check` holds; fail with the screen otherwise.
    pub fn wait_until(&self, what: &str, check: impl Fn(&Session) -> bool) {
        let start = Instant::now();
        while !check(self) {
            assert!(
                start.elapsed() < self.patience,
                "waited for {what}; the screen shows:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Wait until the screen differs from `old` and has settled (a frame
    /// may arrive in pieces); fail after a long wait.
    pub fn wait_for_change(&self, old: &str) -> String {
        let start = Instant::now();
        let mut last = old.to_string();
        loop {
            std::thread::sleep(Duration::from_millis(50));
            let screen = self.screen();
            if screen != old && screen == last {
                return screen;
            }
            last = screen;
            assert!(
                start.elapsed() < self.patience,
                "the screen never changed:\n{last}"
            );
        }
    }

    /// Resize the screen model first, holding it while the pty resizes, so
    /// no output drawn for the new size lands in a screen of the old one.
    pub fn resize(&mut self, cols: u16, rows: u16) {
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
    pub fn reverse_words(&self, word: &str, from: usize) -> Vec<bool> {
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

    pub fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// The exit code, once the process has ended (fails after the
    /// session's patience).
    pub fn exit_code(&mut self) -> u32 {
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
                start.elapsed() < self.patience,
                "still running:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Quit with ctrl-c (which quits from the reader too); the exit code,
    /// everything written up to the end, and the terminal as it was left.
    pub fn quit(mut self) -> (u32, Vec<u8>, Vt) {
        self.send("\x03");
        let code = self.exit_code();
        let output = std::mem::take(&mut *self.output.lock().unwrap());
        (code, output, Arc::clone(&self.parser))
    }

    /// The terminal was handed back: main screen, cursor visible, pastes
    /// no longer marked.
    pub fn assert_restored(&self) {
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

/// Copy the pty's output into `output` and the screen model until it ends,
/// or until the screen shows `until`.
fn record(
    mut from: Box<dyn Read + Send>,
    parser: Vt,
    output: Arc<Mutex<Vec<u8>>>,
    until: Option<&'static str>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n @ 1..) = from.read(&mut buf) {
            // The log first: a test that sees the screen change may then
            // rely on the bytes being in the log.
            output.lock().unwrap().extend_from_slice(&buf[..n]);
            let mut parser = parser.lock().unwrap();
            parser.process(&buf[..n]);
            if until.is_some_and(|u| parser.screen().contents().contains(u)) {
                return;
            }
        }
    })
}

impl Drop for Session {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
