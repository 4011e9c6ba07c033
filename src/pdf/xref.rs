//! The cross-reference: where each object lives. Read from the `startxref` chain (classic
//! tables, cross-reference streams, hybrid files and incremental updates, newest first), or
//! rebuilt by scanning the file for `N G obj` and trailers when that chain is missing or
//! broken, as viewers do.

use crate::config::Config;
use crate::error::{limit, oom, Result};
use crate::pdf::filters::{self, Filter, Params};
use crate::pdf::lexer::{self, find, is_regular, is_white, rfind, skip_white};
use crate::pdf::object::{Dict, Object, Ref};
use crate::pdf::parser::{Parser, Token};
use alloc::vec::Vec;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Entry {
    /// Free or never defined.
    None,
    /// At this byte offset in the input (already shifted to the real header).
    Offset { pos: usize, gen: u16 },
    /// Object `index` of object stream `stream`.
    InStream { stream: u32, index: u32 },
}

#[derive(Debug, Default)]
pub struct Xref {
    pub entries: Vec<Entry>,
    pub trailer: Dict,
    /// Object streams seen by a scan, whose contents are registered on demand.
    pub object_streams: Vec<u32>,
}

impl Xref {
    pub fn entry(&self, num: u32) -> Entry {
        self.entries.get(num as usize).copied().unwrap_or(Entry::None)
    }

    /// Records `entry` for `num` unless a newer section already did.
    fn set_if_new(&mut self, num: u64, entry: Entry, cfg: &Config) -> Result<()> {
        if num >= u64::from(cfg.max_objects) {
            return Err(limit("pdf: more objects than max_objects"));
        }
        let i = num as usize;
        if i >= self.entries.len() {
            self.entries.try_reserve(i + 1 - self.entries.len()).map_err(|_| oom())?;
            self.entries.resize(i + 1, Entry::None);
        }
        if let Some(slot) = self.entries.get_mut(i) {
            if *slot == Entry::None {
                *slot = entry;
            }
        }
        Ok(())
    }

    /// Fills the trailer keys an older section has and the newer ones lack.
    fn merge_trailer(&mut self, older: Dict) -> Result<()> {
        if self.trailer.is_empty() {
            self.trailer = older;
            return Ok(());
        }
        for key in [&b"Root"[..], b"Info", b"Encrypt", b"ID", b"Size"] {
            if self.trailer.get(key).is_none() {
                if let Some(v) = older.get(key) {
                    self.trailer.set(key, v.clone())?;
                }
            }
        }
        Ok(())
    }
}

/// Where the real `%PDF-` header starts: writers' offsets may count from there when junk
/// (an HTTP header, HTML) precedes it.
pub fn header_offset(data: &[u8]) -> usize {
    find(data.get(..1024).unwrap_or(data), b"%PDF-", 0).unwrap_or(0)
}

/// The `startxref` chain. `Ok(None)` when it cannot be followed (the caller scans).
pub fn read(data: &[u8], cfg: &Config, used: &mut u64) -> Result<Option<Xref>> {
    let base = header_offset(data);
    let Some(at) = rfind(data, b"startxref", data.len()) else { return Ok(None) };
    let Some((start, _)) = lexer::uint(data, skip_white(data, at + 9)) else { return Ok(None) };
    let start = usize::try_from(start).unwrap_or(usize::MAX);
    // Offsets count from byte 0, or from the header when junk precedes it.
    let shift = if looks_like_section(data, start) {
        0
    } else if base > 0 && looks_like_section(data, start.saturating_add(base)) {
        base
    } else {
        return Ok(None);
    };
    let mut xref = Xref::default();
    let mut queue: Vec<usize> = Vec::new();
    let mut seen: Vec<usize> = Vec::new();
    queue.push(start.saturating_add(shift));
    while let Some(pos) = queue.pop() {
        // Loop-protected: each section once, and no more sections than the file could hold.
        if seen.contains(&pos) || seen.len() > 4096 {
            continue;
        }
        seen.try_reserve(1).map_err(|_| oom())?;
        seen.push(pos);
        let trailer = if data.get(pos..pos + 4) == Some(b"xref") {
            match table(data, pos + 4, cfg, shift, &mut xref)? {
                Some(t) => t,
                None if seen.len() == 1 => return Ok(None),
                None => continue,
            }
        } else {
            match stream_section(data, pos, cfg, shift, used, &mut xref)? {
                Some(t) => t,
                None if seen.len() == 1 => return Ok(None),
                None => continue,
            }
        };
        let prev = trailer.int(b"Prev");
        // Hybrid file: the table's stream companion comes before older sections.
        let stm = trailer.int(b"XRefStm");
        xref.merge_trailer(trailer)?;
        for off in [prev, stm].into_iter().flatten() {
            if let Ok(off) = usize::try_from(off) {
                queue.try_reserve(1).map_err(|_| oom())?;
                queue.push(off.saturating_add(shift));
            }
        }
    }
    Ok(Some(xref))
}

