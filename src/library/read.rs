//! Reading and parsing files: the one open and `fstat` per file, reads
//! into a buffer each thread keeps, and reading a body again for the reader.

use super::paths::{mtime_nanos, rel_path};
use super::prints::PrintSource;
use super::walk;
use super::{Candidate, Library, LibraryError, LoadOptions, Origin, SkipReason, Skipped, bundled};
use crate::article::{self, Article, ArticleMeta, Format, MetaText, ParseError, Parsed};
use std::fs::File;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Bytes looked at to decide whether a file is binary.
const BINARY_SNIFF: usize = 8 * 1024;

impl Library {
    /// The file's bytes as stored.
    pub fn raw_bytes(&self, meta: &ArticleMeta) -> Result<Vec<u8>, LibraryError> {
        if self.origin == Origin::Bundled {
            return bundled::get(meta.rel_path())
                .map(<[u8]>::to_vec)
                .ok_or_else(|| LibraryError::Unreadable(meta.path.clone(), SkipReason::Vanished));
        }
        read_capped(&meta.path, self.options.max_file_size)
            .map_err(|r| LibraryError::Unreadable(meta.path.clone(), r))
    }

    /// The raw file as text (decoded and made safe to show, nothing removed).
    pub fn raw_text(&self, meta: &ArticleMeta) -> Result<String, LibraryError> {
        Ok(article::sanitize::sanitize(&article::decode(
            &self.raw_bytes(meta)?,
        )))
    }

    /// Read and parse an article's body again. The metadata given is kept:
    /// if the file changed since it was loaded, the new text is shown under
    /// the old id until the next load.
    pub fn article(&self, meta: &ArticleMeta) -> Result<Article, LibraryError> {
        let bytes = self.raw_bytes(meta)?;
        let parsed = parse_bytes(&bytes, meta.format())
            .map_err(|r| LibraryError::Unreadable(meta.path.clone(), r))?;
        Ok(Article {
            meta: meta.clone(),
            paragraphs: parsed.paragraphs,
            blocks: parsed.blocks,
            links: parsed.links,
        })
    }
}

/// Load one candidate in full: one open, one `fstat`, and reads into a
/// buffer that each thread keeps from file to file.
pub fn load_article(c: &Candidate, options: &LoadOptions) -> Result<Article, Skipped> {
    let (mut parsed, size, mtime) = read_and_parse(c, options, parse_bytes)?;
    let rel = rel_path(&c.path, &c.root);
    let paragraphs = std::mem::take(&mut parsed.paragraphs);
    let (id, words) = article::digest(&parsed.title, &paragraphs);
    Ok(Article {
        meta: meta_of(&parsed, id, words, c.path.clone(), &rel, size, mtime),
        paragraphs,
        blocks: std::mem::take(&mut parsed.blocks),
        links: std::mem::take(&mut parsed.links),
    })
}

/// [`load_article`] for its metadata alone, which is what a load keeps:
/// the body's structure (its styles and links) is not built.
pub fn load_meta(c: &Candidate, options: &LoadOptions) -> Result<ArticleMeta, Skipped> {
    let meta_only = |bytes: &[u8], format| {
        check_bytes(bytes)?;
        article::format::parse_meta(bytes, format).map_err(skip_reason)
    };
    let (parsed, size, mtime) = read_and_parse(c, options, meta_only)?;
    let rel = rel_path(&c.path, &c.root);
    let (id, words) = parsed.digest();
    Ok(meta_of(
        &parsed,
        id,
        words,
        c.path.clone(),
        &rel,
        size,
        mtime,
    ))
}

/// The body fingerprint of a loaded article ([`article::fingerprint`]),
/// from its file read again as it was loaded; `None` when the file cannot
/// be read or has changed since (its text would not be the one its id
/// names: the change is loaded, and fingerprinted, as a new article).
pub fn body_fingerprint(source: &PrintSource, meta: &ArticleMeta) -> Option<u64> {
    let meta_only = |bytes: &[u8], format| {
        check_bytes(bytes)?;
        article::format::parse_meta(bytes, format).map_err(skip_reason)
    };
    let parsed = if source.origin == Origin::Bundled {
        meta_only(bundled::get(meta.rel_path())?, meta.format()).ok()?
    } else {
        let root: Arc<Path> = Arc::from(meta.path.parent().unwrap_or(Path::new("/")));
        let c = Candidate {
            path: meta.path.clone(),
            root,
        };
        let (parsed, size, mtime) = read_and_parse(&c, &source.options, meta_only).ok()?;
        if (size, mtime) != (meta.size, meta.mtime) {
            return None;
        }
        parsed
    };
    Some(article::fingerprint::fingerprint(&parsed.paragraphs))
}

