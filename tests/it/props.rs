//! Property tests for the terminal-safety boundary: sanitising, measuring,
//! wrapping and truncating any text, and a fuzz-style run of arbitrary bytes
//! through parse, sanitise, wrap and render into a ratatui buffer.
//!
//! Case counts are modest so `cargo test` stays fast; the standard
//! `PROPTEST_CASES` variable raises them for a long run:
//! `PROPTEST_CASES=100000 cargo test --release --test it props::`.

use proptest::prelude::*;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Text};
use ratatui::widgets::{Block, Paragraph, Widget};
use tidings::app::serve_reads;
use tidings::article::sanitize::{is_bidi_control, is_clean, is_unsafe, sanitize, sanitize_line};
use tidings::text::{MARK_BASE, TOO_WIDE, extends_grapheme, grapheme_width, truncate, width, wrap};
use unicode_segmentation::UnicodeSegmentation;

/// Cases per property unless `PROPTEST_CASES` says otherwise.
fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

/// Characters that break naive text handling, weighted towards trouble:
/// controls and escape-sequence parts, bidi and zero-width characters,
/// combining marks, wide and emoji characters, spaces of every kind.
fn nasty_char() -> impl Strategy<Value = char> {
    let pick = |s: &'static str| proptest::sample::select(s.chars().collect::<Vec<_>>());
    prop_oneof![
        3 => (0x20u8..0x7f).prop_map(char::from),
        2 => pick("\0\x07\x08\t\n\x0b\x0c\r\x1b\x7f\u{85}\u{90}\u{9b}\u{9c}\u{9d}[]P;\\"),
        1 => pick("\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069}\u{61C}\u{200E}\u{200F}\u{FEFF}\u{2028}\u{2029}"),
        1 => pick("\u{200B}\u{200C}\u{200D}\u{2060}\u{AD}\u{FE0E}\u{FE0F}\u{E0067}\u{E007F}\u{1F3FB}"),
        2 => pick("\u{301}\u{308}\u{303}\u{20DD}\u{E48}\u{E33}\u{3099}\u{FF9E}\u{FF9F}\u{651}\u{93F}"),
        2 => pick("日本語한글ｶﾊｱ👨👩👧❤🏴\u{1F1EF}\u{1F1F5}\u{1F1EB}لاกขأ\u{3000}◌"),
        2 => pick("    \u{A0}"),
        1 => any::<char>(),
    ]
}

fn nasty_string(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(nasty_char(), 0..max).prop_map(|v| v.into_iter().collect())
}

/// Any text: mostly hostile, sometimes fully random.
fn any_text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![4 => nasty_string(max), 1 => any::<String>()]
}

/// Byte chunks that a hostile or broken file is made of.
fn hostile_bytes() -> impl Strategy<Value = Vec<u8>> {
    let chunk = prop_oneof![
        4 => nasty_string(12).prop_map(String::into_bytes),
        2 => proptest::collection::vec(any::<u8>(), 0..12),
        1 => proptest::sample::select(vec![
            &b"\x1b]52;c;cm0gLXJmIH4K\x07"[..],
            b"\x1b]0;title\x07",
            b"\x1bP+q544e\x1b\\",
            b"\x1b[2J",
            b"\xc2\x9b31m",
            b"\xe2\x80\xae",
            b"\r\n\r\n",
            b"\n\n",
            b"{mosads}",
            b"Photo: A/B",
        ])
        .prop_map(<[u8]>::to_vec),
    ];
    proptest::collection::vec(chunk, 0..60).prop_map(|c| c.concat())
}

/// Characters no cell and no output may hold.
fn forbidden(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || c == '\u{FEFF}'
}

/// What rendering `s` with ratatui puts in a row, and how many cells it
/// takes: the graphemes it keeps and the column after the last one.
fn render_row(s: &str) -> (Vec<String>, usize) {
    let area = Rect::new(0, 0, u16::try_from(width(s) + 2).unwrap(), 1);
    let mut buf = Buffer::empty(area);
    let (end, _) = buf.set_stringn(0, 0, s, usize::MAX, Style::default());
    let mut kept = Vec::new();
    let mut x = 0;
    while x < end {
        let symbol = buf[(x, 0)].symbol().to_string();
        x += u16::try_from(grapheme_width(&symbol)).unwrap().max(1);
        kept.push(symbol);
    }
    (kept, usize::from(end))
}

