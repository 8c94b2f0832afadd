//! The user's configuration file (`config.toml`).
//!
//! Settings not given keep their defaults; an invalid file is an error that
//! names the file and the line, never silently ignored. The defaults for keys
//! and theme are `assets/config.toml`, compiled in, so the file a user reads
//! to learn the names is the one the program runs on.

use crate::action::Action;
use crate::keymap::{Key, KeyTable, Keymap, Mode};
use crate::ui::theme::{self, Element, Theme};
use ratatui::style::Style;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use toml::Spanned;

/// The default settings, as shipped.
pub const DEFAULTS: &str = include_str!("../assets/config.toml");

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Library folders or files (used when none is given on the command line).
    #[serde(default)]
    pub library: Vec<PathBuf>,
    /// Files larger than this many MiB are skipped.
    pub max_file_size_mib: Option<u64>,
    /// Pass over `LICENSE`, `README`, `COPYING` and the like in library
    /// folders (true unless set to false).
    pub ignore_project_files: Option<bool>,
    /// Key bindings given, per mode: only these replace the defaults.
    #[serde(default)]
    pub keys: BTreeMap<Mode, BTreeMap<Action, Spanned<KeyList>>>,
    /// Styles given: only these replace the defaults.
    #[serde(default)]
    pub theme: BTreeMap<Element, Spanned<StyleSpec>>,
    /// How reading behaves (`[reading]`).
    #[serde(default)]
    pub reading: Reading,
}

/// The `[reading]` table: settings not given keep the shipped defaults.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Reading {
    /// Opening a story in the reader marks it read.
    pub mark_read_on_open: Option<bool>,
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
    type Error = String;
    fn try_from(value: OneOrMany) -> Result<Self, String> {
        let names = match value {
            OneOrMany::One(name) => vec![name],
            OneOrMany::Many(names) => names,
        };
        names
            .iter()
            .map(|n| Key::parse(n))
            .collect::<Result<_, _>>()
            .map(KeyList)
    }
}

/// A style written as words (`"yellow bold"`), see [`theme::parse_style`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct StyleSpec(pub Style);

impl TryFrom<String> for StyleSpec {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        theme::parse_style(&value).map(StyleSpec)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {}: {}", .0.display(), .1)]
    Read(PathBuf, std::io::Error),
    #[error("invalid config {}: {}", .0.display(), .1)]
    Parse(PathBuf, String),
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
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut config = Self::parse_unchecked(text)?;
        config.check_bindings(text)?;
        config.library = config.library.iter().map(|p| expand_home(p)).collect();
        Ok(config)
    }

    fn parse_unchecked(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| crate::article::sanitize::sanitize(&e.to_string()))
    }

    /// The shipped defaults (parsed once).
    pub fn defaults() -> &'static Config {
        static DEFAULT: OnceLock<Config> = OnceLock::new();
        DEFAULT
            .get_or_init(|| Self::parse_unchecked(DEFAULTS).expect("assets/config.toml is valid"))
    }

    /// An action may only be bound in a mode where the defaults bind it:
    /// `bookmark` means nothing in the help overlay.
    fn check_bindings(&self, text: &str) -> Result<(), String> {
        let defaults = Keymap::from_table(&Self::defaults().key_table());
        for (&mode, actions) in &self.keys {
            for (&action, keys) in actions {
                if !defaults.allows(mode, action) {
                    return Err(format!(
                        "line {}: '{}' cannot be bound in [keys.{}]",
                        line_of(text, keys.span().start),
                        serde_name(&action),
                        serde_name(&mode)
                    ));
                }
            }
        }
        Ok(())
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

    /// The keymap: the defaults with this file's bindings over them.
    pub fn keymap(&self) -> Keymap {
        Keymap::from_table(&Self::defaults().key_table()).with_overrides(&self.key_table())
    }

    /// Whether opening a story marks it read: this file's setting, else the
    /// shipped default (on).
    pub fn mark_read_on_open(&self) -> bool {
        self.reading
            .mark_read_on_open
            .or(Self::defaults().reading.mark_read_on_open)
            .unwrap_or(true)
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

/// 1-based line number of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn defaults_parse_and_bind_every_mode() {
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
            let e = Config::parse(text).unwrap_err();
            assert!(e.contains("line 3"), "{text}: {e}");
        }
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
    fn mark_read_on_open_defaults_on_and_can_be_turned_off() {
        assert!(Config::default().mark_read_on_open());
        let c = Config::parse("[reading]\nmark_read_on_open = false\n").unwrap();
        assert!(!c.mark_read_on_open());
        let e = Config::parse("[reading]\nmark_read = false\n").unwrap_err();
        assert!(e.contains("line 2"), "{e}");
    }

    #[test]
    fn errors_name_the_line() {
        let e = Config::parse("library = [\"/news\"]\nbogus = 1\n").unwrap_err();
        assert!(e.contains("line 2"), "{e}");
    }
}
