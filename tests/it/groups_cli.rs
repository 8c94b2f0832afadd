//! `tidings groups` and the `group` of `tidings list --json`: near-duplicate
//! stories (retitled, lightly edited) grouped, same-topic stories apart.

use crate::common::{run, tidings, write_tree};
use serde_json::Value;
use tempfile::TempDir;

/// A story of ordinary length about a council budget.
const BUDGET: &str = "The city council has approved its budget for the coming \
year after a long debate in the chamber on Tuesday evening. Councillors voted \
by a narrow margin to raise council tax by three per cent, the largest rise \
for a decade, saying that rising costs in social care left them no choice. \
The leader of the council said the settlement from central government had \
fallen short of what was needed to keep libraries and leisure centres open. \
Opposition members argued that savings could have been found in the \
administration budget, and that residents were already struggling with \
higher energy bills. A proposal to close two branch libraries was dropped \
after a petition signed by more than four thousand people. The budget also \
includes money for road repairs, with potholes on the ring road to be fixed \
before the summer, and a new scheme to plant trees in every ward.";

/// The same topic, another story: the council's budget, a year on.
const BUDGET_REVIEW: &str = "Auditors have criticised the city council for \
the way it managed its spending over the past twelve months. Their report \
found that the authority overspent on agency staff in children's services \
and failed to deliver most of the savings it had promised. The council's \
finance chief accepted the findings and said a recovery plan was already in \
place, with tighter controls on hiring and a review of contracts. Unions \
warned that further cuts would fall hardest on frontline workers, while \
business leaders called for a freeze in parking charges to help the high \
street. The report recommends that the council rebuild its reserves over \
three years and publish monthly figures so councillors can track progress. \
A meeting to discuss the findings will be held next month, and residents \
will be able to put questions to the cabinet member responsible.";

fn story(title: &str, date: &str, body: &str) -> Vec<u8> {
    format!("---\ntitle: \"{title}\"\ndate: {date}\n---\n\n{body}\n").into_bytes()
}

/// A library with the budget story three times (the original, a retitled
/// copy, a copy with one sentence edited) and two other stories on the
/// same topic, plus a short notice.
fn library() -> TempDir {
    let home = TempDir::new().unwrap();
    let edited = BUDGET.replace(
        "A proposal to close two branch libraries was dropped after a petition \
signed by more than four thousand people.",
        "Plans to shut two branch libraries were abandoned following a petition \
with over four thousand signatures.",
    );
    assert_ne!(edited, BUDGET);
    let files: Vec<(&str, Vec<u8>)> = vec![
        (
            "lib/local/budget.md",
            story("Council approves budget", "2024-03-01T09:00:00Z", BUDGET),
        ),
        (
            "lib/wire/budget-copy.md",
            story(
                "Tax rise as city budget passes",
                "2024-03-02T09:00:00Z",
                BUDGET,
            ),
        ),
        (
            "lib/wire/budget-edited.md",
            story(
                "Council budget: libraries saved",
                "2024-03-03T09:00:00Z",
                &edited,
            ),
        ),
        (
            "lib/local/review.md",
            story(
                "Auditors criticise council",
                "2024-03-04T09:00:00Z",
                BUDGET_REVIEW,
            ),
        ),
        (
            "lib/local/closed.md",
            story(
                "Office closed",
                "2024-03-05T09:00:00Z",
                "The office is closed on Monday.",
            ),
        ),
    ];
    let files: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (*p, b.as_slice())).collect();
    write_tree(home.path(), &files);
    home
}

