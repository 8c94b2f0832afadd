//! Criterion benchmarks of what one file costs to parse, by format.
//!
//! `cargo bench --bench parse` writes the same articles (the BBC corpus in
//! `../shared/corpus/bbc` when present, else 2,000 synthetic ones;
//! `TIDINGS_CORPUS` to change) as plain text, Markdown and saved web pages,
//! reads every file into memory, and times parsing all of them, and
//! parsing plus the id and word count (what a cold load does with each
//! file). Divide by the file count printed at the start for the cost of
//! one file; the ratio between formats is the figure that matters.

#[path = "support/generate.rs"]
mod generate;

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use tidings::article::Format;
use tidings::library::parse_bytes;

/// The allocator the binary uses, so allocation costs what it costs there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn files_of(root: &Path, ext: &str) -> Vec<(Vec<u8>, Format)> {
    let mut out = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("library folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == ext) {
                let name = path.to_string_lossy().into_owned();
                out.push((std::fs::read(&path).expect("file"), Format::of(&name)));
            }
        }
    }
    out
}

fn parse(c: &mut Criterion) {
    let temp = tempfile::TempDir::new().expect("temp dir");
    let corpus = std::env::var_os("TIDINGS_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/corpus/bbc"));
    let source = corpus.is_dir().then_some(corpus.as_path());
    let count = 2_095;
    let mut group = c.benchmark_group("parse");
    group.sample_size(20);
    for (format, ext) in [
        (generate::Format::Txt, "txt"),
        (generate::Format::Md, "md"),
        (generate::Format::Html, "html"),
    ] {
        let root = temp.path().join(ext);
        generate::generate_as(&root, count, source, 1, format).expect("library written");
        let files = files_of(&root, ext);
        eprintln!("{ext}: {} files", files.len());
        group.bench_function(format!("{ext}/parse"), |b| {
            b.iter(|| {
                for (bytes, format) in &files {
                    let _ = black_box(parse_bytes(bytes, *format));
                }
            })
        });
        group.bench_function(format!("{ext}/parse_and_digest"), |b| {
            b.iter(|| {
                for (bytes, format) in &files {
                    if let Ok(parsed) = parse_bytes(bytes, *format) {
                        black_box(parsed.digest());
                    }
                }
            })
        });
        if ext == "md" {
            markdown_parts(&mut group, &files);
        }
    }
    group.finish();
}

/// Where a Markdown file's cost goes: the front matter alone, and
/// pulldown-cmark's events for the body alone (no blocks built).
fn markdown_parts(
    group: &mut criterion::BenchmarkGroup<criterion::measurement::WallTime>,
    files: &[(Vec<u8>, Format)],
) {
    let texts: Vec<String> = files
        .iter()
        .map(|(bytes, _)| String::from_utf8_lossy(bytes).into_owned())
        .collect();
    group.bench_function("md/front_matter", |b| {
        b.iter(|| {
            for text in &texts {
                let _ = black_box(tidings::article::front_matter::split(text));
            }
        })
    });
    let bodies: Vec<&str> = texts
        .iter()
        .map(|t| match tidings::article::front_matter::split(t) {
            Ok((_, body)) => body,
            Err(_) => t.as_str(),
        })
        .collect();
    group.bench_function("md/events", |b| {
        b.iter(|| {
            for body in &bodies {
                let parser =
                    pulldown_cmark::Parser::new_ext(body, pulldown_cmark::Options::ENABLE_TABLES);
                black_box(parser.count());
            }
        })
    });
}

criterion_group!(benches, parse);
criterion_main!(benches);
