//! Front matter: the metadata block at the very start of a Markdown file,
//! YAML between `---` lines (the convention of static-site generators and
//! note apps) or TOML between `+++` lines (Hugo, Zola).
//!
//! The block is read into a generic value and the fields are picked by
//! hand, so one value of an unexpected type (a date as a number, tags as
//! one string) is taken or ignored on its own and never loses the rest.
//! Every string that comes out is sanitised; URLs come out only in the form
//! [`links::safe_url`] gives.

use super::sanitize::{sanitize_cow, sanitize_line};
use super::{ParseError, date, links};
use std::borrow::Cow;

/// Largest front matter read; a larger one is refused, not cut (a cut
/// block would not parse anyway).
pub const MAX_FRONT_MATTER: usize = 64 * 1024;
/// Most YAML anchors and aliases accepted: an article's metadata has no
/// use for them, and a few nested aliases expand to millions of values
/// (the "billion laughs"), which the YAML reader bounds too loosely.
const MAX_ANCHORS: usize = 2;
const MAX_ALIASES: usize = 4;
/// Most tags kept, and the longest metadata string kept (in bytes).
const MAX_TAGS: usize = 64;
const MAX_VALUE: usize = 2048;

/// What front matter says about an article; every field is optional.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub author: Option<String>,
    pub published: Option<i64>,
    /// Only a URL that [`links::safe_url`] lets out, in its safe form.
    pub url: Option<String>,
    pub source: Option<String>,
    pub tags: Vec<String>,
    pub summary: Option<String>,
}

/// Split `text` into its front matter and the Markdown after it. Text that
/// does not open with a `---` or `+++` line, or has no closing line, has no
/// front matter (a leading `---` alone is a thematic break). `text` must be
/// sanitised already (line breaks are `\n`).
pub fn split(text: &str) -> Result<(Option<FrontMatter>, &str), ParseError> {
    let Some((kind, inner, rest)) = find_block(text) else {
        return Ok((None, text));
    };
    if inner.len() > MAX_FRONT_MATTER {
        return Err(ParseError::FrontMatter(format!(
            "longer than {} KiB",
            MAX_FRONT_MATTER / 1024
        )));
    }
    let fields = match kind {
        Kind::Yaml => yaml(inner)?,
        Kind::Toml => Some(toml_fields(inner)?),
    };
    match fields {
        Some(fields) => Ok((Some(FrontMatter::from_fields(fields)), rest)),
        None => Ok((None, text)),
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Yaml,
    Toml,
}

/// The kind of block, its inside and the text after its closing line.
fn find_block(text: &str) -> Option<(Kind, &str, &str)> {
    let (first, after) = text.split_once('\n')?;
    let kind = match first.trim_end() {
        "---" => Kind::Yaml,
        "+++" => Kind::Toml,
        _ => return None,
    };
    // Line by line, by the newlines' positions: the block is short, the
    // file may not be, and only the block is looked at.
    let bytes = after.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i + 1);
        let bare = after[at..end].trim_end();
        let closes = match kind {
            Kind::Yaml => bare == "---" || bare == "...",
            Kind::Toml => bare == "+++",
        };
        if closes {
            return Some((kind, &after[..at], &after[end..]));
        }
        at = end;
    }
    None
}

/// A front-matter value, as far as an article's metadata cares: one
/// string, or a list of strings (nested values are ignored).
/// The fast path borrows its values from the block; the parsers' values
/// are owned.
#[derive(Debug, Clone)]
enum Raw<'a> {
    One(Cow<'a, str>),
    Many(Vec<Cow<'a, str>>),
}

/// The keys read, each with the names it goes by, first name first.
const TITLE: &[&str] = &["title"];
const AUTHOR: &[&str] = &["author", "authors"];
const DATE: &[&str] = &["date", "published"];
const URL: &[&str] = &["url", "link", "source_url", "canonical"];
const SOURCE: &[&str] = &["source", "site", "feed"];
const TAGS: &[&str] = &["tags", "categories", "keywords"];
const SUMMARY: &[&str] = &["summary", "description"];
const KEYS: [&[&str]; 7] = [TITLE, AUTHOR, DATE, URL, SOURCE, TAGS, SUMMARY];

/// Where each key's names start in a flat list of every name.
const OFFSETS: [usize; 8] = {
    let mut at = [0; 8];
    let mut i = 0;
    while i < KEYS.len() {
        at[i + 1] = at[i] + KEYS[i].len();
        i += 1;
    }
    at
};
/// Every name of every key.
const NAMES: usize = OFFSETS[7];

/// A key of [`KEYS`], by its place there.
#[derive(Clone, Copy)]
enum Key {
    Title,
    Author,
    Date,
    Url,
    Source,
    Tags,
    Summary,
}

/// The values found, one slot per key name (in [`KEYS`] order, names in
/// order within each key).
struct Fields<'a> {
    slots: [Option<Raw<'a>>; NAMES],
}

impl Default for Fields<'_> {
    fn default() -> Self {
        Self {
            slots: std::array::from_fn(|_| None),
        }
    }
}

