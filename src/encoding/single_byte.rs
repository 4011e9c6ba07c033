//! Single-byte code pages.

/// Windows-1252, as WHATWG defines it: Latin-1 except 0x80–0x9F, where the five bytes the
/// code page leaves undefined map to the C1 controls of the same value.
pub fn windows_1252(b: u8) -> char {
    const HIGH: [u16; 32] = [
        0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d,
        0x017d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
        0x0153, 0x9d, 0x017e, 0x0178,
    ];
    let cp = match b {
        0x80..=0x9f => HIGH.get((b - 0x80) as usize).copied().unwrap_or(0xfffd) as u32,
        _ => b as u32,
    };
    char::from_u32(cp).unwrap_or('\u{fffd}')
}

/// One of the WHATWG single-byte encodings other than windows-1252 (which has its own
/// [`super::Encoding`] variant): `SingleByte::KOI8_R`, `SingleByte::WINDOWS_1250`, ... (the
/// constants are generated in `tables.rs`). Bytes below 0x80 are ASCII in all of them.
#[cfg(feature = "encodings")]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SingleByte(pub(super) u8);

#[cfg(feature = "encodings")]
impl SingleByte {
    /// The WHATWG name, e.g. "KOI8-R".
    pub fn name(self) -> &'static str {
        super::label::name(self.0)
    }

    /// The code points of bytes 0x80..=0xFF, unpacked from the compact form described in
    /// `tools/gen_encodings.py` (2 bits a byte plus the values no rule predicts). Unpacking
    /// takes 128 short steps, so decoders do it once per piece of input, not per byte.
    pub fn table(self) -> [u16; 128] {
        use super::tables::{DATA, START};
        let start = START.get(self.0 as usize).copied().unwrap_or(0) as usize;
        let data = DATA.get(start..).unwrap_or(&[]);
        let (codes, mut values) = data.split_at(data.len().min(32));
        let mut out = [0xfffd; 128];
        let mut prev = 0xfffd;
        for (i, slot) in out.iter_mut().enumerate() {
            let code = codes.get(i / 4).map_or(3, |c| c >> (i % 4 * 2) & 3);
            prev = match code {
                0 => 0x80 + i as u16,
                1 => prev.wrapping_add(1),
                2 => match values {
                    [lo, hi, rest @ ..] => {
                        values = rest;
                        u16::from_le_bytes([*lo, *hi])
                    }
                    _ => 0xfffd,
                },
                _ => 0xfffd,
            };
            *slot = prev;
        }
        out
    }
}

#[cfg(all(test, feature = "encodings"))]
mod tests {
    use super::super::tables::expected::{SAMPLES, TABLE_HASHES};
    use super::super::Encoding;
    use super::*;

    fn fnv(values: &[u16]) -> u32 {
        values.iter().fold(0x811c_9dc5, |h, &v| (h ^ v as u32).wrapping_mul(0x0100_0193))
    }

    #[test]
    fn every_table_matches_the_generator() {
        for (enc, hash) in TABLE_HASHES {
            let t = enc.table();
            assert_eq!(fnv(&t), hash, "{}", enc.name());
            // Decoding goes through the same table, byte by byte.
            let bytes: Vec<u8> = (0x80..=0xff).collect();
            let mut got = Vec::new();
            Encoding::Single(enc).decode(&bytes, 1000, &mut |c| got.push(c as u32));
            assert_eq!(got, t.iter().map(|&u| u as u32).collect::<Vec<_>>(), "{}", enc.name());
        }
    }

    #[test]
    fn samples_decode_to_the_text_python_encoded() {
        assert_eq!(SAMPLES.len(), TABLE_HASHES.len());
        for &(enc, bytes, text) in SAMPLES {
            let mut out = String::new();
            Encoding::Single(enc).decode_all(bytes, &mut out).unwrap();
            assert_eq!(out, text, "{}", enc.name());
        }
    }

    #[test]
    fn whatwg_corrections_of_python_codecs() {
        let at = |enc: SingleByte, b: u8| enc.table()[b as usize - 0x80];
        // The standard's KOI8-U is KOI8-RU; windows-1255 has HOLAM HASER at 0xCA.
        assert_eq!((at(SingleByte::KOI8_U, 0xae), at(SingleByte::KOI8_U, 0xbe)), (0x045e, 0x040e));
        assert_eq!(at(SingleByte::WINDOWS_1255, 0xca), 0x05ba);
        // Undefined windows-* bytes in 0x80..0x9F are C1 controls, elsewhere U+FFFD.
        assert_eq!(at(SingleByte::WINDOWS_1250, 0x81), 0x81);
        assert_eq!(at(SingleByte::WINDOWS_874, 0xdb), 0xfffd);
        assert_eq!(at(SingleByte::WINDOWS_1253, 0xaa), 0xfffd);
        // ISO-8859-x keep the C1 controls; undefined bytes are U+FFFD.
        assert_eq!(at(SingleByte::ISO_8859_6, 0x85), 0x85);
        assert_eq!(at(SingleByte::ISO_8859_3, 0xa5), 0xfffd);
        assert_eq!(SingleByte::ISO_8859_8_I.table(), SingleByte::ISO_8859_8.table());
    }
}
