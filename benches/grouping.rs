//! Near-duplicate grouping: what it costs in time and memory.
//!
//! ```sh
//! # A library on disk: the fingerprints computed from its files (what a
//! # first start does in the background), then the grouping.
//! cargo run --release --example grouping -- --library /work/benchwork/lib100000 \
//!     --cache /work/benchwork/grouping-cache
//! # Fingerprints made in memory, 1,000,000 of them, in both modes.
//! cargo run --release --example grouping -- --count 1000000 --mode copies
//! cargo run --release --example grouping -- --count 1000000 --mode distinct
//! ```
//!
//! Two kinds of library. `copies` is what the generator's `--source` mode
//! writes: every story of a corpus again and again, so nearly every
//! article has near-duplicates (in memory: 2,095 base fingerprints, each
//! copy with 0 to 3 bits flipped, as lightly edited copies give). `distinct`
//! is what `--synthetic` writes, stories that share words but not text, so
//! nothing groups (in memory: fingerprints with no relation, which is what
//! the SimHash of unrelated texts looks like).
//!
//! Printed: the median time of the grouping over `--runs` runs, its peak of
//! heap allocated above what was live before it, the groups found and the
//! pairs compared; for a library on disk, also the time to fingerprint it
//! from its files, once with none saved and once reading the saved file.

use clap::{Parser, ValueEnum};
use std::alloc::{GlobalAlloc, Layout, System};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tidings::article::{ArticleMeta, MetaText};
use tidings::library::groups::Groups;
use tidings::library::prints::{self, Prints};
use tidings::library::{Library, LoadOptions};

/// The system allocator, counting the bytes live and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

#[derive(Clone, Copy, ValueEnum)]
enum Mode {
    Copies,
    Distinct,
}

#[derive(Parser)]
struct Args {
    /// A library folder to fingerprint and group (only read)
    #[arg(long, conflicts_with = "count")]
    library: Option<PathBuf>,
    /// Cache folder for the library's load cache and fingerprints
    #[arg(long, requires = "library")]
    cache: Option<PathBuf>,
    /// Articles made in memory instead of a library
    #[arg(long, default_value_t = 100_000)]
    count: usize,
    /// What the articles made in memory are like
    #[arg(long, value_enum, default_value_t = Mode::Copies)]
    mode: Mode,
    /// Groupings timed
    #[arg(long, default_value_t = 5)]
    runs: usize,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let (articles, prints) = match &args.library {
        Some(dir) => from_library(dir, args.cache.clone())?,
        None => in_memory(args.count, args.mode),
    };
    let start = Instant::now();
    let prints = prints.aligned(&articles);
    println!("fingerprints looked up: {:.1?}", start.elapsed());
    let mut times = Vec::new();
    let mut peak = 0;
    let mut outcome = None;
    for _ in 0..args.runs.max(1) {
        let before = LIVE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let start = Instant::now();
        let (groups, stats) = Groups::compute_with_stats(&articles, &prints);
        times.push(start.elapsed());
        peak = PEAK.load(Ordering::Relaxed) - before;
        let grouped: usize = groups.groups().iter().map(|g| g.members.len()).sum();
        outcome = Some((groups.len(), grouped, stats));
    }
    times.sort();
    let (groups, grouped, stats) = outcome.unwrap_or_default();
    println!(
        "grouping {} articles: median {:.1?} (min {:.1?}, max {:.1?}, {} runs); peak heap {:.1} MiB; \
         {groups} groups of {grouped} articles; {} comparisons, {} buckets passed over",
        articles.len(),
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
        times.len(),
        peak as f64 / (1024.0 * 1024.0),
        stats.comparisons,
        stats.skipped_buckets,
    );
    Ok(())
}

/// A library's articles and their fingerprints, computed from its files
/// with none saved (timed), then read back from the saved file (timed).
fn from_library(
    dir: &std::path::Path,
    cache: Option<PathBuf>,
) -> anyhow::Result<(Vec<Arc<ArticleMeta>>, Prints)> {
    let library = Library::load_with_cache(&[dir.to_path_buf()], LoadOptions::default(), cache)?;
    let (source, file) = library.print_source();
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if let Some(file) = &file {
        let _ = std::fs::remove_file(file);
    }
    for threads in [1, threads] {
        let mut fresh = Prints::default();
        let start = Instant::now();
        let (filled, _) = prints::update(&mut fresh, library.articles(), &source, None, threads);
        report(
            &format!("fingerprinting from the files, {threads} thread(s)"),
            start.elapsed(),
            filled.computed,
        );
    }
    let mut saved = Prints::default();
    prints::update(
        &mut saved,
        library.articles(),
        &source,
        file.as_deref(),
        threads,
    );
    let start = Instant::now();
    let mut warm = file.as_deref().map(Prints::read).unwrap_or_default();
    let (filled, _) = prints::update(&mut warm, library.articles(), &source, file.as_deref(), 1);
    report(
        "fingerprints read back from their file (a warm start)",
        start.elapsed(),
        filled.computed,
    );
    Ok((library.articles().to_vec(), warm))
}

fn report(what: &str, took: Duration, computed: usize) {
    println!("{what}: {took:.1?} ({computed} files read)");
}

/// `count` articles and their fingerprints, made in memory.
fn in_memory(count: usize, mode: Mode) -> (Vec<Arc<ArticleMeta>>, Prints) {
    let mut rng = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let bases: Vec<u64> = (0..2_095).map(|_| next()).collect();
    let mut pairs = Vec::with_capacity(count);
    let articles = (0..count)
        .map(|i| {
            let id = format!("{:016x}", (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let print = match mode {
                Mode::Copies => {
                    let flips = next() % 4;
                    (0..flips).fold(bases[i % bases.len()], |p, _| p ^ 1 << (next() % 64))
                }
                Mode::Distinct => next(),
            };
            pairs.push((tidings::library::prints::id_key(&id), print));
            let rel = format!("story-{i:07}.txt");
            let text = MetaText {
                id: &id,
                title: &rel,
                rel_path: &rel,
                published: Some(1_700_000_000 + i as i64),
                ..Default::default()
            };
            Arc::new(ArticleMeta::new(text, PathBuf::from(&rel), 500, 3_000, 0))
        })
        .collect();
    let mut prints = Prints::default();
    prints.insert(pairs);
    (articles, prints)
}