/// The slot of the name we read `key` under (any case), if we read it.
fn known(key: &str) -> Option<usize> {
    let key = key.trim_ascii().as_bytes();
    // Every name is short and ASCII: anything longer is not one of them.
    let mut lower = [0u8; 16];
    let lower = lower.get_mut(..key.len())?;
    for (l, k) in lower.iter_mut().zip(key) {
        *l = k.to_ascii_lowercase();
    }
    let mut slot = 0;
    for names in KEYS {
        for name in names {
            if name.as_bytes() == lower {
                return Some(slot);
            }
            slot += 1;
        }
    }
    None
}

impl<'a> Fields<'a> {
    /// Keep `value` if `key` is one of the names we read (any case).
    fn offer(&mut self, key: &str, value: Option<Raw<'a>>) {
        if let (Some(value), Some(slot)) = (value, known(key)) {
            self.keep(slot, value);
        }
    }

    /// Keep `value` in `slot` (see [`known`]), unless a key of that name
    /// came first.
    fn keep(&mut self, slot: usize, value: Raw<'a>) {
        if self.slots[slot].is_none() {
            self.slots[slot] = Some(value);
        }
    }

    /// The values under a key's names, first name first.
    fn get(&self, key: Key) -> impl Iterator<Item = &Raw<'a>> {
        let k = key as usize;
        self.slots[OFFSETS[k]..OFFSETS[k + 1]].iter().flatten()
    }
}

impl FrontMatter {
    fn from_fields(fields: Fields<'_>) -> FrontMatter {
        FrontMatter {
            title: first_text(&fields, Key::Title),
            author: fields.get(Key::Author).find_map(|v| match v {
                Raw::One(s) => clean(s),
                Raw::Many(list) => {
                    let names: Vec<String> = list.iter().filter_map(|s| clean(s)).collect();
                    (!names.is_empty()).then(|| names.join(", "))
                }
            }),
            published: fields.get(Key::Date).find_map(|v| match v {
                Raw::One(s) => date::parse(s),
                Raw::Many(_) => None,
            }),
            url: fields.get(Key::Url).find_map(|v| match v {
                Raw::One(s) => links::safe_url(s),
                Raw::Many(_) => None,
            }),
            source: first_text(&fields, Key::Source),
            tags: tags(&fields),
            summary: first_text(&fields, Key::Summary),
        }
    }
}

/// The first single string under a key's names, cleaned and not empty.
fn first_text(fields: &Fields<'_>, key: Key) -> Option<String> {
    fields.get(key).find_map(|v| match v {
        Raw::One(s) => clean(s),
        Raw::Many(_) => None,
    })
}

/// Tags from every tag-like key, in order, each once: a list, or one
/// comma-separated string.
fn tags(fields: &Fields<'_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for value in fields.get(Key::Tags) {
        let items: &[Cow<'_, str>] = match value {
            Raw::One(s) => std::slice::from_ref(s),
            Raw::Many(list) => list,
        };
        for tag in items.iter().flat_map(|s| s.split(',')).filter_map(clean) {
            if out.len() < MAX_TAGS && !out.contains(&tag) {
                out.push(tag);
            }
        }
    }
    out
}

/// One line of safe text, trimmed, capped; `None` when nothing is left.
fn clean(s: &str) -> Option<String> {
    // Printable ASCII, nearly every value, has nothing to sanitise and no
    // line break. (A fold, not `all`: it reads the bytes in wide steps.)
    let printable = s
        .bytes()
        .fold(true, |ok, b| ok & (b' '..=b'~').contains(&b));
    let s = if printable {
        Cow::Borrowed(s)
    } else {
        let s = sanitize_cow(s);
        match s.contains('\n') {
            true => Cow::Owned(s.replace('\n', " ")),
            false => s,
        }
    };
    let s = s.trim();
    let s = &s[..s.floor_char_boundary(MAX_VALUE)];
    (!s.is_empty()).then(|| s.to_string())
}