/// "xref" or "N G obj" at `pos`.
fn looks_like_section(data: &[u8], pos: usize) -> bool {
    let pos = skip_white(data, pos);
    data.get(pos..pos + 4) == Some(b"xref") || object_header(data, pos).is_some()
}

/// `N G obj` at `pos`: the reference and the position after "obj".
pub fn object_header(data: &[u8], pos: usize) -> Option<(Ref, usize)> {
    let (num, p) = lexer::uint(data, pos)?;
    let p2 = skip_white(data, p);
    let (gen, p3) = lexer::uint(data, p2).filter(|_| p2 > p)?;
    let p4 = skip_white(data, p3);
    if p4 == p3 || data.get(p4..p4 + 3) != Some(b"obj") || data.get(p4 + 3).is_some_and(|&c| is_regular(c)) {
        return None;
    }
    Some((Ref { num: u32::try_from(num).ok()?, gen: u16::try_from(gen).ok()? }, p4 + 3))
}

/// A classic table from just after "xref"; returns its trailer.
fn table(data: &[u8], mut pos: usize, cfg: &Config, shift: usize, xref: &mut Xref) -> Result<Option<Dict>> {
    loop {
        pos = skip_white(data, pos);
        if data.get(pos..pos + 7) == Some(b"trailer") {
            let mut p = Parser::file(data, cfg.max_depth);
            p.set_pos(pos + 7);
            return Ok(match p.object()? {
                Object::Dict(d) => Some(d),
                _ => None,
            });
        }
        let Some((mut first, p)) = lexer::uint(data, pos) else { return Ok(None) };
        let Some((count, p)) = lexer::uint(data, skip_white(data, p)) else { return Ok(None) };
        pos = p;
        for i in 0..count {
            let Some((off, p)) = lexer::uint(data, skip_white(data, pos)) else { return Ok(None) };
            let Some((gen, p)) = lexer::uint(data, skip_white(data, p)) else { return Ok(None) };
            let p = skip_white(data, p);
            let kind = data.get(p).copied();
            pos = p + 1;
            // A common writer bug: a table starting at 1 whose first entry is the head of
            // the free list, object 0.
            if i == 0 && first == 1 && kind == Some(b'f') && gen == 65535 {
                first = 0;
            }
            let num = first.saturating_add(i);
            match kind {
                Some(b'n') if off > 0 => {
                    let at = usize::try_from(off).unwrap_or(usize::MAX).saturating_add(shift);
                    let gen = u16::try_from(gen).unwrap_or(u16::MAX);
                    xref.set_if_new(num, Entry::Offset { pos: at, gen }, cfg)?;
                }
                Some(b'n' | b'f') => {}
                _ => return Ok(None),
            }
        }
    }
}

/// A cross-reference stream at `pos`; returns its dictionary (the trailer).
fn stream_section(
    data: &[u8],
    pos: usize,
    cfg: &Config,
    shift: usize,
    used: &mut u64,
    xref: &mut Xref,
) -> Result<Option<Dict>> {
    let Some((_, dict, body)) = indirect(data, skip_white(data, pos), cfg.max_depth)? else { return Ok(None) };
    let Object::Dict(dict) = dict else { return Ok(None) };
    let Some(body) = body else { return Ok(None) };
    if dict.name(b"Type") != Some(b"XRef") {
        return Ok(None);
    }
    let (start, end) = stream_extent(data, body, dict.int(b"Length"));
    let raw = data.get(start..end).unwrap_or(&[]);
    let mut damaged = false;
    let bytes = decode_direct(&dict, raw, cfg, used, &mut damaged)?;
    let w: Vec<usize> = dict
        .get(b"W")
        .and_then(Object::as_array)
        .unwrap_or(&[])
        .iter()
        .filter_map(|o| o.as_int())
        .map(clamp_width)
        .collect();
    let [w0, w1, w2] = w[..] else { return Ok(None) };
    let row = w0 + w1 + w2;
    if row == 0 {
        return Ok(None);
    }
    let size = dict.int(b"Size").unwrap_or(0);
    let default_index = [Object::Int(0), Object::Int(size)];
    let index = match dict.get(b"Index").and_then(Object::as_array) {
        Some(a) => a,
        None => &default_index[..],
    };
    let mut rows = bytes.chunks_exact(row);
    for pair in index.chunks_exact(2) {
        let (Some(first), Some(count)) = (pair[0].as_int(), pair[1].as_int()) else { break };
        let (Ok(first), Ok(count)) = (u64::try_from(first), u64::try_from(count)) else { break };
        for i in 0..count {
            let Some(r) = rows.next() else { break };
            let (a, rest) = r.split_at(w0);
            let (b, c) = rest.split_at(w1);
            let kind = if w0 == 0 { 1 } else { be(a) };
            let num = first.saturating_add(i);
            let entry = match kind {
                1 => {
                    let Ok(off) = usize::try_from(be(b)) else { continue };
                    Entry::Offset { pos: off.saturating_add(shift), gen: u16::try_from(be(c)).unwrap_or(0) }
                }
                2 => match (u32::try_from(be(b)), u32::try_from(be(c))) {
                    (Ok(stream), Ok(index)) => Entry::InStream { stream, index },
                    _ => continue,
                },
                _ => continue,
            };
            xref.set_if_new(num, entry, cfg)?;
        }
    }
    Ok(Some(dict))
}