/// The graphemes of `s` ratatui shows: no control character, some width.
fn visible_graphemes(s: &str) -> Vec<String> {
    s.graphemes(true)
        .filter(|g| !g.contains(char::is_control) && grapheme_width(g) > 0)
        .map(str::to_string)
        .collect()
}

fn is_space(g: &str) -> bool {
    g.chars().all(char::is_whitespace)
}

/// Check that `lines` is `text` wrapped at `max`: graphemes in their order,
/// only whitespace dropped, a leading mark given a base, a grapheme wider
/// than the line replaced by the ellipsis.
fn assert_same_graphemes(text: &str, lines: &[String], max: usize) -> Result<(), TestCaseError> {
    let expected: Vec<&str> = text.graphemes(true).filter(|g| !is_space(g)).collect();
    let actual: Vec<&str> = lines
        .iter()
        .flat_map(|l| l.graphemes(true))
        .filter(|g| !is_space(g))
        .collect();
    prop_assert_eq!(expected.len(), actual.len(), "{:?} -> {:?}", text, lines);
    for (e, a) in expected.iter().zip(&actual) {
        let based = format!("{MARK_BASE}{e}");
        let too_wide = grapheme_width(e) > max || grapheme_width(&based) > max;
        let same = a == e
            || (*a == based && e.starts_with(extends_grapheme))
            || (*a == TOO_WIDE && too_wide);
        prop_assert!(same, "{:?} became {:?} in {:?}", e, a, lines);
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn sanitised_text_has_no_control_or_bidi_character_but_newline(s in any_text(200)) {
        let out = sanitize(&s);
        prop_assert!(is_clean(&out), "{:?} -> {:?}", s, out);
        prop_assert!(out.chars().all(|c| c == '\n' || !forbidden(c)), "{:?}", out);
        prop_assert!(!sanitize_line(&s).contains('\n'));
    }

    #[test]
    fn sanitising_keeps_every_safe_character_in_order_and_is_idempotent(s in any_text(200)) {
        let out = sanitize(&s);
        let kept = |t: &str| -> String {
            t.chars().filter(|&c| !is_unsafe(c) && !c.is_whitespace()).collect()
        };
        prop_assert_eq!(kept(&s), kept(&out));
        prop_assert_eq!(sanitize(&out), out.clone());
    }

    #[test]
    fn width_is_what_ratatui_renders(s in any_text(120)) {
        let (kept, cells) = render_row(&s);
        prop_assert_eq!(cells, width(&s), "{:?}", s);
        prop_assert_eq!(kept, visible_graphemes(&s), "{:?}", s);
    }

    #[test]
    fn wrapped_lines_fit_keep_order_and_never_split_graphemes(
        s in any_text(300),
        max in 1usize..300,
    ) {
        let lines = wrap(&s, max);
        prop_assert!(!lines.is_empty());
        for line in &lines {
            prop_assert!(width(line) <= max, "{:?} is {} wide at {}", line, width(line), max);
            prop_assert!(!line.starts_with(extends_grapheme), "{:?} starts with a mark", line);
            let first = line.graphemes(true).next().unwrap_or("");
            let last = line.graphemes(true).next_back().unwrap_or("");
            prop_assert!(!is_space(first) || line.is_empty() || first.contains(char::is_control));
            prop_assert!(!is_space(last) || line.is_empty() || last.contains(char::is_control));
        }
        assert_same_graphemes(&s, &lines, max)?;
    }

    #[test]
    fn wrapped_sanitised_lines_render_whole_in_a_pane_of_that_width(
        s in any_text(300),
        max in 1usize..120,
    ) {
        let clean = sanitize(&s);
        for line in wrap(&clean, max) {
            let (kept, cells) = render_row(&line);
            prop_assert!(cells <= max);
            prop_assert_eq!(kept, visible_graphemes(&line));
        }
    }

    #[test]
    fn truncated_text_fits_and_is_a_prefix(s in any_text(120), max in 0usize..60) {
        let out = truncate(&s, max);
        prop_assert!(width(&out) <= max, "{:?} -> {:?}", s, out);
        let based = if s.starts_with(extends_grapheme) { format!("{MARK_BASE}{s}") } else { s.clone() };
        let body = out.strip_suffix(TOO_WIDE).unwrap_or(&out);
        prop_assert!(based.starts_with(body), "{:?} -> {:?}", s, out);
        prop_assert_eq!(out == based, width(&based) <= max, "{:?} -> {:?}", s, out);
    }
}

proptest! {
    #![proptest_config(cases(128))]

    /// Arbitrary bytes through the whole path a file takes to the screen:
    /// parse (decode, binary check, sanitise), wrap at a random width, and
    /// render headline and body into a buffer of a random size. Nothing may
    /// panic, no cell may hold a control or bidi character, and every body
    /// line shown must be shown whole.
    #[test]
    fn arbitrary_bytes_parse_wrap_and_render_safely(
        bytes in hostile_bytes(),
        cols in 1u16..300,
        rows in 1u16..80,
    ) {
        let Ok(parsed) = tidings::library::parse_bytes(&bytes, tidings::article::Format::Text) else {
            return Ok(());
        };
        for text in [&parsed.title].into_iter().chain(parsed.kicker.as_ref()).chain(&parsed.paragraphs) {
            prop_assert!(is_clean(text), "{:?}", text);
        }
        prop_assert!(!parsed.title.contains('\n'));
        let area = Rect::new(0, 0, cols, rows);
        let inner = Block::bordered().inner(area);
        let lines: Vec<String> = parsed
            .paragraphs
            .iter()
            .flat_map(|p| wrap(p, usize::from(inner.width)))
            .collect();
        let title = truncate(&parsed.title, usize::from(inner.width));
        let mut buf = Buffer::empty(area);
        Paragraph::new(Text::from(lines.iter().map(|l| Line::raw(l.as_str())).collect::<Vec<_>>()))
            .block(Block::bordered().title(Line::raw(title.as_str())))
            .render(area, &mut buf);
        for cell in buf.content() {
            prop_assert!(!cell.symbol().chars().any(forbidden), "cell {:?}", cell.symbol());
        }
        // A pane with no inner width shows no body at all.
        let rows = if inner.width == 0 { 0..0 } else { inner.y..inner.bottom() };
        for (y, line) in rows.zip(&lines) {
            let Some(last) = visible_graphemes(line).pop() else { continue };
            let x = inner.x + u16::try_from(width(line) - grapheme_width(&last)).unwrap();
            prop_assert_eq!(buf[(x, y)].symbol(), last.as_str(), "{:?} at width {}", line, inner.width);
        }
    }
}

/// Latin-1 text: ASCII with single high bytes, never a UTF-8 sequence.
fn latin1_bytes() -> impl Strategy<Value = Vec<u8>> {
    let chunk = prop_oneof![
        3 => (0x20u8..0x7f).prop_map(|b| vec![b]),
        1 => (0x80u8..=0xff).prop_map(|b| vec![b, b' ']),
    ];
    proptest::collection::vec(chunk, 0..200).prop_map(|c| c.concat())
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn decoding_any_bytes_never_fails_and_keeps_valid_utf8(
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
    ) {
        let text = tidings::article::decode(&bytes);
        if let Ok(valid) = std::str::from_utf8(&bytes) {
            prop_assert_eq!(text.as_ref(), valid.strip_prefix('\u{FEFF}').unwrap_or(valid));
        }
    }

    #[test]
    fn latin1_decodes_one_character_per_byte(bytes in latin1_bytes()) {
        let text = tidings::article::decode(&bytes);
        prop_assert_eq!(text.chars().count(), bytes.len());
        // Only the five bytes Windows-1252 leaves undefined have no character.
        let undefined = bytes.iter().filter(|b| matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D)).count();
        prop_assert_eq!(text.matches('\u{FFFD}').count(), undefined);
    }
}

