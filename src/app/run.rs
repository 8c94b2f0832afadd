//! The run loop: one channel of messages in, redraw only on change.
//!
//! An input thread and a signal thread send [`Msg`]s; the loop blocks on the
//! channel, waking on its own only when a status message expires, a save is
//! due, or every few seconds for a cheap look at changes other processes
//! saved, so an idle app uses next to no CPU. Background loading and search
//! results will arrive on the same channel as new [`Msg`] variants.

use super::App;
use super::persist::Persist;
use crate::action::Action;
use crate::library::{LoadEvent, LoadRequest, load_streaming};
use crate::search::worker::{self, Finder};
use crate::terminal::{self, ColourDepth, InputGone};
use crossterm::event::{self, Event};
use signal_hook::consts::signal::{SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGWINCH};
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
    /// The background loader's progress and articles.
    Load(LoadEvent),
    /// The search worker's answers, snippets and indexing news.
    Search(worker::Event),
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
/// dropped (or with the process). SIGCONT is heard so that a reader stopped
/// from outside (SIGSTOP, or SIGTSTP, which keeps its default action) takes
/// the terminal back and repaints when it is continued.
pub fn spawn_sources(tx: &Sender<Msg>) -> std::io::Result<()> {
    let mut signals =
        signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGQUIT, SIGINT, SIGWINCH, SIGCONT])?;
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

/// Most messages handled between two frames.
const MAX_BATCH: usize = 256;

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
/// Changes reach `persist` before every frame (marks are saved before the
/// frame shows them, reading positions within a second), queries and
/// snippet requests go to the search engine; the
/// caller restores the terminal and saves the rest afterwards, on every
/// path, signals included.
pub fn run(
    app: &mut App,
    terminal: &mut terminal::Terminal,
    rx: &Receiver<Msg>,
    persist: &mut Persist,
    finder: Option<&Finder>,
) -> Exit {
    let size = terminal.size().unwrap_or_default();
    app.update(Action::Resize(size.width, size.height));
    let mut dirty = true;
    let mut cache_writer = CacheWriter::default();
    loop {
        let next = persist.sync(app, Instant::now());
        dirty |= next.redraw;
        if let Some(why) = cache_writer.poll() {
            app.message(&why, true);
            dirty = true;
        }
        if dirty && let Err(e) = terminal.draw(|frame| crate::ui::draw(app, frame)) {
            return Exit::TerminalGone(e.to_string());
        }
        // Once the full list is on screen: the cache for the next start is
        // written on its own thread, so nothing waits for it.
        if let Some(why) = app.take_cache_job().and_then(|job| cache_writer.start(job)) {
            app.message(&why, true);
            dirty = true;
            continue;
        }
        if app.should_quit() {
            return Exit::Quit;
        }
        let msg = match next_message(app, rx, next.deadline) {
            Ok(msg) => msg,
            Err(RecvTimeoutError::Timeout) => {
                // A wake-up for saving or refreshing is not a reason to draw.
                dirty = app.next_deadline().is_some_and(|d| d <= Instant::now());
                app.update(Action::Tick);
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Exit::TerminalGone("input closed".into());
            }
        };
        match handle(app, terminal, msg, finder) {
            Ok(changed) => dirty = changed,
            Err(exit) => return exit,
        }
        // Take in whatever else is already waiting (a burst of loading
        // progress, fast typing) before drawing once for all of it; a quit
        // or a suspend acts before the keys after it.
        for _ in 0..MAX_BATCH {
            if app.should_quit() || app.wants_suspend() {
                break;
            }
            let Ok(msg) = rx.try_recv() else { break };
            match handle(app, terminal, msg, finder) {
                Ok(changed) => dirty |= changed,
                Err(exit) => return exit,
            }
        }
        if app.take_suspend() {
            if let Err(exit) = suspend(app, terminal, persist) {
                return exit;
            }
            dirty = true;
        }
        if let Some(finder) = finder {
            ask_finder(app, finder);
        }
    }
}

/// The load cache being written on its own thread. Dropping it waits for
/// the write to end, so quitting never leaves a half-written file behind.
#[derive(Default)]
struct CacheWriter(Option<std::thread::JoinHandle<Result<(), String>>>);

