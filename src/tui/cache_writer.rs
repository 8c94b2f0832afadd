//! The load cache for the next start, written off the loop's thread.

use crate::library::{CacheJob, CacheWriteError};

/// Why the load cache was not written: shown in the status bar.
#[derive(Debug, thiserror::Error)]
pub(super) enum CacheWriterError {
    #[error(transparent)]
    Write(#[from] CacheWriteError),
    /// The writing thread panicked.
    #[error("writing the load cache failed")]
    Panicked,
}

/// The load cache being written on its own thread. Dropping it waits for
/// the write to end, so quitting never leaves a half-written file behind.
#[derive(Default)]
pub(super) struct CacheWriter(Option<std::thread::JoinHandle<Result<(), CacheWriteError>>>);

impl CacheWriter {
    /// Start writing; the error of a write that could not be started on its
    /// own thread, and so was done here.
    pub(super) fn start(&mut self, job: CacheJob) -> Option<CacheWriterError> {
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
            Err(_) => job.write().err().map(CacheWriterError::from).or(earlier),
        }
    }

    /// The write's error, once it has ended in one.
    pub(super) fn poll(&mut self) -> Option<CacheWriterError> {
        if self.0.as_ref().is_some_and(|h| h.is_finished()) {
            self.finish()
        } else {
            None
        }
    }

    /// Wait for the write; its error, if any.
    fn finish(&mut self) -> Option<CacheWriterError> {
        match self.0.take()?.join() {
            Ok(result) => result.err().map(CacheWriterError::from),
            Err(_) => Some(CacheWriterError::Panicked),
        }
    }
}

impl Drop for CacheWriter {
    fn drop(&mut self) {
        let _ = self.finish();
    }
}
