//! What a person at a terminal gets from `tidings`, measured through a real
//! pseudo-terminal: time to the first frame, time to every article listed
//! (the search bar shows the article count and the status bar no longer
//! says "Loading"), time to a full, searchable list (nor "Indexing"),
//! time until the full-text engine has answered a query typed once the
//! list is full (`/government`: the header shows "N matches", not
//! "headline matches"), time until the app is idle (no "Loading",
//! "Checking" or "Indexing": on a warm start, every file has been checked
//! against the load cache), bytes written per one-row move in the list,
//! and peak memory (VmHWM, read once the app is idle and the keys have
//! been pressed).
//!
//! With `--moves` above 0 (or `--scroll-only`), also the bytes written per
//! one-line scroll of a long story (a generated one of `--paragraphs`
//! paragraphs, 300 by default, that does not fit its pane): with the list
//! beside the reader (on a terminal 100 columns wide or more), with the
//! reader full width (`Z`), and `less` on the same text wrapped at the
//! same width, in the same pty size, with the ratios to `less`.
//!
//! With `--probe-keys`, the time from a key to the screen redrawn for it is
//! also measured while the search index builds (a cold start, between
//! every article listed and the index built): `j` and `k` in turn, one
//! every 100 ms, each timed until the list and reader panes have changed.
//!
//! cargo run --release --example tui_metrics -- --bin target/release/tidings \
//!     --library DIR --cache-dir DIR [--runs 5] [--cols 120 --rows 40] \
//!     [--moves 20] [--query WORD] [--fresh-cache] [--probe-keys]
//! cargo run --release --example tui_metrics -- --scroll-only [--cols 120 --rows 40]
//!
//! `--fresh-cache` deletes the cache dir before each run (a cold start:
//! every file is read and the search index is built); without it the first
//! run fills the cache and the figures are for warm starts after it when
//! the cache was empty. `--moves 0` skips the key presses.
//!
//! Prints one `name value` line per figure (medians over the runs).

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

struct Args {
    bin: String,
    library: String,
    cache_dir: String,
    data_dir: String,
    runs: usize,
    cols: u16,
    rows: u16,
    moves: usize,
    query: String,
    fresh_cache: bool,
    probe_keys: bool,
    scroll_only: bool,
    paragraphs: usize,
}

fn args() -> Args {
    let mut a = Args {
        bin: "target/release/tidings".into(),
        library: String::new(),
        cache_dir: String::new(),
        data_dir: std::env::temp_dir()
            .join("tidings-metrics-data")
            .display()
            .to_string(),
        runs: 5,
        cols: 120,
        rows: 40,
        moves: 20,
        query: "government".into(),
        fresh_cache: false,
        probe_keys: false,
        scroll_only: false,
        paragraphs: 300,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--fresh-cache" {
            a.fresh_cache = true;
            continue;
        }
        if flag == "--probe-keys" {
            a.probe_keys = true;
            continue;
        }
        if flag == "--scroll-only" {
            a.scroll_only = true;
            continue;
        }
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--bin" => a.bin = value,
            "--library" => a.library = value,
            "--cache-dir" => a.cache_dir = value,
            "--data-dir" => a.data_dir = value,
            "--runs" => a.runs = value.parse().expect("--runs N"),
            "--cols" => a.cols = value.parse().expect("--cols N"),
            "--rows" => a.rows = value.parse().expect("--rows N"),
            "--moves" => a.moves = value.parse().expect("--moves N"),
            "--query" => a.query = value,
            "--paragraphs" => a.paragraphs = value.parse().expect("--paragraphs N"),
            other => panic!("unknown flag {other}"),
        }
    }
    assert!(
        a.scroll_only || (!a.library.is_empty() && !a.cache_dir.is_empty()),
        "--library and --cache-dir are required"
    );
    // The pty looks a relative program up in PATH only: make it absolute.
    a.bin = std::fs::canonicalize(&a.bin)
        .unwrap_or_else(|e| panic!("--bin {}: {e}", a.bin))
        .display()
        .to_string();
    a
}

