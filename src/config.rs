//! The user's configuration file (`config.toml`).
//!
//! Settings not given keep their defaults; an invalid file is an error that
//! names the file and the line, never silently ignored. The defaults for keys
//! and theme are `assets/config.toml`, compiled in, so the file a user reads
//! to learn the names is the one the program runs on.

use crate::action::Action;
use crate::keymap::{Key, KeyTable, Keymap, Mode, NotAKey};
use crate::text::line_of;
use crate::theme::{self, Element, StyleError, Theme};
use ratatui::style::Style;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use toml::Spanned;

mod retired;
pub mod save;
pub mod views;
pub use views::{ViewSpec, Views};

/// The default settings, as shipped.
pub const DEFAULTS: &str = include_str!("../assets/config.toml");

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Library folders or files (used when none is given on the command line).
    #[serde(default)]
    pub library: Vec<PathBuf>,
    /// Where fetched feed items go (`~` expanded); `<data dir>/news` when
    /// not given.
    pub news_dir: Option<PathBuf>,
    /// Files larger than this many MiB are skipped.
    pub max_file_size_mib: Option<u64>,
    /// Pass over `LICENSE`, `README`, `COPYING` and the like in library
    /// folders (true unless set to false).
    pub ignore_project_files: Option<bool>,
    /// Gather near-duplicate stories into groups (true unless set to false).
    pub group_duplicates: Option<bool>,
    /// Take the mouse from the terminal (false unless set to true).
    pub mouse: Option<bool>,
    /// Hide rules: queries whose matching stories are never listed (see
    /// [`crate::hide`]).
    #[serde(default)]
    pub hide: Vec<String>,
    /// Key bindings given, per mode: only these replace the defaults.
    #[serde(default)]
    pub keys: BTreeMap<Mode, BTreeMap<Action, Spanned<KeyList>>>,
    /// Styles given: only these replace the defaults.
    #[serde(default)]
    pub theme: BTreeMap<Element, Spanned<StyleSpec>>,
    /// How reading behaves (`[reading]`).
    #[serde(default)]
    pub reading: Reading,
    /// Feeds in the reader (`[feeds]`).
    #[serde(default)]
    pub feeds: FeedsSettings,
    /// Saved views (`[[view]]`): when given, they replace the shipped list
    /// (see [`views`]).
    #[serde(default, rename = "view")]
    pub views: Option<Vec<Spanned<views::RawView>>>,
    /// The file's text when it lists views, to name their lines when one
    /// is left out.
    #[serde(skip)]
    views_text: String,
    /// Bindings of retired actions, left out: what to say about each.
    #[serde(skip)]
    retired: Vec<String>,
}

/// The `[feeds]` table.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FeedsSettings {
    /// While the reader is open, fetch every feed this many minutes apart
    /// (0 or absent: never on its own).
    pub refresh_minutes: Option<u32>,
}

/// The `[reading]` table: settings not given keep the shipped defaults.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Reading {
    /// Opening a story in the reader marks it read.
    pub mark_read_on_open: Option<bool>,
    /// Marking a story read (or unread) marks its near-duplicates too.
    pub read_marks_group: Option<bool>,
    /// Link text in the reader is also a terminal hyperlink (OSC 8).
    pub hyperlinks: Option<Hyperlinks>,
}

/// When link text is also written as an OSC 8 terminal hyperlink.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hyperlinks {
    /// Unless the terminal is known not to handle them (see [`Self::enabled`]).
    Auto,
    Always,
    Never,
}

impl Hyperlinks {
    /// Whether to write hyperlinks on the terminal `term` (`$TERM`; `tmux`:
    /// running inside tmux). `auto` is on except where OSC 8 is known to
    /// show as garbage or is unknown: no `TERM`, `dumb`, the Linux console
    /// (`linux`), and GNU screen (`screen*` outside tmux, which sets the
    /// same names but passes hyperlinks on).
    pub fn enabled(self, term: Option<&str>, tmux: bool) -> bool {
        match self {
            Self::Always => true,
            Self::Never => false,
            Self::Auto => term.is_some_and(|t| {
                !(t.is_empty() || t == "dumb" || t == "linux" || t.starts_with("screen") && !tmux)
            }),
        }
    }
}

