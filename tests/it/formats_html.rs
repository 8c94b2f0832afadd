//! Saved web pages and JSON records: what a reader gets from each, what is
//! left out, and hostile input under a deadline.

use crate::common::repo_file;
use std::time::Duration;
use tidings::article::{BlockKind, Format, Inline, ParseError, Parsed, date};
use tidings::library::{SkipReason, parse_bytes};

/// Generous for debug builds; a release build takes a fraction of it.
/// Counted in the parsing thread's own CPU time, so a test run that
/// shares the machine's cores (the whole suite at once, other work) does
/// not stretch it: what it catches is work that grows out of bounds.
const DEADLINE: Duration = Duration::from_secs(10);

/// The CPU time this thread has used so far.
fn thread_cpu() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(repo_file(&format!("tests/fixtures/{rel}"))).unwrap()
}

fn html(rel: &str) -> Parsed {
    parse_bytes(&fixture(&format!("html/{rel}")), Format::Html).expect("an article")
}

fn json(rel: &str) -> Result<Parsed, SkipReason> {
    parse_bytes(&fixture(&format!("json/{rel}")), Format::Json)
}

/// The blocks as (kind, text) pairs.
fn kinds(a: &Parsed) -> Vec<(BlockKind, &str)> {
    (0..a.paragraphs.len())
        .map(|i| {
            let kind = a.blocks.get(i).map_or(BlockKind::Paragraph, |b| b.kind);
            (kind, a.paragraphs[i].as_str())
        })
        .collect()
}

/// Every styled span as (style, its text).
fn spans(a: &Parsed) -> Vec<(Inline, &str)> {
    a.blocks
        .iter()
        .zip(&a.paragraphs)
        .flat_map(|(b, text)| b.spans.iter().map(|s| (s.style, &text[s.range()])))
        .collect()
}

fn all_text(a: &Parsed) -> String {
    let mut s = a.title.clone();
    for p in &a.paragraphs {
        s.push('\n');
        s.push_str(p);
    }
    s
}

fn assert_clean(a: &Parsed) {
    let fields = [
        Some(&a.title),
        a.author.as_ref(),
        a.source.as_ref(),
        a.url.as_ref(),
    ];
    let all = all_text(a);
    for text in fields.into_iter().flatten().chain([&all]) {
        assert!(
            tidings::article::sanitize::is_clean(text),
            "unsafe character in {text:?}"
        );
    }
}

#[test]
fn saved_page_gives_headline_metadata_and_structure() {
    let a = html("saved-page.html");
    assert_eq!(a.title, "River Library Reopens After Flood Repairs");
    assert_eq!(a.author.as_deref(), Some("Jane Marlow"));
    assert_eq!(a.source.as_deref(), Some("The Example Gazette"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://news.example.org/local/river-library-reopens")
    );
    assert_eq!(a.published, date::parse("2015-11-24T10:30:00Z"));
    assert_eq!(a.tags, ["libraries", "floods", "local news"]);
    assert_eq!(
        a.summary.as_deref(),
        Some("The town's riverside library has reopened after eighteen months of repairs.")
    );
    let blocks = kinds(&a);
    // The headline is the title, not a block of its own.
    assert!(blocks.iter().all(|(_, t)| *t != a.title));
    for want in [
        (BlockKind::Heading { level: 2 }, "What has changed"),
        (
            BlockKind::ListItem {
                depth: 0,
                number: None,
            },
            "Raised floors throughout the ground floor",
        ),
        (
            BlockKind::ListItem {
                depth: 1,
                number: None,
            },
            "One of them is quiet all day",
        ),
        (
            BlockKind::ListItem {
                depth: 0,
                number: Some(4),
            },
            "Opening hours return to normal next week.",
        ),
        (
            BlockKind::ListItem {
                depth: 0,
                number: Some(5),
            },
            "The café reopens in the spring.",
        ),
        (
            BlockKind::Preformatted,
            "Mon-Fri  09:00-19:00\nSat      10:00-16:00",
        ),
        (BlockKind::Paragraph, "Floor | Reopened"),
        (BlockKind::Paragraph, "Ground | November"),
    ] {
        assert!(blocks.contains(&want), "{want:?} in {blocks:#?}");
    }
    let quote = a
        .paragraphs
        .iter()
        .position(|p| p.starts_with("We were worried"))
        .unwrap();
    assert_eq!(a.blocks[quote].quote, 1);
}

#[test]
fn saved_page_spans_and_links() {
    let a = html("saved-page.html");
    let spans = spans(&a);
    for want in [
        (Inline::Emphasis, "eighteen months"),
        (Inline::Strong, "twelve thousand books"),
        (Inline::Code, "3"),
        (
            Inline::Image,
            "[image: The library's reading room, with new oak shelves]",
        ),
        (Inline::Link(0), "flood report"),
        (Inline::Link(1), "news desk"),
    ] {
        assert!(spans.contains(&want), "{want:?} in {spans:?}");
    }
    // The relative link resolved against the canonical URL; the
    // `javascript:` link kept its text and lost its target.
    let targets: Vec<&str> = a.links.iter().map(|l| l.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            "https://news.example.org/local/flood-report",
            "mailto:desk@example.org"
        ]
    );
    assert_eq!(a.links[0].text, "flood report");
    assert!(all_text(&a).contains("timetable on the library page and"));
}

