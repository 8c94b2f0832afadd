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
    /// Every folder entered, with its modification time (nanoseconds) as
    /// the walk found it: what a later freshness check compares with. In a
    /// [`discover_folder`] listing, the subfolders too, not entered (`None`).
    pub folders: Vec<(PathBuf, Option<i64>)>,
}

/// True for names the walk treats as articles: plain text (`.txt`,
/// `.text`, or no extension: whether such a file is text is decided when
/// it is read), Markdown, HTML and JSON (see [`crate::article::Format`]).
pub fn is_article_name(path: &Path) -> bool {
    match path.extension() {
        None => true,
        Some(ext) => ext.to_str().is_some_and(|ext| {
            ["txt", "text", "md", "markdown", "html", "htm", "json"]
                .iter()
                .any(|known| ext.eq_ignore_ascii_case(known))
        }),
    }
}

/// Files that come with a project or a data set rather than being
/// articles, by name without extension: `LICENSE`, `README.txt`,
/// `Copying`; in capitals also with a suffix (`LICENSE-MIT`).
const PROJECT_FILES: &[&str] = &[
    "AUTHORS",
    "CHANGELOG",
    "CHANGES",
    "CODE_OF_CONDUCT",
    "CONTRIBUTING",
    "CONTRIBUTORS",
    "COPYING",
    "COPYRIGHT",
    "LICENCE",
    "LICENSE",
    "NOTICE",
    "README",
];

/// True for a project file such as `LICENSE` or `README.txt` (see
/// [`PROJECT_FILES`]): not an article, so a folder's walk passes it over
/// unless the config asks for it. A slug that only begins like one
/// (`notice-of-closure.txt`) is an article.
pub fn is_project_file(path: &Path) -> bool {
    path.file_name().is_some_and(is_project_name)
}

/// [`is_project_file`] for a file name. Compared as bytes, and a suffix
/// only after a capital: this runs for every file the walk finds.
fn is_project_name(name: &std::ffi::OsStr) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let name = name.as_bytes();
    let stem = name.split(|&b| b == b'.').next().unwrap_or(name);
    let capital = name.first().is_some_and(u8::is_ascii_uppercase);
    PROJECT_FILES.iter().any(|p| {
        stem.eq_ignore_ascii_case(p.as_bytes())
            || (capital
                && name
                    .strip_prefix(p.as_bytes())
                    .is_some_and(|rest| matches!(rest.first(), Some(b'-' | b'_'))))
    })
}

/// What the walk lists besides articles' names.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WalkOptions {
    /// List project files (`LICENSE`, `README`, ...) found in folders too.
    pub project_files: bool,
}

/// Walk `inputs` (files or folders). A missing input is an error for the
/// caller to report; everything below an input is only ever skipped.
pub fn discover(inputs: &[PathBuf]) -> Result<Discovery, (PathBuf, io::Error)> {
    discover_with(inputs, WalkOptions::default())
}

/// [`discover`] with options.
pub fn discover_with(
    inputs: &[PathBuf],
    options: WalkOptions,
) -> Result<Discovery, (PathBuf, io::Error)> {
    let mut walk = Walk {
        options,
        ..Walk::default()
    };
    walk.inputs(inputs)?;
    Ok(walk.out)
}

/// List one folder by the walk's rules, without entering its subfolders
/// (they are listed in [`Discovery::folders`] without a time). For a
/// freshness check that lists only the folders that changed: the files it
/// finds are the ones a full walk would find there. `root` is the library
/// input the folder is under.
pub fn discover_folder(dir: &Path, root: &Path, options: WalkOptions) -> Discovery {
    let mut walk = Walk {
        options,
        shallow: true,
        ..Walk::default()
    };
    walk.dir(dir, &Arc::from(root));
    walk.out
}

