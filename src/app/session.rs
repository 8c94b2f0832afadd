//! Coming back to where the last session left off: the view, the selected
//! story and whether it was open. The app only says where it is
//! ([`App::session`]) and takes a place to return to
//! ([`App::restore_session`]); the file is the store's business.
//!
//! The library may still be loading when the app starts, so the place is
//! kept until the story arrives, and given up when the load ends without
//! it, or as soon as the user presses a key: their own moves always win.

use super::feed_index::FeedFilter;
use super::{App, Focus};
use crate::store::session::Session;

/// The story to select again, and whether to open it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Resume {
    story: String,
    reading: bool,
}

/// The position of the view a session file names: by name, ignoring
/// case (older files wrote the shipped views' names in lower case, and
/// "continue" for "Continue reading").
fn view_named(views: &[super::View], name: &str) -> Option<usize> {
    let name = if name == "continue" {
        "continue reading"
    } else {
        name
    };
    views.iter().position(|v| v.name.eq_ignore_ascii_case(name))
}

impl App {
    /// Where the reader is now, to save on the way out.
    pub fn session(&self) -> Session {
        // While the last place has not been found yet, it is still the one
        // to come back to.
        let (story, reading) = match &self.resume {
            Some(r) => (Some(r.story.clone()), r.reading),
            None => (
                self.selected_meta().map(|m| m.id().to_string()),
                self.focus == Focus::Reader,
            ),
        };
        let (feed, category) = match &self.feed_filter {
            Some(FeedFilter::Feed(f)) => (Some(f.clone()), None),
            Some(FeedFilter::Category(c)) => (None, Some(c.clone())),
            None => (None, None),
        };
        Session {
            view: self.view().name.clone(),
            sort: self.sort.name().to_string(),
            story,
            reading,
            feed,
            category,
            full_width: self.full_width,
        }
    }

    /// Go back to a saved place: its view at once, its story (and the
    /// reader, if it was open) as soon as the library has it.
    pub(super) fn restore_session(&mut self, session: Session) {
        if let Some(view) = view_named(self.views(), &session.view) {
            self.show_view(view);
        }
        self.full_width = session.full_width;
        // An older session file has no order: the default stays.
        if let Some(sort) = super::SortOrder::from_name(&session.sort) {
            self.sort = sort;
        }
        // An older session file has no filter: every story is listed. A
        // library without the news folder has no feeds to filter by: the
        // filter is not taken, so it cannot hide every story.
        let feeds = self.settings.news_dir.is_some();
        self.feed_filter = match (session.feed, session.category) {
            (Some(feed), _) if feeds => Some(FeedFilter::Feed(feed)),
            (None, Some(category)) if feeds => Some(FeedFilter::Category(category)),
            _ => None,
        };
        self.refilter(None);
        self.resume = session.story.map(|story| Resume {
            story,
            reading: session.reading,
        });
        self.try_resume();
        self.sync();
    }

    /// Select the saved story once it is listed; give up once the library
    /// has loaded without it.
    pub(super) fn try_resume(&mut self) {
        let Some(resume) = &self.resume else {
            return;
        };
        let articles = self.library.articles();
        let found = self
            .visible()
            .iter()
            .position(|&i| articles[i].id() == resume.story);
        match found {
            Some(position) => {
                let reading = resume.reading;
                self.select(position);
                if reading {
                    self.focus = Focus::Reader;
                }
                self.resume = None;
            }
            None if self.library.progress().done => self.resume = None,
            None => {}
        }
    }
}
