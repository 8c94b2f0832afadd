//! Bindings of actions that no longer exist, in config files written for
//! an earlier tidings. `show_bookmarks`, `show_unread` and
//! `show_in_progress` became views with keys of their own (`[[view]]`,
//! see [`super::views`]); a file that still binds them is read without
//! them, with a warning that says what to write instead, rather than
//! refused whole.

use crate::text::line_of;
use std::ops::Range;

/// Each retired action, and the query of the view that took its place.
const RETIRED: [(&str, &str); 3] = [
    ("show_bookmarks", "is:bookmarked"),
    ("show_unread", "is:unread"),
    ("show_in_progress", "is:started"),
];

/// When toml's complaint (`message`, at `span` of `text`) is a binding of
/// a retired action: `text` with that binding blanked out (spaces, every
/// line break kept, so later complaints keep their line numbers), and
/// the warning to give.
pub(super) fn blank_binding(
    text: &str,
    message: &str,
    span: Range<usize>,
) -> Option<(String, String)> {
    let (name, query) = RETIRED
        .iter()
        .find(|(name, _)| message.contains(&format!("unknown variant `{name}`")))?;
    let at = text.get(span.clone())?;
    if !at.contains(name) {
        return None;
    }
    let end = value_end(text, span.end)?;
    let mut blanked = String::with_capacity(text.len());
    blanked.push_str(&text[..span.start]);
    blanked.extend(
        text[span.start..end]
            .chars()
            .map(|c| if c == '\n' { c } else { ' ' }),
    );
    blanked.push_str(&text[end..]);
    let warning = format!(
        "line {}: `{name}` is no longer an action and is ignored: views have their own \
         keys (give the [[view]] with query = \"{query}\" a key = \"...\")",
        line_of(text, span.start)
    );
    Some((blanked, warning))
}

/// Where the value bound after the key ending at `from` ends: `= "x"`,
/// `= 'x'` or `= [...]` (strings in it may hold `]`); `None` for anything
/// else, which is then left to toml to report.
fn value_end(text: &str, from: usize) -> Option<usize> {
    let rest = &text[from..];
    let eq = rest.find(|c: char| !c.is_whitespace() || c == '\n')?;
    if !rest[eq..].starts_with('=') {
        return None;
    }
    let value = eq + 1 + rest[eq + 1..].find(|c: char| !c.is_whitespace())?;
    let len = match rest[value..].chars().next()? {
        quote @ ('"' | '\'') => string_len(&rest[value..], quote)?,
        '[' => list_len(&rest[value..])?,
        _ => return None,
    };
    Some(from + value + len)
}

/// The length of the string at the start of `s`, quotes included.
fn string_len(s: &str, quote: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices().skip(1) {
        match c {
            '\n' => return None,
            '\\' if quote == '"' && !escaped => escaped = true,
            c if c == quote && !escaped => return Some(i + 1),
            _ => escaped = false,
        }
    }
    None
}

/// The length of the list of strings at the start of `s`, brackets
/// included (it may span lines).
fn list_len(s: &str) -> Option<usize> {
    let mut i = 1;
    while i < s.len() {
        let c = s[i..].chars().next()?;
        match c {
            ']' => return Some(i + 1),
            '"' | '\'' => i += string_len(&s[i..], c)?,
            '#' => i += s[i..].find('\n')?,
            _ => i += c.len_utf8(),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_end_after_strings_and_lists_that_hold_brackets() {
        let text = "a = \"]\"\nb = [\"x\", \"]\",\n  'y'] # c\nc = 3\n";
        assert_eq!(value_end(text, 1), Some(7));
        assert_eq!(
            &text[9..value_end(text, 9).unwrap()],
            " = [\"x\", \"]\",\n  'y']"
        );
        assert_eq!(value_end(text, text.find("c =").unwrap() + 1), None);
    }
}
