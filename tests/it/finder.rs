//! The search worker against a small library on disk: it indexes in the
//! background with progress, answers the newest query, reads snippets,
//! takes articles that arrive later, and repairs a damaged index.

use crate::common::write_tree;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};
use tidings::app::marks::{Mark, Marks};
use tidings::app::serve_reads;
use tidings::article::ArticleMeta;
use tidings::library::{Library, LoadEvent, LoadOptions, LoadRequest, Origin};
use tidings::search::location;
use tidings::search::worker::{Event, Finder, Report};

/// Generous for a loaded CI machine; a few articles index in milliseconds.
const PATIENCE: Duration = Duration::from_secs(20);

fn library(root: &std::path::Path) -> Library {
    write_tree(
        root,
        &[
            (
                "tech/a.txt",
                b"Consoles sell well\n\nThe quokka mascot sold millions.\n",
            ),
            ("sport/b.txt", b"Cup final tonight\n\nA late goal won it.\n"),
            (
                "politics/c.txt",
                b"Budget plans\n\nTaxes rise for quoll owners.\n",
            ),
        ],
    );
    Library::load(&[root.to_path_buf()], LoadOptions::default()).unwrap()
}

/// `library` as it is while loading, with `articles` listed so far and
/// the rest of the disk still to check.
fn half_loaded(library: &Library, articles: &[Arc<ArticleMeta>]) -> Library {
    let Origin::Disk(inputs) = library.origin() else {
        panic!("a library on disk");
    };
    let mut loading = Library::empty(&LoadRequest {
        inputs: inputs.clone(),
        options: library.options().clone(),
        cache_dir: None,
    });
    loading.apply(LoadEvent::Loaded(articles.to_vec()));
    loading
}

fn id_of(library: &Library, title: &str) -> String {
    library
        .articles()
        .iter()
        .find(|a| a.title() == title)
        .unwrap()
        .id()
        .to_string()
}

/// Start the engine for `library`, its index under `dir/cache`.
fn spawn(dir: &std::path::Path, library: &Library) -> (Receiver<Event>, Finder) {
    let (tx, rx) = channel();
    let finder = Finder::spawn(&dir.join("cache"), library, tx).unwrap();
    (rx, finder)
}

/// Every message until `until` says stop (or fail after PATIENCE).
fn collect(rx: &Receiver<Event>, mut until: impl FnMut(&Event) -> bool) -> Vec<Event> {
    let deadline = Instant::now() + PATIENCE;
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let msg = rx
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no end in sight; so far: {seen:?}"));
        let stop = until(&msg);
        seen.push(msg);
        if stop {
            return seen;
        }
    }
}

fn ready(msg: &Event) -> bool {
    matches!(msg, Event::Indexing(Report::Ready))
}

fn answer_for<'a>(query: &'a str) -> impl FnMut(&Event) -> bool + 'a {
    move |m| matches!(m, Event::SearchResults { query: q, .. } if q == query)
}

