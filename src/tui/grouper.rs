//! Near-duplicate grouping, off the loop's thread: one thread, started with
//! the first job, that always works on the newest job waiting (a library
//! that changed twice while it was busy is grouped once more, not twice).

use super::event_loop::Msg;
use crate::app::groups::GroupingJob;
use crate::library::prints::{self, Prints};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender};

/// Hands grouping jobs to the grouping thread; answers reach the loop as
/// [`Msg::Groups`].
pub struct Grouper {
    to_loop: Sender<Msg>,
    jobs: Option<Sender<GroupingJob>>,
}

impl Grouper {
    pub fn new(to_loop: Sender<Msg>) -> Self {
        Self {
            to_loop,
            jobs: None,
        }
    }

    /// Group in the background. A thread that cannot start leaves the
    /// stories ungrouped: grouping is an aid, not a reason to stop.
    pub fn start(&mut self, job: GroupingJob) {
        if self.jobs.is_none() {
            let (tx, rx) = std::sync::mpsc::channel();
            let to_loop = self.to_loop.clone();
            let spawned = std::thread::Builder::new()
                .name("grouper".into())
                .spawn(move || serve(&rx, &to_loop));
            if spawned.is_err() {
                return;
            }
            self.jobs = Some(tx);
        }
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(job);
        }
    }
}

/// Run the newest job waiting, until the loop is gone. The fingerprints
/// stay in memory between jobs (a library that changed needs only its new
/// stories read); they are read from their file once.
fn serve(jobs: &Receiver<GroupingJob>, to_loop: &Sender<Msg>) {
    let mut kept: Option<(Option<PathBuf>, Prints)> = None;
    while let Ok(mut job) = jobs.recv() {
        while let Ok(newer) = jobs.try_recv() {
            job = newer;
        }
        let file = job.prints_file.clone();
        let prints = match &mut kept {
            Some((from, prints)) if *from == file => prints,
            _ => {
                let read = file.as_deref().map(Prints::read).unwrap_or_default();
                &mut kept.insert((file.clone(), read)).1
            }
        };
        // One thread: the screen and the search index share the rest.
        let _ = prints::update(prints, &job.articles, &job.source, file.as_deref(), 1);
        let prints = prints.aligned(&job.articles);
        if to_loop.send(Msg::Groups(job.answer(&prints))).is_err() {
            return;
        }
    }
}
