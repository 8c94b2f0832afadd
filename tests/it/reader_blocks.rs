//! The reader on a structured article: every block kind on screen (insta
//! snapshots at 120x40 and 40x12, styles checked on the buffer), search
//! matches and `n` inside list items and links, resume, preformatted text
//! cut at the edge, and OSC 8 hyperlinks as the real backend writes them.

use crate::common::screen;
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;
use std::io::Write;
use std::sync::{Arc, Mutex};
use tidings::action::Action;
use tidings::app::reader::{LineKind, Reader};
use tidings::app::{App, Event, Settings};
use tidings::article::body::BodyBuilder;
use tidings::article::{Article, ArticleMeta, Block, BlockKind, Inline, MetaText, Span};
use tidings::library::{Library, Origin};
use tidings::terminal::{ColourDepth, Sgr16Backend};

/// When the story was published, and the app's clock three hours later.
const PUBLISHED: i64 = 1_700_000_000;
const NOW: i64 = PUBLISHED + 3 * 3600;
/// A preformatted line much wider than any pane.
const LONG_CODE: &str =
    "let total = prices.iter().map(|p| p.amount * p.quantity).sum::<u64>(); // far too long";

/// Text pushed piece by piece, each piece with its inline style.
fn block(b: &mut BodyBuilder, kind: BlockKind, quote: u8, pieces: &[(&str, Option<Inline>)]) {
    let mut text = String::new();
    let mut spans = Vec::new();
    for (piece, style) in pieces {
        let start = text.len() as u32;
        text.push_str(piece);
        if let Some(style) = style {
            spans.push(Span {
                start,
                end: text.len() as u32,
                style: *style,
            });
        }
    }
    b.push(text, Block { kind, quote, spans });
}

/// One article with every block kind, written for these tests.
fn structured() -> Article {
    let mut b = BodyBuilder::default();
    let report = Inline::Link(b.link("the budget report", "https://example.org/budget"));
    let bad = Inline::Link(b.link("a hostile link", "javascript:alert(1)"));
    let item = |depth, number| BlockKind::ListItem { depth, number };
    let p = BlockKind::Paragraph;
    block(
        &mut b,
        BlockKind::Heading { level: 1 },
        0,
        &[("Harbour costs rise", None)],
    );
    block(
        &mut b,
        p,
        0,
        &[
            ("The council read ", None),
            ("the budget report", Some(report)),
            (" aloud. It was ", None),
            ("long", Some(Inline::Emphasis)),
            (", it was ", None),
            ("late", Some(Inline::Strong)),
            (" and it quoted ", None),
            ("cost_per_berth", Some(Inline::Code)),
            (" twice.", None),
        ],
    );
    block(
        &mut b,
        BlockKind::Heading { level: 2 },
        0,
        &[("What changes", None)],
    );
    block(
        &mut b,
        item(0, None),
        0,
        &[(
            "Berth fees go up for every vessel that stays longer than a week",
            None,
        )],
    );
    block(
        &mut b,
        item(1, None),
        0,
        &[("Fishing boats are exempt until spring", None)],
    );
    block(
        &mut b,
        item(0, None),
        0,
        &[("The ferry timetable stays", None)],
    );
    block(&mut b, p, 0, &[("The steps, in order:", None)]);
    block(
        &mut b,
        item(0, Some(1)),
        0,
        &[("Publish the new fees", None)],
    );
    block(
        &mut b,
        item(0, Some(2)),
        0,
        &[("Hear objections from the harbour users for a month", None)],
    );
    block(
        &mut b,
        p,
        1,
        &[(
            "We were not asked, and we will say so at every meeting until we are heard.",
            None,
        )],
    );
    block(
        &mut b,
        p,
        2,
        &[(
            "Nor were we, said a second voice from the back of the hall.",
            None,
        )],
    );
    block(
        &mut b,
        BlockKind::Preformatted,
        0,
        &[(LONG_CODE, None), ("\n", None), ("next line", None)],
    );
    block(
        &mut b,
        p,
        0,
        &[("[image: A chart of berth fees]", Some(Inline::Image))],
    );
    block(
        &mut b,
        BlockKind::Heading { level: 3 },
        0,
        &[("Reactions", None)],
    );
    block(
        &mut b,
        p,
        0,
        &[
            ("Critics called ", None),
            ("a hostile link", Some(bad)),
            (" unfair.", None),
        ],
    );
    let (paragraphs, blocks, links) = b.finish();
    let text = MetaText {
        id: "5eed5eed5eed5eed",
        title: "Harbour fees to rise",
        category: Some("business"),
        rel_path: "business/harbour.md",
        url: Some("https://example.org/harbour"),
        author: Some("Jane Doe"),
        published: Some(PUBLISHED),
        ..MetaText::default()
    };
    let meta = ArticleMeta::new(text, "/nonexistent/harbour.md".into(), 160, 1, 0);
    Article {
        meta,
        paragraphs,
        blocks,
        links,
    }
}

