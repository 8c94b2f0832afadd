//! Keeping the index fresh for `tidings search` without a full walk.
//!
//! A folder's modification time changes when a file is added to it,
//! removed from it or renamed in it. The index's manifest records every
//! library folder with the mtime it had when it was last listed, so a
//! check needs one `stat` per folder: only folders whose mtime changed are
//! listed (by the walk's own rules, so they agree with a full walk on which
//! files count), only their files are `stat`ed and compared with the
//! manifest, and a subfolder the manifest does not know is walked in full.
//! A file edited in place in a folder that did not change is not seen here:
//! the hits are checked before they are printed ([`verify_hits`]), and
//! `--fresh` (and the reader) check every file.

use crate::article::Article;
use crate::library::{self, Candidate, LoadOptions, Skipped, mtime_nanos};
use crate::search::manifest::{IdSet, Manifest, folder_key, key_hash, parent};
use crate::search::{FileState, Hit, Plan, Removal, SearchError, SearchIndex, Summary, path_key};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// How long after a folder's mtime its listing is trusted. A file added in
/// the same tick of the file system's clock as the change we saw (coarse
/// timestamps, or a change racing with our listing) leaves the folder's
/// mtime as it was; a folder changed this recently is therefore recorded
/// as "list again next time", and only a folder quiet for longer than this
/// is recorded with its mtime.
const SETTLE_NANOS: i64 = 2_000_000_000;

/// The library's inputs as a check needs them: each absolute (as index
/// keys begin) and whether it is a folder.
pub(super) struct Roots(Vec<(String, bool)>);

impl Roots {
    /// `None` when an input is missing: the full check reports that.
    pub(super) fn of(inputs: &[PathBuf]) -> Option<Self> {
        let mut roots = Vec::with_capacity(inputs.len());
        for input in inputs {
            let meta = std::fs::metadata(input).ok()?;
            roots.push((folder_key(input), meta.is_dir()));
        }
        Some(Self(roots))
    }

    /// The input a file (by index key) was found under, as the walk finds
    /// it: the first input holding it.
    fn root_of(&self, key: &str) -> Arc<Path> {
        let holds = |(root, dir): &(String, bool)| {
            if *dir {
                root == "/"
                    || key
                        .strip_prefix(root.as_str())
                        .is_some_and(|r| r.starts_with('/'))
            } else {
                key == root
            }
        };
        let root = match self.0.iter().find(|r| holds(r)) {
            Some((root, true)) => root.as_str(),
            _ => parent(key),
        };
        Arc::from(Path::new(root))
    }

    /// The inputs that are files, by index key.
    fn files(&self) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .filter(|(_, dir)| !dir)
            .map(|(r, _)| r.as_str())
    }
}

/// A folder's mtime as a manifest records it (see [`SETTLE_NANOS`]).
fn settled(mtime: Option<i64>, now: i64) -> Option<i64> {
    mtime.filter(|&m| now.saturating_sub(m) > SETTLE_NANOS)
}

fn now_nanos() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos().min(i64::MAX as u128) as i64)
}

/// What a check found on disk, before it is compared with the manifest.
#[derive(Default)]
struct Listed {
    /// Files in changed or new folders, with their state now.
    files: Vec<(Candidate, FileState)>,
    /// Folders listed (changed or new), with the mtime to record.
    stamps: Vec<(String, Option<i64>)>,
    /// Folders gone (or unreadable): their files leave the index.
    gone: Vec<String>,
    skipped: Vec<Skipped>,
}

/// Outcome of [`by_folder`].
pub(super) enum Checked {
    /// Brought up to date: what changed, and the files that failed.
    Done(Summary, Vec<Skipped>),
    /// Something only a full check handles (an input named as a file
    /// changed, or an input is missing).
    Full,
}