fn clamp_width(w: i64) -> usize {
    w.clamp(0, 8) as usize
}

/// A big-endian field of up to 8 bytes.
fn be(b: &[u8]) -> u64 {
    b.iter().fold(0, |v, &x| v << 8 | u64::from(x))
}

/// Decodes a stream whose filter parameters are direct (cross-reference and, during
/// recovery, object streams): no decryption, no references to follow.
pub fn decode_direct(dict: &Dict, raw: &[u8], cfg: &Config, used: &mut u64, damaged: &mut bool) -> Result<Vec<u8>> {
    let filters = dict.get(b"Filter");
    let parms = dict.get(b"DecodeParms");
    let list: &[Object] = match filters {
        Some(Object::Array(a)) => a,
        Some(f @ Object::Name(_)) => core::slice::from_ref(f),
        _ => &[],
    };
    let mut out: Option<Vec<u8>> = None;
    for (i, f) in list.iter().enumerate() {
        let Some(filter) = f.as_name().and_then(Filter::by_name) else { break };
        let p = match parms {
            Some(Object::Array(a)) => a.get(i).and_then(Object::as_dict),
            Some(Object::Dict(d)) if i == 0 => Some(d),
            _ => None,
        };
        let budget = u64::from(cfg.max_decompressed).saturating_sub(*used);
        let input = out.as_deref().unwrap_or(raw);
        let next = filters::decode(filter, input, &Params::from_dict(p), budget as usize, damaged)?;
        *used = used.saturating_add(next.len() as u64);
        out = Some(next);
    }
    match out {
        Some(v) => Ok(v),
        None => {
            let mut v = Vec::new();
            crate::error::push_bytes(&mut v, raw)?;
            Ok(v)
        }
    }
}

/// Reads `N G obj <object>` at `pos`: the reference, the object, and where stream data
/// starts when a `stream` keyword follows.
pub fn indirect(data: &[u8], pos: usize, max_depth: u32) -> Result<Option<(Ref, Object, Option<usize>)>> {
    let Some((r, after)) = object_header(data, pos) else { return Ok(None) };
    let mut p = Parser::file(data, max_depth);
    p.set_pos(after);
    let obj = p.object()?;
    let mut body = None;
    if matches!(obj, Object::Dict(_)) {
        let at = p.pos();
        if let Ok(Some(Token::Keyword(b"stream"))) = p.next_token() {
            // The data starts after the end of line that follows "stream" (CRLF or LF;
            // a lone CR is tolerated).
            let mut s = p.pos();
            if data.get(s) == Some(&b'\r') {
                s += 1;
            }
            if data.get(s) == Some(&b'\n') {
                s += 1;
            }
            body = Some(s);
        } else {
            p.set_pos(at);
        }
    }
    Ok(Some((r, obj, body)))
}