/// The app with `article` open in the reader at `w`x`h`.
fn open(article: Article, w: u16, h: u16, hyperlinks: bool) -> App {
    let library = Library::from_articles(Origin::Disk(vec![]), vec![article.meta.clone()]);
    let settings = Settings {
        hyperlinks,
        ..Settings::default()
    };
    let mut app = App::new(library, settings);
    app.apply(Event::Clock(NOW));
    app.update(Action::Resize(w, h));
    app.update(Action::Open);
    app.apply(Event::Body {
        index: 0,
        body: Ok(article),
    });
    app
}

/// Every line of the open story at the current width.
fn all_lines(app: &App) -> Vec<String> {
    let reader = app.reader().expect("a story is open");
    let wrapped = reader.current().expect("laid out");
    wrapped.lines.iter().map(|l| l.text.clone()).collect()
}

/// Where `needle` first starts on screen (column, row).
fn find(buf: &Buffer, needle: &str) -> (u16, u16) {
    for y in 0..buf.area.height {
        let row: Vec<&str> = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        let joined = row.concat();
        if let Some(byte) = joined.find(needle) {
            let x = row
                .iter()
                .scan(0, |at, s| {
                    *at += s.len();
                    Some(*at)
                })
                .position(|end| end > byte)
                .unwrap();
            return (x as u16, y);
        }
    }
    panic!("{needle:?} is not on screen");
}

fn modifiers_at(buf: &Buffer, needle: &str) -> Modifier {
    buf[find(buf, needle)].modifier
}

#[test]
fn every_block_kind_on_screen_and_in_full() {
    for (w, h) in [(120, 40), (40, 12)] {
        let app = open(structured(), w, h, false);
        insta::assert_snapshot!(
            format!("reader_blocks_{w}x{h}"),
            screen(&app, w, h).backend()
        );
        insta::assert_snapshot!(
            format!("reader_blocks_lines_{w}x{h}"),
            all_lines(&app).join("\n")
        );
    }
}

#[test]
fn the_meta_line_has_author_relative_date_host_and_length() {
    let app = open(structured(), 120, 40, false);
    let lines = all_lines(&app);
    let meta = lines.iter().find(|l| l.starts_with("By ")).unwrap();
    assert_eq!(
        meta,
        "By Jane Doe · 3h ago · example.org · 160 words · 1 min"
    );
}

#[test]
fn headings_links_and_inline_styles_reach_the_cells() {
    let app = open(structured(), 120, 40, false);
    let s = screen(&app, 120, 40);
    let buf = s.buffer();
    assert!(modifiers_at(buf, "Harbour costs rise").contains(Modifier::BOLD));
    assert!(modifiers_at(buf, "Reactions").contains(Modifier::BOLD | Modifier::ITALIC));
    assert!(modifiers_at(buf, "the budget report").contains(Modifier::UNDERLINED));
    assert!(!modifiers_at(buf, " aloud").contains(Modifier::UNDERLINED));
    assert!(modifiers_at(buf, "long,").contains(Modifier::ITALIC));
    assert!(modifiers_at(buf, "late").contains(Modifier::BOLD));
    assert!(modifiers_at(buf, "cost_per_berth").contains(Modifier::REVERSED));
    assert!(modifiers_at(buf, "[image:").contains(Modifier::DIM));
    let number = find(buf, "report[1]");
    let after = (number.0 + "report".len() as u16, number.1);
    assert!(
        !buf[after].modifier.contains(Modifier::UNDERLINED),
        "the number is not link text"
    );
    assert!(buf[after].modifier.contains(Modifier::DIM));
}

#[test]
fn lists_hang_and_quotes_keep_their_bar_on_every_line() {
    let app = open(structured(), 40, 12, false);
    let lines = all_lines(&app);
    let at = lines
        .iter()
        .position(|l| l.starts_with("• Berth fees"))
        .unwrap();
    assert!(lines[at + 1].starts_with("  ") && !lines[at + 1].trim().is_empty());
    assert!(
        lines.iter().any(|l| l.starts_with("  ◦ Fishing")),
        "nested bullet, indented"
    );
    let numbered = lines.iter().position(|l| l.starts_with("2. Hear")).unwrap();
    assert!(lines[numbered + 1].starts_with("   ") && !lines[numbered + 1].starts_with("    "));
    let quote: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("asked") || l.contains("meeting"))
        .collect();
    assert!(quote.iter().all(|l| l.starts_with("│ ")), "{quote:?}");
    let between = lines.iter().position(|l| l.starts_with("│ │ Nor")).unwrap() - 1;
    assert_eq!(
        lines[between], "│ ",
        "the quote goes on over the blank line"
    );
    let nested = lines.iter().filter(|l| l.starts_with("│ │ ")).count();
    assert!(
        nested >= 2,
        "the nested quote wraps with both bars: {lines:?}"
    );
    assert!(
        lines
            .iter()
            .all(|l| tidings::text::width(l) <= 40 || l.starts_with("let total"))
    );
}

