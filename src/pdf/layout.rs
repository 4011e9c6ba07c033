//! From positioned glyphs to text: glyphs become fragments (runs drawn one after another on
//! one baseline), fragments are ordered by cutting the page into bands at wide blank strips
//! and into columns at gutters, and each column's fragments become lines and paragraphs.
//!
//! Every glyph is stored in its own reading frame (x along the baseline, y upward), so
//! rotated text is laid out like upright text; each of the four directions is laid out on
//! its own, the direction with the most glyphs first.

use crate::error::{oom, reserve_str, Result};
use alloc::string::String;
use alloc::vec::Vec;

/// One shown glyph.
#[derive(Clone, Copy, Debug, Default)]
pub struct Glyph {
    /// Origin in the glyph's reading frame (user space units).
    pub x: f64,
    pub y: f64,
    /// Advance along the baseline.
    pub w: f64,
    /// Effective font size (text size times the scale of the text and current matrices).
    pub size: f64,
    /// Reading direction: 0 upright, 1 rotated 90° counter-clockwise (bottom to top), 2 upside
    /// down, 3 rotated 90° clockwise (and vertical writing).
    pub dir: u8,
    /// The glyph's text: `Glyphs::text[start..start + len]`.
    pub start: u32,
    pub len: u32,
}

/// The glyphs of a page and their text.
#[derive(Default)]
pub struct Glyphs {
    pub list: Vec<Glyph>,
    pub text: String,
}

impl Glyphs {
    pub fn clear(&mut self) {
        self.list.clear();
        self.text.clear();
    }

    pub fn text_of(&self, g: &Glyph) -> &str {
        let s = g.start as usize;
        self.text.get(s..s.saturating_add(g.len as usize)).unwrap_or("")
    }
}

/// Maps a point of the upright page to direction `dir`'s reading frame.
pub fn to_frame(dir: u8, x: f64, y: f64) -> (f64, f64) {
    match dir & 3 {
        0 => (x, y),
        1 => (y, -x),
        2 => (-x, -y),
        _ => (-y, x),
    }
}

/// A run of glyphs drawn one after another on one baseline, with its bounding box.
#[derive(Clone, Copy, Debug)]
struct Frag {
    /// Range in `Layout::members`.
    start: u32,
    end: u32,
    x0: f64,
    x1: f64,
    base: f64,
    size: f64,
}

impl Frag {
    fn top(&self) -> f64 {
        self.base + 0.8 * self.size
    }
    fn bottom(&self) -> f64 {
        self.base - 0.25 * self.size
    }
}

/// Gaps wider than this fraction of the font size separate words.
const WORD_GAP: f64 = 0.13;
/// Gaps wider than this fraction of the font size end a fragment.
const FRAG_GAP: f64 = 1.0;
/// Column/band recursion depth: enough for three columns inside bands inside columns.
const MAX_SPLIT_DEPTH: u32 = 8;

struct Layout<'g> {
    glyphs: &'g Glyphs,
    /// Glyph indices, grouped by fragment.
    members: Vec<u32>,
    frags: Vec<Frag>,
}

/// Appends the page's text to `out`, and the tables found among its upright text to `tables`.
pub fn layout(glyphs: &Glyphs, out: &mut String, tables: &mut Vec<Vec<Vec<String>>>) -> Result<()> {
    let mut counts = [0usize; 4];
    for g in &glyphs.list {
        if let Some(c) = counts.get_mut((g.dir & 3) as usize) {
            *c += 1;
        }
    }
    let mut dirs = [0u8, 1, 2, 3];
    crate::sort::sort_by(&mut dirs, |a, b| counts[*b as usize].cmp(&counts[*a as usize]).then(a.cmp(b)))?;
    for dir in dirs {
        if counts[dir as usize] == 0 {
            continue;
        }
        let mut l = Layout { glyphs, members: Vec::new(), frags: Vec::new() };
        l.fragments(dir)?;
        if dir == 0 {
            let mut cells = Vec::new();
            cells.try_reserve(l.frags.len()).map_err(|_| oom())?;
            for f in &l.frags {
                let text = l.frag_text(f)?;
                cells.push(crate::pdf::tables::Cell { x0: f.x0, x1: f.x1, base: f.base, size: f.size, text });
            }
            tables.extend(crate::pdf::tables::find(cells)?);
        }
        let mut idx: Vec<u32> = Vec::new();
        idx.try_reserve(l.frags.len()).map_err(|_| oom())?;
        idx.extend(0..l.frags.len() as u32);
        let mut blocks: Vec<Vec<u32>> = Vec::new();
        l.order(idx, 0, &mut blocks)?;
        for b in &blocks {
            l.emit_block(b, out)?;
        }
    }
    Ok(())
}

