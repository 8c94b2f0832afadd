//! The sample library compiled into the binary, so an installed `tidings`
//! always has something to open. Mirrors `articles/` (a test checks that).

use super::read::{make_meta, parse_bytes};
use super::{Library, LoadOptions, Origin, Progress};
use std::path::Path;
use std::sync::Arc;

/// (library-relative path, file contents)
pub const FILES: &[(&str, &[u8])] = &[
    (
        "000_1f3a6cc88dee49d1.txt",
        include_bytes!("../../articles/000_1f3a6cc88dee49d1.txt"),
    ),
    (
        "004_0d84674a96582b98.txt",
        include_bytes!("../../articles/004_0d84674a96582b98.txt"),
    ),
    (
        "business/1m-payoff-for-former-shell-boss.txt",
        include_bytes!("../../articles/business/1m-payoff-for-former-shell-boss.txt"),
    ),
    (
        "business/bmw-to-recall-faulty-diesel-cars.html",
        include_bytes!("../../articles/business/bmw-to-recall-faulty-diesel-cars.html"),
    ),
    (
        "business/worldcom-boss-left-books-alone.txt",
        include_bytes!("../../articles/business/worldcom-boss-left-books-alone.txt"),
    ),
    (
        "entertainment/bookmakers-back-aviator-for-oscar.txt",
        include_bytes!("../../articles/entertainment/bookmakers-back-aviator-for-oscar.txt"),
    ),
    (
        "entertainment/france-set-for-new-da-vinci-novel.txt",
        include_bytes!("../../articles/entertainment/france-set-for-new-da-vinci-novel.txt"),
    ),
    (
        "politics/blair-up-for-it-ahead-of-poll.txt",
        include_bytes!("../../articles/politics/blair-up-for-it-ahead-of-poll.txt"),
    ),
    (
        "politics/final-hunts-held-as-ban-looms.txt",
        include_bytes!("../../articles/politics/final-hunts-held-as-ban-looms.txt"),
    ),
    (
        "sport/britain-boosted-by-holmes-double.txt",
        include_bytes!("../../articles/sport/britain-boosted-by-holmes-double.txt"),
    ),
    (
        "sport/capriati-to-miss-melbourne.json",
        include_bytes!("../../articles/sport/capriati-to-miss-melbourne.json"),
    ),
    (
        "sport/wilkinson-return-unlikely.txt",
        include_bytes!("../../articles/sport/wilkinson-return-unlikely.txt"),
    ),
    (
        "tech/halo-2-sells-five-million-copies.txt",
        include_bytes!("../../articles/tech/halo-2-sells-five-million-copies.txt"),
    ),
    (
        "tech/robots-learn-robotiquette-rules.md",
        include_bytes!("../../articles/tech/robots-learn-robotiquette-rules.md"),
    ),
    (
        "tech/tv-s-future-down-the-phone-line.txt",
        include_bytes!("../../articles/tech/tv-s-future-down-the-phone-line.txt"),
    ),
];

/// The prefix shown for bundled articles' paths.
pub const ROOT: &str = "<bundled>";

/// Contents of a bundled file by its library-relative path.
pub fn get(rel_path: &str) -> Option<&'static [u8]> {
    FILES.iter().find(|(p, _)| *p == rel_path).map(|(_, b)| *b)
}

impl Library {
    /// The sample library compiled into the binary.
    pub fn bundled() -> Self {
        let articles = FILES
            .iter()
            .filter_map(|(rel, bytes)| {
                let parsed = parse_bytes(bytes, crate::article::Format::of(rel)).ok()?;
                let path = Path::new(ROOT).join(rel);
                Some(Arc::new(make_meta(
                    parsed,
                    path,
                    rel,
                    bytes.len() as u64,
                    0,
                )))
            })
            .collect();
        Self {
            articles,
            progress: Progress {
                total: Some(FILES.len()),
                checked: FILES.len(),
                done: true,
                cached: false,
            },
            ..Self::unloaded(Origin::Bundled, LoadOptions::default())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{discover, paths::rel_path};

    #[test]
    fn bundled_list_mirrors_articles_folder() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
        let found = discover(std::slice::from_ref(&root)).unwrap();
        let mut on_disk: Vec<String> = found
            .candidates
            .iter()
            .map(|c| rel_path(&c.path, &root).into_owned())
            .collect();
        on_disk.sort();
        let mut bundled: Vec<String> = FILES.iter().map(|(p, _)| p.to_string()).collect();
        bundled.sort();
        assert_eq!(on_disk, bundled);
    }

    #[test]
    fn bundled_library_loads_every_file() {
        let lib = Library::bundled();
        assert_eq!(lib.len(), FILES.len());
        let a = &lib.articles[0];
        assert!(lib.article(a).unwrap().paragraphs.len() > 3);
    }
}
