//! The WHATWG Encoding Standard's multi-byte CJK decoders (`cjk` feature): Shift_JIS, EUC-JP
//! (with JIS X 0212 after 0x8F), ISO-2022-JP, GBK and gb18030 (one decoder, with the four-byte
//! ranges), Big5 (HKSCS, with the four two-code-point sequences) and EUC-KR (UHC).
//!
//! The indexes are stored compressed (`cjk_tables.rs`, layout in `tools/gen_cjk_tables.py`)
//! and a [`Decoder`] expands the ones its encoding needs once, into plain tables on the heap
//! (about 22–48 KB; EUC-JP 37 KB for both JIS indexes), so every character after that is one
//! table lookup. Errors decode to U+FFFD exactly where the standard's decoders emit them,
//! and an ASCII byte after an invalid lead byte is never swallowed.

use super::cjk_tables as t;
use crate::error::{corrupt, oom, Result};
use alloc::vec::Vec;

/// A multi-byte encoding, by its WHATWG name ([`Cjk::name`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Cjk {
    /// "GBK": decoded exactly as gb18030, as the standard says.
    Gbk,
    Gb18030,
    Big5,
    EucJp,
    Iso2022Jp,
    ShiftJis,
    EucKr,
}

impl Cjk {
    /// In the order of the label table's names after the single-byte ones.
    pub(super) const ALL: [Cjk; 7] =
        [Cjk::Gbk, Cjk::Gb18030, Cjk::Big5, Cjk::EucJp, Cjk::Iso2022Jp, Cjk::ShiftJis, Cjk::EucKr];

    /// The WHATWG name, e.g. "Shift_JIS", "gb18030".
    pub fn name(self) -> &'static str {
        super::label::name(super::tables::FIRST_OTHER + self as u8)
    }
}

/// "No character": an ISO-2022-JP escape sequence decodes to nothing.
const NONE: u32 = u32::MAX;
const ERR: u32 = 0xfffd;
/// Marks of fill entries while an index is expanded (noncharacters no index maps to).
const FILL_MARK: u16 = 0xffff;

/// ISO-2022-JP's modes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    Ascii,
    Roman,
    Katakana,
    Jis0208,
}

/// Decodes one multi-byte encoding. Create one per document (or PDF font): creating it
/// expands the index tables.
pub struct Decoder {
    enc: Cjk,
    /// jis0208, gb18030, big5 or euc-kr by pointer; 0 where the index has no code point.
    /// Big5's code points above U+FFFF (all in plane 2) are 0xD800 + their place in `extra`.
    main: Vec<u16>,
    /// EUC-JP: jis0212. Big5: the low 16 bits of its plane-2 code points.
    extra: Vec<u16>,
    /// ISO-2022-JP: the current mode, and whether the last thing read was an escape sequence.
    mode: Mode,
    after_escape: bool,
}

impl Decoder {
    /// A decoder in its initial state. Fails only with OUT_OF_MEMORY.
    pub fn new(enc: Cjk) -> Result<Decoder> {
        let (main, extra) = match enc {
            Cjk::Gbk | Cjk::Gb18030 => expand(t::GB18030, t::GB18030_STREAM, t::GB18030_LEN, t::GB18030_FILLS)?,
            Cjk::Big5 => expand(t::BIG5, t::BIG5_STREAM, t::BIG5_LEN, t::BIG5_FILLS)?,
            Cjk::EucKr => expand(t::EUC_KR, t::EUC_KR_STREAM, t::EUC_KR_LEN, t::EUC_KR_FILLS)?,
            Cjk::EucJp | Cjk::Iso2022Jp | Cjk::ShiftJis => {
                let (jis0208, _) = expand(t::JIS0208, t::JIS0208_STREAM, t::JIS0208_LEN, t::JIS0208_FILLS)?;
                let jis0212 = match enc {
                    Cjk::EucJp => expand(t::JIS0212, t::JIS0212_STREAM, t::JIS0212_LEN, t::JIS0212_FILLS)?.0,
                    _ => Vec::new(),
                };
                (jis0208, jis0212)
            }
        };
        Ok(Decoder { enc, main, extra, mode: Mode::Ascii, after_escape: false })
    }

