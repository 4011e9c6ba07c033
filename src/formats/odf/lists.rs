//! List styles and the numbers they give list items: "1.", "a)", "IV.", "3.1." (a level
//! that displays its parents' numbers too), bullets otherwise. Styles come from
//! `styles.xml` (named styles, read when the package opens) and from the automatic styles
//! of `content.xml`, which precede the body.

use super::body::{STYLE, TEXT};
use crate::config::Config;
use crate::error::{oom, reserve_str, Result};
use crate::xml::{Event, Reader, Tag};
use alloc::string::String;
use alloc::vec::Vec;

/// Levels a list style defines; deeper items use the last.
pub const LEVELS: usize = 10;
/// List styles kept; more (never real) fall back to bullets, which keeps lookups cheap.
const MAX_STYLES: usize = 1024;
/// Bytes of a number's prefix or suffix kept.
const MAX_AFFIX: usize = 16;

#[derive(Clone, Default)]
struct Level {
    /// `num-format`: b'1', b'a', b'A', b'i', b'I'; 0 for a bullet or no number.
    format: u8,
    numbered: bool,
    prefix: String,
    suffix: String,
    /// How many levels' numbers the label shows, this one included.
    display: u8,
    start: u32,
}

struct Style {
    name: String,
    levels: [Level; LEVELS],
}

#[derive(Default)]
pub struct Styles {
    styles: Vec<Style>,
}

/// The numbering state of the lists being read: the counters of the outermost list,
/// shared by its nested lists as ODF numbers them.
#[derive(Default)]
pub struct Numbering {
    counters: [u32; LEVELS],
    /// Counters that have started (bit per level), so a start value of 0 works too.
    started: u16,
    /// The style of the last outermost list, which `continue-numbering` continues.
    last_style: Option<usize>,
}

impl Styles {
    /// Reads the list styles of a whole part (`styles.xml`).
    pub fn read_part(&mut self, src: &str, cfg: &Config) -> Result<()> {
        let mut r = Reader::new(cfg);
        loop {
            let name = match r.next(src)? {
                Event::Start(t) if t.name.is(TEXT, "list-style") => attr(&t, STYLE, "name")?,
                Event::Eof => return Ok(()),
                _ => continue,
            };
            self.read_style(&mut r, src, name)?;
        }
    }

    /// Reads the `text:list-style` element just started, named `name`, to its end.
    pub fn read_style(&mut self, r: &mut Reader, src: &str, name: String) -> Result<()> {
        let mut style = Style { name, levels: Default::default() };
        let depth = r.depth();
        while r.depth() >= depth {
            let t = match r.next(src)? {
                Event::Start(t) => t,
                Event::Eof => break,
                _ => continue,
            };
            let numbered = t.name.is(TEXT, "list-level-style-number");
            if !numbered && !t.name.is(TEXT, "list-level-style-bullet") && !t.name.is(TEXT, "list-level-style-image") {
                continue;
            }
            let n = number(&attr(&t, TEXT, "level")?).clamp(1, LEVELS as u32) as usize;
            let Some(level) = style.levels.get_mut(n - 1) else { continue };
            level.numbered = numbered;
            if numbered {
                level.format = match attr(&t, STYLE, "num-format")?.bytes().next() {
                    Some(c @ (b'a' | b'A' | b'i' | b'I')) => c,
                    Some(_) => b'1',
                    None => 0,
                };
                level.prefix = affix(attr(&t, STYLE, "num-prefix")?);
                level.suffix = affix(attr(&t, STYLE, "num-suffix")?);
                level.display = number(&attr(&t, TEXT, "display-levels")?).clamp(1, LEVELS as u32) as u8;
                level.start = t.attr(TEXT, "start-value")?.map_or(1, |v| number(&v));
            }
        }
        if self.styles.len() < MAX_STYLES {
            self.styles.try_reserve(1).map_err(|_| oom())?;
            self.styles.push(style);
        }
        Ok(())
    }

