//! Reading state: which articles are read and where each was left.
//!
//! Kept in memory as one small entry per article, keyed by the 64-bit id,
//! so a million read articles cost tens of megabytes, not hundreds. On disk
//! it is an append-only log (`state.log`), one line per change:
//!
//! ```text
//! tidings-state 1
//! r 1f3a9c0d2b4e5f60        read
//! u 1f3a9c0d2b4e5f60        unread
//! p 1f3a9c0d2b4e5f60 12     paragraph 12 at the top of the reader
//! p 1f3a9c0d2b4e5f60 -      no position (back at the top)
//! ```
//!
//! A save appends a few lines instead of rewriting a million, and other
//! processes' appends merge in by replaying them. When the log grows to a
//! multiple of what is live, it is rewritten (compacted) atomically.

use std::collections::HashMap;

/// The format written; a log with a higher version is left alone.
pub const VERSION: u32 = 1;
const MAGIC: &str = "tidings-state";

/// An article id as the state keeps it: the 16 hex digits as a number.
pub type Key = u64;

/// The key of `id`, when it is an article id (16 hex digits).
pub fn key(id: &str) -> Option<Key> {
    if id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit()) {
        u64::from_str_radix(id, 16).ok()
    } else {
        None
    }
}

/// The id text of a key.
pub fn id_of(key: Key) -> String {
    format!("{key:016x}")
}

/// One article's state. `seq` orders entries by their last change, so the
/// most recently read come first in "continue reading".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Entry {
    pub read: bool,
    pub position: Option<u32>,
    pub seq: u64,
}

impl Entry {
    fn is_empty(&self) -> bool {
        !self.read && self.position.is_none()
    }
}

/// One change, as logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Read(Key, bool),
    Position(Key, Option<u32>),
}

impl Op {
    /// Append this change's log line (with its newline) to `out`.
    pub fn write_line(&self, out: &mut String) {
        use std::fmt::Write;
        let _ = match *self {
            Op::Read(k, true) => writeln!(out, "r {k:016x}"),
            Op::Read(k, false) => writeln!(out, "u {k:016x}"),
            Op::Position(k, Some(p)) => writeln!(out, "p {k:016x} {p}"),
            Op::Position(k, None) => writeln!(out, "p {k:016x} -"),
        };
    }

    /// Parse one log line (without its newline); `None` when damaged.
    pub fn parse_line(line: &str) -> Option<Op> {
        let mut parts = line.split(' ');
        let (tag, k) = (parts.next()?, key(parts.next()?)?);
        let op = match (tag, parts.next()) {
            ("r", None) => Op::Read(k, true),
            ("u", None) => Op::Read(k, false),
            ("p", Some("-")) => Op::Position(k, None),
            ("p", Some(n)) if n.bytes().all(|b| b.is_ascii_digit()) => {
                Op::Position(k, Some(n.parse().ok()?))
            }
            _ => return None,
        };
        parts.next().is_none().then_some(op)
    }
}

/// All articles' reading state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    entries: HashMap<Key, Entry>,
    seq: u64,
    /// Lines a compacted log would hold, kept up to date so deciding when
    /// to compact never walks a million entries.
    live_lines: usize,
}

impl State {
    pub fn get(&self, key: Key) -> Entry {
        self.entries.get(&key).copied().unwrap_or_default()
    }

    /// Apply a change; returns whether anything changed.
    pub fn apply(&mut self, op: Op) -> bool {
        let (key, before) = match op {
            Op::Read(k, _) | Op::Position(k, _) => (k, self.get(k)),
        };
        let mut after = before;
        match op {
            Op::Read(_, read) => after.read = read,
            Op::Position(_, p) => after.position = p,
        }
        if after == before {
            return false;
        }
        self.seq += 1;
        after.seq = self.seq;
        self.live_lines = self.live_lines + lines(&after) - lines(&before);
        if after.is_empty() {
            self.entries.remove(&key);
        } else {
            self.entries.insert(key, after);
        }
        true
    }

    /// Approximate size of a compacted log, in bytes.
    pub fn live_bytes(&self) -> u64 {
        self.live_lines as u64 * 24 + HEADER_LEN as u64
    }

    pub fn read_count(&self) -> usize {
        self.entries.values().filter(|e| e.read).count()
    }

    /// Articles with a reading position, most recently changed first.
    pub fn in_progress(&self) -> Vec<(Key, u32)> {
        let mut v: Vec<(u64, Key, u32)> = self
            .entries
            .iter()
            .filter_map(|(&k, e)| e.position.map(|p| (e.seq, k, p)))
            .collect();
        v.sort_unstable_by(|a, b| b.cmp(a));
        v.into_iter().map(|(_, k, p)| (k, p)).collect()
    }

    /// The whole state as a fresh log, oldest change first, so replaying it
    /// rebuilds the same order.
    pub fn render(&self) -> String {
        let mut sorted: Vec<(&Key, &Entry)> = self.entries.iter().collect();
        sorted.sort_unstable_by_key(|(_, e)| e.seq);
        let mut out = String::with_capacity(self.live_bytes() as usize);
        out.push_str(&header());
        for (&k, e) in sorted {
            if e.read {
                Op::Read(k, true).write_line(&mut out);
            }
            if e.position.is_some() {
                Op::Position(k, e.position).write_line(&mut out);
            }
        }
        out
    }
}

fn lines(e: &Entry) -> usize {
    usize::from(e.read) + usize::from(e.position.is_some())
}

const HEADER_LEN: usize = MAGIC.len() + 3;

