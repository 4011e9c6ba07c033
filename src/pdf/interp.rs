//! The content-stream interpreter: graphics and text state, Form XObjects and marked
//! content, turning every shown glyph into a positioned [`Glyph`] for the layout.

use crate::config::Config;
use crate::error::{Code, Result};
use crate::pdf::content::Ops;
use crate::pdf::document::Document;
use crate::pdf::encodings::text_string;
use crate::pdf::font::Font;
use crate::pdf::layout::{to_frame, Glyph, Glyphs};
use crate::pdf::object::{Dict, Object, Ref};
use crate::pdf::Warnings;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;

/// Row-vector affine matrix `[a b c d e f]`, as PDF writes them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Matrix(pub [f64; 6]);

impl Matrix {
    pub const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// `self` applied first, then `other`.
    pub fn then(&self, other: &Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    pub fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        let [a, b, c, d, e, f] = self.0;
        (x * a + y * c + e, x * b + y * d + f)
    }

    fn translate(tx: f64, ty: f64) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, tx, ty])
    }

    /// From six numbers; `None` unless all are finite.
    pub fn from_operands(ops: &[Object]) -> Option<Matrix> {
        let mut m = [0.0; 6];
        if ops.len() < 6 {
            return None;
        }
        for (slot, o) in m.iter_mut().zip(ops.get(ops.len() - 6..)?) {
            *slot = o.as_f64().filter(|v| v.is_finite())?;
        }
        Some(Matrix(m))
    }
}

fn hypot(x: f64, y: f64) -> f64 {
    // Newton's method: core has no sqrt on every target this crate builds for.
    let s = x * x + y * y;
    if s.is_nan() || s <= 0.0 || !s.is_finite() {
        return 0.0;
    }
    let mut r = if s > 1.0 { s / 2.0 } else { 1.0 };
    for _ in 0..64 {
        let next = 0.5 * (r + s / r);
        if (next - r).abs() <= 1e-12 * next {
            return next;
        }
        r = next;
    }
    r
}

/// Graphics state that `q`/`Q` save: the CTM and the text state parameters.
#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    size: f64,
    char_space: f64,
    word_space: f64,
    scale: f64,
    leading: f64,
    rise: f64,
}

/// Saved states kept for `q`; deeper nesting is counted, not stored.
const MAX_SAVED: usize = 64;
/// Form XObjects inside Form XObjects, whatever `max_depth` allows.
const MAX_FORM_DEPTH: u32 = 12;
/// Nested marked-content sequences tracked.
const MAX_MARKED: usize = 64;

/// Fonts loaded from indirect font dictionaries and decoded forms, shared by all pages of
/// a document.
#[derive(Default)]
pub struct FontCache {
    fonts: Vec<(Ref, Rc<Font>)>,
    fallback: Option<Rc<Font>>,
    /// Decoded Form XObjects, most recent last.
    forms: Vec<(Ref, Rc<[u8]>)>,
}

impl FontCache {
    fn fallback(&mut self) -> Rc<Font> {
        self.fallback.get_or_insert_with(|| Rc::new(Font::fallback())).clone()
    }
}

/// Fonts kept across pages; a document with more loads the rest per use.
const MAX_CACHED_FONTS: usize = 1024;
/// Decoded forms kept across pages.
const MAX_CACHED_FORMS: usize = 16;
const MAX_CACHED_FORM_BYTES: usize = 1 << 20;

/// An ActualText replacement in progress: the glyphs it covers are measured, not emitted.
struct Actual {
    text: String,
    first: Option<Glyph>,
    end_x: f64,
}

pub struct Interp<'x, 'd> {
    doc: &'x Document<'d>,
    cfg: &'x Config,
    fonts: &'x mut FontCache,
    pub glyphs: &'x mut Glyphs,
    warnings: &'x mut Warnings,
    pub images: u32,
    gs: GState,
    saved: Vec<GState>,
    saved_overflow: u32,
    tm: Matrix,
    tlm: Matrix,
    /// Page rotation in quarter turns, applied after the CTM.
    rotation: u8,
    crop: [f64; 4],
    /// Operators left for this page: bounds the work of forms drawn many times.
    budget: u64,
    forms: Vec<Ref>,
    marked: Vec<bool>,
    actual: Option<Actual>,
    max_glyphs: usize,
}

