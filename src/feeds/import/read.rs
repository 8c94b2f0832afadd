//! A collection file, one record at a time, in bounded memory.
//!
//! What a file is comes from its first bytes, not its name: `<` is a feed
//! (RSS, Atom), `[` a JSON array of articles, `{` either a JSON Feed, JSON
//! Lines (one object per line) or one article. JSON Lines and arrays are
//! streamed: a line, or an array element, is read, turned into an item and
//! dropped before the next, and none may be longer than [`MAX_RECORD`]; so
//! a file of a million records takes the memory of one. A feed (or one
//! JSON document) is read whole, since the feed parser needs it all, and
//! may be at most [`MAX_DOCUMENT`].

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek};
use std::path::Path;
use std::rc::Rc;

use serde::de::{SeqAccess, Visitor};
use serde_json::Value;

use super::record;
use crate::feeds::parse::{self, Item};

/// The longest line of JSON Lines, or element of an array.
pub const MAX_RECORD: u64 = 16 << 20;
/// The largest feed, or single JSON document, read whole.
pub const MAX_DOCUMENT: u64 = 64 << 20;

/// Where a record is in its file, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A 1-based line (JSON Lines; where an array element starts).
    Line(u64),
    /// The n-th item of a feed.
    Item(u64),
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Line(n) => write!(f, "{n}"),
            Place::Item(n) => write!(f, "item {n}"),
        }
    }
}

/// One record: an item (with the source it names), or why it is skipped.
#[derive(Debug)]
pub enum Entry {
    Item(Box<Item>, Option<String>),
    Skip(String),
}

/// A record read, where it was, and how far into the file reading is
/// (bytes, for progress).
#[derive(Debug)]
pub struct Record {
    pub place: Place,
    pub entry: Entry,
    pub offset: u64,
}

/// Why a file could not be read as a collection at all.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("not a collection of articles: {0}")]
    NotCollection(String),
}

/// Read the collection at `path`, calling `each` on every record in order.
pub fn read(path: &Path, each: &mut dyn FnMut(Record)) -> Result<(), ReadError> {
    let file = File::open(path)?;
    if !file.metadata()?.is_file() {
        return Err(ReadError::NotCollection("not a regular file".into()));
    }
    let mut reader = BufReader::with_capacity(64 * 1024, file);
    let (first, line) = skip_blank_start(&mut reader)?;
    match first {
        None => Err(ReadError::NotCollection("empty file".into())),
        Some(b'<') => feed(&whole(&mut reader)?, each),
        Some(b'[') => array(reader, line, each),
        Some(b'{') => object_or_lines(reader, line, each),
        Some(_) => Err(ReadError::NotCollection(
            "neither a feed, a JSON array nor JSON Lines".into(),
        )),
    }
}

/// Skip a byte-order mark and whitespace; the first other byte (not
/// consumed), and the line it is on.
fn skip_blank_start(reader: &mut impl BufRead) -> io::Result<(Option<u8>, u64)> {
    let mut line = 1;
    let mut start = true;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok((None, line));
        }
        if start && buf.starts_with(b"\xEF\xBB\xBF") {
            reader.consume(3);
            start = false;
            continue;
        }
        start = false;
        let blank = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
        line += buf[..blank].iter().filter(|&&b| b == b'\n').count() as u64;
        if blank < buf.len() {
            let first = buf[blank];
            reader.consume(blank);
            return Ok((Some(first), line));
        }
        reader.consume(blank);
    }
}

/// The rest of the file, refused past [`MAX_DOCUMENT`].
fn whole(reader: &mut impl Read) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    reader.take(MAX_DOCUMENT + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_DOCUMENT {
        return Err(ReadError::NotCollection(format!(
            "a feed or JSON document over {} MiB (JSON Lines has no limit)",
            MAX_DOCUMENT >> 20
        )));
    }
    Ok(bytes)
}

/// Every item of a feed (RSS, Atom, JSON Feed), named by the feed's title.
fn feed(bytes: &[u8], each: &mut dyn FnMut(Record)) -> Result<(), ReadError> {
    let feed = parse::parse(bytes, "").map_err(|e| ReadError::NotCollection(e.to_string()))?;
    let offset = bytes.len() as u64;
    for (n, item) in feed.items.into_iter().enumerate() {
        let empty =
            item.title.trim().is_empty() && item.content_html.is_none() && item.summary.is_none();
        let entry = if empty {
            Entry::Skip(record::NO_TEXT.into())
        } else {
            Entry::Item(Box::new(item), feed.title.clone())
        };
        let place = Place::Item(n as u64 + 1);
        each(Record {
            place,
            entry,
            offset,
        });
    }
    Ok(())
}

/// The record in one JSON value.
fn entry(value: Value) -> Entry {
    match value {
        Value::Object(o) => match record::item(&o) {
            Ok((item, source)) => Entry::Item(Box::new(item), source),
            Err(why) => Entry::Skip(why.into()),
        },
        _ => Entry::Skip("not a JSON object".into()),
    }
}

