//! Full-text search in the app: the engine's answers fed in as the run loop
//! would, the reader at the matches, highlights on the buffer, snippets.

use crate::app::{keys, sample_app, selected_title, type_text};
use crate::common::drawn;
use crate::common::write_tree;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use tidings::action::Action;
use tidings::app::serve_reads;
use tidings::app::{App, Event, Focus, Settings};
use tidings::library::{Library, LoadOptions};
use tidings::search::worker::Report;
use tidings::{search, ui};

fn ids_of(app: &App, titles: &[&str]) -> Vec<String> {
    titles
        .iter()
        .map(|t| {
            let a = app
                .library()
                .articles()
                .iter()
                .find(|a| a.title().contains(t));
            a.unwrap_or_else(|| panic!("no story {t}")).id().to_string()
        })
        .collect()
}

fn header(app: &App) -> String {
    ui::story_list::header_title(app)
}

/// Search for `query` and hand the app the engine's answer, as the run
/// loop does with `Msg::SearchResults`.
fn search_with_answer(app: &mut App, query: &str, titles: &[&str], total: usize) {
    keys(app, &["/"]);
    type_text(app, query);
    let ids = ids_of(app, titles);
    assert_eq!(app.take_query_change().as_deref(), Some(query));
    app.apply(Event::SearchResults {
        query: query.to_string(),
        ids,
        total,
    });
    serve_reads(app);
}

/// A library of one long story whose only matches for `quokka` are deep in
/// the body, twice, and two short ones.
fn quokka_library() -> (tempfile::TempDir, Library) {
    let dir = tempfile::tempdir().unwrap();
    let filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.";
    let mut long = String::from("Morning in the park\n\n");
    for i in 0..60 {
        let p = match i {
            30 => "A quokka appeared at dawn near the gate.".to_string(),
            45 => "Later a second quokka followed it.".to_string(),
            _ => format!("{filler} {i}"),
        };
        long.push_str(&p);
        long.push_str("\n\n");
    }
    write_tree(
        dir.path(),
        &[
            ("news/a.txt", long.as_bytes()),
            ("news/b.txt", b"Budget plans\n\nTaxes rise.\n"),
            ("news/c.txt", b"Cup final\n\nA late goal.\n"),
        ],
    );
    let library = Library::load(&[dir.path().to_path_buf()], LoadOptions::default()).unwrap();
    (dir, library)
}

fn quokka_app(width: u16, height: u16) -> (tempfile::TempDir, App) {
    let (dir, library) = quokka_library();
    let mut app = App::new(library, Settings::default());
    app.update(Action::Resize(width, height));
    serve_reads(&mut app);
    (dir, app)
}

#[test]
fn ranked_answers_replace_headline_matches_best_first_with_the_count() {
    let mut app = sample_app(120, 32);
    keys(&mut app, &["/"]);
    type_text(&mut app, "france");
    assert_eq!(header(&app), "All · \"france\" · 3 headline matches");
    let ids = ids_of(&app, &["Da Vinci", "Obama", "Asking Everyone"]);
    assert_eq!(app.take_query_change().as_deref(), Some("france"));
    assert_eq!(app.take_query_change(), None, "asked once per change");
    app.apply(Event::SearchResults {
        query: "france".into(),
        ids: ids.clone(),
        total: 7,
    });
    serve_reads(&mut app);
    let shown: Vec<&str> = app
        .visible()
        .iter()
        .map(|&i| app.library().articles()[i].id())
        .collect();
    assert_eq!(shown, ids);
    assert_eq!(app.selected(), 0, "the best match is selected");
    assert!(selected_title(&app).contains("Da Vinci"));
    assert_eq!(header(&app), "All · \"france\" · 3 of 7 matches");
}

