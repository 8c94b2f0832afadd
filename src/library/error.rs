//! Why a file is not in the library, and what goes wrong when looking an
//! article up or reading it again.

use super::{MIN_ID_PREFIX, display_path};
use crate::article::{self, ParseError};
use crate::text;
use std::fmt;
use std::path::PathBuf;

/// Why a file is not in the library (`SameText`: it has the same text as
/// the file given, under which its story is listed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    Binary,
    Empty,
    TooLarge {
        size: u64,
        limit: u64,
    },
    Unreadable(String),
    NotRegular(&'static str),
    SymlinkLoop,
    DanglingLink,
    Vanished,
    SameText(PathBuf),
    /// The file's text is no article in its format (see [`ParseError`]).
    Parse(ParseError),
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Binary => f.write_str("binary file"),
            Self::Empty => f.write_str("empty file"),
            Self::TooLarge { size, limit } => {
                // The limit as configured (whole MiB); the size as it is,
                // exactly when a rounded figure would look like the limit.
                let limit = if limit % (1 << 20) == 0 {
                    format!("{} MiB", limit >> 20)
                } else {
                    text::size(*limit)
                };
                let mut shown = text::size(*size);
                if shown == limit {
                    shown = format!("{} B", text::thousands(*size as usize));
                }
                write!(f, "too large ({shown}, over the {limit} limit)")
            }
            Self::Unreadable(e) => write!(f, "unreadable: {}", article::sanitize::sanitize_line(e)),
            Self::NotRegular(kind) => write!(f, "{kind}, not a regular file"),
            Self::SymlinkLoop => f.write_str("symbolic link loop"),
            Self::DanglingLink => f.write_str("dangling symbolic link"),
            Self::Vanished => f.write_str("vanished while loading"),
            Self::SameText(story) => write!(f, "same text as {}", display_path(story)),
            Self::Parse(e) => write!(f, "{}", article::sanitize::sanitize_line(&e.to_string())),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: SkipReason,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", display_path(&self.path), self.reason)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("library path {}: {}", display_path(.0), .1)]
    Missing(PathBuf, std::io::Error),
    #[error("no article matches '{}'", article::sanitize::sanitize_line(.0))]
    UnknownId(String),
    #[error("'{}' is ambiguous: it matches {}", article::sanitize::sanitize_line(.0), .1.join(", "))]
    AmbiguousId(String, Vec<String>),
    #[error("'{}' is ambiguous: it names the files of articles {}", article::sanitize::sanitize_line(.0), .1.join(", "))]
    AmbiguousPath(String, Vec<String>),
    #[error("'{}' is too short: give at least {MIN_ID_PREFIX} characters of an id", article::sanitize::sanitize_line(.0))]
    ShortId(String),
    #[error("{}: {}", display_path(.0), .1)]
    Unreadable(PathBuf, SkipReason),
}

/// The load cache could not be written. That costs speed, not data: the
/// error is a message to show, nothing more.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the load cache {}: {source}", display_path(.file))]
pub struct CacheWriteError {
    pub file: PathBuf,
    pub source: std::io::Error,
}
