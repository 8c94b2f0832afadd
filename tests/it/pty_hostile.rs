//! The built binary in a real pseudo-terminal over a hostile library:
//! escape sequences in headlines, kickers, bodies, folder and file names.
//! Every byte the app writes is recorded and scanned, so what is tested is
//! what a terminal would act on, not what a buffer holds.

use crate::common::pty::{Session, tidings_pty};
use crate::common::write_tree;
use crate::hostile::{Hostile, readable};
use std::path::Path;
use std::time::{Duration, Instant};
use tidings::article::links::safe_url;

/// Long enough for a loaded CI machine; the app normally answers in
/// milliseconds.
const PATIENCE: Duration = Duration::from_secs(30);

/// Headline of the marker story. The `ZQ` markers sit right against each
/// injected sequence, so a sequence that got through would show up next to
/// one in the output.
const TITLE: &str = "ZQ1\x1b[2JZQ2 \u{9b}2JZQ3 \x1b]0;ZQ4\x07 \x1b]52;c;ZQ5\x07 \x1bPZQ6\x1b\\ \
                     ZQ7\x07ZQ8 \u{202E}ZQ9";
/// The headline as it must appear: every control character gone.
const TITLE_SHOWN: &str = "ZQ1[2JZQ2 2JZQ3 ]0;ZQ4 ]52;c;ZQ5 PZQ6\\ ZQ7ZQ8 ZQ9";
/// A kicker (a short lowercase topic line) with the same sequences.
const KICKER: &str = "zqk\x1b]0;zqkt\x07 \x1b]52;c;zqkc\x07 \u{9b}2j\x07";
/// One body paragraph; the story repeats it so that it scrolls.
const PARAGRAPH: &str = "Body ZQB1\x1b[2JZQB2 and \u{9b}2JZQB3, a title \x1b]0;ZQB4\x07, \
                         a copy \x1b]52;c;ZQB5\x07, a DCS \x1bP+q544e\x1b\\ZQB6, a bell\x07ZQB7 \
                         and an override \u{202E}ZQB8.";

/// A Markdown story whose links aim at what must never become a hyperlink
/// (another scheme; a URL carrying ESC, BEL or ST to end the sequence and
/// start another) beside one that may.
const LINKS_STORY: &str = "# ZQM links\n\nSee [good](https://example.org/ok), \
    [script](javascript:alert(1)), [data](data:text/html,x), [file](file:///etc/passwd), \
    [esc](<https://example.org/\x1b]8;;https://evil.example.org/\x1b\\>), \
    [bel](<https://example.org/\x07x>) and [st](<https://example.org/\x1b\\x>).\n";

/// A saved page whose title, metadata, attributes, text and links carry
/// escape sequences, raw and entity-encoded.
const PAGE_STORY: &str = "<html><head><title>ZQP page \x1b]0;ZQT\x07 &#27;[2J title</title>\
    <meta name=\"author\" content=\"ZQA \x1b[31m&#x1b;]0;x&#7;\u{202e}\">\
    <link rel=\"canonical\" href=\"https://example.org/\x1b]8;;https://evil.example.org/\x07\">\
    </head><body><nav><a href=\"/\">Home</a></nav><article><h1>ZQP page</h1>\
    <p title=\"\x1b]52;c;ZQS\x07\">A paragraph of the page with &#27;[2J and &#x9b;2J and \
    \u{9b}2J in it, long enough for the page to count as an article to read.</p>\
    <p>A <a href=\"javascript:alert(1)\">script</a>, a <a href=\"https://example.org/\x1b\\x\">trap</a> \
    and a <a href=\"https://example.org/fine\">fine link</a> in a second paragraph of text.</p>\
    </article></body></html>";

/// A JSON record with escape sequences in every field.
const JSON_STORY: &str = r#"{"headline": "ZQJ record \u001b]0;ZQT\u0007 title", "byline": "ZQA \u001b[2J", "url": "https://example.org/\u001b]8;;https://evil.example.org/\u0007", "body": "<p>ZQJ body \u001b]52;c;ZQS\u0007 and &#27;[2J text.</p>"}"#;

/// How every marker begins, for the adjacency check.
const MARKERS: [&[u8]; 2] = [b"ZQ", b"zq"];