/// Why `buf` would not reach a terminal intact, if it would not: a cell
/// holding a control, bidi or byte-order character, a symbol that runs past
/// the end of its row, or a wide symbol whose covered cells are not blank.
/// ratatui's diff assumes that last rule and skips the covered cells, so a
/// border or letter drawn there would never be shown.
pub(crate) fn unsafe_cell(buf: &Buffer) -> Option<String> {
    let area = buf.area;
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x < area.right() {
            let symbol = buf[(x, y)].symbol();
            if symbol.chars().any(forbidden) {
                return Some(format!("cell ({x}, {y}) holds {symbol:?}"));
            }
            let cells = u16::try_from(grapheme_width(symbol)).unwrap_or(u16::MAX);
            if x.saturating_add(cells) > area.right() {
                return Some(format!("{symbol:?} at ({x}, {y}) runs past the row"));
            }
            for covered in x + 1..x + cells {
                let hidden = buf[(covered, y)].symbol();
                if hidden != " " {
                    return Some(format!(
                        "{symbol:?} at ({x}, {y}) covers {hidden:?} at ({covered}, {y})"
                    ));
                }
            }
            x += cells.max(1);
        }
    }
    None
}

/// A file or folder name made of hostile characters and raw bytes: never
/// empty, never `.`-led (hidden), never holding `/` or NUL.
fn hostile_name(prefix: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let part = prop_oneof![
        3 => nasty_string(10).prop_map(String::into_bytes),
        1 => proptest::collection::vec(any::<u8>(), 0..10),
    ];
    part.prop_map(move |mut bytes| {
        bytes.retain(|&b| b != b'/' && b != 0);
        bytes.truncate(120);
        [prefix.as_bytes(), &bytes].concat()
    })
}