/// Open, read (into the thread's buffer) and parse one candidate with
/// `parse`: the parsed file, its size and its modification time.
fn read_and_parse(
    c: &Candidate,
    options: &LoadOptions,
    parse: impl Fn(&[u8], Format) -> Result<Parsed, SkipReason>,
) -> Result<(Parsed, u64, i64), Skipped> {
    let skip = |reason| Skipped {
        path: c.path.clone(),
        reason,
    };
    let (file, size, mtime) = open_regular(&c.path).map_err(skip)?;
    let parsed = READ_BUF
        .with_borrow_mut(|buf| {
            let len = read_file(file, size, options.max_file_size, buf)?;
            let parsed = parse(&buf[..len], Format::of(&c.path.to_string_lossy()));
            if buf.len() > KEPT_READ_BUF {
                *buf = Vec::new();
            }
            parsed
        })
        .map_err(skip)?;
    Ok((parsed, size, mtime))
}

/// Largest read buffer a thread keeps between files; a bigger one (for a
/// rare huge file) is given back at once.
const KEPT_READ_BUF: usize = 1 << 20;

thread_local! {
    /// The bytes of the file being loaded; its length is only ever raised,
    /// so the zero-fill is paid once per thread, not once per file.
    static READ_BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Decode, sanitise and parse a file's bytes in its format, or say why it
/// is no article.
pub fn parse_bytes(bytes: &[u8], format: Format) -> Result<Parsed, SkipReason> {
    check_bytes(bytes)?;
    article::format::parse(bytes, format).map_err(skip_reason)
}

/// A file with a NUL near its start is binary, whatever its name.
fn check_bytes(bytes: &[u8]) -> Result<(), SkipReason> {
    match memchr::memchr(0, &bytes[..bytes.len().min(BINARY_SNIFF)]) {
        Some(_) => Err(SkipReason::Binary),
        None => Ok(()),
    }
}

fn skip_reason(e: ParseError) -> SkipReason {
    match e {
        ParseError::Empty => SkipReason::Empty,
        other => SkipReason::Parse(other),
    }
}

pub(super) fn make_meta(
    parsed: Parsed,
    path: PathBuf,
    rel: &str,
    size: u64,
    mtime: i64,
) -> ArticleMeta {
    let (id, words) = parsed.digest();
    meta_of(&parsed, id, words, path, rel, size, mtime)
}

/// The metadata of a parsed file whose id and word count are known (its
/// paragraphs are not used).
fn meta_of(
    parsed: &Parsed,
    id: String,
    words: usize,
    path: PathBuf,
    rel: &str,
    size: u64,
    mtime: i64,
) -> ArticleMeta {
    let category = rel
        .rsplit_once('/')
        .map(|(dir, _)| article::sanitize::sanitize_line(dir));
    let tags = (!parsed.tags.is_empty()).then(|| parsed.tags.join(", "));
    let text = MetaText {
        id: &id,
        title: &parsed.title,
        kicker: parsed.kicker.as_deref(),
        category: category.as_deref(),
        rel_path: rel,
        source: parsed.source.as_deref(),
        url: parsed.url.as_deref(),
        author: parsed.author.as_deref(),
        tags: tags.as_deref(),
        published: parsed.published,
    };
    ArticleMeta::new(text, path, words, size, mtime)
}

/// Open without blocking (a FIFO swapped in after the walk must not hang us)
/// and refuse anything that is not a regular file; the one `fstat` that
/// checks the type also gives the size and modification time.
fn open_regular(path: &Path) -> Result<(File, u64, i64), SkipReason> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => SkipReason::Vanished,
            _ => SkipReason::Unreadable(e.to_string()),
        })?;
    let meta = file
        .metadata()
        .map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    match walk::special_kind(&meta.file_type()) {
        Some(kind) => Err(SkipReason::NotRegular(kind)),
        None => Ok((file, meta.len(), mtime_nanos(&meta))),
    }
}

