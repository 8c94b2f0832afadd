//! The README's key table is generated from the default keymap, so it can
//! never drift from `assets/config.toml`: this test builds the table from
//! `Config::default().keymap()` and fails, printing the table it expects,
//! when the README's copy differs or an action bound in the list, the
//! reader or the search bar has no row.

use crate::common::repo_file;
use tidings::action::Action;
use tidings::config::Config;
use tidings::keymap::{Keymap, Mode};

const START: &str = "<!-- generated from the default keymap; tests/it/readme.rs checks it -->\n";
const END: &str = "<!-- end of generated keys -->\n";
const MODES: [Mode; 3] = [Mode::List, Mode::Reader, Mode::Search];

/// The rows of the table: what a row says, and the actions whose keys it
/// shows, `/` between them. The order is the README's.
const ROWS: &[(&str, &[Action])] = &[
    (
        "down / up: a story, a line, a result",
        &[Action::Down, Action::Up],
    ),
    (
        "half a page down / up",
        &[Action::HalfPageDown, Action::HalfPageUp],
    ),
    ("a page down / up", &[Action::PageDown, Action::PageUp]),
    ("first / last", &[Action::Top, Action::Bottom]),
    ("open the story", &[Action::Open]),
    (
        "back to the list (list: clear a kept search)",
        &[Action::Back],
    ),
    ("to the other pane", &[Action::SwitchFocus]),
    (
        "next / previous story",
        &[Action::NextStory, Action::PreviousStory],
    ),
    (
        "next / previous match of the search",
        &[Action::NextMatch, Action::PreviousMatch],
    ),
    ("search", &[Action::Search]),
    (
        "keep the results / clear the search",
        &[Action::Submit, Action::Cancel],
    ),
    (
        "delete a character / a word / the line",
        &[Action::DeleteBack, Action::DeleteWord, Action::DeleteLine],
    ),
    ("bookmark on/off", &[Action::Bookmark]),
    ("read/unread", &[Action::ToggleRead]),
    (
        "undo the last read mark, bookmark or hide, several steps deep",
        &[Action::Undo],
    ),
    (
        "views: every saved view, with its unread stories",
        &[Action::Views],
    ),
    (
        "the view Bookmarks / Unread / Continue reading (again: the first, All)",
        &[Action::View(1), Action::View(2), Action::View(3)],
    ),
    (
        "the first, second... view (as numbered in the views overlay)",
        &[
            Action::GoToView(0),
            Action::GoToView(1),
            Action::GoToView(2),
            Action::GoToView(3),
        ],
    ),
    (
        "save the search as a view (asks for a name)",
        &[Action::SaveView],
    ),
    (
        "hide the story (reader: and read the next; on a hidden one: unhide) / hidden stories shown too (again: left out)",
        &[Action::Hide, Action::ShowHidden],
    ),
    (
        "sort: newest first, oldest first, by title, library order",
        &[Action::CycleSort],
    ),
    ("raw file on/off", &[Action::Raw]),
    (
        "the reader full width, without the list (again: both)",
        &[Action::FullWidth],
    ),
    ("the story's links, to open or copy", &[Action::Links]),
    (
        "open / copy the story's web address",
        &[Action::OpenUrl, Action::CopyUrl],
    ),
    (
        "the story's full text, from its web page",
        &[Action::FullText],
    ),
    ("snippets under headlines on/off", &[Action::Snippets]),
    ("fetch every feed, in the background", &[Action::FetchFeeds]),
    ("feeds: show one feed or category", &[Action::Feeds]),
    (
        "more like this: the stories most like this one (`esc`: back)",
        &[Action::Related],
    ),
    (
        "a story's other versions listed under it / folded (near-duplicate groups)",
        &[Action::ExpandGroup],
    ),
    (
        "next / previous version of a grouped story",
        &[Action::NextVersion, Action::PreviousVersion],
    ),
    (
        "group versions of a story on/off, for this session",
        &[Action::ToggleGroups],
    ),
    (
        "skipped files and failed feeds, and why",
        &[Action::Skipped],
    ),
    ("every key of every mode", &[Action::Help]),
    ("suspend to the shell (`fg` resumes)", &[Action::Suspend]),
    ("quit", &[Action::Quit]),
];

/// One cell: each action's keys in `mode` as code spans, `/` between
/// actions; empty when none of them is bound there.
fn cell(keymap: &Keymap, mode: Mode, actions: &[Action]) -> String {
    let groups: Vec<String> = actions
        .iter()
        .map(|&action| {
            let keys: Vec<String> = keymap
                .keys(mode, action)
                .iter()
                .map(|key| format!("`{key}`"))
                .collect();
            keys.join(" ")
        })
        .filter(|group| !group.is_empty())
        .collect();
    groups.join(" / ")
}

fn key_table(keymap: &Keymap) -> String {
    let mut table = String::from("| | list | reader | search bar |\n| --- | --- | --- | --- |\n");
    for (label, actions) in ROWS {
        table.push_str(&format!("| {label} |"));
        for mode in MODES {
            // An empty cell is written `| |`, as Markdown tables usually are.
            match cell(keymap, mode, actions) {
                keys if keys.is_empty() => table.push_str(" |"),
                keys => table.push_str(&format!(" {keys} |")),
            }
        }
        table.push('\n');
    }
    table
}

/// The README's table, between its markers.
fn readme_table() -> String {
    let readme = std::fs::read_to_string(repo_file("README.md")).expect("README.md is readable");
    let start = readme.find(START).expect("the key table's start marker") + START.len();
    let end = readme[start..]
        .find(END)
        .expect("the key table's end marker")
        + start;
    readme[start..end].to_string()
}

#[test]
fn readme_key_table_is_the_default_keymap() {
    let expected = key_table(&Config::default().keymap());
    assert!(
        readme_table() == expected,
        "README.md's key table differs from the default keymap; between the \
         markers it should read:\n\n{expected}"
    );
}

#[test]
fn every_bound_action_has_a_row_in_the_readme_key_table() {
    let keymap = Config::default().keymap();
    for mode in MODES {
        for binding in keymap.bindings(mode) {
            assert!(
                ROWS.iter()
                    .any(|(_, actions)| actions.contains(&binding.action)),
                "{:?} is bound in {mode:?} but has no row in the README's key table",
                binding.action
            );
        }
    }
}
