//! What a page says about itself that the readability pass does not give:
//! its canonical address, its tags, and JSON-LD fields written in shapes
//! that pass leaves out (a plain-string author, `mainEntityOfPage`).
//!
//! Read from the document before readability changes it. Everything here
//! is raw page text: the caller sanitises it.

use dom_query::Document;
use serde_json::Value;

/// Page metadata found by looking at the document directly.
#[derive(Debug, Default)]
pub struct PageMeta {
    /// Candidate addresses of the page, best first: `<link rel=canonical>`,
    /// `og:url`, then JSON-LD `url` and `mainEntityOfPage`.
    pub urls: Vec<String>,
    /// JSON-LD `author` names, however written.
    pub authors: Vec<String>,
    /// `article:tag` values, then JSON-LD `keywords`.
    pub tags: Vec<String>,
}

/// JSON-LD types that describe an article.
const ARTICLE_TYPES: [&str; 4] = ["Article", "BlogPosting", "Report", "WebPage"];

/// Read the page's own metadata.
pub fn read(doc: &Document) -> PageMeta {
    let mut meta = PageMeta::default();
    let attrs = |selector: &str, attr: &str| -> Vec<String> {
        doc.select(selector)
            .nodes()
            .iter()
            .filter_map(|n| n.attr(attr).map(|v| v.trim().to_string()))
            .filter(|v| !v.is_empty())
            .collect()
    };
    meta.urls.extend(attrs("link[rel~=canonical]", "href"));
    meta.urls
        .extend(attrs("meta[property='og:url']", "content"));
    meta.tags
        .extend(attrs("meta[property='article:tag']", "content"));
    for script in doc.select("script[type='application/ld+json']").nodes() {
        // serde_json stops at 128 levels of nesting: no deep recursion.
        if let Ok(value) = serde_json::from_str::<Value>(script.text().trim())
            && let Some(article) = find_article(&value)
        {
            json_ld(article, &mut meta);
        }
    }
    meta
}

/// The article object of a JSON-LD value: the value itself, an element of
/// a top-level array, or an element of its `@graph`.
fn find_article(value: &Value) -> Option<&Value> {
    let is_article = |v: &&Value| {
        let types = match v.get("@type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        types
            .iter()
            .any(|t| ARTICLE_TYPES.iter().any(|a| t.ends_with(a)))
    };
    let candidates: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        Value::Object(_) => std::iter::once(value)
            .chain(
                value
                    .get("@graph")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten(),
            )
            .collect(),
        _ => Vec::new(),
    };
    // A NewsArticle before the WebPage that holds it.
    candidates
        .iter()
        .copied()
        .filter(is_article)
        .min_by_key(|v| v.get("@type").and_then(Value::as_str) == Some("WebPage"))
}

fn json_ld(article: &Value, meta: &mut PageMeta) {
    let id_or_string = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("@id").and_then(Value::as_str).map(str::to_string),
        _ => None,
    };
    for key in ["url", "mainEntityOfPage"] {
        meta.urls.extend(article.get(key).and_then(id_or_string));
    }
    if let Some(author) = article.get("author") {
        meta.authors = names(author);
    }
    match article.get("keywords") {
        Some(Value::String(s)) => meta.tags.extend(s.split(',').map(|t| t.trim().to_string())),
        Some(Value::Array(items)) => meta
            .tags
            .extend(items.iter().filter_map(Value::as_str).map(str::to_string)),
        _ => {}
    }
}

/// Names from a JSON author value: a string, an object with `name`, or a
/// list of either. Shared with JSON records, which use the same shapes.
pub fn names(value: &Value) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Object(o) => o
            .get("name")
            .and_then(Value::as_str)
            .map(|s| s.trim().to_string()),
        _ => None,
    };
    let all: Vec<String> = match value {
        Value::Array(items) => items.iter().filter_map(one).collect(),
        v => one(v).into_iter().collect(),
    };
    all.into_iter().filter(|n| !n.is_empty()).collect()
}
