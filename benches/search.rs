//! Criterion benchmarks of search latency on a generated library.
//!
//! `cargo bench --bench search` generates a small synthetic library (2,000
//! articles; `TIDINGS_BENCH_SIZE` to change) in a temporary folder and
//! indexes it first; `TIDINGS_BENCH_LIBRARY=/path` benchmarks an existing
//! library instead (see `benches/run.sh` for the 100k figures).

#[path = "support/generate.rs"]
mod generate;

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::PathBuf;
use tidings::library::{Library, LoadOptions};
use tidings::search::{self, NoMarks, SearchIndex};

struct Setup {
    _temp: tempfile::TempDir,
    index: SearchIndex,
}

fn setup() -> Setup {
    let temp = tempfile::TempDir::new().expect("temp dir");
    let root = match std::env::var_os("TIDINGS_BENCH_LIBRARY") {
        Some(p) => PathBuf::from(p),
        None => {
            let size = std::env::var("TIDINGS_BENCH_SIZE")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(2_000);
            let root = temp.path().join("library");
            generate::synthesize(&root, size, 1).expect("library written");
            root
        }
    };
    let library = Library::load(&[root], LoadOptions::default()).expect("library loads");
    let (index, _) =
        SearchIndex::open_or_build(&temp.path().join("cache"), &library).expect("index builds");
    Setup { _temp: temp, index }
}

fn queries(c: &mut Criterion) {
    let s = setup();
    let mut group = c.benchmark_group("search");
    let cases = [
        ("common_word", "government"),
        ("rare_word", "boynton"),
        ("phrase", "\"mobile phone\""),
        ("prefix_b", "b"),
        ("prefix_broa", "broa"),
        ("filtered", "category:tech broadband -mobile"),
    ];
    for (name, q) in cases {
        group.bench_function(name, |b| {
            b.iter(|| {
                let parsed = search::parse(black_box(q));
                s.index.search(&parsed, 50, &NoMarks).expect("search runs")
            })
        });
    }
    group.bench_function("typing_broadband", |b| {
        b.iter(|| {
            for n in 1..="broadband".len() {
                let parsed = search::parse(black_box(&"broadband"[..n]));
                black_box(s.index.search(&parsed, 50, &NoMarks).expect("search runs"));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, queries);
criterion_main!(benches);
