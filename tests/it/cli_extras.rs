//! The command-line conveniences: shell completions and the man page
//! (generated from the clap definition), `tidings config`, and
//! `tidings list --query`.

use crate::common::{repo_file, run, tidings, write_tree};
use clap::CommandFactory;
use serde_json::Value;
use std::path::Path;
use tempfile::TempDir;
use tidings::cli::Cli;

/// Every subcommand name in the clap definition, nested ones too (so a
/// new subcommand is checked without touching these tests).
fn subcommand_names(command: &clap::Command) -> Vec<String> {
    let mut names = Vec::new();
    let mut stack: Vec<&clap::Command> = command.get_subcommands().collect();
    while let Some(sub) = stack.pop() {
        names.push(sub.get_name().to_string());
        stack.extend(sub.get_subcommands());
    }
    names
}

fn top_level_names() -> Vec<String> {
    Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect()
}

/// Run in `home` and expect success: stdout.
fn ok(home: &Path, args: &[&str]) -> String {
    let (code, out, err) = run(tidings(home).args(args));
    assert_eq!(code, 0, "tidings {args:?}: {err}");
    out
}

#[test]
fn completions_for_every_shell_name_every_subcommand() {
    let home = TempDir::new().unwrap();
    let names = subcommand_names(&Cli::command());
    assert!(names.len() >= 12, "{names:?}");
    // What makes each a real completion script, not just a word list.
    let markers = [
        ("bash", "complete -F _tidings"),
        ("zsh", "#compdef tidings"),
        ("fish", "complete -c tidings"),
        ("powershell", "Register-ArgumentCompleter"),
    ];
    for (shell, marker) in markers {
        let script = ok(home.path(), &["completions", shell]);
        assert!(script.contains(marker), "{shell}: no {marker:?}");
        for name in &names {
            assert!(script.contains(name.as_str()), "{shell}: no {name}");
        }
        // Options of subcommands complete too (fish names them `-l query`).
        let option = if shell == "fish" {
            "-l query"
        } else {
            "--query"
        };
        assert!(script.contains(option), "{shell}: no list --query");
    }
}

#[test]
fn completions_for_an_unknown_shell_are_a_usage_error() {
    let home = TempDir::new().unwrap();
    let (code, out, err) = run(tidings(home.path()).args(["completions", "tcsh"]));
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("bash") && err.contains("powershell"), "{err}");
}

#[test]
fn man_page_is_roff_naming_every_subcommand() {
    let home = TempDir::new().unwrap();
    let page = ok(home.path(), &["man"]);
    assert!(page.contains(".TH tidings 1"), "{page}");
    assert!(page.contains(".SH SYNOPSIS") && page.contains(".SH OPTIONS"));
    for name in top_level_names() {
        // roff escapes the hyphen of `tidings-list(1)`.
        let entry = format!("tidings\\-{}", name.replace('-', "\\-"));
        assert!(page.contains(&entry), "no {entry} in the man page");
    }
}

#[test]
fn man_dir_writes_a_page_for_every_page_the_main_page_names() {
    let home = TempDir::new().unwrap();
    let dir = home.path().join("man/man1");
    let said = ok(home.path(), &["man", "--dir", dir.to_str().unwrap()]);
    assert!(said.contains("man/man1"), "{said}");
    let main = std::fs::read_to_string(dir.join("tidings.1")).unwrap();
    assert!(main.contains(".TH tidings 1"), "{main}");
    for name in top_level_names() {
        let page = std::fs::read_to_string(dir.join(format!("tidings-{name}.1")))
            .unwrap_or_else(|e| panic!("no page for {name}: {e}"));
        assert!(page.contains(".TH tidings-"), "{name}: {page}");
    }
}

