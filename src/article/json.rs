//! JSON articles: one object with the field names scrapers and news APIs use.
//!
//! Field names differ from one tool to the next (`title` or `headline`,
//! `body` or `content`, `publishedAt` or `pubDate`), so each field is the
//! first of its names present. A body written as HTML goes through the
//! same walk as a saved page's content; plain text is split into
//! paragraphs on blank lines (or lines, when there are none). A file that
//! holds many records (an array, JSON Lines) is a collection, for import.

use super::body::{Block, BodyBuilder};
use super::html::fragment_blocks;
use super::sanitize::sanitize_line;
use super::{ParseError, Parsed, date};
use serde_json::{Map, Value};

const TITLE: [&str; 2] = ["title", "headline"];
const BODY: [&str; 5] = ["body", "content", "text", "article", "description"];
const URL: [&str; 2] = ["url", "link"];
const AUTHOR: [&str; 3] = ["author", "authors", "byline"];
const DATE: [&str; 6] = [
    "date",
    "published",
    "publishedAt",
    "pubDate",
    "published_at",
    "datePublished",
];
const SOURCE: [&str; 2] = ["source", "site"];
const TAGS: [&str; 2] = ["tags", "keywords"];
const SUMMARY: [&str; 2] = ["summary", "description"];

/// Parse a JSON file's text.
///
/// serde_json refuses input nested deeper than 128 levels (its recursion
/// limit), so a hostile file cannot exhaust the stack.
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    let object = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(object)) => object,
        Ok(Value::Array(_)) => return Err(ParseError::Collection("JSON")),
        Ok(_) => {
            return Err(ParseError::Malformed(
                "a JSON value that is no article".into(),
            ));
        }
        Err(e) if e.is_eof() && text.trim().is_empty() => return Err(ParseError::Empty),
        Err(_) if is_json_lines(text) => return Err(ParseError::Collection("JSON")),
        Err(e) => return Err(ParseError::Malformed(format!("invalid JSON: {e}"))),
    };
    record(&object)
}

/// Several JSON objects, one per line: the JSON Lines form of a collection.
fn is_json_lines(text: &str) -> bool {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first_two: Vec<&str> = lines.by_ref().take(2).collect();
    first_two.len() == 2
        && first_two
            .iter()
            .all(|l| matches!(serde_json::from_str::<Value>(l), Ok(Value::Object(_))))
}

/// The article fields of one record, each the first of its names present,
/// made safe; the body as its raw strings (HTML or plain text). `tidings
/// import` reads records through this too, so the library and the
/// importer know the same field names.
#[derive(Debug, Default)]
pub struct Fields<'a> {
    /// `guid`, `id` or `uuid` (a number is written out).
    pub id: Option<String>,
    /// One line; empty when the record has none.
    pub title: String,
    pub url: Option<String>,
    pub author: Option<String>,
    pub published: Option<i64>,
    pub source: Option<String>,
    pub tags: Vec<String>,
    /// A description, when something else is the body.
    pub summary: Option<String>,
    /// The body's strings: one, or a list of paragraphs.
    pub body: Vec<&'a str>,
    /// Whether the body is markup rather than plain text.
    pub body_is_html: bool,
}

const ID: [&str; 3] = ["guid", "id", "uuid"];

/// Read the article fields of `o`.
pub fn fields(o: &Map<String, Value>) -> Fields<'_> {
    let url = string(o, &URL).and_then(|u| super::links::safe_url(&sanitize_line(&u)));
    let body_key = BODY.iter().find(|k| o.get(**k).is_some_and(has_text));
    let body: Vec<&str> = match body_key.map(|k| &o[*k]) {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    // A description is the summary only when something else is the body.
    let summary = SUMMARY
        .iter()
        .filter(|k| Some(*k) != body_key)
        .find_map(|k| o.get(*k).and_then(Value::as_str))
        .map(one_line)
        .filter(|s| !s.is_empty());
    Fields {
        id: first(o, &ID).and_then(id).filter(|i| !i.is_empty()),
        title: string(o, &TITLE).map(|t| one_line(&t)).unwrap_or_default(),
        url,
        author: first(o, &AUTHOR).map(authors).filter(|a| !a.is_empty()),
        published: first(o, &DATE).and_then(published),
        source: first(o, &SOURCE).and_then(name).map(|s| one_line(&s)),
        tags: first(o, &TAGS).map(tags).unwrap_or_default(),
        summary,
        body_is_html: body.iter().any(|s| looks_like_html(s)),
        body,
    }
}

