//! The full-width reader (`Z`) and scrolling it with the terminal's scroll
//! region: state, snapshots, and the bytes a scroll writes, read back
//! through a VT parser to check the screen is what a full redraw shows.

use crate::app::{keys, sample_app};
use crate::common::{drawn, write_tree};
use ratatui::Terminal;
use ratatui::layout::Rect;
use ratatui::{TerminalOptions, Viewport};
use std::io::Write;
use tidings::action::Action;
use tidings::app::{App, Focus, Settings, serve_reads};
use tidings::library::Library;
use tidings::terminal::{ColourDepth, Sgr16Backend};
use tidings::tui::scroll::Painter;

#[test]
fn z_gives_the_reader_the_whole_width_and_gives_it_back() {
    let mut app = sample_app(120, 32);
    keys(&mut app, &["enter"]);
    let area = app.area();
    assert!(app.panes(area).unwrap().list.is_some(), "side by side");
    keys(&mut app, &["Z"]);
    assert!(app.full_width());
    let panes = app.panes(area).unwrap();
    assert_eq!(panes.list, None);
    assert_eq!(panes.reader.map(|r| r.width), Some(120));
    // Back in the list, the list shows; the next story opens full width.
    keys(&mut app, &["q"]);
    assert!(app.panes(area).unwrap().list.is_some());
    keys(&mut app, &["j", "enter"]);
    assert_eq!(app.panes(area).unwrap().list, None, "still full width");
    assert!(app.session().full_width, "kept for the next session");
    keys(&mut app, &["Z"]);
    assert!(
        app.panes(area).unwrap().list.is_some(),
        "side by side again"
    );
    assert!(!app.session().full_width);
}

#[test]
fn full_width_rewraps_the_story_at_the_wider_column() {
    let mut app = sample_app(120, 32);
    keys(&mut app, &["enter"]);
    let split = app.reader().unwrap().current().unwrap().width;
    app.update(Action::FullWidth);
    serve_reads(&mut app);
    let full = app.reader().unwrap().current().unwrap().width;
    assert_eq!((split, full), (69, 90));
}

#[test]
fn full_width_screens() {
    for (w, h) in [(100, 30), (40, 12)] {
        let mut app = sample_app(w, h);
        keys(&mut app, &["j", "enter", "Z", "j"]);
        let screen = drawn(&app);
        insta::assert_snapshot!(format!("full_width_{w}x{h}"), screen.backend());
    }
}

/// A writer whose bytes can be read while the backend holds it.
#[derive(Clone, Default)]
struct Shared(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The app's real backend writing into memory, and a VT parser that
/// reads what it writes: the screen a terminal would show.
struct Vt {
    terminal: Terminal<Sgr16Backend<Shared>>,
    out: Shared,
    parser: vt100::Parser,
    painter: Painter,
}

impl Vt {
    fn new(w: u16, h: u16) -> Vt {
        let out = Shared::default();
        let backend = Sgr16Backend::new(out.clone(), ColourDepth::Indexed);
        let viewport = Viewport::Fixed(Rect::new(0, 0, w, h));
        let terminal = Terminal::with_options(backend, TerminalOptions { viewport }).unwrap();
        Vt {
            terminal,
            out,
            parser: vt100::Parser::new(h.try_into().unwrap(), w.try_into().unwrap(), 0),
            painter: Painter::default(),
        }
    }

    /// Draw a frame as the run loop does; the bytes it wrote.
    fn draw(&mut self, app: &App) -> usize {
        self.painter.draw(&mut self.terminal, app).unwrap();
        let bytes = std::mem::take(&mut *self.out.0.borrow_mut());
        self.parser.process(&bytes);
        bytes.len()
    }
}

/// Every row of a screen, cell by cell: its text (a blank for a cell never
/// written) and any colour or attribute.
fn cells(screen: &vt100::Screen) -> Vec<String> {
    let (rows, cols) = screen.size();
    (0..rows.get())
        .map(|y| {
            let mut row = String::new();
            for x in 0..cols.get() {
                let Some(c) = screen.cell(y, x) else { continue };
                row.push_str(if c.has_contents() { c.contents() } else { " " });
                let attrs = (
                    c.fgcolor(),
                    c.bgcolor(),
                    c.bold(),
                    c.italic(),
                    c.underline(),
                    c.inverse(),
                );
                if attrs
                    != (
                        vt100::Color::Default,
                        vt100::Color::Default,
                        false,
                        false,
                        false,
                        false,
                    )
                {
                    row.push_str(&format!("{attrs:?}"));
                }
            }
            row
        })
        .collect()
}

/// The rows where two screens differ, with both versions.
fn differences(got: &[String], want: &[String]) -> Vec<String> {
    got.iter()
        .zip(want)
        .enumerate()
        .filter(|(_, (g, w))| g != w)
        .map(|(y, (g, w))| format!("row {y}:\n got  {g}\n want {w}"))
        .collect()
}

/// What a fresh terminal shows after one full draw of `app`.
fn fresh(app: &App) -> Vec<String> {
    let area = app.area();
    let mut vt = Vt::new(area.width, area.height);
    vt.draw(app);
    cells(vt.parser.screen())
}

fn long_story_app(w: u16, h: u16) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let body: Vec<String> = (0..120)
        .map(|n| format!("Paragraph {n}: the council met again and said the bridge would open in spring, after years of delays and **rising** costs, [a link](https://example.org/{n})."))
        .collect();
    let text = format!("# A long story\n\n{}\n", body.join("\n\n"));
    write_tree(&dir.path().join("lib"), &[("long.md", text.as_bytes())]);
    let library = Library::load(&[dir.path().join("lib")], Default::default()).unwrap();
    let mut app = App::new(library, Settings::default());
    app.update(Action::Resize(w, h));
    serve_reads(&mut app);
    (dir, app)
}

