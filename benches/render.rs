//! Criterion benchmarks of the app's own work per keypress: the state
//! update plus drawing the frame into a `TestBackend` at 120x40 (the diff
//! ratatui computes is included; writing it to a real terminal is not, see
//! `tui_metrics` for the bytes that go to a pty).
//!
//! `cargo bench --bench render` runs each case over a library of 10, 1,000
//! and 100,000 articles (10 leave most list rows empty; 1,000 fill the
//! screen as 100,000 do, so the two compare the same drawing at sizes 100x
//! apart). The metadata is built in memory; each points at one of a few
//! real files in a temporary folder, so the reader pane beside the list
//! reads, parses and wraps a real body on every move, as the app does.
//!
//! - `list_move`: one row down in the list, and the frame drawn;
//! - `reader_scroll`: one line down in a long article, and the frame drawn;
//! - `keystroke`: one character typed into the search bar, the engine's
//!   answer (50 ids) taken in, and the frame drawn; the engine's own time
//!   is measured separately (`search_latency`, `benches/search.rs`);
//! - `mark_read`: `u` on the selected story, the read mark saved before the
//!   frame is drawn (one fsync'd line appended to `state.log`), as the
//!   app's loop does; the store lives in a temporary folder under the
//!   system's temp dir, so the figure is that disk's fsync;
//! - `bookmark`: `b` likewise (`bookmarks.json` written to a temp file,
//!   fsync'd, renamed over the old one, the folder fsync'd);
//! - `views_overlay`: `v`, the views overlay opened with every view's
//!   unread count, over a library half read.
//!
//! `TIDINGS_RENDER_SIZES=10,1000000` changes the library sizes.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tidings::action::Action;
use tidings::app::marks::Marks;
use tidings::app::positions::Positions;
use tidings::app::serve_reads;
use tidings::app::{App, Event, Settings};
use tidings::article::{ArticleMeta, MetaText};
use tidings::library::{Library, Origin};
use tidings::tui::persist::Persist;
use tidings::ui;

const COLS: u16 = 120;
const ROWS: u16 = 40;
/// Real article files the metadata points at (article 0 is the long one).
const FILES: usize = 16;

fn sizes() -> Vec<usize> {
    std::env::var("TIDINGS_RENDER_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10, 1_000, 100_000])
}

/// Write the article files: file 0 a long article (300 paragraphs), the
/// others a dozen paragraphs each.
fn write_files(dir: &Path) -> Vec<PathBuf> {
    let sentence = "The minister said the plan would bring broadband to every \
                    village within three years, though analysts doubted the budget.";
    (0..FILES)
        .map(|f| {
            let paragraphs = if f == 0 { 300 } else { 12 };
            let mut text = format!("Headline number {f}\n\n");
            for p in 0..paragraphs {
                text.push_str(&format!("Paragraph {p}. {sentence} {sentence}\n\n"));
            }
            let path = dir.join(format!("article{f}.txt"));
            std::fs::write(&path, text).expect("article written");
            path
        })
        .collect()
}

fn meta(i: usize, files: &[PathBuf]) -> ArticleMeta {
    let (id, title) = (
        format!("{i:016x}"),
        format!("Story {i}: ministers set out plans for rural broadband"),
    );
    let (rel_path, date) = (
        format!("world/{i}.txt"),
        format!("2005-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
    );
    let text = MetaText {
        id: &id,
        title: &title,
        kicker: None,
        category: Some(["business", "politics", "sport", "tech"][i % 4]),
        rel_path: &rel_path,
        source: Some("BBC"),
        url: None,
        author: None,
        tags: None,
        published: tidings::article::date::parse(&date),
    };
    // Only the first article is the long one, so every move (but the
    // untimed jump back to the top) opens a short one, at any size.
    let path = files[if i == 0 { 0 } else { 1 + i % (FILES - 1) }].clone();
    ArticleMeta::new(text, path, 400, 1, 0)
}

fn app(n: usize, files: &[PathBuf]) -> App {
    let metas = (0..n).map(|i| meta(i, files)).collect();
    let library = Library::from_articles(Origin::Disk(vec![]), metas);
    let mut app = App::new(library, Settings::default());
    app.update(Action::Resize(COLS, ROWS));
    serve_reads(&mut app);
    app
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(COLS, ROWS)).expect("test terminal")
}

/// Time `step` + one draw, `iters` times; `reset` (untimed, and drawn)
/// runs whenever `at_end` says the step would do nothing.
fn timed(
    app: &mut App,
    term: &mut Terminal<TestBackend>,
    iters: u64,
    at_end: impl Fn(&App) -> bool,
    reset: impl Fn(&mut App),
    step: impl Fn(&mut App),
) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        if at_end(app) {
            reset(app);
            term.draw(|f| ui::draw(app, f)).expect("draw");
        }
        let start = Instant::now();
        step(app);
        term.draw(|f| ui::draw(app, f)).expect("draw");
        total += start.elapsed();
    }
    total
}

