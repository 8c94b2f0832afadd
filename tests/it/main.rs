//! One integration-test binary, a module per area.

mod cli;
mod common;
mod parser;
mod search;
mod search_index;
