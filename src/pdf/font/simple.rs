//! Simple fonts (Type 1, MMType1, TrueType, Type 3): one byte per code, text from the
//! encoding's glyph names, widths from `/Widths` or the standard 14 metrics.

use crate::config::Config;
use crate::error::{Code, Result};
use crate::pdf::content::Ops;
use crate::pdf::document::Document;
use crate::pdf::encodings::{base_encoding, glyph_name, BaseEncoding};
use crate::pdf::glyphs::{dingbat_to_unicode, glyph_to_unicode};
use crate::pdf::lexer::find;
use crate::pdf::metrics;
use crate::pdf::object::{Dict, Object};
use alloc::string::String;
use alloc::vec::Vec;

pub struct SimpleFont {
    /// Text of each code: a range of `text`.
    spans: [(u32, u32); 256],
    text: String,
    /// Advance of each code for a font size of 1.
    widths: [f32; 256],
    pub size_scale: f64,
}

/// Width when neither the font nor the standard metrics give one.
const DEFAULT_WIDTH: f64 = 500.0;

impl SimpleFont {
    pub fn fallback() -> SimpleFont {
        let mut f = SimpleFont { spans: [(0, 0); 256], text: String::new(), widths: [0.5; 256], size_scale: 1.0 };
        f.fill_text(&names_of(BaseEncoding::Standard, None), false);
        f
    }

    pub fn load(doc: &Document, dict: &Dict, type3: bool, _cfg: &Config) -> Result<SimpleFont> {
        let base_font = dict.name(b"BaseFont").map(strip_subset).unwrap_or(b"");
        let std14 = if type3 { None } else { metrics::standard14(base_font) };
        let descriptor = match dict.get(b"FontDescriptor") {
            Some(o) => doc.resolve(o)?,
            None => Object::Null,
        };
        let descriptor = descriptor.as_dict();
        let flags = descriptor.and_then(|d| d.int(b"Flags")).unwrap_or(0);
        let symbolic = flags & 4 != 0 && flags & 32 == 0;
        let truetype = dict.name(b"Subtype") == Some(b"TrueType");

        let enc = match dict.get(b"Encoding") {
            Some(o) => doc.resolve(o)?,
            None => Object::Null,
        };
        let named = base_encoding;
        // Without an encoding the font program's own applies: the standard 14 know theirs,
        // an embedded Type 1 program declares it in its clear-text part; otherwise Standard
        // is what Type 1 fonts mostly carry and WinAnsi what non-symbolic TrueType fonts
        // are read with by viewers.
        let builtin = match std14 {
            Some(s) => metrics::builtin_encoding(s),
            None if truetype && !symbolic => BaseEncoding::WinAnsi,
            None => BaseEncoding::Standard,
        };
        let (base, diffs) = match &enc {
            Object::Name(n) => (named(n), None),
            Object::Dict(d) => {
                let diffs = match d.get(b"Differences") {
                    Some(o) => Some(doc.resolve(o)?),
                    None => None,
                };
                (d.name(b"BaseEncoding").and_then(named), diffs)
            }
            _ => (None, None),
        };
        let program = match (base, std14, descriptor.and_then(|d| d.get(b"FontFile"))) {
            (None, None, Some(ff)) => type1_encoding(doc, ff)?,
            _ => Vec::new(),
        };
        let mut names = names_of(base.unwrap_or(builtin), None);
        for (code, name) in &program {
            if let Some(slot) = names.get_mut(*code as usize) {
                *slot = Some(name);
            }
        }
        apply_differences(&mut names, diffs.as_ref().and_then(Object::as_array));

        let matrix_x = if type3 { type3_scale(doc, dict)? } else { (0.001, 1.0) };
        let mut f =
            SimpleFont { spans: [(0, 0); 256], text: String::new(), widths: [0.0; 256], size_scale: matrix_x.1 };
        f.fill_text(&names, base_font == b"ZapfDingbats");

        let missing = descriptor.and_then(|d| d.get(b"MissingWidth")).and_then(Object::as_f64).unwrap_or(0.0);
        let first = dict.int(b"FirstChar").unwrap_or(0);
        let widths = match dict.get(b"Widths") {
            Some(o) => doc.resolve(o)?,
            None => Object::Null,
        };
        let widths = widths.as_array();
        for code in 0..256usize {
            let given = widths.and_then(|w| {
                let i = usize::try_from((code as i64).checked_sub(first)?).ok()?;
                match w.get(i)? {
                    Object::Ref(r) => doc.get(*r).ok()?.as_f64(),
                    o => o.as_f64(),
                }
            });
            let w = match given {
                Some(w) => w,
                None if missing > 0.0 => missing,
                None => {
                    let std = std14.zip(names.get(code).copied().flatten()).and_then(|(s, n)| metrics::width(s, n));
                    match std {
                        Some(w) => w as f64,
                        None if widths.is_some() => 0.0,
                        None => DEFAULT_WIDTH,
                    }
                }
            };
            if let Some(slot) = f.widths.get_mut(code) {
                *slot = (w * matrix_x.0) as f32;
            }
        }
        Ok(f)
    }