#[test]
fn a_preformatted_line_longer_than_the_pane_is_cut_not_wrapped() {
    let app = open(structured(), 40, 12, false);
    let lines = all_lines(&app);
    let at = lines
        .iter()
        .position(|l| l == LONG_CODE)
        .expect("one line, whole");
    assert_eq!(lines[at + 1], "next line");
    let reader = app.reader().unwrap();
    assert_eq!(
        reader.current().unwrap().lines[at].kind,
        LineKind::Preformatted
    );
    // On screen: the row holds the line's start, cut at the pane's edge,
    // and the next source line is the next row.
    let mut app = app;
    let rows = loop {
        let rows = screen(&app, 40, 12).rows();
        if rows.iter().any(|r| r.contains("next line")) {
            break rows;
        }
        app.update(Action::Down);
    };
    let row = rows.iter().position(|r| r.contains("let total")).unwrap();
    assert_eq!(rows[row], " let total = prices.iter().map(|p| p.am ");
    assert_eq!(rows[row + 1].trim(), "next line");
}

#[test]
fn the_links_list_follows_the_article_numbered_as_in_the_text() {
    let app = open(structured(), 120, 40, false);
    let lines = all_lines(&app);
    let at = lines
        .iter()
        .position(|l| l == "Links")
        .expect("a Links heading");
    assert_eq!(lines[at + 1], "");
    assert_eq!(lines[at + 2], "[1] https://example.org/budget");
    assert_eq!(lines[at + 3], "[2] javascript:alert(1)");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("a hostile link[2] unfair."))
    );
}

/// A reader on the structured article, laid out at `width`, with the
/// search `query` found.
fn searched(query: &str, width: usize) -> Reader {
    let mut reader = Reader::new(0, &structured(), Some(NOW));
    reader.layout(width);
    reader.find_matches(query, &tidings::search::parse(query), 10);
    reader
}

/// The highlighted text of every match, in order, with its line.
fn highlighted(reader: &Reader) -> Vec<(usize, String)> {
    let wrapped = reader.current().unwrap();
    let m = reader.matches().unwrap();
    (0..wrapped.lines.len())
        .flat_map(|i| {
            m.pieces(i)
                .iter()
                .map(move |p| (i, wrapped.lines[i].text[p.range.clone()].to_string()))
        })
        .collect()
}

#[test]
fn highlights_land_on_the_word_inside_a_link_and_after_its_number() {
    for width in [30, 60, 120] {
        let reader = searched("budget aloud", width);
        let words: Vec<String> = highlighted(&reader).into_iter().map(|(_, w)| w).collect();
        // "budget" in the link text and in the links list's target; "aloud"
        // right after the link's [1].
        assert!(
            words
                .iter()
                .all(|w| w.eq_ignore_ascii_case("budget") || w == "aloud"),
            "{width}: {words:?}"
        );
        assert!(words.contains(&"aloud".to_string()), "{width}: {words:?}");
    }
}

#[test]
fn n_steps_to_a_match_inside_a_nested_list_item_and_a_quote() {
    let mut reader = searched("exempt heard", 40);
    let found = highlighted(&reader);
    assert_eq!(
        found.iter().map(|(_, w)| w.as_str()).collect::<Vec<_>>(),
        ["exempt", "heard"]
    );
    let lines = reader.current().unwrap().lines.clone();
    assert!(
        lines[found[0].0].text.starts_with("  ◦ "),
        "inside the nested item"
    );
    assert!(lines[found[1].0].text.starts_with("│ "), "inside the quote");
    assert_eq!(reader.matches().unwrap().current(), Some(0));
    assert_eq!(reader.step_match(true, 5), Some(false));
    assert_eq!(reader.matches().unwrap().current(), Some(1));
    let line = found[1].0;
    assert!(
        reader.scroll() <= line && line < reader.scroll() + 5,
        "the match is in view"
    );
}

#[test]
fn resume_counts_article_blocks_and_the_links_list_does_not_break_it() {
    let article = structured();
    let last = article.paragraphs.len() - 1;
    for width in [30, 80] {
        let mut reader = Reader::new(0, &article, None);
        reader.resume_at(9);
        reader.layout(width);
        assert_eq!(reader.top_paragraph(), Some(9), "{width}");
        let line = &reader.current().unwrap().lines[reader.scroll()];
        assert!(line.text.starts_with("│ We were"), "{width}: {line:?}");
        reader.scroll_to_bottom(3);
        assert_eq!(
            reader.top_paragraph(),
            Some(last),
            "in the links list: {width}"
        );
    }
}