impl<'x, 'd> Interp<'x, 'd> {
    pub fn new(
        doc: &'x Document<'d>,
        cfg: &'x Config,
        fonts: &'x mut FontCache,
        glyphs: &'x mut Glyphs,
        warnings: &'x mut Warnings,
        rotate: i32,
        crop: [f64; 4],
    ) -> Interp<'x, 'd> {
        let rotation = (rotate.rem_euclid(360) / 90) as u8;
        let gs = GState {
            ctm: Matrix::IDENTITY,
            font: None,
            size: 0.0,
            char_space: 0.0,
            word_space: 0.0,
            scale: 1.0,
            leading: 0.0,
            rise: 0.0,
        };
        Interp {
            doc,
            cfg,
            fonts,
            glyphs,
            warnings,
            images: 0,
            gs,
            saved: Vec::new(),
            saved_overflow: 0,
            tm: Matrix::IDENTITY,
            tlm: Matrix::IDENTITY,
            rotation,
            crop,
            budget: (cfg.max_objects as u64).max(100_000),
            forms: Vec::new(),
            marked: Vec::new(),
            actual: None,
            max_glyphs: (cfg.max_objects as usize).min(8_000_000),
        }
    }

    /// Runs one content stream. A broken stream keeps the text found before the damage.
    pub fn run(&mut self, data: &[u8], resources: &Dict, depth: u32) -> Result<()> {
        match self.run_ops(data, resources, depth) {
            Err(e) if e.code() != Code::OutOfMemory => {
                self.warnings.add("pdf: damaged content stream; text before the damage kept");
                Ok(())
            }
            r => r,
        }
    }