    fn fill_text(&mut self, names: &[Option<&[u8]>; 256], dingbats: bool) {
        let to_unicode = if dingbats { dingbat_to_unicode } else { glyph_to_unicode };
        for (code, name) in names.iter().enumerate() {
            let Some(name) = name else { continue };
            let at = self.text.len();
            if to_unicode(name, &mut self.text) {
                if let Some(s) = self.spans.get_mut(code) {
                    *s = (at as u32, (self.text.len() - at) as u32);
                }
            } else {
                self.text.truncate(at);
            }
        }
    }

    pub fn width(&self, code: u32) -> f64 {
        self.widths.get(code as usize).copied().unwrap_or(0.0) as f64
    }

    pub fn unicode(&self, code: u32, out: &mut String) -> bool {
        let Some(&(start, len)) = self.spans.get(code as usize) else { return false };
        match self.text.get(start as usize..(start + len) as usize) {
            Some(s) if !s.is_empty() => {
                out.push_str(s);
                true
            }
            _ => false,
        }
    }
}

/// Glyph names of every code in a base encoding, overlaid with `Differences`.
fn names_of(base: BaseEncoding, diffs: Option<&[Object]>) -> [Option<&[u8]>; 256] {
    let mut names: [Option<&[u8]>; 256] = [None; 256];
    for (code, slot) in names.iter_mut().enumerate() {
        *slot = glyph_name(base, code as u8);
    }
    apply_differences(&mut names, diffs);
    names
}

fn apply_differences<'a>(names: &mut [Option<&'a [u8]>; 256], diffs: Option<&'a [Object]>) {
    let mut code: Option<usize> = None;
    for o in diffs.unwrap_or(&[]) {
        match o {
            Object::Int(c) => code = usize::try_from(*c).ok(),
            Object::Name(n) => {
                if let Some(slot) = code.and_then(|c| names.get_mut(c)) {
                    *slot = Some(n);
                }
                code = code.map(|c| c.saturating_add(1));
            }
            _ => {}
        }
    }
}

/// The encoding an embedded Type 1 program declares in its clear-text part, as
/// `dup code /name put` entries (empty for `StandardEncoding def` or when unreadable).
fn type1_encoding(doc: &Document, file: &Object) -> Result<Vec<(u8, Vec<u8>)>> {
    let file = doc.resolve(file)?;
    let Some(stream) = file.as_stream() else { return Ok(Vec::new()) };
    let data = match doc.stream_data(stream) {
        Ok(d) => d,
        Err(e) if e.code() == Code::OutOfMemory => return Err(e),
        Err(_) => return Ok(Vec::new()),
    };
    Ok(parse_type1_encoding(&data))
}

