//! The terminal's lifecycle, in one place: check it is a terminal, enter
//! full-screen mode, and always leave it as it was (on quit, on error, on
//! panic, on signals and while suspended with ctrl-z), and notice when it
//! goes away.

use crossterm::cursor::MoveTo;
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::style::Print;
use crossterm::{cursor, execute, queue, terminal};
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::{Cell, CellWidth};
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};
use std::ffi::OsStr;
use std::io::{self, IsTerminal, Write};
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicBool, Ordering};

/// The reader's terminal.
pub type Terminal = ratatui::Terminal<Sgr16Backend<io::Stdout>>;

#[derive(Debug, thiserror::Error)]
pub enum TerminalError {
    #[error(
        "the reader needs a terminal on stdin and stdout; in scripts use `tidings list` or `tidings show ID`"
    )]
    NotATerminal,
    #[error("{0}; use `tidings list`, `tidings show ID` or `tidings search WORDS` instead")]
    Dumb(&'static str),
    #[error("cannot set up the terminal: {0}")]
    Setup(#[from] io::Error),
}

/// Both ends must be a terminal: checked before anything is written, so a
/// redirected run prints no escape sequences at all.
pub fn check() -> Result<(), TerminalError> {
    if io::stdin().is_terminal() && io::stdout().is_terminal() {
        Ok(())
    } else {
        Err(TerminalError::NotATerminal)
    }
}

/// The terminal must be able to move its cursor: `TERM=dumb` (Emacs' shell,
/// some CI logs) or no `TERM` at all says it cannot, and a full-screen
/// reader would fill it with escape sequences.
pub fn check_capable(term: Option<&OsStr>) -> Result<(), TerminalError> {
    match term.and_then(OsStr::to_str) {
        None | Some("") => Err(TerminalError::Dumb(
            "TERM is not set, so the full-screen reader cannot know how to draw",
        )),
        Some("dumb") => Err(TerminalError::Dumb(
            "TERM=dumb: this terminal cannot draw the full-screen reader",
        )),
        Some(_) => Ok(()),
    }
}

/// Raw mode, the alternate screen and bracketed paste, with a panic hook
/// that restores the terminal before the panic message is printed. Colours
/// are written for a terminal of `depth`.
///
/// Bracketed paste makes the terminal mark a paste, so it arrives as one
/// piece of text rather than as keys: a pasted line break would otherwise
/// submit a search, and the letters after it would run as commands.
///
/// With `mouse`, the terminal reports presses and the wheel (SGR mouse
/// mode: `ESC[?1000h`, `ESC[?1006h`), never motion, which would flood a slow
/// link; without it, no mouse mode is touched.
pub fn init(depth: ColourDepth, mouse: bool) -> Result<Terminal, TerminalError> {
    terminal::enable_raw_mode()?;
    MOUSE.store(mouse, Ordering::Relaxed);
    if let Err(e) = execute!(
        io::stdout(),
        terminal::EnterAlternateScreen,
        EnableBracketedPaste
    )
    .and_then(|()| enable_mouse())
    {
        restore();
        return Err(e.into());
    }
    let terminal = match ratatui::Terminal::new(Sgr16Backend::new(io::stdout(), depth)) {
        Ok(t) => t,
        Err(e) => {
            restore();
            return Err(e.into());
        }
    };
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
    Ok(terminal)
}

/// Whether [`init`] turned the mouse on, so that [`restore`] and
/// [`resume`] know (they run from a panic hook and a signal handler's
/// loop too, with nothing else to ask).
static MOUSE: AtomicBool = AtomicBool::new(false);

/// Presses and the wheel, in SGR encoding (no limit on the column).
const MOUSE_ON: &str = "\x1b[?1000h\x1b[?1006h";
const MOUSE_OFF: &str = "\x1b[?1006l\x1b[?1000l";

fn enable_mouse() -> io::Result<()> {
    if MOUSE.load(Ordering::Relaxed) {
        let mut out = io::stdout();
        out.write_all(MOUSE_ON.as_bytes())?;
        out.flush()?;
    }
    Ok(())
}

/// Leave raw mode, bracketed paste and the alternate screen, and show the
/// cursor. Errors are ignored: when the terminal is gone there is nothing
/// left to restore.
pub fn restore() {
    if MOUSE.load(Ordering::Relaxed) {
        let _ = io::stdout().write_all(MOUSE_OFF.as_bytes());
    }
    let _ = execute!(io::stdout(), DisableBracketedPaste);
    let _ = terminal::disable_raw_mode();
    let _ = execute!(io::stdout(), terminal::LeaveAlternateScreen, cursor::Show);
}

/// Hand the terminal back and stop, as ctrl-z stops a program in a shell;
/// returns once the process is continued (`fg`), with the terminal set up
/// again and a full redraw due.
///
/// SIGTSTP keeps its default action (nothing here handles it), so raising
/// it stops the process the way the shell expects. Where no shell could
/// continue it (a process group without job control, such as a program
/// started directly by a terminal window), the system discards the signal
/// and the reader simply carries on.
pub fn suspend(term: &mut Terminal) -> io::Result<()> {
    restore();
    signal_hook::low_level::raise(signal_hook::consts::signal::SIGTSTP)?;
    resume(term)
}

/// Set the terminal up again after the process was stopped and continued
/// (by [`suspend`], or by a SIGSTOP from elsewhere, which leaves the modes
/// as they were but the screen to the shell), and make the next draw
/// repaint every cell.
pub fn resume(term: &mut Terminal) -> io::Result<()> {
    // The shell may have set its own modes while the reader was stopped,
    // and crossterm skips enabling raw mode when it believes it is on.
    let _ = terminal::disable_raw_mode();
    terminal::enable_raw_mode()?;
    execute!(
        io::stdout(),
        terminal::EnterAlternateScreen,
        terminal::Clear(terminal::ClearType::All),
        EnableBracketedPaste,
        cursor::Hide
    )?;
    enable_mouse()?;
    // A blank screen, and a blank last frame to compare the next one with,
    // so every cell is drawn again. (`Terminal::clear` would ask the
    // terminal where its cursor is, and wait for an answer that a slow
    // connection, or a terminal that does not answer, never gives.)
    term.swap_buffers();
    Ok(())
}

/// How many colours the terminal shows, from what it says about itself.
/// The theme only uses the 16 basic colours, which every colour terminal
/// has and which are always written as such (SGR 30-37 and 90-97); more is
/// used only where the terminal says it has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ColourDepth {
    /// The 16 basic colours: the Linux console, `xterm-16color`, `xterm`.
    Basic,
    /// 256 colours: a `TERM` with `256color` in it.
    Indexed,
    /// 24-bit colour: `COLORTERM=truecolor` or `24bit`.
    TrueColour,
}

