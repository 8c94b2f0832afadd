//! Markdown articles: front matter, structure, links, cleaning, hostile
//! input, and what the library makes of them.

use crate::common::{repo_file, write_tree};
use std::time::{Duration, Instant};
use tidings::article::{BlockKind, Format, Inline, ParseError, Parsed};
use tidings::library::{Library, LoadOptions, SkipReason, parse_bytes};

/// Generous for a debug build on a shared machine; a release build takes
/// a small fraction of it.
const DEADLINE: Duration = Duration::from_secs(10);

fn fixture(name: &str) -> Parsed {
    let bytes = std::fs::read(repo_file(&format!("tests/fixtures/markdown/{name}"))).unwrap();
    parse_bytes(&bytes, Format::Markdown).expect("fixture parses")
}

fn md(text: &str) -> Parsed {
    parse_bytes(text.as_bytes(), Format::Markdown).expect("parses")
}

/// Each block as (kind, quote depth, text).
fn blocks(p: &Parsed) -> Vec<(BlockKind, u8, &str)> {
    (0..p.paragraphs.len())
        .map(|i| {
            let b = p.blocks.get(i).cloned().unwrap_or_default();
            (b.kind, b.quote, p.paragraphs[i].as_str())
        })
        .collect()
}

/// The styled spans of block `i`, with the text each covers.
fn spans(p: &Parsed, i: usize) -> Vec<(Inline, &str)> {
    p.blocks[i]
        .spans
        .iter()
        .map(|s| (s.style, &p.paragraphs[i][s.range()]))
        .collect()
}

fn item(depth: u8, number: Option<u32>) -> BlockKind {
    BlockKind::ListItem { depth, number }
}

fn block_of(p: &Parsed, text: &str) -> usize {
    p.paragraphs
        .iter()
        .position(|t| t == text)
        .unwrap_or_else(|| panic!("no block {text:?} in {:#?}", p.paragraphs))
}

#[test]
fn yaml_front_matter_gives_the_metadata_and_the_h1_stays_in_the_body() {
    let p = fixture("yaml-front-matter.md");
    assert_eq!(p.title, "Harbour town opens its new library");
    assert_eq!(p.author.as_deref(), Some("Mara Quinn, Tom Abel"));
    assert_eq!(p.published, Some(1_448_361_000), "2015-11-24T10:30:00Z");
    assert_eq!(
        p.url.as_deref(),
        Some("https://news.example.org/2015/harbour-library")
    );
    assert_eq!(p.source.as_deref(), Some("The Example Courier"));
    assert_eq!(p.tags, ["local", "books", "culture"]);
    assert_eq!(
        p.summary.as_deref(),
        Some("The old customs house reopens as a public library.")
    );
    // Front matter gave the title, so the H1 is body text.
    assert_eq!(
        blocks(&p)[0],
        (
            BlockKind::Heading { level: 1 },
            0,
            "A heading that is not the title"
        )
    );
}

#[test]
fn toml_front_matter_gives_the_metadata() {
    let p = fixture("toml-front-matter.md");
    assert_eq!(p.title, "Rail line to reopen in spring");
    assert_eq!(p.author.as_deref(), Some("Ines Park"));
    assert_eq!(p.published, Some(1_456_790_400), "2016-03-01, a TOML date");
    assert_eq!(p.url.as_deref(), Some("https://example.org/rail"));
    assert_eq!(p.source.as_deref(), Some("Example Wire"));
    assert_eq!(p.tags, ["transport", "rail"], "split, trimmed, each once");
    assert_eq!(p.summary.as_deref(), Some("A closed line returns."));
    assert_eq!(
        p.paragraphs,
        [
            "Engineers have finished the survey of the old line.",
            "Trains are due to run again in the spring."
        ]
    );
    assert!(p.blocks.is_empty(), "plain paragraphs need no blocks");
}

