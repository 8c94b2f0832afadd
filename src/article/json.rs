//! JSON articles: one object with the field names scrapers and news APIs use.

use super::{ParseError, Parsed};

/// Parse a JSON file's text.
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    super::txt::parse(text).ok_or(ParseError::Empty)
}
