//! Index build time, incremental re-index time and per-query latency
//! percentiles on a library, as `benches/run.sh` reports them.
//!
//! ```sh
//! cargo run --release --example search_latency -- --library /tmp/lib100k
//! ```
//!
//! Queries run the way the app runs them: one open index, one search per
//! keystroke, 50 hits and the total count each time.

use clap::Parser;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tidings::library::{self, LoadOptions};
use tidings::search::{self, FileState, NoMarks, SearchIndex, location};

#[derive(Parser)]
struct Args {
    /// The library folder
    #[arg(long)]
    library: PathBuf,
    /// Cache folder for the index [default: a fresh temporary folder]
    #[arg(long)]
    cache: Option<PathBuf>,
    /// Times each query is run
    #[arg(long, default_value_t = 200)]
    runs: usize,
    /// Files to change for the incremental re-index
    #[arg(long, default_value_t = 10)]
    changed: usize,
}

/// Hits asked for per search: a screenful and then some.
const LIMIT: usize = 50;

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let temp = tempfile::TempDir::new()?;
    let cache = args
        .cache
        .clone()
        .unwrap_or_else(|| temp.path().to_path_buf());
    let inputs = vec![args.library.clone()];
    let key = location::inputs_key(&inputs);
    std::fs::remove_dir_all(location::index_dir(&cache, &key)).ok();

    let (build, count) = timed(|| reconcile(&cache, &inputs, &key))?;
    println!("| full index build | {count} articles | {} |", secs(build));

    let changed = change_files(&args.library, args.changed)?;
    let (incremental, count) = timed(|| reconcile(&cache, &inputs, &key))?;
    println!(
        "| incremental re-index | {changed} changed files ({count} re-indexed), including the walk and stat of every file | {} |",
        secs(incremental)
    );

    let (index, _) = SearchIndex::open(&cache, &key, Duration::ZERO)?;
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
        let (samples, total) = latencies(&index, sequence, args.runs)?;
        println!(
            "| {name} | {total} matches | p50 {} · p99 {} |",
            ms(percentile(&samples, 50.0)),
            ms(percentile(&samples, 99.0))
        );
    }
    Ok(())
}

/// A reconcile of the index with the files on disk, as `tidings search`
/// makes one before searching (it takes the files from the library, through
/// the load cache): walk, stat, plan, index what changed, let merges
/// finish. Returns how many articles were indexed.
fn reconcile(cache: &Path, inputs: &[PathBuf], key: &str) -> anyhow::Result<usize> {
    let found =
        library::discover(inputs).map_err(|(p, e)| anyhow::anyhow!("{}: {e}", p.display()))?;
    let files: Vec<FileState> = found.candidates.par_iter().map(|c| stat(&c.path)).collect();
    let (index, _) = SearchIndex::open(cache, key, Duration::ZERO)?;
    let plan = index.plan(&files)?;
    let options = LoadOptions::default();
    index.apply(
        &files,
        &plan,
        |i| library::load_article(&found.candidates[i], &options).ok(),
        |_| {},
    )?;
    index.finish()?;
    Ok(plan.index.len())
}

fn stat(path: &Path) -> FileState {
    let m = std::fs::metadata(path).expect("file is there");
    // Nanoseconds, as the library records them: the index compares both.
    FileState::new(path, m.len(), tidings::library::mtime_nanos(&m))
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
