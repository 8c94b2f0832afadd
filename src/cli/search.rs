//! `tidings search`: the app's search engine and query language, for scripts.
//!
//! The index is brought up to date first. By default by folder (see
//! `fresh.rs`): one `stat` per library folder, and only the folders that
//! changed are listed, so added, removed and renamed files are seen at once
//! without a walk; the hits are checked before they are printed. With
//! `--fresh`, and when the index has no record of the library's folders
//! yet, with the library as `list` loads it: a walk and a `stat` per file
//! (through the load cache). Either way, articles are read and parsed only
//! when they are new or changed.

mod fresh;

use super::Context;
use crate::article::Article;
use crate::article::sanitize::sanitize_line;
use crate::library::{self, Library, LibraryError, SkipReason, Skipped, bundled};
use crate::search::{
    self, FileState, Hit, Marks, Notice, ParsedQuery, SearchError, SearchIndex, location,
};
use serde::Serialize;
use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

/// How long to wait for another process that is building the same index
/// before searching what it has committed so far.
const WAIT_FOR_WRITER: Duration = Duration::from_secs(120);
/// Snippet width in `--json` output, in columns.
const SNIPPET_WIDTH: usize = 100;
/// Say "indexing N articles" when a reconcile has at least this much to do.
const ANNOUNCE_AT: usize = 500;

/// One hit as `search --json` prints it: every text cleaned, the path in
/// the form `list` prints.
#[derive(Debug, Serialize)]
struct JsonHit {
    id: String,
    title: String,
    category: Option<String>,
    path: String,
    score: f32,
    snippet: String,
    /// Hidden (a hide rule, or `d`): only found with `--hidden`, and only
    /// then said.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    hidden: bool,
}

/// What `tidings search` was asked.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub json: bool,
    pub limit: usize,
    /// Search the index as it is, without checking the files for changes.
    pub cached: bool,
    /// Check every file for changes (a walk and a `stat` per file), not
    /// only the folders that changed.
    pub fresh: bool,
    /// Find hidden stories too.
    pub hidden: bool,
}

/// How much of the library to check before searching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Check {
    /// Nothing (`--cached`).
    Cached,
    /// The folders, and the hits' files (the default).
    Folders,
    /// Every file (`--fresh`).
    Full,
}

impl Check {
    fn of(opts: &Options) -> Self {
        if opts.fresh {
            Self::Full
        } else if opts.cached {
            Self::Cached
        } else {
            Self::Folders
        }
    }
}