impl ColourDepth {
    /// The depth the `TERM` and `COLORTERM` variables promise.
    pub fn detect(term: Option<&OsStr>, colorterm: Option<&OsStr>) -> Self {
        let says = |v: Option<&OsStr>, what: &[&str]| {
            v.and_then(OsStr::to_str)
                .is_some_and(|v| what.iter().any(|w| v.contains(w)))
        };
        if says(colorterm, &["truecolor", "24bit"]) {
            Self::TrueColour
        } else if says(term, &["256color"]) {
            Self::Indexed
        } else {
            Self::Basic
        }
    }
}

/// ratatui's crossterm backend, with cells written the way every terminal
/// reads them.
///
/// crossterm writes even the 16 basic colours as 256-colour codes
/// (`ESC[38;5;1m` for red), which the Linux console and 16-colour terminals
/// do not understand. Here the 16 are written as SGR 30-37 and 90-97 (40-47
/// and 100-107 for backgrounds), and other colours only where the terminal
/// says it shows them (see [`ColourDepth`]). Each change of style is one
/// sequence that resets and sets everything, so no earlier state lingers.
///
/// After a cell holding more than one character (an emoji sequence, a
/// letter with a joiner) or a wide one, the cursor is placed again before
/// the next cell: terminals disagree on the width of such clusters (some
/// show a joiner as a glyph of its own), and the cells to their right must
/// still land where the buffer put them, so columns never shift. Everything
/// but drawing is crossterm's.
pub struct Sgr16Backend<W: Write> {
    inner: CrosstermBackend<W>,
    depth: ColourDepth,
}

impl<W: Write> Sgr16Backend<W> {
    pub fn new(writer: W, depth: ColourDepth) -> Self {
        Self {
            inner: CrosstermBackend::new(writer),
            depth,
        }
    }

