//! "More like this": the `m` view of the list driven by actions and the
//! engine's answers (as the run loop hands them in), its screens, and
//! `tidings related` on a temporary library and on the BBC corpus.

use crate::app::{keys, listed, sample_app, select, selected_title, type_text};
use crate::common::{run, screen, tidings, write_tree};
use serde_json::Value;
use std::collections::HashSet;
use std::path::PathBuf;
use tidings::app::{App, Event, Focus};
use tidings::ui;

fn id_of(app: &App, title: &str) -> String {
    let meta = app.library().articles().iter().find(|a| a.title() == title);
    meta.unwrap_or_else(|| panic!("no story {title}"))
        .id()
        .to_string()
}

const STORY: &str = "France Is Asking Everyone for Help in Its ‘War’ Against ISIS";
const FOUND: [&str; 3] = [
    "Obama pledges solidarity with France against ISIS ‘scourge’",
    "France set for new Da Vinci novel",
    "Blair 'up for it' ahead of poll",
];

/// Press `m` on `STORY` and hand the app the engine's answer (`FOUND`),
/// as the run loop would.
fn related_view(app: &mut App) {
    select(app, STORY);
    keys(app, &["m"]);
    let (story, _) = app.take_related_request().expect("m asks the engine");
    let ids = FOUND.iter().map(|t| id_of(app, t)).collect();
    app.apply(Event::Related {
        id: story.id().to_string(),
        ids,
    });
    tidings::app::serve_reads(app);
}

#[test]
fn m_lists_the_engines_answer_in_its_order_under_a_like_header() {
    let mut app = sample_app(120, 40);
    select(&mut app, STORY);
    keys(&mut app, &["m"]);
    // Until the engine answers: the header says so, the list is empty.
    assert!(app.visible().is_empty());
    assert_eq!(ui::story_list::header_title(&app), format!("Like: {STORY}"));
    assert!(
        screen(&app, 120, 40)
            .row(2)
            .contains("Finding stories like this one"),
        "{}",
        screen(&app, 120, 40).row(2)
    );
    let (story, limit) = app.take_related_request().expect("asked once");
    assert_eq!(story.title(), STORY);
    assert_eq!(limit, tidings::app::related::RELATED_LIMIT);
    assert!(app.take_related_request().is_none(), "asked only once");
    let mut ids: Vec<String> = FOUND.iter().map(|t| id_of(&app, t)).collect();
    // The story itself and an id the library does not have are not listed.
    ids.insert(1, story.id().to_string());
    ids.push("ffffffffffffffff".to_string());
    app.apply(Event::Related {
        id: story.id().to_string(),
        ids,
    });
    assert_eq!(listed(&app), FOUND);
    assert_eq!(selected_title(&app), FOUND[0]);
    assert_eq!(ui::story_list::header_title(&app), format!("Like: {STORY}"));
}

#[test]
fn an_answer_for_another_story_is_ignored() {
    let mut app = sample_app(120, 40);
    select(&mut app, STORY);
    keys(&mut app, &["m"]);
    let other = id_of(&app, FOUND[0]);
    app.apply(Event::Related {
        id: other,
        ids: vec![id_of(&app, FOUND[1])],
    });
    assert!(app.visible().is_empty());
    assert!(!app.related().unwrap().answered());
}

#[test]
fn near_duplicates_from_the_seam_come_first_and_are_marked() {
    let app = sample_app(120, 40);
    let story = id_of(&app, STORY);
    let near = id_of(&app, FOUND[2]);
    let mut app = app.with_near_duplicates(move |meta| {
        let ids = if meta.id() == story {
            vec![near.clone()]
        } else {
            vec![]
        };
        ids.into_iter().collect::<HashSet<String>>()
    });
    related_view(&mut app);
    assert_eq!(listed(&app), [FOUND[2], FOUND[0], FOUND[1]]);
    let drawn = screen(&app, 120, 40);
    let row_of = |title: &str| {
        drawn
            .rows()
            .into_iter()
            .find(|r| r.contains(&title[..20]))
            .unwrap_or_else(|| panic!("{title} is drawn"))
    };
    assert!(row_of(FOUND[2]).contains('≈'), "{}", row_of(FOUND[2]));
    assert!(!row_of(FOUND[0]).contains('≈'), "{}", row_of(FOUND[0]));
}

