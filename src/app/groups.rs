//! The library's near-duplicate groups, as plain state: computed off the
//! loop's thread (see [`App::take_grouping_job`]) once a load is done and
//! again whenever the library changes, and taken in as [`Event::Groups`].
//! Until the first answer every story stands alone, so grouping never
//! delays the first frame or the full list.

use super::{App, Event};
use crate::article::ArticleMeta;
use crate::library::LoadEvent;
use crate::library::groups::{Group, Groups};
use crate::library::prints::PrintSource;
use std::sync::Arc;

/// The app's side of grouping.
#[derive(Debug, Clone, Default)]
pub struct GroupState {
    groups: Arc<Groups>,
    /// The library changed since the last job was handed out.
    due: bool,
    /// The number of the last job handed out: older answers are stale.
    generation: u64,
    /// Grouping was switched the other way from the config for this
    /// session (`X`).
    pub(super) toggled: bool,
    /// The ids of the groups the list shows expanded (`x`).
    pub(super) expanded: std::collections::HashSet<String>,
}

/// Grouping to do off the loop's thread: the stories (shared, not copied),
/// where their fingerprints are kept and how to compute the missing ones
/// (the runtime reads the files), and the job's number.
#[derive(Debug)]
pub struct GroupingJob {
    generation: u64,
    pub articles: Vec<Arc<ArticleMeta>>,
    pub source: PrintSource,
    /// The fingerprints' file; `None` for a library without a load cache.
    pub prints_file: Option<std::path::PathBuf>,
}

impl GroupingJob {
    /// Group the stories by their fingerprints (`prints[i]` is story
    /// `i`'s): the event that gives the app the answer.
    pub fn answer(self, prints: &[u64]) -> Event {
        Event::Groups {
            generation: self.generation,
            groups: Arc::new(Groups::compute(&self.articles, prints)),
        }
    }
}

impl App {
    /// The near-duplicate groups, as of the last answer.
    pub fn groups(&self) -> &Groups {
        &self.groups.groups
    }

    /// The group of the story with this id, if it has one.
    pub fn group_of(&self, id: &str) -> Option<&Group> {
        self.groups.groups.group(id)
    }

    /// Grouping to run, once the load is done and when the stories changed
    /// since the last job (never while grouping is turned off).
    pub fn take_grouping_job(&mut self) -> Option<GroupingJob> {
        if !self.grouping_on() || !self.groups.due || !self.library.progress().done {
            return None;
        }
        self.groups.due = false;
        self.groups.generation += 1;
        let (source, prints_file) = self.library.print_source();
        Some(GroupingJob {
            generation: self.groups.generation,
            articles: self.library.articles().to_vec(),
            source,
            prints_file,
        })
    }

    /// Note a load event that may change the stories.
    pub(super) fn note_load_for_groups(&mut self, event: &LoadEvent) {
        if matches!(
            event,
            LoadEvent::Cached(_) | LoadEvent::Loaded(_) | LoadEvent::Removed(_)
        ) {
            self.groups.due = true;
        }
    }

    /// The answer of a grouping job; an answer older than the last job
    /// handed out is dropped (the library has changed since).
    pub(super) fn take_groups(&mut self, generation: u64, groups: Arc<Groups>) {
        if generation == self.groups.generation {
            self.groups.groups = groups;
            self.regroup_list();
        }
    }

    /// A library made before the app (a bundled or test library) is
    /// grouped once it is there.
    pub(super) fn start_groups(&mut self) {
        self.groups.due = !self.library.articles().is_empty();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Settings;
    use crate::article::MetaText;
    use crate::library::{Library, Origin};

    const PRINT: u64 = 0x0123_4567_89AB_CDEF;

    fn meta(id: &str) -> ArticleMeta {
        let rel = format!("news/{id}.txt");
        let text = MetaText {
            id,
            title: id,
            rel_path: &rel,
            ..Default::default()
        };
        ArticleMeta::new(text, format!("/lib/{rel}").into(), 100, 1, 0)
    }

    /// The stories' fingerprints: 1 and 2 are two bits apart, 3 and 4 one
    /// bit, and the two pairs far apart.
    fn print(m: &ArticleMeta) -> u64 {
        match m.id() {
            "aaaa000000000001" => PRINT,
            "aaaa000000000002" => PRINT ^ 0b101,
            "aaaa000000000003" => !PRINT,
            "aaaa000000000004" => !PRINT ^ 1,
            _ => crate::article::fingerprint::NONE,
        }
    }

    /// The grouping thread's answer to `job`.
    fn answer(job: GroupingJob) -> Event {
        let prints: Vec<u64> = job.articles.iter().map(|m| print(m)).collect();
        job.answer(&prints)
    }

    fn app(group_duplicates: bool) -> App {
        let library = Library::from_articles(
            Origin::Disk(vec!["/lib".into()]),
            vec![
                meta("aaaa000000000001"),
                meta("aaaa000000000002"),
                meta("aaaa000000000003"),
            ],
        );
        let settings = Settings {
            group_duplicates,
            ..Settings::default()
        };
        App::new(library, settings)
    }

    #[test]
    fn stories_stand_alone_until_the_grouping_answer_arrives() {
        let mut app = app(true);
        assert!(app.groups().is_empty());
        assert!(app.group_of("aaaa000000000001").is_none());
        let job = app.take_grouping_job().expect("a job once loaded");
        assert!(app.take_grouping_job().is_none(), "one job per change");
        app.apply(answer(job));
        let group = app.group_of("aaaa000000000002").expect("grouped");
        assert_eq!(group.id, "aaaa000000000001");
        assert_eq!(group.members.len(), 2);
        assert!(app.group_of("aaaa000000000003").is_none());
    }

    #[test]
    fn a_library_change_asks_for_grouping_again_and_stale_answers_are_dropped() {
        let mut app = app(true);
        let first = app.take_grouping_job().unwrap();
        app.apply(Event::Load(LoadEvent::Loaded(vec![Arc::new(meta(
            "aaaa000000000004",
        ))])));
        let second = app.take_grouping_job().expect("the library changed");
        // The first answer arrives late: the library has changed since.
        app.apply(answer(first));
        assert!(app.groups().is_empty());
        app.apply(answer(second));
        assert_eq!(app.groups().len(), 2);
        assert_eq!(
            app.group_of("aaaa000000000004").map(|g| g.id.as_str()),
            Some("aaaa000000000003")
        );
    }

    #[test]
    fn grouping_turned_off_asks_for_no_job() {
        let mut app = app(false);
        assert!(app.take_grouping_job().is_none());
        assert!(app.groups().is_empty());
    }
}