/// YAML front matter into fields; a block that does not parse, or that
/// uses anchors and aliases beyond a few, is refused with the reason and
/// its line in the file (the block starts on line 2). A block that reads
/// as one string or a list is no metadata but Markdown between two rules
/// (`---` is also a thematic break): `None`.
fn yaml(inner: &str) -> Result<Option<Fields<'_>>, ParseError> {
    let (anchors, aliases) = count_anchors(inner);
    if anchors > MAX_ANCHORS || aliases > MAX_ALIASES {
        return Err(ParseError::FrontMatter(format!(
            "YAML with {anchors} anchors and {aliases} aliases (at most {MAX_ANCHORS} and {MAX_ALIASES})"
        )));
    }
    if let Some(fields) = simple_yaml(inner) {
        return Ok(Some(fields));
    }
    let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(inner).map_err(|e| {
        let line = e.location().map_or(0, |l| l.line()) + 1;
        ParseError::FrontMatter(format!("YAML, line {line}: {}", short(&e.to_string())))
    })?;
    Ok(yaml_fields(value))
}

/// The fields of a parsed YAML block; `None` when it is no mapping.
fn yaml_fields(value: serde_yaml_ng::Value) -> Option<Fields<'static>> {
    let mut fields = Fields::default();
    match value {
        serde_yaml_ng::Value::Mapping(map) => {
            for (k, v) in &map {
                if let Some(k) = k.as_str() {
                    fields.offer(k, yaml_raw(v));
                }
            }
        }
        // An empty block reads as null: no fields, no error.
        serde_yaml_ng::Value::Null => {}
        _ => return None,
    }
    Some(fields)
}

/// Front matter in the simple form nearly every file uses, read without
/// the YAML parser (which costs more than the rest of a Markdown file: it
/// sets up and clears large buffers for each document): `key: value` lines
/// whose values are plain words, quoted strings without escapes, or lists
/// of them (`[a, b]` or `- a` lines), and comments. Anything else, or
/// anything the YAML parser could read differently (a number, a repeated
/// key), gives `None`, and the YAML parser reads the block.
fn simple_yaml(inner: &str) -> Option<Fields<'_>> {
    let mut fields = Fields::default();
    let mut keys: Vec<&str> = Vec::with_capacity(16);
    let mut lines = lines(inner).peekable();
    while let Some(line) = lines.next() {
        if line.trim_ascii().is_empty() || line.starts_with('#') {
            continue;
        }
        let colon = memchr::memchr(b':', line.as_bytes())?;
        let (key, rest) = (&line[..colon], &line[colon + 1..]);
        let key_ok = key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if key.is_empty() || !key_ok || keys.contains(&key) {
            return None;
        }
        keys.push(key);
        if !rest.is_empty() && !rest.starts_with(' ') {
            return None;
        }
        // Every value is checked (one the fast path cannot read sends the
        // whole block to the parser), but only the ones read are kept.
        let wanted = known(key);
        let value = rest.trim_ascii();
        let raw = if value.is_empty() {
            let mut items = Vec::new();
            let mut any = false;
            while let Some(item) = lines
                .peek()
                .and_then(|l| l.trim_ascii_start().strip_prefix("- "))
            {
                if let Some(item) = simple_scalar(item.trim_ascii(), false)?
                    && wanted.is_some()
                {
                    items.push(Cow::Borrowed(item));
                }
                lines.next();
                any = true;
            }
            if !any {
                return None;
            }
            Raw::Many(items)
        } else if let Some(list) = value.strip_prefix('[') {
            let list = list.strip_suffix(']')?;
            let mut items = Vec::new();
            for item in list.split(',') {
                if let Some(item) = simple_scalar(item.trim_ascii(), true)?
                    && wanted.is_some()
                {
                    items.push(Cow::Borrowed(item));
                }
            }
            Raw::Many(items)
        } else {
            match simple_scalar(value, false)? {
                Some(one) => Raw::One(Cow::Borrowed(one)),
                None => continue,
            }
        };
        if let Some(slot) = wanted {
            fields.keep(slot, raw);
        }
    }
    Some(fields)
}

