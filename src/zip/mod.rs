//! The ZIP container that Office documents (OOXML, ODF) come in: the central directory is
//! read once into [`Entry`]s, and entries are inflated on demand.
//!
//! Every size that matters is checked before memory is committed to it: the entry count
//! against `max_objects`, each entry's declared size against a compression-ratio cap and the
//! archive's running total against `max_decompressed`, and inflation writes into a buffer of
//! exactly the declared size, so an entry that lies about its size is CORRUPT, never a
//! bigger allocation. The central directory is authoritative (local headers may carry zeros
//! when a data descriptor follows the data); a CRC that does not match is CORRUPT.

mod crc;
mod directory;
#[cfg(test)]
pub mod testing;
#[cfg(test)]
mod tests;

use crate::config::Config;
use crate::error::{corrupt, limit, oom, Code, Error, Result};
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::Cell;
use directory::{le16, le32, Directory, CENTRAL_SIG, LOCAL_SIG};

pub use crc::crc32;

/// Entries may inflate this much before the ratio cap applies: small parts of real
/// documents (a run of spaces, an empty sheet) compress far better than 1:1000.
const RATIO_FREE: u64 = 1 << 20;
/// Deflate's best is about 1:1032; real documents stay far below this.
const MAX_RATIO: u64 = 1000;
/// General-purpose flag bit 0: the entry is encrypted.
const FLAG_ENCRYPTED: u16 = 1;

pub struct Entry {
    pub name: String,
    /// Uncompressed size, as the central directory declares it.
    pub size: u64,
    pub compressed_size: u64,
    /// Offset of the local header.
    offset: u64,
    method: u16,
    flags: u16,
    crc: u32,
}

pub struct Archive<'a> {
    data: &'a [u8],
    entries: Vec<Entry>,
    /// Bytes handed out by `read` so far, against `budget`.
    used: Cell<u64>,
    budget: u64,
}

impl<'a> Archive<'a> {
    /// Reads the central directory. More entries than `cfg.max_objects` is LIMIT; no
    /// directory, or one that points outside the data, is CORRUPT.
    pub fn open(data: &'a [u8], cfg: &Config) -> Result<Archive<'a>> {
        let dir = Directory::find(data)?;
        let mut entries: Vec<Entry> = Vec::new();
        let mut p = dir.start;
        while p < dir.end {
            if entries.len() >= cfg.max_objects as usize {
                return Err(limit("zip: more entries than max_objects"));
            }
            let (mut entry, next) = central_entry(data, p)?;
            entry.offset = entry.offset.saturating_add(dir.shift as u64);
            entries.try_reserve(1).map_err(|_| oom())?;
            entries.push(entry);
            p = next;
        }
        Ok(Archive { data, entries, used: Cell::new(0), budget: cfg.max_decompressed as u64 })
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry named `name` (a leading '/' ignored): the exact name first, then one that
    /// differs only in ASCII case or in '\' for '/' (archives zipped by hand on Windows).
    pub fn find(&self, name: &str) -> Option<&Entry> {
        let name = name.strip_prefix('/').unwrap_or(name);
        let trimmed = |e: &Entry| e.name.strip_prefix('/').unwrap_or(&e.name).len() == name.len();
        self.entries.iter().find(|e| e.name.strip_prefix('/').unwrap_or(&e.name) == name).or_else(|| {
            self.entries.iter().filter(|e| trimmed(e)).find(|e| {
                let n = e.name.strip_prefix('/').unwrap_or(&e.name);
                n.bytes().zip(name.bytes()).all(|(a, b)| fold(a) == fold(b))
            })
        })
    }

    /// The entry's bytes: stored or deflated, exactly its declared size, CRC checked.
    pub fn read(&self, entry: &Entry) -> Result<Vec<u8>> {
        if entry.flags & FLAG_ENCRYPTED != 0 {
            return Err(Error::new(Code::PasswordRequired, "zip: entry is encrypted"));
        }
        let size = entry.size;
        if size > RATIO_FREE && size / entry.compressed_size.max(1) > MAX_RATIO {
            return Err(limit("zip: entry compression ratio beyond 1:1000"));
        }
        let total = self.used.get().saturating_add(size);
        if total > self.budget {
            return Err(limit("zip: decompressed size beyond max_decompressed"));
        }
        self.used.set(total);
        let raw = self.raw(entry)?;
        let len = usize::try_from(size).map_err(|_| limit("zip: entry too large"))?;
        let mut out: Vec<u8> = Vec::new();
        out.try_reserve_exact(len).map_err(|_| oom())?;
        match entry.method {
            0 if raw.len() == len => out.extend_from_slice(raw),
            0 => return Err(corrupt("zip: stored entry size mismatch")),
            8 => {
                out.resize(len, 0);
                inflate(raw, &mut out)?;
            }
            _ => return Err(Error::new(Code::Unsupported, "zip: compression method not supported")),
        }
        if crc32(&out) != entry.crc {
            return Err(corrupt("zip: CRC-32 mismatch"));
        }
        Ok(out)
    }

    /// `read` of the entry `find` gives for `name`, None when there is none.
    pub fn read_name(&self, name: &str) -> Result<Option<Vec<u8>>> {
        match self.find(name) {
            Some(e) => self.read(e).map(Some),
            None => Ok(None),
        }
    }

    /// The entry's data as stored, located through its local header.
    fn raw(&self, entry: &Entry) -> Result<&'a [u8]> {
        let bad = || corrupt("zip: entry data outside the archive");
        let at = usize::try_from(entry.offset).map_err(|_| bad())?;
        if directory::sig(self.data, at) != Some(LOCAL_SIG) {
            return Err(corrupt("zip: no local header at the entry's offset").at(at));
        }
        let name = le16(self.data, at + 26).ok_or_else(bad)? as usize;
        let extra = le16(self.data, at + 28).ok_or_else(bad)? as usize;
        let start = at.checked_add(30 + name + extra).ok_or_else(bad)?;
        let len = usize::try_from(entry.compressed_size).map_err(|_| bad())?;
        self.data.get(start..start.checked_add(len).ok_or_else(bad)?).ok_or_else(bad)
    }
}

fn fold(b: u8) -> u8 {
    match b {
        b'\\' => b'/',
        _ => b.to_ascii_lowercase(),
    }
}

/// One central directory record at `p`: the entry and where the next record starts.
fn central_entry(data: &[u8], p: usize) -> Result<(Entry, usize)> {
    let bad = || corrupt("zip: central directory record cut off").at(p);
    if directory::sig(data, p) != Some(CENTRAL_SIG) {
        return Err(corrupt("zip: bad central directory record").at(p));
    }
    let field16 = |o: usize| le16(data, p + o).ok_or_else(bad);
    let field32 = |o: usize| le32(data, p + o).ok_or_else(bad);
    let (flags, method, crc) = (field16(8)?, field16(10)?, field32(16)?);
    let (mut compressed_size, mut size) = (field32(20)? as u64, field32(24)? as u64);
    let (name_len, extra_len, comment_len) = (field16(28)? as usize, field16(30)? as usize, field16(32)? as usize);
    let mut offset = field32(42)? as u64;
    // `p` is inside the data, so these sums stay far from overflowing.
    let name_at = p.saturating_add(46);
    let extra_at = name_at.saturating_add(name_len);
    let next = extra_at.saturating_add(extra_len + comment_len);
    let raw_name = data.get(name_at..extra_at).ok_or_else(bad)?;
    let extra = data.get(extra_at..extra_at.saturating_add(extra_len)).ok_or_else(bad)?;
    if data.len() < next {
        return Err(bad());
    }
    // (`iter().any`: `contains` would bring memchr into the module.)
    #[allow(clippy::manual_contains)]
    if raw_name.iter().any(|&b| b == 0) {
        return Err(corrupt("zip: entry name contains NUL").at(p));
    }
    // ZIP64: the 32-bit fields that overflowed are all ones and come, in this order, from
    // the extra field 0x0001.
    if let Some(mut z) = zip64_extra(extra) {
        for field in [&mut size, &mut compressed_size, &mut offset] {
            if *field == 0xffff_ffff {
                let v = z.get(..8).ok_or_else(|| corrupt("zip: ZIP64 extra field cut off").at(p))?;
                *field = u64::from_le_bytes([v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]]);
                z = z.get(8..).unwrap_or(&[]);
            }
        }
    }
    let name = String::from_utf8_lossy(raw_name).into_owned();
    Ok((Entry { name, size, compressed_size, offset, method, flags, crc }, next))
}