/// Start `tidings -l lib` in `home` at `cols`x`rows`.
fn start(home: &Path, cols: u16, rows: u16) -> Session {
    start_with(home, cols, rows, &[("NO_COLOR", None)])
}

/// Like [`start`], with these variables set (or, for `None`, removed) in
/// the app's environment.
fn start_with(home: &Path, cols: u16, rows: u16, env: &[(&str, Option<&str>)]) -> Session {
    let mut cmd = tidings_pty(home, &["-l", "lib"]);
    cmd.cwd(home);
    for (name, value) in env {
        match value {
            Some(value) => cmd.env(name, value),
            None => cmd.env_remove(name),
        }
    }
    Session::spawn(cmd, cols, rows, None).patient(PATIENCE)
}

/// Where an escape sequence starting at `at` ends (one past its last byte),
/// or `None` when it is not a CSI sequence (`ESC [ params final`), the only
/// kind a full-screen app needs to draw.
fn csi_end(out: &[u8], at: usize) -> Option<usize> {
    if out.get(at + 1) != Some(&b'[') {
        return None;
    }
    let body = out.get(at + 2..)?;
    let params = body
        .iter()
        .take_while(|b| (0x20..=0x3f).contains(*b))
        .count();
    matches!(body.get(params), Some(0x40..=0x7e)).then_some(at + 3 + params)
}

/// Where an OSC 8 hyperlink sequence starting at `at` ends (one past its
/// ST), or `None` when it is not one or its URL is not exactly what
/// `safe_url` lets out (empty, for the sequence that ends a link, is fine).
fn osc8_end(out: &[u8], at: usize) -> Option<usize> {
    let body = out.get(at..)?.strip_prefix(b"\x1b]8;;")?;
    let len = body.iter().position(|&b| b == 0x1b)?;
    let url = std::str::from_utf8(&body[..len]).ok()?;
    if body.get(len + 1) != Some(&b'\\') {
        return None;
    }
    let safe = url.is_empty() || tidings::article::links::safe_url(url).as_deref() == Some(url);
    safe.then_some(at + 5 + len + 2)
}

/// Everything in `out` a terminal would take from article text: any escape
/// sequence but CSI and OSC 8 hyperlinks to a validated URL (OSC titles and
/// clipboard writes, DCS, APC, OSC 8 to anything else...), BEL, C1
/// controls, bidi overrides, and any escape sequence touching a marker
/// (sanitised text would have left `[2J` standing there as plain text).
/// Each finding is listed once.
///
/// The one sequence allowed besides CSI is an OSC 52 clipboard write (`y`)
/// whose payload is a URL exactly as `safe_url` makes it ([`clipboard_writes`]).
pub fn smuggled(out: &[u8]) -> Vec<String> {
    let (_, rest) = clipboard_writes(out);
    let out = rest.as_slice();
    let text = match std::str::from_utf8(out) {
        Ok(text) => text,
        Err(e) => return vec![format!("output is not UTF-8: {e}")],
    };
    let mut found: Vec<String> = text
        .chars()
        .filter(|&c| {
            c == '\x07'
                || ('\u{80}'..='\u{9f}').contains(&c)
                || c == '\u{FEFF}'
                || tidings::article::sanitize::is_bidi_control(c)
        })
        .map(|c| format!("{c:?}"))
        .collect();
    let mut inside_until = 0;
    for at in memchr_all(out, 0x1b) {
        if at < inside_until {
            continue;
        }
        if let Some(end) = osc8_end(out, at) {
            inside_until = end;
            continue;
        }
        let around = &out[at.saturating_sub(4)..(at + 12).min(out.len())];
        let context = String::from_utf8_lossy(around);
        let Some(end) = csi_end(out, at) else {
            found.push(format!("non-CSI escape {context:?}"));
            continue;
        };
        // The app may clear the screen itself (on start and resize), but
        // never in the middle of article text.
        if out[end - 1] != b'J' {
            continue;
        }
        let before = &out[at.saturating_sub(4)..at];
        let after = &out[end..(end + 3).min(out.len())];
        let touches = |s: &[u8]| MARKERS.iter().any(|m| s.windows(2).any(|w| w == *m));
        if touches(before) || touches(after) {
            found.push(format!("escape next to a marker {context:?}"));
        }
    }
    found.sort_unstable();
    found.dedup();
    found
}

