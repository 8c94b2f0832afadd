//! Saved views: defined in the config, shown by key, number or the views
//! overlay, counted, searched within, saved from the search bar into the
//! config file (keeping the rest of it byte for byte), and listed by
//! `tidings list --view`.

use crate::app::{keys, type_text};
use crate::common::pty::{Session, tidings_pty};
use crate::common::screen::screen;
use crate::common::{repo_file, run, tidings};
use tidings::action::Action;
use tidings::app::{App, Effect, Event, Overlay, Settings, serve_reads};
use tidings::config::Config;
use tidings::keymap::Mode;
use tidings::library::Library;

const CONFIG: &str = r#"# my views
[[view]]
name = "All"
query = ""

[[view]]
name = "Sport"
query = "category:sport"
key = "T"

[[view]]
name = "Unread"
query = "is:unread"
"#;

/// The sample library with `config`'s views, at `width`x`height`.
fn app_with(config: &str, width: u16, height: u16) -> App {
    let config = Config::parse(config).unwrap();
    let mut app = App::new(Library::bundled(), Settings::from_config(&config, true));
    app.update(Action::Resize(width, height));
    serve_reads(&mut app);
    app
}

/// The ids of the sample's stories under `category`.
fn ids_in(app: &App, category: &str) -> Vec<String> {
    let articles = app.library().articles();
    articles
        .iter()
        .filter(|a| a.category() == Some(category))
        .map(|a| a.id().to_string())
        .collect()
}

fn visible_ids(app: &App) -> Vec<String> {
    let articles = app.library().articles();
    app.visible()
        .iter()
        .map(|&i| articles[i].id().to_string())
        .collect()
}

fn header(app: &App) -> String {
    tidings::ui::story_list::header_title(app)
}

/// Answer the view's ask for its stories, as the engine would.
fn answer_members(app: &mut App, key: &str, ids: Vec<String>) {
    app.apply(Event::Members {
        key: key.to_string(),
        ids,
    });
}

#[test]
fn a_view_of_the_engine_lists_exactly_its_members_once_answered() {
    let mut app = app_with(CONFIG, 120, 32);
    app.take_member_requests();
    keys(&mut app, &["T"]);
    assert_eq!(app.view().name, "Sport");
    assert_eq!(
        app.take_member_requests(),
        [(
            "view:Sport".to_string(),
            vec!["category:sport ".to_string()]
        )]
    );
    assert!(app.visible().is_empty(), "never a wrong list meanwhile");
    assert_eq!(header(&app), "Sport · searching…");
    let sport = ids_in(&app, "sport");
    assert_eq!(sport.len(), 3);
    answer_members(&mut app, "view:Sport", sport.clone());
    let mut shown = visible_ids(&app);
    assert_eq!(header(&app), "Sport · newest first");
    shown.sort();
    let mut wanted = sport;
    wanted.sort();
    assert_eq!(shown, wanted);

    keys(&mut app, &["T"]);
    assert_eq!(
        (app.view().name.as_str(), app.visible().len()),
        ("All", 15),
        "its key again: the first view"
    );
    assert_eq!(
        app.take_member_requests(),
        [("view:Sport".to_string(), vec![])],
        "the answer is let go"
    );
}

#[test]
fn numbers_switch_views_and_a_story_read_is_gone_from_unread_when_shown_again() {
    let mut app = app_with(CONFIG, 120, 32);
    keys(&mut app, &["3"]);
    assert_eq!(app.view().name, "Unread");
    assert_eq!(header(&app), "Unread · newest first");
    keys(&mut app, &["u"]);
    assert_eq!(app.visible().len(), 15, "not pulled from under the cursor");
    keys(&mut app, &["3"]);
    assert_eq!(app.visible().len(), 14);
    keys(&mut app, &["1"]);
    assert_eq!((app.view().name.as_str(), app.visible().len()), ("All", 15));
    keys(&mut app, &["4"]);
    assert_eq!(app.view().name, "All", "no fourth view: nothing happens");
}

