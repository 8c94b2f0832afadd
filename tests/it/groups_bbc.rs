//! Precision and recall of near-duplicate grouping on the BBC corpus
//! (2,095 articles), against a ground truth made independently of the
//! fingerprint: pairs whose bodies share most of their word 3-shingles.
//!
//! `cargo test --test it groups_bbc -- --nocapture` prints the table
//! behind the README's figures: for each fingerprint distance, the pairs
//! within it, how many are true near-duplicates, precision and recall.

use crate::common::bbc_corpus;
use std::collections::{HashMap, HashSet};
use tidings::library::groups::{Groups, MAX_DISTANCE};
use tidings::library::prints::{self, Prints};
use tidings::library::{Library, LoadOptions};

/// Bodies sharing at least this share of their word 3-shingles (Jaccard)
/// are the same story. Read on both sides of the line: above 0.6 are
/// retitled copies (1.0) and edition updates that added or cut a few
/// paragraphs (0.65 to 0.75); below 0.55 are different stories on one
/// topic (a budget and its reactions, two reports from one trial).
const SAME_STORY: f64 = 0.6;

/// The figures the README gives at [`MAX_DISTANCE`].
const PRECISION: f64 = 1.0;
const RECALL: f64 = 0.9;

/// Word 3-shingles of the body: lowercase, split on anything not
/// alphanumeric (an implementation of its own, not the fingerprint's).
fn shingles(paragraphs: &[String]) -> Vec<u64> {
    let text = paragraphs.join(" ").to_lowercase();
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut set: Vec<u64> = words
        .windows(3)
        .map(|w| xxhash_rust::xxh3::xxh3_64(w.join(" ").as_bytes()))
        .collect();
    set.sort_unstable();
    set.dedup();
    set
}

fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut both) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => (both, i, j) = (both + 1, i + 1, j + 1),
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    both as f64 / (a.len() + b.len() - both).max(1) as f64
}

/// The true pairs: candidates share a shingle that few articles have
/// (a pair above the line shares hundreds), then the exact Jaccard.
fn true_pairs(sets: &[Vec<u64>]) -> HashSet<(usize, usize)> {
    let mut by_shingle: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, set) in sets.iter().enumerate() {
        for &s in set {
            by_shingle.entry(s).or_default().push(i);
        }
    }
    let mut candidates = HashSet::new();
    for list in by_shingle.values().filter(|l| l.len() <= 20) {
        for (n, &a) in list.iter().enumerate() {
            for &b in &list[n + 1..] {
                candidates.insert((a, b));
            }
        }
    }
    candidates
        .into_iter()
        .filter(|&(a, b)| jaccard(&sets[a], &sets[b]) >= SAME_STORY)
        .collect()
}

#[test]
fn grouping_on_the_bbc_corpus_keeps_the_measured_precision_and_recall() {
    let Some(corpus) = bbc_corpus() else { return };
    let library = Library::load(&[corpus], LoadOptions::default()).unwrap();
    let articles = library.articles();
    let sets: Vec<Vec<u64>> = articles
        .iter()
        .map(|m| shingles(&library.article(m).unwrap().paragraphs))
        .collect();
    let truth = true_pairs(&sets);
    println!("{} articles, {} true pairs", articles.len(), truth.len());
    println!("distance\tpairs\ttrue\tprecision\trecall");
    // The fingerprints as the reader computes them, after the load.
    let (source, _) = library.print_source();
    let mut store = Prints::default();
    let (filled, _) = prints::update(&mut store, articles, &source, None, 2);
    assert_eq!(filled.unreadable, 0);
    let prints = store.aligned(articles);
    for (m, &p) in articles.iter().zip(&prints) {
        assert_eq!(Some(p), store.get(m.id()));
    }
    for k in 0..=16 {
        let (found, right) = pairs_within(&prints, k, &truth);
        let precision = right as f64 / found.max(1) as f64;
        let recall = right as f64 / truth.len() as f64;
        println!("{k}\t{found}\t{right}\t{precision:.3}\t{recall:.3}");
    }
    // What grouping gives: every pair of members of a group.
    let groups = Groups::compute(articles, &prints);
    let position: HashMap<&str, usize> = articles
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id(), i))
        .collect();
    let mut grouped = HashSet::new();
    for g in groups.groups() {
        for (n, a) in g.members.iter().enumerate() {
            for b in &g.members[n + 1..] {
                let (x, y) = (position[a.id()], position[b.id()]);
                grouped.insert((x.min(y), x.max(y)));
            }
        }
    }
    let right = grouped.intersection(&truth).count();
    let precision = right as f64 / grouped.len().max(1) as f64;
    let recall = right as f64 / truth.len() as f64;
    println!(
        "groups at distance {MAX_DISTANCE}: {} groups, {} pairs, precision {precision:.3}, recall {recall:.3}",
        groups.len(),
        grouped.len()
    );
    assert!(truth.len() >= 30, "dozens of true pairs: {}", truth.len());
    assert!(precision >= PRECISION, "precision {precision:.3}");
    assert!(recall >= RECALL, "recall {recall:.3}");
    // The retitled pair the issue names is grouped.
    let id = |rel: &str| articles.iter().find(|m| m.rel_path() == rel).unwrap().id();
    let rfid = groups.group_id(id("tech/concern-over-rfid-tags.txt"));
    assert!(rfid.is_some());
    assert_eq!(
        rfid,
        groups.group_id(id("tech/consumer-concern-over-rfid-tags.txt"))
    );
}

/// Pairs (all of them, compared directly) whose fingerprints are at most
/// `k` bits apart, and how many of them are true.
fn pairs_within(prints: &[u64], k: u32, truth: &HashSet<(usize, usize)>) -> (usize, usize) {
    let (mut found, mut right) = (0, 0);
    for a in 0..prints.len() {
        for b in a + 1..prints.len() {
            let (x, y) = (prints[a], prints[b]);
            if x != 0 && y != 0 && (x ^ y).count_ones() <= k {
                found += 1;
                right += usize::from(truth.contains(&(a, b)));
            }
        }
    }
    (found, right)
}
