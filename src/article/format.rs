//! Which parser reads a file, and why a file is no article.

use super::Parsed;

/// An article file's format, decided by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// `.txt`, `.text` or no extension: the plain-text format.
    Text,
    /// `.md`, `.markdown`: CommonMark with YAML or TOML front matter.
    Markdown,
    /// `.html`, `.htm`: a saved web page.
    Html,
    /// `.json`: one article as a JSON object.
    Json,
}

impl Format {
    /// The format of a file by its name; `None` for a name that is no
    /// article (an image, a `.jsonl` collection, anything else).
    pub fn from_name(name: &str) -> Option<Format> {
        let file = name.rsplit('/').next().unwrap_or(name);
        let Some((_, ext)) = file.rsplit_once('.') else {
            return Some(Format::Text);
        };
        let is = |e: &str| ext.eq_ignore_ascii_case(e);
        if is("txt") || is("text") {
            Some(Format::Text)
        } else if is("md") || is("markdown") {
            Some(Format::Markdown)
        } else if is("html") || is("htm") {
            Some(Format::Html)
        } else if is("json") {
            Some(Format::Json)
        } else {
            None
        }
    }

    /// The format of a listed file (one the walk took, so it has one).
    pub fn of(name: &str) -> Format {
        Self::from_name(name).unwrap_or(Format::Text)
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Json => "json",
        }
    }
}

/// Why a file's text is no article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Nothing but whitespace (or markup with no text).
    #[error("empty file")]
    Empty,
    /// A web page in which no article could be found.
    #[error("no article found in the page")]
    NoArticle,
    /// A file holding many articles (an array, JSON Lines): the library
    /// reads one article per file, and `tidings import` makes them.
    #[error(
        "a collection of {0} articles, not one: `tidings import FILE` writes each article to a file of its own"
    )]
    Collection(&'static str),
    /// Front matter that could not be read.
    #[error("broken front matter: {0}")]
    FrontMatter(String),
    /// A file that is not what its name says (JSON that does not parse,
    /// a JSON value that is no article).
    #[error("{0}")]
    Malformed(String),
}

/// Parse a file's bytes in the given format.
pub fn parse(bytes: &[u8], format: Format) -> Result<Parsed, ParseError> {
    match format {
        Format::Text => super::txt::parse(&super::decode(bytes)).ok_or(ParseError::Empty),
        Format::Markdown => super::markdown::parse(&super::decode(bytes)),
        Format::Html => super::html::parse(bytes),
        Format::Json => super::json::parse(&super::decode(bytes)),
    }
}

/// [`parse`] for what a library load keeps (the metadata, the id and the
/// word count): the same title and text, without the body's styles and
/// links.
pub fn parse_meta(bytes: &[u8], format: Format) -> Result<Parsed, ParseError> {
    match format {
        Format::Markdown => super::markdown::parse_meta(&super::decode(bytes)),
        other => parse(bytes, other),
    }
}

/// The host of an `http`/`https` URL, lowercased by the writer or not:
/// `https://www.example.org:8080/a?b` gives `www.example.org`.
pub fn host(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .or_else(|| url.strip_prefix("HTTPS://"))
        .or_else(|| url.strip_prefix("HTTP://"))?;
    let end = rest
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    let authority = &rest[..end];
    let host_port = authority.rsplit('@').next()?;
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next()?,
        None => host_port.split(':').next()?,
    };
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_the_extension() {
        for (name, want) in [
            ("a.txt", Some(Format::Text)),
            ("dir.d/README", Some(Format::Text)),
            ("a.TEXT", Some(Format::Text)),
            ("a.md", Some(Format::Markdown)),
            ("a.Markdown", Some(Format::Markdown)),
            ("a.html", Some(Format::Html)),
            ("a.HTM", Some(Format::Html)),
            ("a.json", Some(Format::Json)),
            ("a.jsonl", None),
            ("a.png", None),
        ] {
            assert_eq!(Format::from_name(name), want, "{name}");
        }
    }

    #[test]
    fn host_is_the_authority_without_user_or_port() {
        assert_eq!(host("https://www.example.org/a"), Some("www.example.org"));
        assert_eq!(host("http://u:p@example.org:8080?x"), Some("example.org"));
        assert_eq!(host("https://[::1]:80/"), Some("::1"));
        assert_eq!(host("mailto:a@example.org"), None);
        assert_eq!(host("https:///x"), None);
    }
}
