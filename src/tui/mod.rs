//! The runtime: everything that makes the app run in a terminal.
//!
//! [`launch`] checks the terminal, starts the library on the loader's
//! thread, the search worker, and the input and signal threads
//! ([`sources`]), then runs the [`event_loop`], which feeds the app what
//! arrives, asks the worker what the app wants, and draws. The
//! [`persist`] bridge carries bookmarks and reading state between the app
//! and the store; the cache writer (`cache_writer.rs`) writes the load cache for the next
//! start. The app itself ([`crate::app`]) knows none of this: it is state
//! that this module changes and [`crate::ui`] draws.

mod cache_writer;
mod clicks;
pub mod effects;
pub mod event_loop;
pub mod fetching;
pub mod full_article;
mod grouper;
pub mod persist;
pub mod scroll;
pub mod sources;

pub use event_loop::{Exit, Msg, run};
pub use sources::spawn_sources;

use crate::app::{App, Event, Settings};
use crate::config::Config;
use crate::library::{Library, LibraryError, LoadOptions, LoadRequest, load_streaming};
use crate::search::worker::Finder;
use crate::terminal::{self, ColourDepth};
use persist::Persist;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::Sender;

/// What [`launch`] needs, resolved by its caller (the command line).
#[derive(Debug, Clone)]
pub struct Options {
    /// Article files and folders; none for the bundled library.
    pub library_inputs: Vec<PathBuf>,
    /// How the library's files are read.
    pub load: LoadOptions,
    /// Bookmarks and reading state.
    pub data_dir: PathBuf,
    /// The search index and the load cache.
    pub cache_dir: PathBuf,
    /// Keys, theme and reading settings.
    pub config: Config,
    /// The config file in use (it may not exist yet): where a saved view
    /// is written.
    pub config_path: PathBuf,
    /// Whether to use colours at all (`--no-color` and `NO_COLOR` say no).
    pub colour: bool,
    /// `feeds.toml`, the subscriptions `R` fetches.
    pub subscriptions: PathBuf,
    /// Where fetched items go.
    pub news_dir: PathBuf,
    /// The news folder belongs to the default library (feeds are
    /// subscribed and no library was named): it is listed even when it
    /// does not exist yet, so the first fetch's items show up.
    pub news_in_default: bool,
}

/// Open the reader over the library `options` name: check the terminal,
/// load, run, and restore the terminal on every way out.
pub fn launch(options: Options) -> anyhow::Result<ExitCode> {
    let depth = match check_terminal() {
        Ok(depth) => depth,
        Err(code) => return Ok(code),
    };
    let mut options = options;
    let library_root = news_root(&mut options);
    let (mut library, request) = start_library(&options)?;
    // Written by the loop once the full list is on screen.
    library.defer_cache_write();
    let mut settings = Settings::from_config(&options.config, options.colour);
    settings.hyperlinks = hyperlinks_wanted(&options.config);
    settings.config_path = Some(options.config_path.clone());
    // Feeds to list and filter by only where the library reads the news
    // folder (a library given with `-l` elsewhere has none).
    if library_root.is_some() {
        settings.news_dir = Some(options.news_dir.clone());
        settings.feed_folders = subscribed_folders(&options);
    }
    let mut app =
        App::new(library, settings).with_refresh_minutes(options.config.refresh_minutes());
    app.apply(Event::Clock(crate::article::date::now()));
    let mut persist = open_store(&options.data_dir, &mut app);
    persist.restore_session(&mut app);
    let (tx, rx) = std::sync::mpsc::channel();
    spawn_sources(&tx)?;
    let finder = spawn_finder(&options.cache_dir, &mut app, &tx);
    let fetcher = fetching::Fetcher {
        setup: fetching::FeedsSetup {
            subscriptions: options.subscriptions.clone(),
            data_dir: options.data_dir.clone(),
            news_dir: options.news_dir.clone(),
            library_root,
            load: options.load.clone(),
        },
        tx: tx.clone(),
    };
    if let Some(request) = request {
        spawn_loader(request, tx.clone())?;
    }
    let jobs = full_article::FullTextJobs::new(options.news_dir.clone(), tx);
    let mut term = terminal::init(depth, options.config.mouse())?;
    let exit = run(
        &mut app,
        &mut term,
        &rx,
        &mut persist,
        finder.as_ref(),
        &fetcher,
        &jobs,
    );
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
    Ok(exit_code(exit))
}

