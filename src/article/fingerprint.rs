//! A 64-bit SimHash of an article's body, to find near-duplicates: the
//! same story lightly edited, retitled or syndicated.
//!
//! The body (never the title, so a retitled copy keeps its fingerprint) is
//! normalised to lowercase words with punctuation stripped, cut into
//! overlapping shingles of [`SHINGLE`] words, and each shingle's 64-bit hash
//! votes on every bit: a bit of the fingerprint is set when most shingles
//! have it set. Texts sharing most of their shingles get fingerprints a
//! few bits apart (see `library::groups` for the distance that groups).
//!
//! Eight bytes per article (a million articles: 8 MB), computed after a
//! load, off its path, and kept beside the load cache (see
//! `library::prints`). Bodies too short to
//! judge (fewer than [`MIN_SHINGLES`] shingles) get [`NONE`] and are never
//! grouped: two short notices share too little text to call them copies.

/// Words per shingle: three keeps the order of words (a different story
/// made of the same vocabulary stays far) while one edited word changes
/// only three shingles.
pub const SHINGLE: usize = 3;

/// Fewer shingles than this (about 40 words) and the body is not
/// fingerprinted.
pub const MIN_SHINGLES: u32 = 40;

/// The fingerprint of a body too short to have one.
pub const NONE: u64 = 0;

/// The SimHash of `paragraphs`, or [`NONE`] when they are too short.
pub fn fingerprint(paragraphs: &[String]) -> u64 {
    let mut simhash = SimHash::default();
    let mut words = Words::default();
    for p in paragraphs {
        words.feed(p.as_bytes(), &mut simhash);
        // Shingles run across paragraph breaks: a copy that splits or joins
        // paragraphs keeps its shingles.
        words.end_word(&mut simhash);
    }
    simhash.finish()
}

/// The number of bits two fingerprints differ in.
pub fn distance(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

/// Byte classes for the word splitter: 0 separates words, anything else is
/// the byte as it enters a word (ASCII letters lowercased). Bytes of
/// non-ASCII characters are part of words, except those [`Words::feed`]
/// treats as punctuation.
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = match c {
            b'a'..=b'z' | b'0'..=b'9' => c,
            b'A'..=b'Z' => c + 32,
            0x80.. => c,
            _ => 0,
        };
        b += 1;
    }
    t
};

/// Splits text into normalised words and hashes each, feeding shingles to
/// a [`SimHash`]. A word is packed into a `u64` eight bytes at a time (no
/// allocation, no per-byte multiply).
#[derive(Default)]
struct Words {
    /// The word's bytes not yet folded into `folded`.
    packed: u64,
    /// Earlier 8-byte pieces of a long word, mixed.
    folded: u64,
    len: u32,
    /// Hashes of the last two words, for the shingle.
    prev: [u64; SHINGLE - 1],
    /// Words seen, up to SHINGLE (after that the shingle window is full).
    seen: usize,
}

impl Words {
    fn feed(&mut self, text: &[u8], out: &mut SimHash) {
        let mut i = 0;
        while i < text.len() {
            let b = text[i];
            let skip = punctuation_len(text, i);
            if skip > 0 {
                self.end_word(out);
                i += skip;
                continue;
            }
            match CLASS[b as usize] {
                0 => self.end_word(out),
                c => self.push(c),
            }
            i += 1;
        }
    }

    fn push(&mut self, c: u8) {
        if self.len > 0 && self.len.is_multiple_of(8) {
            self.folded = mix(self.folded ^ self.packed);
            self.packed = 0;
        }
        self.packed = (self.packed << 8) | u64::from(c);
        self.len += 1;
    }

    fn end_word(&mut self, out: &mut SimHash) {
        if self.len == 0 {
            return;
        }
        let word = mix(self.packed ^ self.folded.rotate_left(17) ^ u64::from(self.len) << 56);
        self.packed = 0;
        self.folded = 0;
        self.len = 0;
        self.seen += 1;
        if self.seen >= SHINGLE {
            let shingle = self.prev[0].wrapping_mul(0x9E37_79B9_7F4A_7C15)
                ^ self.prev[1]
                    .rotate_left(23)
                    .wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
                ^ word;
            out.add(mix(shingle));
        }
        self.prev = [self.prev[1], word];
    }
}

