//! "More like this" (`m`): the list shows only the stories most like one
//! story, best first, under a header naming it, until `esc` puts the list
//! back as it was (selection, filter, scroll, and the reader if it was
//! open).
//!
//! The stories are found by the search engine on its own thread: the app
//! only records the story to ask about ([`App::take_related_request`]) and
//! takes the answer in as [`super::Event::Related`]. The story's
//! near-duplicates come first and are marked: the other versions of its
//! near-duplicate group (see [`super::groups`]), and any that
//! [`App::with_near_duplicates`]'s function names.

use super::{App, Focus};
use crate::article::ArticleMeta;
use crate::search::related::near_first;
use std::collections::HashSet;
use std::sync::Arc;

/// How many stories the view lists: more than a screen, few enough that
/// the ones at the end still have something to do with the story.
pub const RELATED_LIMIT: usize = 50;

/// Actions that change what the list is filtered by (a search, a view, the
/// sort) leave the view first: they are about the whole list. (Choosing a
/// feed in the feeds overlay does too, see `App::set_feed_filter`.)
pub(super) fn leaves_the_view(action: crate::action::Action) -> bool {
    use crate::action::Action;
    matches!(
        action,
        Action::Search | Action::View(_) | Action::GoToView(_) | Action::CycleSort
    )
}

/// Which stories are near-duplicates of a story (their ids): see
/// [`App::with_near_duplicates`].
pub type NearDuplicates = Box<dyn Fn(&ArticleMeta) -> HashSet<String>>;

/// The list as it was when the view opened, to go back to.
#[derive(Debug, Clone)]
struct Before {
    /// The selected story, by id (the library may be reordered meanwhile).
    selected: Option<String>,
    offset: usize,
    focus: Focus,
}

/// The "more like this" view of the list.
#[derive(Debug, Clone)]
pub struct RelatedView {
    /// The story the view is about.
    story: Arc<ArticleMeta>,
    /// The ids of its near-duplicates, which come first and are marked.
    near: HashSet<String>,
    /// The stories found, best first with the near-duplicates ahead, once
    /// the engine has answered.
    ids: Option<Vec<String>>,
    /// The story is still to be sent to the engine.
    unsent: bool,
    before: Before,
}

impl RelatedView {
    /// The story the view is about.
    pub fn story(&self) -> &ArticleMeta {
        &self.story
    }
    /// Whether the engine has answered (an empty answer too).
    pub fn answered(&self) -> bool {
        self.ids.is_some()
    }
    /// Whether `meta` is a near-duplicate of the story.
    pub fn is_near_duplicate(&self, meta: &ArticleMeta) -> bool {
        self.near.contains(meta.id())
    }
    /// The stories listed, by id, in order (none until answered).
    pub(super) fn ids(&self) -> &[String] {
        self.ids.as_deref().unwrap_or_default()
    }
}

impl App {
    /// Where near-duplicate groups plug in: `near` gives the ids of a
    /// story's near-duplicates, which the "more like this" view lists first
    /// and marks. Without it no story has any.
    pub fn with_near_duplicates(
        mut self,
        near: impl Fn(&ArticleMeta) -> HashSet<String> + 'static,
    ) -> Self {
        self.near_duplicates = Some(Box::new(near));
        self
    }

    /// The "more like this" view, while the list shows it.
    pub fn related(&self) -> Option<&RelatedView> {
        self.related.as_ref()
    }

    /// The story to find related stories of, and how many, once per `m`.
    pub fn take_related_request(&mut self) -> Option<(Arc<ArticleMeta>, usize)> {
        let view = self.related.as_mut().filter(|v| v.unsent)?;
        view.unsent = false;
        Some((Arc::clone(&view.story), RELATED_LIMIT + view.near.len()))
    }

    /// `m`: list the stories most like the selected (or open) one. From
    /// inside the view it moves on to the selected story's, and `esc`
    /// still goes back to the list from before the first.
    pub(super) fn show_related(&mut self) {
        if let Some(why) = self.engine_failure() {
            let text = format!("More like this needs the search index: {why}");
            return self.message(&text, true);
        }
        let Some(story) = self
            .selected_index()
            .map(|i| self.library.articles()[i].clone())
        else {
            return self.message("No story selected", true);
        };
        let before = match self.related.take() {
            Some(view) => view.before,
            None => Before {
                selected: Some(story.id().to_string()),
                offset: self.list_offset(),
                focus: self.focus,
            },
        };
        let near = self.near_duplicates_of(&story);
        self.related = Some(RelatedView {
            story,
            near,
            ids: None,
            unsent: true,
            before,
        });
        self.focus = Focus::List;
        self.refilter(None);
    }

    /// The engine's answer for the story `id`: the stories most like it,
    /// best first. Ignored unless the view is still about that story; a
    /// fresh answer (the index grew) keeps the selected story selected.
    pub(super) fn apply_related(&mut self, id: &str, ids: Vec<String>) {
        let Some(view) = self.related.as_mut().filter(|v| v.story.id() == id) else {
            return;
        };
        let first = view.ids.is_none();
        let ranked: Vec<String> = ids.into_iter().filter(|i| i != id).collect();
        let mut ordered: Vec<String> = near_first(ranked, |i| i.as_str(), &view.near)
            .into_iter()
            .map(|(i, _)| i)
            .collect();
        ordered.truncate(RELATED_LIMIT);
        view.ids = Some(ordered);
        let keep = if first { None } else { self.selected_index() };
        self.refilter(keep);
    }

    /// `esc`: the list as it was before `m`.
    pub(super) fn leave_related(&mut self) {
        let Some(view) = self.related.take() else {
            return;
        };
        let Before {
            selected,
            offset,
            focus,
        } = view.before;
        let keep =
            selected.and_then(|id| self.library.articles().iter().position(|a| a.id() == id));
        self.refilter(keep);
        self.list.restore_offset(offset);
        if keep.is_some() && self.selected_index() == keep {
            self.focus = focus;
        }
    }

    /// The ids of `story`'s near-duplicates: its group's other versions
    /// (while grouping is on), and any [`App::with_near_duplicates`] gives.
    fn near_duplicates_of(&self, story: &ArticleMeta) -> HashSet<String> {
        let mut ids: HashSet<String> = self
            .near_duplicates
            .as_ref()
            .map(|near| near(story))
            .unwrap_or_default();
        if self.grouping_on() {
            let versions = self.groups().members(story.id());
            ids.extend(versions.iter().map(|m| m.id().to_string()));
        }
        ids.remove(story.id());
        ids
    }
}
