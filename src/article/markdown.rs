//! Markdown articles (CommonMark, with YAML or TOML front matter).

use super::{ParseError, Parsed};

/// Parse a Markdown file's text.
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    super::txt::parse(text).ok_or(ParseError::Empty)
}
