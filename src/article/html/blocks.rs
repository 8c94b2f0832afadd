//! HTML to the body model: blocks of plain text with styled spans.
//!
//! The walk is iterative (an explicit stack of enter and exit steps), so a
//! page nested 100,000 elements deep costs memory in proportion, never the
//! call stack. Text is whitespace-collapsed as a browser shows it, except in
//! `<pre>`; every text node and attribute passes the sanitiser on its way
//! in, so entity-encoded controls (`&#27;`) never reach a block.

use super::url::resolve;
use crate::article::body::{Block, BlockKind, BodyBuilder, Inline, Span};
use crate::article::links::safe_url;
use crate::article::sanitize::{sanitize_cow, sanitize_line};
use crate::article::txt::{has_brace, remove_placeholders};
use dom_query::{Document, NodeRef};

/// Inline elements deeper than this still give their text, but no span:
/// spans still open are carried over each block break, so their number
/// must stay small for that to stay cheap.
const MAX_OPEN_INLINES: usize = 32;

/// The blocks of an HTML fragment (a JSON record's body, an extracted
/// article). Relative links resolve against `base` when there is one.
pub fn fragment_blocks(html: &str, base: Option<&str>) -> BodyBuilder {
    blocks_of(
        &Document::fragment(super::depth::capped(html).as_ref()),
        base,
        None,
    )
}

/// The blocks of a parsed document; a first heading equal to `title` is
/// dropped (the reader shows the title already).
pub fn blocks_of(doc: &Document, base: Option<&str>, title: Option<&str>) -> BodyBuilder {
    let mut walk = Walk::new(base, title);
    let mut steps: Vec<Step<'_>> = vec![Step::Enter(doc.root())];
    while let Some(step) = steps.pop() {
        match step {
            Step::Enter(node) => walk.enter(node, &mut steps),
            Step::Exit(exit) => walk.exit(exit),
        }
    }
    walk.flush();
    walk.out
}

/// One step of the walk: look at a node, or leave an element.
enum Step<'a> {
    Enter(NodeRef<'a>),
    Exit(Exit),
}

/// What leaving an element undoes.
#[derive(Clone, Copy)]
enum Exit {
    /// A block ends: what is gathered so far is one.
    Block,
    Heading,
    Item,
    List,
    Quote,
    Pre,
    Row,
    /// An inline element: close its span, if it has one.
    Inline {
        tracked: bool,
    },
}

/// What an element is to the walk.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Not content (scripts, forms, navigation): its subtree is skipped.
    Skip,
    Block,
    Heading(u8),
    List {
        ordered: bool,
    },
    Item,
    Quote,
    Pre,
    Row,
    Cell,
    Break,
    Image,
    Style(Inline),
    Link,
    /// Anything else (`span`, unknown tags): its children, nothing more.
    Transparent,
}

fn role(name: &str) -> Role {
    match name {
        "script" | "style" | "noscript" | "template" | "head" | "title" | "form" | "button"
        | "nav" | "aside" | "footer" | "iframe" | "svg" | "math" | "select" | "textarea"
        | "input" | "object" | "embed" | "canvas" | "video" | "audio" | "figcaption" | "dialog"
        | "menu" => Role::Skip,
        "p" | "div" | "section" | "article" | "main" | "header" | "figure" | "dl" | "dt" | "dd"
        | "address" | "hr" | "center" | "details" | "summary" | "table" | "caption" | "thead"
        | "tbody" | "tfoot" | "body" | "html" | "hgroup" => Role::Block,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Role::Heading(name.as_bytes()[1] - b'0'),
        "ul" => Role::List { ordered: false },
        "ol" => Role::List { ordered: true },
        "li" => Role::Item,
        "blockquote" => Role::Quote,
        "pre" => Role::Pre,
        "tr" => Role::Row,
        "td" | "th" => Role::Cell,
        "br" => Role::Break,
        "img" => Role::Image,
        "em" | "i" | "cite" | "dfn" | "var" => Role::Style(Inline::Emphasis),
        "strong" | "b" => Role::Style(Inline::Strong),
        "code" | "kbd" | "samp" | "tt" => Role::Style(Inline::Code),
        "a" => Role::Link,
        _ => Role::Transparent,
    }
}

/// A list being walked: whether it is numbered, and the next number.
struct List {
    ordered: bool,
    next: u32,
}

/// An inline element whose span is open: where it started in the text.
#[derive(Clone)]
struct Open {
    style: OpenStyle,
    start: usize,
}