/// Read the file `fstat` found to be `size` bytes into the start of `buf`
/// (grown as needed, never shrunk), and return how many bytes it holds.
///
/// Up to one byte past the limit is read, so a file that grew is still
/// caught. The first read asks for one byte more than `size`: when it
/// returns exactly `size`, that is the end of the file and no second read
/// is needed to see it.
fn read_file(
    mut file: File,
    size: u64,
    limit: u64,
    buf: &mut Vec<u8>,
) -> Result<usize, SkipReason> {
    if size > limit {
        return Err(SkipReason::TooLarge { size, limit });
    }
    let cap = usize::try_from(limit.saturating_add(1)).unwrap_or(usize::MAX);
    let mut want = usize::try_from(size.saturating_add(1)).map_or(cap, |w| w.min(cap));
    let mut len = 0;
    while len < cap {
        if buf.len() < want {
            buf.resize(want, 0);
        }
        let end = want.min(buf.len());
        match file.read(&mut buf[len..end]) {
            Ok(0) => break,
            Ok(n) => {
                len += n;
                if len as u64 == size && len < end {
                    break;
                }
                if len == end {
                    // Larger than it was: keep going, in growing steps.
                    want = end.saturating_mul(2).max(8192).min(cap);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(SkipReason::Unreadable(e.to_string())),
        }
    }
    if len as u64 > limit {
        return Err(SkipReason::TooLarge {
            size: len as u64,
            limit,
        });
    }
    Ok(len)
}

/// Read a whole regular file, within the size limit.
pub fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, SkipReason> {
    let (file, size, _) = open_regular(path)?;
    let mut bytes = Vec::new();
    let len = read_file(file, size, limit, &mut bytes)?;
    bytes.truncate(len);
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::super::DEFAULT_MAX_FILE_SIZE;
    use super::*;

    #[test]
    fn read_file_reads_whole_files_whatever_fstat_said() {
        let dir = tempfile::TempDir::new().unwrap();
        let mut buf = vec![7u8; 3];
        for len in [0usize, 1, 100, 8191, 8192, 8193, 70_000] {
            let path = dir.path().join(format!("f{len}"));
            let body: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            std::fs::write(&path, &body).unwrap();
            // The size from fstat, and sizes a file that grew or shrank
            // since would have had.
            for size in [len as u64, 0, 5, len as u64 / 2, len as u64 + 10] {
                let file = File::open(&path).unwrap();
                let n = read_file(file, size, DEFAULT_MAX_FILE_SIZE, &mut buf).unwrap();
                assert_eq!(&buf[..n], &body[..], "len {len}, size {size}");
            }
            assert_eq!(read_capped(&path, DEFAULT_MAX_FILE_SIZE).unwrap(), body);
        }
    }

    #[test]
    fn read_file_stops_one_byte_past_the_limit() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b'a'; 50_000]).unwrap();
        let mut buf = Vec::new();
        let over = |size, limit, buf: &mut Vec<u8>| {
            read_file(File::open(&path).unwrap(), size, limit, buf)
        };
        assert_eq!(
            over(50_000, 1000, &mut buf),
            Err(SkipReason::TooLarge {
                size: 50_000,
                limit: 1000
            })
        );
        // A file that grew past the limit after fstat: caught by reading.
        assert_eq!(
            over(10, 1000, &mut buf),
            Err(SkipReason::TooLarge {
                size: 1001,
                limit: 1000
            })
        );
        assert_eq!(over(10, 50_000, &mut buf), Ok(50_000));
        assert_eq!(
            read_capped(&path, 49_999),
            Err(SkipReason::TooLarge {
                size: 50_000,
                limit: 49_999
            })
        );
    }

    #[test]
    fn a_load_keeps_the_metadata_a_full_read_gives_for_every_bundled_format() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
        let found = walk::discover(std::slice::from_ref(&root)).unwrap();
        let mut formats = Vec::new();
        for c in &found.candidates {
            let full = load_article(c, &LoadOptions::default()).unwrap().meta;
            let meta = load_meta(c, &LoadOptions::default()).unwrap();
            assert_eq!(
                format!("{meta:?}"),
                format!("{full:?}"),
                "{}",
                c.path.display()
            );
            if !formats.contains(&full.format()) {
                formats.push(full.format());
            }
        }
        assert_eq!(formats.len(), 4, "txt, md, html and json: {formats:?}");
    }

    #[test]
    fn load_article_keeps_the_parsed_paragraphs() {
        let dir = tempfile::TempDir::new().unwrap();
        let text = "Title here\n\nOne  two.\n\nThree\u{a0}four.\n";
        std::fs::create_dir(dir.path().join("news")).unwrap();
        let path = dir.path().join("news/a.txt");
        std::fs::write(&path, text).unwrap();
        let c = Candidate {
            path: path.clone(),
            root: dir.path().into(),
        };
        let article = load_article(&c, &LoadOptions::default()).unwrap();
        let parsed = parse_bytes(text.as_bytes(), Format::Text).unwrap();
        assert_eq!(article.paragraphs, parsed.paragraphs);
        assert_eq!(article.meta.id(), parsed.id());
        assert_eq!(article.meta.words, 6);
        assert_eq!(article.meta.size, text.len() as u64);
        assert_eq!(article.meta.rel_path(), "news/a.txt");
        assert_eq!(article.meta.category(), Some("news"));
    }

    #[test]
    fn binary_and_empty_are_skipped() {
        for format in [Format::Text, Format::Markdown, Format::Html, Format::Json] {
            assert_eq!(parse_bytes(b"ab\0cd", format), Err(SkipReason::Binary));
            assert_eq!(parse_bytes(b"  \n \n", format), Err(SkipReason::Empty));
            assert_eq!(parse_bytes(b"", format), Err(SkipReason::Empty));
        }
    }
}
