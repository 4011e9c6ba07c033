//! Character decoding to UTF-8, a piece at a time so a large document never needs a second
//! full-size copy, and the line-ending clean-up every text format shares.


pub mod single_byte;
pub mod utf8;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Encoding {
    /// Already validated as UTF-8.
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl Encoding {
    /// Detects the encoding of a text document: a BOM, else valid UTF-8, else Windows-1252
    /// (the encoding real "ANSI" text files nearly always use). Returns the BOM length.
    pub fn detect(doc: &[u8]) -> (Encoding, usize) {
        if doc.starts_with(b"\xef\xbb\xbf") {
            // A BOM followed by invalid UTF-8 is still most likely mostly UTF-8, but we cannot
            // decode it as such; fall back like any other invalid input.
            let rest = doc.get(3..).unwrap_or(&[]);
            return if utf8::is_valid(rest) { (Encoding::Utf8, 3) } else { (Encoding::Windows1252, 3) };
        }
        if doc.starts_with(b"\xff\xfe") {
            return (Encoding::Utf16Le, 2);
        }
        if doc.starts_with(b"\xfe\xff") {
            return (Encoding::Utf16Be, 2);
        }
        if utf8::is_valid(doc) {
            (Encoding::Utf8, 0)
        } else {
            (Encoding::Windows1252, 0)
        }
    }

    /// Decodes a prefix of `input` of at most about `max` bytes (ending on a character
    /// boundary), handing each character to `emit`. Returns the bytes consumed, > 0 unless
    /// `input` is empty. A character cut off by the end of the input becomes U+FFFD.
    /// One non-generic callback keeps a single copy of the per-character work in the module.
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
            Encoding::Windows1252 => {
                let end = input.len().min(max);
                for &b in input.iter().take(end) {
                    emit(single_byte::windows_1252(b));
                }
                end
            }
        }
    }
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
    fn line_endings_across_pieces() {
        let mut c = LineCleaner::default();
        let mut out = String::new();
        for piece in ["a\r", "\nb\r\r", "c\x0cd\x00e\r", "\n"] {
            out.extend(piece.chars().filter_map(|ch| c.clean(ch)));
        }
        assert_eq!(out, "a\nb\n\nc\nde\n");
    }
}
