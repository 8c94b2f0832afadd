//! Saved web pages: the main content and the page's metadata.

use super::{ParseError, Parsed};

/// Parse a saved page's bytes (the charset is read from the page).
pub fn parse(bytes: &[u8]) -> Result<Parsed, ParseError> {
    super::txt::parse(&super::decode(bytes)).ok_or(ParseError::Empty)
}
