//! Glyph widths of the standard 14 fonts, which a PDF may use without embedding them or
//! giving /Widths, and the font names that stand for them (Arial for Helvetica, Times New
//! Roman for Times, Courier New for Courier: metric-compatible by design).

use crate::pdf::encodings::{self, BaseEncoding};
use crate::pdf::glyphs;

#[path = "metrics_data.rs"]
mod data;

/// One of the standard 14 fonts, numbered as in `NAMES`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Std14(u8);

const NAMES: [&[u8]; 14] = [
    b"Courier",
    b"Courier-Bold",
    b"Courier-Oblique",
    b"Courier-BoldOblique",
    b"Helvetica",
    b"Helvetica-Bold",
    b"Helvetica-Oblique",
    b"Helvetica-BoldOblique",
    b"Times-Roman",
    b"Times-Bold",
    b"Times-Italic",
    b"Times-BoldItalic",
    b"Symbol",
    b"ZapfDingbats",
];
const COURIER: u8 = 0;
const HELVETICA: u8 = 4;
const TIMES: u8 = 8;
const SYMBOL: u8 = 12;
const DINGBATS: u8 = 13;
const BOLD: u8 = 1;
const ITALIC: u8 = 2;

/// Family names (lower case, spaces removed) and the font each stands for.
const FAMILIES: [(&[u8], u8); 10] = [
    (b"couriernew", COURIER),
    (b"courier", COURIER),
    (b"helvetica", HELVETICA),
    (b"arial", HELVETICA),
    (b"timesnewroman", TIMES),
    (b"times", TIMES),
    (b"symbol", SYMBOL),
    (b"zapfdingbats", DINGBATS),
    (b"dingbats", DINGBATS),
    (b"itczapfdingbats", DINGBATS),
];

/// Words allowed after a family name; anything else ("Narrow", "Black", "Neue") is another
/// font with other widths.
const STYLE_WORDS: [(&[u8], u8); 10] = [
    (b"bolditalic", BOLD | ITALIC),
    (b"boldoblique", BOLD | ITALIC),
    (b"bold", BOLD),
    (b"italic", ITALIC),
    (b"oblique", ITALIC),
    (b"roman", 0),
    (b"regular", 0),
    (b"psmt", 0),
    (b"ps", 0),
    (b"mt", 0),
];

impl Std14 {
    /// The font's PostScript name, e.g. "Helvetica-Bold".
    pub fn name(self) -> &'static [u8] {
        NAMES.get(usize::from(self.0)).copied().unwrap_or(b"")
    }
}

/// The standard font a /BaseFont names: the 14 names, their common aliases ("Arial,Bold",
/// "ArialMT", "TimesNewRomanPS-BoldItalicMT", "CourierNew"), with or without a subset
/// prefix ("ABCDEF+Helvetica").
pub fn standard14(base_font: &[u8]) -> Option<Std14> {
    let name = strip_subset_prefix(base_font);
    if name.len() > 64 {
        return None;
    }
    let mut lower = [0u8; 64];
    let mut len = 0;
    for &b in name {
        if b == b' ' {
            continue;
        }
        *lower.get_mut(len)? = b.to_ascii_lowercase();
        len += 1;
    }
    let lower = lower.get(..len)?;
    let (family, mut rest) = FAMILIES.iter().find_map(|&(f, id)| Some((id, lower.strip_prefix(f)?)))?;
    let mut style = 0;
    let mut words = 0;
    while !rest.is_empty() {
        words += 1;
        if words > 8 {
            return None;
        }
        if let Some(r) = rest.strip_prefix(b",").or_else(|| rest.strip_prefix(b"-")) {
            rest = r;
            continue;
        }
        let &(word, bits) = STYLE_WORDS.iter().find(|(w, _)| rest.starts_with(w))?;
        style |= bits;
        rest = rest.get(word.len()..)?;
    }
    if family >= SYMBOL {
        return (style == 0).then_some(Std14(family));
    }
    Some(Std14(family + style))
}

fn strip_subset_prefix(name: &[u8]) -> &[u8] {
    match (name.get(..6), name.get(6), name.get(7..)) {
        (Some(tag), Some(b'+'), Some(rest)) if tag.iter().all(u8::is_ascii_uppercase) => rest,
        _ => name,
    }
}

/// The width of a glyph in 1/1000 em. Latin fonts find it through the name's Unicode value
/// (so "uni00E9" and "eacute" agree); Symbol and ZapfDingbats through their built-in codes.
pub fn width(font: Std14, glyph_name: &[u8]) -> Option<u16> {
    let index = match font.0 {
        SYMBOL | DINGBATS => {
            let code = encodings::code_of(builtin_encoding(font), glyph_name)?;
            let row = data::SYMBOLIC_WIDTHS.get(usize::from(font.0 - SYMBOL))?;
            *row.get(usize::from(code.checked_sub(data::FIRST_SYMBOLIC_CODE)?))?
        }
        _ => return char_width(font, glyphs::glyph_char(glyph_name)?),
    };
    data::PALETTE.get(usize::from(index)).copied().filter(|&w| w != 0)
}