impl CacheWriter {
    /// Start writing; the error of a write that could not be started on its
    /// own thread, and so was done here.
    fn start(&mut self, job: crate::library::CacheJob) -> Option<String> {
        // One write at a time: they share a temporary file name.
        let earlier = self.finish();
        let (tx, rx) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("cache-writer".into())
            .spawn(move || rx.recv().map_or(Ok(()), crate::library::CacheJob::write));
        match spawned {
            Ok(handle) => {
                let _ = tx.send(job);
                self.0 = Some(handle);
                earlier
            }
            Err(_) => job.write().err().or(earlier),
        }
    }

    /// The write's error, once it has ended in one.
    fn poll(&mut self) -> Option<String> {
        if self.0.as_ref().is_some_and(|h| h.is_finished()) {
            self.finish()
        } else {
            None
        }
    }

    /// Wait for the write; its error, if any.
    fn finish(&mut self) -> Option<String> {
        match self.0.take()?.join() {
            Ok(result) => result.err(),
            Err(_) => Some("writing the load cache failed".into()),
        }
    }
}

impl Drop for CacheWriter {
    fn drop(&mut self) {
        let _ = self.finish();
    }
}

/// Block for the next message, waking when a status message must expire
/// or by `persist_deadline` (a save or a refresh is due).
fn next_message(
    app: &App,
    rx: &Receiver<Msg>,
    persist_deadline: Instant,
) -> Result<Msg, RecvTimeoutError> {
    let deadline = app
        .next_deadline()
        .map_or(persist_deadline, |d| d.min(persist_deadline));
    rx.recv_timeout(deadline.saturating_duration_since(Instant::now()))
}

/// ctrl-z: save, hand the terminal back and stop until continued (`fg`);
/// then take the terminal again, at its size then.
fn suspend(
    app: &mut App,
    terminal: &mut terminal::Terminal,
    persist: &mut Persist,
) -> Result<(), Exit> {
    // Saved first: a stopped reader may never be continued. A save that
    // fails stays due and is retried (and reported) as usual.
    let _ = persist.finish(app);
    persist.save_session(app);
    terminal::suspend(terminal).map_err(|e| Exit::TerminalGone(e.to_string()))?;
    resize(app, terminal)
}

fn resize(app: &mut App, terminal: &terminal::Terminal) -> Result<(), Exit> {
    let size = terminal
        .size()
        .map_err(|e| Exit::TerminalGone(e.to_string()))?;
    app.update(Action::Resize(size.width, size.height));
    Ok(())
}

/// Apply one message; `Ok(true)` when the screen must be redrawn.
fn handle(
    app: &mut App,
    terminal: &mut terminal::Terminal,
    msg: Msg,
    finder: Option<&Finder>,
) -> Result<bool, Exit> {
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
        Msg::Input(Event::Paste(text)) => {
            app.paste(&text);
            Ok(true)
        }
        Msg::Input(_) => Ok(false),
        Msg::Signal(SIGWINCH) => {
            resize(app, terminal)?;
            Ok(true)
        }
        Msg::Signal(SIGCONT) => {
            terminal::resume(terminal).map_err(|e| Exit::TerminalGone(e.to_string()))?;
            resize(app, terminal)?;
            Ok(true)
        }
        Msg::Signal(signal) => Err(Exit::Signal(signal)),
        Msg::InputGone(gone) => Err(Exit::TerminalGone(gone.to_string())),
        Msg::Load(event) => {
            if let Some(finder) = finder {
                feed_finder(finder, &event);
            }
            app.apply_load(event);
            Ok(true)
        }
        Msg::Search(event) => {
            apply_search(app, event);
            Ok(true)
        }
    }
}

/// Hand the app what the search worker sent.
fn apply_search(app: &mut App, event: worker::Event) {
    match event {
        worker::Event::SearchResults { query, ids, total } => {
            app.apply_search_results(&query, ids, total);
        }
        worker::Event::Indexing(report) => app.apply_indexing(report),
        worker::Event::Excerpts { query, excerpts } => app.apply_excerpts(&query, excerpts),
    }
}

/// Pass on what the last message made the app want from the engine.
/// The search engine indexes articles as the loader finds them.
fn feed_finder(finder: &Finder, event: &LoadEvent) {
    match event {
        // Shared, not copied: the engine gets the same metadata as the list.
        LoadEvent::Cached(metas) | LoadEvent::Loaded(metas) => finder.add(metas.clone()),
        LoadEvent::Removed(paths) => finder.remove(paths.clone()),
        LoadEvent::Done | LoadEvent::Failed(_) => finder.complete(),
        _ => {}
    }
}