/// A file starting with `{`: a JSON Feed, JSON Lines, or one article.
///
/// When the first line is a whole object, it is JSON Lines unless that
/// object is a JSON Feed; otherwise the file is one document (pretty
/// printed), unless it does not parse as one, when it is JSON Lines whose
/// first line is broken.
fn object_or_lines(
    mut reader: BufReader<File>,
    line: u64,
    each: &mut dyn FnMut(Record),
) -> Result<(), ReadError> {
    let start = reader.stream_position()?;
    let mut first = Vec::new();
    let (complete, _) = read_line_capped(&mut reader, &mut first)?;
    let first_value = complete
        .then(|| serde_json::from_slice::<Value>(&first).ok())
        .flatten();
    reader.seek(io::SeekFrom::Start(start))?;
    match first_value {
        Some(Value::Object(o)) if is_json_feed(&o) => feed(&whole(&mut reader)?, each),
        Some(Value::Object(_)) => lines(reader, line, each),
        _ => match whole(&mut reader).map(|b| serde_json::from_slice::<Value>(&b)) {
            Ok(Ok(Value::Object(o))) if is_json_feed(&o) => {
                reader.seek(io::SeekFrom::Start(start))?;
                feed(&whole(&mut reader)?, each)
            }
            Ok(Ok(value)) => {
                let offset = reader.stream_position()?;
                let (place, entry) = (Place::Line(line), entry(value));
                each(Record {
                    place,
                    entry,
                    offset,
                });
                Ok(())
            }
            _ => {
                reader.seek(io::SeekFrom::Start(start))?;
                lines(reader, line, each)
            }
        },
    }
}

fn is_json_feed(o: &serde_json::Map<String, Value>) -> bool {
    o.get("version")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("https://jsonfeed.org/version/"))
}

/// Read one line (without its `\n`) into `buf`, keeping at most
/// [`MAX_RECORD`] bytes; a longer line's rest is read and dropped. Returns
/// whether the line was whole, and the bytes it took (0 at the end).
fn read_line_capped(reader: &mut impl BufRead, buf: &mut Vec<u8>) -> io::Result<(bool, u64)> {
    buf.clear();
    let mut whole = true;
    let mut taken = 0u64;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok((whole, taken));
        }
        let (part, done) = match memchr::memchr(b'\n', chunk) {
            Some(at) => (&chunk[..at], Some(at + 1)),
            None => (chunk, None),
        };
        let room = (MAX_RECORD as usize).saturating_sub(buf.len());
        if part.len() > room {
            whole = false;
        }
        buf.extend_from_slice(&part[..part.len().min(room)]);
        let used = done.unwrap_or(chunk.len());
        reader.consume(used);
        taken += used as u64;
        if done.is_some() {
            return Ok((whole, taken));
        }
    }
}

/// JSON Lines: one record per non-blank line.
fn lines(
    mut reader: BufReader<File>,
    first_line: u64,
    each: &mut dyn FnMut(Record),
) -> Result<(), ReadError> {
    let mut buf = Vec::new();
    let mut line = first_line - 1;
    let mut offset = reader.stream_position()?;
    loop {
        let (whole, taken) = read_line_capped(&mut reader, &mut buf)?;
        if taken == 0 {
            return Ok(());
        }
        offset += taken;
        line += 1;
        let entry = if !whole {
            Entry::Skip(format!("a line over {} MiB", MAX_RECORD >> 20))
        } else if buf.trim_ascii().is_empty() {
            continue;
        } else {
            match serde_json::from_slice::<Value>(&buf) {
                Ok(value) => entry(value),
                Err(e) => Entry::Skip(format!("invalid JSON: {e}")),
            }
        };
        let place = Place::Line(line);
        each(Record {
            place,
            entry,
            offset,
        });
    }
}

/// Where the array reader is: shared by the byte counter under the JSON
/// parser and the visitor that takes each element.
#[derive(Debug, Clone, Copy, Default)]
struct Position {
    line: u64,
    offset: u64,
    /// The line the current element starts on, once a byte of it is read.
    start: Option<u64>,
    /// Bytes read since the current element began.
    record_bytes: u64,
}

/// Counts lines and bytes as serde_json reads (it reads a byte at a time
/// from an `io::Read`), and refuses an element past [`MAX_RECORD`].
struct Counting<R> {
    inner: R,
    at: Rc<Cell<Position>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut p = self.at.get();
        for &b in &buf[..n] {
            if p.start.is_none() && !(b.is_ascii_whitespace() || b == b',' || b == b']') {
                p.start = Some(p.line);
            }
            if b == b'\n' {
                p.line += 1;
            }
        }
        p.offset += n as u64;
        p.record_bytes += n as u64;
        self.at.set(p);
        if p.record_bytes > MAX_RECORD {
            return Err(io::Error::other(format!(
                "an element over {} MiB",
                MAX_RECORD >> 20
            )));
        }
        Ok(n)
    }
}