/// The lines of `text`, as `text.split('\n')` gives them, found with one
/// memchr iterator rather than a searcher set up for every line.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]);
    ends.scan(0, move |start, end| {
        let line = &text[*start..end];
        *start = end + 1;
        Some(line)
    })
}

/// A scalar of [`simple_yaml`]: `Some(Some(text))`, `Some(None)` for a
/// null or a boolean (no text, as the YAML path gives), `None` when it is
/// not simple. `in_list`: inside `[...]`, where brackets and commas end it.
fn simple_scalar(v: &str, in_list: bool) -> Option<Option<&str>> {
    let bytes = v.as_bytes();
    let (&first, _) = bytes.split_first()?;
    if first == b'"' || first == b'\'' {
        let inner = bytes[1..].strip_suffix(&[first])?;
        let plain = !inner.iter().any(|&b| b == first || b == b'\\');
        // The quotes are ASCII: the slice between them is whole characters.
        return plain.then_some(Some(&v[1..v.len() - 1]));
    }
    let indicator = matches!(
        first,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'%'
            | b'@'
            | b'`'
    );
    if indicator || bytes.ends_with(b":") {
        return None;
    }
    // What would make it more than a plain scalar: `: ` or ` #` (a mapping
    // or a comment), a tab, brackets inside a flow list. The three bytes
    // are found by memchr: most values have none.
    let complex = has_any(bytes, b':', b'#', b'\t')
        && bytes.iter().enumerate().any(|(i, &b)| match b {
            b':' => bytes.get(i + 1) == Some(&b' '),
            b'#' => i > 0 && bytes[i - 1] == b' ',
            b'\t' => true,
            _ => false,
        })
        || in_list && (has_any(bytes, b'[', b']', b'\t') || has_any(bytes, b'{', b'}', b'\t'));
    if complex || maybe_number(v) {
        return None;
    }
    // Every keyword starts with one of these bytes: most short values (a
    // tag such as `news`) are told apart without comparing strings.
    let maybe_keyword =
        v.len() <= 5 && matches!(first, b'n' | b'N' | b'~' | b't' | b'T' | b'f' | b'F');
    let keyword = [
        "null", "Null", "NULL", "~", "true", "True", "TRUE", "false", "False", "FALSE",
    ];
    Some((!maybe_keyword || !keyword.contains(&v)).then_some(v))
}

/// Whether `bytes` holds any of three bytes, eight bytes at a time
/// (values are short: memchr costs more in setting up than this in all).
fn has_any(bytes: &[u8], a: u8, b: u8, c: u8) -> bool {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    // A zero byte in `x` (the classic test: exact for "any", which is all
    // that is asked).
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH != 0;
    let [a8, b8, c8] = [a, b, c].map(|v| ONES * u64::from(v));
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let x = u64::from_ne_bytes(chunk.try_into().unwrap_or([0; 8]));
        if zero(x ^ a8) | zero(x ^ b8) | zero(x ^ c8) {
            return true;
        }
    }
    chunks
        .remainder()
        .iter()
        .any(|&x| x == a || x == b || x == c)
}

/// A plain value the YAML parser might read as a number (whose text it
/// would then write its own way): anything starting like a number and made
/// of number characters, but a date (`2015-11-24...`), which is text.
fn maybe_number(v: &str) -> bool {
    let b = v.as_bytes();
    // Most values start with a letter: no number, and nothing more to see.
    if b.first().is_none_or(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    let date = b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-';
    // `matches!`, not `contains` on a byte string, which calls memchr for
    // every byte.
    let starts = matches!(b[0], b'0'..=b'9' | b'+' | b'-' | b'.');
    let numeric = v
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'+' | b'-'));
    starts && numeric && !date || v.eq_ignore_ascii_case(".inf") || v.eq_ignore_ascii_case(".nan")
}

