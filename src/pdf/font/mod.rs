//! Fonts as the text layer needs them: how a shown string splits into codes, what text
//! each code stands for, and how far each code advances. Font programs are never parsed;
//! the font dictionary, its encoding, its ToUnicode CMap and its widths say enough.

#[cfg(feature = "cjk")]
mod cjk;
#[cfg(feature = "cjk")]
mod cjk_data;
mod mac_glyphs;
mod simple;
mod widths;

use crate::config::Config;
use crate::error::{Code, Result};
use crate::pdf::cmap::CMap;
use crate::pdf::document::Document;
use crate::pdf::object::{Dict, Object};
use crate::pdf::Warnings;
use alloc::boxed::Box;
use alloc::string::String;
use widths::CidWidths;

pub use simple::SimpleFont;

/// A loaded font.
pub struct Font {
    kind: Kind,
    to_unicode: Option<CMap>,
    /// Writing mode 1: glyphs advance downwards.
    pub vertical: bool,
    /// Factor from the font size to the height of the glyphs (Type 3 fonts draw in their
    /// own units; 1 for every other font).
    pub size_scale: f64,
}

enum Kind {
    Simple(Box<SimpleFont>),
    Composite(Composite),
}

struct Composite {
    codes: Codes,
    widths: CidWidths,
    /// The CIDs are those of an Adobe CJK collection and no ToUnicode says what they are.
    collection: Collection,
    /// The CIDs are glyph numbers in the standard Macintosh order, which the widths confirm,
    /// and nothing else says what they are ([`mac_order`]).
    mac_order: Option<MacOrder>,
}

/// The standard Macintosh glyph order, as Apple defines it or as Microsoft's core fonts use
/// it: without `nonbreakingspace` (glyph 172), which they draw with the space glyph, so every
/// later glyph comes one place earlier.
#[derive(Clone, Copy, PartialEq, Eq)]
enum MacOrder {
    Apple,
    Windows,
}

impl MacOrder {
    fn char(self, glyph: u32) -> Option<char> {
        let index = match self {
            MacOrder::Windows if glyph >= 172 => glyph + 1,
            _ => glyph,
        };
        let u = *mac_glyphs::MAC_GLYPHS.get(index as usize)?;
        char::from_u32(u as u32).filter(|&c| c != '\0')
    }
}