pub fn run(ctx: &Context, query: &str, opts: Options, out: &mut impl Write) -> anyhow::Result<()> {
    let parsed = search::parse(query);
    if let Some(note) = &parsed.note {
        eprintln!("tidings: {}", crate::article::sanitize::sanitize_line(note));
    }
    let check = Check::of(&opts);
    let mut source = Source::new(ctx, check == Check::Full)?;
    // `is:` filters read the bookmarks and reading state (read-only here).
    let (marks, warnings) = crate::store::Store::open(&ctx.data_dir);
    for w in warnings {
        eprintln!("tidings: {}", crate::article::sanitize::sanitize_line(&w));
    }
    let limit = opts.limit;
    let once = |source: &mut Source| search_once(ctx, source, check, &parsed, limit, &marks);
    let (index, results) = rebuilt_if_corrupt(ctx, &mut source, once)?;
    let rules = super::hide::rules(ctx);
    let hidden =
        super::hide::Hidden::new(super::hide::rule_matches(&index, &rules, &marks)?, &marks);
    let results = match opts.hidden {
        true => results,
        false => without_hidden(&index, results, (&parsed, limit), &hidden, &marks)?,
    };
    if std::io::stderr().is_terminal() {
        let n = results.total;
        eprintln!("tidings: {n} match{}", if n == 1 { "" } else { "es" });
    }
    if opts.json {
        let body = |hit: &Hit| source.body(&hit.path, ctx);
        let hits: Vec<JsonHit> = results
            .hits
            .iter()
            .map(|h| JsonHit {
                hidden: hidden.contains(&h.id),
                ..json_hit(h, body(h).as_deref().unwrap_or(""), &parsed, ctx)
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &hits)?;
        writeln!(out)?;
    } else {
        for h in &results.hits {
            let (id, title) = (sanitize_line(&h.id), sanitize_line(&h.title));
            writeln!(out, "{id}\t{:.3}\t{title}", h.score)?;
        }
    }
    index.finish()?;
    Ok(())
}

/// The best `limit` results that are not hidden: the search again with
/// room for every hidden story among them, and a total without those found.
fn without_hidden(
    index: &SearchIndex,
    results: search::Results,
    (query, limit): (&ParsedQuery, usize),
    hidden: &super::hide::Hidden,
    marks: &dyn Marks,
) -> anyhow::Result<search::Results> {
    if hidden.is_empty() {
        return Ok(results);
    }
    let room = limit
        .saturating_add(hidden.len())
        .min(results.total.max(limit));
    let mut results = index.search(query, room, marks)?;
    let before = results.hits.len();
    results.hits.retain(|h| !hidden.contains(&h.id));
    results.total -= before - results.hits.len();
    results.hits.truncate(limit);
    Ok(results)
}

/// Run `once`; when the index turned out to be corrupt, discard it and
/// run `once` again (it builds a new one).
fn rebuilt_if_corrupt<T>(
    ctx: &Context,
    source: &mut Source,
    once: impl Fn(&mut Source) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    match once(source) {
        Err(e) => match e.downcast::<SearchError>() {
            Ok(SearchError::Corrupt(_, why)) => {
                let (index, _) = SearchIndex::open(&ctx.cache_dir, &source.key, WAIT_FOR_WRITER)?;
                index.discard(&why)?;
                once(source)
            }
            Ok(other) => Err(other.into()),
            Err(other) => Err(other),
        },
        found => found,
    }
}

/// The library as `list` loads it, and the ids of its articles matching
/// `query` (for `list --query`). Every file is checked, as with
/// `--fresh`: the library is walked to be listed anyway, and the index
/// then holds exactly the articles listed. An empty query matches nothing.
pub(super) fn library_matching(
    ctx: &Context,
    query: &ParsedQuery,
    marks: &dyn Marks,
) -> anyhow::Result<(Library, HashSet<String>)> {
    let mut source = Source::new(ctx, true)?;
    let all = source.files.len().max(1);
    let once = |source: &mut Source| search_once(ctx, source, Check::Full, query, all, marks);
    let (index, mut results) = rebuilt_if_corrupt(ctx, &mut source, once)?;
    // An index another process keeps writing may hold more than the library.
    if results.total > results.hits.len() {
        results = index.search(query, results.total, marks)?;
    }
    index.finish()?;
    let Some(library) = source.library.take() else {
        anyhow::bail!("the library was not loaded");
    };
    Ok((library, results.hits.into_iter().map(|h| h.id).collect()))
}

/// The library as `list` loads it (every file checked, as
/// [`library_matching`] does), and what `ask` finds in its index.
pub(super) fn library_with_index<T>(
    ctx: &Context,
    ask: impl Fn(&SearchIndex) -> anyhow::Result<T>,
) -> anyhow::Result<(Library, T)> {
    let mut source = Source::new(ctx, true)?;
    let once = |source: &mut Source| {
        let index = open_synced(ctx, source, Check::Full)?;
        let found = ask(&index)?;
        Ok((index, found))
    };
    let (index, found) = rebuilt_if_corrupt(ctx, &mut source, once)?;
    index.finish()?;
    let Some(library) = source.library.take() else {
        anyhow::bail!("the library was not loaded");
    };
    Ok((library, found))
}

fn json_hit(hit: &Hit, body: &str, query: &ParsedQuery, ctx: &Context) -> JsonHit {
    JsonHit {
        hidden: false,
        id: sanitize_line(&hit.id),
        title: sanitize_line(&hit.title),
        category: hit.category.as_deref().map(sanitize_line),
        path: shown_path(&hit.path, &ctx.library_inputs),
        score: hit.score,
        snippet: search::snippet(body, query, SNIPPET_WIDTH),
    }
}

/// An indexed file's path as `list` prints it: relative to the library root
/// it was found under (the first input holding it, as in the walk), made
/// safe to print. The index knows a file by its absolute path.
pub(super) fn shown_path(key: &str, inputs: &[std::path::PathBuf]) -> String {
    let rel = if inputs.is_empty() {
        key.strip_prefix(bundled::ROOT)
            .map(|rel| rel.trim_start_matches('/'))
    } else {
        inputs.iter().find_map(|input| relative_to(key, input))
    };
    sanitize_line(rel.unwrap_or(key))
}

/// `key` relative to the library input `input`: below a folder, or the
/// file's name when the input is the file itself.
fn relative_to<'a>(key: &'a str, input: &Path) -> Option<&'a str> {
    let root = search::path_key(input);
    if input.is_dir() {
        let root = match root.trim_end_matches('/') {
            "" => "/",
            trimmed => trimmed,
        };
        let rest = key.strip_prefix(root)?;
        let rest = if root == "/" {
            rest
        } else {
            rest.strip_prefix('/')?
        };
        (!rest.is_empty()).then_some(rest)
    } else {
        (key == root).then(|| key.rsplit('/').next().unwrap_or(key))
    }
}

