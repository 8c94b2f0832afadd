//! Styles for every element, from names a 16-colour terminal understands.
//!
//! A style is written as words (`"yellow bold"`, `"black on cyan"`,
//! `"reverse"`), so the theme in `assets/config.toml` reads like prose and
//! never needs 256 colours or true colour. Without colour (`NO_COLOR`,
//! `--no-color`) only the modifiers are kept; the selected row is reverse
//! video by default, so it stays visible on any terminal.

use crate::article::sanitize::sanitize_line;
use ratatui::style::{Color, Modifier, Style};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Every element the theme styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Element {
    Selected,
    Header,
    Position,
    Unread,
    Bookmark,
    Category,
    Minutes,
    Kicker,
    Title,
    Meta,
    Body,
    Raw,
    Search,
    SearchPrompt,
    Placeholder,
    Status,
    HintKey,
    Hint,
    Message,
    Error,
    Border,
    OverlayTitle,
    /// A search match (list headlines, snippets, reader).
    Highlight,
    /// The match `n`/`N` went to.
    CurrentMatch,
    /// The snippet line under a headline while searching.
    Snippet,
    /// A hidden story's row, while hidden stories are shown (`H`).
    Hidden,
}

/// The resolved styles.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Theme {
    styles: BTreeMap<Element, Style>,
}

impl Theme {
    pub fn new(styles: BTreeMap<Element, Style>) -> Self {
        Self { styles }
    }

    /// The style of an element (the terminal's default when unset).
    pub fn style(&self, element: Element) -> Style {
        self.styles.get(&element).copied().unwrap_or_default()
    }

    /// The same theme with every colour removed and modifiers kept.
    pub fn without_colour(&self) -> Self {
        let styles = self
            .styles
            .iter()
            .map(|(&e, &s)| {
                let plain = Style::default()
                    .add_modifier(s.add_modifier)
                    .remove_modifier(s.sub_modifier);
                (e, plain)
            })
            .collect();
        Self { styles }
    }
}

/// Why a style could not be read. The words are kept as written and
/// sanitised when shown, since they come from a user's file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StyleError {
    #[error("'on' needs a colour after it")]
    OnWithoutColour,
    #[error("'{}' gives two colours; {ONE_EACH}", sanitize_line(.0))]
    TwoColours(String),
    #[error("'{}' gives two backgrounds; {ONE_EACH}", sanitize_line(.0))]
    TwoBackgrounds(String),
    #[error(
        "'{}' is not a colour or style (use the 16 colour names, bold, dim, italic, underline, reverse, on <colour>)",
        sanitize_line(.0)
    )]
    NotAColour(String),
}

const ONE_EACH: &str = "a style has one colour and one 'on <colour>' background";

/// Parse `"bold yellow on blue"`: modifiers, a foreground colour, and
/// `on <colour>` for the background, in any order. A second colour or
/// background is an error, not a silent choice between them.
pub fn parse_style(text: &str) -> Result<Style, StyleError> {
    let mut style = Style::default();
    let mut words = text.split_whitespace();
    while let Some(word) = words.next() {
        let lower = word.to_ascii_lowercase();
        if lower == "on" {
            let name = words.next().ok_or(StyleError::OnWithoutColour)?;
            if style.bg.is_some() {
                return Err(StyleError::TwoBackgrounds(text.to_string()));
            }
            style = style.bg(parse_colour(name)?);
        } else if let Some(m) = parse_modifier(&lower) {
            style = style.add_modifier(m);
        } else {
            let colour = parse_colour(word)?;
            if style.fg.is_some() {
                return Err(StyleError::TwoColours(text.to_string()));
            }
            style = style.fg(colour);
        }
    }
    Ok(style)
}

fn parse_modifier(word: &str) -> Option<Modifier> {
    Some(match word {
        "bold" => Modifier::BOLD,
        "dim" => Modifier::DIM,
        "italic" => Modifier::ITALIC,
        "underline" | "underlined" => Modifier::UNDERLINED,
        "reverse" | "reversed" => Modifier::REVERSED,
        _ => return None,
    })
}

fn parse_colour(word: &str) -> Result<Color, StyleError> {
    Ok(match word.to_ascii_lowercase().as_str() {
        "default" | "reset" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "darkgray" | "darkgrey" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        _ => return Err(StyleError::NotAColour(word.to_string())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_words_in_any_order() {
        let s = parse_style("bold yellow on blue").unwrap();
        assert_eq!(s.fg, Some(Color::Yellow));
        assert_eq!(s.bg, Some(Color::Blue));
        assert!(s.add_modifier.contains(Modifier::BOLD));
        assert!(parse_style("purple").is_err());
        assert!(parse_style("on").is_err());
    }

    #[test]
    fn without_colour_keeps_reverse() {
        let mut m = BTreeMap::new();
        m.insert(
            Element::Selected,
            parse_style("reverse black on cyan").unwrap(),
        );
        let plain = Theme::new(m).without_colour();
        let s = plain.style(Element::Selected);
        assert_eq!((s.fg, s.bg), (None, None));
        assert!(s.add_modifier.contains(Modifier::REVERSED));
    }
}