#[test]
fn the_overlay_lists_views_with_unread_counts_once_known_and_enter_switches() {
    let mut app = app_with(CONFIG, 120, 40);
    keys(&mut app, &["u", "v"]);
    assert_eq!(
        (app.overlay(), app.mode()),
        (Some(Overlay::Views), Mode::Views)
    );
    assert_eq!(app.view_unread(0), Some(14), "counted in the app at once");
    assert_eq!(app.view_unread(2), Some(14));
    assert_eq!(app.view_unread(1), None, "the engine's view: not yet");
    let asks = app.take_member_requests();
    assert!(
        asks.contains(&(
            "view-unread:Sport".to_string(),
            vec!["category:sport is:unread".to_string()]
        )),
        "{asks:?}"
    );
    let text = screen(&app, 120, 40).rows().join("\n");
    assert!(
        text.contains("2 Sport") && text.contains("… unread"),
        "{text}"
    );
    insta::assert_snapshot!("views_overlay_120x40", screen(&app, 120, 40).backend());

    let two = ids_in(&app, "sport")[..2].to_vec();
    answer_members(&mut app, "view-unread:Sport", two);
    assert_eq!(app.view_unread(1), Some(2));
    assert_eq!(app.view().name, "All", "a count changes no list");
    insta::assert_snapshot!("views_overlay_40x12", screen(&app, 40, 12).backend());

    keys(&mut app, &["j", "j", "enter"]);
    assert_eq!((app.overlay(), app.view().name.as_str()), (None, "Unread"));
    keys(&mut app, &["v", "2"]);
    assert_eq!((app.overlay(), app.view().name.as_str()), (None, "Sport"));
}

#[test]
fn a_search_in_a_view_is_sent_within_the_views_query() {
    let mut app = app_with(CONFIG, 120, 32);
    keys(&mut app, &["T", "/"]);
    type_text(&mut app, "holmes");
    let sent = app.take_query_change().expect("asked the engine");
    assert_eq!(sent, "category:sport holmes");
    let holmes = ids_in(&app, "sport")
        .into_iter()
        .filter(|id| {
            app.library()
                .articles()
                .iter()
                .any(|a| a.id() == id && a.title().contains("Holmes"))
        })
        .collect::<Vec<_>>();
    let sport = ids_in(&app, "sport");
    answer_members(&mut app, "view:Sport", sport);
    app.apply(Event::SearchResults {
        query: sent,
        ids: holmes.clone(),
        total: 1,
    });
    assert_eq!(visible_ids(&app), holmes);
    assert!(
        header(&app).starts_with("Sport · \"holmes\""),
        "{}",
        header(&app)
    );
}

#[test]
fn the_shipped_views_keep_their_names_keys_and_order() {
    let app = app_with("", 120, 32);
    let names: Vec<&str> = app.views().iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["All", "Bookmarks", "Unread", "Continue reading"]);
    assert_eq!(header(&app), "All · newest first");
}

#[test]
fn a_bad_view_is_said_in_the_status_bar_and_the_rest_still_work() {
    let app = app_with(
        "[[view]]\nquery = \"x\"\n\n[[view]]\nname = \"Mine\"\n",
        120,
        32,
    );
    let names: Vec<&str> = app.views().iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Mine"]);
    let status = app.status().expect("a warning");
    assert_eq!(status.text, "config: line 1: a [[view]] needs a name");
    assert!(status.error);
}

/// Type a name into the save prompt and press enter.
fn save_as(app: &mut App, name: &str) {
    type_text(app, name);
    keys(app, &["enter"]);
}

