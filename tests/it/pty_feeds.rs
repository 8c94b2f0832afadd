//! `R` in the built binary, in a pseudo-terminal, against a server the
//! test starts on 127.0.0.1: the progress shows, the new items join the
//! list without a restart, and a feed that fails says why in the status
//! bar.

use crate::common::http::{Reply, Server};
use crate::common::pty::{Session, tidings_pty};
use crate::common::{run, tidings};
use crate::fetch_cli::{add, feed};
use std::time::Duration;

fn server() -> Server {
    Server::start(|request| match request.path.as_str() {
        "/feed.xml" => {
            // Slow enough for the progress to be seen.
            std::thread::sleep(Duration::from_millis(800));
            Reply::ok(feed(&[
                ("Harbour fees rise", "a1"),
                ("Rail strike ends", "a2"),
            ]))
        }
        "/broken.xml" => Reply::status(500),
        _ => Reply::status(404),
    })
}

#[test]
fn r_fetches_in_the_background_lists_new_items_and_reports_a_failing_feed() {
    let server = server();
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    add(h, &server.url("/feed.xml"), "local");
    // The default library: the news folder, which does not exist yet.
    let mut cmd = tidings_pty(h, &[]);
    cmd.cwd(h);
    let mut s = Session::spawn(cmd, 100, 30, None);
    s.wait_for("No stories in this library");
    s.send("R");
    s.wait_for("Fetching");
    s.wait_for("Harbour fees rise");
    let screen = s.wait_for("Rail strike ends");
    assert!(!screen.contains("failed"), "{screen}");
    s.wait_for("2 new");

    add(h, &server.url("/broken.xml"), "broken");
    s.send("R");
    let screen = s.wait_for("1 feed failed: broken: server answered 500");
    assert!(screen.contains("Harbour fees rise"), "{screen}");
    s.send("!");
    s.wait_for("Feeds that failed");
    let (code, _, _) = s.quit();
    assert_eq!(code, 0);
}

#[test]
fn r_follows_a_feed_that_moved_and_names_a_feed_still_waiting_after_failures() {
    let server = Server::start(|request| match request.path.as_str() {
        "/old.xml" => Reply::status(301).header("Location", "/new.xml"),
        "/new.xml" => Reply::ok(feed(&[("Ferry timetable changes", "m1")])),
        "/broken.xml" => Reply::status(500),
        _ => Reply::status(404),
    });
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    add(h, &server.url("/old.xml"), "moving");
    add(h, &server.url("/broken.xml"), "broken");
    let mut cmd = tidings_pty(h, &[]);
    cmd.cwd(h);
    let mut s = Session::spawn(cmd, 120, 30, None);
    s.wait_for("No stories in this library");
    s.send("R");
    s.wait_for("Ferry timetable changes");
    let screen = s.wait_for("moving moved to");
    assert!(screen.contains("broken: server answered 500"), "{screen}");
    // The subscription follows the feed, as `tidings fetch` makes it do.
    let (code, out, err) = run(tidings(h).args(["feeds", "list"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&server.url("/new.xml")), "{out}");
    assert!(!out.contains(&server.url("/old.xml")), "{out}");

    // The failing feed now waits before it is tried again: said, not
    // passed over as "Nothing new", and still in the details.
    s.send("R");
    s.wait_for("1 feed waiting after failures: broken");
    s.send("!");
    s.wait_for("waiting after earlier failures");
    let (code, _, _) = s.quit();
    assert_eq!(code, 0);
}
