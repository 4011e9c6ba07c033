//! Glyph names to Unicode, the way the Adobe Glyph List specification maps them: a name
//! loses everything after its first '.', splits at '_' into components, and each component
//! is a listed name, "uniXXXX..." (one or more UTF-16 code units in four hex digits each) or
//! "uXXXX" to "uXXXXXX". The list itself lives in the generated `glyph_data.rs`.

use alloc::string::String;

#[path = "glyph_data.rs"]
mod data;

pub(crate) use data::{ENCODINGS, FIRST_CODE};

/// Components of one name beyond which a name is not a ligature but garbage.
const MAX_COMPONENTS: usize = 16;

/// Appends the Unicode text of a glyph name. False, with `out` unchanged, when any component
/// has no meaning (made-up names such as "g12", "cid1234" or "glyph5").
pub fn glyph_to_unicode(name: &[u8], out: &mut String) -> bool {
    let before = out.len();
    let ok = map_name(name, false, &mut |c| out.push(c));
    if !ok {
        out.truncate(before);
    }
    ok
}

/// The ZapfDingbats font's names ("a1" to "a206"), which mean dingbats only in that font;
/// every other name maps as in [`glyph_to_unicode`].
pub fn dingbat_to_unicode(name: &[u8], out: &mut String) -> bool {
    let before = out.len();
    let ok = map_name(name, true, &mut |c| out.push(c));
    if !ok {
        out.truncate(before);
    }
    ok
}

/// The character of a name that maps to exactly one character (for width look-ups).
pub fn glyph_char(name: &[u8]) -> Option<char> {
    let (mut first, mut count) = (None, 0u32);
    let ok = map_name(name, false, &mut |c| {
        first = Some(c);
        count += 1;
    });
    if ok && count == 1 {
        first
    } else {
        None
    }
}

fn map_name(name: &[u8], dingbats: bool, emit: &mut dyn FnMut(char)) -> bool {
    let base = match name.iter().position(|&b| b == b'.') {
        Some(dot) => name.get(..dot).unwrap_or(&[]),
        None => name,
    };
    if base.is_empty() {
        return false;
    }
    let mut components = 0;
    for part in base.split(|&b| b == b'_') {
        components += 1;
        if components > MAX_COMPONENTS || !map_component(part, dingbats, emit) {
            return false;
        }
    }
    true
}

fn map_component(part: &[u8], dingbats: bool, emit: &mut dyn FnMut(char)) -> bool {
    if let Some(v) = lookup(part) {
        if v & data::DINGBAT != 0 && !dingbats {
            return false;
        }
        // Adobe's expert fonts put small capitals and old-style figures at U+F721..U+F7FF,
        // U+F700 above the characters they stand for ("Asmall" U+F761 is an 'a'): text wants
        // the characters.
        let v = match v & 0xFFFF {
            u @ 0xF721..=0xF7FF => u - 0xF700,
            u => u,
        };
        return match char::from_u32(v) {
            Some(c) if v != 0 => {
                emit(c);
                true
            }
            _ => false,
        };
    }
    if let Some(hex) = part.strip_prefix(b"uni") {
        return uni_units(hex, emit);
    }
    if let Some(hex) = part.strip_prefix(b"u") {
        if (4..=6).contains(&hex.len()) {
            if let Some(c) = hex_value(hex).and_then(char::from_u32) {
                emit(c);
                return true;
            }
        }
    }
    false
}

/// "uni" + groups of four hex digits: UTF-16 code units, surrogate pairs joined (the AGL
/// specification excludes surrogates; fonts in the wild write them, and a pair is unambiguous).
fn uni_units(hex: &[u8], emit: &mut dyn FnMut(char)) -> bool {
    if hex.is_empty() || !hex.len().is_multiple_of(4) {
        return false;
    }
    let units = hex.chunks_exact(4).map(|u| hex_value(u).unwrap_or(0xD800) as u16);
    // Everything is checked before anything is emitted, so a bad unit emits nothing.
    if hex.chunks_exact(4).any(|u| hex_value(u).is_none()) || char::decode_utf16(units.clone()).any(|r| r.is_err()) {
        return false;
    }
    for c in char::decode_utf16(units).flatten() {
        emit(c);
    }
    true
}

fn hex_value(digits: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for &d in digits {
        let n = match d {
            b'0'..=b'9' => d - b'0',
            b'A'..=b'F' => d - b'A' + 10,
            b'a'..=b'f' => d - b'a' + 10,
            _ => return None,
        };
        v = v.checked_mul(16)?.checked_add(u32::from(n))?;
    }
    Some(v)
}

/// The 21-bit value of a listed name: a binary search over `NAMES`, whose entries are sorted
/// by their names read backwards and end in three bytes with bit 7 set.
fn lookup(name: &[u8]) -> Option<u32> {
    let names = data::NAMES;
    if name.is_empty() || name.len() > 64 {
        return None;
    }
    let (mut lo, mut hi) = (0usize, names.len());
    while lo < hi {
        let mut start = lo + (hi - lo) / 2;
        // Step back to the start of the entry the midpoint fell into; `lo` always is one.
        while start > lo && names.get(start).is_some_and(|&b| b >= 0x80) {
            start -= 1;
        }
        while start > lo && names.get(start - 1).is_some_and(|&b| b < 0x80) {
            start -= 1;
        }
        let len = names.get(start..)?.iter().take_while(|&&b| b < 0x80).count();
        let entry = names.get(start..start + len)?;
        match entry.iter().rev().cmp(name.iter().rev()) {
            core::cmp::Ordering::Equal => {
                let v = names.get(start + len..start + len + 3)?;
                return Some(v.iter().fold(0, |acc, &b| acc << 7 | u32::from(b & 0x7F)));
            }
            core::cmp::Ordering::Less => lo = start + len + 3,
            core::cmp::Ordering::Greater => hi = start,
        }
    }
    None
}

