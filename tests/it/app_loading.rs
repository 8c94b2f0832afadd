//! The app while the library loads in the background: it draws at once,
//! shows progress, takes keys, and keeps the cursor on the same story as
//! articles arrive, change, move or disappear.

use crate::app::{keys, phantom, type_text};
use crate::common::{drawn, write_tree};
use tidings::action::Action;
use tidings::app::serve_reads;
use tidings::app::{App, Event, Settings};
use tidings::library::{Library, LoadEvent, LoadOptions, LoadRequest, load_streaming};

/// Metadata as the loader sends it: shared.
fn shared(
    metas: impl IntoIterator<Item = tidings::article::ArticleMeta>,
) -> Vec<std::sync::Arc<tidings::article::ArticleMeta>> {
    metas.into_iter().map(std::sync::Arc::new).collect()
}

fn request(root: &std::path::Path) -> LoadRequest {
    LoadRequest {
        inputs: vec![root.join("lib")],
        options: LoadOptions::default(),
        cache_dir: Some(root.join("cache")),
    }
}

fn loading_app(request: &LoadRequest) -> App {
    let mut app = App::new(Library::empty(request), Settings::default());
    app.update(Action::Resize(100, 20));
    serve_reads(&mut app);
    app
}

fn screen(app: &App) -> String {
    drawn(app).backend().to_string()
}

fn status_line(app: &App) -> String {
    screen(app).lines().last().unwrap().to_string()
}

fn id(n: usize) -> String {
    format!("{n:016x}")
}

#[test]
fn progress_shows_and_keys_work_before_loading_completes() {
    let dir = tempfile::tempdir().unwrap();
    let req = request(dir.path());
    let mut app = loading_app(&req);
    assert!(
        status_line(&app).contains("Loading 0 articles"),
        "{}",
        status_line(&app)
    );

    app.apply(Event::Load(LoadEvent::Found { total: 100_000 }));
    serve_reads(&mut app);
    let batch: Vec<_> = (0..1000)
        .map(|n| phantom(&id(n), &format!("Story {n:05}")))
        .collect();
    app.apply(Event::Load(LoadEvent::Loaded(shared(batch))));
    serve_reads(&mut app);
    app.apply(Event::Load(LoadEvent::Progress { checked: 1000 }));
    serve_reads(&mut app);
    assert!(
        status_line(&app).contains("Loading 1,000 / 100,000"),
        "{}",
        status_line(&app)
    );
    assert!(screen(&app).contains("Story 00000"));

    // Navigation works mid-load, and later batches do not move the cursor.
    keys(&mut app, &["j", "j", "j"]);
    assert_eq!(app.selected_meta().unwrap().title(), "Story 00003");
    let more: Vec<_> = (1000..2000)
        .map(|n| phantom(&id(n), &format!("Story {n:05}")))
        .collect();
    app.apply(Event::Load(LoadEvent::Loaded(shared(more))));
    serve_reads(&mut app);
    app.apply(Event::Load(LoadEvent::Progress { checked: 2000 }));
    serve_reads(&mut app);
    assert_eq!(app.selected_meta().unwrap().title(), "Story 00003");
    keys(&mut app, &["G"]);
    assert_eq!(app.selected_meta().unwrap().title(), "Story 01999");

    app.apply(Event::Load(LoadEvent::Done));
    serve_reads(&mut app);
    let status = status_line(&app);
    assert!(!status.contains("Loading"), "{status}");
    assert!(screen(&app).contains("2,000 articles"));
}

