//! Byte classes sixteen at a time, as bit masks: bit `i` of a mask is set
//! when byte `i` of the block is in the class. On x86-64 this is SSE2 (part
//! of the base instruction set); elsewhere two `u64` words classified at
//! once ("SIMD within a register") give the same masks.

/// Bytes classified at once.
pub const BLOCK: usize = 16;

/// The classes of the bytes of one block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Classes {
    /// Below 0x20 (ASCII controls) or 0x80 and above (every byte of a
    /// non-ASCII character).
    pub control_or_high: u32,
    pub newline: u32,
    pub space: u32,
    /// 0x7F.
    pub del: u32,
}

/// The classes of the `BLOCK` bytes at `at`.
#[inline(always)]
pub fn classify(bytes: &[u8], at: usize) -> Classes {
    let block: &[u8; BLOCK] = bytes[at..at + BLOCK].try_into().expect("a block");
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of the x86-64 base instruction set: every
    // x86-64 processor has it.
    unsafe {
        sse2(block)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        portable(block)
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
#[inline]
fn sse2(block: &[u8; BLOCK]) -> Classes {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    // SAFETY: `block` is sixteen readable bytes, and an unaligned load
    // has no alignment requirement.
    let v = unsafe { _mm_loadu_si128(block.as_ptr().cast::<__m128i>()) };
    Classes {
        // A signed compare: bytes from 0x80 up are negative, so below 0x20.
        control_or_high: _mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20))) as u32,
        newline: _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'\n' as i8))) as u32,
        space: _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b' ' as i8))) as u32,
        del: _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F))) as u32,
    }
}

/// [`classify`] without SIMD instructions: two words of eight bytes, each
/// class found with a few integer operations, then one bit per byte.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
#[inline(always)]
fn portable(block: &[u8; BLOCK]) -> Classes {
    let words = [load(block, 0), load(block, 8)];
    let bits = |class: fn(u64) -> u64| to_bits(class(words[0])) | to_bits(class(words[1])) << 8;
    Classes {
        control_or_high: bits(control_or_high),
        newline: bits(|w| eq(w, b'\n')),
        space: bits(|w| eq(w, b' ')),
        del: bits(|w| eq(w, 0x7F)),
    }
}

