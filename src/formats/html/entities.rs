//! Character references: the WHATWG named table (generated into `entity_table.rs`) and
//! numeric references, decoded as the HTML tokenizer does in text and in attribute values.
//!
//! The table is stored in code point order with its names byte-pair encoded, which is
//! smallest, so it cannot be searched by name as it is: the first named reference of a
//! document decodes it into an index (about 30 KB of heap: the names, the values, and a chain
//! of the entries per bucket of their first two letters). A lookup walks one chain once
//! (about 18 entries on average), finding the name with ';' and the longest legacy name that
//! prefixes the run together: a reference without ';' costs one walk, not one per length
//! tried.

use super::entity_table::{COUNT, NAMES, PAIRS, SECOND, VALUES};
use alloc::string::String;
use alloc::vec::Vec;

/// The longest name in the table (31) plus one, so a longer run can never match.
const MAX_NAME: usize = 32;
/// Value flags, as the generator writes them and the index keeps them (above bit 21).
const LEGACY: u32 = 1;
const TWO: u32 = 2;
/// Chains: by a hash of the first two letters (every name has at least two).
const BUCKETS: usize = 256;

/// The by-name index, built on first use (while `text` is empty, it is not built).
pub struct Entities {
    /// The names, ASCII, each ending with a byte that has bit 7 set.
    text: Vec<u8>,
    /// In table order.
    entries: Vec<Entry>,
    /// Per bucket: its first entry, or u16::MAX.
    heads: [u16; BUCKETS],
}

impl Default for Entities {
    fn default() -> Entities {
        Entities { text: Vec::new(), entries: Vec::new(), heads: [u16::MAX; BUCKETS] }
    }
}

struct Entry {
    /// Where its name starts in `text`.
    at: u16,
    /// The next entry in its bucket, or u16::MAX.
    next: u16,
    /// Code point | flags << 21 | second code point index << 24.
    value: u32,
}

/// The bucket of a name or run starting with `a`, `b`.
fn bucket(a: u8, b: u8) -> usize {
    (a as usize * 31 + b as usize) % BUCKETS
}

impl Entities {
    /// Decodes the reference after an '&' (`rest` starts after it) into `out`; returns the
    /// bytes it used after the '&', 0 if the '&' is text.
    pub fn decode(&mut self, rest: &[u8], in_attr: bool, out: &mut String) -> usize {
        let Some((v, len)) = self.value(rest, in_attr) else {
            return 0;
        };
        push_value(v, out);
        len
    }

    /// The value (packed as the index keeps it) and length of the reference after an '&'.
    /// `in_attr` applies the attribute rule: a legacy name without ';' followed by '=' or an
    /// alphanumeric stays text (so `?a=1&copy=2` in a URL is not turned into `©=2`).
    fn value(&mut self, rest: &[u8], in_attr: bool) -> Option<(u32, usize)> {
        if rest.first() == Some(&b'#') {
            return numeric(rest);
        }
        let run = rest.iter().take(MAX_NAME).take_while(|b| b.is_ascii_alphanumeric()).count();
        if run < 2 {
            return None;
        }
        if self.text.is_empty() {
            self.build()?;
        }
        let semi = rest.get(run) == Some(&b';');
        // The longest legacy name that prefixes the run: (value, length).
        let mut legacy = (0, 0);
        let mut i = *self.heads.get(bucket(*rest.first()?, *rest.get(1)?))? as usize;
        while let Some(&Entry { at, next, value: v }) = self.entries.get(i) {
            // The entry's name ends at the byte with bit 7 set; it matches if the run starts
            // with it (a name is alphanumeric, so it cannot reach past the run).
            let (mut len, mut matched) = (0, false);
            while let (Some(&e), Some(&c)) = (self.text.get(at as usize + len), rest.get(len)) {
                if e & 0x7f != c {
                    break;
                }
                len += 1;
                if e & 0x80 != 0 {
                    matched = true;
                    break;
                }
            }
            if matched {
                if len == run && semi {
                    return Some((v, run + 1));
                }
                if v >> 21 & LEGACY != 0 && len > legacy.1 {
                    legacy = (v, len);
                }
            }
            i = next as usize;
        }
        let (v, n) = legacy;
        let next = rest.get(n).copied().unwrap_or(0);
        if n == 0 || in_attr && (next == b'=' || next.is_ascii_alphanumeric()) {
            return None;
        }
        Some((v, n))
    }

    /// Decodes the table once into the index. None if memory runs out (the reference then
    /// stays text).
    fn build(&mut self) -> Option<()> {
        self.text.try_reserve(14 * 1024).ok()?;
        self.entries.try_reserve(COUNT).ok()?;
        let mut v = 0;
        let mut cp = 0u32;
        // Where the name being read starts in `text`.
        let mut at = 0;
        for &code in NAMES {
            expand(code & 0x7f, &mut self.text);
            if code & 0x80 == 0 {
                continue;
            }
            // The name is complete: mark its end, chain it, and read its value.
            *self.text.last_mut()? |= 0x80;
            let head = self.heads.get_mut(bucket(*self.text.get(at)?, *self.text.get(at + 1)? & 0x7f))?;
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
            self.entries.push(Entry { at: at as u16, next: *head, value: packed });
            *head = (self.entries.len() - 1) as u16;
            at = self.text.len();
        }
        Some(())
    }
}

