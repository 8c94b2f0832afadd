//! Near-duplicate groups in the list and the reader, driven by actions and
//! the grouping answer (as the run loop hands it in): one row per group
//! with its badge, `x` to list the other versions, `v`/`V` between
//! versions in the reader, the group marked read together, `X` to turn
//! grouping off, a new answer keeping the selection, and the `m` view
//! listing the versions first. Screens at 120x40 and 40x12, and the real
//! binary in a terminal.

use crate::app::{keys, listed, select, selected_title};
use crate::common::pty::{Session, tidings_pty};
use crate::common::{screen, write_tree};
use std::path::Path;
use tidings::app::group_rows::GroupRow;
use tidings::app::marks::Mark;
use tidings::app::{App, Event, Focus, Settings, serve_reads};
use tidings::library::prints::{self, Prints};
use tidings::library::{Library, LoadOptions};

/// The shared body of the summit story's versions: long enough to have a
/// fingerprint, so a sentence changed keeps it within the distance.
const SUMMIT: &str = "Leaders of forty nations agreed a climate pact at the summit in Lisbon \
on Friday night after three days of talks that ran long past their deadline. The pact \
commits every signatory to halve coal burning within ten years and to pay into a fund \
for the countries hit hardest by floods and drought. Delegates from the island states \
said the fund was smaller than they had hoped but called the agreement a start. The \
host government said the next meeting would check each country's progress against \
published targets, and that a panel of scientists would report every year on whether \
the promises were being kept. Protesters outside the conference hall welcomed the deal \
but warned that earlier pledges had been broken. Markets barely moved on the news, \
although shares in two mining companies fell in early trading on Monday morning.";

const FINAL: &str = "The cup final ended in a draw after extra time at a packed national \
stadium, with both goalkeepers making a string of saves in the closing minutes. The \
replay will be held next Saturday, the organisers said, and tickets go on sale on \
Tuesday to members of both clubs first. The home captain limped off with an ankle \
injury shortly before half time and is doubtful for the replay. His manager praised \
the young side for keeping its shape under pressure, while the visitors complained \
about a penalty that was not given late in the second half. Fans of both teams sang \
together after the final whistle, and police reported no arrests around the ground.";

const CHIPS: &str = "A chip maker opened a new factory in the north of the country, \
promising two thousand jobs over the next five years and a training centre for \
engineers from the local college. The plant will make processors for cars and \
washing machines, which have been in short supply since the pandemic. The company \
said water for cooling would be recycled on site, answering concerns raised by \
farmers in the valley during the planning inquiry. The regional mayor said the \
factory was the largest investment in the area for a generation and that new homes \
and a railway station would follow. Analysts said demand for such chips would keep \
growing for the rest of the decade as more devices are connected.";

pub const NEWEST: &str = "Climate pact agreed in Lisbon";
pub const MIDDLE: &str = "Leaders agree climate pact";
pub const OLDEST: &str = "Summit nears climate deal";

fn story(title: &str, date: &str, body: &str) -> Vec<u8> {
    format!("---\ntitle: {title}\ndate: {date}\n---\n\n{body}\n").into_bytes()
}

/// Three versions of one story (one sentence changed in two of them) and
/// two other stories, under `dir`.
pub fn write_library(dir: &Path) {
    let edited = SUMMIT.replace("barely moved on the news", "rose slightly on the news");
    let wire = SUMMIT.replace("Protesters outside", "Campaigners outside");
    write_tree(
        dir,
        &[
            (
                "sport/final.md",
                &story("Cup final ends in a draw", "2024-03-04", FINAL),
            ),
            (
                "world/summit-update.md",
                &story(NEWEST, "2024-03-03", &edited),
            ),
            ("world/summit.md", &story(MIDDLE, "2024-03-02", SUMMIT)),
            ("world/summit-wire.md", &story(OLDEST, "2024-03-01", &wire)),
            (
                "tech/chips.md",
                &story("Chip factory opens in the north", "2024-02-28", CHIPS),
            ),
        ],
    );
}

/// The app on the library, at `width`x`height`, before grouping answers.
fn ungrouped(settings: Settings, width: u16, height: u16) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    write_library(dir.path());
    let library = Library::load(&[dir.path().to_path_buf()], LoadOptions::default()).unwrap();
    let mut app = App::new(library, settings);
    app.update(tidings::action::Action::Resize(width, height));
    serve_reads(&mut app);
    (dir, app)
}

/// Run the grouping the app asks for and hand it the answer.
fn group(app: &mut App) {
    let job = app.take_grouping_job().expect("a grouping job");
    // What the grouping thread does: the fingerprints read from the files.
    let mut prints = Prints::default();
    let (filled, _) = prints::update(&mut prints, &job.articles, &job.source, None, 1);
    assert_eq!(filled.unreadable, 0);
    let prints = prints.aligned(&job.articles);
    app.apply(job.answer(&prints));
    serve_reads(app);
}

pub fn grouped_app(width: u16, height: u16) -> (tempfile::TempDir, App) {
    let (dir, mut app) = ungrouped(Settings::default(), width, height);
    group(&mut app);
    (dir, app)
}