/// The name stored at a byte offset of `NAMES` (encodings refer to names this way).
pub(crate) fn name_at(offset: u16) -> Option<&'static [u8]> {
    let rest = data::NAMES.get(usize::from(offset)..)?;
    let len = rest.iter().take_while(|&&b| b < 0x80).count();
    rest.get(..len).filter(|n| !n.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(name: &str) -> Option<String> {
        let mut s = String::from("x");
        let ok = glyph_to_unicode(name.as_bytes(), &mut s);
        assert_eq!(ok, s.len() > 1, "{name}");
        ok.then(|| s[1..].into())
    }

    #[test]
    fn listed_names() {
        assert_eq!(map("A").as_deref(), Some("A"));
        assert_eq!(map("space").as_deref(), Some(" "));
        assert_eq!(map("eacute").as_deref(), Some("é"));
        assert_eq!(map("Euro").as_deref(), Some("€"));
        assert_eq!(map("fi").as_deref(), Some("\u{FB01}"));
        assert_eq!(map("afii10017").as_deref(), Some("А"));
        assert_eq!(map("alpha").as_deref(), Some("α"));
        assert_eq!(map("quoteright").as_deref(), Some("\u{2019}"));
        assert_eq!(map("afii57664").as_deref(), Some("\u{05D0}"));
        assert_eq!(map("Asmall").as_deref(), Some("a"));
        assert_eq!(map("Agravesmall").as_deref(), Some("à"));
        assert_eq!(map("oneoldstyle").as_deref(), Some("1"));
        assert_eq!(map("commaaccent").as_deref(), Some("\u{F6C3}"));
    }

    #[test]
    fn every_entry_is_found() {
        let names = data::NAMES;
        let mut start = 0;
        let mut count = 0;
        while start < names.len() {
            let len = names[start..].iter().take_while(|&&b| b < 0x80).count();
            let name = &names[start..start + len];
            let v = names[start + len..start + len + 3].iter().fold(0, |a, &b| a << 7 | u32::from(b & 0x7F));
            assert_eq!(lookup(name), Some(v), "{}", String::from_utf8_lossy(name));
            assert_eq!(name_at(start as u16), Some(name));
            start += len + 3;
            count += 1;
        }
        assert!(count > 2000);
    }

    #[test]
    fn uni_and_u_names() {
        assert_eq!(map("uni0041").as_deref(), Some("A"));
        assert_eq!(map("uni00410042").as_deref(), Some("AB"));
        assert_eq!(map("uniD83DDE00").as_deref(), Some("\u{1F600}"));
        assert_eq!(map("uni00e9").as_deref(), Some("é"));
        assert_eq!(map("u1F600").as_deref(), Some("\u{1F600}"));
        assert_eq!(map("u0041").as_deref(), Some("A"));
        assert_eq!(map("uni004"), None);
        assert_eq!(map("uniD800"), None);
        assert_eq!(map("u110000"), None);
        assert_eq!(map("uniXYZW"), None);
    }

    #[test]
    fn suffixes_and_ligatures() {
        assert_eq!(map("a.sc").as_deref(), Some("a"));
        assert_eq!(map("one.oldstyle").as_deref(), Some("1"));
        assert_eq!(map("f_f_i").as_deref(), Some("ffi"));
        assert_eq!(map("T_h.liga").as_deref(), Some("Th"));
        assert_eq!(map("uni0066_uni0069").as_deref(), Some("fi"));
        assert_eq!(map(".notdef"), None);
        assert_eq!(map("f__i"), None);
    }

    #[test]
    fn made_up_names_fail() {
        for name in ["g12", "cid1234", "glyph5", "", "_", "a1", "zzzz", "G"] {
            let expected = if name == "G" { Some("G".into()) } else { None };
            assert_eq!(map(name), expected, "{name}");
        }
    }

    #[test]
    fn dingbats_only_in_their_font() {
        let mut s = String::new();
        assert!(dingbat_to_unicode(b"a1", &mut s));
        assert!(dingbat_to_unicode(b"a35", &mut s));
        assert!(dingbat_to_unicode(b"space", &mut s));
        assert_eq!(s, "\u{2701}\u{2605} ");
        assert!(!glyph_to_unicode(b"a1", &mut s));
    }

    #[test]
    fn never_panics_on_random_names() {
        let mut rng = crate::testing::Rng::new(7);
        let alphabet = b"aAfiu0123456789DEFn_.-";
        let mut s = String::new();
        for _ in 0..20_000 {
            let name: Vec<u8> = (0..rng.next() % 14).map(|_| alphabet[rng.next() % alphabet.len()]).collect();
            glyph_to_unicode(&name, &mut s);
            dingbat_to_unicode(&name, &mut s);
            let _ = glyph_char(&name);
            let mut with_prefix = b"uni".to_vec();
            with_prefix.extend_from_slice(&name);
            glyph_to_unicode(&with_prefix, &mut s);
            s.clear();
        }
    }

    #[test]
    fn single_characters() {
        assert_eq!(glyph_char(b"Aacute"), Some('Á'));
        assert_eq!(glyph_char(b"uni0041"), Some('A'));
        assert_eq!(glyph_char(b"f_i"), None);
        assert_eq!(glyph_char(b"g7"), None);
    }
}
