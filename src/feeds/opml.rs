//! OPML, the file feed readers exchange subscriptions in: reading one
//! tolerantly (`feeds import`) and writing OPML 2.0 (`feeds export`).
//!
//! The file is untrusted: it is read event by event with quick-xml (no
//! recursion, so no nesting depth can exhaust the stack), capped in size,
//! and a DOCTYPE is refused outright, since entity declarations are what
//! expansion bombs are made of and OPML has no use for them. Folders
//! (outlines without `xmlUrl` that hold others) become categories, `/`
//! between levels, keeping at most [`MAX_LEVELS`] levels.

use super::subscriptions::{AddError, Subscription, Subscriptions, clean_category, sanitize_name};
use crate::text::line_of;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

/// Largest OPML file read: thousands of feeds fit in a fraction of it.
pub const MAX_FILE: u64 = 8 << 20;

/// Deepest category kept; deeper folders count as the deepest one.
pub const MAX_LEVELS: usize = 16;

/// A feed found in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outline {
    /// `title`, else `text`, when either is given.
    pub name: Option<String>,
    pub url: String,
    pub category: Option<String>,
}

/// An outline passed over, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The outline's name or URL, as printed.
    pub what: String,
    pub reason: String,
}

/// What a file holds.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Opml {
    pub feeds: Vec<Outline>,
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, thiserror::Error)]
pub enum OpmlError {
    #[error("{}: {}", .0.display(), .1)]
    Io(std::path::PathBuf, std::io::Error),
    #[error("larger than {} MiB", MAX_FILE >> 20)]
    TooLarge,
    #[error("not valid {0} text")]
    Encoding(&'static str),
    #[error(
        "line {0}: a DOCTYPE is refused (OPML needs none, and entity declarations can expand without bound)"
    )]
    Doctype(usize),
    #[error("line {0}: malformed XML: {1}")]
    Xml(usize, String),
    #[error("not an OPML file: {0}")]
    NotOpml(String),
}

/// Read and parse the file at `path`.
pub fn read(path: &Path) -> Result<Opml, OpmlError> {
    use std::io::Read;
    let io = |e| OpmlError::Io(path.to_path_buf(), e);
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(OpmlError::TooLarge);
    }
    parse(&bytes)
}

/// Parse OPML bytes in the encoding their BOM or XML declaration names.
pub fn parse(bytes: &[u8]) -> Result<Opml, OpmlError> {
    let text = decode(bytes)?;
    Walk::default().run(&text)
}

/// The bytes as text: a BOM wins, then the declaration's `encoding`, then
/// UTF-8. Text that is not valid in that encoding is refused, not patched.
fn decode(bytes: &[u8]) -> Result<String, OpmlError> {
    let (encoding, bom) = encoding_rs::Encoding::for_bom(bytes)
        .or_else(|| declared_encoding(bytes).map(|e| (e, 0)))
        .unwrap_or((encoding_rs::UTF_8, 0));
    encoding
        .decode_without_bom_handling_and_without_replacement(&bytes[bom..])
        .map(|text| text.into_owned())
        .ok_or(OpmlError::Encoding(encoding.name()))
}

/// The `encoding` of an XML declaration (`<?xml version="1.0"
/// encoding="ISO-8859-1"?>`) at the very start, when it names one
/// encoding_rs knows.
fn declared_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = bytes.strip_prefix(b"<?xml")?;
    let end = memchr::memmem::find(&head[..head.len().min(512)], b"?>")?;
    let decl = &head[..end];
    let at = memchr::memmem::find(decl, b"encoding")?;
    let rest = decl[at + b"encoding".len()..].trim_ascii_start();
    let rest = rest.strip_prefix(b"=")?.trim_ascii_start();
    let (&quote, rest) = rest.split_first()?;
    let close = memchr::memchr(quote, rest)?;
    encoding_rs::Encoding::for_label(&rest[..close])
}

/// The state of one pass over the events.
#[derive(Default)]
struct Walk {
    out: Opml,
    /// Category levels in force (at most [`MAX_LEVELS`]).
    levels: Vec<String>,
    /// For each open `outline`, whether it added a level.
    open_outlines: Vec<bool>,
    /// Elements open, to catch a file that ends inside one.
    depth: usize,
    seen_root: bool,
}