#[test]
fn scrolling_a_full_width_reader_shows_what_a_full_redraw_shows() {
    for (w, h, open) in [(100, 30, &["enter", "Z"][..]), (40, 12, &["enter"][..])] {
        let (_dir, mut app) = long_story_app(w, h);
        let mut vt = Vt::new(w, h);
        vt.draw(&app);
        keys(&mut app, open);
        vt.draw(&app);
        assert_eq!(app.focus(), Focus::Reader);
        let steps = [
            "j", "j", "j", "k", "space", "k", "ctrl-d", "k", "k", "G", "k", "g", "j",
        ];
        for key in steps {
            keys(&mut app, &[key]);
            vt.draw(&app);
            let wrong = differences(&cells(vt.parser.screen()), &fresh(&app));
            assert!(wrong.is_empty(), "{w}x{h} after {key}: {wrong:#?}");
        }
        // A line scrolled writes about one line of text, not the pane.
        let one_line = |vt: &mut Vt, app: &mut App, key| {
            keys(app, &[key]);
            vt.draw(app)
        };
        for key in ["j", "k"] {
            let bytes = one_line(&mut vt, &mut app, key);
            let bound = usize::from(w) * 2 + 80;
            assert!(
                bytes <= bound,
                "{w}x{h}: {bytes} bytes for {key}, over {bound}"
            );
        }
    }
}

#[test]
fn a_split_reader_scroll_redraws_the_reader_only() {
    let (_dir, mut app) = long_story_app(120, 32);
    let mut vt = Vt::new(120, 32);
    keys(&mut app, &["enter"]);
    vt.draw(&app);
    let before = buffer_of(&app);
    keys(&mut app, &["j"]);
    let bytes = vt.draw(&app);
    let wrong = differences(&cells(vt.parser.screen()), &fresh(&app));
    assert!(wrong.is_empty(), "{wrong:#?}");
    // ratatui's diff: only reader cells (right of the list and its
    // separator, below the search bar) change, and only they are sent.
    let after = buffer_of(&app);
    let changed = before.diff(&after);
    assert!(!changed.is_empty());
    assert!(
        changed
            .iter()
            .all(|(x, y, _)| *x > 48 && (1..31).contains(y))
    );
    // A cursor move for each run of changed cells, at most one per cell.
    let bound = changed.len() * 3 + 30 * 12;
    assert!(bytes <= bound, "{bytes} bytes for {} cells", changed.len());
}

/// The frame `app` draws, as a buffer.
fn buffer_of(app: &App) -> ratatui::buffer::Buffer {
    let area = app.area();
    let mut terminal =
        Terminal::new(ratatui::backend::TestBackend::new(area.width, area.height)).unwrap();
    terminal
        .draw(|f| tidings::ui::draw(app, f))
        .unwrap()
        .buffer
        .clone()
}
