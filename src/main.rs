//! The `tidings` binary: parse the command line, run, map errors to exit
//! codes (0 success, 1 a real error with a one-line message, 2 usage).

use clap::Parser;
use std::process::ExitCode;
use tidings::cli::{self, Cli, Context};

fn main() -> ExitCode {
    let args = Cli::parse();
    match run(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!(
                "tidings: {}",
                tidings::article::sanitize::sanitize_line(&format!("{e:#}"))
            );
            ExitCode::from(1)
        }
    }
}

fn run(args: &Cli) -> anyhow::Result<ExitCode> {
    let ctx = Context::new(&args.global)?;
    match &args.command {
        Some(command) => cli::run(&ctx, command).map(|()| ExitCode::SUCCESS),
        None => tidings::app::launch(&ctx, args.global.no_color),
    }
}
