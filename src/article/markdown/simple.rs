//! The Markdown most articles are written in, read without pulldown-cmark:
//! paragraphs of prose with `*emphasis*` and `[inline](links)`. Setting
//! up CommonMark's two passes costs more than the rest of a library load
//! of such a file; this reader gives a text-only [`Converter`] the blocks
//! pulldown-cmark's events would, for the text it accepts, and refuses
//! (`None`) everything else, which then goes to pulldown-cmark whole.
//!
//! What it accepts is kept narrow enough to be certain of:
//!
//! - no line opens with a space or with anything that can start a block
//!   or end a paragraph (`#`, `>`, `-`, `+`, `=`, `_`, a fence, `<`, `|`,
//!   `[`, a list number, `* ` or `**`), so every block is a paragraph and
//!   the file has no link reference definitions;
//! - no byte that inline parsing acts on but `*`, `[`, `]`, a `!` not
//!   before `[`, and a `&` that cannot start an entity;
//! - every `*` a lone delimiter that can only open (before a letter or
//!   digit after a space, the line start, a quote or `(`; before a quote
//!   or `(` after a space or the line start) or only close (after a letter
//!   or digit before a space, the line end or punctuation; after
//!   punctuation before a space or the line end); openers and closers
//!   pair up in each paragraph, never across a link's edge, and a closer
//!   with nothing open is text;
//! - every `[` closes on its line with no bracket inside and no space
//!   just inside, and is either a link `[text](destination)` whose
//!   destination is printable ASCII without spaces, parentheses, `<`,
//!   `>`, `\` or `&`, or followed by neither `(` nor `[` (text, as there
//!   are no definitions).
//!
//! The property test below holds the result to pulldown-cmark's.

use super::Converter;
use crate::article::swar;

/// Give `converter` the blocks of `markdown` as pulldown-cmark's events
/// would, or `None` (the converter then holds a part of them and must be
/// thrown away) when it is not of the simple kind.
pub(super) fn convert(markdown: &str, converter: &mut Converter) -> Option<()> {
    let mut para = Paragraph::default();
    let mut in_paragraph = false;
    // The lines as `split('\n')` gives them, found by the memchr crate's
    // vector search (std's is several times slower on long lines).
    let ends = memchr::memchr_iter(b'\n', markdown.as_bytes()).chain([markdown.len()]);
    let mut start = 0;
    for end in ends {
        let line = &markdown[start..end];
        start = end + 1;
        let line = line.trim_end_matches(' ');
        if line.is_empty() {
            if in_paragraph {
                para.end(converter)?;
                in_paragraph = false;
            }
            continue;
        }
        if !opens_paragraph_text(line.as_bytes()) {
            return None;
        }
        if in_paragraph {
            para.soft_break();
        } else {
            // Room for a paragraph of one line, the common case.
            para.text = String::with_capacity(line.len());
            in_paragraph = true;
        }
        para.line(line)?;
    }
    if in_paragraph {
        para.end(converter)?;
    }
    Some(())
}

/// Whether a line of a paragraph (not blank, trailing spaces gone) starts
/// with something that can only be its text: no indent, no block marker.
fn opens_paragraph_text(line: &[u8]) -> bool {
    match line[0] {
        b' ' | b'#' | b'>' | b'-' | b'+' | b'=' | b'_' | b'`' | b'~' | b'<' | b'|' | b'[' => false,
        // Not a list item (`* `) or a rule (`***`, `* * *`).
        b'*' => line.get(1).is_some_and(|b| !matches!(b, b' ' | b'*')),
        b'0'..=b'9' => {
            let digits = line.iter().take_while(|b| b.is_ascii_digit()).count();
            !matches!(line.get(digits), Some(b'.' | b')'))
        }
        _ => true,
    }
}

/// The paragraph being read: its text so far and its inline state.
#[derive(Default)]
struct Paragraph {
    text: String,
    /// Where its first line ends, if it has more (see `Converter::space`).
    line_break: Option<usize>,
    /// Emphasis opened and not yet closed.
    open: usize,
}