/// The URLs the app put on the clipboard: each OSC 52 write
/// (`ESC ] 52 ; c ; base64 BEL`) whose payload decodes to a URL that
/// `safe_url` leaves as it is, and the output without those writes. Any
/// other OSC 52 stays in the output, for [`smuggled`] to report.
pub fn clipboard_writes(out: &[u8]) -> (Vec<String>, Vec<u8>) {
    const START: &[u8] = b"\x1b]52;c;";
    let mut urls = Vec::new();
    let mut rest = Vec::with_capacity(out.len());
    let mut i = 0;
    while i < out.len() {
        if out[i..].starts_with(START) {
            let body = &out[i + START.len()..];
            let len = body
                .iter()
                .take_while(|&&b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
                .count();
            let url = (body.get(len) == Some(&0x07))
                .then(|| base64_decode(&body[..len]))
                .flatten()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .filter(|url| safe_url(url).as_deref() == Some(url.as_str()));
            if let Some(url) = url {
                urls.push(url);
                i += START.len() + len + 1;
                continue;
            }
        }
        rest.push(out[i]);
        i += 1;
    }
    (urls, rest)
}

/// Standard base64 with padding, or `None` when it is not.
fn base64_decode(text: &[u8]) -> Option<Vec<u8>> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if !text.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    for chunk in text.chunks(4) {
        let pad = chunk.iter().rev().take_while(|&&b| b == b'=').count();
        let mut n = 0u32;
        for &b in &chunk[..4 - pad] {
            n = (n << 6) | ALPHABET.iter().position(|&a| a == b)? as u32;
        }
        n <<= 6 * pad;
        out.extend_from_slice(&n.to_be_bytes()[1..4 - pad]);
    }
    Some(out)
}

fn memchr_all(haystack: &[u8], byte: u8) -> impl Iterator<Item = usize> + '_ {
    haystack
        .iter()
        .enumerate()
        .filter(move |&(_, &b)| b == byte)
        .map(|(i, _)| i)
}

/// The hostile library, plus stories that carry the markers: in a headline,
/// a kicker and a long body, under a hostile folder and file name, and an
/// empty file with a hostile name that must be listed as skipped.
fn library() -> (Hostile, usize, usize) {
    let lib = Hostile::new();
    let body: String = (0..60).map(|_| format!("{PARAGRAPH}\n\n")).collect();
    let story = format!("{KICKER}\n{TITLE}\n\n{body}");
    write_tree(
        &lib.home.path().join("lib"),
        &[
            (
                "\x1b]0;ZQF\x07\u{9b}2J/\x1bPZQN\x1b\\\x07.txt",
                story.as_bytes(),
            ),
            ("\x1b]52;c;ZQS\x07\u{9b}2J.txt", b""),
            ("links.md", LINKS_STORY.as_bytes()),
            ("page.html", PAGE_STORY.as_bytes()),
            ("record.json", JSON_STORY.as_bytes()),
        ],
    );
    let articles = readable().len() + 5;
    let skipped = lib.skipped.len() + 1;
    (lib, articles, skipped)
}

/// Open, scroll and view raw every story in the list, one by one.
fn read_every_story(s: &mut Session, articles: usize) {
    for i in 1..=articles {
        s.wait_for(&format!(" {i}/{articles}"));
        // Open, its links overlay, to the bottom, half a page up, raw at
        // the bottom, cleaned again, back to the list, and on to the next
        // story.
        s.send("\rL");
        s.wait_for("(esc closes)");
        s.escape();
        s.send("G\x15rGrhj");
    }
    s.wait_for(&format!(" {articles}/{articles}"));
}

