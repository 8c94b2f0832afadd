//! Finding an article by what the command line names it with: its path,
//! in any form, or a unique prefix of its id.

use super::{Library, LibraryError};
use crate::article::{self, ArticleMeta};
use std::ffi::OsStr;
use std::path::Path;

/// Shortest id prefix accepted on the command line.
pub const MIN_ID_PREFIX: usize = 4;

impl Library {
    /// Find an article by its path or a unique id prefix (at least
    /// [`MIN_ID_PREFIX`] characters). A path may be given as it is on disk
    /// (from the working directory, library-relative, or any form naming
    /// the same file), or cleaned as the command line prints it (control
    /// characters removed, lossy UTF-8): file names need not be printable.
    pub fn resolve(&self, query: &OsStr) -> Result<usize, LibraryError> {
        if let Some(i) = self.by_path(query)? {
            return Ok(i);
        }
        let shown = query.to_string_lossy();
        let Some(q) = query
            .to_str()
            .map(str::to_ascii_lowercase)
            .filter(|q| !q.is_empty() && q.chars().all(|c| c.is_ascii_hexdigit()))
        else {
            return Err(LibraryError::UnknownId(shown.into_owned()));
        };
        if q.len() < MIN_ID_PREFIX {
            return Err(LibraryError::ShortId(shown.into_owned()));
        }
        let matches: Vec<usize> = (0..self.articles.len())
            .filter(|&i| self.articles[i].id().starts_with(&q))
            .collect();
        let mut ids: Vec<String> = matches
            .iter()
            .map(|&i| self.articles[i].id().to_string())
            .collect();
        ids.dedup();
        match (matches.first(), ids.len()) {
            (None, _) => Err(LibraryError::UnknownId(shown.into_owned())),
            (Some(&i), 1) => Ok(i),
            _ => Err(LibraryError::AmbiguousId(shown.into_owned(), ids)),
        }
    }

    /// The article at `query`: the exact bytes first (as given, then
    /// library-relative), then any path naming the same file, then the
    /// cleaned form, which must name one article only. A copy's path (a file
    /// with the same text as a listed one) names its story.
    fn by_path(&self, query: &OsStr) -> Result<Option<usize>, LibraryError> {
        let wanted = Path::new(query);
        let parts = wanted.components().count();
        let exact = |a: &ArticleMeta| {
            a.path == wanted
                || (a.path.ends_with(wanted) && a.rel_path().split('/').count() == parts)
        };
        if let Some(i) = self.find_file(exact).first() {
            return Ok(Some(*i));
        }
        if let Ok(canonical) = wanted.canonicalize() {
            let same = |a: &ArticleMeta| a.path.canonicalize().is_ok_and(|p| p == canonical);
            if let Some(i) = self.find_file(same).first() {
                return Ok(Some(*i));
            }
        }
        let cleaned = article::sanitize::sanitize_line(&query.to_string_lossy());
        if cleaned.is_empty() {
            return Ok(None);
        }
        let found = self.find_file(|a| {
            cleans_to(&a.path.to_string_lossy(), &cleaned) || cleans_to(a.rel_path(), &cleaned)
        });
        match found.as_slice() {
            [] => Ok(None),
            [i] => Ok(Some(*i)),
            many => Err(LibraryError::AmbiguousPath(
                cleaned,
                many.iter()
                    .map(|&i| self.articles[i].id().to_string())
                    .collect(),
            )),
        }
    }

    /// Positions of the stories whose listed file, or else one of whose
    /// copies, fits `test`, without repeats, in library order.
    fn find_file(&self, test: impl Fn(&ArticleMeta) -> bool) -> Vec<usize> {
        let listed: Vec<usize> = (0..self.articles.len())
            .filter(|&i| test(&self.articles[i]))
            .collect();
        if !listed.is_empty() {
            return listed;
        }
        let mut stories: Vec<usize> = self
            .copies
            .iter()
            .filter(|c| test(c))
            .filter_map(|c| self.articles.iter().position(|a| a.id() == c.id()))
            .collect();
        stories.sort_unstable();
        stories.dedup();
        stories
    }
}

/// Whether `text` made safe to print on one line ([`display_path`](super::display_path)) is
/// `cleaned`, without a copy when it needs no cleaning (nearly every name).
fn cleans_to(text: &str, cleaned: &str) -> bool {
    match article::sanitize::sanitize_cow(text) {
        std::borrow::Cow::Borrowed(clean) if !clean.contains('\n') => clean == cleaned,
        _ => article::sanitize::sanitize_line(text) == cleaned,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_to_compares_with_the_printed_form() {
        for (name, printed) in [
            ("plain.txt", "plain.txt"),
            ("esc\x1b[31m.txt", "esc[31m.txt"),
            ("two\nlines.txt", "two lines.txt"),
            ("csi\u{9b}.txt", "csi.txt"),
        ] {
            assert!(cleans_to(name, printed), "{name:?}");
            assert_eq!(article::sanitize::sanitize_line(name), printed);
        }
        assert!(!cleans_to("a.txt", "b.txt"));
    }
}
