//! Hidden stories: hide rules answered by the index (`Event::Members`),
//! stories hidden by hand (`d`), the count in the header, `H` to show
//! them anyway, undo, and what survives a restart; the command line's
//! `list` and `search` leave them out too.

use crate::app::{keys, listed, select, selected_title, type_text};
use crate::common::screen;
use ratatui::style::Modifier;
use std::path::Path;
use std::time::Instant;
use tidings::action::Action;
use tidings::app::marks::{Hide, Mark};
use tidings::app::{App, Event, Focus, Settings, serve_reads};
use tidings::hide::{MEMBERS_KEY, Rules};
use tidings::library::Library;
use tidings::store::Store;
use tidings::tui::persist::Persist;

/// The sample library's three sport stories.
const SPORT: [&str; 3] = [
    "Britain boosted by Holmes double",
    "Capriati to miss Melbourne",
    "Wilkinson return 'unlikely'",
];

fn rules(list: &[&str]) -> Rules {
    Rules::new(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>())
}

/// The sample library with these hide rules, at `w`x`h`.
fn app_with_rules(list: &[&str], w: u16, h: u16) -> App {
    let settings = Settings {
        hide_rules: rules(list),
        ..Settings::default()
    };
    let mut app = App::new(Library::bundled(), settings);
    app.update(Action::Resize(w, h));
    serve_reads(&mut app);
    app
}

fn id_of(app: &App, title: &str) -> String {
    let articles = app.library().articles();
    let meta = articles.iter().find(|a| a.title() == title);
    meta.unwrap_or_else(|| panic!("no story {title}"))
        .id()
        .to_string()
}

/// The index's answer to the hide rules: these stories.
fn answer(app: &mut App, titles: &[&str]) {
    let ids = titles.iter().map(|t| id_of(app, t)).collect();
    app.apply(Event::Members {
        key: MEMBERS_KEY.to_string(),
        ids,
    });
    serve_reads(app);
}

/// The sport rule, asked and answered.
fn sport_hidden(w: u16, h: u16) -> App {
    let mut app = app_with_rules(&["category:sport"], w, h);
    answer(&mut app, &SPORT);
    app
}

/// The list's header (under the search bar).
fn header(app: &App) -> String {
    let area = app.area();
    screen(app, area.width, area.height).row(1)
}

fn status(app: &App) -> String {
    app.status().map(|s| s.text.clone()).unwrap_or_default()
}

fn shows_none_of(app: &App, titles: &[&str]) {
    let shown = listed(app);
    for t in titles {
        assert!(!shown.iter().any(|s| s == t), "{t} listed: {shown:?}");
    }
}

#[test]
fn the_rules_are_asked_of_the_index_under_the_hide_key() {
    let mut app = app_with_rules(&["category:sport", "title:horoscope"], 120, 40);
    let asked = app.take_member_requests();
    assert_eq!(
        asked,
        [(
            MEMBERS_KEY.to_string(),
            vec![
                "category:sport ".to_string(),
                "title:horoscope ".to_string()
            ]
        )]
    );
    let mut plain = crate::app::sample_app(120, 40);
    assert!(plain.take_member_requests().is_empty(), "no rules, no ask");
}

#[test]
fn an_invalid_rule_is_reported_and_the_others_still_apply() {
    let mut app = app_with_rules(&["writer:smith", "category:sport"], 120, 40);
    let text = status(&app);
    assert!(
        text.contains("hide rule \"writer:smith\" left out"),
        "{text}"
    );
    assert!(app.status().unwrap().error);
    let asked = app.take_member_requests();
    assert_eq!(asked[0].1, ["category:sport "]);
}

#[test]
fn until_the_index_answers_every_story_is_listed_and_the_header_says_so() {
    let mut app = app_with_rules(&["category:sport"], 120, 40);
    assert_eq!(app.visible().len(), 15);
    assert!(
        header(&app).contains("applying hide rules"),
        "{}",
        header(&app)
    );
    answer(&mut app, &SPORT);
    assert_eq!(app.visible().len(), 12);
    shows_none_of(&app, &SPORT);
    let top = header(&app);
    assert!(top.contains("All · newest first · 3 hidden"), "{top}");
}

