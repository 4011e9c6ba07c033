//! A minimal JSON writer (escaping and integers) without `core::fmt`.

use crate::error::{reserve, Result};
use alloc::vec::Vec;

/// Appends the decimal digits of `n`. Numbers are `usize`: on wasm32 that is the native
/// word, and nothing pith counts can exceed the 4 GiB address space.
pub fn push_uint(out: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// Appends `s` as the inside of a JSON string (no quotes), escaping what JSON requires.
/// U+2028/U+2029 are escaped too so the output is also valid JavaScript.
/// Takes bytes so text records can be escaped without validating them again: escaping only
/// touches ASCII and the U+2028/9 sequences, so valid UTF-8 in gives valid UTF-8 out.
pub fn push_escaped(out: &mut Vec<u8>, bytes: &[u8]) -> Result<()> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    reserve(out, bytes.len() + 2)?;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        // U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
        let line_sep = b == 0xe2 && bytes.get(i) == Some(&0x80) && matches!(bytes.get(i + 1), Some(0xa8 | 0xa9));
        let short = match b {
            b'"' | b'\\' => b,
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            0..=0x1f => b'u',
            _ if line_sep => b'u',
            _ => {
                out.push(b);
                continue;
            }
        };
        reserve(out, 6)?;
        out.push(b'\\');
        out.push(short);
        if short == b'u' {
            let code: u32 =
                if line_sep { 0x2028 + (bytes.get(i + 1).copied().unwrap_or(0xa8) as u32 - 0xa8) } else { b as u32 };
            i += 2 * line_sep as usize;
            for shift in [12, 8, 4, 0] {
                out.push(HEX[(code >> shift & 15) as usize]);
            }
        }
    }
    Ok(())
}

/// Appends `"s"`.
pub fn push_string(out: &mut Vec<u8>, s: &str) -> Result<()> {
    out.push(b'"');
    push_escaped(out, s.as_bytes())?;
    out.push(b'"');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(s: &str) -> String {
        let mut v = Vec::new();
        push_string(&mut v, s).unwrap();
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn escapes() {
        assert_eq!(esc("a\"b\\c\nd\te\u{1}"), "\"a\\\"b\\\\c\\nd\\te\\u0001\"");
        assert_eq!(esc("x\u{2028}y\u{2029}é€"), "\"x\\u2028y\\u2029é€\"");
    }

    #[test]
    fn numbers() {
        let mut v = Vec::new();
        push_uint(&mut v, 0);
        v.push(b' ');
        push_uint(&mut v, 1234567890);
        v.push(b' ');
        push_uint(&mut v, usize::MAX);
        assert_eq!(v, format!("0 1234567890 {}", usize::MAX).as_bytes());
    }
}