#[cfg(feature = "cjk")]
type Collection = Option<Box<(cjk::Legacy, &'static [u16])>>;
/// Without the `cjk` feature: whether the font's text is in a collection this build lacks.
#[cfg(not(feature = "cjk"))]
type Collection = bool;

/// How a composite font's strings split into codes.
enum Codes {
    /// By the encoding CMap (Identity or embedded), which also maps codes to CIDs.
    CMap(Box<CMap>),
    /// A predefined Unicode CMap (`Uni…-UCS2-H`, `Uni…-UTF16-H`): the codes are UTF-16.
    Utf16,
    /// `Uni…-UTF8-H` and `Uni…-UTF32-H`: the codes are UTF-8 or UTF-32BE.
    Utf8,
    Utf32,
    /// A predefined CMap whose codes are a legacy CJK encoding's bytes (`90ms-RKSJ-H`, ...).
    #[cfg(feature = "cjk")]
    Legacy(Box<cjk::Legacy>),
    /// Another predefined CMap: this build does not carry its rules, but the ToUnicode
    /// CMap's code space ranges split the codes the same way.
    ToUnicode,
    /// A predefined CJK CMap and no ToUnicode: the text cannot be known in this build.
    Unknown,
}

impl Font {
    /// A font for text shown before any `Tf` (or with a font that cannot be loaded):
    /// standard encoding and 500-unit widths, so the text still comes out.
    pub fn fallback() -> Font {
        Font {
            kind: Kind::Simple(Box::new(SimpleFont::fallback())),
            to_unicode: None,
            vertical: false,
            size_scale: 1.0,
        }
    }

    pub fn load(doc: &Document, dict: &Dict, cfg: &Config, warnings: &mut Warnings) -> Result<Font> {
        let subtype = dict.name(b"Subtype").unwrap_or(b"Type1");
        let to_unicode = to_unicode(doc, dict, cfg, warnings)?;
        if subtype == b"Type0" {
            return composite(doc, dict, to_unicode, cfg, warnings);
        }
        let simple = SimpleFont::load(doc, dict, subtype == b"Type3", cfg)?;
        let size_scale = simple.size_scale;
        Ok(Font { kind: Kind::Simple(Box::new(simple)), to_unicode, vertical: false, size_scale })
    }

    /// The code starting at `pos` and its length in bytes (at least 1 while bytes remain).
    pub fn next_code(&self, bytes: &[u8], pos: usize) -> (u32, usize) {
        match &self.kind {
            Kind::Simple(_) => (bytes.get(pos).copied().unwrap_or(0) as u32, 1),
            Kind::Composite(c) => {
                let cmap = match &c.codes {
                    Codes::CMap(m) => Some(&**m),
                    Codes::ToUnicode => self.to_unicode.as_ref(),
                    Codes::Utf16 => return utf16_code(bytes, pos),
                    Codes::Utf8 => return utf8_code(bytes, pos),
                    Codes::Utf32 => {
                        let four = bytes.get(pos..pos + 4).map(|b| b.iter().fold(0u32, |a, &b| a << 8 | b as u32));
                        return (four.unwrap_or(0xFFFD), 4);
                    }
                    #[cfg(feature = "cjk")]
                    Codes::Legacy(l) => return l.next_code(bytes, pos),
                    Codes::Unknown => None,
                };
                match cmap {
                    Some(m) => {
                        let (code, n) = m.next_code(bytes, pos);
                        (code, n.max(1))
                    }
                    None => utf16_code(bytes, pos),
                }
            }
        }
    }

    /// The horizontal advance of `code` for a font size of 1.
    pub fn width(&self, code: u32) -> f64 {
        match &self.kind {
            Kind::Simple(s) => s.width(code),
            Kind::Composite(c) => {
                let cid = match &c.codes {
                    Codes::CMap(m) => m.cid(code),
                    #[cfg(feature = "cjk")]
                    Codes::Legacy(l) if l.is_half_width(code) => return 0.5,
                    _ => None,
                };
                c.widths.get(cid) / 1000.0
            }
        }
    }

    /// Appends the text of `code`; false when the font does not say what it is.
    pub fn unicode(&self, code: u32, out: &mut String) -> bool {
        let at = out.len();
        if let Some(tu) = &self.to_unicode {
            if tu.unicode(code, out) {
                if out.get(at..).is_some_and(|s| s.chars().any(|c| c >= ' ')) {
                    return true;
                }
                out.truncate(at);
            }
        }
        match &self.kind {
            Kind::Simple(s) => s.unicode(code, out),
            Kind::Composite(Composite { codes: Codes::Utf16 | Codes::Utf8 | Codes::Utf32, .. }) => {
                match char::from_u32(code) {
                    Some(ch) => {
                        out.push(ch);
                        true
                    }
                    None => false,
                }
            }
            #[cfg(feature = "cjk")]
            Kind::Composite(Composite { codes: Codes::Legacy(l), .. }) => l.unicode(code, out),
            #[cfg(feature = "cjk")]
            Kind::Composite(Composite { codes: Codes::CMap(m), collection: Some(c), .. }) => {
                m.cid(code).and_then(|cid| cjk::cid_code(c.1, cid)).is_some_and(|legacy| c.0.unicode(legacy, out))
            }
            Kind::Composite(Composite { codes: Codes::CMap(m), mac_order: Some(order), .. }) => {
                match m.cid(code).and_then(|glyph| order.char(glyph)) {
                    Some(c) => {
                        out.push(c);
                        true
                    }
                    None => false,
                }
            }
            Kind::Composite(_) => false,
        }
    }

    /// Whether a missing mapping is expected (a predefined CJK CMap), so the caller warns
    /// about the build rather than about the document.
    pub fn text_unknown_in_build(&self) -> bool {
        match &self.kind {
            Kind::Composite(Composite { codes: Codes::Unknown, .. }) => true,
            #[cfg(not(feature = "cjk"))]
            Kind::Composite(c) => c.collection,
            _ => false,
        }
    }
}

/// A code of a predefined UCS-2/UTF-16 CMap: two bytes, four for a surrogate pair (the
/// code is then the scalar value).
fn utf16_code(bytes: &[u8], pos: usize) -> (u32, usize) {
    let unit = |p: usize| -> Option<u32> {
        let hi = *bytes.get(p)? as u32;
        let lo = *bytes.get(p + 1)? as u32;
        Some(hi << 8 | lo)
    };
    match unit(pos) {
        Some(h @ 0xD800..=0xDBFF) => match unit(pos + 2) {
            Some(l @ 0xDC00..=0xDFFF) => (0x10000 + ((h - 0xD800) << 10) + (l - 0xDC00), 4),
            _ => (0xFFFD, 2),
        },
        Some(u) => (u, 2),
        None => (0xFFFD, 1),
    }
}

/// A code of a predefined UTF-8 CMap: one UTF-8 sequence (the code is its scalar value).
fn utf8_code(bytes: &[u8], pos: usize) -> (u32, usize) {
    let rest = bytes.get(pos..pos + 4).or_else(|| bytes.get(pos..)).unwrap_or(&[]);
    let len = match rest.first() {
        Some(0xF0..) => 4,
        Some(0xE0..) => 3,
        Some(0xC0..) => 2,
        _ => 1,
    };
    match rest.get(..len).and_then(|s| core::str::from_utf8(s).ok()).and_then(|s| s.chars().next()) {
        Some(c) => (c as u32, len),
        None => (0xFFFD, 1),
    }
}

fn to_unicode(doc: &Document, dict: &Dict, cfg: &Config, warnings: &mut Warnings) -> Result<Option<CMap>> {
    let Some(obj) = dict.get(b"ToUnicode") else { return Ok(None) };
    let obj = doc.resolve(obj)?;
    let Some(stream) = obj.as_stream() else { return Ok(None) };
    let data = match doc.stream_data(stream) {
        Ok(d) => d,
        Err(e) if e.code() == Code::OutOfMemory => return Err(e),
        Err(_) => {
            warnings.add("pdf: unreadable ToUnicode CMap ignored");
            return Ok(None);
        }
    };
    match CMap::parse(&data, cfg) {
        Ok(c) => Ok(Some(c)),
        Err(e) if e.code() == Code::OutOfMemory => Err(e),
        Err(_) => {
            warnings.add("pdf: unreadable ToUnicode CMap ignored");
            Ok(None)
        }
    }
}

fn composite(
    doc: &Document,
    dict: &Dict,
    to_unicode: Option<CMap>,
    cfg: &Config,
    warnings: &mut Warnings,
) -> Result<Font> {
    let enc = match dict.get(b"Encoding") {
        Some(o) => doc.resolve(o)?,
        None => Object::Null,
    };
    let codes = match &enc {
        Object::Name(n) if n.starts_with(b"Identity-") => Codes::CMap(Box::new(CMap::identity())),
        Object::Name(n) => {
            let is = |forms: [&[u8]; 2]| n.starts_with(b"Uni") && forms.iter().any(|e| n.ends_with(e));
            if is([b"UCS2-H", b"UCS2-V"]) || is([b"UTF16-H", b"UTF16-V"]) {
                Codes::Utf16
            } else if is([b"UTF8-H", b"UTF8-V"]) {
                Codes::Utf8
            } else if is([b"UTF32-H", b"UTF32-V"]) {
                Codes::Utf32
            } else if to_unicode.is_some() {
                Codes::ToUnicode
            } else {
                legacy_codes(n, warnings)?
            }
        }
        Object::Stream(s) => match doc.stream_data(s).and_then(|d| CMap::parse(&d, cfg)) {
            Ok(c) => Codes::CMap(Box::new(c)),
            Err(e) if e.code() == Code::OutOfMemory => return Err(e),
            Err(_) => {
                warnings.add("pdf: unreadable font encoding CMap; two-byte codes assumed");
                Codes::CMap(Box::new(CMap::identity()))
            }
        },
        _ => Codes::CMap(Box::new(CMap::identity())),
    };
    let vertical = match (&enc, &codes) {
        (Object::Name(n), _) => n.ends_with(b"-V"),
        (_, Codes::CMap(m)) => m.is_vertical(),
        _ => false,
    };
    let descendant = match dict.get(b"DescendantFonts") {
        Some(o) => {
            let arr = doc.resolve(o)?;
            match arr.as_array().and_then(|a| a.first()) {
                Some(d) => doc.resolve(d)?,
                None => Object::Null,
            }
        }
        None => Object::Null,
    };
    let (widths, collection, mac_order) = match descendant.as_dict() {
        Some(d) if matches!(codes, Codes::CMap(_)) && to_unicode.is_none() => {
            let widths = CidWidths::load(doc, d, cfg)?;
            let collection = collection(doc, d, warnings)?;
            let glyph_numbered = !in_collection(&collection) && glyph_numbered(doc, d)?;
            let mac_order = if glyph_numbered { mac_order(dict, &widths) } else { None };
            if mac_order.is_some() {
                warnings.add("pdf: a font without Unicode mapping was read in the standard Macintosh glyph order, which its widths match");
            }
            (widths, collection, mac_order)
        }
        Some(d) => (CidWidths::load(doc, d, cfg)?, Collection::default(), None),
        None => (CidWidths::default(), Collection::default(), None),
    };
    let composite = Composite { codes, widths, collection, mac_order };
    Ok(Font { kind: Kind::Composite(composite), to_unicode, vertical, size_scale: 1.0 })
}

/// Whether the font's CIDs were found to be an Adobe CJK collection's.
fn in_collection(c: &Collection) -> bool {
    #[cfg(feature = "cjk")]
    return c.is_some();
    #[cfg(not(feature = "cjk"))]
    return *c;
}

/// Whether a CID font's CIDs are its glyph numbers: a TrueType CID font with the Identity
/// CIDToGIDMap (or none, which means the same).
fn glyph_numbered(doc: &Document, cid_font: &Dict) -> Result<bool> {
    if cid_font.name(b"Subtype") != Some(b"CIDFontType2") {
        return Ok(false);
    }
    Ok(match cid_font.get(b"CIDToGIDMap") {
        Some(m) => doc.resolve(m)?.as_name().is_none_or(|n| n == b"Identity"),
        None => true,
    })
}

/// Which standard Macintosh glyph order a glyph-numbered font without any Unicode
/// information follows, if any (pdftotext prints such a font's glyph numbers as characters).
/// TrueType fonts of Apple's and Monotype's core sets keep that order for their first 258
/// glyphs. The font's name must be Arial, Times New Roman or Courier New (metric twins of the
/// standard 14), and at least nine in ten of the widths `W` gives those glyphs must be the
/// standard font's widths for the characters the order puts there (at least five compared).
/// A font in another order fails the widths.
fn mac_order(font: &Dict, widths: &CidWidths) -> Option<MacOrder> {
    let std = font.name(b"BaseFont").and_then(crate::pdf::metrics::standard14)?;
    let score = |order: MacOrder| {
        let (mut checked, mut matched) = (0u32, 0u32);
        for glyph in 0..258 {
            let Some(w) = widths.explicit(glyph) else { continue };
            let Some(expected) = order.char(glyph).and_then(|c| crate::pdf::metrics::char_width(std, c)) else {
                continue;
            };
            checked += 1;
            if (w - expected as f64).abs() <= 2.0 {
                matched += 1;
            }
        }
        (matched, checked)
    };
    let ((apple, checked), (windows, _)) = (score(MacOrder::Apple), score(MacOrder::Windows));
    let (order, matched) = if windows > apple { (MacOrder::Windows, windows) } else { (MacOrder::Apple, apple) };
    (checked >= 5 && matched * 10 >= checked * 9).then_some(order)
}

/// The codes of a predefined CMap other than the Unicode ones, for a font without ToUnicode.
fn legacy_codes(name: &[u8], warnings: &mut Warnings) -> Result<Codes> {
    #[cfg(feature = "cjk")]
    if let Some(l) = cjk::Legacy::for_cmap(name)? {
        return Ok(Codes::Legacy(Box::new(l)));
    }
    let _ = name;
    warnings.add(if cfg!(feature = "cjk") {
        "CJK font without ToUnicode: its predefined CMap (CNS 11643 or JIS X 0212) is not supported"
    } else {
        "CJK font without ToUnicode: predefined CMaps are not in this build (complete preset)"
    });
    Ok(Codes::Unknown)
}

/// The Adobe CJK collection a CID font's CIDs belong to, when they are that collection's
/// CIDs: CFF-based (CIDFontType0) and unembedded fonts use them as such, and so does an
/// embedded TrueType font with a CIDToGIDMap stream. An embedded TrueType font with the
/// Identity map often numbers its CIDs by glyph, whatever its CIDSystemInfo claims, and
/// reading those as collection CIDs would make mojibake.
fn collection(doc: &Document, cid_font: &Dict, warnings: &mut Warnings) -> Result<Collection> {
    let info = match cid_font.get(b"CIDSystemInfo") {
        Some(o) => doc.resolve(o)?,
        None => return Ok(Collection::default()),
    };
    let ordering = match info.as_dict().and_then(|d| d.get(b"Ordering")) {
        Some(o) => doc.resolve(o)?,
        None => return Ok(Collection::default()),
    };
    let Some(ordering) = ordering.as_str() else { return Ok(Collection::default()) };
    if !matches!(ordering, b"Japan1" | b"GB1" | b"CNS1" | b"Korea1") {
        return Ok(Collection::default());
    }
    let embedded_truetype = match cid_font.get(b"FontDescriptor") {
        Some(d) => doc.resolve(d)?.as_dict().is_some_and(|d| d.get(b"FontFile2").is_some()),
        None => false,
    };
    let gid_map = match cid_font.get(b"CIDToGIDMap") {
        Some(m) => doc.resolve(m)?.as_stream().is_some(),
        None => false,
    };
    if embedded_truetype && !gid_map {
        return Ok(Collection::default());
    }
    #[cfg(feature = "cjk")]
    {
        let _ = warnings;
        Ok(cjk::collection(ordering)?.map(Box::new))
    }
    #[cfg(not(feature = "cjk"))]
    {
        warnings
            .add("CJK font without ToUnicode: the Adobe character collections are not in this build (complete preset)");
        Ok(true)
    }
}
