//! Switching views: by a view's key, by number (`1`..`9`), or from the
//! views overlay (`v`), which lists each view with its unread stories;
//! and saving the search bar's query as a new view (`ctrl-s`), which asks
//! for a name in the search bar and leaves the writing to the runtime
//! ([`Effect::SaveView`]).
//!
//! Unread counts are never taken while drawing: a view of `is:` filters
//! alone is counted here when the overlay opens (as the feeds overlay
//! counts its feeds); any other is counted by the engine, asked for every
//! story of the view that is unread, and shows `…` until it answers.

use super::marks::Mark;
use super::views::{self, View};
use super::{App, Effect, Overlay};
use crate::action::Action;
use crate::config::ViewSpec;
use crate::keymap::{Key, Mode};
use crossterm::event::{KeyCode, KeyModifiers};

/// The views, which one is shown, and the overlay's and prompt's state.
#[derive(Debug, Clone)]
pub(super) struct ViewList {
    list: Vec<View>,
    current: usize,
    /// The overlay's selected row.
    selected: usize,
    /// Unread stories per view of `is:` filters alone, counted when the
    /// overlay opened (`None` for the engine's views).
    counts: Vec<Option<usize>>,
    /// The name being typed for a view to save, while asking.
    prompt: Option<String>,
}

impl ViewList {
    pub(super) fn new(specs: &[ViewSpec]) -> Self {
        let mut list: Vec<View> = specs.iter().map(View::new).collect();
        if list.is_empty() {
            list.push(View::new(&ViewSpec::new("All", "", None)));
        }
        Self {
            list,
            current: 0,
            selected: 0,
            counts: Vec::new(),
            prompt: None,
        }
    }
}

/// The longest name a saved view takes, in characters.
const MAX_NAME_CHARS: usize = 60;

impl App {
    // ---- reading ------------------------------------------------------------

    /// The view the list shows.
    pub fn view(&self) -> &View {
        &self.views.list[self.views.current]
    }
    /// Every view, in order.
    pub fn views(&self) -> &[View] {
        &self.views.list
    }
    /// The position of the view shown.
    pub fn view_index(&self) -> usize {
        self.views.current
    }
    /// The views overlay's selected row.
    pub fn views_selected(&self) -> usize {
        self.views.selected
    }
    /// The name being typed for a view to save, while asking for one.
    pub fn view_prompt(&self) -> Option<&str> {
        self.views.prompt.as_deref()
    }
    /// The search bar is asking for a view's name.
    pub(super) fn views_prompting(&self) -> bool {
        self.views.prompt.is_some()
    }

    /// The view needs the engine's answer and has none yet: the list is
    /// empty until then, and the header says it is being searched.
    pub fn view_pending(&self) -> bool {
        !self.view().marks_only() && self.members(&views::list_key(self.view())).is_none()
    }

    /// Unread stories in the view at `index`, once counted.
    pub fn view_unread(&self, index: usize) -> Option<usize> {
        let view = self.views.list.get(index)?;
        if view.marks_only() {
            return self.views.counts.get(index).copied().flatten();
        }
        self.members(&views::count_key(view)).map(|ids| ids.len())
    }

    /// The engine's answer for the shown view, when it needs one.
    pub(super) fn view_members(&self) -> Option<&std::collections::HashSet<String>> {
        let view = self.view();
        (!view.marks_only())
            .then(|| self.members(&views::list_key(view)))
            .flatten()
    }

    /// What the engine searches for: the typed query within the view.
    pub fn engine_query(&self) -> String {
        self.view().with_search(&self.search.query)
    }

    /// The typed query an engine answer is for: the engine was sent the
    /// search within the view ([`Self::engine_query`]). An answer for
    /// anything else is stale and stays as it is.
    pub(super) fn typed_query_of(&self, engine: String) -> String {
        if engine == self.engine_query() {
            self.search.query.clone()
        } else {
            engine
        }
    }

