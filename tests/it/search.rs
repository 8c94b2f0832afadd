//! Search relevance on the BBC corpus, through the library API.

use crate::common::bbc_corpus;
use std::collections::HashSet;
use std::sync::OnceLock;
use tempfile::TempDir;
use tidings::library::{Library, LoadOptions};
use tidings::search::{
    self, Mark, NoMarks, ParsedQuery, Results, SearchIndex, analysis, highlight_ranges,
};

/// The corpus index, built once for all the tests in this module.
struct Corpus {
    _cache: TempDir,
    library: Library,
    index: SearchIndex,
}

fn corpus() -> Option<&'static Corpus> {
    static CORPUS: OnceLock<Option<Corpus>> = OnceLock::new();
    CORPUS
        .get_or_init(|| {
            let root = bbc_corpus()?;
            let cache = TempDir::new().unwrap();
            let library = Library::load(&[root], LoadOptions::default()).unwrap();
            let (index, _) = SearchIndex::open_or_build(cache.path(), &library).unwrap();
            Some(Corpus {
                _cache: cache,
                library,
                index,
            })
        })
        .as_ref()
}

fn find(c: &Corpus, q: &str) -> Results {
    c.index.search(&search::parse(q), 5_000, &NoMarks).unwrap()
}

/// The headline and body of a hit, as one text.
fn text_of(c: &Corpus, path: &str) -> String {
    let meta = c
        .library
        .articles()
        .iter()
        .find(|m| search::path_key(&m.path) == path)
        .expect("hit is in the library");
    let article = c.library.article(meta).unwrap();
    format!("{}\n{}", meta.title(), article.paragraphs.join("\n"))
}

fn words_of(text: &str) -> Vec<String> {
    analysis::normalise(&mut analysis::words(), text)
}

#[test]
fn boynton_ranks_the_shell_payoff_story_first() {
    let Some(c) = corpus() else { return };
    let r = find(c, "boynton");
    assert!(r.total >= 1);
    assert_eq!(r.hits[0].title, "$1m payoff for former Shell boss");
    assert_eq!(r.hits[0].category.as_deref(), Some("business"));
}

#[test]
fn headline_matches_rank_above_body_matches() {
    let Some(c) = corpus() else { return };
    let r = find(c, "broadband ");
    let top: Vec<&str> = r.hits[..5].iter().map(|h| h.title.as_str()).collect();
    assert!(
        top.iter().all(|t| t.to_lowercase().contains("broadband")),
        "{top:?}"
    );
}

#[test]
fn category_filter_returns_only_that_category() {
    let Some(c) = corpus() else { return };
    let r = find(c, "category:tech broadband");
    let all = find(c, "broadband");
    assert!(
        r.total > 10 && r.total < all.total,
        "{} of {}",
        r.total,
        all.total
    );
    assert!(r.hits.iter().all(|h| h.category.as_deref() == Some("tech")));
    assert_eq!(r.hits.len(), r.total);
}

#[test]
fn phrase_matches_only_the_exact_phrase() {
    let Some(c) = corpus() else { return };
    let phrase = find(c, "\"mobile phone\"");
    let words = find(c, "mobile phone ");
    assert!(phrase.total > 0 && phrase.total < words.total);
    for hit in &phrase.hits {
        let w = words_of(&text_of(c, &hit.path));
        assert!(
            w.windows(2).any(|p| p == ["mobile", "phone"]),
            "{} has no 'mobile phone'",
            hit.title
        );
    }
}

#[test]
fn excluded_word_never_appears_in_results() {
    let Some(c) = corpus() else { return };
    let with = find(c, "broadband tv ");
    let without = find(c, "broadband -tv");
    let all = find(c, "broadband ");
    assert_eq!(with.total + without.total, all.total);
    for hit in &without.hits {
        assert!(!words_of(&text_of(c, &hit.path)).contains(&"tv".to_string()));
    }
}

#[test]
fn or_matches_either_word() {
    let Some(c) = corpus() else { return };
    let either = find(c, "boynton OR worldcom ");
    let a = find(c, "boynton ");
    let b = find(c, "worldcom ");
    let both = find(c, "boynton worldcom ");
    assert_eq!(either.total, a.total + b.total - both.total);
}

#[test]
fn prefix_while_typing_finds_the_whole_word() {
    let Some(c) = corpus() else { return };
    let whole = find(c, "broadband ");
    let typed = find(c, "broadb");
    assert!(typed.total >= whole.total);
    let whole_ids: HashSet<&str> = whole.hits.iter().map(|h| h.id.as_str()).collect();
    assert!(whole_ids.contains(typed.hits[0].id.as_str()));
    // Every step of typing answers, and the final word is found all along.
    let word = "broadband";
    for n in 1..=word.len() {
        let r = find(c, &word[..n]);
        assert!(r.total >= whole.total, "{} finds {}", &word[..n], r.total);
    }
}

