//! RunLengthDecode: a length byte, then 1-128 literal bytes (0-127) or one byte repeated
//! 2-128 times (129-255); 128 ends the data.

use super::too_much;
use crate::error::{reserve, Result};
use alloc::vec::Vec;

pub fn decode(input: &[u8], max: usize) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&n) = input.get(i) {
        let (len, piece): (usize, &[u8]) = match n {
            128 => break,
            0..=127 => {
                let end = (i + 2 + usize::from(n)).min(input.len());
                let lit = input.get(i + 1..end).unwrap_or(&[]);
                i = end;
                (lit.len(), lit)
            }
            _ => {
                let Some(b) = input.get(i + 1..i + 2) else { break };
                i += 2;
                (257 - usize::from(n), b)
            }
        };
        if out.len() + len > max {
            return Err(too_much());
        }
        reserve(&mut out, len)?;
        if piece.len() == len {
            out.extend_from_slice(piece);
        } else {
            out.resize(out.len() + len, piece.first().copied().unwrap_or(0));
        }
    }
    Ok(out)
}
