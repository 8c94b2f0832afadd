//! Where each pane goes, for a terminal size and focus.
//!
//! One pure function shared by drawing and by the app (which needs the list
//! height for paging and the reader width for wrapping), so the two can
//! never disagree.

use ratatui::layout::Rect;

/// At this width and above, list and reader sit side by side.
pub const WIDE: u16 = 100;
/// Below this size only a "terminal too small" notice is drawn.
pub const MIN_WIDTH: u16 = 20;
pub const MIN_HEIGHT: u16 = 5;
/// Lines longer than this are tiring to read, so the reader caps them.
pub const MAX_TEXT_WIDTH: u16 = 90;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub search: Rect,
    /// The story list (its first row is the header), when shown.
    pub list: Option<Rect>,
    /// The column between list and reader.
    pub separator: Option<Rect>,
    /// The reader (its first row is the header), when shown.
    pub reader: Option<Rect>,
    pub status: Rect,
}

/// The panes for a terminal `area`; `None` when it is too small to use.
/// `reader_focused` picks the pane on narrow terminals.
pub fn areas(area: Rect, reader_focused: bool) -> Option<Areas> {
    reading_areas(area, reader_focused, false)
}

/// As [`areas`]; with `full_width`, a focused reader takes the whole width
/// on a wide terminal too, as it does on a narrow one (the `Z` mode). A
/// reader that spans the width can be scrolled with the terminal's own
/// scroll region (see `crate::tui::scroll`).
pub fn reading_areas(area: Rect, reader_focused: bool, full_width: bool) -> Option<Areas> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let search = Rect { height: 1, ..area };
    let status = Rect {
        y: area.bottom() - 1,
        height: 1,
        ..area
    };
    let main = Rect {
        y: area.y + 1,
        height: area.height - 2,
        ..area
    };
    let (list, separator, reader) = if area.width >= WIDE && !(full_width && reader_focused) {
        let list_width = area.width * 2 / 5;
        let list = Rect {
            width: list_width,
            ..main
        };
        let separator = Rect {
            x: main.x + list_width,
            width: 1,
            ..main
        };
        let reader = Rect {
            x: separator.right(),
            width: main.right() - separator.right(),
            ..main
        };
        (Some(list), Some(separator), Some(reader))
    } else if reader_focused {
        (None, None, Some(main))
    } else {
        (Some(main), None, None)
    };
    Some(Areas {
        search,
        list,
        separator,
        reader,
        status,
    })
}

/// Rows of stories in a list pane (below its header).
pub fn list_rows(list: Rect) -> usize {
    usize::from(list.height.saturating_sub(1))
}

/// The text area of a reader pane: below its header, with a margin of one
/// column each side, at most [`MAX_TEXT_WIDTH`] wide.
pub fn reader_text(reader: Rect) -> Rect {
    let body = Rect {
        y: reader.y + 1,
        height: reader.height.saturating_sub(1),
        ..reader
    };
    let margin = if body.width > 4 { 1 } else { 0 };
    Rect {
        x: body.x + margin,
        width: (body.width - 2 * margin).min(MAX_TEXT_WIDTH),
        ..body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_splits_about_forty_sixty() {
        let a = areas(Rect::new(0, 0, 120, 32), false).unwrap();
        let (list, reader) = (a.list.unwrap(), a.reader.unwrap());
        assert_eq!((list.width, reader.width, list.height), (48, 71, 30));
        assert_eq!(reader.right(), 120);
    }

    #[test]
    fn narrow_shows_one_pane_and_tiny_shows_none() {
        let a = areas(Rect::new(0, 0, 80, 24), true).unwrap();
        assert!(a.list.is_none() && a.reader.is_some());
        let a = areas(Rect::new(0, 0, 80, 24), false).unwrap();
        assert!(a.list.is_some() && a.reader.is_none());
        assert!(areas(Rect::new(0, 0, 19, 24), false).is_none());
        assert!(areas(Rect::new(0, 0, 80, 4), false).is_none());
    }

    #[test]
    fn full_width_gives_a_focused_reader_the_whole_width() {
        let wide = Rect::new(0, 0, 120, 32);
        let a = reading_areas(wide, true, true).unwrap();
        assert!(a.list.is_none() && a.separator.is_none());
        assert_eq!(a.reader, Some(Rect::new(0, 1, 120, 30)));
        // The list, when it has the focus, is shown as usual.
        assert_eq!(reading_areas(wide, false, true), areas(wide, false));
    }

    #[test]
    fn reader_text_caps_the_line_length() {
        let t = reader_text(Rect::new(0, 1, 200, 30));
        assert_eq!((t.x, t.y, t.width, t.height), (1, 2, MAX_TEXT_WIDTH, 29));
    }
}