#[test]
fn a_real_load_fills_the_app_and_a_warm_start_keeps_the_selection() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<(String, String)> = (0..30)
        .map(|n| {
            (
                format!("lib/c{}/{n:02}.txt", n % 3),
                format!("Headline {n:02}\n\nBody {n}.\n"),
            )
        })
        .collect();
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_bytes()))
        .collect();
    write_tree(dir.path(), &refs);
    let req = request(dir.path());

    let mut cold = loading_app(&req);
    let mut said = Vec::new();
    load_streaming(&req, &mut |e| {
        cold.apply(Event::Load(e));
        serve_reads(&mut cold);
        said.extend(cold.activity());
    });
    assert_eq!(cold.visible().len(), 30);
    assert!(cold.activity().is_none());
    // Without a cache, the status bar says it is loading, never checking.
    assert!(said.iter().any(|s| s == "Loading 30 / 30"), "{said:?}");
    assert!(said.iter().all(|s| s.starts_with("Loading")), "{said:?}");

    // Warm start: the cached list arrives first; a file removed meanwhile
    // disappears; the story under the cursor stays under the cursor.
    let mut warm = loading_app(&req);
    let mut events = Vec::new();
    std::fs::remove_file(dir.path().join("lib/c0/00.txt")).unwrap();
    load_streaming(&req, &mut |e| events.push(e));
    assert!(matches!(events[0], LoadEvent::Cached(_)));
    warm.apply(Event::Load(events.remove(0)));
    serve_reads(&mut warm);
    // Everything known is listed at once; the files are only being checked.
    assert_eq!(warm.visible().len(), 30);
    let status = status_line(&warm);
    assert!(status.contains("Checking 30 articles"), "{status}");
    assert!(!status.contains("Loading"), "{status}");
    let found = events
        .iter()
        .position(|e| matches!(e, LoadEvent::Found { .. }));
    warm.apply(Event::Load(events.remove(found.unwrap())));
    serve_reads(&mut warm);
    let status = status_line(&warm);
    assert!(status.contains("Checking 0 / 29"), "{status}");
    keys(&mut warm, &["j", "j", "j", "j"]);
    let chosen = warm.selected_meta().unwrap().title().to_string();
    keys(&mut warm, &["enter"]);
    for e in events {
        warm.apply(Event::Load(e));
        serve_reads(&mut warm);
    }
    assert_eq!(warm.visible().len(), 29);
    assert_eq!(warm.selected_meta().unwrap().title(), chosen);
    assert_eq!(
        warm.reader().map(|r| r.id.clone()),
        warm.selected_meta().map(|m| m.id().to_string())
    );
}

#[test]
fn a_changed_file_updates_its_row_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let req = request(dir.path());
    let mut app = loading_app(&req);
    let a = phantom(&id(1), "Old headline");
    app.apply(Event::Load(LoadEvent::Loaded(shared(vec![
        a.clone(),
        phantom(&id(2), "Other"),
    ]))));
    serve_reads(&mut app);
    let new_id = id(3);
    let a = a.with_text(|t| {
        t.title = "New headline";
        t.id = &new_id;
    });
    app.apply(Event::Load(LoadEvent::Loaded(shared(vec![a]))));
    serve_reads(&mut app);
    let titles: Vec<&str> = app
        .visible()
        .iter()
        .map(|&i| app.library().articles()[i].title())
        .collect();
    assert_eq!(titles, ["New headline", "Other"]);
}

#[test]
fn ranked_answers_find_their_stories_as_the_library_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = loading_app(&request(dir.path()));
    let titles = |app: &App| -> Vec<String> {
        app.visible()
            .iter()
            .map(|&i| app.library().articles()[i].title().to_string())
            .collect()
    };
    let stories = (0..4).map(|n| phantom(&id(n), &format!("Story {n}")));
    app.apply(Event::Load(LoadEvent::Loaded(shared(stories))));
    serve_reads(&mut app);
    keys(&mut app, &["/"]);
    type_text(&mut app, "story");
    app.apply(Event::Ranked {
        query: "story".into(),
        ids: vec![id(2), id(0), id(9)],
    });
    serve_reads(&mut app);
    assert_eq!(titles(&app), ["Story 2", "Story 0"]);

    // Stories arrive, one is removed (the others move up) and one changes
    // (same file, new id): answers still land on the right stories.
    let more = (4..6).map(|n| phantom(&id(n), &format!("Story {n}")));
    app.apply(Event::Load(LoadEvent::Loaded(shared(more))));
    serve_reads(&mut app);
    app.apply(Event::Load(LoadEvent::Removed(vec![
        phantom(&id(0), "").path,
    ])));
    serve_reads(&mut app);
    let new_id = id(11);
    let changed = phantom(&id(1), "Story 1, changed").with_text(|t| t.id = &new_id);
    app.apply(Event::Load(LoadEvent::Loaded(shared(vec![changed]))));
    serve_reads(&mut app);
    type_text(&mut app, "s");
    app.apply(Event::Ranked {
        query: "storys".into(),
        ids: vec![id(5), id(11), id(0), id(1), id(2)],
    });
    serve_reads(&mut app);
    assert_eq!(titles(&app), ["Story 5", "Story 1, changed", "Story 2"]);
}