/// YAML anchors (`&name`) and aliases (`*name`) where a value starts:
/// after a key's colon, a list dash, a flow bracket or comma, or at the
/// start of a line. The same characters inside prose (`Q&A`, `see *this*`)
/// are not counted; inside a quoted string after `, ` they are, which only
/// errs on the side of refusing.
fn count_anchors(yaml: &str) -> (usize, usize) {
    let bytes = yaml.as_bytes();
    let (mut anchors, mut aliases) = (0, 0);
    for i in memchr::memchr2_iter(b'&', b'*', bytes) {
        let b = bytes[i];
        let named = bytes
            .get(i + 1)
            .is_some_and(|&n| n.is_ascii_alphanumeric() || n == b'_' || n == b'-');
        let before = bytes[..i]
            .iter()
            .rev()
            .find(|&&c| c != b' ')
            .copied()
            .unwrap_or(b'\n');
        let starts_value = matches!(before, b'\n' | b':' | b'-' | b'[' | b'{' | b',' | b'?');
        if named && starts_value {
            if b == b'&' {
                anchors += 1;
            } else {
                aliases += 1;
            }
        }
    }
    (anchors, aliases)
}

fn yaml_raw(v: &serde_yaml_ng::Value) -> Option<Raw<'static>> {
    use serde_yaml_ng::Value;
    let v = match v {
        Value::Tagged(t) => &t.value,
        v => v,
    };
    match v {
        Value::Sequence(items) => Some(Raw::Many(
            items
                .iter()
                .filter_map(yaml_scalar)
                .map(Cow::Owned)
                .collect(),
        )),
        v => yaml_scalar(v).map(|s| Raw::One(Cow::Owned(s))),
    }
}

fn yaml_scalar(v: &serde_yaml_ng::Value) -> Option<String> {
    match v {
        serde_yaml_ng::Value::String(s) => Some(s.clone()),
        serde_yaml_ng::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// TOML front matter into fields; a block that does not parse is refused
/// with the reason and its line in the file.
fn toml_fields(inner: &str) -> Result<Fields<'static>, ParseError> {
    let table: toml::Table = toml::from_str(inner).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start).min(inner.len());
        let line = inner.as_bytes()[..at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 2;
        ParseError::FrontMatter(format!("TOML, line {line}: {}", short(e.message())))
    })?;
    let mut fields = Fields::default();
    for (k, v) in &table {
        fields.offer(k, toml_raw(v));
    }
    Ok(fields)
}

fn toml_raw(v: &toml::Value) -> Option<Raw<'static>> {
    match v {
        toml::Value::Array(items) => Some(Raw::Many(
            items
                .iter()
                .filter_map(toml_scalar)
                .map(Cow::Owned)
                .collect(),
        )),
        v => toml_scalar(v).map(|s| Raw::One(Cow::Owned(s))),
    }
}

fn toml_scalar(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(n) => Some(n.to_string()),
        toml::Value::Datetime(d) => Some(d.to_string()),
        _ => None,
    }
}

