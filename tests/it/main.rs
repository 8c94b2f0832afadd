//! One integration-test binary, a module per area.

mod cli;
mod common;
mod hostile;
mod parser;
mod props;
