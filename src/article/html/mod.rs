//! Saved web pages: the main content and the page's metadata.
//!
//! The bytes are decoded by the page's declared charset ([`charset`]), the
//! main content is found by dom_smoothie (a port of Mozilla's Readability,
//! which also reads JSON-LD and Open Graph metadata), and the cleaned
//! content is walked into blocks ([`blocks`]). What Readability does not
//! report (the canonical URL, tags, some JSON-LD shapes) is read from the
//! page directly ([`meta`]). Every string is sanitised before it is kept.

mod blocks;
pub(crate) mod charset;
pub(crate) mod depth;
mod meta;
mod url;

pub use blocks::fragment_blocks;
pub(crate) use meta::names;

use super::body::{BlockKind, BodyBuilder, Inline};
use super::links::safe_url;
use super::sanitize::sanitize_line;
use super::txt::{caption_free, is_navigation};
use super::{ParseError, Parsed, date};
use dom_query::Document;
use dom_smoothie::{Config, Readability};
use std::borrow::Cow;

/// Least text (in characters) a page's main content must have to be an
/// article; below it, what Readability found is a fragment of navigation
/// or a notice, not a story.
pub(crate) const MIN_ARTICLE_CHARS: usize = 140;

/// Longest title taken from the body when the page names none.
const TITLE_FROM_BODY_MAX: usize = 120;

/// Parse a saved page's bytes (the charset is read from the page).
pub fn parse(bytes: &[u8]) -> Result<Parsed, ParseError> {
    let text = charset::decode(bytes);
    let doc = Document::from(depth::capped(&text).as_ref());
    if doc.root().text().trim().is_empty() {
        return Err(ParseError::Empty);
    }
    let page = meta::read(&doc);
    let url = page.urls.iter().filter_map(|u| web_url(u)).next();
    let mut readability = Readability::with_document(doc, url.as_deref(), Some(Config::default()))
        .map_err(|_| ParseError::NoArticle)?;
    let found = readability.parse().map_err(|_| ParseError::NoArticle)?;
    let title = one_line(&found.title);
    let content = Document::from(found.content.as_ref());
    let body = clean(blocks::blocks_of(&content, url.as_deref(), Some(&title)));
    let chars: usize = body.paragraphs.iter().map(|p| p.chars().count()).sum();
    if chars < MIN_ARTICLE_CHARS {
        return Err(ParseError::NoArticle);
    }
    let (paragraphs, blocks, links) = body.finish();
    let title = if title.is_empty() {
        title_from_body(&paragraphs)
    } else {
        title
    };
    let author = found
        .byline
        .as_deref()
        .map(one_line)
        .map(|a| strip_by(&a).to_string())
        .filter(|a| !a.is_empty())
        .or_else(|| joined(&page.authors));
    let summary = found
        .excerpt
        .as_deref()
        .map(one_line)
        .filter(|s| !s.is_empty() && paragraphs.first() != Some(s));
    Ok(Parsed {
        title,
        kicker: None,
        paragraphs,
        blocks,
        links,
        source: found
            .site_name
            .as_deref()
            .map(one_line)
            .filter(|s| !s.is_empty()),
        url: url.or_else(|| found.url.as_deref().and_then(web_url)),
        author,
        tags: tags(&page.tags),
        summary,
        published: found.published_time.as_deref().and_then(date::parse),
    })
}

/// An `http`/`https` address in the form that may leave the app.
fn web_url(raw: &str) -> Option<String> {
    let safe = safe_url(&sanitize_line(raw))?;
    super::format::host(&safe).is_some().then_some(safe)
}

/// Text made one safe line, its whitespace folded.
fn one_line(s: &str) -> String {
    crate::article::sanitize::sanitize_folded(s)
}

/// `By Jane Doe` to `Jane Doe`.
fn strip_by(byline: &str) -> &str {
    match byline.get(..3) {
        Some(by) if by.eq_ignore_ascii_case("by ") => byline[3..].trim_start(),
        _ => byline,
    }
}

fn joined(names: &[String]) -> Option<String> {
    let names: Vec<String> = names
        .iter()
        .map(|n| one_line(n))
        .filter(|n| !n.is_empty())
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// Tags made safe, in order, without repeats or empties.
fn tags(raw: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in raw.iter().map(|t| one_line(t)) {
        if !tag.is_empty() && !out.contains(&tag) {
            out.push(tag);
        }
    }
    out
}

/// A title for a page that names none: its first block, cut short.
pub(crate) fn title_from_body(paragraphs: &[String]) -> String {
    let first = paragraphs
        .first()
        .map_or("", |p| p.lines().next().unwrap_or(""));
    match first.char_indices().nth(TITLE_FROM_BODY_MAX) {
        Some((at, _)) => format!("{}…", first[..at].trim_end()),
        None => first.to_string(),
    }
}

/// The plain-text cleaning rules, on the paragraphs: picture captions and
/// trailing navigation lines go (headings, list items, quotes, code and
/// paragraphs with an image are never taken for either). A body they would empty is kept whole.
pub(crate) fn clean(body: BodyBuilder) -> BodyBuilder {
    let texts: Vec<Cow<'_, str>> = body
        .paragraphs
        .iter()
        .map(|p| Cow::Borrowed(p.as_str()))
        .collect();
    let prose: Vec<bool> = body
        .blocks
        .iter()
        .map(|b| {
            b.kind == BlockKind::Paragraph
                && b.quote == 0
                && !b.spans.iter().any(|s| s.style == Inline::Image)
        })
        .collect();
    let mut keep: Vec<bool> = caption_free(&texts)
        .into_iter()
        .zip(&prose)
        .map(|(kept, &prose)| kept || !prose)
        .collect();
    for i in (0..keep.len()).rev() {
        if !keep[i] {
            continue;
        }
        if !prose[i] || !is_navigation(&texts[i]) {
            break;
        }
        keep[i] = false;
    }
    if !keep.contains(&true) {
        keep.fill(true);
    }
    retain(body, &keep)
}

/// The blocks marked kept, with the links renumbered to those their spans
/// still use, in order of first use.
fn retain(body: BodyBuilder, keep: &[bool]) -> BodyBuilder {
    let mut out = BodyBuilder::default();
    for ((text, mut block), &kept) in body.paragraphs.into_iter().zip(body.blocks).zip(keep) {
        if !kept {
            continue;
        }
        for span in &mut block.spans {
            if let Inline::Link(i) = span.style {
                let link = &body.links[i as usize];
                span.style = Inline::Link(out.link(&link.text, &link.target));
            }
        }
        out.push(text, block);
    }
    out
}