    pub fn encoding(&self) -> Cjk {
        self.enc
    }

    /// Decodes the character at the start of `bytes` and hands its text to `emit`: one char
    /// (U+FFFD for an error), two for Big5's four sequences that decode to a letter and a
    /// combining mark, none for an ISO-2022-JP escape sequence. Returns the bytes used, which
    /// is at least 1 unless `bytes` is empty. A PDF show string can be walked with it code by
    /// code; ISO-2022-JP's mode carries over from one call to the next.
    pub fn decode_step(&mut self, bytes: &[u8], emit: &mut dyn FnMut(char)) -> usize {
        let (used, first, second) = self.step(bytes);
        for cp in [first, second] {
            if cp != NONE {
                emit(char::from_u32(cp).unwrap_or('\u{fffd}'));
            }
        }
        used
    }

    /// As [`super::Encoding::decode`]: decodes a prefix of `input` of about `max` bytes that
    /// ends on a character boundary, and returns its length.
    pub fn decode(&mut self, input: &[u8], max: usize, emit: &mut dyn FnMut(char)) -> usize {
        let end = input.len().min(max.max(4));
        let mut i = 0;
        while i < end {
            i += self.decode_step(input.get(i..).unwrap_or(&[]), emit).max(1);
        }
        i.min(input.len())
    }

    /// The bytes used and up to two code points (NONE for none) at the start of `b`.
    fn step(&mut self, b: &[u8]) -> (usize, u32, u32) {
        if self.enc == Cjk::Iso2022Jp {
            return self.iso_2022_jp(b);
        }
        let Some(&lead) = b.first() else {
            return (0, NONE, NONE);
        };
        let trail = b.get(1).copied();
        // The two-byte path every encoding shares: a pointer (None when the trail byte is
        // outside its range) and the index. An unmapped pair is an error; a trail byte that
        // is ASCII is not part of it and is read again.
        let pair = |pointer: Option<usize>, table: &dyn Fn(usize) -> u32| -> (usize, u32, u32) {
            match (trail, pointer.map(table)) {
                (None, _) => (1, ERR, NONE),
                (_, Some(cp)) if cp != 0 => (2, cp, NONE),
                (Some(t), _) => (if t < 0x80 { 1 } else { 2 }, ERR, NONE),
            }
        };
        let main = |p: usize| self.main.get(p).copied().unwrap_or(0) as u32;
        let in_range = |lo: u8, hi: u8| trail.filter(|t| (lo..=hi).contains(t)).map(|t| t as usize);
        match self.enc {
            _ if lead < 0x80 => (1, lead as u32, NONE),
            Cjk::ShiftJis => match lead {
                0x80 => (1, 0x80, NONE),
                0xa1..=0xdf => (1, 0xff61 - 0xa1 + lead as u32, NONE),
                0x81..=0x9f | 0xe0..=0xfc => {
                    let row = (lead - if lead < 0xa0 { 0x81 } else { 0xc1 }) as usize * 188;
                    let pointer = match trail {
                        Some(t @ 0x40..=0x7e) => Some(row + t as usize - 0x40),
                        Some(t @ 0x80..=0xfc) => Some(row + t as usize - 0x41),
                        _ => None,
                    };
                    pair(pointer, &|p| match p {
                        8836..=10715 => 0xe000 - 8836 + p as u32,
                        _ => main(p),
                    })
                }
                _ => (1, ERR, NONE),
            },
            Cjk::EucJp => match (lead, trail) {
                (0x8e, Some(t @ 0xa1..=0xdf)) => (2, 0xff61 - 0xa1 + t as u32, NONE),
                (0x8f, Some(t @ 0xa1..=0xfe)) => match b.get(2) {
                    None => (2, ERR, NONE),
                    Some(&u @ 0xa1..=0xfe) => {
                        let p = (t as usize - 0xa1) * 94 + u as usize - 0xa1;
                        match self.extra.get(p) {
                            Some(&cp) if cp != 0 => (3, cp as u32, NONE),
                            _ => (3, ERR, NONE),
                        }
                    }
                    Some(&u) => (if u < 0x80 { 2 } else { 3 }, ERR, NONE),
                },
                (0xa1..=0xfe, _) => pair(in_range(0xa1, 0xfe).map(|t| (lead as usize - 0xa1) * 94 + t - 0xa1), &main),
                (0x8e | 0x8f, _) => pair(None, &main),
                _ => (1, ERR, NONE),
            },
            Cjk::Gbk | Cjk::Gb18030 => match (lead, trail) {
                (0x80, _) => (1, 0x20ac, NONE),
                (0x81..=0xfe, Some(0x30..=0x39)) => self.gb18030_four(b),
                (0x81..=0xfe, _) => {
                    let row = (lead as usize - 0x81) * 190;
                    let pointer = match trail {
                        Some(t @ 0x40..=0x7e) => Some(row + t as usize - 0x40),
                        Some(t @ 0x80..=0xfe) => Some(row + t as usize - 0x41),
                        _ => None,
                    };
                    pair(pointer, &main)
                }
                _ => (1, ERR, NONE),
            },
            Cjk::Big5 => match lead {
                0x81..=0xfe => {
                    let row = (lead as usize - 0x81) * 157;
                    let pointer = match trail {
                        Some(t @ 0x40..=0x7e) => Some(row + t as usize - 0x40),
                        Some(t @ 0xa1..=0xfe) => Some(row + t as usize - 0x62),
                        _ => None,
                    };
                    match pointer {
                        Some(1133) => (2, 0xca, 0x304),
                        Some(1135) => (2, 0xca, 0x30c),
                        Some(1164) => (2, 0xea, 0x304),
                        Some(1166) => (2, 0xea, 0x30c),
                        _ => pair(pointer, &|p| match main(p) {
                            v @ 0xd800..=0xdfff => {
                                self.extra.get(v as usize - 0xd800).map_or(0, |&low| 0x20000 | low as u32)
                            }
                            v => v,
                        }),
                    }
                }
                _ => (1, ERR, NONE),
            },
            Cjk::EucKr => match lead {
                0x81..=0xfe => pair(in_range(0x41, 0xfe).map(|t| (lead as usize - 0x81) * 190 + t - 0x41), &main),
                _ => (1, ERR, NONE),
            },
            Cjk::Iso2022Jp => (1, ERR, NONE),
        }
    }

