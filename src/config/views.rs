//! Saved views: `[[view]]` tables, each a name, a query and maybe a key.
//!
//! The shipped views (All, Bookmarks, Unread, Continue reading) are
//! `[[view]]` tables in `assets/config.toml`; a user file that lists any
//! `[[view]]` replaces that list whole, which is how views are reordered,
//! renamed or removed. A bad view (no name, a name used twice, a key that
//! is not a key or is taken) never stops the reader: it is left out (or
//! keeps no key) and [`Views::problems`] says why, with its line.

use super::Config;
use crate::action::Action;
use crate::keymap::{Key, Keymap, Mode};
use crate::text::line_of;
use serde::Deserialize;
use toml::Spanned;

/// The most views kept: a list longer than this is not read by anyone,
/// and each view may cost the engine a query.
pub const MAX_VIEWS: usize = 64;

/// One `[[view]]` table as written; checked by [`Views::resolve`].
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawView {
    pub name: Option<String>,
    #[serde(default)]
    pub query: String,
    pub key: Option<String>,
}

/// A view the reader can show: its name, its query, and the key that
/// switches to it (in the list and, where free, the reader).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewSpec {
    pub name: String,
    pub query: String,
    pub key: Option<Key>,
}

impl ViewSpec {
    pub fn new(name: &str, query: &str, key: Option<Key>) -> Self {
        Self {
            name: name.to_string(),
            query: query.to_string(),
            key,
        }
    }
}

/// The views in use, and what was wrong with the ones left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Views {
    pub list: Vec<ViewSpec>,
    /// One line per problem, `line N: ...`, to show in the status bar.
    pub problems: Vec<String>,
}

impl Views {
    /// Check the raw tables against the keymap (a view key may not take a
    /// key the list already uses). `text` is the file, for line numbers.
    pub fn resolve(raw: &[Spanned<RawView>], text: &str, keymap: &Keymap) -> Self {
        let mut views = Self::default();
        for table in raw.iter().take(MAX_VIEWS) {
            let line = line_of(text, table.span().start);
            match views.check(table.get_ref(), keymap) {
                Ok((view, key_problem)) => {
                    views
                        .problems
                        .extend(key_problem.map(|p| format!("line {line}: {p}")));
                    views.list.push(view);
                }
                Err(why) => views.problems.push(format!("line {line}: {why}")),
            }
        }
        if raw.len() > MAX_VIEWS {
            views
                .problems
                .push(format!("only the first {MAX_VIEWS} views are kept"));
        }
        if views.list.is_empty() {
            views.list.push(ViewSpec::new("All", "", None));
        }
        views
    }

    /// One view (and what was wrong with its key, which is then left
    /// out), or why the view is left out.
    fn check(&self, raw: &RawView, keymap: &Keymap) -> Result<(ViewSpec, Option<String>), String> {
        let name = crate::article::sanitize::sanitize_line(raw.name.as_deref().unwrap_or(""));
        let name = name.trim();
        if name.is_empty() {
            return Err("a [[view]] needs a name".to_string());
        }
        if self.find(name).is_some() {
            return Err(format!("there is already a view named '{name}'"));
        }
        let key = raw.key.as_deref().map(|k| self.key(name, k, keymap));
        let (key, problem) = match key {
            Some(Ok(key)) => (Some(key), None),
            Some(Err(why)) => (None, Some(why)),
            None => (None, None),
        };
        Ok((ViewSpec::new(name, raw.query.trim(), key), problem))
    }

    /// The view key, unless it is not a key or already has a job.
    fn key(&self, name: &str, text: &str, keymap: &Keymap) -> Result<Key, String> {
        let key = Key::parse(text).map_err(|e| format!("view '{name}': {e}"))?;
        let taken_by_action = keymap
            .bindings(Mode::List)
            .iter()
            .find(|b| b.keys.contains(&key));
        if let Some(b) = taken_by_action {
            let action = super::serde_name(&b.action);
            return Err(format!(
                "view '{name}': '{key}' is already {action} in the list"
            ));
        }
        if let Some(other) = self.list.iter().find(|v| v.key == Some(key)) {
            return Err(format!(
                "view '{name}': '{key}' is already the key of '{}'",
                other.name
            ));
        }
        if matches!(key.code, crossterm::event::KeyCode::Char('1'..='9'))
            && key.modifiers.is_empty()
        {
            return Err(format!("view '{name}': '{key}' goes to a view by number"));
        }
        Ok(key)
    }

    /// The position of the view named `name` (names compare as written,
    /// ignoring case: "unread" is the Unread view).
    pub fn find(&self, name: &str) -> Option<usize> {
        find(&self.list, name)
    }
}

/// The position of the view named `name`, ignoring case.
pub fn find(list: &[ViewSpec], name: &str) -> Option<usize> {
    let name = name.trim();
    list.iter().position(|v| v.name.eq_ignore_ascii_case(name))
}

