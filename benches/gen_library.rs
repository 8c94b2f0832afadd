//! Write a test library of any size.
//!
//! ```sh
//! cargo run --release --example gen_library -- --source ../shared/corpus/bbc --out /tmp/lib100k --count 100000
//! cargo run --release --example gen_library -- --synthetic --out /tmp/lib20k --count 20000
//! cargo run --release --example gen_library -- --source ../shared/corpus/bbc --out /tmp/md20k --count 20000 --format md
//! ```

#[path = "support/generate.rs"]
mod generate;

use clap::Parser;
use std::path::PathBuf;

#[derive(Parser)]
#[command(about = "Write a library of articles by replicating a corpus or from a word list")]
struct Args {
    /// A corpus to replicate (category folders of .txt files)
    #[arg(
        long,
        required_unless_present = "synthetic",
        conflicts_with = "synthetic"
    )]
    source: Option<PathBuf>,
    /// Generate articles from a built-in word list instead
    #[arg(long)]
    synthetic: bool,
    /// Folder to write (created; existing files with the same names are replaced)
    #[arg(long)]
    out: PathBuf,
    /// Number of articles
    #[arg(long, default_value_t = 2_000)]
    count: usize,
    /// Seed for synthetic articles
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// File format to write the articles in
    #[arg(long, value_enum, default_value_t = generate::Format::Txt)]
    format: generate::Format,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let start = std::time::Instant::now();
    let n = generate::generate_as(
        &args.out,
        args.count,
        args.source.as_deref(),
        args.seed,
        args.format,
    )?;
    eprintln!(
        "wrote {n} articles to {} in {:.1?}",
        args.out.display(),
        start.elapsed()
    );
    Ok(())
}
