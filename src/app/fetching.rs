//! Fetching feeds from the reader: `R`, and every `refresh_minutes`.
//!
//! The app only keeps the wish and the news: a key (or the clock, when a
//! refresh is due) records that a fetch is wanted, the runtime takes it
//! ([`App::take_fetch_request`]) and runs the fetch on a thread of its own,
//! and what the fetch does comes back as [`FetchEvent`]s: how many feeds
//! are done (the status bar's `Fetching 3 / 12 feeds`), then a summary.
//! New items reach the list as ordinary load events, so the list and the
//! search index take them in as they take in any file.

use super::App;
use crate::text::thousands;

/// What a fetch started from the reader did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchEvent {
    /// The fetch began, over this many feeds.
    Started { feeds: usize },
    /// One more feed is done.
    FeedDone,
    /// Every feed is done.
    Finished(FetchSummary),
    /// The fetch could not start (no feeds, another fetch running, an
    /// unreadable `feeds.toml`): why, on one line.
    NotStarted(String),
}

/// The outcome of a whole fetch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchSummary {
    /// Items written for the first time, over every feed.
    pub new: usize,
    /// Items rewritten because their content changed.
    pub updated: usize,
    /// The feeds that failed: (name, why).
    pub failed: Vec<FeedFailure>,
    /// Where the items went, when that folder is not part of the library
    /// the reader shows (they are not listed until it is).
    pub elsewhere: Option<String>,
    /// Feeds not fetched because they are still waiting after earlier
    /// failures (`tidings fetch --force` tries them at once).
    pub waiting: Vec<String>,
    /// Subscriptions that moved for good and now follow: `name moved to
    /// URL`.
    pub moved: Vec<String>,
}

/// What a feed still waiting after failures shows in the details.
pub const WAITING: &str = "waiting after earlier failures (tidings fetch --force tries it now)";

/// A feed that failed, and why (both as the server and feed gave them:
/// sanitised when shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedFailure {
    pub name: String,
    pub why: String,
}

/// The app's side of fetching.
#[derive(Debug, Clone, Default)]
pub(super) struct Fetching {
    /// Fetch every this many seconds while the reader is open.
    refresh_every: Option<i64>,
    /// When the next periodic fetch is due (seconds since the epoch).
    next_refresh: Option<i64>,
    /// A fetch was asked for and the runtime has not taken the request.
    wanted: bool,
    /// A fetch is running (or asked for): feeds done, out of how many
    /// (unknown until it starts).
    running: Option<(usize, Option<usize>)>,
    /// The last fetch's failed feeds, for the skipped-files overlay.
    failures: Vec<FeedFailure>,
}

impl App {
    /// Fetch every feed every `minutes` while the reader is open (0: never).
    pub fn with_refresh_minutes(mut self, minutes: u32) -> Self {
        self.fetching.refresh_every = (minutes > 0).then(|| i64::from(minutes) * 60);
        self
    }

    /// Whether the user (or the clock) asked for a fetch since the last
    /// call; the runtime starts one, and reports with [`FetchEvent`]s.
    pub fn take_fetch_request(&mut self) -> bool {
        std::mem::take(&mut self.fetching.wanted)
    }

    /// Whether a fetch is running.
    pub fn is_fetching(&self) -> bool {
        self.fetching.running.is_some()
    }

    /// The feeds the last fetch could not fetch, and why.
    pub fn feed_failures(&self) -> &[FeedFailure] {
        &self.fetching.failures
    }

    /// `Fetching 3 / 12 feeds` while a fetch runs.
    pub(super) fn fetch_activity(&self) -> Option<String> {
        Some(match self.fetching.running? {
            (done, Some(total)) => {
                format!("Fetching {} / {} feeds", thousands(done), thousands(total))
            }
            (_, None) => "Fetching feeds".to_string(),
        })
    }

    /// The fetch key: start one, unless one is running.
    pub(super) fn ask_for_fetch(&mut self) {
        if self.is_fetching() {
            return self.message("Already fetching feeds", false);
        }
        self.start_fetch();
    }

    fn start_fetch(&mut self) {
        self.fetching.wanted = true;
        self.fetching.running = Some((0, None));
        if let (Some(every), Some(now)) = (self.fetching.refresh_every, self.now) {
            self.fetching.next_refresh = Some(now + every);
        }
    }

    /// The time now: a periodic fetch starts when one is due and none is
    /// running (the first is due a whole period after launch).
    pub(super) fn refresh_if_due(&mut self, now: i64) {
        let Some(every) = self.fetching.refresh_every else {
            return;
        };
        let next = *self.fetching.next_refresh.get_or_insert(now + every);
        if now >= next && !self.is_fetching() {
            self.start_fetch();
        }
    }

