//! Keys to actions: one pure, mode-aware lookup.
//!
//! The default bindings live in `assets/config.toml`; a user's config
//! replaces the keys of the actions it names, per mode, and keeps the rest.
//! The help overlay and the status-bar hints read the same [`Keymap`], so a
//! rebinding shows up everywhere at once.

pub mod help;

use crate::action::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Where the keyboard goes: each mode has its own bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    List,
    Reader,
    Search,
    Help,
    Skipped,
    Links,
    Feeds,
    Views,
}

impl Mode {
    pub const ALL: [Mode; 8] = [
        Mode::List,
        Mode::Reader,
        Mode::Search,
        Mode::Help,
        Mode::Skipped,
        Mode::Links,
        Mode::Feeds,
        Mode::Views,
    ];

    /// The action that leaves this mode, which every keymap must keep
    /// bound: quitting from the list and the reader, closing an overlay,
    /// cancelling a search.
    pub fn way_out(self) -> Action {
        match self {
            Self::List | Self::Reader => Action::Quit,
            Self::Search => Action::Cancel,
            Self::Help | Self::Skipped | Self::Links | Self::Feeds | Self::Views => Action::Close,
        }
    }

    /// The heading for this mode in the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Self::List => "Story list",
            Self::Reader => "Reader",
            Self::Search => "Search bar",
            Self::Help => "Help",
            Self::Skipped => "Skipped files",
            Self::Links => "Links",
            Self::Feeds => "Feeds",
            Self::Views => "Views",
        }
    }
}

/// A key with its modifiers, normalised so that what a terminal sends and
/// what a config names compare equal (`J` arrives as `J`, with or without
/// SHIFT depending on the terminal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Key {
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Self {
        let mut modifiers =
            modifiers & (KeyModifiers::SHIFT | KeyModifiers::CONTROL | KeyModifiers::ALT);
        // A character already carries its case, and BackTab its shift; only
        // Shift-Space needs the modifier to be told apart.
        let shift_is_implied =
            matches!(code, KeyCode::Char(c) if c != ' ') || code == KeyCode::BackTab;
        if shift_is_implied {
            modifiers.remove(KeyModifiers::SHIFT);
        }
        let code = match code {
            // Ctrl-letters arrive lowercase from most terminals.
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            other => other,
        };
        Self { code, modifiers }
    }

    /// A key that types its character into the search bar: a character
    /// without ctrl or alt (shift only changes which character).
    pub fn types_text(&self) -> bool {
        matches!(self.code, KeyCode::Char(_))
            && !self
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    }

    /// Whether every terminal can send this key, with no keyboard protocol
    /// of its own: a character alone or with ctrl (a letter, but not the
    /// ones that are tab, enter and backspace), a named key without
    /// modifiers, f1 to f12. Not shift-space, shift- or ctrl- with a named
    /// key, or alt- (many terminals send it only when set up to).
    pub fn every_terminal_sends(&self) -> bool {
        let m = self.modifiers;
        match self.code {
            KeyCode::Char(c) if m.is_empty() => !c.is_control(),
            KeyCode::Char(c) if m == KeyModifiers::CONTROL => {
                c.is_ascii_lowercase() && !matches!(c, 'h' | 'i' | 'j' | 'm')
            }
            KeyCode::F(n) => m.is_empty() && n <= 12,
            KeyCode::Char(_) => false,
            _ => m.is_empty(),
        }
    }

    pub fn from_event(event: &KeyEvent) -> Self {
        Self::new(event.code, event.modifiers)
    }

    /// Parse a config name: `j`, `J`, `ctrl-d`, `shift-space`, `enter`, `f5`.
    pub fn parse(text: &str) -> Result<Self, NotAKey> {
        let bad = || NotAKey(text.to_string());
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        // A bare "-" is a key, so only split while a modifier prefix matches.
        loop {
            let lower = rest.to_ascii_lowercase();
            let (m, len) = if lower.starts_with("ctrl-") {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("alt-") {
                (KeyModifiers::ALT, 4)
            } else if lower.starts_with("shift-") {
                (KeyModifiers::SHIFT, 6)
            } else {
                break;
            };
            if rest.len() == len {
                return Err(bad());
            }
            modifiers |= m;
            rest = &rest[len..];
        }
        let code = parse_code(rest).ok_or_else(bad)?;
        Ok(Self::new(code, modifiers))
    }
}

/// A key name that [`Key::parse`] does not know, as written (sanitised
/// when shown: it comes from a user's file).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{}' is not a key", crate::article::sanitize::sanitize_line(.0))]
pub struct NotAKey(pub String);

fn parse_code(name: &str) -> Option<KeyCode> {
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return Some(KeyCode::Char(c));
    }
    let lower = name.to_ascii_lowercase();
    Some(match lower.as_str() {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" => KeyCode::Insert,
        "space" => KeyCode::Char(' '),
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" => KeyCode::PageUp,
        "pagedown" => KeyCode::PageDown,
        f if f.starts_with('f') => {
            KeyCode::F(f[1..].parse().ok().filter(|n| (1..=24).contains(n))?)
        }
        _ => return None,
    })
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("backtab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::Insert => f.write_str("insert"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// One action and the keys that trigger it in a mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub action: Action,
    pub keys: Vec<Key>,
}

