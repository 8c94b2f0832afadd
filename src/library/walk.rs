//! Discovering article files under the library's inputs.
//!
//! The walk never opens anything but directories, follows each directory at
//! most once (so symlink loops end), and reports every path it will not use
//! (dangling links, FIFOs, sockets, devices, unreadable folders) exactly once.
//! A link back to a folder being walked is a loop and reported as one; a
//! second way into a folder already walked elsewhere is just a duplicate,
//! passed over silently like a second link to the same file.

use super::{SkipReason, Skipped};
use std::collections::HashSet;
use std::fs::{self, FileType};
use std::io;
use std::os::unix::fs::{DirEntryExt, FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file to load, with the library root it was found under (for its
/// category and relative path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    /// Shared by every file found under the same input.
    pub root: Arc<Path>,
}

/// Everything found under the inputs: candidates in a stable order, and
/// what was passed over with its reason.
#[derive(Debug, Default)]
pub struct Discovery {
    pub candidates: Vec<Candidate>,
    pub skipped: Vec<Skipped>,
}

/// True for names the walk treats as articles: `.txt`, `.text`, or no
/// extension (whether such a file is text is decided when it is read).
pub fn is_article_name(path: &Path) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        None => true,
        Some(ext) => ext.eq_ignore_ascii_case("txt") || ext.eq_ignore_ascii_case("text"),
    }
}

/// Walk `inputs` (files or folders). A missing input is an error for the
/// caller to report; everything below an input is only ever skipped.
pub fn discover(inputs: &[PathBuf]) -> Result<Discovery, (PathBuf, io::Error)> {
    let mut walk = Walk::default();
    for input in inputs {
        let meta = fs::metadata(input).map_err(|e| (input.clone(), e))?;
        if meta.is_dir() {
            walk.dir(input, &Arc::from(input.as_path()));
        } else {
            let root = Arc::from(input.parent().unwrap_or(Path::new("")));
            walk.file(
                input.clone(),
                &root,
                meta.file_type(),
                Some((meta.dev(), meta.ino())),
            );
        }
    }
    Ok(walk.out)
}

#[derive(Default)]
struct Walk {
    out: Discovery,
    /// Directories entered, by (device, inode): each is walked once.
    seen_dirs: HashSet<(u64, u64)>,
    /// The directories being walked, outermost first: reaching one of them
    /// again is a loop.
    ancestors: Vec<(u64, u64)>,
    seen_files: HashSet<(u64, u64)>,
}

impl Walk {
    fn skip(&mut self, path: &Path, reason: SkipReason) {
        self.out.skipped.push(Skipped {
            path: path.to_path_buf(),
            reason,
        });
    }

    fn dir(&mut self, dir: &Path, root: &Arc<Path>) {
        let key = match fs::metadata(dir) {
            Ok(m) => (m.dev(), m.ino()),
            Err(e) => return self.skip(dir, SkipReason::Unreadable(e.to_string())),
        };
        if self.ancestors.contains(&key) {
            return self.skip(dir, SkipReason::SymlinkLoop);
        }
        if !self.seen_dirs.insert(key) {
            return;
        }
        self.ancestors.push(key);
        self.entries(dir, root, key.0);
        self.ancestors.pop();
    }

    /// `dev` is the folder's device, which its entries share (or are
    /// mount points, which are folders).
    fn entries(&mut self, dir: &Path, root: &Arc<Path>, dev: u64) {
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => return self.skip(dir, SkipReason::Unreadable(e.to_string())),
        };
        // The inode comes with the directory entry: no stat per file. Only
        // names are kept while sorting; each path is made once, for its file.
        let mut children: Vec<(std::ffi::OsString, io::Result<FileType>, u64)> = entries
            .filter_map(Result::ok)
            .map(|e| (e.file_name(), e.file_type(), e.ino()))
            .collect();
        // Siblings differ only in their last component: compare names, not
        // whole paths (component-wise comparison is far slower).
        children.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, file_type, ino) in children {
            // The entry's own name: no need to take the path apart again.
            if name.to_str().is_some_and(|n| n.starts_with('.')) {
                continue;
            }
            let path = dir.join(&name);
            match file_type {
                Ok(t) if t.is_symlink() => self.symlink(path, root),
                Ok(t) if t.is_dir() => self.dir(&path, root),
                Ok(t) if is_article_name(&path) => self.file(path, root, t, Some((dev, ino))),
                Ok(_) => {}
                Err(_) => self.skip(&path, SkipReason::Vanished),
            }
        }
    }

    fn symlink(&mut self, link: PathBuf, root: &Arc<Path>) {
        match fs::metadata(&link) {
            Ok(m) if m.is_dir() => self.dir(&link, root),
            Ok(m) if is_article_name(&link) => {
                self.file(link, root, m.file_type(), Some((m.dev(), m.ino())))
            }
            Ok(_) => {}
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
                self.skip(&link, SkipReason::SymlinkLoop)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.skip(&link, SkipReason::DanglingLink)
            }
            Err(e) => self.skip(&link, SkipReason::Unreadable(e.to_string())),
        }
    }

    /// `id` is the file's (device, inode) when already known.
    fn file(&mut self, path: PathBuf, root: &Arc<Path>, t: FileType, id: Option<(u64, u64)>) {
        if let Some(kind) = special_kind(&t) {
            return self.skip(&path, SkipReason::NotRegular(kind));
        }
        // The same file reached twice (a link to it) is loaded once.
        let id = id.or_else(|| fs::metadata(&path).ok().map(|m| (m.dev(), m.ino())));
        if let Some(id) = id
            && !self.seen_files.insert(id)
        {
            return;
        }
        self.out.candidates.push(Candidate {
            path,
            root: Arc::clone(root),
        });
    }
}

/// The kind of a file that is not a regular file, which is never opened.
pub fn special_kind(t: &FileType) -> Option<&'static str> {
    if t.is_fifo() {
        Some("a FIFO")
    } else if t.is_socket() {
        Some("a socket")
    } else if t.is_block_device() || t.is_char_device() {
        Some("a device")
    } else if t.is_file() {
        None
    } else {
        Some("not a regular file")
    }
}
