//! The library's body fingerprints ([`crate::article::fingerprint`]), kept
//! beside its load cache so that a warm start groups near-duplicates
//! without reading a file.
//!
//! Fingerprints are not computed while loading: one costs about half of
//! what parsing a plain-text file costs, and neither the first screen nor
//! the full list may wait for grouping. Once a load is done the ones
//! missing are computed by reading the files again (the page cache still
//! holds them), off the loop's thread, and saved here.
//!
//! They are kept by article id. The id hashes the headline and the body
//! text, so an id's fingerprint never changes: a file edited in place has a
//! new id and is fingerprinted again, and copies of a story share one
//! entry. Entries of articles no longer in the library are dropped when
//! the file is written.
//!
//! The file: a magic, a version, the count, the `(id, fingerprint)` pairs
//! sorted by id as little-endian `u64`s, and an xxh3 checksum of all that
//! comes before it. A missing, old or damaged file is only a cache miss:
//! the fingerprints are computed again and nothing else is lost.

use super::read::body_fingerprint;
use super::{LoadOptions, Origin};
use crate::article::ArticleMeta;
use crate::article::fingerprint::NONE;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const MAGIC: &[u8; 8] = b"TIDPRNT\0";

/// Bump when the fingerprint's definition changes: an older file is then
/// a cache miss, never a set of fingerprints that no longer compare.
pub const FORMAT_VERSION: u32 = 1;

/// Fingerprints computed between two saves of progress, so that quitting
/// during the first grouping of a large library keeps most of the work.
const SAVE_EVERY: usize = 50_000;

/// An article id as a key: ids are 16 hex digits of a hash already, so
/// their value is the key (anything else is hashed).
pub fn id_key(id: &str) -> u64 {
    u64::from_str_radix(id, 16).unwrap_or_else(|_| xxhash_rust::xxh3::xxh3_64(id.as_bytes()))
}

/// Where the articles' files are read from, and how they are parsed: the
/// same as when they were loaded, so the text fingerprinted is the text
/// the id was computed from.
#[derive(Debug, Clone)]
pub struct PrintSource {
    pub origin: Origin,
    pub options: LoadOptions,
}

/// What filling in the missing fingerprints did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filled {
    /// Fingerprints computed (files read).
    pub computed: usize,
    /// Files that could not be read, or changed since they were loaded:
    /// tried again next time.
    pub unreadable: usize,
}

/// Fingerprints by article id, sorted by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prints {
    pairs: Vec<(u64, u64)>,
    /// Changed since read or written.
    changed: bool,
}

impl Prints {
    /// The file of the library whose load cache is `cache_file`.
    pub fn file_for(cache_file: &Path) -> PathBuf {
        cache_file.with_extension("prints")
    }

    /// The fingerprints saved in `path`; none when it is missing, old or
    /// damaged (they are computed again).
    pub fn read(path: &Path) -> Self {
        let pairs = std::fs::read(path)
            .ok()
            .and_then(|bytes| decode(&bytes))
            .unwrap_or_default();
        Self {
            pairs,
            changed: false,
        }
    }

    /// The fingerprint of the article with this id, if known.
    pub fn get(&self, id: &str) -> Option<u64> {
        let key = id_key(id);
        self.pairs
            .binary_search_by_key(&key, |&(k, _)| k)
            .ok()
            .map(|i| self.pairs[i].1)
    }

    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Changed since read or written.
    pub fn changed(&self) -> bool {
        self.changed
    }

    /// Each article's fingerprint, in the order of `articles` ([`NONE`]
    /// where it is not known). One sort and one walk: a binary search per
    /// article is a cache miss per step at a million.
    pub fn aligned(&self, articles: &[Arc<ArticleMeta>]) -> Vec<u64> {
        let mut out = vec![NONE; articles.len()];
        for (at, _, print) in self.walk(articles) {
            if let Some(p) = print {
                out[at as usize] = p;
            }
        }
        out
    }

    /// The articles without a fingerprint, one per id.
    pub fn missing(&self, articles: &[Arc<ArticleMeta>]) -> Vec<Arc<ArticleMeta>> {
        let mut last = None;
        self.walk(articles)
            .filter(|&(_, key, print)| print.is_none() && last.replace(key) != Some(key))
            .map(|(at, _, _)| articles[at as usize].clone())
            .collect()
    }