#[test]
fn broken_front_matter_skips_the_file_with_the_line() {
    let bytes = std::fs::read(repo_file("tests/fixtures/markdown/broken-front-matter.md")).unwrap();
    let err = parse_bytes(&bytes, Format::Markdown).unwrap_err();
    let SkipReason::Parse(ParseError::FrontMatter(reason)) = &err else {
        panic!("{err:?}");
    };
    assert!(reason.starts_with("YAML, line 4: "), "{reason}");
    assert!(
        err.to_string()
            .starts_with("broken front matter: YAML, line 4"),
        "{err}"
    );
    let toml = parse_bytes(
        b"+++\ntitle = \"x\"\ndate = 2016-13-45\n+++\nBody",
        Format::Markdown,
    )
    .unwrap_err();
    assert!(
        matches!(&toml, SkipReason::Parse(ParseError::FrontMatter(r)) if r.starts_with("TOML, line 3")),
        "{toml:?}"
    );
}

#[test]
fn a_value_of_the_wrong_type_loses_only_itself() {
    let p = md(
        "---\ntitle: Kept\nauthor: {name: nested}\ndate: 1448323200\ntags: 5\nurl: /relative/path\n---\nBody.",
    );
    assert_eq!(p.title, "Kept");
    assert_eq!(p.author, None);
    assert_eq!(p.published, Some(1_448_323_200), "a YAML number");
    assert_eq!(p.tags, ["5"]);
    assert_eq!(p.url, None, "only a URL that may be opened is kept");
}

#[test]
fn without_front_matter_the_first_h1_is_the_title_and_leaves_the_body() {
    let p = fixture("structure.md");
    assert_eq!(p.title, "Council sets out its budget");
    assert!(
        !p.paragraphs
            .iter()
            .any(|t| t == "Council sets out its budget")
    );
    assert_eq!(
        blocks(&p)[1],
        (BlockKind::Heading { level: 2 }, 0, "What changes")
    );
    assert_eq!(
        (p.url.as_ref(), p.author.as_ref(), p.published),
        (None, None, None)
    );
}

#[test]
fn without_an_h1_the_first_line_is_the_title() {
    let p = md("## Not a top heading\n\nFirst paragraph.\n\n# Later H1\n");
    assert_eq!(p.title, "Later H1", "the first H1 anywhere wins");
    let p = md("Just a first line\n\nThen the body.\n");
    assert_eq!(p.title, "Just a first line");
    assert_eq!(p.paragraphs, ["Then the body."]);
}

#[test]
fn an_empty_file_or_front_matter_alone_is_empty() {
    for text in [
        "",
        "  \n\n",
        "---\nauthor: Ann\n---\n",
        "<!-- only a comment -->\n",
    ] {
        assert_eq!(
            parse_bytes(text.as_bytes(), Format::Markdown).unwrap_err(),
            SkipReason::Empty,
            "{text:?}"
        );
    }
    // A title in front matter is an article, even with no body.
    assert_eq!(md("---\ntitle: Only a title\n---\n").title, "Only a title");
}

#[test]
fn nested_lists_keep_their_depth_and_numbers() {
    let p = fixture("structure.md");
    let from = block_of(&p, "Bus fares fall.");
    assert_eq!(
        blocks(&p)[from..from + 6],
        [
            (item(0, Some(1)), 0, "Bus fares fall."),
            (item(0, Some(2)), 0, "Parks get more staff:"),
            (item(1, None), 0, "two gardeners"),
            (item(1, None), 0, "one warden"),
            (item(2, Some(1)), 0, "from May"),
            (item(0, Some(3)), 0, "Libraries open later."),
        ]
    );
    let seven = block_of(&p, "A list that starts at seven");
    assert_eq!(
        blocks(&p)[seven..seven + 2],
        [
            (item(0, Some(7)), 0, "A list that starts at seven"),
            (item(0, Some(8)), 0, "and goes on"),
        ]
    );
}

#[test]
fn a_list_items_later_paragraphs_are_plain() {
    let p = md("T\n\n- First para of the item.\n\n  Second para of the item.\n- Next item\n");
    assert_eq!(
        blocks(&p),
        [
            (item(0, None), 0, "First para of the item."),
            (BlockKind::Paragraph, 0, "Second para of the item."),
            (item(0, None), 0, "Next item"),
        ]
    );
}

