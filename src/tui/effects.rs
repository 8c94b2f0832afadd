//! Doing what the app asks for outside itself ([`App::take_effects`]):
//! opening a link in the user's browser and copying one to the clipboard,
//! then telling the app how it went, as a status-bar message; and starting
//! a story's full-text fetch ([`super::full_article`]), which reports back
//! to the loop when it is done.
//!
//! Every URL here already passed [`safe_url`]; it is checked again where it
//! leaves (a well-formed http, https or mailto URL for the browser, the
//! safe form exactly for OSC 52), so nothing else can ever get out.
//!
//! Opening goes through the `webbrowser` crate: `$BROWSER`, then the
//! platform's opener (xdg-open and the like), started in the background
//! with stdin, stdout and stderr on /dev/null, so it cannot draw on our
//! terminal. Two cases would put a browser on this terminal, fighting the
//! reader for the screen and the keyboard, so they copy instead and say so:
//! no display to open a window on (over SSH, or a Linux console), and a
//! `$BROWSER` that is a text browser (lynx, w3m...), which `webbrowser`
//! runs in the foreground on our terminal.
//!
//! [`safe_url`]: crate::article::links::safe_url

use super::full_article::{FullTextJobs, Job};
use crate::app::{App, Effect, Event};
use crate::terminal;
use std::ffi::OsString;
use std::io::{self, Write};
use std::path::Path;

/// Programs `webbrowser` runs in the foreground, on the terminal (its own
/// list, so the two agree on what shares the terminal).
const TEXT_BROWSERS: [&str; 9] = [
    "lynx", "links", "links2", "elinks", "w3m", "eww", "netrik", "retawq", "curl",
];

/// How a link is opened here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opener {
    /// A graphical browser, started in the background.
    Browser,
    /// Opening cannot work here: copy instead, saying why (`No display
    /// over SSH`).
    CopyInstead(String),
}

/// Perform the effects the app queued; `true` when there were any (the
/// status bar then has news to draw). A full text is fetched on a thread
/// of `jobs`, which reports back to the loop when done.
pub fn perform(app: &mut App, jobs: &FullTextJobs) -> bool {
    let effects = app.take_effects();
    let any = !effects.is_empty();
    let env = |name: &str| std::env::var_os(name);
    for effect in effects {
        let (text, error) = match effect {
            Effect::Open(url) => open(&url, opener(&env), &mut io::stdout()),
            Effect::Copy(url) => copy(&url, &mut io::stdout()),
            Effect::FullText { path, root, url } => {
                let load = app.library().options().clone();
                jobs.start(Job {
                    path,
                    root,
                    url,
                    load,
                });
                continue;
            }
            Effect::SaveView { path, view, views } => {
                match crate::config::save::save_view(&path, &view, &views) {
                    Ok(()) => app.apply(Event::ViewSaved(view)),
                    Err(e) => app.apply(Event::Message {
                        text: format!("View not saved: {e}"),
                        error: true,
                    }),
                }
                continue;
            }
        };
        app.apply(Event::Message { text, error });
    }
    any
}

/// Open `url` as `how` says; the status-bar message and whether it is an
/// error.
fn open(url: &str, how: Opener, out: &mut impl Write) -> (String, bool) {
    let parsed = match url::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https" | "mailto") => parsed,
        // `webbrowser` takes what does not parse as a URL for a file path,
        // so nothing else may reach it.
        _ => return ("Not opened: not a well-formed link".to_string(), true),
    };
    match how {
        Opener::CopyInstead(why) => match terminal::copy_to_clipboard(out, url) {
            Ok(()) => (format!("{why}: copied {url} instead"), false),
            Err(e) => (format!("{why}, and not copied: {e}"), true),
        },
        Opener::Browser => match webbrowser::open(parsed.as_str()) {
            Ok(()) => (format!("Opened {parsed} in the browser"), false),
            Err(e) => (format!("Not opened: {e}"), true),
        },
    }
}

/// Copy `url` with OSC 52; the status-bar message and whether it is an
/// error.
fn copy(url: &str, out: &mut impl Write) -> (String, bool) {
    match terminal::copy_to_clipboard(out, url) {
        Ok(()) => (format!("Copied {url}"), false),
        Err(e) => (format!("Not copied: {e}"), true),
    }
}

