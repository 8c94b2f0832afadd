//! The load cache: every article's metadata from the last load, so a warm
//! start lists a large library without reading or parsing its files.
//!
//! One file per library (keyed by its canonical input paths) in the cache
//! dir, in a compact binary form (postcard) behind a magic and a format
//! version, recording the settings that decide what loads (a cache made
//! under other settings is rebuilt): decoding 100,000 entries takes milliseconds, where JSON would
//! take a large part of the start-up budget. After the header, the entries
//! come in frames of a few thousand, each behind its length, so reading
//! holds one frame's bytes at a time rather than the whole file (200 MB at
//! 1,000,000 articles, which would be the start's peak memory). The cache is only ever a
//! hint: entries are checked against the disk (path, size, modification
//! time) before they are trusted, and a missing, corrupt or old-format cache
//! is rebuilt.

use super::LoadOptions;
use crate::article::{ArticleMeta, MetaText};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const MAGIC: &[u8; 8] = b"TIDLOAD\0";
/// Bump when [`Entry`] or how metadata is derived changes: old caches are
/// rebuilt, never misread. 2: a lowercase first line followed by a
/// paragraph is the headline, not a topic line; the settings are recorded.
/// 4: the entries are written in frames (see the module's docs).
pub const FORMAT_VERSION: u32 = 4;

/// Entries per frame: about half a megabyte of BBC-sized entries.
const FRAME_ENTRIES: usize = 2048;

/// The longest frame a reader accepts (a frame's length comes from the
/// file: trusted only so far).
const MAX_FRAME: usize = 64 << 20;

/// One article's metadata as stored (paths as raw bytes: file names need
/// not be UTF-8).
#[derive(Deserialize)]
struct Entry<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(borrow)]
    kicker: Option<&'a str>,
    #[serde(borrow)]
    category: Option<&'a str>,
    /// Borrowed from the file's bytes: postcard writes a byte slice as its
    /// length and the bytes, which decode as one copy, not byte by byte.
    #[serde(borrow)]
    path: &'a [u8],
    rel_path: &'a str,
    #[serde(borrow)]
    source: Option<&'a str>,
    #[serde(borrow)]
    url: Option<&'a str>,
    #[serde(borrow)]
    author: Option<&'a str>,
    #[serde(borrow)]
    tags: Option<&'a str>,
    published: Option<i64>,
    words: u64,
    size: u64,
    mtime: i64,
}

/// The first frame: what the entries were recorded under, and how many
/// entries follow, in frames.
#[derive(Deserialize)]
struct Header<'a> {
    #[serde(borrow)]
    inputs: Vec<&'a [u8]>,
    settings: Settings,
    /// How many of the entries, at the end, are copies: files with the same
    /// text as a listed story (see [`super::copies`]).
    copies: u64,
    /// Entries in all, stories then copies.
    entries: u64,
}

/// The settings that decided what was loaded ([`LoadOptions`]): a cache
/// made under other settings may list files they now exclude (a lowered
/// size cap) or lack files they now include, so it is not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Settings {
    max_file_size: u64,
    project_files: bool,
}

impl Settings {
    fn of(options: &LoadOptions) -> Self {
        Self {
            max_file_size: options.max_file_size,
            project_files: options.project_files,
        }
    }
}

/// The entries, turned into the library's metadata as they are decoded:
/// never a whole list of [`Entry`] and a second list of metadata at once.
struct Entries(Vec<Arc<ArticleMeta>>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of articles")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Entries, A::Error> {
                // The length comes from the file: trust it only so far.
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
                while let Some(entry) = seq.next_element::<Entry>()? {
                    out.push(Arc::new(from_entry(entry)));
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_seq(Visitor)
    }
}