#[test]
fn generated_output_and_default_config_need_no_readable_config() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    std::fs::write(h.join("config.toml"), "this is = not [toml").unwrap();
    // The paths are printed all the same, with what is wrong, and the
    // exit code says it.
    let (code, out, err) = run(tidings(h).args(["config"]));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("invalid config") && err.contains("line 1"),
        "{err}"
    );
    assert!(out.contains("(invalid: line 1"), "{out}");
    assert!(out.contains("data dir   "), "{out}");
    for args in [
        &["completions", "bash"][..],
        &["man"],
        &["config", "--default"],
    ] {
        assert!(!ok(h, args).is_empty(), "{args:?}");
    }
}

#[test]
fn config_default_is_the_embedded_config_and_parses() {
    let home = TempDir::new().unwrap();
    let out = ok(home.path(), &["config", "--default"]);
    let shipped = std::fs::read_to_string(repo_file("assets/config.toml")).unwrap();
    assert_eq!(out, shipped);
    let table: toml::Table = toml::from_str(&out).expect("the default config parses");
    assert!(table.contains_key("keys"), "{table:?}");
    // And a file made from it is accepted as a config.
    std::fs::write(home.path().join("config.toml"), &out).unwrap();
    ok(home.path(), &["config"]);
}

/// `config --json` in `home` with extra arguments.
fn config_json(home: &Path, args: &[&str]) -> Value {
    let out = ok(home, &[&["config", "--json"][..], args].concat());
    serde_json::from_str(&out).expect("config --json is JSON")
}

#[test]
fn config_shows_the_paths_given_by_the_environment() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    let shown = |p: &str| h.join(p).to_str().unwrap().to_string();
    let v = config_json(h, &[]);
    assert_eq!(v["config"], shown("config.toml"));
    assert_eq!(v["config_exists"], true);
    assert_eq!(v["feeds"], shown("feeds.toml"));
    assert_eq!(v["data_dir"], shown("data"));
    assert_eq!(v["cache_dir"], shown("cache"));
    assert_eq!(v["news_dir"], shown("data/news"));
    assert_eq!(v["library"], serde_json::json!([]));
    let (code, out, err) = run(tidings(h)
        .args(["config"])
        .env("TIDINGS_LIBRARY", "/a:/b/c"));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("library    /a\n           /b/c\n"), "{out}");
    assert!(
        out.contains(&format!("data dir   {}\n", shown("data"))),
        "{out}"
    );
    assert!(out.contains(&format!("config     {}\n", shown("config.toml"))));
}

#[test]
fn config_shows_the_paths_given_by_flags_and_the_config_file() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    let other = h.join("other.toml");
    std::fs::write(&other, "news_dir = \"/srv/news\"\n").unwrap();
    let v = config_json(
        h,
        &[
            "--config",
            other.to_str().unwrap(),
            "--data-dir",
            "/d",
            "--cache-dir",
            "/c",
            "-l",
            "x",
            "-l",
            "y",
        ],
    );
    assert_eq!(v["config"], other.to_str().unwrap());
    assert_eq!(v["data_dir"], "/d");
    assert_eq!(v["cache_dir"], "/c");
    assert_eq!(v["library"], serde_json::json!(["x", "y"]));
    assert_eq!(v["news_dir"], "/srv/news");
}

#[cfg(target_os = "linux")]
#[test]
fn config_says_when_the_default_config_file_is_missing() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    let mut cmd = tidings(h);
    cmd.env_remove("TIDINGS_CONFIG")
        .env("XDG_CONFIG_HOME", h.join("xdg"));
    let (code, out, err) = run(cmd.arg("config"));
    assert_eq!(code, 0, "{err}");
    let path = h.join("xdg/tidings/config.toml");
    let line = format!("config     {} (not found", path.display());
    assert!(out.contains(&line), "{out}");
    let mut cmd = tidings(h);
    cmd.env_remove("TIDINGS_CONFIG")
        .env("XDG_CONFIG_HOME", h.join("xdg"));
    let (_, out, _) = run(cmd.args(["config", "--json"]));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["config_exists"], false);
}