/// Appends the name characters code `c` stands for. A pair's codes are always smaller than
/// its own, so the recursion ends (pairs nest a few levels deep).
fn expand(c: u8, text: &mut Vec<u8>) {
    let Some(pair) = c.checked_sub(62) else {
        text.push(match c {
            0..=9 => b'0' + c,
            10..=35 => b'A' + c - 10,
            _ => b'a' + c - 36,
        });
        return;
    };
    let at = pair as usize * 2;
    for &c in PAIRS.get(at..at + 2).unwrap_or(&[]) {
        expand(c, text);
    }
}

/// Appends the one or two characters of a packed value.
fn push_value(v: u32, out: &mut String) {
    out.push(char::from_u32(v & 0x1f_ffff).unwrap_or('\u{fffd}'));
    if v >> 21 & TWO != 0 {
        if let Some(c) = SECOND.get((v >> 24) as usize).and_then(|&c| char::from_u32(c as u32)) {
            out.push(c);
        }
    }
}

/// `&#123;` / `&#x7b;`, ';' optional. Out-of-range values, surrogates and NUL become U+FFFD;
/// 0x80-0x9F are read as Windows-1252, as browsers do.
fn numeric(rest: &[u8]) -> Option<(u32, usize)> {
    let hex = matches!(rest.get(1), Some(b'x' | b'X'));
    let start = 1 + hex as usize;
    let radix = if hex { 16 } else { 10 };
    let mut value: u32 = 0;
    let mut i = start;
    while let Some(d) = rest.get(i).and_then(|&b| (b as char).to_digit(radix)) {
        // Capped past U+10FFFF (which becomes U+FFFD), so it cannot overflow.
        value = (value * radix + d).min(0x11_0000);
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
    Some((c as u32, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str, in_attr: bool) -> Option<(String, usize)> {
        let mut out = String::new();
        let len = Entities::default().decode(s.as_bytes(), in_attr, &mut out);
        Some((out, len)).filter(|_| len > 0)
    }

    #[test]
    fn every_name_of_the_standard_table() {
        // Every entry is found by its name through the index, and a sample decodes to the
        // values the standard gives.
        let mut e = Entities::default();
        e.build().unwrap();
        assert_eq!(e.entries.len(), COUNT);
        let entries: Vec<(u16, u32)> = e.entries.iter().map(|x| (x.at, x.value)).collect();
        for (at, value) in entries {
            let end = e.text[at as usize..].iter().position(|&b| b & 0x80 != 0).unwrap();
            let mut name: Vec<u8> = e.text[at as usize..=at as usize + end].iter().map(|b| b & 0x7f).collect();
            let mut want = String::new();
            push_value(value, &mut want);
            name.push(b';');
            let mut got = String::new();
            let len = e.decode(&name, false, &mut got);
            assert_eq!((got, len), (want.clone(), name.len()), "{}", String::from_utf8_lossy(&name));
            // Legacy names are found without ';' too, also when more letters follow.
            if value >> 21 & LEGACY != 0 {
                name.pop();
                name.extend(b"zz");
                let mut got = String::new();
                let len = e.decode(&name, false, &mut got);
                assert_eq!((got, len), (want, name.len() - 2));
            }
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
        // The longest legacy prefix wins; a complete name with ';' beats a legacy prefix.
        assert_eq!(text("notin", false), Some(("¬".into(), 3)));
        assert_eq!(text("notinx;", false), Some(("¬".into(), 3)));
        assert_eq!(text("amp", false), Some(("&".into(), 3)));
        assert_eq!(text("ampx", true), None);
        assert_eq!(text("amp x", true), Some(("&".into(), 3)));
        assert_eq!(text("Aacutee", false), Some(("Á".into(), 6)));
        assert_eq!(text("acute", false), Some(("´".into(), 5)));
        assert_eq!(text("ac;", false), Some(("∾".into(), 3)));
        assert_eq!(text("acE;", false), Some(("∾\u{333}".into(), 4)));
        assert_eq!(text("AElig", false), Some(("Æ".into(), 5)));
        assert_eq!(text("zwj;", false), Some(("\u{200d}".into(), 4)));
        assert_eq!(text("GT", false), Some((">".into(), 2)));
        assert_eq!(text("Gt;", false), Some(("≫".into(), 3)));
        assert_eq!(text("Gt", false), None);
    }

    #[test]
    fn entity_soup_is_linear() {
        // Every reference walks one short chain, so a page of references is cheap.
        let soup = "&notin&ampx&copy=&nosuchname&Aacutee&#x41&".repeat(2000);
        let mut e = Entities::default();
        let (mut i, mut refs) = (0, 0);
        let b = soup.as_bytes();
        while let Some(p) = b[i..].iter().position(|&c| c == b'&') {
            i += p + 1;
            let len = e.decode(&b[i..], false, &mut String::new());
            if len > 0 {
                i += len;
                refs += 1;
            }
        }
        assert_eq!(refs, 5 * 2000);
    }
}