    fn run_ops(&mut self, data: &[u8], res: &Dict, depth: u32) -> Result<()> {
        let mut ops = Ops::new(data, self.cfg.max_depth);
        while let Some(op) = ops.next_op()? {
            if self.budget == 0 {
                self.warnings.add("pdf: page has too many operators; text truncated");
                return Ok(());
            }
            self.budget -= 1;
            let a = ops.operands();
            let num = |i: usize| -> Option<f64> {
                let o = a.get(a.len().checked_sub(i)?)?;
                o.as_f64().filter(|v| v.is_finite())
            };
            match op {
                b"q" => {
                    if self.saved.len() >= MAX_SAVED {
                        self.saved_overflow = self.saved_overflow.saturating_add(1);
                    } else {
                        self.saved.try_reserve(1).map_err(|_| crate::error::oom())?;
                        self.saved.push(self.gs.clone());
                    }
                }
                b"Q" => {
                    if self.saved_overflow > 0 {
                        self.saved_overflow -= 1;
                    } else if let Some(g) = self.saved.pop() {
                        self.gs = g;
                    }
                }
                b"cm" => {
                    if let Some(m) = Matrix::from_operands(a) {
                        self.gs.ctm = m.then(&self.gs.ctm);
                    }
                }
                b"BT" => {
                    self.tm = Matrix::IDENTITY;
                    self.tlm = Matrix::IDENTITY;
                }
                b"Tf" => {
                    if let Some(size) = num(1) {
                        self.gs.size = size;
                    }
                    let name = a.len().checked_sub(2).and_then(|i| a.get(i)).and_then(Object::as_name);
                    self.gs.font = match name {
                        Some(n) => self.font(res, n)?,
                        None => None,
                    };
                }
                b"Tc" => self.gs.char_space = num(1).unwrap_or(0.0),
                b"Tw" => self.gs.word_space = num(1).unwrap_or(0.0),
                b"Tz" => self.gs.scale = num(1).unwrap_or(100.0) / 100.0,
                b"TL" => self.gs.leading = num(1).unwrap_or(0.0),
                b"Ts" => self.gs.rise = num(1).unwrap_or(0.0),
                b"Td" | b"TD" => {
                    let (tx, ty) = (num(2).unwrap_or(0.0), num(1).unwrap_or(0.0));
                    if op == b"TD" {
                        self.gs.leading = -ty;
                    }
                    self.next_line(tx, ty);
                }
                b"Tm" => {
                    if let Some(m) = Matrix::from_operands(a) {
                        self.tm = m;
                        self.tlm = m;
                    }
                }
                b"T*" => self.next_line(0.0, -self.gs.leading),
                b"Tj" => {
                    if let Some(s) = a.last().and_then(Object::as_str) {
                        self.show(s)?;
                    }
                }
                b"'" => {
                    self.next_line(0.0, -self.gs.leading);
                    if let Some(s) = a.last().and_then(Object::as_str) {
                        self.show(s)?;
                    }
                }
                b"\"" => {
                    self.gs.word_space = num(3).unwrap_or(self.gs.word_space);
                    self.gs.char_space = num(2).unwrap_or(self.gs.char_space);
                    self.next_line(0.0, -self.gs.leading);
                    if let Some(s) = a.last().and_then(Object::as_str) {
                        self.show(s)?;
                    }
                }
                b"TJ" => {
                    let items = a.last().and_then(Object::as_array).unwrap_or(&[]);
                    for item in items {
                        match item {
                            Object::Str(s) => self.show(s)?,
                            o => {
                                if let Some(n) = o.as_f64().filter(|v| v.is_finite()) {
                                    self.adjust(n);
                                }
                            }
                        }
                    }
                }
                b"Do" => {
                    // Drawing an XObject costs a lookup and a decode: count it as more work.
                    self.budget = self.budget.saturating_sub(64);
                    if let Some(name) = a.last().and_then(Object::as_name) {
                        self.xobject(res, name, depth)?;
                    }
                }
                b"BI" => self.images = self.images.saturating_add(1),
                b"BMC" => self.begin_marked(None),
                b"BDC" => {
                    let props = match a.last() {
                        Some(Object::Name(n)) => self.named_resource(res, b"Properties", n)?,
                        Some(o) => o.clone(),
                        None => Object::Null,
                    };
                    self.begin_marked(props.as_dict());
                }
                b"EMC" => self.end_marked()?,
                _ => {}
            }
        }
        Ok(())
    }

    fn next_line(&mut self, tx: f64, ty: f64) {
        self.tlm = Matrix::translate(tx, ty).then(&self.tlm);
        self.tm = self.tlm;
    }

    /// A TJ number: thousandths of the font size, against the writing direction.
    fn adjust(&mut self, n: f64) {
        let d = -n / 1000.0 * self.gs.size;
        let vertical = self.gs.font.as_ref().is_some_and(|f| f.vertical);
        let t = if vertical { Matrix::translate(0.0, d) } else { Matrix::translate(d * self.gs.scale, 0.0) };
        self.tm = t.then(&self.tm);
    }

    fn font(&mut self, res: &Dict, name: &[u8]) -> Result<Option<Rc<Font>>> {
        let fonts = match res.get(b"Font") {
            Some(o) => self.doc.resolve(o)?,
            None => return Ok(None),
        };
        let Some(entry) = fonts.as_dict().and_then(|d| d.get(name)) else {
            self.warnings.add("pdf: text uses a font missing from the resources");
            return Ok(None);
        };
        let key = entry.as_ref();
        if let Some(r) = key {
            if let Some((_, f)) = self.fonts.fonts.iter().find(|(k, _)| *k == r) {
                return Ok(Some(f.clone()));
            }
        }
        let dict = self.doc.resolve(entry)?;
        let Some(dict) = dict.as_dict() else { return Ok(None) };
        let font = match Font::load(self.doc, dict, self.cfg, self.warnings) {
            Ok(f) => Rc::new(f),
            Err(e) if e.code() == Code::OutOfMemory => return Err(e),
            Err(_) => {
                self.warnings.add("pdf: unreadable font; its text is read with standard encoding");
                self.fonts.fallback()
            }
        };
        if let Some(r) = key {
            if self.fonts.fonts.len() < MAX_CACHED_FONTS {
                self.fonts.fonts.try_reserve(1).map_err(|_| crate::error::oom())?;
                self.fonts.fonts.push((r, font.clone()));
            }
        }
        Ok(Some(font))
    }

