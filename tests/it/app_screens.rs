//! Every screen drawn into a `TestBackend`: insta snapshots of the text at
//! 120x32, 80x24 and 40x12, and style checks on the buffer (snapshots
//! ignore colour and modifiers).

use crate::app::{keys, sample_app, type_text};
use crate::common::drawn;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use tidings::action::Action;
use tidings::app::serve_reads;
use tidings::app::{App, Event, Settings};
use tidings::config::Config;
use tidings::library::{Library, LoadEvent};
use tidings::ui;

const SIZES: [(u16, u16); 3] = [(120, 32), (80, 24), (40, 12)];

/// Snapshot one screen, reached by `setup`, at every size.
fn snapshot_screen(name: &str, setup: impl Fn(&mut App)) {
    for (w, h) in SIZES {
        let mut app = sample_app(w, h);
        setup(&mut app);
        let screen = drawn(&app);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen.backend());
    }
}

#[test]
fn start_screen_list_and_reader_or_list_alone() {
    snapshot_screen("start", |_| {});
}

#[test]
fn reader_screen() {
    snapshot_screen("reader", |app| keys(app, &["j", "j", "enter", "j"]));
}

#[test]
fn search_with_results_screen() {
    snapshot_screen("search_results", |app| {
        keys(app, &["/"]);
        type_text(app, "france");
    });
}

#[test]
fn search_without_results_screen() {
    snapshot_screen("search_empty", |app| {
        keys(app, &["/"]);
        type_text(app, "no such story");
        keys(app, &["enter"]);
    });
}

#[test]
fn help_overlay_screen() {
    snapshot_screen("help", |app| keys(app, &["?"]));
}

#[test]
fn bookmarks_view_screen() {
    snapshot_screen("bookmarks", |app| keys(app, &["b", "j", "j", "b", "B"]));
}

#[test]
fn too_small_screens() {
    for (w, h) in [(19, 12), (40, 4), (1, 1)] {
        let app = sample_app(w, h);
        let screen = drawn(&app);
        insta::assert_snapshot!(format!("too_small_{w}x{h}"), screen.backend());
    }
    // Nothing to show at 0x0, and nothing breaks.
    let screen = drawn(&sample_app(0, 0));
    assert!(screen.backend().buffer().content().is_empty());
}

fn row_text(buffer: &Buffer, y: u16) -> String {
    (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol())
        .collect()
}

/// The row where `needle` shows in the story list (the left 48 columns of
/// a wide screen, where the reader cannot match too).
fn row_of(buffer: &Buffer, needle: &str) -> u16 {
    (0..buffer.area.height)
        .find(|&y| {
            let row = row_text(buffer, y);
            row.chars().take(48).collect::<String>().contains(needle)
        })
        .unwrap_or_else(|| panic!("{needle:?} not on screen"))
}