#[test]
fn without_the_seam_nothing_is_marked_and_the_ranking_stays() {
    let mut app = sample_app(120, 40);
    related_view(&mut app);
    assert_eq!(listed(&app), FOUND);
    let drawn = screen(&app, 120, 40);
    assert!(!drawn.rows().iter().any(|r| r.contains('≈')));
}

#[test]
fn esc_puts_the_list_back_as_it_was() {
    // A short screen, a kept search and a selection far enough down that
    // the list is scrolled.
    let mut app = sample_app(120, 12);
    keys(&mut app, &["/"]);
    type_text(&mut app, "o");
    keys(&mut app, &["enter", "G", "k"]);
    let before = (
        listed(&app),
        app.selected_index(),
        app.list_offset(),
        ui::story_list::header_title(&app),
    );
    assert!(app.list_offset() > 0, "the list is scrolled");
    keys(&mut app, &["m"]);
    let (story, _) = app.take_related_request().unwrap();
    let ids = FOUND.iter().map(|t| id_of(&app, t)).collect();
    app.apply(Event::Related {
        id: story.id().to_string(),
        ids,
    });
    keys(&mut app, &["j"]);
    assert_eq!(selected_title(&app), FOUND[1]);
    keys(&mut app, &["esc"]);
    assert!(app.related().is_none());
    let after = (
        listed(&app),
        app.selected_index(),
        app.list_offset(),
        ui::story_list::header_title(&app),
    );
    assert_eq!(after, before);
    assert_eq!(app.search().query, "o", "the search is kept");
}

#[test]
fn enter_opens_a_story_from_the_view_and_j_reads_on_through_it() {
    let mut app = sample_app(120, 40);
    related_view(&mut app);
    keys(&mut app, &["j", "enter"]);
    assert_eq!(app.focus(), Focus::Reader);
    assert_eq!(
        app.reader().map(|r| r.id.clone()),
        Some(id_of(&app, FOUND[1]))
    );
    keys(&mut app, &["J"]);
    assert_eq!(
        app.reader().map(|r| r.id.clone()),
        Some(id_of(&app, FOUND[2]))
    );
    // The last of the view: no further.
    keys(&mut app, &["J"]);
    assert_eq!(selected_title(&app), FOUND[2]);
    // esc: back to the view, then back to the list.
    keys(&mut app, &["esc"]);
    assert_eq!(app.focus(), Focus::List);
    assert!(app.related().is_some());
    keys(&mut app, &["esc"]);
    assert!(app.related().is_none());
    assert_eq!(selected_title(&app), STORY);
}

#[test]
fn m_in_the_reader_lists_the_open_story_s_and_esc_returns_to_reading_it() {
    let mut app = sample_app(120, 40);
    select(&mut app, STORY);
    keys(&mut app, &["enter"]);
    assert_eq!(app.focus(), Focus::Reader);
    keys(&mut app, &["m"]);
    assert_eq!(app.focus(), Focus::List);
    let (story, _) = app.take_related_request().unwrap();
    assert_eq!(story.title(), STORY);
    app.apply(Event::Related {
        id: story.id().to_string(),
        ids: vec![id_of(&app, FOUND[0])],
    });
    keys(&mut app, &["esc"]);
    assert!(app.related().is_none());
    assert_eq!(app.focus(), Focus::Reader);
    assert_eq!(
        app.reader().map(|r| r.id.clone()),
        Some(story.id().to_string())
    );
}

#[test]
fn a_search_leaves_the_view_for_the_whole_list() {
    let mut app = sample_app(120, 40);
    related_view(&mut app);
    keys(&mut app, &["/"]);
    assert!(app.related().is_none());
    type_text(&mut app, "boss");
    assert!(listed(&app).iter().any(|t| t.contains("Shell boss")));
}

#[test]
fn without_a_search_engine_m_says_why() {
    let mut app = sample_app(120, 40);
    app.apply(Event::Indexing(tidings::search::worker::Report::Failed(
        "no threads".into(),
    )));
    keys(&mut app, &["m"]);
    assert!(app.related().is_none());
    assert!(app.take_related_request().is_none());
    let status = app.status().map(|s| s.text.clone()).unwrap_or_default();
    assert!(status.contains("needs the search index"), "{status}");
}

#[test]
fn related_view_screens() {
    for (w, h) in [(120, 40), (40, 12)] {
        let app = sample_app(w, h);
        let story = id_of(&app, STORY);
        let near = id_of(&app, FOUND[2]);
        let mut app = app.with_near_duplicates(move |meta| {
            (meta.id() == story)
                .then(|| near.clone())
                .into_iter()
                .collect()
        });
        related_view(&mut app);
        insta::assert_snapshot!(format!("related_{w}x{h}"), screen(&app, w, h).backend());
    }
}