    pub(super) fn apply_fetch(&mut self, event: FetchEvent) {
        match event {
            FetchEvent::Started { feeds } => self.fetching.running = Some((0, Some(feeds))),
            FetchEvent::FeedDone => {
                if let Some((done, _)) = self.fetching.running.as_mut() {
                    *done += 1;
                }
            }
            FetchEvent::Finished(summary) => self.finish_fetch(summary),
            FetchEvent::NotStarted(why) => {
                self.fetching.running = None;
                self.message(&why, true);
            }
        }
    }

    fn finish_fetch(&mut self, summary: FetchSummary) {
        self.fetching.running = None;
        let error = !summary.failed.is_empty();
        let text = summary_text(&summary, &self.skipped_key());
        let mut failures = summary.failed;
        failures.extend(summary.waiting.into_iter().map(|name| FeedFailure {
            name,
            why: WAITING.to_string(),
        }));
        self.fetching.failures = failures;
        if error {
            self.warn(&text);
        } else {
            self.message(&text, false);
        }
    }
}

/// `34 new`, `Nothing new`, `2 feeds failed: name: why` (and the key to
/// the details), or where the items went when they are not listed.
fn summary_text(s: &FetchSummary, details_key: &str) -> String {
    let mut parts = Vec::new();
    match (&s.elsewhere, s.new) {
        (Some(dir), new) if new > 0 => parts.push(format!(
            "Fetched {} new item{} into {dir}",
            thousands(new),
            if new == 1 { "" } else { "s" }
        )),
        (_, 0) if s.updated == 0 => parts.push("Nothing new".to_string()),
        (_, new) => parts.push(format!("{} new", thousands(new))),
    }
    if s.updated > 0 {
        parts.push(format!("{} updated", thousands(s.updated)));
    }
    let mut text = parts.join(", ");
    match s.failed.as_slice() {
        [] => {}
        [one] => text.push_str(&format!("; 1 feed failed: {}: {}", one.name, one.why)),
        many => text.push_str(&format!(
            "; {} feeds failed ({details_key} for details): {}: {}",
            many.len(),
            many[0].name,
            many[0].why
        )),
    }
    match s.waiting.as_slice() {
        [] => {}
        [one] => text.push_str(&format!("; 1 feed waiting after failures: {one}")),
        many => text.push_str(&format!(
            "; {} feeds waiting after failures ({details_key} for details)",
            many.len()
        )),
    }
    for moved in &s.moved {
        text.push_str(&format!("; {moved}"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(name: &str, why: &str) -> FeedFailure {
        FeedFailure {
            name: name.into(),
            why: why.into(),
        }
    }

    #[test]
    fn the_summary_says_what_came_in_and_what_failed() {
        let text = |s: &FetchSummary| summary_text(s, "!");
        assert_eq!(text(&FetchSummary::default()), "Nothing new");
        let mut s = FetchSummary {
            new: 34,
            ..FetchSummary::default()
        };
        assert_eq!(text(&s), "34 new");
        s.updated = 2;
        assert_eq!(text(&s), "34 new, 2 updated");
        s.failed = vec![failure("Wire", "HTTP 500")];
        assert_eq!(text(&s), "34 new, 2 updated; 1 feed failed: Wire: HTTP 500");
        s.failed.push(failure("Post", "timed out"));
        assert_eq!(
            text(&s),
            "34 new, 2 updated; 2 feeds failed (! for details): Wire: HTTP 500"
        );
        let away = FetchSummary {
            new: 1,
            elsewhere: Some("/data/news".into()),
            ..FetchSummary::default()
        };
        assert_eq!(text(&away), "Fetched 1 new item into /data/news");
    }

    #[test]
    fn feeds_still_waiting_after_failures_and_moved_feeds_are_named() {
        let text = |s: &FetchSummary| summary_text(s, "!");
        let mut s = FetchSummary {
            waiting: vec!["broken".into()],
            ..FetchSummary::default()
        };
        assert_eq!(
            text(&s),
            "Nothing new; 1 feed waiting after failures: broken"
        );
        s.waiting.push("flaky".into());
        s.moved = vec!["wire moved to https://example.org/wire.xml".into()];
        assert_eq!(
            text(&s),
            "Nothing new; 2 feeds waiting after failures (! for details); wire moved to https://example.org/wire.xml"
        );
    }
}
