//! A cap on how deeply a page's elements nest, applied before parsing.
//!
//! The HTML tree builder checks element scope by walking the stack of open
//! elements, so each start tag costs time in proportion to the depth: a
//! page of 100,000 nested `<div>`s takes minutes to parse, and the
//! readability pass recurses over the tree. Browsers cap the depth (Blink
//! at 512); so does this, by leaving out the start and end tags of
//! elements deeper than [`MAX_DEPTH`] (their text stays, in the element at
//! the cap). Real pages nest a few dozen levels, and for them the page is
//! returned untouched.
//!
//! The scan is a rough tokenizer, linear in the page: comments, quoted
//! attribute values and the raw text of scripts and styles are stepped
//! over; void elements and elements whose end tag may be left out (`p`,
//! `li`, `td`...) do not count as nesting.

use std::borrow::Cow;

/// Deepest nesting of counted elements kept.
pub const MAX_DEPTH: usize = 256;

/// Elements that never have children.
const VOID: [&str; 15] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// Elements whose end tag may be omitted: a run of them is siblings, not
/// nesting, so counting them would make ordinary pages look deep.
const IMPLIED_END: [&str; 17] = [
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "rb",
    "rt", "rp", "html", "body",
];

/// Elements whose content is text up to their end tag.
const RAW_TEXT: [&str; 8] = [
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// The page with elements deeper than [`MAX_DEPTH`] unwrapped; borrowed
/// (no copy) when no element is that deep.
pub fn capped(html: &str) -> Cow<'_, str> {
    let mut scan = Scan::default();
    if !scan.run(html, None) {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    Scan::default().run(html, Some(&mut out));
    Cow::Owned(out)
}

#[derive(Default)]
struct Scan {
    depth: usize,
    /// Inside `<svg>` or `<math>`, where `<x/>` closes itself.
    foreign: usize,
}

impl Scan {
    /// Walk the page; with `out`, write it without the tags past the cap.
    /// Returns whether any tag was past the cap.
    fn run(&mut self, html: &str, mut out: Option<&mut String>) -> bool {
        let bytes = html.as_bytes();
        let mut deep = false;
        let mut copied = 0;
        let mut i = 0;
        while let Some(at) = memchr::memchr(b'<', &bytes[i..]) {
            let start = i + at;
            let (end, drop) = self.tag(html, start);
            if drop {
                deep = true;
                if let Some(out) = out.as_deref_mut() {
                    out.push_str(&html[copied..start]);
                    copied = end;
                } else {
                    return true;
                }
            }
            i = end.max(start + 1);
        }
        if let Some(out) = out {
            out.push_str(&html[copied..]);
        }
        deep
    }

    /// The markup starting at `start` (a `<`): where it ends, and whether
    /// it is a tag past the cap.
    fn tag(&mut self, html: &str, start: usize) -> (usize, bool) {
        let bytes = html.as_bytes();
        let rest = &bytes[start + 1..];
        match rest.first() {
            Some(b'!') if rest.starts_with(b"!--") => {
                let end = memchr::memmem::find(&rest[3..], b"-->")
                    .map_or(bytes.len(), |e| start + 4 + e + 3);
                (end, false)
            }
            Some(b'!' | b'?') => (after_gt(bytes, start), false),
            Some(b'/') => self.end_tag(html, start),
            Some(c) if c.is_ascii_alphabetic() => self.start_tag(html, start),
            _ => (start + 1, false),
        }
    }

    fn start_tag(&mut self, html: &str, start: usize) -> (usize, bool) {
        let bytes = html.as_bytes();
        let name = tag_name(&bytes[start + 1..]);
        let end = tag_end(bytes, start);
        let self_closed = end >= 2 && bytes[end - 2] == b'/';
        if RAW_TEXT.contains(&name.as_str()) {
            return (raw_text_end(bytes, end, &name), false);
        }
        if name == "svg" || name == "math" {
            self.foreign += 1;
        }
        if VOID.contains(&name.as_str())
            || IMPLIED_END.contains(&name.as_str())
            || (self_closed && self.foreign > 0)
        {
            return (end, false);
        }
        self.depth += 1;
        (end, self.depth > MAX_DEPTH)
    }

    fn end_tag(&mut self, html: &str, start: usize) -> (usize, bool) {
        let bytes = html.as_bytes();
        let name = tag_name(&bytes[start + 2..]);
        let end = after_gt(bytes, start);
        if name == "svg" || name == "math" {
            self.foreign = self.foreign.saturating_sub(1);
        }
        if name.is_empty() || VOID.contains(&name.as_str()) || IMPLIED_END.contains(&name.as_str())
        {
            return (end, false);
        }
        let deep = self.depth > MAX_DEPTH;
        self.depth = self.depth.saturating_sub(1);
        (end, deep)
    }
}

/// The lowercased tag name at the start of `b`.
fn tag_name(b: &[u8]) -> String {
    let len = b
        .iter()
        .take(32)
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
        .count();
    String::from_utf8_lossy(&b[..len]).to_ascii_lowercase()
}

/// Just past the next `>` (or the end of the page).
fn after_gt(bytes: &[u8], from: usize) -> usize {
    memchr::memchr(b'>', &bytes[from..]).map_or(bytes.len(), |e| from + e + 1)
}

/// Just past a start tag's `>`, stepping over quoted attribute values.
fn tag_end(bytes: &[u8], start: usize) -> usize {
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate().skip(start + 1) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    bytes.len()
}

/// Just past `</name>` after a raw-text element's start tag (or the end).
fn raw_text_end(bytes: &[u8], from: usize, name: &str) -> usize {
    let mut i = from;
    while let Some(at) = memchr::memmem::find(&bytes[i..], b"</") {
        let close = i + at;
        if tag_name(&bytes[close + 2..]) == name {
            return after_gt(bytes, close);
        }
        i = close + 2;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_are_untouched() {
        let page = "<html><body><div><p>a<p>b<ul><li>x<li>y</ul><img src=x><br>\
                    <script>if (a<b) { x = '<div>'; }</script><!-- <div> -->\
                    <svg><path d='M0'/><path/></svg><a title='>'>c</a></div></body></html>";
        assert!(matches!(capped(page), Cow::Borrowed(_)));
    }

    #[test]
    fn elements_past_the_cap_are_unwrapped_keeping_their_text() {
        let n = MAX_DEPTH + 10;
        let page = format!(
            "{}deep{}<p>after</p>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        );
        let out = capped(&page);
        let want = format!(
            "{}deep{}<p>after</p>",
            "<div>".repeat(MAX_DEPTH),
            "</div>".repeat(MAX_DEPTH)
        );
        assert_eq!(out, want);
    }

    #[test]
    fn siblings_and_implied_end_tags_are_not_depth() {
        let page = format!("{}{}", "<p>x".repeat(10_000), "<li>y".repeat(10_000));
        assert!(matches!(capped(&page), Cow::Borrowed(_)));
        let page = "<div></div>".repeat(10_000);
        assert!(matches!(capped(&page), Cow::Borrowed(_)));
    }

    #[test]
    fn self_closing_divs_still_nest_as_html_says() {
        let page = "<div/>".repeat(MAX_DEPTH + 1);
        assert_eq!(capped(&page), "<div/>".repeat(MAX_DEPTH));
    }
}