/// [`Entry`] borrowed from the library for writing: the same encoding,
/// without a second copy of 100k articles' strings.
#[derive(Serialize)]
struct EntryRef<'a> {
    id: &'a str,
    title: &'a str,
    kicker: Option<&'a str>,
    category: Option<&'a str>,
    path: &'a [u8],
    rel_path: &'a str,
    source: Option<&'a str>,
    url: Option<&'a str>,
    author: Option<&'a str>,
    tags: Option<&'a str>,
    published: Option<i64>,
    words: u64,
    size: u64,
    mtime: i64,
}

/// [`Header`] for writing.
#[derive(Serialize)]
struct HeaderRef<'a> {
    inputs: Vec<&'a [u8]>,
    settings: Settings,
    copies: u64,
    entries: u64,
}

/// One frame of the library's metadata, encoded entry by entry as it is
/// written.
struct EntriesRef<'a>(&'a [Arc<ArticleMeta>]);

impl Serialize for EntriesRef<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|m| entry_ref(m)))
    }
}

/// What a load cache holds: the articles listed, and the files with the
/// same text as one of them (written by a library that had sorted them
/// apart, so they are taken as they are).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cached {
    pub articles: Vec<Arc<ArticleMeta>>,
    pub copies: Vec<Arc<ArticleMeta>>,
}

/// Why a cache could not be used.
#[derive(Debug, PartialEq, Eq)]
pub enum CacheMiss {
    /// No cache yet: a first start, not worth a message.
    Absent,
    /// Made under other settings (the size cap, project files): rebuilt
    /// without a message, the change was the user's own.
    OtherSettings,
    /// Present but unusable; rebuilt, with this explanation.
    Invalid(String),
}

/// The cache file for a library made of `inputs`.
pub fn cache_path(cache_dir: &Path, inputs: &[PathBuf]) -> PathBuf {
    let mut key = Vec::new();
    for input in inputs {
        let canonical = input.canonicalize().unwrap_or_else(|_| input.clone());
        key.extend_from_slice(canonical.as_os_str().as_bytes());
        key.push(0);
    }
    let hash = xxhash_rust::xxh3::xxh3_64(&key);
    cache_dir.join("library").join(format!("{hash:016x}.bin"))
}

/// Read the cache at `path`.
///
/// The cache file is found by the library's canonical paths, but entries
/// keep paths as they were given (`news`, `./news`, `/home/me/news`): when
/// the library was named differently last time, entries are moved onto
/// the current `inputs`, so every file is still recognised (not read again
/// as new while its old entry is dropped as removed).
pub fn read(path: &Path, inputs: &[PathBuf], options: &LoadOptions) -> Result<Cached, CacheMiss> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(CacheMiss::Absent),
        Err(e) => {
            return Err(CacheMiss::Invalid(format!(
                "cannot read the load cache: {e}"
            )));
        }
    };
    let size = file.metadata().map_or(0, |m| m.len());
    let mut frames = Frames::new(std::io::BufReader::new(file));
    let header = frames.header().map_err(CacheMiss::Invalid)?;
    if header.settings != Settings::of(options) {
        return Err(CacheMiss::OtherSettings);
    }
    let mut metas = frames
        .entries(header.entries, size)
        .map_err(CacheMiss::Invalid)?;
    let stories = usize::try_from(header.copies)
        .ok()
        .and_then(|copies| metas.len().checked_sub(copies))
        .ok_or_else(|| CacheMiss::Invalid("the load cache is corrupt (copies)".into()))?;
    let current: Vec<&[u8]> = inputs.iter().map(|p| p.as_os_str().as_bytes()).collect();
    let stored = &header.inputs;
    if stored.len() == current.len() && *stored != current {
        for meta in &mut metas {
            let moved = stored.iter().zip(inputs).find_map(|(old, new)| {
                let rest = meta
                    .path
                    .strip_prefix(Path::new(std::ffi::OsStr::from_bytes(old)));
                rest.ok().map(|rest| new.join(rest))
            });
            if let Some(path) = moved {
                Arc::make_mut(meta).path = path;
            }
        }
    }
    let copies = metas.split_off(stories);
    Ok(Cached {
        articles: metas,
        copies,
    })
}

