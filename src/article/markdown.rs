//! Markdown articles (CommonMark, with YAML or TOML front matter).
//!
//! pulldown-cmark turns the text into a stream of events; [`Converter`]
//! folds them, in one pass and without recursion (a 100,000-deep quote is
//! a counter, a 100,000-deep list a `Vec`), into blocks of plain text with
//! styled spans. Each block's text is built once, from sanitised pieces, so
//! span offsets are right by construction. The cleaning rules of the
//! plain-text parser apply where they fit: placeholder tokens are cut from
//! each run of prose, and picture credits and trailing navigation are whole
//! paragraphs, dropped whole.

use super::body::{Block, BlockKind, BodyBuilder, Inline, Span};
use super::front_matter::{self, FrontMatter};
use super::sanitize::{sanitize_cow, sanitize_line};
use super::{ParseError, Parsed, links, txt};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

mod simple;

/// Parse a Markdown file's text.
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    parse_with(text, Converter::default(), false)
}

/// [`parse`] without the body's styles and links (the same blocks and
/// text): what a library load needs, at less cost.
pub fn parse_meta(text: &str) -> Result<Parsed, ParseError> {
    let converter = Converter {
        plain: true,
        ..Converter::default()
    };
    parse_with(text, converter, true)
}

/// Parse with `converter`; `simple`: try [`simple`] before pulldown-cmark.
fn parse_with(text: &str, mut converter: Converter, simple: bool) -> Result<Parsed, ParseError> {
    // Line breaks become `\n` and tabs spaces (at the 4-column stops
    // CommonMark uses) before anything reads the text; entities decoded
    // by the parser are sanitised again piece by piece.
    let clean = sanitize_cow(text);
    let (front, markdown) = front_matter::split(&clean)?;
    let front = front.unwrap_or_default();
    convert(markdown, &mut converter, simple);
    converter.flush();
    let title_break = converter.title_break;
    let mut body = converter.out;
    let title = match front.title.clone() {
        Some(title) => title,
        None => take_title(&mut body, title_break).ok_or(ParseError::Empty)?,
    };
    drop_captions_and_navigation(&mut body);
    Ok(parsed(title, body, front))
}

/// Feed the Markdown to `converter`: by [`simple`] when asked (a text-only
/// converter: what a library load uses) and it can read the file, which
/// gives the same blocks at a fraction of the cost; else pulldown-cmark's
/// events.
fn convert(markdown: &str, converter: &mut Converter, simple: bool) {
    if simple && converter.plain {
        let mut fast = Converter {
            plain: true,
            ..Converter::default()
        };
        if simple::convert(markdown, &mut fast).is_some() {
            *converter = fast;
            return;
        }
    }
    for event in Parser::new_ext(markdown, options()) {
        converter.event(event);
    }
}

/// Tables read as one paragraph per row; strikethrough, footnotes, task
/// lists and the like stay off and read as the text they are written as.
fn options() -> Options {
    Options::ENABLE_TABLES
}

fn parsed(title: String, body: BodyBuilder, front: FrontMatter) -> Parsed {
    let (paragraphs, blocks, links) = body.finish();
    Parsed {
        title,
        kicker: None,
        paragraphs,
        blocks,
        links,
        source: front.source,
        url: front.url,
        author: front.author,
        tags: front.tags,
        summary: front.summary,
        published: front.published,
    }
}

/// The headline when front matter gives none: the first top-level H1, which
/// then leaves the body; else the first line of the first block, as in a
/// plain-text file. A first paragraph of several lines (`title_break` is
/// where its first line ended) keeps the lines after the first; any other
/// first block leaves the body whole, but for preformatted text, which
/// stays.
fn take_title(body: &mut BodyBuilder, title_break: Option<usize>) -> Option<String> {
    let h1 = body
        .blocks
        .iter()
        .position(|b| b.kind == BlockKind::Heading { level: 1 } && b.quote == 0);
    let at = h1.unwrap_or(0);
    let text = body.paragraphs.get(at)?;
    let kind = body.blocks[at].kind;
    if h1.is_none()
        && kind == BlockKind::Paragraph
        && let Some(cut) = title_break.filter(|&b| b < text.len())
    {
        return Some(split_first_line(body, cut));
    }
    let title = sanitize_line(text.lines().find(|l| !l.trim().is_empty())?.trim());
    if kind != BlockKind::Preformatted {
        body.paragraphs.remove(at);
        body.blocks.remove(at);
    }
    Some(title)
}

