//! `tidings list`

use super::Context;
use crate::article::ArticleMeta;
use serde::Serialize;
use std::io::Write;

/// One article as `list --json` prints it.
#[derive(Debug, Serialize)]
pub struct ListEntry<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub kicker: Option<&'a str>,
    pub category: Option<&'a str>,
    pub path: String,
    pub words: usize,
    pub minutes: usize,
    pub bookmarked: bool,
    pub read: bool,
}

impl<'a> ListEntry<'a> {
    pub fn new(meta: &'a ArticleMeta, bookmarked: bool, read: bool) -> Self {
        Self {
            id: &meta.id,
            title: &meta.title,
            kicker: meta.kicker.as_deref(),
            category: meta.category.as_deref(),
            path: crate::library::display_path(&meta.path),
            words: meta.words,
            minutes: meta.reading_minutes(),
            bookmarked,
            read,
        }
    }
}

pub fn run(ctx: &Context, json: bool, out: &mut impl Write) -> anyhow::Result<()> {
    let library = ctx.load_library()?;
    if json {
        let entries: Vec<ListEntry> = library
            .articles
            .iter()
            .map(|a| ListEntry::new(a, false, false))
            .collect();
        serde_json::to_writer_pretty(&mut *out, &entries)?;
        writeln!(out)?;
    } else {
        for a in &library.articles {
            writeln!(
                out,
                "{}\t{}\t{}",
                a.id,
                a.category.as_deref().unwrap_or(""),
                a.title
            )?;
        }
    }
    Ok(())
}
