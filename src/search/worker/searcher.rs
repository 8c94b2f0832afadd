//! The searcher thread: answers the newest query, and snippets for it.

use super::{Asked, Event, Events, Like, Report, Request, Slot, Work, current};
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
    /// The last "more like this" asked, to run again when the index grows
    /// (its answer fills in while indexing, as a search's does).
    last_like: Option<Like>,
}

/// What is waiting, reduced to what is still worth doing.
#[derive(Debug, Default)]
struct Pending {
    search: Option<Asked>,
    excerpts: Vec<(String, Vec<Arc<ArticleMeta>>)>,
    like: Option<Like>,
}

impl Searcher {
    pub(super) fn new(slot: Slot, bodies: Library, events: Events, damaged: Sender<Work>) -> Self {
        Self {
            slot,
            bodies,
            events,
            damaged,
            last: None,
            last_like: None,
        }
    }

    pub(super) fn run(mut self, rx: &Receiver<Request>) {
        while let Ok(first) = rx.recv() {
            let pending = self.newest(first, rx);
            if let Some(asked) = pending.search {
                self.last = Some(asked);
                if !self.answer() {
                    return;
                }
            }
            if let Some(like) = pending.like {
                self.last_like = Some(like);
                if !self.answer_like() {
                    return;
                }
            }
            for (query, articles) in pending.excerpts {
                if !self.excerpts(query, &articles) {
                    return;
                }
            }
        }
    }

    /// Everything waiting, reduced to the newest search and "more like
    /// this" (or re-runs of the last ones after a commit) and the excerpt
    /// requests still current.
    fn newest(&self, first: Request, rx: &Receiver<Request>) -> Pending {
        let mut pending = Pending::default();
        let mut next = Some(first);
        while let Some(request) = next {
            match request {
                Request::Search(asked) => pending.search = Some(asked),
                Request::Related(like) => pending.like = Some(like),
                Request::Refreshed => {
                    pending.search = pending.search.or_else(|| self.last.clone());
                    pending.like = pending.like.or_else(|| self.last_like.clone());
                }
                Request::Excerpts { query, articles } => pending.excerpts.push((query, articles)),
            }
            next = rx.try_recv().ok();
        }
        let latest = (pending.search.as_ref())
            .or(self.last.as_ref())
            .map(|a| a.query.clone());
        pending.excerpts.retain(|(q, _)| Some(q) == latest.as_ref());
        pending
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
        let answered = answer(&index, query, *limit, marks);
        drop(index);
        match answered {
            // Said as this query's failure, so the list does not wait on.
            Err(e) if !matches!(e, SearchError::Corrupt(..)) => {
                self.events.deliver(Event::SearchFailed {
                    query: query.clone(),
                    why: e.to_string(),
                })
            }
            answered => self.deliver(answered),
        }
    }

    /// Send an answer to the app; a damaged index goes to the indexer to be
    /// rebuilt, another failure to the app as a notice. False when the app
    /// has gone.
    fn deliver(&self, answered: Result<Event, SearchError>) -> bool {
        match answered {
            Ok(event) => self.events.deliver(event),
            Err(SearchError::Corrupt(_, why)) => {
                let _ = self.damaged.send(Work::Damaged(why));
                true
            }
            Err(e) => self
                .events
                .deliver(Event::Indexing(Report::Notice(e.to_string()))),
        }
    }

    /// Find the stories most like the last story asked about; false when
    /// the app has gone. A story whose file cannot be read has none.
    fn answer_like(&self) -> bool {
        let Some(Like { meta, limit }) = &self.last_like else {
            return true;
        };
        let Some(index) = current(&self.slot) else {
            return true;
        };
        if !index.is_writable() {
            let _ = index.refresh();
        }
        let found = match self.bodies.article(meta) {
            Ok(article) => index.related(&article, *limit),
            Err(_) => Ok(search::Results::default()),
        };
        drop(index);
        self.deliver(found.map(|results| Event::Related {
            id: meta.id().to_string(),
            ids: results.hits.into_iter().map(|h| h.id).collect(),
        }))
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
            last_like: None,
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
        let pending = searcher().newest(search("a"), &rx);
        assert_eq!(pending.search.map(|a| a.query).as_deref(), Some("ab"));
        let queries: Vec<&str> = pending.excerpts.iter().map(|(q, _)| q.as_str()).collect();
        assert_eq!(queries, ["ab"]);
    }

    fn meta(id: &str) -> Arc<ArticleMeta> {
        let text = crate::article::MetaText {
            id,
            title: id,
            rel_path: "x.txt",
            ..Default::default()
        };
        Arc::new(ArticleMeta::new(text, "/x.txt".into(), 1, 1, 0))
    }

    fn like(id: &str) -> Request {
        Request::Related(Like {
            meta: meta(id),
            limit: 50,
        })
    }

    #[test]
    fn only_the_newest_related_is_kept_and_a_commit_runs_it_again() {
        let (tx, rx) = channel();
        tx.send(like("b")).unwrap();
        tx.send(search("q")).unwrap();
        let pending = searcher().newest(like("a"), &rx);
        assert_eq!(
            pending.like.map(|l| l.meta.id().to_string()).as_deref(),
            Some("b")
        );
        assert_eq!(pending.search.map(|a| a.query).as_deref(), Some("q"));
        let mut s = searcher();
        s.last_like = Some(Like {
            meta: meta("c"),
            limit: 50,
        });
        let pending = s.newest(Request::Refreshed, &rx);
        assert_eq!(
            pending.like.map(|l| l.meta.id().to_string()).as_deref(),
            Some("c")
        );
    }

    #[test]
    fn a_commit_runs_the_last_query_again() {
        let (_tx, rx) = channel();
        let pending = searcher().newest(Request::Refreshed, &rx);
        assert_eq!(pending.search.map(|a| a.query).as_deref(), Some("old"));
        let pending = searcher().newest(excerpts("old"), &rx);
        assert!(pending.search.is_none());
        assert_eq!(pending.excerpts.len(), 1);
    }
}