/// The raw data range of a stream whose data starts at `start`: `Length` when "endstream"
/// follows it, else up to the next "endstream" (a Length that lies is common).
pub fn stream_extent(data: &[u8], start: usize, length: Option<i64>) -> (usize, usize) {
    if let Some(end) = length.and_then(|l| usize::try_from(l).ok()).and_then(|l| start.checked_add(l)) {
        if end <= data.len() {
            let after = skip_white(data, end);
            if data.get(after..after + 9) == Some(b"endstream") || after >= data.len() {
                return (start, end);
            }
        }
    }
    match find(data, b"endstream", start) {
        Some(mut end) => {
            if end > start && data.get(end - 1) == Some(&b'\n') {
                end -= 1;
            }
            if end > start && data.get(end - 1) == Some(&b'\r') {
                end -= 1;
            }
            (start, end)
        }
        None => (start.min(data.len()), data.len()),
    }
}

/// Rebuilds the cross-reference by scanning the whole file: every `N G obj` (later
/// definitions win, as in incremental updates), stream data skipped, trailers merged
/// (newest first), object streams remembered. Without a trailer naming the catalog, the
/// last `/Type /Catalog` object found becomes the root.
pub fn scan(data: &[u8], cfg: &Config) -> Result<Xref> {
    let mut xref = Xref::default();
    let mut trailers: Vec<Dict> = Vec::new();
    let mut catalog: Option<Ref> = None;
    let mut pos = 0;
    let mut objects = 0u32;
    while let Some(at) = find(data, b"obj", pos) {
        pos = at + 3;
        if data.get(at + 3).is_some_and(|&c| is_regular(c))
            || at == 0
            || !data.get(at - 1).is_some_and(|&c| is_white(c))
        {
            continue;
        }
        let Some(start) = header_start(data, at) else { continue };
        let Some((r, obj, body)) = indirect(data, start, cfg.max_depth)? else { continue };
        objects += 1;
        if objects > cfg.max_objects {
            return Err(limit("pdf: more objects than max_objects"));
        }
        let i = r.num as usize;
        if i >= xref.entries.len() {
            if r.num >= cfg.max_objects {
                continue;
            }
            xref.entries.try_reserve(i + 1 - xref.entries.len()).map_err(|_| oom())?;
            xref.entries.resize(i + 1, Entry::None);
        }
        if let Some(slot) = xref.entries.get_mut(i) {
            *slot = Entry::Offset { pos: start, gen: r.gen };
        }
        if let Object::Dict(d) = &obj {
            match d.name(b"Type") {
                Some(b"Catalog") => catalog = Some(r),
                Some(b"ObjStm") => {
                    xref.object_streams.try_reserve(1).map_err(|_| oom())?;
                    xref.object_streams.push(r.num);
                }
                Some(b"XRef") if d.get(b"Root").is_some() => {
                    trailers.try_reserve(1).map_err(|_| oom())?;
                    trailers.push(d.clone());
                }
                _ => {}
            }
            if let Some(body) = body {
                pos = pos.max(stream_extent(data, body, d.int(b"Length")).1);
            }
        }
    }
    let mut t = 0;
    while let Some(at) = find(data, b"trailer", t) {
        t = at + 7;
        let mut p = Parser::file(data, cfg.max_depth);
        p.set_pos(at + 7);
        if let Object::Dict(d) = p.object()? {
            trailers.try_reserve(1).map_err(|_| oom())?;
            trailers.push(d);
        }
    }
    // Newest first: a trailer later in the file belongs to a later update (xref-stream
    // trailers and classic ones are ordered by where they sit only loosely; Root is what
    // matters and both kinds agree on it in practice).
    while let Some(d) = trailers.pop() {
        xref.merge_trailer(d)?;
    }
    let root_ok = xref.trailer.get(b"Root").and_then(Object::as_ref).is_some_and(|r| xref.entry(r.num) != Entry::None);
    if !root_ok {
        if let Some(c) = catalog {
            xref.trailer.set(b"Root", Object::Ref(c))?;
        }
    }
    Ok(xref)
}

/// Walks back from "obj" at `at` over "N G " to where N starts.
fn header_start(data: &[u8], at: usize) -> Option<usize> {
    let mut i = at;
    let skip_back_white = |mut i: usize| {
        while i > 0 && data.get(i - 1).is_some_and(|&c| is_white(c)) {
            i -= 1;
        }
        i
    };
    let skip_back_digits = |mut i: usize| {
        let end = i;
        while i > 0 && data.get(i - 1).is_some_and(u8::is_ascii_digit) && end - i < 10 {
            i -= 1;
        }
        (i < end).then_some(i)
    };
    i = skip_back_white(i);
    i = skip_back_digits(i)?;
    let w = skip_back_white(i);
    if w == i {
        return None;
    }
    let start = skip_back_digits(w)?;
    if start > 0 && data.get(start - 1).is_some_and(|&c| is_regular(c)) {
        return None;
    }
    Some(start)
}
