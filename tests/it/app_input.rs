//! What the keyboard does, as a reader coming from less, newsboat or mutt
//! expects it, and what a long query costs: the app driven by keys through
//! the real keymap, its screens drawn into a `TestBackend`.

use crate::app::{keys, sample_app, type_text};
use tidings::keymap::Mode;

#[test]
fn a_query_longer_than_the_cap_is_cut_with_a_message() {
    let mut app = sample_app(120, 32);
    keys(&mut app, &["/"]);
    let long = "shell boss payoff ".repeat(80);
    type_text(&mut app, &long);
    let query = &app.search().query;
    assert_eq!(query.chars().count(), 1000, "the query was not capped");
    assert!(
        long.starts_with(query.as_str()),
        "the start is what is kept"
    );
    let status = app.status().map(|s| s.text.clone()).unwrap_or_default();
    assert!(status.contains("1,000 characters"), "{status:?}");
    // Deleting makes room again.
    keys(&mut app, &["ctrl-w"]);
    type_text(&mut app, "x");
    assert!(app.search().query.ends_with('x'));
}

#[test]
fn a_paste_is_typed_as_one_edit_with_breaks_as_spaces_and_controls_dropped() {
    let mut app = sample_app(120, 32);
    keys(&mut app, &["/"]);
    app.paste("boss\nbuq\r\n\tq\x1b[31m\x07");
    assert_eq!(app.search().query, "boss buq  q[31m");
    assert_eq!(app.mode(), Mode::Search, "still typing");
    assert!(!app.should_quit());
    assert_eq!(app.marks().count(tidings::app::marks::Mark::Bookmark), 0);
    // Added where the cursor is, the end; space at the end of a paste is
    // dropped, so the last word can still be completed.
    keys(&mut app, &["esc", "/"]);
    type_text(&mut app, "shell");
    app.paste(" boss \n");
    assert_eq!(app.search().query, "shell boss");
}

#[test]
fn a_paste_in_the_list_or_the_reader_starts_a_search_and_an_overlay_ignores_it() {
    for setup in [&[][..], &["enter"][..]] {
        let mut app = sample_app(120, 32);
        keys(&mut app, setup);
        app.paste("\n  france\n");
        assert_eq!(app.mode(), Mode::Search, "after {setup:?}");
        assert_eq!(app.search().query, "france");
    }
    for overlay in ["?", "!"] {
        let mut app = sample_app(120, 32);
        keys(&mut app, &[overlay]);
        let mode = app.mode();
        app.paste("bq");
        assert_eq!(app.mode(), mode);
        assert_eq!(app.search().query, "");
        assert!(!app.should_quit());
    }
}

#[test]
fn a_paste_past_the_cap_keeps_its_start_and_says_so() {
    let mut app = sample_app(120, 32);
    keys(&mut app, &["/"]);
    type_text(&mut app, "shell ");
    let paste = "boss ".repeat(2_000);
    app.paste(&paste);
    let query = app.search().query.clone();
    assert_eq!(query.chars().count(), tidings::app::MAX_QUERY_CHARS);
    assert!(query.starts_with("shell boss boss"), "{query:.40}");
    let status = app.status().map(|s| s.text.clone()).unwrap_or_default();
    assert!(status.contains("1,000 characters"), "{status:?}");
    // Full: more typing is refused the same way and changes nothing.
    type_text(&mut app, "xyz");
    assert_eq!(app.search().query, query);
}
