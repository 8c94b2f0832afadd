//! OSC 8 terminal hyperlinks over link text in the reader.
//!
//! Each cell of the link text is written as a whole hyperlink of its own
//! (open, the cell's text, close), so any cell the diff renderer redraws is
//! complete on its own: scrolling never leaves half a link open on screen,
//! and nothing after the link can become part of it. ratatui measures a
//! cell by its symbol, escape sequence included, so each such cell carries
//! its real width ([`CellDiffOption::ForcedWidth`]).

use crate::article::links::safe_url;
use crate::text;
use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;
use std::num::NonZeroU16;
use unicode_segmentation::UnicodeSegmentation;

/// Ends a hyperlink (OSC 8 with no URI, ended by ST).
const CLOSE: &str = "\x1b]8;;\x1b\\";

/// The sequence that starts a hyperlink to `target`, or `None` when the
/// target may not leave the app. The URL written is only ever what
/// [`safe_url`] returns (http, https or mailto, printable ASCII with
/// everything else percent-encoded), so it cannot end the sequence early
/// or start another.
pub fn open(target: &str) -> Option<String> {
    safe_url(target).map(|url| format!("\x1b]8;;{url}\x1b\\"))
}

/// Make `text`, drawn on row `y` of `area` starting at column `x` (cells
/// past the area's edge are left alone), a hyperlink started by `open`.
pub fn link_cells(buf: &mut Buffer, area: Rect, (x, y): (u16, u16), text: &str, open: &str) {
    let mut col = usize::from(x);
    for g in text.graphemes(true) {
        let w = text::grapheme_width(g);
        let Some(width) = NonZeroU16::new(w as u16) else {
            continue;
        };
        if col + w > usize::from(area.width) {
            break;
        }
        let pos = (area.x + col as u16, area.y + y);
        if let Some(cell) = buf.cell_mut(pos) {
            let symbol = format!("{open}{}{CLOSE}", cell.symbol());
            cell.set_symbol(&symbol);
            cell.diff_option = CellDiffOption::ForcedWidth(width);
        }
        col += w;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_safe_urls_open_a_hyperlink() {
        assert_eq!(
            open("https://example.org/a b").as_deref(),
            Some("\x1b]8;;https://example.org/a%20b\x1b\\")
        );
        assert_eq!(open("javascript:alert(1)"), None);
        let injected = open("https://example.org/\x1b]8;;x\x07").unwrap();
        assert_eq!(injected.matches('\x1b').count(), 2, "{injected:?}");
        assert!(!injected.contains('\x07'));
    }

    #[test]
    fn each_cell_is_a_whole_link_with_its_real_width() {
        let area = Rect::new(0, 0, 6, 1);
        let mut buf = Buffer::empty(area);
        buf.set_string(0, 0, "a世b", ratatui::style::Style::default());
        let open = open("https://example.org/").unwrap();
        link_cells(&mut buf, area, (0, 0), "a世b", &open);
        assert_eq!(buf[(0, 0)].symbol(), format!("{open}a{CLOSE}"));
        assert_eq!(buf[(1, 0)].symbol(), format!("{open}世{CLOSE}"));
        assert_eq!(
            buf[(1, 0)].diff_option,
            CellDiffOption::ForcedWidth(NonZeroU16::new(2).unwrap())
        );
        assert_eq!(buf[(3, 0)].symbol(), format!("{open}b{CLOSE}"));
        assert_eq!(buf[(4, 0)].symbol(), " ", "nothing after the link");
    }
}
