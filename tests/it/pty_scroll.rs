//! Scrolling a long story full width in the real binary, through a pty:
//! what the terminal shows after scrolling with its scroll region must be
//! what the same state draws from scratch, and a line costs about a line.

use crate::app::keys;
use crate::common::pty::{Session, tidings_pty};
use crate::common::{drawn, write_tree};
use std::time::Duration;
use tidings::action::Action;
use tidings::app::{App, Settings, serve_reads};
use tidings::library::Library;

const TEXT: &str =
    "the council met again and said the bridge would open in spring, after years of delays.";

fn long_story(lib: &std::path::Path) {
    let body: Vec<String> = (0..150).map(|n| format!("Paragraph {n}: {TEXT}")).collect();
    let text = format!("# A long story\n\n{}\n", body.join("\n\n"));
    write_tree(lib, &[("long.md", text.as_bytes())]);
}

/// The rows of a screen's text, without trailing blanks.
fn rows(text: &str) -> Vec<String> {
    text.lines().map(|l| l.trim_end().to_string()).collect()
}

/// The reader's header and body rows as `app` draws them from scratch.
fn expected(app: &App) -> Vec<String> {
    let buffer = drawn(app).backend().buffer().clone();
    let area = buffer.area;
    let all: Vec<String> = (0..area.height)
        .map(|y| {
            let row: String = (0..area.width).map(|x| buffer[(x, y)].symbol()).collect();
            row.trim_end().to_string()
        })
        .collect();
    all[1..all.len() - 1].to_vec()
}

fn shown(s: &Session) -> Vec<String> {
    let all = rows(&s.screen());
    all.get(1..all.len().saturating_sub(1))
        .unwrap_or_default()
        .to_vec()
}

#[test]
fn a_full_width_scroll_shows_what_a_full_redraw_shows_and_writes_about_a_line() {
    let (w, h) = (100, 30);
    let home = tempfile::tempdir().unwrap();
    let lib = home.path().join("lib");
    long_story(&lib);
    let mut app = App::new(
        Library::load(std::slice::from_ref(&lib), Default::default()).unwrap(),
        Settings::default(),
    );
    app.update(Action::Resize(w, h));
    serve_reads(&mut app);
    let mut s = Session::spawn(
        tidings_pty(home.path(), &["-l", lib.to_str().unwrap()]),
        w,
        h,
        None,
    );
    s.wait_for("1 articles");
    let steps: [&[&str]; 9] = [
        &["enter"],
        &["Z"],
        &["j"],
        &["j", "j", "j"],
        &["k"],
        &["space"],
        &["k", "k"],
        &["G"],
        &["k"],
    ];
    for step in steps {
        keys(&mut app, step);
        let want = expected(&app);
        let before = s.output().len();
        for key in step {
            s.send(match *key {
                "enter" => "\r",
                "space" => " ",
                other => other,
            });
        }
        s.wait_until(&format!("{step:?} drawn as from scratch"), |s| {
            shown(s) == want
        });
        // Quiet: nothing more is written for the key.
        std::thread::sleep(Duration::from_millis(150));
        assert_eq!(shown(&s), want, "after {step:?}");
        if *step == ["k"] || *step == ["j"] {
            let bytes = s.output().len() - before;
            let bound = usize::from(w) * 2 + 80;
            assert!(bytes <= bound, "{bytes} bytes for {step:?}, over {bound}");
        }
    }
    s.send("\x03");
    assert_eq!(s.exit_code(), 0);
    s.assert_restored();
}
