//! Character references: the WHATWG named table (generated into `entity_table.rs`) and
//! numeric references, decoded as the HTML tokenizer does in text and in attribute values.
//!
//! The table is stored in code point order with its names byte-pair encoded, which is
//! smallest, so it cannot be searched by name as it is: the first named reference of a
//! document decodes it into an index (about 30 KB of heap: the names, the values, and a chain
//! of the entries per first letter) and every lookup after that walks one chain.

use super::entity_table::{COUNT, NAMES, PAIRS, SECOND, VALUES};
use alloc::vec::Vec;

/// The longest name in the table (31) plus one, so a longer run can never match.
const MAX_NAME: usize = 32;
/// Legacy names (allowed without ';') are at most this long.
const MAX_LEGACY: usize = 6;
/// Value flags, as the generator writes them and the index keeps them (above bit 21).
const LEGACY: u32 = 1;
const TWO: u32 = 2;

/// A decoded reference: up to two characters and the bytes it used after the '&'.
pub struct Decoded {
    pub chars: [Option<char>; 2],
    pub len: usize,
}

/// The by-name index, built on first use.
#[derive(Default)]
pub struct Entities {
    /// The names, ASCII, each ending with a byte that has bit 7 set.
    text: Vec<u8>,
    /// Per entry: where its name starts in `text`.
    names: Vec<u16>,
    /// Per entry: code point | flags << 21 | second code point index << 24.
    values: Vec<u32>,
    /// Per entry: the next entry with the same first letter, or u16::MAX.
    next: Vec<u16>,
    /// Per letter (A-Z, a-z, then anything else): its first entry, or u16::MAX; then per
    /// letter its last entry, where the next one is chained, so each chain runs in code point
    /// order and the common ASCII and Latin-1 names come first.
    heads: Vec<u16>,
}

/// 0-51 for A-Z and a-z, 52 for anything else.
fn letter(b: u8) -> usize {
    match b {
        b'A'..=b'Z' => (b - b'A') as usize,
        b'a'..=b'z' => (b - b'a') as usize + 26,
        _ => 52,
    }
}

impl Entities {
    /// Decodes the reference after an '&' (`rest` starts after it). `in_attr` applies the
    /// attribute rule: a legacy name without ';' followed by '=' or an alphanumeric stays
    /// text (so `?a=1&copy=2` in a URL is not turned into `©=2`). None: the '&' is text.
    pub fn decode(&mut self, rest: &[u8], in_attr: bool) -> Option<Decoded> {
        if rest.first() == Some(&b'#') {
            return numeric(rest);
        }
        let run = rest.iter().take(MAX_NAME).take_while(|b| b.is_ascii_alphanumeric()).count();
        let name = rest.get(..run)?;
        if run < 2 {
            return None;
        }
        if rest.get(run) == Some(&b';') {
            if let Some(v) = self.find(name) {
                return Some(Decoded { chars: chars(v), len: run + 1 });
            }
        }
        // The longest legacy name that prefixes the run.
        for n in (2..=run.min(MAX_LEGACY)).rev() {
            let Some(v) = self.find(name.get(..n)?).filter(|v| v >> 21 & LEGACY != 0) else {
                continue;
            };
            let next = rest.get(n).copied().unwrap_or(0);
            if in_attr && (next == b'=' || next.is_ascii_alphanumeric()) {
                return None;
            }
            return Some(Decoded { chars: chars(v), len: n });
        }
        None
    }

    /// The packed value of `name` (without ';').
    fn find(&mut self, name: &[u8]) -> Option<u32> {
        if self.heads.is_empty() {
            self.build()?;
        }
        let mut i = *self.heads.get(letter(*name.first()?))? as usize;
        while let Some(&at) = self.names.get(i) {
            let at = at as usize;
            // The entry's name ends at the byte with bit 7 set.
            let len = self.text.get(at..)?.iter().position(|&b| b & 0x80 != 0)? + 1;
            let entry = self.text.get(at..at + len)?;
            if len == name.len() && entry.iter().zip(name).all(|(&e, &n)| e & 0x7f == n) {
                return self.values.get(i).copied();
            }
            i = *self.next.get(i)? as usize;
        }
        None
    }

    /// Decodes the table once into the index. None if memory runs out (the reference then
    /// stays text).
    fn build(&mut self) -> Option<()> {
        self.text.try_reserve(14 * 1024).ok()?;
        self.names.try_reserve(COUNT).ok()?;
        self.values.try_reserve(COUNT).ok()?;
        self.next.try_reserve(COUNT).ok()?;
        self.heads.try_reserve(106).ok()?;
        self.heads.resize(106, u16::MAX);
        let mut v = 0;
        let mut cp = 0u32;
        for &code in NAMES {
            if self.names.len() == self.next.len() {
                self.names.push(self.text.len() as u16);
            }
            // Codes still to expand, the next one last; names are at most 31 characters.
            let mut stack = [code & 0x7f; 32];
            let mut depth = 1;
            while depth > 0 {
                depth -= 1;
                let c = *stack.get(depth)?;
                let Some(pair) = c.checked_sub(62) else {
                    self.text.push(match c {
                        0..=9 => b'0' + c,
                        10..=35 => b'A' + c - 10,
                        _ => b'a' + c - 36,
                    });
                    continue;
                };
                let at = pair as usize * 2;
                *stack.get_mut(depth)? = *PAIRS.get(at + 1)?;
                *stack.get_mut(depth + 1)? = *PAIRS.get(at)?;
                depth += 2;
            }
            if code & 0x80 == 0 {
                continue;
            }
            // The name is complete: mark its end, chain it, and read its value.
            *self.text.last_mut()? |= 0x80;
            let i = self.next.len();
            let l = letter(*self.text.get(*self.names.get(i)? as usize)?);
            self.next.push(u16::MAX);
            let tail = *self.heads.get(l + 53)? as usize;
            *self.next.get_mut(tail).or(self.heads.get_mut(l))? = i as u16;
            *self.heads.get_mut(l + 53)? = i as u16;
            // LEB128: code point delta << 2 | flags.
            let (mut delta, mut shift) = (0u32, 0);
            loop {
                let b = *VALUES.get(v)?;
                v += 1;
                delta |= ((b & 0x7f) as u32) << shift;
                shift += 7;
                if b & 0x80 == 0 {
                    break;
                }
            }
            cp += delta >> 2;
            let mut packed = cp | (delta & 3) << 21;
            if delta & TWO != 0 {
                packed |= (*VALUES.get(v)? as u32) << 24;
                v += 1;
            }
            self.values.push(packed);
        }
        Some(())
    }
}

