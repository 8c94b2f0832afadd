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
//! h 1f3a9c0d2b4e5f60        hidden by hand (`d`)
//! s 1f3a9c0d2b4e5f60        shown by hand, though a hide rule matches it
//! c 1f3a9c0d2b4e5f60        neither: the hide rules decide again
//! ```
//!
//! Version 2 added the `h`/`s`/`c` lines. A log is written as version 1
//! while no story is hidden or shown by hand, so a tidings that only knows
//! version 1 keeps reading (and saving) it; the first hide rewrites it as
//! version 2, which such a tidings leaves alone (read-only) rather than
//! treating the new lines as damage and dropping them. Version 1 logs load
//! as they are.
//!
//! A save appends a few lines instead of rewriting a million, and other
//! processes' appends merge in by replaying them. When the log grows to a
//! multiple of what is live, it is rewritten (compacted) atomically.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// The newest format; a log with a higher version is left alone.
pub const VERSION: u32 = 2;
/// The format of a log without hidden stories, which older versions read.
const VERSION_WITHOUT_HIDDEN: u32 = 1;
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
    /// Hidden or shown by hand, whatever the hide rules say.
    pub hide: Option<Hide>,
    pub seq: u64,
}

impl Entry {
    fn is_empty(&self) -> bool {
        !self.read && self.position.is_none() && self.hide.is_none()
    }
}

/// What the user decided about a story's hiding, over the hide rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Hide {
    /// Hidden (`d`), whether or not a rule matches it.
    Hidden,
    /// Listed, though a hide rule matches it (`d` on a story shown with `H`).
    Shown,
}

/// One change, as logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Read(Key, bool),
    Position(Key, Option<u32>),
    /// Hidden or shown by hand, or (`None`) left to the hide rules.
    Hide(Key, Option<Hide>),
}

impl Op {
    /// Append this change's log line (with its newline) to `out`.
    pub fn write_line(&self, out: &mut String) {
        let (tag, k) = match *self {
            Op::Read(k, true) => ('r', k),
            Op::Read(k, false) => ('u', k),
            Op::Position(k, _) => ('p', k),
            Op::Hide(k, Some(Hide::Hidden)) => ('h', k),
            Op::Hide(k, Some(Hide::Shown)) => ('s', k),
            Op::Hide(k, None) => ('c', k),
        };
        out.push(tag);
        out.push(' ');
        push_hex(out, k);
        match *self {
            Op::Position(_, Some(p)) => {
                out.push(' ');
                out.push_str(itoa(p, &mut [0; 10]));
            }
            Op::Position(_, None) => out.push_str(" -"),
            Op::Read(..) | Op::Hide(..) => {}
        }
        out.push('\n');
    }

    /// Parse one log line (without its newline); `None` when damaged.
    /// Works on bytes: a million lines are replayed at every start.
    pub fn parse_line(line: &[u8]) -> Option<Op> {
        let (head, rest) = line.split_at_checked(18)?;
        let [tag, b' ', hex @ ..] = head else {
            return None;
        };
        let k = parse_hex(hex)?;
        match (tag, rest) {
            (b'r', []) => Some(Op::Read(k, true)),
            (b'u', []) => Some(Op::Read(k, false)),
            (b'h', []) => Some(Op::Hide(k, Some(Hide::Hidden))),
            (b's', []) => Some(Op::Hide(k, Some(Hide::Shown))),
            (b'c', []) => Some(Op::Hide(k, None)),
            (b'p', b" -") => Some(Op::Position(k, None)),
            (b'p', [b' ', digits @ ..]) => parse_u32(digits).map(|p| Op::Position(k, Some(p))),
            _ => None,
        }
    }
}

/// 16 lowercase hex digits, zero-padded.
fn push_hex(out: &mut String, k: Key) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut buf = [0u8; 16];
    for (i, b) in buf.iter_mut().enumerate() {
        *b = DIGITS[(k >> ((15 - i) * 4)) as usize & 0xf];
    }
    out.push_str(std::str::from_utf8(&buf).expect("hex digits"));
}

fn parse_hex(hex: &[u8]) -> Option<Key> {
    hex.iter().try_fold(0u64, |acc, &b| {
        let d = (b as char).to_digit(16)?;
        Some(acc << 4 | u64::from(d))
    })
}

fn parse_u32(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 10 {
        return None;
    }
    let n = digits.iter().try_fold(0u64, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + u64::from(b - b'0'))
    })?;
    u32::try_from(n).ok()
}