fn render(c: &mut Criterion) {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let files = write_files(dir.path());
    let mut group = c.benchmark_group("render");
    group.sample_size(50);
    for n in sizes() {
        let mut a = app(n, &files);
        let mut term = terminal();
        term.draw(|f| ui::draw(&a, f)).expect("draw");
        group.bench_function(BenchmarkId::new("list_move", n), |b| {
            b.iter_custom(|iters| {
                timed(
                    &mut a,
                    &mut term,
                    iters,
                    |a| a.selected() + 1 >= a.visible().len(),
                    |a| {
                        a.update(Action::Top);
                        serve_reads(a);
                    },
                    |a| {
                        // The body is read as part of the move, as the
                        // runtime does before drawing.
                        a.update(Action::Down);
                        serve_reads(a);
                    },
                )
            })
        });

        // The long article, open in the reader.
        a.update(Action::Top);
        serve_reads(&mut a);
        a.update(Action::Open);
        serve_reads(&mut a);
        let last_top = |a: &App| a.reader().map(|r| r.scroll());
        group.bench_function(BenchmarkId::new("reader_scroll", n), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let before = last_top(&a);
                    let start = Instant::now();
                    a.update(Action::Down);
                    serve_reads(&mut a);
                    term.draw(|f| ui::draw(&a, f)).expect("draw");
                    total += start.elapsed();
                    if last_top(&a) == before {
                        a.update(Action::Top);
                        serve_reads(&mut a);
                    }
                }
                total
            })
        });
        a.update(Action::Back);
        serve_reads(&mut a);

        // Typing in the search bar: each keystroke filters the list with
        // the previous answer, then takes in the engine's answer to it.
        let ids: Vec<String> = (0..50.min(n))
            .map(|i| format!("{:016x}", i * 7 % n))
            .collect();
        a.update(Action::Search);
        serve_reads(&mut a);
        a.update(Action::Insert('b'));
        serve_reads(&mut a);
        a.apply(Event::Ranked {
            query: "b".into(),
            ids: ids.clone(),
        });
        serve_reads(&mut a);
        group.bench_function(BenchmarkId::new("keystroke", n), |b| {
            b.iter_custom(|iters| {
                timed(
                    &mut a,
                    &mut term,
                    iters,
                    |a| a.search().query.len() >= 9,
                    |a| {
                        while a.search().query.len() > 1 {
                            a.update(Action::DeleteBack);
                            serve_reads(a);
                        }
                    },
                    |a| {
                        a.update(Action::Insert('r'));
                        serve_reads(a);
                        let q = a.search().query.clone();
                        a.apply(Event::Ranked {
                            query: q.to_string(),
                            ids: ids.clone(),
                        });
                        serve_reads(a);
                    },
                )
            })
        });
        a.update(Action::Cancel);
        serve_reads(&mut a);

        // Deliberate changes, each on disk before its frame is drawn.
        let data = tempfile::TempDir::new().expect("data dir");
        let (mut persist, _) = Persist::open(data.path());
        persist.seed(&mut a);
        for (name, action) in [
            ("mark_read", Action::ToggleRead),
            ("bookmark", Action::Bookmark),
        ] {
            group.bench_function(BenchmarkId::new(name, n), |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let start = Instant::now();
                        a.update(action);
                        serve_reads(&mut a);
                        persist.sync(&mut a, Instant::now());
                        term.draw(|f| ui::draw(&a, f)).expect("draw");
                        total += start.elapsed();
                    }
                    total
                })
            });
        }
        // A failed save would have been timed as a cheap one.
        assert!(
            !a.status().is_some_and(|s| s.error),
            "a save failed: {:?}",
            a.status()
        );

        // The views overlay opened, its unread counts made, over a
        // library half read, with a few bookmarks.
        let read = (0..n).step_by(2).map(|i| format!("{i:016x}"));
        let bookmarked = (0..n).step_by(97).map(|i| format!("{i:016x}"));
        a.apply(Event::Stored {
            marks: Marks::new(bookmarked, read),
            positions: Positions::default(),
            missing: Vec::new(),
        });
        serve_reads(&mut a);
        group.bench_function(BenchmarkId::new("views_overlay", n), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    a.update(Action::Views);
                    serve_reads(&mut a);
                    term.draw(|f| ui::draw(&a, f)).expect("draw");
                    total += start.elapsed();
                    a.update(Action::Close);
                    serve_reads(&mut a);
                    let _ = a.take_member_requests();
                }
                total
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = render
}
criterion_main!(benches);