#[test]
fn code_blocks_are_verbatim_without_the_trailing_newline() {
    let p = fixture("structure.md");
    let i = block_of(&p, "let total = 10;\n  indented");
    assert_eq!(p.blocks[i].kind, BlockKind::Preformatted);
    let p = md("T\n\n    indented   code\n\tafter a tab\n");
    assert_eq!(
        blocks(&p),
        [(BlockKind::Preformatted, 0, "indented   code\nafter a tab")]
    );
}

#[test]
fn quotes_count_their_depth_on_every_block_inside() {
    let p = fixture("structure.md");
    let i = block_of(&p, "The plan is fair, said the leader.");
    assert_eq!(
        blocks(&p)[i..i + 2],
        [
            (
                BlockKind::Paragraph,
                1,
                "The plan is fair, said the leader."
            ),
            (BlockKind::Paragraph, 2, "Quoted inside a quote."),
        ]
    );
    let p = md("T\n\n> ## Quoted heading\n> - quoted item\n\nAfter.");
    assert_eq!(
        blocks(&p),
        [
            (BlockKind::Heading { level: 2 }, 1, "Quoted heading"),
            (item(0, None), 1, "quoted item"),
            (BlockKind::Paragraph, 0, "After."),
        ]
    );
}

#[test]
fn links_are_numbered_once_per_target_and_only_safe_targets_link() {
    let p = fixture("structure.md");
    let first = &p.paragraphs[0];
    assert_eq!(
        first,
        "The council published its plans on Monday. Read the full plan or the summary."
    );
    // Two links to one target are one numbered link.
    assert_eq!(
        spans(&p, 0),
        [(Inline::Link(0), "full plan"), (Inline::Link(0), "summary")]
    );
    let last = p.paragraphs.len() - 1;
    assert_eq!(p.paragraphs[last], "A bad link, a file, a data and mail.");
    assert_eq!(spans(&p, last), [(Inline::Link(1), "mail")]);
    let links: Vec<(&str, &str)> = p
        .links
        .iter()
        .map(|l| (l.text.as_str(), l.target.as_str()))
        .collect();
    assert_eq!(
        links,
        [
            ("full plan", "https://example.org/plan"),
            ("mail", "mailto:desk@example.org")
        ]
    );
}

#[test]
fn link_targets_are_stored_in_their_safe_form() {
    let p = md("T\n\n[a](<https://example.org/a b>) [c](https://example.org/&#27;x)\n");
    let targets: Vec<&str> = p.links.iter().map(|l| l.target.as_str()).collect();
    assert_eq!(
        targets,
        ["https://example.org/a%20b", "https://example.org/%1Bx"]
    );
}

#[test]
fn images_read_as_their_alt_text() {
    let p = fixture("structure.md");
    let i = block_of(&p, "[image: The town hall at dusk]");
    assert_eq!(
        spans(&p, i),
        [(Inline::Image, "[image: The town hall at dusk]")]
    );
    let p = md(
        "T\n\nSee ![](https://example.org/x.png) and [![logo](https://example.org/l.png)](https://example.org/).",
    );
    assert_eq!(p.paragraphs, ["See [image] and [image: logo]."]);
    assert_eq!(
        spans(&p, 0),
        [
            (Inline::Image, "[image]"),
            (Inline::Link(0), "[image: logo]"),
            (Inline::Image, "[image: logo]"),
        ]
    );
}

#[test]
fn emphasis_strong_and_code_are_spans_of_one_line_of_text() {
    let p = fixture("yaml-front-matter.md");
    assert_eq!(
        p.paragraphs[1],
        "The library opened on Tuesday after three years of work, the council said in a statement."
    );
    assert_eq!(
        spans(&p, 1),
        [
            (Inline::Emphasis, "Tuesday"),
            (Inline::Strong, "three years"),
            (Inline::Link(0), "statement"),
        ]
    );
    assert_eq!(
        spans(&p, 2),
        [(Inline::Code, "wifi"), (Inline::Link(0), "statement")]
    );
    let p = md("T\n\n***both*** and a hard  \nbreak\\\nand `a  b`");
    assert_eq!(p.paragraphs, ["both and a hard break and a  b"]);
    assert_eq!(
        spans(&p, 0),
        [
            (Inline::Emphasis, "both"),
            (Inline::Strong, "both"),
            (Inline::Code, "a  b")
        ]
    );
}

