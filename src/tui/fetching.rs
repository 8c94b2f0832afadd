//! Fetching feeds for the reader, on a thread of its own: what the app
//! asks for with `R` (or its refresh clock) runs here with
//! [`fetch::fetch_all`], as `tidings fetch` does, and its news goes into
//! the loop's channel: progress and the summary as [`FetchEvent`]s, and
//! each file written, read here into its metadata, as a
//! [`LoadEvent::Loaded`], so the list and the search index take new items
//! in as they take in any file.

use super::Msg;
use crate::app::fetching::{FeedFailure, FetchEvent, FetchSummary};
use crate::feeds::fetch::{self, FeedReport, FeedSpec, FetchError, FetchOptions};
use crate::feeds::http::{Client, HttpOptions};
use crate::feeds::moves;
use crate::feeds::subscriptions::Subscriptions;
use crate::library::{Candidate, LoadEvent, LoadOptions, load_meta};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::Duration;

/// How long to wait for another process's fetch before saying so: the
/// fetch runs on its own thread, but a user who pressed a key wants to
/// hear back soon.
const LOCK_WAIT: Duration = Duration::from_secs(2);

/// Where a fetch from the reader reads and writes.
#[derive(Debug, Clone)]
pub struct FeedsSetup {
    /// `feeds.toml`.
    pub subscriptions: PathBuf,
    /// The fetch state and lock live in this data dir.
    pub data_dir: PathBuf,
    /// Where the items go.
    pub news_dir: PathBuf,
    /// The library input the news folder is in, when the reader lists it:
    /// items are then read and listed as they are written.
    pub library_root: Option<PathBuf>,
    /// How the library reads its files.
    pub load: LoadOptions,
}

impl FeedsSetup {
    /// The library input among `inputs` that holds `news_dir` (the
    /// deepest, as the walk would find its files under it).
    pub fn root_in(inputs: &[PathBuf], news_dir: &Path) -> Option<PathBuf> {
        inputs
            .iter()
            .filter(|input| news_dir.starts_with(input))
            .max_by_key(|input| input.components().count())
            .cloned()
    }
}

/// Starts fetches, sending their news to the loop.
#[derive(Debug, Clone)]
pub struct Fetcher {
    pub setup: FeedsSetup,
    pub tx: Sender<Msg>,
}

impl Fetcher {
    /// Fetch every subscribed feed on a new thread. A thread that cannot
    /// start is reported like a fetch that cannot.
    pub fn start(&self) {
        let (setup, tx) = (self.setup.clone(), self.tx.clone());
        let spawned = std::thread::Builder::new()
            .name("fetch".into())
            .spawn(move || run(&setup, &tx));
        if let Err(e) = spawned {
            let why = format!("Could not start fetching: {e}");
            let _ = self.tx.send(Msg::Fetch(FetchEvent::NotStarted(why)));
        }
    }
}

/// One fetch, from reading `feeds.toml` to the summary.
fn run(setup: &FeedsSetup, tx: &Sender<Msg>) {
    let send = |event| {
        let _ = tx.send(Msg::Fetch(event));
    };
    let subs = match Subscriptions::load(&setup.subscriptions) {
        Ok(subs) => subs,
        Err(e) => return send(FetchEvent::NotStarted(e.to_string())),
    };
    if subs.feeds.is_empty() {
        return send(FetchEvent::NotStarted(
            "No feeds to fetch: subscribe with `tidings feeds add URL`".into(),
        ));
    }
    let specs: Vec<FeedSpec> = subs
        .feeds
        .iter()
        .map(|sub| FeedSpec::of(&setup.news_dir, sub))
        .collect();
    send(FetchEvent::Started { feeds: specs.len() });
    let mut options = FetchOptions::new(
        setup.data_dir.clone(),
        setup.news_dir.clone(),
        crate::article::date::now(),
    );
    options.lock_wait = LOCK_WAIT;
    let client = Client::new(HttpOptions::default());
    let on_report = |report: &FeedReport| {
        if let Some(root) = &setup.library_root {
            list_written(report, root, &setup.load, tx);
        }
        send(FetchEvent::FeedDone);
    };
    match fetch::fetch_all(&client, &specs, &options, &on_report) {
        Ok(reports) => {
            let mut summary = summary(&reports, setup);
            match moves::follow_moves(&setup.subscriptions, &reports) {
                Ok(moved) => summary.moved = moved,
                Err(e) => summary.failed.push(FeedFailure {
                    name: "feeds.toml".into(),
                    why: format!("could not follow a feed that moved: {e}"),
                }),
            }
            send(FetchEvent::Finished(summary))
        }
        Err(FetchError::Busy) => send(FetchEvent::NotStarted(
            "Another fetch is running (tidings fetch): try again when it ends".into(),
        )),
        Err(e) => send(FetchEvent::NotStarted(format!("Could not fetch: {e}"))),
    }
}

/// Read the files one feed wrote, as the loader reads a file, and send
/// them to the library (or why one could not be read).
fn list_written(report: &FeedReport, root: &Path, load: &LoadOptions, tx: &Sender<Msg>) {
    if report.written.is_empty() {
        return;
    }
    let root: Arc<Path> = Arc::from(root);
    let mut loaded = Vec::new();
    let mut skipped = Vec::new();
    for path in &report.written {
        let candidate = Candidate {
            path: path.clone(),
            root: Arc::clone(&root),
        };
        match load_meta(&candidate, load) {
            Ok(meta) => loaded.push(Arc::new(meta)),
            Err(skip) => skipped.push(skip),
        }
    }
    if !loaded.is_empty() {
        let _ = tx.send(Msg::Load(LoadEvent::Loaded(loaded)));
    }
    if !skipped.is_empty() {
        let _ = tx.send(Msg::Load(LoadEvent::Skipped(skipped)));
    }
}

fn summary(reports: &[FeedReport], setup: &FeedsSetup) -> FetchSummary {
    FetchSummary {
        new: reports.iter().map(|r| r.new).sum(),
        updated: reports.iter().map(|r| r.updated).sum(),
        failed: reports
            .iter()
            .filter_map(|r| {
                Some(FeedFailure {
                    name: r.name.clone(),
                    why: r.error.clone()?,
                })
            })
            .collect(),
        elsewhere: setup
            .library_root
            .is_none()
            .then(|| crate::library::display_path(&setup.news_dir)),
        waiting: reports
            .iter()
            .filter(|r| r.skipped)
            .map(|r| r.name.clone())
            .collect(),
        moved: Vec::new(),
    }
}