#[test]
fn saved_page_junk_is_gone() {
    let a = html("saved-page.html");
    let text = all_text(&a);
    for junk in [
        "cookies",
        "Subscribe today",
        "Search the Gazette",
        "TRACKING SCRIPT",
        "font-family",
        "ADVERTISEMENT",
        "SPONSORED",
        "Share on",
        "COMMENT TEXT",
        "Most read",
        "Related stories",
        "All rights reserved",
        "Photo: Example Gazette",
    ] {
        assert!(!text.contains(junk), "{junk:?} left in:\n{text}");
    }
    assert!(text.contains("The riverside library in the centre of town"));
    assert!(
        text.ends_with("with their memories of the flood."),
        "{text}"
    );
}

#[test]
fn declared_legacy_charset_is_honoured() {
    let bytes = fixture("html/legacy-charset.html");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture is not UTF-8"
    );
    let a = html("legacy-charset.html");
    assert_eq!(a.title, "Le café du port rouvre ses portes");
    assert_eq!(a.author.as_deref(), Some("Amélie Rousseau"));
    assert_eq!(a.source.as_deref(), Some("Exemple Hebdo"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://hebdo.example.org/ville/cafe-du-port")
    );
    assert_eq!(a.published, date::parse("2016-03-02"));
    let text = all_text(&a);
    // € and œ are where ISO-8859-15 differs from Windows-1252.
    assert!(text.contains("près de 40 000 €"), "{text}");
    assert!(text.contains("L'œuvre peinte"), "{text}");
    assert!(!text.contains("Accueil"));
}

#[test]
fn a_page_with_no_article_is_skipped_with_that_reason() {
    let got = parse_bytes(&fixture("html/no-article.html"), Format::Html);
    assert_eq!(got, Err(SkipReason::Parse(ParseError::NoArticle)));
    let got = parse_bytes(b"<html><body>  </body></html>", Format::Html);
    assert_eq!(got, Err(SkipReason::Empty));
}

fn page(body: &str) -> String {
    let prose = "The council met on Monday to discuss the new bridge. ".repeat(6);
    format!(
        "<html><head><title>Bridge</title></head><body><article><p>{prose}</p>{body}</article></body></html>"
    )
}

#[test]
fn hostile_links_never_become_links() {
    let body = "<p>See <a href=\"javascript:alert(1)\">one</a>, <a href=\"data:text/html,hi\">two</a>, \
                <a href=\"file:///etc/passwd\">three</a>, \
                <a href=\"https://example.org/a\x1b]8;;https://evil.example\x07b\u{9c}c\">four</a>, \
                <a href=\"https://example.org/&#27;x&#x9b;y&#x1b;\\\">five</a> and \
                <a href=\"https://example.org/fine\">six</a> for the council's reasons in full.</p>";
    let a = parse_bytes(page(body).as_bytes(), Format::Html).unwrap();
    assert!(a.links.len() <= 3, "{:?}", a.links);
    for link in &a.links {
        assert!(link.target.starts_with("https://example.org/"), "{link:?}");
        assert!(
            link.target.bytes().all(|b| b.is_ascii_graphic()),
            "{link:?}"
        );
    }
    assert!(
        a.links
            .iter()
            .any(|l| l.target == "https://example.org/fine")
    );
    assert!(all_text(&a).contains("See one, two, three, four, five and six for"));
    assert_clean(&a);
}

