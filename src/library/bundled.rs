//! The sample library compiled into the binary, so an installed `tidings`
//! always has something to open. Mirrors `articles/` (a test checks that).

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
        "sport/wilkinson-return-unlikely.txt",
        include_bytes!("../../articles/sport/wilkinson-return-unlikely.txt"),
    ),
    (
        "tech/halo-2-sells-five-million-copies.txt",
        include_bytes!("../../articles/tech/halo-2-sells-five-million-copies.txt"),
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