#[test]
fn hidden_stories_are_left_out_of_the_bookmarks_and_unread_views() {
    let mut app = app_with_rules(&["category:sport"], 120, 40);
    // Bookmark and read a sport story before the rules are answered.
    select(&mut app, SPORT[0]);
    keys(&mut app, &["b"]);
    select(&mut app, "Halo 2 sells five million copies");
    keys(&mut app, &["b"]);
    answer(&mut app, &SPORT);
    keys(&mut app, &["B"]);
    assert_eq!(listed(&app), ["Halo 2 sells five million copies"]);
    assert!(header(&app).contains("Bookmarks · newest first · 1 hidden"));
    keys(&mut app, &["B", "U"]);
    shows_none_of(&app, &SPORT);
    assert_eq!(app.hidden_count(), 3);
}

#[test]
fn hidden_stories_are_left_out_of_headline_and_engine_search_results() {
    let mut app = sport_hidden(120, 40);
    keys(&mut app, &["/"]);
    type_text(&mut app, "melbourne");
    // Headline matches, before the engine answers.
    assert!(listed(&app).is_empty(), "{:?}", listed(&app));
    assert_eq!(app.hidden_note().as_deref(), Some("1 hidden"));
    // The engine's answer: a hidden story and one that is not.
    let other = "Bookmakers back Aviator for Oscar";
    let ids = vec![id_of(&app, SPORT[1]), id_of(&app, other)];
    app.apply(Event::SearchResults {
        query: "melbourne".into(),
        ids,
        total: 2,
    });
    assert_eq!(listed(&app), [other]);
    assert_eq!(app.hidden_note().as_deref(), Some("1 hidden"));
    // The count of matches leaves the hidden one out.
    assert_eq!(app.match_count_text(), "1 match");
}

#[test]
fn more_like_this_leaves_hidden_stories_out() {
    let mut app = sport_hidden(120, 40);
    select(&mut app, "Halo 2 sells five million copies");
    keys(&mut app, &["m"]);
    let (story, _) = app.take_related_request().expect("m asks the engine");
    let found = [SPORT[2], "Robots learn 'robotiquette' rules"];
    let ids = found.iter().map(|t| id_of(&app, t)).collect();
    app.apply(Event::Related {
        id: story.id().to_string(),
        ids,
    });
    assert_eq!(listed(&app), [found[1]]);
    assert_eq!(app.hidden_count(), 1);
}

#[test]
fn h_shows_hidden_stories_marked_and_dimmed_and_h_again_leaves_them_out() {
    let mut app = sport_hidden(120, 40);
    keys(&mut app, &["H"]);
    assert_eq!(app.visible().len(), 15);
    assert_eq!(status(&app), "Hidden stories shown (dimmed)");
    assert!(header(&app).contains("3 hidden, shown"), "{}", header(&app));
    select(&mut app, SPORT[0]);
    keys(&mut app, &["j"]);
    let s = screen(&app, 120, 40);
    let rows = s.rows();
    let y = rows.iter().position(|r| r.contains(SPORT[0])).unwrap() as u16;
    assert!(rows[y as usize].contains('⊘'), "{}", rows[y as usize]);
    let x = rows[y as usize].find("Britain").unwrap();
    let col = rows[y as usize][..x].chars().count() as u16;
    assert!(s.buffer()[(col, y)].modifier.contains(Modifier::DIM));
    // A story that is not hidden is neither marked nor dimmed.
    let plain = rows
        .iter()
        .position(|r| r.contains("Halo 2 sells"))
        .unwrap();
    assert!(!rows[plain].contains('⊘'));
    assert!(
        !s.buffer()[(col, plain as u16)]
            .modifier
            .contains(Modifier::DIM)
    );
    keys(&mut app, &["H"]);
    shows_none_of(&app, &SPORT);
    assert_eq!(status(&app), "Hidden stories left out");
}

#[test]
fn d_hides_the_selected_story_and_the_next_takes_its_row() {
    let mut app = crate::app::sample_app(120, 40);
    keys(&mut app, &["j"]);
    let (row, hidden) = (app.selected(), selected_title(&app));
    let next = listed(&app)[row + 1].clone();
    keys(&mut app, &["d"]);
    assert_eq!(status(&app), "Hidden");
    shows_none_of(&app, &[&hidden]);
    assert_eq!((app.selected(), selected_title(&app)), (row, next));
    assert_eq!(app.marks().hide(&id_of(&app, &hidden)), Some(Hide::Hidden));
    assert!(header(&app).contains("1 hidden"), "{}", header(&app));
}

#[test]
fn d_on_the_last_story_selects_the_one_before() {
    let mut app = crate::app::sample_app(120, 40);
    keys(&mut app, &["G"]);
    let before = listed(&app)[13].clone();
    keys(&mut app, &["d"]);
    assert_eq!(app.visible().len(), 14);
    assert_eq!(selected_title(&app), before);
}