/// The text of the first block up to `cut`, taken out of it: the rest
/// stays, its spans moved (a span across the cut keeps its second part).
fn split_first_line(body: &mut BodyBuilder, cut: usize) -> String {
    let text = &mut body.paragraphs[0];
    let title = text[..cut].trim().to_string();
    let rest = text[cut..].trim_start();
    let cut = text.len() - rest.len();
    *text = rest.to_string();
    body.blocks[0].spans.retain_mut(|s| {
        s.start = s.start.max(cut as u32) - cut as u32;
        s.end = s.end.saturating_sub(cut as u32);
        s.start < s.end
    });
    title
}

/// The plain-text parser's cleaning, on whole plain paragraphs only (a list
/// item or a quote is the author's structure, never site furniture): a
/// paragraph ending in a picture credit and a title-case line just before
/// one, and short lines without sentence punctuation at the end. An article
/// that would be left with no body keeps everything.
fn drop_captions_and_navigation(body: &mut BodyBuilder) {
    let plain = |i: usize| body.blocks[i].kind == BlockKind::Paragraph && body.blocks[i].quote == 0;
    let n = body.paragraphs.len();
    let credit: Vec<bool> = (0..n)
        .map(|i| plain(i) && txt::has_picture_credit(&body.paragraphs[i]))
        .collect();
    let mut keep: Vec<bool> = (0..n)
        .map(|i| {
            let heading = credit.get(i + 1) == Some(&true)
                && plain(i)
                && txt::is_title_case_fragment(&body.paragraphs[i]);
            !credit[i] && !heading
        })
        .collect();
    for i in (0..n).rev() {
        if !keep[i] {
            continue;
        }
        if !plain(i) || !txt::is_navigation(&body.paragraphs[i]) {
            break;
        }
        keep[i] = false;
    }
    if keep.iter().all(|&k| k) || !keep.contains(&true) {
        return;
    }
    let mut flags = keep.iter();
    body.paragraphs.retain(|_| *flags.next().unwrap_or(&true));
    let mut flags = keep.iter();
    body.blocks.retain(|_| *flags.next().unwrap_or(&true));
}

/// An inline element whose end has not come yet, with where it started in
/// the block's text.
enum Open {
    Style(Inline, usize),
    /// A link with its target, when that target may become a link at all.
    Link(usize, Option<String>),
}

/// Folds pulldown-cmark's events into blocks.
#[derive(Default)]
struct Converter {
    out: BodyBuilder,
    /// The text of the block being built, and its finished spans.
    text: String,
    spans: Vec<Span>,
    open: Vec<Open>,
    /// Quote depth (saturates in the block at 255).
    quote: usize,
    /// For each open list, the number of its next item (`None`: bulleted).
    lists: Vec<Option<u64>>,
    /// The marker of the list item whose first block has not come yet.
    item: Option<BlockKind>,
    heading: Option<u8>,
    code: bool,
    /// The raw text of the HTML block being read.
    html: Option<String>,
    /// Cells seen in the table row being read.
    cells: usize,
    /// Where the first line of the block being built ends, if it has more.
    line_break: Option<usize>,
    /// That place in the body's first block: where a headline taken from
    /// it ends.
    title_break: Option<usize>,
    /// Text only: no spans, no links (whose targets cost a check each).
    plain: bool,
}

