//! Fetching feeds into the news folder: one feed ([`fetch_feed`]) or many
//! at once ([`fetch_all`]).
//!
//! The order of work makes a kill at any moment harmless: an item's file
//! is written (atomically) before the item is recorded in the state, and
//! the state is saved after each feed; a rerun finds a file with the
//! expected name holding the same item and adopts it instead of writing a
//! second copy. Only one fetch runs at a time (a lock file beside the
//! state), so two runs never race on a folder or on the state.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use super::fulltext::{self, Pages, Refresh};
use super::http::{Client, HttpError, Response, Validators};
use super::parse::{self, Item};
use super::state::{FeedState, StateFile};
use super::write::{self, Source, Written};
use crate::store::atomic::{DirLock, LockError};

/// One subscription, as fetching needs it.
#[derive(Debug, Clone)]
pub struct FeedSpec {
    /// The feed's name, written into each item's front matter.
    pub name: String,
    pub url: String,
    /// The feed's folder, relative to the news folder
    /// (`<category>/<feed>`); it may not leave it.
    pub folder: PathBuf,
    /// Fetch each new item's page and keep its article instead of the
    /// feed's summary ([`fulltext`]).
    pub full_text: bool,
}

impl FeedSpec {
    /// How `sub` is fetched into the news folder `news`.
    pub fn of(news: &Path, sub: &super::subscriptions::Subscription) -> Self {
        let dir = super::subscriptions::feed_dir(news, sub);
        Self {
            name: sub.name.clone(),
            url: sub.url.clone(),
            folder: dir.strip_prefix(news).unwrap_or(&dir).to_path_buf(),
            full_text: sub.full_text,
        }
    }
}

/// What one feed's fetch did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FeedReport {
    pub name: String,
    pub url: String,
    /// Items written for the first time.
    pub new: usize,
    /// Items whose content changed, rewritten in their own file.
    pub updated: usize,
    /// Items already known (or deleted by the user) left alone.
    pub unchanged: usize,
    /// The server said 304: nothing fetched.
    pub not_modified: bool,
    /// A permanent redirect: the subscription should move here.
    pub moved_to: Option<String>,
    /// Not fetched: `next_fetch` is still ahead (a failing feed's backoff).
    pub skipped: bool,
    /// Why the feed failed, on one line.
    pub error: Option<String>,
    /// Items whose page gave no article when full text was wanted: they
    /// keep the feed's summary.
    pub full_text_failed: usize,
    /// The files written (new and updated items), for a reader that lists
    /// them as they arrive; not part of `--json`.
    #[serde(skip)]
    pub written: Vec<PathBuf>,
}

/// Fetch one feed into `news_dir/spec.folder`, updating `state`; `now` is
/// seconds since the epoch. Failures are in the report, and in `state`'s
/// backoff. It neither takes the fetch lock nor saves the state: that is
/// [`fetch_all`]'s job, which callers should use unless they hold the lock
/// themselves.
pub fn fetch_feed(
    client: &Client,
    news_dir: &Path,
    spec: &FeedSpec,
    state: &mut FeedState,
    now: i64,
) -> FeedReport {
    let mut report = FeedReport {
        name: spec.name.clone(),
        url: spec.url.clone(),
        ..FeedReport::default()
    };
    match run(client, news_dir, spec, state, now, &mut report) {
        Ok(result) => state.succeeded(now, &result),
        Err(failure) => {
            let why = failure.to_string();
            state.failed(now, &why, failure.retry_at());
            report.error = Some(why);
        }
    }
    report
}