#[derive(Clone)]
enum OpenStyle {
    Style(Inline),
    /// A link to this (safe) target.
    Link(String),
    /// An `<a>` with no usable target: its text stays plain.
    Plain,
}

/// The walk's state: the block being gathered and where it is.
struct Walk<'t> {
    out: BodyBuilder,
    base: Option<String>,
    /// A first heading with this text is dropped.
    title: Option<&'t str>,
    text: String,
    spans: Vec<Span>,
    open: Vec<Open>,
    /// A space is owed before the next visible character.
    space: bool,
    /// A cell separator (` | `) is owed before the next visible character.
    bar: bool,
    heading: Option<u8>,
    /// The kind of the next block of the list item being walked.
    item: Option<BlockKind>,
    lists: Vec<List>,
    quote: u8,
    pre: u32,
    /// Inside a table row; its cells so far.
    rows: u32,
    cells: u32,
}

impl<'t> Walk<'t> {
    fn new(base: Option<&str>, title: Option<&'t str>) -> Self {
        Walk {
            out: BodyBuilder::default(),
            base: base.map(str::to_string),
            title,
            text: String::new(),
            spans: Vec::new(),
            open: Vec::new(),
            space: false,
            bar: false,
            heading: None,
            item: None,
            lists: Vec::new(),
            quote: 0,
            pre: 0,
            rows: 0,
            cells: 0,
        }
    }