/// A link on the line being read: where its `]` is, where the text after
/// its `)` starts, and the emphasis open when it started.
struct OpenLink {
    close: usize,
    after: usize,
    open: usize,
}

impl Paragraph {
    /// The paragraph ends: its text becomes a block, as `Converter::flush`
    /// makes one (without copying it).
    fn end(&mut self, converter: &mut Converter) -> Option<()> {
        if self.open != 0 {
            return None;
        }
        converter.line_break = self.line_break.take();
        converter.end_block(std::mem::take(&mut self.text));
        Some(())
    }

    /// A piece of text, as `Converter::prose` adds it: no space at the
    /// start of the block or after a space. (It has no `{` or line break,
    /// so `prose` would take nothing out of it.)
    fn text(&mut self, piece: &str) {
        let piece = if self.text.is_empty() || self.text.ends_with(' ') {
            piece.trim_start_matches(' ')
        } else {
            piece
        };
        self.text.push_str(piece);
    }

    /// A line break, as `Converter::space` makes it.
    fn soft_break(&mut self) {
        if self.line_break.is_none() && !self.text.trim().is_empty() {
            self.line_break = Some(self.text.trim_end().len());
        }
        if !self.text.is_empty() && !self.text.ends_with(' ') {
            self.text.push(' ');
        }
    }

    /// One line's text, its delimiters taken out. (A text-only converter
    /// keeps nothing of emphasis and links but their text.)
    fn line(&mut self, line: &str) -> Option<()> {
        let bytes = line.as_bytes();
        let mut link: Option<OpenLink> = None;
        // The `]` of brackets that are no link.
        let mut literal: Option<usize> = None;
        let mut piece = 0;
        let mut at = 0;
        loop {
            at = next_special(bytes, at);
            if at == bytes.len() {
                break;
            }
            match bytes[at] {
                b'*' => {
                    let floor = link.as_ref().map_or(0, |l| l.open);
                    if self.emphasis(bytes, at, floor)? {
                        self.text(&line[piece..at]);
                        piece = at + 1;
                    }
                    at += 1;
                }
                b'[' if link.is_none() && literal.is_none() => {
                    let (close, after) = match brackets(line, at)? {
                        Brackets::Link { close, after } => (close, after),
                        Brackets::Text { close } => {
                            literal = Some(close);
                            at += 1;
                            continue;
                        }
                    };
                    self.text(&line[piece..at]);
                    link = Some(OpenLink {
                        close,
                        after,
                        open: self.open,
                    });
                    at += 1;
                    piece = at;
                }
                b']' if link.as_ref().is_some_and(|l| l.close == at) => {
                    let l = link.take()?;
                    if self.open != l.open {
                        return None;
                    }
                    self.text(&line[piece..at]);
                    at = l.after;
                    piece = at;
                }
                b'!' if bytes.get(at + 1) != Some(&b'[') => at += 1,
                b'^' => at += 1,
                b'&' if !entity_like(&bytes[at + 1..]) => at += 1,
                b']' if literal == Some(at) => {
                    literal = None;
                    at += 1;
                }
                _ => return None,
            }
        }
        self.text(&line[piece..]);
        Some(())
    }

