//! Paths as the library keys, shows and compares them.

use crate::article;
use std::path::Path;
use std::time::UNIX_EPOCH;

/// A path made safe to print: file names can hold control characters too.
pub fn display_path(path: &Path) -> String {
    article::sanitize::sanitize_line(&path.to_string_lossy())
}

/// The bytes of a path, as a hash key.
pub fn path_key(path: &Path) -> &[u8] {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes()
}

/// `path` relative to `root`, with `/` separators.
pub(super) fn rel_path<'a>(path: &'a Path, root: &Path) -> std::borrow::Cow<'a, str> {
    // A path the walk built (`root/dir/name`, nothing to normalise) is
    // already that: its bytes after the root's.
    match plain_rel_path(path, root) {
        Some(rel) => rel.into(),
        None => rel_path_by_components(path, root).into(),
    }
}

/// `path` relative to `root` by definition: each component after the root,
/// lossily UTF-8, joined with `/`.
fn rel_path_by_components(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// The text after `root/` in `path`, when that is what component-wise
/// [`rel_path`] gives: UTF-8, and no empty or `.` component for
/// [`Path::components`] to drop.
fn plain_rel_path<'a>(path: &'a Path, root: &Path) -> Option<&'a str> {
    use std::os::unix::ffi::OsStrExt;
    let root = root.as_os_str().as_bytes();
    if root.is_empty() || root.ends_with(b"/") {
        return None;
    }
    let rest = path
        .as_os_str()
        .as_bytes()
        .strip_prefix(root)?
        .strip_prefix(b"/")?;
    let rest = std::str::from_utf8(rest).ok()?;
    rest.split('/')
        .all(|part| !part.is_empty() && part != ".")
        .then_some(rest)
}

/// Modification time in nanoseconds since the epoch (0 when unknown): a
/// file rewritten within the same second is still noticed.
pub fn mtime_nanos(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos().min(i64::MAX as u128) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rel_path_takes_plain_paths_as_they_are_and_normalises_others() {
        let cases = [
            ("lib/a.txt", "lib"),
            ("lib/news/a.txt", "lib"),
            ("./lib/x/../a", "./lib"),
            ("../shared/bbc/tech/a.txt", "../shared/bbc"),
            ("/abs/lib/a", "/abs/lib"),
            ("/abs/lib/a", "/abs/lib/"),
            ("lib//a.txt", "lib"),
            ("lib/./a.txt", "lib"),
            ("lib/a/.", "lib"),
            ("lib/a/", "lib"),
            ("lib/./", "lib"),
            ("a.txt", ""),
            ("/a.txt", "/"),
            ("library/a.txt", "lib"),
            ("lib", "lib"),
            ("lib/", "lib"),
            ("other/a.txt", "lib"),
            ("lib/.hidden/x", "lib"),
        ];
        for (path, root) in cases {
            let (path, root) = (Path::new(path), Path::new(root));
            assert_eq!(
                rel_path(path, root),
                // The component-wise definition, which the plain case must match.
                rel_path_by_components(path, root),
                "{path:?} {root:?}"
            );
        }
        assert_eq!(
            plain_rel_path(Path::new("lib/news/a.txt"), Path::new("lib")),
            Some("news/a.txt")
        );
    }
}
