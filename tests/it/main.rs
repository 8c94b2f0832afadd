//! One integration-test binary, a module per area.

mod bookmarks;
mod cli;
mod common;
mod load_cache;
mod parser;
mod store;