#[test]
fn the_selected_row_is_reverse_video_across_the_list_only() {
    let mut app = sample_app(120, 32);
    keys(&mut app, &["j"]);
    let screen = drawn(&app);
    let buffer = screen.backend().buffer();
    let title = &app.selected_meta().unwrap().title();
    let y = row_of(buffer, &title[..20]);
    let list_width = 48;
    for x in 0..list_width {
        assert!(
            buffer[(x, y)].modifier.contains(Modifier::REVERSED),
            "x={x}"
        );
    }
    assert!(
        !buffer[(list_width + 2, y)]
            .modifier
            .contains(Modifier::REVERSED)
    );
    let other = row_of(buffer, "Bookmakers back");
    assert!(!buffer[(5, other)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn markers_show_unread_and_bookmarked_in_their_colours() {
    let mut app = sample_app(120, 32);
    keys(&mut app, &["j", "b", "enter", "esc", "j"]);
    let screen = drawn(&app);
    let buffer = screen.backend().buffer();
    let y = row_of(buffer, "Obama pledges");
    assert_eq!(buffer[(0, y)].symbol(), " ", "opened, so read");
    assert_eq!(buffer[(1, y)].symbol(), ui::story_list::BOOKMARK);
    assert_eq!(buffer[(1, y)].fg, Color::Yellow);
    let unread = row_of(buffer, "Bookmakers back");
    assert_eq!(buffer[(0, unread)].symbol(), ui::story_list::UNREAD);
    assert_eq!(buffer[(0, unread)].fg, Color::Cyan);
    assert!(
        buffer[(3, unread)].modifier.contains(Modifier::BOLD),
        "unread headlines are bold"
    );
    assert!(!buffer[(3, y)].modifier.contains(Modifier::BOLD));
}

#[test]
fn without_colour_nothing_is_coloured_and_the_selection_still_shows() {
    let settings = Settings::from_config(&Config::default(), false);
    let mut app = App::new(Library::bundled(), settings);
    app.update(Action::Resize(120, 32));
    serve_reads(&mut app);
    keys(&mut app, &["b", "?", "esc", "/"]);
    type_text(&mut app, "a");
    let screen = drawn(&app);
    let buffer = screen.backend().buffer();
    for cell in buffer.content() {
        assert!(matches!(cell.fg, Color::Reset), "{cell:?}");
        assert!(matches!(cell.bg, Color::Reset), "{cell:?}");
    }
    let y = row_of(buffer, ui::story_list::BOOKMARK);
    assert!(buffer[(5, y)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn the_search_bar_shows_the_cursor_while_typing() {
    let mut app = sample_app(80, 24);
    keys(&mut app, &["/"]);
    type_text(&mut app, "oscar");
    let mut screen = drawn(&app);
    let pos = screen.cursor();
    assert_eq!((pos.x, pos.y), (8, 0));
    assert!(row_text(screen.backend().buffer(), 0).contains("oscar"));
}

#[test]
fn hints_and_help_follow_a_rebinding() {
    let config = Config::parse("[keys.list]\nbookmark = \"m\"\nhelp = \"f1\"\n").unwrap();
    let mut app = App::new(Library::bundled(), Settings::from_config(&config, true));
    app.update(Action::Resize(120, 32));
    serve_reads(&mut app);
    let screen = drawn(&app);
    let status = row_text(screen.backend().buffer(), 31);
    assert!(status.contains("m bookmark"), "{status}");
    assert!(status.contains("f1 help"), "{status}");
    keys(&mut app, &["f1"]);
    let screen = drawn(&app);
    let screen = screen.backend().to_string();
    assert!(screen.contains("bookmark on/off"), "{screen}");
}

#[test]
fn a_huge_headline_of_wide_characters_is_cut_between_characters() {
    let mut lib = Library::bundled();
    let title = "日本語のテキスト".repeat(20);
    // The same file with a new headline: replaced in place.
    let retitled = lib.articles()[0].with_text(|t| t.title = &title);
    lib.apply(LoadEvent::Loaded(vec![std::sync::Arc::new(retitled)]));
    let mut app = App::new(lib, Settings::default());
    app.update(Action::Resize(80, 24));
    serve_reads(&mut app);
    let screen = drawn(&app);
    let buffer = screen.backend().buffer();
    let row = row_text(buffer, 2);
    assert!(row.contains('…'), "{row}");
    // Every wide character has both of its cells on screen.
    for x in 0..80 {
        let symbol = buffer[(x, 2)].symbol();
        if tidings::text::width(symbol) == 2 {
            assert!(x < 79, "a wide character cut at the edge");
        }
    }
    assert!(row.starts_with("●  日 本 語"), "{row}");
}

/// Every line of the help overlay at `w`x`h`, scrolled through to its end.
fn help_rows(w: u16, h: u16) -> Vec<String> {
    let mut app = sample_app(w, h);
    keys(&mut app, &["?"]);
    let mut rows = Vec::new();
    loop {
        let screen = drawn(&app);
        let buffer = screen.backend().buffer();
        let page: Vec<String> = (2..h - 2).map(|y| row_text(buffer, y)).collect();
        if rows.last() == page.last() {
            break;
        }
        rows.extend(page);
        keys(&mut app, &["pagedown"]);
    }
    rows
}

#[test]
fn the_help_lists_only_keys_every_terminal_can_send() {
    let rows = help_rows(120, 32);
    let all = rows.join("\n");
    assert!(!all.contains("shift-space"), "{all}");
    // The page keys every terminal has are still there.
    assert!(all.contains("pgup") && all.contains("pgdn"), "{all}");
}

/// The help overlay's rows at 120 columns, inside its borders, each with
/// the heading of the mode it is under.
fn help_by_mode() -> Vec<(String, String)> {
    let mut mode = String::new();
    let mut out = Vec::new();
    for row in help_rows(120, 32) {
        let inner: String = row.chars().skip(25).take(70).collect();
        let inner = inner.trim_end().to_string();
        if inner.starts_with(' ') && !inner.starts_with("  ") {
            mode = inner.trim().to_string();
        } else if !inner.is_empty() {
            out.push((mode.clone(), inner));
        }
    }
    out
}

#[test]
fn the_help_describes_each_key_for_its_own_mode() {
    let rows = help_by_mode();
    let says = |mode: &str, keys: &str| {
        rows.iter()
            .find(|(m, row)| m == mode && row.trim_start().starts_with(keys))
            .map(|(_, row)| row.trim_start()[keys.len()..].trim().to_string())
            .unwrap_or_else(|| panic!("no {keys} under {mode}: {rows:#?}"))
    };
    assert_eq!(says("Story list", "j, ↓"), "next story");
    assert_eq!(says("Story list", "k, ↑"), "previous story");
    assert_eq!(says("Reader", "j, ↓"), "scroll down a line");
    assert_eq!(says("Reader", "k, ↑"), "scroll up a line");
    assert_eq!(says("Search bar", "↓"), "next result");
    assert_eq!(says("Search bar", "↑"), "previous result");
    for overlay in ["Help", "Skipped files"] {
        assert_eq!(says(overlay, "j, ↓"), "scroll down a line");
        assert_eq!(says(overlay, "g, home"), "to the top");
    }
    assert_eq!(says("Story list", "g, home"), "first story");
    assert_eq!(says("Story list", "esc, h, ←"), "clear a kept search");
    assert_eq!(says("Reader", "esc, h, ←, q"), "back to the list");
}

#[test]
fn the_help_at_40_columns_cuts_nothing_and_keeps_its_columns() {
    let keymap = sample_app(40, 12).keymap().clone();
    // Inside the borders, one char per cell (the help has no wide text).
    let rows: Vec<String> = help_rows(40, 12)
        .iter()
        .map(|r| {
            r.chars()
                .skip(1)
                .take(38)
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect();
    // The help's own entries: every binding (the views' numbers as one),
    // then the query language.
    let entries: Vec<(String, String)> = tidings::keymap::help::rows(&keymap)
        .into_iter()
        .filter_map(|row| match row {
            tidings::keymap::help::HelpRow::Entry { keys, what } => Some((keys, what)),
            tidings::keymap::help::HelpRow::Heading(_) => None,
        })
        .collect();
    // Where descriptions start: beside the first row's keys.
    let first = rows.iter().find(|r| r.starts_with("   j, ↓")).unwrap();
    let column = first.chars().position(|c| c == 'n').unwrap();
    let cells = |row: &str| row.chars().collect::<Vec<char>>();
    for row in &rows {
        let cs = cells(row);
        if cs.len() < 4 || cs[..3] != [' '; 3] || cs[3] == ' ' {
            continue;
        }
        let rest: String = cs[3..].iter().collect();
        let keys = entries
            .iter()
            .map(|(k, _)| k)
            .filter(|k| rest.starts_with(k.as_str()))
            .max_by_key(|k| k.len())
            .unwrap_or_else(|| panic!("unknown keys in {row:?}"));
        let after = 3 + keys.chars().count();
        // Keys too wide for their column stand alone; otherwise the
        // description starts at the column, after nothing but spaces.
        if after < cs.len() {
            assert!(after < column, "keys run into the descriptions: {row:?}");
            assert!(cs[after..column].iter().all(|&c| c == ' '), "{row:?}");
            assert_ne!(cs[column], ' ', "description not at its column: {row:?}");
        }
    }
    // Every description is whole, read down its column.
    let column_text: Vec<String> = rows
        .iter()
        .map(|r| cells(r).iter().skip(column).collect::<String>())
        .collect();
    let read = column_text.join(" ");
    let read = read.split_whitespace().collect::<Vec<_>>().join(" ");
    for (keys, description) in &entries {
        assert!(
            read.contains(description.as_str()),
            "{keys}: {description:?} cut in:\n{}",
            rows.join("\n")
        );
    }
}

fn status_row(app: &App) -> String {
    let screen = drawn(app);
    let buffer = screen.backend().buffer();
    row_text(buffer, buffer.area.height - 1)
}

#[test]
fn the_status_bar_keeps_its_help_hint_at_40_columns() {
    let mut app = sample_app(40, 12);
    let list = status_row(&app);
    assert!(list.contains("? help"), "{list:?}");
    keys(&mut app, &["b"]);
    let message = status_row(&app);
    assert!(
        message.contains("Bookmarked") && message.contains("? help"),
        "{message:?}"
    );
    keys(&mut app, &["enter"]);
    let reader = status_row(&app);
    assert!(reader.contains("? help"), "{reader:?}");
    // The search bar has no help key: its way out stays instead.
    keys(&mut app, &["/"]);
    type_text(&mut app, "france");
    let search = status_row(&app);
    assert!(search.contains("esc clear"), "{search:?}");
}

#[test]
fn a_cut_message_keeps_its_reason_in_view() {
    let mut app = sample_app(80, 24);
    app.apply(Event::Message {
        text: "Could not save bookmarks to /home/someone/a/long/way/down/tidings/bookmarks.json: \
         Permission denied (os error 13)"
            .into(),
        error: true,
    });
    serve_reads(&mut app);
    let status = status_row(&app);
    assert!(status.starts_with(" Could not"), "{status:?}");
    assert!(
        status.contains("Permission denied (os error 13)"),
        "{status:?}"
    );
    assert!(
        status.contains('…') && status.contains("? help"),
        "{status:?}"
    );
}

#[test]
fn the_list_header_quotes_a_query_once() {
    for (typed, shown) in [
        ("\"mobile phone\"", "All · \"mobile phone\" · "),
        ("france", "All · \"france\" · "),
        ("shell \"former boss\"", "All · shell \"former boss\" · "),
    ] {
        let mut app = sample_app(120, 32);
        keys(&mut app, &["/"]);
        type_text(&mut app, typed);
        let header = row_text(drawn(&app).backend().buffer(), 1);
        assert!(
            header.starts_with(&format!(" {shown}")),
            "{typed}: {header:?}"
        );
    }
}
