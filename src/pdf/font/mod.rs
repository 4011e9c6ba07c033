//! Fonts as the text layer needs them: how a shown string splits into codes, what text
//! each code stands for, and how far each code advances. Font programs are never parsed;
//! the font dictionary, its encoding, its ToUnicode CMap and its widths say enough.

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
}

/// How a composite font's strings split into codes.
enum Codes {
    /// By the encoding CMap (Identity or embedded), which also maps codes to CIDs.
    CMap(Box<CMap>),
    /// A predefined Unicode CMap (`Uni…-UCS2-H`, `Uni…-UTF16-H`): the codes are UTF-16.
    Utf16,
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
            Kind::Composite(Composite { codes: Codes::Utf16, .. }) => match char::from_u32(code) {
                Some(ch) => {
                    out.push(ch);
                    true
                }
                None => false,
            },
            Kind::Composite(_) => false,
        }
    }

    /// Whether a missing mapping is expected (a predefined CJK CMap), so the caller warns
    /// about the build rather than about the document.
    pub fn text_unknown_in_build(&self) -> bool {
        matches!(&self.kind, Kind::Composite(Composite { codes: Codes::Unknown, .. }))
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
            let unicode = [&b"UCS2-H"[..], b"UCS2-V", b"UTF16-H", b"UTF16-V"].iter().any(|e| n.ends_with(e));
            if n.starts_with(b"Uni") && unicode {
                Codes::Utf16
            } else if to_unicode.is_some() {
                Codes::ToUnicode
            } else {
                warnings.add("CJK font without ToUnicode: predefined CMaps are not in this build");
                Codes::Unknown
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
    let widths = match descendant.as_dict() {
        Some(d) => CidWidths::load(doc, d, cfg)?,
        None => CidWidths::default(),
    };
    Ok(Font { kind: Kind::Composite(Composite { codes, widths }), to_unicode, vertical, size_scale: 1.0 })
}