    /// The SGR parameters that reset and set this style: `0;1;36`.
    fn sgr(&self, fg: Color, bg: Color, modifier: Modifier) -> String {
        let mut codes = vec!["0".to_string()];
        for (flag, code) in [
            (Modifier::BOLD, "1"),
            (Modifier::DIM, "2"),
            (Modifier::ITALIC, "3"),
            (Modifier::UNDERLINED, "4"),
            (Modifier::SLOW_BLINK, "5"),
            (Modifier::RAPID_BLINK, "6"),
            (Modifier::REVERSED, "7"),
            (Modifier::HIDDEN, "8"),
            (Modifier::CROSSED_OUT, "9"),
        ] {
            if modifier.contains(flag) {
                codes.push(code.into());
            }
        }
        codes.extend(self.colour(fg, false));
        codes.extend(self.colour(bg, true));
        codes.join(";")
    }

    /// A colour's SGR parameters, `None` for the default colour and for
    /// colours the terminal does not have.
    fn colour(&self, colour: Color, background: bool) -> Option<String> {
        // Offsets from 30 (foreground) of the 16 basic colours.
        let basic = match colour {
            Color::Reset => return None,
            Color::Black => 0,
            Color::Red => 1,
            Color::Green => 2,
            Color::Yellow => 3,
            Color::Blue => 4,
            Color::Magenta => 5,
            Color::Cyan => 6,
            Color::Gray => 7,
            Color::DarkGray => 60,
            Color::LightRed => 61,
            Color::LightGreen => 62,
            Color::LightYellow => 63,
            Color::LightBlue => 64,
            Color::LightMagenta => 65,
            Color::LightCyan => 66,
            Color::White => 67,
            Color::Indexed(i @ 0..8) => i.into(),
            Color::Indexed(i @ 8..16) => u16::from(i) + 52,
            Color::Indexed(i) => {
                let extended = if background { "48" } else { "38" };
                return (self.depth >= ColourDepth::Indexed).then(|| format!("{extended};5;{i}"));
            }
            Color::Rgb(r, g, b) => {
                let extended = if background { "48" } else { "38" };
                return (self.depth >= ColourDepth::TrueColour)
                    .then(|| format!("{extended};2;{r};{g};{b}"));
            }
        };
        let base: u16 = if background { 40 } else { 30 };
        Some((base + basic).to_string())
    }
}

/// Move the cursor `columns` to the right (CUF), without writing.
fn forward(out: &mut impl Write, columns: u16) -> io::Result<()> {
    if columns == 1 {
        out.write_all(b"\x1b[C")
    } else {
        write!(out, "\x1b[{columns}C")
    }
}

/// Whether the terminal's cursor surely ends one column on after `symbol`:
/// a single character of width one.
fn plain(symbol: &str) -> bool {
    let mut chars = symbol.chars();
    chars.next().is_some() && chars.next().is_none() && symbol.cell_width() == 1
}

impl<W: Write> Backend for Sgr16Backend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let mut style = None;
        // Where the cursor is known to be, when it is.
        let mut cursor: Option<(u16, u16)> = None;
        for (x, y, cell) in content {
            match cursor {
                Some(at) if at == (x, y) => {}
                // Along the same row, over cells that stay as they are: a
                // relative move (CUF) is a third of an absolute one, and a
                // line of words with unchanged blanks between them is
                // mostly such moves.
                Some((cx, cy)) if cy == y && cx < x => forward(&mut self.inner, x - cx)?,
                _ => queue!(self.inner, MoveTo(x, y))?,
            }
            let wanted = (cell.fg, cell.bg, cell.modifier);
            if style != Some(wanted) {
                let sgr = self.sgr(cell.fg, cell.bg, cell.modifier);
                write!(self.inner, "\x1b[{sgr}m")?;
                style = Some(wanted);
            }
            let symbol = cell.symbol();
            queue!(self.inner, Print(symbol))?;
            cursor = plain(symbol).then(|| (x.saturating_add(1), y));
        }
        write!(self.inner, "\x1b[0m")
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<Size> {
        self.inner.size()
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }

    /// Set the scroll region to `region`'s rows (DECSTBM), scroll it up
    /// (SU) and reset the region: the rows below move up and blank rows
    /// enter at the bottom, without redrawing any of them.
    fn scroll_region_up(&mut self, region: std::ops::Range<u16>, count: u16) -> io::Result<()> {
        self.scroll_region(region, count, 'S')
    }

    /// As [`Self::scroll_region_up`], down (SD): blank rows enter at the top.
    fn scroll_region_down(&mut self, region: std::ops::Range<u16>, count: u16) -> io::Result<()> {
        self.scroll_region(region, count, 'T')
    }
}

