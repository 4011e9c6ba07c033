//! Stream filters. Each decoder reads a whole encoded buffer and writes at most `max` bytes
//! (more is a LIMIT error); damaged data ends the output where it broke, as in viewers, and
//! sets `damaged` so the document can warn. Image codecs (DCT, JPX, JBIG2, CCITT) are not
//! decoded: their bytes are handed on as they are.

mod ascii;
mod flate;
mod lzw;
mod predictor;
mod run_length;

use crate::error::{limit, Result};
use crate::pdf::object::Dict;
use alloc::vec::Vec;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Filter {
    Flate,
    Lzw,
    AsciiHex,
    Ascii85,
    RunLength,
    /// `Crypt`: the stream's decryption is chosen by the document (Identity or default).
    Crypt,
    /// An image codec, named as image records name their format.
    Image(&'static str),
}

impl Filter {
    /// A filter by its name or the abbreviation inline images use.
    pub fn by_name(name: &[u8]) -> Option<Filter> {
        Some(match name {
            b"FlateDecode" | b"Fl" => Filter::Flate,
            b"LZWDecode" | b"LZW" => Filter::Lzw,
            b"ASCIIHexDecode" | b"AHx" => Filter::AsciiHex,
            b"ASCII85Decode" | b"A85" => Filter::Ascii85,
            b"RunLengthDecode" | b"RL" => Filter::RunLength,
            b"Crypt" => Filter::Crypt,
            b"DCTDecode" | b"DCT" => Filter::Image("jpeg"),
            b"JPXDecode" => Filter::Image("jpx"),
            b"JBIG2Decode" => Filter::Image("jbig2"),
            b"CCITTFaxDecode" | b"CCF" => Filter::Image("ccitt"),
            _ => return None,
        })
    }
}

/// `DecodeParms` of one filter (direct values; the document resolves references first).
#[derive(Clone, Copy, Debug)]
pub struct Params {
    pub predictor: i64,
    pub colors: i64,
    pub bits: i64,
    pub columns: i64,
    pub early_change: bool,
}

impl Params {
    pub fn from_dict(d: Option<&Dict>) -> Params {
        let int = |k: &[u8], default: i64| d.and_then(|d| d.int(k)).unwrap_or(default);
        Params {
            predictor: int(b"Predictor", 1),
            colors: int(b"Colors", 1),
            bits: int(b"BitsPerComponent", 8),
            columns: int(b"Columns", 1),
            early_change: int(b"EarlyChange", 1) != 0,
        }
    }
}

/// Decodes `input` through one filter. `Crypt` and image codecs return the input as it is.
pub fn decode(filter: Filter, input: &[u8], params: &Params, max: usize, damaged: &mut bool) -> Result<Vec<u8>> {
    let out = match filter {
        Filter::Flate => predictor::apply(flate::inflate(input, max, damaged)?, params, damaged)?,
        Filter::Lzw => predictor::apply(lzw::decode(input, params.early_change, max, damaged)?, params, damaged)?,
        Filter::AsciiHex => ascii::hex(input, max)?,
        Filter::Ascii85 => ascii::base85(input, max, damaged)?,
        Filter::RunLength => run_length::decode(input, max)?,
        Filter::Crypt | Filter::Image(_) => {
            if input.len() > max {
                return Err(too_much());
            }
            let mut v = Vec::new();
            crate::error::push_bytes(&mut v, input)?;
            v
        }
    };
    Ok(out)
}

#[cold]
fn too_much() -> crate::error::Error {
    limit("pdf: decoded streams exceed max_decompressed")
}

/// Appends `byte` to `out` unless that would pass `max`.
fn push(out: &mut Vec<u8>, byte: u8, max: usize) -> Result<()> {
    if out.len() >= max {
        return Err(too_much());
    }
    if out.len() == out.capacity() {
        crate::error::reserve(out, out.len().clamp(64, 1 << 20))?;
    }
    out.push(byte);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;

    fn run(f: Filter, input: &[u8], p: Params) -> (Vec<u8>, bool) {
        let mut damaged = false;
        let out = decode(f, input, &p, 1 << 20, &mut damaged).unwrap();
        (out, damaged)
    }

    fn plain() -> Params {
        Params::from_dict(None)
    }

    #[test]
    fn names() {
        assert_eq!(Filter::by_name(b"FlateDecode"), Some(Filter::Flate));
        assert_eq!(Filter::by_name(b"AHx"), Some(Filter::AsciiHex));
        assert_eq!(Filter::by_name(b"DCTDecode"), Some(Filter::Image("jpeg")));
        assert_eq!(Filter::by_name(b"Foo"), None);
    }

    #[test]
    fn flate_and_its_corrupt_tail() {
        let text: Vec<u8> =
            (0..400u32).flat_map(|i| format!("{} {} Td ({}) Tj ", i * 7 % 13, i * i % 97, i).into_bytes()).collect();
        let z = miniz_oxide::deflate::compress_to_vec_zlib(&text, 6);
        assert_eq!(run(Filter::Flate, &z, plain()), (text.clone(), false));
        // Raw deflate without the zlib header, as some writers produce.
        let raw = miniz_oxide::deflate::compress_to_vec(&text, 6);
        assert_eq!(run(Filter::Flate, &raw, plain()).0, text);
        // A cut stream keeps what inflated.
        let (cut, _) = run(Filter::Flate, &z[..z.len() / 2], plain());
        assert!(!cut.is_empty() && text.starts_with(&cut));
        // Garbage after a valid start: the good prefix survives.
        let mut bad = z.clone();
        let n = bad.len();
        for b in &mut bad[n / 2..] {
            *b = 0xff;
        }
        let (out, _) = run(Filter::Flate, &bad, plain());
        let common = out.iter().zip(&text).take_while(|(a, b)| a == b).count();
        assert!(common > text.len() / 4, "{common} of {}", text.len());
        // A wrong checksum is no reason to drop the data.
        let mut sum = z.clone();
        sum[n - 1] ^= 0xff;
        assert_eq!(run(Filter::Flate, &sum, plain()).0, text);
    }

    #[test]
    fn flate_limit() {
        let z = miniz_oxide::deflate::compress_to_vec_zlib(&[0u8; 100_000], 6);
        let mut d = false;
        let e = decode(Filter::Flate, &z, &plain(), 99_999, &mut d).unwrap_err();
        assert_eq!(e.code(), Code::Limit);
        assert_eq!(decode(Filter::Flate, &z, &plain(), 100_000, &mut d).unwrap().len(), 100_000);
    }

    #[test]
    fn png_predictors() {
        // Two rows of 3 columns, 1 colour: one row per PNG filter type.
        let rows: [&[u8]; 5] = [&[0, 1, 2, 3], &[1, 1, 1, 1], &[2, 1, 1, 1], &[3, 2, 2, 2], &[4, 1, 1, 1]];
        let mut enc = Vec::new();
        for r in rows {
            enc.extend_from_slice(r);
        }
        let z = miniz_oxide::deflate::compress_to_vec_zlib(&enc, 6);
        let p = Params { predictor: 12, colors: 1, bits: 8, columns: 3, early_change: true };
        let (out, _) = run(Filter::Flate, &z, p);
        // None: 1 2 3; Sub: 1 2 3; Up: 2 3 4; Average: 2+1=3, 2+(3+3)/2=5, 2+(5+4)/2=6; Paeth.
        assert_eq!(&out[..12], &[1, 2, 3, 1, 2, 3, 2, 3, 4, 3, 5, 6]);
        // Paeth over (3 5 6): a=0,b=3,c=0 → 3+1=4; a=4,b=5,c=3 → p=6, nearest b=5 → 6; a=6,b=6,c=5 → 7.
        assert_eq!(&out[12..], &[4, 6, 7]);
    }

    #[test]
    fn tiff_predictor() {
        let z = miniz_oxide::deflate::compress_to_vec_zlib(&[10, 1, 1, 5, 250, 10], 6);
        let p = Params { predictor: 2, colors: 1, bits: 8, columns: 3, early_change: true };
        assert_eq!(run(Filter::Flate, &z, p).0, vec![10, 11, 12, 5, 255, 9]);
    }

    #[test]
    fn lzw() {
        // The example of PDF 32000-1, 7.4.4.2: "-----A---B" with early change.
        let enc = [0x80, 0x0B, 0x60, 0x50, 0x22, 0x0C, 0x0C, 0x85, 0x01];
        assert_eq!(run(Filter::Lzw, &enc, plain()).0, b"-----A---B");
    }

    #[test]
    fn ascii_and_run_length() {
        assert_eq!(run(Filter::AsciiHex, b"48 65 6C\n6c 6f 7>zz", plain()).0, b"Hellop");
        assert_eq!(run(Filter::Ascii85, b"<~87cURD]i,\"Ebo80~>", plain()).0, b"Hello World!");
        assert_eq!(run(Filter::Ascii85, b"87cURD]j7BEbo7~>", plain()).0, b"Hello world");
        assert_eq!(run(Filter::Ascii85, b"z9jqo^~>", plain()).0, b"\0\0\0\0Man ");
        assert_eq!(run(Filter::RunLength, &[2, b'a', b'b', b'c', 254, b'x', 128, 9], plain()).0, b"abcxxx");
    }
}