#[test]
fn escape_sequences_and_bidi_controls_in_metadata_are_removed() {
    let page = format!(
        "<html><head><title>Bridge &#27;]0;owned&#7; \u{202e}title</title>\
         <meta name=\"author\" content=\"Eve &#x1b;[31mRed\u{2066}\">\
         <meta property=\"og:site_name\" content=\"Site\x1b]52;c;aGk=\x07\">\
         <link rel=\"canonical\" href=\"https://example.org/p\x1b[2J\"></head>\
         <body><article><p>{}</p><p>Entity &#27;[2J and &#x9b;31m and &#x202e; here. \
         <img alt=\"pic&#27;]2;x&#7;\" src=\"a.png\"></p></article></body></html>",
        "The council met on Monday to discuss the new bridge. ".repeat(6)
    );
    let a = parse_bytes(page.as_bytes(), Format::Html).unwrap();
    assert_clean(&a);
    assert_eq!(a.title, "Bridge ]0;owned title");
    assert_eq!(a.author.as_deref(), Some("Eve [31mRed"));
    assert_eq!(a.source.as_deref(), Some("Site]52;c;aGk="));
    assert_eq!(a.url.as_deref(), Some("https://example.org/p[2J"));
    // HTML maps the C1 reference `&#x9b;` to the Windows-1252 character.
    assert_eq!(
        a.paragraphs[1],
        "Entity [2J and \u{203a}31m and here. [image: pic]2;x]"
    );
}

fn within_deadline<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let started = thread_cpu();
    let out = f();
    let took = thread_cpu() - started;
    assert!(took < DEADLINE, "{what} took {took:?} of CPU time");
    out
}