#[test]
fn d_in_the_reader_hides_the_story_and_reads_the_next_then_returns_after_the_last() {
    let mut app = crate::app::sample_app(80, 24);
    let next = listed(&app)[1].clone();
    keys(&mut app, &["enter", "d"]);
    assert_eq!(app.focus(), Focus::Reader);
    assert_eq!(selected_title(&app), next);
    assert!(
        app.is_marked(Mark::Read, app.selected_meta().unwrap()),
        "read on opening"
    );
    keys(&mut app, &["G", "esc", "G", "enter", "d"]);
    assert_eq!(app.focus(), Focus::List, "no story after the last");
    assert_eq!(app.visible().len(), 13);
}

#[test]
fn z_undoes_hides_several_steps_deep_saying_which() {
    let mut app = crate::app::sample_app(120, 40);
    let first = selected_title(&app);
    keys(&mut app, &["d", "u"]);
    let second = selected_title(&app);
    keys(&mut app, &["d"]);
    assert_eq!(app.visible().len(), 13);
    keys(&mut app, &["z"]);
    assert_eq!(status(&app), format!("Undid: hid {second}"));
    assert_eq!(app.visible().len(), 14);
    assert_eq!(
        selected_title(&app),
        second,
        "the story back under the cursor"
    );
    keys(&mut app, &["z"]);
    assert_eq!(status(&app), format!("Undid: marked read: {second}"));
    keys(&mut app, &["z"]);
    assert_eq!(status(&app), format!("Undid: hid {first}"));
    assert_eq!(app.visible().len(), 15);
    assert_eq!(app.marks().hides().count(), 0);
    keys(&mut app, &["z"]);
    assert_eq!(status(&app), "Nothing to undo");
}

#[test]
fn d_on_a_shown_hidden_story_unhides_it_even_against_a_rule_and_z_hides_it_again() {
    let mut app = sport_hidden(120, 40);
    keys(&mut app, &["H"]);
    select(&mut app, SPORT[1]);
    keys(&mut app, &["d"]);
    assert_eq!(status(&app), "Unhidden");
    assert_eq!(app.marks().hide(&id_of(&app, SPORT[1])), Some(Hide::Shown));
    keys(&mut app, &["H"]);
    assert!(listed(&app).iter().any(|t| t == SPORT[1]), "shown by hand");
    assert_eq!(app.hidden_count(), 2);
    // Hidden again by hand: the rule decides again.
    select(&mut app, SPORT[1]);
    keys(&mut app, &["d"]);
    shows_none_of(&app, &[SPORT[1]]);
    assert_eq!(app.marks().hide(&id_of(&app, SPORT[1])), None);
    keys(&mut app, &["z"]);
    assert_eq!(status(&app), format!("Undid: hid {}", SPORT[1]));
    keys(&mut app, &["z"]);
    assert_eq!(status(&app), format!("Undid: unhid {}", SPORT[1]));
    shows_none_of(&app, &[SPORT[1]]);
}

#[test]
fn a_story_hidden_by_hand_and_shown_with_h_is_unhidden_by_d() {
    let mut app = crate::app::sample_app(120, 40);
    let first = selected_title(&app);
    keys(&mut app, &["d", "H"]);
    select(&mut app, &first);
    keys(&mut app, &["d", "H"]);
    assert!(listed(&app).contains(&first));
    assert_eq!(app.hidden_count(), 0);
    assert!(!header(&app).contains("hidden"), "{}", header(&app));
}

#[test]
fn rules_with_is_filters_are_asked_again_when_marks_change_in_the_list_only() {
    let mut app = app_with_rules(&["is:read"], 80, 24);
    assert_eq!(app.take_member_requests().len(), 1);
    keys(&mut app, &["j"]);
    assert!(app.take_member_requests().is_empty(), "nothing changed");
    // Opening marks read: not asked while the story is being read.
    keys(&mut app, &["enter"]);
    assert!(app.take_member_requests().is_empty());
    keys(&mut app, &["esc"]);
    assert_eq!(app.take_member_requests().len(), 1, "asked on the way back");
    keys(&mut app, &["u"]);
    assert_eq!(app.take_member_requests().len(), 1);
    let mut plain = app_with_rules(&["category:sport"], 80, 24);
    plain.take_member_requests();
    keys(&mut plain, &["u", "b"]);
    assert!(plain.take_member_requests().is_empty(), "no is: filter");
}