/// One key or a list of keys: `"j"` or `["j", "down"]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "OneOrMany")]
pub struct KeyList(pub Vec<Key>);

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl TryFrom<OneOrMany> for KeyList {
    type Error = NotAKey;
    fn try_from(value: OneOrMany) -> Result<Self, NotAKey> {
        let names = match value {
            OneOrMany::One(name) => vec![name],
            OneOrMany::Many(names) => names,
        };
        let mut keys: Vec<Key> = Vec::with_capacity(names.len());
        for name in &names {
            let key = Key::parse(name)?;
            // A key named twice for one action is the same binding.
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        Ok(KeyList(keys))
    }
}

/// A style written as words (`"yellow bold"`), see [`theme::parse_style`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct StyleSpec(pub Style);

impl TryFrom<String> for StyleSpec {
    type Error = StyleError;
    fn try_from(value: String) -> Result<Self, StyleError> {
        theme::parse_style(&value).map(StyleSpec)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {}: {}", .0.display(), .1)]
    Read(PathBuf, std::io::Error),
    #[error("invalid config {}: {}", .0.display(), .1)]
    Parse(PathBuf, ParseError),
}

/// What is wrong with config text, at which line (1-based). The messages
/// are the ones the README quotes; names of modes and actions are shown as
/// they are written in the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Not TOML, or not a config (an unknown setting, a bad key or style);
    /// toml's message, sanitised, on one line.
    #[error("line {line}: {message}")]
    Toml { line: usize, message: String },
    /// As [`ParseError::Toml`], where toml could not say where.
    #[error("{0}")]
    TomlNowhere(String),
    #[error("line {line}: '{}' cannot be bound in [keys.{}]", serde_name(.action), serde_name(.mode))]
    NotBindable {
        line: usize,
        mode: Mode,
        action: Action,
    },
    #[error(
        "line {line}: '{key}' is typed into the search bar, so it cannot be bound there; use a \
         key with ctrl- or alt-, or a named key (enter, esc, f1...)"
    )]
    TypedInSearchBar { line: usize, key: Key },
    #[error(
        "line {line}: '{key}' is bound to {} here and to {} on line {first}; one key has one \
         action in [keys.{}]",
        serde_name(.action),
        serde_name(.other),
        serde_name(.mode)
    )]
    KeyTaken {
        line: usize,
        mode: Mode,
        key: Key,
        action: Action,
        other: Action,
        /// The line that bound `key` to `other`.
        first: usize,
    },
    #[error(
        "line {line}: [keys.{}] leaves no key to {}: every mode keeps a way out",
        serde_name(.mode),
        serde_name(&.mode.way_out())
    )]
    NoWayOut { line: usize, mode: Mode },
}

