//! Near-duplicate groups: stories whose bodies are near-identical (the same
//! story lightly edited, retitled, syndicated) gathered under one group.
//!
//! Two articles are near-duplicates when their body fingerprints
//! ([`crate::article::fingerprint`]) differ in at most [`MAX_DISTANCE`]
//! bits. Comparing every pair is out of the question at 100,000 articles
//! (five billion pairs), so candidates are found by the pigeonhole
//! principle: split the 64 bits into [`BANDS`] bands; two fingerprints
//! within `MAX_DISTANCE` bits differ in at most `MAX_DISTANCE` of the
//! bands, so they are equal in at least `BANDS - MAX_DISTANCE` of them, and
//! with `BANDS = MAX_DISTANCE + 2` at least two. Every pair of bands is a
//! key, articles are bucketed by each key, and only articles sharing a
//! bucket are compared. Pairs found join with union-find.
//!
//! Identical fingerprints (the same body retitled, however many copies)
//! are joined first, in one sort, and only one of each takes part in the
//! banding. A bucket still larger than [`BUCKET_CAP`] is passed over: it
//! means thousands of fingerprints crowded into two bands (boilerplate with
//! a changing line), and comparing inside it would be quadratic. Articles
//! without a fingerprint (short bodies) are never grouped.
//!
//! A group's id is its smallest member id: adding unrelated articles never
//! changes it.

use super::prints::id_key;
use crate::article::ArticleMeta;
use crate::article::fingerprint::{NONE, distance};
use std::collections::HashMap;
use std::sync::Arc;

/// Fingerprints at most this many bits apart are near-duplicates; chosen
/// from the measurement on the BBC corpus (see the README).
pub const MAX_DISTANCE: u32 = 6;

/// Bands the 64 bits are split into: two more than the distance, so a
/// near-duplicate pair agrees on at least two whole bands.
pub const BANDS: usize = MAX_DISTANCE as usize + 2;

/// A bucket with more articles than this is not searched (see the module
/// docs).
pub const BUCKET_CAP: usize = 512;

/// One group of near-duplicates: at least two articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The smallest member id: stable as unrelated articles come and go.
    pub id: String,
    /// Newest first (undated last), then by path.
    pub members: Vec<Arc<ArticleMeta>>,
}

/// The library's near-duplicate groups, and each grouped article's group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Groups {
    groups: Vec<Group>,
    /// Position in `groups` of each grouped article, by [`id_key`].
    by_article: HashMap<u64, u32>,
}

/// What one grouping run did, for tests and benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Fingerprints compared (pairs sharing a bucket).
    pub comparisons: u64,
    /// Buckets passed over for being larger than [`BUCKET_CAP`].
    pub skipped_buckets: u64,
}

impl Groups {
    /// Group `articles` by their fingerprints (`prints[i]` is article
    /// `i`'s, [`NONE`] when it has none).
    pub fn compute(articles: &[Arc<ArticleMeta>], prints: &[u64]) -> Self {
        Self::compute_with_stats(articles, prints).0
    }

    /// [`Groups::compute`], and how much work it took.
    pub fn compute_with_stats(articles: &[Arc<ArticleMeta>], prints: &[u64]) -> (Self, Stats) {
        debug_assert_eq!(articles.len(), prints.len());
        let (sets, stats) = near_duplicate_sets(prints);
        let mut groups: Vec<Group> = sets
            .into_iter()
            .map(|set| group_of(set.into_iter().map(|i| articles[i].clone())))
            .collect();
        groups.sort_by(|a, b| a.id.cmp(&b.id));
        let mut by_article = HashMap::with_capacity(groups.len() * 2);
        for (g, group) in groups.iter().enumerate() {
            for m in &group.members {
                by_article.insert(id_key(m.id()), g as u32);
            }
        }
        (Self { groups, by_article }, stats)
    }

    /// Every group, by id.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// The group of the article with this id, if it has one.
    pub fn group(&self, article_id: &str) -> Option<&Group> {
        let g = *self.by_article.get(&id_key(article_id))?;
        self.groups.get(g as usize)
    }

    /// The id of the article's group (`None` when it stands alone).
    pub fn group_id(&self, article_id: &str) -> Option<&str> {
        self.group(article_id).map(|g| g.id.as_str())
    }

