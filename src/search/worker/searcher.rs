//! The searcher thread: answers the newest query, and snippets for it.

use super::{Asked, Event, Events, Report, Request, Slot, Work, current};
use crate::article::ArticleMeta;
use crate::library::Library;
use crate::search::{self, Marks, ParsedQuery, SearchError, SearchIndex};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};

/// Columns of context kept around the best match for list snippets; the
/// list cuts them down to its own width.
const EXCERPT_WIDTH: usize = 200;

pub(super) struct Searcher {
    slot: Slot,
    bodies: Library,
    events: Events,
    damaged: Sender<Work>,
    /// The last query asked, to run again when the index grows.
    last: Option<Asked>,
}

impl Searcher {
    pub(super) fn new(slot: Slot, bodies: Library, events: Events, damaged: Sender<Work>) -> Self {
        Self {
            slot,
            bodies,
            events,
            damaged,
            last: None,
        }
    }

    pub(super) fn run(mut self, rx: &Receiver<Request>) {
        while let Ok(first) = rx.recv() {
            let (search, excerpts) = self.newest(first, rx);
            if let Some(asked) = search {
                self.last = Some(asked);
                if !self.answer() {
                    return;
                }
            }
            for (query, articles) in excerpts {
                if !self.excerpts(query, &articles) {
                    return;
                }
            }
        }
    }

    /// Everything waiting, reduced to the newest search (or a re-run of the
    /// last one after a commit) and the excerpt requests still current.
    #[allow(clippy::type_complexity)]
    fn newest(
        &self,
        first: Request,
        rx: &Receiver<Request>,
    ) -> (Option<Asked>, Vec<(String, Vec<Arc<ArticleMeta>>)>) {
        let mut search = None;
        let mut excerpts = Vec::new();
        let mut next = Some(first);
        while let Some(request) = next {
            match request {
                Request::Search(asked) => search = Some(asked),
                Request::Refreshed => search = search.or_else(|| self.last.clone()),
                Request::Excerpts { query, articles } => excerpts.push((query, articles)),
            }
            next = rx.try_recv().ok();
        }
        let latest = search
            .as_ref()
            .or(self.last.as_ref())
            .map(|a| a.query.clone());
        excerpts.retain(|(q, _)| Some(q) == latest.as_ref());
        (search, excerpts)
    }

    /// Run the last query; false when the app has gone.
    fn answer(&self) -> bool {
        let Some(Asked {
            query,
            limit,
            marks,
        }) = &self.last
        else {
            return true;
        };
        // Not open yet: the indexer says `Refreshed` once it is.
        let Some(index) = current(&self.slot) else {
            return true;
        };
        if !index.is_writable() {
            let _ = index.refresh();
        }
        match answer(&index, query, *limit, marks) {
            Ok(event) => self.events.deliver(event),
            Err(SearchError::Corrupt(_, why)) => {
                drop(index);
                let _ = self.damaged.send(Work::Damaged(why));
                true
            }
            Err(e) => self
                .events
                .deliver(Event::Indexing(Report::Notice(e.to_string()))),
        }
    }

    /// Send snippets of `articles` for `query`; false when the app has gone.
    fn excerpts(&self, query: String, articles: &[Arc<ArticleMeta>]) -> bool {
        let parsed = search::parse(&query);
        let excerpts = articles
            .iter()
            .map(|meta| (meta.id().to_string(), self.excerpt(meta, &parsed)))
            .collect();
        self.events.deliver(Event::Excerpts { query, excerpts })
    }

    /// The best window of the body (empty when it cannot be read).
    fn excerpt(&self, meta: &ArticleMeta, query: &ParsedQuery) -> String {
        self.bodies
            .article(meta)
            .map(|a| search::snippet(&a.paragraphs.join("\n"), query, EXCERPT_WIDTH))
            .unwrap_or_default()
    }
}

/// One query answered as the searcher answers it: parsed, run, and its
/// ranked ids and total made into the event the app takes in. Public so
/// that `benches/search_latency.rs` times exactly this path.
pub fn answer(
    index: &SearchIndex,
    query: &str,
    limit: usize,
    marks: &dyn Marks,
) -> Result<Event, SearchError> {
    let results = index.search(&search::parse(query), limit, marks)?;
    Ok(Event::SearchResults {
        query: query.to_string(),
        ids: results.hits.into_iter().map(|h| h.id).collect(),
        total: results.total,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{MarkSets, RESULT_LIMIT, body_reader};
    use super::*;
    use std::sync::mpsc::channel;

    fn searcher() -> Searcher {
        let (tx, _) = channel::<Event>();
        let (damaged, _) = channel();
        Searcher {
            slot: Arc::default(),
            bodies: body_reader(&Library::bundled()),
            events: Arc::new(tx),
            damaged,
            last: Some(Asked {
                query: "old".into(),
                limit: RESULT_LIMIT,
                marks: MarkSets::default(),
            }),
        }
    }

    fn search(query: &str) -> Request {
        Request::Search(Asked {
            query: query.into(),
            limit: RESULT_LIMIT,
            marks: MarkSets::default(),
        })
    }

    fn excerpts(query: &str) -> Request {
        Request::Excerpts {
            query: query.into(),
            articles: Vec::new(),
        }
    }

    #[test]
    fn only_the_newest_query_and_its_excerpts_are_kept() {
        let (tx, rx) = channel();
        for r in [
            excerpts("a"),
            search("ab"),
            excerpts("ab"),
            Request::Refreshed,
        ] {
            tx.send(r).unwrap();
        }
        let (search_for, wanted) = searcher().newest(search("a"), &rx);
        assert_eq!(search_for.map(|a| a.query).as_deref(), Some("ab"));
        let queries: Vec<&str> = wanted.iter().map(|(q, _)| q.as_str()).collect();
        assert_eq!(queries, ["ab"]);
    }

    #[test]
    fn a_commit_runs_the_last_query_again() {
        let (_tx, rx) = channel();
        let (search_for, _) = searcher().newest(Request::Refreshed, &rx);
        assert_eq!(search_for.map(|a| a.query).as_deref(), Some("old"));
        let (search_for, wanted) = searcher().newest(excerpts("old"), &rx);
        assert!(search_for.is_none());
        assert_eq!(wanted.len(), 1);
    }
}
