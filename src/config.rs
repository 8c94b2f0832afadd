//! The user's configuration file (`config.toml`).
//!
//! Settings not given keep their defaults; an invalid file is an error that
//! names the file and the line, never silently ignored.

use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Library folders or files (used when none is given on the command line).
    #[serde(default)]
    pub library: Vec<PathBuf>,
    /// Files larger than this many MiB are skipped.
    pub max_file_size_mib: Option<u64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {}: {}", .0.display(), .1)]
    Read(PathBuf, std::io::Error),
    #[error("invalid config {}: {}", .0.display(), .1)]
    Parse(PathBuf, String),
}

impl Config {
    /// Load `path`; a missing file is an empty config unless `explicit`
    /// (the user named it), when it is an error.
    pub fn load(path: &Path, explicit: bool) -> Result<Self, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text).map_err(|e| ConfigError::Parse(path.to_path_buf(), e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => Ok(Self::default()),
            Err(e) => Err(ConfigError::Read(path.to_path_buf(), e)),
        }
    }

    /// Parse config text; the error message names the line and column.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut config: Self =
            toml::from_str(text).map_err(|e| crate::article::sanitize::sanitize(&e.to_string()))?;
        config.library = config.library.iter().map(|p| expand_home(p)).collect();
        Ok(config)
    }
}

/// `~/x` to `$HOME/x`.
pub fn expand_home(path: &Path) -> PathBuf {
    match (path.strip_prefix("~"), dirs::home_dir()) {
        (Ok(rest), Some(home)) => home.join(rest),
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_config_is_default() {
        assert_eq!(Config::parse("").unwrap(), Config::default());
    }

    #[test]
    fn library_and_size() {
        let c = Config::parse("library = [\"/news\"]\nmax_file_size_mib = 4\n").unwrap();
        assert_eq!(c.library, [PathBuf::from("/news")]);
        assert_eq!(c.max_file_size_mib, Some(4));
    }

    #[test]
    fn errors_name_the_line() {
        let e = Config::parse("library = [\"/news\"]\nbogus = 1\n").unwrap_err();
        assert!(e.contains("line 2"), "{e}");
    }
}