// ---- tidings related ---------------------------------------------------

/// Five stories: two about the same solar farm, two about one cup final,
/// one about a budget.
fn library() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    write_tree(
        home.path(),
        &[
            (
                "lib/energy/solar.txt",
                b"Solar farm opens in the valley\n\nThe valley's new solar farm opened on Monday. \
                  The solar panels cover forty fields and the farm will power the valley towns. \
                  Engineers said the panels would pay for themselves.\n" as &[u8],
            ),
            (
                "lib/energy/solar-output.txt",
                b"Valley solar farm doubles its output\n\nThe solar farm in the valley doubled \
                  its output after engineers added panels. The farm's panels now power every \
                  valley town.\n",
            ),
            (
                "lib/sport/final.txt",
                b"Cup final ends in a draw\n\nThe cup final ended in a draw after extra time. \
                  The final will be replayed, the cup organisers said.\n",
            ),
            (
                "lib/sport/replay.txt",
                b"Cup final replay set for May\n\nThe replay of the cup final is set for May. \
                  Tickets for the final replay go on sale next week.\n",
            ),
            (
                "lib/money/budget.txt",
                b"Budget raises taxes\n\nThe chancellor's budget raises taxes on fuel and \
                  tobacco. The budget was criticised by the opposition.\n",
            ),
        ],
    );
    home
}

#[test]
fn related_prints_score_id_title_and_path_best_first() {
    let home = library();
    let (code, out, err) =
        run(tidings(home.path()).args(["related", "lib/energy/solar.txt", "-l", "lib"]));
    assert_eq!(code, 0, "{err}");
    let first: Vec<&str> = out.lines().next().expect("a line").split('\t').collect();
    assert_eq!(first.len(), 4, "{out}");
    assert!(first[0].parse::<f32>().unwrap() > 0.0, "{out}");
    assert_eq!(first[2], "Valley solar farm doubles its output");
    assert_eq!(first[3], "energy/solar-output.txt");
    assert!(
        !out.contains("Solar farm opens"),
        "never the story itself:\n{out}"
    );
}

#[test]
fn related_json_has_the_documented_fields_and_limit_cuts_the_list() {
    let home = library();
    let (code, out, err) = run(tidings(home.path()).args([
        "related",
        "lib/sport/final.txt",
        "--json",
        "--limit",
        "1",
        "-l",
        "lib",
    ]));
    assert_eq!(code, 0, "{err}");
    let rows: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(rows.len(), 1, "{out}");
    let row = &rows[0];
    assert_eq!(row["title"], "Cup final replay set for May");
    assert_eq!(row["path"], "sport/replay.txt");
    assert_eq!(row["near_duplicate"], false);
    assert!(row["score"].as_f64().unwrap() > 0.0);
    assert_eq!(row["id"].as_str().unwrap().len(), 16);
}

#[test]
fn related_lists_the_story_s_other_versions_first_and_marks_them() {
    let home = library();
    let body = "The cooperative that built the valley's second solar farm switched it on \
        this morning, two years after the first panels arrived by lorry from the port. \
        Its members, most of them farmers who lease the fields, say the income will keep \
        three family farms going through the next drought. The district council, which \
        opposed the plan at first, now wants a third farm on the old airfield, and the \
        grid operator has promised a new line to carry the power to the coast by spring.";
    write_tree(
        home.path(),
        &[
            (
                "lib/energy/second-farm.txt",
                format!("Second solar farm switched on\n\n{body}\n").as_bytes(),
            ),
            (
                "lib/wire/second-farm.txt",
                format!("Valley cooperative powers up\n\n{body}\n").as_bytes(),
            ),
        ],
    );
    let args = ["related", "lib/energy/second-farm.txt", "-l", "lib"];
    let (code, out, err) = run(tidings(home.path()).args(args));
    assert_eq!(code, 0, "{err}");
    let lines: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines[0][2], "Valley cooperative powers up", "{out}");
    assert_eq!(lines[0].get(4), Some(&"≈"), "marked:\n{out}");
    assert!(lines[1..].iter().all(|l| l.len() == 4), "only it:\n{out}");
    let (code, out, err) = run(tidings(home.path()).args(args).arg("--json"));
    assert_eq!(code, 0, "{err}");
    let rows: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(rows[0]["path"], "wire/second-farm.txt");
    assert_eq!(rows[0]["near_duplicate"], true);
    assert!(
        rows[1..].iter().all(|r| r["near_duplicate"] == false),
        "{out}"
    );
}