/// Every mode's bindings, in [`Action`] order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    modes: BTreeMap<Mode, Vec<Binding>>,
    /// The views' names, in order, for the help to name what
    /// [`Action::View`] and [`Action::GoToView`] show.
    view_names: Vec<String>,
}

/// Per mode, the keys to use for each named action.
pub type KeyTable = BTreeMap<Mode, BTreeMap<Action, Vec<Key>>>;

impl Keymap {
    /// Build from a full table (the defaults).
    pub fn from_table(table: &KeyTable) -> Self {
        let modes = Mode::ALL
            .iter()
            .map(|&mode| {
                let bindings = table
                    .get(&mode)
                    .into_iter()
                    .flatten()
                    .map(|(&action, keys)| Binding {
                        action,
                        keys: keys.clone(),
                    })
                    .collect();
                (mode, bindings)
            })
            .collect();
        Self {
            modes,
            view_names: Vec::new(),
        }
    }

    /// The action `key` has in `mode`, if any.
    pub fn action_of(&self, mode: Mode, key: Key) -> Option<Action> {
        self.bindings(mode)
            .iter()
            .find(|b| b.keys.contains(&key))
            .map(|b| b.action)
    }

    /// Give `key` to `action` in `mode`, beside its other keys (views are
    /// bound this way; the caller checks the key is free).
    pub fn bind(&mut self, mode: Mode, action: Action, key: Key) {
        let bindings = self.modes.entry(mode).or_default();
        match bindings.iter_mut().find(|b| b.action == action) {
            Some(b) => b.keys.push(key),
            None => bindings.push(Binding {
                action,
                keys: vec![key],
            }),
        }
        bindings.sort_by_key(|b| b.action);
    }

    /// The views' names, in order (see [`crate::config::views`]).
    pub fn with_view_names(mut self, names: Vec<String>) -> Self {
        self.view_names = names;
        self
    }

    /// The name of the view at `index`, when there is one.
    pub fn view_name(&self, index: u8) -> Option<&str> {
        self.view_names.get(usize::from(index)).map(String::as_str)
    }

    /// Replace the keys of each action `overrides` names. A key the user
    /// gives to one action is taken away from any other action in that
    /// mode, so the user's choice always wins.
    pub fn with_overrides(mut self, overrides: &KeyTable) -> Self {
        for (mode, actions) in overrides {
            let bindings = self.modes.entry(*mode).or_default();
            for (&action, keys) in actions {
                for b in bindings.iter_mut().filter(|b| b.action != action) {
                    b.keys.retain(|k| !keys.contains(k));
                }
                match bindings.iter_mut().find(|b| b.action == action) {
                    Some(b) => b.keys = keys.clone(),
                    None => bindings.push(Binding {
                        action,
                        keys: keys.clone(),
                    }),
                }
            }
            bindings.sort_by_key(|b| b.action);
        }
        self
    }

    /// Whether `action` may be bound in `mode` (the defaults define which).
    pub fn allows(&self, mode: Mode, action: Action) -> bool {
        self.bindings(mode).iter().any(|b| b.action == action)
    }

    /// The action for a key event in a mode. Only presses act: terminals
    /// that report repeats and releases would otherwise act twice. In the
    /// search bar, an unbound printable character is typed.
    pub fn action_for(&self, mode: Mode, event: &KeyEvent) -> Option<Action> {
        if event.kind != KeyEventKind::Press {
            return None;
        }
        let key = Key::from_event(event);
        self.action_of(mode, key)
            .or_else(|| match (mode, key.code) {
                (Mode::Search, KeyCode::Char(c)) if key.types_text() => Some(Action::Insert(c)),
                _ => None,
            })
    }

    pub fn bindings(&self, mode: Mode) -> &[Binding] {
        self.modes.get(&mode).map_or(&[], Vec::as_slice)
    }

    /// The keys of `action` in `mode` to tell the user about: those every
    /// terminal can send, or all of them when it has none of those (the
    /// user chose them).
    pub fn shown_keys(&self, mode: Mode, action: Action) -> Vec<Key> {
        shown(self.keys(mode, action))
    }

    /// The keys bound to `action` in `mode`, for hints.
    pub fn keys(&self, mode: Mode, action: Action) -> &[Key] {
        self.bindings(mode)
            .iter()
            .find(|b| b.action == action)
            .map_or(&[], |b| b.keys.as_slice())
    }
}