/// Search for the marker story's headline, with pasted C1 and override
/// characters in the query too.
fn search_for_markers(s: &mut Session) {
    s.send("/zq1");
    s.wait_for("\"zq1\" · 1 match");
    s.send("\u{9b}\u{202E}\x07");
    // The pasted characters are dropped from the query, which still finds
    // the story.
    s.wait_for("\"zq1\" · 1 match");
    s.send("\x17zq4");
    s.wait_for("\"zq4\" · 1 match");
    // The story resumes where it was left (scrolled, above): back to its top.
    s.send("\r\rg");
    s.wait_for(TITLE_SHOWN);
    s.wait_for("zqk]0;zqkt ]52;c;zqkc 2j");
    s.wait_for("ZQB1[2JZQB2 and 2JZQB3");
    s.send("r");
    s.wait_for("Raw file · ]0;ZQF2J/PZQN\\.txt");
    s.send("r");
    s.escape();
    s.escape();
}

/// The `!` overlay, scrolled to its end.
fn show_skipped(s: &mut Session, skipped: usize) {
    s.send("!");
    s.wait_for(&format!("Skipped files: {skipped} "));
    s.send("G");
    s.wait_for("]52;c;ZQS2J.txt: empty file");
    s.escape();
}

#[test]
fn nothing_an_article_smuggles_reaches_the_terminal() {
    let (lib, articles, skipped) = library();
    let mut s = start(lib.home.path(), 120, 32);
    s.wait_for(&format!("{skipped} files skipped: press ! for details"));
    s.wait_for(&format!("{articles} articles"));
    read_every_story(&mut s, articles);
    search_for_markers(&mut s);
    show_skipped(&mut s, skipped);
    s.resize(80, 24);
    s.send("g\r");
    s.wait_for("words ·");
    s.send("r");
    s.wait_for("Raw file · ");
    show_skipped(&mut s, skipped);
    s.send("?");
    s.wait_for("Keys (esc closes)");
    s.escape();
    let (code, out, parser) = s.quit();
    assert_eq!(code, 0);

    let problems = smuggled(&out);
    assert!(problems.is_empty(), "{problems:#?}");
    let parser = parser.lock().unwrap();
    let requests = parser.callbacks();
    assert!(
        requests.titles.is_empty(),
        "title set: {:?}",
        requests.titles
    );
    assert!(requests.clipboard.is_empty(), "{:?}", requests.clipboard);
    // Hyperlinks, where there are any, go only where safe_url lets them.
    for url in &requests.hyperlinks {
        let url = String::from_utf8_lossy(url);
        let safe = tidings::article::links::safe_url(&url);
        assert!(url.is_empty() || safe.as_deref() == Some(&*url), "{url:?}");
        assert!(!url.starts_with("https://evil"), "{url:?}");
    }
    assert_eq!((requests.bells, requests.unhandled_osc), (0, 0));
    assert!(!parser.screen().alternate_screen(), "not restored");
}

/// The scanner itself: each sequence the fixtures inject is caught when it
/// reaches the output unchanged, and the app's own drawing is not.
#[test]
fn the_scanner_catches_every_injected_sequence() {
    let drawing = "\x1b[?1049h\x1b[2J\x1b[1;1H\x1b[38;5;3mZQ1[2JZQ2\x1b[0m \u{2605}\
                   \x1b]8;;https://example.org/a%1B\x1b\\a\x1b]8;;\x1b\\";
    assert_eq!(smuggled(drawing.as_bytes()), Vec::<String>::new());
    for injected in [
        TITLE,
        KICKER,
        PARAGRAPH,
        "\x1b]0;t\x07",
        "\x1b]2;t\x1b\\",
        "\x1bP+q\x1b\\",
        "\x1b_apc\x1b\\",
        "a\x07b",
        "\u{9b}2J",
        "\u{85}",
        "\u{202E}",
        "\u{2067}",
        "\u{FEFF}",
        "ZQ1\x1b[2J",
        "\x1b[2JZQ2",
        "\x1b]8;;javascript:alert(1)\x1b\\a\x1b]8;;\x1b\\",
        "\x1b]8;;https://example.org/\x1b[2J\x1b\\a",
        "\x1b]8;;https://example.org/ a\x1b\\a",
        "\x1b]8;;https://example.org/\x07a",
    ] {
        let out = format!("\x1b[1;1H{injected}\x1b[0m");
        assert!(
            !smuggled(out.as_bytes()).is_empty(),
            "{injected:?} not caught"
        );
    }
    assert!(!smuggled(b"\xc2").is_empty(), "broken UTF-8 not caught");
}

