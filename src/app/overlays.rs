//! The overlays (help, skipped files) and the status bar's messages.

use super::{App, MESSAGE_TIME, Overlay, Status};
use crate::action::Action;
use crate::keymap::Mode;
use std::time::{Duration, Instant};

/// One line of the skipped-files overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkippedLine<'a> {
    File(&'a crate::library::Skipped),
    /// Between the files and the feeds.
    Blank,
    /// Above the feeds that failed.
    Heading,
    Feed(&'a super::fetching::FeedFailure),
}

/// Warnings (a damaged file, a read-only one) stay longer than messages:
/// they are longer and matter more.
const WARNING_TIME: Duration = Duration::from_secs(10);

impl App {
    pub(super) fn open_overlay(&mut self, overlay: Overlay) {
        self.overlay = Some(overlay);
        self.overlay_scroll = 0;
    }

    pub(super) fn scroll_overlay(&mut self, action: Action) {
        let lines = match self.overlay {
            Some(Overlay::Help) => {
                crate::keymap::help::line_count(&self.settings.keymap, self.area.width)
            }
            _ => self.skipped_line_count(),
        };
        let page = usize::from(self.area.height).saturating_sub(4).max(1);
        let max = lines.saturating_sub(page);
        let s = self.overlay_scroll;
        self.overlay_scroll = match action {
            Action::Down => s + 1,
            Action::Up => s.saturating_sub(1),
            Action::PageDown | Action::HalfPageDown => s + page,
            Action::PageUp | Action::HalfPageUp => s.saturating_sub(page),
            Action::Top => 0,
            Action::Bottom => max,
            _ => s,
        }
        .min(max);
    }

    pub(super) fn announce_skipped(&mut self) {
        let n = self.library.skipped().len();
        if n == 0 {
            return;
        }
        let key = self.skipped_key();
        let s = if n == 1 { "" } else { "s" };
        self.message(
            &format!("{n} file{s} skipped: press {key} for details"),
            false,
        );
    }

    /// Lines in the skipped-files overlay: the files, then the feeds that
    /// failed under a heading.
    pub fn skipped_line_count(&self) -> usize {
        let (files, feeds) = (self.library.skipped().len(), self.feed_failures().len());
        match (files, feeds) {
            (_, 0) => files,
            (0, _) => 1 + feeds,
            _ => files + 2 + feeds,
        }
    }

    /// Line `i` of the skipped-files overlay (see [`Self::skipped_line_count`]).
    pub fn skipped_line(&self, i: usize) -> Option<SkippedLine<'_>> {
        let files = self.library.skipped();
        if let Some(file) = files.get(i) {
            return Some(SkippedLine::File(file));
        }
        let failures = self.feed_failures();
        if failures.is_empty() {
            return None;
        }
        let i = i - files.len();
        let heading = usize::from(!files.is_empty());
        match i.checked_sub(heading) {
            None => Some(SkippedLine::Blank),
            Some(0) => Some(SkippedLine::Heading),
            Some(j) => failures.get(j - 1).map(SkippedLine::Feed),
        }
    }

    /// The key to the skipped-files overlay, to name in messages.
    pub(super) fn skipped_key(&self) -> String {
        self.settings
            .keymap
            .shown_keys(Mode::List, Action::Skipped)
            .first()
            .map_or_else(|| "the skipped-files key".to_string(), |k| k.to_string())
    }

    /// Show a transient message in the status bar.
    pub(super) fn message(&mut self, text: &str, error: bool) {
        self.status = Some(Status {
            text: crate::article::sanitize::sanitize_line(text),
            error,
            until: Instant::now() + MESSAGE_TIME,
        });
    }

    /// Show a warning in the status bar (a damaged or read-only file).
    pub(super) fn warn(&mut self, text: &str) {
        self.status = Some(Status {
            text: crate::article::sanitize::sanitize_line(text),
            error: true,
            until: Instant::now() + WARNING_TIME,
        });
    }

    pub(super) fn expire_status(&mut self, now: Instant) {
        if self.status.as_ref().is_some_and(|s| s.until <= now) {
            self.status = None;
        }
    }
}
