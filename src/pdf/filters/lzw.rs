//! LZWDecode: 9- to 12-bit codes, MSB first, with clear (256) and end (257) codes.
//! `early_change` widens the code one entry early, as most writers do (the default).

use super::{push, too_much};
use crate::error::{oom, Result};
use alloc::vec::Vec;

#[derive(Clone, Copy)]
struct Entry {
    prefix: u16,
    byte: u8,
    first: u8,
    len: u16,
}

pub fn decode(input: &[u8], early_change: bool, max: usize, damaged: &mut bool) -> Result<Vec<u8>> {
    let mut table: Vec<Entry> = Vec::new();
    table.try_reserve_exact(4096).map_err(|_| oom())?;
    for b in 0..=255u8 {
        table.push(Entry { prefix: 0, byte: b, first: b, len: 1 });
    }
    // Codes 256 and 257 have no string.
    table.push(Entry { prefix: 0, byte: 0, first: 0, len: 0 });
    table.push(Entry { prefix: 0, byte: 0, first: 0, len: 0 });
    let early = usize::from(early_change);
    let mut out = Vec::new();
    let (mut bits, mut nbits, mut width) = (0u32, 0u32, 9u32);
    let mut prev: Option<u16> = None;
    let mut bytes = input.iter();
    loop {
        while nbits < width {
            let Some(&b) = bytes.next() else { return Ok(out) };
            bits = bits << 8 | u32::from(b);
            nbits += 8;
        }
        let code = ((bits >> (nbits - width)) & ((1 << width) - 1)) as u16;
        nbits -= width;
        if code == 256 {
            table.truncate(258);
            width = 9;
            prev = None;
            continue;
        }
        if code == 257 {
            return Ok(out);
        }
        let next = table.len();
        let known = usize::from(code) < next;
        if let Some(p) = prev {
            // The first byte of the new entry: of this code's string, or (for the code being
            // defined right now) of the previous one.
            let source = if known { code } else { p };
            let first = table.get(usize::from(source)).map_or(0, |e| e.first);
            let plen = table.get(usize::from(p)).map_or(0, |e| e.len);
            if usize::from(code) > next {
                *damaged = true;
                return Ok(out);
            }
            if next < 4096 {
                let pfirst = table.get(usize::from(p)).map_or(0, |e| e.first);
                table.push(Entry { prefix: p, byte: first, first: pfirst, len: plen + 1 });
            }
        } else if !known {
            *damaged = true;
            return Ok(out);
        }
        emit(&table, code, &mut out, max)?;
        prev = Some(code);
        if table.len() + early >= 1 << width && width < 12 {
            width += 1;
        }
    }
}

/// Appends the string of `code` by walking its prefixes backwards into place.
fn emit(table: &[Entry], code: u16, out: &mut Vec<u8>, max: usize) -> Result<()> {
    let Some(e) = table.get(usize::from(code)) else { return Ok(()) };
    let len = usize::from(e.len);
    if len == 1 {
        return push(out, e.byte, max);
    }
    let start = out.len();
    if start + len > max {
        return Err(too_much());
    }
    crate::error::reserve(out, len)?;
    out.resize(start + len, 0);
    let mut c = usize::from(code);
    for slot in out.get_mut(start..).unwrap_or(&mut []).iter_mut().rev() {
        let Some(e) = table.get(c) else { break };
        *slot = e.byte;
        c = usize::from(e.prefix);
    }
    Ok(())
}