fn push(out: &mut String, s: &str) -> Result<()> {
    reserve_str(out, s.len())?;
    out.push_str(s);
    Ok(())
}

/// Ends the text so far with a blank line (paragraph or block break), never more than one.
fn blank_line(out: &mut String) -> Result<()> {
    while out.ends_with(' ') {
        out.pop();
    }
    if out.is_empty() || out.ends_with("\n\n") {
        return Ok(());
    }
    push(out, if out.ends_with('\n') { "\n" } else { "\n\n" })
}

impl Layout<'_> {
    fn glyph(&self, i: u32) -> Glyph {
        self.glyphs.list.get(i as usize).copied().unwrap_or_default()
    }

    fn fragments(&mut self, dir: u8) -> Result<()> {
        let list = &self.glyphs.list;
        self.members.try_reserve(list.len()).map_err(|_| oom())?;
        let mut cur: Option<Frag> = None;
        for (i, g) in list.iter().enumerate() {
            if g.dir & 3 != dir || !(g.x.is_finite() && g.y.is_finite() && g.size.is_finite()) {
                continue;
            }
            let i = i as u32;
            let pos = self.members.len() as u32;
            if let Some(f) = cur.as_mut() {
                let s = f.size.max(g.size);
                let same_line = (g.y - f.base).abs() <= 0.25 * s;
                let gap = g.x - f.x1;
                if same_line && gap >= -0.3 * s && gap <= FRAG_GAP * s {
                    f.end = pos + 1;
                    f.x1 = f.x1.max(g.x + g.w);
                    f.size = s;
                    self.members.push(i);
                    continue;
                }
                self.frags.try_reserve(1).map_err(|_| oom())?;
                self.frags.push(*f);
            }
            self.members.push(i);
            let size = if g.size > 0.0 { g.size } else { 1.0 };
            cur = Some(Frag { start: pos, end: pos + 1, x0: g.x, x1: g.x + g.w.max(0.0), base: g.y, size });
        }
        if let Some(f) = cur {
            self.frags.try_reserve(1).map_err(|_| oom())?;
            self.frags.push(f);
        }
        Ok(())
    }

    /// A fragment's text, its glyphs in order with a space at each word gap.
    fn frag_text(&self, f: &Frag) -> Result<String> {
        let mut t = String::new();
        let mut end: Option<f64> = None;
        for &i in self.members.get(f.start as usize..f.end as usize).unwrap_or(&[]) {
            let g = self.glyph(i);
            if end.is_some_and(|e| g.x - e > WORD_GAP * f.size) {
                push(&mut t, " ")?;
            }
            push(&mut t, self.glyphs.text_of(&g))?;
            end = Some(g.x + g.w);
        }
        Ok(t)
    }

    fn frag(&self, i: u32) -> Frag {
        self.frags.get(i as usize).copied().unwrap_or(Frag { start: 0, end: 0, x0: 0.0, x1: 0.0, base: 0.0, size: 1.0 })
    }

    fn median_size(&self, idx: &[u32]) -> f64 {
        let mut sizes: Vec<f64> = idx.iter().map(|&i| self.frag(i).size).collect();
        // Out of memory leaves the order as it is; the next allocation reports it.
        let _ = crate::sort::sort_by(&mut sizes, |a, b| a.total_cmp(b));
        sizes.get(sizes.len() / 2).copied().unwrap_or(10.0)
    }

    /// Splits `idx` into blocks in reading order: bands at blank strips across the whole
    /// region, top to bottom; inside a band, columns at a gutter, left to right, with lines
    /// that cross the gutter (titles, footers) kept in place between them.
    fn order(&self, mut idx: Vec<u32>, depth: u32, blocks: &mut Vec<Vec<u32>>) -> Result<()> {
        if idx.len() < 4 || depth >= MAX_SPLIT_DEPTH {
            return push_block(blocks, idx);
        }
        let med = self.median_size(&idx);
        crate::sort::sort_by(&mut idx, |a, b| self.frag(*b).top().total_cmp(&self.frag(*a).top()))?;
        // Bands: a gap of 1.5 font sizes across the whole width.
        let mut bands: Vec<Vec<u32>> = Vec::new();
        let mut cur: Vec<u32> = Vec::new();
        let mut low = f64::INFINITY;
        for &i in &idx {
            let f = self.frag(i);
            if !cur.is_empty() && f.top() < low - 1.5 * med {
                bands.push(core::mem::take(&mut cur));
            }
            low = low.min(f.bottom());
            cur.push(i);
        }
        if !cur.is_empty() {
            bands.push(cur);
        }
        if bands.len() > 1 {
            for b in bands {
                self.order(b, depth + 1, blocks)?;
            }
            return Ok(());
        }
        let Some(band) = bands.pop() else { return Ok(()) };
        let Some((g0, g1)) = self.gutter(&band, med) else {
            return push_block(blocks, band);
        };
        // `band` is sorted top-down: stretches between crossing lines split at the gutter.
        let (mut left, mut right) = (Vec::new(), Vec::new());
        for &i in &band {
            let f = self.frag(i);
            match side(&f, g0, g1) {
                Some(0) => left.push(i),
                Some(_) => right.push(i),
                None => {
                    self.order(core::mem::take(&mut left), depth + 1, blocks)?;
                    self.order(core::mem::take(&mut right), depth + 1, blocks)?;
                    push_block(blocks, alloc::vec![i])?;
                }
            }
        }
        self.order(left, depth + 1, blocks)?;
        self.order(right, depth + 1, blocks)
    }

    /// The widest vertical strip that few fragments cross and that has text on both sides
    /// over a common height: a column gutter.
    fn gutter(&self, idx: &[u32], med: f64) -> Option<(f64, f64)> {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for &i in idx {
            let f = self.frag(i);
            lo = lo.min(f.x0);
            hi = hi.max(f.x1);
        }
        let width = hi - lo;
        if !(width > 0.0 && width < 1e7) {
            return None;
        }
        let step = (width / 1000.0).max(0.5);
        let bins = ((width / step) as usize).saturating_add(1).min(2001);
        // Fragments covering each bin, by a difference array.
        let mut cover = alloc::vec![0i64; bins + 1];
        for &i in idx {
            let f = self.frag(i);
            let a = (((f.x0 - lo) / step) as usize).min(bins - 1);
            let b = (((f.x1 - lo) / step) as usize).clamp(a, bins - 1);
            if let Some(c) = cover.get_mut(a) {
                *c += 1;
            }
            if let Some(c) = cover.get_mut(b + 1) {
                *c -= 1;
            }
        }
        let mut sum = 0;
        for c in cover.iter_mut() {
            sum += *c;
            *c = sum;
        }
        let allowed = (idx.len() / 10) as i64;
        let min_width = (0.8 * med).max(3.0);
        let mut runs: Vec<(f64, f64)> = Vec::new();
        let mut run_start: Option<usize> = None;
        for b in 0..=bins {
            let low = b < bins && cover.get(b).is_some_and(|&c| c <= allowed);
            match (low, run_start) {
                (true, None) => run_start = Some(b),
                (false, Some(s)) => {
                    run_start = None;
                    let (g0, g1) = (lo + s as f64 * step, lo + b as f64 * step);
                    if s > 0 && b < bins && g1 - g0 >= min_width {
                        runs.push((g0, g1));
                    }
                }
                _ => {}
            }
        }
        // The widest strips first; checking a few bounds the work on pages of many cells.
        // Out of memory leaves the order as it is; the next allocation reports it.
        let _ = crate::sort::sort_by(&mut runs, |a, b| (b.1 - b.0).total_cmp(&(a.1 - a.0)));
        runs.into_iter().take(4).find(|&(g0, g1)| self.sides_overlap(idx, g0, g1))
    }

    /// Whether both sides of a gutter hold at least two fragments and their heights overlap
    /// by a third of the shorter side (a table's last cell beside a paragraph is no column).
    fn sides_overlap(&self, idx: &[u32], g0: f64, g1: f64) -> bool {
        let mut sides = [(0u32, f64::INFINITY, f64::NEG_INFINITY); 2];
        for &i in idx {
            let f = self.frag(i);
            let Some(k) = side(&f, g0, g1) else { continue };
            let s = &mut sides[k];
            s.0 += 1;
            s.1 = s.1.min(f.bottom());
            s.2 = s.2.max(f.top());
        }
        let [(n0, b0, t0), (n1, b1, t1)] = sides;
        if n0 < 2 || n1 < 2 || self.table_like(idx, g0, g1) {
            return false;
        }
        let overlap = t0.min(t1) - b0.max(b1);
        overlap > 0.33 * (t0 - b0).min(t1 - b1)
    }

    /// Whether the two sides of a gutter are a table's columns rather than text columns:
    /// short fragments whose baselines pair up across the gutter, rows set apart.
    fn table_like(&self, idx: &[u32], g0: f64, g1: f64) -> bool {
        let (mut left, mut right): (Vec<Frag>, Vec<Frag>) = (Vec::new(), Vec::new());
        let mut widths: Vec<f64> = Vec::new();
        for &i in idx {
            let f = self.frag(i);
            match side(&f, g0, g1) {
                Some(0) => left.push(f),
                Some(_) => right.push(f),
                None => continue,
            }
            widths.push((f.x1 - f.x0) / f.size);
        }
        // Out of memory leaves the order as it is; the next allocation reports it.
        let _ = crate::sort::sort_by(&mut widths, |a, b| a.total_cmp(b));
        let median = widths.get(widths.len() / 2).copied().unwrap_or(0.0);
        if median >= 8.0 {
            return false;
        }
        let mut bases: Vec<f64> = right.iter().map(|r| r.base).collect();
        // Out of memory leaves the order as it is; the next allocation reports it.
        let _ = crate::sort::sort_by(&mut bases, |a, b| a.total_cmp(b));
        let paired = left
            .iter()
            .filter(|l| {
                let i = bases.partition_point(|&b| b < l.base - 0.2 * l.size);
                bases.get(i).is_some_and(|&b| b <= l.base + 0.2 * l.size)
            })
            .count();
        if paired * 2 < left.len() {
            return false;
        }
        // Cells set line under line form a block of their own, read as a column (as
        // pdftotext does); rows set apart are read across.
        // Out of memory leaves the order as it is; the next allocation reports it.
        let _ = crate::sort::sort_by(&mut left, |a, b| b.base.total_cmp(&a.base));
        let mut gaps: Vec<f64> = left.windows(2).map(|w| (w[0].base - w[1].base) / w[0].size.max(w[1].size)).collect();
        // Out of memory leaves the order as it is; the next allocation reports it.
        let _ = crate::sort::sort_by(&mut gaps, |a, b| a.total_cmp(b));
        gaps.get(gaps.len() / 2).is_some_and(|&g| g > 1.8)
    }

    /// Emits one block: fragments grouped into lines by baseline, lines top to bottom.
    fn emit_block(&self, block: &[u32], out: &mut String) -> Result<()> {
        if block.is_empty() {
            return Ok(());
        }
        let mut frags: Vec<Frag> = block.iter().map(|&i| self.frag(i)).collect();
        crate::sort::sort_by(&mut frags, |a, b| b.base.total_cmp(&a.base))?;
        blank_line(out)?;
        let mut line: Vec<u32> = Vec::new();
        let mut prev: Option<(f64, f64)> = None; // baseline and size of the previous line
        let mut i = 0;
        while i < frags.len() {
            let first = frags[i];
            let (mut base, mut size) = (first.base, first.size);
            line.clear();
            let mut j = i;
            while let Some(f) = frags.get(j) {
                if j > i && (f.base - base).abs() > 0.45 * size.max(f.size) {
                    break;
                }
                if f.size > size {
                    // The line's baseline is the one of its largest text (not a superscript).
                    base = f.base;
                    size = f.size;
                }
                let m = self.members.get(f.start as usize..f.end as usize).unwrap_or(&[]);
                line.try_reserve(m.len()).map_err(|_| oom())?;
                line.extend_from_slice(m);
                j += 1;
            }
            i = j;
            if let Some((pb, ps)) = prev {
                if pb - base > 1.6 * ps.max(size) {
                    blank_line(out)?;
                } else {
                    end_line(out)?;
                }
            }
            prev = Some((base, size));
            self.emit_line(&mut line, out)?;
        }
        Ok(())
    }

    fn emit_line(&self, line: &mut [u32], out: &mut String) -> Result<()> {
        let list = &self.glyphs.list;
        let key = |i: &u32| list.get(*i as usize).map_or(0.0, |g| g.x);
        crate::sort::sort_by(line, |a, b| key(a).total_cmp(&key(b)))?;
        let rtl = is_rtl(self.glyphs, line);
        let line_start = out.len();
        let mut kept: Vec<u32> = Vec::new();
        kept.try_reserve(line.len()).map_err(|_| oom())?;
        for &i in line.iter() {
            let g = self.glyph(i);
            let t = self.glyphs.text_of(&g);
            // A glyph drawn again at almost the same place is fake bold or a shadow.
            let dup = kept.iter().rev().take(4).any(|&k| {
                let p = self.glyph(k);
                let size = g.size.max(p.size);
                // Less than half a glyph apart: a double letter ("ll") is a glyph width apart.
                let tol = (0.15 * size).min(0.45 * g.w.max(p.w));
                (p.x - g.x).abs() < tol && (p.y - g.y).abs() < 0.15 * size && self.glyphs.text_of(&p) == t
            });
            if !dup {
                kept.push(i);
            }
        }
        if rtl {
            kept.reverse();
            // A combining mark drawn over its base sorts after it visually; logically it
            // follows the base.
            let mut k = 0;
            while k + 1 < kept.len() {
                let (m, b) = (self.glyph(kept[k]), self.glyph(kept[k + 1]));
                if self.glyphs.text_of(&m).starts_with(is_mark)
                    && !self.glyphs.text_of(&b).starts_with(is_mark)
                    && b.x <= m.x
                {
                    kept.swap(k, k + 1);
                    k += 1;
                }
                k += 1;
            }
            // Left-to-right runs (numbers, Latin words) inside a right-to-left line keep
            // their own order.
            let mut s = 0;
            while s < kept.len() {
                if self.is_rtl_glyph(kept[s]) {
                    s += 1;
                    continue;
                }
                let mut e = s;
                while e < kept.len() && !self.is_rtl_glyph(kept[e]) {
                    e += 1;
                }
                if let Some(run) = kept.get_mut(s..e) {
                    run.reverse();
                }
                s = e;
            }
        }
        // Accents drawn as glyphs of their own over a letter (TeX's ŷ, old fonts' é) join
        // that letter as combining marks.
        let mut marks: Vec<Option<char>> = alloc::vec![None; kept.len()];
        for k in 0..kept.len() {
            let a = self.glyph(kept[k]);
            let Some(mark) = combining(self.glyphs.text_of(&a)) else { continue };
            let centre = a.x + a.w / 2.0;
            let base = [k.wrapping_sub(1), k + 1].into_iter().find(|&b| {
                kept.get(b).map(|&i| self.glyph(i)).is_some_and(|g| {
                    let t = self.glyphs.text_of(&g);
                    centre >= g.x && centre <= g.x + g.w && t.chars().all(char::is_alphabetic) && !t.is_empty()
                })
            });
            if let Some(slot) = base.and_then(|b| marks.get_mut(b)) {
                *slot = Some(mark);
                if let Some(own) = marks.get_mut(k) {
                    *own = Some('\0');
                }
            }
        }
        let mut prev: Option<Glyph> = None;
        for (k, &i) in kept.iter().enumerate() {
            let g = self.glyph(i);
            let t = self.glyphs.text_of(&g);
            let mark = marks.get(k).copied().flatten();
            if mark == Some('\0') || self.space_inside_word(prev, g, kept.get(k + 1), t, rtl) {
                continue;
            }
            if let Some(p) = prev {
                let gap = if rtl { p.x - (g.x + g.w) } else { g.x - (p.x + p.w) };
                let needs = gap > WORD_GAP * p.size.max(g.size).max(0.1);
                if needs
                    && !out.ends_with(' ')
                    && !t.starts_with([' '])
                    && !t.starts_with(is_mark)
                    && out.len() > line_start
                {
                    push(out, " ")?;
                }
            }
            if t.starts_with(' ') && (out.len() == line_start || out.ends_with(' ')) {
                push(out, t.trim_start_matches(' '))?;
            } else {
                push(out, t)?;
            }
            if let Some(m) = mark {
                reserve_str(out, 4)?;
                out.push(m);
            }
            prev = Some(g);
        }
        while out.len() > line_start && out.ends_with(' ') {
            out.pop();
        }
        Ok(())
    }

    /// A space glyph of another size drawn over a letter, between two letters that touch: a
    /// blank another text run put over the word (a footer's padding), not a word break, which
    /// would leave a gap and start after the letter. (The size tells the runs apart: fonts
    /// with wrong widths also put a word's own spaces over its letters.)
    fn space_inside_word(&self, prev: Option<Glyph>, space: Glyph, next: Option<&u32>, t: &str, rtl: bool) -> bool {
        let (Some(p), Some(&n)) = (prev, next) else { return false };
        if !t.trim().is_empty() || (space.size - p.size).abs() <= 0.05 * p.size {
            return false;
        }
        let n = self.glyph(n);
        let (gap, over) = if rtl {
            (p.x - (n.x + n.w), space.x + space.w > p.x + 0.3 * p.w)
        } else {
            (n.x - (p.x + p.w), space.x < p.x + 0.7 * p.w)
        };
        over && gap <= WORD_GAP * p.size.max(n.size).max(0.1) && !self.glyphs.text_of(&n).trim().is_empty()
    }

    fn is_rtl_glyph(&self, i: u32) -> bool {
        let g = self.glyph(i);
        self.glyphs.text_of(&g).chars().any(is_rtl_char)
    }
}

