//! Terminal mouse events as the app's [`Action::Mouse`]: presses of the
//! left button (two on one cell in quick succession are a double click)
//! and turns of the wheel. Everything else the terminal reports (releases,
//! other buttons, drags) is ignored.

use crate::action::{Action, Pointer};
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use std::time::{Duration, Instant};

/// Two clicks on one cell within this time are a double click (the usual
/// desktop default).
pub const DOUBLE_CLICK: Duration = Duration::from_millis(400);

/// The last click, to tell a double click.
#[derive(Debug, Default)]
pub struct Clicks {
    last: Option<(Instant, u16, u16)>,
}

impl Clicks {
    /// The action for one mouse event at `now`, if it is one the app uses.
    pub fn pointer(&mut self, event: &MouseEvent, now: Instant) -> Option<Action> {
        let (column, row) = (event.column, event.row);
        let pointer = match event.kind {
            MouseEventKind::ScrollDown => Pointer::WheelDown,
            MouseEventKind::ScrollUp => Pointer::WheelUp,
            MouseEventKind::Down(MouseButton::Left) => {
                let double = self.last.is_some_and(|(at, c, r)| {
                    (c, r) == (column, row) && now.duration_since(at) <= DOUBLE_CLICK
                });
                // A third click starts over rather than making a second double.
                self.last = (!double).then_some((now, column, row));
                if double {
                    Pointer::DoubleClick
                } else {
                    Pointer::Click
                }
            }
            _ => return None,
        };
        Some(Action::Mouse(pointer, column, row))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn event(kind: MouseEventKind, column: u16, row: u16) -> MouseEvent {
        MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }
    }

    fn press(column: u16, row: u16) -> MouseEvent {
        event(MouseEventKind::Down(MouseButton::Left), column, row)
    }

    #[test]
    fn two_quick_presses_on_one_cell_are_a_double_click() {
        let mut clicks = Clicks::default();
        let t = Instant::now();
        let ms = Duration::from_millis;
        assert_eq!(
            clicks.pointer(&press(3, 4), t),
            Some(Action::Mouse(Pointer::Click, 3, 4))
        );
        assert_eq!(
            clicks.pointer(&press(3, 4), t + ms(200)),
            Some(Action::Mouse(Pointer::DoubleClick, 3, 4))
        );
        // A third starts over; slow or elsewhere, a click is a click.
        assert_eq!(
            clicks.pointer(&press(3, 4), t + ms(300)),
            Some(Action::Mouse(Pointer::Click, 3, 4))
        );
        assert_eq!(
            clicks.pointer(&press(3, 4), t + ms(1000)),
            Some(Action::Mouse(Pointer::Click, 3, 4))
        );
        assert_eq!(
            clicks.pointer(&press(5, 4), t + ms(1100)),
            Some(Action::Mouse(Pointer::Click, 5, 4))
        );
    }

    #[test]
    fn the_wheel_scrolls_and_releases_and_drags_do_nothing() {
        let mut clicks = Clicks::default();
        let t = Instant::now();
        assert_eq!(
            clicks.pointer(&event(MouseEventKind::ScrollDown, 1, 2), t),
            Some(Action::Mouse(Pointer::WheelDown, 1, 2))
        );
        assert_eq!(
            clicks.pointer(&event(MouseEventKind::ScrollUp, 1, 2), t),
            Some(Action::Mouse(Pointer::WheelUp, 1, 2))
        );
        let up = MouseEventKind::Up(MouseButton::Left);
        let drag = MouseEventKind::Drag(MouseButton::Left);
        let right = MouseEventKind::Down(MouseButton::Right);
        for kind in [up, drag, right, MouseEventKind::Moved] {
            assert_eq!(clicks.pointer(&event(kind, 1, 2), t), None);
        }
    }
}
