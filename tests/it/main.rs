//! One integration-test binary, a module per area.

mod app;
mod app_props;
mod app_screens;
mod app_search;
mod bookmarks;
mod cli;
mod common;
mod finder;
mod hostile;
mod load_cache;
mod parser;
mod props;
mod pty;
mod search;
mod search_index;
mod store;