#[test]
fn a_hundred_thousand_nested_divs_parse_within_the_deadline() {
    let n = 100_000;
    let prose = "Deep inside the page there is still a story to read. ".repeat(4);
    let page = format!(
        "<html><body>{}<p>{prose}</p>{}</body></html>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    );
    let a = within_deadline("nested divs", || parse_bytes(page.as_bytes(), Format::Html)).unwrap();
    assert_eq!(a.paragraphs.join(" "), prose.trim());
}

#[test]
fn a_hundred_thousand_nested_bold_tags_parse_within_the_deadline() {
    let n = 100_000;
    let prose = "Every word of this story is very bold indeed. ".repeat(4);
    let page = format!(
        "<html><body><p>{}{prose}{}</p></body></html>",
        "<b>".repeat(n),
        "</b>".repeat(n)
    );
    let a = within_deadline("nested bold", || parse_bytes(page.as_bytes(), Format::Html)).unwrap();
    assert_eq!(a.paragraphs.join(" "), prose.trim());
    assert_eq!(spans(&a), [(Inline::Strong, prose.trim())]);
}

#[test]
fn a_ten_megabyte_one_line_page_parses_within_the_deadline() {
    let paragraph = "<p>The river rose through the night and the town woke to water in the streets, <em>again</em>.</p>";
    let mut page = String::from("<html><head><title>Flood</title></head><body><article>");
    while page.len() < 10_000_000 {
        page.push_str(paragraph);
    }
    page.push_str("</article></body></html>");
    assert!(!page.contains('\n'));
    let a = within_deadline("10 MB page", || parse_bytes(page.as_bytes(), Format::Html)).unwrap();
    assert_eq!(a.title, "Flood");
    assert!(a.paragraphs.len() > 50_000);
}

#[test]
fn json_in_the_news_api_style() {
    let a = json("news-api.json").unwrap();
    assert_eq!(a.title, "Harbour Ferry Returns After Winter Break");
    assert_eq!(a.author.as_deref(), Some("Tom Ellery, Priya Nand"));
    assert_eq!(a.source.as_deref(), Some("Example Coast News"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://news.example.org/coast/harbour-ferry")
    );
    assert_eq!(a.published, date::parse("2016-04-01T07:15:00Z"));
    assert_eq!(a.tags, ["ferries", "transport"]);
    assert_eq!(
        a.summary.as_deref(),
        Some("The harbour ferry is back on the water after its winter overhaul.")
    );
    assert_eq!(
        kinds(&a)[1..4],
        [
            (BlockKind::Heading { level: 2 }, "New timetable"),
            (
                BlockKind::ListItem {
                    depth: 0,
                    number: None
                },
                "Hourly crossings from nine"
            ),
            (
                BlockKind::ListItem {
                    depth: 0,
                    number: None
                },
                "A late boat on Saturdays"
            ),
        ]
    );
    let spans = spans(&a);
    assert!(spans.contains(&(Inline::Strong, "Friday morning")));
    assert!(spans.contains(&(Inline::Link(0), "operator's page")));
    // Relative to the record's own URL.
    assert_eq!(
        a.links[0].target,
        "https://news.example.org/coast/ferry-times"
    );
    assert!(!all_text(&a).contains("alert"));
}

#[test]
fn json_in_the_scraper_style() {
    let a = json("scraper.json").unwrap();
    assert_eq!(a.title, "Allotment Waiting List Grows");
    assert_eq!(a.author.as_deref(), Some("Sam Okafor"));
    assert_eq!(a.source.as_deref(), Some("Example Local"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://local.example.org/allotments")
    );
    assert_eq!(a.published, date::parse("2016-05-10"));
    assert_eq!(a.tags, ["gardening", "council"]);
    assert_eq!(a.paragraphs.len(), 2);
    assert!(a.blocks.is_empty(), "plain paragraphs need no blocks");
    assert!(a.paragraphs[1].starts_with("Some residents have waited"));
}

#[test]
fn json_with_plain_text_split_on_blank_lines() {
    let a = json("plain-text.json").unwrap();
    assert_eq!(a.title, "Choir Wins Regional Contest");
    assert_eq!(a.author.as_deref(), Some("Lena Marsh"));
    assert_eq!(a.published, date::parse("2015-11-24T10:30:00Z"));
    assert_eq!(
        a.summary.as_deref(),
        Some("A village choir has won the regional contest at its first attempt.")
    );
    assert_eq!(
        a.paragraphs,
        [
            "The village choir took first place at the regional contest on Saturday, at its first attempt.",
            "The choir was formed two years ago by a group of neighbours who met at the village hall.",
            "It will sing at the national final in the spring.",
        ]
    );
}

#[test]
fn json_date_names_are_taken_in_order_and_article_is_a_body() {
    let a = json("published-at.json").unwrap();
    assert_eq!(a.published, date::parse("2015-12-01T09:00:00Z"));
    assert_eq!(
        a.paragraphs,
        ["The weekly market moved into the old corn exchange for the winter."]
    );
}

#[test]
fn json_collections_are_skipped_with_how_to_import() {
    for file in ["collection.json", "collection-lines.json"] {
        let got = json(file);
        assert_eq!(
            got,
            Err(SkipReason::Parse(ParseError::Collection("JSON"))),
            "{file}"
        );
        let message = ParseError::Collection("JSON").to_string();
        assert!(message.contains("`tidings import FILE`"), "{message}");
    }
}

#[test]
fn invalid_json_says_where() {
    let Err(SkipReason::Parse(ParseError::Malformed(message))) = json("invalid.json") else {
        panic!("malformed");
    };
    assert!(message.contains("line 4"), "{message}");
    assert!(message.contains("column"), "{message}");
}

#[test]
fn json_without_title_or_body_is_empty() {
    let got = parse_bytes(
        br#"{"url": "https://example.org/a", "tags": []}"#,
        Format::Json,
    );
    assert_eq!(got, Err(SkipReason::Empty));
}

#[test]
fn deeply_nested_json_is_refused_not_a_stack_overflow() {
    let n = 100_000;
    let text = format!(
        "{{\"title\": \"Deep\", \"x\": {}1{}}}",
        "[".repeat(n),
        "]".repeat(n)
    );
    let got = within_deadline("nested JSON", || parse_bytes(text.as_bytes(), Format::Json));
    let Err(SkipReason::Parse(ParseError::Malformed(message))) = got else {
        panic!("refused: {got:?}");
    };
    assert!(message.contains("recursion limit"), "{message}");
}

#[test]
fn json_controls_in_fields_are_removed() {
    let text = r#"{"title": "T\u001b]0;x\u0007itle\u202e", "author": {"name": "A\u009b31m"},
                  "url": "javascript:alert(1)", "body": "Body \u001b[2J text."}"#;
    let a = parse_bytes(text.as_bytes(), Format::Json).unwrap();
    assert_clean(&a);
    assert_eq!(a.title, "T]0;xitle");
    assert_eq!(a.author.as_deref(), Some("A31m"));
    assert_eq!(a.url, None);
    assert_eq!(a.paragraphs, ["Body [2J text."]);
}
