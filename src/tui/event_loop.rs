//! The run loop: one channel of messages in, redraw only on change.
//!
//! The input and signal threads ([`super::sources`]), the loader and the
//! search worker send [`Msg`]s; the loop blocks on the channel, waking on
//! its own only when a status message expires, a save is due, or every few
//! seconds for a cheap look at changes other processes saved, so an idle
//! app uses next to no CPU.

use super::cache_writer::CacheWriter;
use super::full_article::FullTextJobs;
use super::persist::Persist;
use super::scroll::Painter;
use crate::action::Action;
use crate::app::{self, App, Event as AppEvent};
use crate::library::{IndexChanges, LoadEvent};
use crate::search::worker::{self, Finder};
use crate::terminal::{self, InputGone};
use crossterm::event::Event;
use signal_hook::consts::signal::{SIGCONT, SIGWINCH};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Instant;

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
    /// A fetch of the feeds: its progress and summary.
    Fetch(app::fetching::FetchEvent),
    /// A story's full text was fetched into its file (`F`), and the story
    /// read again; or why not.
    FullText {
        path: std::path::PathBuf,
        result: Result<std::sync::Arc<crate::article::ArticleMeta>, String>,
    },
    /// Near-duplicate groups found by the grouping thread.
    Groups(AppEvent),
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

/// Most messages handled between two frames.
const MAX_BATCH: usize = 256;

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
    fetcher: &super::fetching::Fetcher,
    jobs: &FullTextJobs,
) -> Exit {
    let size = terminal.size().unwrap_or_default();
    app.update(Action::Resize(size.width, size.height));
    let mut dirty = true;
    let mut painter = Painter::default();
    let mut clicks = super::clicks::Clicks::default();
    let mut cache_writer = CacheWriter::default();
    let mut grouper = super::grouper::Grouper::new(jobs.sender());
    loop {
        let next = persist.sync(app, Instant::now());
        dirty |= next.redraw;
        if let Some(why) = cache_writer.poll() {
            app.apply(error_message(why.to_string()));
            dirty = true;
        }
        // A fetch asked for by a key or by the refresh clock.
        if app.take_fetch_request() {
            fetcher.start();
            dirty = true;
        }
        // The reader's body is read before the frame that shows it.
        app::serve_reads(app);
        if dirty && let Err(e) = painter.draw(terminal, app) {
            return Exit::TerminalGone(e.to_string());
        }
        // Once the full list is on screen: the cache for the next start is
        // written on its own thread, so nothing waits for it.
        if let Some(why) = app.take_cache_job().and_then(|job| cache_writer.start(job)) {
            app.apply(error_message(why.to_string()));
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
                app.apply(AppEvent::Clock(crate::article::date::now()));
                app.update(Action::Tick);
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Exit::TerminalGone("input closed".into());
            }
        };
        match handle(
            app,
            (terminal, &mut painter, &mut clicks),
            msg,
            finder,
            persist,
        ) {
            Ok(changed) => dirty = changed,
            Err(exit) => return exit,
        }
        app::serve_reads(app);
        // Take in whatever else is already waiting (a burst of loading
        // progress, fast typing) before drawing once for all of it; a quit
        // or a suspend acts before the keys after it.
        for _ in 0..MAX_BATCH {
            if app.should_quit() || app.wants_suspend() {
                break;
            }
            let Ok(msg) = rx.try_recv() else { break };
            match handle(
                app,
                (terminal, &mut painter, &mut clicks),
                msg,
                finder,
                persist,
            ) {
                Ok(changed) => dirty |= changed,
                Err(exit) => return exit,
            }
            app::serve_reads(app);
        }
        // Links to open or copy, asked for by the keys just handled.
        dirty |= super::effects::perform(app, jobs);
        if app.take_suspend() {
            if let Err(exit) = suspend(app, terminal, persist) {
                return exit;
            }
            painter.forget();
            dirty = true;
        }
        if let Some(finder) = finder {
            ask_finder(app, finder);
        }
        if let Some(job) = app.take_grouping_job() {
            grouper.start(job);
        }
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
    (terminal, painter, clicks): (
        &mut terminal::Terminal,
        &mut Painter,
        &mut super::clicks::Clicks,
    ),
    msg: Msg,
    finder: Option<&Finder>,
    persist: &mut Persist,
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
        Msg::Input(Event::Mouse(mouse)) => match clicks.pointer(&mouse, Instant::now()) {
            Some(action) => {
                app.update(action);
                Ok(true)
            }
            None => Ok(false),
        },
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
            painter.forget();
            resize(app, terminal)?;
            Ok(true)
        }
        Msg::Signal(signal) => Err(Exit::Signal(signal)),
        Msg::InputGone(gone) => Err(Exit::TerminalGone(gone.to_string())),
        Msg::Load(event) => {
            let complete = matches!(event, LoadEvent::Done | LoadEvent::Failed(_));
            app.apply(AppEvent::Load(event));
            let changes = app.take_index_changes();
            if let Some(finder) = finder {
                feed_finder(finder, changes, complete);
            }
            Ok(true)
        }
        Msg::Search(event) => {
            apply_search(app, event);
            Ok(true)
        }
        Msg::Groups(event) => {
            app.apply(event);
            Ok(true)
        }
        Msg::Fetch(event) => {
            app.apply(AppEvent::Fetch(event));
            Ok(true)
        }
        Msg::FullText { path, result } => {
            let rewritten = result.is_ok();
            app.apply(AppEvent::FullText { path, result });
            if let Some(finder) = finder {
                feed_finder(finder, app.take_index_changes(), false);
            }
            if rewritten {
                persist.library_changed();
            }
            Ok(true)
        }
    }
}

/// Hand the app what the search worker sent.
fn apply_search(app: &mut App, event: worker::Event) {
    app.apply(match event {
        worker::Event::SearchResults { query, ids, total } => {
            AppEvent::SearchResults { query, ids, total }
        }
        worker::Event::SearchFailed { query, why } => AppEvent::SearchFailed { query, why },
        worker::Event::Indexing(report) => AppEvent::Indexing(report),
        worker::Event::Excerpts { query, excerpts } => AppEvent::Excerpts { query, excerpts },
        worker::Event::Related { id, ids } => AppEvent::Related { id, ids },
        worker::Event::Members { key, ids } => AppEvent::Members { key, ids },
    });
}

/// A failure to show in the status bar.
fn error_message(text: String) -> AppEvent {
    AppEvent::Message { text, error: true }
}

/// Pass on what the last message made the app want from the engine.
/// The search engine indexes the library's stories as the loader finds them
/// (a file with the same text as a listed one is not listed, nor indexed).
fn feed_finder(finder: &Finder, changes: IndexChanges, complete: bool) {
    // Shared, not copied: the engine gets the same metadata as the list.
    if !changes.remove.is_empty() {
        finder.remove(changes.remove);
    }
    finder.add(changes.add);
    if complete {
        finder.complete();
    }
}

fn ask_finder(app: &mut App, finder: &Finder) {
    if let Some(query) = app.take_query_change() {
        finder.search_up_to(&query, app.result_limit(), app.marks());
    }
    if let Some((query, articles)) = app.take_excerpt_request() {
        finder.excerpts(&query, articles);
    }
    if let Some((story, limit)) = app.take_related_request() {
        finder.related(story, limit);
    }
    for (key, queries) in app.take_member_requests() {
        finder.members(&key, queries, app.marks());
    }
}