pub fn is_read(app: &App, title: &str) -> bool {
    let meta = app.library().articles().iter().find(|a| a.title() == title);
    app.is_marked(Mark::Read, meta.unwrap())
}

#[test]
fn the_list_shows_one_row_per_group_led_by_its_newest_version_with_a_badge() {
    let (_dir, mut app) = ungrouped(Settings::default(), 120, 40);
    assert_eq!(
        listed(&app).len(),
        5,
        "every story stands alone until grouped"
    );
    group(&mut app);
    assert_eq!(
        listed(&app),
        [
            "Cup final ends in a draw",
            NEWEST,
            "Chip factory opens in the north"
        ]
    );
    let head = app.visible()[1];
    assert_eq!(
        app.group_row(head),
        Some(GroupRow::Head {
            others: 2,
            expanded: false
        })
    );
    let s = screen(&app, 120, 40);
    let row = s.row(3);
    assert!(row.contains(&format!("{NEWEST} +2")), "{row}");
    // The badge is quiet: the theme's dim style.
    let x = row.find("+2").unwrap();
    let col = row[..x].chars().count() as u16;
    let cell = &s.buffer()[(col, 3)];
    assert!(
        cell.modifier.contains(ratatui::style::Modifier::DIM),
        "{cell:?}"
    );
}

#[test]
fn x_lists_the_other_versions_under_the_row_and_x_again_folds_them() {
    let (_dir, mut app) = grouped_app(120, 40);
    select(&mut app, NEWEST);
    keys(&mut app, &["x"]);
    assert_eq!(
        listed(&app),
        [
            "Cup final ends in a draw",
            NEWEST,
            MIDDLE,
            OLDEST,
            "Chip factory opens in the north"
        ]
    );
    assert_eq!(
        selected_title(&app),
        NEWEST,
        "the selection stays on the row"
    );
    assert_eq!(app.group_row(app.visible()[2]), Some(GroupRow::Version));
    let s = screen(&app, 120, 40);
    assert!(s.row(4).contains(&format!("└ {MIDDLE}")), "{}", s.row(4));
    // x on a version folds the group, the selection going to its row.
    keys(&mut app, &["j", "j", "x"]);
    assert_eq!(listed(&app).len(), 3);
    assert_eq!(selected_title(&app), NEWEST);
    // A story alone has nothing to expand.
    keys(&mut app, &["j", "x"]);
    assert_eq!(listed(&app).len(), 3);
    assert!(app.status().unwrap().text.contains("no other versions"));
}

#[test]
fn reading_one_version_marks_the_group_read() {
    let (_dir, mut app) = grouped_app(120, 40);
    select(&mut app, NEWEST);
    keys(&mut app, &["enter"]);
    assert!(is_read(&app, NEWEST) && is_read(&app, MIDDLE) && is_read(&app, OLDEST));
    assert!(!is_read(&app, "Cup final ends in a draw"));
    // u marks the whole group unread again; bookmarks stay per story.
    keys(&mut app, &["u", "b"]);
    assert!(!is_read(&app, MIDDLE) && !is_read(&app, OLDEST));
    let bookmarked = |t: &str| {
        let meta = app.library().articles().iter().find(|a| a.title() == t);
        app.is_marked(Mark::Bookmarked, meta.unwrap())
    };
    assert!(bookmarked(NEWEST) && !bookmarked(MIDDLE));
}

#[test]
fn with_read_marks_group_off_only_the_story_is_marked_read() {
    let config = tidings::config::Config::parse("[reading]\nread_marks_group = false\n").unwrap();
    let (_dir, mut app) = ungrouped(Settings::from_config(&config, true), 120, 40);
    group(&mut app);
    select(&mut app, NEWEST);
    keys(&mut app, &["enter"]);
    assert!(is_read(&app, NEWEST));
    assert!(!is_read(&app, MIDDLE) && !is_read(&app, OLDEST));
}

#[test]
fn v_and_shift_v_move_between_versions_in_the_reader_naming_which() {
    let (_dir, mut app) = grouped_app(120, 40);
    select(&mut app, NEWEST);
    keys(&mut app, &["enter", "v"]);
    assert_eq!(app.focus(), Focus::Reader);
    assert_eq!(selected_title(&app), MIDDLE);
    assert_eq!(app.status().unwrap().text, "Version 2 of 3");
    assert_eq!(app.reader().map(|r| r.index), app.selected_index());
    keys(&mut app, &["v"]);
    assert_eq!(selected_title(&app), OLDEST);
    keys(&mut app, &["v"]);
    assert_eq!(selected_title(&app), OLDEST, "no version after the last");
    assert_eq!(app.status().unwrap().text, "No more versions");
    keys(&mut app, &["V", "V"]);
    assert_eq!(selected_title(&app), NEWEST);
    assert_eq!(app.status().unwrap().text, "Version 1 of 3");
    // The reader's header says how many other versions there are.
    let s = screen(&app, 120, 40);
    assert!(s.row(1).contains("2 other versions"), "{}", s.row(1));
}

