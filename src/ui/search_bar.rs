//! The search bar: the query as typed, with the cursor while it has focus,
//! or a hint to start one.

use crate::action::Action;
use crate::app::App;
use crate::keymap::Mode;
use crate::text;
use crate::theme::Element;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_segmentation::UnicodeSegmentation;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    if let Some(name) = app.view_prompt() {
        return render_prompt(app, name, frame, area);
    }
    let theme = app.theme();
    let search = app.search();
    let width = usize::from(area.width);
    let count = format!(
        "{} articles ",
        text::thousands(app.library().articles().len())
    );
    let prompt = " / ";
    let mut spans = vec![Span::styled(prompt, theme.style(Element::SearchPrompt))];
    let room = width.saturating_sub(text::width(prompt) + text::width(&count) + 2);
    if search.editing || !search.query.is_empty() {
        let query = tail(
            &crate::article::sanitize::sanitize_line(&search.query),
            room.max(1),
        );
        let used = text::width(prompt) + text::width(&query);
        if search.editing && used < width {
            frame.set_cursor_position(Position::new(area.x + used as u16, area.y));
        }
        spans.push(Span::styled(query, theme.style(Element::Search)));
        // How an invalid query was read, in the room that is left.
        if let Some(note) = app.query_note() {
            let left = (room + text::width(prompt)).saturating_sub(used);
            let note = text::truncate(&format!("  ({note})"), left.saturating_sub(1));
            spans.push(Span::styled(note, theme.style(Element::Placeholder)));
        }
    } else {
        let key = app
            .keymap()
            .shown_keys(Mode::List, Action::Search)
            .first()
            .map(ToString::to_string)
            .unwrap_or_default();
        let hint = format!("press {key} to search");
        spans.push(Span::styled(
            text::truncate(&hint, room),
            theme.style(Element::Placeholder),
        ));
    }
    let used: usize = spans.iter().map(|s| text::width(&s.content)).sum();
    if used + text::width(&count) < width {
        spans.push(Span::raw(" ".repeat(width - used - text::width(&count))));
        spans.push(Span::styled(count, theme.style(Element::Position)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Asking for the name of a view to save: `Save view as: name▏  enter
/// saves · esc cancels`.
fn render_prompt(app: &App, name: &str, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let width = usize::from(area.width);
    let prompt = " Save view as: ";
    let hint = "  enter saves · esc cancels";
    let room = width.saturating_sub(text::width(prompt) + 1);
    let name = tail(&crate::article::sanitize::sanitize_line(name), room.max(1));
    let used = text::width(prompt) + text::width(&name);
    if used < width {
        frame.set_cursor_position(Position::new(area.x + used as u16, area.y));
    }
    let hint = text::truncate(hint, width.saturating_sub(used + 1));
    let line = Line::from(vec![
        Span::styled(prompt, theme.style(Element::SearchPrompt)),
        Span::styled(name, theme.style(Element::Search)),
        Span::styled(hint, theme.style(Element::Placeholder)),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

/// The end of `s` that fits in `max` columns: while typing, the newest
/// characters are the ones to see.
fn tail(s: &str, max: usize) -> String {
    let mut used = 0;
    let mut start = s.len();
    for (i, g) in s.grapheme_indices(true).rev() {
        let w = text::width(g);
        if used + w > max {
            break;
        }
        used += w;
        start = i;
    }
    s[start..].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_keeps_the_end_and_whole_graphemes() {
        assert_eq!(tail("hello world", 5), "world");
        assert_eq!(tail("日本語", 3), "語");
        assert_eq!(tail("abc", 10), "abc");
    }
}