/// `n` in decimal, in `buf`.
fn itoa(mut n: u32, buf: &mut [u8; 10]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[i..]).expect("ASCII digits")
}

/// Keys are already hashes (XXH3 of the content), so hashing them again
/// with SipHash only costs time; a folded multiply spreads them (and any
/// hand-written ids) over both the low and the high bits the table uses.
#[derive(Default, Clone, Copy)]
pub struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        let wide = u128::from(self.0) * 0x9e37_79b9_7f4a_7c15;
        (wide as u64) ^ ((wide >> 64) as u64)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 ^= n;
    }
}

type KeyMap<V> = HashMap<Key, V, BuildHasherDefault<KeyHasher>>;

/// All articles' reading state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    entries: KeyMap<Entry>,
    seq: u64,
    /// Lines a compacted log would hold, kept up to date so deciding when
    /// to compact never walks a million entries.
    live_lines: usize,
    /// Entries hidden or shown by hand, which decide the format a log is
    /// written in.
    hides: usize,
}

impl State {
    pub fn get(&self, key: Key) -> Entry {
        self.entries.get(&key).copied().unwrap_or_default()
    }

    /// Apply a change; returns whether anything changed.
    pub fn apply(&mut self, op: Op) -> bool {
        let key = match op {
            Op::Read(k, _) | Op::Position(k, _) | Op::Hide(k, _) => k,
        };
        let slot = self.entries.entry(key).or_default();
        let before = *slot;
        match op {
            Op::Read(_, read) => slot.read = read,
            Op::Position(_, p) => slot.position = p,
            Op::Hide(_, hide) => slot.hide = hide,
        }
        if slot.read == before.read && slot.position == before.position && slot.hide == before.hide
        {
            if before.is_empty() {
                self.entries.remove(&key);
            }
            return false;
        }
        self.seq += 1;
        slot.seq = self.seq;
        self.live_lines = self.live_lines + lines(slot) - lines(&before);
        self.hides =
            self.hides + usize::from(slot.hide.is_some()) - usize::from(before.hide.is_some());
        if slot.is_empty() {
            self.entries.remove(&key);
        }
        true
    }

    /// Make room for about `n` more articles at once, rather than growing
    /// the table step by step while a long log is replayed.
    pub fn reserve(&mut self, n: usize) {
        self.entries.reserve(n);
    }

    /// Approximate size of a compacted log, in bytes.
    pub fn live_bytes(&self) -> u64 {
        self.live_lines as u64 * 24 + HEADER_LEN as u64
    }

    pub fn read_count(&self) -> usize {
        self.entries.values().filter(|e| e.read).count()
    }

    /// Every article marked read.
    pub fn read_keys(&self) -> impl Iterator<Item = Key> + '_ {
        self.entries.iter().filter(|(_, e)| e.read).map(|(&k, _)| k)
    }

    /// Every article hidden or shown by hand, and which.
    pub fn hides(&self) -> impl Iterator<Item = (Key, Hide)> + '_ {
        self.entries
            .iter()
            .filter_map(|(&k, e)| e.hide.map(|h| (k, h)))
    }

    /// The format this state is written in: the oldest that holds it.
    pub fn format_version(&self) -> u32 {
        if self.hides > 0 {
            VERSION
        } else {
            VERSION_WITHOUT_HIDDEN
        }
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
        let mut sorted: Vec<(u64, Key, Entry)> =
            self.entries.iter().map(|(&k, &e)| (e.seq, k, e)).collect();
        sorted.sort_unstable_by_key(|&(seq, _, _)| seq);
        let mut out = String::with_capacity(self.live_bytes() as usize);
        out.push_str(&header(self.format_version()));
        for (_, k, e) in sorted {
            if e.read {
                Op::Read(k, true).write_line(&mut out);
            }
            if e.position.is_some() {
                Op::Position(k, e.position).write_line(&mut out);
            }
            if e.hide.is_some() {
                Op::Hide(k, e.hide).write_line(&mut out);
            }
        }
        out
    }
}

fn lines(e: &Entry) -> usize {
    usize::from(e.read) + usize::from(e.position.is_some()) + usize::from(e.hide.is_some())
}

const HEADER_LEN: usize = MAGIC.len() + 3;

/// The first line of a log in format `version`.
pub fn header(version: u32) -> String {
    format!("{MAGIC} {version}\n")
}

