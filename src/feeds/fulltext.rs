//! Full text: an item's page fetched and its article kept, for feeds that
//! carry only a summary.
//!
//! The page comes through the feeds' own [`Client`] (the same size cap,
//! timeouts and hand-followed redirects, `http` and `https` only); it is
//! decoded as a browser would (a byte-order mark, else the charset of the
//! `Content-Type` header, else the page's own `<meta>` declaration, else
//! the fallback every format uses), its main content is found by the same
//! Readability port that reads saved pages ([`crate::article::html`]), and
//! that content becomes Markdown like an item's own HTML
//! ([`super::markdown::to_markdown`]), links resolved against the page.
//!
//! Every failure is one line of reason: the caller keeps the summary.
//!
//! An item file holding full text says so in its front matter
//! (`full_text: true`), beside `summary_hash`, a hash of the file the
//! feed's own text made (the fetch time aside). A refetch compares the
//! feed's text with that hash rather than with the file, so the article is
//! not replaced by the summary on every fetch: while the feed's text is
//! unchanged the file is left alone; when it changes (the story was
//! updated) the page is fetched again if full text is wanted, and
//! otherwise, or when that fails, the article already kept stays under the
//! feed's new front matter. Full text is never traded for a summary.

use dom_query::Document;
use dom_smoothie::{Config, Readability};
use encoding_rs::Encoding;

use super::http::{Client, HttpError, Page};
use super::parse::Item;
use crate::article::html::{MIN_ARTICLE_CHARS, charset, depth};
use crate::article::links::safe_url;

/// Why an item's page gave no article.
#[derive(Debug, thiserror::Error)]
pub enum FullTextError {
    #[error("the story has no web address")]
    NoAddress,
    #[error("page: {0}")]
    Http(#[from] HttpError),
    #[error("page is not HTML ({0})")]
    NotHtml(String),
    #[error("no article found on the page")]
    NoArticle,
    #[error("the article on the page is too short")]
    TooShort,
}

/// Fetching items' pages during one feed's fetch, one after another (so
/// a feed asks its sites for one page at a time), counting the failures.
pub struct Pages<'a> {
    client: &'a Client,
    now: i64,
    /// Items whose page gave no article: their summary was kept.
    pub failed: usize,
}

impl<'a> Pages<'a> {
    pub fn new(client: &'a Client, now: i64) -> Self {
        Self {
            client,
            now,
            failed: 0,
        }
    }

    /// The article of `item`'s page, or `None` (counted) when there is
    /// none to be had.
    pub fn article(&mut self, item: &Item) -> Option<String> {
        let found = match item.url.as_deref() {
            Some(url) => fetch(self.client, url, self.now),
            None => Err(FullTextError::NoAddress),
        };
        if found.is_err() {
            self.failed += 1;
        }
        found.ok()
    }
}

/// What a refetch does to an item's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refresh {
    /// The feed's text is what the file's article replaced: leave it.
    Unchanged,
    /// The feed's text changed: this is the file's new text, still with
    /// full text.
    Rewrite(String),
}

/// What a refetch does to the file that holds `old`, when it holds full
/// text (`None` when it does not: the caller compares it with the feed's
/// text as usual). `summary` is the file the feed's text makes now
/// ([`super::write::render`]); `pages`, when full text is wanted, fetches
/// the page again.
pub fn refreshed(
    old: &str,
    summary: &str,
    item: &Item,
    pages: Option<&mut Pages>,
) -> Option<Refresh> {
    let kept = marked(old)?;
    let hash = summary_hash(summary);
    if kept == hash {
        return Some(Refresh::Unchanged);
    }
    let article = pages
        .and_then(|p| p.article(item))
        .unwrap_or_else(|| body_of(old).trim().to_string());
    with_article(summary, &article, &hash).map(Refresh::Rewrite)
}

/// The `summary_hash` of a file holding full text, or `None` for any
/// other text. The lines are the ones [`with_article`] writes.
pub fn marked(text: &str) -> Option<String> {
    let front = front_of(text)?;
    let mut full = false;
    let mut hash = String::new();
    for line in front.lines() {
        if line == FULL_TEXT_LINE {
            full = true;
        } else if let Some(value) = line.strip_prefix(HASH_KEY) {
            hash = value.trim().trim_matches('"').to_string();
        }
    }
    full.then_some(hash)
}

