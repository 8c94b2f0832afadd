//! The run loop: one channel of messages in, redraw only on change.
//!
//! An input thread and a signal thread send [`Msg`]s; the loop blocks on the
//! channel (with a timeout only while a status message is waiting to
//! expire), so an idle app uses no CPU. Background loading and search
//! results will arrive on the same channel as new [`Msg`] variants.

use super::App;
use super::finder::Finder;
use crate::action::Action;
use crate::article::ArticleMeta;
use crate::terminal::{self, InputGone};
use crossterm::event::{self, Event};
use ratatui::DefaultTerminal;
use signal_hook::consts::signal::{SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGWINCH};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// Everything the loop reacts to.
#[derive(Debug)]
pub enum Msg {
    /// A terminal event (key, resize, ...).
    Input(Event),
    /// A Unix signal.
    Signal(i32),
    /// The terminal went away: quit at once.
    InputGone(InputGone),
    /// Articles loaded in the background.
    Articles(Vec<ArticleMeta>),
    /// A search engine's ranked ids for a query (the best first), and how
    /// many articles matched in all.
    SearchResults {
        query: String,
        ids: Vec<String>,
        total: usize,
    },
    /// Indexing progress and engine news.
    Indexing(super::finder::Report),
    /// Snippet text (id, text) for the list, made for `query`.
    Excerpts {
        query: String,
        excerpts: Vec<(String, String)>,
    },
}

/// How the loop ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exit {
    /// The user quit.
    Quit,
    /// A signal asked us to stop.
    Signal(i32),
    /// The terminal is gone (SSH drop, closed window).
    TerminalGone(String),
}

/// Start the input and signal threads; they stop when the receiver is
/// dropped (or with the process).
pub fn spawn_sources(tx: &Sender<Msg>) -> std::io::Result<()> {
    let mut signals =
        signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGQUIT, SIGINT, SIGWINCH])?;
    let signal_tx = tx.clone();
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                if signal_tx.send(Msg::Signal(signal)).is_err() {
                    break;
                }
            }
        })?;
    let input_tx = tx.clone();
    std::thread::Builder::new()
        .name("input".into())
        .spawn(move || read_input(&input_tx))?;
    Ok(())
}

/// How long to wait for more events once input has arrived. crossterm's
/// reader only reads at all with a timeout above zero.
const DRAIN_WAIT: Duration = Duration::from_millis(2);