fn json(home: &TempDir, args: &[&str]) -> Value {
    let (code, out, err) = run(tidings(home.path()).args(args));
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn list_json_gives_copies_one_group_and_same_topic_stories_none() {
    let home = library();
    let items = json(&home, &["list", "--json", "-l", "lib"]);
    let group_of = |path: &str| {
        let item = items
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["path"] == path)
            .unwrap_or_else(|| panic!("{path} listed"));
        item["group"].clone()
    };
    let group = group_of("local/budget.md");
    assert!(group.is_string(), "{group}");
    assert_eq!(group_of("wire/budget-copy.md"), group, "the retitled copy");
    assert_eq!(group_of("wire/budget-edited.md"), group, "the edited copy");
    assert_eq!(
        group_of("local/review.md"),
        Value::Null,
        "same topic, other story"
    );
    assert_eq!(
        group_of("local/closed.md"),
        Value::Null,
        "too short to group"
    );
    // The group is named by its smallest member id.
    let ids: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["group"] == group)
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(group.as_str(), ids.iter().min().copied());
}

#[test]
fn groups_json_lists_each_group_with_its_members_newest_first() {
    let home = library();
    let groups = json(&home, &["groups", "--json", "-l", "lib"]);
    let groups = groups.as_array().unwrap();
    assert_eq!(groups.len(), 1, "{groups:?}");
    let members = groups[0]["members"].as_array().unwrap();
    let paths: Vec<&str> = members
        .iter()
        .map(|m| m["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "wire/budget-edited.md",
            "wire/budget-copy.md",
            "local/budget.md"
        ]
    );
    assert_eq!(members[0]["title"], "Council budget: libraries saved");
    assert_eq!(members[0]["date"], "2024-03-03T09:00:00Z");
    for m in members {
        assert!(m["id"].is_string());
    }
}

#[test]
fn groups_text_is_a_block_per_group_with_path_and_title() {
    let home = library();
    let (code, out, _) = run(tidings(home.path()).args(["groups", "-l", "lib"]));
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines[0].starts_with("group ") && lines[0].ends_with("(3 versions)"));
    assert!(lines[1].ends_with("\twire/budget-edited.md\tCouncil budget: libraries saved"));
    assert!(lines[3].ends_with("\tlocal/budget.md\tCouncil approves budget"));
}

#[test]
fn group_duplicates_false_in_the_config_turns_grouping_off() {
    let home = library();
    std::fs::write(
        home.path().join("config.toml"),
        "group_duplicates = false\n",
    )
    .unwrap();
    let items = json(&home, &["list", "--json", "-l", "lib"]);
    assert!(
        items
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["group"].is_null())
    );
    let (code, out, _) = run(tidings(home.path()).args(["groups", "-l", "lib"]));
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn a_warm_start_groups_from_the_saved_fingerprints() {
    let home = library();
    let cold = json(&home, &["groups", "--json", "-l", "lib"]);
    let saved: Vec<_> = home
        .path()
        .join("cache/library")
        .read_dir()
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "prints"))
        .collect();
    assert_eq!(
        saved.len(),
        1,
        "the fingerprints are saved beside the load cache"
    );
    // The bodies are gone but unchanged in size and time: only the saved
    // fingerprints (and the load cache) can still group them. (Truncating would change the size, so the
    // file is swapped for one of the same length and time.)
    for rel in ["lib/local/budget.md", "lib/wire/budget-copy.md"] {
        let path = home.path().join(rel);
        let meta = std::fs::metadata(&path).unwrap();
        std::fs::write(&path, vec![b' '; meta.len() as usize]).unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(meta.modified().unwrap()).unwrap();
    }
    let warm = json(&home, &["groups", "--json", "-l", "lib"]);
    assert_eq!(warm, cold);
}

#[test]
fn titles_with_control_characters_are_printed_clean() {
    let home = TempDir::new().unwrap();
    let a = story("Evil\u{1b}[2J title", "2024-01-01T00:00:00Z", BUDGET);
    let b = story("Plain", "2024-01-02T00:00:00Z", BUDGET);
    write_tree(home.path(), &[("lib/a.md", &a), ("lib/b.md", &b)]);
    let (code, out, _) = run(tidings(home.path()).args(["groups", "-l", "lib"]));
    assert_eq!(code, 0);
    assert!(out.contains("Evil"), "{out}");
    assert!(!out.contains('\u{1b}'), "{out:?}");
}
