//! The app drawn into a `TestBackend`, once, as the run loop draws a frame.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Position;
use tidings::app::App;

/// One frame of the app and the terminal it was drawn to.
pub struct Screen {
    terminal: Terminal<TestBackend>,
    frame: Buffer,
}

/// Draw `app` into a fresh `width`x`height` `TestBackend`.
pub fn screen(app: &App, width: u16, height: u16) -> Screen {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let frame = terminal
        .draw(|frame| tidings::ui::draw(app, frame))
        .unwrap()
        .buffer
        .clone();
    Screen { terminal, frame }
}

/// [`screen`] at the size the app was last given (`Action::Resize`).
pub fn drawn(app: &App) -> Screen {
    let area = app.area();
    screen(app, area.width, area.height)
}

impl Screen {
    /// The backend, whose `Display` is what snapshots record.
    pub fn backend(&self) -> &TestBackend {
        self.terminal.backend()
    }

    /// What reached the terminal: ratatui's diff applied to a blank
    /// screen.
    pub fn buffer(&self) -> &Buffer {
        self.terminal.backend().buffer()
    }

    /// The frame as drawn, before the diff: cells under a wide symbol are
    /// as the widgets left them, not as a blank screen had them.
    pub fn frame(&self) -> &Buffer {
        &self.frame
    }

    /// The text of row `y` of the terminal, one symbol a cell.
    pub fn row(&self, y: u16) -> String {
        let buffer = self.buffer();
        (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol())
            .collect()
    }

    /// Every row of the terminal, as [`Self::row`].
    pub fn rows(&self) -> Vec<String> {
        (0..self.buffer().area.height)
            .map(|y| self.row(y))
            .collect()
    }

    /// Where the terminal's cursor was left.
    pub fn cursor(&mut self) -> Position {
        self.terminal.get_cursor_position().unwrap()
    }
}