/// What the start of a log says about it.
#[derive(Debug, PartialEq, Eq)]
pub enum Header {
    /// A log this version reads, whose body starts at this byte offset,
    /// and its format version.
    Current(usize, u32),
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
    let version = std::str::from_utf8(without_cr(&bytes[..end]))
        .ok()
        .and_then(|l| {
            l.strip_prefix(MAGIC)?
                .strip_prefix(' ')?
                .parse::<u32>()
                .ok()
        });
    match version {
        Some(v @ 1..=VERSION) => Header::Current(end + 1, v),
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

/// A line without the `\r` of a CRLF ending: a log synced through Windows
/// or a Git checkout with autocrlf is still the same log.
fn without_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

pub fn parse_body(bytes: &[u8]) -> Body {
    let mut body = Body::default();
    let mut start = 0;
    while let Some(len) = bytes[start..].iter().position(|&b| b == b'\n') {
        match Op::parse_line(without_cr(&bytes[start..start + len])) {
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
            Op::Hide(A, Some(Hide::Hidden)),
            Op::Hide(A, Some(Hide::Shown)),
            Op::Hide(A, None),
            Op::Position(B, Some(42)),
            Op::Position(B, Some(0)),
            Op::Position(B, Some(u32::MAX)),
            Op::Position(B, None),
        ] {
            let mut s = String::new();
            op.write_line(&mut s);
            assert_eq!(
                Op::parse_line(s.trim_end_matches('\n').as_bytes()),
                Some(op),
                "{s}"
            );
        }
        for bad in [
            "",
            "r",
            "x 1f3a9c0d2b4e5f60",
            "r 1f3a9c0d2b4e5f60 1",
            "p 1f3a9c0d2b4e5f60",
            "p 1f3a9c0d2b4e5f60 -1",
            "p 1f3a9c0d2b4e5f60 99999999999",
            "p 1f3a9c0d2b4e5f60 4294967296",
            "p 1f3a9c0d2b4e5f60 +1",
            "p 1f3a9c0d2b4e5f60 1-",
            "r 1f3a9c0d2b4e5f6\u{e9}",
            "r 1f3a9c0d2b4e5f60\0",
            "r 1f3a9c0d2b4e5f60 ",
        ] {
            assert_eq!(Op::parse_line(bad.as_bytes()), None, "{bad:?}");
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
    fn crlf_line_endings_read_as_lf() {
        assert_eq!(parse_header(b"tidings-state 1\r\n"), Header::Current(17, 1));
        let body = parse_body(b"r 1f3a9c0d2b4e5f60\r\np 00000000000000ff 3\r\n");
        assert_eq!(body.ops, [Op::Read(A, true), Op::Position(B, Some(3))]);
        assert_eq!((body.damaged, body.consumed), (0, 42));
    }

    #[test]
    fn headers() {
        assert_eq!(parse_header(header(1).as_bytes()), Header::Current(16, 1));
        assert_eq!(parse_header(header(2).as_bytes()), Header::Current(16, 2));
        assert_eq!(
            parse_header(b"tidings-state 0\n"),
            Header::Corrupt("not a tidings reading-state log".into())
        );
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

    #[test]
    fn a_log_is_version_1_until_a_story_is_hidden() {
        let mut s = State::default();
        s.apply(Op::Read(A, true));
        assert!(s.render().starts_with("tidings-state 1\n"));
        s.apply(Op::Hide(B, Some(Hide::Hidden)));
        s.apply(Op::Hide(A, Some(Hide::Shown)));
        let text = s.render();
        assert!(text.starts_with("tidings-state 2\n"), "{text}");
        assert!(text.contains(&format!("h {}\n", id_of(B))), "{text}");
        assert!(text.contains(&format!("s {}\n", id_of(A))), "{text}");
        let replayed = replay(&text);
        let mut hides: Vec<_> = replayed.hides().collect();
        hides.sort_unstable();
        assert_eq!(hides, [(B, Hide::Hidden), (A, Hide::Shown)]);
        assert!(replayed.get(A).read);
        s.apply(Op::Hide(A, None));
        s.apply(Op::Hide(B, None));
        assert_eq!(s.get(B), Entry::default());
        assert!(s.render().starts_with("tidings-state 1\n"));
    }

    fn replay(text: &str) -> State {
        let Header::Current(start, _) = parse_header(text.as_bytes()) else {
            panic!()
        };
        let mut s = State::default();
        for op in parse_body(&text.as_bytes()[start..]).ops {
            s.apply(op);
        }
        s
    }
}