/// A JSON array, element by element.
fn array(
    reader: BufReader<File>,
    line: u64,
    each: &mut dyn FnMut(Record),
) -> Result<(), ReadError> {
    let at = Rc::new(Cell::new(Position {
        line,
        ..Position::default()
    }));
    let counting = Counting {
        inner: reader,
        at: at.clone(),
    };
    let mut de = serde_json::Deserializer::from_reader(counting);
    let read = Cell::new(0u64);
    let visitor = Elements {
        each: &mut *each,
        at: &at,
        read: &read,
    };
    let Err(e) = serde::Deserializer::deserialize_seq(&mut de, visitor) else {
        return Ok(());
    };
    if read.get() == 0 {
        return Err(ReadError::NotCollection(format!("invalid JSON: {e}")));
    }
    let p = at.get();
    each(Record {
        place: Place::Line(p.start.unwrap_or(p.line)),
        entry: Entry::Skip(format!("{e}; the rest of the file was not read")),
        offset: p.offset,
    });
    Ok(())
}

/// Takes the elements of the top-level array one at a time.
struct Elements<'a, 'b> {
    each: &'a mut dyn FnMut(Record),
    at: &'b Rc<Cell<Position>>,
    read: &'b Cell<u64>,
}

impl<'de> Visitor<'de> for Elements<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of articles")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            let mut p = self.at.get();
            p.start = None;
            p.record_bytes = 0;
            self.at.set(p);
            let Some(value) = seq.next_element::<Value>()? else {
                return Ok(());
            };
            self.read.set(self.read.get() + 1);
            let p = self.at.get();
            (self.each)(Record {
                place: Place::Line(p.start.unwrap_or(p.line)),
                entry: entry(value),
                offset: p.offset,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each record's place, and its title or why it was skipped.
    type Got = Vec<(Place, Result<String, String>)>;

    fn read_text(text: &str) -> Result<Got, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c");
        std::fs::write(&path, text).unwrap();
        let mut got = Vec::new();
        read(&path, &mut |r| {
            got.push((
                r.place,
                match r.entry {
                    Entry::Item(item, _) => Ok(item.title),
                    Entry::Skip(why) => Err(why),
                },
            ));
        })
        .map_err(|e| e.to_string())?;
        Ok(got)
    }

    #[test]
    fn json_lines_skip_broken_lines_and_ignore_blank_ones() {
        let got = read_text("{\"title\":\"A\"}\n\n{broken\n[1]\n{\"title\":\"B\"}").unwrap();
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(got[0], (Place::Line(1), Ok("A".into())));
        assert_eq!(got[1].0, Place::Line(3));
        assert!(got[1].1.as_ref().unwrap_err().starts_with("invalid JSON"));
        assert_eq!(got[2], (Place::Line(4), Err("not a JSON object".into())));
        assert_eq!(got[3], (Place::Line(5), Ok("B".into())));
    }

    #[test]
    fn a_broken_first_line_is_still_json_lines() {
        let got = read_text("{\"title\": \n{\"title\":\"B\"}\n").unwrap();
        assert_eq!(got[1], (Place::Line(2), Ok("B".into())));
    }

    #[test]
    fn array_elements_are_placed_on_the_line_they_start() {
        let got =
            read_text("\n[\n  {\"title\": \"A\"},\n  {\n \"title\": \"B\"\n  }, 7\n]").unwrap();
        assert_eq!(
            got,
            [
                (Place::Line(3), Ok("A".into())),
                (Place::Line(4), Ok("B".into())),
                (Place::Line(6), Err("not a JSON object".into())),
            ]
        );
    }

    #[test]
    fn an_array_broken_midway_keeps_what_came_before() {
        let got = read_text("[{\"title\": \"A\"},\n{\"title\": }]").unwrap();
        assert_eq!(got[0].1, Ok("A".into()));
        let why = got[1].1.as_ref().unwrap_err();
        assert!(why.contains("the rest of the file was not read"), "{why}");
        assert_eq!(got[1].0, Place::Line(2));
    }

    #[test]
    fn a_pretty_printed_object_is_one_article_and_a_json_feed_its_items() {
        let got = read_text("{\n \"title\": \"One\"\n}\n").unwrap();
        assert_eq!(got, [(Place::Line(1), Ok("One".into()))]);
        let feed = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "F",
            "items": [{"id": "1", "title": "Item one", "content_text": "x"}]}"#;
        let got = read_text(feed).unwrap();
        assert_eq!(got, [(Place::Item(1), Ok("Item one".into()))]);
    }

    #[test]
    fn what_is_no_collection_is_refused() {
        for text in ["", "  \n", "hello", "[nope", "<html><body>x</body></html>"] {
            let err = read_text(text).unwrap_err();
            assert!(err.starts_with("not a collection"), "{text:?}: {err}");
        }
    }

    #[test]
    fn an_overlong_line_is_skipped_without_being_kept() {
        let mut reader = io::Cursor::new(vec![b'x'; MAX_RECORD as usize + 10]);
        let mut buf = Vec::new();
        let (whole, taken) = read_line_capped(&mut reader, &mut buf).unwrap();
        assert!(!whole);
        assert_eq!(taken, MAX_RECORD + 10);
        assert_eq!(buf.len() as u64, MAX_RECORD);
    }
}
