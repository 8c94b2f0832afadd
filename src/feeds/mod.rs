//! Feeds: subscriptions, fetching them, and writing their items into the
//! library as Markdown files.
//!
//! Subscriptions ([`subscriptions`], [`opml`]) are a plain TOML file in the
//! config dir; what fetching knows between runs ([`state`]) lives in the
//! data dir; items become files under the news folder ([`write`]), which
//! the library reads like any other folder. Everything from the network is
//! untrusted: capped, timed out, sanitised, and never allowed to name a
//! path outside its folder.

pub mod fetch;
pub mod fulltext;
pub mod http;
pub mod import;
pub mod markdown;
pub mod moves;
pub mod opml;
pub mod parse;
pub mod state;
pub mod subscriptions;
pub mod write;