#[test]
fn hidden_count_screens() {
    for (w, h) in [(120, 40), (40, 12)] {
        let mut app = sport_hidden(w, h);
        keys(&mut app, &["d"]);
        insta::assert_snapshot!(
            format!("hidden_count_{w}x{h}"),
            screen(&app, w, h).backend()
        );
        keys(&mut app, &["H"]);
        insta::assert_snapshot!(
            format!("hidden_shown_{w}x{h}"),
            screen(&app, w, h).backend()
        );
    }
}

/// The app with the store in `dir`, as `launch` starts it.
fn session(dir: &Path) -> (App, Persist) {
    let (mut persist, warnings) = Persist::open(dir);
    assert!(warnings.is_empty(), "{warnings:?}");
    let mut app = App::new(Library::bundled(), Settings::default());
    app.update(Action::Resize(120, 40));
    serve_reads(&mut app);
    persist.seed(&mut app);
    (app, persist)
}

#[test]
fn a_hide_is_on_disk_before_it_shows_and_after_a_restart() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path();
    let (mut app, mut persist) = session(dir);
    let (first, id) = (
        selected_title(&app),
        app.selected_meta().unwrap().id().to_string(),
    );
    keys(&mut app, &["d"]);
    // The loop's call after the key, before it draws it.
    persist.sync(&mut app, Instant::now());
    assert_eq!(Store::open(dir).0.hide(&id), Some(Hide::Hidden));
    drop((app, persist));

    let (mut app, mut persist) = session(dir);
    shows_none_of(&app, &[&first]);
    assert_eq!(app.hidden_count(), 1);
    keys(&mut app, &["H"]);
    select(&mut app, &first);
    keys(&mut app, &["d"]);
    persist.sync(&mut app, Instant::now());
    assert_eq!(Store::open(dir).0.hide(&id), None, "unhidden on disk");
}

#[test]
fn in_a_terminal_a_story_hidden_with_d_stays_hidden_after_a_restart() {
    let home = tempfile::tempdir().unwrap();
    let mut s = crate::common::pty::Session::start_in(home.path(), 100, 30, None);
    let screen = s.wait_for("15 articles");
    let first = "France Is Asking Everyone";
    assert!(screen.contains(first), "{screen}");
    s.send("d");
    let screen = s.wait_for("1 hidden");
    assert!(!screen.contains(first), "{screen}");
    s.send("q");
    assert_eq!(s.exit_code(), 0);

    let s = crate::common::pty::Session::start_in(home.path(), 100, 30, None);
    let screen = s.wait_for("1 hidden");
    assert!(!screen.contains(first), "{screen}");
}

fn cli(home: &Path, args: &[&str]) -> (i32, String, String) {
    crate::common::run(crate::common::home::tidings(home).args(args))
}

