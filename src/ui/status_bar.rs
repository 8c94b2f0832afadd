//! The status bar: a transient message, then key hints for the current
//! mode, generated from the keymap so they are never out of date.

use super::theme::{Element, Theme};
use crate::action::Action;
use crate::app::App;
use crate::keymap::{Keymap, Mode};
use crate::text;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let width = usize::from(area.width);
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    if let Some(activity) = app.activity() {
        let activity = text::truncate(&activity, width.saturating_sub(used));
        used += text::width(&activity) + 3;
        spans.push(Span::styled(activity, theme.style(Element::Message)));
        spans.push(Span::raw("   "));
    }
    if let Some(status) = app.status() {
        let style = if status.error {
            theme.style(Element::Error)
        } else {
            theme.style(Element::Message)
        };
        let message = text::truncate(&status.text, width.saturating_sub(used));
        used += text::width(&message);
        spans.push(Span::styled(message, style));
    }
    if let Some(indexing) = app.indexing_text() {
        let gap = if used > 1 { 3 } else { 0 };
        let indexing = text::truncate(&indexing, width.saturating_sub(used + gap));
        spans.push(Span::raw(" ".repeat(gap)));
        used += gap + text::width(&indexing);
        spans.push(Span::styled(indexing, theme.style(Element::Message)));
    }
    for (key, label) in hints(app.keymap(), app.mode()) {
        let gap = if used > 1 { 3 } else { 0 };
        let need = gap + text::width(&key) + 1 + text::width(label);
        if used + need > width {
            break;
        }
        push_hint(&mut spans, theme, gap, key, label);
        used += need;
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(theme.style(Element::Status)),
        area,
    );
}

fn push_hint(
    spans: &mut Vec<Span<'static>>,
    theme: &Theme,
    gap: usize,
    key: String,
    label: &'static str,
) {
    spans.push(Span::raw(" ".repeat(gap)));
    spans.push(Span::styled(key, theme.style(Element::HintKey)));
    spans.push(Span::raw(" "));
    spans.push(Span::styled(label, theme.style(Element::Hint)));
}

/// The first key and a short label of each advertised action in a mode;
/// down and up share one hint (`j/k move`).
pub fn hints(keymap: &Keymap, mode: Mode) -> Vec<(String, &'static str)> {
    let first = |action| {
        keymap
            .shown_keys(mode, action)
            .first()
            .map(ToString::to_string)
    };
    let mut hints = Vec::new();
    if let (Some(down), Some(up)) = (first(Action::Down), first(Action::Up)) {
        hints.push((format!("{down}/{up}"), "move"));
    }
    hints.extend(
        keymap
            .bindings(mode)
            .iter()
            .filter_map(|b| Some((first(b.action)?, b.action.hint()?))),
    );
    hints
}