#[test]
fn raw_html_tags_are_dropped_and_their_text_kept() {
    let p = md(
        "T\n\n<div class=\"box\">\n<p>Inside a <b>block</b>.</p>\n<script>alert(1)</script>\n</div>\n\nInline <span style=\"x\">text</span> here.<br>Next.\n",
    );
    assert_eq!(
        p.paragraphs,
        ["Inside a block .", "Inline text here. Next."]
    );
}

#[test]
fn tables_read_one_row_per_paragraph() {
    let p = md("T\n\n| Team | Points |\n|------|-------:|\n| Reds | 12 |\n| Blues | |\n");
    assert_eq!(p.paragraphs, ["Team | Points", "Reds | 12", "Blues |"]);
}

#[test]
fn placeholders_captions_and_trailing_navigation_are_cleaned() {
    let p = md(concat!(
        "# Mayor opens bridge\n\n",
        "{mosads}The mayor opened the *new* {{ad_slot}} bridge on Friday.\n\n",
        "Mayor At The Bridge\n\n",
        "The mayor cuts the ribbon. Photo: Jane Doe/Example Images\n\n",
        "Traffic will start on Monday.\n\n",
        "- Most Popular list item\n\n",
        "Most Popular\n\n",
        "Load more\n",
    ));
    assert_eq!(
        p.paragraphs,
        [
            "The mayor opened the new bridge on Friday.",
            "Traffic will start on Monday.",
            "Most Popular list item",
        ]
    );
    assert_eq!(spans(&p, 0), [(Inline::Emphasis, "new")]);
}

#[test]
fn the_same_story_as_txt_and_md_has_the_same_id() {
    let text = "Rail line to reopen in spring\n\nEngineers have finished the survey of the old line.\n\nTrains are due to run again in the spring.\n";
    let txt = parse_bytes(text.as_bytes(), Format::Text).unwrap();
    let plain_md = md(text);
    assert_eq!(plain_md.id(), txt.id());
    let styled = md(concat!(
        "---\ntitle: Rail line to reopen in spring\nauthor: Ines Park\n---\n\n",
        "Engineers have finished the *survey* of the [old line](https://example.org/line).\n\n",
        "Trains are due to run\nagain in the **spring**.\n",
    ));
    assert_eq!(styled.id(), txt.id(), "markup and metadata are not content");
    let h1 = md(&format!("# {text}"));
    assert_eq!(h1.id(), txt.id());
    // The TOML fixture has this story's text too.
    assert_eq!(fixture("toml-front-matter.md").id(), txt.id());
}

#[test]
fn a_library_of_markdown_files_has_their_metadata() {
    let dir = tempfile::TempDir::new().unwrap();
    let read =
        |name: &str| std::fs::read(repo_file(&format!("tests/fixtures/markdown/{name}"))).unwrap();
    let (yaml, toml, broken) = (
        read("yaml-front-matter.md"),
        read("toml-front-matter.md"),
        read("broken-front-matter.md"),
    );
    write_tree(
        dir.path(),
        &[
            ("lib/culture/library.md", &yaml),
            ("lib/transport/rail.markdown", &toml),
            ("lib/broken.md", &broken),
            ("lib/plain.txt", b"A plain story\n\nIts body.\n"),
        ],
    );
    let lib = Library::load(&[dir.path().join("lib")], LoadOptions::default()).unwrap();
    assert_eq!(lib.len(), 3);
    let skipped: Vec<String> = lib.skipped().iter().map(|s| s.reason.to_string()).collect();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(
        skipped[0].starts_with("broken front matter: YAML, line 4"),
        "{skipped:?}"
    );
    let by_title = |t: &str| {
        lib.articles()
            .iter()
            .find(|a| a.title() == t)
            .unwrap_or_else(|| panic!("no {t}"))
            .clone()
    };
    let a = by_title("Harbour town opens its new library");
    assert_eq!(a.format(), Format::Markdown);
    assert_eq!(a.category(), Some("culture"));
    assert_eq!(a.author(), Some("Mara Quinn, Tom Abel"));
    assert_eq!(
        a.url(),
        Some("https://news.example.org/2015/harbour-library")
    );
    assert_eq!(a.host(), Some("news.example.org"));
    assert_eq!(a.source(), Some("The Example Courier"));
    assert_eq!(a.tags(), Some("local, books, culture"));
    assert_eq!(a.published(), Some(1_448_361_000));
    let r = by_title("Rail line to reopen in spring");
    assert_eq!(r.format(), Format::Markdown);
    assert_eq!(
        (r.author(), r.published()),
        (Some("Ines Park"), Some(1_456_790_400))
    );
    assert_eq!(by_title("A plain story").format(), Format::Text);
}