#[test]
fn a_prefix_of_one_or_two_letters_being_typed_completes_in_headlines_only() {
    let Some(c) = corpus() else { return };
    for prefix in ["b", "br"] {
        let r = find(c, prefix);
        assert!(r.total > 0, "{prefix}");
        for hit in &r.hits {
            let words = words_of(&hit.title);
            assert!(
                words.iter().any(|w| w.starts_with(prefix)),
                "{prefix}: {}",
                hit.title
            );
        }
    }
    // The third letter searches the bodies again.
    let three = find(c, "bro");
    let in_body_only = |h: &search::Hit| !words_of(&h.title).iter().any(|w| w.starts_with("bro"));
    assert!(three.hits.iter().any(in_body_only));
}

#[test]
fn title_filter_looks_only_at_headlines() {
    let Some(c) = corpus() else { return };
    let r = find(c, "title:broadband");
    assert!(r.total > 0);
    for hit in &r.hits {
        assert!(words_of(&hit.title).contains(&"broadband".to_string()));
    }
    assert!(r.total < find(c, "broadband ").total);
}

#[test]
fn mark_filters_use_the_callers_state() {
    let Some(c) = corpus() else { return };
    let all = find(c, "broadband ");
    let marked: Vec<String> = all.hits[..3].iter().map(|h| h.id.clone()).collect();
    let marks = |m: Mark| match m {
        Mark::Bookmarked => marked.clone(),
        Mark::Read => marked[..1].to_vec(),
    };
    let q = |s: &str| c.index.search(&search::parse(s), 100, &marks).unwrap();
    let bookmarked = q("broadband is:bookmarked");
    let ids: HashSet<String> = bookmarked.hits.iter().map(|h| h.id.clone()).collect();
    assert_eq!(ids, marked.iter().cloned().collect());
    assert_eq!(q("broadband is:read").total, 1);
    assert_eq!(q("broadband is:unread").total, all.total - 1);
    assert_eq!(q("is:bookmarked").total, 3);
}

#[test]
fn highlights_land_on_the_words_that_matched() {
    let Some(c) = corpus() else { return };
    let query: ParsedQuery = search::parse("boynton shell");
    let r = c.index.search(&query, 1, &NoMarks).unwrap();
    let text = text_of(c, &r.hits[0].path);
    let ranges = highlight_ranges(&text, &query);
    assert!(ranges.len() >= 3);
    for range in ranges {
        let w = text[range].to_lowercase();
        assert!(w.starts_with("boynton") || w == "shell", "{w}");
    }
    let snippet = search::snippet(&text, &query, 60);
    assert!(snippet.to_lowercase().contains("boynton"), "{snippet}");
}

#[test]
fn empty_and_nonsense_queries_find_nothing_quietly() {
    let Some(c) = corpus() else { return };
    assert_eq!(find(c, "").total, 0);
    assert_eq!(find(c, "   ").total, 0);
    assert_eq!(find(c, "zzqxjv").total, 0);
    let broken = search::parse("\"shell boynton");
    assert!(broken.note.is_some());
    assert!(c.index.search(&broken, 5, &NoMarks).unwrap().total >= 1);
}

#[test]
fn a_query_of_20000_ors_is_cut_to_a_few_terms_and_says_so() {
    let words: Vec<String> = (0..20_000).map(|i| format!("w{i}")).collect();
    let q = search::parse(&words.join(" OR "));
    let terms = q.positive_terms().count();
    assert!(terms <= 100, "{terms} terms would all be searched");
    assert_eq!(q.clauses[0][0].words, ["w0"], "the first words are kept");
    let note = q.note.unwrap_or_default();
    assert!(note.contains("first 100 words"), "{note:?}");
    // The same for a long phrase, plain words, exclusions and filters.
    let phrase = format!("\"{}\"", words[..500].join(" "));
    let q = search::parse(&format!("{phrase} {} -x -y", words[..500].join(" ")));
    let counted: usize = q
        .positive_terms()
        .chain(&q.excluded)
        .map(|t| t.words.len())
        .sum();
    assert!(counted <= 100, "{counted} words");
    let q = search::parse(&"is:read ".repeat(5_000));
    assert_eq!(q.marks.len(), 1, "one filter is enough");
}

#[test]
fn a_long_or_query_is_answered_from_its_first_words() {
    let Some(c) = corpus() else { return };
    let noise: Vec<String> = (0..20_000).map(|i| format!("zqx{i}")).collect();
    let r = find(c, &format!("boynton OR {}", noise.join(" OR ")));
    assert!(r.total >= 1, "boynton still matches");
}

#[test]
fn members_are_every_match_beyond_any_result_limit() {
    let Some(c) = corpus() else { return };
    for q in ["the", "category:tech", "mobile -category:tech", "is:unread"] {
        let parsed = search::parse(q);
        let members = c.index.members(&parsed, &NoMarks).unwrap();
        let all = c.index.search(&parsed, 5_000, &NoMarks).unwrap();
        assert_eq!(members.len(), all.total, "{q}");
        let ranked: HashSet<String> = all.hits.into_iter().map(|h| h.id).collect();
        assert_eq!(members.into_iter().collect::<HashSet<_>>(), ranked, "{q}");
    }
    assert!(
        c.index
            .members(&search::parse(""), &NoMarks)
            .unwrap()
            .is_empty()
    );
}