/// A hash of an item file's text without its fetch time and full-text
/// lines: what the feed's text was when the article replaced it.
pub fn summary_hash(text: &str) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3Default::new();
    for line in text
        .lines()
        .filter(|l| !is_ours(l) && !l.starts_with("fetched:"))
    {
        hasher.update(line.as_bytes());
        hasher.update(b"\n");
    }
    format!("{:016x}", hasher.digest())
}

/// An item file's text (`file`, front matter first) with `article` for
/// its body and the full-text lines in its front matter; `None` when
/// `file` has no front matter of ours.
pub fn with_article(file: &str, article: &str, hash: &str) -> Option<String> {
    let front: String = front_of(file)?
        .lines()
        .filter(|l| !is_ours(l))
        .map(|l| format!("{l}\n"))
        .collect();
    Some(format!(
        "---\n{front}{FULL_TEXT_LINE}\n{HASH_KEY} \"{hash}\"\n---\n\n{}\n",
        article.trim()
    ))
}

/// The line that says a file holds its page's article.
const FULL_TEXT_LINE: &str = "full_text: true";
/// The key of the hash of the feed's text the article replaced.
const HASH_KEY: &str = "summary_hash:";

fn is_ours(line: &str) -> bool {
    line == FULL_TEXT_LINE || line.starts_with(HASH_KEY)
}

/// The YAML between the opening `---` line and the closing one.
fn front_of(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    Some(&rest[..=end])
}

/// What follows the front matter.
fn body_of(text: &str) -> &str {
    text.strip_prefix("---\n")
        .and_then(|rest| rest.find("\n---\n").map(|end| &rest[end + 5..]))
        .unwrap_or(text)
}

/// The article of the page at `url`, as Markdown; `now` (seconds since
/// the epoch) is for `Retry-After`.
pub fn fetch(client: &Client, url: &str, now: i64) -> Result<String, FullTextError> {
    let url = safe_url(url)
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .ok_or(FullTextError::NoAddress)?;
    let page = client.get_page(&url, now)?;
    extract(&page)
}

/// The article of a fetched page, as Markdown with its links made
/// absolute against the page's own (final) address.
pub fn extract(page: &Page) -> Result<String, FullTextError> {
    if !is_html(page) {
        let kind = page.content_type.as_deref().unwrap_or("unknown type");
        return Err(FullTextError::NotHtml(kind.chars().take(60).collect()));
    }
    let text = decode(&page.bytes, page.content_type.as_deref());
    let doc = Document::from(depth::capped(&text).as_ref());
    let mut readability = Readability::with_document(doc, Some(&page.url), Some(Config::default()))
        .map_err(|_| FullTextError::NoArticle)?;
    let found = readability.parse().map_err(|_| FullTextError::NoArticle)?;
    let chars = found
        .text_content
        .split_whitespace()
        .map(|w| w.chars().count() + 1)
        .sum::<usize>();
    if chars < MIN_ARTICLE_CHARS {
        return Err(FullTextError::TooShort);
    }
    let markdown = super::markdown::to_markdown(&found.content, &page.url);
    if markdown.trim().is_empty() {
        return Err(FullTextError::NoArticle);
    }
    Ok(markdown)
}

/// HTML by its `Content-Type`, or, without one, by a first byte of `<`.
fn is_html(page: &Page) -> bool {
    match page.content_type.as_deref() {
        Some(kind) => {
            let mime = kind.split(';').next().unwrap_or("").trim();
            mime == "text/html" || mime == "application/xhtml+xml"
        }
        None => page
            .bytes
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b == b'<'),
    }
}

/// The page's text: a byte-order mark first, then the header's charset,
/// then what the page declares (see [`charset::decode`]).
fn decode(bytes: &[u8], content_type: Option<&str>) -> String {
    if Encoding::for_bom(bytes).is_none()
        && let Some(encoding) = content_type.and_then(header_charset)
    {
        return encoding.decode_without_bom_handling(bytes).0.into_owned();
    }
    charset::decode(bytes).into_owned()
}