    /// Whether the `*` at `at` is a delimiter (`false`: text), if it can
    /// only open or only close (CommonMark's flanking rules, narrowed to
    /// ASCII neighbours): a closer closes emphasis opened above `floor`
    /// (inside the link it is in, if any), and with none open it is text.
    /// `None` for any other.
    fn emphasis(&mut self, bytes: &[u8], at: usize, floor: usize) -> Option<bool> {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(at + 1).copied();
        let alnum = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
        // Matched by hand: `contains` on a byte string calls memchr.
        let quote = |b: Option<u8>| matches!(b, Some(b'"' | b'\'' | b'('));
        let stop = |b| {
            matches!(
                b,
                Some(b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' | b'"' | b')')
            )
        };
        // Before a letter or digit, after a space, the line start or an
        // opening quote or parenthesis; before such a quote or parenthesis,
        // after a space or the line start.
        let starts = before.is_none() || before == Some(b' ');
        let opens = starts && quote(after) || alnum(after) && (starts || quote(before));
        // After a letter or digit, before a space, the line end or
        // punctuation; or after punctuation, before a space or the end.
        let ends = after.is_none() || after == Some(b' ');
        let closes =
            alnum(before) && (ends || stop(after) || after == Some(b'-')) || stop(before) && ends;
        if opens {
            self.open += 1;
            Some(true)
        } else if closes && self.open > floor {
            self.open -= 1;
            Some(true)
        } else if closes {
            Some(false)
        } else {
            None
        }
    }
}

/// What a `[` opens.
enum Brackets {
    /// A simple inline link: where its `]` is, and where the text after
    /// its `)` starts.
    Link { close: usize, after: usize },
    /// Brackets not followed by `(` or `[`: with no link reference
    /// definitions in the file (no line starts with `[`), text as they are.
    Text { close: usize },
}

/// What the `[` at `at` opens, if it closes on this line, holds no other
/// bracket, and is followed by a simple destination or by neither `(` nor
/// `[`.
fn brackets(line: &str, at: usize) -> Option<Brackets> {
    let bytes = line.as_bytes();
    let close = at + 1 + memchr::memchr(b']', &bytes[at + 1..])?;
    let label = &bytes[at + 1..close];
    let spaced = |b: Option<&u8>| b.is_none_or(|&b| b == b' ');
    if spaced(label.first()) || spaced(label.last()) || memchr::memchr(b'[', label).is_some() {
        return None;
    }
    let rest = match bytes.get(close + 1) {
        Some(b'(') => &bytes[close + 2..],
        Some(b'[') => return None,
        _ => return Some(Brackets::Text { close }),
    };
    let len = memchr::memchr(b')', rest)?;
    let dest = &rest[..len];
    let plain =
        |&b: &u8| b.is_ascii_graphic() && !matches!(b, b'(' | b')' | b'<' | b'>' | b'\\' | b'&');
    if dest.is_empty() || !dest.iter().all(plain) {
        return None;
    }
    Some(Brackets::Link {
        close,
        after: close + 2 + len + 1,
    })
}

/// Whether the text after a `&` could make it an entity (`&amp;`,
/// `&#233;`): letters, digits or `#`, then `;`. Anything else (`Food &
/// Farming`, `S&P`) leaves the `&` as text.
fn entity_like(after: &[u8]) -> bool {
    let name = after
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'#')
        .count();
    after.get(name) == Some(&b';')
}

