//! The loop's own sources: terminal input and Unix signals, each read on a
//! thread of its own and sent on as [`Msg`]s.

use super::Msg;
use crate::terminal::{self, InputGone};
use crossterm::event;
use signal_hook::consts::signal::{SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGWINCH};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// Start the input and signal threads; they stop when the receiver is
/// dropped (or with the process). SIGCONT is heard so that a reader stopped
/// from outside (SIGSTOP, or SIGTSTP, which keeps its default action) takes
/// the terminal back and repaints when it is continued.
pub fn spawn_sources(tx: &Sender<Msg>) -> std::io::Result<()> {
    let mut signals =
        signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGQUIT, SIGINT, SIGWINCH, SIGCONT])?;
    let signal_tx = tx.clone();
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                if signal_tx.send(Msg::Signal(signal)).is_err() {
                    break;
                }
            }
        })?;
    let input_tx = tx.clone();
    std::thread::Builder::new()
        .name("input".into())
        .spawn(move || read_input(&input_tx))?;
    Ok(())
}

/// How long to wait for more events once input has arrived. crossterm's
/// reader only reads at all with a timeout above zero.
const DRAIN_WAIT: Duration = Duration::from_millis(2);

/// Forward terminal events until the terminal goes away.
fn read_input(tx: &Sender<Msg>) {
    loop {
        if let Err(gone) = terminal::wait_for_input() {
            let _ = tx.send(Msg::InputGone(gone));
            return;
        }
        // Everything crossterm can parse now; then back to waiting, so an
        // idle app sleeps in the kernel.
        loop {
            match event::poll(DRAIN_WAIT).and_then(|ready| ready.then(event::read).transpose()) {
                Ok(Some(ev)) => {
                    if tx.send(Msg::Input(ev)).is_err() {
                        return;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    let _ = tx.send(Msg::InputGone(InputGone::Error(e.to_string())));
                    return;
                }
            }
        }
    }
}
