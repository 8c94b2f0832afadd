//! The links overlay and the links that leave the app, driven by keys
//! through the real keymap: what is listed and selected, what opening and
//! copying queue for the runtime (only a URL that passed `safe_url`), what
//! the status bar says when nothing can be done, and how the overlay looks.

use crate::app::keys;
use crate::common::screen::{drawn, screen};
use std::path::PathBuf;
use tidings::action::Action;
use tidings::app::{App, Effect, Event, Focus, Settings};
use tidings::article::{Article, ArticleMeta, Link, MetaText};
use tidings::keymap::Mode;
use tidings::library::{Library, Origin};

const STORY_URL: &str = "https://example.org/news/markets-rally";

/// A story with this address, whose file is never read: its body is
/// handed to the app as the runtime would.
fn meta(id: &str, title: &str, url: Option<&str>) -> ArticleMeta {
    let rel_path = format!("business/{id}.md");
    let text = MetaText {
        id,
        title,
        category: Some("business"),
        rel_path: &rel_path,
        url,
        ..MetaText::default()
    };
    ArticleMeta::new(text, PathBuf::from("/nonexistent/tidings-links"), 120, 1, 0)
}

fn link(text: &str, target: &str) -> Link {
    Link {
        text: text.to_string(),
        target: target.to_string(),
    }
}

/// The usual links: a report, a page with a space in its address, and a
/// mail address.
fn some_links() -> Vec<Link> {
    vec![
        link(
            "the central bank's report",
            "https://example.org/reports/q3",
        ),
        link("share prices", "https://example.org/prices/a b"),
        link("the business desk", "mailto:desk@example.org"),
    ]
}

/// The app at `width`x`height` with one story open in the reader.
fn reading(url: Option<&str>, links: Vec<Link>, width: u16, height: u16) -> App {
    let meta = meta("story", "Markets rally as rates hold", url);
    let library = Library::from_articles(Origin::Disk(vec![]), vec![meta.clone()]);
    let mut app = App::new(library, Settings::default());
    app.update(Action::Resize(width, height));
    app.update(Action::Open);
    let article = Article {
        meta,
        paragraphs: vec!["Shares rose after the bank held its rates, its report said.".into()],
        blocks: Vec::new(),
        links,
    };
    app.apply(Event::Body {
        index: 0,
        body: Ok(article),
    });
    assert_eq!(app.focus(), Focus::Reader);
    app
}

fn status(app: &App) -> String {
    app.status().map(|s| s.text.clone()).unwrap_or_default()
}

#[test]
fn capital_l_lists_the_story_address_first_then_its_numbered_links() {
    let mut app = reading(Some(STORY_URL), some_links(), 120, 40);
    keys(&mut app, &["L"]);
    assert_eq!(app.mode(), Mode::Links);
    assert_eq!(app.link_count(), 4);
    let first = app.link_entry(0).unwrap();
    assert_eq!(first.label, "article");
    assert_eq!(first.text, "Markets rally as rates hold");
    assert_eq!(first.safe.as_deref(), Some(STORY_URL));
    let third = app.link_entry(2).unwrap();
    assert_eq!(third.label, "[2]");
    assert_eq!(third.text, "share prices");
    assert_eq!(
        third.safe.as_deref(),
        Some("https://example.org/prices/a%20b")
    );
    assert_eq!(app.link_entry(4), None);
}

#[test]
fn without_an_address_the_links_start_at_one() {
    let mut app = reading(None, some_links(), 120, 40);
    keys(&mut app, &["L"]);
    assert_eq!(app.link_count(), 3);
    assert_eq!(app.link_entry(0).unwrap().label, "[1]");
}

#[test]
fn j_and_k_move_the_selection_within_the_links() {
    let mut app = reading(Some(STORY_URL), some_links(), 120, 40);
    keys(&mut app, &["L"]);
    assert_eq!(app.link_selected(), 0);
    keys(&mut app, &["k", "j", "j"]);
    assert_eq!(app.link_selected(), 2);
    keys(&mut app, &["j", "j", "j", "down"]);
    assert_eq!(app.link_selected(), 3, "stops at the last link");
    keys(&mut app, &["g"]);
    assert_eq!(app.link_selected(), 0);
    keys(&mut app, &["G", "up"]);
    assert_eq!(app.link_selected(), 2);
}

#[test]
fn enter_queues_opening_the_selected_links_safe_url_once() {
    let mut app = reading(Some(STORY_URL), some_links(), 120, 40);
    keys(&mut app, &["L", "j", "j", "enter"]);
    assert_eq!(
        app.take_effects(),
        vec![Effect::Open("https://example.org/prices/a%20b".into())]
    );
    assert_eq!(app.take_effects(), vec![], "taken once");
    assert_eq!(app.mode(), Mode::Links, "the overlay stays open");
}

#[test]
fn y_in_the_overlay_queues_copying_the_selected_link() {
    let mut app = reading(Some(STORY_URL), some_links(), 120, 40);
    keys(&mut app, &["L", "G", "y", "g", "y"]);
    assert_eq!(
        app.take_effects(),
        vec![
            Effect::Copy("mailto:desk@example.org".into()),
            Effect::Copy(STORY_URL.into()),
        ]
    );
}