    // ---- switching ------------------------------------------------------------

    /// A view's own key: that view, or the first again when it is shown.
    pub(super) fn toggle_view(&mut self, index: usize) {
        let target = if self.views.current == index {
            0
        } else {
            index
        };
        self.show_view(target);
    }

    /// Show the view at `index` (nothing for a number without a view).
    pub(super) fn show_view(&mut self, index: usize) {
        if index >= self.views.list.len() {
            return;
        }
        let old = std::mem::replace(&mut self.views.current, index);
        if old != index {
            self.forget_view_members(old);
            self.ask_view_members();
        }
        if !self.search.query.trim().is_empty() {
            // The engine's answer was for the search in the other view.
            self.search.ranked = None;
            self.fulltext.query_edited(&self.search.query);
        }
        self.refilter(self.selected_index());
    }

    /// Ask the engine for the shown view's stories, when it answers it.
    pub(super) fn ask_view_members(&mut self) {
        let view = self.view();
        if let Some(query) = view.engine_query() {
            let (key, query) = (views::list_key(view), query.to_string());
            self.ask_members(&key, vec![query]);
        }
    }

    fn forget_view_members(&mut self, index: usize) {
        let view = &self.views.list[index];
        if !view.marks_only() {
            let key = views::list_key(view);
            self.ask_members(&key, Vec::new());
        }
    }

    // ---- the overlay ------------------------------------------------------------

    pub(super) fn open_views(&mut self) {
        self.count_views();
        self.views.selected = self.views.current;
        self.open_overlay(Overlay::Views);
    }

    /// Count each view's unread stories, hidden ones left out as the
    /// list leaves them out: here for `is:` filters alone
    /// (over the library once, as the overlay opens), else by the engine.
    fn count_views(&mut self) {
        let articles = self.library.articles();
        let counts = self
            .views
            .list
            .iter()
            .map(|view| {
                view.marks_only().then(|| {
                    articles
                        .iter()
                        .enumerate()
                        .filter(|&(i, a)| {
                            !self.list.is_hidden(i)
                                && !self.marks.has(Mark::Read, a.id())
                                && view.marks_hold(a.id(), &self.marks, &self.positions)
                        })
                        .count()
                })
            })
            .collect();
        self.views.counts = counts;
        let asks: Vec<(String, String)> = self
            .views
            .list
            .iter()
            .filter(|v| !v.marks_only())
            .map(|v| (views::count_key(v), v.with_search("is:unread")))
            .collect();
        for (key, query) in asks {
            self.ask_members(&key, vec![query]);
        }
    }

    /// Close the overlay shown.
    pub(super) fn close_overlay(&mut self) {
        if self.overlay == Some(Overlay::Views) {
            self.close_views();
        }
        self.overlay = None;
    }

    /// Views left out of the config, said once at start.
    pub(super) fn announce_view_problems(&mut self) {
        let Some(first) = self.settings.view_problems.first() else {
            return;
        };
        let more = self.settings.view_problems.len() - 1;
        let text = match more {
            0 => format!("config: {first}"),
            n => format!("config: {first} (and {n} more: see tidings config)"),
        };
        self.warn(&text);
    }

    /// The overlay closed: the engine's counts are let go (they are asked
    /// again, fresh, when it opens).
    pub(super) fn close_views(&mut self) {
        let keys: Vec<String> = self
            .views
            .list
            .iter()
            .filter(|v| !v.marks_only())
            .map(views::count_key)
            .collect();
        for key in keys {
            self.ask_members(&key, Vec::new());
        }
    }