impl Config {
    /// The views in use: this file's, when it lists any, else the shipped
    /// ones.
    pub fn views(&self) -> Views {
        let keymap = self.keymap_without_views();
        let mut views = match &self.views {
            Some(raw) => Views::resolve(raw, &self.views_text, &keymap),
            None => {
                let defaults = Self::defaults().views.as_deref().unwrap_or_default();
                Views::resolve(defaults, super::DEFAULTS, &keymap)
            }
        };
        // Retired bindings were views' keys before: said with them.
        let retired = self.retired_bindings().iter().cloned();
        views.problems.splice(0..0, retired);
        views
    }
}

/// Bind each view's key and `1`..`9` in the list and the reader: a view
/// key where no action has it (the list's keys were checked already), the
/// digits where the keymap leaves them free.
pub fn bind_views(keymap: Keymap, views: &[ViewSpec]) -> Keymap {
    let mut keymap = keymap;
    for mode in [Mode::List, Mode::Reader] {
        for (i, view) in views.iter().enumerate() {
            let Some(key) = view.key else { continue };
            if keymap.action_of(mode, key).is_none() {
                keymap.bind(mode, Action::View(index(i)), key);
            }
        }
    }
    for mode in [Mode::List, Mode::Reader, Mode::Views] {
        for (i, digit) in ('1'..='9').enumerate().take(views.len()) {
            let key = Key::new(
                crossterm::event::KeyCode::Char(digit),
                crossterm::event::KeyModifiers::NONE,
            );
            if keymap.action_of(mode, key).is_none() {
                keymap.bind(mode, Action::GoToView(index(i)), key);
            }
        }
    }
    keymap.with_view_names(views.iter().map(|v| v.name.clone()).collect())
}

/// A view's position as actions carry it ([`MAX_VIEWS`] fits).
fn index(i: usize) -> u8 {
    u8::try_from(i).unwrap_or(u8::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn views(text: &str) -> Views {
        Config::parse(text).unwrap().views()
    }

    fn names(views: &Views) -> Vec<&str> {
        views.list.iter().map(|v| v.name.as_str()).collect()
    }

    #[test]
    fn the_shipped_views_are_all_bookmarks_unread_and_continue_reading() {
        let v = views("");
        assert_eq!(
            names(&v),
            ["All", "Bookmarks", "Unread", "Continue reading"]
        );
        assert_eq!(v.list[1].query, "is:bookmarked");
        assert_eq!(v.list[1].key, Some(Key::parse("B").unwrap()));
        assert_eq!(v.list[3].query, "is:started");
        assert!(v.problems.is_empty(), "{:?}", v.problems);
    }

    #[test]
    fn a_user_view_list_replaces_the_shipped_one() {
        let text = "[[view]]\nname = \"Tech, unread\"\nquery = \"category:tech is:unread\"\nkey = \"T\"\n\n[[view]]\nname = \"All\"\n";
        let v = views(text);
        assert_eq!(names(&v), ["Tech, unread", "All"]);
        assert_eq!(v.list[0].key, Some(Key::parse("T").unwrap()));
        assert_eq!(v.list[1].query, "");
    }

    #[test]
    fn bad_views_are_reported_with_their_line_and_left_out() {
        let text = "[[view]]\nquery = \"x\"\n\n[[view]]\nname = \"A\"\n\n[[view]]\nname = \"a\"\n\n\
                    [[view]]\nname = \"B\"\nkey = \"j\"\n\n[[view]]\nname = \"C\"\nkey = \"F\"\n\n\
                    [[view]]\nname = \"D\"\nkey = \"F\"\n";
        let v = views(text);
        assert_eq!(names(&v), ["A", "B", "C", "D"]);
        assert_eq!(v.list[1].key, None, "j is the list's down");
        assert_eq!(v.list[2].key, Some(Key::parse("F").unwrap()));
        assert_eq!(v.list[3].key, None, "F is C's");
        assert_eq!(
            v.problems,
            [
                "line 1: a [[view]] needs a name",
                "line 7: there is already a view named 'a'",
                "line 10: view 'B': 'j' is already down in the list",
                "line 18: view 'D': 'F' is already the key of 'C'",
            ]
        );
    }

    #[test]
    fn view_keys_and_digits_are_bound_in_the_list_and_reader() {
        let config = Config::parse("").unwrap();
        let v = config.views();
        let keymap = bind_views(config.keymap_without_views(), &v.list);
        let key = |k: &str| Key::parse(k).unwrap();
        assert_eq!(
            keymap.action_of(Mode::List, key("U")),
            Some(Action::View(2))
        );
        assert_eq!(
            keymap.action_of(Mode::Reader, key("C")),
            Some(Action::View(3))
        );
        assert_eq!(
            keymap.action_of(Mode::List, key("1")),
            Some(Action::GoToView(0))
        );
        assert_eq!(
            keymap.action_of(Mode::List, key("4")),
            Some(Action::GoToView(3))
        );
        assert_eq!(keymap.action_of(Mode::List, key("5")), None, "four views");
    }
}
