//! Finding a story's place in the library from its id, which is how the
//! engine names its answers: hundreds of lookups on every keystroke.
//!
//! Ids are kept as 64-bit hashes with their positions, in a few sorted runs
//! of contiguous memory (a lookup is a binary search of each, touching no
//! article), so placing an answer costs the same at a million stories as
//! at a hundred thousand. Stories joining the library go to a short
//! unsorted tail; a full tail becomes a sorted run, and runs of similar
//! size are merged, so keeping up with a load costs O(log n) per story,
//! spread over the load, and never a sort of the whole library when the
//! user types. A hash only says where an id may be: every candidate is
//! checked against the story's own id, so collisions and entries left
//! behind by a story replaced in place find nothing wrong.

/// Stories kept unsorted before they become a run (a lookup scans them).
const TAIL: usize = 1024;

#[derive(Debug, Default)]
pub struct IdIndex {
    /// Sorted by key, the largest (oldest) first.
    runs: Vec<Run>,
    /// (key, position) of the latest stories, unsorted.
    tail: Vec<(u64, u32)>,
}

/// Keys in order, with the position of each.
#[derive(Debug, Default)]
struct Run {
    keys: Vec<u64>,
    positions: Vec<u32>,
}

impl Run {
    fn from_sorted(pairs: &[(u64, u32)]) -> Self {
        Self {
            keys: pairs.iter().map(|p| p.0).collect(),
            positions: pairs.iter().map(|p| p.1).collect(),
        }
    }

    fn len(&self) -> usize {
        self.keys.len()
    }

    /// The positions filed under `key`.
    fn positions_of(&self, key: u64) -> impl Iterator<Item = usize> + '_ {
        let start = self.keys.partition_point(|&k| k < key);
        self.keys[start..]
            .iter()
            .take_while(move |&&k| k == key)
            .zip(&self.positions[start..])
            .map(|(_, &p)| p as usize)
    }

    /// Both runs as one, in order.
    fn merge(a: Self, b: Self) -> Self {
        let n = a.len() + b.len();
        let mut out = Self {
            keys: Vec::with_capacity(n),
            positions: Vec::with_capacity(n),
        };
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            let from_a = j == b.len() || (i < a.len() && a.keys[i] <= b.keys[j]);
            let (run, k) = if from_a { (&a, &mut i) } else { (&b, &mut j) };
            out.keys.push(run.keys[*k]);
            out.positions.push(run.positions[*k]);
            *k += 1;
        }
        out
    }
}

/// The hash an id is filed under (stable within a run of the app only).
fn key(id: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(id.as_bytes())
}

impl IdIndex {
    /// The index of `ids`, in library order.
    pub fn new<'a>(ids: impl IntoIterator<Item = &'a str>) -> Self {
        let mut pairs: Vec<(u64, u32)> = ids
            .into_iter()
            .enumerate()
            .map(|(i, id)| (key(id), position(i)))
            .collect();
        pairs.sort_unstable();
        Self {
            runs: vec![Run::from_sorted(&pairs)],
            tail: Vec::new(),
        }
    }

    /// The story at `position` has (now) this `id`: it joined the library,
    /// or replaced the story there.
    pub fn insert(&mut self, id: &str, position: usize) {
        self.tail.push((key(id), self::position(position)));
        if self.tail.len() >= TAIL {
            self.tail.sort_unstable();
            self.runs.push(Run::from_sorted(&self.tail));
            self.tail.clear();
            self.compact();
        }
    }

    /// Merge the newest runs while the newer is at least half the size of
    /// the one before it, so there are O(log n) runs.
    fn compact(&mut self) {
        while let [.., older, newer] = &self.runs[..]
            && newer.len() * 2 >= older.len()
        {
            let newer = self.runs.pop().expect("two runs");
            let older = self.runs.pop().expect("two runs");
            self.runs.push(Run::merge(older, newer));
        }
    }

    /// The position of the story with `id`, given a way to read the id at
    /// a position (`None` past the end). Newer entries are tried first.
    pub fn find<'a>(&self, id: &str, id_at: impl Fn(usize) -> Option<&'a str>) -> Option<usize> {
        let key = key(id);
        let newest = self
            .tail
            .iter()
            .rev()
            .filter(|p| p.0 == key)
            .map(|p| p.1 as usize);
        let older = self.runs.iter().rev().flat_map(|r| r.positions_of(key));
        newest.chain(older).find(|&p| id_at(p) == Some(id))
    }
}

/// Positions are kept in 32 bits: four billion stories is more than a
/// library holds. One past that is filed where no story is (never found).
fn position(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("{:016x}", i * 7919)).collect()
    }

    fn finder<'a>(ids: &'a [String]) -> impl Fn(usize) -> Option<&'a str> {
        |p| ids.get(p).map(String::as_str)
    }

    #[test]
    fn finds_every_story_built_at_once_or_one_by_one() {
        let all = ids(5_000);
        let built = IdIndex::new(all.iter().map(String::as_str));
        let mut grown = IdIndex::default();
        for (i, id) in all.iter().enumerate() {
            grown.insert(id, i);
        }
        // Several runs and a tail: the merged and unmerged paths both count.
        assert!(grown.runs.len() > 1 && !grown.tail.is_empty());
        for (i, id) in all.iter().enumerate() {
            assert_eq!(built.find(id, finder(&all)), Some(i), "{id}");
            assert_eq!(grown.find(id, finder(&all)), Some(i), "{id}");
        }
        assert_eq!(grown.find("not an id", finder(&all)), None);
        assert_eq!(IdIndex::default().find(&all[0], finder(&all)), None);
    }

    #[test]
    fn a_story_replaced_in_place_is_found_by_its_new_id_only() {
        let mut all = ids(3_000);
        let mut index = IdIndex::new(all.iter().map(String::as_str));
        let old = std::mem::replace(&mut all[1_234], "replacement".to_string());
        index.insert("replacement", 1_234);
        assert_eq!(index.find("replacement", finder(&all)), Some(1_234));
        assert_eq!(index.find(&old, finder(&all)), None);
    }

    #[test]
    fn runs_stay_few_as_the_library_grows() {
        let all = ids(100 * TAIL);
        let mut index = IdIndex::default();
        for (i, id) in all.iter().enumerate() {
            index.insert(id, i);
        }
        // Each run at least twice the next: about log2(100) of them.
        assert!(index.runs.len() <= 8, "{} runs", index.runs.len());
        let sorted = |r: &Run| r.keys.windows(2).all(|w| w[0] <= w[1]);
        assert!(index.runs.iter().all(sorted));
    }

    #[test]
    fn ids_sharing_a_key_are_told_apart_by_the_story() {
        // Entries under one key: only the story whose id matches is found.
        let mut index = IdIndex::default();
        let k = key("a");
        index.tail = vec![(k, 0), (k, 1)];
        let stories = ["b", "a"];
        let at = |p: usize| stories.get(p).copied();
        assert_eq!(index.find("a", at), Some(1));
        index.runs = vec![Run::from_sorted(&[(k, 0), (k, 1)])];
        index.tail.clear();
        assert_eq!(index.find("a", at), Some(1));
    }
}