/// A small library: two folders, a storm in two stories.
fn news() -> TempDir {
    let home = TempDir::new().unwrap();
    write_tree(
        home.path(),
        &[
            (
                "lib/world/harbour.txt",
                b"Harbour storm closes the port\n\nA storm closed the harbour.",
            ),
            (
                "lib/world/count.txt",
                b"Election count goes on\n\nThe count went on overnight.",
            ),
            (
                "lib/tech/chips.txt",
                b"Chip makers expect a storm of orders\n\nDemand rose again.",
            ),
            (
                "lib/tech/phones.txt",
                b"Phones get thinner\n\nThe new phones are thin.",
            ),
        ],
    );
    home
}

/// `list -l lib` lines, with extra arguments.
fn list(home: &Path, args: &[&str]) -> Vec<String> {
    let out = ok(home, &[&["list", "-l", "lib"][..], args].concat());
    out.lines().map(str::to_string).collect()
}

/// The lines of the whole list (in `sort`) whose title is one of `titles`.
fn expected(home: &Path, sort: &str, titles: &[&str]) -> Vec<String> {
    let lines = list(home, &["--sort", sort]);
    let picked: Vec<String> = lines
        .into_iter()
        .filter(|l| titles.iter().any(|t| l.ends_with(&format!("\t{t}"))))
        .collect();
    assert_eq!(picked.len(), titles.len(), "all in the list: {titles:?}");
    picked
}

const HARBOUR: &str = "Harbour storm closes the port";
const COUNT: &str = "Election count goes on";
const CHIPS: &str = "Chip makers expect a storm of orders";
const PHONES: &str = "Phones get thinner";

#[test]
fn list_query_gives_exactly_the_matching_stories_in_the_lists_order() {
    let home = news();
    let h = home.path();
    for sort in ["newest", "oldest", "title", "library"] {
        let got = list(h, &["--query", "storm", "--sort", sort]);
        assert_eq!(got, expected(h, sort, &[HARBOUR, CHIPS]), "{sort}");
    }
    let got = list(h, &["--query", "category:tech", "--sort", "title"]);
    assert_eq!(got, expected(h, "title", &[CHIPS, PHONES]));
    let got = list(h, &["--query", "storm category:world"]);
    assert_eq!(got, expected(h, "newest", &[HARBOUR]));
    let got = list(h, &["--query", "storm -harbour"]);
    assert_eq!(got, expected(h, "newest", &[CHIPS]));
    assert_eq!(list(h, &["--query", "volcano"]), Vec::<String>::new());
    // A query that starts with an exclusion is the option's value.
    let got = list(h, &["--query", "-harbour", "--sort", "title"]);
    assert_eq!(got, expected(h, "title", &[CHIPS, COUNT, PHONES]));
    // An empty query is the reader's empty search bar: everything.
    assert_eq!(list(h, &["--query", ""]), list(h, &[]));
}

/// Mark the story titled `title` read in `home`'s store, as the reader
/// does.
fn mark_read(home: &Path, title: &str) {
    let line = list(home, &[])
        .into_iter()
        .find(|l| l.ends_with(&format!("\t{title}")))
        .unwrap();
    let id = line.split('\t').next().unwrap();
    let (mut store, warnings) = tidings::store::Store::open(&home.join("data"));
    assert!(warnings.is_empty(), "{warnings:?}");
    store.set_read_now(id, true).unwrap();
}

#[test]
fn list_query_is_filters_use_the_reading_state() {
    let home = news();
    let h = home.path();
    mark_read(h, HARBOUR);
    mark_read(h, PHONES);
    let got = list(h, &["--query", "is:unread", "--sort", "title"]);
    assert_eq!(got, expected(h, "title", &[CHIPS, COUNT]));
    let got = list(h, &["--query", "is:read storm"]);
    assert_eq!(got, expected(h, "newest", &[HARBOUR]));
}