fn ask_finder(app: &mut App, finder: &Finder) {
    if let Some(query) = app.take_query_change() {
        finder.search_up_to(&query, app.result_limit(), app.marks());
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
    let term_name = std::env::var_os("TERM");
    if let Err(e) = terminal::check_capable(term_name.as_deref()) {
        eprintln!("tidings: {e}");
        return Ok(ExitCode::from(1));
    }
    let depth = ColourDepth::detect(
        term_name.as_deref(),
        std::env::var_os("COLORTERM").as_deref(),
    );
    let (mut library, request) = start_library(ctx)?;
    // Written by the loop once the full list is on screen.
    library.defer_cache_write();
    let colour = crate::config::colour_wanted(no_color, std::env::var_os("NO_COLOR").as_deref());
    let settings = super::Settings::from_config(&ctx.config, colour);
    let mut app = App::new(library, settings);
    let mut persist = open_store(ctx, &mut app);
    persist.restore_session(&mut app);
    let (tx, rx) = std::sync::mpsc::channel();
    spawn_sources(&tx)?;
    // Without an engine (no threads to spare, say), search stays on headlines.
    let search_tx = tx.clone();
    let to_loop = move |event| search_tx.send(Msg::Search(event)).is_ok();
    let finder = match Finder::spawn(&ctx.cache_dir, app.library(), to_loop) {
        Ok(finder) => Some(finder),
        Err(e) => {
            app.message(&format!("Search is on headlines only: {e}"), true);
            None
        }
    };
    if let Some(request) = request {
        spawn_loader(request, tx.clone())?;
    }
    drop(tx);
    let mut term = terminal::init(depth)?;
    let exit = run(&mut app, &mut term, &rx, &mut persist, finder.as_ref());
    // Save first: when the terminal is gone, restoring it may fail, and
    // the reading state matters more.
    let saved = persist.finish(&mut app);
    persist.save_session(&app);
    terminal::restore();
    if let Err(e) = saved {
        eprintln!(
            "tidings: could not save bookmarks and reading state: {}",
            crate::article::sanitize::sanitize_line(&e.to_string())
        );
    }
    Ok(match exit {
        Exit::Quit => ExitCode::SUCCESS,
        Exit::Signal(signal) => ExitCode::from(128 + signal as u8),
        Exit::TerminalGone(why) => {
            eprintln!("tidings: {why}");
            ExitCode::from(1)
        }
    })
}

/// The library to start from, and the load to run in the background: the
/// first frame never waits for the disk. A missing library path is still an
/// error before the terminal is touched.
fn start_library(
    ctx: &crate::cli::Context,
) -> anyhow::Result<(crate::library::Library, Option<LoadRequest>)> {
    use crate::library::{Library, LibraryError};
    if ctx.library_inputs.is_empty() {
        return Ok((Library::bundled(), None));
    }
    for input in &ctx.library_inputs {
        std::fs::metadata(input).map_err(|e| LibraryError::Missing(input.clone(), e))?;
    }
    let request = LoadRequest {
        inputs: ctx.library_inputs.clone(),
        options: ctx.load_options(),
        cache_dir: Some(ctx.cache_dir.clone()),
    };
    Ok((Library::empty(&request), Some(request)))
}

/// Load the library on its own thread (parsing fans out over all cores),
/// sending every event to the loop.
fn spawn_loader(request: LoadRequest, tx: Sender<Msg>) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("loader".into())
        .spawn(move || {
            load_streaming(&request, &mut |event| {
                let _ = tx.send(Msg::Load(event));
            });
        })?;
    Ok(())
}

/// Bookmarks and reading state for the app; problems with the files are
/// printed (they stay on the terminal after the app) and shown in the
/// status bar.
fn open_store(ctx: &crate::cli::Context, app: &mut App) -> Persist {
    let (mut persist, warnings) = Persist::open(&ctx.data_dir);
    persist.seed(app);
    for w in &warnings {
        eprintln!(
            "tidings: warning: {}",
            crate::article::sanitize::sanitize_line(w)
        );
    }
    if !warnings.is_empty() {
        // The full paths went to stderr; the status bar has room for names.
        let dir = format!("{}/", ctx.data_dir.display());
        app.warn(&warnings.join("; ").replace(&dir, ""));
    }
    persist
}
