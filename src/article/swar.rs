//! Byte classes eight at a time, in a `u64` ("SIMD within a register").
//!
//! Each mask has the top bit of a byte set exactly when that byte is in the
//! class, and no other bit set, so `trailing_zeros() / 8` of a mask is the
//! index of its first member and `count_ones()` counts the members.

/// The top bit of every byte.
const HIGH: u64 = 0x8080_8080_8080_8080;
/// The low seven bits of every byte.
const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
/// One in every byte.
const ONES: u64 = 0x0101_0101_0101_0101;

/// Bytes in a word, the unit of every scan here.
pub const WIDTH: usize = 8;

/// The eight bytes at `at` as a word, first byte lowest, on every platform.
#[inline(always)]
pub fn load(bytes: &[u8], at: usize) -> u64 {
    let chunk: [u8; WIDTH] = bytes[at..at + WIDTH].try_into().expect("eight bytes");
    u64::from_le_bytes(chunk)
}

/// ASCII control bytes, 0x00..=0x1F (DEL not included). Bytes 0x80 and
/// above whose low seven bits are below 0x20 are flagged too: callers
/// always treat non-ASCII bytes as interesting anyway.
#[inline(always)]
pub fn control_or_high(w: u64) -> u64 {
    // Low seven bits plus 0x60 stays below 0x80 exactly when they are
    // below 0x20, and never carries into the next byte.
    !((w & LOW7) + 0x6060_6060_6060_6060) & HIGH | (w & HIGH)
}

/// Bytes equal to `b`, exactly (no false positives from carries).
#[inline(always)]
pub fn eq(w: u64, b: u8) -> u64 {
    let y = w ^ (ONES * u64::from(b));
    // A byte of `y` is zero exactly when neither its top bit nor any of its
    // low seven bits is set.
    !(((y & LOW7) + LOW7) | y | LOW7)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytewise(w: [u8; 8], f: impl Fn(u8) -> bool) -> u64 {
        let mut m = 0u64;
        for (i, &b) in w.iter().enumerate() {
            if f(b) {
                m |= 0x80 << (8 * i);
            }
        }
        m
    }

    #[test]
    fn masks_match_a_byte_by_byte_classification() {
        // Every byte value in every position, next to neighbours that would
        // expose a carry or borrow between bytes.
        for b in 0..=255u8 {
            for fill in [0x00, 0x01, 0x1F, 0x20, 0x7F, 0x80, 0xFF, b.wrapping_add(1)] {
                for at in 0..8 {
                    let mut w = [fill; 8];
                    w[at] = b;
                    let word = u64::from_le_bytes(w);
                    assert_eq!(
                        control_or_high(word),
                        bytewise(w, |x| !(0x20..0x80).contains(&x)),
                    );
                    for c in [b' ', b'\n', 0x7F, b, fill] {
                        assert_eq!(eq(word, c), bytewise(w, |x| x == c), "{w:?} {c}");
                    }
                }
            }
        }
    }

    #[test]
    fn load_takes_the_first_byte_lowest() {
        let bytes = *b"abcdefghij";
        assert_eq!(load(&bytes, 2) & 0xFF, u64::from(b'c'));
        assert_eq!(load(&bytes, 2) >> 56, u64::from(b'j'));
    }
}
