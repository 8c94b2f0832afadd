//! `tidings import FILE... [--into DIR]`: collections of articles (feed
//! files, JSON arrays, JSON Lines) into library files.
//!
//! Each file goes to `--into DIR`, else to `<news folder>/imported/<file
//! name>/`, which the default library reads. A progress bar runs on a
//! terminal's stderr; the summary ends it (`imported 1,234 articles from 2
//! files into DIR, 12 already there, 3 skipped`), after the skipped records
//! on stderr (`file:line: why`, the first [`SHOWN_SKIPS`]). The exit code
//! is 1 when a file could not be read at all; skipped records alone are
//! no failure.

use super::Context;
use crate::article::sanitize::sanitize_line;
use crate::feeds::import::read::Place;
use crate::feeds::import::{self, Destination, Event, Outcome};
use crate::feeds::{subscriptions, write};
use crate::text::thousands;
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Skipped records listed; the rest are counted.
const SHOWN_SKIPS: usize = 20;

/// What one file gave.
#[derive(Debug, Default, Serialize)]
struct FileReport {
    file: String,
    into: String,
    imported: usize,
    already_there: usize,
    skipped: usize,
    /// Why the file could not be read at all.
    error: Option<String>,
}

/// A record not imported.
#[derive(Debug, Serialize)]
struct Skip {
    file: String,
    /// The line (or `item N` of a feed).
    at: String,
    reason: String,
}

/// The whole run, as `--json` prints it.
#[derive(Debug, Default, Serialize)]
struct Report {
    imported: usize,
    already_there: usize,
    skipped: usize,
    files: Vec<FileReport>,
    /// The first skipped records.
    skips: Vec<Skip>,
}