/// How many times the hits are checked and the query run again, when a
/// hit's file changed: each round re-indexes what it found.
const VERIFY_ROUNDS: usize = 3;

fn search_once(
    ctx: &Context,
    source: &mut Source,
    check: Check,
    query: &ParsedQuery,
    limit: usize,
    marks: &dyn Marks,
) -> anyhow::Result<(SearchIndex, search::Results)> {
    let index = open_synced(ctx, source, check)?;
    let mut results = index.search(query, limit, marks)?;
    let verify = check == Check::Folders && index.is_writable() && !ctx.library_inputs.is_empty();
    for _ in 0..if verify { VERIFY_ROUNDS } else { 0 } {
        let options = ctx.load_options();
        let (summary, failed) =
            fresh::verify_hits(&index, &results.hits, &ctx.library_inputs, &options)?;
        report_skipped(&failed);
        if summary.is_empty() {
            break;
        }
        eprintln!("tidings: {}", Notice::Updated(summary));
        results = index.search(query, limit, marks)?;
    }
    Ok((index, results))
}

/// Open the library's index and bring it up to date as `check` asks (an
/// index just created is always built from the whole library), reporting
/// what happened on stderr.
pub(super) fn open_synced(
    ctx: &Context,
    source: &mut Source,
    check: Check,
) -> anyhow::Result<SearchIndex> {
    let (index, notices) = SearchIndex::open(&ctx.cache_dir, &source.key, WAIT_FOR_WRITER)?;
    for n in &notices {
        eprintln!("tidings: {n}");
    }
    let fresh = notices
        .iter()
        .any(|n| matches!(n, Notice::Created | Notice::Rebuilt(_)));
    let on_disk = !ctx.library_inputs.is_empty();
    if !index.is_writable() || (check == Check::Cached && !fresh) {
        return Ok(index);
    }
    if check == Check::Folders
        && on_disk
        && !fresh
        && let Some(stamps) = index.folder_stamps()
        && stamps.settings == fresh::settings(&ctx.load_options())
        && let fresh::Checked::Done(summary, failed) =
            fresh::by_folder(&index, &stamps, &ctx.library_inputs, &ctx.load_options())?
    {
        report_skipped(&failed);
        if !summary.is_empty() {
            eprintln!("tidings: {}", Notice::Updated(summary));
        }
        return Ok(index);
    }
    // The folders' times are taken before the files are listed: a change
    // after that shows at the next check.
    let folders = on_disk
        .then(|| fresh::walk_folders(&ctx.library_inputs, &ctx.load_options()))
        .flatten();
    sync_all(source, ctx, &index, &notices)?;
    if let Some(folders) = folders {
        fresh::stamp_all(&index, folders, &ctx.load_options())?;
    }
    Ok(index)
}

/// The full check: every file of the library as `list` loads it.
fn sync_all(
    source: &mut Source,
    ctx: &Context,
    index: &SearchIndex,
    notices: &[Notice],
) -> anyhow::Result<()> {
    if !source.walked() {
        *source = Source::new(ctx, true)?;
    }
    let plan = index.plan(&source.files)?;
    if plan.index.len() >= ANNOUNCE_AT {
        eprintln!("tidings: indexing {} articles", plan.index.len());
    }
    let failed = Mutex::new(Vec::new());
    let summary = index.apply(&source.files, &plan, |i| source.load(i, &failed), |_| {})?;
    let failed = failed.into_inner().unwrap_or_else(|p| p.into_inner());
    report_skipped(&failed);
    if !summary.is_empty() && !notices.iter().any(|n| matches!(n, Notice::Created)) {
        eprintln!("tidings: {}", Notice::Updated(summary));
    }
    Ok(())
}