impl Walk {
    fn run(mut self, text: &str) -> Result<Opml, OpmlError> {
        let mut reader = quick_xml::Reader::from_str(text);
        reader.config_mut().check_end_names = true;
        loop {
            let line = |pos: u64| line_of(text, pos as usize);
            let event = reader
                .read_event()
                .map_err(|e| OpmlError::Xml(line(reader.error_position()), e.to_string()))?;
            // Counted only when reported: counting lines at every event
            // would be quadratic in the file's size.
            let here = || line(reader.buffer_position());
            match event {
                Event::DocType(_) => return Err(OpmlError::Doctype(here())),
                Event::Start(e) => self.element(&e, true)?,
                Event::Empty(e) => self.element(&e, false)?,
                Event::End(e) if e.local_name().as_ref() == "outline" => self.close_outline(),
                Event::End(_) => self.depth = self.depth.saturating_sub(1),
                Event::Eof if self.depth > 0 => {
                    return Err(OpmlError::Xml(
                        here(),
                        "the file ends inside an element".into(),
                    ));
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if !self.seen_root {
            return Err(OpmlError::NotOpml("no opml element".into()));
        }
        Ok(self.out)
    }

    /// An element opens (`has_children`: a start tag, not an empty one).
    fn element(&mut self, e: &BytesStart, has_children: bool) -> Result<(), OpmlError> {
        let name = e.local_name();
        if !self.seen_root {
            if !name.as_ref().eq_ignore_ascii_case("opml") {
                let shown = sanitize_line(name.as_ref());
                return Err(OpmlError::NotOpml(format!("the root element is <{shown}>")));
            }
            self.seen_root = true;
        }
        if has_children {
            self.depth += 1;
        }
        if name.as_ref() == "outline" {
            self.outline(e, has_children);
        }
        Ok(())
    }

    /// A feed when it has an `xmlUrl`; else a folder when it holds others;
    /// else passed over.
    fn outline(&mut self, e: &BytesStart, has_children: bool) {
        let attrs = match Attrs::of(e) {
            Ok(attrs) => attrs,
            Err(reason) => {
                self.skip(String::from("an outline"), reason);
                return self.open(has_children, None);
            }
        };
        let name = attrs.title.or(attrs.text).and_then(|n| sanitize_name(&n));
        match attrs.xml_url {
            Some(url) => {
                let category = self.category();
                self.out.feeds.push(Outline {
                    name,
                    url,
                    category,
                });
                self.open(has_children, None);
            }
            None if has_children => self.open(true, name),
            None => {
                let what = name.unwrap_or_else(|| "an outline".into());
                self.skip(what, "no xmlUrl".into());
            }
        }
    }

    /// Note an outline that stays open (its children follow), and the
    /// category level it adds, if any.
    fn open(&mut self, has_children: bool, level: Option<String>) {
        if !has_children {
            return;
        }
        let added = level.is_some() && self.levels.len() < MAX_LEVELS;
        if let (true, Some(level)) = (added, level) {
            self.levels.push(level);
        }
        self.open_outlines.push(added);
    }

    fn close_outline(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        if self.open_outlines.pop() == Some(true) {
            self.levels.pop();
        }
    }

    fn category(&self) -> Option<String> {
        clean_category(&self.levels.join("/"))
    }

    fn skip(&mut self, what: String, reason: String) {
        self.out.skipped.push(Skipped { what, reason });
    }
}

/// The attributes of an outline that matter, names compared without case
/// (`xmlUrl`, `xmlurl`).
#[derive(Default)]
struct Attrs {
    xml_url: Option<String>,
    title: Option<String>,
    text: Option<String>,
}

impl Attrs {
    fn of(e: &BytesStart) -> Result<Self, String> {
        let mut attrs = Self::default();
        for attr in e.attributes() {
            let attr = attr.map_err(|e| format!("malformed attribute: {e}"))?;
            let key = attr.key.local_name();
            let slot = match key.as_ref().to_ascii_lowercase().as_str() {
                "xmlurl" => &mut attrs.xml_url,
                "title" => &mut attrs.title,
                "text" => &mut attrs.text,
                _ => continue,
            };
            let value = attr
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| format!("malformed attribute: {e}"))?;
            let value = value.trim();
            if !value.is_empty() {
                *slot = Some(value.to_string());
            }
        }
        Ok(attrs)
    }
}

fn sanitize_line(s: &str) -> String {
    crate::article::sanitize::sanitize_line(s)
}

/// What an import did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The names of the feeds added, in order.
    pub added: Vec<String>,
    pub skipped: Vec<Skipped>,
}

/// Add the file's feeds to `subs`: a URL already subscribed (or given twice)
/// or not `http`/`https` is skipped with the reason; a name already taken
/// is numbered (`name-2`), since the URL, not the name, makes a feed.
pub fn import(subs: &mut Subscriptions, opml: Opml) -> Report {
    let mut report = Report {
        added: Vec::new(),
        skipped: opml.skipped,
    };
    for outline in opml.feeds {
        let name = outline.name.as_deref().map(|n| subs.free_name(n));
        match subs.add(
            &outline.url,
            name.as_deref(),
            outline.category.as_deref(),
            false,
        ) {
            Ok(sub) => report.added.push(sub.name.clone()),
            Err(reason) => report.skipped.push(Skipped {
                what: outline.name.unwrap_or_else(|| sanitize_line(&outline.url)),
                reason: skip_reason(reason),
            }),
        }
    }
    report
}

fn skip_reason(e: AddError) -> String {
    match e {
        AddError::Duplicate { name, .. } => format!("already subscribed as {name}"),
        other => other.to_string(),
    }
}

/// The subscriptions as OPML 2.0: categories as nested outlines, in the
/// order each first appears, every value XML-escaped.
pub fn export(subs: &Subscriptions) -> String {
    let tree = Tree::of(&subs.feeds);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n    \
         <title>tidings subscriptions</title>\n  </head>\n  <body>\n",
    );
    tree.write(0, 2, &subs.feeds, &mut out);
    out.push_str("  </body>\n</opml>\n");
    out
}

