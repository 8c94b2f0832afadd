//! The store under stress: processes killed mid-save, processes saving at
//! the same time, and reading positions across restarts.

use crate::common::{tidings, write_tree};
use serde_json::Value;
use std::collections::HashSet;
use std::fs;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant, SystemTime};
use tempfile::TempDir;
use tidings::store::Store;

/// A library of `n` one-paragraph articles; returns their ids in order.
fn library(root: &Path, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let text = format!("Story number {i}\n\nThe body of story {i}.");
            write_tree(root, &[(&format!("lib/s{i:03}.txt"), text.as_bytes())]);
            tidings::library::parse_bytes(text.as_bytes(), tidings::article::Format::Text)
                .unwrap()
                .id()
        })
        .collect()
}

/// The ids in `bookmarks.json`; panics (naming `context`) unless the file
/// is a complete version-1 document.
fn saved_ids(data: &Path, context: &str) -> HashSet<String> {
    let Ok(bytes) = fs::read(data.join("bookmarks.json")) else {
        return HashSet::new();
    };
    let v: Value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("{context}: bookmarks.json does not parse ({e}): {bytes:?}"));
    assert_eq!(v["version"], 1, "{context}");
    v["bookmarks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap().to_string())
        .collect()
}

fn leftovers(data: &Path) -> Vec<String> {
    fs::read_dir(data)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.contains(".tmp-") || n.contains(".corrupt-"))
                .collect()
        })
        .unwrap_or_default()
}

/// A small xorshift generator: random kill moments without a dependency,
/// reproducible from the seed printed on failure.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

#[test]
fn killing_bookmarks_add_at_random_moments_never_loses_or_damages_anything() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    let ids = library(h, 100);
    let data = h.join("data");
    let add = |id: &str| {
        let mut cmd = tidings(h);
        cmd.args(["bookmarks", "add", "-l", "lib", id])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd
    };
    // Calibrate: kill moments spread over one whole run, start to finish.
    let t = Instant::now();
    assert!(add(&ids[0]).status().unwrap().success());
    let span = t.elapsed().as_micros() as u64 * 5 / 4;
    let mut confirmed: HashSet<String> = HashSet::from([ids[0].clone()]);
    let seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut rng = Rng(seed);
    let mut killed = 0;
    for (round, id) in ids.iter().enumerate().skip(1) {
        let mut child = add(id).spawn().unwrap();
        std::thread::sleep(Duration::from_micros(rng.below(span)));
        let _ = child.kill();
        let status = child.wait().unwrap();
        if status.success() {
            confirmed.insert(id.clone());
        } else {
            killed += 1;
        }
        let context = format!("round {round} (seed {seed})");
        let saved = saved_ids(&data, &context);
        let lost: Vec<_> = confirmed.difference(&saved).collect();
        assert!(lost.is_empty(), "{context}: lost {lost:?}");
    }
    assert!(
        killed > 0,
        "no run was killed (seed {seed}): the test proved nothing"
    );
    // The next start clears what killed writers left, and nothing was damaged.
    let (store, warnings) = Store::open(&data);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(store.bookmarks().len() >= confirmed.len());
    assert_eq!(leftovers(&data), Vec::<String>::new());
}

#[test]
fn two_processes_adding_at_the_same_time_keep_all_bookmarks() {
    let home = TempDir::new().unwrap();
    let h = home.path();
    let ids = library(h, 40);
    let (left, right) = ids.split_at(20);
    std::thread::scope(|s| {
        for half in [left, right] {
            s.spawn(move || {
                for id in half {
                    let status = tidings(h)
                        .args(["bookmarks", "add", "-l", "lib", id])
                        .stdout(Stdio::null())
                        .status()
                        .unwrap();
                    assert!(status.success());
                }
            });
        }
    });
    let saved = saved_ids(&h.join("data"), "after both");
    let all: HashSet<String> = ids.iter().cloned().collect();
    assert_eq!(saved, all);
}

#[test]
fn two_stores_saving_at_the_same_time_keep_every_change() {
    let home = TempDir::new().unwrap();
    let data = home.path().join("data");
    let key = |side: usize, i: usize| format!("{side:08x}{i:08x}");
    std::thread::scope(|s| {
        for side in 1..=2 {
            let data = &data;
            s.spawn(move || {
                let (mut store, _) = Store::open(data);
                for i in 1..=300 {
                    store.set_read(&key(side, i), true);
                    store.set_position(&key(side, i), i);
                    if i % 10 == 0 {
                        store.flush().unwrap();
                    }
                }
            });
        }
    });
    let (store, warnings) = Store::open(&data);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(store.read_count(), 600);
    for side in 1..=2 {
        for i in [1, 150, 300] {
            assert_eq!(store.position(&key(side, i)), Some(i));
        }
    }
}

#[test]
fn the_reading_position_survives_closing_and_reopening() {
    let home = TempDir::new().unwrap();
    let data = home.path().join("data");
    let id = "8d914cb99bc382ae";
    let (mut store, _) = Store::open(&data);
    assert_eq!(store.position(id), None);
    store.set_read(id, true);
    // Scrolling down, then back up a little before quitting.
    for p in 1..=40 {
        store.set_position(id, p);
    }
    store.set_position(id, 37);
    store.flush().unwrap();
    drop(store);
    let (store, _) = Store::open(&data);
    assert_eq!(store.position(id), Some(37));
    assert!(store.is_read(id));
    assert_eq!(store.in_progress(), [(id.to_string(), 37)]);
}