/// Why a feed failed.
#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error("{0}")]
    Http(#[from] HttpError),
    #[error("{0}")]
    Parse(#[from] parse::ParseError),
    #[error("{0}")]
    Write(#[from] write::WriteError),
}

impl Failure {
    fn retry_at(&self) -> Option<i64> {
        match self {
            Failure::Http(HttpError::RetryAfter { at, .. }) => *at,
            _ => None,
        }
    }
}

/// The fetch proper; returns the short result recorded in the state.
fn run(
    client: &Client,
    news_dir: &Path,
    spec: &FeedSpec,
    state: &mut FeedState,
    now: i64,
    report: &mut FeedReport,
) -> Result<String, Failure> {
    let dir = write::feed_dir(news_dir, &spec.folder)?;
    write::remove_stale_temps(&dir);
    let validators = Validators {
        etag: state.etag.clone(),
        last_modified: state.last_modified.clone(),
    };
    let (bytes, base, fresh) = match client.get(&spec.url, &validators, now)? {
        Response::NotModified { moved_to } => {
            report.not_modified = true;
            report.moved_to = moved_to;
            return Ok("not modified".into());
        }
        Response::Body {
            bytes,
            url,
            validators,
            moved_to,
        } => {
            report.moved_to = moved_to;
            (bytes, url, validators)
        }
    };
    let feed = parse::parse(&bytes, &base)?;
    let source = Source {
        feed: &spec.name,
        feed_url: &spec.url,
    };
    let mut pages = spec.full_text.then(|| Pages::new(client, now));
    for item in unique(feed.items) {
        let written = write_item(&dir, &item, &source, state, now, pages.as_mut());
        report.full_text_failed = pages.as_ref().map_or(0, |p| p.failed);
        match written? {
            Some(Written::New(name)) => {
                report.new += 1;
                report.written.push(dir.join(name));
            }
            Some(Written::Updated(name)) => {
                report.updated += 1;
                report.written.push(dir.join(name));
            }
            Some(Written::Unchanged(_)) | None => report.unchanged += 1,
        }
    }
    state.etag = fresh.etag;
    state.last_modified = fresh.last_modified;
    Ok(format!("{} new", report.new))
}

/// Items with their keys, the first of each key only (a feed that repeats
/// a guid gets one file).
fn unique(items: Vec<Item>) -> Vec<(String, Item)> {
    let mut seen = std::collections::HashSet::new();
    items
        .into_iter()
        .map(|item| (item_key(&item), item))
        .filter(|(key, _)| seen.insert(key.clone()))
        .collect()
}

/// An item's identity: its guid, else its link, else a hash of its title
/// and date (xxh3: stable across machines and releases).
pub fn item_key(item: &Item) -> String {
    if let Some(guid) = &item.guid {
        return guid.clone();
    }
    if let Some(url) = &item.url {
        return url.clone();
    }
    let text = format!("{}\u{0}{}", item.title, item.published.unwrap_or_default());
    format!("hash:{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()))
}

/// Write one item, unless it was seen and its file deleted or unchanged.
/// The file is written before the key is recorded. With `pages`, a new
/// item's file holds its page's article when there is one; a file that
/// holds full text keeps it ([`fulltext::refreshed`]).
fn write_item(
    dir: &Path,
    (key, item): &(String, Item),
    source: &Source,
    state: &mut FeedState,
    now: i64,
    mut pages: Option<&mut Pages>,
) -> Result<Option<Written>, write::WriteError> {
    let text = write::render(item, source, now);
    if let Some(name) = state.seen.get(key) {
        let path = dir.join(name);
        let is_file = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
        if !is_file {
            return Ok(None); // deleted by the user: not fetched again
        }
        if write::unchanged(&path, &text) {
            return Ok(Some(Written::Unchanged(name.clone())));
        }
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        let text = match fulltext::refreshed(&old, &text, item, pages) {
            Some(Refresh::Unchanged) => return Ok(Some(Written::Unchanged(name.clone()))),
            Some(Refresh::Rewrite(full)) => full,
            None => text,
        };
        write::write_file(dir, name, &text)?;
        return Ok(Some(Written::Updated(name.clone())));
    }
    let (name, adopted) = write::place(dir, &write::file_name(item, now), &text)?;
    if !adopted {
        let article = pages.as_mut().and_then(|p| p.article(item));
        let full =
            article.and_then(|a| fulltext::with_article(&text, &a, &fulltext::summary_hash(&text)));
        write::write_file(dir, &name, full.as_deref().unwrap_or(&text))?;
    }
    state.items += 1;
    state.seen.insert(key.clone(), name.clone());
    Ok(Some(if adopted {
        Written::Unchanged(name)
    } else {
        Written::New(name)
    }))
}

/// How [`fetch_all`] runs.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// The data dir: the state and the lock are under `feeds/` in it.
    pub data_dir: PathBuf,
    /// Where feed folders are made.
    pub news_dir: PathBuf,
    /// Fetch even the feeds whose backoff is not over.
    pub force: bool,
    /// Full text for every feed, not only those that ask for it.
    pub full_text: bool,
    /// Feeds fetched at once, over all hosts.
    pub threads: usize,
    /// Feeds of one host fetched at once.
    pub per_host: usize,
    /// How long to wait for another fetch to finish.
    pub lock_wait: Duration,
    /// Seconds since the epoch.
    pub now: i64,
}

impl FetchOptions {
    pub fn new(data_dir: PathBuf, news_dir: PathBuf, now: i64) -> Self {
        Self {
            data_dir,
            news_dir,
            force: false,
            full_text: false,
            threads: 8,
            per_host: 2,
            lock_wait: Duration::from_secs(600),
            now,
        }
    }
}

/// Why [`fetch_all`] could not start.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("another fetch is running")]
    Busy,
    #[error("{0}")]
    Lock(LockError),
    #[error("feed state {}: {}", .0.display(), .1)]
    State(PathBuf, std::io::Error),
}

/// Fetch every feed in `specs`, with at most `threads` at once and at
/// most `per_host` per host, skipping feeds still in their backoff unless
/// `force`. Holds the fetch lock throughout and reads the state under it
/// (so a second run sees what the first wrote); saves the state after
/// each feed. `on_report` is called as each feed finishes (progress).
/// Reports come back in the order of `specs`.
pub fn fetch_all(
    client: &Client,
    specs: &[FeedSpec],
    options: &FetchOptions,
    on_report: &(dyn Fn(&FeedReport) + Sync),
) -> Result<Vec<FeedReport>, FetchError> {
    let feeds_dir = options.data_dir.join("feeds");
    std::fs::create_dir_all(&feeds_dir).map_err(|e| FetchError::State(feeds_dir.clone(), e))?;
    let _lock = match DirLock::acquire(&feeds_dir.join("fetch.lock"), options.lock_wait) {
        Ok(lock) => lock,
        Err(LockError::Busy(_)) => return Err(FetchError::Busy),
        Err(e) => return Err(FetchError::Lock(e)),
    };
    let path = StateFile::path_in(&options.data_dir);
    let (state, _damaged) = StateFile::load(&path).map_err(|e| FetchError::State(path, e))?;
    let shared = Shared {
        state: Mutex::new(state),
        queue: Mutex::new(Queue {
            pending: (0..specs.len()).collect(),
            running: HashMap::new(),
        }),
        freed: Condvar::new(),
        reports: Mutex::new(vec![None; specs.len()]),
    };
    let workers = options.threads.clamp(1, specs.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| shared.work(client, specs, options, on_report));
        }
    });
    let reports = shared
        .reports
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    Ok(reports.into_iter().flatten().collect())
}