/// Categories as a tree of folders, each holding feeds and folders in the
/// order they first appear. Depth is at most [`MAX_LEVELS`].
struct Tree {
    folders: Vec<Folder>,
}

struct Folder {
    name: String,
    items: Vec<Item>,
}

enum Item {
    Feed(usize),
    Folder(usize),
}

impl Tree {
    fn of(feeds: &[Subscription]) -> Self {
        let mut tree = Tree {
            folders: vec![Folder {
                name: String::new(),
                items: Vec::new(),
            }],
        };
        let mut index: HashMap<(usize, String), usize> = HashMap::new();
        for (i, feed) in feeds.iter().enumerate() {
            let category = feed.category.as_deref().and_then(clean_category);
            let mut at = 0;
            for level in category.iter().flat_map(|c| c.split('/')).take(MAX_LEVELS) {
                at = *index.entry((at, level.to_string())).or_insert_with(|| {
                    tree.folders.push(Folder {
                        name: level.to_string(),
                        items: Vec::new(),
                    });
                    let new = tree.folders.len() - 1;
                    tree.folders[at].items.push(Item::Folder(new));
                    new
                });
            }
            tree.folders[at].items.push(Item::Feed(i));
        }
        tree
    }

    /// Write folder `at`'s items, indented `indent` levels (recursion
    /// bounded by [`MAX_LEVELS`]).
    fn write(&self, at: usize, indent: usize, feeds: &[Subscription], out: &mut String) {
        let pad = "  ".repeat(indent);
        for item in &self.folders[at].items {
            match *item {
                Item::Feed(i) => {
                    let f = &feeds[i];
                    let name = attr(&f.name);
                    let _ = writeln!(
                        out,
                        "{pad}<outline type=\"rss\" text=\"{name}\" title=\"{name}\" xmlUrl=\"{}\"/>",
                        attr(&f.url)
                    );
                }
                Item::Folder(child) => {
                    let name = attr(&self.folders[child].name);
                    let _ = writeln!(out, "{pad}<outline text=\"{name}\" title=\"{name}\">");
                    self.write(child, indent + 1, feeds, out);
                    let _ = writeln!(out, "{pad}</outline>");
                }
            }
        }
    }
}