/// An id: a string or a number, on one line.
fn id(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(sanitize_line(s.trim())),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The article in one record.
fn record(o: &Map<String, Value>) -> Result<Parsed, ParseError> {
    let f = fields(o);
    let body = body(&f.body, f.body_is_html, f.url.as_deref());
    if f.title.is_empty() && body.paragraphs.is_empty() {
        return Err(ParseError::Empty);
    }
    let (paragraphs, blocks, links) = body.finish();
    let title = if f.title.is_empty() {
        super::html::title_from_body(&paragraphs)
    } else {
        f.title
    };
    Ok(Parsed {
        title,
        kicker: None,
        paragraphs,
        blocks,
        links,
        source: f.source,
        url: f.url,
        author: f.author,
        tags: f.tags,
        summary: f.summary,
        published: f.published,
    })
}

/// The first of `keys` that is present and not null.
fn first<'a>(o: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    keys.iter().find_map(|k| o.get(*k).filter(|v| !v.is_null()))
}

fn string(o: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter()
        .find_map(|k| o.get(*k).and_then(Value::as_str))
        .map(str::to_string)
}

fn has_text(v: &Value) -> bool {
    match v {
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(items) => items.iter().any(has_text),
        _ => false,
    }
}

/// Text made one safe line, its whitespace folded.
fn one_line(s: &str) -> String {
    crate::article::sanitize::sanitize_folded(s)
}

/// A body: HTML or plain text, as a string or a list of paragraphs.
fn body(strings: &[&str], html: bool, base: Option<&str>) -> BodyBuilder {
    let mut out = BodyBuilder::default();
    if html {
        return super::html::clean(fragment_blocks(&strings.join("\n"), base));
    }
    for s in strings {
        for p in plain_paragraphs(s) {
            out.push(p, Block::PARAGRAPH);
        }
    }
    out
}

/// Markup rather than text: starts with a tag, or has paragraph or line
/// break tags in it.
fn looks_like_html(s: &str) -> bool {
    let t = s.trim_start();
    (t.starts_with('<') && t[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '!'))
        || s.contains("</p>")
        || s.contains("<br")
}

/// Plain text to paragraphs: split on blank lines when there are any,
/// else on line breaks; each paragraph sanitised and folded to one line.
pub fn plain_paragraphs(s: &str) -> Vec<String> {
    let clean = super::sanitize::sanitize(s);
    let blank_lines = clean.contains("\n\n") || clean.contains("\n \n");
    let pieces: Vec<&str> = if blank_lines {
        split_blank_lines(&clean)
    } else {
        clean.lines().collect()
    };
    pieces
        .into_iter()
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

fn split_blank_lines(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for line in s.split_inclusive('\n') {
        if line.trim().is_empty() {
            out.push(&s[start..offset]);
            start = offset + line.len();
        }
        offset += line.len();
    }
    out.push(&s[start..]);
    out
}

/// A name: a string, or an object with `name`.
fn name(v: &Value) -> Option<String> {
    super::html::names(v).into_iter().next()
}

/// Author names joined by `, `.
fn authors(v: &Value) -> String {
    let names: Vec<String> = super::html::names(v)
        .iter()
        .map(|n| one_line(n))
        .filter(|n| !n.is_empty())
        .collect();
    names.join(", ")
}

/// Tags from a list of strings or a comma-separated string.
fn tags(v: &Value) -> Vec<String> {
    let raw: Vec<String> = match v {
        Value::String(s) => s.split(',').map(str::to_string).collect(),
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    };
    let mut out: Vec<String> = Vec::new();
    for tag in raw.iter().map(|t| one_line(t)) {
        if !tag.is_empty() && !out.contains(&tag) {
            out.push(tag);
        }
    }
    out
}

/// A date as a string, or a number of seconds (or milliseconds, as
/// JavaScript writes them) since the epoch.
fn published(v: &Value) -> Option<i64> {
    match v {
        Value::String(s) => date::parse(s),
        Value::Number(n) => {
            let n = n.as_i64()?;
            Some(if n.abs() > 100_000_000_000 {
                n / 1000
            } else {
                n
            })
        }
        _ => None,
    }
}
