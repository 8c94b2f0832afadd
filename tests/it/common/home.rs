//! One isolated home for every run of the built binary: config, data and
//! cache all point into a folder the test owns, never at the user's own
//! files, whether the binary runs as a plain process or in a pty.

use portable_pty::CommandBuilder;
use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

/// The two kinds of command the tests start the binary with: std's, and
/// the pty's `CommandBuilder`. Only what isolation needs.
pub trait Environment {
    fn set(&mut self, name: &str, value: &OsStr);
    fn remove(&mut self, name: &str);
}

impl Environment for Command {
    fn set(&mut self, name: &str, value: &OsStr) {
        self.env(name, value);
    }
    fn remove(&mut self, name: &str) {
        self.env_remove(name);
    }
}

impl Environment for CommandBuilder {
    fn set(&mut self, name: &str, value: &OsStr) {
        self.env(name, value);
    }
    fn remove(&mut self, name: &str) {
        self.env_remove(name);
    }
}

/// Point config, data and cache under `home` (an empty config file unless
/// the test wrote one), forget a library named in the environment, and
/// turn colour off, so output reads the same on every machine.
pub fn isolate(cmd: &mut impl Environment, home: &Path) {
    let config = home.join("config.toml");
    if !config.exists() {
        std::fs::write(&config, "").unwrap();
    }
    cmd.remove("TIDINGS_LIBRARY");
    cmd.set("TIDINGS_DATA_DIR", home.join("data").as_os_str());
    cmd.set("TIDINGS_CACHE_DIR", home.join("cache").as_os_str());
    cmd.set("TIDINGS_CONFIG", config.as_os_str());
    cmd.set("NO_COLOR", OsStr::new("1"));
}

/// A `tidings` command isolated from the user's own files: data, cache and
/// config all point into `home`.
pub fn tidings(home: &Path) -> Command {
    tidings_in(home, home)
}

/// Like [`tidings`], run from the working directory `cwd`.
pub fn tidings_in(home: &Path, cwd: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tidings"));
    isolate(&mut cmd, home);
    cmd.current_dir(cwd);
    cmd
}