/// How many bytes of punctuation start at `text[i]`, among non-ASCII
/// characters: U+00A0..U+00BF (no-break space, guillemets, `£`, `©`...)
/// and U+2000..U+203F (typographic spaces, dashes, curly quotes, `…`).
/// ASCII punctuation is handled by [`CLASS`].
fn punctuation_len(text: &[u8], i: usize) -> usize {
    match text[i] {
        0xC2 if matches!(text.get(i + 1), Some(0xA0..=0xBF)) => 2,
        0xE2 if text.get(i + 1) == Some(&0x80) && text.len() > i + 2 => 3,
        _ => 0,
    }
}

/// The 64-bit finaliser of MurmurHash3: every input bit flips about half
/// the output bits, which the bit votes need.
fn mix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

/// One byte per bit, for adding a hash's bits eight lanes at a time.
const SPREAD: [u64; 256] = {
    let mut t = [0u64; 256];
    let mut b = 0;
    while b < 256 {
        let mut lanes = 0u64;
        let mut bit = 0;
        while bit < 8 {
            if b & (1 << bit) != 0 {
                lanes |= 1 << (8 * bit);
            }
            bit += 1;
        }
        t[b] = lanes;
        b += 1;
    }
    t
};

/// The bit votes: a count per bit of how many shingle hashes set it.
///
/// Counting 64 bits one by one per shingle would cost more than the rest
/// of a load's work on the text; instead each hash is spread into eight
/// words of eight byte-sized counters (one table look-up per byte of the
/// hash), and the byte counters are emptied into wide ones before they
/// can overflow.
struct SimHash {
    /// Byte counters: lane `k` of `small[j]` counts bit `8 * j + k`.
    small: [u64; 8],
    /// Hashes in `small`, flushed at 255.
    pending: u32,
    wide: [u32; 64],
    total: u32,
}

impl Default for SimHash {
    fn default() -> Self {
        Self {
            small: [0; 8],
            pending: 0,
            wide: [0; 64],
            total: 0,
        }
    }
}

impl SimHash {
    fn add(&mut self, hash: u64) {
        for (j, counter) in self.small.iter_mut().enumerate() {
            *counter += SPREAD[((hash >> (8 * j)) & 0xFF) as usize];
        }
        self.pending += 1;
        if self.pending == 255 {
            self.flush();
        }
    }

    fn flush(&mut self) {
        for (j, counter) in self.small.iter_mut().enumerate() {
            for k in 0..8 {
                self.wide[8 * j + k] += ((*counter >> (8 * k)) & 0xFF) as u32;
            }
            *counter = 0;
        }
        self.total += self.pending;
        self.pending = 0;
    }