impl Converter {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(s) if self.code => self.verbatim(&safe(&s)),
            Event::Text(s) => self.prose(&safe(&s)),
            Event::Code(s) => {
                let start = self.text.len();
                self.prose(&safe(&s));
                self.span(start, Inline::Code);
            }
            Event::Html(s) => {
                if let Some(html) = &mut self.html {
                    html.push_str(&s);
                }
            }
            Event::InlineHtml(s) if s.get(..3).is_some_and(|t| t.eq_ignore_ascii_case("<br")) => {
                self.space();
            }
            Event::SoftBreak | Event::HardBreak => self.space(),
            Event::Rule => self.flush(),
            // Inline HTML tags go; the text between them stays. The rest
            // (footnotes, math, task lists) is not enabled.
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Emphasis => self
                .open
                .push(Open::Style(Inline::Emphasis, self.text.len())),
            Tag::Strong => self.open.push(Open::Style(Inline::Strong, self.text.len())),
            Tag::Link { dest_url, .. } => {
                let target = (!self.plain).then(|| links::safe_url(&dest_url)).flatten();
                self.open.push(Open::Link(self.text.len(), target));
            }
            Tag::Image { .. } => {
                self.open.push(Open::Style(Inline::Image, self.text.len()));
                self.text.push_str("[image: ");
            }
            Tag::TableCell => {
                if self.cells > 0 {
                    self.text.push_str(" | ");
                }
                self.cells += 1;
            }
            tag => self.start_block(tag),
        }
    }

    fn start_block(&mut self, tag: Tag<'_>) {
        self.flush();
        match tag {
            Tag::Heading { level, .. } => self.heading = Some(level as u8),
            Tag::BlockQuote(_) => self.quote += 1,
            Tag::CodeBlock(_) => self.code = true,
            Tag::HtmlBlock => self.html = Some(String::new()),
            Tag::List(start) => self.lists.push(start),
            Tag::Item => self.item = Some(self.marker()),
            Tag::TableHead | Tag::TableRow => self.cells = 0,
            _ => {}
        }
    }

    /// The kind of the list item starting now, counting it in its list.
    fn marker(&mut self) -> BlockKind {
        let depth = u8::try_from(self.lists.len().saturating_sub(1)).unwrap_or(u8::MAX);
        let number = match self.lists.last_mut() {
            Some(Some(next)) => {
                let n = *next;
                *next = next.saturating_add(1);
                Some(u32::try_from(n).unwrap_or(u32::MAX))
            }
            _ => None,
        };
        BlockKind::ListItem { depth, number }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Emphasis | TagEnd::Strong => self.close_style(),
            TagEnd::Image => {
                if self.text.ends_with("[image: ") {
                    self.text.truncate(self.text.len() - 2);
                }
                self.text.push(']');
                self.close_style();
            }
            TagEnd::Link => self.close_link(),
            TagEnd::TableCell => {}
            TagEnd::HtmlBlock => {
                let html = self.html.take().unwrap_or_default();
                self.prose(&sanitize_cow(&strip_tags(&html)));
                self.flush();
            }
            tag => {
                self.flush();
                match tag {
                    TagEnd::Heading(_) => self.heading = None,
                    TagEnd::BlockQuote(_) => self.quote = self.quote.saturating_sub(1),
                    TagEnd::CodeBlock => self.code = false,
                    TagEnd::List(_) => {
                        self.lists.pop();
                    }
                    TagEnd::Item => self.item = None,
                    _ => {}
                }
            }
        }
    }

    fn close_style(&mut self) {
        if let Some(Open::Style(style, start)) = self.open.pop() {
            self.span(start, style);
        }
    }

    /// A link whose target may leave the app becomes a numbered link on its
    /// text; any other keeps its text, plainly.
    fn close_link(&mut self) {
        let Some(Open::Link(start, Some(target))) = self.open.pop() else {
            return;
        };
        let start = start.min(self.text.len());
        let label = self.text[start..].trim();
        if label.is_empty() {
            return;
        }
        let index = self.out.link(label, &target);
        self.span(start, Inline::Link(index));
    }

    /// A span from `start` to the end of the text so far, if not empty.
    fn span(&mut self, start: usize, style: Inline) {
        let end = self.text.len();
        if start < end && !self.plain {
            self.spans.push(Span {
                start: start as u32,
                end: end as u32,
                style,
            });
        }
    }

    /// A run of safe prose (see [`safe`]): placeholder tokens cut, line
    /// breaks as spaces, and no space at the start of a block or after a
    /// space.
    fn prose(&mut self, piece: &str) {
        let owned;
        let mut piece = piece;
        if memchr::memchr2(b'{', b'\n', piece.as_bytes()).is_some() {
            owned = fold(&txt::strip_placeholders(piece));
            piece = &owned;
        }
        if self.text.is_empty() || self.text.ends_with(' ') {
            piece = piece.trim_start_matches(' ');
        }
        self.text.push_str(piece);
    }

    /// Code block text, kept as it is.
    fn verbatim(&mut self, piece: &str) {
        self.text.push_str(piece);
    }

    /// A line break inside a paragraph: one space.
    fn space(&mut self) {
        if self.line_break.is_none() && !self.text.trim().is_empty() {
            self.line_break = Some(self.text.trim_end().len());
        }
        if !self.text.is_empty() && !self.text.ends_with(' ') {
            self.text.push(' ');
        }
    }

    /// End the block being built: it goes to the body unless it has no text.
    fn flush(&mut self) {
        // The buffer is kept for the next block; the block gets an exact
        // copy (one allocation, instead of one per doubling).
        let text = self.text.as_str().to_owned();
        self.text.clear();
        self.end_block(text);
    }

    /// End the block being built, whose text is `text`.
    fn end_block(&mut self, mut text: String) {
        let mut spans = std::mem::take(&mut self.spans);
        self.open.clear();
        let line_break = self.line_break.take();
        if self.code {
            let kept = text.trim_end_matches('\n').len();
            text.truncate(kept);
        } else {
            let kept = text.trim_end().len();
            text.truncate(kept);
        }
        if text.trim().is_empty() {
            return;
        }
        let end = text.len() as u32;
        spans.retain_mut(|s| {
            s.end = s.end.min(end);
            s.start < s.end
        });
        // Spans are finished inner first; in the block they go in the order
        // they open, the outer of two equal ones first.
        spans.reverse();
        spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        let kind = self.kind();
        let quote = u8::try_from(self.quote).unwrap_or(u8::MAX);
        if self.out.paragraphs.is_empty() {
            self.title_break = line_break;
        }
        self.out.push(text, Block { kind, quote, spans });
    }

    /// The kind of the block being ended: a list item's marker goes to its
    /// first paragraph; later paragraphs of the item are plain ones.
    fn kind(&mut self) -> BlockKind {
        let item = self.item.take();
        if self.code {
            BlockKind::Preformatted
        } else if let Some(level) = self.heading {
            BlockKind::Heading { level }
        } else {
            item.unwrap_or(BlockKind::Paragraph)
        }
    }
}

