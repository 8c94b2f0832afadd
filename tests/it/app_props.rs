//! Random sequences of actions and resizes never panic, at any size from
//! 0x0 to 300x100, in a full library, an empty one, and while searching.

use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tidings::action::Action;
use tidings::app::serve_reads;
use tidings::app::{App, Settings};
use tidings::library::Library;
use tidings::ui;

fn action() -> impl Strategy<Value = Action> {
    use Action::*;
    // Every action the default keymap binds in any mode, so an action added
    // later is exercised too; plus the internal ones no key is bound to.
    let keymap = tidings::config::Config::default().keymap();
    let mut actions: Vec<Action> = tidings::keymap::Mode::ALL
        .iter()
        .flat_map(|&mode| keymap.bindings(mode).iter().map(|b| b.action))
        .chain([Tick])
        .collect();
    actions.sort();
    actions.dedup();
    assert!(actions.contains(&NextMatch) && actions.contains(&Snippets));
    let named = prop::sample::select(actions);
    prop_oneof![
        6 => named,
        2 => prop::sample::select(vec!['a', 'e', 'F', ' ', '日', 'é', '\u{301}', 'z']).prop_map(Insert),
        1 => (0u16..=300, 0u16..=100).prop_map(|(w, h)| Resize(w, h)),
    ]
}

fn exercise(library: Library, actions: Vec<Action>) {
    let mut app = App::new(library, Settings::default());
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    app.update(Action::Resize(80, 24));
    serve_reads(&mut app);
    for action in actions {
        app.update(action);
        serve_reads(&mut app);
        if let Action::Resize(w, h) = action {
            terminal.backend_mut().resize(w, h);
        }
        terminal.draw(|frame| ui::draw(&app, frame)).unwrap();
        assert!(app.selected() <= app.visible().len().saturating_sub(1));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn no_sequence_of_actions_and_resizes_panics(actions in prop::collection::vec(action(), 0..80)) {
        exercise(Library::bundled(), actions);
    }

    #[test]
    fn the_empty_library_never_panics(actions in prop::collection::vec(action(), 0..40)) {
        exercise(crate::app::empty_library(), actions);
    }
}