fn report_skipped(skipped: &[Skipped]) {
    for s in skipped {
        eprintln!("tidings: skipped {s}");
    }
}

/// The library as the reconcile needs it: its articles' files with their
/// size and mtime, and a way to read any of them. Loaded as every command
/// loads it (through the load cache, which only `stat`s unchanged files),
/// so the index holds what `list` lists: no file over the size cap, no
/// project file, and one file per story.
pub(super) struct Source {
    pub(super) key: String,
    files: Vec<FileState>,
    /// The library, when it was looked at (else `files` is empty).
    library: Option<Library>,
}

impl Source {
    /// The library; on disk, loaded only when `walk` is set.
    pub(super) fn new(ctx: &Context, walk: bool) -> anyhow::Result<Self> {
        if !walk && !ctx.library_inputs.is_empty() {
            return Ok(Self {
                key: location::inputs_key(&ctx.library_inputs),
                files: Vec::new(),
                library: None,
            });
        }
        let library = ctx.load_library()?;
        let files = library
            .articles()
            .iter()
            .map(|m| FileState::new(&m.path, m.size, m.mtime))
            .collect();
        Ok(Self {
            key: location::library_key(&library),
            files,
            library: Some(library),
        })
    }

    fn walked(&self) -> bool {
        self.library.is_some()
    }

    /// The library, when it was walked.
    pub(super) fn library(&self) -> Option<&Library> {
        self.library.as_ref()
    }

    /// Read and parse `files[i]`; failures are collected in `failed`.
    fn load(&self, i: usize, failed: &Mutex<Vec<Skipped>>) -> Option<Article> {
        let library = self.library.as_ref()?;
        let meta = &library.articles()[i];
        library
            .article(meta)
            .map_err(|e| {
                let reason = match e {
                    LibraryError::Unreadable(_, reason) => reason,
                    _ => SkipReason::Vanished,
                };
                let skipped = Skipped {
                    path: meta.path.clone(),
                    reason,
                };
                failed
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(skipped)
            })
            .ok()
    }

    /// An indexed article's body as one text, for snippets.
    fn body(&self, key: &str, ctx: &Context) -> Option<String> {
        let bundled = ctx.library_inputs.is_empty();
        let bytes = match key.strip_prefix(bundled::ROOT) {
            Some(rel) if bundled => bundled::get(rel.trim_start_matches('/'))?.to_vec(),
            _ => library::read_capped(Path::new(key), ctx.load_options().max_file_size).ok()?,
        };
        let parsed = library::parse_bytes(&bytes, crate::article::Format::of(key)).ok()?;
        Some(parsed.paragraphs.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn shown_paths_are_relative_to_the_input_holding_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let lib = dir.path().join("lib");
        std::fs::create_dir_all(lib.join("news")).unwrap();
        std::fs::write(lib.join("news/a.txt"), "A\n\nx").unwrap();
        std::fs::write(lib.join("b\u{9b}.txt"), "B\n\nx").unwrap();
        let key = |p: &Path| search::path_key(p);
        let a = key(&lib.join("news/a.txt"));
        let b = key(&lib.join("b\u{9b}.txt"));
        let inputs = [lib.clone()];
        assert_eq!(shown_path(&a, &inputs), "news/a.txt");
        assert_eq!(shown_path(&b, &inputs), "b.txt");
        // Named with a trailing slash, and by the file itself.
        let slash = [PathBuf::from(format!("{}/", lib.display()))];
        assert_eq!(shown_path(&a, &slash), "news/a.txt");
        assert_eq!(shown_path(&a, &[lib.join("news/a.txt")]), "a.txt");
        // The first input holding it, as the walk found it.
        assert_eq!(shown_path(&a, &[lib.join("news"), lib.clone()]), "a.txt");
        // The bundled library.
        assert_eq!(shown_path("<bundled>/tech/x.txt", &[]), "tech/x.txt");
    }
}