#[test]
fn list_query_json_is_list_json_of_the_matches() {
    let home = news();
    let h = home.path();
    mark_read(h, CHIPS);
    let parse = |args: &[&str]| -> Vec<Value> {
        let out = ok(h, &[&["list", "-l", "lib", "--json"][..], args].concat());
        serde_json::from_str(&out).expect("JSON")
    };
    let got = parse(&["--query", "storm", "--sort", "title"]);
    let titles: Vec<&str> = got.iter().map(|v| v["title"].as_str().unwrap()).collect();
    assert_eq!(titles, [CHIPS, HARBOUR]);
    let all = parse(&["--sort", "title"]);
    let same: Vec<&Value> = all
        .iter()
        .filter(|v| titles.contains(&v["title"].as_str().unwrap()))
        .collect();
    assert_eq!(got.iter().collect::<Vec<_>>(), same, "the same objects");
    assert_eq!(got[0]["read"], true);
    assert_eq!(got[0]["category"], "tech");
}

#[test]
fn list_query_sees_files_added_since_the_index_was_built() {
    let home = news();
    let h = home.path();
    assert_eq!(list(h, &["--query", "storm"]).len(), 2);
    write_tree(
        h,
        &[(
            "lib/world/late.txt",
            b"A late storm warning\n\nIssued at night.",
        )],
    );
    std::fs::remove_file(h.join("lib/tech/chips.txt")).unwrap();
    let got = list(h, &["--query", "storm", "--sort", "title"]);
    assert_eq!(
        got,
        expected(h, "title", &["A late storm warning", HARBOUR])
    );
}

#[test]
fn list_query_that_the_parser_must_reinterpret_is_a_usage_error() {
    let home = news();
    let h = home.path();
    for (query, message) in [
        ("\"unbalanced", "unbalanced quote"),
        ("is:nonsense", "unknown filter is:nonsense"),
        ("colour:red", "unknown field colour:"),
    ] {
        let (code, out, err) = run(tidings(h).args(["list", "-l", "lib", "--query", query]));
        assert_eq!(code, 2, "{query}: {err}");
        assert!(out.is_empty(), "{query}: {out}");
        assert!(err.contains(message), "{query}: {err}");
    }
}

#[test]
fn readme_command_line_names_every_subcommand() {
    let readme = std::fs::read_to_string(repo_file("README.md")).unwrap();
    let start = readme
        .find("## Command line")
        .expect("a Command line section");
    let section = &readme[start..];
    for name in top_level_names() {
        let usage = format!("\ntidings {name}");
        assert!(section.contains(&usage), "README: no `tidings {name}` line");
    }
    let install = readme
        .find("Installing completions and the man page")
        .map(|at| &readme[at..])
        .expect("an install section");
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let command = format!("tidings completions {shell}");
        assert!(install.contains(&command), "README: no {command:?}");
    }
    assert!(install.contains("tidings man --dir ~/.local/share/man/man1"));
}

#[test]
fn config_names_a_missing_config_file_given_on_the_command_line_and_prints_the_paths() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    let missing = h.join("nowhere/config.toml");
    let (code, out, err) = run(tidings(h).arg("--config").arg(&missing).arg("config"));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("cannot read config"), "{err}");
    let line = format!("config     {} (not found)", missing.display());
    assert!(out.contains(&line), "{out}");
    assert!(out.contains("cache dir  "), "{out}");
    let (code, out, _) = run(tidings(h)
        .arg("--config")
        .arg(&missing)
        .args(["config", "--json"]));
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).expect("JSON all the same");
    assert_eq!(v["config_exists"], false);
    assert!(
        v["config_error"]
            .as_str()
            .unwrap()
            .contains("cannot read config"),
        "{v}"
    );
    // Every other command still refuses to run without it.
    let (code, _, _) = run(tidings(h).arg("--config").arg(&missing).arg("list"));
    assert_eq!(code, 1);
}