    /// A gb18030 sequence whose second byte is a digit: four bytes, or an error that leaves
    /// the bytes after the first to be read again (all of them at the end of the input).
    fn gb18030_four(&self, b: &[u8]) -> (usize, u32, u32) {
        let [b0, b1, b2, b3] = match *b {
            [b0, b1, b2 @ 0x81..=0xfe, b3 @ 0x30..=0x39, ..] => [b0, b1, b2, b3],
            [_, _] | [_, _, 0x81..=0xfe] => return (b.len(), ERR, NONE),
            _ => return (1, ERR, NONE),
        };
        let pointer = (((b0 as u32 - 0x81) * 10 + b1 as u32 - 0x30) * 126 + b2 as u32 - 0x81) * 10 + b3 as u32 - 0x30;
        let cp = match pointer {
            7457 => 0xe7c7,
            0..=39419 => {
                let ranges = &t::GB18030_RANGES;
                let i = ranges.partition_point(|&(p, _)| p as u32 <= pointer);
                match ranges.get(i.wrapping_sub(1)) {
                    Some(&(p, cp)) => cp as u32 + pointer - p as u32,
                    None => ERR,
                }
            }
            189000..=1237575 => 0x10000 + pointer - 189000,
            _ => ERR,
        };
        (4, cp, NONE)
    }

