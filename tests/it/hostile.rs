//! Hostile input: a library of what scrapers, old archives and pranksters put
//! on disk (special files, link loops, broken encodings, huge and empty
//! files, escape sequences in text and in file names), loaded by the CLI.
//! Every readable file must be listed with a clean title, every other file
//! reported once with its reason, and nothing may hang or reach the terminal
//! as a control character.

use crate::common::{run_with_timeout, tidings, write_tree};
use serde_json::Value;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::time::Duration;
use tempfile::TempDir;
use tidings::app::serve_reads;
use tidings::article::sanitize::{is_bidi_control, is_clean};

/// Far beyond what a healthy run takes; only a hang gets near it.
const DEADLINE: Duration = Duration::from_secs(120);

/// Headline of the escape-laden article, with what must be left of it.
const ESCAPES: &str = "Breaking\x1b]52;c;cm0gLXJmIH4K\x07 news\x1b]0;pwned\x07 now\x1bP+q544e\x1b\\ \
                       here\x1b[2J\u{9b}31m\x07 \u{202E}exe.txt\u{2066}\u{FEFF}";
const ESCAPES_CLEAN: &str =
    "Breaking]52;c;cm0gLXJmIH4K news]0;pwned nowP+q544e\\ here[2J31m exe.txt";

/// Readable files: (path in the library, contents, expected headline).
pub(crate) fn readable() -> Vec<(String, Vec<u8>, String)> {
    let mut files: Vec<(String, Vec<u8>, String)> = [
        ("latin1.txt", &b"Caf\xe9 society\n\nL'\xe9t\xe9 \x93chaud\x94 arrive."[..], "Café society"),
        ("invalid-utf8.txt", b"Caf\xc3\xa9\xe2\x80\x94\xff news\n\nBody.", "Café\u{2014}\u{FFFD} news"),
        ("crlf.txt", b"Windows headline\r\n\r\nBody one.\r\nBody two.\r\n", "Windows headline"),
        ("cr.txt", b"Classic Mac headline\r\rBody.\r", "Classic Mac headline"),
        ("bom.txt", "\u{FEFF}Marked headline\n\nBody.".as_bytes(), "Marked headline"),
        ("cjk.txt", "日本語の見出し、東京で\n\n本文です。".as_bytes(), "日本語の見出し、東京で"),
        ("thai.txt", "ข่าวภาษาไทยวันนี้\n\nเนื้อหาข่าว".as_bytes(), "ข่าวภาษาไทยวันนี้"),
        ("arabic.txt", "عنوان الخبر باللغة العربية\n\nنص الخبر.".as_bytes(), "عنوان الخبر باللغة العربية"),
        (
            "emoji.txt",
            "Family 👨\u{200D}👩\u{200D}👧\u{200D}👦 flags 🇯🇵🇫🇷 🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F} ❤\u{FE0F}\n\nBody.".as_bytes(),
            "Family 👨\u{200D}👩\u{200D}👧\u{200D}👦 flags 🇯🇵🇫🇷 🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F} ❤\u{FE0F}",
        ),
        ("combining.txt", "Cafe\u{301} Zu\u{308}rich n\u{303}\n\nBody.".as_bytes(), "Cafe\u{301} Zu\u{308}rich n\u{303}"),
        ("katakana.txt", "ﾆｭｰｽ ﾃﾞｰﾀ ﾊﾟｿｺﾝ\n\nBody.".as_bytes(), "ﾆｭｰｽ ﾃﾞｰﾀ ﾊﾟｿｺﾝ"),
        ("escapes.txt", format!("{ESCAPES}\n\nBody\x1b[8m hidden.").into_bytes().leak(), ESCAPES_CLEAN),
        ("bidi.txt", "Invoice \u{202E}fdp.exe\u{202C} \u{2067}x\u{2069}\u{200F}\u{061C}\n\nBody.".as_bytes(), "Invoice fdp.exe x"),
        ("\x1b]0;named\x07.txt", b"Escaped name\n\nBody.", "Escaped name"),
        ("two\nlines.txt", b"Newline in the name\n\nBody.", "Newline in the name"),
        ("\x1b[31mred/story.txt", b"In a hostile folder\n\nBody.", "In a hostile folder"),
        ("world/story.txt", b"World story\n\nBody.", "World story"),
    ]
    .into_iter()
    .map(|(p, b, t)| (p.to_string(), b.to_vec(), t.to_string()))
    .collect();
    let big = |title: &str, body: String| format!("{title}\n\n{body}\n").into_bytes();
    let mut add = |path: &str, title: &str, body: String| {
        files.push((path.to_string(), big(title, body), title.to_string()));
    };
    add(
        "long-line.txt",
        "A line of 100,000 characters",
        "word ".repeat(20_000),
    );
    add(
        "no-spaces.txt",
        "One word of 100,000 characters",
        "x".repeat(100_000),
    );
    add(
        "braces.txt",
        "A line of 100,000 braces",
        "{".repeat(100_000),
    );
    add(
        "many-paragraphs.txt",
        "Ten thousand paragraphs",
        (0..10_000)
            .map(|i| format!("Paragraph number {i}.\n\n"))
            .collect(),
    );
    // A NUL past the binary sniff is text with a stray control character.
    let mut late = b"Late NUL headline\n\n".to_vec();
    late.extend(std::iter::repeat_n(b'a', 9000));
    late.extend(b"\0tail.");
    files.push(("late-nul.txt".into(), late, "Late NUL headline".into()));
    files
}

