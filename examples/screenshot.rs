//! Draws the README's screenshot, `assets/screenshot.svg`, from the app
//! itself: the bundled sample library, the default config, a few keys
//! pressed through the real keymap, and the frame drawn into a ratatui
//! `TestBackend`, whose cells become SVG text in a monospace font with the
//! colours and modifiers the theme gave them.
//!
//! `cargo run --example screenshot` remakes it (or `-- OUT.svg` to write
//! elsewhere). It needs no terminal, no data dir and no search index, so the
//! picture is the same on every machine.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::style::{Color, Modifier};
use std::fmt::Write as _;
use tidings::app::{App, Settings};
use tidings::keymap::Key;
use tidings::library::Library;
use tidings::ui;

const COLS: u16 = 100;
const ROWS: u16 = 30;
/// Cell size in SVG pixels: a monospace font at 14px is about 0.6em wide.
const CELL_W: f32 = 8.4;
const CELL_H: f32 = 18.0;
const FONT_SIZE: f32 = 14.0;
/// What the picture shows: one story bookmarked, another open in the reader.
const KEYS: &[&str] = &[
    "j", "j", "b", "G", "k", "enter", "j", "j", "j", "j", "j", "j",
];

fn main() -> std::io::Result<()> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/assets/screenshot.svg").into());
    let buffer = draw(&app());
    std::fs::write(&out, svg(&buffer))?;
    println!("wrote {out} ({COLS}x{ROWS})");
    Ok(())
}

/// The app on the bundled articles, sized and driven by `KEYS`.
fn app() -> App {
    let mut app = App::new(Library::bundled(), Settings::default());
    app.update(tidings::action::Action::Resize(COLS, ROWS));
    for name in KEYS {
        let key = Key::parse(name).expect("a key name");
        let event = crossterm::event::KeyEvent::new(key.code, key.modifiers);
        if let Some(action) = app.keymap().action_for(app.mode(), &event) {
            app.update(action);
            // The runtime's part: read the body the reader asks for.
            tidings::app::serve_reads(&mut app);
        }
    }
    app
}

fn draw(app: &App) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(COLS, ROWS)).expect("a test terminal");
    terminal
        .draw(|frame| ui::draw(app, frame))
        .expect("a frame");
    terminal.backend().buffer().clone()
}

/// The buffer as SVG: a background, then each row as runs of cells that
/// share a style, each run a rect for its background and a text stretched
/// to exactly its cells, so columns line up whatever the viewer's font.
fn svg(buffer: &Buffer) -> String {
    let (w, h) = (COLS as f32 * CELL_W, ROWS as f32 * CELL_H);
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="'DejaVu Sans Mono', Menlo, Consolas, monospace" font-size="{FONT_SIZE}">"#
    );
    let _ = writeln!(
        out,
        r#"<rect width="100%" height="100%" fill="{}"/>"#,
        BACKGROUND
    );
    for y in 0..buffer.area.height {
        for run in runs(buffer, y) {
            write_run(&mut out, &run, y);
        }
    }
    out.push_str("</svg>\n");
    out
}

/// Cells of one row with the same look, and where they start.
struct Run {
    x: u16,
    width: u16,
    text: String,
    look: Look,
}

#[derive(Clone, Copy, PartialEq)]
struct Look {
    fg: &'static str,
    bg: Option<&'static str>,
    bold: bool,
    dim: bool,
    italic: bool,
    underline: bool,
}

fn runs(buffer: &Buffer, y: u16) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    let mut covered = 0;
    for x in 0..buffer.area.width {
        let cell = &buffer[(x, y)];
        // The cells after a wide character are covered by it: they widen
        // its run and add no text.
        if covered > 0 {
            covered -= 1;
            if let Some(run) = runs.last_mut() {
                run.width += 1;
            }
            continue;
        }
        let symbol = cell.symbol();
        covered = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
        let look = look(cell);
        match runs.last_mut() {
            Some(run) if run.look == look && run.x + run.width == x => {
                run.text.push_str(symbol);
                run.width += 1;
            }
            _ => runs.push(Run {
                x,
                width: 1,
                text: symbol.to_string(),
                look,
            }),
        }
    }
    runs
}

fn look(cell: &Cell) -> Look {
    let m = cell.modifier;
    let (mut fg, mut bg) = (colour(cell.fg), cell_bg(cell.bg));
    if m.contains(Modifier::REVERSED) {
        (fg, bg) = (bg.unwrap_or(BACKGROUND), Some(fg));
    }
    Look {
        fg,
        bg,
        bold: m.contains(Modifier::BOLD),
        dim: m.contains(Modifier::DIM),
        italic: m.contains(Modifier::ITALIC),
        underline: m.contains(Modifier::UNDERLINED),
    }
}

fn write_run(out: &mut String, run: &Run, y: u16) {
    let (x, top) = (run.x as f32 * CELL_W, y as f32 * CELL_H);
    let width = run.width as f32 * CELL_W;
    if let Some(bg) = run.look.bg {
        let _ = writeln!(
            out,
            r#"<rect x="{x}" y="{top}" width="{width}" height="{CELL_H}" fill="{bg}"/>"#
        );
    }
    if run.text.trim().is_empty() {
        return;
    }
    let look = run.look;
    let mut attrs = format!(r#"fill="{}""#, look.fg);
    if look.bold {
        attrs.push_str(r#" font-weight="bold""#);
    }
    if look.dim {
        attrs.push_str(r#" fill-opacity="0.6""#);
    }
    if look.italic {
        attrs.push_str(r#" font-style="italic""#);
    }
    if look.underline {
        attrs.push_str(r#" text-decoration="underline""#);
    }
    let baseline = top + CELL_H * 0.75;
    let _ = writeln!(
        out,
        r#"<text x="{x}" y="{baseline}" textLength="{width}" lengthAdjust="spacingAndGlyphs" xml:space="preserve" {attrs}>{}</text>"#,
        escape(&run.text)
    );
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A dark terminal: the page and the default foreground.
const BACKGROUND: &str = "#1d1f21";
const FOREGROUND: &str = "#d0d0d0";

fn cell_bg(c: Color) -> Option<&'static str> {
    (c != Color::Reset).then(|| colour(c))
}

/// The 16 colours the theme uses, as a common dark terminal palette
/// (Tango's) shows them.
fn colour(c: Color) -> &'static str {
    match c {
        Color::Black => "#2e3436",
        Color::Red => "#cc0000",
        Color::Green => "#4e9a06",
        Color::Yellow => "#c4a000",
        Color::Blue => "#3465a4",
        Color::Magenta => "#75507b",
        Color::Cyan => "#06989a",
        Color::Gray => "#d3d7cf",
        Color::DarkGray => "#555753",
        Color::LightRed => "#ef2929",
        Color::LightGreen => "#8ae234",
        Color::LightYellow => "#fce94f",
        Color::LightBlue => "#729fcf",
        Color::LightMagenta => "#ad7fa8",
        Color::LightCyan => "#34e2e2",
        Color::White => "#eeeeec",
        _ => FOREGROUND,
    }
}