impl Config {
    /// Load `path`; a missing file is an empty config unless `explicit`
    /// (the user named it), when it is an error.
    pub fn load(path: &Path, explicit: bool) -> Result<Self, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text).map_err(|e| ConfigError::Parse(path.to_path_buf(), e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => Ok(Self::default()),
            Err(e) => Err(ConfigError::Read(path.to_path_buf(), e)),
        }
    }

    /// Parse config text; the error message names the line and column.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let (text, retired) = without_retired_bindings(text);
        let text = text.as_str();
        let mut config = Self::parse_unchecked(text)?;
        config.retired = retired;
        config.check_bindings(text)?;
        config.library = config.library.iter().map(|p| expand_home(p)).collect();
        config.news_dir = config.news_dir.as_deref().map(expand_home);
        if config.views.is_some() {
            config.views_text = text.to_string();
        }
        Ok(config)
    }

    /// toml's own report spans several lines with a drawing of the line;
    /// one line, `line N: what is wrong`, reads better after the file name.
    fn parse_unchecked(text: &str) -> Result<Self, ParseError> {
        toml::from_str(text).map_err(|e| {
            let message = crate::article::sanitize::sanitize_line(e.message().trim());
            match e.span() {
                Some(span) => ParseError::Toml {
                    line: line_of(text, span.start),
                    message,
                },
                None => ParseError::TomlNowhere(message),
            }
        })
    }

    /// What was left out of the file and why, besides views (see
    /// [`views::Views::problems`], which includes these).
    pub fn retired_bindings(&self) -> &[String] {
        &self.retired
    }

    /// The shipped defaults (parsed once).
    pub fn defaults() -> &'static Config {
        static DEFAULT: OnceLock<Config> = OnceLock::new();
        DEFAULT
            .get_or_init(|| Self::parse_unchecked(DEFAULTS).expect("assets/config.toml is valid"))
    }

    /// The bindings must leave the keyboard usable: an action only where the
    /// defaults bind it (`bookmark` means nothing in the help overlay), no
    /// character in the search bar (it must stay typable), one action per
    /// key in a mode, and a way out of every mode.
    fn check_bindings(&self, text: &str) -> Result<(), ParseError> {
        let defaults = Keymap::from_table(&Self::defaults().key_table());
        for (&mode, actions) in &self.keys {
            check_mode(&defaults, mode, actions, text)?;
        }
        let keymap = defaults.clone().with_overrides(&self.key_table());
        for mode in Mode::ALL {
            if keymap.keys(mode, mode.way_out()).is_empty() {
                let line = self.blame_way_out(mode, &defaults, text);
                return Err(ParseError::NoWayOut { line, mode });
            }
        }
        Ok(())
    }

    /// The line that took the last key of `mode`'s way out: where it is
    /// given (as an empty list), else the last binding that took one of its
    /// default keys.
    fn blame_way_out(&self, mode: Mode, defaults: &Keymap, text: &str) -> usize {
        let Some(actions) = self.keys.get(&mode) else {
            return 1;
        };
        let out = mode.way_out();
        let default_keys = defaults.keys(mode, out);
        let culprit = actions.get(&out).or_else(|| {
            actions
                .values()
                .filter(|keys| keys.get_ref().0.iter().any(|k| default_keys.contains(k)))
                .max_by_key(|keys| keys.span().start)
        });
        culprit.map_or(1, |keys| line_of(text, keys.span().start))
    }

    /// The bindings this file gives, without their positions.
    pub fn key_table(&self) -> KeyTable {
        self.keys
            .iter()
            .map(|(&mode, actions)| {
                let actions = actions
                    .iter()
                    .map(|(&a, keys)| (a, keys.get_ref().0.clone()))
                    .collect();
                (mode, actions)
            })
            .collect()
    }

    /// The keymap: the defaults with this file's bindings over them, and
    /// the keys of the views (see [`views::bind_views`]).
    pub fn keymap(&self) -> Keymap {
        views::bind_views(self.keymap_without_views(), &self.views().list)
    }

    /// The defaults with this file's bindings over them.
    pub fn keymap_without_views(&self) -> Keymap {
        Keymap::from_table(&Self::defaults().key_table()).with_overrides(&self.key_table())
    }

    /// Minutes between fetches while the reader is open; 0 for none.
    pub fn refresh_minutes(&self) -> u32 {
        self.feeds.refresh_minutes.unwrap_or(0)
    }

    /// Whether the reader takes the mouse: this file's setting, else the
    /// shipped default (off: capturing the mouse takes text selection away
    /// from the terminal).
    pub fn mouse(&self) -> bool {
        self.mouse.or(Self::defaults().mouse).unwrap_or(false)
    }

    /// Whether near-duplicate stories are grouped: this file's setting, else
    /// the shipped default (on).
    pub fn group_duplicates(&self) -> bool {
        self.group_duplicates
            .or(Self::defaults().group_duplicates)
            .unwrap_or(true)
    }

    /// Whether opening a story marks it read: this file's setting, else the
    /// shipped default (on).
    pub fn mark_read_on_open(&self) -> bool {
        self.reading
            .mark_read_on_open
            .or(Self::defaults().reading.mark_read_on_open)
            .unwrap_or(true)
    }

    /// Whether marking a story read marks its whole near-duplicate group:
    /// this file's setting, else the shipped default (on).
    pub fn read_marks_group(&self) -> bool {
        self.reading
            .read_marks_group
            .or(Self::defaults().reading.read_marks_group)
            .unwrap_or(true)
    }

    /// The hide rules: usable ones, and what is wrong with the others (an
    /// invalid rule is reported, never an error that stops the program).
    pub fn hide_rules(&self) -> crate::hide::Rules {
        crate::hide::Rules::new(&self.hide)
    }

    /// When to write hyperlinks: this file's setting, else the shipped
    /// default (`auto`).
    pub fn hyperlinks(&self) -> Hyperlinks {
        self.reading
            .hyperlinks
            .or(Self::defaults().reading.hyperlinks)
            .unwrap_or(Hyperlinks::Auto)
    }

    /// The theme: the defaults with this file's styles over them, and no
    /// colour at all when `colour` is false.
    pub fn theme(&self, colour: bool) -> Theme {
        let mut styles: BTreeMap<Element, Style> = Self::defaults()
            .theme
            .iter()
            .map(|(&e, s)| (e, s.get_ref().0))
            .collect();
        styles.extend(self.theme.iter().map(|(&e, s)| (e, s.get_ref().0)));
        let theme = Theme::new(styles);
        if colour {
            theme
        } else {
            theme.without_colour()
        }
    }
}