    /// The articles in the same group, the article itself included, newest
    /// first; empty when it stands alone.
    pub fn members(&self, article_id: &str) -> &[Arc<ArticleMeta>] {
        self.group(article_id).map_or(&[], |g| &g.members)
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    pub fn len(&self) -> usize {
        self.groups.len()
    }
}

/// A group of these members, sorted and named.
fn group_of(members: impl Iterator<Item = Arc<ArticleMeta>>) -> Group {
    let mut members: Vec<_> = members.collect();
    members.sort_by(|a, b| {
        b.published()
            .unwrap_or(i64::MIN)
            .cmp(&a.published().unwrap_or(i64::MIN))
            .then_with(|| a.path.cmp(&b.path))
    });
    let id = members
        .iter()
        .map(|m| m.id())
        .min()
        .unwrap_or_default()
        .to_string();
    Group { id, members }
}

/// The bit ranges of the bands: `BANDS` nearly equal slices of 64 bits.
fn band_masks() -> [(u32, u64); BANDS] {
    let mut bands = [(0, 0); BANDS];
    let mut start = 0;
    for (b, band) in bands.iter_mut().enumerate() {
        let width = (64 - start) / (BANDS - b) as u32;
        *band = (start, (1u64 << width) - 1);
        start += width;
    }
    bands
}

/// The sets of positions in `prints` (two or more each) whose fingerprints
/// are linked by near-duplicate pairs; [`NONE`] is never linked.
pub fn near_duplicate_sets(prints: &[u64]) -> (Vec<Vec<usize>>, Stats) {
    let mut sets = UnionFind::new(prints.len());
    let mut stats = Stats::default();
    let distinct = join_identical(prints, &mut sets);
    let mut table = BandTable::default();
    let mut members = Vec::new();
    for x in 0..BANDS {
        for y in x + 1..BANDS {
            table.fill(&distinct, prints, x, y);
            for bucket in table.buckets() {
                members.clear();
                members.extend(bucket.iter().map(|&i| (prints[i as usize], i)));
                compare_within(&members, &mut sets, &mut stats);
            }
        }
    }
    (sets.into_sets(), stats)
}

/// Articles bucketed by the bits of two bands, with a counting sort: the
/// keys are at most a few bands' width, so this is linear where a sort of
/// a million keys per pair of bands was most of the work.
#[derive(Default)]
struct BandTable {
    /// Where each bucket starts in `order`, and one past the last.
    starts: Vec<u32>,
    /// Article positions, bucket after bucket.
    order: Vec<u32>,
    keys: Vec<u32>,
}

impl BandTable {
    fn fill(&mut self, articles: &[u32], prints: &[u64], x: usize, y: usize) {
        let bands = band_masks();
        let ((sx, mx), (sy, my)) = (bands[x], bands[y]);
        let wy = my.count_ones();
        let key = |p: u64| (((p >> sx) & mx) << wy | ((p >> sy) & my)) as u32;
        self.starts.clear();
        self.starts.resize((1 << (mx.count_ones() + wy)) + 1, 0);
        self.keys.clear();
        self.keys
            .extend(articles.iter().map(|&i| key(prints[i as usize])));
        for &k in &self.keys {
            self.starts[k as usize + 1] += 1;
        }
        for b in 1..self.starts.len() {
            self.starts[b] += self.starts[b - 1];
        }
        self.order.clear();
        self.order.resize(articles.len(), 0);
        let mut next = self.starts.clone();
        for (&k, &i) in self.keys.iter().zip(articles) {
            let at = &mut next[k as usize];
            self.order[*at as usize] = i;
            *at += 1;
        }
    }

