//! The PDF token level: character classes, numbers, strings and names. Each scanner takes
//! the input and a position and returns the value and the position after it; none fails,
//! because viewers read malformed tokens leniently (an unterminated string runs to the end,
//! a stray byte in a hex string is skipped).

use crate::error::{reserve, Result};
use alloc::vec::Vec;

/// PDF whitespace: NUL, HT, LF, FF, CR, space.
pub fn is_white(c: u8) -> bool {
    matches!(c, 0 | 9 | 10 | 12 | 13 | 32)
}

pub fn is_delimiter(c: u8) -> bool {
    matches!(c, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

/// Bytes that make up names, numbers and keywords.
pub fn is_regular(c: u8) -> bool {
    !is_white(c) && !is_delimiter(c)
}

pub fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Skips whitespace and comments from `pos`.
pub fn skip_white(data: &[u8], mut pos: usize) -> usize {
    while let Some(&c) = data.get(pos) {
        if is_white(c) {
            pos += 1;
        } else if c == b'%' {
            while let Some(&c) = data.get(pos) {
                if c == b'\n' || c == b'\r' {
                    break;
                }
                pos += 1;
            }
        } else {
            break;
        }
    }
    pos
}

/// The end of the run of regular bytes starting at `pos`.
pub fn regular_end(data: &[u8], mut pos: usize) -> usize {
    while data.get(pos).is_some_and(|&c| is_regular(c)) {
        pos += 1;
    }
    pos
}

/// A number: `Ok(i)` for an integer, `Err(r)` for a real. Accepts what viewers accept:
/// "+3", "-.5", "1.", a lone "-" or "." (0), doubled signs; an integer too large for i64
/// becomes a real, and the digits of a real beyond f64 precision are dropped.
pub fn number(data: &[u8], mut pos: usize) -> (core::result::Result<i64, f64>, usize) {
    let mut negative = false;
    while let Some(&c) = data.get(pos) {
        match c {
            b'-' => negative = !negative,
            b'+' => {}
            _ => break,
        }
        pos += 1;
    }
    let mut mantissa: u64 = 0;
    // Digits dropped from the mantissa (integer part) and digits after the point.
    let (mut dropped, mut frac) = (0i32, 0i32);
    let mut point = false;
    let mut overflow = false;
    while let Some(&c) = data.get(pos) {
        match c {
            b'0'..=b'9' => {
                if mantissa < 100_000_000_000_000_000 {
                    mantissa = mantissa * 10 + u64::from(c - b'0');
                    if point {
                        frac += 1;
                    }
                } else if !point {
                    dropped = dropped.saturating_add(1);
                    overflow = true;
                }
            }
            b'.' if !point => point = true,
            // "1.2.3", "4-5": malformed; the rest of the token is ignored, as in pdf.js.
            b'.' | b'-' | b'+' => {
                pos = regular_end(data, pos);
                break;
            }
            _ => break,
        }
        pos += 1;
    }
    if !point && !overflow && mantissa <= i64::MAX as u64 {
        let v = mantissa as i64;
        return (Ok(if negative { -v } else { v }), pos);
    }
    let mut v = mantissa as f64;
    v = scale10(v, dropped - frac);
    (Err(if negative { -v } else { v }), pos)
}

/// `v * 10^exp` from exact powers of ten (dividing by an exact power keeps "0.1" exact).
fn scale10(mut v: f64, mut exp: i32) -> f64 {
    const P: [f64; 16] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
    while exp > 0 {
        let e = exp.min(15);
        v *= P[e as usize];
        exp -= e;
    }
    while exp < 0 {
        let e = (-exp).min(15);
        v /= P[e as usize];
        exp += e;
    }
    v
}

/// A literal string; `pos` is just after the opening '('. Balanced parentheses nest,
/// escapes and octal codes are decoded, a backslash before a line break continues the
/// line, and a bare CR or CRLF inside reads as LF (PDF 32000-1, 7.3.4.2).
pub fn literal_string(data: &[u8], mut pos: usize, out: &mut Vec<u8>) -> Result<usize> {
    let mut depth = 0usize;
    while let Some(&c) = data.get(pos) {
        pos += 1;
        let byte = match c {
            b'(' => {
                depth += 1;
                b'('
            }
            b')' => {
                if depth == 0 {
                    return Ok(pos);
                }
                depth -= 1;
                b')'
            }
            b'\r' => {
                if data.get(pos) == Some(&b'\n') {
                    pos += 1;
                }
                b'\n'
            }
            b'\\' => {
                let Some(&e) = data.get(pos) else { break };
                pos += 1;
                match e {
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    b'b' => 8,
                    b'f' => 12,
                    b'0'..=b'7' => {
                        let mut v = u32::from(e - b'0');
                        for _ in 0..2 {
                            match data.get(pos) {
                                Some(&d @ b'0'..=b'7') => {
                                    v = v * 8 + u32::from(d - b'0');
                                    pos += 1;
                                }
                                _ => break,
                            }
                        }
                        v as u8
                    }
                    b'\r' => {
                        if data.get(pos) == Some(&b'\n') {
                            pos += 1;
                        }
                        continue;
                    }
                    b'\n' => continue,
                    // "\(", "\)", "\\" and unknown escapes: the byte itself.
                    _ => e,
                }
            }
            _ => c,
        };
        if out.len() == out.capacity() {
            reserve(out, out.len().max(16))?;
        }
        out.push(byte);
    }
    Ok(pos)
}

/// A hex string; `pos` is just after '<'. Whitespace and stray bytes are skipped, an odd
/// final digit is padded with 0.
pub fn hex_string(data: &[u8], mut pos: usize, out: &mut Vec<u8>) -> Result<usize> {
    let mut high: Option<u8> = None;
    while let Some(&c) = data.get(pos) {
        pos += 1;
        if c == b'>' {
            break;
        }
        let Some(v) = hex_value(c) else { continue };
        match high.take() {
            Some(h) => {
                if out.len() == out.capacity() {
                    reserve(out, out.len().max(16))?;
                }
                out.push(h << 4 | v);
            }
            None => high = Some(v),
        }
    }
    if let Some(h) = high {
        reserve(out, 1)?;
        out.push(h << 4);
    }
    Ok(pos)
}

/// A name; `pos` is just after '/'. `#xx` is decoded; a '#' not followed by two hex digits
/// is kept as it is.
pub fn name(data: &[u8], mut pos: usize, out: &mut Vec<u8>) -> Result<usize> {
    let end = regular_end(data, pos);
    reserve(out, end - pos)?;
    while pos < end {
        let Some(&c) = data.get(pos) else { break };
        pos += 1;
        if c == b'#' && pos + 2 <= end {
            let h = data.get(pos).copied().and_then(hex_value);
            let l = data.get(pos + 1).copied().and_then(hex_value);
            if let (Some(h), Some(l)) = (h, l) {
                out.push(h << 4 | l);
                pos += 2;
                continue;
            }
        }
        out.push(c);
    }
    Ok(end)
}

/// An unsigned decimal integer at `pos` (for xref tables and headers), and the position
/// after it. Saturates instead of overflowing.
pub fn uint(data: &[u8], mut pos: usize) -> Option<(u64, usize)> {
    let start = pos;
    let mut v: u64 = 0;
    while let Some(&c @ b'0'..=b'9') = data.get(pos) {
        v = v.saturating_mul(10).saturating_add(u64::from(c - b'0'));
        pos += 1;
    }
    (pos > start).then_some((v, pos))
}

/// The first occurrence of `needle` in `hay` at or after `from`.
pub fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let first = *needle.first()?;
    let mut i = from;
    while let Some(rest) = hay.get(i..) {
        let at = i + rest.iter().position(|&c| c == first)?;
        if hay.get(at..at + needle.len()) == Some(needle) {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// The last occurrence of `needle` that starts before `before`.
pub fn rfind(hay: &[u8], needle: &[u8], before: usize) -> Option<usize> {
    let mut i = before.min(hay.len());
    while i > 0 {
        i -= 1;
        if hay.get(i..i + needle.len()) == Some(needle) {
            return Some(i);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> core::result::Result<i64, f64> {
        number(s.as_bytes(), 0).0
    }

    #[test]
    fn numbers() {
        assert_eq!(num("42"), Ok(42));
        assert_eq!(num("+3"), Ok(3));
        assert_eq!(num("-17"), Ok(-17));
        assert_eq!(num(".5"), Err(0.5));
        assert_eq!(num("-.5"), Err(-0.5));
        assert_eq!(num("1."), Err(1.0));
        assert_eq!(num("0.1"), Err(0.1));
        assert_eq!(num("612.000"), Err(612.0));
        assert_eq!(num("-"), Ok(0));
        assert_eq!(num("--5"), Ok(5));
        assert_eq!(num("123.45"), Err(123.45));
        assert_eq!(number(b"1.2.3 x", 0), (Err(1.2), 5));
        // Beyond i64: a real, not a wrapped integer.
        let Err(big) = num("99999999999999999999999") else { panic!() };
        assert!((big - 1e23).abs() / 1e23 < 1e-9);
        let Err(tiny) = num("0.000000000000000000000000001") else { panic!() };
        assert!(tiny > 0.0 && tiny < 1e-26);
    }

    #[test]
    fn literal_strings() {
        let s = |src: &[u8]| {
            let mut out = Vec::new();
            let end = literal_string(src, 1, &mut out).unwrap();
            (out, end)
        };
        assert_eq!(s(b"(a(b)c)d"), (b"a(b)c".to_vec(), 7));
        assert_eq!(s(b"(\\n\\r\\t\\b\\f\\(\\)\\\\\\q)").0, b"\n\r\t\x08\x0c()\\q".to_vec());
        assert_eq!(s(b"(\\101\\0532\\7)").0, b"A+2\x07".to_vec());
        assert_eq!(s(b"(a\\\r\nb\\\nc)").0, b"abc".to_vec());
        assert_eq!(s(b"(a\r\nb\rc)").0, b"a\nb\nc".to_vec());
        assert_eq!(s(b"(unterminated (nest").0, b"unterminated (nest".to_vec());
        assert_eq!(s(b"(\\").0, b"".to_vec());
    }

    #[test]
    fn hex_strings_and_names() {
        let mut out = Vec::new();
        assert_eq!(hex_string(b"<48 65 6c6C6f7>x", 1, &mut out).unwrap(), 15);
        assert_eq!(out, b"Hellop");
        let mut n = Vec::new();
        assert_eq!(name(b"/A#20B#2x#/C", 1, &mut n).unwrap(), 10);
        assert_eq!(n, b"A B#2x#");
    }

    #[test]
    fn searching() {
        assert_eq!(find(b"xxobjxobj", b"obj", 0), Some(2));
        assert_eq!(find(b"xxobjxobj", b"obj", 3), Some(6));
        assert_eq!(rfind(b"xxobjxobj", b"obj", 9), Some(6));
        assert_eq!(rfind(b"xxobjxobj", b"obj", 6), Some(2));
        assert_eq!(skip_white(b"  % c\r\n x", 0), 8);
    }
}
