//! One integration-test binary, a module per area.

mod bookmarks;
mod cli;
mod common;
mod parser;
mod store;
