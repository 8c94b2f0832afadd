//! The load cache for the next start, written off the loop's thread.

use crate::library::CacheJob;

/// The load cache being written on its own thread. Dropping it waits for
/// the write to end, so quitting never leaves a half-written file behind.
#[derive(Default)]
pub(super) struct CacheWriter(Option<std::thread::JoinHandle<Result<(), String>>>);

impl CacheWriter {
    /// Start writing; the error of a write that could not be started on its
    /// own thread, and so was done here.
    pub(super) fn start(&mut self, job: CacheJob) -> Option<String> {
        // One write at a time: they share a temporary file name.
        let earlier = self.finish();
        let (tx, rx) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("cache-writer".into())
            .spawn(move || rx.recv().map_or(Ok(()), CacheJob::write));
        match spawned {
            Ok(handle) => {
                let _ = tx.send(job);
                self.0 = Some(handle);
                earlier
            }
            Err(_) => job.write().err().or(earlier),
        }
    }

    /// The write's error, once it has ended in one.
    pub(super) fn poll(&mut self) -> Option<String> {
        if self.0.as_ref().is_some_and(|h| h.is_finished()) {
            self.finish()
        } else {
            None
        }
    }

    /// Wait for the write; its error, if any.
    fn finish(&mut self) -> Option<String> {
        match self.0.take()?.join() {
            Ok(result) => result.err(),
            Err(_) => Some("writing the load cache failed".into()),
        }
    }
}

impl Drop for CacheWriter {
    fn drop(&mut self) {
        let _ = self.finish();
    }
}