/// Forward terminal events until the terminal goes away.
fn read_input(tx: &Sender<Msg>) {
    loop {
        if let Err(gone) = terminal::wait_for_input() {
            let _ = tx.send(Msg::InputGone(gone));
            return;
        }
        // Everything crossterm can parse now; then back to waiting, so an
        // idle app sleeps in the kernel.
        loop {
            match event::poll(DRAIN_WAIT).and_then(|ready| ready.then(event::read).transpose()) {
                Ok(Some(ev)) => {
                    if tx.send(Msg::Input(ev)).is_err() {
                        return;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    let _ = tx.send(Msg::InputGone(InputGone::Error(e.to_string())));
                    return;
                }
            }
        }
    }
}

/// Run until the user quits, a signal arrives or the terminal goes away.
/// The caller restores the terminal and saves state afterwards, on every
/// path, signals included.
pub fn run(app: &mut App, terminal: &mut DefaultTerminal, rx: &Receiver<Msg>) -> Exit {
    run_with(app, terminal, rx, None)
}

/// [`run`], sending queries and snippet requests to a search engine.
pub fn run_with(
    app: &mut App,
    terminal: &mut DefaultTerminal,
    rx: &Receiver<Msg>,
    finder: Option<&Finder>,
) -> Exit {
    let size = terminal.size().unwrap_or_default();
    app.update(Action::Resize(size.width, size.height));
    let mut dirty = true;
    loop {
        if dirty && let Err(e) = terminal.draw(|frame| crate::ui::draw(app, frame)) {
            return Exit::TerminalGone(e.to_string());
        }
        if app.should_quit() {
            return Exit::Quit;
        }
        let msg = match next_message(app, rx) {
            Ok(msg) => msg,
            Err(RecvTimeoutError::Timeout) => {
                app.update(Action::Tick);
                dirty = true;
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Exit::TerminalGone("input closed".into());
            }
        };
        match handle(app, terminal, msg) {
            Ok(changed) => dirty = changed,
            Err(exit) => return exit,
        }
        if let Some(finder) = finder {
            ask_finder(app, finder);
        }
    }
}

/// Block for the next message, waking only when a message must expire.
fn next_message(app: &App, rx: &Receiver<Msg>) -> Result<Msg, RecvTimeoutError> {
    match app.next_deadline() {
        Some(deadline) => rx.recv_timeout(deadline.saturating_duration_since(Instant::now())),
        None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
    }
}

/// Apply one message; `Ok(true)` when the screen must be redrawn.
fn handle(app: &mut App, terminal: &DefaultTerminal, msg: Msg) -> Result<bool, Exit> {
    match msg {
        Msg::Input(Event::Key(key)) => match app.keymap().action_for(app.mode(), &key) {
            Some(action) => {
                app.update(action);
                Ok(true)
            }
            None => Ok(false),
        },
        Msg::Input(Event::Resize(w, h)) => {
            app.update(Action::Resize(w, h));
            Ok(true)
        }
        Msg::Input(_) => Ok(false),
        Msg::Signal(SIGWINCH) => {
            let size = terminal
                .size()
                .map_err(|e| Exit::TerminalGone(e.to_string()))?;
            app.update(Action::Resize(size.width, size.height));
            Ok(true)
        }
        Msg::Signal(signal) => Err(Exit::Signal(signal)),
        Msg::InputGone(gone) => Err(Exit::TerminalGone(gone.to_string())),
        Msg::Articles(articles) => {
            app.add_articles(articles);
            Ok(true)
        }
        Msg::SearchResults { query, ids, total } => {
            app.apply_search_results(&query, ids, total);
            Ok(true)
        }
        Msg::Indexing(report) => {
            app.apply_indexing(report);
            Ok(true)
        }
        Msg::Excerpts { query, excerpts } => {
            app.apply_excerpts(&query, excerpts);
            Ok(true)
        }
    }
}

/// Pass on what the last message made the app want from the engine.
fn ask_finder(app: &mut App, finder: &Finder) {
    if let Some(query) = app.take_query_change() {
        finder.search(&query, app.marks());
    }
    if let Some((query, articles)) = app.take_excerpt_request() {
        finder.excerpts(&query, articles);
    }
}

/// Open the reader over the context's library: check the terminal, load,
/// run, and restore the terminal on every way out.
pub fn launch(ctx: &crate::cli::Context, no_color: bool) -> anyhow::Result<std::process::ExitCode> {
    use std::process::ExitCode;
    if let Err(e) = terminal::check() {
        eprintln!("tidings: {e}");
        return Ok(ExitCode::from(2));
    }
    let library = load_library(ctx)?;
    let colour = crate::config::colour_wanted(no_color, std::env::var_os("NO_COLOR").as_deref());
    let settings = super::Settings::from_config(&ctx.config, colour);
    let mut app = App::new(library, settings);
    let (tx, rx) = std::sync::mpsc::channel();
    spawn_sources(&tx)?;
    // Without an engine (no threads to spare, say), search stays on headlines.
    let finder = match Finder::spawn(&ctx.cache_dir, app.library(), tx.clone()) {
        Ok(finder) => Some(finder),
        Err(e) => {
            app.message(&format!("Search is on headlines only: {e}"), true);
            None
        }
    };
    drop(tx);
    let mut term = terminal::init()?;
    let exit = run_with(&mut app, &mut term, &rx, finder.as_ref());
    terminal::restore();
    // Marks would be saved here, on every way out including signals.
    Ok(match exit {
        Exit::Quit => ExitCode::SUCCESS,
        Exit::Signal(signal) => ExitCode::from(128 + signal as u8),
        Exit::TerminalGone(why) => {
            eprintln!("tidings: {why}");
            ExitCode::from(1)
        }
    })
}

/// The library without printing skipped files: in the reader they are a
/// status message and the `!` overlay, not lines left on the terminal.
fn load_library(ctx: &crate::cli::Context) -> anyhow::Result<crate::library::Library> {
    Ok(if ctx.library_inputs.is_empty() {
        crate::library::Library::bundled()
    } else {
        crate::library::Library::load(&ctx.library_inputs, ctx.load_options())?
    })
}
