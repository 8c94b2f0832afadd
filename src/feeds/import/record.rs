//! One JSON article object as a feed [`Item`], so an imported record is
//! written exactly as a fetched item is.
//!
//! The field names are the library's own (`article::json::fields`): a
//! record the reader would open as a `.json` file imports with the same
//! title, body, link, author and date. A plain-text body becomes HTML
//! paragraphs here (escaped), so the writer's one HTML-to-Markdown path
//! handles both and Markdown characters in the text stay literal.

use serde_json::{Map, Value};

use crate::article::html::{fragment_blocks, title_from_body};
use crate::article::json::{Fields, fields, plain_paragraphs};
use crate::feeds::parse::Item;

/// Why a record is not imported.
pub const NO_TEXT: &str = "no title or text";

/// The item in `object`, and the source it names (`source`, `site`).
pub fn item(object: &Map<String, Value>) -> Result<(Item, Option<String>), &'static str> {
    let f = fields(object);
    let html = body_html(&f);
    let mut title = f.title.clone();
    if title.is_empty() {
        title = html.as_deref().map(title_of).unwrap_or_default();
    }
    if title.is_empty() && html.is_none() {
        return Err(NO_TEXT);
    }
    let summary = f
        .summary
        .as_deref()
        .map(|s| format!("<p>{}</p>", escape(s)));
    let item = Item {
        guid: f.id,
        url: f.url,
        title,
        author: f.author,
        published: f.published,
        content_html: html,
        summary,
    };
    Ok((item, f.source))
}

/// The body as HTML: markup as it is, plain text as escaped paragraphs;
/// `None` when it holds no text.
fn body_html(f: &Fields) -> Option<String> {
    if f.body_is_html {
        return Some(f.body.join("\n"));
    }
    let paragraphs: String = f
        .body
        .iter()
        .flat_map(|s| plain_paragraphs(s))
        .map(|p| format!("<p>{}</p>\n", escape(&p)))
        .collect();
    (!paragraphs.is_empty()).then_some(paragraphs)
}

/// A title for a record that names none: its first paragraph, cut short.
fn title_of(html: &str) -> String {
    title_from_body(&fragment_blocks(html, None).paragraphs)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(json: &str) -> Map<String, Value> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn news_api_field_names_become_an_item() {
        let (item, source) = item(&object(
            r#"{"headline": "Harbour fees rise", "publishedAt": "2015-11-24T10:30:00Z",
                "link": "https://example.org/a", "byline": "By Ann Lee",
                "article": ["First *paragraph*.", "Second & last."], "site": "Example Times",
                "id": 42}"#,
        ))
        .unwrap();
        assert_eq!(item.title, "Harbour fees rise");
        assert_eq!(item.guid.as_deref(), Some("42"));
        assert_eq!(item.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(item.published, Some(1_448_361_000));
        assert_eq!(source.as_deref(), Some("Example Times"));
        assert_eq!(
            item.content_html.as_deref(),
            Some("<p>First *paragraph*.</p>\n<p>Second &amp; last.</p>\n")
        );
    }

    #[test]
    fn a_record_without_a_title_takes_its_first_paragraph() {
        let (item, _) = item(&object(r#"{"body": "<p>Only a body here.</p>"}"#)).unwrap();
        assert_eq!(item.title, "Only a body here.");
    }

    #[test]
    fn a_record_with_neither_title_nor_text_is_refused() {
        assert_eq!(
            item(&object(r#"{"url": "https://example.org/x"}"#)),
            Err(NO_TEXT)
        );
        assert_eq!(
            item(&object(r#"{"title": "  ", "body": ""}"#)),
            Err(NO_TEXT)
        );
    }

    #[test]
    fn unsafe_links_are_dropped() {
        let (item, _) = item(&object(r#"{"title": "T", "url": "javascript:alert(1)"}"#)).unwrap();
        assert_eq!(item.url, None);
    }
}