/// The first line of a parser's message, safe and short: what goes in a
/// skip reason.
fn short(message: &str) -> String {
    let first = message.lines().next().unwrap_or("").trim();
    let first = first.split(" at line ").next().unwrap_or(first);
    let s = sanitize_line(first);
    s[..s.floor_char_boundary(120)].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The YAML parser's reading of a block, for comparing the fast path.
    fn by_parser(inner: &str) -> Option<FrontMatter> {
        let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(inner).ok()?;
        yaml_fields(value).map(FrontMatter::from_fields)
    }

    #[test]
    fn the_fast_path_takes_the_common_forms_and_leaves_the_rest() {
        let common = "title: \"A \"\nauthor: Jane Doe\ndate: 2015-11-24T10:30:00Z\nurl: https://example.org/a?b=1#c\ntags: [news, 'world affairs']\n# a comment\ncategories:\n  - one\n  - two\ndraft: false\n";
        let fast = simple_yaml(common).map(FrontMatter::from_fields);
        assert!(fast.is_some());
        assert_eq!(fast, by_parser(common));
        for not_simple in [
            "title: a: b",
            "title: 12",
            "title: 1.5e3",
            "title: .inf",
            "title: \"with \\\" escape\"",
            "title: &a x",
            "title: |\n  block",
            "title: x\ntitle: y",
            "title: {a: b}",
            "nested:\n  key: value",
            "title:x",
            "empty:",
        ] {
            assert!(simple_yaml(not_simple).is_none(), "{not_simple:?}");
        }
    }

    proptest::proptest! {
        /// Wherever the fast path reads a block, it reads it exactly as the
        /// YAML parser does.
        #[test]
        fn the_fast_path_agrees_with_the_yaml_parser(
            lines in proptest::collection::vec(
                (
                    "(title|author|date|url|tags|source|summary|x)",
                    "[a-zA-Z0-9 :#'\"\\[\\],.+-]{0,16}",
                ),
                0..6,
            ),
        ) {
            let inner: String = lines.iter().map(|(k, v)| format!("{k}: {v}\n")).collect();
            if let Some(fast) = simple_yaml(&inner) {
                proptest::prop_assert_eq!(Some(FrontMatter::from_fields(fast)), by_parser(&inner), "{:?}", inner);
            }
        }
    }

    fn fm(text: &str) -> FrontMatter {
        split(text).expect("parses").0.expect("has front matter")
    }

    #[test]
    fn yaml_fields_under_any_of_their_names() {
        let f = fm(
            "---\nTitle: A headline\nauthors: [Ann Lee, Bo Chan]\npublished: 2015-11-24\nlink: https://example.org/a\nsite: Example Times\ncategories: [world, politics]\nkeywords: world, europe\ndescription: In short.\nextra: {nested: 1}\n---\nBody\n",
        );
        assert_eq!(f.title.as_deref(), Some("A headline"));
        assert_eq!(f.author.as_deref(), Some("Ann Lee, Bo Chan"));
        assert_eq!(f.published, Some(1_448_323_200));
        assert_eq!(f.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(f.source.as_deref(), Some("Example Times"));
        assert_eq!(f.tags, ["world", "politics", "europe"]);
        assert_eq!(f.summary.as_deref(), Some("In short."));
    }

    #[test]
    fn a_value_of_the_wrong_type_is_ignored_alone() {
        let f = fm(
            "---\ntitle: [not, a, title]\nauthor: Ann\ndate: yesterday\nurl: javascript:alert(1)\n---\n",
        );
        assert_eq!(f.title, None);
        assert_eq!(f.author.as_deref(), Some("Ann"));
        assert_eq!((f.published, f.url), (None, None));
    }

    #[test]
    fn has_any_finds_each_byte_wherever_it_is() {
        for len in 0..20 {
            for at in 0..len {
                for (i, needle) in [b':', b'#', b'\t'].into_iter().enumerate() {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = needle;
                    assert!(has_any(&bytes, b':', b'#', b'\t'), "{len} {at} {i}");
                    // Bytes one off, and with the high bit, are not it.
                    bytes[at] = needle + 1;
                    assert!(!has_any(&bytes, b':', b'#', b'\t'), "{len} {at} {i}");
                    bytes[at] = needle | 0x80;
                    assert!(!has_any(&bytes, b':', b'#', b'\t'), "{len} {at} {i}");
                }
            }
        }
    }

    #[test]
    fn lines_are_those_of_split() {
        for text in ["", "a", "a\n", "\n", "a\nb", "a\n\nb\n", "\n\n"] {
            let want: Vec<&str> = text.split('\n').collect();
            assert_eq!(lines(text).collect::<Vec<_>>(), want, "{text:?}");
        }
    }

    #[test]
    fn no_closing_line_means_no_front_matter() {
        assert_eq!(split("---\ntitle: x\n\nBody").unwrap().0, None);
        assert_eq!(split("Title\n---\n").unwrap().0, None);
        let prose = "---\nAn opening paragraph between rules.\n---\nBody";
        assert_eq!(split(prose).unwrap(), (None, prose));
        let (f, rest) = split("---\n---\nBody").unwrap();
        assert_eq!((f, rest), (Some(FrontMatter::default()), "Body"));
    }

    #[test]
    fn broken_yaml_and_toml_give_the_line() {
        let e = split("---\ntitle: ok\nauthor: [unclosed\n---\n").unwrap_err();
        assert!(
            matches!(&e, ParseError::FrontMatter(m) if m.starts_with("YAML, line ")),
            "{e}"
        );
        let e = split("+++\ntitle = \"ok\"\nauthor = \n+++\n").unwrap_err();
        assert!(
            matches!(&e, ParseError::FrontMatter(m) if m.starts_with("TOML, line 3")),
            "{e}"
        );
    }

    #[test]
    fn anchors_count_only_where_a_value_starts() {
        assert_eq!(count_anchors("a: &x [1]\nb: *x\nc: [*x, *x]\n- *x"), (1, 4));
        assert_eq!(count_anchors("title: Q&A, see *this* & that\n"), (0, 0));
    }
}