impl<W: Write> Sgr16Backend<W> {
    /// Written, not flushed: it goes out with the frame that follows.
    /// DECSTBM counts rows from 1 and includes the last; resetting it moves
    /// the cursor home, so the frame's first cell is placed explicitly.
    fn scroll_region(
        &mut self,
        region: std::ops::Range<u16>,
        count: u16,
        way: char,
    ) -> io::Result<()> {
        if region.is_empty() || count == 0 {
            return Ok(());
        }
        let (top, bottom) = (region.start + 1, region.end);
        write!(self.inner, "\x1b[{top};{bottom}r\x1b[{count}{way}\x1b[r")
    }
}

/// Why input stopped for good.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputGone {
    #[error("the terminal hung up")]
    HangUp,
    #[error("end of input")]
    Eof,
    #[error("cannot read the terminal: {0}")]
    Error(String),
}

/// Block until the terminal has input to read, without reading it.
///
/// crossterm's reader, asked to wait without a timeout, retries forever
/// when the terminal is at end of file, spinning a core. So the input thread
/// waits here first, and a hang-up, an error, or "readable" with nothing to
/// read (end of file, as after an SSH connection drops) ends input instead.
/// crossterm is built with its `use-dev-tty` reader, which polls level-
/// triggered and returns I/O errors; its default edge-triggered reader can
/// leave a key unread after a resize, which this wait would then spin on.
pub fn wait_for_input() -> Result<(), InputGone> {
    use rustix::event::{PollFd, PollFlags, poll};
    let stdin = io::stdin();
    let fd = stdin.as_fd();
    let mut fds = [PollFd::new(&fd, PollFlags::IN)];
    loop {
        match poll(&mut fds, None) {
            Ok(_) => break,
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(InputGone::Error(e.to_string())),
        }
    }
    let revents = fds[0].revents();
    if revents.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
        return Err(InputGone::HangUp);
    }
    match rustix::io::ioctl_fionread(fd) {
        Ok(0) => Err(InputGone::Eof),
        Ok(_) => Ok(()),
        Err(e) => Err(InputGone::Error(e.to_string())),
    }
}

/// Why a link was not put on the clipboard.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("only a checked http, https or mailto link can be copied")]
    NotSafe,
    #[error("cannot write to the terminal: {0}")]
    Io(#[from] io::Error),
}

/// The OSC 52 sequence that asks the terminal to put `url` on the system
/// clipboard (`ESC ] 52 ; c ; base64 BEL`), or `None` unless `url` is
/// exactly what [`safe_url`](crate::article::links::safe_url) makes of it:
/// nothing but a checked link is ever copied this way, and its length is
/// capped there ([`MAX_URL`](crate::article::links::MAX_URL)), so the
/// payload is at most 5,464 bytes, within what terminals accept. BEL ends
/// it rather than ST because more terminals (and tmux) take BEL.
pub fn osc52(url: &str) -> Option<String> {
    let safe = crate::article::links::safe_url(url)?;
    (safe == url).then(|| format!("\x1b]52;c;{}\x07", base64(url.as_bytes())))
}

