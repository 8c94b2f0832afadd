//! Shared helpers for the integration tests: the fixtures on disk, the
//! built binary run in an isolated home ([`home`]), in a pseudo-terminal
//! ([`pty`]), and the app drawn into a `TestBackend` ([`screen`]).

#![allow(dead_code)]

pub mod home;
pub mod http;
pub mod pty;
pub mod screen;

pub use home::{isolate, tidings, tidings_in};
pub use screen::{drawn, screen};

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The BBC corpus beside the project, when present (it is not on a user's
/// clone; tests that need it skip with a note).
pub fn bbc_corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/bbc");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("note: ../shared/corpus/bbc not found; skipping corpus test");
        None
    }
}

pub fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Run and return (status code, stdout, stderr).
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("tidings runs");
    (
        status.code().unwrap_or(-1),
        String::from_utf8(stdout).expect("stdout is UTF-8"),
        String::from_utf8(stderr).expect("stderr is UTF-8"),
    )
}

/// Write `files` (relative path, bytes) under `root`.
pub fn write_tree(root: &Path, files: &[(&str, &[u8])]) {
    for (rel, bytes) in files {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

/// Run with a deadline: (status code, stdout, stderr). A command still
/// running after `limit` is killed and the test fails, so a hang (a FIFO
/// opened for reading, a symlink loop followed forever) fails CI instead of
/// stalling it.
pub fn run_with_timeout(cmd: &mut Command, limit: std::time::Duration) -> (i32, String, String) {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tidings starts");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).map(|_| bytes)
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let deadline = std::time::Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for tidings") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("tidings did not finish within {limit:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let text = |h: std::thread::JoinHandle<std::io::Result<Vec<u8>>>| {
        String::from_utf8(h.join().unwrap().expect("read output")).expect("output is UTF-8")
    };
    (status.code().unwrap_or(-1), text(out), text(err))
}

/// `tidings search -l lib ARGS` in `home`: (code, stdout, stderr).
pub fn search_lib(home: &Path, args: &[&str]) -> (i32, String, String) {
    run(tidings(home).args(["search", "-l", "lib"]).args(args))
}

/// The titles `tidings search` printed (its third column), sorted.
pub fn printed_titles(out: &str) -> Vec<String> {
    let mut t: Vec<String> = out
        .lines()
        .map(|l| l.splitn(3, '\t').nth(2).unwrap().to_string())
        .collect();
    t.sort();
    t
}