fn parse_type1_encoding(data: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut out = Vec::new();
    let clear = match find(data, b"eexec", 0) {
        Some(end) => data.get(..end).unwrap_or(data),
        None => data,
    };
    let Some(at) = find(clear, b"/Encoding", 0) else { return out };
    let mut ops = Ops::new(clear.get(at + 9..).unwrap_or(&[]), 4);
    // 256 entries at most, each `dup code /name put`; a few more operators of slack.
    for _ in 0..600 {
        match ops.next_op() {
            Ok(Some(b"put")) => {
                if let [.., Object::Int(code), Object::Name(name)] = ops.operands() {
                    if let Ok(code) = u8::try_from(*code) {
                        out.push((code, name.clone()));
                    }
                }
            }
            Ok(Some(b"def" | b"readonly")) | Ok(None) | Err(_) => break,
            Ok(Some(_)) => {}
        }
    }
    out
}

/// "ABCDEF+Times-Roman" is a subset of Times-Roman.
fn strip_subset(name: &[u8]) -> &[u8] {
    match name.get(6) {
        Some(b'+') if name.iter().take(6).all(u8::is_ascii_uppercase) => name.get(7..).unwrap_or(name),
        _ => name,
    }
}

/// A Type 3 font's scale: glyph widths to text space (FontMatrix a), and font size to the
/// height of its glyphs (from FontBBox through FontMatrix d; 1 when unknown).
fn type3_scale(doc: &Document, dict: &Dict) -> Result<(f64, f64)> {
    let m = match dict.get(b"FontMatrix") {
        Some(o) => doc.resolve(o)?,
        None => Object::Null,
    };
    let m: Vec<f64> = m.as_array().unwrap_or(&[]).iter().filter_map(Object::as_f64).collect();
    let (a, d) = match m.as_slice() {
        [a, _, _, d, ..] if a.is_finite() && d.is_finite() => (*a, *d),
        _ => (0.001, 0.001),
    };
    let bbox = match dict.get(b"FontBBox") {
        Some(o) => doc.resolve(o)?,
        None => Object::Null,
    };
    let b: Vec<f64> = bbox.as_array().unwrap_or(&[]).iter().filter_map(Object::as_f64).collect();
    let height = match b.as_slice() {
        [_, y0, _, y1] => ((y1 - y0) * d).abs(),
        _ => 0.0,
    };
    let scale = if height > 0.05 && height < 20.0 { height } else { 1.0 };
    Ok((a, scale))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subset_prefix() {
        assert_eq!(strip_subset(b"ABCDEF+Times-Roman"), b"Times-Roman");
        assert_eq!(strip_subset(b"Abcdef+X"), b"Abcdef+X");
        assert_eq!(strip_subset(b"Helvetica"), b"Helvetica");
    }

    #[test]
    fn type1_builtin_encoding() {
        let program = b"%!PS-AdobeFont-1.0: CMMI10\n/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\ndup 11 /alpha put\ndup 113 /theta put\nreadonly def\ncurrentfile eexec\x80\x81dup 1 /x put";
        assert_eq!(parse_type1_encoding(program), [(11, b"alpha".to_vec()), (113, b"theta".to_vec())]);
        assert!(parse_type1_encoding(b"/Encoding StandardEncoding def currentfile eexec").is_empty());
    }

    #[test]
    fn differences_overlay_the_base_encoding() {
        let diffs = [
            Object::Int(65),
            Object::Name(b"fi".to_vec()),
            Object::Name(b"Euro".to_vec()),
            Object::Int(300),
            Object::Name(b"x".to_vec()),
        ];
        let names = names_of(BaseEncoding::WinAnsi, Some(&diffs));
        assert_eq!(names[65], Some(&b"fi"[..]));
        assert_eq!(names[66], Some(&b"Euro"[..]));
        assert_eq!(names[67], Some(&b"C"[..]));
    }
}
