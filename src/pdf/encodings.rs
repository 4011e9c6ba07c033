//! The base encodings of simple fonts (PDF 32000-1 Annex D) as glyph names, and PDF text
//! strings (the Info dictionary, outlines, ActualText) to UTF-8.

use crate::pdf::glyphs;
use alloc::string::String;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BaseEncoding {
    Standard,
    WinAnsi,
    MacRoman,
    MacExpert,
    PdfDoc,
    Symbol,
    ZapfDingbats,
}

/// The encoding an /Encoding or /BaseEncoding name stands for. Symbol and ZapfDingbats have
/// no such names: they are those fonts' built-in encodings.
pub fn base_encoding(name: &[u8]) -> Option<BaseEncoding> {
    Some(match name {
        b"StandardEncoding" => BaseEncoding::Standard,
        b"WinAnsiEncoding" => BaseEncoding::WinAnsi,
        b"MacRomanEncoding" => BaseEncoding::MacRoman,
        b"MacExpertEncoding" => BaseEncoding::MacExpert,
        b"PDFDocEncoding" => BaseEncoding::PdfDoc,
        _ => return None,
    })
}

/// The glyph name an encoding gives a code, if any.
pub fn glyph_name(enc: BaseEncoding, code: u8) -> Option<&'static [u8]> {
    let table = glyphs::ENCODINGS.get(enc as usize)?;
    let offset = *table.get(usize::from(code.checked_sub(glyphs::FIRST_CODE)?))?;
    glyphs::name_at(offset)
}

/// The code an encoding gives a glyph name (the built-in encodings of Symbol and
/// ZapfDingbats key their fonts' widths by code).
pub fn code_of(enc: BaseEncoding, name: &[u8]) -> Option<u8> {
    (glyphs::FIRST_CODE..=255).find(|&code| glyph_name(enc, code) == Some(name))
}

/// The Unicode text of a code in a base encoding: its glyph name through the glyph list, or
/// for ZapfDingbats the dingbat. False when the code has no glyph or the glyph no Unicode.
pub fn unicode(enc: BaseEncoding, code: u8, out: &mut String) -> bool {
    match glyph_name(enc, code) {
        Some(name) if enc == BaseEncoding::ZapfDingbats => glyphs::dingbat_to_unicode(name, out),
        Some(name) => glyphs::glyph_to_unicode(name, out),
        None => false,
    }
}

/// Decodes a PDF text string: UTF-16BE after the byte order mark FE FF, UTF-8 after EF BB BF
/// (PDF 2.0), else PDFDocEncoding. Language escapes (ESC ... ESC in UTF-16) are dropped;
/// invalid sequences become U+FFFD.
pub fn text_string(bytes: &[u8], out: &mut String) {
    if let Some(utf16) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        utf16_be(utf16, out);
    } else if let Some(utf8) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        for chunk in utf8.utf8_chunks() {
            out.push_str(chunk.valid());
            if !chunk.invalid().is_empty() {
                out.push(char::REPLACEMENT_CHARACTER);
            }
        }
    } else {
        for &b in bytes {
            out.push(pdf_doc_char(b));
        }
    }
}

fn utf16_be(bytes: &[u8], out: &mut String) {
    let units = bytes.chunks_exact(2).map(|p| u16::from_be_bytes([p[0], p[1]]));
    let mut in_language_tag = false;
    for c in char::decode_utf16(units) {
        let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
        if c == '\u{1B}' {
            in_language_tag = !in_language_tag;
        } else if !in_language_tag {
            out.push(c);
        }
    }
    if !bytes.len().is_multiple_of(2) {
        out.push(char::REPLACEMENT_CHARACTER);
    }
}

