//! Importing collections of articles (feed files, JSON arrays, JSON Lines)
//! into a library folder: one Markdown file per record, written exactly as
//! fetched items are ([`crate::feeds::write`]: the same names, front
//! matter, refusal of symlinks, and never a file it did not write
//! replaced), and recognised by the same key (guid or id, else link, else
//! a hash of title and date), so importing a file twice adds nothing.
//!
//! It is built for large files: records are streamed ([`read`]), the keys
//! already imported are a set of 64-bit hashes ([`seen`]), a name that
//! clashes resumes its numbering where the last clash left it instead of
//! probing from 1, and files are synced in batches of [`BATCH`] (one
//! `syncfs`, then their keys are recorded) rather than one by one, which
//! would cost milliseconds a file.

pub mod read;
pub mod record;
pub mod seen;

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use self::read::{Entry, Place, ReadError, Record};
use self::seen::{Identity, Seen, SeenError};
use super::fetch::item_key;
use super::parse::Item;
use super::write::{self, Source, WriteError};

/// Files written between two syncs.
pub const BATCH: usize = 1000;
/// Numbered names tried for one record, past the last one known taken.
const PROBES: usize = 1000;
/// How long to wait for another import into the same folder.
const LOCK_WAIT: Duration = Duration::from_secs(600);

/// What became of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Written to a new file.
    Imported,
    /// Its key was imported before (or it repeats one in this run); or its
    /// file was there already, from a run that stopped before recording it.
    AlreadyThere,
    /// Not imported, and why.
    Skipped(String),
}