pub fn run(
    ctx: &Context,
    files: &[PathBuf],
    into: Option<&Path>,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let news = subscriptions::news_dir(&ctx.config, &ctx.data_dir);
    let now = crate::article::date::now();
    let bar = progress(files, json);
    let mut report = Report::default();
    let mut done = 0u64;
    for file in files {
        let (root, rel) = destination(&news, into, file);
        let mut file_report = FileReport {
            file: sanitize_line(&file.display().to_string()),
            into: sanitize_line(&root.join(&rel).components().as_path().display().to_string()),
            ..FileReport::default()
        };
        let result = Destination::open(&root, &rel, &ctx.data_dir, now)
            .map_err(anyhow::Error::from)
            .and_then(|mut dest| {
                let mut on_event = |e: Event| {
                    count(&mut report, &mut file_report, file, e.place, e.outcome);
                    if let Some(bar) = &bar {
                        bar.set_position(done + e.offset);
                        bar.set_message(thousands(report.imported));
                    }
                };
                Ok(import::import_file(
                    file,
                    &mut dest,
                    &source_name(file),
                    &mut on_event,
                )?)
            });
        if let Err(e) = result {
            file_report.error = Some(sanitize_line(&format!("{e:#}")));
            if into.is_none() {
                remove_if_empty(&root, &rel);
            }
        }
        done += file_size(file);
        report.files.push(file_report);
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    finish(&report, ctx, into, json, out)
}

/// Print the skips, the report and the summary; fail when a file could
/// not be read.
fn finish(
    report: &Report,
    ctx: &Context,
    into: Option<&Path>,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let mut err = std::io::stderr().lock();
    for s in &report.skips {
        writeln!(err, "{}:{}: {}", s.file, s.at, s.reason)?;
    }
    if report.skipped > report.skips.len() {
        let more = report.skipped - report.skips.len();
        writeln!(err, "... and {} more skipped", thousands(more))?;
    }
    let summary = summary(report);
    if json {
        serde_json::to_writer_pretty(&mut *out, report).map_err(std::io::Error::from)?;
        writeln!(out)?;
        writeln!(err, "{summary}")?;
    } else {
        writeln!(out, "{summary}")?;
    }
    if let Some(dir) = into
        && !in_library(ctx, dir)
    {
        let dir = sanitize_line(&dir.display().to_string());
        writeln!(
            err,
            "{dir} is not in the library: read it with `tidings --library {dir}`, or add it to `library` in the config"
        )?;
    }
    let failed: Vec<String> = report
        .files
        .iter()
        .filter_map(|f| Some(format!("{}: {}", f.file, f.error.as_deref()?)))
        .collect();
    if !failed.is_empty() {
        let files = if failed.len() == 1 { "file" } else { "files" };
        anyhow::bail!(
            "{} {files} could not be read: {}",
            failed.len(),
            failed.join("; ")
        );
    }
    Ok(())
}

/// Tally one record's outcome.
fn count(report: &mut Report, file: &mut FileReport, path: &Path, place: Place, outcome: Outcome) {
    match outcome {
        Outcome::Imported => {
            report.imported += 1;
            file.imported += 1;
        }
        Outcome::AlreadyThere => {
            report.already_there += 1;
            file.already_there += 1;
        }
        Outcome::Skipped(reason) => {
            report.skipped += 1;
            file.skipped += 1;
            if report.skips.len() < SHOWN_SKIPS {
                report.skips.push(Skip {
                    file: sanitize_line(&path.display().to_string()),
                    at: place.to_string(),
                    reason: sanitize_line(&reason),
                });
            }
        }
    }
}

/// Where `file`'s records go: `--into DIR`, else
/// `<news>/imported/<slug of the file name>`.
fn destination(news: &Path, into: Option<&Path>, file: &Path) -> (PathBuf, PathBuf) {
    match into {
        Some(dir) => (dir.to_path_buf(), PathBuf::new()),
        None => (
            news.to_path_buf(),
            Path::new("imported").join(write::slug(&source_name(file))),
        ),
    }
}

/// The file's name without its extension: the source of records that
/// name none, and the folder they go to by default.
fn source_name(file: &Path) -> String {
    let stem = file.file_stem().unwrap_or(file.as_os_str());
    sanitize_line(&stem.to_string_lossy())
}

/// Remove the folders made for a file that could not be read, as long as
/// they are empty (nothing written, nothing of the user's), so a failed
/// import does not make the news folder join the default library.
fn remove_if_empty(root: &Path, rel: &Path) {
    for dir in rel.ancestors().filter(|d| !d.as_os_str().is_empty()) {
        if std::fs::remove_dir(root.join(dir)).is_err() {
            return;
        }
    }
}

fn file_size(file: &Path) -> u64 {
    std::fs::metadata(file).map(|m| m.len()).unwrap_or(0)
}

/// A progress bar over the files' bytes, on a terminal's stderr only.
fn progress(files: &[PathBuf], json: bool) -> Option<indicatif::ProgressBar> {
    if json || !std::io::stderr().is_terminal() {
        return None;
    }
    let total = files.iter().map(|f| file_size(f)).sum();
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "Importing: {msg} articles {wide_bar} {bytes} / {total_bytes}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}

/// `imported 1,234 articles from 2 files into DIR, 12 already there, 3 skipped`.
fn summary(report: &Report) -> String {
    let articles = if report.imported == 1 {
        "article"
    } else {
        "articles"
    };
    let n = report.files.len();
    let files = if n == 1 { "file" } else { "files" };
    let mut text = format!(
        "imported {} {articles} from {n} {files} into {}",
        thousands(report.imported),
        into_text(report)
    );
    if report.already_there > 0 {
        text.push_str(&format!(
            ", {} already there",
            thousands(report.already_there)
        ));
    }
    if report.skipped > 0 {
        text.push_str(&format!(", {} skipped", thousands(report.skipped)));
    }
    text
}

/// The one destination, else the folder holding them all.
fn into_text(report: &Report) -> String {
    let mut dirs: Vec<&str> = report.files.iter().map(|f| f.into.as_str()).collect();
    dirs.dedup();
    match dirs.as_slice() {
        [one] => one.to_string(),
        _ => dirs
            .first()
            .and_then(|d| Path::new(d).parent())
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
    }
}

/// Whether the library read by default (or named) holds `dir`.
fn in_library(ctx: &Context, dir: &Path) -> bool {
    let Ok(dir) = dir.canonicalize() else {
        return false;
    };
    ctx.library_inputs
        .iter()
        .filter_map(|input| input.canonicalize().ok())
        .any(|input| dir.starts_with(input))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_with_thousands_and_leaves_out_zeroes() {
        let mut report = Report {
            imported: 1234,
            already_there: 12,
            skipped: 3,
            ..Report::default()
        };
        for _ in 0..2 {
            report.files.push(FileReport {
                into: "/n/imported/a".into(),
                ..FileReport::default()
            });
        }
        assert_eq!(
            summary(&report),
            "imported 1,234 articles from 2 files into /n/imported/a, 12 already there, 3 skipped"
        );
        report.files[1].into = "/n/imported/b".into();
        report.already_there = 0;
        report.skipped = 0;
        report.imported = 1;
        assert_eq!(
            summary(&report),
            "imported 1 article from 2 files into /n/imported"
        );
    }
}