/// Output of the app, as (arrival time, bytes) chunks.
struct Session {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    chunks: Receiver<(Instant, Vec<u8>)>,
    screen: vt100::Parser,
    started: Instant,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Session {
    fn start(a: &Args) -> Session {
        Session::tidings(a, &a.library, &a.cache_dir, &a.data_dir)
    }

    /// The app on `library`, with its cache and data in the folders given.
    fn tidings(a: &Args, library: &str, cache_dir: &str, data_dir: &str) -> Session {
        let mut cmd = CommandBuilder::new(&a.bin);
        cmd.args([
            "-l",
            library,
            "--cache-dir",
            cache_dir,
            "--data-dir",
            data_dir,
        ]);
        cmd.cwd(std::env::current_dir().expect("current folder"));
        cmd.env("TERM", "xterm-256color");
        // The default config: an empty file (a missing one is an error).
        let config = std::env::temp_dir().join("tidings-metrics-config.toml");
        std::fs::write(&config, "").expect("empty config written");
        cmd.env("TIDINGS_CONFIG", &config);
        cmd.env_remove("NO_COLOR");
        Session::spawn(cmd, a.rows, a.cols)
    }

    /// Any program in a pty of `rows` x `cols`.
    fn spawn(cmd: CommandBuilder, rows: u16, cols: u16) -> Session {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let started = Instant::now();
        let child = pty.slave.spawn_command(cmd).expect("spawn tidings");
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let writer = pty.master.take_writer().expect("writer");
        let (tx, chunks) = channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send((Instant::now(), buf[..n].to_vec())).is_err() {
                    break;
                }
            }
        });
        Session {
            child,
            writer,
            chunks,
            screen: vt100::Parser::new(nz(rows), nz(cols), 0),
            started,
            _master: pty.master,
        }
    }

    /// Feed output until `done(screen)` holds; returns when it first held.
    fn until(&mut self, limit: Duration, done: impl Fn(&vt100::Screen) -> bool) -> Option<Instant> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            match self.chunks.recv_timeout(Duration::from_millis(20)) {
                Ok((at, bytes)) => {
                    self.screen.process(&bytes);
                    if done(self.screen.screen()) {
                        return Some(at);
                    }
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    panic!(
                        "tidings exited; its screen:\n{}",
                        self.screen.screen().contents()
                    )
                }
            }
        }
        None
    }

    /// Bytes written from now until the output has been quiet for `quiet`.
    fn bytes_until_quiet(&mut self, quiet: Duration) -> usize {
        let mut total = 0;
        while let Ok((_, bytes)) = self.chunks.recv_timeout(quiet) {
            self.screen.process(&bytes);
            total += bytes.len();
        }
        total
    }

    fn key(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write key");
        self.writer.flush().ok();
    }

    fn peak_rss_kib(&self) -> Option<u64> {
        let pid = self.child.process_id()?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }
}

fn status_line(screen: &vt100::Screen) -> String {
    let (rows, cols) = screen.size();
    screen.contents_between(rows.get() - 1, 0, rows.get() - 1, cols.get())
}

/// The search bar (top row) carries the article count.
fn top_line(screen: &vt100::Screen) -> String {
    let (_, cols) = screen.size();
    screen.contents_between(0, 0, 0, cols.get())
}

/// Every article listed: the count is shown and loading is over.
fn listed(screen: &vt100::Screen) -> bool {
    top_line(screen).contains(" articles") && !status_line(screen).contains("Loading")
}

/// Everything above the status bar: the search bar, list and reader.
fn panes(screen: &vt100::Screen) -> String {
    let (rows, cols) = screen.size();
    screen.contents_between(0, 0, rows.get().saturating_sub(2), cols.get())
}

/// Until the list is searchable, press `j` and `k` in turn every 100 ms
/// and record, for each, the milliseconds until the panes show it; returns
/// when the list became searchable.
fn probe_keys(s: &mut Session, latencies: &mut Vec<f64>) -> Option<Instant> {
    let mut down = true;
    loop {
        let before = panes(s.screen.screen());
        let sent = Instant::now();
        s.key(if down { b"j" } else { b"k" });
        down = !down;
        let shown = s.until(Duration::from_secs(10), |sc| {
            loaded(sc) || panes(sc) != before
        })?;
        if panes(s.screen.screen()) != before {
            latencies.push((shown - sent).as_secs_f64() * 1000.0);
        }
        if loaded(s.screen.screen()) {
            return Some(shown);
        }
        if let Some(ready) = s.until(Duration::from_millis(100), loaded) {
            return Some(ready);
        }
    }
}

/// The value at fraction `q` of the sorted values (`1.0`: the largest).
fn quantile(mut v: Vec<f64>, q: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    match v.len() {
        0 => f64::NAN,
        n => v[((n - 1) as f64 * q).round() as usize],
    }
}

