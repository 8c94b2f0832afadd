//! A saved page's bytes to text: the charset it declares, or the fallback
//! every other format uses.
//!
//! Browsers decide a page's encoding from a byte-order mark, then from a
//! `<meta charset>` or `<meta http-equiv="Content-Type">` within the first
//! kilobytes (the WHATWG "prescan"). Saved pages carry no HTTP header, so
//! those two are all there is; without either, [`super::super::decode`]
//! (UTF-8, else Windows-1252) decides, as for plain text.

use encoding_rs::{Encoding, UTF_8};
use std::borrow::Cow;

/// How far into the file a declaration is looked for (the prescan reads
/// 1024 bytes; pages saved by tools often put theirs a little later).
const PRESCAN: usize = 4096;

/// Decode a page's bytes by its byte-order mark, else its declared
/// charset, else as UTF-8 with the Windows-1252 fallback.
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom..]).0;
    }
    match declared(&bytes[..bytes.len().min(PRESCAN)]) {
        Some(encoding) if encoding != UTF_8 => encoding.decode_without_bom_handling(bytes).0,
        _ => super::super::decode(bytes),
    }
}

/// The encoding named by a `charset=` inside a `<meta ...>` tag in `head`.
/// A page cannot declare itself UTF-16 in its own ASCII bytes, so such a
/// label means UTF-8, as the standard says.
fn declared(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&lower[from..], b"<meta") {
        let start = from + at + 5;
        let end = memchr::memchr(b'>', &lower[start..]).map_or(lower.len(), |e| start + e);
        if let Some(encoding) = charset_in(&lower[start..end]) {
            return Some(match encoding.name() {
                "UTF-16LE" | "UTF-16BE" => UTF_8,
                _ => encoding,
            });
        }
        from = end;
    }
    None
}

/// The encoding after `charset` `=` in a tag's attributes (as in
/// `charset="utf-8"` and `content="text/html; charset=iso-8859-15"`).
fn charset_in(tag: &[u8]) -> Option<&'static Encoding> {
    let at = memchr::memmem::find(tag, b"charset")?;
    let rest = trim_start(&tag[at + 7..]);
    let rest = trim_start(rest.strip_prefix(b"=")?);
    let rest = rest
        .strip_prefix(b"\"")
        .or(rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let len = rest
        .iter()
        .position(|b| matches!(b, b'"' | b'\'' | b';' | b'/' | b' ' | b'\t' | b'\n' | b'\r'))
        .unwrap_or(rest.len());
    Encoding::for_label(&rest[..len])
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meta_charset_is_honoured() {
        let page = b"<html><head><meta charset=\"windows-1252\"><title>Caf\xe9 \x93x\x94</title>";
        assert!(decode(page).contains("Café “x”"));
        let page = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-15\"><p>\xa4 5</p>";
        assert!(decode(page).contains("€ 5"), "{}", decode(page));
    }

    #[test]
    fn a_bom_wins_over_the_declaration() {
        let page = b"\xEF\xBB\xBF<meta charset=iso-8859-1><p>caf\xc3\xa9</p>";
        assert_eq!(decode(page), "<meta charset=iso-8859-1><p>café</p>");
    }

    #[test]
    fn no_declaration_falls_back_like_plain_text() {
        assert_eq!(decode(b"<p>caf\xe9</p>"), "<p>café</p>");
        assert_eq!(decode("<p>café</p>".as_bytes()), "<p>café</p>");
        // An unknown label and a UTF-16 label change nothing.
        assert_eq!(
            decode(b"<meta charset=bogus><p>caf\xe9"),
            "<meta charset=bogus><p>café"
        );
        assert_eq!(
            decode("<meta charset=utf-16><p>café".as_bytes()),
            "<meta charset=utf-16><p>café"
        );
    }

    #[test]
    fn a_declaration_past_the_prescan_is_not_read() {
        let mut page = vec![b' '; PRESCAN];
        page.extend_from_slice(b"<meta charset=koi8-r><p>caf\xe9");
        assert!(decode(&page).ends_with("café"));
    }
}