/// The data of the ZIP64 extended information extra field, if present.
fn zip64_extra(mut extra: &[u8]) -> Option<&[u8]> {
    while let (Some(id), Some(len)) = (le16(extra, 0), le16(extra, 2)) {
        let body = extra.get(4..4 + len as usize)?;
        if id == 1 {
            return Some(body);
        }
        extra = extra.get(4 + len as usize..)?;
    }
    None
}

/// Inflates `raw` into `out`, which must come out exactly full.
pub(crate) fn inflate(raw: &[u8], out: &mut [u8]) -> Result<()> {
    use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
    use miniz_oxide::inflate::TINFLStatus;
    let mut state = alloc::boxed::Box::new(DecompressorOxide::new());
    let (status, _, written) =
        decompress(&mut state, raw, out, 0, inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF);
    match status {
        TINFLStatus::Done if written == out.len() => Ok(()),
        TINFLStatus::Done => Err(corrupt("zip: entry shorter than its declared size")),
        TINFLStatus::HasMoreOutput => Err(corrupt("zip: entry longer than its declared size")),
        _ => Err(corrupt("zip: invalid deflate data")),
    }
}

/// Whether `data` is a ZIP archive with an entry named exactly `name`, without allocating:
/// the central directory when there is one, else the local headers from the start (a
/// truncated archive is still recognised, and then fails to open with a clean error).
pub fn has_entry(data: &[u8], name: &str) -> bool {
    if directory::sig(data, 0) != Some(LOCAL_SIG) {
        return false;
    }
    let name = name.as_bytes();
    if let Ok(dir) = Directory::find(data) {
        let mut p = dir.start;
        while p < dir.end && directory::sig(data, p) == Some(CENTRAL_SIG) {
            let (Some(n), Some(x), Some(c)) = (le16(data, p + 28), le16(data, p + 30), le16(data, p + 32)) else {
                return false;
            };
            if data.get(p + 46..(p + 46).saturating_add(n as usize)) == Some(name) {
                return true;
            }
            p = p.saturating_add(46 + n as usize + x as usize + c as usize);
        }
        return false;
    }
    let mut p = 0;
    while directory::sig(data, p) == Some(LOCAL_SIG) {
        let (Some(flags), Some(csize), Some(n), Some(x)) =
            (le16(data, p + 6), le32(data, p + 18), le16(data, p + 26), le16(data, p + 28))
        else {
            return false;
        };
        if data.get(p + 30..(p + 30).saturating_add(n as usize)) == Some(name) {
            return true;
        }
        // Sizes that follow the data (bit 3) leave no way to the next header.
        if flags & 8 != 0 {
            return false;
        }
        p = p.saturating_add(30 + n as usize + x as usize).saturating_add(csize as usize);
    }
    false
}