/// A hostile library under `home/lib`, with the files that must be skipped
/// as (path in the library, reason prefix).
pub(crate) struct Hostile {
    pub(crate) home: TempDir,
    pub(crate) skipped: Vec<(String, String)>,
    /// The socket's owner, alive for the whole test.
    _socket: std::os::unix::net::UnixListener,
}

impl Drop for Hostile {
    /// Give the permission-less folder its permissions back, or the
    /// temporary directory could not be removed.
    fn drop(&mut self) {
        let locked = self.home.path().join("lib/locked");
        let _ = std::fs::set_permissions(locked, std::fs::Permissions::from_mode(0o755));
    }
}

impl Hostile {
    pub(crate) fn new() -> Self {
        let home = TempDir::new().unwrap();
        let (skipped, socket) = build(home.path());
        Self {
            home,
            skipped,
            _socket: socket,
        }
    }
}

fn build(home: &Path) -> (Vec<(String, String)>, std::os::unix::net::UnixListener) {
    let lib = home.join("lib");
    for (path, bytes, _) in readable() {
        write_tree(&lib, &[(&path, &bytes)]);
    }
    std::fs::write(
        lib.join(OsStr::from_bytes(b"bad\xffname.txt")),
        "Bad bytes name\n\nBody.",
    )
    .unwrap();
    let mut skipped: Vec<(String, String)> = Vec::new();
    let mut skip = |path: &str, reason: &str| skipped.push((path.into(), reason.into()));

    let fifo = lib.join("fifo.txt");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success(), "mkfifo");
    skip("fifo.txt", "a FIFO, not a regular file");
    let listener = std::os::unix::net::UnixListener::bind(lib.join("socket.txt")).unwrap();
    skip("socket.txt", "a socket, not a regular file");

    symlink("loop-b.txt", lib.join("loop-a.txt")).unwrap();
    symlink("loop-a.txt", lib.join("loop-b.txt")).unwrap();
    skip("loop-a.txt", "symbolic link loop");
    skip("loop-b.txt", "symbolic link loop");
    symlink("..", lib.join("world/up")).unwrap();
    skip("world/up", "symbolic link loop");
    symlink("missing.txt", lib.join("dangling.txt")).unwrap();
    skip("dangling.txt", "dangling symbolic link");
    symlink("/dev/null", lib.join("null.txt")).unwrap();
    skip("null.txt", "a device, not a regular file");
    // Duplicates are loaded once and not reported: a second link to a file,
    // and a second way into a folder that is not a loop.
    symlink("cjk.txt", lib.join("same-as-cjk.txt")).unwrap();
    symlink("world", lib.join("world-alias")).unwrap();

    let huge = std::fs::File::create(lib.join("huge.txt")).unwrap();
    huge.set_len(66 << 20).unwrap();
    skip("huge.txt", "too large (66 MiB, over the 16 MiB limit)");
    write_tree(
        &lib,
        &[
            ("binary.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            ("empty.txt", b""),
            ("whitespace.txt", " \n\t\r\n \u{3000}\n\n".as_bytes()),
            (
                "controls-only.txt",
                "\x1b\x07\x7f\r\n\u{202E}\u{9b}".as_bytes(),
            ),
            ("\x1b[2J-empty.txt", b""),
        ],
    );
    skip("binary.txt", "binary file");
    skip("empty.txt", "empty file");
    skip("whitespace.txt", "empty file");
    skip("controls-only.txt", "empty file");
    skip("[2J-empty.txt", "empty file");
    if Path::new("/proc/self/mem").exists() {
        // Opens as an empty regular file; reading fails with EIO.
        symlink("/proc/self/mem", lib.join("mem.txt")).unwrap();
        skip("mem.txt", "unreadable: ");
    }
    if let Some(()) = unreadable_without_privileges(&lib) {
        skip("locked.txt", "unreadable: ");
        skip("locked", "unreadable: ");
    }
    (skipped, listener)
}

