//! Editing the search bar: starting and cancelling a search, typing,
//! deleting and pasting. What the query matches is [`super::search`]'s and
//! the engine's business.

use super::{App, Focus, MAX_QUERY_CHARS, Search};
use crate::keymap::Mode;

impl App {
    pub(super) fn start_search(&mut self) {
        if self.search.before.is_none() {
            self.search.before = Some(self.selected_index());
        }
        self.search.editing = true;
        self.focus = Focus::List;
    }

    /// Text pasted into the terminal (it marks pastes, see
    /// [`crate::terminal::init`]): typed into the search bar as one edit,
    /// never run as keys. Line breaks and tabs become spaces, control
    /// characters are dropped, and so is space at the end (and at the
    /// start of an empty query). In the list or the reader a paste starts
    /// a search with it; over an overlay it is ignored.
    pub fn paste(&mut self, text: &str) {
        self.resume = None;
        match self.mode() {
            Mode::Help | Mode::Skipped | Mode::Links | Mode::Feeds | Mode::Views => return,
            Mode::List | Mode::Reader => self.start_search(),
            Mode::Search => {}
        }
        // A tab is one space here, not a run up to the next tab stop.
        let clean = crate::article::sanitize::sanitize_line(&text.replace('\t', " "));
        if self.views_prompting() {
            return clean
                .chars()
                .for_each(|c| self.prompt_action(crate::action::Action::Insert(c)));
        }
        let clean = if self.search.query.is_empty() {
            clean.trim()
        } else {
            clean.trim_end()
        };
        if !clean.is_empty() {
            self.insert_text(clean);
        }
        self.sync();
    }

    /// Add `text` to the query, as much of it as [`MAX_QUERY_CHARS`]
    /// leaves room for; the status bar says when some was left out. Costs
    /// the same however much text is refused.
    pub(super) fn insert_text(&mut self, text: &str) {
        let room = MAX_QUERY_CHARS.saturating_sub(self.search.query.chars().count());
        let end = text.char_indices().nth(room).map_or(text.len(), |(i, _)| i);
        if end > 0 {
            self.edit_query(|q| q.push_str(&text[..end]));
        }
        if end < text.len() {
            self.message(
                &format!(
                    "A search is at most {} characters: the rest was left out",
                    crate::text::thousands(MAX_QUERY_CHARS)
                ),
                true,
            );
        }
    }

    pub(super) fn edit_query(&mut self, edit: impl FnOnce(&mut String)) {
        edit(&mut self.search.query);
        self.fulltext.query_edited(&self.search.query);
        // A new search the engine will answer keeps the list as it is
        // until then; the previous answer is placed again, or the list
        // follows the query, otherwise.
        if self.ranked() || !self.awaits_engine() || self.search.query.trim().is_empty() {
            let keep = self.selected_index();
            self.refilter(keep);
        }
    }

    pub(super) fn submit_search(&mut self) {
        self.search.editing = false;
        if self.search.query.trim().is_empty() {
            self.cancel_search();
        }
    }

    pub(super) fn cancel_search(&mut self) {
        let before = self.search.before.take().flatten();
        self.search = Search::default();
        self.fulltext.cleared();
        self.refilter(before.or(self.selected_index()));
    }
}

/// Delete the last word and the spaces after it, as Ctrl-W does in a shell.
pub(super) fn delete_word(q: &mut String) {
    let trimmed = q.trim_end().len();
    q.truncate(trimmed);
    let cut = q
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    q.truncate(cut);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delete_word_removes_the_last_word_only() {
        let mut q = "wide\u{3000}space".to_string();
        delete_word(&mut q);
        assert_eq!(q, "wide\u{3000}");
        let mut q = "climate change  ".to_string();
        delete_word(&mut q);
        assert_eq!(q, "climate ");
        delete_word(&mut q);
        assert_eq!(q, "");
        delete_word(&mut q);
        assert_eq!(q, "");
    }
}