    fn enter<'a>(&mut self, node: NodeRef<'a>, steps: &mut Vec<Step<'a>>) {
        if node.is_text() {
            self.add_text(&node.text());
            return;
        }
        if !(node.is_element() || node.is_document() || node.is_fragment()) {
            return;
        }
        let name = node.node_name();
        let role = name.as_deref().map_or(Role::Transparent, role);
        let Some(exit) = self.open_element(role, &node) else {
            return;
        };
        steps.push(Step::Exit(exit));
        let mut child = node.last_child();
        while let Some(c) = child {
            child = c.prev_sibling();
            steps.push(Step::Enter(c));
        }
    }

    /// Start an element: `None` when its children are not to be walked.
    fn open_element(&mut self, role: Role, node: &NodeRef<'_>) -> Option<Exit> {
        Some(match role {
            Role::Skip => return None,
            Role::Break => {
                self.line_break();
                return None;
            }
            Role::Image => {
                self.image(node);
                return None;
            }
            Role::Block if self.rows > 0 => {
                self.space = !self.text.is_empty();
                Exit::Inline { tracked: false }
            }
            Role::Block => {
                self.flush();
                Exit::Block
            }
            Role::Heading(level) => {
                self.flush();
                self.heading = Some(level);
                Exit::Heading
            }
            Role::List { ordered } => {
                self.flush();
                let start = node.attr("start").and_then(|s| s.trim().parse().ok());
                let next = start.unwrap_or(1);
                self.lists.push(List { ordered, next });
                Exit::List
            }
            Role::Item => self.open_item(),
            Role::Quote => {
                self.flush();
                self.quote = self.quote.saturating_add(1);
                Exit::Quote
            }
            Role::Pre => {
                self.flush();
                self.pre += 1;
                Exit::Pre
            }
            Role::Row => {
                self.flush();
                self.rows += 1;
                self.cells = 0;
                Exit::Row
            }
            Role::Cell => {
                // Owed, like a space: an empty cell leaves no bar behind.
                self.bar = self.cells > 0 && !self.text.is_empty();
                self.cells += 1;
                Exit::Inline { tracked: false }
            }
            Role::Style(style) => self.open_inline(OpenStyle::Style(style)),
            Role::Link => {
                let target = node.attr("href").and_then(|href| self.target(&href[..]));
                self.open_inline(target.map_or(OpenStyle::Plain, OpenStyle::Link))
            }
            Role::Transparent => Exit::Inline { tracked: false },
        })
    }

    fn open_item(&mut self) -> Exit {
        self.flush();
        let depth = self.lists.len().saturating_sub(1).min(u8::MAX as usize) as u8;
        let number = match self.lists.last_mut() {
            Some(list) if list.ordered => {
                let n = list.next;
                list.next = n.saturating_add(1);
                Some(n)
            }
            _ => None,
        };
        self.item = Some(BlockKind::ListItem { depth, number });
        Exit::Item
    }

    fn open_inline(&mut self, style: OpenStyle) -> Exit {
        if self.open.len() >= MAX_OPEN_INLINES {
            return Exit::Inline { tracked: false };
        }
        let start = self.text.len();
        self.open.push(Open { style, start });
        Exit::Inline { tracked: true }
    }

    fn exit(&mut self, exit: Exit) {
        match exit {
            Exit::Block => self.flush(),
            Exit::Heading => {
                self.flush();
                self.heading = None;
            }
            Exit::Item => {
                self.flush();
                self.item = None;
            }
            Exit::List => {
                self.flush();
                self.lists.pop();
            }
            Exit::Quote => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
            }
            Exit::Pre => {
                self.flush();
                self.pre -= 1;
            }
            Exit::Row => {
                self.flush();
                self.rows -= 1;
            }
            Exit::Inline { tracked: true } => {
                if let Some(open) = self.open.pop() {
                    self.close(open);
                }
            }
            Exit::Inline { tracked: false } => {}
        }
    }

    /// A link's target as it may leave the app, or `None`.
    fn target(&self, href: &str) -> Option<String> {
        safe_url(&sanitize_line(&resolve(href, self.base.as_deref())?))
    }

    fn add_text(&mut self, raw: &str) {
        let clean = sanitize_cow(raw);
        if self.pre > 0 {
            self.text.push_str(&clean);
            return;
        }
        let clean = if has_brace(&clean) {
            let edge_space = |c: Option<char>| c.is_some_and(char::is_whitespace);
            let (lead, trail) = (
                edge_space(clean.chars().next()),
                edge_space(clean.chars().last()),
            );
            let kept = remove_placeholders(clean.trim()).into_owned();
            std::borrow::Cow::Owned(match (lead, trail) {
                (true, true) => format!(" {kept} "),
                (true, false) => format!(" {kept}"),
                (false, true) => format!("{kept} "),
                (false, false) => kept,
            })
        } else {
            clean
        };
        for c in clean.chars() {
            if c.is_whitespace() {
                self.space = !self.text.is_empty();
            } else {
                self.visible(c);
            }
        }
    }

    /// Add a visible character, after the space owed, if any.
    fn visible(&mut self, c: char) {
        if self.bar {
            self.text.push_str(" | ");
            self.bar = false;
            self.space = false;
        } else if self.space {
            self.text.push(' ');
            self.space = false;
        }
        self.text.push(c);
    }

    fn line_break(&mut self) {
        if self.pre > 0 {
            self.text.push('\n');
        } else {
            self.space = !self.text.is_empty();
        }
    }

    /// `[image: alt]`, as a span; an image without alt text is left out.
    fn image(&mut self, node: &NodeRef<'_>) {
        let Some(alt) = node.attr("alt") else {
            return;
        };
        let alt = sanitize_line(&alt);
        let alt = alt.split_whitespace().collect::<Vec<_>>().join(" ");
        if alt.is_empty() {
            return;
        }
        self.visible('[');
        let start = self.text.len() - 1;
        self.text.push_str("image: ");
        self.text.push_str(&alt);
        self.text.push(']');
        self.push_span(start, Inline::Image);
    }

    fn push_span(&mut self, start: usize, style: Inline) {
        let end = self.text.len();
        if end > start {
            self.spans.push(Span {
                start: start as u32,
                end: end as u32,
                style,
            });
        }
    }

    /// End an inline element's span at the end of the text so far.
    fn close(&mut self, open: Open) {
        // What the walk put before the element's first character (an owed
        // space or cell separator) is not the element's.
        let mut start = open.start;
        if self.text[start..].starts_with(" | ") {
            start += 3;
        } else if self.text[start..].starts_with(' ') {
            start += 1;
        }
        if start >= self.text.len() {
            return;
        }
        match open.style {
            OpenStyle::Style(style) => self.push_span(start, style),
            OpenStyle::Link(target) => {
                let text = self.text[start..].to_string();
                let index = self.out.link(&text, &target);
                self.push_span(start, Inline::Link(index));
            }
            OpenStyle::Plain => {}
        }
    }

    /// End the block gathered so far: spans still open are closed here and
    /// reopened at the start of the next block.
    fn flush(&mut self) {
        self.space = false;
        self.bar = false;
        let open = std::mem::take(&mut self.open);
        for o in open.iter().rev() {
            self.close(o.clone());
        }
        self.open = open.into_iter().map(|o| Open { start: 0, ..o }).collect();
        let mut text = std::mem::take(&mut self.text);
        let mut spans = std::mem::take(&mut self.spans);
        if self.pre > 0 {
            text.truncate(text.trim_end().len());
            spans.retain_mut(|s| {
                s.end = s.end.min(text.len() as u32);
                s.start < s.end
            });
        }
        if text.trim().is_empty() {
            return;
        }
        let kind = self.kind();
        if self.is_title(kind, &text) {
            return;
        }
        spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        // `<b><b>x</b></b>` is one strong span.
        spans.dedup();
        self.out.push(
            text,
            Block {
                kind,
                quote: self.quote,
                spans,
            },
        );
    }

    /// The kind of the block being ended (a list item's first block is
    /// the item; what follows it in the same item is a paragraph).
    fn kind(&mut self) -> BlockKind {
        if self.pre > 0 {
            BlockKind::Preformatted
        } else if let Some(level) = self.heading {
            BlockKind::Heading { level }
        } else if let Some(item) = self.item.take() {
            item
        } else {
            BlockKind::Paragraph
        }
    }

    /// Whether this block is the first heading and repeats the title.
    fn is_title(&mut self, kind: BlockKind, text: &str) -> bool {
        if !matches!(kind, BlockKind::Heading { .. }) {
            return false;
        }
        let Some(title) = self.title.take() else {
            return false;
        };
        let fold = |s: &str| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        fold(title) == fold(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A block as a test sees it: its kind, text and styled spans.
    type Seen = (BlockKind, String, Vec<(Inline, String)>);

    fn walk(html: &str) -> Vec<Seen> {
        let body = fragment_blocks(html, Some("https://example.org/a/b"));
        (0..body.paragraphs.len())
            .map(|i| {
                let text = &body.paragraphs[i];
                let block = &body.blocks[i];
                let spans = block
                    .spans
                    .iter()
                    .map(|s| (s.style, text[s.range()].to_string()));
                (block.kind, text.clone(), spans.collect())
            })
            .collect()
    }

    #[test]
    fn whitespace_collapses_as_a_browser_shows_it() {
        let got = walk("<p>  one\n\t two <b> three </b>four<br>five</p>");
        assert_eq!(got[0].1, "one two three four five");
        assert_eq!(got[0].2, [(Inline::Strong, "three".to_string())]);
    }

    #[test]
    fn table_cells_are_joined_with_one_bar_and_single_spaces() {
        let got =
            walk("<table><tr>\n <td> a </td>\n <td><p><b>b</b></p></td><td></td></tr></table>");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1, "a | b");
        assert_eq!(got[0].2, [(Inline::Strong, "b".to_string())]);
    }

    #[test]
    fn preformatted_text_is_kept_verbatim() {
        let got = walk("<pre>  fn main() {\n      x  y\n  }\n</pre>");
        assert_eq!(got[0].0, BlockKind::Preformatted);
        assert_eq!(got[0].1, "  fn main() {\n      x  y\n  }");
    }

    #[test]
    fn an_inline_element_across_blocks_styles_each_part() {
        let got = walk("<a href='/x'><p>first</p><p>second</p></a>");
        assert_eq!(got[0].2, [(Inline::Link(0), "first".to_string())]);
        assert_eq!(got[1].2, [(Inline::Link(0), "second".to_string())]);
    }

    #[test]
    fn ordered_lists_number_from_start_and_nest() {
        let got = walk("<ol start='7'><li>a<ol><li>b</li></ol></li><li><p>c</p><p>d</p></li></ol>");
        let kinds: Vec<BlockKind> = got.iter().map(|g| g.0).collect();
        let item = |depth, number| BlockKind::ListItem { depth, number };
        assert_eq!(
            kinds,
            [
                item(0, Some(7)),
                item(1, Some(1)),
                item(0, Some(8)),
                BlockKind::Paragraph
            ]
        );
    }

    #[test]
    fn placeholder_tokens_go_and_words_stay_apart() {
        let got = walk("<p>Before {mosads} after <i>it</i></p>");
        assert_eq!(got[0].1, "Before after it");
    }

    #[test]
    fn a_first_heading_equal_to_the_title_is_dropped() {
        let doc = Document::fragment("<h1>The  Title</h1><p>Body.</p><h2>The Title</h2>");
        let body = blocks_of(&doc, None, Some("the title"));
        assert_eq!(body.paragraphs, ["Body.", "The Title"]);
    }
}
