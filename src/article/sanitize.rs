//! The one place where untrusted text becomes safe to show.
//!
//! Every byte of an article is untrusted: it may carry terminal escape
//! sequences (OSC 52 clipboard writes, title changes, screen clears), C1
//! controls that some terminals treat as CSI, or bidirectional overrides that
//! make text read differently from what it is. [`sanitize`] runs at parse time,
//! before indexing and wrapping, and on anything else shown on screen (file
//! names, config values, search input), so nothing downstream has to care.

use super::swar;
use std::borrow::Cow;
use unicode_width::UnicodeWidthChar;

/// Columns between tab stops when tabs are expanded.
pub const TAB_WIDTH: usize = 4;

/// Make `input` safe to display: line breaks (CRLF, CR, NEL, the Unicode line
/// and paragraph separators, vertical tab and form feed) become `\n`, tabs are
/// expanded to spaces at display-width tab stops, every other control
/// character (C0, DEL, C1: ESC above all) is removed, and bidirectional
/// controls and stray byte-order marks are removed.
///
/// Removing rather than showing a caret form keeps titles and search input
/// free of noise; what is left of an escape sequence (`]52;c;...`) stays
/// visible as plain text, so a hostile file is still recognisable.
///
/// Zero-width joiners, variation selectors and tag characters are kept: they
/// belong to emoji sequences and cannot act on a terminal.
pub fn sanitize(input: &str) -> String {
    sanitize_cow(input).into_owned()
}

/// [`sanitize`] without a copy when nothing needs changing, which is
/// nearly all real text: one byte scan decides.
pub fn sanitize_cow(input: &str) -> Cow<'_, str> {
    if needs_cleaning(input.as_bytes()) {
        Cow::Owned(clean(input))
    } else {
        Cow::Borrowed(input)
    }
}

/// True when `bytes` holds anything [`sanitize`] would change: a C0 control
/// other than `\n` (tabs and CR included), DEL, or the UTF-8 encoding of a
/// C1 control, a bidi control, a Unicode line/paragraph separator or a BOM.
///
/// Sixteen bytes are classified at once; only the bytes that could start
/// such a character (controls other than `\n`, DEL, non-ASCII) are looked
/// at one by one, so plain ASCII prose costs a fraction of a byte-by-byte
/// scan.
fn needs_cleaning(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i + swar::BLOCK <= bytes.len() {
        let c = swar::classify(bytes, i);
        let mut flagged = (c.control_or_high & !c.newline) | c.del;
        while flagged != 0 {
            if needs_cleaning_at(bytes, i + flagged.trailing_zeros() as usize) {
                return true;
            }
            flagged &= flagged - 1;
        }
        i += swar::BLOCK;
    }
    (i..bytes.len()).any(|at| needs_cleaning_at(bytes, at))
}

/// Whether the byte at `i` is, or starts, something [`sanitize`] changes.
#[inline]
fn needs_cleaning_at(bytes: &[u8], i: usize) -> bool {
    let next = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    match bytes[i] {
        b'\n' => false,
        0x00..=0x1F | 0x7F => true,
        0xC2 => matches!(next(1), 0x80..=0x9F),
        0xD8 => next(1) == 0x9C,
        0xE2 => match next(1) {
            0x80 => matches!(next(2), 0x8E | 0x8F | 0xA8..=0xAE),
            0x81 => matches!(next(2), 0xA6..=0xA9),
            _ => false,
        },
        0xEF => next(1) == 0xBB && next(2) == 0xBF,
        _ => false,
    }
}

fn clean(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut column = 0usize;
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
                column = 0;
            }
            '\n' | '\u{0B}' | '\u{0C}' | '\u{2028}' | '\u{2029}' | '\u{0085}' => {
                out.push('\n');
                column = 0;
            }
            '\t' => {
                let spaces = TAB_WIDTH - column % TAB_WIDTH;
                out.extend(std::iter::repeat_n(' ', spaces));
                column += spaces;
            }
            c if is_unsafe(c) => {}
            c => {
                out.push(c);
                column += c.width().unwrap_or(0);
            }
        }
    }
    out
}

