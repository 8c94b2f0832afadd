//! A feed item's HTML as the Markdown body of its file.
//!
//! Before htmd converts it, the HTML is cleaned on a DOM: scripts, styles,
//! iframes, forms and embedded objects go (they are not reading matter and
//! htmd would keep some of their text), tracking pixels go (images of at
//! most one pixel either way), and link and image targets are made
//! absolute against the item's URL and must pass `safe_url`, so a
//! `javascript:` link becomes plain text. Nesting is capped first: the
//! parser and the converter both walk the tree, and a hostile item could
//! nest thousands of elements deep.

use dom_query::Document;

use super::parse::resolve;
use crate::article::html::depth;

/// Elements dropped with everything inside them.
const DROPPED: &str = "script, style, iframe, frame, frameset, form, noscript, object, embed, \
     applet, link, meta, template, svg, math, button, input, select, textarea";

/// Markdown for `html`, with links resolved against `base`.
pub fn to_markdown(html: &str, base: &str) -> String {
    let html = depth::capped(html);
    let doc = Document::from(html.as_ref());
    remove_all(&doc, DROPPED);
    drop_tracking_pixels(&doc);
    rewrite_targets(&doc, "a", "href", base);
    rewrite_targets(&doc, "img", "src", base);
    let cleaned = doc.select("body").inner_html();
    let markdown = htmd::HtmlToMarkdown::builder()
        .scripting_enabled(false)
        .build()
        .convert(&cleaned)
        .unwrap_or_default();
    crate::article::sanitize::sanitize(markdown.trim())
}

fn remove_all(doc: &Document, selector: &str) {
    for node in doc.select(selector).nodes() {
        node.remove_from_parent();
    }
}

/// Images of at most one pixel in width or height are beacons.
fn drop_tracking_pixels(doc: &Document) {
    for img in doc.select("img").nodes() {
        let tiny = |name: &str| {
            img.attr(name)
                .and_then(|v| v.trim().trim_end_matches("px").parse::<f32>().ok())
                .is_some_and(|n| n <= 1.0)
        };
        if tiny("width") || tiny("height") {
            img.remove_from_parent();
        }
    }
}

/// Make `attr` of every `tag` absolute and safe, or remove it (a link
/// without a target is plain text to htmd; an image without one is gone).
fn rewrite_targets(doc: &Document, tag: &str, attr: &str, base: &str) {
    for node in doc.select(tag).nodes() {
        let target = node.attr(attr).and_then(|v| resolve(&v, base));
        match target {
            Some(url) => node.set_attr(attr, &url),
            None if tag == "img" => node.remove_from_parent(),
            None => node.remove_attr(attr),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_styles_iframes_and_pixels_are_dropped_and_links_resolved() {
        let md = to_markdown(
            r#"<p>Read <a href="../more">more</a> <a href="javascript:alert(1)">here</a>.</p>
            <script>alert("x")</script><style>p{color:red}</style>
            <iframe src="https://tracker.example.org/"></iframe>
            <img src="/p.gif" width="1" height="1"><img src="img/cat.png" alt="cat">
            <form><input name="q"></form>"#,
            "https://example.org/news/2024/item",
        );
        assert!(md.contains("[more](https://example.org/news/more)"), "{md}");
        assert!(
            md.contains("![cat](https://example.org/news/2024/img/cat.png)"),
            "{md}"
        );
        assert!(md.contains("here"), "{md}");
        for gone in [
            "alert",
            "color",
            "iframe",
            "tracker",
            "p.gif",
            "javascript",
            "<",
        ] {
            assert!(!md.contains(gone), "{gone} in {md}");
        }
    }

    #[test]
    fn deep_nesting_is_converted_without_exhausting_the_stack() {
        let html = format!(
            "{}deep{}",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        assert_eq!(to_markdown(&html, "https://example.org/"), "deep");
    }
}
