//! Bodies are read outside the app. The app says which story's text it
//! needs ([`App::wants_body`]); the runtime reads the file and hands the
//! result back through [`App::apply`] ([`Event::Body`], [`Event::Raw`])
//! before it draws, so the reader shows the story on the frame the user
//! opened it, and `update` itself never touches the disk.

use super::reader::Reader;
use super::{App, Event};
use crate::article::{Article, ArticleMeta};
use std::sync::Arc;

/// A file the app needs read.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyRequest {
    /// The story at `index` in the library, parsed, for the reader.
    Article {
        index: usize,
        meta: Arc<ArticleMeta>,
    },
    /// The same story's file as it is on disk, for the raw view.
    Raw {
        index: usize,
        meta: Arc<ArticleMeta>,
    },
}

/// Read what the app asks for and hand it back, until it asks for nothing.
/// The runtime calls this after every change and before drawing; tests that
/// drive the app call it too. A story's body, then its raw text when the
/// raw view was asked for, is all one change can need, so two rounds are
/// enough, and an answer the app would not take can never loop.
pub fn serve_reads(app: &mut App) {
    for _ in 0..2 {
        let Some(request) = app.wants_body() else {
            return;
        };
        let library = app.library();
        let event = match request {
            BodyRequest::Article { index, meta } => Event::Body {
                index,
                body: library.article(&meta).map_err(|e| e.to_string()),
            },
            BodyRequest::Raw { index, meta } => Event::Raw {
                index,
                text: library.raw_text(&meta).map_err(|e| e.to_string()),
            },
        };
        app.apply(event);
    }
}

impl App {
    /// The file to read next, if the reader is waiting for one: the
    /// selected story's body when the reader pane is on screen without it,
    /// then its raw text when the raw view was asked for.
    pub fn wants_body(&self) -> Option<BodyRequest> {
        let index = self.selected_index()?;
        let meta = self.library.articles()[index].clone();
        match &self.reader {
            _ if !self.reader_shown() => None,
            Some(reader) if reader.index == index => (self.raw_wanted == Some(index)
                && !reader.showing_raw())
            .then_some(BodyRequest::Raw { index, meta }),
            _ => Some(BodyRequest::Article { index, meta }),
        }
    }

    /// The body of the story at `index`, or why it could not be read: the
    /// reader opens it at the paragraph it was left at. Ignored unless
    /// that story is still the one waiting.
    pub(super) fn take_body(&mut self, index: usize, body: Result<Article, String>) {
        if self.selected_index() != Some(index) || !self.reader_shown() {
            return;
        }
        let meta = &self.library.articles()[index];
        self.reader = Some(match body {
            Ok(article) => {
                let mut reader = Reader::new(index, &article, self.now);
                reader.resume_at(self.positions.get(meta.id()).unwrap_or(0));
                reader
            }
            Err(why) => {
                let reader = Reader::unreadable(index, meta, &why, self.now);
                self.message(&why, true);
                reader
            }
        });
        self.sync();
    }

    /// The raw text of the story at `index`, for the raw view.
    pub(super) fn take_raw(&mut self, index: usize, text: Result<String, String>) {
        if self.raw_wanted.take() != Some(index) {
            return;
        }
        let Some(reader) = self.reader.as_mut().filter(|r| r.index == index) else {
            return;
        };
        match text {
            Ok(raw) => reader.show_raw(&raw),
            Err(why) => self.message(&why, true),
        }
        self.sync();
    }
}
