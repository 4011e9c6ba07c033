//! List numbering (`word/numbering.xml`): each list instance (`w:num`) points at an abstract
//! definition whose nine levels say how to count (decimal, letters, roman numerals, bullet)
//! and what to show (`%1.%2.`); the counters advance as numbered paragraphs go by.

use super::Ns;
use crate::config::Config;
use crate::error::{reserve_str, Result};
use crate::xml::{Event, Reader};
use alloc::string::String;
use alloc::vec::Vec;

pub const LEVELS: usize = 9;

#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum Fmt {
    #[default]
    Decimal,
    LowerLetter,
    UpperLetter,
    LowerRoman,
    UpperRoman,
    Bullet,
    None,
}

#[derive(Default)]
struct Level {
    fmt: Fmt,
    text: String,
    start: u32,
}

struct Abstract {
    id: u32,
    levels: [Level; LEVELS],
}

struct Num {
    id: u32,
    abstract_id: u32,
    /// `startOverride` per level.
    starts: [Option<u32>; LEVELS],
    /// The last number given at each level; 0 when the level has not started (or restarted).
    counters: [u32; LEVELS],
}

/// What a numbered paragraph shows before its text.
pub struct Marker {
    /// "1.", "a)", "1.2.3." as the document writes it; empty for a bullet.
    pub text: String,
    pub bullet: bool,
    /// The marker is a plain "N." of one level, which Markdown can take as an ordered list.
    pub ordered: bool,
}

#[derive(Default)]
pub struct Numbering {
    abstracts: Vec<Abstract>,
    nums: Vec<Num>,
}

fn level_mut(levels: &mut [Level; LEVELS], i: Option<u32>) -> Option<&mut Level> {
    levels.get_mut(i? as usize)
}

impl Numbering {
    pub fn parse(src: &str, w: &Ns, cfg: &Config) -> Result<Numbering> {
        let mut n = Numbering::default();
        // The element being read: an abstract definition (and its level) or a list instance
        // (and the level an override is for).
        let (mut abs, mut num): (Option<Abstract>, Option<Num>) = (None, None);
        let mut lvl: Option<u32> = None;
        let mut r = Reader::new(cfg);
        loop {
            match r.next(src)? {
                Event::Start(t) if t.name.ns == w.main => {
                    let attr = |name: &str| -> Result<Option<u32>> {
                        Ok(t.attr(w.main, name)?.and_then(|v| super::number(&v)))
                    };
                    match t.name.local {
                        "abstractNum" => {
                            let id = attr("abstractNumId")?.unwrap_or(u32::MAX);
                            abs = Some(Abstract { id, levels: Default::default() });
                        }
                        "num" => {
                            let id = attr("numId")?.unwrap_or(u32::MAX);
                            num =
                                Some(Num { id, abstract_id: u32::MAX, starts: [None; LEVELS], counters: [0; LEVELS] });
                        }
                        "lvl" | "lvlOverride" => lvl = attr("ilvl")?,
                        "abstractNumId" => {
                            if let (Some(m), Some(v)) = (num.as_mut(), attr("val")?) {
                                m.abstract_id = v;
                            }
                        }
                        "startOverride" => {
                            if let Some(s) = num.as_mut().and_then(|m| m.starts.get_mut(lvl? as usize)) {
                                *s = attr("val")?;
                            }
                        }
                        "start" => {
                            if let Some(l) = abs.as_mut().and_then(|a| level_mut(&mut a.levels, lvl)) {
                                l.start = attr("val")?.unwrap_or(0);
                            }
                        }
                        "numFmt" => {
                            if let Some(l) = abs.as_mut().and_then(|a| level_mut(&mut a.levels, lvl)) {
                                l.fmt = fmt(&t.attr(w.main, "val")?.unwrap_or_default());
                            }
                        }
                        "lvlText" => {
                            if let Some(l) = abs.as_mut().and_then(|a| level_mut(&mut a.levels, lvl)) {
                                let v = t.attr(w.main, "val")?.unwrap_or_default();
                                l.text.clear();
                                reserve_str(&mut l.text, v.len())?;
                                l.text.push_str(&v);
                            }
                        }
                        "pPr" | "rPr" => r.skip(src)?,
                        _ => {}
                    }
                }
                Event::End(e) if e.ns == w.main => match e.local {
                    "abstractNum" => {
                        if let Some(a) = abs.take() {
                            let id = a.id;
                            super::insert_sorted(&mut n.abstracts, a, |x| x.id.cmp(&id))?;
                        }
                    }
                    "num" => {
                        if let Some(m) = num.take() {
                            let id = m.id;
                            super::insert_sorted(&mut n.nums, m, |x| x.id.cmp(&id))?;
                        }
                    }
                    _ => {}
                },
                Event::Eof => return Ok(n),
                _ => {}
            }
        }
    }