    /// ISO-2022-JP, the standard's state machine with the escape sequences read whole.
    fn iso_2022_jp(&mut self, b: &[u8]) -> (usize, u32, u32) {
        let Some(&byte) = b.first() else {
            return (0, NONE, NONE);
        };
        if byte == 0x1b {
            let mode = match (b.get(1), b.get(2)) {
                (Some(b'('), Some(b'B')) => Some(Mode::Ascii),
                (Some(b'('), Some(b'J')) => Some(Mode::Roman),
                (Some(b'('), Some(b'I')) => Some(Mode::Katakana),
                (Some(b'$'), Some(b'@' | b'B')) => Some(Mode::Jis0208),
                _ => None,
            };
            let Some(mode) = mode else {
                // Not an escape sequence: an error, and the bytes after ESC are read again.
                self.after_escape = false;
                return (1, ERR, NONE);
            };
            self.mode = mode;
            // Two escape sequences in a row are an error (nothing came between them).
            let twice = core::mem::replace(&mut self.after_escape, true);
            return (3, if twice { ERR } else { NONE }, NONE);
        }
        self.after_escape = false;
        let cp = match (self.mode, byte) {
            (_, 0x0e | 0x0f | 0x80..=0xff) => ERR,
            (Mode::Ascii, _) => byte as u32,
            (Mode::Roman, b'\\') => 0xa5,
            (Mode::Roman, b'~') => 0x203e,
            (Mode::Roman, _) => byte as u32,
            (Mode::Katakana, 0x21..=0x5f) => 0xff61 - 0x21 + byte as u32,
            (Mode::Katakana, _) => ERR,
            (Mode::Jis0208, 0x21..=0x7e) => {
                return match b.get(1) {
                    Some(&t @ 0x21..=0x7e) => {
                        let p = (byte as usize - 0x21) * 94 + t as usize - 0x21;
                        match self.main.get(p) {
                            Some(&cp) if cp != 0 => (2, cp as u32, NONE),
                            _ => (2, ERR, NONE),
                        }
                    }
                    // An escape sequence or the end: the lead byte alone is the error.
                    Some(0x1b) | None => (1, ERR, NONE),
                    Some(_) => (2, ERR, NONE),
                };
            }
            (Mode::Jis0208, _) => ERR,
        };
        (1, cp, NONE)
    }
}

/// Inflates one index's stream and expands it into a table by pointer (see the generator).
/// Returns the table and the low halves of its code points above U+FFFF.
fn expand(deflated: &[u8], stream_len: usize, len: usize, fills: &[(u32, u32)]) -> Result<(Vec<u16>, Vec<u16>)> {
    let stream = inflate(deflated, stream_len)?;
    let mut table = zeroed(len)?;
    let mut extra = Vec::new();
    let mut prev = [0x4e00u32, 0x20000];
    let (mut i, mut p) = (0, 0);
    let mut next = || -> Result<u8> {
        let b = stream.get(i).copied().ok_or(corrupt("cjk: truncated table"))?;
        i += 1;
        Ok(b)
    };
    let bad = || corrupt("cjk: bad table");
    while p < len {
        let op = next()?;
        // Literals: (predictor, zigzag value).
        let literal = match op {
            0..=0x7f => Some((0, op as u32)),
            0x80..=0xaf => Some((0, (op as u32 & 0x3f) << 8 | next()? as u32)),
            0xb0..=0xbf => Some((0, (op as u32 & 0x0f) << 16 | (next()? as u32) << 8 | next()? as u32)),
            0xc0 => Some((1, varint(&mut next)?)),
            _ => None,
        };
        if let Some((k, z)) = literal {
            let delta = if z & 1 == 0 { z >> 1 } else { !(z >> 1) };
            let cp = prev[k].wrapping_add(1).wrapping_add(delta);
            prev[k] = cp;
            put(&mut table, &mut extra, p, cp)?;
            p += 1;
            continue;
        }
        let run = match op {
            0xe8..=0xff => (op - 0xe7) as usize,
            _ => varint(&mut next)? as usize + 1,
        };
        for _ in 0..run {
            match op {
                0xc3 => {}
                0xc4 | 0xc5 => *table.get_mut(p).ok_or(bad())? = FILL_MARK - (op - 0xc4) as u16,
                0xc1 | 0xc2 | 0xe8..=0xff => {
                    let k = (op == 0xc2) as usize;
                    prev[k] = prev[k].wrapping_add(1);
                    put(&mut table, &mut extra, p, prev[k])?;
                }
                _ => return Err(bad()),
            }
            p += 1;
        }
    }
    for (f, &(lo, hi)) in fills.iter().enumerate() {
        fill(&mut table, FILL_MARK - f as u16, lo, hi)?;
    }
    Ok((table, extra))
}