/// Which side of the gutter `[g0, g1]` a fragment lies on (0 left, 1 right), or `None`
/// when it crosses the gutter. The gutter's edges are known to a bin's width only.
fn side(f: &Frag, g0: f64, g1: f64) -> Option<usize> {
    if f.x0 < g0 && f.x1 > g1 {
        None
    } else if f.x0 + f.x1 < g0 + g1 {
        Some(0)
    } else {
        Some(1)
    }
}

fn push_block(blocks: &mut Vec<Vec<u32>>, b: Vec<u32>) -> Result<()> {
    if !b.is_empty() {
        blocks.try_reserve(1).map_err(|_| oom())?;
        blocks.push(b);
    }
    Ok(())
}

/// Ends a line. A line ending in a hyphen after a lower-case letter (or in a soft hyphen)
/// gets a mark instead of the line break, which `finish` resolves once the next line is
/// known.
fn end_line(out: &mut String) -> Result<()> {
    while out.ends_with(' ') {
        out.pop();
    }
    if out.ends_with('\u{ad}') {
        out.pop();
        return push(out, HYPHEN_MARK);
    }
    let mut rev = out.chars().rev();
    if rev.next() == Some('-') && rev.next().is_some_and(|c| c.is_lowercase()) {
        return push(out, HYPHEN_MARK);
    }
    push(out, "\n")
}