/// The first line of every log.
pub fn header() -> String {
    format!("{MAGIC} {VERSION}\n")
}

/// What the start of a log says about it.
#[derive(Debug, PartialEq, Eq)]
pub enum Header {
    /// A version-1 log whose body starts at this byte offset.
    Current(usize),
    Newer(u32),
    Corrupt(String),
}

pub fn parse_header(bytes: &[u8]) -> Header {
    let Some(end) = bytes.iter().position(|&b| b == b'\n') else {
        return Header::Corrupt(if bytes.is_empty() {
            "empty file".into()
        } else {
            "no header line".into()
        });
    };
    let version = std::str::from_utf8(&bytes[..end]).ok().and_then(|l| {
        l.strip_prefix(MAGIC)?
            .strip_prefix(' ')?
            .parse::<u32>()
            .ok()
    });
    match version {
        Some(VERSION) => Header::Current(end + 1),
        Some(v) if v > VERSION => Header::Newer(v),
        _ => Header::Corrupt("not a tidings reading-state log".into()),
    }
}

/// The changes in a stretch of log body.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Body {
    pub ops: Vec<Op>,
    /// Bytes of complete lines read; what follows is a torn last line left
    /// by a writer that died mid-append, not yet a change.
    pub consumed: usize,
    /// Complete lines that are not changes: real damage.
    pub damaged: usize,
}

pub fn parse_body(bytes: &[u8]) -> Body {
    let mut body = Body::default();
    let mut start = 0;
    while let Some(len) = bytes[start..].iter().position(|&b| b == b'\n') {
        let line = std::str::from_utf8(&bytes[start..start + len])
            .ok()
            .and_then(Op::parse_line);
        match line {
            Some(op) => body.ops.push(op),
            None => body.damaged += 1,
        }
        start += len + 1;
    }
    body.consumed = start;
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: Key = 0x1f3a_9c0d_2b4e_5f60;
    const B: Key = 0x0000_0000_0000_00ff;

    #[test]
    fn keys_are_exactly_16_hex_digits() {
        assert_eq!(key("1f3a9c0d2b4e5f60"), Some(A));
        assert_eq!(id_of(B), "00000000000000ff");
        assert_eq!(key(&id_of(B)), Some(B));
        for bad in [
            "",
            "1f3a",
            "1f3a9c0d2b4e5f6g",
            "+f3a9c0d2b4e5f60",
            "1f3a9c0d2b4e5f601",
        ] {
            assert_eq!(key(bad), None, "{bad}");
        }
    }

    #[test]
    fn lines_round_trip_and_damage_is_rejected() {
        for op in [
            Op::Read(A, true),
            Op::Read(A, false),
            Op::Position(B, Some(42)),
            Op::Position(B, None),
        ] {
            let mut s = String::new();
            op.write_line(&mut s);
            assert_eq!(Op::parse_line(s.trim_end_matches('\n')), Some(op), "{s}");
        }
        for bad in [
            "",
            "r",
            "x 1f3a9c0d2b4e5f60",
            "r 1f3a9c0d2b4e5f60 1",
            "p 1f3a9c0d2b4e5f60",
            "p 1f3a9c0d2b4e5f60 -1",
            "p 1f3a9c0d2b4e5f60 99999999999",
            "r 1f3a9c0d2b4e5f60 ",
        ] {
            assert_eq!(Op::parse_line(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn body_stops_before_a_torn_line_and_counts_damage() {
        let body = parse_body(b"r 1f3a9c0d2b4e5f60\ngarbage\np 00000000000000ff 3\np 00000");
        assert_eq!(body.ops, [Op::Read(A, true), Op::Position(B, Some(3))]);
        assert_eq!(body.damaged, 1);
        assert_eq!(body.consumed, 48);
    }

    #[test]
    fn headers() {
        assert_eq!(parse_header(header().as_bytes()), Header::Current(16));
        assert_eq!(parse_header(b"tidings-state 9\nfoo"), Header::Newer(9));
        for bad in [
            &b""[..],
            b"\0\0\0\0",
            b"tidings-state 1",
            b"\xff\n",
            b"{}\n",
        ] {
            assert!(matches!(parse_header(bad), Header::Corrupt(_)), "{bad:?}");
        }
    }

    #[test]
    fn state_replays_to_the_same_and_drops_empty_entries() {
        let mut s = State::default();
        assert!(s.apply(Op::Read(A, true)));
        assert!(!s.apply(Op::Read(A, true)));
        s.apply(Op::Position(B, Some(7)));
        s.apply(Op::Position(A, Some(2)));
        assert_eq!(s.in_progress(), [(A, 2), (B, 7)]);
        let text = s.render();
        let replayed = replay(&text);
        let plain = |s: &State| {
            let mut v: Vec<_> = s
                .entries
                .iter()
                .map(|(k, e)| (*k, e.read, e.position))
                .collect();
            v.sort_unstable();
            v
        };
        assert_eq!(plain(&replayed), plain(&s));
        assert_eq!(replayed.live_lines, s.live_lines);
        assert_eq!(replayed.in_progress(), s.in_progress());
        s.apply(Op::Read(A, false));
        s.apply(Op::Position(A, None));
        assert_eq!(s.get(A), Entry::default());
        assert!(!s.entries.contains_key(&A));
        assert_eq!(s.live_lines, 1);
    }

    fn replay(text: &str) -> State {
        let Header::Current(start) = parse_header(text.as_bytes()) else {
            panic!()
        };
        let mut s = State::default();
        for op in parse_body(&text.as_bytes()[start..]).ops {
            s.apply(op);
        }
        s
    }
}
