//! One integration-test binary, a module per area.

mod app;
mod app_input;
mod app_loading;
mod app_props;
mod app_screens;
mod app_search;
mod app_store;
mod bookmarks;
mod cli;
mod common;
mod finder;
mod formats_html;
mod hostile;
mod load_cache;
mod parser;
mod props;
mod pty;
mod pty_hostile;
mod pty_input;
mod pty_store;
mod readme;
mod search;
mod search_index;
mod store;
