//! The help overlay: draws the keymap's help model (see
//! [`crate::keymap::help`]), laid out for the screen, in the theme's styles.

use crate::app::App;
use crate::keymap::help::{self, HelpLine, WIDTH};
use crate::theme::{Element, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let rect = super::centred(area, WIDTH, area.height.saturating_sub(2));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Element::Border))
        .title(Span::styled(
            " Keys (esc closes) ",
            theme.style(Element::OverlayTitle),
        ));
    let lines: Vec<Line> = help::lines(&help::rows(app.keymap()), area.width)
        .into_iter()
        .skip(app.overlay_scroll())
        .map(|line| styled(line, theme))
        .collect();
    frame.render_widget(Clear, rect);
    super::clear_overhang(frame.buffer_mut(), rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

/// One line of the help in the theme's styles: headings as headers, keys
/// as hint keys, descriptions plain.
fn styled(line: HelpLine, theme: &Theme) -> Line<'static> {
    let key_style = theme.style(Element::HintKey);
    match line {
        HelpLine::Blank => Line::default(),
        HelpLine::Heading(title) => Line::styled(title, theme.style(Element::Header)),
        HelpLine::Keys { keys, what: None } => Line::styled(keys, key_style),
        HelpLine::Keys {
            keys,
            what: Some(what),
        } => Line::from(vec![Span::styled(keys, key_style), Span::raw(what)]),
        HelpLine::Text(text) => Line::raw(text),
    }
}
