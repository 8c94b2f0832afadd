//! `tidings show`

use super::Context;
use super::list::ListEntry;
use crate::article::Article;
use crate::text::wrap;
use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
struct ShowJson<'a> {
    #[serde(flatten)]
    entry: ListEntry<'a>,
    source: Option<&'a str>,
    date: Option<String>,
    paragraphs: &'a [String],
}

pub fn run(
    ctx: &Context,
    target: &std::ffi::OsStr,
    json: bool,
    raw: bool,
    width: usize,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let library = ctx.load_library()?;
    let index = library.resolve(target)?;
    let meta = &library.articles()[index];
    if raw {
        let text = library.raw_text(meta)?;
        out.write_all(text.as_bytes())?;
        if !text.ends_with('\n') {
            writeln!(out)?;
        }
        return Ok(());
    }
    let article = library.article(meta)?;
    if json {
        let store = super::bookmarks::open_store(ctx);
        let bookmarked = super::list::bookmarked_indices(&store, &library).contains(&index);
        let doc = ShowJson {
            entry: ListEntry::new(meta, bookmarked, store.is_read(meta.id())),
            source: meta.source(),
            date: meta.published().map(crate::article::date::rfc3339),
            paragraphs: &article.paragraphs,
        };
        serde_json::to_writer_pretty(&mut *out, &doc).map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
        write_text(&article, width, out)?;
    }
    Ok(())
}

/// The article as plain text: kicker, headline, a meta line, then the
/// paragraphs wrapped at `width` with a blank line between them.
fn write_text(article: &Article, width: usize, out: &mut impl Write) -> std::io::Result<()> {
    let meta = &article.meta;
    if let Some(k) = meta.kicker() {
        for line in wrap(&k.to_uppercase(), width) {
            writeln!(out, "{line}")?;
        }
    }
    for line in wrap(meta.title(), width) {
        writeln!(out, "{line}")?;
    }
    for line in wrap(&meta_line(article), width) {
        writeln!(out, "{line}")?;
    }
    for p in &article.paragraphs {
        writeln!(out)?;
        for line in wrap(p, width) {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// `business · 412 words · 2 min read · id 1f3a…`
pub fn meta_line(article: &Article) -> String {
    let m = &article.meta;
    let mut parts: Vec<String> = Vec::new();
    parts.extend(m.category().map(str::to_string));
    parts.extend(m.source().map(str::to_string));
    parts.extend(m.published().map(crate::article::date::day));
    parts.push(format!("{} words", m.words));
    parts.push(format!("{} min read", m.reading_minutes()));
    parts.push(format!("id {}", m.id()));
    parts.join(" · ")
}