/// A decoded header, owning what it borrowed from its frame.
struct OwnedHeader {
    inputs: Vec<Vec<u8>>,
    settings: Settings,
    copies: u64,
    entries: u64,
}

/// Reads a cache file a frame at a time, into one buffer that is reused.
struct Frames<R> {
    reader: R,
    buf: Vec<u8>,
}

impl<R: std::io::Read> Frames<R> {
    fn new(reader: R) -> Self {
        Self {
            reader,
            buf: Vec::new(),
        }
    }

    /// The magic, the format version and the header frame.
    fn header(&mut self) -> Result<OwnedHeader, String> {
        const NOT_OURS: &str = "the load cache is not a tidings cache";
        let mut start = [0u8; 12];
        self.reader.read_exact(&mut start).map_err(|_| NOT_OURS)?;
        let (magic, version) = start.split_at(8);
        if magic != MAGIC {
            return Err(NOT_OURS.into());
        }
        let version = u32::from_le_bytes(version.try_into().expect("4 bytes"));
        if version != FORMAT_VERSION {
            return Err(format!(
                "the load cache has format {version}, this version uses {FORMAT_VERSION}"
            ));
        }
        self.frame()?;
        let header: Header = postcard::from_bytes(&self.buf).map_err(corrupt)?;
        Ok(OwnedHeader {
            inputs: header.inputs.into_iter().map(<[u8]>::to_vec).collect(),
            settings: header.settings,
            copies: header.copies,
            entries: header.entries,
        })
    }

    /// Every entry, `count` in all, frame after frame. The count comes
    /// from the file: no more is reserved than a file of `size` bytes
    /// could hold.
    fn entries(&mut self, count: u64, size: u64) -> Result<Vec<Arc<ArticleMeta>>, String> {
        let count = usize::try_from(count).map_err(|_| "the load cache is corrupt (count)")?;
        let bound = usize::try_from(size / 16).unwrap_or(usize::MAX);
        let mut out = Vec::with_capacity(count.min(bound));
        while out.len() < count {
            self.frame()?;
            let Entries(frame) = postcard::from_bytes(&self.buf).map_err(corrupt)?;
            if frame.is_empty() {
                return Err("the load cache is corrupt (an empty frame)".into());
            }
            out.extend(frame);
        }
        if out.len() != count {
            return Err("the load cache is corrupt (count)".into());
        }
        Ok(out)
    }

    /// The next frame's bytes, into `buf`.
    fn frame(&mut self) -> Result<(), String> {
        let mut len = [0u8; 4];
        self.reader.read_exact(&mut len).map_err(truncated)?;
        let len = u32::from_le_bytes(len) as usize;
        if len > MAX_FRAME {
            return Err("the load cache is corrupt (a frame too long)".into());
        }
        self.buf.clear();
        self.buf.resize(len, 0);
        self.reader.read_exact(&mut self.buf).map_err(truncated)
    }
}

fn corrupt(e: postcard::Error) -> String {
    format!("the load cache is corrupt ({e})")
}

fn truncated(e: std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::UnexpectedEof {
        "the load cache is corrupt (truncated)".into()
    } else {
        format!("cannot read the load cache: {e}")
    }
}