/// Bring the index up to date by folder (see the module docs). `stamps`
/// is the manifest's folder part ([`SearchIndex::folder_stamps`]).
pub(super) fn by_folder(
    index: &SearchIndex,
    stamps: &Manifest,
    inputs: &[PathBuf],
    options: &LoadOptions,
) -> anyhow::Result<Checked> {
    let Some(roots) = Roots::of(inputs) else {
        return Ok(Checked::Full);
    };
    for key in roots.files() {
        let now = std::fs::metadata(key).map(|m| (m.len(), mtime_nanos(&m)));
        if now.ok() != index.indexed_state(key)? {
            return Ok(Checked::Full);
        }
    }
    let now = now_nanos();
    let (changed, gone) = changed_folders(stamps);
    if changed.is_empty() && gone.is_empty() {
        return Ok(Checked::Done(Summary::default(), Vec::new()));
    }
    let known: HashSet<&str> = stamps
        .folders()
        .filter(|(_, f)| f.library)
        .map(|(_, f)| f.path.as_str())
        .collect();
    let mut listed = Listed {
        gone,
        ..Listed::default()
    };
    for folder in &changed {
        list_folder(folder, &roots, &known, options, now, &mut listed);
    }
    let (summary, failed) = apply(index, listed, options)?;
    Ok(Checked::Done(summary, failed))
}

/// The library folders whose mtime is not the one recorded, and those
/// that are gone, one `stat` each.
fn changed_folders(stamps: &Manifest) -> (Vec<String>, Vec<String>) {
    let (mut changed, mut gone) = (Vec::new(), Vec::new());
    for (_, f) in stamps.folders().filter(|(_, f)| f.library) {
        match std::fs::metadata(&f.path) {
            Ok(m) if m.is_dir() => {
                if f.mtime != Some(mtime_nanos(&m)) {
                    changed.push(f.path.clone());
                }
            }
            _ => gone.push(f.path.clone()),
        }
    }
    (changed, gone)
}

/// List one changed folder: its files, and any subfolder the manifest does
/// not know, walked in full.
fn list_folder(
    folder: &str,
    roots: &Roots,
    known: &HashSet<&str>,
    options: &LoadOptions,
    now: i64,
    out: &mut Listed,
) {
    let root = roots.root_of(&format!("{folder}/"));
    let found = library::discover_folder(Path::new(folder), &root, options.walk());
    let Some((_, mtime)) = found
        .folders
        .first()
        .filter(|(p, _)| folder_key(p) == folder)
    else {
        // Unreadable now: as a full walk would, leave its files out.
        out.gone.push(folder.to_string());
        return;
    };
    out.stamps.push((folder.to_string(), settled(*mtime, now)));
    add_files(found.candidates, &root, out);
    out.skipped.extend(found.skipped);
    for (sub, _) in &found.folders[1..] {
        if !known.contains(folder_key(sub).as_str()) {
            walk_new(sub, &root, options, now, out);
        }
    }
}

/// Walk a folder that is new to the index, with everything below it.
fn walk_new(dir: &Path, root: &Arc<Path>, options: &LoadOptions, now: i64, out: &mut Listed) {
    let Ok(found) = library::discover_with(&[dir.to_path_buf()], options.walk()) else {
        return;
    };
    for (path, mtime) in &found.folders {
        out.stamps.push((folder_key(path), settled(*mtime, now)));
    }
    add_files(found.candidates, root, out);
    out.skipped.extend(found.skipped);
}

/// `stat` each file found, as under `root`; one that vanished meanwhile
/// is left out, as a later walk would.
fn add_files(candidates: Vec<Candidate>, root: &Arc<Path>, out: &mut Listed) {
    for c in candidates {
        if let Ok(m) = std::fs::metadata(&c.path) {
            let state = FileState::new(&c.path, m.len(), mtime_nanos(&m));
            let c = Candidate {
                path: c.path,
                root: Arc::clone(root),
            };
            out.files.push((c, state));
        }
    }
}

