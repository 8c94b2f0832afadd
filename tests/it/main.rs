//! One integration-test binary, a module per area.

mod app;
mod app_props;
mod app_screens;
mod cli;
mod common;
mod parser;
mod pty;