/// Write the cache atomically (temp file, then rename), so a crash never
/// leaves a half-written cache behind.
pub fn write(
    path: &Path,
    inputs: &[PathBuf],
    options: &LoadOptions,
    files: &Cached,
) -> std::io::Result<()> {
    let header = HeaderRef {
        inputs: inputs.iter().map(|p| p.as_os_str().as_bytes()).collect(),
        settings: Settings::of(options),
        copies: files.copies.len() as u64,
        entries: (files.articles.len() + files.copies.len()) as u64,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{}.tmp-{}", file_name(path), std::process::id()));
    let written = (|| {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        file.write_all(MAGIC)?;
        file.write_all(&FORMAT_VERSION.to_le_bytes())?;
        let mut buf = Vec::new();
        write_frame(&mut file, &header, &mut buf)?;
        for part in [&files.articles, &files.copies] {
            for chunk in part.chunks(FRAME_ENTRIES) {
                write_frame(&mut file, &EntriesRef(chunk), &mut buf)?;
            }
        }
        // No fsync: the cache is only a hint (a torn one is rebuilt), and
        // a load that has just finished should not wait for the disk.
        file.into_inner().map_err(|e| e.into_error())?;
        Ok(())
    })();
    written
        .and_then(|()| std::fs::rename(&tmp, path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
}

/// One frame: the value's length, then the value, encoded in `buf` (kept
/// from frame to frame, so writing allocates once).
fn write_frame(
    out: &mut impl Write,
    value: &impl Serialize,
    buf: &mut Vec<u8>,
) -> std::io::Result<()> {
    buf.clear();
    *buf = postcard::to_extend(value, std::mem::take(buf)).map_err(std::io::Error::other)?;
    let len = u32::try_from(buf.len())
        .ok()
        .filter(|&n| n as usize <= MAX_FRAME)
        .ok_or_else(|| std::io::Error::other("a load cache frame is too long"))?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(buf)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn entry_ref(m: &ArticleMeta) -> EntryRef<'_> {
    EntryRef {
        id: m.id(),
        title: m.title(),
        kicker: m.kicker(),
        category: m.category(),
        path: m.path.as_os_str().as_bytes(),
        rel_path: m.rel_path(),
        source: m.source(),
        url: m.url(),
        author: m.author(),
        tags: m.tags(),
        published: m.published(),
        words: m.words as u64,
        size: m.size,
        mtime: m.mtime,
    }
}

fn from_entry(e: Entry<'_>) -> ArticleMeta {
    let text = MetaText {
        id: e.id,
        title: e.title,
        kicker: e.kicker,
        category: e.category,
        rel_path: e.rel_path,
        source: e.source,
        url: e.url,
        author: e.author,
        tags: e.tags,
        published: e.published,
    };
    let path = PathBuf::from(std::ffi::OsString::from_vec(e.path.to_vec()));
    ArticleMeta::new(text, path, e.words as usize, e.size, e.mtime)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(n: u32) -> ArticleMeta {
        let (id, title, rel_path) = (
            format!("{n:016x}"),
            format!("Title {n}"),
            format!("cat/{n}.txt"),
        );
        let text = MetaText {
            id: &id,
            title: &title,
            kicker: n.is_multiple_of(2).then_some("topic"),
            category: Some("cat"),
            rel_path: &rel_path,
            ..Default::default()
        };
        let path = PathBuf::from(format!("/lib/cat/{n}.txt"));
        ArticleMeta::new(text, path, 10, 100, 1_700_000_000_000_000_000)
    }

    fn one() -> Cached {
        Cached {
            articles: vec![Arc::new(meta(1))],
            copies: Vec::new(),
        }
    }

    /// Write `files` and read them back: the same.
    fn assert_round_trip(files: &Cached) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("library/x.bin");
        let options = LoadOptions::default();
        write(&path, &[PathBuf::from("/lib")], &options, files).unwrap();
        let back = read(&path, &[PathBuf::from("/lib")], &options).unwrap();
        assert_eq!(&back, files);
    }

    #[test]
    fn round_trip() {
        assert_round_trip(&Cached {
            articles: (0..100).map(|n| Arc::new(meta(n))).collect(),
            copies: (100..103).map(|n| Arc::new(meta(n))).collect(),
        });
    }

    #[test]
    fn round_trip_across_many_frames() {
        let stories = 2 * FRAME_ENTRIES as u32 + 5;
        assert_round_trip(&Cached {
            articles: (0..stories).map(|n| Arc::new(meta(n))).collect(),
            // More copies than a frame holds, so they span frames too.
            copies: (stories..stories + FRAME_ENTRIES as u32 + 1)
                .map(|n| Arc::new(meta(n)))
                .collect(),
        });
    }

    #[test]
    fn a_frame_longer_than_allowed_is_corrupt_not_allocated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.bin");
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        bytes.extend_from_slice(&u32::MAX.to_le_bytes());
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(
            read(&path, &[], &LoadOptions::default()),
            Err(CacheMiss::Invalid(
                "the load cache is corrupt (a frame too long)".into()
            ))
        );
    }

    #[test]
    fn a_cache_cut_between_frames_is_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.bin");
        let files = Cached {
            articles: (0..FRAME_ENTRIES as u32 + 1)
                .map(|n| Arc::new(meta(n)))
                .collect(),
            copies: Vec::new(),
        };
        let o = LoadOptions::default();
        write(&path, &[], &o, &files).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        // The last frame (one entry, its length first) goes.
        let last = postcard::to_stdvec(&EntriesRef(&files.articles[FRAME_ENTRIES..])).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - last.len() - 4]).unwrap();
        assert_eq!(
            read(&path, &[], &o),
            Err(CacheMiss::Invalid(
                "the load cache is corrupt (truncated)".into()
            ))
        );
    }

    #[test]
    fn entries_follow_the_library_named_another_way() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("library/x.bin");
        let articles: Vec<_> = (0..3).map(|n| Arc::new(meta(n))).collect();
        let files = Cached {
            articles: articles.clone(),
            copies: Vec::new(),
        };
        let options = LoadOptions::default();
        write(&path, &[PathBuf::from("/lib")], &options, &files).unwrap();
        // The same library, given as a relative path this time.
        let read_back = read(&path, &[PathBuf::from("../lib")], &options)
            .unwrap()
            .articles;
        let paths: Vec<_> = read_back.iter().map(|m| m.path.clone()).collect();
        assert_eq!(
            paths,
            (0..3)
                .map(|n| PathBuf::from(format!("../lib/cat/{n}.txt")))
                .collect::<Vec<_>>()
        );
        assert_eq!(read_back[1].rel_path(), articles[1].rel_path());
        assert_eq!(read_back[1].id(), articles[1].id());
    }

    #[test]
    fn missing_corrupt_and_old_format_are_misses() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.bin");
        let o = LoadOptions::default();
        assert_eq!(read(&path, &[], &o), Err(CacheMiss::Absent));
        std::fs::write(&path, b"garbage").unwrap();
        assert!(
            matches!(read(&path, &[], &o), Err(CacheMiss::Invalid(m)) if m.contains("not a tidings cache"))
        );
        write(&path, &[], &o, &one()).unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.truncate(bytes.len() - 5);
        std::fs::write(&path, &bytes).unwrap();
        assert!(
            matches!(read(&path, &[], &o), Err(CacheMiss::Invalid(m)) if m.contains("corrupt"))
        );
        bytes[8] = 99;
        std::fs::write(&path, &bytes).unwrap();
        assert!(
            matches!(read(&path, &[], &o), Err(CacheMiss::Invalid(m)) if m.contains("format 99"))
        );
    }

    #[test]
    fn a_cache_made_under_other_settings_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.bin");
        let made = LoadOptions::default();
        write(&path, &[], &made, &one()).unwrap();
        assert!(read(&path, &[], &made).is_ok());
        let lowered = LoadOptions {
            max_file_size: 1 << 20,
            ..made.clone()
        };
        assert_eq!(read(&path, &[], &lowered), Err(CacheMiss::OtherSettings));
        let project_files = LoadOptions {
            project_files: true,
            ..made
        };
        assert_eq!(
            read(&path, &[], &project_files),
            Err(CacheMiss::OtherSettings)
        );
    }

    #[test]
    fn key_depends_on_inputs() {
        let a = cache_path(Path::new("/c"), &[PathBuf::from("/a")]);
        let b = cache_path(Path::new("/c"), &[PathBuf::from("/b")]);
        assert_ne!(a, b);
        assert_eq!(a, cache_path(Path::new("/c"), &[PathBuf::from("/a")]));
    }
}