/// Placed after a line-end hyphen until the next line's first letter decides: a lower-case
/// continuation joins the word, anything else keeps hyphen and line break.
const HYPHEN_MARK: &str = "\u{1}";

/// Resolves the hyphen marks left by `end_line` and drops soft hyphens inside lines (a
/// reader never sees them).
pub fn finish(out: &mut String) -> Result<()> {
    if !out.contains(['\u{1}', '\u{ad}']) {
        return Ok(());
    }
    let mut s = String::new();
    reserve_str(&mut s, out.len())?;
    let mut it = out.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\u{ad}' {
            continue;
        }
        if c != '\u{1}' {
            s.push(c);
            continue;
        }
        if it.peek().is_some_and(|n| n.is_lowercase()) {
            if s.ends_with('-') {
                s.pop();
            }
        } else {
            s.push('\n');
        }
    }
    *out = s;
    Ok(())
}

/// The combining form of a spacing accent.
fn combining(t: &str) -> Option<char> {
    Some(match t {
        "\u{2c6}" => '\u{302}',
        "\u{2dc}" => '\u{303}',
        "\u{a8}" => '\u{308}',
        "\u{b4}" => '\u{301}',
        "\u{af}" | "\u{2c9}" => '\u{304}',
        "\u{2d9}" => '\u{307}',
        "\u{2da}" => '\u{30a}',
        "\u{2c7}" => '\u{30c}',
        "\u{2d8}" => '\u{306}',
        "\u{b8}" => '\u{327}',
        "\u{2dd}" => '\u{30b}',
        _ => return None,
    })
}

