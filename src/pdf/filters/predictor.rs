//! Predictors after Flate and LZW (PDF 32000-1, 7.4.4.4): PNG row filters (predictor >= 10,
//! each row tagged with its own type) and TIFF predictor 2 (horizontal differencing).

use crate::error::Result;
use alloc::vec::Vec;

use super::Params;

pub fn apply(data: Vec<u8>, p: &Params, damaged: &mut bool) -> Result<Vec<u8>> {
    if p.predictor <= 1 {
        return Ok(data);
    }
    let (Ok(colors), Ok(bits), Ok(columns)) =
        (usize::try_from(p.colors), usize::try_from(p.bits), usize::try_from(p.columns))
    else {
        *damaged = true;
        return Ok(data);
    };
    let bits_per_pixel = colors.saturating_mul(bits);
    let row = bits_per_pixel.saturating_mul(columns).saturating_add(7) / 8;
    if !(1..=32).contains(&colors) || !matches!(bits, 1 | 2 | 4 | 8 | 16) || row == 0 || row > 1 << 24 {
        *damaged = true;
        return Ok(data);
    }
    let bpp = bits_per_pixel.div_ceil(8);
    if p.predictor >= 10 {
        png(&data, row, bpp)
    } else if p.predictor == 2 {
        tiff(data, row, bpp, bits)
    } else {
        *damaged = true;
        Ok(data)
    }
}

/// Undoes PNG filtering row by row; a short last row is decoded as far as it goes.
fn png(data: &[u8], row: usize, bpp: usize) -> Result<Vec<u8>> {
    let mut out: Vec<u8> = Vec::new();
    let rows = data.len().div_ceil(row + 1);
    crate::error::reserve(&mut out, rows.saturating_mul(row))?;
    let mut prev_start: Option<usize> = None;
    for chunk in data.chunks(row + 1) {
        let Some((&kind, line)) = chunk.split_first() else { break };
        let start = out.len();
        for (i, &x) in line.iter().enumerate() {
            let left = if i >= bpp { out.get(start + i - bpp).copied().unwrap_or(0) } else { 0 };
            let up = prev_start.and_then(|p| out.get(p + i)).copied().unwrap_or(0);
            let up_left =
                if i >= bpp { prev_start.and_then(|p| out.get(p + i - bpp)).copied().unwrap_or(0) } else { 0 };
            let v = match kind {
                1 => x.wrapping_add(left),
                2 => x.wrapping_add(up),
                3 => x.wrapping_add(((u16::from(left) + u16::from(up)) / 2) as u8),
                4 => x.wrapping_add(paeth(left, up, up_left)),
                _ => x,
            };
            out.push(v);
        }
        prev_start = Some(start);
    }
    Ok(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = ((p - i16::from(a)).abs(), (p - i16::from(b)).abs(), (p - i16::from(c)).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// Horizontal differencing for 8- and 16-bit components; other depths are left as they are
/// (text extraction never needs them).
fn tiff(mut data: Vec<u8>, row: usize, bpp: usize, bits: usize) -> Result<Vec<u8>> {
    for line in data.chunks_mut(row) {
        match bits {
            8 => {
                for i in bpp..line.len() {
                    line[i] = line[i].wrapping_add(line[i - bpp]);
                }
            }
            16 => {
                let mut i = bpp;
                while i + 1 < line.len() {
                    let v = u16::from_be_bytes([line[i], line[i + 1]])
                        .wrapping_add(u16::from_be_bytes([line[i - bpp], line[i + 1 - bpp]]));
                    [line[i], line[i + 1]] = v.to_be_bytes();
                    i += 2;
                }
            }
            _ => break,
        }
    }
    Ok(data)
}