/// Where the next byte at or after `from` that needs a look is
/// ([`swar::markdown_specials`]), or the end: sixteen bytes at a time.
fn next_special(bytes: &[u8], from: usize) -> usize {
    let mut at = from;
    while at + swar::BLOCK <= bytes.len() {
        let mask = swar::markdown_specials(bytes, at);
        if mask != 0 {
            return at + mask.trailing_zeros() as usize;
        }
        at += swar::BLOCK;
    }
    bytes[at.min(bytes.len())..]
        .iter()
        .position(|&b| swar::is_markdown_special(b))
        .map_or(bytes.len(), |i| at + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A converter fed by [`convert`], if it reads `markdown`.
    fn by_simple(markdown: &str) -> Option<Converter> {
        let mut converter = Converter {
            plain: true,
            ..Converter::default()
        };
        convert(markdown, &mut converter)?;
        converter.flush();
        Some(converter)
    }

    #[test]
    fn the_simple_reader_takes_prose_with_emphasis_and_links_only() {
        let prose = "Lead line one\nand two.\n\n*A whole paragraph, emphasised.*\n\nSome *stress* here, [More](https://example.org/more/1).\n\n2004 was (as ever) a year! Really? \"Yes\" *it\nwas.*  \n\nS&P, Food & Farming, he* [said] *\"so\"* and.\n";
        let body = by_simple(prose).expect("simple");
        assert_eq!(
            body.out.paragraphs,
            [
                "Lead line one and two.",
                "A whole paragraph, emphasised.",
                "Some stress here, More.",
                "2004 was (as ever) a year! Really? \"Yes\" it was.",
                "S&P, Food & Farming, he* [said] \"so\" and.",
            ]
        );
        assert_eq!(body.title_break, Some("Lead line one".len()));
        for other in [
            "# Heading",
            "Text\n===",
            "Text\n---",
            "- item",
            "1. item",
            "2) item",
            "> quote",
            "    code",
            "```\ncode\n```",
            "<div>x</div>",
            "a | b",
            "[ref]: https://example.org/r",
            "a [x](u \"title\") b",
            "a [ x](u) b",
            "![image](i.png)",
            "a * b",
            "a *b c",
            "**strong**",
            "*a [b* c](u)",
            "snake_case",
            "AT&amp;T",
            "a `code` b",
            "a\\\nb",
            "{placeholder}",
        ] {
            assert!(by_simple(other).is_none(), "{other:?}");
        }
    }

    #[test]
    fn edge_cases_read_as_pulldown_reads_them() {
        // Cases that told a careless reader from pulldown-cmark: line
        // breaks, emphasis opened and closed across a link's edge, a
        // closer with nothing open, literal brackets.
        for doc in [
            "word\n(word",
            "word *word",
            "word[x *y](https://example.org/c)* ",
            "a [x *y](https://example.org/c) w* end",
            "*a [b* c](https://example.org/d)",
            "*Two words*\n(",
            "he said* [so] (it) [x]: y",
        ] {
            let by_pulldown = Converter {
                plain: true,
                ..Converter::default()
            };
            assert_eq!(
                super::super::parse_meta(doc),
                super::super::parse_with(doc, by_pulldown, false),
                "{doc:?}"
            );
        }
    }

    /// Markdown from pieces: prose and what [`convert`] reads, and now and
    /// then one it must leave to pulldown-cmark.
    fn markdown_doc() -> impl proptest::strategy::Strategy<Value = String> {
        let prose = proptest::sample::select(vec![
            "word",
            "word",
            "word ",
            "word ",
            "Word ",
            "é",
            "日本 ",
            " ",
            "  ",
            "\n",
            "\n",
            "\n\n",
            " *em* ",
            "*Two words*",
            " *a [b](https://example.org/b) c.* ",
            "(",
            ")",
            "[More](https://example.org/m)",
            "12",
            "1",
            "!",
            ".",
            ",",
            "\"",
            "'",
            "\u{a0}",
            "~",
            ":",
            "&",
            "S&P",
            "&x;",
            " [w]",
            "[w] ",
            "\"*",
            "*\"",
            "(*",
            "*)",
        ]);
        let delimiters = proptest::sample::select(vec![
            "*",
            "[",
            "]",
            "](https://example.org/a)",
            "[x *y](https://example.org/c)",
            "[x y.*](https://example.org/c)",
            " [*x*](https://example.org/e)",
            " *x [y",
            "z* w](https://example.org/d)",
            " *w",
            "w* ",
            "z.*",
        ]);
        let other = proptest::sample::select(vec![
            "**",
            "1.",
            "3)",
            "#",
            "-",
            "+",
            "=",
            "_",
            "&amp;",
            "<b>",
            ">",
            "`",
            "|",
            "{x}",
            "\\",
            "    ",
            "![i](p.png)",
            "[r]: https://example.org/r",
        ]);
        let piece = proptest::prop_oneof![100 => prose, 4 => delimiters, 1 => other];
        let front =
            proptest::sample::select(vec!["", "---\ntitle: T\n---\n", "---\nurl: u\n---\n\n"]);
        let body = proptest::collection::vec(piece, 0..60);
        (front, body).prop_map(|(front, body)| format!("{front}{}", body.concat()))
    }

    use proptest::strategy::Strategy;

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(20000))]
        /// Whatever [`convert`] reads, it reads as pulldown-cmark and the
        /// converter do: the same title, blocks and metadata.
        #[test]
        fn the_simple_reader_gives_what_pulldown_gives(doc in markdown_doc()) {
            let by_pulldown = Converter { plain: true, ..Converter::default() };
            proptest::prop_assert_eq!(super::super::parse_meta(&doc), super::super::parse_with(&doc, by_pulldown, false), "{:?}", doc);
        }
    }
}