    /// `(position, id key, fingerprint if known)` of every article, by id
    /// key: the articles' keys sorted and walked beside the pairs.
    fn walk(&self, articles: &[Arc<ArticleMeta>]) -> impl Iterator<Item = (u32, u64, Option<u64>)> {
        let mut keys: Vec<(u64, u32)> = articles
            .iter()
            .enumerate()
            .map(|(at, m)| (id_key(m.id()), at as u32))
            .collect();
        keys.sort_unstable();
        let mut pairs = self.pairs.iter().peekable();
        keys.into_iter().map(move |(key, at)| {
            while pairs.next_if(|&&(k, _)| k < key).is_some() {}
            let print = pairs.peek().filter(|&&&(k, _)| k == key).map(|&&(_, p)| p);
            (at, key, print)
        })
    }

    /// Compute the fingerprints missing for `articles`, reading their files
    /// on `threads` threads; `save` is called with the fingerprints so far
    /// every [`SAVE_EVERY`] files, so a long first run keeps its progress.
    pub fn fill(
        &mut self,
        articles: &[Arc<ArticleMeta>],
        source: &PrintSource,
        threads: usize,
        save: &mut dyn FnMut(&mut Self),
    ) -> Filled {
        self.fill_saving_every(SAVE_EVERY, articles, source, threads, save)
    }

    fn fill_saving_every(
        &mut self,
        every: usize,
        articles: &[Arc<ArticleMeta>],
        source: &PrintSource,
        threads: usize,
        save: &mut dyn FnMut(&mut Self),
    ) -> Filled {
        let missing = self.missing(articles);
        let mut filled = Filled::default();
        for chunk in missing.chunks(every) {
            let computed = compute(chunk, source, threads.max(1));
            filled.unreadable += chunk.len() - computed.len();
            filled.computed += computed.len();
            self.insert(computed);
            if chunk.len() == every {
                save(self);
            }
        }
        filled
    }

    /// Add fingerprints (replacing any with the same id).
    pub fn insert(&mut self, mut new: Vec<(u64, u64)>) {
        if new.is_empty() {
            return;
        }
        new.sort_unstable_by_key(|&(k, _)| k);
        new.dedup_by_key(|&mut (k, _)| k);
        self.pairs
            .retain(|(k, _)| new.binary_search_by_key(k, |&(n, _)| n).is_err());
        self.pairs.extend(new);
        self.pairs.sort_unstable_by_key(|&(k, _)| k);
        self.changed = true;
    }

    /// Keep only the fingerprints of these articles.
    pub fn retain(&mut self, articles: &[Arc<ArticleMeta>]) {
        let mut keep: Vec<u64> = articles.iter().map(|m| id_key(m.id())).collect();
        keep.sort_unstable();
        let before = self.pairs.len();
        let mut keep = keep.into_iter().peekable();
        self.pairs.retain(|&(k, _)| {
            while keep.next_if(|&x| x < k).is_some() {}
            keep.peek() == Some(&k)
        });
        self.changed |= self.pairs.len() != before;
    }

    /// Write the fingerprints to `path` (a temp file renamed over it, so a
    /// crash never leaves half a file). The temp file's name is fixed: the
    /// reader may quit while its grouping thread writes, and what that
    /// leaves is overwritten by the next write, never piled up; two writers
    /// at once can only make a file whose checksum fails, a cache miss.
    pub fn write(&mut self, path: &Path) -> std::io::Result<()> {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let tmp = dir.join(format!(".{name}.tmp"));
        let written = std::fs::File::create(&tmp)
            .and_then(|mut file| file.write_all(&encode(&self.pairs)))
            .and_then(|()| std::fs::rename(&tmp, path));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written?;
        self.changed = false;
        Ok(())
    }
}

/// Bring `prints` up to date for `articles`: compute the missing ones on
/// `threads` threads, drop those of articles gone, and save them to `file`
/// (progress included, see [`Prints::fill`]). A file that cannot be written
/// costs only the time to compute them again: its error is returned for
/// the caller to mention.
pub fn update(
    prints: &mut Prints,
    articles: &[Arc<ArticleMeta>],
    source: &PrintSource,
    file: Option<&Path>,
    threads: usize,
) -> (Filled, Option<std::io::Error>) {
    let mut error = None;
    let mut save = |p: &mut Prints| {
        if let Some(file) = file
            && let Err(e) = p.write(file)
        {
            error.get_or_insert(e);
        }
    };
    let filled = prints.fill(articles, source, threads, &mut save);
    prints.retain(articles);
    if prints.changed() {
        save(prints);
    }
    (filled, error)
}