#[test]
fn while_typing_the_last_answer_stays_until_the_next_one_and_stale_ones_are_ignored() {
    let mut app = sample_app(120, 32);
    search_with_answer(&mut app, "fr", &["Halo 2", "Da Vinci"], 2);
    type_text(&mut app, "ance");
    // Still the engine's list for "fr" (no flicker back to headlines).
    assert_eq!(app.visible().len(), 2);
    assert!(app.ranked());
    app.apply(Event::SearchResults {
        query: "fr".into(),
        ids: ids_of(&app, &["Shell boss"]),
        total: 1,
    });
    serve_reads(&mut app);
    assert_eq!(app.visible().len(), 2, "a stale answer changes nothing");
    let ids = ids_of(&app, &["Da Vinci"]);
    app.apply(Event::SearchResults {
        query: "france".into(),
        ids,
        total: 1,
    });
    serve_reads(&mut app);
    assert_eq!(app.visible().len(), 1);
    assert_eq!(header(&app), "All · \"france\" · 1 match");
    // Emptying the query shows the whole library at once.
    keys(&mut app, &["ctrl-w"]);
    assert_eq!(app.visible().len(), 15);
    assert_eq!(
        app.take_query_change(),
        None,
        "an empty query is never sent"
    );
}

#[test]
fn clearing_the_search_restores_the_list_and_the_selection() {
    let mut app = sample_app(120, 32);
    keys(&mut app, &["j", "j", "j"]);
    let before = selected_title(&app);
    search_with_answer(&mut app, "france", &["Obama", "Da Vinci"], 2);
    keys(&mut app, &["down"]);
    assert!(selected_title(&app).contains("Da Vinci"));
    keys(&mut app, &["esc"]);
    assert_eq!(app.visible().len(), 15);
    assert_eq!(selected_title(&app), before);
    assert_eq!(app.parsed_query(), &search::ParsedQuery::default());
    // Kept with enter, then cleared from the list with esc: the same.
    search_with_answer(&mut app, "france", &["Obama"], 1);
    keys(&mut app, &["enter", "esc"]);
    assert_eq!((app.visible().len(), selected_title(&app)), (15, before));
}

#[test]
fn indexing_progress_is_in_the_status_bar_and_the_count_says_so_far() {
    let mut app = sample_app(120, 32);
    search_with_answer(&mut app, "france", &["Obama"], 1);
    app.apply(Event::Indexing(Report::Progress {
        done: 12_000,
        total: 100_000,
    }));
    serve_reads(&mut app);
    assert_eq!(
        app.indexing_text().as_deref(),
        Some("Indexing 12,000 / 100,000")
    );
    assert_eq!(header(&app), "All · \"france\" · 1 match so far");
    let screen = drawn(&app).backend().to_string();
    assert!(screen.contains("Indexing 12,000 / 100,000"), "{screen}");
    app.apply(Event::Indexing(Report::Ready));
    serve_reads(&mut app);
    assert_eq!(app.indexing_text(), None);
    assert_eq!(header(&app), "All · \"france\" · 1 match");
}

#[test]
fn an_engine_that_fails_leaves_headline_search_and_says_why() {
    let mut app = sample_app(120, 32);
    app.apply(Event::Indexing(Report::Failed("disk full".into())));
    serve_reads(&mut app);
    let status = app.status().unwrap();
    assert!(status.error && status.text.contains("headlines only: disk full"));
    assert_eq!(app.engine_failure(), Some("disk full"));
    keys(&mut app, &["/"]);
    type_text(&mut app, "france");
    assert_eq!(app.visible().len(), 3);
}

#[test]
fn once_the_engine_answers_a_new_search_keeps_the_list_until_its_answer() {
    let mut app = sample_app(120, 32);
    search_with_answer(&mut app, "france", &["Obama"], 1);
    keys(&mut app, &["esc", "/"]);
    type_text(&mut app, "france");
    // Every headline is not matched first: the list stays as it was and
    // the header says the engine is on it.
    assert_eq!(app.visible().len(), 15);
    assert_eq!(header(&app), "All · \"france\" · searching");
    assert_eq!(app.take_query_change().as_deref(), Some("france"));
    app.apply(Event::SearchResults {
        query: "france".into(),
        ids: ids_of(&app, &["Da Vinci", "Obama"]),
        total: 2,
    });
    serve_reads(&mut app);
    assert_eq!(app.visible().len(), 2);
    assert!(selected_title(&app).contains("Da Vinci"));
    assert_eq!(header(&app), "All · \"france\" · 2 matches");
}