#[test]
fn indexing_that_waits_for_the_load_shows_once_loading_is_over() {
    let dir = tempfile::tempdir().unwrap();
    let req = request(dir.path());
    let mut app = loading_app(&req);
    app.apply(Event::Load(LoadEvent::Found { total: 2_000 }));
    serve_reads(&mut app);
    let batch: Vec<_> = (0..1000)
        .map(|n| phantom(&id(n), &format!("Story {n:05}")))
        .collect();
    app.apply(Event::Load(LoadEvent::Loaded(shared(batch))));
    serve_reads(&mut app);
    app.apply(Event::Load(LoadEvent::Progress { checked: 1000 }));
    serve_reads(&mut app);
    app.apply(Event::Indexing(tidings::search::worker::Report::Waiting));
    serve_reads(&mut app);
    // While loading, the loading progress is all the status bar says.
    let status = status_line(&app);
    assert!(status.contains("Loading 1,000 / 2,000"), "{status}");
    assert!(!status.contains("Indexing"), "{status}");
    // Loaded, with indexing still to come: no gap where it looks done.
    app.apply(Event::Load(LoadEvent::Done));
    serve_reads(&mut app);
    let status = status_line(&app);
    assert!(!status.contains("Loading"), "{status}");
    assert!(status.contains("Indexing"), "{status}");
    app.apply(Event::Indexing(tidings::search::worker::Report::Progress {
        done: 0,
        total: 1000,
    }));
    serve_reads(&mut app);
    let status = status_line(&app);
    assert!(status.contains("Indexing 0 / 1,000"), "{status}");
    app.apply(Event::Indexing(tidings::search::worker::Report::Ready));
    serve_reads(&mut app);
    assert!(!status_line(&app).contains("Indexing"));
}

#[test]
fn the_indexer_is_given_every_listed_story_and_no_copy() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = loading_app(&request(dir.path()));
    let paths = |metas: &[std::sync::Arc<tidings::article::ArticleMeta>]| -> Vec<String> {
        metas.iter().map(|m| m.path.display().to_string()).collect()
    };
    let stories = shared((0..3).map(|n| phantom(&id(n), &format!("Story {n}"))));
    app.apply(Event::Load(LoadEvent::Cached(stories.clone())));
    let changes = app.take_index_changes();
    assert_eq!(paths(&changes.add), paths(&stories));
    // A file with the same text as story 1, elsewhere: listed once,
    // indexed once.
    let mut copy = phantom(&id(1), "Story 1");
    copy.path = "/nonexistent/tidings-test/zz/copy.txt".into();
    app.apply(Event::Load(LoadEvent::Loaded(shared([copy.clone()]))));
    let changes = app.take_index_changes();
    assert!(changes.is_empty(), "{changes:?}");
    assert_eq!(app.library().len(), 3);
    app.apply(Event::Load(LoadEvent::CachedCopies(shared([copy]))));
    let changes = app.take_index_changes();
    assert!(changes.is_empty(), "{changes:?}");
    // Story 1's file goes: its copy is listed, and indexed, instead.
    let gone = stories[1].path.clone();
    app.apply(Event::Load(LoadEvent::Removed(vec![gone.clone()])));
    let changes = app.take_index_changes();
    assert_eq!(changes.remove, [gone]);
    assert_eq!(
        paths(&changes.add),
        ["/nonexistent/tidings-test/zz/copy.txt"]
    );
    assert_eq!(app.library().len(), 3);
}
