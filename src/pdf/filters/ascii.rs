//! ASCIIHexDecode and ASCII85Decode.

use super::{push, too_much};
use crate::error::Result;
use crate::pdf::lexer::{hex_value, is_white};
use alloc::vec::Vec;

/// Hex pairs up to '>'; whitespace and stray bytes skipped, an odd last digit padded with 0.
pub fn hex(input: &[u8], max: usize) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut high = None;
    for &c in input {
        if c == b'>' {
            break;
        }
        let Some(v) = hex_value(c) else { continue };
        match high.take() {
            Some(h) => push(&mut out, h << 4 | v, max)?,
            None => high = Some(v),
        }
    }
    if let Some(h) = high {
        push(&mut out, h << 4, max)?;
    }
    Ok(out)
}

/// Base-85 groups up to "~>"; 'z' is four zero bytes, a final partial group is padded with
/// 'u'. A byte outside the alphabet ends the data (and marks it damaged).
pub fn base85(input: &[u8], max: usize, damaged: &mut bool) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let body = input.strip_prefix(b"<~").unwrap_or(input);
    let (mut group, mut n) = (0u64, 0usize);
    for &c in body {
        match c {
            b'~' => break,
            b'z' if n == 0 => {
                if out.len() + 4 > max {
                    return Err(too_much());
                }
                for _ in 0..4 {
                    push(&mut out, 0, max)?;
                }
            }
            b'!'..=b'u' => {
                group = group * 85 + u64::from(c - b'!');
                n += 1;
                if n == 5 {
                    for b in (group as u32).to_be_bytes() {
                        push(&mut out, b, max)?;
                    }
                    group = 0;
                    n = 0;
                }
            }
            _ if is_white(c) => {}
            _ => {
                *damaged = true;
                break;
            }
        }
    }
    if n > 1 {
        for _ in n..5 {
            group = group * 85 + 84;
        }
        for &b in (group as u32).to_be_bytes().get(..n - 1).unwrap_or(&[]) {
            push(&mut out, b, max)?;
        }
    }
    Ok(out)
}