/// What `action` does in `mode`, for the help overlay: moving is a story
/// in the list, a line in the reader and the overlays, a result in the
/// search bar.
pub fn describe(mode: Mode, action: Action) -> &'static str {
    let list = mode == Mode::List;
    match action {
        Action::Down if mode == Mode::Feeds => "next feed",
        Action::Up if mode == Mode::Feeds => "previous feed",
        Action::Open if mode == Mode::Feeds => "show only this feed or category (All: every story)",
        Action::Down if mode == Mode::Views => "next view",
        Action::Up if mode == Mode::Views => "previous view",
        Action::Open if mode == Mode::Views => "show this view",
        Action::Down if mode == Mode::Links => "next link",
        Action::Up if mode == Mode::Links => "previous link",
        Action::Down if mode == Mode::Search => "next result",
        Action::Up if mode == Mode::Search => "previous result",
        Action::Down if list => "next story",
        Action::Up if list => "previous story",
        Action::Down => "scroll down a line",
        Action::Up => "scroll up a line",
        Action::Top if list => "first story",
        Action::Bottom if list => "last story",
        Action::Back if list => "clear a kept search",
        Action::Back => "back to the list",
        Action::SwitchFocus if list => "to the reader",
        Action::SwitchFocus => "to the list",
        Action::OpenUrl if mode == Mode::Links => "open the selected link in the browser",
        Action::CopyUrl if mode == Mode::Links => "copy the selected link",
        Action::OpenUrl if list => "open the selected story's web page",
        Action::CopyUrl if list => "copy the selected story's web address",
        Action::Hide if list => "hide the story / unhide a hidden one",
        Action::Hide => "hide the story and read the next",
        other => other.describe(),
    }
}

/// Of `keys`, those every terminal can send, or all of them when none is.
pub fn shown(keys: &[Key]) -> Vec<Key> {
    let sendable: Vec<Key> = keys
        .iter()
        .copied()
        .filter(Key::every_terminal_sends)
        .collect();
    if sendable.is_empty() {
        keys.to_vec()
    } else {
        sendable
    }
}

/// Keys joined for display: `j/↓`.
pub fn join_keys(keys: &[Key], sep: &str) -> String {
    keys.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn parses_names_modifiers_and_single_characters() {
        assert_eq!(
            Key::parse("j").unwrap(),
            Key::new(KeyCode::Char('j'), KeyModifiers::NONE)
        );
        assert_eq!(
            Key::parse("ctrl-D").unwrap(),
            Key::new(KeyCode::Char('d'), KeyModifiers::CONTROL)
        );
        assert_eq!(Key::parse("-").unwrap().code, KeyCode::Char('-'));
        assert_eq!(Key::parse("F5").unwrap().code, KeyCode::F(5));
        assert!(Key::parse("ctrl-").is_err());
        assert!(Key::parse("f99").is_err());
        assert!(Key::parse("jj").is_err());
    }

    #[test]
    fn shifted_letters_match_with_or_without_the_shift_flag() {
        let a = Key::from_event(&press(KeyCode::Char('J'), KeyModifiers::SHIFT));
        let b = Key::from_event(&press(KeyCode::Char('J'), KeyModifiers::NONE));
        assert_eq!(a, b);
        assert_eq!(a, Key::parse("J").unwrap());
        let shift_space = Key::from_event(&press(KeyCode::Char(' '), KeyModifiers::SHIFT));
        assert_eq!(shift_space, Key::parse("shift-space").unwrap());
        assert_ne!(shift_space, Key::parse("space").unwrap());
    }

    #[test]
    fn keys_every_terminal_can_send() {
        for name in [
            "j",
            "J",
            "?",
            "space",
            "ctrl-d",
            "ctrl-c",
            "enter",
            "esc",
            "tab",
            "backtab",
            "backspace",
            "up",
            "pageup",
            "pagedown",
            "home",
            "end",
            "delete",
            "f1",
            "f12",
        ] {
            assert!(Key::parse(name).unwrap().every_terminal_sends(), "{name}");
        }
        for name in [
            "shift-space",
            "shift-enter",
            "shift-up",
            "ctrl-enter",
            "ctrl-space",
            "ctrl-1",
            "ctrl-i",
            "ctrl-m",
            "alt-x",
            "f13",
            "ctrl-shift-up",
        ] {
            assert!(!Key::parse(name).unwrap().every_terminal_sends(), "{name}");
        }
    }

    #[test]
    fn every_default_action_has_a_key_every_terminal_can_send() {
        let keymap = crate::config::Config::default().keymap();
        for mode in Mode::ALL {
            for binding in keymap.bindings(mode) {
                assert!(
                    binding.keys.iter().any(Key::every_terminal_sends),
                    "{mode:?} {:?}: {}",
                    binding.action,
                    join_keys(&binding.keys, ", ")
                );
            }
        }
    }

    #[test]
    fn display_round_trips_through_parse() {
        for name in ["j", "ctrl-d", "shift-space", "enter", "esc", "f3", "G"] {
            let key = Key::parse(name).unwrap();
            assert_eq!(Key::parse(&key.to_string()).unwrap(), key, "{name}");
        }
    }
}