/// One mode's bindings from the file, checked in file order so that a clash
/// is reported at the later of its two lines.
fn check_mode(
    defaults: &Keymap,
    mode: Mode,
    actions: &BTreeMap<Action, Spanned<KeyList>>,
    text: &str,
) -> Result<(), ParseError> {
    let mut in_order: Vec<_> = actions.iter().collect();
    in_order.sort_by_key(|(_, keys)| keys.span().start);
    let mut taken: HashMap<Key, (Action, usize)> = HashMap::new();
    for (&action, keys) in in_order {
        let line = line_of(text, keys.span().start);
        if !defaults.allows(mode, action) {
            return Err(ParseError::NotBindable { line, mode, action });
        }
        for &key in &keys.get_ref().0 {
            if mode == Mode::Search && key.types_text() {
                return Err(ParseError::TypedInSearchBar { line, key });
            }
            if let Some(&(other, first)) = taken.get(&key)
                && other != action
            {
                return Err(ParseError::KeyTaken {
                    line,
                    mode,
                    key,
                    action,
                    other,
                    first,
                });
            }
            taken.insert(key, (action, line));
        }
    }
    Ok(())
}

/// The name serde gives a unit variant (`show_bookmarks`).
fn serde_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Whether colour is wanted: `NO_COLOR` set to anything non-empty, or the
/// `--no-color` flag, turns it off (<https://no-color.org>).
pub fn colour_wanted(no_color_flag: bool, no_color_env: Option<&std::ffi::OsStr>) -> bool {
    !no_color_flag && no_color_env.is_none_or(|v| v.is_empty())
}

/// `~/x` to `$HOME/x`.
pub fn expand_home(path: &Path) -> PathBuf {
    match (path.strip_prefix("~"), dirs::home_dir()) {
        (Ok(rest), Some(home)) => home.join(rest),
        _ => path.to_path_buf(),
    }
}

