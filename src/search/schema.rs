//! The index's fields and how an article becomes a document.

use super::analysis;
use crate::article::Article;
use tantivy::TantivyDocument;
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// Bump when the schema, the analyzers or how an article's fields are
/// derived change: older indexes are rebuilt. 2: a lowercase first line
/// followed by a paragraph is the headline, not a topic line. 3: author,
/// site and tags.
pub const FORMAT_VERSION: u32 = 3;

/// Handles to every field, resolved once.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Article id: stored for results, indexed for `is:` filters.
    pub id: Field,
    /// File path: the reconcile key, indexed so a changed file can be
    /// deleted by it.
    pub path: Field,
    pub title: Field,
    pub kicker: Field,
    pub body: Field,
    /// The folder and each of its parents, lowercased, one token each, so
    /// `category:sport` also matches `sport/football`.
    pub category: Field,
    /// The folder as written, for display.
    pub folder: Field,
    /// The author line, as words (`author:smith`).
    pub author: Field,
    /// The URL's host and each domain above it, lowercased, one token each,
    /// so `site:example.org` also matches `www.example.org`.
    pub site: Field,
    /// Each tag, lowercased, one token each (`tag:economy`).
    pub tag: Field,
    pub size: Field,
    pub mtime: Field,
}

/// Words with positions, so phrases work; no stemming.
fn text(stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(analysis::WORDS)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored {
        options.set_stored()
    } else {
        options
    }
}

fn exact() -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(analysis::EXACT)
        .set_index_option(IndexRecordOption::Basic)
        .set_fieldnorms(false);
    TextOptions::default().set_indexing_options(indexing)
}

impl Fields {
    /// Resolve the fields of an existing index; `None` if any is missing.
    pub fn of(schema: &Schema) -> Option<Self> {
        let f = |name| schema.get_field(name).ok();
        Some(Self {
            id: f("id")?,
            path: f("path")?,
            title: f("title")?,
            kicker: f("kicker")?,
            body: f("body")?,
            category: f("category")?,
            folder: f("folder")?,
            author: f("author")?,
            site: f("site")?,
            tag: f("tag")?,
            size: f("size")?,
            mtime: f("mtime")?,
        })
    }
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        path: b.add_text_field("path", STRING | STORED),
        title: b.add_text_field("title", text(true)),
        kicker: b.add_text_field("kicker", text(false)),
        body: b.add_text_field("body", text(false)),
        category: b.add_text_field("category", exact()),
        folder: b.add_text_field("folder", STORED),
        author: b.add_text_field("author", text(false)),
        site: b.add_text_field("site", exact()),
        tag: b.add_text_field("tag", exact()),
        size: b.add_u64_field("size", STORED),
        mtime: b.add_i64_field("mtime", STORED),
    };
    (b.build(), fields)
}

/// An article as an index document. The body is indexed, not stored: the
/// files stay the one copy of the text.
/// `key` is the file's reconcile key (see `index::path_key`).
pub fn document(fields: &Fields, key: &str, article: &Article) -> TantivyDocument {
    let meta = &article.meta;
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.id, meta.id());
    doc.add_text(fields.path, key);
    doc.add_text(fields.title, meta.title());
    if let Some(k) = meta.kicker() {
        doc.add_text(fields.kicker, k);
    }
    for p in &article.paragraphs {
        doc.add_text(fields.body, p);
    }
    if let Some(folder) = meta.category() {
        for prefix in folder_and_parents(folder) {
            doc.add_text(fields.category, prefix);
        }
        doc.add_text(fields.folder, folder);
    }
    if let Some(author) = meta.author() {
        doc.add_text(fields.author, author);
    }
    if let Some(host) = meta.host() {
        for domain in domain_and_parents(&host.to_lowercase()) {
            doc.add_text(fields.site, domain);
        }
    }
    // Tags join the category for search: `category:` finds them as well as
    // `tag:`.
    for tag in meta.tags().into_iter().flat_map(|t| t.split(", ")) {
        let tag = tag.trim().to_lowercase();
        if !tag.is_empty() {
            doc.add_text(fields.tag, &tag);
            doc.add_text(fields.category, &tag);
        }
    }
    doc.add_u64(fields.size, meta.size);
    doc.add_i64(fields.mtime, meta.mtime);
    doc
}

/// `sport/football/uk` -> `sport`, `sport/football`, `sport/football/uk`.
fn folder_and_parents(folder: &str) -> impl Iterator<Item = &str> {
    folder
        .match_indices('/')
        .map(|(i, _)| &folder[..i])
        .chain(std::iter::once(folder))
}

/// `www.news.example.org` -> itself, `news.example.org`, `example.org`
/// (a bare top-level domain is not worth a token).
pub fn domain_and_parents(host: &str) -> Vec<String> {
    let host = host.trim_end_matches('.');
    let mut out = vec![host.to_string()];
    let mut rest = host;
    while let Some((_, parent)) = rest.split_once('.') {
        if !parent.contains('.') {
            break;
        }
        out.push(parent.to_string());
        rest = parent;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_from_the_host_up() {
        assert_eq!(
            domain_and_parents("www.news.example.org"),
            ["www.news.example.org", "news.example.org", "example.org"]
        );
        assert_eq!(domain_and_parents("example.org."), ["example.org"]);
        assert_eq!(domain_and_parents("localhost"), ["localhost"]);
    }

    #[test]
    fn folder_prefixes() {
        let v: Vec<&str> = folder_and_parents("sport/football/uk").collect();
        assert_eq!(v, ["sport", "sport/football", "sport/football/uk"]);
        assert_eq!(folder_and_parents("tech").collect::<Vec<_>>(), ["tech"]);
    }
}
