//! Locating the central directory: the end-of-central-directory record (searched backwards
//! through a comment of up to 64 KiB), its ZIP64 twin when the 32-bit fields overflowed, and
//! the directory's byte range in the data.

use crate::error::{corrupt, Result};

pub const LOCAL_SIG: u32 = 0x0403_4b50;
pub const CENTRAL_SIG: u32 = 0x0201_4b50;
const END_SIG: u32 = 0x0605_4b50;
const END64_SIG: u32 = 0x0606_4b50;
const LOCATOR64_SIG: u32 = 0x0706_4b50;
/// Fixed part of the end-of-central-directory record.
const END_LEN: usize = 22;
const LOCATOR64_LEN: usize = 20;

pub fn le16(d: &[u8], at: usize) -> Option<u16> {
    let b = d.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([b[0], b[1]]))
}

pub fn le32(d: &[u8], at: usize) -> Option<u32> {
    let b = d.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn le64(d: &[u8], at: usize) -> Option<u64> {
    Some(le32(d, at)? as u64 | (le32(d, at.checked_add(4)?)? as u64) << 32)
}

pub fn sig(d: &[u8], at: usize) -> Option<u32> {
    le32(d, at)
}

/// The central directory's byte range: records from `start` up to `end`.
pub struct Directory {
    pub start: usize,
    pub end: usize,
    /// Bytes of foreign data before the archive, to add to every offset it records.
    pub shift: usize,
}

impl Directory {
    pub fn find(data: &[u8]) -> Result<Directory> {
        let last = data.len().checked_sub(END_LEN).ok_or_else(|| corrupt("zip: no end of central directory"))?;
        // A comment may itself contain the signature: the last record that describes a
        // directory inside the data wins.
        let first = last.saturating_sub(u16::MAX as usize);
        (first..=last)
            .rev()
            .filter(|&at| sig(data, at) == Some(END_SIG))
            .find_map(|at| Directory::from_end(data, at))
            .ok_or_else(|| corrupt("zip: no end of central directory"))
    }

    fn from_end(data: &[u8], at: usize) -> Option<Directory> {
        let (mut size, mut offset) = (le32(data, at + 12)? as u64, le32(data, at + 16)? as u64);
        // Where the directory should end: right before the ZIP64 record or this one.
        let mut end = at;
        if let Some(loc) = at.checked_sub(LOCATOR64_LEN).filter(|&l| sig(data, l) == Some(LOCATOR64_SIG)) {
            let rec = usize::try_from(le64(data, loc + 8)?).ok()?;
            if sig(data, rec) == Some(END64_SIG) {
                size = le64(data, rec + 40)?;
                offset = le64(data, rec + 48)?;
                end = rec;
            }
        }
        let (size, offset) = (usize::try_from(size).ok()?, usize::try_from(offset).ok()?);
        let shift = match offset.checked_add(size)? {
            // Data before the archive (a self-extractor stub) shifts every offset by the
            // same amount; find it from where the directory must end.
            e if e < end && size > 0 && sig(data, offset) != Some(CENTRAL_SIG) => end - e,
            e if e <= end => 0,
            _ => return None,
        };
        let start = offset + shift;
        if size > 0 && sig(data, start) != Some(CENTRAL_SIG) {
            return None;
        }
        Some(Directory { start, end: start + size, shift })
    }
}
