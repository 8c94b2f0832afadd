//! One integration-test binary, a module per area.

mod bookmarks;
mod cli;
mod common;
mod hostile;
mod load_cache;
mod parser;
mod props;
mod search;
mod search_index;
mod store;