    /// The buckets of two or more articles.
    fn buckets(&self) -> impl Iterator<Item = &[u32]> {
        self.starts
            .windows(2)
            .filter(|w| w[1] - w[0] >= 2)
            .map(|w| &self.order[w[0] as usize..w[1] as usize])
    }
}

/// Join the articles with identical fingerprints (the same body under
/// another headline: the commonest near-duplicate), in one sort, and give
/// one position for each distinct fingerprint: the banding then never
/// compares copies with each other, however many there are.
fn join_identical(prints: &[u64], sets: &mut UnionFind) -> Vec<u32> {
    let mut order: Vec<u32> = (0..prints.len() as u32)
        .filter(|&i| prints[i as usize] != NONE)
        .collect();
    order.sort_unstable_by_key(|&i| prints[i as usize]);
    let mut distinct = Vec::with_capacity(order.len());
    for same in order.chunk_by(|&a, &b| prints[a as usize] == prints[b as usize]) {
        for &other in &same[1..] {
            sets.union(same[0] as usize, other as usize);
        }
        distinct.push(same[0]);
    }
    distinct
}

/// Compare every pair in one bucket, joining the near-duplicates.
fn compare_within(members: &[(u64, u32)], sets: &mut UnionFind, stats: &mut Stats) {
    if members.len() > BUCKET_CAP {
        stats.skipped_buckets += 1;
        return;
    }
    for (n, &(pa, a)) in members.iter().enumerate() {
        for &(pb, b) in &members[n + 1..] {
            stats.comparisons += 1;
            if distance(pa, pb) <= MAX_DISTANCE {
                sets.union(a as usize, b as usize);
            }
        }
    }
}

/// Disjoint sets with path halving and union by size: near-constant time
/// per operation, no recursion.
struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        Self {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] as usize != x {
            let grand = self.parent[self.parent[x] as usize];
            self.parent[x] = grand;
            x = grand as usize;
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        if self.size[a] < self.size[b] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b] = a as u32;
        self.size[a] += self.size[b];
    }

    /// The sets of two or more, each in increasing order.
    fn into_sets(mut self) -> Vec<Vec<usize>> {
        let mut by_root: HashMap<usize, Vec<usize>> = HashMap::new();
        for x in 0..self.parent.len() {
            let root = self.find(x);
            if self.size[root] > 1 {
                by_root.entry(root).or_default().push(x);
            }
        }
        let mut sets: Vec<_> = by_root.into_values().collect();
        sets.sort();
        sets
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::MetaText;

    /// An article and its fingerprint.
    fn meta(id: &str, fingerprint: u64, published: Option<i64>) -> (Arc<ArticleMeta>, u64) {
        let rel = format!("news/{id}.txt");
        let text = MetaText {
            id,
            title: id,
            rel_path: &rel,
            published,
            ..Default::default()
        };
        let m = ArticleMeta::new(text, format!("/lib/{rel}").into(), 100, 1, 0);
        (Arc::new(m), fingerprint)
    }

    /// Group articles given with their fingerprints.
    fn compute(list: &[(Arc<ArticleMeta>, u64)]) -> Groups {
        let articles: Vec<_> = list.iter().map(|(m, _)| m.clone()).collect();
        let prints: Vec<u64> = list.iter().map(|&(_, p)| p).collect();
        Groups::compute(&articles, &prints)
    }

    /// Fingerprints spread over the 64 bits (a mixing constant walked).
    fn spread(i: u64) -> u64 {
        let mut h = i.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        h ^= h >> 31;
        h.wrapping_mul(0xBF58_476D_1CE4_E5B9) | 1
    }

    /// `p` with `n` bits flipped, spread over the word (a bit from each of
    /// `n` different bands).
    fn flip(p: u64, n: u32) -> u64 {
        (0..n).fold(p, |p, i| p ^ 1 << (i * 64 / n.max(1)))
    }

    #[test]
    fn the_bands_cover_all_64_bits_once() {
        let mut covered = 0u64;
        for (start, mask) in band_masks() {
            assert_eq!(covered & (mask << start), 0);
            covered |= mask << start;
        }
        assert_eq!(covered, u64::MAX);
    }

    #[test]
    fn a_pair_within_the_distance_is_found_without_comparing_all_pairs() {
        let n = 20_000u64;
        let mut prints: Vec<u64> = (0..n).map(spread).collect();
        prints.push(flip(prints[7], MAX_DISTANCE));
        let (sets, stats) = near_duplicate_sets(&prints);
        assert_eq!(sets, vec![vec![7, n as usize]]);
        let all_pairs = n * (n + 1) / 2;
        // Each of the BANDS * (BANDS - 1) / 2 keys compares a few pairs at
        // most; far below 1% of all pairs.
        assert!(
            stats.comparisons < all_pairs / 1000,
            "{} comparisons of {all_pairs} pairs",
            stats.comparisons
        );
    }

    #[test]
    fn every_distance_up_to_the_limit_groups_and_one_more_does_not() {
        for d in 0..=MAX_DISTANCE + 1 {
            // The flipped bits in any positions: the worst case puts them
            // in as many bands as possible, which `flip` does.
            let a = spread(3);
            let (sets, _) = near_duplicate_sets(&[a, spread(4), flip(a, d)]);
            let found = sets == vec![vec![0, 2]];
            assert_eq!(found, d <= MAX_DISTANCE, "distance {d}");
        }
    }

    #[test]
    fn many_copies_of_one_body_are_joined_without_comparing_them() {
        let mut prints = vec![0xDEAD_BEEF_u64; 5_000];
        prints.push(spread(1));
        let (sets, stats) = near_duplicate_sets(&prints);
        assert_eq!(sets, vec![(0..5_000).collect::<Vec<_>>()]);
        assert_eq!(stats.comparisons, 0);
    }

    #[test]
    fn a_crowded_bucket_is_passed_over_not_compared_quadratically() {
        // Thousands of fingerprints equal in the first two bands and
        // scattered in the rest (boilerplate with a changing line).
        let (s0, m0) = band_masks()[0];
        let (s1, m1) = band_masks()[1];
        let shared = m0 << s0 | m1 << s1;
        let base = spread(99);
        let prints: Vec<u64> = (0..5_000)
            .map(|i| base & shared | spread(i) & !shared)
            .collect();
        let (_, stats) = near_duplicate_sets(&prints);
        assert_eq!(stats.skipped_buckets, 1);
        // The keys with one crowded band still share their other band:
        // small buckets, a few per cent of all pairs.
        let all_pairs = 5_000 * 4_999 / 2;
        assert!(stats.comparisons < all_pairs / 20, "{}", stats.comparisons);
    }

    #[test]
    fn articles_without_a_fingerprint_are_never_grouped() {
        let (sets, stats) = near_duplicate_sets(&[NONE; 100]);
        assert!(sets.is_empty());
        assert_eq!(stats.comparisons, 0);
    }

    #[test]
    fn groups_chain_through_union_find() {
        // a ~ b and b ~ c: one group, even where a and c are too far apart.
        let a = spread(1);
        let b = flip(a, MAX_DISTANCE);
        let c = b ^ 0b1_1110;
        assert!(distance(a, c) > MAX_DISTANCE);
        let (sets, _) = near_duplicate_sets(&[a, spread(2), b, c]);
        assert_eq!(sets, vec![vec![0, 2, 3]]);
    }

    #[test]
    fn a_group_is_named_by_its_smallest_id_and_lists_newest_first() {
        let p = spread(9);
        let articles = vec![
            meta("00000000000000c0", p, Some(100)),
            meta("00000000000000a0", flip(p, 2), Some(300)),
            meta("00000000000000b0", spread(10), Some(200)),
            meta("00000000000000d0", flip(p, 1), None),
        ];
        let groups = compute(&articles);
        assert_eq!(groups.len(), 1);
        assert_eq!(
            groups.group_id("00000000000000c0"),
            Some("00000000000000a0")
        );
        assert_eq!(groups.group_id("00000000000000b0"), None);
        assert!(groups.members("00000000000000b0").is_empty());
        let ids: Vec<&str> = groups
            .members("00000000000000d0")
            .iter()
            .map(|m| m.id())
            .collect();
        assert_eq!(
            ids,
            ["00000000000000a0", "00000000000000c0", "00000000000000d0"]
        );
    }

    #[test]
    fn a_group_id_does_not_change_when_unrelated_articles_arrive() {
        let p = spread(5);
        let pair = vec![
            meta("5000000000000000", p, None),
            meta("6000000000000000", flip(p, 3), None),
        ];
        let before = compute(&pair);
        let mut more = pair.clone();
        for i in 0..500u64 {
            more.push(meta(&format!("{i:016x}"), spread(1000 + i), None));
        }
        let after = compute(&more);
        assert_eq!(after.len(), 1);
        assert_eq!(
            after.group_id("6000000000000000"),
            before.group_id("6000000000000000")
        );
    }
}