/// Compare what was listed with the manifest, record the folders, and
/// index what changed.
fn apply(
    index: &SearchIndex,
    listed: Listed,
    options: &LoadOptions,
) -> Result<(Summary, Vec<Skipped>), SearchError> {
    let (cands, files): (Vec<Candidate>, Vec<FileState>) = listed.files.into_iter().unzip();
    let (plan, ids) = index.change_manifest(|m| {
        let plan = plan(m, &files, &listed.stamps, &listed.gone);
        let ids = other_stories(m, &files, &plan);
        for folder in &listed.gone {
            m.drop_folder(folder);
        }
        for (folder, mtime) in &listed.stamps {
            m.stamp_folder(folder, *mtime);
        }
        (plan, ids)
    })?;
    let failed = Mutex::new(listed.skipped);
    let copies = Copies {
        ids: Mutex::new(ids),
        new_from: plan.index.len() - plan.new,
        found: Mutex::new(HashSet::new()),
    };
    let load = |n: usize, i: usize| {
        let article = library::load_article(&cands[i], options)
            .map_err(|s| failed.lock().unwrap_or_else(|p| p.into_inner()).push(s))
            .ok()?;
        copies.keep(n, article)
    };
    let at: HashMap<usize, usize> = plan
        .index
        .iter()
        .enumerate()
        .map(|(n, &i)| (i, n))
        .collect();
    let mut summary = index.apply(&files, &plan, |i| load(at[&i], i), |_| {})?;
    copies.adjust(&mut summary);
    index.save_manifest()?;
    Ok((
        summary,
        failed.into_inner().unwrap_or_else(|p| p.into_inner()),
    ))
}

/// The ids of the stories the index holds that stay as they are: every id
/// held but those of the files removed or indexed again by `plan`.
fn other_stories(m: &Manifest, files: &[FileState], plan: &Plan) -> IdSet {
    let mut ids = m.ids();
    for gone in &plan.remove {
        if let Removal::Held { id, .. } = gone {
            ids.remove(id);
        }
    }
    for &i in &plan.index[..plan.index.len() - plan.new] {
        if let Some(id) = m.id(key_hash(&files[i].key)) {
            ids.remove(&id);
        }
    }
    ids
}

/// Files with the same text as a story already indexed are copies: the
/// library lists the story once, and so does the index (and an id then
/// names one document, which is how a file known only by its hash is
/// removed). A check by folder sees only part of the library, so it leaves
/// out a new file whose text is already indexed; `--fresh` settles which
/// of a story's files is listed, as `list` does.
struct Copies {
    ids: Mutex<IdSet>,
    /// Positions in the plan from which files are new.
    new_from: usize,
    /// Positions in the plan that were copies.
    found: Mutex<HashSet<usize>>,
}

impl Copies {
    /// The article at plan position `n`, unless it is a copy.
    fn keep(&self, n: usize, article: Article) -> Option<Article> {
        let fresh = lock(&self.ids).insert(article.meta.id());
        if !fresh {
            lock(&self.found).insert(n);
        }
        fresh.then_some(article)
    }