fn results(msgs: &[Event]) -> Vec<(String, Vec<String>, usize)> {
    msgs.iter()
        .filter_map(|m| match m {
            Event::SearchResults { query, ids, total } => {
                Some((query.clone(), ids.clone(), *total))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn the_worker_indexes_with_progress_and_answers_the_newest_query() {
    let dir = tempfile::tempdir().unwrap();
    let library = library(&dir.path().join("lib"));
    let (rx, finder) = spawn(dir.path(), &library);
    let msgs = collect(&rx, ready);
    let reports: Vec<&Report> = msgs
        .iter()
        .filter_map(|m| match m {
            Event::Indexing(r) => Some(r),
            _ => None,
        })
        .collect();
    assert_eq!(
        reports,
        [
            &Report::Building,
            &Report::Progress { done: 0, total: 3 },
            &Report::Progress { done: 3, total: 3 },
            &Report::Ready,
        ]
    );
    // A burst of keystrokes: whatever runs, the last answer is the newest.
    for q in ["q", "qu", "quo", "quok", "quokka"] {
        finder.search(q, &Marks::default());
    }
    let msgs = collect(&rx, answer_for("quokka"));
    let answers = results(&msgs);
    assert!(answers.len() <= 5);
    let expected = vec![id_of(&library, "Consoles sell well")];
    assert_eq!(
        answers.last().unwrap(),
        &("quokka".to_string(), expected, 1)
    );
    // "quo" is a prefix: the body-only words quokka and quoll both match.
    finder.search("quo", &Marks::default());
    let answers = results(&collect(&rx, answer_for("quo")));
    assert_eq!(answers[0].2, 2);
}

#[test]
fn is_filters_use_the_marks_sent_with_the_query() {
    let dir = tempfile::tempdir().unwrap();
    let library = library(&dir.path().join("lib"));
    let (rx, finder) = spawn(dir.path(), &library);
    collect(&rx, ready);
    let cup = id_of(&library, "Cup final tonight");
    let marks = Marks::new([cup.clone()], []);
    finder.search("is:bookmarked", &marks);
    let answers = results(&collect(&rx, answer_for("is:bookmarked")));
    assert_eq!(answers[0].1, vec![cup.clone()]);
    let mut marks = marks;
    marks.set(Mark::Read, &cup, true);
    finder.search("is:unread", &marks);
    let answers = results(&collect(&rx, answer_for("is:unread")));
    assert_eq!(answers[0].2, 2);
    assert!(!answers[0].1.contains(&cup));
}

#[test]
fn excerpts_come_from_the_body_around_the_match() {
    let dir = tempfile::tempdir().unwrap();
    let library = library(&dir.path().join("lib"));
    let (rx, finder) = spawn(dir.path(), &library);
    collect(&rx, ready);
    let meta = library
        .articles()
        .iter()
        .find(|a| a.title() == "Budget plans")
        .unwrap();
    finder.search("quoll", &Marks::default());
    finder.excerpts("quoll", vec![meta.clone()]);
    let msgs = collect(&rx, |m| matches!(m, Event::Excerpts { .. }));
    let Some(Event::Excerpts { query, excerpts }) = msgs.last() else {
        unreachable!()
    };
    assert_eq!(query, "quoll");
    assert_eq!(
        excerpts,
        &[(
            meta.id().to_string(),
            "Taxes rise for quoll owners.".to_string()
        )]
    );
}

#[test]
fn articles_that_arrive_later_are_indexed_and_found() {
    let dir = tempfile::tempdir().unwrap();
    let mut library = library(&dir.path().join("lib"));
    let at = library
        .articles()
        .iter()
        .position(|a| a.title() == "Budget plans");
    let late = library.articles()[at.unwrap()].clone();
    library.apply(LoadEvent::Removed(vec![late.path.clone()]));
    let (rx, finder) = spawn(dir.path(), &library);
    collect(&rx, ready);
    finder.search("quoll", &Marks::default());
    assert_eq!(results(&collect(&rx, answer_for("quoll")))[0].2, 0);
    finder.add(vec![late.clone()]);
    let msgs = collect(&rx, |m| matches!(m, Event::SearchResults { total: 1, .. }));
    assert!(
        msgs.iter()
            .any(|m| matches!(m, Event::Indexing(Report::Progress { done: 1, total: 1 })))
    );
    assert_eq!(
        results(&msgs).last().unwrap().1,
        vec![late.id().to_string()]
    );
    // Removed again: gone from the results.
    finder.remove(vec![late.path.clone()]);
    collect(&rx, |m| matches!(m, Event::SearchResults { total: 0, .. }));
}

#[test]
fn a_damaged_index_is_rebuilt_with_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    let library = library(&dir.path().join("lib"));
    let cache = dir.path().join("cache");
    let index = location::index_dir(&cache, &location::library_key(&library));
    std::fs::create_dir_all(&index).unwrap();
    std::fs::write(index.join("tidings-format"), "garbage\n").unwrap();
    std::fs::write(index.join("meta.json"), "{ not json").unwrap();
    let (tx, rx) = channel();
    let finder = Finder::spawn(&cache, &library, tx).unwrap();
    let msgs = collect(&rx, ready);
    let notice = msgs.iter().find_map(|m| match m {
        Event::Indexing(Report::Notice(n)) => Some(n.clone()),
        _ => None,
    });
    assert_eq!(
        notice.as_deref(),
        Some("Rebuilding the search index: it has another format (garbage)")
    );
    finder.search("goal", &Marks::default());
    assert_eq!(results(&collect(&rx, answer_for("goal")))[0].2, 1);
}

/// The nice value of each live thread of this process named `name`.
#[cfg(target_os = "linux")]
fn nice_of_threads(name: &str) -> Vec<i64> {
    let mut out = Vec::new();
    for task in std::fs::read_dir("/proc/self/task").unwrap().flatten() {
        let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        if comm.trim_end() != name {
            continue;
        }
        let stat = std::fs::read_to_string(task.path().join("stat")).unwrap_or_default();
        // Fields after the command name (which may hold spaces): the nice
        // value is field 19 of stat, the 17th after the closing parenthesis.
        if let Some((_, rest)) = stat.rsplit_once(") ") {
            out.extend(rest.split(' ').nth(16).and_then(|v| v.parse::<i64>().ok()));
        }
    }
    out
}

#[cfg(target_os = "linux")]
#[test]
fn indexing_runs_at_low_priority_and_searching_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let library = library(&dir.path().join("lib"));
    let (rx, finder) = spawn(dir.path(), &library);
    collect(&rx, ready);
    let indexers = nice_of_threads("indexer");
    assert!(!indexers.is_empty(), "no indexer thread found");
    assert!(indexers.iter().all(|&n| n == 10), "{indexers:?}");
    // The parsing pool the indexer starts inherits its priority.
    let pool = nice_of_threads("indexer-0");
    assert!(
        !pool.is_empty() && pool.iter().all(|&n| n == 10),
        "{pool:?}"
    );
    let searchers = nice_of_threads("searcher");
    assert!(searchers.contains(&0), "{searchers:?}");
    drop(finder);
}

#[test]
fn while_the_library_loads_indexing_waits_unless_a_search_asks() {
    let dir = tempfile::tempdir().unwrap();
    let library = library(&dir.path().join("lib"));
    // Half-loaded: two articles so far, more to come.
    let (late, known) = library.articles().split_last().unwrap();
    let late = late.clone();
    let library = half_loaded(&library, known);
    let (rx, finder) = spawn(dir.path(), &library);
    // The two known articles wait: nothing is indexed while the load runs.
    collect(&rx, |m| matches!(m, Event::Indexing(Report::Waiting)));
    let quiet = rx.recv_timeout(Duration::from_millis(300));
    assert!(
        !matches!(
            quiet,
            Ok(Event::Indexing(Report::Progress { .. } | Report::Ready))
        ),
        "{quiet:?}"
    );
    // A search wants answers now: what is known gets indexed, and the
    // answer covers it, but the index is not called ready.
    finder.search("quokka", &Marks::default());
    let msgs = collect(&rx, |m| {
        matches!(m, Event::Indexing(Report::Progress { done: 2, total: 2 }))
    });
    assert!(!msgs.iter().any(ready), "{msgs:?}");
    finder.search("quoll OR goal", &Marks::default());
    let answers = results(&collect(&rx, answer_for("quoll OR goal")));
    assert_eq!(answers.last().unwrap().2, 2);
    // Once the search asked, later arrivals are indexed as they come; the
    // end of the load makes the index ready.
    finder.add(vec![late]);
    finder.complete();
    let msgs = collect(&rx, ready);
    assert!(
        msgs.iter()
            .any(|m| matches!(m, Event::Indexing(Report::Progress { done: 3, total: 3 }))),
        "{msgs:?}"
    );
}

#[test]
fn indexing_put_off_during_the_load_runs_when_it_ends() {
    let dir = tempfile::tempdir().unwrap();
    let library = library(&dir.path().join("lib"));
    let library = half_loaded(&library, library.articles());
    let (rx, finder) = spawn(dir.path(), &library);
    collect(&rx, |m| matches!(m, Event::Indexing(Report::Waiting)));
    finder.complete();
    let msgs = collect(&rx, ready);
    let progress: Vec<&Event> = msgs
        .iter()
        .filter(|m| matches!(m, Event::Indexing(Report::Progress { .. })))
        .collect();
    assert!(
        matches!(
            progress.first(),
            Some(Event::Indexing(Report::Progress { done: 0, total: 3 }))
        ),
        "{msgs:?}"
    );
    finder.search("quoll", &Marks::default());
    let answers = results(&collect(&rx, answer_for("quoll")));
    assert_eq!(answers.last().unwrap().2, 1);
}

#[test]
fn a_second_start_indexes_only_what_changed_and_drops_what_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("lib");
    let cache = dir.path().join("cache");
    let library = library(&root);
    let (tx, rx) = channel();
    let finder = Finder::spawn(&cache, &library, tx).unwrap();
    collect(&rx, ready);
    drop(finder);

    // Between the runs: one file edited, one deleted, one untouched.
    std::fs::write(
        root.join("tech/a.txt"),
        "Consoles sell well\n\nThe wombat mascot sold millions.\n",
    )
    .unwrap();
    std::fs::remove_file(root.join("politics/c.txt")).unwrap();
    let library = Library::load(std::slice::from_ref(&root), LoadOptions::default()).unwrap();
    // The first run's indexer lets the index go once it sees the handle
    // dropped: until then the second run would open it read-only.
    let deadline = Instant::now() + PATIENCE;
    let (finder, rx, msgs) = loop {
        let (tx, rx) = channel();
        let finder = Finder::spawn(&cache, &library, tx).unwrap();
        let msgs = collect(&rx, |m| {
            ready(m) || matches!(m, Event::Indexing(Report::Notice(_)))
        });
        if msgs.iter().any(ready) {
            break (finder, rx, msgs);
        }
        if !msgs
            .iter()
            .any(|m| format!("{m:?}").contains("Another tidings"))
        {
            let mut msgs = msgs;
            msgs.extend(collect(&rx, ready));
            break (finder, rx, msgs);
        }
        assert!(Instant::now() < deadline, "the first run kept the index");
        drop(finder);
        std::thread::sleep(Duration::from_millis(50));
    };
    let progress: Vec<&Report> = msgs
        .iter()
        .filter_map(|m| match m {
            Event::Indexing(r @ Report::Progress { .. }) => Some(r),
            _ => None,
        })
        .collect();
    // Only the edited file is indexed again.
    assert_eq!(
        progress.last(),
        Some(&&Report::Progress { done: 1, total: 1 })
    );
    for (query, hits) in [("wombat", 1), ("quokka", 0), ("quoll", 0), ("goal", 1)] {
        finder.search(query, &Marks::default());
        let answer = results(&collect(&rx, answer_for(query)));
        assert_eq!(answer.last().unwrap().2, hits, "{query}");
    }
}

#[test]
fn an_article_told_twice_is_indexed_once() {
    let dir = tempfile::tempdir().unwrap();
    let library = library(&dir.path().join("lib"));
    let library = half_loaded(&library, library.articles());
    let (rx, finder) = spawn(dir.path(), &library);
    // The same files again (as a reload would send them), then a search
    // that has them indexed at once.
    finder.add(library.articles().to_vec());
    finder.search("quokka", &Marks::default());
    let msgs = collect(
        &rx,
        |m| matches!(m, Event::Indexing(Report::Progress { done, total }) if done == total),
    );
    assert!(
        msgs.iter()
            .any(|m| matches!(m, Event::Indexing(Report::Progress { done: 3, total: 3 }))),
        "{msgs:?}"
    );
    finder.complete();
    collect(&rx, ready);
    for (query, hits) in [("quokka", 1), ("quokka OR goal OR quoll", 3)] {
        finder.search(query, &Marks::default());
        let answer = results(&collect(&rx, answer_for(query)));
        assert_eq!(answer.last().unwrap().2, hits, "{query}");
    }
}

#[test]
fn once_a_new_index_is_built_the_status_bar_shows_the_hints_again() {
    use tidings::action::Action;
    use tidings::app::{App, Settings};
    let dir = tempfile::tempdir().unwrap();
    let library = library(&dir.path().join("lib"));
    let (rx, _finder) = spawn(dir.path(), &library);
    let msgs = collect(&rx, ready);
    let mut app = App::new(library, Settings::default());
    app.update(Action::Resize(80, 24));
    serve_reads(&mut app);
    let status_bar = |app: &App| crate::common::screen(app, 80, 24).row(23);
    let mut said_building = false;
    for msg in msgs {
        if let Event::Indexing(report) = msg {
            app.apply(tidings::app::Event::Indexing(report));
            serve_reads(&mut app);
            said_building |= status_bar(&app).contains("Building the search index");
        }
    }
    assert!(said_building, "a new index is announced");
    // Built: the announcement is done with, and the hints are back.
    let status = status_bar(&app);
    assert!(!status.contains("Building"), "{status}");
    assert!(status.contains("? help"), "{status}");
}

#[test]
fn a_search_answers_with_as_many_results_as_asked() {
    let dir = tempfile::tempdir().unwrap();
    let library = library(&dir.path().join("lib"));
    let (rx, finder) = spawn(dir.path(), &library);
    collect(&rx, ready);
    // "quo" matches two stories: the best one, then both.
    finder.search_up_to("quo", 1, &Marks::default());
    let answers = results(&collect(&rx, answer_for("quo")));
    let (_, ids, total) = answers.last().unwrap();
    assert_eq!((ids.len(), *total), (1, 2));
    finder.search_up_to("quo", 2, &Marks::default());
    let answers = results(&collect(&rx, answer_for("quo")));
    let (_, ids, total) = answers.last().unwrap();
    assert_eq!((ids.len(), *total), (2, 2));
}

#[test]
fn a_file_the_engine_cannot_read_is_not_tried_again_until_it_changes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("lib");
    let library = library(&root);
    // Gone between the listing and the indexing: the engine cannot read it.
    std::fs::remove_file(root.join("sport/b.txt")).unwrap();
    let (rx, finder) = spawn(dir.path(), &library);
    let first = collect(&rx, ready);
    assert!(
        first
            .iter()
            .any(|m| matches!(m, Event::Indexing(Report::Progress { done: 3, total: 3 }))),
        "{first:?}"
    );
    // The library complete again (as after a reload): nothing to index.
    finder.complete();
    let again = collect(&rx, ready);
    assert!(
        !again
            .iter()
            .any(|m| matches!(m, Event::Indexing(Report::Progress { .. }))),
        "{again:?}"
    );
    // Back, with other text and size: indexed this time.
    std::fs::write(root.join("sport/b.txt"), "Cup final\n\nA late goal.\n").unwrap();
    let back = Library::load(std::slice::from_ref(&root), LoadOptions::default()).unwrap();
    finder.add(back.articles().to_vec());
    finder.complete();
    let msgs = collect(&rx, ready);
    assert!(
        msgs.iter()
            .any(|m| matches!(m, Event::Indexing(Report::Progress { done: 1, total: 1 }))),
        "{msgs:?}"
    );
    finder.search("goal", &Marks::default());
    let answer = results(&collect(&rx, answer_for("goal")));
    assert_eq!(answer.last().unwrap().2, 1);
}