/// Fingerprint `articles` on `threads` threads: the `(id key,
/// fingerprint)` of each file that could be read as it was loaded.
fn compute(articles: &[Arc<ArticleMeta>], source: &PrintSource, threads: usize) -> Vec<(u64, u64)> {
    let one = |m: &Arc<ArticleMeta>| body_fingerprint(source, m).map(|p| (id_key(m.id()), p));
    if threads == 1 || articles.len() < 64 {
        return articles.iter().filter_map(one).collect();
    }
    let per = articles.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let parts: Vec<_> = articles
            .chunks(per)
            .map(|part| scope.spawn(move || part.iter().filter_map(one).collect::<Vec<_>>()))
            .collect();
        parts
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

fn encode(pairs: &[(u64, u64)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + 4 + 8 + pairs.len() * 16 + 8);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(pairs.len() as u64).to_le_bytes());
    for &(k, p) in pairs {
        out.extend_from_slice(&k.to_le_bytes());
        out.extend_from_slice(&p.to_le_bytes());
    }
    let sum = xxhash_rust::xxh3::xxh3_64(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

/// The pairs in `bytes`, or `None` for anything but a whole file of this
/// version whose pairs are sorted.
fn decode(bytes: &[u8]) -> Option<Vec<(u64, u64)>> {
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
    if xxhash_rust::xxh3::xxh3_64(body) != u64::from_le_bytes(sum.try_into().ok()?) {
        return None;
    }
    let rest = body.strip_prefix(MAGIC)?;
    let (version, rest) = rest.split_at_checked(4)?;
    if u32::from_le_bytes(version.try_into().ok()?) != FORMAT_VERSION {
        return None;
    }
    let (count, rest) = rest.split_at_checked(8)?;
    let count = usize::try_from(u64::from_le_bytes(count.try_into().ok()?)).ok()?;
    if rest.len() != count.checked_mul(16)? {
        return None;
    }
    let word = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap_or_default());
    let pairs: Vec<(u64, u64)> = rest
        .chunks_exact(16)
        .map(|c| (word(&c[..8]), word(&c[8..])))
        .collect();
    pairs.is_sorted_by(|a, b| a.0 < b.0).then_some(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::LoadOptions;

    fn prints(pairs: &[(u64, u64)]) -> Prints {
        let mut p = Prints::default();
        p.insert(pairs.to_vec());
        p
    }

    #[test]
    fn an_id_is_its_own_hex_value() {
        assert_eq!(id_key("00000000000000ff"), 255);
        assert_ne!(id_key("not hex"), id_key("not hex either"));
    }

    #[test]
    fn written_prints_read_back_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("library/abc.prints");
        let mut p = prints(&[(3, 30), (1, 10), (2, u64::MAX)]);
        assert!(p.changed());
        p.write(&path).unwrap();
        assert!(!p.changed());
        let back = Prints::read(&path);
        assert_eq!(back.pairs, vec![(1, 10), (2, u64::MAX), (3, 30)]);
        assert_eq!(back.get("0000000000000002"), Some(u64::MAX));
        assert_eq!(back.get("0000000000000004"), None);
    }

    #[test]
    fn a_damaged_or_old_file_reads_as_empty() {
        let good = encode(&[(1, 10), (2, 20)]);
        assert_eq!(decode(&good), Some(vec![(1, 10), (2, 20)]));
        for cut in 0..good.len() {
            assert_eq!(decode(&good[..cut]), None, "cut at {cut}");
        }
        for i in 0..good.len() {
            let mut bad = good.clone();
            bad[i] ^= 0x10;
            assert_eq!(decode(&bad), None, "byte {i} flipped");
        }
        let mut old = good.clone();
        old[8] = 0;
        let sum = xxhash_rust::xxh3::xxh3_64(&old[..old.len() - 8]);
        let n = old.len();
        old[n - 8..].copy_from_slice(&sum.to_le_bytes());
        assert_eq!(decode(&old), None, "another version");
    }

    /// Five stories long enough to fingerprint, in a library on disk.
    fn library() -> (tempfile::TempDir, crate::library::Library) {
        let dir = tempfile::tempdir().unwrap();
        for n in 0..5 {
            let body: String = (0..80).map(|w| format!("word{n}x{w} ")).collect();
            std::fs::write(
                dir.path().join(format!("{n}.txt")),
                format!("Story {n}\n\n{body}\n"),
            )
            .unwrap();
        }
        let library =
            crate::library::Library::load(&[dir.path().to_path_buf()], LoadOptions::default())
                .unwrap();
        (dir, library)
    }

    #[test]
    fn fingerprints_are_computed_once_and_read_back_after() {
        let (dir, library) = library();
        let (source, _) = library.print_source();
        let file = dir.path().join("cache/lib.prints");
        let mut first = Prints::default();
        let (filled, error) = update(&mut first, library.articles(), &source, Some(&file), 1);
        assert!(error.is_none());
        assert_eq!(
            filled,
            Filled {
                computed: 5,
                unreadable: 0
            }
        );
        for m in library.articles() {
            let direct = library.article(m).unwrap();
            let print = first.get(m.id()).expect("fingerprinted");
            assert_eq!(
                print,
                crate::article::fingerprint::fingerprint(&direct.paragraphs)
            );
            assert_ne!(print, NONE);
        }
        // The next start reads them: no file is read again.
        let mut warm = Prints::read(&file);
        let (filled, _) = update(&mut warm, library.articles(), &source, Some(&file), 2);
        assert_eq!(filled, Filled::default());
        assert_eq!(warm.pairs, first.pairs);
    }

    #[test]
    fn a_file_changed_since_it_was_loaded_is_not_fingerprinted() {
        let (dir, library) = library();
        let (source, _) = library.print_source();
        let changed = &library.articles()[0];
        std::fs::write(
            dir.path().join(changed.rel_path()),
            "Other\n\nanother text\n",
        )
        .unwrap();
        let mut prints = Prints::default();
        let (filled, _) = update(&mut prints, library.articles(), &source, None, 1);
        assert_eq!(
            filled,
            Filled {
                computed: 4,
                unreadable: 1
            }
        );
        assert_eq!(prints.get(changed.id()), None);
    }

    #[test]
    fn stories_gone_from_the_library_lose_their_fingerprints() {
        let (_dir, library) = library();
        let (source, _) = library.print_source();
        let mut prints = Prints::default();
        update(&mut prints, library.articles(), &source, None, 1);
        let kept = &library.articles()[1..3];
        update(&mut prints, kept, &source, None, 1);
        assert_eq!(prints.len(), 2);
        assert!(prints.get(library.articles()[0].id()).is_none());
    }

    #[test]
    fn a_long_first_run_saves_its_progress_as_it_goes() {
        let (_dir, library) = library();
        let (source, _) = library.print_source();
        let mut saved = Vec::new();
        let mut prints = Prints::default();
        let mut save = |p: &mut Prints| saved.push(p.len());
        prints.fill_saving_every(2, library.articles(), &source, 1, &mut save);
        assert_eq!(saved, vec![2, 4]);
        assert_eq!(prints.len(), 5);
    }

    #[test]
    fn lookups_follow_the_articles_order_and_copies_share_one_id() {
        let meta = |id: &str, n: usize| {
            let rel = format!("{n}.txt");
            let text = crate::article::MetaText {
                id,
                title: id,
                rel_path: &rel,
                ..Default::default()
            };
            Arc::new(ArticleMeta::new(text, rel.clone().into(), 1, 1, 0))
        };
        let articles = vec![
            meta("00000000000000c0", 0),
            meta("00000000000000a0", 1),
            meta("00000000000000b0", 2),
            meta("00000000000000a0", 3),
            meta("00000000000000d0", 4),
        ];
        let p = prints(&[(0xa0, 1), (0xc0, 3), (0xe0, 5)]);
        assert_eq!(p.aligned(&articles), vec![3, 1, NONE, 1, NONE]);
        let missing = p.missing(&articles);
        let missing: Vec<&str> = missing.iter().map(|m| m.id()).collect();
        assert_eq!(missing, ["00000000000000b0", "00000000000000d0"]);
        let mut kept = p.clone();
        kept.retain(&articles);
        assert_eq!(kept.pairs, vec![(0xa0, 1), (0xc0, 3)]);
        assert!(kept.changed());
    }

    #[test]
    fn inserting_replaces_and_keeps_the_pairs_sorted() {
        let mut p = prints(&[(5, 50), (1, 10)]);
        p.insert(vec![(3, 30), (5, 55)]);
        assert_eq!(p.pairs, vec![(1, 10), (3, 30), (5, 55)]);
    }
}