/// The scanner lets through a clipboard write of a checked URL, and only
/// that: any other payload, or a write not ended by BEL, is caught.
#[test]
fn the_scanner_allows_only_clipboard_writes_of_a_checked_url() {
    let copy = "\x1b[1;1H\x1b]52;c;aHR0cHM6Ly9leGFtcGxlLm9yZy9h\x07\x1b[0m";
    assert_eq!(smuggled(copy.as_bytes()), Vec::<String>::new());
    assert_eq!(
        clipboard_writes(copy.as_bytes()).0,
        vec!["https://example.org/a".to_string()]
    );
    for refused in [
        // "javascript:alert(1)", "https://example.org/a b", text, "ZQ5"
        "\x1b]52;c;amF2YXNjcmlwdDphbGVydCgxKQ==\x07",
        "\x1b]52;c;aHR0cHM6Ly9leGFtcGxlLm9yZy9hIGI=\x07",
        "\x1b]52;c;aGVsbG8gd29ybGQ=\x07",
        "\x1b]52;c;ZQ5\x07",
        "\x1b]52;c;aHR0cHM6Ly9leGFtcGxlLm9yZy9h\x1b\\",
        "\x1b]52;p;aHR0cHM6Ly9leGFtcGxlLm9yZy9h\x07",
    ] {
        assert!(
            !smuggled(refused.as_bytes()).is_empty(),
            "{refused:?} not caught"
        );
    }
}

/// A small library of two stories under `home/lib`.
fn two_stories() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    write_tree(
        &home.path().join("lib"),
        &[
            ("world/a.txt", b"First headline\n\nA body to read.\n"),
            ("b.txt", b"Second headline\n\nAnother body.\n"),
        ],
    );
    home
}

/// The parameters of every SGR sequence (`ESC [ ... m`) in `out`.
fn sgr_params(out: &[u8]) -> Vec<String> {
    memchr_all(out, 0x1b)
        .filter_map(|at| {
            let end = csi_end(out, at)?;
            (out[end - 1] == b'm').then(|| String::from_utf8_lossy(&out[at + 2..end - 1]).into())
        })
        .collect()
}

#[test]
fn a_16_colour_terminal_gets_only_the_16_colour_codes() {
    for term in ["linux", "xterm-16color", "xterm"] {
        let home = two_stories();
        let env = [
            ("TERM", Some(term)),
            ("COLORTERM", None),
            ("NO_COLOR", None),
        ];
        let mut s = start_with(home.path(), 80, 24, &env);
        s.wait_for("2 articles");
        // The help overlay draws its border in dark grey, a bright colour.
        s.send("?");
        s.wait_for("Keys (esc closes)");
        s.escape();
        let (code, out, _) = s.quit();
        assert_eq!(code, 0, "{term}");
        let params = sgr_params(&out);
        let extended: Vec<&String> = params
            .iter()
            .filter(|p| p.contains("38;") || p.contains("48;"))
            .collect();
        assert!(extended.is_empty(), "TERM={term}: {extended:?}");
        // Colour is still there, in the codes every terminal knows: cyan
        // for the unread marker, bright black for the border.
        let codes: Vec<&str> = params.iter().flat_map(|p| p.split(';')).collect();
        assert!(
            codes.contains(&"36") && codes.contains(&"90"),
            "TERM={term}: {params:?}"
        );
    }
}

