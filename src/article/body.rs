//! The structure of an article's body: blocks made of inline spans.
//!
//! The plain text of each block is kept apart, in [`Article::paragraphs`]
//! (one string per block, in order): that text is what the id, the search
//! index, excerpts and highlights use, so structure never changes an id and
//! plain-text files need no structure at all. A [`Block`] says what kind of
//! block the text at the same position is, and which byte ranges of it are
//! emphasised, strong, code, an image or a link.
//!
//! [`Article::paragraphs`]: super::Article::paragraphs

use serde::Serialize;

/// What kind of block a body text is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum BlockKind {
    #[default]
    Paragraph,
    /// A heading, level 1 to 6.
    Heading { level: u8 },
    /// A list item: `depth` 0 is the outermost list; `number` is the item's
    /// number in an ordered list, `None` in a bulleted one.
    ListItem { depth: u8, number: Option<u32> },
    /// Preformatted text (code): its line breaks and spaces are kept, and
    /// it is never wrapped.
    Preformatted,
}

/// How a span of a block's text is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Inline {
    Emphasis,
    Strong,
    Code,
    /// `[image: alt text]`, in place of a picture.
    Image,
    /// A link: the index of its target in [`super::Article::links`].
    Link(u16),
}

/// A byte range of a block's text, shown as `style`. Spans may nest (a
/// strong word inside a link) but never cut a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
    pub style: Inline,
}

impl Span {
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// One block of the body: its kind, how deep inside quotes it is, and its
/// styled spans (the text is at the same position in `paragraphs`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Block {
    #[serde(flatten)]
    pub kind: BlockKind,
    /// Quote depth: 0 outside any quote.
    #[serde(skip_serializing_if = "is_zero")]
    pub quote: u8,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub spans: Vec<Span>,
}

fn is_zero(n: &u8) -> bool {
    *n == 0
}

impl Block {
    /// A plain paragraph: what every block of a plain-text file is.
    pub const PARAGRAPH: Block = Block {
        kind: BlockKind::Paragraph,
        quote: 0,
        spans: Vec::new(),
    };
}

/// A link target, as written in the article (sanitised; whether it may be
/// opened is decided by [`crate::article::links`] when it is used).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// The link's text in the article (for the links overlay).
    pub text: String,
    pub target: String,
}

/// Builds a body block by block: text pushed with a style becomes a span,
/// links are numbered in order of first appearance (the same target twice
/// is one link).
#[derive(Debug, Default)]
pub struct BodyBuilder {
    pub paragraphs: Vec<String>,
    pub blocks: Vec<Block>,
    pub links: Vec<Link>,
}

impl BodyBuilder {
    /// The index of `target` among the links, added if new.
    pub fn link(&mut self, text: &str, target: &str) -> u16 {
        if let Some(i) = self.links.iter().position(|l| l.target == target) {
            return i as u16;
        }
        // More than 65,535 distinct links: the rest share the last number.
        let i = self.links.len().min(u16::MAX as usize) as u16;
        if self.links.len() < u16::MAX as usize {
            self.links.push(Link {
                text: text.to_string(),
                target: target.to_string(),
            });
        }
        i
    }

    /// Add a finished block; an empty one (no text) is dropped.
    pub fn push(&mut self, text: String, block: Block) {
        if text.trim().is_empty() {
            return;
        }
        self.paragraphs.push(text);
        self.blocks.push(block);
    }

    /// The blocks, or none when every block is a plain paragraph (as in a
    /// plain-text file: nothing to keep).
    pub fn finish(self) -> (Vec<String>, Vec<Block>, Vec<Link>) {
        let plain = self.blocks.iter().all(|b| *b == Block::PARAGRAPH);
        let blocks = if plain { Vec::new() } else { self.blocks };
        (self.paragraphs, blocks, self.links)
    }
}
