//! Drawing frames, and scrolling a full-width reader with the terminal's
//! own scroll region.
//!
//! ratatui sends the cells that differ from the last frame. A one-line
//! scroll of the reader changes every row of its body, so the plain diff
//! rewrites the whole pane (about 4 KB at 120x40) where `less` writes one
//! line. When the reader spans the whole width, the terminal can move the
//! rows itself: set the scroll region to the reader's body rows (DECSTBM),
//! scroll it (SU/SD), and reset the region. ratatui's previous buffer is
//! then shifted the same way, so its diff sends only the rows that entered
//! and whatever else changed (the header's percentage).
//!
//! The shifted buffer models exactly what the terminal shows after the
//! scroll, so the frame is right even when the guess was wrong (a search
//! highlight that moved, a status message in the body rows): the diff
//! repairs any cell that differs, at the usual cost. The app stays a state
//! machine; this module only compares what two frames showed.

use crate::app::App;
use crate::keymap::Mode;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;

/// What a frame showed of a full-width reader: enough to tell a scroll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReaderView {
    /// The terminal's area.
    area: Rect,
    /// The reader's body rows (below its header), the full width.
    body: Rect,
    /// The story (its index in the library) and whether it is shown raw.
    story: (usize, bool),
    /// The first line of the story shown.
    scroll: usize,
}

impl ReaderView {
    /// The reader as `app` draws it on `area`, when it has the keyboard,
    /// spans the whole width and nothing lies over it; `None` otherwise.
    pub fn of(app: &App, area: Rect) -> Option<Self> {
        if app.mode() != Mode::Reader {
            return None;
        }
        let panes = app.panes(area)?;
        let reader = panes.reader.filter(|_| panes.list.is_none())?;
        if reader.x != area.x || reader.width != area.width || reader.height < 2 {
            return None;
        }
        let shown = app.reader()?;
        Some(Self {
            area,
            body: Rect {
                y: reader.y + 1,
                height: reader.height - 1,
                ..reader
            },
            story: (shown.index, shown.showing_raw()),
            scroll: shown.scroll(),
        })
    }

    /// Lines to scroll the terminal by to go from `self` to `next` (up,
    /// positive: the text moves up), when it is a scroll of the same story
    /// in the same place by less than the body's height.
    fn shift_to(&self, next: &Self) -> Option<i32> {
        let same = self.area == next.area && self.body == next.body && self.story == next.story;
        let delta = i64::try_from(next.scroll).ok()? - i64::try_from(self.scroll).ok()?;
        let fits = delta != 0 && delta.unsigned_abs() < u64::from(self.body.height);
        if !(same && fits) {
            return None;
        }
        i32::try_from(delta).ok()
    }
}

/// Draws frames, remembering the last one while a full-width reader is
/// shown so the next can scroll it.
#[derive(Debug, Default)]
pub struct Painter {
    last: Option<(ReaderView, Buffer)>,
}

impl Painter {
    /// Draw `app`; scroll the terminal first when the frame before showed
    /// the same full-width story a few lines away.
    pub fn draw<B: Backend>(
        &mut self,
        terminal: &mut Terminal<B>,
        app: &App,
    ) -> Result<(), B::Error> {
        // A resize clears the screen and both buffers: nothing to scroll.
        terminal.autoresize()?;
        let next = ReaderView::of(app, terminal.get_frame().area());
        if let (Some((view, last)), Some(next)) = (self.last.take(), next)
            && let Some(lines) = view.shift_to(&next)
        {
            scroll_region(terminal, last, view.body, lines)?;
        }
        let frame = terminal.draw(|frame| crate::ui::draw(app, frame))?;
        // Only a frame that may be scrolled next is worth a copy.
        self.last = next
            .filter(|n| n.area == frame.area)
            .map(|view| (view, frame.buffer.clone()));
        Ok(())
    }

    /// The screen no longer shows the last frame (a resume after ctrl-z
    /// cleared it): the next frame is drawn in full.
    pub fn forget(&mut self) {
        self.last = None;
    }
}

/// Scroll `body`'s rows by `lines` on the terminal, and make ratatui's
/// previous buffer what the terminal now shows: `last` with the same rows
/// moved and blank rows entering.
fn scroll_region<B: Backend>(
    terminal: &mut Terminal<B>,
    mut last: Buffer,
    body: Rect,
    lines: i32,
) -> Result<(), B::Error> {
    let rows = body.top()..body.bottom();
    let count = lines.unsigned_abs() as u16;
    if lines > 0 {
        terminal.backend_mut().scroll_region_up(rows, count)?;
    } else {
        terminal.backend_mut().scroll_region_down(rows, count)?;
    }
    shift_rows(&mut last, body, lines);
    // The current buffer becomes the previous one: the next draw's diff is
    // taken against the scrolled screen.
    *terminal.current_buffer_mut() = last;
    terminal.swap_buffers();
    Ok(())
}

/// Move the rows of `body` in `buf` up by `lines` (down when negative),
/// blanking the rows that enter, as the terminal's scroll does.
pub fn shift_rows(buf: &mut Buffer, body: Rect, lines: i32) {
    let width = usize::from(buf.area.width);
    let row_start = |buf: &Buffer, y: u16| buf.index_of(buf.area.x, y);
    let (top, bottom) = (body.top(), body.bottom());
    let count = lines.unsigned_abs() as u16;
    let moved: Vec<u16> = if lines > 0 {
        (top..bottom.saturating_sub(count)).collect()
    } else {
        (top + count..bottom).rev().collect()
    };
    for y in moved {
        let from = if lines > 0 { y + count } else { y - count };
        let (src, dst) = (row_start(buf, from), row_start(buf, y));
        let row: Vec<Cell> = buf.content[src..src + width].to_vec();
        buf.content[dst..dst + width].clone_from_slice(&row);
    }
    let entering = if lines > 0 {
        bottom.saturating_sub(count).max(top)..bottom
    } else {
        top..(top + count).min(bottom)
    };
    for y in entering {
        let start = row_start(buf, y);
        buf.content[start..start + width].fill(Cell::default());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(buf: &Buffer) -> Vec<String> {
        (0..buf.area.height)
            .map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect())
            .collect()
    }

    fn lettered() -> Buffer {
        Buffer::with_lines(["hh", "aa", "bb", "cc", "dd", "ss"])
    }

    #[test]
    fn rows_move_within_the_body_only_and_blanks_enter() {
        let body = Rect::new(0, 1, 2, 4);
        let mut up = lettered();
        shift_rows(&mut up, body, 1);
        assert_eq!(rows(&up), ["hh", "bb", "cc", "dd", "  ", "ss"]);
        let mut down = lettered();
        shift_rows(&mut down, body, -2);
        assert_eq!(rows(&down), ["hh", "  ", "  ", "aa", "bb", "ss"]);
    }
}