#[test]
fn a_dumb_terminal_gets_a_message_instead_of_the_full_screen_reader() {
    for term in [Some("dumb"), None] {
        let home = two_stories();
        let env = [("TERM", term), ("NO_COLOR", None)];
        let mut s = start_with(home.path(), 80, 24, &env);
        let start = Instant::now();
        let status = loop {
            if let Some(status) = s.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "TERM={term:?}: started anyway:\n{}",
                s.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        drop(s.writer.take());
        s.reader.take().unwrap().join().unwrap();
        let out = std::mem::take(&mut *s.output.lock().unwrap());
        assert_eq!(status.exit_code(), 1, "TERM={term:?}");
        assert!(
            !out.contains(&0x1b),
            "TERM={term:?}: {:?}",
            String::from_utf8_lossy(&out)
        );
        let text = String::from_utf8_lossy(&out);
        assert!(text.contains("tidings list"), "TERM={term:?}: {text}");
    }
}

/// The column of the first `needle` on each row of `out` replayed on a
/// `cols`x`rows` screen, for the rows that have it.
fn columns_of(out: &[u8], cols: u16, rows: u16, needle: &str) -> Vec<(u16, usize)> {
    let mut parser = vt100::Parser::new(rows.try_into().unwrap(), cols.try_into().unwrap(), 0);
    parser.process(out);
    let screen = parser.screen();
    (0..rows)
        .filter_map(|row| {
            let cells: Vec<String> = (0..cols)
                .map(|c| {
                    screen
                        .cell(row, c)
                        .map_or(String::new(), |x| x.contents().to_string())
                })
                .collect();
            let first = needle.chars().next().unwrap().to_string();
            (0..cols as usize)
                .find(|&c| {
                    cells[c] == first
                        && needle.chars().skip(1).enumerate().all(|(i, ch)| {
                            cells.get(c + 1 + i).is_some_and(|x| *x == ch.to_string())
                        })
                })
                .map(|c| (row, c))
        })
        .collect()
}

#[test]
fn a_joiner_in_a_headline_does_not_shift_the_minutes_column() {
    let home = tempfile::tempdir().unwrap();
    write_tree(
        &home.path().join("lib/world"),
        &[
            (
                "a.txt",
                "Plain a\u{200d}b joined letters\n\nBody.\n".as_bytes(),
            ),
            (
                "b.txt",
                "Family 👨\u{200d}👩\u{200d}👧 news\n\nBody.\n".as_bytes(),
            ),
            ("c.txt", "Ordinary headline\n\nBody.\n".as_bytes()),
        ],
    );
    let s = start(home.path(), 80, 12);
    s.wait_for("3 articles");
    s.wait_for("Ordinary headline");
    // What was drawn, before the way out puts the old screen back.
    let out = s.output.lock().unwrap().clone();
    let (code, _, _) = s.quit();
    assert_eq!(code, 0);
    // As this terminal model measures clusters, and as one that shows the
    // joiner as a glyph of its own (a column wide) does: either way, the
    // minutes line up.
    let shown_as_glyph: Vec<u8> = String::from_utf8(out.clone())
        .unwrap()
        .replace('\u{200d}', "~")
        .into_bytes();
    for (how, out) in [
        ("as clusters", out),
        ("with a joiner glyph", shown_as_glyph),
    ] {
        let minutes = columns_of(&out, 80, 12, "1 min");
        assert_eq!(minutes.len(), 3, "{how}: {minutes:?}");
        assert!(
            minutes.iter().all(|&(_, c)| c == minutes[0].1),
            "{how}: {minutes:?}"
        );
    }
}

#[test]
fn no_color_counts_when_set_and_not_empty_in_the_app_and_its_docs() {
    let colour_codes = |no_color: &str| {
        let home = two_stories();
        let env = [
            ("TERM", Some("xterm-256color")),
            ("NO_COLOR", Some(no_color)),
        ];
        let s = start_with(home.path(), 80, 24, &env);
        s.wait_for("2 articles");
        let (code, out, _) = s.quit();
        assert_eq!(code, 0);
        sgr_params(&out)
            .iter()
            .flat_map(|p| p.split(';').map(str::to_string).collect::<Vec<_>>())
            .filter(|c| {
                c.len() == 2 && matches!(&c[..1], "3" | "4" | "9") && c != "39" && c != "49"
            })
            .count()
    };
    assert!(colour_codes("") > 0, "an empty NO_COLOR is not set");
    assert_eq!(colour_codes("1"), 0);
    // Every place the docs mention it says the same.
    for file in ["README.md", "assets/config.toml"] {
        let text = std::fs::read_to_string(crate::common::repo_file(file)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if line.contains("NO_COLOR") {
                let around = lines[i..(i + 2).min(lines.len())].join(" ");
                assert!(around.contains("non-empty"), "{file}:{}: {around}", i + 1);
            }
        }
    }
}
