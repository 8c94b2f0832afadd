//! The command line: a stable interface that scripts and tests depend on.

mod bookmarks;
mod config;
mod feeds;
mod fetch;
mod generate;
mod groups;
mod hide;
mod import;
mod list;
pub use list::NoSuchView;
pub mod related;
mod search;
mod show;

use crate::config::Config;
use crate::library::{Library, LoadOptions, SortOrder};
use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Parser)]
#[command(
    name = "tidings",
    version,
    about = "A terminal news reader for a library of articles on disk"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, clap::Args)]
pub struct GlobalArgs {
    // The environment is read in `Context::new`, not by clap: clap takes an
    // empty variable for an empty value (a usage error), where an empty
    // variable means unset.
    /// Article file or folder (repeatable) [env: TIDINGS_LIBRARY, ':'-separated]
    #[arg(
        short,
        long = "library",
        value_name = "PATH",
        global = true,
        value_delimiter = ':'
    )]
    pub library: Vec<PathBuf>,
    /// Bookmarks and reading state [env: TIDINGS_DATA_DIR] [default: <data dir>/tidings]
    #[arg(long, value_name = "DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Indexes and caches [env: TIDINGS_CACHE_DIR] [default: <cache dir>/tidings]
    #[arg(long, value_name = "DIR", global = true)]
    pub cache_dir: Option<PathBuf>,
    /// Configuration file [env: TIDINGS_CONFIG] [default: <config dir>/tidings/config.toml]
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
    /// No colours in the reader (as does a non-empty NO_COLOR)
    #[arg(long, global = true)]
    pub no_color: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// One line per article: id, category, title (tab-separated)
    List {
        /// A JSON array of objects instead
        #[arg(long)]
        json: bool,
        /// newest (first; undated articles last, in library order), oldest,
        /// title or library (by path) [default: newest; a view of stories
        /// left part-way: the most recently read first]
        #[arg(long, value_parser = parse_sort)]
        sort: Option<SortOrder>,
        /// Only the articles matching this search (the reader's query
        /// language, as `search` takes it), still in the list's order
        #[arg(
            long,
            value_name = "QUERY",
            value_parser = parse_query,
            allow_hyphen_values = true
        )]
        query: Option<String>,
        /// Only the articles of this saved view (a [[view]] of the config,
        /// by name, case ignored), as the reader lists it; with --query,
        /// the search within the view
        #[arg(long, value_name = "NAME")]
        view: Option<String>,
        /// Hidden stories too (hide rules, `d` in the reader); `--json`
        /// marks them "hidden": true
        #[arg(long)]
        hidden: bool,
    },
    /// Near-duplicate groups (the same story retitled or lightly edited):
    /// a block per group, its members newest first (id, path, title)
    Groups {
        /// A JSON array of {group, members: [{id, path, title, date}]} instead
        #[arg(long)]
        json: bool,
    },
    /// Print an article, cleaned and wrapped
    Show {
        /// An id (any unique prefix of 4 or more characters) or a path
        #[arg(value_name = "ID|PATH")]
        target: std::ffi::OsString,
        /// A JSON object with the paragraphs instead
        #[arg(long)]
        json: bool,
        /// The file as stored, nothing removed
        #[arg(long)]
        raw: bool,
        /// Wrap at this many columns
        #[arg(long, default_value_t = 80, value_parser = clap::value_parser!(u16).range(1..))]
        width: u16,
    },
    /// List bookmarks (id, path, title); add, remove, export a reading list
    Bookmarks {
        /// A JSON array of objects instead
        #[arg(long)]
        json: bool,
        #[command(subcommand)]
        action: Option<bookmarks::BookmarksCommand>,
    },
    /// Full-text search, best first: id, score, title (tab-separated)
    Search {
        /// The query: words, "a phrase", -exclude, a OR b, title:, category:, is:
        /// (give `--` first when the query starts with `-`)
        #[arg(value_name = "QUERY", required = true, num_args = 1..)]
        query: Vec<String>,
        /// A JSON array of objects (id, title, category, path, score, snippet) instead
        #[arg(long)]
        json: bool,
        /// Print at most this many results
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Search the index as it is, without checking the files for changes
        #[arg(long, conflicts_with = "fresh")]
        cached: bool,
        /// Check every file for changes (a walk and a stat per file), not only
        /// the folders that changed and the files of the hits
        #[arg(long)]
        fresh: bool,
        /// Hidden stories too (hide rules, `d` in the reader); `--json`
        /// marks them "hidden": true
        #[arg(long)]
        hidden: bool,
    },
    /// The stories most like one story, best first: score, id, title, path (tab-separated)
    Related {
        /// An id (any unique prefix of 4 or more characters) or a path
        #[arg(value_name = "ID|PATH")]
        target: std::ffi::OsString,
        /// Print at most this many stories
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// A JSON array of objects (id, title, path, score, near_duplicate) instead
        #[arg(long)]
        json: bool,
        /// Hidden stories too (hide rules, `d` in the reader); `--json`
        /// marks them "hidden": true
        #[arg(long)]
        hidden: bool,
    },
    /// Subscriptions: list (the default), add, remove, import and export OPML
    Feeds {
        #[command(subcommand)]
        action: Option<feeds::FeedsCommand>,
    },
    /// Fetch every subscribed feed (or the named ones) into the news folder
    Fetch {
        /// Feeds to fetch, by name or URL (default: all)
        #[arg(value_name = "NAME")]
        names: Vec<String>,
        /// The reports as a JSON array instead of a line per feed
        #[arg(long)]
        json: bool,
        /// Fetch feeds still waiting after earlier failures too
        #[arg(long)]
        force: bool,
        /// Keep each new item's article from its web page, for every feed
        /// (a feed added with --full-text always does)
        #[arg(long)]
        full_text: bool,
    },
    /// Turn collections (RSS, Atom or JSON Feed files, JSON arrays, JSON
    /// Lines) into library files, one Markdown file per article
    Import {
        /// Files to import
        #[arg(value_name = "FILE", required = true, num_args = 1..)]
        files: Vec<PathBuf>,
        /// Write into this folder (default: <news folder>/imported/<file name>)
        #[arg(long, value_name = "DIR")]
        into: Option<PathBuf>,
        /// The report as a JSON object instead of a summary line
        #[arg(long)]
        json: bool,
    },
    /// The paths in use (config file, data, cache, library, news folder)
    Config {
        /// A JSON object instead
        #[arg(long)]
        json: bool,
        /// Print the default configuration instead, to start a config file from
        #[arg(long, conflicts_with = "json")]
        default: bool,
    },
    /// A completion script for a shell, on stdout
    Completions {
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// The man page (roff), on stdout; with --dir, a page per command
    /// written into DIR (tidings.1, tidings-list.1, ...)
    Man {
        /// Write every page into this folder (made if missing)
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// What every command starts from: the resolved locations and settings.
#[derive(Debug, Clone)]
pub struct Context {
    pub library_inputs: Vec<PathBuf>,
    pub data_dir: PathBuf,
    pub cache_dir: PathBuf,
    pub config_path: PathBuf,
    pub config: Config,
    /// The library is the default one and feeds are subscribed: the news
    /// folder belongs to it, even before it exists.
    pub news_in_default: bool,
}

/// A location from the command line, else from the environment variable
/// `name`; an empty variable is unset.
fn arg_or_env(arg: &Option<PathBuf>, name: &str) -> Option<PathBuf> {
    arg.clone().or_else(|| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    })
}

/// The library paths in a `:`-separated list (`TIDINGS_LIBRARY`), skipping
/// empty parts: `/a:` and `/a::/b` name one and two folders.
pub fn split_paths(list: &std::ffi::OsStr) -> Vec<PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    list.as_bytes()
        .split(|&b| b == b':')
        .filter(|part| !part.is_empty())
        .map(|part| PathBuf::from(std::ffi::OsStr::from_bytes(part)))
        .collect()
}