#[test]
fn a_ready_engine_is_waited_for_until_it_fails() {
    let mut app = sample_app(120, 32);
    app.apply(Event::Indexing(Report::Ready));
    keys(&mut app, &["/"]);
    type_text(&mut app, "france");
    assert_eq!(app.visible().len(), 15);
    keys(&mut app, &["esc"]);
    app.apply(Event::Indexing(Report::Failed("disk full".into())));
    keys(&mut app, &["/"]);
    type_text(&mut app, "france");
    assert_eq!(header(&app), "All · \"france\" · 3 headline matches");
}

#[test]
fn an_engine_failing_while_a_search_waits_shows_the_headline_matches() {
    let mut app = sample_app(120, 32);
    app.apply(Event::Indexing(Report::Ready));
    keys(&mut app, &["/"]);
    type_text(&mut app, "france");
    assert_eq!(header(&app), "All · \"france\" · searching");
    app.apply(Event::Indexing(Report::Failed("disk full".into())));
    serve_reads(&mut app);
    // Not the whole list under a count of it: the query's headline matches.
    assert_eq!(app.visible().len(), 3);
    assert_eq!(header(&app), "All · \"france\" · 3 headline matches");
}

#[test]
fn a_search_the_engine_cannot_answer_shows_the_headline_matches_and_says_why() {
    let mut app = sample_app(120, 32);
    search_with_answer(&mut app, "france", &["Obama"], 1);
    keys(&mut app, &["esc", "/"]);
    type_text(&mut app, "france");
    assert_eq!(header(&app), "All · \"france\" · searching");
    app.apply(Event::SearchFailed {
        query: "france".into(),
        why: "segment file unreadable".into(),
    });
    serve_reads(&mut app);
    assert_eq!(app.visible().len(), 3);
    assert_eq!(header(&app), "All · \"france\" · 3 headline matches");
    let status = app.status().expect("a message");
    assert!(status.error, "{}", status.text);
    assert!(
        status.text.contains("segment file unreadable"),
        "{}",
        status.text
    );
    // A failure for an older query changes nothing; the next key asks the
    // engine again.
    app.apply(Event::SearchFailed {
        query: "franc".into(),
        why: "late".into(),
    });
    type_text(&mut app, "e");
    assert_eq!(header(&app), "All · \"francee\" · searching");
}

#[test]
fn is_filters_run_again_when_marks_change() {
    let mut app = sample_app(120, 32);
    search_with_answer(&mut app, "is:bookmarked", &["Obama"], 1);
    keys(&mut app, &["enter", "b"]);
    assert_eq!(app.take_query_change().as_deref(), Some("is:bookmarked"));
    // A query without is: does not care.
    keys(&mut app, &["/", "ctrl-w"]);
    type_text(&mut app, "france");
    let _ = app.take_query_change();
    keys(&mut app, &["enter", "b"]);
    assert_eq!(app.take_query_change(), None);
}

#[test]
fn an_invalid_query_is_read_as_words_and_the_search_bar_says_how() {
    let mut app = sample_app(120, 32);
    keys(&mut app, &["/"]);
    type_text(&mut app, "writer:smith tax");
    let note = app.query_note().unwrap().to_string();
    assert!(note.contains("unknown field writer:"), "{note}");
    let screen = drawn(&app);
    let bar: String = (0..120)
        .map(|x| screen.backend().buffer()[(x, 0)].symbol().to_string())
        .collect();
    assert!(bar.contains("(unknown field writer:"), "{bar}");
}

