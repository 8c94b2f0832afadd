//! The terminal's lifecycle, in one place: check it is a terminal, enter
//! full-screen mode, and always leave it as it was (on quit, on error, on
//! panic, on signals and while suspended with ctrl-z), and notice when it
//! goes away.

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::{cursor, execute, terminal};
use ratatui::DefaultTerminal;
use std::io::{self, IsTerminal};
use std::os::fd::AsFd;

#[derive(Debug, thiserror::Error)]
pub enum TerminalError {
    #[error(
        "the reader needs a terminal on stdin and stdout; in scripts use `tidings list` or `tidings show ID`"
    )]
    NotATerminal,
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

/// Raw mode, the alternate screen and bracketed paste, with a panic hook
/// that restores the terminal before the panic message is printed.
///
/// Bracketed paste makes the terminal mark a paste, so it arrives as one
/// piece of text rather than as keys: a pasted line break would otherwise
/// submit a search, and the letters after it would run as commands.
pub fn init() -> Result<DefaultTerminal, TerminalError> {
    let terminal = ratatui::try_init()?;
    if let Err(e) = execute!(io::stdout(), EnableBracketedPaste) {
        restore();
        return Err(e.into());
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
    Ok(terminal)
}

/// Leave raw mode, bracketed paste and the alternate screen, and show the
/// cursor. Errors are ignored: when the terminal is gone there is nothing
/// left to restore.
pub fn restore() {
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
pub fn suspend(term: &mut DefaultTerminal) -> io::Result<()> {
    restore();
    signal_hook::low_level::raise(signal_hook::consts::signal::SIGTSTP)?;
    resume(term)
}

/// Set the terminal up again after the process was stopped and continued
/// (by [`suspend`], or by a SIGSTOP from elsewhere, which leaves the modes
/// as they were but the screen to the shell), and make the next draw
/// repaint every cell.
pub fn resume(term: &mut DefaultTerminal) -> io::Result<()> {
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
    // A blank screen, and a blank last frame to compare the next one with,
    // so every cell is drawn again. (`Terminal::clear` would ask the
    // terminal where its cursor is, and wait for an answer that a slow
    // connection, or a terminal that does not answer, never gives.)
    term.swap_buffers();
    Ok(())
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