fn chars(v: u32) -> [Option<char>; 2] {
    let second = match v >> 21 & TWO {
        0 => None,
        _ => SECOND.get((v >> 24) as usize).and_then(|&c| char::from_u32(c as u32)),
    };
    [char::from_u32(v & 0x1f_ffff), second]
}

/// `&#123;` / `&#x7b;`, ';' optional. Out-of-range values, surrogates and NUL become U+FFFD;
/// 0x80-0x9F are read as Windows-1252, as browsers do.
fn numeric(rest: &[u8]) -> Option<Decoded> {
    let hex = matches!(rest.get(1), Some(b'x' | b'X'));
    let start = 1 + hex as usize;
    let radix = if hex { 16 } else { 10 };
    let mut value: u32 = 0;
    let mut i = start;
    while let Some(&b) = rest.get(i) {
        let d = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' if hex => b - b'a' + 10,
            b'A'..=b'F' if hex => b - b'A' + 10,
            _ => break,
        };
        // Saturate: any overflow is past U+10FFFF and becomes U+FFFD anyway.
        value = value.saturating_mul(radix).saturating_add(d as u32);
        i += 1;
    }
    if i == start {
        return None;
    }
    if rest.get(i) == Some(&b';') {
        i += 1;
    }
    let c = match value {
        0x80..=0x9f => crate::encoding::single_byte::windows_1252(value as u8),
        0 => '\u{fffd}',
        v => char::from_u32(v).unwrap_or('\u{fffd}'),
    };
    Some(Decoded { chars: [Some(c), None], len: i })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str, in_attr: bool) -> Option<(String, usize)> {
        let d = Entities::default().decode(s.as_bytes(), in_attr)?;
        Some((d.chars.iter().flatten().collect(), d.len))
    }

    #[test]
    fn every_name_of_the_standard_table() {
        // Every entry is found by its name through the index, and a sample decodes to the
        // values the standard gives.
        let mut e = Entities::default();
        e.build().unwrap();
        assert_eq!(e.values.len(), COUNT);
        assert!(e.heads[52] == u16::MAX);
        assert_eq!(e.names.len(), COUNT);
        for (i, at) in e.names.clone().into_iter().enumerate() {
            let end = e.text[at as usize..].iter().position(|&b| b & 0x80 != 0).unwrap();
            let name: Vec<u8> = e.text[at as usize..=at as usize + end].iter().map(|b| b & 0x7f).collect();
            assert_eq!(e.find(&name), Some(e.values[i]), "{}", String::from_utf8_lossy(&name));
        }
        for (name, want) in [
            ("amp;", "&"),
            ("AMP;", "&"),
            ("nbsp;", "\u{a0}"),
            ("CounterClockwiseContourIntegral;", "∳"),
            ("Afr;", "𝔄"),
            ("Cfr;", "ℭ"),
            ("zwnj;", "\u{200c}"),
            ("NotEqualTilde;", "≂\u{338}"),
            ("fjlig;", "fj"),
            ("ThickSpace;", "\u{205f}\u{200a}"),
            ("Tab;", "\t"),
            ("NewLine;", "\n"),
            ("copy", "©"),
            ("yuml;", "ÿ"),
            ("Zscr;", "𝒵"),
            ("bne;", "=\u{20e5}"),
        ] {
            let (got, len) = text(name, false).unwrap_or_else(|| panic!("{name}"));
            assert_eq!((got.as_str(), len), (want, name.len()), "{name}");
        }
    }

    #[test]
    fn legacy_and_attribute_rules() {
        assert_eq!(text("notit;", false), Some(("¬".into(), 3)));
        assert_eq!(text("notin;", false), Some(("∉".into(), 6)));
        assert_eq!(text("copy=2", false), Some(("©".into(), 4)));
        assert_eq!(text("copy=2", true), None);
        assert_eq!(text("copyx", true), None);
        assert_eq!(text("copy;x", true), Some(("©".into(), 5)));
        assert_eq!(text("apos", false), None);
        assert_eq!(text("nosuch;", false), None);
        assert_eq!(text("x", false), None);
        assert_eq!(text("", false), None);
        assert_eq!(text(&"a".repeat(1000), false), None);
        assert_eq!(text("#x41;", false), Some(("A".into(), 5)));
        assert_eq!(text("#65", false), Some(("A".into(), 3)));
        assert_eq!(text("#x80;", false), Some(("€".into(), 5)));
        assert_eq!(text("#x110000;", false), Some(("\u{fffd}".into(), 9)));
        assert_eq!(text("#xD800;", false), Some(("\u{fffd}".into(), 7)));
        assert_eq!(text("#0;", false), Some(("\u{fffd}".into(), 3)));
        assert_eq!(text("#;", false), None);
        assert_eq!(text("#x;", false), None);
    }
}
