//! Index build time, incremental re-index time, per-query latency
//! percentiles, and keystroke to results in the app, on a library, as
//! `benches/run.sh` reports them.
//!
//! ```sh
//! cargo run --release --example search_latency -- --library /tmp/lib100k
//! cargo run --release --example search_latency -- --library /tmp/lib1m \
//!     --cache /tmp/k1m-cache --reuse --app-build --changed 0
//! ```
//!
//! Queries run the way the app runs them: one open index, one search per
//! keystroke, 50 hits and the total count each time. Keystrokes run the
//! way the app meets them (see `support/keystrokes.rs`): the key, the
//! engine's answer (its best 500, as the app asks) and that answer placed
//! in the list, each with its frame drawn.

#[path = "support/keystrokes.rs"]
mod keystrokes;
#[path = "support/reconcile.rs"]
mod reconcile;

use clap::Parser;
use keystrokes::{Key, Typist};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tidings::app::{App, Settings};
use tidings::library::{self, Library, LoadOptions};
use tidings::search::worker::{Event as Answer, Finder, Report};
use tidings::search::{self, NoMarks, SearchIndex, location};

#[derive(Parser)]
struct Args {
    /// The library folder
    #[arg(long)]
    library: PathBuf,
    /// Cache folder for the index and the load cache [default: a fresh
    /// temporary folder]
    #[arg(long)]
    cache: Option<PathBuf>,
    /// Times each query is run
    #[arg(long, default_value_t = 200)]
    runs: usize,
    /// Files to change for the incremental re-index (0: none, and the
    /// library is never written to)
    #[arg(long, default_value_t = 10)]
    changed: usize,
    /// Keep the index already in the cache folder (build one only when
    /// there is none)
    #[arg(long)]
    reuse: bool,
    /// Build the index as the app does (its background indexer: one writer
    /// thread, a commit every 1,000 articles), not as the command line does
    #[arg(long)]
    app_build: bool,
    /// Times each word is typed for the keystroke figures
    #[arg(long, default_value_t = 20)]
    keystroke_runs: usize,
}

/// Hits asked for per search: a screenful and then some.
const LIMIT: usize = 50;

/// Words typed into the search bar, a key at a time.
const TYPED: [&str; 3] = ["broadband", "government", "mobile phone"];

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let temp = tempfile::TempDir::new()?;
    let cache = args
        .cache
        .clone()
        .unwrap_or_else(|| temp.path().to_path_buf());
    let inputs = vec![args.library.clone()];
    let key = location::inputs_key(&inputs);
    let (load, library) = timed(|| {
        Ok(Library::load_with_cache(
            &inputs,
            LoadOptions::default(),
            Some(cache.clone()),
        )?)
    })?;
    println!(
        "| library load (from the load cache when there is one) | {} articles | {} |",
        library.len(),
        secs(load)
    );
    build(&args, &cache, &inputs, &key, &library)?;

    let (index, _) = SearchIndex::open(&cache, &key, Duration::from_secs(60))?;
    println!(
        "| index | {} articles in {} segments | |",
        index.len(),
        index.segments()
    );
    engine_latencies(&index, args.runs)?;
    let app = App::new(library, Settings::default());
    keystroke_latencies(Typist::new(app, &index), args.keystroke_runs)
}

/// Build the index (unless `--reuse` finds one) and re-index after a few
/// changed files, printing how long each took.
fn build(
    args: &Args,
    cache: &Path,
    inputs: &[PathBuf],
    key: &str,
    library: &Library,
) -> anyhow::Result<()> {
    let dir = location::index_dir(cache, key);
    if args.reuse && dir.exists() {
        return Ok(());
    }
    std::fs::remove_dir_all(&dir).ok();
    if args.app_build {
        let (build, count) = timed(|| app_build(cache, library))?;
        println!(
            "| full index build (the app's) | {count} articles | {} |",
            secs(build)
        );
    } else {
        let (build, count) = timed(|| reconcile(cache, inputs, key))?;
        println!("| full index build | {count} articles | {} |", secs(build));
    }
    if args.changed == 0 {
        return Ok(());
    }
    let changed = change_files(&args.library, args.changed)?;
    let (incremental, count) = timed(|| reconcile(cache, inputs, key))?;
    println!(
        "| incremental re-index | {changed} changed files ({count} re-indexed), including the walk and stat of every file | {} |",
        secs(incremental)
    );
    Ok(())
}

/// The app's background build: its search worker, handed the library,
/// until it says the index is ready; then let go, as the app quitting
/// does. Returns how many articles the index holds.
fn app_build(cache: &Path, library: &Library) -> anyhow::Result<usize> {
    let (tx, rx) = std::sync::mpsc::channel();
    let finder = Finder::spawn(cache, library, tx)?;
    for event in rx.iter() {
        match event {
            Answer::Indexing(Report::Ready) => break,
            Answer::Indexing(Report::Failed(why)) => anyhow::bail!("index build failed: {why}"),
            _ => {}
        }
    }
    drop(finder);
    Ok(library.len())
}