/// A file and a folder with no permissions. Root (or a process with
/// CAP_DAC_OVERRIDE) reads them anyway: then they are removed and `None`
/// says this case cannot be tested here.
fn unreadable_without_privileges(lib: &Path) -> Option<()> {
    let file = lib.join("locked.txt");
    let dir = lib.join("locked");
    write_tree(
        lib,
        &[
            ("locked.txt", b"Locked\n\nBody."),
            ("locked/inner.txt", b"Inner\n\nBody."),
        ],
    );
    for p in [&file, &dir] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    if std::fs::read(&file).is_ok() || std::fs::read_dir(&dir).is_ok() {
        eprintln!("note: running with read privileges everywhere; skipping the permission case");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        std::fs::remove_file(&file).unwrap();
        return None;
    }
    Some(())
}

/// Nothing in `s` that a terminal would act on: no ESC, BEL or other C0
/// control but newline, no C1, no bidi override.
fn assert_terminal_safe(s: &str, what: &str) {
    let bad: Vec<char> = s
        .chars()
        .filter(|&c| (c.is_control() && c != '\n') || is_bidi_control(c) || c == '\u{FEFF}')
        .collect();
    assert!(bad.is_empty(), "{what} carries {bad:?}");
}

fn str_field<'a>(item: &'a Value, key: &str) -> &'a str {
    item[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} in {item}"))
}

#[test]
fn list_json_loads_every_readable_file_and_reports_every_other_once() {
    let lib = Hostile::new();
    let (home, skipped) = (&lib.home, &lib.skipped);
    let (code, out, err) = run_with_timeout(
        tidings(home.path()).args(["list", "--json", "-l", "lib"]),
        DEADLINE,
    );
    assert_eq!(code, 0, "{err}");
    assert_terminal_safe(&out, "stdout");
    assert_terminal_safe(&err, "stderr");

    let items: Vec<Value> = serde_json::from_str::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    let mut expected: Vec<String> = readable().into_iter().map(|(_, _, t)| t).collect();
    expected.push("Bad bytes name".into());
    let mut titles: Vec<&str> = items.iter().map(|i| str_field(i, "title")).collect();
    titles.sort_unstable();
    expected.sort_unstable();
    assert_eq!(titles, expected);
    for item in &items {
        for key in ["title", "path"] {
            let value = str_field(item, key);
            assert!(is_clean(value) && !value.contains('\n'), "{key}: {value:?}");
        }
        for key in ["kicker", "category"] {
            if let Some(value) = item[key].as_str() {
                assert!(is_clean(value) && !value.contains('\n'), "{key}: {value:?}");
            }
        }
    }
    let path_of = |title: &str| {
        let item = items.iter().find(|i| i["title"] == title).unwrap();
        str_field(item, "path").to_string()
    };
    // Relative to the library root, like every output's paths.
    assert_eq!(path_of("Escaped name"), "]0;named.txt");
    assert_eq!(path_of("Newline in the name"), "two lines.txt");
    assert_eq!(path_of("Bad bytes name"), "bad\u{FFFD}name.txt");
    let hostile_folder = items
        .iter()
        .find(|i| i["title"] == "In a hostile folder")
        .unwrap();
    assert_eq!(hostile_folder["category"], "[31mred");

    for (path, reason) in skipped {
        let wanted = format!("skipped lib/{path}: {reason}");
        let hits = err
            .lines()
            .filter(|l| l.starts_with(&format!("tidings: {wanted}")))
            .count();
        assert_eq!(hits, 1, "{wanted:?} reported {hits} times in:\n{err}");
    }
    let n = skipped.len();
    assert!(
        err.lines()
            .any(|l| l == format!("tidings: {n} files skipped")),
        "{err}"
    );
    assert_eq!(
        err.lines().count(),
        n + 1,
        "nothing else is reported:\n{err}"
    );
}