/// Whether a browser can be opened, from the environment `env` reads.
pub fn opener(env: &dyn Fn(&str) -> Option<OsString>) -> Opener {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    let display = set("DISPLAY") || set("WAYLAND_DISPLAY");
    let ssh = set("SSH_CONNECTION") || set("SSH_TTY");
    // Elsewhere (macOS, Windows) the opener needs no display variable; WSL
    // opens the Windows browser.
    let needs_display = cfg!(target_os = "linux") && !set("WSL_DISTRO_NAME");
    if needs_display && !display {
        let why = if ssh {
            "No display over SSH"
        } else {
            "No display to open a browser on"
        };
        return Opener::CopyInstead(why.to_string());
    }
    match text_browser(env) {
        Some(name) => Opener::CopyInstead(format!(
            "Not opened: $BROWSER is {name}, a text browser that would share this terminal"
        )),
        None => Opener::Browser,
    }
}

/// The text browser `webbrowser` would run from `$BROWSER`: the first of
/// its `:`-separated commands that exists, when that is a text browser.
fn text_browser(env: &dyn Fn(&str) -> Option<OsString>) -> Option<String> {
    let browser = env("BROWSER")?.into_string().ok()?;
    let path = env("PATH").unwrap_or_default();
    let first = browser
        .split(':')
        .filter_map(|entry| entry.split_ascii_whitespace().next())
        .find(|command| exists(command, &path))?;
    let name = Path::new(first).file_name()?.to_str()?;
    TEXT_BROWSERS.contains(&name).then(|| name.to_string())
}

/// Whether `command` is a file, by its path or on `path`, as `webbrowser`
/// looks for it.
fn exists(command: &str, path: &OsString) -> bool {
    if command.contains('/') {
        return Path::new(command).is_file();
    }
    std::env::split_paths(path).any(|dir| dir.join(command).is_file())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let map: HashMap<String, OsString> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn over_ssh_without_a_display_links_are_copied_instead() {
        let how = opener(&env_of(&[("SSH_CONNECTION", "10.0.0.1 22 10.0.0.2 22")]));
        assert_eq!(how, Opener::CopyInstead("No display over SSH".into()));
        let forwarded = env_of(&[("SSH_TTY", "/dev/pts/3"), ("DISPLAY", "localhost:10.0")]);
        assert_eq!(opener(&forwarded), Opener::Browser);
        let mut out = Vec::new();
        let (text, error) = open("https://example.org/a", how, &mut out);
        assert_eq!(
            text,
            "No display over SSH: copied https://example.org/a instead"
        );
        assert!(!error);
        assert_eq!(out, b"\x1b]52;c;aHR0cHM6Ly9leGFtcGxlLm9yZy9h\x07");
    }

    #[test]
    fn a_text_browser_in_browser_is_not_run_on_our_terminal() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["w3m", "firefox"] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        let path = dir.path().to_str().unwrap();
        let with = |browser: &str| {
            opener(&env_of(&[
                ("DISPLAY", ":0"),
                ("PATH", path),
                ("BROWSER", browser),
            ]))
        };
        assert!(matches!(with("w3m"), Opener::CopyInstead(why) if why.contains("w3m")));
        assert!(matches!(with("missing:w3m -o x"), Opener::CopyInstead(_)));
        assert_eq!(with("firefox:w3m"), Opener::Browser);
        assert_eq!(with(&format!("{path}/firefox %s")), Opener::Browser);
    }

    #[test]
    fn only_well_formed_web_and_mail_links_reach_the_browser() {
        let mut out = Vec::new();
        for refused in ["https://exa%zzmple.org/", "file:///etc/passwd", "no link"] {
            let (text, error) = open(refused, Opener::Browser, &mut out);
            assert_eq!(text, "Not opened: not a well-formed link", "{refused}");
            assert!(error);
        }
        assert!(out.is_empty());
    }

    #[test]
    fn copying_says_what_was_copied_and_refuses_anything_else() {
        let mut out = Vec::new();
        assert_eq!(
            copy("mailto:desk@example.org", &mut out),
            ("Copied mailto:desk@example.org".to_string(), false)
        );
        assert!(out.starts_with(b"\x1b]52;c;"));
        let mut out = Vec::new();
        let (text, error) = copy("https://example.org/\x1b]0;x\x07", &mut out);
        assert!(error && text.starts_with("Not copied"), "{text}");
        assert!(out.is_empty());
    }
}
