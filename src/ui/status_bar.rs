//! The status bar: a transient message, then key hints for the current
//! mode, generated from the keymap so they are never out of date.

use crate::action::Action;
use crate::app::App;
use crate::keymap::{Keymap, Mode};
use crate::text;
use crate::theme::{Element, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let width = usize::from(area.width);
    let hints = hints(app.keymap(), app.mode());
    // The key to the help (or, in a mode without one, the way out) is kept
    // whatever else is showing: its room is set aside first, then that of
    // the progress, and a message has what is left.
    let kept = kept_hint(&hints, app.mode()).filter(|&i| 4 + hint_width(&hints[i]) < width);
    let kept_need = kept.map_or(0, |i| 3 + hint_width(&hints[i]));
    let room = width.saturating_sub(kept_need + 1);
    let activity = app.activity().map(|a| text::truncate(&a, room));
    let activity_need = activity.as_ref().map_or(0, |a| text::width(a) + 3);
    let indexing = app
        .indexing_text()
        .map(|i| text::truncate(&i, room.saturating_sub(activity_need + 3)));
    let indexing_need = indexing.as_ref().map_or(0, |i| text::width(i) + 3);
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    if let Some(activity) = activity {
        used += activity_need;
        spans.push(Span::styled(activity, theme.style(Element::Message)));
        spans.push(Span::raw("   "));
    }
    if let Some(status) = app.status() {
        let style = if status.error {
            theme.style(Element::Error)
        } else {
            theme.style(Element::Message)
        };
        let left = (room + 1).saturating_sub(used + indexing_need);
        let message = fit_message(&status.text, left);
        used += text::width(&message);
        spans.push(Span::styled(message, style));
    }
    if let Some(indexing) = indexing {
        let gap = if used > 1 { 3 } else { 0 };
        spans.push(Span::raw(" ".repeat(gap)));
        used += gap + text::width(&indexing);
        spans.push(Span::styled(indexing, theme.style(Element::Message)));
    }
    // The others in order while they fit, beside the kept one.
    let mut reserved = kept_need;
    let mut full = false;
    for (i, hint) in hints.into_iter().enumerate() {
        let gap = if used > 1 { 3 } else { 0 };
        let need = gap + hint_width(&hint);
        if Some(i) == kept {
            reserved = 0;
        } else if full || used + need + reserved > width {
            full = true;
            continue;
        }
        push_hint(&mut spans, theme, gap, hint);
        used += need;
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(theme.style(Element::Status)),
        area,
    );
}

/// A message cut to `max` columns. One that ends in its reason (`...:
/// Permission denied`) keeps the reason whole and gives up the middle of
/// what comes before; any other is cut at its end, where it says least.
fn fit_message(message: &str, max: usize) -> String {
    if text::width(message) <= max {
        return message.to_string();
    }
    if let Some((context, reason)) = message.rsplit_once(": ") {
        let room = max.saturating_sub(text::width(reason) + 2);
        if room >= 12 {
            return format!("{}: {reason}", text::truncate_middle(context, room));
        }
    }
    text::truncate(message, max)
}

/// One hint: the key, its label and the action it stands for.
pub struct Hint {
    pub key: String,
    pub label: &'static str,
    pub action: Action,
}

fn hint_width(hint: &Hint) -> usize {
    text::width(&hint.key) + 1 + text::width(hint.label)
}

/// The hint that always stays: help, else the mode's way out.
fn kept_hint(hints: &[Hint], mode: Mode) -> Option<usize> {
    let position = |action| hints.iter().position(|h| h.action == action);
    position(Action::Help).or_else(|| position(mode.way_out()))
}

fn push_hint(spans: &mut Vec<Span<'static>>, theme: &Theme, gap: usize, hint: Hint) {
    spans.push(Span::raw(" ".repeat(gap)));
    spans.push(Span::styled(hint.key, theme.style(Element::HintKey)));
    spans.push(Span::raw(" "));
    spans.push(Span::styled(hint.label, theme.style(Element::Hint)));
}

/// The first key and a short label of each advertised action in a mode;
/// down and up share one hint (`j/k move`).
pub fn hints(keymap: &Keymap, mode: Mode) -> Vec<Hint> {
    let first = |action| {
        keymap
            .shown_keys(mode, action)
            .first()
            .map(ToString::to_string)
    };
    let mut hints = Vec::new();
    if let (Some(down), Some(up)) = (first(Action::Down), first(Action::Up)) {
        hints.push(Hint {
            key: format!("{down}/{up}"),
            label: "move",
            action: Action::Down,
        });
    }
    hints.extend(keymap.bindings(mode).iter().filter_map(|b| {
        Some(Hint {
            key: first(b.action)?,
            label: b.action.hint()?,
            action: b.action,
        })
    }));
    hints
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_keeps_the_reason_it_ends_with() {
        let cut = fit_message(
            "Could not save /a/long/way/to/bookmarks.json: Permission denied",
            50,
        );
        assert!(
            cut.starts_with("Could not") && cut.ends_with(".json: Permission denied"),
            "{cut}"
        );
        assert!(text::width(&cut) <= 50, "{cut}");
        // No reason at the end: the start says most.
        let damaged =
            "bookmarks.json was damaged (not valid JSON); moved it to bookmarks.json.corrupt-x";
        assert_eq!(fit_message(damaged, 30), "bookmarks.json was damaged (n…");
        // A reason too long to keep whole: cut at the end.
        assert_eq!(
            fit_message("a: a very long reason indeed", 12),
            "a: a very l…"
        );
        assert_eq!(fit_message("short: fits", 40), "short: fits");
    }
}