/// The ids in the last `Members` answer for `key` among `msgs`, sorted.
fn members_of(msgs: &[Event], key: &str) -> Vec<String> {
    let mut ids = msgs
        .iter()
        .rev()
        .find_map(|m| match m {
            Event::Members { key: k, ids } if k == key => Some(ids.clone()),
            _ => None,
        })
        .expect("an answer for the key");
    ids.sort();
    ids
}

fn members_answer<'a>(key: &'a str, len: usize) -> impl FnMut(&Event) -> bool + 'a {
    move |m| matches!(m, Event::Members { key: k, ids } if k == key && ids.len() == len)
}

#[test]
fn members_are_every_match_of_any_query_and_follow_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let mut library = library(&dir.path().join("lib"));
    let at = library
        .articles()
        .iter()
        .position(|a| a.title() == "Budget plans");
    let late = library.articles()[at.unwrap()].clone();
    library.apply(LoadEvent::Removed(vec![late.path.clone()]));
    let (rx, finder) = spawn(dir.path(), &library);
    collect(&rx, ready);
    let cup = id_of(&library, "Cup final tonight");
    let consoles = id_of(&library, "Consoles sell well");
    // Two rules: the union, each story once.
    let rules = vec!["category:sport".to_string(), "goal OR quoll".to_string()];
    finder.members("hide", rules, &Marks::default());
    let msgs = collect(&rx, |m| matches!(m, Event::Members { .. }));
    assert_eq!(members_of(&msgs, "hide"), vec![cup.clone()]);
    // The index grows: the key is answered again without being asked.
    finder.add(vec![late.clone()]);
    let msgs = collect(&rx, members_answer("hide", 2));
    let mut both = vec![cup.clone(), late.id().to_string()];
    both.sort();
    assert_eq!(members_of(&msgs, "hide"), both);
    // `is:` filters use the marks sent with the ask.
    let marks = Marks::new([], [consoles.clone()]);
    finder.members("unread", vec!["is:unread".into()], &marks);
    let msgs = collect(&rx, members_answer("unread", 2));
    assert!(!members_of(&msgs, "unread").contains(&consoles));
    // No queries: answered once with nothing, and not again.
    finder.members("hide", Vec::new(), &Marks::default());
    collect(&rx, members_answer("hide", 0));
}