// Hostile input.

#[test]
fn a_100000_deep_block_quote_parses_in_time() {
    let text = format!("T\n\n{}deep\n", ">".repeat(100_000));
    let started = Instant::now();
    let p = md(&text);
    assert!(started.elapsed() < DEADLINE, "{:?}", started.elapsed());
    assert_eq!(blocks(&p), [(BlockKind::Paragraph, u8::MAX, "deep")]);
}

#[test]
fn a_100000_deep_nested_list_parses_in_time() {
    for marker in ["- ", "1. "] {
        let text = format!("T\n\n{}deep\n", marker.repeat(100_000));
        let started = Instant::now();
        let p = md(&text);
        assert!(
            started.elapsed() < DEADLINE,
            "{marker}: {:?}",
            started.elapsed()
        );
        let last = blocks(&p).pop().unwrap();
        assert_eq!(last.2, "deep");
        assert!(
            matches!(last.0, BlockKind::ListItem { depth: u8::MAX, .. }),
            "{last:?}"
        );
    }
}

#[test]
fn deeply_nested_emphasis_and_links_parse_in_time() {
    let text = format!(
        "T\n\n{}x{}\n\n{}y{}\n",
        "*".repeat(50_000),
        "*".repeat(50_000),
        "[".repeat(50_000),
        "](https://example.org/)".repeat(50_000),
    );
    let started = Instant::now();
    let p = md(&text);
    assert!(started.elapsed() < DEADLINE, "{:?}", started.elapsed());
    assert!(p.paragraphs.iter().any(|t| t.contains('x')));
}

#[test]
fn escape_sequences_and_bidi_controls_in_front_matter_never_survive() {
    let p = md(concat!(
        "---\n",
        "title: \"Evil\\e]52;c;aGk=\\a title\\u202e\"\n",
        "author: \"Ann\\x9b31m\\u2066 Lee\"\n",
        "site: \"Wire\\e[2J\"\n",
        "tags: [\"a\\e[31m\", \"b\\u200f\"]\n",
        "summary: \"s\\r\\nt\"\n",
        "url: \"https://example.org/\\e]8;;x\\a\"\n",
        "---\n",
        "Body.\n",
    ));
    assert_eq!(p.title, "Evil]52;c;aGk= title");
    assert_eq!(p.author.as_deref(), Some("Ann31m Lee"));
    assert_eq!(p.source.as_deref(), Some("Wire[2J"));
    assert_eq!(p.tags, ["a[31m", "b"]);
    assert_eq!(p.summary.as_deref(), Some("s t"));
    assert_eq!(p.url.as_deref(), Some("https://example.org/%1B]8;;x%07"));
    let toml = md("+++\ntitle = \"T\\u001b[2J\\u202eitle\"\n+++\nBody.\n");
    assert_eq!(toml.title, "T[2Jitle");
}

