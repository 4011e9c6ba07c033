//! FlateDecode through miniz_oxide's inflate core, with the output grown fallibly and capped.

use super::too_much;
use crate::error::{oom, Result};
use alloc::boxed::Box;
use alloc::vec::Vec;
use miniz_oxide::inflate::core::inflate_flags::{
    TINFL_FLAG_HAS_MORE_INPUT, TINFL_FLAG_IGNORE_ADLER32, TINFL_FLAG_PARSE_ZLIB_HEADER,
    TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF,
};
use miniz_oxide::inflate::core::{decompress, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;

/// Inflates zlib data, or raw deflate when the zlib header is missing (some writers omit
/// it). A checksum mismatch or a broken tail keeps what inflated.
pub fn inflate(input: &[u8], max: usize, damaged: &mut bool) -> Result<Vec<u8>> {
    let zlib = match input {
        [cmf, flg, ..] => cmf & 0x0f == 8 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0,
        _ => false,
    };
    // "More input may follow" makes a truncated stream report what it inflated (without
    // it, miniz discards the output of a stream that ends early).
    let flags = TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF
        | TINFL_FLAG_HAS_MORE_INPUT
        | if zlib { TINFL_FLAG_PARSE_ZLIB_HEADER | TINFL_FLAG_IGNORE_ADLER32 } else { 0 };
    let mut state = Box::<DecompressorOxide>::default();
    // One byte past the cap tells "exactly max" from "more than max".
    let cap = max.saturating_add(1);
    let mut out = Vec::new();
    grow(&mut out, input.len().saturating_mul(4).max(1024).min(cap))?;
    let (mut read, mut written) = (0, 0);
    loop {
        let rest = input.get(read..).unwrap_or(&[]);
        let (status, used, wrote) = decompress(&mut state, rest, &mut out, written, flags);
        read += used;
        written += wrote;
        match status {
            TINFLStatus::Done => break,
            TINFLStatus::HasMoreOutput if out.len() < cap => {
                let len = out.len();
                grow(&mut out, len.saturating_mul(2).min(cap))?;
            }
            TINFLStatus::HasMoreOutput => return Err(too_much()),
            // Truncated input is common and not worth a warning; corrupt data is.
            TINFLStatus::NeedsMoreInput | TINFLStatus::FailedCannotMakeProgress => break,
            _ => {
                *damaged = true;
                break;
            }
        }
    }
    if written > max {
        return Err(too_much());
    }
    out.truncate(written);
    Ok(out)
}

fn grow(out: &mut Vec<u8>, len: usize) -> Result<()> {
    out.try_reserve_exact(len.saturating_sub(out.len())).map_err(|_| oom())?;
    out.resize(len, 0);
    Ok(())
}
