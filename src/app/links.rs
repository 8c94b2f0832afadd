//! The story's links: the links overlay (`L` in the reader), and opening
//! or copying a link (`o`, `y`, `enter` in the overlay).
//!
//! The app stays pure: it never starts a browser or writes to the
//! terminal. It checks the link with [`safe_url`], the one gate for URLs
//! leaving the app, and queues an [`Effect`] with the safe form; the
//! runtime takes the queue ([`App::take_effects`]), performs it and
//! reports back with a message. A link that fails the gate queues nothing
//! and says why in the status bar.

use super::{App, Overlay};
use crate::action::Action;
use crate::article::links::safe_url;
use crate::article::sanitize::sanitize_line;
use ratatui::layout::Rect;

/// Something the app wants done outside itself, with a URL that passed
/// [`safe_url`] (and only such a URL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Open in the user's browser.
    Open(String),
    /// Put on the clipboard (OSC 52).
    Copy(String),
    /// Fetch the article at `url` into the story file at `path`, found
    /// under the library folder `root`, and read it again.
    FullText {
        path: std::path::PathBuf,
        root: std::path::PathBuf,
        url: String,
    },
    /// Add `view` to the config file at `path` (after `views`, the views
    /// in use, when the file lists none yet), then say so with
    /// [`super::Event::ViewSaved`].
    SaveView {
        path: std::path::PathBuf,
        view: crate::config::ViewSpec,
        views: Vec<crate::config::ViewSpec>,
    },
}

/// Where the overlay's selection is, in entries (the story's own address,
/// when it has one, is entry 0).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct LinksView {
    selected: usize,
    /// The first entry on screen.
    offset: usize,
}

/// One entry of the overlay, as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkEntry {
    /// `article` for the story's own address, `[n]` for a link in the text.
    pub label: String,
    /// The link's text (the headline for the story's own address).
    pub text: String,
    /// What would be opened or copied, or `None` when the link may not
    /// leave the app.
    pub safe: Option<String>,
    /// The target as written (sanitised), to show when it is refused.
    pub target: String,
}

/// Rows each entry takes: its label and text, then its target.
pub const ROWS_PER_ENTRY: usize = 2;

/// Why a refused link does nothing.
pub(super) const NOT_OPENED: &str = "Not opened: only http, https and mailto links can be opened";
const NOT_COPIED: &str = "Not copied: only http, https and mailto links can be copied";

/// The overlay's box on a screen of `area` for `count` entries: as tall
/// as they need, up to the screen less a row above and below. The ui draws
/// it there and the app pages by what fits in the tallest box
/// ([`entries_per_page`]), so the two agree.
pub fn overlay_rect(area: Rect, count: usize) -> Rect {
    let width = area.width.saturating_sub(4).clamp(1, 100).min(area.width);
    let rows = (count.max(1) * ROWS_PER_ENTRY + 2).min(usize::from(u16::MAX)) as u16;
    let height = area.height.saturating_sub(2).min(rows);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// Entries that fit inside the overlay's borders (at least one).
pub fn entries_per_page(area: Rect) -> usize {
    let tallest = overlay_rect(area, usize::from(u16::MAX)).height;
    (usize::from(tallest.saturating_sub(2)) / ROWS_PER_ENTRY).max(1)
}

impl App {
    /// How many entries the links overlay lists.
    pub fn link_count(&self) -> usize {
        self.reader
            .as_ref()
            .map_or(0, |r| usize::from(r.url().is_some()) + r.links().len())
    }

    /// Entry `i` of the links overlay, sanitised for display (only the
    /// visible ones are ever built).
    pub fn link_entry(&self, i: usize) -> Option<LinkEntry> {
        let reader = self.reader.as_ref()?;
        let (label, text, target) = match (reader.url(), i) {
            (Some(url), 0) => {
                let title = self.selected_meta().map_or("", |m| m.title());
                ("article".to_string(), title, url)
            }
            (url, i) => {
                let n = i - usize::from(url.is_some());
                let link = reader.links().get(n)?;
                (
                    format!("[{}]", n + 1),
                    link.text.as_str(),
                    link.target.as_str(),
                )
            }
        };
        Some(LinkEntry {
            label,
            text: sanitize_line(text),
            safe: safe_url(target),
            target: sanitize_line(target),
        })
    }

    /// The selected entry of the links overlay.
    pub fn link_selected(&self) -> usize {
        self.links_view
            .selected
            .min(self.link_count().saturating_sub(1))
    }

    /// The first entry of the links overlay on screen.
    pub fn link_offset(&self) -> usize {
        self.links_view.offset.min(self.link_selected())
    }

    /// What the app wants done outside itself, once: the runtime performs
    /// each and reports back with an [`super::Event::Message`].
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// `L`: the overlay, from the first entry.
    pub(super) fn open_links(&mut self) {
        if self.reader.is_none() {
            return self.message("No story open", true);
        }
        self.open_overlay(Overlay::Links);
        self.links_view = LinksView::default();
    }

    /// A key in the links overlay.
    pub(super) fn links_action(&mut self, action: Action) {
        match action {
            Action::OpenUrl => self.use_selected_link(true),
            Action::CopyUrl => self.use_selected_link(false),
            _ => self.move_link_selection(action),
        }
    }

    fn move_link_selection(&mut self, action: Action) {
        let last = self.link_count().saturating_sub(1);
        let page = entries_per_page(self.area);
        let s = self.link_selected();
        let selected = match action {
            Action::Down => s + 1,
            Action::Up => s.saturating_sub(1),
            Action::PageDown | Action::HalfPageDown => s + page,
            Action::PageUp | Action::HalfPageUp => s.saturating_sub(page),
            Action::Top => 0,
            Action::Bottom => last,
            _ => s,
        }
        .min(last);
        let offset = self.links_view.offset.min(selected);
        let offset = offset.max((selected + 1).saturating_sub(page));
        self.links_view = LinksView { selected, offset };
    }

    fn use_selected_link(&mut self, open: bool) {
        let Some(entry) = self.link_entry(self.link_selected()) else {
            return self.message("This story has no links", true);
        };
        self.queue_link(entry.safe, open);
    }

    /// `o` and `y` outside the overlay: the selected story's own address.
    pub(super) fn use_story_url(&mut self, open: bool) {
        if self.selected_missing().is_some() || self.visible().is_empty() {
            return self.message("No story selected", true);
        }
        let Some(url) = self.selected_meta().and_then(|m| m.url()) else {
            return self.message("This story has no web address", true);
        };
        self.queue_link(safe_url(url), open);
    }

    /// Queue opening or copying a link that passed the gate, or say why not.
    fn queue_link(&mut self, safe: Option<String>, open: bool) {
        match (safe, open) {
            (Some(url), true) => self.effects.push(Effect::Open(url)),
            (Some(url), false) => self.effects.push(Effect::Copy(url)),
            (None, true) => self.message(NOT_OPENED, true),
            (None, false) => self.message(NOT_COPIED, true),
        }
    }
}
