//! `tidings fetch`: every subscribed feed (or the named ones) into the news
//! folder, as Markdown files the library reads like any other.
//!
//! On a terminal a progress bar runs on stderr; piped, each feed gets one
//! line on stdout as it finishes; `--json` prints the reports instead. The
//! summary ends it (`12 feeds, 34 new items, 1 failed: name: why`), and the
//! exit code is 1 when a feed failed. A feed that moved for good (a 301 or
//! 308) is followed in `feeds.toml` from then on, and the summary says so.

use super::Context;
use crate::article::sanitize::sanitize_line;
use crate::feeds::fetch::{self, FeedReport, FeedSpec, FetchOptions};
use crate::feeds::http::{Client, HttpOptions};
use crate::feeds::moves;
use crate::feeds::subscriptions::{self, Subscription, Subscriptions};
use std::io::{IsTerminal, Write};
use std::sync::Mutex;

pub fn run(
    ctx: &Context,
    names: &[String],
    json: bool,
    (force, full_text): (bool, bool),
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let path = subscriptions::path_beside(&ctx.config_path);
    let subs = Subscriptions::load(&path)?;
    let chosen = choose(&subs, names)?;
    if chosen.is_empty() {
        anyhow::bail!("no feeds to fetch: subscribe with `tidings feeds add URL`");
    }
    let news = subscriptions::news_dir(&ctx.config, &ctx.data_dir);
    let specs: Vec<FeedSpec> = chosen.iter().map(|s| spec(&news, s)).collect();
    let mut options = FetchOptions::new(ctx.data_dir.clone(), news, crate::article::date::now());
    options.force = force;
    options.full_text = full_text;
    let client = Client::new(HttpOptions::default());
    let reports = with_progress(specs.len(), json, out, |on_report| {
        fetch::fetch_all(&client, &specs, &options, on_report)
    })?;
    let moved = moves::follow_moves(&path, &reports)?;
    if json {
        serde_json::to_writer_pretty(&mut *out, &reports).map_err(std::io::Error::from)?;
        writeln!(out)?;
    }
    let summary = summary(&reports, &moved);
    let failed = reports.iter().filter(|r| r.error.is_some()).count();
    if failed > 0 {
        anyhow::bail!("{summary}");
    }
    if json {
        eprintln!("{summary}");
    } else {
        writeln!(out, "{summary}")?;
    }
    Ok(())
}

/// The feeds named (by name or URL), in `feeds.toml` order; all of them
/// when none is named.
fn choose<'a>(subs: &'a Subscriptions, names: &[String]) -> anyhow::Result<Vec<&'a Subscription>> {
    if names.is_empty() {
        return Ok(subs.feeds.iter().collect());
    }
    for name in names {
        if !subs.feeds.iter().any(|s| &s.name == name || &s.url == name) {
            anyhow::bail!("no feed named {} or at that address", sanitize_line(name));
        }
    }
    Ok(subs
        .feeds
        .iter()
        .filter(|s| names.iter().any(|n| &s.name == n || &s.url == n))
        .collect())
}

fn spec(news: &std::path::Path, sub: &Subscription) -> FeedSpec {
    FeedSpec::of(news, sub)
}

/// Run `work` with a progress bar on a terminal's stderr, or one line per
/// finished feed on `out` when piped (none with `--json`). The fetch runs
/// on its own thread and sends each report here, so lines reach `out` (a
/// locked stdout, which no other thread may take) as feeds finish.
fn with_progress<T: Send>(
    total: usize,
    json: bool,
    out: &mut impl Write,
    work: impl FnOnce(&(dyn Fn(&FeedReport) + Sync)) -> Result<T, fetch::FetchError> + Send,
) -> anyhow::Result<T> {
    let bar = (!json && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(total as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "Fetching {pos} / {len} feeds {wide_bar} {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let (send, receive) = std::sync::mpsc::channel::<FeedReport>();
    let result = std::thread::scope(|scope| {
        let fetching = scope.spawn(move || {
            let send = Mutex::new(send);
            let on_report = |report: &FeedReport| {
                let send = send.lock().unwrap_or_else(|e| e.into_inner());
                let _ = send.send(report.clone());
            };
            work(&on_report)
        });
        for report in receive {
            match &bar {
                Some(bar) => {
                    bar.inc(1);
                    bar.set_message(sanitize_line(&report.name));
                }
                None if !json => {
                    let _ = writeln!(out, "{}", line(&report));
                    let _ = out.flush();
                }
                None => {}
            }
        }
        fetching.join()
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    match result {
        Ok(result) => Ok(result?),
        Err(_) => anyhow::bail!("the fetch stopped unexpectedly"),
    }
}

/// One feed's outcome on a line: `name<TAB>3 new, 1 updated`.
fn line(r: &FeedReport) -> String {
    let what = if let Some(why) = &r.error {
        format!("failed: {why}")
    } else if r.skipped {
        "skipped: waiting after earlier failures (--force fetches it)".to_string()
    } else if r.not_modified {
        "not modified".to_string()
    } else {
        format!(
            "{} new, {} updated{}",
            r.new,
            r.updated,
            kept_summaries(r.full_text_failed)
        )
    };
    format!("{}\t{}", sanitize_line(&r.name), sanitize_line(&what))
}

/// `, 2 kept as summaries (no full text)`, or nothing when every page
/// asked for gave its article.
fn kept_summaries(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => ", 1 kept as a summary (no full text)".to_string(),
        n => format!(", {n} kept as summaries (no full text)"),
    }
}

/// `12 feeds, 34 new items, 1 failed: name: why`.
fn summary(reports: &[FeedReport], moved: &[String]) -> String {
    let new: usize = reports.iter().map(|r| r.new).sum();
    let updated: usize = reports.iter().map(|r| r.updated).sum();
    let failed: Vec<String> = reports
        .iter()
        .filter_map(|r| Some(format!("{}: {}", r.name, r.error.as_deref()?)))
        .collect();
    let feeds = if reports.len() == 1 { "feed" } else { "feeds" };
    let items = if new == 1 { "item" } else { "items" };
    let mut text = format!("{} {feeds}, {new} new {items}", reports.len());
    if updated > 0 {
        text.push_str(&format!(", {updated} updated"));
    }
    text.push_str(&kept_summaries(
        reports.iter().map(|r| r.full_text_failed).sum(),
    ));
    if !failed.is_empty() {
        text.push_str(&format!(", {} failed: {}", failed.len(), failed.join("; ")));
    }
    for m in moved {
        text.push_str(&format!("; {m}"));
    }
    sanitize_line(&text)
}