/// Listed, and searchable: indexing (or building a new index) is over too.
fn loaded(screen: &vt100::Screen) -> bool {
    let status = status_line(screen);
    listed(screen) && !status.contains("Indexing") && !status.contains("Building")
}

/// The full-text engine's answer is on screen (before it, the header
/// counts headline matches). The header may be cut to the list's width
/// (`500 of 221,014 matc…`), so only the start of the word is looked for.
fn answered(screen: &vt100::Screen) -> bool {
    let (_, cols) = screen.size();
    let row = screen.contents_between(1, 0, 1, cols.get());
    let header = row.split('│').next().unwrap_or_default();
    header.contains(" matc") && !header.contains("headline")
}

/// Nothing left in the background: loading, checking and indexing are over.
fn idle(screen: &vt100::Screen) -> bool {
    let status = status_line(screen);
    loaded(screen) && !status.contains("Checking")
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n.max(1)).expect("at least 1")
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        f64::NAN
    } else {
        v[v.len() / 2]
    }
}

fn main() {
    let a = args();
    if !a.scroll_only {
        library_figures(&a);
    }
    if a.scroll_only || a.moves > 0 {
        scroll_figures(&a);
    }
}

fn library_figures(a: &Args) {
    let (mut first, mut list, mut full, mut moves, mut rss) =
        (vec![], vec![], vec![], vec![], vec![]);
    let (mut searched, mut settled, mut probed) = (vec![], vec![], vec![]);
    let ms = |s: &Session, t: Option<Instant>| {
        t.map_or(f64::NAN, |t| (t - s.started).as_secs_f64() * 1000.0)
    };
    for _ in 0..a.runs {
        if a.fresh_cache {
            match std::fs::remove_dir_all(&a.cache_dir) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    panic!("cannot empty {}: {e}", a.cache_dir)
                }
                _ => {}
            }
        }
        // Every run starts at the top of the list: the reader would
        // otherwise come back to the story the last run left open.
        let _ = std::fs::remove_file(std::path::Path::new(&a.data_dir).join("session.json"));
        let mut s = Session::start(a);
        let drawn = s.until(Duration::from_secs(30), |sc| {
            !sc.contents().trim().is_empty()
        });
        first.push(drawn.map_or(f64::NAN, |t| (t - s.started).as_secs_f64() * 1000.0));
        let shown = s.until(Duration::from_secs(600), listed);
        list.push(shown.map_or(f64::NAN, |t| (t - s.started).as_secs_f64() * 1000.0));
        let ready = if loaded(s.screen.screen()) {
            shown
        } else if a.probe_keys {
            probe_keys(&mut s, &mut probed)
        } else {
            s.until(Duration::from_secs(600), loaded)
        };
        full.push(ready.map_or(f64::NAN, |t| (t - s.started).as_secs_f64() * 1000.0));
        s.key(b"/");
        s.key(a.query.as_bytes());
        let answer = s.until(Duration::from_secs(60), answered);
        searched.push(ms(&s, answer));
        s.key(b"\x1b");
        let calm = s.until(Duration::from_secs(600), idle);
        settled.push(ms(&s, calm));
        s.bytes_until_quiet(Duration::from_millis(300));
        for _ in 0..a.moves {
            s.key(b"j");
            moves.push(s.bytes_until_quiet(Duration::from_millis(150)) as f64);
        }
        rss.extend(s.peak_rss_kib().map(|k| k as f64 / 1024.0));
        // ctrl-c quits from any pane (`q` in the reader goes back).
        s.key(b"\x03");
        let _ = s.child.wait();
    }
    println!("first_frame_ms {:.1}", median(first));
    println!("listed_ms {:.1}", median(list));
    println!("full_list_ms {:.1}", median(full));
    println!("searched_ms {:.1}", median(searched));
    println!("idle_ms {:.1}", median(settled));
    println!("bytes_per_list_move {:.0}", median(moves));
    println!("peak_rss_mib {:.1}", median(rss));
    if a.probe_keys {
        println!("keys_while_indexing {}", probed.len());
        println!(
            "key_while_indexing_p50_ms {:.1}",
            quantile(probed.clone(), 0.5)
        );
        println!(
            "key_while_indexing_p99_ms {:.1}",
            quantile(probed.clone(), 0.99)
        );
        println!("key_while_indexing_max_ms {:.1}", quantile(probed, 1.0));
    }
}

