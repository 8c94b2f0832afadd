//! Saving a view into the user's `config.toml` (`ctrl-s` in the search
//! bar), as a `[[view]]` table after the ones it has.
//!
//! The file is the user's: their comments, blank lines, order and quoting
//! stay exactly as they wrote them. It is edited with `toml_edit`, which
//! keeps every byte it is not asked to change, and written atomically
//! (a temp file renamed over it), so a crash leaves the old file or the
//! new one, never half of one.

use super::ViewSpec;
use std::path::Path;
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("cannot read {}: {}", .0.display(), .1)]
    Read(std::path::PathBuf, std::io::Error),
    #[error("{} is not valid TOML ({}): not changed", .0.display(), .1)]
    NotToml(std::path::PathBuf, String),
    #[error("{} has `view` but not as [[view]] tables: not changed", .0.display())]
    NotViews(std::path::PathBuf),
    #[error("cannot write {}: {}", .0.display(), .1)]
    Write(std::path::PathBuf, std::io::Error),
}

/// Add `view` to the config at `path` (created, with its folder, when
/// missing). A file that lists no `[[view]]` yet gets `views`, the ones in
/// use, first: a file's views replace the shipped list, which would
/// otherwise be lost.
pub fn save_view(path: &Path, view: &ViewSpec, views: &[ViewSpec]) -> Result<(), SaveError> {
    // A config linked from elsewhere (a dotfiles folder) stays a link:
    // the file it points to is the one replaced.
    let resolved = std::fs::canonicalize(path).ok();
    let path = resolved.as_deref().unwrap_or(path);
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(SaveError::Read(path.to_path_buf(), e)),
    };
    let new = add_view(&text, view, views).map_err(|e| match e {
        Edit::NotToml(why) => SaveError::NotToml(path.to_path_buf(), why),
        Edit::NotViews => SaveError::NotViews(path.to_path_buf()),
    })?;
    let write = |e| SaveError::Write(path.to_path_buf(), e);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(write)?;
    }
    crate::store::atomic::write_atomic(path, new.as_bytes()).map_err(write)
}

/// Why config text could not take a view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    NotToml(String),
    /// `view` is there, but as something else than `[[view]]` tables.
    NotViews,
}

/// `text` with `view` added after its last `[[view]]` (after `views`
/// when it has none), every other byte as it was.
pub fn add_view(text: &str, view: &ViewSpec, views: &[ViewSpec]) -> Result<String, Edit> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| Edit::NotToml(e.message().to_string()))?;
    match doc.get_mut("view") {
        Some(Item::ArrayOfTables(tables)) => tables.push(table(view)),
        Some(_) => return Err(Edit::NotViews),
        None => {
            let mut tables = ArrayOfTables::new();
            for v in views.iter().chain([view]) {
                tables.push(table(v));
            }
            // Comments after the last setting belong to the file, not to
            // what follows: they stay above the new tables, where they were.
            let trailing = doc.trailing().as_str().unwrap_or("").to_string();
            if let Some(first) = tables.get_mut(0).filter(|_| !trailing.is_empty()) {
                first.decor_mut().set_prefix(separated(&trailing));
                doc.set_trailing("");
            }
            doc.insert("view", Item::ArrayOfTables(tables));
        }
    }
    Ok(doc.to_string())
}

/// `text` ended by a blank line, for a table to follow it.
fn separated(text: &str) -> String {
    let mut text = text.to_string();
    while !text.ends_with("\n\n") {
        text.push('\n');
    }
    text
}

fn table(view: &ViewSpec) -> Table {
    let mut table = Table::new();
    table["name"] = value(view.name.as_str());
    table["query"] = value(view.query.as_str());
    if let Some(key) = view.key {
        table["key"] = value(key.to_string());
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keymap::Key;

    fn tech() -> ViewSpec {
        ViewSpec::new("Tech", "category:tech \"a b\"", None)
    }

    /// The text `add_view` inserted, when the rest is `before` byte for byte.
    fn inserted(before: &str, after: &str) -> String {
        let start = before
            .bytes()
            .zip(after.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        let tail = before.len() - start;
        assert_eq!(
            &after[after.len() - tail..],
            &before[start..],
            "the rest of the file moved or changed"
        );
        after[start..after.len() - tail].to_string()
    }

    #[test]
    fn saving_a_view_keeps_every_other_byte_of_the_file() {
        let before = "# my config\n\nlibrary = [ '~/news' ]   # where\n\n[[view]]\nname   = \"Mine\"\nquery = 'is:unread'\n\n\n# keys next\n[keys.list]\ndown = [\"j\",\"down\"]\n";
        let after = add_view(before, &tech(), &[]).unwrap();
        let added = inserted(before, &after);
        assert!(
            added.contains("[[view]]\nname = \"Tech\"\nquery = "),
            "{added}"
        );
        let config = crate::config::Config::parse(&after).unwrap();
        let names: Vec<String> = config.views().list.into_iter().map(|v| v.name).collect();
        assert_eq!(names, ["Mine", "Tech"]);
        assert_eq!(config.views().list[1].query, "category:tech \"a b\"");
    }

    #[test]
    fn a_file_without_views_gets_the_ones_in_use_first() {
        let before = "# only a comment\n[reading]\nmark_read_on_open = false # no\n";
        let shipped = crate::config::Config::default().views().list;
        let after = add_view(before, &tech(), &shipped).unwrap();
        inserted(before, &after);
        let views = crate::config::Config::parse(&after).unwrap().views();
        let names: Vec<&str> = views.list.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(
            names,
            ["All", "Bookmarks", "Unread", "Continue reading", "Tech"]
        );
        assert_eq!(views.list[1].key, Some(Key::parse("B").unwrap()));
        assert!(views.problems.is_empty(), "{:?}", views.problems);
    }

    #[test]
    fn comments_at_the_end_of_a_file_without_views_stay_above_them() {
        let before = "# my tidings
mouse = true
# the end";
        let after = add_view(before, &tech(), &[]).unwrap();
        assert!(after.starts_with(before), "{after}");
        assert!(
            after[before.len()..].starts_with("\n\n[[view]]\n"),
            "{after}"
        );
    }

    #[test]
    fn a_file_that_is_not_toml_or_has_another_view_is_left_alone() {
        assert!(matches!(
            add_view("[[view]\n", &tech(), &[]),
            Err(Edit::NotToml(_))
        ));
        assert_eq!(add_view("view = 3\n", &tech(), &[]), Err(Edit::NotViews));
    }

    #[test]
    fn save_view_creates_the_file_and_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tidings").join("config.toml");
        save_view(&path, &tech(), &[]).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("[[view]]\nname = \"Tech\""), "{text}");
    }
}