    fn named_resource(&self, res: &Dict, category: &[u8], name: &[u8]) -> Result<Object> {
        let cat = match res.get(category) {
            Some(o) => self.doc.resolve(o)?,
            None => return Ok(Object::Null),
        };
        match cat.as_dict().and_then(|d| d.get(name)) {
            Some(o) => self.doc.resolve(o),
            None => Ok(Object::Null),
        }
    }

    fn show(&mut self, bytes: &[u8]) -> Result<()> {
        let font = match &self.gs.font {
            Some(f) => f.clone(),
            None => {
                self.warnings.add("pdf: text shown without a font");
                self.fonts.fallback()
            }
        };
        let gs = &self.gs;
        let (size, tc, tw, th) = (gs.size, gs.char_space, gs.word_space, gs.scale);
        let mut pos = 0;
        while pos < bytes.len() {
            let (code, n) = font.next_code(bytes, pos);
            pos = pos.saturating_add(n.max(1));
            let w0 = font.width(code);
            let advance = if font.vertical { size } else { w0 * size * th };
            self.glyph(&font, code, advance)?;
            let space = if n == 1 && code == 32 { tw } else { 0.0 };
            let t = if font.vertical {
                Matrix::translate(0.0, -size + tc + space)
            } else {
                Matrix::translate((w0 * size + tc + space) * th, 0.0)
            };
            self.tm = t.then(&self.tm);
        }
        Ok(())
    }

    /// Records the glyph of `code` at the current text position.
    fn glyph(&mut self, font: &Font, code: u32, advance: f64) -> Result<()> {
        let m = self.tm.then(&self.gs.ctm);
        let (ux, uy) = m.apply(0.0, self.gs.rise);
        if !(ux.is_finite() && uy.is_finite()) {
            return Ok(());
        }
        // Text outside the page is not seen by a reader (viewers and pdftotext drop it).
        let [x0, y0, x1, y1] = self.crop;
        let margin = 2.0;
        if ux < x0.min(x1) - margin || ux > x0.max(x1) + margin || uy < y0.min(y1) - margin || uy > y0.max(y1) + margin
        {
            return Ok(());
        }
        let [a, b, c, d, _, _] = m.0;
        let (dx, dy) = if font.vertical { (-c, -d) } else { (a, b) };
        let rot = self.rotation;
        let (dx, dy) = to_frame(rot, dx, dy);
        let dir = if dx.abs() >= dy.abs() {
            if dx >= 0.0 {
                0
            } else {
                2
            }
        } else if dy > 0.0 {
            1
        } else {
            3
        };
        let (px, py) = to_frame(rot, ux, uy);
        let (x, y) = to_frame(dir, px, py);
        let size = (self.gs.size * hypot(c, d) * font.size_scale).abs();
        let w = advance.abs() * hypot(a, b);
        if let Some(act) = self.actual.as_mut() {
            let g = Glyph { x, y, w, size, dir, start: 0, len: 0 };
            if act.first.is_none() {
                act.first = Some(g);
            }
            act.end_x = act.end_x.max(x + w);
            return Ok(());
        }
        if self.glyphs.list.len() >= self.max_glyphs {
            self.warnings.add("pdf: page has more glyphs than max_objects; text truncated");
            return Ok(());
        }
        let start = self.glyphs.text.len();
        crate::error::reserve_str(&mut self.glyphs.text, 8)?;
        if !font.unicode(code, &mut self.glyphs.text) {
            self.glyphs.text.truncate(start);
            if !font.text_unknown_in_build() {
                self.warnings.add("pdf: glyphs without Unicode mapping left out");
            }
            return Ok(());
        }
        let added = self.glyphs.text.get(start..).unwrap_or("");
        if added.chars().any(needs_cleaning) {
            let raw = String::from(added);
            self.glyphs.text.truncate(start);
            push_clean(&raw, &mut self.glyphs.text)?;
        }
        let len = self.glyphs.text.len() - start;
        if len == 0 {
            return Ok(());
        }
        self.glyphs.list.try_reserve(1).map_err(|_| crate::error::oom())?;
        self.glyphs.list.push(Glyph { x, y, w, size, dir, start: start as u32, len: len as u32 });
        Ok(())
    }