impl Context {
    pub fn new(global: &GlobalArgs) -> anyhow::Result<Self> {
        match Self::lenient(global) {
            (ctx, None) => Ok(ctx),
            (_, Some(problem)) => Err(problem.into()),
        }
    }

    /// The context even when the config file cannot be used, with the
    /// defaults in its place and why beside it: `tidings config` shows the
    /// paths most of all when something is wrong with them.
    pub fn lenient(global: &GlobalArgs) -> (Self, Option<crate::config::ConfigError>) {
        let config_arg = arg_or_env(&global.config, "TIDINGS_CONFIG");
        let config_path = config_arg.clone().unwrap_or_else(|| {
            dirs::config_dir()
                .unwrap_or_else(|| PathBuf::from("."))
                .join("tidings")
                .join("config.toml")
        });
        let (config, problem) = match Config::load(&config_path, config_arg.is_some()) {
            Ok(config) => (config, None),
            Err(e) => (Config::default(), Some(e)),
        };
        let mut given: Vec<PathBuf> = global
            .library
            .iter()
            .filter(|p| !p.as_os_str().is_empty())
            .cloned()
            .collect();
        if given.is_empty()
            && let Some(list) = std::env::var_os("TIDINGS_LIBRARY")
        {
            given = split_paths(&list);
        }
        let home = |d: Option<PathBuf>| d.unwrap_or_else(|| PathBuf::from(".")).join("tidings");
        let data_dir = arg_or_env(&global.data_dir, "TIDINGS_DATA_DIR")
            .unwrap_or_else(|| home(dirs::data_dir()));
        let news_in_default = given.is_empty() && has_feeds(&config_path);
        let library_inputs = if !given.is_empty() {
            given
        } else {
            default_library(&config, &config_path, &data_dir)
        };
        let ctx = Self {
            library_inputs,
            data_dir,
            cache_dir: arg_or_env(&global.cache_dir, "TIDINGS_CACHE_DIR")
                .unwrap_or_else(|| home(dirs::cache_dir())),
            config_path,
            config,
            news_in_default,
        };
        (ctx, problem)
    }