#[test]
fn the_reader_opens_at_the_first_match_and_n_and_shift_n_go_round() {
    let (_dir, mut app) = quokka_app(80, 24);
    search_with_answer(&mut app, "quokka", &["Morning in the park"], 1);
    keys(&mut app, &["enter", "enter"]);
    assert_eq!(app.focus(), Focus::Reader);
    let line_of_current = |app: &App| {
        let r = app.reader().unwrap();
        let m = r.matches().unwrap();
        let current = m.current().unwrap();
        let lines = &r.current().unwrap().lines;
        let line = (0..lines.len())
            .find(|&l| m.pieces(l).iter().any(|p| p.hit == current))
            .unwrap();
        (current, line, r.scroll(), lines[line].text.clone())
    };
    let (current, line, scroll, text) = line_of_current(&app);
    assert_eq!(current, 0);
    assert!(text.contains("quokka appeared"), "{text}");
    assert!(
        scroll > 0 && line >= scroll && line < scroll + 22,
        "{scroll} {line}"
    );
    assert_eq!(app.reader().unwrap().matches().unwrap().count(), 2);
    keys(&mut app, &["n"]);
    let (current, line, scroll, text) = line_of_current(&app);
    assert_eq!(current, 1);
    assert!(text.contains("second quokka"), "{text}");
    assert!(line >= scroll && line < scroll + 22);
    keys(&mut app, &["n"]);
    assert_eq!(line_of_current(&app).0, 0);
    assert_eq!(app.status().unwrap().text, "Back to the first match");
    keys(&mut app, &["N"]);
    assert_eq!(line_of_current(&app).0, 1);
    assert_eq!(app.status().unwrap().text, "On to the last match");
}

#[test]
fn n_without_a_search_or_a_match_says_so() {
    let (_dir, mut app) = quokka_app(80, 24);
    keys(&mut app, &["enter", "n"]);
    assert_eq!(app.status().unwrap().text, "No search to jump through");
    assert_eq!(app.reader().unwrap().scroll(), 0);
    search_with_answer(&mut app, "gate", &["Budget plans"], 1);
    keys(&mut app, &["enter", "enter", "n"]);
    assert_eq!(app.status().unwrap().text, "No matches in this story");
}

/// Cells of `word` at row `y`, from column `from`, or panic.
fn cells_of<'a>(
    buffer: &'a Buffer,
    y: u16,
    from: u16,
    word: &str,
) -> Vec<&'a ratatui::buffer::Cell> {
    let width = buffer.area.width;
    let row: Vec<&str> = (0..width).map(|x| buffer[(x, y)].symbol()).collect();
    let n = word.chars().count();
    let start = (usize::from(from)..row.len().saturating_sub(n))
        .find(|&x| row[x..x + n].concat() == word)
        .unwrap_or_else(|| panic!("{word} not in row {y}: {}", row.concat()));
    (start..start + n).map(|x| &buffer[(x as u16, y)]).collect()
}

fn is_highlight(cell: &ratatui::buffer::Cell) -> bool {
    cell.fg == Color::Yellow
        && cell
            .modifier
            .contains(Modifier::UNDERLINED | Modifier::BOLD)
}

#[test]
fn matches_are_highlighted_in_headlines_snippets_and_the_reader() {
    let mut app = sample_app(120, 32);
    search_with_answer(&mut app, "france", &["Obama", "Da Vinci"], 2);
    let obama = ids_of(&app, &["Obama"]).remove(0);
    app.apply(Event::Excerpts {
        query: "france".into(),
        excerpts: vec![(obama, "…solidarity with France against…".into())],
    });
    serve_reads(&mut app);
    let screen = drawn(&app);
    let buffer = screen.backend().buffer();
    // Row 2: the first story's headline; row 3: its snippet.
    assert!(
        cells_of(buffer, 2, 0, "France")
            .iter()
            .all(|c| is_highlight(c))
    );
    assert!(
        !cells_of(buffer, 2, 0, "Obama")
            .iter()
            .any(|c| is_highlight(c))
    );
    assert!(
        cells_of(buffer, 3, 0, "France")
            .iter()
            .all(|c| is_highlight(c))
    );
    assert!(
        cells_of(buffer, 3, 0, "solidarity")
            .iter()
            .all(|c| c.modifier.contains(Modifier::DIM))
    );
    // The reader (right of the list) marks its first match as current.
    let reader_rows: Vec<u16> = (2..31)
        .filter(|&y| {
            let row: String = (49..120).map(|x| buffer[(x, y)].symbol()).collect();
            row.contains("France")
        })
        .collect();
    assert!(reader_rows.len() >= 2, "{}", screen.backend());
    let first = cells_of(buffer, reader_rows[0], 49, "France");
    assert!(
        first
            .iter()
            .all(|c| c.modifier.contains(Modifier::REVERSED))
    );
    let other = cells_of(buffer, reader_rows[1], 49, "France");
    assert!(
        other
            .iter()
            .all(|c| is_highlight(c) && !c.modifier.contains(Modifier::REVERSED))
    );
}