    fn xobject(&mut self, res: &Dict, name: &[u8], depth: u32) -> Result<()> {
        let xobjects = match res.get(b"XObject") {
            Some(o) => self.doc.resolve(o)?,
            None => return Ok(()),
        };
        let Some(entry) = xobjects.as_dict().and_then(|d| d.get(name)) else { return Ok(()) };
        let key = entry.as_ref();
        let obj = self.doc.resolve(entry)?;
        let Some(stream) = obj.as_stream() else { return Ok(()) };
        match stream.dict.name(b"Subtype") {
            Some(b"Image") => {
                self.images = self.images.saturating_add(1);
                return Ok(());
            }
            Some(b"Form") => {}
            _ => return Ok(()),
        }
        if depth >= MAX_FORM_DEPTH.min(self.cfg.max_depth) {
            self.warnings.add("pdf: Form XObjects nested too deep; inner ones skipped");
            return Ok(());
        }
        if let Some(r) = key {
            if self.forms.contains(&r) {
                self.warnings.add("pdf: Form XObject draws itself; cycle skipped");
                return Ok(());
            }
        }
        // A form drawn again (a logo on every page, a pattern tile) is decoded once.
        let cached = key.and_then(|r| self.fonts.forms.iter().find(|(k, _)| *k == r)).map(|(_, d)| d.clone());
        let data = match cached {
            Some(d) => d,
            None => match self.doc.stream_data(stream) {
                Ok(d) => {
                    let d: Rc<[u8]> = Rc::from(d);
                    if let Some(r) = key.filter(|_| d.len() <= MAX_CACHED_FORM_BYTES) {
                        if self.fonts.forms.len() >= MAX_CACHED_FORMS {
                            self.fonts.forms.remove(0);
                        }
                        self.fonts.forms.push((r, d.clone()));
                    }
                    d
                }
                Err(e) if e.code() == Code::OutOfMemory || e.code() == Code::Limit => return Err(e),
                Err(_) => {
                    self.warnings.add("pdf: unreadable Form XObject skipped");
                    return Ok(());
                }
            },
        };
        let matrix = match stream.dict.get(b"Matrix") {
            Some(o) => self.doc.resolve(o)?.as_array().and_then(Matrix::from_operands),
            None => None,
        };
        let own = match stream.dict.get(b"Resources") {
            Some(o) => self.doc.resolve(o)?,
            None => Object::Null,
        };
        let form_res = own.as_dict().unwrap_or(res);
        let saved = self.gs.clone();
        let (tm, tlm) = (self.tm, self.tlm);
        if let Some(m) = matrix {
            self.gs.ctm = m.then(&self.gs.ctm);
        }
        let saved_depth = self.saved.len();
        if let Some(r) = key {
            self.forms.try_reserve(1).map_err(|_| crate::error::oom())?;
            self.forms.push(r);
        }
        let result = self.run(&data, form_res, depth + 1);
        if key.is_some() {
            self.forms.pop();
        }
        self.saved.truncate(saved_depth);
        self.gs = saved;
        self.tm = tm;
        self.tlm = tlm;
        result
    }