#[test]
fn a_special_file_given_directly_is_reported_not_opened() {
    let lib = Hostile::new();
    let home = &lib.home;
    for (input, reason) in [
        ("lib/fifo.txt", "a FIFO, not a regular file"),
        ("lib/socket.txt", "a socket, not a regular file"),
        ("/dev/zero", "a device, not a regular file"),
    ] {
        let (code, out, err) =
            run_with_timeout(tidings(home.path()).args(["list", "-l", input]), DEADLINE);
        assert_eq!(code, 0, "{input}: {err}");
        assert_eq!(out, "");
        assert!(err.contains(&format!("{input}: {reason}")), "{err}");
    }
}

#[test]
fn show_never_writes_what_an_article_smuggles() {
    let home = TempDir::new().unwrap();
    write_tree(
        home.path(),
        &[(
            "lib/x.txt",
            format!("{ESCAPES}\n\nBody\x1b[8m hidden\u{9d}.\x07").as_bytes(),
        )],
    );
    for extra in [&[][..], &["--raw"], &["--json"], &["--width", "1"]] {
        let (code, out, err) = run_with_timeout(
            tidings(home.path())
                .args(["show", "lib/x.txt", "-l", "lib"])
                .args(extra),
            DEADLINE,
        );
        assert_eq!(code, 0, "{extra:?}: {err}");
        assert_terminal_safe(&out, &format!("show {extra:?}"));
        if extra.len() < 2 {
            assert!(out.contains("Body[8m hidden."), "{extra:?}: {out}");
        }
    }
    let (code, _, err) = run_with_timeout(
        tidings(home.path()).args(["show", "\x1b]0;pwned\x07\u{9b}2J", "-l", "lib"]),
        DEADLINE,
    );
    assert_eq!(code, 1);
    assert_terminal_safe(&err, "error message");
    assert!(err.contains("no article matches ']0;pwned2J'"), "{err}");
}

#[test]
fn size_cap_follows_the_config_and_never_overflows() {
    let home = TempDir::new().unwrap();
    let lib = home.path().join("lib");
    write_tree(&lib, &[("small.txt", b"Small\n\nBody.")]);
    std::fs::File::create(lib.join("big.txt"))
        .unwrap()
        .set_len(3 << 20)
        .unwrap();
    std::fs::write(home.path().join("config.toml"), "max_file_size_mib = 1\n").unwrap();
    let (code, out, err) =
        run_with_timeout(tidings(home.path()).args(["list", "-l", "lib"]), DEADLINE);
    assert_eq!(code, 0, "{err}");
    assert!(out.ends_with("\tSmall\n"), "{out}");
    assert!(
        err.contains("/big.txt: too large (3 MiB, over the 1 MiB limit)"),
        "{err}"
    );

    // The largest limit a config can hold still reads files.
    std::fs::remove_file(lib.join("big.txt")).unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        format!("max_file_size_mib = {}\n", i64::MAX),
    )
    .unwrap();
    let (code, out, err) =
        run_with_timeout(tidings(home.path()).args(["list", "-l", "lib"]), DEADLINE);
    assert_eq!(code, 0, "{err}");
    assert!(out.ends_with("\tSmall\n"), "{out}");
}

#[test]
fn a_skipped_file_is_told_its_size_as_it_is() {
    let home = TempDir::new().unwrap();
    let lib = home.path().join("lib");
    let tiny = b"Tiny headline\n\nA body of a few words.\n";
    assert_eq!(tiny.len(), 38);
    write_tree(&lib, &[("tiny.txt", tiny)]);
    for (name, len) in [("half.txt", 3 << 19), ("just.txt", (1 << 20) + 1)] {
        std::fs::File::create(lib.join(name))
            .unwrap()
            .set_len(len)
            .unwrap();
    }
    let config = home.path().join("config.toml");
    std::fs::write(&config, "max_file_size_mib = 1\n").unwrap();
    let (code, _, err) =
        run_with_timeout(tidings(home.path()).args(["list", "-l", "lib"]), DEADLINE);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("/half.txt: too large (1.5 MiB, over the 1 MiB limit)"),
        "{err}"
    );
    // Rounded, it would look like the limit itself: the exact size instead.
    assert!(
        err.contains("/just.txt: too large (1,048,577 B, over the 1 MiB limit)"),
        "{err}"
    );
    // A fresh cache: what a warm start does with a lowered cap is not the
    // point here.
    std::fs::remove_dir_all(home.path().join("cache")).unwrap();
    std::fs::write(&config, "max_file_size_mib = 0\n").unwrap();
    let (_, _, err) = run_with_timeout(tidings(home.path()).args(["list", "-l", "lib"]), DEADLINE);
    assert!(
        err.contains("/tiny.txt: too large (38 B, over the 0 MiB limit)"),
        "{err}"
    );
}