/// PDFDocEncoding is Latin-1 except for 0x18-0x1F and 0x80-0xA0, where it has its own
/// glyphs; its undefined codes (0x7F, 0x9F, 0xAD) are kept as Latin-1.
fn pdf_doc_char(b: u8) -> char {
    if matches!(b, 0x18..=0x1F | 0x80..=0xA0) {
        if let Some(c) = glyph_name(BaseEncoding::PdfDoc, b).and_then(glyphs::glyph_char) {
            return c;
        }
    }
    char::from(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(enc: BaseEncoding, code: u8) -> &'static str {
        core::str::from_utf8(glyph_name(enc, code).unwrap_or(b"-")).unwrap()
    }

    #[test]
    fn names_of_codes() {
        use BaseEncoding::*;
        assert_eq!(name(Standard, b'A'), "A");
        assert_eq!(name(Standard, 0x27), "quoteright");
        assert_eq!(name(Standard, 0xAE), "fi");
        assert_eq!(name(Standard, 0x80), "-");
        assert_eq!(name(WinAnsi, 0x27), "quotesingle");
        assert_eq!(name(WinAnsi, 0x80), "Euro");
        assert_eq!(name(WinAnsi, 0x81), "bullet");
        assert_eq!(name(WinAnsi, 0xE9), "eacute");
        assert_eq!(name(MacRoman, 0x8E), "eacute");
        assert_eq!(name(MacRoman, 0xAD), "notequal");
        assert_eq!(name(MacExpert, 0x31), "oneoldstyle");
        assert_eq!(name(PdfDoc, 0x18), "breve");
        assert_eq!(name(PdfDoc, 0x93), "fi");
        assert_eq!(name(Symbol, 0x61), "alpha");
        assert_eq!(name(ZapfDingbats, 0x21), "a1");
        assert_eq!(name(Standard, 0), "-");
        assert_eq!(base_encoding(b"WinAnsiEncoding"), Some(WinAnsi));
        assert_eq!(base_encoding(b"Identity-H"), None);
        assert_eq!(code_of(Symbol, b"alpha"), Some(0x61));
        assert_eq!(code_of(Symbol, b"nothing"), None);
    }

    #[test]
    fn unicode_of_codes() {
        let mut s = String::new();
        assert!(unicode(BaseEncoding::WinAnsi, 0x93, &mut s));
        assert!(unicode(BaseEncoding::Symbol, 0x61, &mut s));
        assert!(unicode(BaseEncoding::ZapfDingbats, 0x48, &mut s));
        assert!(!unicode(BaseEncoding::Standard, 0x80, &mut s));
        assert_eq!(s, "\u{201C}α\u{2605}");
    }

    #[test]
    fn every_code_of_latin_encodings_has_unicode() {
        use BaseEncoding::*;
        for enc in [Standard, WinAnsi, MacRoman, MacExpert, PdfDoc, Symbol] {
            for code in 0..=255u8 {
                if let Some(n) = glyph_name(enc, code) {
                    let mut s = String::new();
                    assert!(glyphs::glyph_to_unicode(n, &mut s), "{enc:?} {code}");
                }
            }
        }
    }

    fn text(bytes: &[u8]) -> String {
        let mut s = String::new();
        text_string(bytes, &mut s);
        s
    }

    #[test]
    fn text_strings() {
        assert_eq!(text(b"Plain (1)"), "Plain (1)");
        assert_eq!(text(b"caf\xE9 \x93 \x8D\x8E \x18"), "café \u{FB01} \u{201C}\u{201D} \u{02D8}");
        assert_eq!(text(b"\xFE\xFF\x00A\x00\xE9\xD8\x3D\xDE\x00"), "Aé\u{1F600}");
        assert_eq!(text(b"\xFE\xFF\x00\x1Bfr\x00\x1B\x00X"), "X");
        assert_eq!(text(b"\xFE\xFF\xD8\x00\x00A\x00"), "\u{FFFD}A\u{FFFD}");
        assert_eq!(text(b"\xEF\xBB\xBF\xC3\xA9t\xC3\xA9\xFF"), "été\u{FFFD}");
    }
}