/// The encoding named by `charset=` in a `Content-Type` value.
fn header_charset(content_type: &str) -> Option<&'static Encoding> {
    let at = content_type.find("charset=")?;
    let label = content_type[at + "charset=".len()..]
        .split(';')
        .next()?
        .trim()
        .trim_matches(['"', '\'']);
    Encoding::for_label(label.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &[u8], content_type: Option<&str>) -> Page {
        Page {
            bytes: body.to_vec(),
            url: "https://example.org/news/2024/story".into(),
            content_type: content_type.map(str::to_string),
        }
    }

    const STORY: &str = "The council met on Tuesday to decide the fate of the old harbour \
        bridge, which has stood since 1888 and carried trams, carts and, lately, mostly \
        cyclists across the river.";

    fn article_page(extra: &str) -> String {
        format!(
            "<html><head><title>Bridge</title></head><body>\
             <nav><a href=\"/\">Home</a> <a href=\"/sport\">Sport</a></nav>\
             <article><h1>Bridge</h1><p>{STORY}</p><p>{STORY}</p>{extra}</article>\
             <footer>Copyright</footer></body></html>"
        )
    }

    #[test]
    fn the_article_is_kept_and_its_relative_links_resolved() {
        let html = article_page("<p>See <a href=\"../earlier\">the earlier story</a>.</p>");
        let md = extract(&page(html.as_bytes(), Some("text/html"))).unwrap();
        assert!(md.contains("harbour bridge"), "{md}");
        assert!(md.contains("(https://example.org/news/earlier)"), "{md}");
        assert!(!md.contains("Sport"), "{md}");
    }

    #[test]
    fn what_is_not_html_or_not_an_article_is_refused() {
        let pdf = extract(&page(b"%PDF-1.7", Some("application/pdf")));
        assert!(matches!(pdf, Err(FullTextError::NotHtml(t)) if t == "application/pdf"));
        let sniffed = extract(&page(b"%PDF-1.7", None));
        assert!(matches!(sniffed, Err(FullTextError::NotHtml(_))));
        let short = extract(&page(b"<html><body><p>Hi.</p></body></html>", None));
        assert!(matches!(
            short,
            Err(FullTextError::TooShort | FullTextError::NoArticle)
        ));
    }

    #[test]
    fn a_full_text_file_says_so_and_is_still_its_item_for_a_rerun() {
        use crate::feeds::write::{self, Source};
        let item = Item {
            title: "T".into(),
            url: Some("https://example.org/a".into()),
            guid: Some("g".into()),
            ..Item::default()
        };
        let source = Source {
            feed: "F",
            feed_url: "https://example.org/f",
        };
        let summary = write::render(&item, &source, 0);
        let hash = summary_hash(&summary);
        assert_eq!(hash, summary_hash(&write::render(&item, &source, 99)));
        let full = with_article(&summary, "Article.", &hash).unwrap();
        assert_eq!(marked(&full), Some(hash.clone()));
        assert_eq!(marked(&summary), None);
        assert_eq!(write::front_matter_of(&full).unwrap().title, "T");
        // A run killed after writing it adopts the file, not a `-2` copy.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.md"), &full).unwrap();
        let placed = write::place(dir.path(), "x.md", &write::render(&item, &source, 5));
        assert_eq!(placed.unwrap(), ("x.md".to_string(), true));
        // Fetched again, its lines are replaced, not repeated.
        let again = with_article(&full, "New.", "abc").unwrap();
        assert_eq!(again.matches("full_text: true").count(), 1);
        assert_eq!(marked(&again).as_deref(), Some("abc"));
        assert!(again.ends_with("---\n\nNew.\n"), "{again}");
    }

    #[test]
    fn the_header_charset_wins_over_the_fallback() {
        let html = article_page("<p>Привет, мир.</p>");
        let (koi8, _, _) = encoding_rs::KOI8_R.encode(&html);
        let md = extract(&page(&koi8, Some("text/html; charset=KOI8-R"))).unwrap();
        assert!(md.contains("Привет, мир."), "{md}");
        assert_eq!(
            header_charset("text/html; charset=\"utf-8\"; x=y"),
            Some(encoding_rs::UTF_8)
        );
    }
}