/// A word mask (top bit of each member byte) as eight bits, byte `i` at
/// bit `i`: the multiply gathers the top bits into the top byte.
#[inline(always)]
fn to_bits(mask: u64) -> u32 {
    ((mask >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32
}

/// The top bit of every byte.
const HIGH: u64 = 0x8080_8080_8080_8080;
/// The bytes a Markdown line's inline text can turn on (see
/// `markdown::simple`): `!`, `&`, `*`, `<`, `[`, `\`, `]`, `^`, `_`,
/// `` ` ``, `{`, `|` (`^` only because it sits between the others); bit `i`
/// set for byte `i` of the `BLOCK` bytes at `at`.
#[inline(always)]
pub fn markdown_specials(bytes: &[u8], at: usize) -> u32 {
    let block: &[u8; BLOCK] = bytes[at..at + BLOCK].try_into().expect("a block");
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of the x86-64 base instruction set.
    unsafe {
        markdown_sse2(block)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        markdown_portable(block)
    }
}

/// Whether [`markdown_specials`] flags `b`.
#[inline(always)]
pub fn is_markdown_special(b: u8) -> bool {
    matches!(b, b'!' | b'&' | b'*' | b'<' | b'['..=b'`' | b'{' | b'|')
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
#[inline]
fn markdown_sse2(block: &[u8; BLOCK]) -> u32 {
    use std::arch::x86_64::{
        __m128i, _mm_add_epi8, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8,
    };
    // SAFETY: `block` is sixteen readable bytes, and an unaligned load
    // has no alignment requirement.
    let v = unsafe { _mm_loadu_si128(block.as_ptr().cast::<__m128i>()) };
    // `[` to `` ` ``, six bytes in a row: moved to the bottom of the signed
    // range, they are the only bytes below -128 + 6.
    let shifted = _mm_add_epi8(v, _mm_set1_epi8((0x80u8.wrapping_sub(b'[')) as i8));
    let mut any = _mm_cmplt_epi8(shifted, _mm_set1_epi8(-128 + 6));
    for b in [b'!', b'&', b'*', b'<', b'{', b'|'] {
        any = _mm_or_si128(any, _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8)));
    }
    _mm_movemask_epi8(any) as u32
}

/// [`markdown_specials`] without SIMD instructions.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
#[inline(always)]
fn markdown_portable(block: &[u8; BLOCK]) -> u32 {
    let word = |at| {
        let w = load(block, at);
        b"!&*<[\\]^_`{|".iter().fold(0, |m, &b| m | eq(w, b))
    };
    to_bits(word(0)) | to_bits(word(8)) << 8
}

/// The low seven bits of every byte.
const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
/// One in every byte.
const ONES: u64 = 0x0101_0101_0101_0101;

/// The eight bytes at `at` as a word, first byte lowest, on every platform.
#[inline(always)]
fn load(bytes: &[u8], at: usize) -> u64 {
    let chunk: [u8; 8] = bytes[at..at + 8].try_into().expect("eight bytes");
    u64::from_le_bytes(chunk)
}

/// ASCII control bytes, 0x00..=0x1F (DEL not included). Bytes 0x80 and
/// above whose low seven bits are below 0x20 are flagged too: callers
/// always treat non-ASCII bytes as interesting anyway.
#[inline(always)]
fn control_or_high(w: u64) -> u64 {
    // Low seven bits plus 0x60 stays below 0x80 exactly when they are
    // below 0x20, and never carries into the next byte.
    !((w & LOW7) + 0x6060_6060_6060_6060) & HIGH | (w & HIGH)
}

/// Bytes equal to `b`, exactly (no false positives from carries).
#[inline(always)]
fn eq(w: u64, b: u8) -> u64 {
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

    fn bits(block: &[u8; BLOCK], f: impl Fn(u8) -> bool) -> u32 {
        (0..BLOCK).filter(|&i| f(block[i])).map(|i| 1 << i).sum()
    }

    #[test]
    fn classify_and_its_portable_form_give_each_byte_its_classes() {
        let mut blocks: Vec<[u8; BLOCK]> = Vec::new();
        for b in 0..=255u8 {
            for fill in [0x00, b' ', b'\n', 0x1F, 0x7F, 0x80, 0xFF, b'a'] {
                for at in 0..BLOCK {
                    let mut block = [fill; BLOCK];
                    block[at] = b;
                    blocks.push(block);
                }
            }
        }
        // Mixed blocks from a simple generator, for every bit pattern.
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..20_000 {
            let mut block = [0u8; BLOCK];
            for byte in &mut block {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                *byte = [b' ', b'\n', 0x7F, 0x1F, 0x20, 0x80, 0xC2, b'a'][(x % 8) as usize];
            }
            blocks.push(block);
        }
        for block in blocks {
            let want = Classes {
                control_or_high: bits(&block, |x| !(0x20..0x80).contains(&x)),
                newline: bits(&block, |x| x == b'\n'),
                space: bits(&block, |x| x == b' '),
                del: bits(&block, |x| x == 0x7F),
            };
            let mut bytes = vec![b'x'; 3];
            bytes.extend_from_slice(&block);
            assert_eq!(classify(&bytes, 3), want, "{block:?}");
            assert_eq!(portable(&block), want, "{block:?}");
        }
    }

    #[test]
    fn markdown_specials_flag_exactly_those_bytes() {
        for b in 0..=255u8 {
            for fill in [b'a', b'*', 0x80, 0xFF, b' '] {
                for at in 0..BLOCK {
                    let mut block = [fill; BLOCK];
                    block[at] = b;
                    let want = bits(&block, |x| b"!&*<[\\]^_`{|".contains(&x));
                    assert_eq!(is_markdown_special(b), b"!&*<[\\]^_`{|".contains(&b));
                    let mut bytes = vec![b'x'; 5];
                    bytes.extend_from_slice(&block);
                    assert_eq!(markdown_specials(&bytes, 5), want, "{block:?}");
                    assert_eq!(markdown_portable(&block), want, "{block:?}");
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