/// What a user does with one story: look at it, open it, scroll, view the
/// raw file, search, and open each overlay.
fn app_actions(query: &str) -> Vec<tidings::action::Action> {
    use tidings::action::Action::*;
    let mut actions = vec![Tick, Open, Bottom, HalfPageUp, Raw, Bottom, Back, Search];
    actions.extend(query.chars().map(Insert));
    actions.extend([Submit, Open, Raw, Skipped, Bottom, Close, Help, Close]);
    actions
}

proptest! {
    #![proptest_config(cases(48))]

    /// The fuzz run above, through the app's real panes: arbitrary bytes in a
    /// file with a hostile name in a hostile folder, loaded as a library,
    /// listed, opened, scrolled, shown raw, searched for, and drawn with
    /// `ui::draw` at any size from 0x0 to 300x100 (the `!` and `?` overlays
    /// too). No panic, no control character in any cell, and no symbol wider
    /// than the cells it is given.
    #[test]
    fn arbitrary_bytes_render_safely_in_the_apps_panes(
        bytes in hostile_bytes(),
        name in hostile_name("f"),
        folder in hostile_name("d"),
        query in nasty_string(6),
        cols in 0u16..=300,
        rows in 0u16..=100,
    ) {
        use std::os::unix::ffi::OsStrExt;
        use tidings::app::{App, Settings};
        use tidings::library::{Library, LoadOptions};
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join("lib").join(std::ffi::OsStr::from_bytes(&folder));
        std::fs::create_dir_all(&dir).unwrap();
        let file = [&name[..], b".txt"].concat();
        std::fs::write(dir.join(std::ffi::OsStr::from_bytes(&file)), &bytes).unwrap();
        let library = Library::load(&[home.path().join("lib")], LoadOptions::default()).unwrap();
        prop_assert_eq!(library.articles().len() + library.skipped().len(), 1);

        let mut app = App::new(library, Settings::default());
        let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(cols, rows)).unwrap();
        app.update(tidings::action::Action::Resize(cols, rows));
        serve_reads(&mut app);
        for action in app_actions(&query) {
            app.update(action);
            serve_reads(&mut app);
            // The frame as drawn, not the backend's copy: the backend only
            // takes the diff, which leaves cells under a wide symbol stale.
            let frame = terminal.draw(|frame| tidings::ui::draw(&app, frame)).unwrap();
            let trouble = unsafe_cell(frame.buffer);
            prop_assert!(trouble.is_none(), "after {:?}: {}", action, trouble.unwrap_or_default());
        }
    }
}