#[test]
fn shift_x_turns_grouping_off_for_the_session_and_says_so() {
    let (_dir, mut app) = grouped_app(120, 40);
    select(&mut app, NEWEST);
    keys(&mut app, &["X"]);
    assert_eq!(listed(&app).len(), 5);
    assert_eq!(selected_title(&app), NEWEST);
    assert!(app.status().unwrap().text.starts_with("Grouping off"));
    assert!(!screen(&app, 120, 40).row(3).contains("+2"));
    keys(&mut app, &["X"]);
    assert_eq!(listed(&app).len(), 3);
    assert!(app.status().unwrap().text.starts_with("Grouping on"));
}

#[test]
fn grouping_off_in_the_config_lists_every_version_until_shift_x() {
    let config = tidings::config::Config::parse("group_duplicates = false\n").unwrap();
    let (_dir, mut app) = ungrouped(Settings::from_config(&config, true), 120, 40);
    assert!(app.take_grouping_job().is_none());
    assert_eq!(listed(&app).len(), 5);
    keys(&mut app, &["X"]);
    group(&mut app);
    assert_eq!(listed(&app).len(), 3);
}

#[test]
fn a_new_grouping_answer_keeps_the_selected_story_selected() {
    let (_dir, mut app) = ungrouped(Settings::default(), 120, 40);
    // Selected before grouping: a version that will be folded away.
    select(&mut app, MIDDLE);
    group(&mut app);
    assert_eq!(selected_title(&app), NEWEST, "its group's row, not the top");
    // Selected on a story alone: it stays.
    let (_dir, mut app) = ungrouped(Settings::default(), 120, 40);
    select(&mut app, "Chip factory opens in the north");
    group(&mut app);
    assert_eq!(selected_title(&app), "Chip factory opens in the north");
}

#[test]
fn the_bookmarks_view_lists_every_bookmarked_version() {
    let (_dir, mut app) = grouped_app(120, 40);
    app.update(tidings::action::Action::ToggleGroups);
    select(&mut app, NEWEST);
    keys(&mut app, &["b", "j", "b", "X", "B"]);
    assert_eq!(listed(&app), [NEWEST, MIDDLE]);
}

#[test]
fn m_lists_the_story_s_versions_first_and_marks_them() {
    let (_dir, mut app) = grouped_app(120, 40);
    select(&mut app, NEWEST);
    keys(&mut app, &["m"]);
    let (story, _) = app.take_related_request().expect("m asks the engine");
    let id = |app: &App, t: &str| {
        let meta = app.library().articles().iter().find(|a| a.title() == t);
        meta.unwrap().id().to_string()
    };
    // The engine ranks another story above the versions.
    let ids = ["Chip factory opens in the north", OLDEST, MIDDLE]
        .iter()
        .map(|t| id(&app, t))
        .collect();
    app.apply(Event::Related {
        id: story.id().to_string(),
        ids,
    });
    let listed = listed(&app);
    assert_eq!(listed[2], "Chip factory opens in the north", "{listed:?}");
    assert!(listed[..2].contains(&OLDEST.to_string()) && listed[..2].contains(&MIDDLE.to_string()));
    let s = screen(&app, 120, 40);
    assert!(
        s.row(2).starts_with("●") && s.row(2).contains('≈'),
        "{}",
        s.row(2)
    );
    assert!(!s.row(4).contains('≈'), "{}", s.row(4));
}

#[test]
fn grouped_screens() {
    for (w, h) in [(120, 40), (40, 12)] {
        let (_dir, mut app) = grouped_app(w, h);
        select(&mut app, NEWEST);
        insta::assert_snapshot!(format!("grouped_row_{w}x{h}"), screen(&app, w, h).backend());
        keys(&mut app, &["x"]);
        insta::assert_snapshot!(
            format!("group_expanded_{w}x{h}"),
            screen(&app, w, h).backend()
        );
        keys(&mut app, &["enter"]);
        insta::assert_snapshot!(
            format!("group_reader_{w}x{h}"),
            screen(&app, w, h).backend()
        );
    }
}

#[test]
fn in_a_terminal_x_expands_a_group_and_v_reads_the_next_version() {
    let home = tempfile::tempdir().unwrap();
    let lib = home.path().join("lib");
    write_library(&lib);
    let cmd = tidings_pty(home.path(), &["-l", lib.to_str().unwrap()]);
    let mut s = Session::spawn(cmd, 120, 32, None);
    s.wait_for(&format!("{NEWEST} +2"));
    s.send("j");
    s.wait_for("2/3");
    s.send("x");
    let expanded = s.wait_for(&format!("└ {MIDDLE}"));
    assert!(expanded.contains("2/5"), "{expanded}");
    s.send("\r");
    s.wait_for("2 other versions");
    s.send("v");
    s.wait_for("Version 2 of 3");
    s.wait_for("3/5");
    s.escape();
    s.send("q");
    assert_eq!(s.exit_code(), 0);
    s.assert_restored();
}