/// What the workers of [`fetch_all`] share.
struct Shared {
    state: Mutex<StateFile>,
    queue: Mutex<Queue>,
    /// Signalled when a fetch ends, so a worker waiting for a busy host
    /// looks again.
    freed: Condvar,
    reports: Mutex<Vec<Option<FeedReport>>>,
}

/// The feeds not started yet, and how many run per host.
struct Queue {
    pending: Vec<usize>,
    running: HashMap<String, usize>,
}

impl Shared {
    fn work(
        &self,
        client: &Client,
        specs: &[FeedSpec],
        options: &FetchOptions,
        on_report: &(dyn Fn(&FeedReport) + Sync),
    ) {
        let limit = options.per_host.max(1);
        while let Some((i, host)) = self.take(specs, limit) {
            let report = self.one(client, &specs[i], options);
            self.leave(&host);
            on_report(&report);
            lock(&self.reports)[i] = Some(report);
        }
    }

    /// The first pending feed whose host has fewer than `limit` fetches
    /// running (counted as running from now); waits while every pending
    /// feed's host is busy; `None` when nothing is left.
    fn take(&self, specs: &[FeedSpec], limit: usize) -> Option<(usize, String)> {
        let mut queue = lock(&self.queue);
        loop {
            if queue.pending.is_empty() {
                return None;
            }
            let free = queue.pending.iter().position(|&i| {
                queue
                    .running
                    .get(&host_of(&specs[i].url))
                    .copied()
                    .unwrap_or(0)
                    < limit
            });
            if let Some(at) = free {
                let i = queue.pending.remove(at);
                let host = host_of(&specs[i].url);
                *queue.running.entry(host.clone()).or_default() += 1;
                return Some((i, host));
            }
            queue = self.freed.wait(queue).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn leave(&self, host: &str) {
        if let Some(n) = lock(&self.queue).running.get_mut(host) {
            *n = n.saturating_sub(1);
        }
        self.freed.notify_all();
    }

    /// Fetch one feed unless its backoff is not over, then record its
    /// state and save it.
    fn one(&self, client: &Client, spec: &FeedSpec, options: &FetchOptions) -> FeedReport {
        let mut feed_state = lock(&self.state)
            .feeds
            .get(&spec.url)
            .cloned()
            .unwrap_or_default();
        if !options.force && !feed_state.due(options.now) {
            return FeedReport {
                name: spec.name.clone(),
                url: spec.url.clone(),
                skipped: true,
                ..FeedReport::default()
            };
        }
        let spec = FeedSpec {
            full_text: spec.full_text || options.full_text,
            ..spec.clone()
        };
        let mut report = fetch_feed(
            client,
            &options.news_dir,
            &spec,
            &mut feed_state,
            options.now,
        );
        let mut state = lock(&self.state);
        state.feeds.insert(spec.url.clone(), feed_state);
        if let Err(e) = state.save() {
            report
                .error
                .get_or_insert(format!("saving the feed state: {e}"));
        }
        report
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The host (and port) of a URL, the unit of politeness.
fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .map(|u| {
            format!(
                "{}:{}",
                u.host_str().unwrap_or(""),
                u.port_or_known_default().unwrap_or(0)
            )
        })
        .unwrap_or_default()
}