#[test]
fn highlights_survive_without_colour() {
    let config = tidings::config::Config::default();
    let mut app = App::new(Library::bundled(), Settings::from_config(&config, false));
    app.update(Action::Resize(120, 32));
    serve_reads(&mut app);
    search_with_answer(&mut app, "france", &["Obama"], 1);
    let screen = drawn(&app);
    let cells = cells_of(screen.backend().buffer(), 2, 0, "France");
    assert!(cells.iter().all(
        |c| c.fg == Color::Reset && c.modifier.contains(Modifier::UNDERLINED | Modifier::BOLD)
    ));
}

#[test]
fn snippets_are_asked_for_rows_on_screen_once_and_toggle_off() {
    let mut app = sample_app(80, 24);
    search_with_answer(
        &mut app,
        "france",
        &["Obama", "Da Vinci", "Asking Everyone"],
        3,
    );
    let (query, metas) = app.take_excerpt_request().unwrap();
    assert_eq!((query.as_str(), metas.len()), ("france", 3));
    assert_eq!(app.take_excerpt_request(), None);
    app.apply(Event::Excerpts {
        query: "france".into(),
        excerpts: vec![(metas[0].id().to_string(), "text".into())],
    });
    serve_reads(&mut app);
    assert_eq!(app.excerpt(metas[0].id()), Some("text"));
    // A new query asks again; the old text shows until the new arrives.
    type_text(&mut app, " ");
    assert!(app.take_excerpt_request().is_some());
    assert_eq!(app.excerpt(metas[0].id()), Some("text"));
    keys(&mut app, &["enter", "s"]);
    assert!(!app.snippets_shown());
    assert_eq!(app.status().unwrap().text, "Snippets off");
}

#[test]
fn search_results_with_snippets_screen() {
    for (w, h) in [(120, 32), (80, 24), (40, 12)] {
        let mut app = sample_app(w, h);
        search_with_answer(
            &mut app,
            "france",
            &["Da Vinci", "Obama", "Asking Everyone"],
            3,
        );
        let parsed = search::parse("france");
        let excerpts = app
            .visible()
            .iter()
            .map(|&i| {
                let meta = &app.library().articles()[i];
                let body = app.library().article(meta).unwrap().paragraphs.join("\n");
                (meta.id().to_string(), search::snippet(&body, &parsed, 200))
            })
            .collect();
        app.apply(Event::Excerpts {
            query: "france".into(),
            excerpts,
        });
        serve_reads(&mut app);
        let screen = drawn(&app);
        insta::assert_snapshot!(format!("search_snippets_{w}x{h}"), screen.backend());
    }
}

/// A library of `n` stories titled `Story 0000`.., and their ids in order.
fn stories(n: usize) -> (Library, Vec<String>) {
    use tidings::article::{ArticleMeta, MetaText};
    let metas: Vec<ArticleMeta> = (0..n)
        .map(|n| {
            let (id, title, rel) = (
                format!("{n:016x}"),
                format!("Story {n:04}"),
                format!("s{n}.txt"),
            );
            let text = MetaText {
                id: &id,
                title: &title,
                rel_path: &rel,
                ..MetaText::default()
            };
            ArticleMeta::new(text, format!("/nonexistent/{rel}").into(), 100, 1, 0)
        })
        .collect();
    let ids = metas.iter().map(|m| m.id().to_string()).collect();
    let library = Library::from_articles(tidings::library::Origin::Disk(vec![]), metas);
    (library, ids)
}