/// Bytes written by the real backend, shared with the test.
#[derive(Clone, Default)]
struct Out(Arc<Mutex<Vec<u8>>>);

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Everything the real backend writes for the app's frames: the first,
/// then one after each of `actions`.
fn written(app: &mut App, actions: &[Action]) -> String {
    let out = Out::default();
    let backend = Sgr16Backend::new(out.clone(), ColourDepth::Basic);
    let mut terminal = ratatui::Terminal::new(backend).unwrap();
    let _ = terminal.resize(app.area());
    terminal.draw(|f| tidings::ui::draw(app, f)).unwrap();
    for action in actions {
        app.update(*action);
        terminal.draw(|f| tidings::ui::draw(app, f)).unwrap();
    }
    let bytes = out.0.lock().unwrap().clone();
    String::from_utf8(bytes).unwrap()
}

/// The text inside each OSC 8 hyperlink in `out`, and its URL.
fn hyperlinked(out: &str) -> Vec<(String, String)> {
    const CLOSE: &str = "\x1b]8;;\x1b\\";
    let mut found = Vec::new();
    let mut rest = out;
    while let Some(at) = rest.find("\x1b]8;;") {
        let after = &rest[at + 5..];
        let end = after.find("\x1b\\").expect("every OSC 8 is ended by ST");
        let url = &after[..end];
        let inner = &after[end + 2..];
        if url.is_empty() {
            rest = inner;
            continue;
        }
        let close = inner.find(CLOSE).expect("every link is closed");
        found.push((url.to_string(), inner[..close].to_string()));
        rest = &inner[close + CLOSE.len()..];
    }
    found
}

#[test]
fn osc8_wraps_each_cell_of_safe_link_text_only_when_enabled() {
    let mut app = open(structured(), 120, 40, true);
    let out = written(&mut app, &[]);
    let links = hyperlinked(&out);
    let text: String = links.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        text, "the budget report",
        "each cell a whole link, link text only"
    );
    assert!(
        links
            .iter()
            .all(|(url, t)| url == "https://example.org/budget" && t.chars().count() == 1)
    );
    assert!(
        !out.contains("javascript"),
        "a target safe_url refuses is never written"
    );

    let mut plain = open(structured(), 120, 40, false);
    assert!(!written(&mut plain, &[]).contains("\x1b]8;"));
}

#[test]
fn osc8_links_stay_whole_when_scrolling_redraws_part_of_them() {
    let mut app = open(structured(), 40, 12, true);
    let out = written(
        &mut app,
        &[Action::Down, Action::Down, Action::Down, Action::Up],
    );
    let links = hyperlinked(&out);
    assert!(!links.is_empty());
    // Every opening sequence is closed right after one cell's text, so no
    // redraw can leave a link open over other text.
    assert!(
        links.iter().all(|(_, t)| t.chars().count() == 1),
        "{links:?}"
    );
    let opens = out.matches("\x1b]8;;h").count();
    assert_eq!(opens, links.len());
}

/// The built binary in a pseudo-terminal with `TERM=term` on a Markdown
/// story with a safe and a hostile link: everything it wrote after
/// opening the story.
fn pty_output(term: &str) -> Vec<u8> {
    use crate::common::pty::{Session, tidings_pty};
    let home = tempfile::tempdir().unwrap();
    crate::common::write_tree(
        &home.path().join("lib"),
        &[(
            "story.md",
            b"# Harbour fees\n\nThe council read [the report](https://example.org/report) \
              and [a trap](javascript:alert(1)) aloud.\n",
        )],
    );
    let mut cmd = tidings_pty(home.path(), &["-l", "lib"]);
    cmd.cwd(home.path());
    cmd.env("TERM", term);
    let mut s = Session::spawn(cmd, 100, 30, None);
    s.wait_for("1 articles");
    s.send("\r");
    s.wait_for("report[1]");
    let (code, out, _) = s.quit();
    assert_eq!(code, 0);
    out
}

#[test]
fn the_real_binary_writes_osc8_around_link_text_only_where_enabled() {
    let out = String::from_utf8(pty_output("xterm-256color")).unwrap();
    let links = hyperlinked(&out);
    let text: String = links.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(text, "the report");
    assert!(
        links
            .iter()
            .all(|(url, _)| url == "https://example.org/report")
    );
    assert!(!out.contains("javascript"));
    // The Linux console shows OSC 8 as garbage: auto leaves it out (a
    // dumb terminal gets no full-screen reader at all).
    let out = pty_output("linux");
    assert!(!out.windows(4).any(|w| w == b"\x1b]8;"));
}