    /// The style named `name`; the last one read wins (content's automatic styles come after
    /// `styles.xml`).
    pub fn find(&self, name: &str) -> Option<usize> {
        self.styles.iter().rposition(|s| s.name == name)
    }
}

impl Numbering {
    /// An outermost list with `style` begins; `continues` keeps counting from the last one
    /// when it had the same style.
    pub fn start_list(&mut self, style: Option<usize>, continues: bool) {
        if !(continues && style == self.last_style) {
            self.started = 0;
        }
        self.last_style = style;
    }

    /// Counts an item at `level` (1-based) of a list with `style` and writes its label: the
    /// number as the style formats it, or "" for a bullet (the caller picks the mark).
    pub fn item(&mut self, styles: &Styles, style: Option<usize>, level: usize, out: &mut String) -> Result<bool> {
        let i = level.clamp(1, LEVELS) - 1;
        let levels = style.and_then(|s| styles.styles.get(s)).map(|s| &s.levels);
        let def = |j: usize| levels.and_then(|l| l.get(j));
        let start = def(i).map_or(1, |l| l.start);
        let count = match self.counters.get(i) {
            Some(&c) if self.started & (1 << i) != 0 => c.saturating_add(1),
            _ => start,
        };
        if let Some(c) = self.counters.get_mut(i) {
            *c = count;
        }
        // Outer levels not yet counted count as their start (as office suites number an
        // item nested under a list header); deeper levels start over under a new item.
        for j in 0..i {
            if self.started & (1 << j) == 0 {
                if let Some(c) = self.counters.get_mut(j) {
                    *c = def(j).map_or(1, |l| l.start);
                }
            }
        }
        self.started = (2u16 << i) - 1;
        let Some(this) = def(i).filter(|l| l.numbered) else { return Ok(false) };
        reserve_str(out, 2 * MAX_AFFIX + 16 * LEVELS)?;
        out.push_str(&this.prefix);
        let first = (i + 1).saturating_sub(this.display.max(1) as usize);
        for j in first..=i {
            if j > first {
                out.push('.');
            }
            let n = self.counters.get(j).copied().unwrap_or(1);
            push_number(out, n, def(j).map_or(b'1', |l| if l.format == 0 { b'1' } else { l.format }));
        }
        out.push_str(&this.suffix);
        Ok(true)
    }
}

/// An attribute's value, or "".
fn attr(t: &Tag<'_, '_>, ns: &str, local: &str) -> Result<String> {
    Ok(t.attr(ns, local)?.map(|v| String::from(v.as_ref())).unwrap_or_default())
}

fn affix(mut s: String) -> String {
    let mut end = s.len().min(MAX_AFFIX);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
    s
}

/// A decimal attribute value; 0 when it is none, saturating when huge.
pub fn number(s: &str) -> u32 {
    let digits = s.trim().bytes().take_while(u8::is_ascii_digit);
    digits.fold(0u32, |n, d| n.saturating_mul(10).saturating_add((d - b'0') as u32))
}

/// `n` in a list number format: decimal, letters (a … z, aa …), or Roman numerals
/// (decimal past 3999).
pub fn push_number(out: &mut String, n: u32, format: u8) {
    match format {
        b'a' | b'A' if n > 0 => {
            // "aa" after "z", "aaa" after "zz": the letter repeated, as office suites count.
            let letter = (format + ((n - 1) % 26) as u8) as char;
            for _ in 0..((n - 1) / 26 + 1).min(64) {
                out.push(letter);
            }
        }
        b'i' | b'I' if n > 0 && n < 4000 => {
            crate::markdown::push_roman(out, n, format == b'I');
        }
        _ => {
            let mut digits = [0u8; 10];
            let (mut n, mut len) = (n, 0);
            loop {
                if let Some(d) = digits.get_mut(len) {
                    *d = b'0' + (n % 10) as u8;
                }
                len += 1;
                n /= 10;
                if n == 0 {
                    break;
                }
            }
            for &d in digits.get(..len).unwrap_or(&[]).iter().rev() {
                out.push(d as char);
            }
        }
    }
}