    fn finish(mut self) -> u64 {
        self.flush();
        if self.total < MIN_SHINGLES {
            return NONE;
        }
        let mut bits = 0u64;
        for (i, &count) in self.wide.iter().enumerate() {
            if 2 * count > self.total {
                bits |= 1 << i;
            }
        }
        // NONE is reserved: a real fingerprint of all zeros (one in 2^64)
        // becomes 1, a bit away.
        bits.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "Consumers are very concerned about the use of radio \
        frequency ID tags in shops, a survey says. More than half of 2,000 \
        people surveyed said they had privacy worries about the tags, which \
        can be used to monitor stock on shelves or in warehouses. Some \
        consumer groups have expressed concern that the tags could be used \
        to monitor shoppers once they had left shops with their purchases. \
        The survey showed that awareness of tags among consumers in Europe \
        was low. The survey of consumers in the UK, France, Germany and the \
        Netherlands was carried out by a consultancy group.";

    const OTHER: &str = "The chancellor has promised to keep a tight grip \
        on public spending as he prepares his last budget before the general \
        election. Economists expect growth forecasts to be revised upwards \
        after a strong year for the economy, but warn that borrowing remains \
        higher than the Treasury predicted last spring. Opposition parties \
        said the plans did little for families facing rising council tax \
        bills, and business groups asked for more help with energy costs \
        and for a simpler system of rates for small firms across the country.";

    /// A story of typical length (about 250 words): STORY, then more.
    fn long_story() -> String {
        format!(
            "{STORY} Retailers said the tags would cut theft and waste, and \
             that they had no plans to follow customers out of the door. \
             Privacy campaigners were not convinced, pointing to trials in \
             which tags stayed active after the sale. The researchers said \
             clear labels on packaging would help, as would a way to switch \
             the tags off at the till. Several supermarket chains have run \
             pilot schemes in distribution centres, where the tags track \
             pallets rather than single items, and say the savings are \
             large. Suppliers expect prices of the tags to fall sharply over \
             the next few years, which could bring them to many more goods. \
             Regulators in Brussels are watching the technology closely and \
             may publish guidance on its use in shops later this year, the \
             report added, while industry bodies have drawn up a voluntary \
             code of practice for their members."
        )
    }

    fn fp(text: &str) -> u64 {
        fingerprint(&[text.to_string()])
    }

    #[test]
    fn identical_text_has_the_same_fingerprint() {
        assert_ne!(fp(STORY), NONE);
        assert_eq!(fp(STORY), fp(STORY));
    }

    #[test]
    fn case_punctuation_and_paragraph_breaks_do_not_count() {
        let shouted = STORY.to_uppercase().replace(',', " - ").replace('.', " ;");
        assert_eq!(fp(&shouted), fp(STORY));
        let (a, b) = STORY.split_at(STORY.find("Some").unwrap());
        assert_eq!(fingerprint(&[a.into(), b.into()]), fp(STORY));
        let curly = STORY.replace(" a survey", " \u{201c}a survey\u{201d}");
        assert_eq!(fp(&curly), fp(STORY));
    }

    #[test]
    fn one_edited_sentence_stays_within_the_grouping_distance() {
        let story = long_story();
        let edited = story.replace(
            "The survey showed that awareness of tags among consumers in Europe was low.",
            "Awareness of the tags among European shoppers was found to be low.",
        );
        assert_ne!(edited, story);
        let d = distance(fp(&edited), fp(&story));
        assert!(d <= crate::library::groups::MAX_DISTANCE, "distance {d}");
    }

    #[test]
    fn a_different_story_is_far() {
        let d = distance(fp(OTHER), fp(STORY));
        assert!(d >= 16, "distance {d}");
    }

    #[test]
    fn the_same_words_in_another_order_are_far() {
        let mut words: Vec<&str> = STORY.split_whitespace().collect();
        words.reverse();
        let d = distance(fp(&words.join(" ")), fp(STORY));
        assert!(d >= 16, "distance {d}");
    }

    #[test]
    fn short_and_empty_bodies_have_no_fingerprint() {
        assert_eq!(fingerprint(&[]), NONE);
        assert_eq!(fp(""), NONE);
        assert_eq!(fp("A short notice: the office is closed on Monday."), NONE);
        let words: Vec<String> = (0..MIN_SHINGLES as usize + SHINGLE - 1)
            .map(|i| format!("w{i}"))
            .collect();
        assert_ne!(fp(&words.join(" ")), NONE, "just long enough");
    }

    #[test]
    fn long_words_and_non_ascii_words_are_words() {
        let long = "internationalisation ".repeat(60);
        let longer = "internationalisations ".repeat(60);
        assert_ne!(fp(&long), NONE);
        assert_ne!(fp(&long), fp(&longer));
        let greek = "καλημέρα κόσμε ".repeat(40);
        assert_ne!(fp(&greek), NONE);
    }

    #[test]
    fn byte_lane_votes_equal_counting_bit_by_bit() {
        let hashes: Vec<u64> = (0..1000u64).map(|i| mix(i * 7 + 1)).collect();
        let mut s = SimHash::default();
        for &h in &hashes {
            s.add(h);
        }
        let mut want = 0u64;
        for bit in 0..64 {
            let ones = hashes.iter().filter(|&&h| h >> bit & 1 == 1).count();
            if 2 * ones > hashes.len() {
                want |= 1 << bit;
            }
        }
        assert_eq!(s.finish(), want);
    }
}