/// Walk `inputs` like [`discover`], handing the candidates over in order as
/// they are found, `batch` at a time (the last batch may be smaller), so
/// they can be read while the walk goes on. Returns how many were found and
/// what was passed over. A missing input is found before anything is walked.
pub fn discover_each(
    inputs: &[PathBuf],
    options: WalkOptions,
    batch: usize,
    found: &mut Found<'_>,
) -> Result<Walked, (PathBuf, io::Error)> {
    let mut walk = Walk {
        options,
        found: Some((batch.max(1), found)),
        ..Walk::default()
    };
    walk.inputs(inputs)?;
    walk.hand_over();
    Ok((walk.count, walk.out.skipped))
}

/// Where [`discover_each`] hands candidates over.
pub type Found<'a> = dyn FnMut(Vec<Candidate>) + 'a;

/// What [`discover_each`] found: how many candidates, and what it passed
/// over.
pub type Walked = (usize, Vec<Skipped>);

#[derive(Default)]
struct Walk<'a> {
    options: WalkOptions,
    /// Enter only the first folder (see [`discover_folder`]).
    shallow: bool,
    out: Discovery,
    /// Directories entered, by (device, inode): each is walked once.
    seen_dirs: HashSet<(u64, u64)>,
    /// The directories being walked, outermost first: reaching one of them
    /// again is a loop.
    ancestors: Vec<(u64, u64)>,
    seen_files: HashSet<(u64, u64)>,
    /// Where candidates go, a batch of this many at a time, instead of
    /// staying in `out`.
    found: Option<(usize, &'a mut Found<'a>)>,
    /// Candidates found so far.
    count: usize,
}