/// The library input the news folder is in, if the reader lists it. A
/// news folder of the default library that does not exist yet is made
/// and listed, so the items of the first `R` join the list.
fn news_root(options: &mut Options) -> Option<PathBuf> {
    let inputs = &options.library_inputs;
    let found = fetching::FeedsSetup::root_in(inputs, &options.news_dir);
    if found.is_some() || !options.news_in_default {
        return found;
    }
    std::fs::create_dir_all(&options.news_dir).ok()?;
    options.library_inputs.push(options.news_dir.clone());
    Some(options.news_dir.clone())
}

/// The colours the terminal can show, or, when it cannot run the reader
/// at all, the exit code after saying why (2 when it is no terminal).
fn check_terminal() -> Result<ColourDepth, ExitCode> {
    if let Err(e) = terminal::check() {
        eprintln!("tidings: {e}");
        return Err(ExitCode::from(2));
    }
    let term_name = std::env::var_os("TERM");
    if let Err(e) = terminal::check_capable(term_name.as_deref()) {
        eprintln!("tidings: {e}");
        return Err(ExitCode::from(1));
    }
    Ok(ColourDepth::detect(
        term_name.as_deref(),
        std::env::var_os("COLORTERM").as_deref(),
    ))
}

/// Whether this terminal gets OSC 8 hyperlinks, as the config says for
/// its `TERM` (and whether it runs inside tmux).
fn hyperlinks_wanted(config: &crate::config::Config) -> bool {
    let term = std::env::var("TERM").ok();
    let tmux = std::env::var_os("TMUX").is_some_and(|v| !v.is_empty());
    config.hyperlinks().enabled(term.as_deref(), tmux)
}

fn exit_code(exit: Exit) -> ExitCode {
    match exit {
        Exit::Quit => ExitCode::SUCCESS,
        Exit::Signal(signal) => ExitCode::from(128 + signal as u8),
        Exit::TerminalGone(why) => {
            eprintln!("tidings: {why}");
            ExitCode::from(1)
        }
    }
}

/// The search worker for `app`'s library, its events wrapped for the
/// loop. Without one (no threads to spare, say), search stays on
/// headlines, and the status bar says why.
fn spawn_finder(cache_dir: &Path, app: &mut App, tx: &Sender<Msg>) -> Option<Finder> {
    let tx = tx.clone();
    let to_loop = move |event| tx.send(Msg::Search(event)).is_ok();
    match Finder::spawn(cache_dir, app.library(), to_loop) {
        Ok(finder) => Some(finder),
        Err(e) => {
            // Said as the engine's failure, so the app knows there is no
            // engine to ask ("more like this" too).
            let report = crate::search::worker::Report::Failed(e.to_string());
            app.apply(Event::Indexing(report));
            None
        }
    }
}

/// The library to start from, and the load to run in the background: the
/// first frame never waits for the disk. A missing library path is still an
/// error before the terminal is touched.
fn start_library(options: &Options) -> anyhow::Result<(Library, Option<LoadRequest>)> {
    if options.library_inputs.is_empty() {
        return Ok((Library::bundled(), None));
    }
    for input in &options.library_inputs {
        std::fs::metadata(input).map_err(|e| LibraryError::Missing(input.clone(), e))?;
    }
    let request = LoadRequest {
        inputs: options.library_inputs.clone(),
        options: options.load.clone(),
        cache_dir: Some(options.cache_dir.clone()),
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

/// Bookmarks and reading state for the app, from `data_dir`; problems with
/// the files are printed (they stay on the terminal after the app) and
/// shown in the status bar.
fn open_store(data_dir: &Path, app: &mut App) -> Persist {
    let (mut persist, warnings) = Persist::open(data_dir);
    persist.seed(app);
    for w in &warnings {
        eprintln!(
            "tidings: warning: {}",
            crate::article::sanitize::sanitize_line(w)
        );
    }
    if !warnings.is_empty() {
        // The full paths went to stderr; the status bar has room for names.
        let dir = format!("{}/", data_dir.display());
        app.apply(Event::Warning(warnings.join("; ").replace(&dir, "")));
    }
    persist
}

/// The folders the subscribed feeds write to (none when `feeds.toml` is
/// missing or broken: fetching says why).
fn subscribed_folders(options: &Options) -> Vec<PathBuf> {
    let subs = crate::feeds::subscriptions::Subscriptions::load(&options.subscriptions);
    subs.map(|subs| {
        subs.feeds
            .iter()
            .map(|sub| crate::feeds::subscriptions::feed_dir(&options.news_dir, sub))
            .collect()
    })
    .unwrap_or_default()
}