/// [`sanitize_line`] with every run of whitespace folded to one space and
/// none at the ends: metadata read from markup or records.
pub fn sanitize_folded(input: &str) -> String {
    sanitize_line(input)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Like [`sanitize`], for a single line (titles, file names, status text):
/// every line break becomes a space.
pub fn sanitize_line(input: &str) -> String {
    let mut s = sanitize(input);
    if s.contains('\n') {
        s = s.replace('\n', " ");
    }
    s
}

/// Characters that must never reach the terminal or the reader's eye.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || c == '\u{FEFF}'
}

/// Bidirectional embedding, override, isolate and mark characters: they can
/// make a line display in an order other than the one it is stored in.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{200E}' | '\u{200F}'
    )
}

/// True when `s` holds nothing [`sanitize`] would remove (newlines allowed).
pub fn is_clean(s: &str) -> bool {
    s.chars().all(|c| c == '\n' || !(is_unsafe(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_path_agrees_with_the_full_pass() {
        let specials = [
            "\n",
            "\r",
            "\t",
            "\x1b",
            "\x07",
            "\x7f",
            "\u{80}",
            "\u{85}",
            "\u{9b}",
            "\u{9f}",
            "\u{a0}",
            "\u{61c}",
            "\u{200b}",
            "\u{200d}",
            "\u{200e}",
            "\u{200f}",
            "\u{2019}",
            "\u{201c}",
            "\u{2028}",
            "\u{2029}",
            "\u{202a}",
            "\u{202e}",
            "\u{202f}",
            "\u{2065}",
            "\u{2066}",
            "\u{2069}",
            "\u{206a}",
            "\u{feff}",
            "\u{fefe}",
            "é",
            "日",
            "👨\u{200d}👩",
            "a",
            " ",
        ];
        for a in specials {
            for b in specials {
                let s = format!("x{a}{b}y");
                assert_eq!(needs_cleaning(s.as_bytes()), clean(&s) != s, "{s:?}");
                assert_eq!(sanitize(&s), clean(&s), "{s:?}");
            }
        }
    }

    #[test]
    fn fast_path_sees_specials_at_every_offset_of_a_word() {
        let specials = [
            "\r", "\t", "\x1b", "\x7f", "\u{85}", "\u{9b}", "\u{61c}", "\u{200e}", "\u{2028}",
            "\u{202e}", "\u{2066}", "\u{feff}", "\n", "\u{a0}", "\u{2019}", "\u{fefe}", "é", "日",
        ];
        for special in specials {
            for before in 0..20 {
                for after in 0..12 {
                    let s = format!("{}{special}{}", "a".repeat(before), "b".repeat(after));
                    assert_eq!(needs_cleaning(s.as_bytes()), clean(&s) != s, "{s:?}");
                }
            }
        }
    }

    #[test]
    fn removes_escape_sequences_but_keeps_their_printable_tail() {
        let s = sanitize("a\x1b]52;c;aGk=\x07b\x1b[2Jc");
        assert!(!s.contains('\x1b') && !s.contains('\x07'));
        assert_eq!(s, "a]52;c;aGk=b[2Jc");
    }

    #[test]
    fn normalises_newlines_and_expands_tabs() {
        assert_eq!(sanitize("a\r\nb\rc\n"), "a\nb\nc\n");
        assert_eq!(sanitize("ab\tc\td"), "ab  c   d");
        assert_eq!(sanitize("page\u{0C}two\u{0B}x"), "page\ntwo\nx");
    }

    #[test]
    fn tab_stops_count_display_columns() {
        // A wide character takes two columns, so the tab fills one.
        assert_eq!(sanitize("日\tx"), "日  x");
        assert_eq!(sanitize("e\u{301}\tx"), "e\u{301}   x");
    }

    #[test]
    fn removes_c1_bidi_and_bom_keeps_emoji_joiners() {
        let s = sanitize("\u{FEFF}x\u{9b}31m\u{202E}evil\u{2066}👨\u{200D}👩\u{FE0F}");
        assert_eq!(s, "x31mevil👨\u{200D}👩\u{FE0F}");
    }

    #[test]
    fn sanitize_line_has_no_newlines() {
        assert_eq!(sanitize_line("a\r\nb"), "a b");
    }
}