    fn begin_marked(&mut self, props: Option<&Dict>) {
        if self.marked.len() >= MAX_MARKED {
            return;
        }
        let actual = match props.and_then(|p| p.get(b"ActualText")).and_then(Object::as_str) {
            Some(s) if self.actual.is_none() => {
                let mut text = String::new();
                text_string(s, &mut text);
                self.actual = Some(Actual { text, first: None, end_x: f64::NEG_INFINITY });
                true
            }
            _ => false,
        };
        self.marked.push(actual);
    }

    fn end_marked(&mut self) -> Result<()> {
        if self.marked.pop() != Some(true) {
            return Ok(());
        }
        let Some(act) = self.actual.take() else { return Ok(()) };
        let Some(first) = act.first else { return Ok(()) };
        let start = self.glyphs.text.len();
        push_clean(&act.text, &mut self.glyphs.text)?;
        let len = self.glyphs.text.len() - start;
        if len == 0 || self.glyphs.list.len() >= self.max_glyphs {
            return Ok(());
        }
        let w = (act.end_x - first.x).max(0.0);
        self.glyphs.list.try_reserve(1).map_err(|_| crate::error::oom())?;
        self.glyphs.list.push(Glyph { w, start: start as u32, len: len as u32, ..first });
        Ok(())
    }
}

fn needs_cleaning(c: char) -> bool {
    (c as u32) < 0x20 || matches!(c, '\u{7f}' | '\u{A0}' | '\u{FEFF}' | '\u{FB00}'..='\u{FB06}')
}

/// Appends glyph text as a reader means it: ligatures spelled out, control characters
/// dropped, no-break spaces as spaces.
fn push_clean(s: &str, out: &mut String) -> Result<()> {
    crate::error::reserve_str(out, s.len().saturating_add(4))?;
    for c in s.chars() {
        let lig = match c {
            '\u{FB00}' => "ff",
            '\u{FB01}' => "fi",
            '\u{FB02}' => "fl",
            '\u{FB03}' => "ffi",
            '\u{FB04}' => "ffl",
            '\u{FB05}' | '\u{FB06}' => "st",
            '\u{A0}' | '\t' | '\n' | '\r' => " ",
            c if (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{FEFF}' => "",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(lig);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_concatenation() {
        let scale = Matrix([2.0, 0.0, 0.0, 2.0, 0.0, 0.0]);
        let shift = Matrix::translate(10.0, 5.0);
        // Scale first, then shift.
        assert_eq!(scale.then(&shift).apply(1.0, 1.0), (12.0, 7.0));
        assert_eq!(shift.then(&scale).apply(1.0, 1.0), (22.0, 12.0));
        let rot = Matrix([0.0, 1.0, -1.0, 0.0, 0.0, 0.0]);
        assert_eq!(rot.apply(1.0, 0.0), (0.0, 1.0));
    }

    #[test]
    fn matrix_operands_must_be_finite() {
        let ops = [1, 0, 0, 1, 5, 6].map(Object::Int);
        assert_eq!(Matrix::from_operands(&ops), Some(Matrix([1.0, 0.0, 0.0, 1.0, 5.0, 6.0])));
        let mut bad = ops.to_vec();
        bad[0] = Object::Real(f64::NAN);
        assert_eq!(Matrix::from_operands(&bad), None);
        assert_eq!(Matrix::from_operands(&ops[..5]), None);
    }

    #[test]
    fn hypot_without_sqrt() {
        assert!((hypot(3.0, 4.0) - 5.0).abs() < 1e-9);
        assert!((hypot(0.0, 0.012) - 0.012).abs() < 1e-12);
        assert_eq!(hypot(f64::NAN, 1.0), 0.0);
        assert_eq!(hypot(0.0, 0.0), 0.0);
    }

    #[test]
    fn ligatures_and_controls() {
        let mut s = String::new();
        push_clean("\u{FB01}nd\u{0}\u{A0}x\u{FB03}", &mut s).unwrap();
        assert_eq!(s, "find xffi");
    }
}