#[test]
fn ctrl_s_asks_a_name_refuses_empty_or_taken_ones_and_esc_gives_up() {
    let mut app = app_with(CONFIG, 120, 32);
    keys(&mut app, &["/", "ctrl-s"]);
    assert_eq!(app.view_prompt(), None, "nothing typed: nothing to save");
    type_text(&mut app, "holmes");
    keys(&mut app, &["ctrl-s"]);
    assert_eq!(app.view_prompt(), Some(""));
    app.paste("My\tview");
    assert_eq!(
        app.view_prompt(),
        Some("My view"),
        "a paste goes to the name"
    );
    keys(&mut app, &["ctrl-u"]);
    save_as(&mut app, "  ");
    assert_eq!(
        app.status().unwrap().text,
        "A view needs a name (esc: not saved)"
    );
    save_as(&mut app, "sport");
    assert_eq!(
        app.status().unwrap().text,
        "There is already a view named 'sport'"
    );
    assert!(app.take_effects().is_empty());
    keys(&mut app, &["esc"]);
    assert_eq!(app.view_prompt(), None);
    assert_eq!(
        app.search().query,
        "holmes",
        "esc left the search as it was"
    );
}

#[test]
fn saving_a_view_keeps_the_rest_of_the_config_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let before =
        format!("{CONFIG}\n\n# keys, odd layout kept\n[keys.list]\nbookmark    = 'm'   # mine\n");
    std::fs::write(&path, &before).unwrap();
    let config = Config::parse(&before).unwrap();
    let mut settings = Settings::from_config(&config, true);
    settings.config_path = Some(path.clone());
    let mut app = App::new(Library::bundled(), settings);
    app.update(Action::Resize(120, 32));
    keys(&mut app, &["3", "/"]);
    type_text(&mut app, "shell");
    keys(&mut app, &["ctrl-s"]);
    save_as(&mut app, "Shell, unread");
    let effects = app.take_effects();
    let [
        Effect::SaveView {
            path: to,
            view,
            views,
        },
    ] = effects.as_slice()
    else {
        panic!("one save asked: {effects:?}");
    };
    assert_eq!((to, view.query.as_str()), (&path, "is:unread shell"));
    tidings::config::save::save_view(to, view, views).unwrap();
    app.apply(Event::ViewSaved(view.clone()));
    assert_eq!(
        app.status().unwrap().text,
        "Saved view 'Shell, unread' (press 4)"
    );

    let after = std::fs::read_to_string(&path).unwrap();
    let added = "\n[[view]]\nname = \"Shell, unread\"\nquery = \"is:unread shell\"\n";
    let at = CONFIG.len();
    assert_eq!(&after[..at], CONFIG, "everything before is as it was");
    assert_eq!(&after[at..at + added.len()], added);
    assert_eq!(
        &after[at + added.len()..],
        &before[at..],
        "and everything after"
    );

    keys(&mut app, &["esc", "4"]);
    assert_eq!(app.view().name, "Shell, unread", "usable at once");
    let names: Vec<String> = Config::parse(&after)
        .unwrap()
        .views()
        .list
        .into_iter()
        .map(|v| v.name)
        .collect();
    assert_eq!(names, ["All", "Sport", "Unread", "Shell, unread"]);
}

#[test]
fn saving_into_a_config_without_views_writes_the_views_in_use_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tidings").join("config.toml");
    let settings = Settings {
        config_path: Some(path.clone()),
        ..Settings::default()
    };
    let mut app = App::new(Library::bundled(), settings);
    app.update(Action::Resize(120, 32));
    keys(&mut app, &["/"]);
    type_text(&mut app, "shell");
    keys(&mut app, &["ctrl-s"]);
    save_as(&mut app, "Shell");
    let Some(Effect::SaveView { path, view, views }) = app.take_effects().pop() else {
        panic!("no save asked");
    };
    tidings::config::save::save_view(&path, &view, &views).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let views = Config::parse(&text).unwrap().views();
    let names: Vec<&str> = views.list.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        names,
        ["All", "Bookmarks", "Unread", "Continue reading", "Shell"]
    );
    assert!(views.problems.is_empty(), "{:?}", views.problems);
}

