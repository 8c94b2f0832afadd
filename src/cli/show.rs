//! `tidings show`

use super::Context;
use super::list::ListEntry;
use crate::article::{Article, Block, BlockKind, Inline, Link};
use crate::text::wrap;
use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
struct ShowJson<'a> {
    #[serde(flatten)]
    entry: ListEntry<'a>,
    source: Option<&'a str>,
    tags: Vec<&'a str>,
    /// The plain text of each block, as search sees it.
    paragraphs: &'a [String],
    /// Each block: its text, kind, quote depth and styled spans (byte
    /// ranges of the text; a link span names its index in `links`).
    blocks: Vec<BlockJson<'a>>,
    links: &'a [Link],
}

#[derive(Serialize)]
struct BlockJson<'a> {
    text: &'a str,
    #[serde(flatten)]
    block: &'a Block,
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
        let groups = super::groups::groups_of(ctx, &library);
        let doc = ShowJson {
            entry: ListEntry {
                group: groups.group_id(meta.id()),
                ..ListEntry::new(meta, bookmarked, store.is_read(meta.id()))
            },
            source: meta.source(),
            tags: meta.tags().map_or(Vec::new(), |t| t.split(", ").collect()),
            paragraphs: &article.paragraphs,
            blocks: (article.paragraphs.iter().enumerate())
                .map(|(i, text)| BlockJson {
                    text,
                    block: article.block(i),
                })
                .collect(),
            links: &article.links,
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
    if let Some(url) = meta.url() {
        writeln!(out, "{url}")?;
    }
    let mut in_list = false;
    for (i, text) in article.paragraphs.iter().enumerate() {
        let block = article.block(i);
        let item = matches!(block.kind, BlockKind::ListItem { .. });
        if !(item && in_list) {
            writeln!(out)?;
        }
        in_list = item;
        write_block(text, block, width, out)?;
    }
    if !article.links.is_empty() {
        writeln!(out, "\nLinks")?;
        for (i, link) in article.links.iter().enumerate() {
            let line = format!("[{}] {}", i + 1, link.target);
            for (j, part) in wrap(&line, width).iter().enumerate() {
                let indent = if j == 0 { "" } else { "    " };
                writeln!(out, "{indent}{part}")?;
            }
        }
    }
    Ok(())
}

/// One block as plain text: list markers with hanging indents, `> ` per
/// quote level, preformatted text as it is, link numbers after link text.
fn write_block(
    text: &str,
    block: &Block,
    width: usize,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let quote = "> ".repeat(usize::from(block.quote));
    let (first, rest) = match block.kind {
        BlockKind::ListItem { depth, number } => {
            let indent = "  ".repeat(usize::from(depth));
            let marker = number.map_or("- ".to_string(), |n| format!("{n}. "));
            let hang = " ".repeat(marker.len());
            (format!("{indent}{marker}"), format!("{indent}{hang}"))
        }
        _ => (String::new(), String::new()),
    };
    if block.kind == BlockKind::Preformatted {
        for line in text.lines() {
            writeln!(out, "{quote}    {line}")?;
        }
        return Ok(());
    }
    let shown = with_link_numbers(text, block);
    let room = width.saturating_sub(quote.len() + first.len()).max(10);
    for (j, line) in wrap(&shown, room).iter().enumerate() {
        let lead = if j == 0 { &first } else { &rest };
        writeln!(out, "{quote}{lead}{line}")?;
    }
    Ok(())
}

/// The text with ` [n]` after each link (numbered from 1, as the list of
/// links after the article).
fn with_link_numbers(text: &str, block: &Block) -> String {
    let mut ends: Vec<(usize, u16)> = (block.spans.iter())
        .filter_map(|s| match s.style {
            Inline::Link(i) => Some((s.end as usize, i)),
            _ => None,
        })
        .collect();
    ends.sort_unstable();
    let mut shown = String::with_capacity(text.len() + ends.len() * 5);
    let mut at = 0;
    for (end, i) in ends {
        let end = end.min(text.len());
        if let Some(piece) = text.get(at..end) {
            shown.push_str(piece);
            at = end;
        }
        shown.push_str(&format!(" [{}]", i + 1));
    }
    shown.push_str(text.get(at..).unwrap_or(""));
    shown
}

/// `business · 412 words · 2 min read · id 1f3a…`
pub fn meta_line(article: &Article) -> String {
    let m = &article.meta;
    let mut parts: Vec<String> = Vec::new();
    parts.extend(m.category().map(str::to_string));
    parts.extend(m.author().map(|a| format!("by {a}")));
    parts.extend(m.source().or(m.host()).map(str::to_string));
    parts.extend(m.published().map(crate::article::date::day));
    parts.push(format!("{} words", m.words));
    parts.push(format!("{} min read", m.reading_minutes()));
    parts.push(format!("id {}", m.id()));
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Span;

    fn block(kind: BlockKind, quote: u8, spans: Vec<Span>) -> Block {
        Block { kind, quote, spans }
    }

    fn shown(text: &str, b: &Block, width: usize) -> String {
        let mut out = Vec::new();
        write_block(text, b, width, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn blocks_print_with_markers_hanging_indents_quotes_and_link_numbers() {
        let link = Span {
            start: 4,
            end: 9,
            style: Inline::Link(1),
        };
        let item = block(
            BlockKind::ListItem {
                depth: 1,
                number: Some(3),
            },
            0,
            vec![link],
        );
        assert_eq!(
            shown("see lower docs for the whole story", &item, 24),
            "  3. see lower [2] docs\n     for the whole story\n"
        );
        let quoted = block(BlockKind::Paragraph, 2, Vec::new());
        assert_eq!(shown("said so", &quoted, 40), "> > said so\n");
        let code = block(BlockKind::Preformatted, 0, Vec::new());
        assert_eq!(
            shown("fn main() {\n    x();\n}", &code, 8),
            "    fn main() {\n        x();\n    }\n",
            "never wrapped"
        );
    }
}