fn json(out: &str) -> Vec<serde_json::Value> {
    serde_json::from_str::<serde_json::Value>(out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn list_and_search_leave_hidden_stories_out_unless_hidden_is_given() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    std::fs::write(h.join("config.toml"), "hide = [\"category:sport\"]\n").unwrap();
    // One more, hidden by hand in the reader.
    let (_, all, _) = cli(h, &["list", "--hidden"]);
    assert_eq!(all.lines().count(), 15, "{all}");
    let halo = all.lines().find(|l| l.contains("Halo 2")).unwrap();
    let halo_id = halo.split('\t').next().unwrap();
    Store::open(&h.join("data"))
        .0
        .set_hide_now(halo_id, Some(Hide::Hidden))
        .unwrap();

    let (code, out, err) = cli(h, &["list"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 11, "{out}");
    for t in SPORT.iter().chain(&["Halo 2"]) {
        assert!(!out.contains(t), "{t} listed:\n{out}");
    }
    let (_, out, _) = cli(h, &["list", "--query", "melbourne OR holmes"]);
    assert_eq!(out, "", "the query's matches are all hidden");

    let (_, out, _) = cli(h, &["list", "--json"]);
    let entries = json(&out);
    assert_eq!(entries.len(), 11);
    assert!(entries.iter().all(|e| e.get("hidden").is_none()), "{out}");
    let (_, out, _) = cli(h, &["list", "--json", "--hidden"]);
    let entries = json(&out);
    assert_eq!(entries.len(), 15);
    let hidden: Vec<&str> = entries
        .iter()
        .filter(|e| e["hidden"] == true)
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    assert_eq!(hidden.len(), 4, "{hidden:?}");
    assert!(hidden.contains(&"Halo 2 sells five million copies"));

    let (code, out, err) = cli(h, &["search", "melbourne"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "");
    let (_, out, _) = cli(h, &["search", "--hidden", "melbourne"]);
    assert!(out.contains("Capriati to miss Melbourne"), "{out}");
    let (_, out, _) = cli(h, &["search", "--json", "--hidden", "melbourne"]);
    assert_eq!(json(&out)[0]["hidden"], true, "{out}");
    let (_, out, _) = cli(h, &["search", "--limit", "2", "france"]);
    assert_eq!(out.lines().count(), 2, "the limit counts shown stories");
}

#[test]
fn a_bad_hide_rule_is_a_warning_on_the_command_line_not_an_error() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let text = "hide = [\"writer:x\", \"category:sport\"]\n";
    std::fs::write(h.join("config.toml"), text).unwrap();
    let (code, out, err) = cli(h, &["list"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("hide rule \"writer:x\" left out"), "{err}");
    assert_eq!(out.lines().count(), 12);
}

/// A story of a feed under `/n/news`.
fn news_story(n: usize, title: &str, rel: &str) -> tidings::article::ArticleMeta {
    let id = format!("{n:016x}");
    let text = tidings::article::MetaText {
        id: &id,
        title,
        rel_path: rel,
        ..tidings::article::MetaText::default()
    };
    let path = Path::new("/n/news").join(rel);
    tidings::article::ArticleMeta::new(text, path, 500, 1, 0)
}

#[test]
fn hidden_stories_are_left_out_of_a_feed_and_its_counts_in_the_feeds_overlay() {
    let metas = vec![
        news_story(1, "Wire rates", "Tech/Wire/a.md"),
        news_story(2, "Wire horoscope", "Tech/Wire/b.md"),
        news_story(3, "Post rates", "Tech/Post/c.md"),
    ];
    let settings = Settings {
        news_dir: Some("/n/news".into()),
        hide_rules: rules(&["title:horoscope"]),
        ..Settings::default()
    };
    let library = Library::from_articles(tidings::library::Origin::Disk(Vec::new()), metas);
    let mut app = App::new(library, settings);
    app.update(Action::Resize(60, 16));
    answer(&mut app, &["Wire horoscope"]);
    keys(&mut app, &["f"]);
    let counts = |app: &App| -> Vec<(String, usize, usize)> {
        let rows = app.feed_rows().iter();
        rows.map(|r| (r.label.clone(), r.unread, r.total)).collect()
    };
    let row = |label: &str, unread, total| (label.to_string(), unread, total);
    let rows = counts(&app);
    assert_eq!(rows[0], row("All", 2, 2), "{rows:?}");
    assert!(rows.contains(&row("Wire", 1, 1)), "{rows:?}");
    keys(&mut app, &["G", "enter"]);
    assert_eq!(listed(&app), ["Wire rates"]);
    assert_eq!(app.hidden_count(), 1);
    // Shown anyway: counted as listed.
    keys(&mut app, &["H", "f"]);
    assert_eq!(counts(&app)[0], row("All", 3, 3));
}

#[test]
fn related_leaves_hidden_stories_out_unless_hidden_is_given() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let (_, all, _) = cli(h, &["list"]);
    let id_of = |title: &str| {
        let line = all.lines().find(|l| l.contains(title)).unwrap();
        line.split('\t').next().unwrap().to_string()
    };
    let (holmes, capriati) = (id_of("Holmes double"), id_of("Capriati"));
    let (code, out, err) = cli(h, &["related", "--limit", "20", &holmes]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&capriati), "{out}");
    // Another sport story, hidden by a rule: left out of the answer.
    std::fs::write(h.join("config.toml"), "hide = [\"title:capriati\"]\n").unwrap();
    let (code, out, err) = cli(h, &["related", "--limit", "20", &holmes]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains(&capriati), "{out}");
    let (_, out, _) = cli(
        h,
        &["related", "--limit", "20", "--hidden", "--json", &holmes],
    );
    let rows = json(&out);
    let row = rows
        .iter()
        .find(|r| r["id"] == capriati.as_str())
        .expect("listed");
    assert_eq!(row["hidden"], true, "{out}");
}

#[test]
fn the_views_overlay_leaves_hidden_stories_out_of_its_unread_counts() {
    let mut app = sport_hidden(120, 40);
    keys(&mut app, &["v"]);
    let all = app.library().articles().len();
    assert_eq!(app.view_unread(0), Some(all - SPORT.len()));
}
