//! A fetched feed's bytes as plain, sanitised items.
//!
//! feed-rs reads RSS 0.9x/1.0/2.0, Atom and JSON Feed, and decodes the
//! charset an XML prolog declares (ISO-8859-1, windows-1252...), so the raw
//! bytes are handed to it as they came. Before it sees them, a document
//! type declaration is refused: feeds have no use for one, and it is how
//! entity-expansion bombs ("billion laughs") and external entities get in.
//! Every string that comes out is sanitised; links are resolved against
//! the feed's URL and must pass [`safe_url`].

use crate::article::links::safe_url;
use crate::article::sanitize::{sanitize, sanitize_line};

/// One entry of a feed, in the terms the writer needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Item {
    /// The feed's own id for the item (`guid`, Atom `id`, JSON `id`).
    pub guid: Option<String>,
    /// The item's page.
    pub url: Option<String>,
    pub title: String,
    pub author: Option<String>,
    /// Seconds since the epoch: published, else updated.
    pub published: Option<i64>,
    /// The full content as HTML, when the feed carries it.
    pub content_html: Option<String>,
    /// The summary or description, as HTML.
    pub summary: Option<String>,
}

/// A parsed feed.
#[derive(Debug, Clone, Default)]
pub struct Feed {
    pub title: Option<String>,
    pub link: Option<String>,
    pub items: Vec<Item>,
}

#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("feed declares a document type (refused: entity declarations are not read)")]
    Doctype,
    #[error("not a feed: {0}")]
    Invalid(String),
}

/// Parse `bytes` fetched from `base` (the feed's URL, for relative links;
/// empty for a file, whose relative links then lead nowhere and go).
pub fn parse(bytes: &[u8], base: &str) -> Result<Feed, ParseError> {
    if declares_doctype(bytes) {
        return Err(ParseError::Doctype);
    }
    let parser = feed_rs::parser::Builder::new()
        .base_uri((!base.is_empty()).then_some(base))
        .id_generator(|_, _, _| String::new())
        .build();
    let feed = parser
        .parse(bytes)
        .map_err(|e| ParseError::Invalid(sanitize_line(&e.to_string())))?;
    Ok(Feed {
        title: feed.title.map(|t| sanitize_line(&t.content)),
        link: first_link(&feed.links, base),
        items: feed.entries.into_iter().map(|e| item(e, base)).collect(),
    })
}

/// Whether the document's prolog (what comes before the first element)
/// holds `<!DOCTYPE` or `<!ENTITY`. Linear, and it looks at nothing past
/// the root element's start; NUL bytes are skipped so a UTF-16 document
/// is seen too.
fn declares_doctype(bytes: &[u8]) -> bool {
    let text: Vec<u8> = bytes
        .iter()
        .copied()
        .filter(|&b| b != 0)
        .take_while_root()
        .map(|b| b.to_ascii_uppercase())
        .collect();
    memchr::memmem::find(&text, b"<!DOCTYPE").is_some()
        || memchr::memmem::find(&text, b"<!ENTITY").is_some()
}

/// Stops an iterator of bytes at the first element start (`<` followed by
/// a letter), which ends the prolog.
trait TakeWhileRoot: Iterator<Item = u8> + Sized {
    fn take_while_root(self) -> impl Iterator<Item = u8> {
        let mut previous_lt = false;
        self.take_while(move |&b| {
            let root = previous_lt && b.is_ascii_alphabetic();
            previous_lt = b == b'<';
            !root
        })
    }
}

impl<I: Iterator<Item = u8>> TakeWhileRoot for I {}

fn item(entry: feed_rs::model::Entry, base: &str) -> Item {
    let base = entry.base.as_deref().unwrap_or(base);
    let content_html = entry.content.as_ref().and_then(|c| {
        let body = c.body.as_deref()?;
        Some(as_html(body, c.content_type.essence().to_string().as_str()))
    });
    let summary = entry
        .summary
        .as_ref()
        .map(|t| as_html(&t.content, t.content_type.essence().to_string().as_str()));
    Item {
        guid: Some(sanitize_line(&entry.id)).filter(|id| !id.trim().is_empty()),
        url: first_link(&entry.links, base),
        title: entry
            .title
            .map(|t| sanitize_line(&t.content))
            .unwrap_or_default(),
        author: entry
            .authors
            .first()
            .and_then(|p| p.name.as_deref())
            .map(sanitize_line)
            .filter(|n| !n.trim().is_empty()),
        published: entry.published.or(entry.updated).map(|t| t.timestamp()),
        content_html: content_html.filter(|h| !h.trim().is_empty()),
        summary: summary.filter(|h| !h.trim().is_empty()),
    }
}

/// Content as HTML: plain text is escaped and kept in paragraphs.
fn as_html(body: &str, mime: &str) -> String {
    let body = sanitize(body);
    if mime.contains("html") || mime.contains("xml") {
        return body;
    }
    body.split("\n\n")
        .map(|p| format!("<p>{}</p>", escape(p)))
        .collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The first link that is the item's page (no `rel`, or `alternate`),
/// made absolute and safe.
fn first_link(links: &[feed_rs::model::Link], base: &str) -> Option<String> {
    links
        .iter()
        .filter(|l| matches!(l.rel.as_deref(), None | Some("alternate")))
        .chain(links.iter())
        .find_map(|l| resolve(&l.href, base))
}

/// `href` made absolute against `base`, when it is a safe web link.
pub fn resolve(href: &str, base: &str) -> Option<String> {
    let href = href.trim();
    let joined = match url::Url::parse(base) {
        Ok(b) => b.join(href).ok()?.to_string(),
        Err(_) => href.to_string(),
    };
    safe_url(&joined).filter(|u| !u.starts_with("mailto:"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doctype_in_the_prolog_is_refused_but_text_after_the_root_is_not() {
        assert!(declares_doctype(
            b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><rss/>"
        ));
        assert!(declares_doctype(b"<!doctype rss><rss/>"));
        assert!(!declares_doctype(
            b"<?xml version='1.0'?><!-- c --><rss><d>&lt;!DOCTYPE</d><![CDATA[<!DOCTYPE]]></rss>"
        ));
    }

    #[test]
    fn guidless_items_have_no_guid_and_keep_their_link() {
        let xml = br#"<rss version="2.0"><channel><title>T</title>
            <item><title>A</title><link>/a</link></item></channel></rss>"#;
        let feed = parse(xml, "https://example.org/feed.xml").unwrap();
        assert_eq!(feed.items[0].guid, None);
        assert_eq!(feed.items[0].url.as_deref(), Some("https://example.org/a"));
    }
}