/// A piece of text from the parser, safe to show. A piece borrowed from the
/// input is safe already (the whole input was sanitised); one the parser
/// made (an entity such as `&#27;` or a backslash escape decoded) is
/// sanitised now.
fn safe<'a>(piece: &'a CowStr<'_>) -> std::borrow::Cow<'a, str> {
    match piece {
        CowStr::Borrowed(s) => std::borrow::Cow::Borrowed(s),
        other => sanitize_cow(other),
    }
}

/// Runs of whitespace folded to one space, ends kept as one space: for the
/// rare piece of prose with a line break or a removed token in it.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    if s.starts_with(char::is_whitespace) {
        out.push(' ');
    }
    for (i, word) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    if s.ends_with(char::is_whitespace) && !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// The text of an HTML block: tags, comments, scripts and styles removed,
/// whitespace folded. Linear: every search starts where the last one ended,
/// and an unclosed tag or comment ends the text.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        out.push(' ');
        rest = &rest[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |e| &comment[e + 3..]);
            continue;
        }
        let name: String = rest[1..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .take(8)
            .collect::<String>()
            .to_ascii_lowercase();
        rest = rest.find('>').map_or("", |gt| &rest[gt + 1..]);
        if name == "script" || name == "style" {
            rest = after_closing(rest, &name);
        }
    }
    out.push_str(rest);
    fold(&out).trim().to_string()
}

/// The text after `</name>` (any case), or nothing when it never closes.
fn after_closing<'a>(mut rest: &'a str, name: &str) -> &'a str {
    while let Some(at) = rest.find("</") {
        let tail = &rest[at + 2..];
        if tail
            .get(..name.len())
            .is_some_and(|t| t.eq_ignore_ascii_case(name))
        {
            return tail.find('>').map_or("", |gt| &tail[gt + 1..]);
        }
        rest = tail;
    }
    ""
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_blocks_keep_their_text_only() {
        assert_eq!(
            strip_tags(
                "<div class=x>\n  <p>Hello <b>there</b></p>\n<!-- a\ncomment --><script>var a = '<p>';</SCRIPT>\n<style>p{}</style>world</div>"
            ),
            "Hello there world"
        );
        assert_eq!(strip_tags("<p>open <b"), "open");
        assert_eq!(strip_tags(&"<".repeat(100_000)), "");
    }

    #[test]
    fn the_metadata_parse_reads_the_same_title_and_text_without_styles_or_links() {
        let docs = [
            "---\ntitle: Rates\nurl: https://example.org/a\n---\n\n*Lead* with [a link](https://example.org/b) and `code`.\n\n![a chart](c.png)\n\n- one **two**\n- [three](javascript:x)\n\n> quoted [link](https://example.org/q)\n",
            "# Heading title\n\nBody with __strong__ and a [link][r].\n\n[r]: https://example.org/r\n",
            "First line title\nsecond line *styled*\n\n| a | b |\n|---|---|\n| [x](https://example.org/x) | y |\n",
        ];
        for doc in docs {
            let full = parse(doc).unwrap();
            let meta = parse_meta(doc).unwrap();
            assert_eq!(meta.title, full.title, "{doc}");
            assert_eq!(meta.paragraphs, full.paragraphs, "{doc}");
            assert_eq!(meta.digest(), full.digest(), "{doc}");
            assert_eq!(meta.url, full.url, "{doc}");
            assert!(!full.links.is_empty(), "{doc}");
            assert!(meta.links.is_empty(), "{doc}");
            assert!(meta.blocks.iter().all(|b| b.spans.is_empty()), "{doc}");
        }
    }

    #[test]
    fn fold_keeps_one_space_at_each_end() {
        assert_eq!(fold(" a \n b  "), " a b ");
        assert_eq!(fold("a\nb"), "a b");
        assert_eq!(fold(""), "");
    }
}