#[test]
fn huge_lines_and_many_paragraphs_parse_whole() {
    let parse = |title: &str, body: &str| {
        tidings::library::parse_bytes(
            format!("{title}\n\n{body}").as_bytes(),
            tidings::article::Format::Text,
        )
        .unwrap()
    };
    let braces = "{".repeat(100_000);
    assert_eq!(parse("T", &braces).paragraphs, [braces]);
    let word = "x".repeat(100_000);
    let wrapped = tidings::text::wrap(&parse("T", &word).paragraphs[0], 80);
    assert_eq!(wrapped.len(), 1250);
    assert_eq!(wrapped.concat(), word);
    let many: String = (0..10_000).map(|i| format!("Paragraph {i}.\n\n")).collect();
    let parsed = parse("T", &many);
    assert_eq!(parsed.paragraphs.len(), 10_000);
    assert_eq!(parsed.paragraphs[9_999], "Paragraph 9999.");
}

#[test]
fn wrapping_thai_lao_khmer_and_burmese_writes_nothing_but_the_article() {
    let home = TempDir::new().unwrap();
    let text = "ข่าวภาษาไทยวันนี้\n\nเนื้อหาข่าวภาษาไทย ພາສາລາວ ភាសាខ្មែរ မြန်မာဘာသာ";
    write_tree(home.path(), &[("lib/thai.txt", text.as_bytes())]);
    let (code, out, err) = run_with_timeout(
        tidings(home.path()).args(["show", "lib/thai.txt", "-l", "lib", "--width", "12"]),
        DEADLINE,
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "", "the line breaker must not write over the screen");
    assert!(out.starts_with("ข่าวภาษาไทย"), "{out}");
    assert!(out.lines().all(|l| tidings::text::width(l) <= 12), "{out}");
}

#[test]
fn a_file_that_vanishes_after_the_walk_is_skipped_as_vanished() {
    use tidings::library::{LoadOptions, SkipReason, discover, load_article};
    let home = TempDir::new().unwrap();
    write_tree(
        home.path(),
        &[
            ("lib/gone.txt", b"Gone\n\nBody."),
            ("lib/fifo.txt", b"Was text\n\nBody."),
        ],
    );
    let lib = home.path().join("lib");
    let found = discover(std::slice::from_ref(&lib)).unwrap();
    assert_eq!(found.candidates.len(), 2);
    std::fs::remove_file(lib.join("gone.txt")).unwrap();
    // Swapped for a FIFO between the walk and the read: refused, not opened
    // for a read that would block.
    std::fs::remove_file(lib.join("fifo.txt")).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(lib.join("fifo.txt"))
        .status()
        .unwrap();
    assert!(status.success());
    let reasons: Vec<SkipReason> = found
        .candidates
        .iter()
        .map(|c| load_article(c, &LoadOptions::default()).unwrap_err().reason)
        .collect();
    assert_eq!(
        reasons,
        [SkipReason::NotRegular("a FIFO"), SkipReason::Vanished]
    );
}

/// The library as the app loads it, on a thread: a read that blocks (a FIFO
/// opened for reading) fails the test instead of hanging it.
fn load_for_the_app(root: std::path::PathBuf) -> tidings::library::Library {
    use tidings::library::{Library, LoadOptions};
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(Library::load(&[root], LoadOptions::default()));
    });
    rx.recv_timeout(DEADLINE)
        .expect("loading the library hangs")
        .expect("the library loads")
}

/// Draw the app at its current size and return the frame's buffer.
fn frame_of(app: &tidings::app::App) -> ratatui::buffer::Buffer {
    crate::common::drawn(app).frame().clone()
}

/// The frame drawn from an empty screen, and the screen after it: the
/// backend only receives ratatui's diff.
fn frame_and_screen(app: &tidings::app::App) -> (ratatui::buffer::Buffer, ratatui::buffer::Buffer) {
    let screen = crate::common::drawn(app);
    (screen.frame().clone(), screen.buffer().clone())
}

fn rows_of(buf: &ratatui::buffer::Buffer) -> Vec<String> {
    let area = buf.area;
    (area.top()..area.bottom())
        .map(|y| {
            (area.left()..area.right())
                .map(|x| buf[(x, y)].symbol())
                .collect()
        })
        .collect()
}