/// Bytes per one-line scroll of a long story (one that does not fit its
/// pane, so every key moves it): in the app with the list beside the reader
/// (on a terminal wide enough for both), in the app with the reader full
/// width (`Z`), and in `less` showing the same text wrapped at the same
/// width, all in a pty of the same size. Medians over `--moves` keys.
fn scroll_figures(a: &Args) {
    let dir = std::env::temp_dir().join(format!("tidings-metrics-scroll-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let library = dir.join("library");
    std::fs::create_dir_all(&library).expect("scroll library folder");
    let paragraphs = long_story(a.paragraphs);
    let title = "A long story";
    let markdown = format!("# {title}\n\n{}\n", paragraphs.join("\n\n"));
    std::fs::write(library.join("long.md"), markdown).expect("long story written");
    let path = |p: &std::path::Path| p.display().to_string();
    let mut s = Session::tidings(
        a,
        &path(&library),
        &path(&dir.join("cache")),
        &path(&dir.join("data")),
    );
    s.until(Duration::from_secs(60), listed)
        .expect("the long story listed");
    s.key(b"\r");
    s.bytes_until_quiet(Duration::from_millis(300));
    // Below this width the reader is full width already (src/layout.rs).
    let wide = a.cols >= 100;
    let split = wide.then(|| scrolls(&mut s, a.moves));
    if wide {
        s.key(b"Z");
        s.bytes_until_quiet(Duration::from_millis(300));
    }
    let full = scrolls(&mut s, a.moves);
    let full_screen = s.screen.screen().contents();
    s.key(b"\x03");
    let _ = s.child.wait();

    // The reader's text column: one column of margin each side, at most 90.
    let width = usize::from(a.cols.saturating_sub(2).clamp(1, 90));
    let mut text = format!("{title}\n\n");
    for p in &paragraphs {
        for line in textwrap::wrap(p, width) {
            text.push_str(&line);
            text.push('\n');
        }
        text.push('\n');
    }
    let file = dir.join("long.txt");
    std::fs::write(&file, text).expect("long text written");
    let mut cmd = CommandBuilder::new("less");
    cmd.arg(&file);
    cmd.env("TERM", "xterm-256color");
    cmd.env("LESSHISTFILE", "-");
    cmd.env_remove("LESS");
    let mut l = Session::spawn(cmd, a.rows, a.cols);
    l.until(Duration::from_secs(10), |sc| sc.contents().contains(title))
        .expect("less shows the text");
    l.bytes_until_quiet(Duration::from_millis(300));
    let less = scrolls(&mut l, a.moves);
    l.key(b"q");
    let _ = l.child.wait();
    let _ = std::fs::remove_dir_all(&dir);

    println!("scroll_terminal {}x{}", a.cols, a.rows);
    if let Some(split) = split {
        println!("bytes_per_reader_scroll_split {split:.0}");
        println!("scroll_split_vs_less {:.2}", split / less);
    }
    println!("bytes_per_reader_scroll_full {full:.0}");
    println!("bytes_per_less_scroll {less:.0}");
    println!("scroll_full_vs_less {:.2}", full / less);
    assert!(
        full_screen.contains('%'),
        "the story did not scroll; the screen:\n{full_screen}"
    );
}

/// The median bytes written for each of `moves` presses of `j`.
fn scrolls(s: &mut Session, moves: usize) -> f64 {
    let bytes = (0..moves.max(1))
        .map(|_| {
            s.key(b"j");
            s.bytes_until_quiet(Duration::from_millis(150)) as f64
        })
        .collect();
    median(bytes)
}

/// `n` paragraphs of made-up prose, the same on every run.
fn long_story(n: usize) -> Vec<String> {
    const WORDS: [&str; 24] = [
        "the",
        "council",
        "said",
        "on",
        "tuesday",
        "that",
        "a",
        "new",
        "bridge",
        "across",
        "river",
        "would",
        "open",
        "in",
        "spring",
        "after",
        "years",
        "of",
        "delays",
        "and",
        "rising",
        "costs",
        "residents",
        "welcomed",
    ];
    let mut seed: u64 = 17;
    (0..n)
        .map(|_| {
            let words: Vec<&str> = (0..60)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    WORDS[(seed >> 33) as usize % WORDS.len()]
                })
                .collect();
            format!("{}.", words.join(" "))
        })
        .collect()
}