/// Stores `cp` at pointer `p`; a code point above U+FFFF goes to `extra`.
fn put(table: &mut [u16], extra: &mut Vec<u16>, p: usize, cp: u32) -> Result<()> {
    let v = match cp {
        0..=0xffff => cp as u16,
        0x20000..=0x2ffff if extra.len() < 0x800 => {
            extra.try_reserve(1).map_err(|_| oom())?;
            extra.push(cp as u16);
            0xd800 + extra.len() as u16 - 1
        }
        _ => return Err(corrupt("cjk: bad table")),
    };
    *table.get_mut(p).ok_or(corrupt("cjk: bad table"))? = v;
    Ok(())
}

/// Gives the entries marked `mark`, in pointer order, the code points of `lo..hi` that no
/// other entry has, in order.
fn fill(table: &mut [u16], mark: u16, lo: u32, hi: u32) -> Result<()> {
    let size = (hi - lo) as usize;
    let mut used: Vec<u32> = Vec::new();
    used.try_reserve_exact(size / 32 + 1).map_err(|_| oom())?;
    used.resize(size / 32 + 1, 0);
    for &v in table.iter() {
        if let Some(o) = (v as u32).checked_sub(lo).filter(|&o| v != mark && o < hi - lo) {
            if let Some(w) = used.get_mut(o as usize / 32) {
                *w |= 1 << (o % 32);
            }
        }
    }
    let mut next = 0u32;
    for v in table.iter_mut().filter(|v| **v == mark) {
        while used.get(next as usize / 32).is_some_and(|w| w >> (next % 32) & 1 != 0) {
            next += 1;
        }
        *v = if next < hi - lo { (lo + next) as u16 } else { 0 };
        next += 1;
    }
    Ok(())
}

fn varint(next: &mut dyn FnMut() -> Result<u8>) -> Result<u32> {
    let mut z = 0u32;
    for shift in [0, 7, 14, 21] {
        let b = next()?;
        z |= ((b & 0x7f) as u32) << shift;
        if b < 0x80 {
            return Ok(z);
        }
    }
    Err(corrupt("cjk: bad table"))
}

fn zeroed<T: Clone + Default>(len: usize) -> Result<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).map_err(|_| oom())?;
    v.resize(len, T::default());
    Ok(v)
}