/// Per-query latency of the engine alone (50 hits and the count).
fn engine_latencies(index: &SearchIndex, runs: usize) -> anyhow::Result<()> {
    let queries: [(&str, Vec<String>); 4] = [
        ("common word", vec!["government".into()]),
        ("rare word", vec!["boynton".into()]),
        ("phrase", vec!["\"mobile phone\"".into()]),
        (
            "typing b, br, … broadband (per keystroke)",
            (1..="broadband".len())
                .map(|n| "broadband"[..n].to_string())
                .collect(),
        ),
    ];
    for (name, sequence) in &queries {
        let (samples, total) = latencies(index, sequence, runs)?;
        println!(
            "| {name} | {total} matches | p50 {} · p99 {} |",
            ms(percentile(&samples, 50.0)),
            ms(percentile(&samples, 99.0))
        );
    }
    Ok(())
}

/// Which part of a key's time a row reports.
type Part = fn(&Key) -> Duration;

/// Keystroke to results in the app: each of [`TYPED`] typed `runs` times.
/// The first key after the start is reported on its own (it may pay for
/// what the app builds once), and left out of the percentiles.
fn keystroke_latencies(mut typist: Typist, runs: usize) -> anyhow::Result<()> {
    let mut keys: Vec<Key> = Vec::new();
    for _ in 0..runs {
        for word in TYPED {
            keys.extend(typist.type_word(word)?);
        }
    }
    let first = keys.remove(0);
    let words = TYPED.map(|w| format!("`{w}`")).join(", ");
    let rows: [(String, Part); 4] = [
        (
            format!(
                "keystroke to results in the app (typing {words}), {} keys",
                keys.len()
            ),
            |k| k.total,
        ),
        ("of which the engine (best 500 and the count)".into(), |k| {
            k.engine
        }),
        (
            "of which the app (the key's frame, the answer placed and drawn)".into(),
            |k| k.app,
        ),
        (
            "CPU time per key (the same keys, whatever the machine's load)".into(),
            |k| k.cpu,
        ),
    ];
    for (name, f) in rows {
        let samples: Vec<Duration> = keys.iter().map(f).collect();
        println!(
            "| {name} | | p50 {} · p99 {} |",
            ms(percentile(&samples, 50.0)),
            ms(percentile(&samples, 99.0))
        );
    }
    keys.sort_by_key(|k| std::cmp::Reverse(k.cpu));
    let slowest: Vec<String> = keys
        .iter()
        .take(5)
        .map(|k| format!("`{}` {} ({} engine)", k.query, ms(k.cpu), ms(k.engine)))
        .collect();
    println!("| most CPU time | {} | |", slowest.join(", "));
    println!(
        "| first key after the start (app {}, engine {}) | {} listed at the end | {} |",
        ms(first.app),
        ms(first.engine),
        typist.listed(),
        ms(first.total)
    );
    Ok(())
}

/// A reconcile of the index with the files on disk, as `tidings search`
/// makes one before searching (it takes the files from the library, through
/// the load cache): walk, then [`reconcile::reconcile`]. Returns how many
/// articles were indexed.
fn reconcile(cache: &Path, inputs: &[PathBuf], key: &str) -> anyhow::Result<usize> {
    let found =
        library::discover(inputs).map_err(|(p, e)| anyhow::anyhow!("{}: {e}", p.display()))?;
    reconcile::reconcile(cache, key, &found.candidates)
}

/// Append a sentence to `n` articles spread through the library.
fn change_files(root: &Path, n: usize) -> anyhow::Result<usize> {
    let found = library::discover(&[root.to_path_buf()])
        .map_err(|(p, e)| anyhow::anyhow!("{}: {e}", p.display()))?;
    let step = (found.candidates.len() / n.max(1)).max(1);
    let mut changed = 0;
    for c in found.candidates.iter().step_by(step).take(n) {
        let mut text = std::fs::read_to_string(&c.path)?;
        text.push_str("\nA late correction was added to this story.\n");
        std::fs::write(&c.path, text)?;
        changed += 1;
    }
    Ok(changed)
}

/// Run every query of `sequence` `runs` times; all the timings, and the
/// match count of the last query.
fn latencies(
    index: &SearchIndex,
    sequence: &[String],
    runs: usize,
) -> anyhow::Result<(Vec<Duration>, usize)> {
    let mut samples = Vec::with_capacity(runs * sequence.len());
    let mut total = 0;
    for _ in 0..runs {
        for q in sequence {
            let start = Instant::now();
            let parsed = search::parse(q);
            let results = index.search(&parsed, LIMIT, &NoMarks)?;
            samples.push(start.elapsed());
            total = results.total;
        }
    }
    Ok((samples, total))
}

fn percentile(samples: &[Duration], p: f64) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank]
}

fn timed<T>(f: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<(Duration, T)> {
    let start = Instant::now();
    let value = f()?;
    Ok((start.elapsed(), value))
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}
