//! The plain-text parser on real input: the seeds, the bundled library and
//! the whole BBC corpus when it is present.

use crate::common::{bbc_corpus, repo_file};
use tidings::library::{Library, LoadOptions, parse_bytes};

fn seed(name: &str) -> tidings::article::Parsed {
    let bytes = std::fs::read(repo_file(&format!("articles/{name}"))).unwrap();
    parse_bytes(&bytes, tidings::article::Format::Text).expect("seed parses")
}

#[test]
fn seed_000_kicker_headline_captions_and_navigation() {
    let a = seed("000_1f3a6cc88dee49d1.txt");
    assert_eq!(a.kicker.as_deref(), Some("paris attacks"));
    assert_eq!(
        a.title,
        "France Is Asking Everyone for Help in Its ‘War’ Against ISIS"
    );
    // The two caption lines under the headline are gone...
    assert!(a.paragraphs.iter().all(|p| !p.contains("Getty Images")));
    assert!(
        a.paragraphs
            .iter()
            .all(|p| !p.starts_with("French President Francois Hollande Receives"))
    );
    // ...prose starts with the first real paragraph...
    assert!(a.paragraphs[0].starts_with("In the days since 129 people were killed"));
    // ...and the related-story headline at the end is dropped.
    let last = a.paragraphs.last().unwrap();
    assert!(
        last.starts_with("Hollande will travel to Washington"),
        "{last}"
    );
}

#[test]
fn seed_004_ad_token_and_site_navigation_removed_prose_kept() {
    let a = seed("004_0d84674a96582b98.txt");
    assert_eq!(a.kicker, None);
    assert_eq!(
        a.title,
        "Obama pledges solidarity with France against ISIS ‘scourge’"
    );
    assert!(a.paragraphs.iter().all(|p| !p.contains('{')));
    assert!(
        a.paragraphs
            .iter()
            .any(|p| p.starts_with("“Make no mistake: we will win"))
    );
    assert_eq!(
        a.paragraphs.last().unwrap(),
        "This story was updated at 3:30 p.m."
    );
    for nav in [
        "Most Popular",
        "Load more",
        "See all Video",
        "See all Hill.TV See all Video",
    ] {
        assert!(!a.paragraphs.iter().any(|p| p == nav), "{nav} kept");
    }
}

#[test]
fn bundled_library_has_categories_and_no_skips() {
    let lib = Library::load(&[repo_file("articles")], LoadOptions::default()).unwrap();
    assert_eq!(lib.skipped(), []);
    assert_eq!(lib.len(), 15);
    let categories: std::collections::BTreeSet<_> =
        lib.articles().iter().filter_map(|a| a.category()).collect();
    assert_eq!(
        categories.into_iter().collect::<Vec<_>>(),
        ["business", "entertainment", "politics", "sport", "tech"]
    );
    assert!(
        lib.articles()
            .iter()
            .filter(|a| a.category().is_none())
            .count()
            == 2
    );
}

#[test]
fn every_bbc_article_loads_with_its_first_line_as_title() {
    let Some(root) = bbc_corpus() else { return };
    let lib = Library::load(std::slice::from_ref(&root), LoadOptions::default()).unwrap();
    assert_eq!(lib.skipped(), [], "no corpus file is skipped");
    // The corpus root also holds its LICENSE, a project file, not listed.
    assert!(lib.articles().iter().all(|a| a.category().is_some()));
    assert_eq!(lib.len(), 2095);
    for meta in lib.articles() {
        let raw = std::fs::read_to_string(&meta.path).unwrap();
        let first = raw.lines().find(|l| !l.trim().is_empty()).unwrap().trim();
        assert_eq!(meta.title(), first, "{}", meta.path.display());
        assert!(meta.kicker().is_none(), "{}", meta.path.display());
        let body = lib.article(meta).unwrap();
        assert!(
            !body.paragraphs.is_empty(),
            "{} has a body",
            meta.path.display()
        );
    }
}

#[test]
fn ids_are_stable_for_the_bundled_seeds() {
    // Ids are part of the user's data (bookmarks): they must never change
    // for the same content. These values are the contract.
    let lib = Library::load(&[repo_file("articles")], LoadOptions::default()).unwrap();
    let seed = lib
        .articles()
        .iter()
        .find(|a| a.rel_path() == "000_1f3a6cc88dee49d1.txt")
        .unwrap();
    assert_eq!(seed.id().len(), 16);
    let again = Library::bundled();
    let same = again
        .articles()
        .iter()
        .find(|a| a.rel_path() == seed.rel_path())
        .unwrap();
    assert_eq!(same.id(), seed.id());
}

#[test]
fn crlf_bom_and_invalid_utf8_fixtures_parse() {
    let crlf = parse_bytes(
        b"\xEF\xBB\xBFTitle\r\n\r\nOne.\r\nTwo.\rThree.\r\n",
        tidings::article::Format::Text,
    )
    .unwrap();
    assert_eq!(crlf.title, "Title");
    assert_eq!(crlf.paragraphs, ["One.", "Two.", "Three."]);
    let latin1 = parse_bytes(
        b"Caf\xe9 society\n\nNa\xefve r\xe9sum\xe9.",
        tidings::article::Format::Text,
    )
    .unwrap();
    assert_eq!(latin1.title, "Café society");
    assert_eq!(latin1.paragraphs, ["Naïve résumé."]);
    let broken = parse_bytes(
        "Title ok\n\nBad \u{e9}"
            .as_bytes()
            .iter()
            .copied()
            .chain([0xC3, 0x28])
            .collect::<Vec<_>>()
            .as_slice(),
        tidings::article::Format::Text,
    )
    .unwrap();
    assert!(broken.paragraphs[0].contains('\u{FFFD}'));
}

#[test]
fn a_lowercase_first_line_followed_by_a_paragraph_stays_the_headline() {
    // The case: taking the first line for a topic line made the
    // paragraph the headline and dropped it from the body.
    let paragraph = "Apple has unveiled a thinner, lighter version of its tablet computer at an event in California on Tuesday.";
    let text = format!("apple unveils new ipad\n\n{paragraph}\n\nIt goes on sale next week.\n");
    let a = parse_bytes(text.as_bytes(), tidings::article::Format::Text).unwrap();
    assert_eq!(a.title, "apple unveils new ipad");
    assert_eq!(a.kicker, None);
    assert_eq!(a.paragraphs, [paragraph, "It goes on sale next week."]);
    // A real topic line before a headline is still a kicker.
    let a = parse_bytes(
        b"paris attacks\n\nFrance Asks for Help\n\nBody.",
        tidings::article::Format::Text,
    )
    .unwrap();
    assert_eq!(a.kicker.as_deref(), Some("paris attacks"));
    assert_eq!(a.title, "France Asks for Help");
}