impl Walk<'_> {
    fn inputs(&mut self, inputs: &[PathBuf]) -> Result<(), (PathBuf, io::Error)> {
        let metas = inputs
            .iter()
            .map(|input| fs::metadata(input).map_err(|e| (input.clone(), e)))
            .collect::<Result<Vec<_>, _>>()?;
        for (input, meta) in inputs.iter().zip(metas) {
            self.input(input, &meta);
        }
        Ok(())
    }

    fn input(&mut self, input: &Path, meta: &fs::Metadata) {
        if meta.is_dir() {
            self.dir(input, &Arc::from(input));
        } else {
            let root = Arc::from(input.parent().unwrap_or(Path::new("")));
            self.file(
                input.to_path_buf(),
                &root,
                meta.file_type(),
                Some((meta.dev(), meta.ino())),
            );
        }
    }

    /// Pass the candidates found so far on, when they go somewhere.
    fn hand_over(&mut self) {
        if let Some((_, found)) = self.found.as_mut()
            && !self.out.candidates.is_empty()
        {
            found(std::mem::take(&mut self.out.candidates));
        }
    }
    fn skip(&mut self, path: &Path, reason: SkipReason) {
        self.out.skipped.push(Skipped {
            path: path.to_path_buf(),
            reason,
        });
    }

    fn dir(&mut self, dir: &Path, root: &Arc<Path>) {
        let (key, mtime) = match fs::metadata(dir) {
            Ok(m) => ((m.dev(), m.ino()), super::mtime_nanos(&m)),
            Err(e) => return self.skip(dir, SkipReason::Unreadable(e.to_string())),
        };
        if self.ancestors.contains(&key) {
            return self.skip(dir, SkipReason::SymlinkLoop);
        }
        if self.shallow && !self.ancestors.is_empty() {
            return self.out.folders.push((dir.to_path_buf(), None));
        }
        if !self.seen_dirs.insert(key) {
            return;
        }
        self.out.folders.push((dir.to_path_buf(), Some(mtime)));
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
                Ok(t) if self.wanted(&path, &name) => self.file(path, root, t, Some((dev, ino))),
                Ok(_) => {}
                Err(_) => self.skip(&path, SkipReason::Vanished),
            }
        }
    }

    /// Whether a file found in a folder is one to load (a file named as an
    /// input always is).
    fn wanted(&self, path: &Path, name: &std::ffi::OsStr) -> bool {
        is_article_name(path) && (self.options.project_files || !is_project_name(name))
    }

    fn symlink(&mut self, link: PathBuf, root: &Arc<Path>) {
        match fs::metadata(&link) {
            Ok(m) if m.is_dir() => self.dir(&link, root),
            Ok(m)
                if link
                    .file_name()
                    .is_some_and(|name| self.wanted(&link, name)) =>
            {
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
        self.count += 1;
        if self
            .found
            .as_ref()
            .is_some_and(|(batch, _)| self.out.candidates.len() >= *batch)
        {
            self.hand_over();
        }
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
    } else if t.is_dir() {
        // A file replaced by a folder after the walk.
        Some("a folder")
    } else {
        Some("a special file")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::TempDir::new().unwrap();
        for (folder, files) in [("a", 5), ("a/sub", 3), ("b", 4)] {
            std::fs::create_dir_all(dir.path().join(folder)).unwrap();
            for i in 0..files {
                std::fs::write(dir.path().join(format!("{folder}/{i}.txt")), "T\n\nx\n").unwrap();
            }
        }
        std::fs::write(dir.path().join("a/skip.jpg"), "no").unwrap();
        dir
    }

    #[test]
    fn batches_come_in_walk_order_and_add_up_to_the_whole_walk() {
        let dir = tree();
        let inputs = [dir.path().to_path_buf()];
        let whole = discover(&inputs).unwrap();
        for size in [1, 2, 5, 100] {
            let mut batches = Vec::new();
            let (count, skipped) = discover_each(&inputs, WalkOptions::default(), size, &mut |b| {
                batches.push(b)
            })
            .unwrap();
            assert!(batches.iter().all(|b| !b.is_empty() && b.len() <= size));
            assert!(batches[..batches.len() - 1].iter().all(|b| b.len() == size));
            let joined: Vec<Candidate> = batches.concat();
            assert_eq!(joined, whole.candidates, "batch size {size}");
            assert_eq!(count, 12);
            assert_eq!(skipped, whole.skipped);
        }
    }

    #[test]
    fn a_missing_input_is_found_before_anything_is_handed_over() {
        let dir = tree();
        let missing = dir.path().join("gone");
        let mut batches = 0;
        let inputs = [dir.path().join("a"), missing.clone()];
        let err =
            discover_each(&inputs, WalkOptions::default(), 1, &mut |_| batches += 1).unwrap_err();
        assert_eq!(err.0, missing);
        assert_eq!(batches, 0);
    }

    #[test]
    fn project_files_are_not_articles_unless_asked_for() {
        for name in [
            "LICENSE",
            "license",
            "LICENSE.txt",
            "LICENSE-MIT",
            "COPYING",
            "README",
            "Readme.txt",
            "README.en.txt",
            "CHANGELOG",
            "AUTHORS",
            "NOTICE",
            "CONTRIBUTING.txt",
        ] {
            assert!(is_project_file(Path::new(name)), "{name}");
        }
        for name in [
            "story.txt",
            "notice-of-closure.txt",
            "changes-to-tax-law.txt",
            "licensed.txt",
            "readmes",
            "",
        ] {
            assert!(!is_project_file(Path::new(name)), "{name}");
        }
        let dir = tree();
        std::fs::write(dir.path().join("a/LICENSE"), "MIT\n\nx\n").unwrap();
        let inputs = [dir.path().to_path_buf()];
        let count = |options| discover_with(&inputs, options).unwrap().candidates.len();
        assert_eq!(count(WalkOptions::default()), 12);
        assert_eq!(
            count(WalkOptions {
                project_files: true
            }),
            13
        );
        // Named as an input, it is read.
        let named = discover(&[dir.path().join("a/LICENSE")]).unwrap();
        assert_eq!(named.candidates.len(), 1);
    }
}
