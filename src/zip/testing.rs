//! A small ZIP writer for tests: real archives and hostile ones (lying sizes, bad CRCs,
//! entries sharing data), for this module's tests and the formats built on it.

use super::crc32;
use alloc::vec::Vec;

#[derive(Default)]
pub struct Builder {
    local: Vec<u8>,
    central: Vec<u8>,
    count: usize,
    zip64: bool,
}

/// One entry as written; tests change fields to make it lie.
pub struct Raw<'a> {
    pub name: &'a [u8],
    pub method: u16,
    pub flags: u16,
    pub crc: u32,
    pub size: u64,
    pub payload: &'a [u8],
}

impl Builder {
    pub fn new() -> Builder {
        Builder::default()
    }

    /// A builder that writes ZIP64 sizes, offsets and end records.
    pub fn zip64() -> Builder {
        Builder { zip64: true, ..Builder::default() }
    }

    /// Adds `data` deflated (or stored), returns the local header's offset.
    pub fn add(&mut self, name: &str, data: &[u8], deflate: bool) -> usize {
        let payload = if deflate { miniz_oxide::deflate::compress_to_vec(data, 6) } else { data.to_vec() };
        let raw = Raw {
            name: name.as_bytes(),
            method: if deflate { 8 } else { 0 },
            flags: 0x800,
            crc: crc32(data),
            size: data.len() as u64,
            payload: &payload,
        };
        self.add_raw(&raw)
    }

    pub fn add_raw(&mut self, e: &Raw) -> usize {
        let offset = self.local.len();
        let l = &mut self.local;
        l.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        l.extend_from_slice(&[20, 0]);
        l.extend_from_slice(&e.flags.to_le_bytes());
        l.extend_from_slice(&e.method.to_le_bytes());
        l.extend_from_slice(&[0; 4]);
        l.extend_from_slice(&e.crc.to_le_bytes());
        l.extend_from_slice(&(e.payload.len() as u32).to_le_bytes());
        l.extend_from_slice(&(e.size as u32).to_le_bytes());
        l.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
        l.extend_from_slice(&[0, 0]);
        l.extend_from_slice(e.name);
        l.extend_from_slice(e.payload);
        self.central_record(e, offset as u64);
        offset
    }

    /// A central record for an entry whose local header is at `offset` (entries may share).
    pub fn central_record(&mut self, e: &Raw, offset: u64) {
        let c = &mut self.central;
        let mut extra = Vec::new();
        let (size, csize, off) = if self.zip64 {
            extra.extend_from_slice(&[1, 0, 24, 0]);
            extra.extend_from_slice(&e.size.to_le_bytes());
            extra.extend_from_slice(&(e.payload.len() as u64).to_le_bytes());
            extra.extend_from_slice(&offset.to_le_bytes());
            (u32::MAX, u32::MAX, u32::MAX)
        } else {
            (e.size as u32, e.payload.len() as u32, offset as u32)
        };
        c.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        c.extend_from_slice(&[20, 0, 20, 0]);
        c.extend_from_slice(&e.flags.to_le_bytes());
        c.extend_from_slice(&e.method.to_le_bytes());
        c.extend_from_slice(&[0; 4]);
        c.extend_from_slice(&e.crc.to_le_bytes());
        c.extend_from_slice(&csize.to_le_bytes());
        c.extend_from_slice(&size.to_le_bytes());
        c.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
        c.extend_from_slice(&(extra.len() as u16).to_le_bytes());
        // Comment length, disk, internal and external attributes.
        c.extend_from_slice(&[0; 10]);
        c.extend_from_slice(&off.to_le_bytes());
        c.extend_from_slice(e.name);
        c.extend_from_slice(&extra);
        self.count += 1;
    }

    pub fn finish(self, comment: &[u8]) -> Vec<u8> {
        let mut out = self.local;
        let cd_offset = out.len() as u64;
        let cd_size = self.central.len() as u64;
        out.extend_from_slice(&self.central);
        let count16 = self.count.min(0xffff) as u16;
        if self.zip64 {
            let rec = out.len() as u64;
            out.extend_from_slice(&0x0606_4b50u32.to_le_bytes());
            out.extend_from_slice(&44u64.to_le_bytes());
            out.extend_from_slice(&[45, 0, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            out.extend_from_slice(&(self.count as u64).to_le_bytes());
            out.extend_from_slice(&(self.count as u64).to_le_bytes());
            out.extend_from_slice(&cd_size.to_le_bytes());
            out.extend_from_slice(&cd_offset.to_le_bytes());
            out.extend_from_slice(&0x0706_4b50u32.to_le_bytes());
            out.extend_from_slice(&[0; 4]);
            out.extend_from_slice(&rec.to_le_bytes());
            out.extend_from_slice(&1u32.to_le_bytes());
        }
        out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&count16.to_le_bytes());
        out.extend_from_slice(&count16.to_le_bytes());
        let (size32, off32) = if self.zip64 { (u32::MAX, u32::MAX) } else { (cd_size as u32, cd_offset as u32) };
        out.extend_from_slice(&size32.to_le_bytes());
        out.extend_from_slice(&off32.to_le_bytes());
        out.extend_from_slice(&(comment.len() as u16).to_le_bytes());
        out.extend_from_slice(comment);
        out
    }
}

/// An archive of `entries` (name, contents), all deflated.
pub fn archive(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = Builder::new();
    for (name, data) in entries {
        b.add(name, data, true);
    }
    b.finish(b"")
}