/// The width of a character's glyph in a Latin standard font (None for Symbol and
/// ZapfDingbats, and for characters the font lacks).
pub fn char_width(font: Std14, c: char) -> Option<u16> {
    let f = font.0;
    if f >= SYMBOL {
        return None;
    }
    let c = u16::try_from(u32::from(c)).ok()?;
    let at = data::LATIN_CHARS.binary_search(&c).ok()?;
    if f < HELVETICA {
        return Some(600);
    }
    // Helvetica's oblique fonts share the upright widths; Times has four sets.
    let set = match f {
        HELVETICA..=7 => usize::from((f - HELVETICA) & BOLD),
        _ => usize::from(f - TIMES) + 2,
    };
    let index = *data::LATIN_WIDTHS.get(set)?.get(at)?;
    data::PALETTE.get(usize::from(index)).copied().filter(|&w| w != 0)
}

/// The encoding a font uses when the PDF gives none: Symbol and ZapfDingbats have their own.
pub fn builtin_encoding(font: Std14) -> BaseEncoding {
    match font.0 {
        SYMBOL => BaseEncoding::Symbol,
        DINGBATS => BaseEncoding::ZapfDingbats,
        _ => BaseEncoding::Standard,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn std(name: &str) -> Option<&'static str> {
        standard14(name.as_bytes()).map(|f| core::str::from_utf8(f.name()).unwrap())
    }

    #[test]
    fn names_and_aliases() {
        for (name, want) in [
            ("Helvetica", "Helvetica"),
            ("Helvetica-BoldOblique", "Helvetica-BoldOblique"),
            ("Times-Roman", "Times-Roman"),
            ("Times-BoldItalic", "Times-BoldItalic"),
            ("Courier-Oblique", "Courier-Oblique"),
            ("Symbol", "Symbol"),
            ("ZapfDingbats", "ZapfDingbats"),
            ("Arial", "Helvetica"),
            ("Arial,Bold", "Helvetica-Bold"),
            ("Arial,BoldItalic", "Helvetica-BoldOblique"),
            ("ArialMT", "Helvetica"),
            ("Arial-BoldMT", "Helvetica-Bold"),
            ("Arial-ItalicMT", "Helvetica-Oblique"),
            ("TimesNewRoman", "Times-Roman"),
            ("TimesNewRoman,Italic", "Times-Italic"),
            ("TimesNewRomanPSMT", "Times-Roman"),
            ("TimesNewRomanPS-BoldMT", "Times-Bold"),
            ("TimesNewRomanPS-BoldItalicMT", "Times-BoldItalic"),
            ("Times New Roman", "Times-Roman"),
            ("CourierNew", "Courier"),
            ("CourierNewPS-BoldMT", "Courier-Bold"),
            ("CourierNew,BoldItalic", "Courier-BoldOblique"),
            ("ABCDEF+Helvetica", "Helvetica"),
            ("XYZABC+Arial-BoldMT", "Helvetica-Bold"),
        ] {
            assert_eq!(std(name), Some(want), "{name}");
        }
        for name in ["Helvetica-Narrow", "HelveticaNeue", "Arial-Black", "ArialUnicodeMS", "Calibri", "", "Symbol,Bold"]
        {
            assert_eq!(std(name), None, "{name}");
        }
    }

    fn w(font: &str, glyph: &str) -> Option<u16> {
        width(standard14(font.as_bytes()).unwrap(), glyph.as_bytes())
    }

    #[test]
    fn widths_from_the_afm_files() {
        // Values from Adobe's Core 14 AFM files.
        assert_eq!(w("Helvetica", "A"), Some(667));
        assert_eq!(w("Helvetica", "space"), Some(278));
        assert_eq!(w("Helvetica-Oblique", "m"), Some(833));
        assert_eq!(w("Helvetica-Bold", "exclam"), Some(333));
        assert_eq!(w("Helvetica-BoldOblique", "exclam"), Some(333));
        assert_eq!(w("Times-Roman", "quotedbl"), Some(408));
        assert_eq!(w("Times-Bold", "quotedbl"), Some(555));
        assert_eq!(w("Times-Italic", "quotedbl"), Some(420));
        assert_eq!(w("Times-BoldItalic", "exclam"), Some(389));
        assert_eq!(w("Times-Roman", "Abreve"), Some(722));
        assert_eq!(w("Courier-Bold", "W"), Some(600));
        assert_eq!(w("Helvetica", "Euro"), Some(556));
        assert_eq!(w("Helvetica", "uni0041"), Some(667));
        assert_eq!(w("Helvetica", "nbspace"), Some(278));
        assert_eq!(w("Helvetica", "fi"), Some(500));
        assert_eq!(w("Helvetica", "alpha"), None);
        assert_eq!(w("Courier", "g12"), None);
        assert_eq!(w("Symbol", "alpha"), Some(631));
        assert_eq!(w("Symbol", "space"), Some(250));
        assert_eq!(w("Symbol", "A"), None);
        assert_eq!(w("ZapfDingbats", "a1"), Some(974));
        assert_eq!(w("ZapfDingbats", "space"), Some(278));
    }

    #[test]
    fn builtin_encodings() {
        let enc = |n: &str| builtin_encoding(standard14(n.as_bytes()).unwrap());
        assert_eq!(enc("Symbol"), BaseEncoding::Symbol);
        assert_eq!(enc("ZapfDingbats"), BaseEncoding::ZapfDingbats);
        assert_eq!(enc("Times-Roman"), BaseEncoding::Standard);
    }
}