    pub fn load_options(&self) -> LoadOptions {
        let mut options = LoadOptions::default();
        if let Some(mib) = self.config.max_file_size_mib {
            options.max_file_size = mib.saturating_mul(1 << 20);
        }
        if let Some(ignore) = self.config.ignore_project_files {
            options.project_files = !ignore;
        }
        options
    }

    /// Load the library (the bundled one when no inputs are configured),
    /// through the load cache, and report skipped files and notices on
    /// stderr.
    pub fn load_library(&self) -> anyhow::Result<Library> {
        let library = if self.library_inputs.is_empty() {
            Library::bundled()
        } else {
            Library::load_with_cache(
                &self.library_inputs,
                self.load_options(),
                Some(self.cache_dir.clone()),
            )?
        };
        report_skipped(&library);
        Ok(library)
    }
}

/// The library when none is named on the command line or in
/// `TIDINGS_LIBRARY`: what `library` in the config names, else `./articles`
/// when there is one; and, once a feed is subscribed to or anything was
/// imported into it, the news folder beside them, so fetched and imported
/// items are read without flags. The news folder
/// alone replaces the bundled sample articles (a user with feeds wants
/// their news, not the samples).
fn default_library(config: &Config, config_path: &Path, data_dir: &Path) -> Vec<PathBuf> {
    let mut inputs = if !config.library.is_empty() {
        config.library.clone()
    } else if Path::new("articles").is_dir() {
        vec![PathBuf::from("articles")]
    } else {
        Vec::new()
    };
    let news = crate::feeds::subscriptions::news_dir(config, data_dir);
    let inside_another = inputs.iter().any(|input| news.starts_with(input));
    if (has_feeds(config_path) || has_imports(&news)) && news.is_dir() && !inside_another {
        inputs.push(news);
    }
    inputs
}

/// Whether `feeds.toml` lists a feed. A file that cannot be read counts
/// as having some: its feeds were subscribed to, and their items should
/// stay visible while the file is being fixed.
fn has_feeds(config_path: &Path) -> bool {
    use crate::feeds::subscriptions::{Subscriptions, path_beside};
    match Subscriptions::load(&path_beside(config_path)) {
        Ok(subs) => !subs.is_empty(),
        Err(_) => true,
    }
}

/// Whether `tidings import` wrote into the news folder (its `imported`
/// folder holds anything).
fn has_imports(news: &Path) -> bool {
    std::fs::read_dir(news.join("imported")).is_ok_and(|mut entries| entries.next().is_some())
}

/// Skips are warnings: one line each on stderr, and a count.
pub fn report_skipped(library: &Library) {
    let mut err = std::io::stderr().lock();
    for notice in library.notices() {
        let _ = writeln!(
            err,
            "tidings: {}",
            crate::article::sanitize::sanitize_line(notice)
        );
    }
    if library.skipped().is_empty() {
        return;
    }
    for s in library.skipped() {
        let _ = writeln!(err, "tidings: skipped {s}");
    }
    let n = library.skipped().len();
    let _ = writeln!(
        err,
        "tidings: {n} file{} skipped",
        if n == 1 { "" } else { "s" }
    );
}