#[test]
fn related_to_an_unknown_id_is_a_usage_error() {
    let home = library();
    let (code, out, err) = run(tidings(home.path()).args(["related", "ffffffffffff", "-l", "lib"]));
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.trim_end()
            .ends_with("no article matches 'ffffffffffff'"),
        "{err}"
    );
}

/// The BBC corpus beside the project (`../shared`) or at `/work/shared`.
fn bbc() -> Option<PathBuf> {
    let beside = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/bbc");
    let found = [beside, PathBuf::from("/work/shared/corpus/bbc")]
        .into_iter()
        .find(|p| p.is_dir());
    if found.is_none() {
        eprintln!("note: the BBC corpus (../shared or /work/shared) is absent; skipping");
    }
    found
}

#[test]
fn on_the_bbc_corpus_a_story_s_near_duplicate_is_the_most_related() {
    let Some(corpus) = bbc() else { return };
    let home = tempfile::tempdir().unwrap();
    let (code, out, err) = run(tidings(home.path())
        .args(["related", "tech/concern-over-rfid-tags.txt", "--json"])
        .arg("-l")
        .arg(&corpus)
        .current_dir(&corpus));
    assert_eq!(code, 0, "{err}");
    let rows: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(
        rows[0]["path"], "tech/consumer-concern-over-rfid-tags.txt",
        "{out}"
    );
    assert_eq!(rows[0]["near_duplicate"], true, "{out}");
    assert_eq!(rows.len(), 10, "the default limit");
}

// ---- the real binary ------------------------------------------------------

#[test]
fn in_a_terminal_m_lists_related_stories_and_esc_restores_the_list() {
    use crate::common::pty::Session;
    let mut s = Session::start(120, 32, None);
    s.wait_for("15 articles");
    s.send("j");
    let list = s.wait_for("2/15");
    s.send("m");
    // The engine answered: the list's position counts the stories found.
    s.wait_for("Like: ");
    let view = s.wait_for("1/");
    assert!(
        !view.contains("2/15") && !view.contains("Finding"),
        "{view}"
    );
    s.send("\x1b");
    let back = s.wait_for("2/15");
    let header = |screen: &str| screen.lines().nth(1).unwrap_or_default().to_string();
    assert_eq!(header(&back), header(&list));
    s.send("q");
    assert_eq!(s.exit_code(), 0);
    s.assert_restored();
}

// ---- the search worker ----------------------------------------------------

#[test]
fn the_search_worker_answers_m_on_its_own_thread() {
    use std::time::{Duration, Instant};
    use tidings::library::{Library, LoadOptions};
    use tidings::search::worker::{Event as WorkerEvent, Finder};
    let home = library();
    let library = Library::load(&[home.path().join("lib")], LoadOptions::default()).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let finder = Finder::spawn(&home.path().join("cache"), &library, tx).unwrap();
    let story = library
        .articles()
        .iter()
        .find(|a| a.title().starts_with("Solar farm"))
        .unwrap()
        .clone();
    finder.related(story.clone(), 10);
    let deadline = Instant::now() + Duration::from_secs(20);
    // Answers come again as the index fills; wait for one that has found
    // the other solar story.
    let ids = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left).expect("an answer within 20 s") {
            WorkerEvent::Related { id, ids } if !ids.is_empty() => {
                assert_eq!(id, story.id());
                break ids;
            }
            _ => {}
        }
    };
    let titles: Vec<&str> = ids
        .iter()
        .filter_map(|id| library.articles().iter().find(|a| a.id() == id))
        .map(|a| a.title())
        .collect();
    assert_eq!(titles[0], "Valley solar farm doubles its output");
    assert!(!ids.contains(&story.id().to_string()));
}

#[test]
fn choosing_a_feed_leaves_the_view_but_a_glance_at_the_feeds_does_not() {
    let mut app = sample_app(120, 40);
    related_view(&mut app);
    keys(&mut app, &["f", "esc"]);
    assert!(
        app.related().is_some(),
        "closing the overlay keeps the view"
    );
    keys(&mut app, &["f", "enter"]);
    assert!(app.related().is_none());
}