/// `text` with every binding of a retired action blanked out (see
/// [`retired`]), and a warning for each. Each is found where toml reports
/// it, so only what toml would refuse is touched.
fn without_retired_bindings(text: &str) -> (String, Vec<String>) {
    let mut text = text.to_string();
    let mut warnings = Vec::new();
    // Bounded: each round blanks one binding out of a file of a few.
    for _ in 0..64 {
        let Err(e) = toml::from_str::<Config>(&text) else {
            break;
        };
        let Some(span) = e.span() else { break };
        match retired::blank_binding(&text, e.message(), span) {
            Some((blanked, warning)) => {
                text = blanked;
                warnings.push(warning);
            }
            None => break,
        }
    }
    (text, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Color;

    #[test]
    fn hyperlinks_auto_is_off_where_osc8_shows_as_garbage() {
        let auto = Hyperlinks::Auto;
        assert!(auto.enabled(Some("xterm-256color"), false));
        assert!(auto.enabled(Some("screen-256color"), true), "inside tmux");
        for term in [None, Some(""), Some("dumb"), Some("linux"), Some("screen")] {
            assert!(!auto.enabled(term, false), "{term:?}");
        }
        assert!(Hyperlinks::Always.enabled(Some("linux"), false));
        assert!(!Hyperlinks::Never.enabled(Some("xterm"), false));
        assert_eq!(Config::default().hyperlinks(), Hyperlinks::Auto, "shipped");
        let config: Config = toml::from_str("[reading]\nhyperlinks = \"never\"").unwrap();
        assert_eq!(config.hyperlinks(), Hyperlinks::Never);
    }

    #[test]
    fn empty_config_is_default() {
        assert_eq!(Config::parse("").unwrap(), Config::default());
    }

    #[test]
    fn library_and_size() {
        let c = Config::parse("library = [\"/news\"]\nmax_file_size_mib = 4\n").unwrap();
        assert_eq!(c.library, [PathBuf::from("/news")]);
        assert_eq!(c.max_file_size_mib, Some(4));
    }

    #[test]
    fn hide_rules_are_read_and_a_bad_one_is_not_an_error() {
        let text = "hide = [\"category:sport/football\", \"title:horoscope\", \"writer:x\"]\n";
        let c = Config::parse(text).unwrap();
        assert_eq!(c.hide.len(), 3);
        let rules = c.hide_rules();
        assert_eq!(rules.queries().len(), 2);
        assert_eq!(rules.problems().len(), 1);
        assert!(Config::parse("").unwrap().hide_rules().is_empty());
        assert!(
            Config::parse("hide = \"title:x\"\n").is_err(),
            "a list, not a string"
        );
    }

    #[test]
    fn a_binding_of_a_retired_action_is_left_out_with_a_warning_and_the_rest_applies() {
        let text = "# mine\n[keys.list]\nbookmark = \"m\"\nshow_bookmarks = [\"w\",\n  \"]\"]\n\
                    show_unread = 'n'\n[keys.reader]\nshow_in_progress = \"c\" # old\n";
        let c = Config::parse(text).unwrap();
        let keymap = c.keymap();
        let m = Key::parse("m").unwrap();
        assert_eq!(keymap.action_of(Mode::List, m), Some(Action::Bookmark));
        let warnings = c.retired_bindings();
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(
            warnings[0].starts_with("line 4: `show_bookmarks` is no longer"),
            "{warnings:?}"
        );
        assert!(
            warnings[0].contains("query = \"is:bookmarked\""),
            "{warnings:?}"
        );
        assert!(
            warnings[1].starts_with("line 6: `show_unread`"),
            "{warnings:?}"
        );
        assert!(
            warnings[2].starts_with("line 8: `show_in_progress`"),
            "{warnings:?}"
        );
        // Said where view problems are: at start and by `tidings config`.
        assert_eq!(&c.views().problems[..3], warnings);
        // The key the retired binding had is free, not taken by it.
        assert_eq!(keymap.action_of(Mode::List, Key::parse("w").unwrap()), None);
    }

    #[test]
    fn after_a_retired_binding_other_mistakes_keep_their_line() {
        let text = "[keys.list]\nshow_unread = [\"n\",\n \"N\"]\nbogus = \"q\"\n";
        let e = Config::parse(text).unwrap_err().to_string();
        assert!(e.starts_with("line 4:"), "{e}");
        assert!(e.contains("bogus"), "{e}");
    }

    #[test]
    fn news_dir_expands_home() {
        let c = Config::parse("news_dir = \"~/news\"\n").unwrap();
        let home = dirs::home_dir().unwrap();
        assert_eq!(c.news_dir, Some(home.join("news")));
        assert_eq!(Config::parse("").unwrap().news_dir, None);
    }

    #[test]
    fn defaults_parse_and_bind_every_mode() {
        // The shipped file passes the checks a user's file must pass.
        Config::parse(DEFAULTS).unwrap();
        let keymap = Config::default().keymap();
        for mode in Mode::ALL {
            assert!(!keymap.bindings(mode).is_empty(), "{mode:?}");
            assert!(keymap.allows(mode, Action::Quit), "{mode:?}");
        }
        let theme = Config::default().theme(true);
        assert!(
            theme
                .style(Element::Selected)
                .add_modifier
                .contains(ratatui::style::Modifier::REVERSED)
        );
    }

    #[test]
    fn a_user_binding_replaces_only_that_action() {
        let c = Config::parse("[keys.list]\nbookmark = \"m\"\n").unwrap();
        let keymap = c.keymap();
        assert_eq!(
            keymap.keys(Mode::List, Action::Bookmark),
            [Key::parse("m").unwrap()]
        );
        assert_eq!(
            keymap.keys(Mode::Reader, Action::Bookmark),
            [Key::parse("b").unwrap()]
        );
        assert_eq!(keymap.keys(Mode::List, Action::Quit).len(), 2);
    }

    #[test]
    fn bad_bindings_and_styles_name_the_line() {
        for text in [
            "[keys.list]\ndown = \"j\"\nbookmark = \"ctrl-\"\n",
            "[keys.list]\ndown = \"j\"\nbookmrk = \"m\"\n",
            "[keys.help]\ndown = \"j\"\nbookmark = \"m\"\n",
            "[theme]\nheader = \"bold\"\nselected = \"purple\"\n",
        ] {
            let e = Config::parse(text).unwrap_err().to_string();
            assert!(e.contains("line 3"), "{text}: {e}");
        }
    }

    #[test]
    fn printable_keys_cannot_be_bound_in_the_search_bar() {
        for text in [
            "[keys.search]\ncancel = \"esc\"\nquit = \"q\"\n",
            "[keys.search]\ncancel = \"esc\"\nsubmit = \"a\"\n",
            "[keys.search]\ncancel = \"esc\"\nsubmit = [\"enter\", \"space\"]\n",
            "[keys.search]\ncancel = \"esc\"\ndown = \"J\"\n",
        ] {
            let e = Config::parse(text).unwrap_err().to_string();
            assert!(
                e.contains("line 3") && e.contains("search bar"),
                "{text}: {e}"
            );
        }
        let c = Config::parse("[keys.search]\nquit = \"ctrl-q\"\nsubmit = [\"enter\", \"f2\"]\n");
        assert!(c.is_ok(), "{c:?}");
    }

    #[test]
    fn every_mode_keeps_a_way_out() {
        for (text, action) in [
            ("[keys.list]\nbookmark = \"m\"\nquit = []\n", "quit"),
            ("[keys.reader]\nbookmark = \"m\"\nquit = []\n", "quit"),
            ("[keys.help]\ndown = \"j\"\nclose = []\n", "close"),
            ("[keys.skipped]\ndown = \"j\"\nclose = []\n", "close"),
            ("[keys.search]\nsubmit = \"enter\"\ncancel = []\n", "cancel"),
            // Every key of quit given to another action leaves none.
            (
                "[keys.list]\nhelp = \"?\"\nbookmark = [\"q\", \"ctrl-c\"]\n",
                "quit",
            ),
        ] {
            let e = Config::parse(text).unwrap_err().to_string();
            assert!(e.contains("line 3") && e.contains(action), "{text}: {e}");
        }
        // Another key for the way out is fine, and so is taking one of two.
        assert!(Config::parse("[keys.list]\nquit = \"ctrl-q\"\n").is_ok());
        assert!(Config::parse("[keys.list]\nbookmark = \"q\"\n").is_ok());
    }

    #[test]
    fn one_key_has_one_action_per_mode() {
        let e = Config::parse("[keys.list]\nbookmark = \"x\"\nraw = [\"r\", \"x\"]\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 3"), "{e}");
        assert!(e.contains("bookmark") && e.contains("raw"), "{e}");
        // The same key in two modes, or twice for one action, is fine.
        let c =
            Config::parse("[keys.list]\nbookmark = [\"x\", \"x\"]\n[keys.reader]\nraw = \"x\"\n")
                .unwrap();
        assert_eq!(c.keymap().keys(Mode::List, Action::Bookmark).len(), 1);
    }

    #[test]
    fn a_style_has_one_colour_and_one_background() {
        for text in [
            "[theme]\nheader = \"bold\"\nselected = \"red blue\"\n",
            "[theme]\nheader = \"bold\"\nselected = \"on red on blue\"\n",
            "[theme]\nheader = \"bold\"\nselected = \"yellow bold on red cyan\"\n",
        ] {
            let e = Config::parse(text).unwrap_err().to_string();
            assert!(e.contains("line 3"), "{text}: {e}");
        }
        let c = Config::parse("[theme]\nselected = \"bold yellow on blue\"\n").unwrap();
        let s = c.theme(true).style(Element::Selected);
        assert_eq!((s.fg, s.bg), (Some(Color::Yellow), Some(Color::Blue)));
    }

    #[test]
    fn no_color_is_any_non_empty_value_or_the_flag() {
        use std::ffi::OsStr;
        assert!(colour_wanted(false, None));
        assert!(colour_wanted(false, Some(OsStr::new(""))));
        assert!(!colour_wanted(false, Some(OsStr::new("1"))));
        assert!(!colour_wanted(true, None));
    }

    #[test]
    fn mouse_is_off_unless_turned_on() {
        assert!(!Config::default().mouse());
        assert!(!Config::parse("").unwrap().mouse());
        assert!(Config::parse("mouse = true\n").unwrap().mouse());
    }

    #[test]
    fn group_duplicates_defaults_on_and_can_be_turned_off() {
        assert!(Config::default().group_duplicates());
        assert!(Config::parse("").unwrap().group_duplicates());
        let c = Config::parse("group_duplicates = false\n").unwrap();
        assert!(!c.group_duplicates());
    }

    #[test]
    fn read_marks_group_defaults_on_and_can_be_turned_off() {
        assert!(Config::default().read_marks_group());
        let c = Config::parse("[reading]\nread_marks_group = false\n").unwrap();
        assert!(!c.read_marks_group());
    }

    #[test]
    fn mark_read_on_open_defaults_on_and_can_be_turned_off() {
        assert!(Config::default().mark_read_on_open());
        let c = Config::parse("[reading]\nmark_read_on_open = false\n").unwrap();
        assert!(!c.mark_read_on_open());
        let e = Config::parse("[reading]\nmark_read = false\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2"), "{e}");
    }

    #[test]
    fn errors_name_the_line() {
        let e = Config::parse("library = [\"/news\"]\nbogus = 1\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2"), "{e}");
    }

    #[test]
    fn refresh_minutes_is_read_and_checked() {
        assert_eq!(Config::default().refresh_minutes(), 0);
        let c = Config::parse("[feeds]\nrefresh_minutes = 15\n").unwrap();
        assert_eq!(c.refresh_minutes(), 15);
        for bad in [
            "refresh_minutes = -1",
            "refresh_minutes = \"often\"",
            "refresh = 5",
        ] {
            let e = Config::parse(&format!("\n[feeds]\n{bad}\n")).unwrap_err();
            assert!(e.to_string().starts_with("line 3: "), "{bad}: {e}");
        }
    }
}