    pub(super) fn views_action(&mut self, action: Action) {
        let len = self.views.list.len();
        let page = usize::from(self.area.height).saturating_sub(4).max(1);
        let s = self.views.selected;
        self.views.selected = match action {
            Action::Open => return self.choose_view(s),
            Action::GoToView(n) => return self.choose_view(usize::from(n)),
            Action::Down => s + 1,
            Action::Up => s.saturating_sub(1),
            Action::PageDown | Action::HalfPageDown => s + page,
            Action::PageUp | Action::HalfPageUp => s.saturating_sub(page),
            Action::Top => 0,
            Action::Bottom => len,
            _ => s,
        }
        .min(len.saturating_sub(1));
    }

    fn choose_view(&mut self, index: usize) {
        if index >= self.views.list.len() {
            return;
        }
        self.close_views();
        self.overlay = None;
        self.leave_related();
        self.show_view(index);
    }

    // ---- saving the search as a view ---------------------------------------------

    /// `ctrl-s` in the search bar: ask for a name.
    pub(super) fn start_save_view(&mut self) {
        if self.search.query.trim().is_empty() {
            return self.message("Type a search first: ctrl-s saves it as a view", true);
        }
        self.views.prompt = Some(String::new());
    }

    /// Keys while the name is typed: characters, deleting, `enter` saves,
    /// `esc` gives up.
    pub(super) fn prompt_action(&mut self, action: Action) {
        let Some(name) = self.views.prompt.as_mut() else {
            return;
        };
        match action {
            Action::Insert(c) if name.chars().count() < MAX_NAME_CHARS => name.push(c),
            Action::DeleteBack => {
                name.pop();
            }
            Action::DeleteWord => super::query::delete_word(name),
            Action::DeleteLine => name.clear(),
            Action::Submit => self.submit_view_name(),
            Action::Cancel => self.views.prompt = None,
            _ => {}
        }
    }

    fn submit_view_name(&mut self) {
        let name =
            crate::article::sanitize::sanitize_line(self.views.prompt.as_deref().unwrap_or(""));
        let name = name.trim();
        if name.is_empty() {
            return self.message("A view needs a name (esc: not saved)", true);
        }
        if crate::config::views::find(&self.view_specs(), name).is_some() {
            return self.message(&format!("There is already a view named '{name}'"), true);
        }
        let Some(path) = self.settings.config_path.clone() else {
            return self.message("No config file to save views in", true);
        };
        let view = ViewSpec::new(name, self.engine_query().trim(), None);
        self.effects.push(Effect::SaveView {
            path,
            view,
            views: self.view_specs(),
        });
        self.views.prompt = None;
    }

    /// The views in use, as the config writes them.
    fn view_specs(&self) -> Vec<ViewSpec> {
        self.views
            .list
            .iter()
            .map(|v| ViewSpec::new(&v.name, &v.query, v.key))
            .collect()
    }

    /// The view was written to the config file: it is listed (and its
    /// number bound) from now on.
    pub(super) fn view_saved(&mut self, spec: ViewSpec) {
        if crate::config::views::find(&self.view_specs(), &spec.name).is_some() {
            return;
        }
        let index = self.views.list.len();
        self.views.list.push(View::new(&spec));
        let number = self.bind_view_number(index);
        let how = number.map_or_else(|| "v lists it".to_string(), |k| format!("press {k}"));
        self.message(&format!("Saved view '{}' ({how})", spec.name), false);
    }

    /// Give the view at `index` its number, where one is left and free.
    fn bind_view_number(&mut self, index: usize) -> Option<char> {
        let digit = char::from_digit(u32::try_from(index + 1).ok()?, 10).filter(|&d| d != '0')?;
        let key = Key::new(KeyCode::Char(digit), KeyModifiers::NONE);
        let action = Action::GoToView(u8::try_from(index).ok()?);
        let keymap = &mut self.settings.keymap;
        for mode in [Mode::List, Mode::Reader, Mode::Views] {
            if keymap.action_of(mode, key).is_none() {
                keymap.bind(mode, action, key);
            }
        }
        (keymap.action_of(Mode::List, key) == Some(action)).then_some(digit)
    }
}
