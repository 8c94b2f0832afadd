//! Which link targets may leave the app, and in what form.
//!
//! A URL from an article or a feed is untrusted text. Before it is opened,
//! copied or written inside a terminal escape sequence (OSC 8), it must
//! pass [`safe_url`]: only `http`, `https` and `mailto`, and every byte
//! outside a conservative set of printable ASCII is percent-encoded, so no
//! control character (ESC, BEL, the C1 ST) or space can end the sequence
//! or start another one.

/// Schemes that may be opened or become hyperlinks.
const SCHEMES: [&str; 3] = ["http://", "https://", "mailto:"];

/// Longest URL let out; longer ones are refused rather than cut.
pub const MAX_URL: usize = 4096;

/// The URL in a form safe to open, copy or put in an escape sequence, or
/// `None` when it must not leave the app (another scheme, such as
/// `javascript:`, `data:` or `file:`; no host; too long).
pub fn safe_url(url: &str) -> Option<String> {
    let url = url.trim();
    let scheme = SCHEMES.iter().find(|s| {
        url.len() >= s.len() && url.as_bytes()[..s.len()].eq_ignore_ascii_case(s.as_bytes())
    })?;
    let rest = &url[scheme.len()..];
    if rest.is_empty() || (*scheme != "mailto:" && super::format::host(url).is_none()) {
        return None;
    }
    // Runs of kept bytes are copied whole; every other byte is encoded.
    let mut out = Vec::with_capacity(url.len());
    out.extend_from_slice(scheme.as_bytes());
    let mut rest = rest.as_bytes();
    while let Some(at) = rest.iter().position(|&b| !is_kept(b)) {
        out.extend_from_slice(&rest[..at]);
        let b = rest[at];
        out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
        rest = &rest[at + 1..];
    }
    out.extend_from_slice(rest);
    // Nothing but printable ASCII is left: always valid UTF-8.
    let out = String::from_utf8(out).ok()?;
    (out.len() <= MAX_URL).then_some(out)
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Which bytes a URL keeps as they are (the rest are percent-encoded).
const KEPT: [bool; 256] = {
    let mut kept = [false; 256];
    let mut b = 0;
    while b < 256 {
        kept[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    let marks = b"-._~:/?#[]@!$&'()*+,;=%";
    let mut i = 0;
    while i < marks.len() {
        kept[marks[i] as usize] = true;
        i += 1;
    }
    kept
};

/// Bytes kept as they are: unreserved and reserved characters of RFC 3986,
/// and `%` (a URL that is already encoded stays as it was).
fn is_kept(b: u8) -> bool {
    KEPT[usize::from(b)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_and_mail_links_pass() {
        assert_eq!(
            safe_url(" https://example.org/a?b=1#c "),
            Some("https://example.org/a?b=1#c".into())
        );
        assert_eq!(
            safe_url("HTTP://example.org"),
            Some("http://example.org".into())
        );
        assert_eq!(
            safe_url("mailto:desk@example.org"),
            Some("mailto:desk@example.org".into())
        );
        for bad in [
            "javascript:alert(1)",
            "data:text/html,hi",
            "file:///etc/passwd",
            "ftp://example.org",
            "//example.org",
            "https://",
            "mailto:",
            "example.org",
        ] {
            assert_eq!(safe_url(bad), None, "{bad}");
        }
        assert_eq!(
            safe_url(&format!("https://example.org/{}", "a".repeat(5000))),
            None
        );
    }

    #[test]
    fn nothing_in_a_url_can_end_or_start_an_escape_sequence() {
        let hostile =
            "https://example.org/a\x1b]8;;https://evil.example\x07b\u{9c}c d\"<>\\^`{|}\u{202e}";
        let safe = safe_url(hostile).unwrap();
        assert!(safe.bytes().all(|b| b.is_ascii_graphic()), "{safe}");
        assert!(!safe.contains('\x1b') && !safe.contains('\x07') && !safe.contains(' '));
        assert!(
            safe.starts_with("https://example.org/a%1B]8;;https://evil.example%07b%C2%9Cc%20d")
        );
        assert_eq!(
            safe_url("https://example.org/%20"),
            Some("https://example.org/%20".into())
        );
    }
}
