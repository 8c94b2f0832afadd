//! Keystroke to results, as the app meets it: a key typed into the search
//! bar (the app filters its list and draws the frame), the query the app
//! then hands the engine answered by the searcher's own code
//! ([`worker::answer`]), that answer taken into the app (its ids placed in
//! the list) and the frame drawn again. Only the thread hand-offs between
//! the app and the searcher are left out (microseconds).

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::{Duration, Instant};
use tidings::action::Action;
use tidings::app::{App, Event, serve_reads};
use tidings::search::SearchIndex;
use tidings::search::worker::{self, Event as Answer};
use tidings::ui;

/// The terminal the frames are drawn into.
const COLS: u16 = 120;
const ROWS: u16 = 40;

/// What one key took, split where the app hands over to the engine.
#[derive(Debug, Clone)]
pub struct Key {
    /// The query after the key.
    pub query: String,
    /// The key to its results drawn.
    pub total: Duration,
    /// CPU time the key took on this thread (all of it runs here): what
    /// the key costs, whatever else the machine is running.
    pub cpu: Duration,
    /// The app's own part: the key's frame, and taking in the answer.
    pub app: Duration,
    /// The engine's part: the query answered.
    pub engine: Duration,
}

/// An app with the search bar open on a terminal of the usual size.
pub struct Typist<'a> {
    app: App,
    term: Terminal<TestBackend>,
    index: &'a SearchIndex,
}

impl<'a> Typist<'a> {
    pub fn new(mut app: App, index: &'a SearchIndex) -> Self {
        app.update(Action::Resize(COLS, ROWS));
        serve_reads(&mut app);
        let term = Terminal::new(TestBackend::new(COLS, ROWS)).expect("test terminal");
        Self { app, term, index }
    }

    /// Type `word` into a fresh search, one key at a time; then cancel it
    /// (untimed). What each key took, in order.
    pub fn type_word(&mut self, word: &str) -> anyhow::Result<Vec<Key>> {
        self.step(Action::Search);
        let keys = word
            .chars()
            .map(|c| self.key(c))
            .collect::<anyhow::Result<_>>()?;
        self.step(Action::Cancel);
        Ok(keys)
    }

    /// How many stories the list shows now.
    pub fn listed(&self) -> usize {
        self.app.visible().len()
    }

    fn key(&mut self, c: char) -> anyhow::Result<Key> {
        let (start, cpu) = (Instant::now(), cpu_time());
        self.step(Action::Insert(c));
        let typed = start.elapsed();
        let query = self
            .app
            .take_query_change()
            .ok_or_else(|| anyhow::anyhow!("the key {c:?} asked the engine nothing"))?;
        let asked = Instant::now();
        let answer = worker::answer(
            self.index,
            &query,
            self.app.result_limit(),
            self.app.marks(),
        )?;
        let engine = asked.elapsed();
        let taken = Instant::now();
        if let Answer::SearchResults { query, ids, total } = answer {
            self.app.apply(Event::SearchResults { query, ids, total });
        }
        self.draw();
        let app = typed + taken.elapsed();
        Ok(Key {
            cpu: cpu_time().saturating_sub(cpu),
            total: start.elapsed(),
            query: self.app.search().query.clone(),
            app,
            engine,
        })
    }

    /// One action and its frame, as the run loop handles a key.
    fn step(&mut self, action: Action) {
        self.app.update(action);
        self.draw();
    }

    fn draw(&mut self) {
        serve_reads(&mut self.app);
        let app = &self.app;
        self.term.draw(|f| ui::draw(app, f)).expect("draw");
    }
}

/// CPU time this thread has run (its CPU clock, to the nanosecond).
fn cpu_time() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(t.tv_sec.unsigned_abs(), t.tv_nsec.try_into().unwrap_or(0))
}