#[test]
fn entity_encoded_controls_never_survive() {
    let p = md(
        "Ti&#27;tle&#x9b;\n\nBo&#x1b;]0;x&#7;dy &#x202e;text &#10; more\n\n[li&#27;nk](https://example.org/)\n\n    code\x1b[31m\n",
    );
    let all = format!("{}\n{}", p.title, p.paragraphs.join("\n"));
    assert!(
        !all.chars()
            .any(|c| c != '\n' && tidings::article::sanitize::is_unsafe(c)),
        "{all:?}"
    );
    assert_eq!(p.title, "Title");
    assert_eq!(p.paragraphs[0], "Bo]0;xdy text more");
    assert_eq!(p.links[0].text, "link");
    assert_eq!(p.paragraphs[2], "code[31m");
}

#[test]
fn javascript_data_and_file_targets_never_become_links() {
    let p = md(concat!(
        "T\n\n[a](javascript:alert(1)) [b](JavaScript:alert(1)) [c](data:text/html,x) ",
        "[d](file:///etc/passwd) [e](<jav&#x61;script:x>) [f](vbscript:x) [g](/relative)\n\n",
        "<javascript:alert(1)> <https://example.org/ok>\n",
    ));
    assert_eq!(p.links.len(), 1, "{:?}", p.links);
    assert_eq!(p.links[0].target, "https://example.org/ok");
    assert_eq!(p.paragraphs[0], "a b c d e f g");
    assert!(
        p.blocks
            .iter()
            .flat_map(|b| &b.spans)
            .all(|s| s.style == Inline::Link(0))
    );
}

#[test]
fn a_yaml_alias_bomb_is_refused_in_time() {
    let mut yaml = String::from(
        "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (name, prev) in [
        ("b", "a"),
        ("c", "b"),
        ("d", "c"),
        ("e", "d"),
        ("f", "e"),
        ("g", "f"),
        ("h", "g"),
        ("i", "h"),
    ] {
        let refs = vec![format!("*{prev}"); 9].join(",");
        yaml.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    yaml.push_str("title: Bomb\n---\nBody.\n");
    let started = Instant::now();
    let err = parse_bytes(yaml.as_bytes(), Format::Markdown).unwrap_err();
    assert!(started.elapsed() < DEADLINE);
    assert!(
        matches!(&err, SkipReason::Parse(ParseError::FrontMatter(r)) if r.contains("aliases")),
        "{err:?}"
    );
    // One anchor used once or twice is fine.
    let p = md("---\nname: &n Ann Lee\nauthor: *n\n---\nBody.\n");
    assert_eq!(p.author.as_deref(), Some("Ann Lee"));
}

#[test]
fn oversized_front_matter_is_refused() {
    let text = format!(
        "---\ntitle: Big\nsummary: {}\n---\nBody.\n",
        "x".repeat(70 * 1024)
    );
    let err = parse_bytes(text.as_bytes(), Format::Markdown).unwrap_err();
    assert_eq!(
        err,
        SkipReason::Parse(ParseError::FrontMatter("longer than 64 KiB".into()))
    );
}

#[test]
fn deeply_nested_front_matter_is_refused_not_overflowed() {
    for text in [
        format!("---\ntitle: {}\n---\nBody.\n", "[".repeat(30_000)),
        format!("+++\ntitle = {}\n+++\nBody.\n", "[".repeat(30_000)),
    ] {
        let started = Instant::now();
        let err = parse_bytes(text.as_bytes(), Format::Markdown).unwrap_err();
        assert!(started.elapsed() < DEADLINE);
        assert!(
            matches!(err, SkipReason::Parse(ParseError::FrontMatter(_))),
            "{err:?}"
        );
    }
}

#[test]
fn a_first_paragraph_of_several_lines_gives_its_first_line_as_the_title() {
    let p = md("Headline on line one\nThe *body* starts\non the next line.\n\nMore.\n");
    assert_eq!(p.title, "Headline on line one");
    assert_eq!(p.paragraphs, ["The body starts on the next line.", "More."]);
    assert_eq!(spans(&p, 0), [(Inline::Emphasis, "body")]);
    let p = md("Headline *split\nacross* lines\n");
    assert_eq!(p.title, "Headline split");
    assert_eq!(p.paragraphs, ["across lines"]);
    assert_eq!(spans(&p, 0), [(Inline::Emphasis, "across")]);
}