/// Inflates raw deflate data of a known size.
fn inflate(raw: &[u8], size: usize) -> Result<Vec<u8>> {
    use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
    use miniz_oxide::inflate::TINFLStatus;
    let mut out = zeroed(size)?;
    let mut state = alloc::boxed::Box::new(DecompressorOxide::new());
    match decompress(&mut state, raw, &mut out, 0, inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF) {
        (TINFLStatus::Done, _, n) if n == size => Ok(out),
        _ => Err(corrupt("cjk: bad table")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::cjk_testdata::SAMPLES;
    use super::super::Encoding;
    use super::*;
    use alloc::string::String;

    fn dec(enc: Cjk, bytes: &[u8]) -> String {
        let mut out = String::new();
        Encoding::Cjk(enc).decode_all(bytes, &mut out).unwrap();
        out
    }

    /// The code point at each pointer of the decoder's main (or, `extra`, second) index.
    fn index(d: &Decoder, extra: bool) -> Vec<u32> {
        let t = if extra { &d.extra } else { &d.main };
        t.iter()
            .map(|&v| match v {
                0xd800..=0xdfff if d.enc == Cjk::Big5 => 0x20000 | d.extra[v as usize - 0xd800] as u32,
                v => v as u32,
            })
            .collect()
    }

    fn fnv(values: &[u32]) -> u32 {
        values.iter().fold(0x811c_9dc5, |h, &v| (h ^ v).wrapping_mul(0x0100_0193))
    }

    #[test]
    fn every_index_matches_the_generator() {
        let cases = [
            (Cjk::ShiftJis, false, t::JIS0208_LEN, t::JIS0208_HASH),
            (Cjk::EucJp, true, t::JIS0212_LEN, t::JIS0212_HASH),
            (Cjk::Gb18030, false, t::GB18030_LEN, t::GB18030_HASH),
            (Cjk::Big5, false, t::BIG5_LEN, t::BIG5_HASH),
            (Cjk::EucKr, false, t::EUC_KR_LEN, t::EUC_KR_HASH),
        ];
        for (enc, extra, len, hash) in cases {
            let d = Decoder::new(enc).unwrap();
            let table = index(&d, extra);
            assert_eq!((table.len(), fnv(&table)), (len, hash), "{enc:?}");
        }
        // The index sizes of the standard: mapped pointers per index.
        let mapped = |enc, extra| index(&Decoder::new(enc).unwrap(), extra).iter().filter(|&&c| c != 0).count();
        assert_eq!(mapped(Cjk::ShiftJis, false), 7724);
        assert_eq!(mapped(Cjk::EucJp, true), 6067);
        assert_eq!(mapped(Cjk::Gbk, false), 23940);
        assert_eq!(mapped(Cjk::Big5, false), 18590);
        assert_eq!(mapped(Cjk::EucKr, false), 17048);
        // Every Hangul syllable is in EUC-KR once (the fill entries and KS X 1001's), in order.
        let kr = index(&Decoder::new(Cjk::EucKr).unwrap(), false);
        let mut hangul: Vec<u32> = kr.iter().copied().filter(|c| (0xac00..0xd7a4).contains(c)).collect();
        assert_eq!(hangul.len(), 11172);
        hangul.dedup();
        assert_eq!(hangul.len(), 11172);
    }

    #[test]
    fn samples_decode_to_the_corpus_text() {
        assert_eq!(SAMPLES.len(), 7);
        for &(enc, bytes, text) in SAMPLES {
            assert_eq!(dec(enc, bytes), text, "{enc:?}");
            // The same, character by character and in small pieces.
            let mut d = Decoder::new(enc).unwrap();
            let (mut out, mut i) = (String::new(), 0);
            while i < bytes.len() {
                let n = d.decode_step(&bytes[i..], &mut |c| out.push(c));
                assert!(n > 0 && n <= 4);
                i += n;
            }
            assert_eq!((i, out.as_str()), (bytes.len(), text), "{enc:?}");
            for max in [1, 5, 7] {
                let mut d = Decoder::new(enc).unwrap();
                let (mut out, mut rest) = (String::new(), bytes);
                while !rest.is_empty() {
                    rest = &rest[d.decode(rest, max, &mut |c| out.push(c))..];
                }
                assert_eq!(out, text, "{enc:?} {max}");
            }
        }
    }

    #[test]
    fn shift_jis_and_euc_jp_errors() {
        use Cjk::{EucJp, ShiftJis};
        assert_eq!(dec(ShiftJis, b"\x93\xfa\x96\x7b\x81\x41"), "日本、");
        // An invalid pair with an ASCII trail byte: U+FFFD, and the ASCII byte is kept.
        assert_eq!(dec(ShiftJis, b"\x81\x20x"), "\u{fffd} x");
        assert_eq!(dec(ShiftJis, b"\x85\x40"), "\u{fffd}@");
        // A non-ASCII invalid trail byte is part of the error.
        assert_eq!(dec(ShiftJis, b"\x81\xffA"), "\u{fffd}A");
        assert_eq!(dec(ShiftJis, b"\x80\xa0\xb1\xfd\x81"), "\u{80}\u{fffd}ｱ\u{fffd}\u{fffd}");
        // User-defined area to the private use area; an IBM extension (row 115).
        assert_eq!(dec(ShiftJis, b"\xf0\x40\xf9\xfc\xfa\x40"), "\u{e000}\u{e757}ⅰ");
        assert_eq!(dec(ShiftJis, b"\\~"), "\\~");
        assert_eq!(dec(EucJp, b"\xa4\xa2\x8e\xb1\x8f\xb0\xa1"), "あｱ丂");
        assert_eq!(dec(EucJp, b"\xa4\x41\x8e\x41\x8f\xa1\x41"), "\u{fffd}A\u{fffd}A\u{fffd}A");
        assert_eq!(dec(EucJp, b"\x8f\xa1\xa1\x8f\xa1"), "\u{fffd}\u{fffd}");
        assert_eq!(dec(EucJp, b"\x8f\x41\x8e\xe0\xff\x80"), "\u{fffd}A\u{fffd}\u{fffd}\u{fffd}");
        assert_eq!(dec(EucJp, b"\xa1"), "\u{fffd}");
    }

    #[test]
    fn gb18030_four_bytes_and_errors() {
        for enc in [Cjk::Gb18030, Cjk::Gbk] {
            assert_eq!(
                dec(enc, b"\x81\x30\x81\x30\x84\x31\xa4\x39\x90\x30\x81\x30\xe3\x32\x9a\x35"),
                "\u{80}\u{ffff}𐀀\u{10ffff}"
            );
            // Pointer 7457 is the standard's special case; the 2022 mappings of the A6 row.
            assert_eq!(dec(enc, b"\x81\x35\xf4\x37\xa6\xd9\x80\x81\x41"), "\u{e7c7}\u{fe10}€丄");
            // Beyond the ranges: one U+FFFD for the four bytes.
            assert_eq!(dec(enc, b"\x84\x31\xa5\x30x\xe3\x32\x9a\x36"), "\u{fffd}x\u{fffd}");
            // A bad third or fourth byte: U+FFFD, then the bytes after the first read again.
            assert_eq!(dec(enc, b"\x81\x30\x41"), "\u{fffd}0A");
            assert_eq!(dec(enc, b"\x81\x30\x81\x41"), "\u{fffd}0丄");
            // Cut off at the end: one U+FFFD for what is left.
            assert_eq!(dec(enc, b"a\x81\x30\x81"), "a\u{fffd}");
            assert_eq!(dec(enc, b"a\x81\x30"), "a\u{fffd}");
            assert_eq!(dec(enc, b"\x81\x20\xff\x81\x7f"), "\u{fffd} \u{fffd}\u{fffd}\u{7f}");
        }
    }

    #[test]
    fn big5_pairs_plane_2_and_errors() {
        assert_eq!(dec(Cjk::Big5, b"\x88\x62\x88\x64\x88\xa3\x88\xa5"), "Ê\u{304}Ê\u{30c}ê\u{304}ê\u{30c}");
        assert_eq!(dec(Cjk::Big5, b"\xa4\x40\x87\x40\x8b\x40"), "一\u{43f0}\u{233f4}");
        assert_eq!(dec(Cjk::Big5, b"\xa4\x20\x80\xff\xa4\x7f\xa4"), "\u{fffd} \u{fffd}\u{fffd}\u{fffd}\u{7f}\u{fffd}");
        // Pointers below the standard's Big5 proper with no code point.
        assert_eq!(dec(Cjk::Big5, b"\x81\x40\x81\xa1"), "\u{fffd}@\u{fffd}");
        let mut d = Decoder::new(Cjk::Big5).unwrap();
        let mut out = String::new();
        assert_eq!(d.decode_step(b"\x88\x62rest", &mut |c| out.push(c)), 2);
        assert_eq!(out, "Ê\u{304}");
    }

    #[test]
    fn euc_kr_uhc_and_errors() {
        assert_eq!(dec(Cjk::EucKr, b"\xb0\xa1\x81\x41\xc6\xfe\xc8\xfe\xca\xa1"), "가갂퐁힝伽");
        assert_eq!(dec(Cjk::EucKr, b"\xb0\x20\xc9\xa1\x80\xff\xb0"), "\u{fffd} \u{fffd}\u{fffd}\u{fffd}\u{fffd}");
    }

    #[test]
    fn iso_2022_jp_escapes() {
        let enc = Cjk::Iso2022Jp;
        assert_eq!(dec(enc, b"\x1b$B\x46\x7c\x4b\x5c\x1b(B!"), "日本!");
        assert_eq!(dec(enc, b"\x1b$@\x46\x7c\x1b(J\\~\x1b(I\x31\x1b(Ba\\"), "日¥‾ｱa\\");
        // Two escape sequences with nothing between them are an error; so is a bad one,
        // whose bytes after ESC are read again.
        assert_eq!(dec(enc, b"\x1b$B\x1b(Bx"), "\u{fffd}x");
        assert_eq!(dec(enc, b"\x1bx\x1b$Ay\x1b"), "\u{fffd}x\u{fffd}$Ay\u{fffd}");
        assert_eq!(dec(enc, b"a\x0eb\xa4\x1b$"), "a\u{fffd}b\u{fffd}\u{fffd}$");
        // In JIS X 0208 mode: a lead byte alone, a bad trail byte, an unmapped pair.
        assert_eq!(dec(enc, b"\x1b$B\x46"), "\u{fffd}");
        assert_eq!(dec(enc, b"\x1b$B\x46\x0a\x22\x2f"), "\u{fffd}\u{fffd}");
        assert_eq!(dec(enc, b"\x1b$B\x46\x1b(Bz"), "\u{fffd}z");
        // Katakana mode rejects what is not katakana, line breaks included.
        assert_eq!(dec(enc, b"\x1b(I\x31\x0a"), "ｱ\u{fffd}");
        // The mode carries over between pieces and steps.
        let doc = b"\x1b$B\x46\x7c\x4b\x5c\x1b(Bok".repeat(3);
        let mut d = Decoder::new(enc).unwrap();
        let (mut out, mut rest) = (String::new(), &doc[..]);
        while !rest.is_empty() {
            rest = &rest[d.decode(rest, 1, &mut |c| out.push(c))..];
        }
        assert_eq!(out, "日本ok".repeat(3));
    }

    #[test]
    fn every_pair_decodes_without_swallowing_ascii() {
        for enc in Cjk::ALL {
            let mut d = Decoder::new(enc).unwrap();
            for lead in 0..=255u8 {
                for trail in 0..=255u8 {
                    let bytes = [lead, trail];
                    let mut out = String::new();
                    let n = d.decode_step(&bytes, &mut |c| out.push(c));
                    assert!((1..=2).contains(&n), "{enc:?} {bytes:?}");
                    assert!(out.len() <= 3 * n + 1, "{enc:?} {bytes:?}");
                    // An error never takes an ASCII byte after it along (except the end of
                    // the input cutting off a gb18030 four-byte sequence, as the standard says).
                    let cut_off = matches!(enc, Cjk::Gbk | Cjk::Gb18030) && trail.is_ascii_digit();
                    let iso_error = enc == Cjk::Iso2022Jp && matches!(trail, 0x0e | 0x0f | 0x1b);
                    if lead >= 0x80 && trail < 0x80 && out.contains('\u{fffd}') && !cut_off && !iso_error {
                        assert_eq!(n, 1, "{enc:?} {bytes:?}");
                        d.decode_step(&bytes[1..], &mut |c| out.push(c));
                        assert!(out.ends_with(trail as char), "{enc:?} {bytes:?}");
                    }
                    d.mode = Mode::Ascii;
                    d.after_escape = false;
                }
            }
        }
    }

    #[test]
    fn hostile_input_is_bounded() {
        // Pseudo-random bytes, and long runs of lead bytes: no panic, at most 3 bytes of text
        // per input byte, every step makes progress.
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let noise: Vec<u8> = (0..200_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        for enc in Cjk::ALL {
            for input in [&noise[..], &[0x81; 100_000][..], &[0x1b; 1000][..], &b"\x8f\xa1".repeat(1000)[..]] {
                let out = dec(enc, input);
                assert!(out.len() <= 3 * input.len(), "{enc:?}");
            }
        }
    }

    #[test]
    fn corrupt_tables_are_errors() {
        assert!(expand(b"", 10, 10, &[]).is_err());
        assert!(expand(&[0xff; 16], 10, 10, &[]).is_err());
        // A valid stream that is too short for its table, and one with a bad operation.
        let deflate = |s: &[u8]| miniz_oxide::deflate::compress_to_vec(s, 6);
        assert!(expand(&deflate(&[0x00]), 1, 5, &[]).is_err());
        assert!(expand(&deflate(&[0xc6, 0x00]), 2, 5, &[]).is_err());
        assert!(expand(&deflate(&[0xc0, 0xff, 0xff, 0xff, 0xff, 0x7f]), 6, 1, &[]).is_err());
        let (t, _) = expand(&deflate(&[0xc4, 0x02]), 2, 3, &[(0x10, 0x12)]).unwrap();
        assert_eq!(t, [0x10, 0x11, 0]);
    }
}