#[test]
fn the_end_of_the_best_results_asks_for_more() {
    let (library, ids) = stories(1_200);
    let mut app = App::new(library, Settings::default());
    app.update(Action::Resize(80, 24));
    serve_reads(&mut app);
    keys(&mut app, &["/"]);
    type_text(&mut app, "story");
    assert_eq!(app.take_query_change().as_deref(), Some("story"));
    // The engine answers with its best 500 of 1,200.
    app.apply(Event::SearchResults {
        query: "story".into(),
        ids: ids[..500].to_vec(),
        total: 1_200,
    });
    serve_reads(&mut app);
    keys(&mut app, &["enter"]);
    assert!(
        header(&app).ends_with("500 of 1,200 matches"),
        "{}",
        header(&app)
    );
    // Down to the last of them: the next 500 are asked for, and the place
    // is kept when they come.
    keys(&mut app, &["G"]);
    assert_eq!(selected_title(&app), "Story 0499");
    assert_eq!(app.take_query_change().as_deref(), Some("story"));
    assert_eq!(app.result_limit(), 1_000);
    app.apply(Event::SearchResults {
        query: "story".into(),
        ids: ids[..1_000].to_vec(),
        total: 1_200,
    });
    serve_reads(&mut app);
    assert_eq!(selected_title(&app), "Story 0499");
    assert!(
        header(&app).ends_with("1,000 of 1,200 matches"),
        "{}",
        header(&app)
    );
    keys(&mut app, &["G"]);
    assert_eq!(app.take_query_change().as_deref(), Some("story"));
    app.apply(Event::SearchResults {
        query: "story".into(),
        ids: ids.clone(),
        total: 1_200,
    });
    serve_reads(&mut app);
    keys(&mut app, &["G"]);
    assert_eq!(selected_title(&app), "Story 1199");
    assert!(
        header(&app).ends_with("· 1,200 matches"),
        "{}",
        header(&app)
    );
    // All of them are there: nothing more to ask.
    assert_eq!(app.take_query_change(), None);
    // A new query starts again from the best 500.
    type_text(&mut app, "/");
    keys(&mut app, &["backspace"]);
    assert_eq!(app.result_limit(), 500);
}

#[test]
fn results_hidden_after_the_engines_limit_are_made_up_for_until_the_screen_is_full() {
    let (library, ids) = stories(1_200);
    let settings = Settings {
        hide_rules: tidings::hide::Rules::new(&["title:story".to_string()]),
        ..Settings::default()
    };
    let mut app = App::new(library, settings);
    app.update(Action::Resize(80, 24));
    serve_reads(&mut app);
    // The rule hides the 800 best matches of the search to come.
    app.apply(Event::Members {
        key: tidings::hide::MEMBERS_KEY.to_string(),
        ids: ids[..800].to_vec(),
    });
    keys(&mut app, &["/"]);
    type_text(&mut app, "story");
    assert_eq!(app.take_query_change().as_deref(), Some("story"));
    // The best 500 are all hidden: nothing to show, so more are asked
    // for at once, not when the end of an empty list is reached.
    app.apply(Event::SearchResults {
        query: "story".into(),
        ids: ids[..500].to_vec(),
        total: 1_200,
    });
    serve_reads(&mut app);
    assert_eq!(app.take_query_change().as_deref(), Some("story"));
    assert!(app.result_limit() > 500, "{}", app.result_limit());
    app.apply(Event::SearchResults {
        query: "story".into(),
        ids: ids[..app.result_limit()].to_vec(),
        total: 1_200,
    });
    serve_reads(&mut app);
    // Still short of a screen (or all in): once more, until it is.
    while app.take_query_change().is_some() {
        app.apply(Event::SearchResults {
            query: "story".into(),
            ids: ids[..app.result_limit().min(1_200)].to_vec(),
            total: 1_200,
        });
        serve_reads(&mut app);
    }
    assert!(app.visible().len() >= 20, "{}", app.visible().len());
    assert_eq!(selected_title(&app), "Story 0800");
}