    /// The summary without the copies, which were not failures: a new
    /// copy was not added, a changed file that became one was removed.
    fn adjust(&self, summary: &mut Summary) {
        for &n in lock(&self.found).iter() {
            summary.failed = summary.failed.saturating_sub(1);
            if n >= self.new_from {
                summary.added = summary.added.saturating_sub(1);
            } else {
                summary.updated = summary.updated.saturating_sub(1);
                summary.removed += 1;
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The plan for the listed `files`: the new and changed among them, and the
/// files held in the listed or gone folders that were not found again.
fn plan(
    m: &Manifest,
    files: &[FileState],
    listed: &[(String, Option<i64>)],
    gone: &[String],
) -> Plan {
    let folders: HashSet<u32> = listed
        .iter()
        .map(|(f, _)| f)
        .chain(gone)
        .filter_map(|f| m.folder(f))
        .collect();
    let mut found = HashMap::with_capacity(files.len());
    let (mut changed, mut new) = (Vec::new(), Vec::new());
    for (i, f) in files.iter().enumerate() {
        let hash = key_hash(&f.key);
        found.insert(hash, ());
        match m.get(hash) {
            Some(held) if (held.size, held.mtime) == (f.size, f.mtime) => {}
            Some(_) => changed.push(i),
            None => new.push(i),
        }
    }
    let mut remove: Vec<Removal> = m
        .files()
        .filter(|(hash, held)| folders.contains(&held.folder) && !found.contains_key(hash))
        .filter_map(|(hash, _)| m.id(hash).map(|id| Removal::Held { hash, id }))
        .collect();
    remove.sort();
    let count = new.len();
    changed.append(&mut new);
    Plan {
        index: changed,
        new: count,
        remove,
    }
}

/// Every library folder as a full walk finds it, with the mtime to record
/// (taken before the files are listed, so a change after that shows next
/// time). `None` when an input is missing.
pub(super) fn walk_folders(
    inputs: &[PathBuf],
    options: &LoadOptions,
) -> Option<Vec<(String, Option<i64>)>> {
    let now = now_nanos();
    let found = library::discover_with(inputs, options.walk()).ok()?;
    Some(
        found
            .folders
            .into_iter()
            .map(|(path, mtime)| (folder_key(&path), settled(mtime, now)))
            .collect(),
    )
}

/// The settings a manifest records (see [`Manifest::settings`]).
pub(super) fn settings(options: &LoadOptions) -> (u64, bool) {
    (options.max_file_size, options.project_files)
}

/// After a full check: the folders found are the library's, and complete.
pub(super) fn stamp_all(
    index: &SearchIndex,
    folders: Vec<(String, Option<i64>)>,
    options: &LoadOptions,
) -> Result<(), SearchError> {
    index.change_manifest(|m| {
        m.clear_folders();
        m.settings = settings(options);
        for (folder, mtime) in &folders {
            m.stamp_folder(folder, *mtime);
        }
        m.complete = true;
    })?;
    index.save_manifest()
}

/// Check each hit's file before it is printed: one that changed since it
/// was indexed is indexed again, one that is gone is removed. Returns what
/// changed (nothing: the hits stand) and the files that failed.
pub(super) fn verify_hits(
    index: &SearchIndex,
    hits: &[Hit],
    inputs: &[PathBuf],
    options: &LoadOptions,
) -> anyhow::Result<(Summary, Vec<Skipped>)> {
    let roots = Roots::of(inputs).unwrap_or(Roots(Vec::new()));
    let (mut cands, mut files, mut remove) = (Vec::new(), Vec::new(), Vec::new());
    for hit in hits {
        match std::fs::metadata(&hit.path) {
            Ok(m) if m.is_file() => {
                let now = (m.len(), mtime_nanos(&m));
                if index.indexed_state(&hit.path)? != Some(now) {
                    let path = PathBuf::from(&hit.path);
                    files.push(FileState::new(&path, now.0, now.1));
                    let root = roots.root_of(&path_key(&path));
                    cands.push(Candidate { path, root });
                }
            }
            _ => remove.push(Removal::Key(hit.path.clone())),
        }
    }
    let plan = Plan {
        index: (0..files.len()).collect(),
        new: 0,
        remove,
    };
    if plan.is_empty() {
        return Ok((Summary::default(), Vec::new()));
    }
    let failed = Mutex::new(Vec::new());
    let load = |i: usize| {
        library::load_article(&cands[i], options)
            .map_err(|s| failed.lock().unwrap_or_else(|p| p.into_inner()).push(s))
            .ok()
    };
    let summary = index.apply(&files, &plan, load, |_| {})?;
    index.save_manifest()?;
    Ok((
        summary,
        failed.into_inner().unwrap_or_else(|p| p.into_inner()),
    ))
}
