//! UTF-8 validation and decoding by hand: a few hundred bytes less than `core::str`'s, which
//! a text-only module would otherwise carry for two call sites.

/// Decodes the character at the start of `b`: `(char, length)`, or None for an invalid or
/// truncated sequence (overlong forms, surrogates and values past U+10FFFF included).
pub fn decode_char(b: &[u8]) -> Option<(char, usize)> {
    let b0 = *b.first()?;
    let (len, min, mut c) = match b0 {
        0..=0x7f => return Some((b0 as char, 1)),
        0xc2..=0xdf => (2, 0x80, (b0 & 0x1f) as u32),
        0xe0..=0xef => (3, 0x800, (b0 & 0x0f) as u32),
        0xf0..=0xf4 => (4, 0x10000, (b0 & 0x07) as u32),
        _ => return None,
    };
    for i in 1..len {
        let x = *b.get(i)?;
        if x & 0xc0 != 0x80 {
            return None;
        }
        c = c << 6 | (x & 0x3f) as u32;
    }
    if c < min {
        return None;
    }
    char::from_u32(c).map(|ch| (ch, len))
}

pub fn is_valid(b: &[u8]) -> bool {
    let mut i = 0;
    while let Some(&x) = b.get(i) {
        i += if x < 0x80 {
            1
        } else {
            match decode_char(b.get(i..).unwrap_or(&[])) {
                Some((_, n)) => n,
                None => return false,
            }
        };
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_core() {
        let samples: &[&[u8]] = &[
            b"plain",
            "é€😀".as_bytes(),
            b"\xc0\x80",
            b"\xe0\x80\x80",
            b"\xed\xa0\x80",
            b"\xf4\x90\x80\x80",
            b"\xf0\x9f\x98",
            b"\x80",
            b"a\xffb",
            b"\xc3",
            b"\xef\xbf\xbf",
            b"\xf4\x8f\xbf\xbf",
        ];
        for s in samples {
            assert_eq!(is_valid(s), core::str::from_utf8(s).is_ok(), "{s:?}");
        }
        // Every two-byte string, against core.
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                assert_eq!(is_valid(&[a, b]), core::str::from_utf8(&[a, b]).is_ok());
            }
        }
        assert_eq!(decode_char("😀x".as_bytes()), Some(('😀', 4)));
    }
}