/// Run a non-interactive command.
pub fn run(ctx: &Context, command: &Command) -> anyhow::Result<()> {
    if let Some(done) = run_standalone(command) {
        return done;
    }
    let mut out = std::io::stdout().lock();
    let result = match command {
        Command::List {
            json,
            sort,
            query,
            view,
            hidden,
        } => {
            let selection = list::Selection {
                view: view.as_deref(),
                query: query.as_deref(),
            };
            let opts = list::Options {
                json: *json,
                sort: *sort,
                hidden: *hidden,
            };
            list::run(ctx, opts, selection, &mut out)
        }
        Command::Groups { json } => groups::run(ctx, *json, &mut out),
        Command::Show {
            target,
            json,
            raw,
            width,
        } => show::run(ctx, target, *json, *raw, *width as usize, &mut out),
        Command::Bookmarks { json, action } => {
            bookmarks::run(ctx, *json, action.as_ref(), &mut out)
        }
        Command::Search {
            query,
            json,
            limit,
            cached,
            fresh,
            hidden,
        } => {
            let opts = search::Options {
                json: *json,
                limit: *limit,
                cached: *cached,
                fresh: *fresh,
                hidden: *hidden,
            };
            search::run(ctx, &query.join(" "), opts, &mut out)
        }
        Command::Related {
            target,
            limit,
            json,
            hidden,
        } => {
            let opts = related::Options {
                limit: *limit,
                json: *json,
                hidden: *hidden,
            };
            related::run(ctx, target, opts, &mut out)
        }
        Command::Feeds { action } => feeds::run(ctx, action.as_ref(), &mut out),
        Command::Fetch {
            names,
            json,
            force,
            full_text,
        } => fetch::run(ctx, names, *json, (*force, *full_text), &mut out),
        Command::Import { files, into, json } => {
            import::run(ctx, files, into.as_deref(), *json, &mut out)
        }
        Command::Config { json, .. } => config::run(ctx, *json, None, &mut out),
        // Run above.
        Command::Completions { .. } | Command::Man { .. } => Ok(()),
    };
    quiet_broken_pipe(result)
}

/// `tidings config`: the paths, resolved even when the config file cannot
/// be used (then printed with what is wrong, and an error).
pub fn run_config(global: &GlobalArgs, json: bool) -> anyhow::Result<()> {
    let (ctx, problem) = Context::lenient(global);
    let mut out = std::io::stdout().lock();
    quiet_broken_pipe(config::run(&ctx, json, problem.as_ref(), &mut out))
}

/// Run a command that needs nothing resolved, `None` for the others. These
/// run before the config file is read, so they work while it is broken:
/// `tidings config --default` is how to start it again.
pub fn run_standalone(command: &Command) -> Option<anyhow::Result<()>> {
    let mut out = std::io::stdout().lock();
    let result = match command {
        Command::Config { default: true, .. } => config::print_default(&mut out),
        Command::Completions { shell } => generate::completions(*shell, &mut out),
        Command::Man { dir: None } => generate::man(&mut out),
        Command::Man { dir: Some(dir) } => generate::man_pages(dir, &mut out),
        _ => return None,
    };
    Some(quiet_broken_pipe(result))
}

/// A closed pipe (`tidings list | head`) is not an error.
fn quiet_broken_pipe(result: anyhow::Result<()>) -> anyhow::Result<()> {
    match result {
        Err(e) if is_broken_pipe(&e) => Ok(()),
        other => other,
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<std::io::Error>()
        .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}

/// `--query`: checked while the command line is parsed, so a query the
/// parser had to reinterpret is a usage error with the parser's message.
fn parse_query(query: &str) -> Result<String, String> {
    match crate::search::parse(query).note {
        Some(note) => Err(note),
        None => Ok(query.to_string()),
    }
}

/// `--sort` by name.
fn parse_sort(name: &str) -> Result<SortOrder, String> {
    SortOrder::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = SortOrder::ALL.iter().map(|s| s.name()).collect();
        format!("one of: {}", names.join(", "))
    })
}
