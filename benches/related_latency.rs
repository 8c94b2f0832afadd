//! "More like this" against a search keystroke: latency percentiles of the
//! related query at a library's size, with the keystroke measured in the
//! same run, turn about, so both see the same machine load.
//!
//! ```sh
//! cargo run --release --example related_latency -- \
//!     --library /work/benchwork/lib100000 --cache /work/benchwork/related-cache
//! ```
//!
//! The related query runs as the search worker runs it for `m`: the
//! story's file read and parsed, then the more-like-this query for 50
//! stories. The keystroke is one search of a word being typed (`b`, `br`,
//! ... `broadband`, in turn), 50 hits and the total count, as the app
//! asks for each key. The library is only read; the index is built under
//! `--cache` the first time and reused after.

#[path = "support/reconcile.rs"]
mod reconcile;

use clap::Parser;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tidings::library::{self, Candidate, LoadOptions};
use tidings::search::{self, NoMarks, SearchIndex, location};

#[derive(Parser)]
struct Args {
    /// The library folder
    #[arg(long)]
    library: PathBuf,
    /// Cache folder for the index (kept, and reused by later runs)
    #[arg(long)]
    cache: PathBuf,
    /// Related queries (and as many keystrokes) measured
    #[arg(long, default_value_t = 1000)]
    runs: usize,
    /// Different stories asked about, spread through the library
    #[arg(long, default_value_t = 200)]
    stories: usize,
}

/// Stories asked for per related query, as the app's `m` asks.
const RELATED: usize = 50;
/// Hits asked for per keystroke.
const LIMIT: usize = 50;
/// A word typed a letter at a time.
const TYPED: &str = "broadband";

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let inputs = vec![args.library.clone()];
    let key = location::inputs_key(&inputs);
    let found =
        library::discover(&inputs).map_err(|(p, e)| anyhow::anyhow!("{}: {e}", p.display()))?;
    let start = Instant::now();
    let indexed = reconcile::reconcile(&args.cache, &key, &found.candidates)?;
    println!(
        "index: {} articles ({indexed} indexed now, {:.1} s)",
        found.candidates.len(),
        start.elapsed().as_secs_f64()
    );
    let (index, _) = SearchIndex::open(&args.cache, &key, Duration::ZERO)?;
    let step = (found.candidates.len() / args.stories.max(1)).max(1);
    let stories: Vec<&Candidate> = found.candidates.iter().step_by(step).collect();
    let keystrokes: Vec<String> = (1..=TYPED.len()).map(|n| TYPED[..n].to_string()).collect();
    let options = LoadOptions::default();
    // One of each first, untimed: the first touches of the index's files.
    related(&index, stories[0], &options)?;
    keystroke(&index, &keystrokes[0])?;
    let (mut like, mut keys, mut found_total) = (Vec::new(), Vec::new(), 0);
    for i in 0..args.runs {
        let (t, n) = related(&index, stories[i % stories.len()], &options)?;
        like.push(t);
        found_total += n;
        keys.push(keystroke(&index, &keystrokes[i % keystrokes.len()])?);
    }
    println!("| query | p50 | p99 | max |");
    println!("| --- | --- | --- | --- |");
    row("related (`m`: read the story, find 50)", &like);
    row("search keystroke (b … broadband, 50 hits)", &keys);
    println!(
        "{} related queries over {} stories, {:.1} stories found on average",
        like.len(),
        stories.len(),
        found_total as f64 / like.len().max(1) as f64
    );
    Ok(())
}

/// One `m`: the story read and parsed, then its related stories.
fn related(
    index: &SearchIndex,
    story: &Candidate,
    options: &LoadOptions,
) -> anyhow::Result<(Duration, usize)> {
    let start = Instant::now();
    let article = library::load_article(story, options).map_err(|s| anyhow::anyhow!("{s}"))?;
    let found = index.related(&article, RELATED)?;
    Ok((start.elapsed(), found.hits.len()))
}

/// One keystroke's search.
fn keystroke(index: &SearchIndex, query: &str) -> anyhow::Result<Duration> {
    let start = Instant::now();
    index.search(&search::parse(query), LIMIT, &NoMarks)?;
    Ok(start.elapsed())
}

fn row(name: &str, samples: &[Duration]) {
    println!(
        "| {name} | {} | {} | {} |",
        ms(percentile(samples, 50.0)),
        ms(percentile(samples, 99.0)),
        ms(percentile(samples, 100.0))
    );
}

fn percentile(samples: &[Duration], p: f64) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    let rank = ((p / 100.0) * (sorted.len().saturating_sub(1)) as f64).round() as usize;
    sorted.get(rank).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}