#[test]
fn the_app_lists_every_readable_file_and_its_overlay_explains_every_other() {
    use tidings::action::Action;
    use tidings::app::{App, Settings};
    let lib = Hostile::new();
    let library = load_for_the_app(lib.home.path().join("lib"));
    let mut app = App::new(library, Settings::default());
    let n = lib.skipped.len();
    assert_eq!(
        app.status().unwrap().text,
        format!("{n} files skipped: press ! for details")
    );

    let mut expected: Vec<String> = readable().into_iter().map(|(_, _, t)| t).collect();
    expected.push("Bad bytes name".into());
    expected.sort_unstable();
    let articles = app.library().articles();
    let mut titles: Vec<String> = app
        .visible()
        .iter()
        .map(|&i| articles[i].title().to_string())
        .collect();
    titles.sort_unstable();
    assert_eq!(titles, expected);
    for meta in articles {
        let fields = [Some(meta.title()), meta.kicker(), meta.category()];
        // `rel_path` is the file's own name, kept as a key and cleaned
        // where it is shown (the reader header), so it is not checked here.
        for text in fields.into_iter().flatten() {
            assert!(is_clean(text) && !text.contains('\n'), "{text:?}");
        }
    }

    // Every list row, reader and raw view, at both layouts.
    for (w, h) in [(120, 32), (80, 24)] {
        app.update(Action::Resize(w, h));
        serve_reads(&mut app);
        for _ in 0..app.visible().len() {
            for action in [
                Action::Tick,
                Action::Open,
                Action::Raw,
                Action::Back,
                Action::Down,
            ] {
                app.update(action);
                serve_reads(&mut app);
                let trouble = crate::props::unsafe_cell(&frame_of(&app));
                assert!(trouble.is_none(), "{}", trouble.unwrap());
            }
        }
    }

    let (w, h) = (250, u16::try_from(n + 8).unwrap());
    app.update(Action::Resize(w, h));
    serve_reads(&mut app);
    app.update(Action::Skipped);
    serve_reads(&mut app);
    let rows = rows_of(&frame_of(&app));
    assert!(
        rows[1].contains(&format!(" Skipped files: {n} ")),
        "{rows:#?}"
    );
    for (path, reason) in &lib.skipped {
        let wanted = format!("/lib/{path}: {reason}");
        let hits = rows.iter().filter(|r| r.contains(&wanted)).count();
        assert_eq!(hits, 1, "{wanted:?} in {rows:#?}");
    }
}

/// Regression: a wide character just left of an overlay (a CJK headline or
/// folder name at the reader's edge) reached into the overlay's border, and
/// ratatui's diff then skipped the border cell it covered.
#[test]
fn an_overlay_over_wide_characters_keeps_its_border() {
    use tidings::action::Action;
    use tidings::app::{App, Settings};
    let home = TempDir::new().unwrap();
    write_tree(
        home.path(),
        &[
            (
                "lib/日本/a.txt",
                "日本語の見出し\n\n本文です。本文です。".as_bytes(),
            ),
            (
                "lib/d\u{1F3FB}/b.txt",
                "👨\u{200D}👩 family\n\n👍🏻 body.".as_bytes(),
            ),
            ("lib/empty.txt", b""),
        ],
    );
    let library = load_for_the_app(home.path().join("lib"));
    let mut app = App::new(library, Settings::default());
    app.update(Action::Resize(80, 24));
    serve_reads(&mut app);
    for _ in 0..2 {
        app.update(Action::Open);
        serve_reads(&mut app);
        for overlay in [Action::Skipped, Action::Help] {
            app.update(overlay);
            serve_reads(&mut app);
            let (buf, shown) = frame_and_screen(&app);
            let trouble = crate::props::unsafe_cell(&buf);
            assert!(
                trouble.is_none(),
                "{}\n{:#?}",
                trouble.unwrap(),
                rows_of(&buf)
            );
            // What reached the (test) terminal: the diff skips cells under
            // a wide symbol, so a covered border would be missing here.
            let corners = |rows: Vec<String>| rows[1].matches('┌').count();
            assert_eq!(corners(rows_of(&shown)), 1, "{:#?}", rows_of(&shown));
            app.update(Action::Close);
            serve_reads(&mut app);
        }
        app.update(Action::Back);
        serve_reads(&mut app);
        app.update(Action::Down);
        serve_reads(&mut app);
    }
}
