//! Bytes to text, never failing.

use std::borrow::Cow;

/// Decode a file's bytes: UTF-8 (a byte-order mark is dropped); a file that is
/// not valid UTF-8 and has no multi-byte UTF-8 sequence at all is taken as
/// Windows-1252 (a superset of Latin-1 for printable text), so old Western
/// European files stay readable; anything else is decoded lossily with U+FFFD
/// for the bad bytes. Control characters are left for `sanitize`.
///
/// Valid UTF-8 (nearly every file) is borrowed, not copied.
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) if !has_utf8_multibyte(bytes) => {
            Cow::Owned(bytes.iter().map(|&b| cp1252(b)).collect())
        }
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// True when some well-formed multi-byte UTF-8 sequence occurs in `bytes`.
fn has_utf8_multibyte(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => return !s.is_ascii(),
            Err(e) => {
                let good = &rest[..e.valid_up_to()];
                if !good.is_ascii() {
                    return true;
                }
                let skip = e.error_len().unwrap_or(rest.len() - e.valid_up_to());
                rest = &rest[e.valid_up_to() + skip..];
            }
        }
    }
}

/// Windows-1252 to Unicode; the five undefined bytes map to U+FFFD.
fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{FFFD}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{FFFD}', 'Ž',
        '\u{FFFD}', '\u{FFFD}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ',
        '\u{FFFD}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_bom() {
        assert_eq!(decode(b"\xEF\xBB\xBFhi"), "hi");
    }

    #[test]
    fn latin1_is_readable() {
        assert_eq!(decode(b"caf\xe9 \x93quoted\x94"), "café “quoted”");
    }

    #[test]
    fn mixed_invalid_utf8_is_lossy() {
        assert_eq!(
            decode(
                "café \u{2014} "
                    .as_bytes()
                    .iter()
                    .copied()
                    .chain([0xff])
                    .collect::<Vec<_>>()
                    .as_slice()
            ),
            "café \u{2014} \u{FFFD}"
        );
    }
}