/// A folder records are imported into, with its keys and its lock.
#[derive(Debug)]
pub struct Destination {
    dir: PathBuf,
    seen: Seen,
    /// Names that clashed (by hash) and the next number to try for them.
    clashes: HashMap<u64, usize, BuildHasherDefault<Identity>>,
    /// Keys of the files written since the last sync.
    pending: Vec<u64>,
    now: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Write(#[from] WriteError),
    #[error("{0}")]
    Seen(#[from] SeenError),
    #[error("{}: {}", .0.display(), .1)]
    Io(PathBuf, io::Error),
}

impl Destination {
    /// The folder `rel` under `root` (made one real directory at a time;
    /// `rel` may be empty), locked for this import; `now` dates records
    /// that have no date and stamps `fetched`.
    pub fn open(root: &Path, rel: &Path, data_dir: &Path, now: i64) -> Result<Self, ImportError> {
        let dir = write::feed_dir(root, rel)?;
        let canonical = dir
            .canonicalize()
            .map_err(|e| ImportError::Io(dir.clone(), e))?;
        let seen = Seen::open(&Seen::path_for(data_dir, &canonical), LOCK_WAIT)?;
        write::remove_stale_temps(&dir);
        Ok(Self {
            dir,
            seen,
            clashes: HashMap::default(),
            pending: Vec::with_capacity(BATCH),
            now,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Write `item` (from `source`) unless its key is known.
    pub fn add(&mut self, item: &Item, source: &str) -> Result<Outcome, WriteError> {
        let key = seen::hash(&item_key(item));
        if !self.seen.insert(key) {
            return Ok(Outcome::AlreadyThere);
        }
        let source = Source {
            feed: source,
            feed_url: "",
        };
        let text = write::render(item, &source, self.now);
        let wanted = write::file_name(item, self.now);
        let name_hash = seen::hash(&wanted);
        let first = self.clashes.get(&name_hash).copied().unwrap_or(1);
        let (name, n, adopted) =
            write::place_from(&self.dir, &wanted, &text, first, first + PROBES)?;
        if n > 1 {
            self.clashes.insert(name_hash, n + 1);
        }
        if !adopted {
            write::write_file_unsynced(&self.dir, &name, &text)?;
        }
        self.pending.push(key);
        if self.pending.len() >= BATCH {
            self.flush()
                .map_err(|e| WriteError::Io(self.dir.clone(), e))?;
        }
        Ok(if adopted {
            Outcome::AlreadyThere
        } else {
            Outcome::Imported
        })
    }

    /// Make the files written so far durable, then record their keys.
    pub fn flush(&mut self) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        write::sync_written(&self.dir);
        self.seen.record(&self.pending)?;
        self.pending.clear();
        Ok(())
    }
}

impl Drop for Destination {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// One record's outcome, where it was, and how far into its file
/// reading is (bytes, for progress).
#[derive(Debug)]
pub struct Event {
    pub place: Place,
    pub offset: u64,
    pub outcome: Outcome,
}

/// Import every record of the file at `path` into `dest`; records that
/// name no source are from `default_source`. `on_event` hears of each
/// record. An error means the file could not be read as a collection at
/// all; records skipped along the way are events.
pub fn import_file(
    path: &Path,
    dest: &mut Destination,
    default_source: &str,
    on_event: &mut dyn FnMut(Event),
) -> Result<(), ReadError> {
    read::read(path, &mut |Record {
                               place,
                               entry,
                               offset,
                           }| {
        let outcome = match entry {
            Entry::Skip(why) => Outcome::Skipped(why),
            Entry::Item(item, source) => {
                let source = source.as_deref().unwrap_or(default_source);
                dest.add(&item, source)
                    .unwrap_or_else(|e| Outcome::Skipped(e.to_string()))
            }
        };
        on_event(Event {
            place,
            offset,
            outcome,
        });
    })?;
    dest.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import(dest: &mut Destination, text: &str) -> Vec<Outcome> {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), text).unwrap();
        let mut got = Vec::new();
        import_file(file.path(), dest, "test", &mut |e| got.push(e.outcome)).unwrap();
        got
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn records_sharing_a_title_get_numbered_names_and_a_rerun_adds_nothing() {
        let home = tempfile::tempdir().unwrap();
        let (news, data) = (home.path().join("news"), home.path().join("data"));
        let lines: String = (0..5)
            .map(|i| {
                format!("{{\"title\": \"Same\", \"id\": \"{i}\", \"date\": \"2020-01-02\"}}\n")
            })
            .collect();
        let mut dest = Destination::open(&news, Path::new("x"), &data, 0).unwrap();
        assert_eq!(import(&mut dest, &lines), vec![Outcome::Imported; 5]);
        drop(dest);
        let dir = news.join("x");
        assert_eq!(
            names(&dir),
            [
                "2020-01-02-same-2.md",
                "2020-01-02-same-3.md",
                "2020-01-02-same-4.md",
                "2020-01-02-same-5.md",
                "2020-01-02-same.md"
            ]
        );
        let mut dest = Destination::open(&news, Path::new("x"), &data, 0).unwrap();
        assert_eq!(import(&mut dest, &lines), vec![Outcome::AlreadyThere; 5]);
        assert_eq!(names(&dir).len(), 5);
    }

    #[test]
    fn files_written_but_not_recorded_are_adopted_not_duplicated() {
        let home = tempfile::tempdir().unwrap();
        let (news, data) = (home.path().join("news"), home.path().join("data"));
        let lines = "{\"title\": \"A\", \"id\": \"1\"}\n{\"title\": \"A\", \"id\": \"2\"}\n";
        let mut dest = Destination::open(&news, Path::new("x"), &data, 0).unwrap();
        import(&mut dest, lines);
        drop(dest);
        // As if the run had been killed before recording its keys.
        std::fs::remove_dir_all(data.join("feeds")).unwrap();
        let mut dest = Destination::open(&news, Path::new("x"), &data, 99).unwrap();
        assert_eq!(import(&mut dest, lines), vec![Outcome::AlreadyThere; 2]);
        assert_eq!(names(&news.join("x")).len(), 2);
    }

    #[test]
    fn a_symlinked_destination_is_refused() {
        let home = tempfile::tempdir().unwrap();
        let news = home.path().join("news");
        std::fs::create_dir_all(news.join("imported")).unwrap();
        std::os::unix::fs::symlink(home.path(), news.join("imported/x")).unwrap();
        let err = Destination::open(&news, Path::new("imported/x"), home.path(), 0).unwrap_err();
        assert!(
            err.to_string().contains("symlinks are not followed"),
            "{err}"
        );
    }
}