/// Combining marks (Latin accents, Hebrew points, Arabic harakat) belong to the letter
/// before them: no word break in front of one.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0591..=0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED)
}

fn is_rtl_char(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF)
}

fn is_rtl(glyphs: &Glyphs, line: &[u32]) -> bool {
    let (mut rtl, mut ltr) = (0u32, 0u32);
    for &i in line {
        let Some(g) = glyphs.list.get(i as usize) else { continue };
        for c in glyphs.text_of(g).chars() {
            if is_rtl_char(c) {
                rtl += 1;
            } else if c.is_alphabetic() {
                ltr += 1;
            }
        }
    }
    rtl > ltr
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lays out words given as (text, x, y, size); each character is one glyph 0.5 em wide.
    fn run(words: &[(&str, f64, f64, f64)]) -> String {
        let mut g = Glyphs::default();
        for &(w, x, y, size) in words {
            let mut x = x;
            for c in w.chars() {
                let start = g.text.len() as u32;
                g.text.push(c);
                g.list.push(Glyph { x, y, w: 0.5 * size, size, dir: 0, start, len: (g.text.len() as u32) - start });
                x += 0.5 * size;
            }
        }
        let mut out = String::new();
        layout(&g, &mut out, &mut Vec::new()).unwrap();
        finish(&mut out).unwrap();
        out
    }

    #[test]
    fn words_and_lines() {
        let t = run(&[("Hello", 100.0, 700.0, 10.0), ("world", 128.0, 700.0, 10.0), ("next", 100.0, 688.0, 10.0)]);
        assert_eq!(t, "Hello world\nnext");
    }

    #[test]
    fn kerning_gap_is_no_space() {
        let t = run(&[("Wa", 100.0, 700.0, 10.0), ("ter", 111.0, 700.0, 10.0)]);
        assert_eq!(t, "Water");
    }

    #[test]
    fn lines_sorted_top_down_and_paragraphs() {
        let t = run(&[("second", 100.0, 688.0, 10.0), ("first", 100.0, 700.0, 10.0), ("third", 100.0, 650.0, 10.0)]);
        assert_eq!(t, "first\nsecond\n\nthird");
    }

    #[test]
    fn two_columns_with_title_and_footer() {
        let mut w = alloc::vec![("Title of the whole page", 100.0, 760.0, 10.0)];
        let mut lines = Vec::new();
        for k in 0..6 {
            let y = 720.0 - 12.0 * k as f64;
            lines.push((k, y));
        }
        let left = ["aa", "bb", "cc", "dd", "ee", "ff"];
        let right = ["gg", "hh", "ii", "jj", "kk", "ll"];
        for (k, y) in &lines {
            w.push((left[*k], 100.0, *y, 10.0));
            w.push((right[*k], 200.0, *y, 10.0));
        }
        w.push(("Footer text spanning columns", 100.0, 640.0, 10.0));
        let t = run(&w);
        let words: Vec<&str> = t.split_whitespace().collect();
        assert_eq!(
            words.join(" "),
            "Title of the whole page aa bb cc dd ee ff gg hh ii jj kk ll Footer text spanning columns"
        );
    }

    #[test]
    fn fake_bold_is_dropped() {
        let t = run(&[("Bold", 100.0, 700.0, 10.0), ("Bold", 100.4, 700.0, 10.0)]);
        assert_eq!(t, "Bold");
    }

    #[test]
    fn dehyphenation_only_for_lower_case_continuation() {
        let t = run(&[("exam-", 100.0, 700.0, 10.0), ("ple", 100.0, 688.0, 10.0)]);
        assert_eq!(t, "example");
        let t = run(&[("self-", 100.0, 700.0, 10.0), ("Made", 100.0, 688.0, 10.0)]);
        assert_eq!(t, "self-\nMade");
    }

    #[test]
    fn superscript_stays_on_its_line() {
        let t = run(&[("x", 100.0, 700.0, 10.0), ("2", 105.5, 703.5, 7.0), ("next", 100.0, 688.0, 10.0)]);
        assert_eq!(t, "x2\nnext");
    }

    #[test]
    fn right_to_left_line_in_logical_order() {
        // Visual order left to right is "םולש" for the logical "שלום".
        let t = run(&[("םולש", 100.0, 700.0, 10.0)]);
        assert_eq!(t, "שלום");
    }

    #[test]
    fn spacing_accent_over_a_letter_combines() {
        // "ˆ" drawn over the middle of "y", as TeX sets \hat{y}.
        let t = run(&[("y", 100.0, 700.0, 10.0), ("\u{2c6}", 101.0, 700.0, 6.0), ("z", 120.0, 700.0, 10.0)]);
        assert_eq!(t, "y\u{302} z");
    }

    #[test]
    fn nan_positions_do_not_panic() {
        let t = run(&[("a", f64::NAN, 700.0, 10.0), ("b", 100.0, f64::INFINITY, 10.0), ("c", 100.0, 700.0, 10.0)]);
        assert_eq!(t, "c");
    }
}
