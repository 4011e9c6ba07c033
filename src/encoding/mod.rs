//! Character decoding to UTF-8, a piece at a time so a large document never needs a second
//! full-size copy, and the line-ending clean-up every text format shares.
//!
//! With the `encodings` feature: the WHATWG single-byte code pages ([`SingleByte`]) and
//! label lookup ([`from_label`]), for formats that declare their charset (HTML, XML). With
//! `cjk`: the multi-byte CJK encodings ([`Cjk`], [`cjk::Decoder`]).

#[cfg(feature = "cjk")]
pub mod cjk;
#[cfg(feature = "cjk")]
mod cjk_tables;
#[cfg(all(test, feature = "cjk"))]
mod cjk_testdata;
#[cfg(feature = "encodings")]
mod label;
pub mod single_byte;
#[cfg(feature = "encodings")]
mod tables;
pub mod utf8;

use crate::error::{reserve_str, Result};
use alloc::borrow::Cow;
use alloc::string::String;

#[cfg(feature = "cjk")]
pub use cjk::Cjk;
#[cfg(feature = "encodings")]
pub use label::{from_label, Label};
#[cfg(feature = "encodings")]
pub use single_byte::SingleByte;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Encoding {
    /// Already validated as UTF-8.
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1252,
    /// Any other single-byte code page.
    #[cfg(feature = "encodings")]
    Single(SingleByte),
    /// A multi-byte CJK encoding.
    #[cfg(feature = "cjk")]
    Cjk(Cjk),
}

/// Input bytes [`Encoding::decode_all`] decodes at a time.
const PIECE: usize = 64 * 1024;

impl Encoding {
    /// The WHATWG name, e.g. "UTF-8", "windows-1252".
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Windows1252 => "windows-1252",
            #[cfg(feature = "encodings")]
            Encoding::Single(s) => s.name(),
            #[cfg(feature = "cjk")]
            Encoding::Cjk(c) => c.name(),
        }
    }

    /// The encoding a byte order mark at the start of `doc` announces, and the BOM's length.
    /// A BOM wins over any declared charset (the Encoding Standard's "BOM sniff").
    pub fn from_bom(doc: &[u8]) -> Option<(Encoding, usize)> {
        match doc {
            [0xef, 0xbb, 0xbf, ..] => Some((Encoding::Utf8, 3)),
            [0xff, 0xfe, ..] => Some((Encoding::Utf16Le, 2)),
            [0xfe, 0xff, ..] => Some((Encoding::Utf16Be, 2)),
            _ => None,
        }
    }

    /// Decodes all of `input` (no BOM handling: strip it first) and appends the text to
    /// `out`, for formats that parse a whole document. Fails only with OUT_OF_MEMORY.
    pub fn decode_all(self, input: &[u8], out: &mut String) -> Result<()> {
        // A CJK decoder expands its tables once, and keeps ISO-2022-JP's mode across pieces.
        #[cfg(feature = "cjk")]
        if let Encoding::Cjk(c) = self {
            let mut d = cjk::Decoder::new(c)?;
            return decode_pieces(input, out, &mut |rest, emit| d.decode(rest, PIECE, emit));
        }
        decode_pieces(input, out, &mut |rest, emit| self.decode(rest, PIECE, emit))
    }

    /// Detects the encoding of a text document: a BOM, else valid UTF-8, else Windows-1252
    /// (the encoding real "ANSI" text files nearly always use). Returns the BOM length.
    pub fn detect(doc: &[u8]) -> (Encoding, usize) {
        let (enc, bom) = Encoding::from_bom(doc).unwrap_or((Encoding::Utf8, 0));
        // Text after a UTF-8 BOM that is not valid UTF-8 is still most likely mostly UTF-8,
        // but we cannot decode it as such; fall back like any other invalid input.
        if enc == Encoding::Utf8 && !utf8::is_valid(doc.get(bom..).unwrap_or(&[])) {
            return (Encoding::Windows1252, bom);
        }
        (enc, bom)
    }

    /// A whole text document as a string, the encoding chosen as [`Encoding::detect`] does:
    /// borrowed in place when it is UTF-8, else decoded. Also returns the encoding, so the
    /// caller can warn about the Windows-1252 fallback. Fails only with OUT_OF_MEMORY.
    pub fn decode_text(doc: &[u8]) -> Result<(Cow<'_, str>, Encoding)> {
        let (enc, bom) = Encoding::detect(doc);
        let rest = doc.get(bom..).unwrap_or(&[]);
        if let (Encoding::Utf8, Ok(s)) = (enc, core::str::from_utf8(rest)) {
            return Ok((Cow::Borrowed(s), enc));
        }
        let mut out = String::new();
        enc.decode_all(rest, &mut out)?;
        Ok((Cow::Owned(out), enc))
    }

    /// Decodes a prefix of `input` of at most about `max` bytes (ending on a character
    /// boundary), handing each character to `emit`. Returns the bytes consumed, > 0 unless
    /// `input` is empty. A character cut off by the end of the input becomes U+FFFD.
    /// One non-generic callback keeps a single copy of the per-character work in the module.
    /// A CJK encoding expands its index tables on every call, and ISO-2022-JP starts in ASCII
    /// mode: to decode many pieces, use [`Encoding::decode_all`] or one `cjk::Decoder`.
    pub fn decode(self, input: &[u8], max: usize, emit: &mut dyn FnMut(char)) -> usize {
        let max = max.max(4);
        match self {
            Encoding::Utf8 => {
                // The last character may run past `max`: it is taken whole.
                let end = input.len().min(max);
                let mut i = 0;
                while i < end {
                    let (c, n) = utf8::decode_char(input.get(i..).unwrap_or(&[])).unwrap_or(('\u{fffd}', 1));
                    emit(c);
                    i += n;
                }
                i
            }
            Encoding::Utf16Le | Encoding::Utf16Be => {
                let le = self == Encoding::Utf16Le;
                let end = input.len().min(max);
                let unit = |i: usize| -> Option<u32> {
                    let pair = [*input.get(i)?, *input.get(i + 1)?];
                    Some(if le { u16::from_le_bytes(pair) } else { u16::from_be_bytes(pair) } as u32)
                };
                let mut i = 0;
                while i < end {
                    let Some(u) = unit(i) else {
                        // A lone trailing byte.
                        emit('\u{fffd}');
                        return input.len();
                    };
                    let mut c = u;
                    i += 2;
                    if (0xd800..0xdc00).contains(&u) {
                        match unit(i) {
                            Some(l @ 0xdc00..=0xdfff) => {
                                c = 0x10000 + ((u - 0xd800) << 10) + (l - 0xdc00);
                                i += 2;
                            }
                            _ => c = 0xfffd,
                        }
                    }
                    emit(char::from_u32(c).unwrap_or('\u{fffd}'));
                }
                i
            }
            #[cfg(not(feature = "encodings"))]
            Encoding::Windows1252 => {
                let end = input.len().min(max);
                for &b in input.iter().take(end) {
                    emit(single_byte::windows_1252(b));
                }
                end
            }
            #[cfg(feature = "cjk")]
            Encoding::Cjk(c) => match cjk::Decoder::new(c) {
                Ok(mut d) => d.decode(input, max, emit),
                Err(_) => {
                    emit('\u{fffd}');
                    input.len()
                }
            },
            // One loop for all single-byte code pages: Windows-1252 has no table of its own.
            #[cfg(feature = "encodings")]
            Encoding::Windows1252 | Encoding::Single(_) => {
                let table = match self {
                    Encoding::Single(s) => Some(s.table()),
                    _ => None,
                };
                let end = input.len().min(max);
                for &b in input.iter().take(end) {
                    emit(match &table {
                        Some(t) if b >= 0x80 => {
                            char::from_u32(t.get((b & 0x7f) as usize).copied().unwrap_or(0xfffd) as u32)
                                .unwrap_or('\u{fffd}')
                        }
                        _ => single_byte::windows_1252(b),
                    });
                }
                end
            }
        }
    }
}