/// An attribute value: control characters (which XML 1.0 cannot hold)
/// dropped, markup characters escaped.
fn attr(value: &str) -> String {
    let clean: String = value.chars().filter(|c| !c.is_control()).collect();
    quick_xml::escape::escape(clean.as_str()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NESTED: &str = r#"<?xml version="1.0"?>
<opml version="1.0"><head><title>x</title></head><body>
  <outline text="Top" xmlUrl="https://example.org/top.xml"/>
  <outline text="Tech">
    <outline title="Rust &amp; more" text="ignored" xmlUrl="https://example.org/rust"/>
    <outline text="Deep"><outline text="D" xmlUrl="http://example.org/d"/></outline>
    <outline text="no address"/>
  </outline>
  <outline text="After" xmlUrl="https://example.org/after"/>
</body></opml>"#;

    #[test]
    fn nested_outlines_become_categories() {
        let opml = parse(NESTED.as_bytes()).unwrap();
        let got: Vec<_> = opml
            .feeds
            .iter()
            .map(|o| (o.name.as_deref().unwrap(), o.category.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("Top", None),
                ("Rust & more", Some("Tech")),
                ("D", Some("Tech/Deep")),
                ("After", None)
            ]
        );
        assert_eq!(opml.skipped.len(), 1);
        assert_eq!(opml.skipped[0].what, "no address");
        assert_eq!(opml.skipped[0].reason, "no xmlUrl");
    }

    #[test]
    fn doctype_and_entity_bombs_are_refused() {
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<opml><body><outline text="&b;" xmlUrl="https://example.org/"/></body></opml>"#;
        assert!(matches!(parse(bomb.as_bytes()), Err(OpmlError::Doctype(1))));
        // An undeclared entity is not expanded either: the outline is skipped.
        let text =
            r#"<opml><body><outline text="&b;" xmlUrl="https://example.org/"/></body></opml>"#;
        let opml = parse(text.as_bytes()).unwrap();
        assert!(opml.feeds.is_empty());
        assert!(
            opml.skipped[0].reason.contains("malformed attribute"),
            "{:?}",
            opml.skipped
        );
    }

    #[test]
    fn malformed_files_are_errors_with_a_line() {
        for bad in [
            "<opml>\n<body>\n<outline text=\"a\"></body></opml>",
            "<opml>\n<body>\n<outline text=\"a\">",
            "<opml><body><outline text=\"a></body></opml>",
        ] {
            let e = parse(bad.as_bytes()).unwrap_err();
            assert!(matches!(e, OpmlError::Xml(..)), "{bad}: {e:?}");
        }
        assert!(matches!(parse(b"<rss></rss>"), Err(OpmlError::NotOpml(_))));
        assert!(matches!(parse(b""), Err(OpmlError::NotOpml(_))));
    }

    #[test]
    fn a_declared_latin1_file_is_read() {
        let mut bytes =
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><opml><body><outline text=\"Caf"
                .to_vec();
        bytes.push(0xE9);
        bytes.extend_from_slice(b"\" xmlUrl=\"https://example.org/\"/></body></opml>");
        let opml = parse(&bytes).unwrap();
        assert_eq!(opml.feeds[0].name.as_deref(), Some("Café"));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let depth = 100_000;
        let mut text = String::from("<opml><body>");
        text.push_str(&"<outline text=\"x\">".repeat(depth));
        text.push_str("<outline text=\"f\" xmlUrl=\"https://example.org/\"/>");
        text.push_str(&"</outline>".repeat(depth));
        text.push_str("</body></opml>");
        let opml = parse(text.as_bytes()).unwrap();
        let category = opml.feeds[0].category.as_deref().unwrap();
        assert_eq!(category.split('/').count(), MAX_LEVELS);
    }

    #[test]
    fn import_skips_duplicates_and_bad_schemes_and_numbers_taken_names() {
        let mut subs = Subscriptions::default();
        subs.add("https://example.org/after", Some("Top"), None, false)
            .unwrap();
        let mut opml = parse(NESTED.as_bytes()).unwrap();
        opml.feeds.push(Outline {
            name: Some("evil".into()),
            url: "javascript:alert(1)".into(),
            category: None,
        });
        let report = import(&mut subs, opml);
        assert_eq!(report.added, ["Top-2", "Rust & more", "D"]);
        let reasons: Vec<_> = report
            .skipped
            .iter()
            .map(|s| (s.what.as_str(), s.reason.as_str()))
            .collect();
        assert_eq!(
            reasons,
            [
                ("no address", "no xmlUrl"),
                ("After", "already subscribed as Top"),
                ("evil", "not an http or https address: javascript:alert(1)")
            ]
        );
    }

    #[test]
    fn export_then_import_keeps_urls_and_categories() {
        let mut subs = Subscriptions::default();
        import(&mut subs, parse(NESTED.as_bytes()).unwrap());
        subs.add(
            "https://example.org/q?a=1&b=\"2\"",
            Some("<odd> & \"name\""),
            Some("A/B"),
            false,
        )
        .unwrap();
        let text = export(&subs);
        let mut again = Subscriptions::default();
        let report = import(&mut again, parse(text.as_bytes()).unwrap());
        assert!(report.skipped.is_empty(), "{:?}", report.skipped);
        assert_eq!(again, subs, "{text}");
    }
}