#[test]
fn hostile_link_targets_queue_nothing_and_say_why() {
    let hostile = vec![
        link("click", "javascript:alert(document.cookie)"),
        link("inline", "data:text/html;base64,PHNjcmlwdD4="),
        link("local", "file:///etc/passwd"),
        link("no scheme", "//example.org/x"),
    ];
    let mut app = reading(None, hostile, 120, 40);
    keys(&mut app, &["L"]);
    for i in 0..4 {
        keys(&mut app, &["enter"]);
        assert_eq!(
            status(&app),
            "Not opened: only http, https and mailto links can be opened",
            "link {i}"
        );
        keys(&mut app, &["y"]);
        assert_eq!(
            status(&app),
            "Not copied: only http, https and mailto links can be copied"
        );
        keys(&mut app, &["j"]);
    }
    assert_eq!(app.take_effects(), vec![]);
}

#[test]
fn o_and_y_in_the_reader_use_the_story_address() {
    let mut app = reading(Some(STORY_URL), some_links(), 120, 40);
    keys(&mut app, &["o", "y"]);
    assert_eq!(
        app.take_effects(),
        vec![
            Effect::Open(STORY_URL.into()),
            Effect::Copy(STORY_URL.into())
        ]
    );
}

#[test]
fn o_in_the_list_opens_the_selected_storys_address() {
    let mut app = reading(Some(STORY_URL), some_links(), 120, 40);
    keys(&mut app, &["esc"]);
    assert_eq!(app.mode(), Mode::List);
    keys(&mut app, &["o"]);
    assert_eq!(app.take_effects(), vec![Effect::Open(STORY_URL.into())]);
}

#[test]
fn o_on_a_story_without_an_address_says_so() {
    let mut app = reading(None, some_links(), 120, 40);
    keys(&mut app, &["o"]);
    assert_eq!(status(&app), "This story has no web address");
    keys(&mut app, &["esc", "y"]);
    assert_eq!(status(&app), "This story has no web address");
    assert_eq!(app.take_effects(), vec![]);
}

#[test]
fn o_in_an_empty_library_says_no_story_is_selected() {
    let library = Library::from_articles(Origin::Disk(vec![]), vec![]);
    let mut app = App::new(library, Settings::default());
    keys(&mut app, &["o"]);
    assert_eq!(status(&app), "No story selected");
    assert_eq!(app.take_effects(), vec![]);
}

#[test]
fn esc_q_and_capital_l_close_the_overlay() {
    let mut app = reading(Some(STORY_URL), some_links(), 120, 40);
    for close in ["esc", "q", "L"] {
        keys(&mut app, &["L"]);
        assert_eq!(app.mode(), Mode::Links);
        keys(&mut app, &[close]);
        assert_eq!(app.mode(), Mode::Reader, "{close}");
    }
}

#[test]
fn reopening_the_overlay_starts_at_the_first_link() {
    let mut app = reading(Some(STORY_URL), some_links(), 120, 40);
    keys(&mut app, &["L", "G", "esc", "L"]);
    assert_eq!(app.link_selected(), 0);
}

#[test]
fn a_story_without_links_says_so_and_enter_does_nothing() {
    let mut app = reading(None, Vec::new(), 40, 12);
    keys(&mut app, &["L", "j", "enter"]);
    assert_eq!(app.take_effects(), vec![]);
    assert_eq!(status(&app), "This story has no links");
    let rows = drawn(&app).rows().join("\n");
    assert!(rows.contains("This story has no links."), "{rows}");
}

#[test]
fn the_overlay_scrolls_to_keep_the_selected_link_on_screen() {
    let many: Vec<Link> = (1..=30)
        .map(|i| {
            link(
                &format!("source {i}"),
                &format!("https://example.org/s/{i}"),
            )
        })
        .collect();
    let mut app = reading(Some(STORY_URL), many, 40, 12);
    keys(&mut app, &["L", "G"]);
    assert_eq!(app.link_selected(), 30);
    let rows = drawn(&app).rows().join("\n");
    assert!(rows.contains("[30] source 30"), "{rows}");
    assert!(rows.contains("https://example.org/s/30"), "{rows}");
    assert!(!rows.contains("article Markets"), "{rows}");
    keys(&mut app, &["g"]);
    let rows = drawn(&app).rows().join("\n");
    assert!(rows.contains("article Markets rally"), "{rows}");
    assert!(!rows.contains("[30]"), "{rows}");
    keys(&mut app, &["pagedown"]);
    assert!(app.link_selected() > 1 && app.link_offset() > 0);
}

#[test]
fn the_selected_link_is_highlighted_and_others_are_not() {
    let mut app = reading(Some(STORY_URL), some_links(), 120, 40);
    keys(&mut app, &["L", "j"]);
    let screen = drawn(&app);
    let rows = screen.rows();
    let row_of = |needle: &str| rows.iter().position(|r| r.contains(needle)).unwrap() as u16;
    let reversed = |y: u16| {
        let x = rows[usize::from(y)].find('[').unwrap_or(0) as u16;
        screen.buffer()[(x, y)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED)
    };
    assert!(reversed(row_of("[1] the central bank")));
    assert!(!reversed(row_of("[2] share prices")));
}

/// The overlay at a wide and a small size: a story address, three links
/// (one with a space to encode) and one that can never be opened.
#[test]
fn links_overlay_snapshots() {
    let mut links = some_links();
    links.push(link("a script", "javascript:alert(1)"));
    for (w, h) in [(120, 40), (40, 12)] {
        let mut app = reading(Some(STORY_URL), links.clone(), w, h);
        keys(&mut app, &["L", "j"]);
        insta::assert_snapshot!(
            format!("links_overlay_{w}x{h}"),
            screen(&app, w, h).backend()
        );
    }
}