/// [`Encoding::decode`] with its `max` fixed.
type DecodePiece<'a> = dyn FnMut(&[u8], &mut dyn FnMut(char)) -> usize + 'a;

/// The loop of [`Encoding::decode_all`] around one decoder (`decode` as [`Encoding::decode`]
/// with a `max` of PIECE).
fn decode_pieces(input: &[u8], out: &mut String, decode: &mut DecodePiece) -> Result<()> {
    // Reserve the input's length up front (exact for valid UTF-8, the common case), then
    // decode piece by piece through a scratch buffer that holds any piece's worst case,
    // so `out` grows only when the text is longer than the input, and never infallibly.
    reserve_str(out, input.len())?;
    let mut piece = String::new();
    let mut rest = input;
    while !rest.is_empty() {
        piece.clear();
        // At most PIECE + 3 bytes are consumed, and no byte becomes more than 3 bytes (a CJK
        // step emits at most 3 bytes of text per byte it consumes).
        reserve_str(&mut piece, 3 * (PIECE + 4))?;
        let used = decode(rest, &mut |c| piece.push(c));
        reserve_str(out, piece.len())?;
        out.push_str(&piece);
        rest = rest.get(used..).unwrap_or(&[]);
    }
    Ok(())
}

/// Normalises line endings (CRLF and lone CR become LF, also across pieces), turns form
/// feeds into line breaks, and drops other C0 control characters, which no reader sees.
#[derive(Default)]
pub struct LineCleaner {
    after_cr: bool,
}

