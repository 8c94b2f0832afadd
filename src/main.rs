//! The `tidings` binary: parse the command line, run, map errors to exit
//! codes (0 success, 1 a real error with a one-line message, 2 usage).

use clap::Parser;
use std::process::ExitCode;
use tidings::cli::{self, Cli, Context};
use tidings::{config, tui};

/// mimalloc: faster than the system allocator for the many small strings of
/// a large library, and it hands freed memory back instead of keeping it in
/// one arena per thread, which keeps peak memory down while the loader and
/// the indexer work in parallel.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `purge_delay` option (its place in `mi_option_t`, which the
/// bindings do not name): how long freed memory is kept before it goes back
/// to the system, 1,000 ms by default in mimalloc 3 (10 ms in mimalloc 2).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Give freed memory back at once: the loader and the indexer free a lot
/// in bursts, and keeping it for later raises peak memory by a quarter.
fn return_freed_memory_at_once() {
    // SAFETY: reading and setting an allocator option; no memory is passed.
    unsafe {
        // Only when the option is where it is expected (holding a default).
        if matches!(
            libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY),
            10 | 1000
        ) {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
        }
    }
}

fn main() -> ExitCode {
    return_freed_memory_at_once();
    let args = Cli::parse();
    match run(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!(
                "tidings: {}",
                tidings::article::sanitize::sanitize_line(&format!("{e:#}"))
            );
            // Naming no story of the library (`related`) is a usage error.
            let usage = e.is::<cli::related::NoSuchStory>();
            ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}

fn run(args: &Cli) -> anyhow::Result<ExitCode> {
    // Before the config is read: these work while it is broken.
    if let Some(done) = args.command.as_ref().and_then(cli::run_standalone) {
        return done.map(|()| ExitCode::SUCCESS);
    }
    if let Some(cli::Command::Config { json, .. }) = &args.command {
        return cli::run_config(&args.global, *json).map(|()| ExitCode::SUCCESS);
    }
    let ctx = Context::new(&args.global)?;
    match &args.command {
        Some(command) => cli::run(&ctx, command).map(|()| ExitCode::SUCCESS),
        None => tui::launch(launch_options(ctx, args.global.no_color)),
    }
}

/// The reader's options, from the resolved command line.
fn launch_options(ctx: Context, no_color: bool) -> tui::Options {
    let news_dir = tidings::feeds::subscriptions::news_dir(&ctx.config, &ctx.data_dir);
    tui::Options {
        subscriptions: tidings::feeds::subscriptions::path_beside(&ctx.config_path),
        news_dir,
        news_in_default: ctx.news_in_default,
        load: ctx.load_options(),
        colour: config::colour_wanted(no_color, std::env::var_os("NO_COLOR").as_deref()),
        library_inputs: ctx.library_inputs,
        data_dir: ctx.data_dir,
        cache_dir: ctx.cache_dir,
        config: ctx.config,
    }
}