#[test]
fn the_header_names_the_view_at_40_columns() {
    let mut app = app_with(CONFIG, 40, 12);
    keys(&mut app, &["3"]);
    insta::assert_snapshot!("views_header_40x12", screen(&app, 40, 12).backend());
}

// ---- the command line --------------------------------------------------------

fn list(home: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let articles = repo_file("articles");
    let mut all = vec!["-l", articles.to_str().unwrap(), "list"];
    all.extend_from_slice(args);
    run(tidings(home).args(&all))
}

fn titles(out: &str) -> Vec<String> {
    out.lines()
        .map(|l| l.rsplit('\t').next().unwrap().to_string())
        .collect()
}

#[test]
fn list_view_gives_the_views_list_and_an_unknown_name_exits_2() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    std::fs::write(h.join("config.toml"), CONFIG).unwrap();
    let (code, by_view, err) = list(h, &["--view", "sport"]);
    assert_eq!(code, 0, "{err}");
    let (_, by_query, _) = list(h, &["--query", "category:sport"]);
    assert_eq!(by_view, by_query);
    assert_eq!(titles(&by_view).len(), 3);

    let (code, out, _) = list(h, &["--view", "Sport", "--query", "holmes"]);
    assert_eq!(code, 0);
    assert_eq!(titles(&out), ["Britain boosted by Holmes double"]);

    let (code, out, _) = list(h, &["--view", "All"]);
    assert_eq!((code, out.lines().count()), (0, 15));

    std::fs::write(
        h.join("config.toml"),
        format!("{CONFIG}\n[[view]]\nname = \"unread\"\n"),
    )
    .unwrap();
    let (code, _, err) = run(tidings(h).arg("config"));
    assert_eq!(code, 0);
    assert!(
        err.contains("warning: config: line 15: there is already a view named 'unread'"),
        "{err}"
    );
    let (code, out, err) = list(h, &["--view", "Tech"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.contains("no view named 'Tech'; the views are: All, Sport, Unread"),
        "{err}"
    );
}

#[test]
fn list_view_continue_reading_is_the_most_recently_read_first() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    // Holmes left at paragraph 3, then the Shell story at paragraph 2.
    std::fs::write(
        data.join("state.log"),
        "tidings-state 1\np ce6860b613fb9dfd 3\np 66cb2c8a482be7b5 2\n",
    )
    .unwrap();
    let (code, out, err) = list(home.path(), &["--view", "Continue reading"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        titles(&out),
        [
            "$1m payoff for former Shell boss",
            "Britain boosted by Holmes double"
        ]
    );
    let (_, out, _) = list(home.path(), &["--query", "is:started -category:sport"]);
    assert_eq!(titles(&out), ["$1m payoff for former Shell boss"]);
}

// ---- the real binary -----------------------------------------------------------

#[test]
fn in_a_terminal_v_shows_a_view_and_ctrl_s_saves_one_into_the_config() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let config = h.join("config.toml");
    std::fs::write(&config, "# mine\n").unwrap();
    let mut cmd = tidings_pty(h, &["-l", "articles"]);
    cmd.cwd(repo_file(""));
    let mut s = Session::spawn(cmd, 100, 30, None);
    s.wait_for("All · newest first");
    s.send("v");
    s.wait_for("Continue reading");
    s.send("jj\r");
    s.wait_for("Unread · newest first");
    s.send("/shell\x13");
    s.wait_for("Save view as:");
    s.send("Shell\r");
    s.wait_for("Saved view 'Shell' (press 5)");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.starts_with("# mine\n"), "{text}");
    assert!(
        text.contains("[[view]]\nname = \"Shell\"\nquery = \"is:unread shell\"\n"),
        "{text}"
    );
    s.escape();
    s.wait_for("to search");
    s.send("5");
    s.wait_for("Shell · newest first");
    let (code, _, _) = s.quit();
    assert_eq!(code, 0);
}