impl LineCleaner {
    /// The character to output for `c`, if any.
    pub fn clean(&mut self, c: char) -> Option<char> {
        let after_cr = core::mem::replace(&mut self.after_cr, c == '\r');
        match c {
            '\n' if after_cr => None,
            '\r' | '\x0c' => Some('\n'),
            '\t' | '\n' => Some(c),
            c if (c as u32) < 0x20 => None,
            c => Some(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(enc: Encoding, input: &[u8], max: usize) -> String {
        let mut out = String::new();
        let mut rest = input;
        while !rest.is_empty() {
            let n = enc.decode(rest, max, &mut |c| out.push(c));
            assert!(n > 0);
            rest = &rest[n..];
        }
        out
    }

    #[test]
    fn detects() {
        assert_eq!(Encoding::detect(b"\xef\xbb\xbfhi"), (Encoding::Utf8, 3));
        assert_eq!(Encoding::detect(b"\xff\xfeh\x00"), (Encoding::Utf16Le, 2));
        assert_eq!(Encoding::detect(b"\xfe\xff\x00h"), (Encoding::Utf16Be, 2));
        assert_eq!(Encoding::detect("héllo".as_bytes()), (Encoding::Utf8, 0));
        assert_eq!(Encoding::detect(b"h\xe9llo"), (Encoding::Windows1252, 0));
    }

    #[test]
    fn utf8_pieces_keep_characters_whole() {
        let s = "aé€😀".repeat(50);
        for max in 4..20 {
            assert_eq!(decode_all(Encoding::Utf8, s.as_bytes(), max), s);
        }
    }

    #[test]
    fn utf16_pieces_keep_surrogate_pairs() {
        let s = "a😀é€".repeat(30);
        let le: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        for max in 4..20 {
            assert_eq!(decode_all(Encoding::Utf16Le, &le, max), s);
            assert_eq!(decode_all(Encoding::Utf16Be, &be, max), s);
        }
        assert_eq!(decode_all(Encoding::Utf16Le, b"h\x00i", 8), "h\u{fffd}");
        assert_eq!(decode_all(Encoding::Utf16Le, b"\x3d\xd8", 8), "\u{fffd}");
    }

    #[test]
    fn windows_1252() {
        assert_eq!(decode_all(Encoding::Windows1252, b"caf\xe9 \x80 \x93q\x94 \x81", 3), "café € “q” \u{81}");
    }

    #[test]
    fn names_and_boms() {
        assert_eq!(Encoding::Utf16Be.name(), "UTF-16BE");
        assert_eq!(Encoding::Windows1252.name(), "windows-1252");
        assert_eq!(Encoding::from_bom(b"\xef\xbb\xbfx"), Some((Encoding::Utf8, 3)));
        assert_eq!(Encoding::from_bom(b"\xfe\xff"), Some((Encoding::Utf16Be, 2)));
        assert_eq!(Encoding::from_bom(b"\xef\xbb"), None);
    }

    #[test]
    fn decode_all_matches_piecewise_decoding() {
        let s = "aé€😀\r\n".repeat(30_000);
        let le: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let cases: [(Encoding, &[u8]); 4] = [
            (Encoding::Utf8, s.as_bytes()),
            (Encoding::Utf16Le, &le),
            (Encoding::Windows1252, b"caf\xe9 \x80"),
            // Invalid UTF-8 grows threefold (each byte becomes U+FFFD): past the reservation.
            (Encoding::Utf8, &[0xff; 200_000]),
        ];
        for (enc, input) in cases {
            let mut out = String::from("kept ");
            enc.decode_all(input, &mut out).unwrap();
            assert_eq!(out, format!("kept {}", decode_all(enc, input, 4096)));
        }
        let mut out = String::new();
        Encoding::Utf16Be.decode_all(b"\x00h\x00", &mut out).unwrap();
        assert_eq!(out, "h\u{fffd}");
    }

    #[cfg(feature = "encodings")]
    #[test]
    fn single_byte_hostile_input() {
        // 50 MB on one line, every byte value: decodes in bounded time to one char per byte.
        let all: Vec<u8> = (0..=255).collect();
        let e = Encoding::Single(SingleByte::WINDOWS_1251);
        let mut one = String::new();
        e.decode_all(&all, &mut one).unwrap();
        assert_eq!(one.chars().count(), 256);
        let mut out = String::new();
        e.decode_all(&all.repeat(200 << 10), &mut out).unwrap();
        assert!(out == one.repeat(200 << 10));
        // Empty and tiny inputs, and pieces smaller than the minimum.
        let e = Encoding::Single(SingleByte::KOI8_R);
        assert_eq!(decode_all(e, b"", 1), "");
        assert_eq!(decode_all(e, b"\xf0\xd2\xc9", 1), "При");
    }

    #[test]
    fn line_endings_across_pieces() {
        let mut c = LineCleaner::default();
        let mut out = String::new();
        for piece in ["a\r", "\nb\r\r", "c\x0cd\x00e\r", "\n"] {
            out.extend(piece.chars().filter_map(|ch| c.clean(ch)));
        }
        assert_eq!(out, "a\nb\n\nc\nde\n");
    }
}
