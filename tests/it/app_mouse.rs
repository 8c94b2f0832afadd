//! The mouse (`mouse = true`): the wheel scrolls the pane under the
//! pointer, a click selects, a double click opens, a click on a link opens
//! it; and without the setting the terminal's mouse is never taken.

use crate::app::{keys, sample_app, select, selected_title};
use crate::common::pty::Session;
use ratatui::layout::Rect;
use tidings::action::{Action, Pointer};
use tidings::app::reader::Mark;
use tidings::app::{App, Effect, Focus, serve_reads};

const W: u16 = 120;
const H: u16 = 32;

fn mouse(app: &mut App, pointer: Pointer, column: u16, row: u16) {
    app.update(Action::Mouse(pointer, column, row));
    serve_reads(app);
}

fn list_area(app: &App) -> Rect {
    app.panes(Rect::new(0, 0, W, H)).unwrap().list.unwrap()
}

fn reader_area(app: &App) -> Rect {
    app.panes(Rect::new(0, 0, W, H)).unwrap().reader.unwrap()
}

/// The title on list row `n` (0: the first story, under the header).
fn title_on_row(app: &App, n: usize) -> String {
    let i = app.visible()[app.list_offset() + n];
    app.library().articles()[i].title().to_string()
}

#[test]
fn a_click_selects_the_story_under_the_pointer_and_a_double_click_opens_it() {
    let mut app = sample_app(W, H);
    let list = list_area(&app);
    let third = title_on_row(&app, 2);
    mouse(&mut app, Pointer::Click, list.x + 3, list.y + 3);
    assert_eq!(selected_title(&app), third);
    assert_eq!(app.focus(), Focus::List);
    let fifth = title_on_row(&app, 4);
    mouse(&mut app, Pointer::DoubleClick, list.x + 3, list.y + 5);
    assert_eq!(selected_title(&app), fifth);
    assert_eq!(app.focus(), Focus::Reader);
    assert!(app.reader().is_some());
    // The list's header and the rows past the last story select nothing.
    mouse(&mut app, Pointer::Click, list.x + 3, list.y);
    assert_eq!(selected_title(&app), fifth);
}

#[test]
fn the_wheel_scrolls_the_pane_under_the_pointer() {
    let mut app = sample_app(W, H);
    keys(&mut app, &["enter"]);
    let (list, reader) = (list_area(&app), reader_area(&app));
    let first = selected_title(&app);
    // Over the reader: the story scrolls, the list stays.
    mouse(&mut app, Pointer::WheelDown, reader.x + 5, reader.y + 5);
    assert_eq!(app.reader().unwrap().scroll(), 3);
    assert_eq!(selected_title(&app), first);
    mouse(&mut app, Pointer::WheelUp, reader.x + 5, reader.y + 5);
    assert_eq!(app.reader().unwrap().scroll(), 0);
    // Over the list: three stories on.
    let list = app
        .panes(Rect::new(0, 0, W, H))
        .unwrap()
        .list
        .unwrap_or(list);
    mouse(&mut app, Pointer::WheelDown, list.x + 1, list.y + 2);
    assert_eq!(app.selected(), 3);
    mouse(&mut app, Pointer::WheelUp, list.x + 1, list.y + 2);
    assert_eq!(app.selected(), 0);
}

#[test]
fn the_wheel_scrolls_an_open_overlay() {
    let mut app = sample_app(W, H);
    keys(&mut app, &["?"]);
    let before = app.overlay_scroll();
    mouse(&mut app, Pointer::WheelDown, 10, 10);
    assert_eq!(app.overlay_scroll(), before + 3);
}

#[test]
fn a_click_on_a_link_in_the_reader_opens_it() {
    let mut app = sample_app(W, H);
    select(&mut app, "Robots learn 'robotiquette' rules");
    keys(&mut app, &["enter"]);
    let text = tidings::layout::reader_text(reader_area(&app));
    // Scroll until the line with the link is on screen, then find it.
    let (row, column) = loop {
        let reader = app.reader().unwrap();
        let wrapped = reader.current().unwrap();
        let shown = wrapped
            .lines
            .iter()
            .enumerate()
            .skip(reader.scroll())
            .take(usize::from(text.height));
        let found = shown.into_iter().find_map(|(n, line)| {
            let run = line.runs.iter().find(|r| matches!(r.mark, Mark::Link(_)))?;
            let column = unicode_width::UnicodeWidthStr::width(&line.text[..run.range.start]);
            Some((n - reader.scroll(), column))
        });
        if let Some(found) = found {
            break found;
        }
        let before = reader.scroll();
        keys(&mut app, &["j"]);
        assert_ne!(app.reader().unwrap().scroll(), before, "no link on screen");
    };
    let _ = app.take_effects();
    let (x, y) = (text.x + column as u16 + 1, text.y + row as u16);
    mouse(&mut app, Pointer::Click, x, y);
    assert_eq!(
        app.take_effects(),
        vec![Effect::Open("https://example.org/go-digital".into())]
    );
    // Beside the link, a click opens nothing.
    mouse(&mut app, Pointer::Click, text.x, text.y + row as u16 + 1);
    assert!(app.take_effects().is_empty());
}

// ---- the real binary ------------------------------------------------------

#[test]
fn without_mouse_in_the_config_the_terminal_s_mouse_is_never_taken() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::start_in(home.path(), 100, 30, None);
    s.wait_for("15 articles");
    s.send("j");
    s.send("q");
    assert_eq!(s.exit_code(), 0);
    let out = String::from_utf8_lossy(&s.output()).into_owned();
    assert!(!out.contains("\x1b[?1000h"), "mouse reporting turned on");
    assert!(!out.contains("\x1b[?1003h"), "motion reporting turned on");
}

#[test]
fn with_mouse_on_the_wheel_moves_the_list_and_the_mouse_is_given_back() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("config.toml"), "mouse = true\n").unwrap();
    let mut s = Session::start_in(home.path(), 100, 30, None);
    s.wait_for("15 articles");
    s.wait_for("1/15");
    // The wheel turned down over the list, as an SGR mouse report.
    s.send("\x1b[<65;5;6M");
    s.wait_for("4/15");
    s.send("q");
    assert_eq!(s.exit_code(), 0);
    let out = String::from_utf8_lossy(&s.output()).into_owned();
    let on = out.find("\x1b[?1000h").expect("mouse reporting on");
    let off = out.rfind("\x1b[?1000l").expect("and off again");
    assert!(on < off);
    assert!(!out.contains("\x1b[?1003h"), "never motion");
    s.assert_restored();
}