/// Write [`osc52`] for `url` to `out` and flush it: called by the runtime
/// on a key press only, between frames.
pub fn copy_to_clipboard(out: &mut impl Write, url: &str) -> Result<(), CopyError> {
    let sequence = osc52(url).ok_or(CopyError::NotSafe)?;
    out.write_all(sequence.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Standard base64 with padding (RFC 4648), as OSC 52 takes it.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    /// A writer whose bytes can be read while the backend holds it.
    #[derive(Clone, Default)]
    struct Shared(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().write(buf)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// What drawing `buffer` whole writes at `depth`.
    fn drawn(buffer: &Buffer, depth: ColourDepth) -> String {
        let out = Shared::default();
        let mut backend = Sgr16Backend::new(out.clone(), depth);
        let cells = buffer.content().iter().enumerate().map(|(i, cell)| {
            let (x, y) = buffer.pos_of(i);
            (x, y, cell)
        });
        backend.draw(cells).unwrap();
        String::from_utf8(out.0.take()).unwrap()
    }

    #[test]
    fn colour_depth_is_what_term_and_colorterm_promise() {
        let depth = |term: Option<&str>, colorterm: Option<&str>| {
            ColourDepth::detect(term.map(OsStr::new), colorterm.map(OsStr::new))
        };
        for term in ["linux", "xterm", "xterm-16color", "vt100", "screen", ""] {
            assert_eq!(depth(Some(term), None), ColourDepth::Basic, "{term}");
        }
        assert_eq!(depth(None, None), ColourDepth::Basic);
        assert_eq!(depth(Some("xterm-256color"), None), ColourDepth::Indexed);
        assert_eq!(depth(Some("tmux-256color"), Some("")), ColourDepth::Indexed);
        for colorterm in ["truecolor", "24bit"] {
            assert_eq!(
                depth(Some("linux"), Some(colorterm)),
                ColourDepth::TrueColour
            );
        }
    }

    #[test]
    fn the_16_colours_are_basic_sgr_and_more_only_where_promised() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 4, 1));
        buffer.set_string(0, 0, "a", Style::new().red().on_light_blue().bold());
        buffer.set_string(1, 0, "b", Style::new().dark_gray());
        buffer.set_string(2, 0, "c", Style::new().fg(Color::Indexed(200)));
        buffer.set_string(3, 0, "d", Style::new().fg(Color::Rgb(1, 2, 3)));
        let basic = drawn(&buffer, ColourDepth::Basic);
        assert!(basic.contains("\x1b[0;1;31;104ma"), "{basic:?}");
        assert!(basic.contains("\x1b[0;90mb"), "{basic:?}");
        assert!(basic.contains("\x1b[0mc\x1b[0md"), "{basic:?}");
        assert!(!basic.contains("38;"), "{basic:?}");
        let indexed = drawn(&buffer, ColourDepth::Indexed);
        assert!(indexed.contains("\x1b[0;38;5;200mc"), "{indexed:?}");
        assert!(!indexed.contains("38;2"), "{indexed:?}");
        let true_colour = drawn(&buffer, ColourDepth::TrueColour);
        assert!(
            true_colour.contains("\x1b[0;38;2;1;2;3md"),
            "{true_colour:?}"
        );
        assert!(true_colour.ends_with("\x1b[0m"), "{true_colour:?}");
    }

    #[test]
    fn after_a_cluster_the_next_cell_is_placed_again() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 6, 1));
        buffer.set_string(0, 0, "a\u{200d}bcd", Style::new());
        let out = drawn(&buffer, ColourDepth::Basic);
        // 'b' at column 2 of row 1 (1-based), wherever the joiner left the
        // cursor; 'c' and 'd' follow on.
        assert!(out.contains("a\u{200d}\x1b[1;2Hbcd"), "{out:?}");
    }

    #[test]
    fn a_gap_along_a_row_is_crossed_with_a_relative_move() {
        // Only changed cells are drawn: here the letters, not the blanks.
        let cells = [(0, 0, "a"), (2, 0, "b"), (7, 0, "c"), (1, 1, "d")].map(|(x, y, s)| {
            let mut cell = Cell::default();
            cell.set_symbol(s);
            (x, y, cell)
        });
        let out = Shared::default();
        let mut backend = Sgr16Backend::new(out.clone(), ColourDepth::Basic);
        backend
            .draw(cells.iter().map(|(x, y, c)| (*x, *y, c)))
            .unwrap();
        let out = String::from_utf8(out.0.borrow().clone()).unwrap();
        assert_eq!(out, "\x1b[1;1H\x1b[0ma\x1b[Cb\x1b[4Cc\x1b[2;2Hd\x1b[0m");
    }

    #[test]
    fn base64_matches_the_rfc_4648_examples() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain}");
        }
    }

    #[test]
    fn osc52_carries_only_a_checked_link() {
        assert_eq!(
            osc52("https://example.org/a").as_deref(),
            Some("\x1b]52;c;aHR0cHM6Ly9leGFtcGxlLm9yZy9h\x07")
        );
        for refused in [
            "javascript:alert(1)",
            "https://example.org/a\x07b",
            "https://example.org/a b",
            " https://example.org/a",
            "HTTPS://example.org/a",
            "just some text",
        ] {
            assert_eq!(osc52(refused), None, "{refused:?}");
        }
        let mut out = Vec::new();
        assert!(copy_to_clipboard(&mut out, "file:///etc/passwd").is_err());
        assert!(out.is_empty());
    }
}
