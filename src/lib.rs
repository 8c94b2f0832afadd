//! tidings: a terminal news reader for a library of articles on disk.
//!
//! Data flows one way: files on disk -> [`library`] (discover, read, parse,
//! sanitise) -> [`article::ArticleMeta`]s -> the app; the command line in
//! [`cli`] drives the same pieces without a terminal.

pub mod action;
pub mod app;
pub mod article;
pub mod cli;
pub mod config;
pub mod keymap;
pub mod layout;
pub mod library;
pub mod search;
pub mod store;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod tui;
pub mod ui;