    /// Counts a paragraph of list `num_id` at level `ilvl` and returns its marker. None for
    /// a list that does not exist (or `numId` 0, which switches numbering off) and for
    /// levels that show nothing.
    pub fn next(&mut self, num_id: u32, ilvl: u8) -> Result<Option<Marker>> {
        let Numbering { abstracts, nums } = self;
        let Some(num) = nums.binary_search_by(|m| m.id.cmp(&num_id)).ok().and_then(|i| nums.get_mut(i)) else {
            return Ok(None);
        };
        let abstract_id = num.abstract_id;
        let Some(abs) = abstracts.binary_search_by(|a| a.id.cmp(&abstract_id)).ok().and_then(|i| abstracts.get(i))
        else {
            return Ok(None);
        };
        let at = (ilvl as usize).min(LEVELS - 1);
        let start = |i: usize| num.starts.get(i).copied().flatten().or(abs.levels.get(i).map(|l| l.start)).unwrap_or(1);
        let starts: [u32; LEVELS] = core::array::from_fn(start);
        for (i, c) in num.counters.iter_mut().enumerate() {
            let s = starts.get(i).copied().unwrap_or(1);
            match i.cmp(&at) {
                // An ancestor level not shown yet counts as shown once, as Word does: a
                // level-3 item right under a level-1 one reads "2.1.1".
                core::cmp::Ordering::Less if *c == 0 => *c = s.max(1),
                core::cmp::Ordering::Less => {}
                core::cmp::Ordering::Equal if *c == 0 => *c = s.max(1),
                core::cmp::Ordering::Equal => *c = c.saturating_add(1),
                core::cmp::Ordering::Greater => *c = 0,
            }
        }
        let Some(level) = abs.levels.get(at) else {
            return Ok(None);
        };
        if level.fmt == Fmt::None {
            return Ok(None);
        }
        if level.fmt == Fmt::Bullet {
            return Ok(Some(Marker { text: String::new(), bullet: true, ordered: false }));
        }
        // "%1.%2." with each %N the counter of level N in that level's format.
        let mut text = String::new();
        reserve_str(&mut text, level.text.len() + 16)?;
        let mut chars = level.text.chars().peekable();
        let mut places = 0;
        while let Some(c) = chars.next() {
            match (c, chars.peek().and_then(|d| d.to_digit(10))) {
                ('%', Some(d @ 1..=9)) => {
                    chars.next();
                    let i = d as usize - 1;
                    let fmt = abs.levels.get(i).map_or(Fmt::Decimal, |l| l.fmt);
                    push_number(&mut text, num.counters.get(i).copied().unwrap_or(1).max(1), fmt);
                    places += 1;
                }
                _ => text.push(c),
            }
        }
        let ordered = places == 1 && level.fmt == Fmt::Decimal && level.text.len() == 3 && level.text.ends_with('.');
        Ok(Some(Marker { text, bullet: false, ordered }))
    }
}

fn fmt(v: &str) -> Fmt {
    match v {
        "lowerLetter" => Fmt::LowerLetter,
        "upperLetter" => Fmt::UpperLetter,
        "lowerRoman" => Fmt::LowerRoman,
        "upperRoman" => Fmt::UpperRoman,
        "bullet" => Fmt::Bullet,
        "none" => Fmt::None,
        // decimal, decimalZero, ordinal and the many national systems: digits read right.
        _ => Fmt::Decimal,
    }
}

fn push_number(out: &mut String, n: u32, fmt: Fmt) {
    match fmt {
        Fmt::LowerLetter | Fmt::UpperLetter => {
            // Word's letters: a..z, then aa..zz, aaa..; the repetition is capped so a
            // huge counter cannot write a huge marker.
            let base = if fmt == Fmt::LowerLetter { b'a' } else { b'A' };
            let c = (base + ((n - 1) % 26) as u8) as char;
            for _ in 0..((n - 1) / 26 + 1).min(8) {
                out.push(c);
            }
        }
        Fmt::LowerRoman | Fmt::UpperRoman if n < 4000 => {
            crate::markdown::push_roman(out, n, fmt == Fmt::UpperRoman);
        }
        _ => super::push_decimal(out, n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
        <w:abstractNum w:abstractNumId="0">
          <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
          <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1.%2)"/></w:lvl>
          <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%3."/><w:pPr><w:ind w:left="5"/></w:pPr></w:lvl>
        </w:abstractNum>
        <w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="&#61623;"/></w:lvl></w:abstractNum>
        <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
        <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
        <w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride></w:num>
    </w:numbering>"#;

    fn seq(n: &mut Numbering, items: &[(u32, u8)]) -> Vec<String> {
        items
            .iter()
            .map(|&(id, l)| n.next(id, l).unwrap().map_or("-".into(), |m| if m.bullet { "•".into() } else { m.text }))
            .collect()
    }

    #[test]
    fn counts_levels_and_formats() {
        let mut n = Numbering::parse(SRC, &super::super::TRANSITIONAL, &Config::default()).unwrap();
        let got =
            seq(&mut n, &[(1, 0), (1, 1), (1, 1), (1, 0), (1, 1), (1, 2), (1, 2), (2, 0), (3, 0), (0, 0), (9, 0)]);
        assert_eq!(got, ["1.", "1.a)", "1.b)", "2.", "2.a)", "I.", "II.", "•", "7.", "-", "-"]);
        assert!(n.next(1, 0).unwrap().unwrap().ordered);
        assert!(!n.next(1, 1).unwrap().unwrap().ordered);
    }

    #[test]
    fn skipped_levels_count_as_started() {
        let mut n = Numbering::parse(SRC, &super::super::TRANSITIONAL, &Config::default()).unwrap();
        assert_eq!(seq(&mut n, &[(1, 0), (1, 2), (1, 1)]), ["1.", "I.", "1.b)"]);
    }

    #[test]
    fn number_formats() {
        let mut s = String::new();
        for (n, f) in [
            (1, Fmt::LowerLetter),
            (28, Fmt::UpperLetter),
            (1994, Fmt::UpperRoman),
            (4, Fmt::LowerRoman),
            (5000, Fmt::LowerRoman),
        ] {
            push_number(&mut s, n, f);
            s.push(' ');
        }
        assert_eq!(s, "a BB MCMXCIV iv 5000 ");
    }
}
